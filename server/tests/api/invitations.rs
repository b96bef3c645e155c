use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn invite_preview_and_accept_exactly_once() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}/invitations", t.company);
    let rep = app.access_id("sales_rep").await;
    let r = app
        .post(
            &base,
            Some(&t.admin),
            json!({"email": " New@Acme.test ", "access_id": rep}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let inv = r.body["invitation"].clone();
    for key in [
        "id",
        "code",
        "email",
        "company_id",
        "access",
        "status",
        "expires_at",
    ] {
        assert!(inv.get(key).is_some(), "invitation has {key}");
    }
    assert_eq!(inv["email"], "new@acme.test");
    assert_eq!(inv["status"], "pending");
    assert_eq!(inv["access"]["key"], "sales_rep");
    assert!(
        inv["code"].is_null(),
        "the code is for the mail's recipient alone"
    );
    let code = app.mailed_token("new@acme.test", "/invitations/").await;
    assert!(code.len() >= 32, "at least 128 bits");
    let stored: String = sqlx::query_scalar("SELECT code FROM invitations WHERE id = $1")
        .bind(inv["id"].as_i64().unwrap())
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, leadsy::secret::digest(&code), "kept as a digest");

    app.post(
        &base,
        Some(&t.admin),
        json!({"email": "new@acme.test", "access_id": rep}),
    )
    .await
    .assert_error(409, "INVITATION_ALREADY_PENDING");
    app.post(
        &base,
        Some(&t.admin),
        json!({"email": "rep1@acme.test", "access_id": rep}),
    )
    .await
    .assert_error(409, "ALREADY_A_MEMBER");
    app.post(
        &base,
        Some(&t.admin),
        json!({"email": "nope", "access_id": rep}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.post(
        &base,
        Some(&t.admin),
        json!({"email": "x@acme.test", "access_id": 999}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.post(
        &base,
        Some(&t.manager),
        json!({"email": "x@acme.test", "access_id": rep}),
    )
    .await
    .assert_error(403, "FORBIDDEN");
    app.post(
        &base,
        Some(&t.outsider),
        json!({"email": "x@acme.test", "access_id": rep}),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.post(
        &base,
        None,
        json!({"email": "x@acme.test", "access_id": rep}),
    )
    .await
    .assert_error(401, "UNAUTHORIZED");

    let listed = app.get(&base, Some(&t.admin)).await;
    assert_eq!(listed.body["meta"]["total"], 1);
    app.get(&base, Some(&t.manager))
        .await
        .assert_error(403, "FORBIDDEN");
    app.get(&base, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&base, None).await.assert_error(401, "UNAUTHORIZED");

    let preview = app.get(&format!("/api/v1/invitations/{code}"), None).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(preview.body["invitation"]["company_name"], "Acme");
    assert_eq!(preview.body["invitation"]["email"], "new@acme.test");
    assert!(
        preview.body["invitation"].get("company_id").is_none(),
        "only what the invitee needs"
    );
    app.get("/api/v1/invitations/not-a-code", None)
        .await
        .assert_error(404, "NOT_FOUND");

    let (_, stranger) = app.user("someone@else.test").await;
    app.post(
        &format!("/api/v1/invitations/{code}/accept"),
        Some(&stranger),
        json!({}),
    )
    .await
    .assert_error(403, "FORBIDDEN");
    app.post(
        &format!("/api/v1/invitations/{code}/accept"),
        None,
        json!({}),
    )
    .await
    .assert_error(401, "UNAUTHORIZED");
    let (new_id, invitee) = app.user("new@acme.test").await;
    let mine = app
        .get("/api/v1/invitations?email=new@acme.test", Some(&invitee))
        .await;
    assert_eq!(mine.body["invitations"][0]["id"], inv["id"]);
    assert!(mine.body["invitations"][0]["code"].is_null());
    app.get("/api/v1/invitations?email=rep1@acme.test", Some(&invitee))
        .await
        .assert_error(403, "FORBIDDEN");
    app.get("/api/v1/invitations?email=new@acme.test", None)
        .await
        .assert_error(401, "UNAUTHORIZED");

    let r = app
        .post(
            &format!("/api/v1/invitations/{code}/accept"),
            Some(&invitee),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["user_access"]["user_id"], new_id);
    assert_eq!(r.body["user_access"]["company_id"], t.company);
    assert_eq!(r.body["user_access"]["access"]["key"], "sales_rep");
    app.post(
        &format!("/api/v1/invitations/{code}/accept"),
        Some(&invitee),
        json!({}),
    )
    .await
    .assert_error(422, "INVITATION_ALREADY_USED");
    assert_eq!(
        app.get(&format!("/api/v1/invitations/{code}"), None)
            .await
            .body["invitation"]["status"],
        "accepted"
    );
    let members = app
        .get(
            &format!("/api/v1/companies/{}/users", t.company),
            Some(&invitee),
        )
        .await;
    assert_eq!(
        members.status,
        StatusCode::OK,
        "the new member sees the company"
    );
    assert_eq!(
        app.get(&base, Some(&t.admin)).await.body["meta"]["total"],
        0
    );
}

#[tokio::test]
async fn revoked_and_expired_codes_say_so() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}/invitations", t.company);
    let manager = app.access_id("manager").await;
    let invite = |email: &'static str| {
        let (app, base, admin) = (&app, &base, &t.admin);
        async move {
            let r = app
                .post(
                    base,
                    Some(admin),
                    json!({"email": email, "access_id": manager}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            (
                r.body["invitation"]["id"].as_i64().unwrap(),
                app.mailed_token(email, "/invitations/").await,
            )
        }
    };
    let (revoked_id, revoked) = invite("gone@acme.test").await;
    app.delete(&format!("{base}/{revoked_id}"), Some(&t.manager))
        .await
        .assert_error(403, "FORBIDDEN");
    app.delete(&format!("{base}/{revoked_id}"), Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.delete(&format!("{base}/{revoked_id}"), None)
        .await
        .assert_error(401, "UNAUTHORIZED");
    assert_eq!(
        app.delete(&format!("{base}/{revoked_id}"), Some(&t.admin))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    app.delete(&format!("{base}/{revoked_id}"), Some(&t.admin))
        .await
        .assert_error(422, "INVITATION_NOT_PENDING");
    let (_, gone) = app.user("gone@acme.test").await;
    app.post(
        &format!("/api/v1/invitations/{revoked}/accept"),
        Some(&gone),
        json!({}),
    )
    .await
    .assert_error(422, "INVITATION_REVOKED");
    assert_eq!(
        app.get(&format!("/api/v1/invitations/{revoked}"), None)
            .await
            .body["invitation"]["status"],
        "revoked"
    );

    let (_, late) = invite("late@acme.test").await;
    sqlx::query("UPDATE invitations SET expires_at = 0 WHERE code = $1")
        .bind(leadsy::secret::digest(&late))
        .execute(&app.state.ctx.db.pool)
        .await
        .unwrap();
    let preview = app.get(&format!("/api/v1/invitations/{late}"), None).await;
    assert_eq!(preview.body["invitation"]["expired"], true);
    let (_, late_user) = app.user("late@acme.test").await;
    app.post(
        &format!("/api/v1/invitations/{late}/accept"),
        Some(&late_user),
        json!({}),
    )
    .await
    .assert_error(422, "INVITATION_EXPIRED");
}

#[tokio::test]
async fn pending_invitations_take_seats() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}/invitations", t.company);
    let rep = app.access_id("sales_rep").await;
    // Four members on the Starter plan already: six invitations fill the ten seats.
    for i in 0..6 {
        let r = app
            .post(
                &base,
                Some(&t.admin),
                json!({"email": format!("seat{i}@acme.test"), "access_id": rep}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let r = app
        .post(
            &base,
            Some(&t.admin),
            json!({"email": "one-too-many@acme.test", "access_id": rep}),
        )
        .await;
    r.assert_error(422, "SEAT_LIMIT_REACHED");
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("upgrade"));
    let first = app.get(&base, Some(&t.admin)).await.body["invitations"][0]["id"].clone();
    app.delete(&format!("{base}/{first}"), Some(&t.admin)).await;
    let r = app
        .post(
            &base,
            Some(&t.admin),
            json!({"email": "one-too-many@acme.test", "access_id": rep}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "a revoked invitation frees its seat: {}",
        r.body
    );
}
