//! The pages on the wire and in the browser: static files named by their content,
//! compressed once and kept a year; pages and data compressed and never stored; a
//! refused form that says why under its own status; a sales rep's board; time
//! zones on the pages while the API stays UTC.

use crate::browser::{refused, Browser};
use crate::support::TestApp;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leadsy_app::rpc::account::{ChangeTimeZone, LogIn};
use leadsy_app::rpc::leads::BookAppointment;
use leptos::server_fn::ServerFn;
use serde_json::json;

async fn fetch(app: &TestApp, path: &str, encodings: &str) -> crate::support::Reply {
    let mut req = Request::builder()
        .uri(path)
        .header(header::ACCEPT, "text/html");
    if !encodings.is_empty() {
        req = req.header(header::ACCEPT_ENCODING, encodings);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn static_files_are_named_by_content_compressed_once_and_kept_a_year() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("pkg")).unwrap();
    let wasm = "(module) ".repeat(4000);
    for (name, body) in [
        ("leadsy.js", "export default 1;\n".repeat(200)),
        ("leadsy.wasm", wasm.clone()),
        ("leadsy.css", "body{margin:0}\n".repeat(200)),
    ] {
        std::fs::write(site.path().join("pkg").join(name), body).unwrap();
    }
    std::fs::write(
        site.path().join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let app = TestApp::spawn_on_site(site.path().to_str().unwrap(), |_| {}).await;

    let login = fetch(&app, "/login", "").await;
    assert_eq!(login.status, StatusCode::OK);
    let name = login
        .raw
        .split("/pkg/")
        .nth(1)
        .and_then(|rest| rest.split(".css").next())
        .expect("the page links its stylesheet")
        .to_string();
    assert!(
        name.starts_with("leadsy.") && name.len() > "leadsy.".len() + 8,
        "{name}"
    );
    assert!(
        login.raw.contains(&format!("/pkg/{name}.js")),
        "the script by the same build name"
    );
    assert_eq!(
        login.headers[header::CACHE_CONTROL],
        "no-store",
        "pages are never kept"
    );

    let wasm_path = format!("/pkg/{name}.wasm");
    let br = fetch(&app, &wasm_path, "gzip, deflate, br").await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(br.headers[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(
        br.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(br.headers[header::VARY], "accept-encoding");
    assert!(br.raw.len() < wasm.len() / 10, "{} bytes", br.raw.len());
    let gz = fetch(&app, &wasm_path, "gzip").await;
    assert_eq!(gz.headers[header::CONTENT_ENCODING], "gzip");
    let plain = fetch(&app, &wasm_path, "").await;
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(plain.raw, wasm);
    let icon = fetch(&app, "/favicon.svg", "br").await;
    assert_eq!(icon.headers[header::CACHE_CONTROL], "public, max-age=86400");

    // Pages and the API's JSON are compressed as they are made.
    let page = fetch(&app, "/signup", "br").await;
    assert_eq!(page.headers[header::CONTENT_ENCODING], "br");
    let api = fetch(&app, "/api/v1/openapi.json", "gzip").await;
    assert_eq!(api.headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(api.headers[header::CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn a_rate_limited_login_form_says_so_under_429_and_keeps_the_email() {
    let app = TestApp::spawn_with(|c| c.auth_attempts_per_minute = 4).await;
    app.user("ana@example.com").await;
    let mut b = Browser::new(&app);
    let form = [("email", "ana@example.com"), ("password", "wrong password")];
    let mut r = b.post(LogIn::PATH, "/login", &form).await;
    refused(&r, StatusCode::UNAUTHORIZED);
    for _ in 0..4 {
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
        r = b.post(LogIn::PATH, "/login", &form).await;
    }
    let page = refused(&r, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    assert!(page.contains("too many"), "{page}");
    assert!(page.contains("value=\"ana@example.com\""));
    assert!(
        !page.contains("deserializ"),
        "no transport error reaches the reader"
    );
}

#[tokio::test]
async fn a_page_answers_with_the_status_of_what_it_could_not_show() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.onboarded(&t.rep1.1).await;
    let theirs = app
        .lead(
            &t.manager,
            t.company,
            json!({"first_name": "Theirs", "assigned_user_access_id": t.rep2.0}),
        )
        .await;
    let mut b = Browser::new(&app);
    b.log_in("rep1@acme.test").await;
    let page = b.get(&format!("/leads/{}", theirs["id"])).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "another rep's lead");
    assert!(page.raw.contains("lead not found"));
    assert_eq!(
        b.get("/leads/999999999").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_sales_rep_gets_the_board_of_their_own_leads() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.onboarded(&t.rep1.1).await;
    app.onboarded(&t.manager).await;
    for (who, manages) in [("rep1@acme.test", false), ("manager@acme.test", true)] {
        let mut b = Browser::new(&app);
        b.log_in(who).await;
        let board = b.get("/board").await;
        assert_eq!(board.status, StatusCode::OK, "{}", board.raw);
        for tool in [
            "data-testid=\"import-leads\"",
            "view=unassigned",
            "name=\"assignee\"",
        ] {
            assert_eq!(board.raw.contains(tool), manages, "{who}: {tool}");
        }
        assert!(
            board.raw.contains("board-empty"),
            "an empty board says what to do"
        );
    }
}

#[tokio::test]
async fn times_are_typed_and_shown_on_the_readers_clock_and_stay_utc_in_the_api() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.onboarded(&t.manager).await;
    let lead = app
        .lead(&t.manager, t.company, json!({"first_name": "Ada"}))
        .await;
    let mut b = Browser::new(&app);
    b.log_in("manager@acme.test").await;
    let r = b
        .post(
            ChangeTimeZone::PATH,
            "/account",
            &[("time_zone", "Mars/Olympus")],
        )
        .await;
    assert!(refused(&r, StatusCode::UNPROCESSABLE_ENTITY).contains("is not a time zone"));
    let r = b
        .post(
            ChangeTimeZone::PATH,
            "/account",
            &[("time_zone", "America/New_York")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.raw);
    let (company, id) = (t.company.to_string(), lead["id"].to_string());
    let r = b
        .post(
            BookAppointment::PATH,
            &format!("/leads/{id}"),
            &[
                ("company_id", &company),
                ("lead_id", &id),
                ("starts_at", "2030-01-15T09:00"),
                ("duration_minutes", "30"),
                ("location", "Call"),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.raw);
    let page = b.get(&format!("/leads/{id}")).await;
    assert!(
        page.raw.contains("15 Jan 2030, 09:00 EST"),
        "shown on the reader's clock"
    );
    assert!(page.raw.contains("Starts (America/New_York)"));
    let listed = app.get("/api/v1/appointments", Some(&t.manager)).await;
    assert_eq!(
        listed.body["appointments"][0]["starts_at"],
        "2030-01-15T14:00:00Z"
    );
    let me = app
        .post(
            "/api/v1/users/login",
            None,
            json!({"email": "manager@acme.test", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(
        me.body["user"]["time_zone"], "America/New_York",
        "{}",
        me.body
    );
}

#[tokio::test]
async fn a_zone_is_chosen_at_sign_up_or_changed_later_through_the_api() {
    let app = TestApp::spawn().await;
    let r = app
        .post("/api/v1/users", None, json!({"email": "kei@example.com", "password": "correct horse battery", "time_zone": "asia/tokyo"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["user"]["time_zone"], "Asia/Tokyo");
    let (id, token) = (
        r.body["user"]["id"].as_i64().unwrap(),
        r.body["token"].as_str().unwrap().to_string(),
    );
    app.post("/api/v1/users", None, json!({"email": "x@example.com", "password": "correct horse battery", "time_zone": "Nowhere/Land"}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    let r = app
        .put(
            &format!("/api/v1/users/{id}"),
            Some(&token),
            json!({"time_zone": "Europe/Paris"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["user"]["time_zone"], "Europe/Paris");
    let plain = app
        .post(
            "/api/v1/users",
            None,
            json!({"email": "utc@example.com", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(plain.body["user"]["time_zone"], "UTC");
}

#[tokio::test]
async fn answers_from_a_page_reach_only_the_readers_leads_and_questions() {
    use leadsy_app::rpc::leads::AnswerQuestions;
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.onboarded(&t.rep1.1).await;
    let q = app
        .post(
            &format!("/api/v1/companies/{}/questions", t.company),
            Some(&t.manager),
            json!({"text": "Budget?", "kind": "number"}),
        )
        .await;
    let key = format!("answers[{}][0]", q.body["question"]["id"]);
    let theirs = app
        .lead(
            &t.manager,
            t.company,
            json!({"first_name": "Theirs", "assigned_user_access_id": t.rep2.0}),
        )
        .await;
    let mine = app
        .lead(
            &t.manager,
            t.company,
            json!({"first_name": "Mine", "assigned_user_access_id": t.rep1.0}),
        )
        .await;
    let mut b = Browser::new(&app);
    b.log_in("rep1@acme.test").await;
    let company = t.company.to_string();
    let id = theirs["id"].to_string();
    let r = b
        .post(
            AnswerQuestions::PATH,
            &format!("/leads/{id}"),
            &[("company_id", &company), ("lead_id", &id), (&key, "5")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another rep's lead");
    let id = mine["id"].to_string();
    let r = b
        .post(
            AnswerQuestions::PATH,
            &format!("/leads/{id}"),
            &[
                ("company_id", &company),
                ("lead_id", &id),
                ("answers[999999][0]", "x"),
            ],
        )
        .await;
    assert!(
        refused(&r, StatusCode::UNPROCESSABLE_ENTITY).contains("is not a question of this company")
    );
    let other = t.other_company.to_string();
    let r = b
        .post(
            AnswerQuestions::PATH,
            &format!("/leads/{id}"),
            &[("company_id", &other), ("lead_id", &id), (&key, "5")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another company");
}
