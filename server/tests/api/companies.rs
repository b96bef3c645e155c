use crate::support::{multipart, TestApp, PNG};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn create_list_get_and_conflicts() {
    let app = TestApp::spawn().await;
    let (_, ana_t) = app.user("ana@example.com").await;
    let (_, eve_t) = app.user("eve@example.com").await;
    let r = app
        .post(
            "/api/v1/companies",
            Some(&ana_t),
            json!({"name": "  Acme   Sales "}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c = &r.body["company"];
    assert_eq!(c["name"], "Acme Sales");
    assert_eq!(c["cycles_enabled"], false);
    assert!(c["membership"].is_null());
    assert!(c["avatar_url"].is_null());
    let id = c["id"].as_i64().unwrap();

    app.post(
        "/api/v1/companies",
        Some(&eve_t),
        json!({"name": "acme sales"}),
    )
    .await
    .assert_error(409, "COMPANY_NAME_ALREADY_REGISTERED");
    app.post("/api/v1/companies", Some(&eve_t), json!({"name": ""}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    app.post("/api/v1/companies", None, json!({"name": "Nope"}))
        .await
        .assert_error(401, "UNAUTHORIZED");

    let list = app.get("/api/v1/companies", Some(&ana_t)).await;
    assert_eq!(list.body["companies"][0]["id"], id);
    assert_eq!(list.body["meta"]["total"], 1);
    assert_eq!(
        app.get("/api/v1/companies", Some(&eve_t)).await.body["meta"]["total"],
        0
    );
    app.get("/api/v1/companies", None)
        .await
        .assert_error(401, "UNAUTHORIZED");

    assert_eq!(
        app.get(&format!("/api/v1/companies/{id}"), Some(&ana_t))
            .await
            .status,
        StatusCode::OK
    );
    app.get(&format!("/api/v1/companies/{id}"), Some(&eve_t))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&format!("/api/v1/companies/{id}"), None)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.get("/api/v1/companies/99999", Some(&ana_t))
        .await
        .assert_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn company_users_and_avatar_follow_roles() {
    let app = TestApp::spawn().await;
    let (_, ana_t) = app.user("ana@example.com").await;
    let (bob, bob_t) = app.user("bob@example.com").await;
    let (_, eve_t) = app.user("eve@example.com").await;
    let acme = app.company(&ana_t, "Acme").await;
    app.join(&ana_t, acme, bob, "sales_rep").await;

    let r = app
        .get(&format!("/api/v1/companies/{acme}/users"), Some(&bob_t))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let users = r.body["users"].as_array().unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(users[0]["access"]["key"], "admin");
    assert_eq!(users[1]["access"]["key"], "sales_rep");
    assert!(users[1]["user_access_id"].is_i64());
    app.get(&format!("/api/v1/companies/{acme}/users"), Some(&eve_t))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&format!("/api/v1/companies/{acme}/users"), None)
        .await
        .assert_error(401, "UNAUTHORIZED");

    let path = format!("/api/v1/companies/{acme}/avatar");
    let r = app
        .send(multipart(&path, Method::PUT, Some(&ana_t), "logo.png", PNG))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["company"]["avatar_url"]
        .as_str()
        .unwrap()
        .contains("/files/avatars/companies/"));
    app.send(multipart(&path, Method::PUT, Some(&bob_t), "logo.png", PNG))
        .await
        .assert_error(403, "FORBIDDEN");
    app.send(multipart(&path, Method::PUT, Some(&eve_t), "logo.png", PNG))
        .await
        .assert_error(404, "NOT_FOUND");
    app.send(multipart(
        &path,
        Method::PUT,
        Some(&ana_t),
        "logo.gif",
        b"GIF89a......",
    ))
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.delete(&path, Some(&bob_t))
        .await
        .assert_error(403, "FORBIDDEN");
    app.delete(&path, None)
        .await
        .assert_error(401, "UNAUTHORIZED");
    assert_eq!(
        app.delete(&path, Some(&ana_t)).await.status,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn memberships_attach_and_cancel() {
    let app = TestApp::spawn().await;
    let (_, ana_t) = app.user("ana@example.com").await;
    let (bob, bob_t) = app.user("bob@example.com").await;
    let acme = app.company(&ana_t, "Acme").await;
    app.join(&ana_t, acme, bob, "manager").await;
    let plans = app.get("/api/v1/memberships", None).await;
    let starter = plans.body["memberships"][1]["id"].as_i64().unwrap();
    let path = format!("/api/v1/companies/{acme}/membership");

    let r = app
        .post(&path, Some(&ana_t), json!({"membership_id": starter}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["company"]["membership"]["key"], "starter");
    app.post(&path, Some(&bob_t), json!({"membership_id": starter}))
        .await
        .assert_error(403, "FORBIDDEN");
    app.post(&path, Some(&ana_t), json!({"membership_id": 999}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    app.post(&path, None, json!({"membership_id": starter}))
        .await
        .assert_error(401, "UNAUTHORIZED");

    let r = app.delete(&path, Some(&ana_t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["company"]["membership"]["key"], "starter",
        "active until the period ends"
    );
    assert!(r.body["company"]["membership_cancelled_at"].is_string());
    assert!(r.body["company"]["membership_period_ends_at"].is_string());
    app.delete(&path, Some(&ana_t))
        .await
        .assert_error(422, "NO_ACTIVE_MEMBERSHIP");
}
