use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn accesses_are_listed_and_fetched() {
    let app = TestApp::spawn().await;
    let (_, t) = app.user("ana@example.com").await;
    let r = app.get("/api/v1/accesses", Some(&t)).await;
    let keys: Vec<&str> = r.body["accesses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["admin", "manager", "sales_rep"]);
    assert!(
        r.body["accesses"][0]["permissions"]
            .as_array()
            .unwrap()
            .len()
            > 1
    );
    let id = r.body["accesses"][1]["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/accesses/{id}"), Some(&t))
            .await
            .body["access"]["key"],
        "manager"
    );
    app.get("/api/v1/accesses/999", Some(&t))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get("/api/v1/accesses", None)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.get(&format!("/api/v1/accesses/{id}"), None)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn user_accesses_follow_roles_and_keep_an_admin() {
    let app = TestApp::spawn().await;
    let (ana, ana_t) = app.user("ana@example.com").await;
    let (bob, bob_t) = app.user("bob@example.com").await;
    let (carl, _) = app.user("carl@example.com").await;
    let (eve, eve_t) = app.user("eve@example.com").await;
    let acme = app.company(&ana_t, "Acme").await;
    let other = app.company(&eve_t, "Other").await;
    let manager = app.access_id("manager").await;
    let rep = app.access_id("sales_rep").await;
    let admin = app.access_id("admin").await;

    let bob_ua = app.join(&ana_t, acme, bob, "manager").await;
    let create = format!("/api/v1/users/{carl}/user_accesses");
    app.post(
        &create,
        Some(&bob_t),
        json!({"company_id": acme, "access_id": rep}),
    )
    .await
    .assert_error(403, "FORBIDDEN");
    app.post(
        &create,
        Some(&ana_t),
        json!({"company_id": other, "access_id": rep}),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.post(&create, None, json!({"company_id": acme, "access_id": rep}))
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.post(
        &create,
        Some(&ana_t),
        json!({"company_id": acme, "access_id": rep}),
    )
    .await
    .assert_error(404, "USER_NOT_FOUND");
    let bobs = format!("/api/v1/users/{bob}/user_accesses");
    app.post(
        &bobs,
        Some(&ana_t),
        json!({"company_id": acme, "access_id": 999}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.post(&bobs, Some(&ana_t), json!({"company_id": acme}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    app.post(
        &format!("/api/v1/users/{bob}/user_accesses"),
        Some(&ana_t),
        json!({"company_id": acme, "access_id": rep}),
    )
    .await
    .assert_error(409, "USER_ACCESS_ALREADY_EXISTS");

    let list = app
        .get(&format!("/api/v1/users/{bob}/user_accesses"), Some(&ana_t))
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["user_accesses"][0]["access"]["key"], "manager");
    assert_eq!(list.body["user_accesses"][0]["company_id"], acme);
    app.get(&format!("/api/v1/users/{bob}/user_accesses"), Some(&eve_t))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&format!("/api/v1/users/{bob}/user_accesses"), None)
        .await
        .assert_error(401, "UNAUTHORIZED");

    let one = format!("/api/v1/users/{bob}/user_accesses/{bob_ua}");
    let r = app.put(&one, Some(&ana_t), json!({"access_id": rep})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["user_access"]["access"]["key"], "sales_rep");
    app.put(&one, Some(&bob_t), json!({"access_id": manager}))
        .await
        .assert_error(403, "FORBIDDEN");
    app.put(&one, Some(&eve_t), json!({"access_id": manager}))
        .await
        .assert_error(404, "NOT_FOUND");
    app.put(&one, None, json!({"access_id": manager}))
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.put(&one, Some(&ana_t), json!({"access_id": "x"}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    app.put(
        &format!("/api/v1/users/{eve}/user_accesses/{bob_ua}"),
        Some(&ana_t),
        json!({"access_id": manager}),
    )
    .await
    .assert_error(404, "NOT_FOUND");

    let ana_ua = app
        .get(&format!("/api/v1/users/{ana}/user_accesses"), Some(&ana_t))
        .await
        .body["user_accesses"][0]["id"]
        .as_i64()
        .unwrap();
    let ana_one = format!("/api/v1/users/{ana}/user_accesses/{ana_ua}");
    app.put(&ana_one, Some(&ana_t), json!({"access_id": manager}))
        .await
        .assert_error(422, "LAST_ADMIN");
    app.delete(&ana_one, Some(&ana_t))
        .await
        .assert_error(422, "LAST_ADMIN");

    app.put(&one, Some(&ana_t), json!({"access_id": admin}))
        .await;
    assert_eq!(
        app.delete(&ana_one, Some(&ana_t)).await.status,
        StatusCode::NO_CONTENT
    );
    app.get(&format!("/api/v1/companies/{acme}"), Some(&ana_t))
        .await
        .assert_error(404, "NOT_FOUND");
    app.delete(&one, None)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.delete(&one, Some(&eve_t))
        .await
        .assert_error(404, "NOT_FOUND");
}
