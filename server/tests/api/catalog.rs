use crate::support::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn stages_are_ordered_and_need_a_token() {
    let app = TestApp::spawn().await;
    let (_, t) = app.user("ana@example.com").await;
    let r = app.get("/api/v1/stages", Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK);
    let stages = r.body["stages"].as_array().unwrap();
    let keys: Vec<&str> = stages.iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "new",
            "contacted",
            "qualified",
            "appointment_set",
            "proposal",
            "won",
            "lost"
        ]
    );
    assert_eq!(stages[5]["kind"], "won");
    assert_eq!(stages[0]["position"], 1);
    app.get("/api/v1/stages", None)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn memberships_and_legal_terms_are_public() {
    let app = TestApp::spawn().await;
    let r = app.get("/api/v1/memberships", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let m = &r.body["memberships"][0];
    for field in [
        "id",
        "key",
        "name",
        "price_cents",
        "interval",
        "seat_limit",
        "lead_limit",
    ] {
        assert!(!m[field].is_null(), "{field} in {m}");
    }
    let id = m["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/memberships/{id}"), None)
            .await
            .body["membership"]["id"],
        id
    );
    app.get("/api/v1/memberships/999", None)
        .await
        .assert_error(404, "NOT_FOUND");

    let current = app.get("/api/v1/legal_terms/current", None).await;
    let t = &current.body["legal_term"];
    for field in ["id", "version", "title", "body", "published_at"] {
        assert!(!t[field].is_null(), "{field} in {t}");
    }
    let id = t["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/legal_terms/{id}"), None)
            .await
            .body["legal_term"]["id"],
        id
    );
    app.get("/api/v1/legal_terms/999", None)
        .await
        .assert_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn unknown_routes_answer_with_the_envelope() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/nothing-here", None)
        .await
        .assert_error(404, "NOT_FOUND");
}
