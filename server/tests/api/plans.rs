//! Plans mean something: seats cap members and pending invitations, the lead limit
//! caps leads, a smaller plan must still hold the company, and a cancelled plan
//! lasts to the end of its period.

use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn seats_cap_members_added_directly_and_by_invitation() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user("admin@solo.test").await;
    let company = app.company(&admin, "Solo").await;
    for i in 0..2 {
        let (id, _) = app.user(&format!("m{i}@solo.test")).await;
        app.join(&admin, company, id, "sales_rep").await;
    }
    // Someone the admin already works with elsewhere, so adding them directly is allowed.
    let (fourth, _) = app.user("fourth@solo.test").await;
    let side = app.company(&admin, "Solo Side").await;
    app.join(&admin, side, fourth, "sales_rep").await;
    let rep = app.access_id("sales_rep").await;
    let add = |user: i64| {
        let admin = admin.clone();
        let app = &app;
        async move {
            app.post(
                &format!("/api/v1/users/{user}/user_accesses"),
                Some(&admin),
                json!({"company_id": company, "access_id": rep}),
            )
            .await
        }
    };
    let r = add(fourth).await;
    r.assert_error(422, "SEAT_LIMIT_REACHED");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Free plan has 3 seats"),
        "{}",
        r.body
    );
    app.post(
        &format!("/api/v1/companies/{company}/invitations"),
        Some(&admin),
        json!({"email": "late@solo.test", "access_id": rep}),
    )
    .await
    .assert_error(422, "SEAT_LIMIT_REACHED");
    app.subscribe(&admin, company, "starter").await;
    assert_eq!(add(fourth).await.status, StatusCode::CREATED);
    add(fourth)
        .await
        .assert_error(409, "USER_ACCESS_ALREADY_EXISTS");
}

#[tokio::test]
async fn the_lead_limit_caps_leads_with_a_way_to_upgrade() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    sqlx::query("UPDATE memberships SET lead_limit = 2 WHERE key = 'starter'")
        .execute(&app.state.ctx.db.pool)
        .await
        .unwrap();
    let body = |n: u32| json!({"first_name": format!("Lead{n}"), "last_name": "Kim", "company_name": "Initech"});
    app.lead(&t.admin, t.company, body(1)).await;
    app.lead(&t.manager, t.company, body(2)).await;
    let path = format!("/api/v1/companies/{}/leads", t.company);
    let r = app.post(&path, Some(&t.admin), body(3)).await;
    r.assert_error(422, "LEAD_LIMIT_REACHED");
    let message = r.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("Starter plan holds up to 2 leads") && message.contains("upgrade"),
        "{message}"
    );
    let total = app.get(&path, Some(&t.admin)).await;
    assert_eq!(total.body["meta"]["total"], 2, "nothing was written");
    // The other company has its own allowance.
    app.lead(&t.outsider, t.other_company, body(4)).await;
    app.subscribe(&t.admin, t.company, "growth").await;
    assert_eq!(
        app.post(&path, Some(&t.admin), body(3)).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_smaller_plan_must_hold_the_team() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let free: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE key = 'free'")
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    let path = format!("/api/v1/companies/{}/membership", t.company);
    let r = app
        .post(&path, Some(&t.admin), json!({"membership_id": free}))
        .await;
    r.assert_error(422, "PLAN_TOO_SMALL");
    let company = app
        .get(&format!("/api/v1/companies/{}", t.company), Some(&t.admin))
        .await;
    assert_eq!(company.body["company"]["membership"]["key"], "starter");
    app.post(&path, Some(&t.manager), json!({"membership_id": free}))
        .await
        .assert_error(403, "FORBIDDEN");
    app.post(&path, Some(&t.outsider), json!({"membership_id": free}))
        .await
        .assert_error(404, "NOT_FOUND");
    app.post(&path, None, json!({"membership_id": free}))
        .await
        .assert_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn a_cancelled_plan_lasts_to_the_end_of_its_period() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let path = format!("/api/v1/companies/{}/membership", t.company);
    app.delete(&path, Some(&t.manager))
        .await
        .assert_error(403, "FORBIDDEN");
    let r = app.delete(&path, Some(&t.admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let company = &r.body["company"];
    assert_eq!(company["membership"]["key"], "starter", "still active");
    assert!(company["membership_cancelled_at"].is_string());
    assert!(company["membership_period_ends_at"].is_string());
    app.delete(&path, Some(&t.admin))
        .await
        .assert_error(422, "NO_ACTIVE_MEMBERSHIP");
    // The seats of the plan still count until the period ends…
    let rep = app.access_id("sales_rep").await;
    let invitations = format!("/api/v1/companies/{}/invitations", t.company);
    let invite = |email: &str| {
        app.post(
            &invitations,
            Some(&t.admin),
            json!({"email": email, "access_id": rep}),
        )
    };
    assert_eq!(invite("before@acme.test").await.status, StatusCode::CREATED);
    // …and once it has, the company is back on the free plan's limits.
    sqlx::query("UPDATE companies SET membership_period_ends_at = 1 WHERE id = $1")
        .bind(t.company)
        .execute(&app.state.ctx.db.pool)
        .await
        .unwrap();
    let company = app
        .get(&format!("/api/v1/companies/{}", t.company), Some(&t.admin))
        .await;
    assert!(
        company.body["company"]["membership"].is_null(),
        "{}",
        company.body
    );
    invite("after@acme.test")
        .await
        .assert_error(422, "SEAT_LIMIT_REACHED");
}

#[tokio::test]
async fn rename_a_company() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let path = format!("/api/v1/companies/{}", t.company);
    let r = app
        .put(&path, Some(&t.admin), json!({"name": "  Acme   Rockets "}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["company"]["name"], "Acme Rockets");
    app.put(&path, None, json!({"name": "X Co"}))
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.put(&path, Some(&t.manager), json!({"name": "Manager Co"}))
        .await
        .assert_error(403, "FORBIDDEN");
    app.put(&path, Some(&t.outsider), json!({"name": "Mine Now"}))
        .await
        .assert_error(404, "NOT_FOUND");
    app.put(&path, Some(&t.admin), json!({"name": "GLOBEX"}))
        .await
        .assert_error(409, "COMPANY_NAME_ALREADY_REGISTERED");
    let r = app.put(&path, Some(&t.admin), json!({"name": " "})).await;
    r.assert_error(422, "VALIDATION_FAILED");
    assert!(r.body["error"]["fields"]["name"].is_array());
    let still = app.get(&path, Some(&t.admin)).await;
    assert_eq!(still.body["company"]["name"], "Acme Rockets");
}
