use crate::support::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};

async fn onboard(app: &TestApp, token: &str, body: Value) -> crate::support::Reply {
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/global/users/onboard")
        .header("token", token)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn onboard_creates_everything_in_one_call() {
    let app = TestApp::spawn().await;
    let token = app.platform_token().await;
    let r = onboard(
        &app,
        &token,
        json!({"email_id": "ceo@acme.io", "first_name": "Cleo", "last_name": "Ray", "company_name": "Acme"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["message"], "User onboarded successfully");
    let d = &r.body["data"];
    for f in ["registration_id", "user_id", "company_id", "workspace_id"] {
        assert!(d[f].as_i64().unwrap() > 0, "{f}");
    }
    let salt = d["customer_salt"].as_str().unwrap();
    assert_eq!(salt.len(), 12);
    assert!(salt.chars().all(|c| c.is_ascii_digit()));
    let credit: i64 = sqlx::query_scalar("SELECT credit_minutes FROM workspaces WHERE id = $1")
        .bind(d["workspace_id"].as_i64().unwrap())
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    assert_eq!(credit, 20);

    let aliases = onboard(
        &app,
        &token,
        json!({"email": "boss@globex.io", "firstName": "Gus", "lastName": "Lee", "companyName": "Globex"}),
    )
    .await;
    assert_eq!(aliases.status, StatusCode::OK, "{}", aliases.body);
}

#[tokio::test]
async fn onboard_names_each_conflict_and_writes_nothing_on_failure() {
    let app = TestApp::spawn().await;
    let token = app.platform_token().await;
    let ok = json!({"email_id": "ceo@acme.io", "first_name": "Cleo", "last_name": "Ray", "company_name": "Acme"});
    assert_eq!(onboard(&app, &token, ok).await.status, StatusCode::OK);
    let users_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();

    onboard(&app, &token, json!({"email_id": "ceo@acme.io", "first_name": "A", "last_name": "B", "company_name": "New Co"}))
        .await
        .assert_error(409, "EMAIL_ALREADY_REGISTERED");
    onboard(&app, &token, json!({"email_id": "x@new.io", "first_name": "A", "last_name": "B", "company_name": "ACME"}))
        .await
        .assert_error(409, "WORKFLOW_NAME_ALREADY_REGISTERED");
    onboard(&app, &token, json!({"email_id": "cfo@acme.io", "first_name": "A", "last_name": "B", "company_name": "Acme Two"}))
        .await
        .assert_error(409, "COMPANY_DOMAIN_ALREADY_REGISTERED");
    onboard(&app, &token, json!({"email_id": "me@gmail.com", "first_name": "A", "last_name": "B", "company_name": "Free"}))
        .await
        .assert_error(422, "RESTRICTED_EMAIL_DOMAIN");
    let r = onboard(&app, &token, json!({"email_id": "bad", "first_name": "A"})).await;
    r.assert_error(422, "VALIDATION_FAILED");
    for f in ["email_id", "last_name", "company_name"] {
        assert!(r.body["error"]["fields"][f].is_array(), "{f}: {}", r.body);
    }
    onboard(&app, &token, json!({"email_id": 5}))
        .await
        .assert_error(422, "VALIDATION_FAILED");

    let users_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    assert_eq!(
        users_before, users_after,
        "failed onboardings leave no user behind"
    );
}

#[tokio::test]
async fn platform_tokens_are_required_and_revocable() {
    let app = TestApp::spawn().await;
    let body = json!({"email_id": "ceo@acme.io", "first_name": "Cleo", "last_name": "Ray", "company_name": "Acme"});
    onboard(&app, "lds_pt_wrong", body.clone())
        .await
        .assert_error(401, "UNAUTHORIZED");
    let (_, jwt) = app.user("ana@example.com").await;
    onboard(&app, &jwt, body.clone())
        .await
        .assert_error(401, "UNAUTHORIZED");
    let r = app
        .post("/api/v1/global/users/onboard", None, body.clone())
        .await;
    r.assert_error(401, "UNAUTHORIZED");

    let (made, secret) =
        leadsy::global::create_platform_token(&app.state.ctx, &leadsy::Actor::Operator, "partner")
            .await
            .unwrap();
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM platform_tokens WHERE id = $1")
        .bind(made.id)
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    assert_ne!(stored, secret, "stored hashed");
    let bearer = app
        .post("/api/v1/global/users/onboard", Some(&secret), body.clone())
        .await;
    assert_eq!(
        bearer.status,
        StatusCode::OK,
        "Authorization works too: {}",
        bearer.body
    );
    leadsy::global::revoke_platform_token(&app.state.ctx, &leadsy::Actor::Operator, made.id)
        .await
        .unwrap();
    onboard(&app, &secret, body)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn customer_keys_act_as_the_customer_admin_and_can_be_revoked() {
    let app = TestApp::spawn().await;
    let token = app.platform_token().await;
    let r = onboard(
        &app,
        &token,
        json!({"email_id": "ceo@acme.io", "first_name": "Cleo", "last_name": "Ray", "company_name": "Acme"}),
    )
    .await;
    let salt = r.body["data"]["customer_salt"]
        .as_str()
        .unwrap()
        .to_string();
    let company = r.body["data"]["company_id"].as_i64().unwrap();

    let call = |body: Value| {
        Request::builder()
            .method("POST")
            .uri("/api/v1/global/users/gettokenbycustomerid")
            .header("token", token.clone())
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let k = app
        .send(call(
            json!({"customer_id": salt, "name": "CRM sync", "expiration_days": 30}),
        ))
        .await;
    assert_eq!(k.status, StatusCode::OK, "{}", k.body);
    assert_eq!(k.body["customerid"], salt.as_str());
    assert_eq!(k.body["name"], "CRM sync");
    assert!(k.body["expires"].as_i64().unwrap() > 0);
    let key = k.body["customer_api_key"].as_str().unwrap().to_string();

    let forever = app.send(call(json!({"customerid": salt}))).await;
    assert!(forever.body["expires"].is_null());
    assert_ne!(
        forever.body["customer_api_key"],
        key.as_str(),
        "each call makes a new key"
    );
    let alias = app.send(call(json!({"customer_salt": salt}))).await;
    assert_eq!(alias.status, StatusCode::OK);

    let c = app
        .get(&format!("/api/v1/companies/{company}"), Some(&key))
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);

    app.send(call(json!({"customer_id": "000000000000"})))
        .await
        .assert_error(404, "CUSTOMER_ID_NOT_FOUND");
    app.send(call(json!({})))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    app.send(call(json!({"customer_id": salt, "expiration_days": 0})))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    let no_token = app
        .post(
            "/api/v1/global/users/gettokenbycustomerid",
            None,
            json!({"customer_id": salt}),
        )
        .await;
    no_token.assert_error(401, "UNAUTHORIZED");

    let keys = leadsy::global::list_customer_keys(&app.state.ctx, &leadsy::Actor::Operator, &salt)
        .await
        .unwrap();
    assert_eq!(keys.len(), 3);
    leadsy::global::revoke_customer_key(&app.state.ctx, &leadsy::Actor::Operator, keys[0].id)
        .await
        .unwrap();
    app.get(&format!("/api/v1/companies/{company}"), Some(&key))
        .await
        .assert_error(401, "UNAUTHORIZED");

    let user = r.body["data"]["user_id"].as_i64().unwrap();
    let live_key = forever.body["customer_api_key"].as_str().unwrap();
    app.get(&format!("/api/v1/users/{user}/providers"), Some(live_key))
        .await
        .assert_error(403, "CUSTOMER_KEY_COMPANY_ONLY");
    let providers =
        leadsy::users::providers(&app.state.ctx, &leadsy::Actor::User { user_id: user }, user)
            .await
            .unwrap();
    assert_eq!(providers[0].provider, "api_token");
}
