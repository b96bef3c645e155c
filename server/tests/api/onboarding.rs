use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn terms_then_finish_gives_the_published_shape() {
    let app = TestApp::spawn().await;
    let (ana, t) = app.user("ana@example.com").await;
    let current = app.get("/api/v1/legal_terms/current", None).await;
    let term_id = current.body["legal_term"]["id"].as_i64().unwrap();

    let early = app
        .put(
            &format!("/api/v1/users/{ana}/onboarding/finish"),
            Some(&t),
            json!({"onboarding_completed": true}),
        )
        .await;
    early.assert_error(422, "TERMS_NOT_SIGNED");

    let r = app
        .put(
            &format!("/api/v1/users/{ana}/onboarding/terms"),
            Some(&t),
            json!({"legal_term_id": term_id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let terms = &r.body["user_onboarding"]["terms_and_conditions"];
    assert_eq!(terms["signed"], true);
    assert_eq!(terms["latest_version"], true);

    let r = app
        .put(
            &format!("/api/v1/users/{ana}/onboarding/finish"),
            Some(&t),
            json!({"onboarding_completed": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let o = r.body["user_onboarding"].as_object().unwrap();
    let shape = format!(
        r#"{{"user_onboarding":{{"id":{ana},"onboarding_completed":true,"onboarding_completed_at":"{}","terms_and_conditions":{{"id":{term_id},"version":"2026-03","signed":true,"signed_at":"{}","latest_version":true}}}}}}"#,
        o["onboarding_completed_at"].as_str().unwrap(),
        o["terms_and_conditions"]["signed_at"].as_str().unwrap(),
    );
    assert_eq!(r.raw, shape, "byte for byte the published example's shape");
    let tc = o["terms_and_conditions"].as_object().unwrap();
    assert_eq!(o["id"], ana);
    assert_eq!(o["onboarding_completed"], true);
    let at = o["onboarding_completed_at"].as_str().unwrap();
    assert!(at.len() == 20 && at.ends_with('Z'), "{at}");
    assert_eq!(tc["id"], term_id);
    assert_eq!(tc["version"], "2026-03");
    assert!(tc["signed_at"].as_str().unwrap().ends_with('Z'));

    let me = app.get(&format!("/api/v1/users/{ana}"), Some(&t)).await;
    assert_eq!(me.body["user"]["onboarding_completed"], true);
}

#[tokio::test]
async fn a_newer_terms_version_must_be_signed_again() {
    let app = TestApp::spawn().await;
    let (ana, t) = app.user("ana@example.com").await;
    let old = app.get("/api/v1/legal_terms/current", None).await.body["legal_term"]["id"]
        .as_i64()
        .unwrap();
    app.put(
        &format!("/api/v1/users/{ana}/onboarding/terms"),
        Some(&t),
        json!({"legal_term_id": old}),
    )
    .await;
    let new = leadsy::legal::publish(
        &app.state.ctx,
        &leadsy::Actor::Operator,
        "2026-11",
        "Leadsy Terms of Service",
        "New terms.",
    )
    .await
    .unwrap();
    assert_eq!(
        app.get("/api/v1/legal_terms/current", None).await.body["legal_term"]["id"],
        new.id
    );

    app.put(
        &format!("/api/v1/users/{ana}/onboarding/finish"),
        Some(&t),
        json!({"onboarding_completed": true}),
    )
    .await
    .assert_error(422, "TERMS_NOT_SIGNED");
    app.put(
        &format!("/api/v1/users/{ana}/onboarding/terms"),
        Some(&t),
        json!({"legal_term_id": old}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    let r = app
        .put(
            &format!("/api/v1/users/{ana}/onboarding/terms"),
            Some(&t),
            json!({"legal_term_id": new.id}),
        )
        .await;
    assert_eq!(
        r.body["user_onboarding"]["terms_and_conditions"]["version"],
        "2026-11"
    );
    assert_eq!(
        r.body["user_onboarding"]["terms_and_conditions"]["latest_version"],
        true
    );
}

#[tokio::test]
async fn onboarding_routes_refuse_others_and_bad_input() {
    let app = TestApp::spawn().await;
    let (ana, ana_t) = app.user("ana@example.com").await;
    let (bob, bob_t) = app.user("bob@example.com").await;
    let (_, eve_t) = app.user("eve@example.com").await;
    let acme = app.company(&ana_t, "Acme").await;
    app.join(&ana_t, acme, bob, "manager").await;
    let finish = format!("/api/v1/users/{ana}/onboarding/finish");
    let terms = format!("/api/v1/users/{ana}/onboarding/terms");
    app.put(&finish, None, json!({"onboarding_completed": true}))
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.put(&finish, Some(&bob_t), json!({"onboarding_completed": true}))
        .await
        .assert_error(403, "FORBIDDEN");
    app.put(&finish, Some(&eve_t), json!({"onboarding_completed": true}))
        .await
        .assert_error(404, "NOT_FOUND");
    app.put(
        &finish,
        Some(&ana_t),
        json!({"onboarding_completed": "yes"}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.put(&terms, None, json!({"legal_term_id": 1}))
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.put(&terms, Some(&bob_t), json!({"legal_term_id": 1}))
        .await
        .assert_error(403, "FORBIDDEN");
    app.put(&terms, Some(&ana_t), json!({"legal_term_id": 999}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    app.put(&terms, Some(&ana_t), json!({}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
}
