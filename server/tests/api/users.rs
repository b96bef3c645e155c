use crate::support::{multipart, TestApp, PNG};
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn sign_up_returns_user_and_token_and_refuses_duplicates() {
    let app = TestApp::spawn().await;
    let r = app
        .post(
            "/api/v1/users",
            None,
            json!({"email": " Ana@Example.com ", "password": "correct horse battery", "first_name": "Ana", "last_name": "Lima"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let user = &r.body["user"];
    assert_eq!(user["email"], "ana@example.com");
    assert_eq!(user["first_name"], "Ana");
    assert_eq!(user["onboarding_completed"], false);
    assert!(user["avatar_url"].is_null());
    assert!(user["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(user.get("password_hash").is_none());
    assert!(r.body["token"].as_str().unwrap().len() > 20);

    app.post(
        "/api/v1/users",
        None,
        json!({"email": "ana@example.com", "password": "another password"}),
    )
    .await
    .assert_error(409, "EMAIL_ALREADY_REGISTERED");
}

#[tokio::test]
async fn sign_up_validates_fields_and_body() {
    let app = TestApp::spawn().await;
    let r = app
        .post(
            "/api/v1/users",
            None,
            json!({"email": "nope", "password": "short"}),
        )
        .await;
    r.assert_error(422, "VALIDATION_FAILED");
    assert!(r.body["error"]["fields"]["email"].is_array());
    assert!(r.body["error"]["fields"]["password"].is_array());

    let long = "p".repeat(129);
    let r = app
        .post(
            "/api/v1/users",
            None,
            json!({"email": "a@b.co", "password": long}),
        )
        .await;
    r.assert_error(422, "VALIDATION_FAILED");

    let r = app
        .post(
            "/api/v1/users",
            None,
            json!({"email": "a@b.co", "password": "long enough!", "is_admin": true}),
        )
        .await;
    r.assert_error(422, "VALIDATION_FAILED");
    assert!(
        r.body["error"]["fields"]["is_admin"].is_array(),
        "{}",
        r.body
    );

    let r = app
        .post(
            "/api/v1/users",
            None,
            json!({"email": 5, "password": "long enough!"}),
        )
        .await;
    r.assert_error(422, "VALIDATION_FAILED");
    assert!(r.body["error"]["fields"]["email"].is_array(), "{}", r.body);

    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/users")
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{\"email\": "))
        .unwrap();
    app.send(req).await.assert_error(400, "BAD_REQUEST");

    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing is written on bad input");
}

#[tokio::test]
async fn login_answers_the_same_for_wrong_password_and_unknown_email() {
    let app = TestApp::spawn().await;
    let (id, _) = app.user("ana@example.com").await;
    let ok = app
        .post(
            "/api/v1/users/login",
            None,
            json!({"email": "ANA@example.com", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body["user"]["id"], id);
    let wrong = app
        .post(
            "/api/v1/users/login",
            None,
            json!({"email": "ana@example.com", "password": "wrong password"}),
        )
        .await;
    wrong.assert_error(401, "UNAUTHORIZED");
    let unknown = app
        .post(
            "/api/v1/users/login",
            None,
            json!({"email": "bob@example.com", "password": "wrong password"}),
        )
        .await;
    unknown.assert_error(401, "UNAUTHORIZED");
    assert_eq!(wrong.body, unknown.body);
}

#[tokio::test]
async fn validate_jwt_accepts_bearer_and_bare_tokens_only_when_valid() {
    let app = TestApp::spawn().await;
    let (id, token) = app.user("ana@example.com").await;
    let r = app.get("/api/v1/users/validate_jwt", Some(&token)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["valid"], true);
    assert_eq!(r.body["user_id"], id);
    assert!(r.body["expires_at"].is_string());

    let bare = axum::http::Request::builder()
        .uri("/api/v1/users/validate_jwt")
        .header("authorization", token.clone())
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(app.send(bare).await.status, StatusCode::OK);

    app.get("/api/v1/users/validate_jwt", None)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.get("/api/v1/users/validate_jwt", Some("not.a.jwt"))
        .await
        .assert_error(401, "UNAUTHORIZED");
    let mut forged = token.clone();
    forged.pop();
    forged.push('x');
    app.get("/api/v1/users/validate_jwt", Some(&forged))
        .await
        .assert_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn users_are_visible_only_within_shared_companies() {
    let app = TestApp::spawn().await;
    let (ana, ana_t) = app.user("ana@example.com").await;
    let (bob, bob_t) = app.user("bob@example.com").await;
    let (carl, _) = app.user("carl@other.com").await;
    let acme = app.company(&ana_t, "Acme").await;
    app.join(&ana_t, acme, bob, "sales_rep").await;

    let r = app.get("/api/v1/users", Some(&bob_t)).await;
    assert_eq!(r.status, StatusCode::OK);
    let ids: Vec<i64> = r.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![ana, bob]);
    assert_eq!(
        r.body["meta"],
        json!({"page": 1, "per_page": 25, "total": 2})
    );
    let r = app
        .get("/api/v1/users?per_page=1000&page=1", Some(&bob_t))
        .await;
    assert_eq!(r.body["meta"]["per_page"], 100);

    assert_eq!(
        app.get(&format!("/api/v1/users/{ana}"), Some(&bob_t))
            .await
            .status,
        StatusCode::OK
    );
    app.get(&format!("/api/v1/users/{carl}"), Some(&bob_t))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get("/api/v1/users/abc", Some(&bob_t))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&format!("/api/v1/users/{ana}"), None)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.get("/api/v1/users", None)
        .await
        .assert_error(401, "UNAUTHORIZED");

    let r = app
        .get(
            "/api/v1/users/find_by_email?email=ANA@example.com",
            Some(&bob_t),
        )
        .await;
    assert_eq!(r.body["user"]["id"], ana, "{}", r.body);
    app.get(
        "/api/v1/users/find_by_email?email=carl@other.com",
        Some(&bob_t),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.get("/api/v1/users/find_by_email?email=carl@other.com", None)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.get("/api/v1/users/find_by_email?email=bad", Some(&bob_t))
        .await
        .assert_error(422, "VALIDATION_FAILED");
}

#[tokio::test]
async fn users_update_only_themselves() {
    let app = TestApp::spawn().await;
    let (ana, ana_t) = app.user("ana@example.com").await;
    let (bob, bob_t) = app.user("bob@example.com").await;
    let (_, eve_t) = app.user("eve@example.com").await;
    let acme = app.company(&ana_t, "Acme").await;
    app.join(&ana_t, acme, bob, "manager").await;

    let r = app
        .put(
            &format!("/api/v1/users/{ana}"),
            Some(&ana_t),
            json!({"first_name": "Anna"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["user"]["first_name"], "Anna");
    assert_eq!(r.body["user"]["last_name"], "Lima");

    app.put(
        &format!("/api/v1/users/{ana}"),
        Some(&bob_t),
        json!({"first_name": "X"}),
    )
    .await
    .assert_error(403, "FORBIDDEN");
    app.put(
        &format!("/api/v1/users/{ana}"),
        Some(&eve_t),
        json!({"first_name": "X"}),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.put(
        &format!("/api/v1/users/{ana}"),
        None,
        json!({"first_name": "X"}),
    )
    .await
    .assert_error(401, "UNAUTHORIZED");
    app.put(
        &format!("/api/v1/users/{ana}"),
        Some(&ana_t),
        json!({"first_name": "  "}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    let r = app
        .put(
            &format!("/api/v1/users/{ana}"),
            Some(&ana_t),
            json!({"onboarding_completed_at": 1}),
        )
        .await;
    r.assert_error(422, "VALIDATION_FAILED");
    app.put(
        &format!("/api/v1/users/{ana}"),
        Some(&ana_t),
        json!({"email": "bob@example.com", "current_password": "correct horse battery"}),
    )
    .await
    .assert_error(409, "EMAIL_ALREADY_REGISTERED");
}

#[tokio::test]
async fn avatars_are_checked_stored_served_and_removed() {
    let app = TestApp::spawn().await;
    let (ana, ana_t) = app.user("ana@example.com").await;
    let (_, eve_t) = app.user("eve@example.com").await;
    let path = format!("/api/v1/users/{ana}/avatar");

    let r = app
        .send(multipart(&path, Method::PUT, Some(&ana_t), "me.png", PNG))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let url = r.body["user"]["avatar_url"].as_str().unwrap().to_string();
    assert!(url.contains("/files/avatars/users/"), "{url}");
    let served_path = url
        .split_once("/files/")
        .map(|(_, k)| format!("/files/{k}"))
        .unwrap();
    let served = app.get(&served_path, None).await;
    assert_eq!(served.status, StatusCode::OK);

    let r = app
        .send(multipart(
            &path,
            Method::PUT,
            Some(&ana_t),
            "evil.png",
            b"<svg onload=alert(1)>",
        ))
        .await;
    r.assert_error(422, "VALIDATION_FAILED");
    let big = vec![0u8; app.state.ctx.settings.max_avatar_bytes + 10];
    app.send(multipart(&path, Method::PUT, Some(&ana_t), "big.png", &big))
        .await
        .assert_error(413, "PAYLOAD_TOO_LARGE");
    app.send(multipart(&path, Method::PUT, None, "me.png", PNG))
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.send(multipart(&path, Method::PUT, Some(&eve_t), "me.png", PNG))
        .await
        .assert_error(404, "NOT_FOUND");

    assert_eq!(
        app.delete(&path, Some(&ana_t)).await.status,
        StatusCode::NO_CONTENT
    );
    let r = app.get(&format!("/api/v1/users/{ana}"), Some(&ana_t)).await;
    assert!(r.body["user"]["avatar_url"].is_null());
    assert_eq!(
        app.get(&served_path, None).await.status,
        StatusCode::NOT_FOUND
    );
    app.delete(&path, None)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn password_reset_is_mailed_single_use_and_silent_about_accounts() {
    let app = TestApp::spawn().await;
    app.user("ana@example.com").await;
    let r = app
        .post(
            "/api/v1/users/password_reset",
            None,
            json!({"email": "ana@example.com"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    let unknown = app
        .post(
            "/api/v1/users/password_reset",
            None,
            json!({"email": "nobody@example.com"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert_eq!(r.body, unknown.body);
    app.post(
        "/api/v1/users/password_reset",
        None,
        json!({"email": "not-an-email"}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");

    // The mail goes out after the answer; the outbox keeps it as sent
    // (quoted-printable, soft line breaks and all).
    let token = app
        .mailed_token("ana@example.com", "/password/reset?token=")
        .await;
    assert!(
        app.mails_to("nobody@example.com").is_empty(),
        "no mail for an unknown address"
    );
    assert_eq!(token.len(), 64);

    app.put(
        "/api/v1/users/password_reset",
        None,
        json!({"token": token, "password": "short"}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    let r = app
        .put(
            "/api/v1/users/password_reset",
            None,
            json!({"token": token, "password": "a brand new password"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    app.put(
        "/api/v1/users/password_reset",
        None,
        json!({"token": token, "password": "yet another password"}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    let login = app
        .post(
            "/api/v1/users/login",
            None,
            json!({"email": "ana@example.com", "password": "a brand new password"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    app.post(
        "/api/v1/users/login",
        None,
        json!({"email": "ana@example.com", "password": "correct horse battery"}),
    )
    .await
    .assert_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn providers_are_listed_for_oneself_only() {
    let app = TestApp::spawn().await;
    let (ana, ana_t) = app.user("ana@example.com").await;
    let (bob, bob_t) = app.user("bob@example.com").await;
    let acme = app.company(&ana_t, "Acme").await;
    app.join(&ana_t, acme, bob, "admin").await;
    let r = app
        .get(&format!("/api/v1/users/{ana}/providers"), Some(&ana_t))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["providers"][0]["provider"], "password");
    app.get(&format!("/api/v1/users/{ana}/providers"), Some(&bob_t))
        .await
        .assert_error(403, "FORBIDDEN");
    app.get(&format!("/api/v1/users/{ana}/providers"), None)
        .await
        .assert_error(401, "UNAUTHORIZED");
    let (_, eve_t) = app.user("eve@example.com").await;
    app.get(&format!("/api/v1/users/{ana}/providers"), Some(&eve_t))
        .await
        .assert_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn credential_attempts_are_rate_limited_across_instances() {
    let app = TestApp::spawn_with(|c| c.auth_attempts_per_minute = 3).await;
    let second = app.beside().await;
    let body = json!({"email": "ana@example.com", "password": "wrong password"});
    for instance in [&app, &second, &app] {
        instance
            .post("/api/v1/users/login", None, body.clone())
            .await
            .assert_error(401, "UNAUTHORIZED");
    }
    for instance in [&second, &app] {
        instance
            .post("/api/v1/users/login", None, body.clone())
            .await
            .assert_error(429, "RATE_LIMITED");
    }
    assert_eq!(
        app.get("/api/v1/memberships", None).await.status,
        StatusCode::OK,
        "other routes pass"
    );
}
