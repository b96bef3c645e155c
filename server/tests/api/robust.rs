//! Hostile input and load: huge pages, huge money, the HTTP layer's own refusals in
//! the envelope, a dead database, security headers, per-account budgets, slow
//! clients on a real socket, and one running import per company.

use crate::browser::Browser;
use crate::support::{multipart, TestApp};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use leadsy_app::rpc::account::LogIn;
use leptos::server_fn::ServerFn;
use serde_json::json;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_page_far_past_the_end_is_empty_with_a_true_meta() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.lead(&t.admin, t.company, json!({"first_name": "Ada"}))
        .await;
    let huge = i64::MAX;
    let c = t.company;
    for path in [
        format!("/api/v1/companies/{c}/leads"),
        format!("/api/v1/companies/{c}/leads/unassigned"),
        format!("/api/v1/companies/{c}/leads/duplicates"),
        format!("/api/v1/companies/{c}/users"),
        format!("/api/v1/companies/{c}/imports"),
        format!("/api/v1/companies/{c}/invitations"),
        "/api/v1/companies".to_string(),
    ] {
        let r = app
            .get(&format!("{path}?page={huge}&per_page=100"), Some(&t.admin))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        assert_eq!(r.body["meta"]["page"], huge, "{path}");
        let list = r
            .body
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| *k != "meta")
            .map(|(_, v)| v.clone())
            .unwrap();
        assert_eq!(list, json!([]), "{path}");
    }
    let r = app
        .get(
            &format!("/api/v1/companies/{c}/leads?page=99999999999999999999"),
            Some(&t.admin),
        )
        .await;
    r.assert_error(422, "VALIDATION_FAILED");
}

#[tokio::test]
async fn money_is_bounded_so_stage_totals_stay_true() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let path = format!("/api/v1/companies/{}/leads", t.company);
    let r = app
        .post(
            &path,
            Some(&t.admin),
            json!({"first_name": "Max", "value_cents": i64::MAX}),
        )
        .await;
    r.assert_error(422, "VALIDATION_FAILED");
    assert!(r.body["error"]["fields"]["value_cents"].is_array());
    let top = leadsy::leads::MAX_VALUE_CENTS;
    for name in ["A", "B"] {
        app.lead(
            &t.admin,
            t.company,
            json!({"first_name": name, "value_cents": top}),
        )
        .await;
    }
    let r = app.get(&format!("{path}/metrics"), Some(&t.admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let new = &r.body["metrics"][0];
    assert_eq!(new["value_cents"], 2 * top);
    assert_eq!(
        r.body["meta"]["total"],
        r.body["metrics"].as_array().unwrap().len()
    );
    let id = app
        .lead(&t.admin, t.company, json!({"first_name": "C"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let r = app
        .put(
            &format!("{path}/{id}"),
            Some(&t.admin),
            json!({"value_cents": top + 1}),
        )
        .await;
    r.assert_error(422, "VALIDATION_FAILED");
}

#[tokio::test]
async fn the_http_layers_refusals_wear_the_envelope() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let r = app.delete("/api/v1/users/login", None).await;
    r.assert_error(405, "METHOD_NOT_ALLOWED");
    let allow = r.headers.get(header::ALLOW).unwrap().to_str().unwrap();
    assert!(allow.contains("POST"), "{allow}");

    // Not multipart at all, and multipart without its boundary.
    let imports = format!("/api/v1/companies/{}/imports", t.company);
    let r = app
        .post(&imports, Some(&t.admin), json!({"file": "x"}))
        .await;
    r.assert_error(400, "BAD_REQUEST");
    assert_eq!(
        r.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/json"
    );
    let mut req = multipart(&imports, Method::POST, Some(&t.admin), "a.csv", b"email\n");
    req.headers_mut()
        .insert(header::CONTENT_TYPE, "multipart/form-data".parse().unwrap());
    app.send(req).await.assert_error(400, "BAD_REQUEST");

    // A request head far too long is refused before any handler, in the envelope.
    let long = format!("/api/v1/users/validate_jwt?x={}", "a".repeat(9000));
    app.get(&long, None).await.assert_error(414, "URI_TOO_LONG");
    let mut req = Request::builder().uri("/api/v1/memberships");
    for i in 0..120 {
        req = req.header(format!("x-filler-{i}"), "y");
    }
    app.send(req.body(Body::empty()).unwrap())
        .await
        .assert_error(431, "HEADERS_TOO_LARGE");

    // A page form over the body limit is a readable page, not a bare status.
    let big = "a".repeat(2 * 1024 * 1024);
    let req = Request::builder()
        .method("POST")
        .uri(LogIn::PATH)
        .header(header::ORIGIN, crate::browser::OWN_ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, big.len())
        .body(Body::from(big))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_wrong_password_on_the_login_form_is_a_401_not_a_failure() {
    let app = TestApp::spawn().await;
    app.user("ann@acme.test").await;
    let req = Request::builder()
        .method("POST")
        .uri(LogIn::PATH)
        .header(header::ORIGIN, crate::browser::OWN_ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("email=ann%40acme.test&password=wrong-password"))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.raw);
    assert!(r.raw.contains("incorrect"), "{}", r.raw);
}

#[tokio::test]
async fn ten_wrong_passwords_close_the_account_for_a_while_from_anywhere() {
    let app = TestApp::spawn().await;
    let second = app.beside().await;
    app.user("ann@acme.test").await;
    let login = |on: &'static str, password: &'static str| {
        let instance = if on == "first" { &app } else { &second };
        instance.post(
            "/api/v1/users/login",
            None,
            json!({"email": "ANN@acme.test", "password": password}),
        )
    };
    for i in 0..10 {
        let on = if i % 2 == 0 { "first" } else { "second" };
        login(on, "wrong-password")
            .await
            .assert_error(401, "UNAUTHORIZED");
    }
    let r = login("first", "correct horse battery").await;
    r.assert_error(429, "RATE_LIMITED");
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "60");
    // Another account is not affected.
    app.user("bob@acme.test").await;
    let r = app
        .post(
            "/api/v1/users/login",
            None,
            json!({"email": "bob@acme.test", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_dead_database_answers_503_with_retry_after() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user("ann@acme.test").await;
    app.state.ctx.db.pool.close().await;
    let r = app.get("/api/v1/users/validate_jwt", Some(&token)).await;
    r.assert_error(503, "SERVICE_UNAVAILABLE");
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "5");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let page = Browser::new(&app).get("/login").await;
    let api = app.get("/api/v1/memberships", None).await;
    for r in [&page, &api] {
        let h = |name: &str| {
            r.headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        assert_eq!(h("x-content-type-options"), "nosniff");
        assert_eq!(h("x-frame-options"), "DENY");
        assert_eq!(h("referrer-policy"), "same-origin");
        assert!(h("content-security-policy").contains("frame-ancestors 'none'"));
        assert!(h("strict-transport-security").is_empty(), "plain http");
    }
    // The page's scripts carry the nonce its policy names, and only that one.
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    let scripts = page.raw.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        page.raw.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "{}",
        page.raw
    );
    let again = Browser::new(&app).get("/login").await;
    assert_ne!(again.headers[header::CONTENT_SECURITY_POLICY], csp);
}

#[tokio::test]
async fn https_sites_ask_for_https_from_then_on() {
    let app = TestApp::spawn_with(|c| c.public_url = "https://leadsy.example".into()).await;
    let r = app.get("/api/v1/memberships", None).await;
    assert!(r.headers[header::STRICT_TRANSPORT_SECURITY]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
}

/// Every list carries `meta`, paged or not.
#[tokio::test]
async fn whole_lists_carry_meta_too() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let c = t.company;
    let (me, _) = app.user("solo@acme.test").await;
    let mine = app.user_token("solo@acme.test");
    for (path, token) in [
        ("/api/v1/accesses".to_string(), &t.admin),
        ("/api/v1/memberships".to_string(), &t.admin),
        ("/api/v1/stages".to_string(), &t.admin),
        (format!("/api/v1/users/{me}/user_accesses"), &mine),
        (format!("/api/v1/companies/{c}/sources"), &t.admin),
        (format!("/api/v1/companies/{c}/campaigns"), &t.admin),
        (format!("/api/v1/companies/{c}/questions"), &t.admin),
        (format!("/api/v1/companies/{c}/territories"), &t.admin),
    ] {
        let r = app.get(&path, Some(token)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        let meta = &r.body["meta"];
        assert_eq!(meta["page"], 1, "{path}: {}", r.body);
        assert_eq!(meta["total"], meta["per_page"], "{path}");
    }
}

/// A client that trickles its request head is cut off, while another request on
/// the same server is answered at once.
#[tokio::test]
async fn a_slow_client_is_cut_off_while_others_are_served() {
    let app = TestApp::spawn().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limits = leadsy_server::config::Limits {
        header_read_secs: 1,
        ..Default::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(leadsy_server::serve::serve(
        listener,
        app.router.clone(),
        limits,
        async {
            let _ = stopped.await;
        },
    ));
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /api/v1/memberships HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut quick = tokio::net::TcpStream::connect(addr).await.unwrap();
    quick
        .write_all(b"GET /api/v1/memberships HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(5), quick.read_to_string(&mut answer))
        .await
        .expect("the quick client is answered in time")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut rest))
        .await
        .expect("the slow client's connection is closed");
    assert!(closed.is_ok() || rest.is_empty());
    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops")
        .unwrap();
}

/// One company's queue of imports waits behind its running one; another company's
/// import goes first.
#[tokio::test]
async fn imports_queue_fairly_one_running_per_company() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let upload = |company: i64, token: String| {
        let app = &app;
        async move {
            let path = format!("/api/v1/companies/{company}/imports");
            let r = app
                .send(multipart(
                    &path,
                    Method::POST,
                    Some(&token),
                    "a.csv",
                    b"email\na@b.test\n",
                ))
                .await;
            assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
            r.body["import_file"]["id"].as_i64().unwrap()
        }
    };
    let a1 = upload(t.company, t.admin.clone()).await;
    let a2 = upload(t.company, t.admin.clone()).await;
    app.subscribe(&t.outsider, t.other_company, "starter").await;
    let b1 = upload(t.other_company, t.outsider.clone()).await;
    let ctx = &app.state.ctx;
    let claim = |who: &'static str| async move {
        leadsy::imports::worker::claim(ctx, who, &[]).await.unwrap()
    };
    assert_eq!(claim("w1").await, Some(a1));
    assert_eq!(claim("w2").await, Some(b1), "the other company goes next");
    assert_eq!(claim("w3").await, None, "{a2} waits for {a1}");
}

/// An import's stored file is deleted once the retention after its end has passed;
/// its record stays.
#[tokio::test]
async fn stored_csvs_are_deleted_after_the_retention() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let path = format!("/api/v1/companies/{}/imports", t.company);
    let r = app
        .send(multipart(
            &path,
            Method::POST,
            Some(&t.admin),
            "a.csv",
            b"email\na@b.test\n",
        ))
        .await;
    let id = r.body["import_file"]["id"].as_i64().unwrap();
    let ctx = &app.state.ctx;
    let key = app.storage_key(id).await;
    let stored = app.dir.path().join("files").join(&key);
    assert!(stored.exists());
    assert_eq!(
        leadsy::imports::worker::delete_old_files(ctx)
            .await
            .unwrap(),
        0,
        "still queued"
    );
    assert_eq!(app.swept_after_retention(id).await, 1);
    assert!(!stored.exists());
    assert_eq!(
        leadsy::imports::worker::delete_old_files(ctx)
            .await
            .unwrap(),
        0,
        "once"
    );
    let r = app.get(&format!("{path}/{id}"), Some(&t.admin)).await;
    assert_eq!(r.status, StatusCode::OK);
}
