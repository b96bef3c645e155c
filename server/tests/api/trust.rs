//! The ways in sideways, tried as an attacker would, through both doors where both
//! exist: each of these worked before the trust work and must stay refused.

use crate::browser::{location, refused, Browser, OWN_ORIGIN};
use crate::support::TestApp;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use leadsy_app::rpc::account::{ChangeEmail, ChangePassword, LogIn, VerifyEmail};
use leadsy_app::rpc::invitations::AcceptOfferedInvitation;
use leadsy_app::rpc::onboarding::CreateCompany;
use leptos::server_fn::ServerFn;
use serde_json::json;

/// Invites `email` into the team's company as an admin; returns the invitation id.
async fn invite_admin(app: &TestApp, admin: &str, company: i64, email: &str) -> i64 {
    let access_id = app.access_id("admin").await;
    let r = app
        .post(
            &format!("/api/v1/companies/{company}/invitations"),
            Some(admin),
            json!({"email": email, "access_id": access_id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["invitation"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_invitation_cannot_be_taken_by_signing_up_as_its_email() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let invitation = invite_admin(&app, &t.admin, t.company, "ana@v.test").await;
    // Mallory signs up as the invited address; the verification mail goes to Ana.
    let (_, mallory) = app.unverified_user("ana@v.test").await;
    let me = app.get("/api/v1/users/validate_jwt", Some(&mallory)).await;
    let id = me.body["user_id"].as_i64().unwrap();
    let user = app
        .get(&format!("/api/v1/users/{id}"), Some(&mallory))
        .await;
    assert_eq!(user.body["user"]["email_verified"], false);

    app.get("/api/v1/invitations?email=ana@v.test", Some(&mallory))
        .await
        .assert_error(403, "EMAIL_NOT_VERIFIED");
    let code = app.mailed_token("ana@v.test", "/invitations/").await;
    app.post(
        &format!("/api/v1/invitations/{code}/accept"),
        Some(&mallory),
        json!({}),
    )
    .await
    .assert_error(403, "EMAIL_NOT_VERIFIED");

    let mut b = Browser::new(&app);
    b.log_in("ana@v.test").await;
    let company_step = b.get("/onboarding/company").await;
    assert!(
        !company_step.raw.contains("pending-invitations"),
        "the wizard offers no invitation to an unverified address"
    );
    let r = b
        .post(
            AcceptOfferedInvitation::PATH,
            "/onboarding/company",
            &[("invitation_id", &invitation.to_string())],
        )
        .await;
    refused(&r, StatusCode::FORBIDDEN);
    let members = app
        .get(
            &format!("/api/v1/companies/{}/users", t.company),
            Some(&t.admin),
        )
        .await;
    assert_eq!(members.body["meta"]["total"], 4, "nobody joined");

    // The real Ana opens the link, not signed in: the page asks her to log in to
    // the account it was sent for, which she cannot, so the squatter stays
    // unverified. Signed in to her own, other account, the link is refused too.
    let token = app.mailed_token("ana@v.test", "/verify-email?token=").await;
    let mut ana = Browser::new(&app);
    let r = ana
        .post(VerifyEmail::PATH, "/verify-email", &[("token", &token)])
        .await;
    refused(&r, StatusCode::UNAUTHORIZED);
    app.user("ana.real@v.test").await;
    ana.log_in("ana.real@v.test").await;
    let r = ana
        .post(VerifyEmail::PATH, "/verify-email", &[("token", &token)])
        .await;
    refused(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let still: bool = app
        .get(&format!("/api/v1/users/{id}"), Some(&mallory))
        .await
        .body["user"]["email_verified"]
        .as_bool()
        .unwrap();
    assert!(!still, "a stranger's click verifies nothing");

    // Whoever holds the account and the mailbox both (here through the API with
    // the mailed token) verifies it, once, and then joins.
    let verified = app
        .post("/api/v1/users/verify_email", None, json!({"token": token}))
        .await;
    assert_eq!(verified.body["user"]["email_verified"], true);
    app.post("/api/v1/users/verify_email", None, json!({"token": token}))
        .await
        .assert_error(422, "INVALID_TOKEN");
    let r = app
        .post(
            &format!("/api/v1/invitations/{code}/accept"),
            Some(&mallory),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn an_invitation_cannot_be_taken_by_changing_ones_email() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    invite_admin(&app, &t.admin, t.company, "ana@v.test").await;
    let (mallory, token) = app.user("mallory@x.test").await;
    let me = format!("/api/v1/users/{mallory}");
    app.put(&me, Some(&token), json!({"email": "ana@v.test"}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    app.put(
        &me,
        Some(&token),
        json!({"email": "ana@v.test", "current_password": "wrong password!"}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    let changed = app
        .put(
            &me,
            Some(&token),
            json!({"email": "ana@v.test", "current_password": "correct horse battery"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["user"]["email"], "ana@v.test");
    assert_eq!(changed.body["user"]["email_verified"], false);
    let told = app.mailed_token("mallory@x.test", "was changed to ").await;
    assert_eq!(told, "ana", "the old address is told of the new one");
    app.get("/api/v1/invitations?email=ana@v.test", Some(&token))
        .await
        .assert_error(403, "EMAIL_NOT_VERIFIED");
    let code = app.mailed_token("ana@v.test", "/invitations/").await;
    app.post(
        &format!("/api/v1/invitations/{code}/accept"),
        Some(&token),
        json!({}),
    )
    .await
    .assert_error(403, "EMAIL_NOT_VERIFIED");
    app.get("/api/v1/users/find_by_email?email=ana@v.test", Some(&token))
        .await
        .assert_error(404, "NOT_FOUND");

    // The page's door asks for the password just the same.
    let (eve, _) = app.user("eve@x.test").await;
    let mut b = Browser::new(&app);
    b.log_in("eve@x.test").await;
    let r = b
        .post(
            ChangeEmail::PATH,
            "/account",
            &[("email", "other@v.test"), ("current_password", "guess")],
        )
        .await;
    refused(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let r = b
        .post(
            ChangeEmail::PATH,
            "/account",
            &[
                ("email", "other@v.test"),
                ("current_password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/account?email=1");
    let eve_now = app
        .get(
            &format!("/api/v1/users/{eve}"),
            Some(&app.user_token("eve@x.test")),
        )
        .await;
    assert_eq!(eve_now.body["user"]["email"], "other@v.test");
    assert_eq!(eve_now.body["user"]["email_verified"], false);
}

#[tokio::test]
async fn a_link_sent_to_an_old_address_verifies_nothing() {
    let app = TestApp::spawn().await;
    let (id, token) = app.unverified_user("first@x.test").await;
    let old_link = app
        .mailed_token("first@x.test", "/verify-email?token=")
        .await;
    app.put(
        &format!("/api/v1/users/{id}"),
        Some(&token),
        json!({"email": "second@x.test", "current_password": "correct horse battery"}),
    )
    .await;
    app.post(
        "/api/v1/users/verify_email",
        None,
        json!({"token": old_link}),
    )
    .await
    .assert_error(422, "INVALID_TOKEN");
    let resend = format!("/api/v1/users/{id}/verify_email");
    let r = app.post(&resend, Some(&token), json!({})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    app.post(&resend, Some(&token), json!({})).await;
    // Three links went to the new address (the change, two resends); the mails go
    // out in the background, in any order, and only the last link issued works.
    let links = app
        .all_mailed_tokens("second@x.test", "/verify-email?token=", 3)
        .await;
    let mut worked = 0;
    for link in links {
        let r = app
            .post("/api/v1/users/verify_email", None, json!({"token": link}))
            .await;
        if r.status == StatusCode::OK {
            assert_eq!(r.body["user"]["email_verified"], true);
            worked += 1;
        } else {
            r.assert_error(422, "INVALID_TOKEN");
        }
    }
    assert_eq!(worked, 1);
    app.post(&resend, Some(&token), json!({}))
        .await
        .assert_error(422, "EMAIL_ALREADY_VERIFIED");
    for hostile in [
        json!({}),
        json!({"token": 5}),
        json!({"token": "x", "user_id": 1}),
    ] {
        app.post("/api/v1/users/verify_email", None, hostile)
            .await
            .assert_error(422, "VALIDATION_FAILED");
    }
    let not_json = Request::post("/api/v1/users/verify_email")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(r#"{"token": "x"}"#))
        .unwrap();
    app.send(not_json).await.assert_error(400, "BAD_REQUEST");
    app.put(
        &format!("/api/v1/users/{id}/password"),
        None,
        json!({"current_password": "correct horse battery", "password": "a brand new password"}),
    )
    .await
    .assert_error(401, "UNAUTHORIZED");
    let (_, other) = app.user("other@x.test").await;
    app.post(&resend, Some(&other), json!({}))
        .await
        .assert_error(404, "NOT_FOUND");
    app.post(&resend, None, json!({}))
        .await
        .assert_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn strangers_cannot_be_added_to_a_company_to_harvest_them() {
    let app = TestApp::spawn().await;
    let (victim, victim_t) = app.user("victim@corp.test").await;
    let (_, harvester) = app.user("harvester@evil.test").await;
    let evil = app.company(&harvester, "Evil").await;
    let rep = app.access_id("sales_rep").await;
    app.post(
        &format!("/api/v1/users/{victim}/user_accesses"),
        Some(&harvester),
        json!({"company_id": evil, "access_id": rep}),
    )
    .await
    .assert_error(404, "USER_NOT_FOUND");
    let users = app
        .get(&format!("/api/v1/companies/{evil}/users"), Some(&harvester))
        .await;
    assert_eq!(users.body["meta"]["total"], 1, "{}", users.body);
    let mine = app.get("/api/v1/companies", Some(&victim_t)).await;
    assert_eq!(mine.body["meta"]["total"], 0, "the victim joined nothing");
}

#[tokio::test]
async fn a_removed_rep_sees_nothing_of_the_company() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let lead = app
        .lead(&t.rep1.1, t.company, json!({"first_name": "Meet"}))
        .await;
    let at = leadsy::time::Timestamp(leadsy::time::Timestamp::now().0 + 3600).rfc3339();
    let booked = app
        .post(
            &format!(
                "/api/v1/companies/{}/leads/{}/appointments",
                t.company, lead["id"]
            ),
            Some(&t.rep1.1),
            json!({"starts_at": at}),
        )
        .await;
    let appointment = booked.body["appointment"]["id"].clone();
    let rep = app.get("/api/v1/users/validate_jwt", Some(&t.rep1.1)).await;
    let rep_id = rep.body["user_id"].as_i64().unwrap();
    let removed = app
        .delete(
            &format!("/api/v1/users/{rep_id}/user_accesses/{}", t.rep1.0),
            Some(&t.admin),
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    app.get(
        &format!("/api/v1/appointments/{appointment}"),
        Some(&t.rep1.1),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    let list = app.get("/api/v1/appointments", Some(&t.rep1.1)).await;
    assert_eq!(list.body["meta"]["total"], 0, "{}", list.body);
    app.get(
        &format!("/api/v1/companies/{}/leads/{}", t.company, lead["id"]),
        Some(&t.rep1.1),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    let manager = app
        .get(
            &format!("/api/v1/appointments/{appointment}"),
            Some(&t.manager),
        )
        .await;
    assert_eq!(manager.status, StatusCode::OK, "the company keeps it");
}

#[tokio::test]
async fn cross_site_form_posts_and_logins_are_refused() {
    let app = TestApp::spawn().await;
    app.user("ana@example.com").await;
    let mut b = Browser::new(&app);
    let login = [
        ("email", "ana@example.com"),
        ("password", "correct horse battery"),
    ];
    for origin in [Some("https://evil.example"), Some("null"), None] {
        let r = b.post_from(origin, LogIn::PATH, "/login", &login).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "login from {origin:?}");
        assert!(r.raw.contains("another site"), "said in words: {}", r.raw);
        assert!(b.cookie.is_none(), "no session from {origin:?}");
    }
    b.log_in("ana@example.com").await;
    let r = b
        .post_from(
            Some("https://evil.example"),
            CreateCompany::PATH,
            "/onboarding/company",
            &[("name", "Forged Inc")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = b
        .post(
            CreateCompany::PATH,
            "/onboarding/company",
            &[("name", "Real Inc")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.raw);

    // The REST API signed by the same cookie: a cross-site write is refused, and
    // a body that is not exactly JSON is not read as JSON.
    let cookie = b.cookie.clone().unwrap();
    let forged = |origin: Option<&str>, content_type: &str| {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/companies")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, content_type);
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        req.body(Body::from(r#"{"name": "Through The API"}"#))
            .unwrap()
    };
    app.send(forged(Some("https://evil.example"), "text/plain;x=+json"))
        .await
        .assert_error(403, "CROSS_SITE_REQUEST");
    app.send(forged(Some(OWN_ORIGIN), "text/plain;x=+json"))
        .await
        .assert_error(400, "BAD_REQUEST");
    let own = app.send(forged(Some(OWN_ORIGIN), "application/json")).await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    let mine = app
        .get(
            "/api/v1/companies",
            Some(&app.user_token("ana@example.com")),
        )
        .await;
    let names: Vec<_> = mine.body["companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Real Inc", "Through The API"]);
}

#[tokio::test]
async fn a_password_reset_ends_every_session_and_token_before_it() {
    let app = TestApp::spawn().await;
    let (id, jwt) = app.user("ana@example.com").await;
    let mut b = Browser::new(&app);
    b.log_in("ana@example.com").await;
    let cookie = b.cookie.clone().unwrap();
    assert_eq!(b.get("/onboarding/profile").await.status, StatusCode::OK);

    let reset = || {
        app.post(
            "/api/v1/users/password_reset",
            None,
            json!({"email": "ana@example.com"}),
        )
    };
    assert_eq!(reset().await.status, StatusCode::ACCEPTED);
    let older = app
        .mailed_token("ana@example.com", "/password/reset?token=")
        .await;
    reset().await;
    let newer = app
        .all_mailed_tokens("ana@example.com", "/password/reset?token=", 2)
        .await
        .into_iter()
        .find(|t| *t != older)
        .expect("a second link");
    app.put(
        "/api/v1/users/password_reset",
        None,
        json!({"token": older, "password": "a brand new password"}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    let r = app
        .put(
            "/api/v1/users/password_reset",
            None,
            json!({"token": newer, "password": "a brand new password"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    app.get(&format!("/api/v1/users/{id}"), Some(&jwt))
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.get("/api/v1/users/validate_jwt", Some(&jwt))
        .await
        .assert_error(401, "UNAUTHORIZED");
    let mut old = Browser::new(&app);
    old.cookie = Some(cookie.clone());
    assert_eq!(location(&old.get("/onboarding/profile").await), "/login");
    let api_by_cookie = Request::get(format!("/api/v1/users/{id}"))
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    app.send(api_by_cookie)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_and_keeps_this_one() {
    let app = TestApp::spawn().await;
    let (id, jwt) = app.user("ana@example.com").await;
    let path = format!("/api/v1/users/{id}/password");
    app.put(
        &path,
        Some(&jwt),
        json!({"current_password": "not my password", "password": "a brand new password"}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.put(
        &path,
        Some(&jwt),
        json!({"current_password": "correct horse battery", "password": "short"}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    let (_, other) = app.user("bob@example.com").await;
    app.put(
        &path,
        Some(&other),
        json!({"current_password": "correct horse battery", "password": "a brand new password"}),
    )
    .await
    .assert_error(404, "NOT_FOUND");

    let mut here = Browser::new(&app);
    here.log_in("ana@example.com").await;
    let mut elsewhere = Browser::new(&app);
    elsewhere.log_in("ana@example.com").await;
    let r = here
        .post(
            ChangePassword::PATH,
            "/account",
            &[
                ("current_password", "correct horse battery"),
                ("password", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/account?password=1", "{}", r.raw);
    assert_eq!(
        here.get("/account").await.status,
        StatusCode::OK,
        "this session goes on"
    );
    assert_eq!(location(&elsewhere.get("/account").await), "/login");
    app.get(&format!("/api/v1/users/{id}"), Some(&jwt))
        .await
        .assert_error(401, "UNAUTHORIZED");

    let fresh = app
        .put(
            &path,
            Some(
                &app.login_token("ana@example.com", "a brand new password")
                    .await,
            ),
            json!({"current_password": "a brand new password", "password": "the third password"}),
        )
        .await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
    let token = fresh.body["token"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/users/{id}"), Some(token))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_customer_key_acts_only_in_its_company_and_only_for_an_admin() {
    let app = TestApp::spawn().await;
    let platform = app.platform_token().await;
    let onboard = Request::post("/api/v1/global/users/onboard")
        .header("token", &platform)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"email": "owner@keyco.test", "first_name": "Kay", "last_name": "Owner",
                   "company_name": "KeyCo"})
            .to_string(),
        ))
        .unwrap();
    let r = app.send(onboard).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (company, owner, salt) = (
        r.body["data"]["company_id"].as_i64().unwrap(),
        r.body["data"]["user_id"].as_i64().unwrap(),
        r.body["data"]["customer_salt"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    let owner_actor = leadsy::Actor::User { user_id: owner };
    let elsewhere = leadsy::companies::create(
        &app.state.ctx,
        &owner_actor,
        leadsy::companies::CreateCompany {
            name: "KeyCo Side".into(),
        },
    )
    .await
    .unwrap();
    let issue = Request::post("/api/v1/global/users/gettokenbycustomerid")
        .header("token", &platform)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"customer_id": salt}).to_string()))
        .unwrap();
    let key = app.send(issue).await.body["customer_api_key"]
        .as_str()
        .unwrap()
        .to_string();

    let own = app
        .get(&format!("/api/v1/companies/{company}"), Some(&key))
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    app.get(&format!("/api/v1/companies/{}", elsewhere.id), Some(&key))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(
        &format!("/api/v1/companies/{}/leads", elsewhere.id),
        Some(&key),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.put(
        &format!("/api/v1/users/{owner}"),
        Some(&key),
        json!({"email": "taken@over.test"}),
    )
    .await
    .assert_error(403, "CUSTOMER_KEY_COMPANY_ONLY");
    app.get("/api/v1/companies", Some(&key))
        .await
        .assert_error(403, "CUSTOMER_KEY_COMPANY_ONLY");

    // Another admin demotes the key's owner: the key stops working at once.
    let (_, new_admin_t) = app.user("second@keyco.test").await;
    let owner_member = leadsy::actor::Member::check(&app.state.ctx.db, &owner_actor, company)
        .await
        .unwrap();
    leadsy::invitations::create(
        &app.state.ctx,
        &owner_member,
        leadsy::invitations::CreateInvitation {
            email: "second@keyco.test".into(),
            access_id: app.access_id("admin").await,
        },
    )
    .await
    .unwrap();
    let code = app.mailed_token("second@keyco.test", "/invitations/").await;
    let joined = app
        .post(
            &format!("/api/v1/invitations/{code}/accept"),
            Some(&new_admin_t),
            json!({}),
        )
        .await;
    assert_eq!(joined.status, StatusCode::CREATED, "{}", joined.body);
    let owner_ua = app
        .get(
            &format!("/api/v1/users/{owner}/user_accesses"),
            Some(&new_admin_t),
        )
        .await
        .body["user_accesses"][0]["id"]
        .as_i64()
        .unwrap();
    let demoted = app
        .put(
            &format!("/api/v1/users/{owner}/user_accesses/{owner_ua}"),
            Some(&new_admin_t),
            json!({"access_id": app.access_id("sales_rep").await}),
        )
        .await;
    assert_eq!(demoted.status, StatusCode::OK, "{}", demoted.body);
    app.get(&format!("/api/v1/companies/{company}"), Some(&key))
        .await
        .assert_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let app = TestApp::spawn().await;
    let (a, a_t) = app.user("a@duo.test").await;
    let (b, b_t) = app.user("b@duo.test").await;
    let company = app.company(&a_t, "Duo").await;
    let b_ua = app.join(&a_t, company, b, "admin").await;
    let a_ua = app
        .get(&format!("/api/v1/users/{a}/user_accesses"), Some(&a_t))
        .await
        .body["user_accesses"][0]["id"]
        .as_i64()
        .unwrap();
    let (admin, rep) = (
        app.access_id("admin").await,
        app.access_id("sales_rep").await,
    );
    let (b_path, a_path) = (
        format!("/api/v1/users/{b}/user_accesses/{b_ua}"),
        format!("/api/v1/users/{a}/user_accesses/{a_ua}"),
    );
    for round in 0..8 {
        let demote_b = app.put(&b_path, Some(&a_t), json!({"access_id": rep}));
        let demote_a = app.put(&a_path, Some(&b_t), json!({"access_id": rep}));
        let (x, y) = tokio::join!(demote_b, demote_a);
        let admins: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM user_accesses ua JOIN accesses ac ON ac.id = ua.access_id \
             WHERE ua.company_id = $1 AND ac.key = 'admin'",
        )
        .bind(company)
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
        assert_eq!(admins, 1, "round {round}: {} / {}", x.body, y.body);
        assert!(
            [x.status, y.status].contains(&StatusCode::OK),
            "one of them went through"
        );
        sqlx::query("UPDATE user_accesses SET access_id = $1 WHERE company_id = $2")
            .bind(admin)
            .bind(company)
            .execute(&app.state.ctx.db.pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn lead_answers_are_held_to_the_company_questions() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let q = app
        .post(
            &format!("/api/v1/companies/{}/questions", t.company),
            Some(&t.manager),
            json!({"text": "Team size?", "kind": "single_choice", "options": ["Small", "Large"]}),
        )
        .await;
    assert_eq!(q.status, StatusCode::CREATED, "{}", q.body);
    let qid = q.body["question"]["id"].as_i64().unwrap().to_string();
    let other = app
        .post(
            &format!("/api/v1/companies/{}/questions", t.other_company),
            Some(&t.outsider),
            json!({"text": "Budget?", "kind": "number"}),
        )
        .await;
    let foreign = other.body["question"]["id"].as_i64().unwrap().to_string();
    let path = format!("/api/v1/companies/{}/leads", t.company);
    for (answers, field) in [
        (json!({ &qid: "Huge" }), format!("answers.{qid}")),
        (json!({ &qid: ["Small"] }), format!("answers.{qid}")),
        (json!({ &foreign: 3 }), format!("answers.{foreign}")),
        (json!({"nope": "x"}), "answers.nope".to_string()),
    ] {
        let r = app
            .post(
                &path,
                Some(&t.manager),
                json!({"first_name": "Q", "answers": answers}),
            )
            .await;
        r.assert_error(422, "VALIDATION_FAILED");
        assert!(
            r.body["error"]["fields"].get(&field).is_some(),
            "{}",
            r.body
        );
    }
    let huge = "x".repeat(2_000_000);
    let r = app
        .post(
            &path,
            Some(&t.manager),
            json!({"first_name": "Q", "answers": {&qid: huge}}),
        )
        .await;
    assert!(
        [
            StatusCode::UNPROCESSABLE_ENTITY,
            StatusCode::PAYLOAD_TOO_LARGE
        ]
        .contains(&r.status),
        "{}",
        r.status
    );
    let lead = app
        .lead(
            &t.manager,
            t.company,
            json!({"first_name": "Q", "answers": { &qid: "large" }}),
        )
        .await;
    assert_eq!(
        lead["answers"][&qid], "Large",
        "kept as the option is written"
    );
    let update = format!("{path}/{}", lead["id"]);
    app.put(&update, Some(&t.manager), json!({"answers": {&qid: 5}}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    let moved = app
        .put(
            &update,
            Some(&t.manager),
            json!({"stage_id": app.stage_id("won").await}),
        )
        .await;
    assert_eq!(
        moved.body["lead"]["answers"][&qid], "Large",
        "{}",
        moved.body
    );
}

#[tokio::test]
async fn secrets_are_stored_as_digests() {
    let app = TestApp::spawn().await;
    app.user("ana@example.com").await;
    let mut b = Browser::new(&app);
    b.log_in("ana@example.com").await;
    let cookie = b.cookie.clone().unwrap();
    let id = cookie.trim_start_matches("leadsy_session=").to_string();
    let pool = &app.state.ctx.db.pool;
    let raw: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id = $1")
        .bind(&id)
        .fetch_one(pool)
        .await
        .unwrap();
    let digested: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id = $1")
        .bind(leadsy::secret::digest(&id))
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!((raw, digested), (0, 1));

    // Secrets issued before digests were kept are digested at start-up and still work.
    let t = app.team().await;
    let invitation = invite_admin(&app, &t.admin, t.company, "legacy@acme.test").await;
    sqlx::query("UPDATE invitations SET code = 'legacy:old-plain-code' WHERE id = $1")
        .bind(invitation)
        .execute(pool)
        .await
        .unwrap();
    app.state.ctx.db.migrate().await.unwrap();
    let preview = app.get("/api/v1/invitations/old-plain-code", None).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let stored: String = sqlx::query_scalar("SELECT code FROM invitations WHERE id = $1")
        .bind(invitation)
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(stored, leadsy::secret::digest("old-plain-code"));
}

#[tokio::test]
async fn a_visitor_logs_in_and_comes_back_to_the_link_but_never_leaves_the_site() {
    let app = TestApp::spawn().await;
    app.unverified_user("ana@example.com").await;
    let token = app
        .mailed_token("ana@example.com", "/verify-email?token=")
        .await;
    let mut b = Browser::new(&app);
    let page = b.get(&format!("/verify-email?token={token}")).await;
    let back = format!("/login?next=%2Fverify-email%3Ftoken%3D{token}");
    assert!(page.raw.contains(&back), "a way to log in and come back");
    let login = |next: &str| {
        [
            ("email", "ana@example.com".to_string()),
            ("password", "correct horse battery".to_string()),
            ("next", next.to_string()),
        ]
    };
    for hostile in [
        "//evil.example/x",
        "https://evil.example",
        "/\\evil.example",
    ] {
        let mut b = Browser::new(&app);
        let form = login(hostile);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = b.post(LogIn::PATH, "/login", &form).await;
        assert_eq!(location(&r), "/onboarding", "{hostile} is not followed");
    }
    let form = login(&format!("/verify-email?token={token}"));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post(LogIn::PATH, "/login", &form).await;
    assert_eq!(location(&r), format!("/verify-email?token={token}"));
    let r = b
        .post(VerifyEmail::PATH, "/verify-email", &[("token", &token)])
        .await;
    assert_eq!(location(&r), "/verify-email?verified=1");
}
