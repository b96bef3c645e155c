//! Any request to the whole application (the REST API's extractors, the pages'
//! forms, the perimeter's limits) on a scratch SQLite database, signed in or not:
//! nothing answers 5xx, and every `/api/v1` refusal is the contract's envelope.
#![no_main]

use axum::body::Body;
use axum::http::{header, Method, Request};
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tower::ServiceExt;

struct App {
    rt: tokio::runtime::Runtime,
    router: axum::Router,
    token: String,
}

fn app() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let (router, token) = rt.block_on(async {
            let dir = std::env::temp_dir().join(format!("leadsy-fuzz-api-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("scratch directory");
            let mut config = leadsy_server::config::Config::from_env();
            config.data_dir = dir.clone();
            config.database_url = format!("sqlite://{}/fuzz.db", dir.display());
            config.jwt_secret = Some("fuzz-secret-fuzz-secret-fuzz-secret!".into());
            config.auth_attempts_per_minute = u32::MAX;
            let options = leadsy_server::leptos_options("target/site", "127.0.0.1:3000".parse().unwrap());
            let state = leadsy_server::state(config, options).await.expect("state");
            let router = leadsy_server::app(state);
            let signup = r#"{"email":"fuzz@leadsy.test","password":"fuzz-password-1","first_name":"F","last_name":"Z"}"#;
            let res = router
                .clone()
                .oneshot(
                    Request::post("/api/v1/users")
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from(signup))
                        .unwrap(),
                )
                .await
                .unwrap();
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            (router, body["token"].as_str().unwrap().to_string())
        });
        App { rt, router, token }
    })
}

const METHODS: [Method; 5] = [Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::PATCH];
const TYPES: [&str; 4] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=b",
    "text/plain",
];

fuzz_target!(|data: &[u8]| {
    let [how, rest @ ..] = data else { return };
    let text = String::from_utf8_lossy(rest);
    let (target, body) = text.split_once('\n').unwrap_or((&text, ""));
    let target = format!("/{}", target.trim_start_matches('/'));
    let Ok(uri) = target.parse::<axum::http::Uri>() else { return };
    let app = app();
    let mut req = Request::builder()
        .method(METHODS[(how & 7) as usize % METHODS.len()].clone())
        .uri(uri)
        .header(header::CONTENT_TYPE, TYPES[((how >> 3) & 3) as usize])
        .header(header::ORIGIN, "http://127.0.0.1:3000");
    if how & 0x20 != 0 {
        req = req.header(header::AUTHORIZATION, format!("Bearer {}", app.token));
    }
    let req = req.body(Body::from(body.to_string())).unwrap();
    let path = target.split('?').next().unwrap_or_default().to_string();
    app.rt.block_on(async {
        let res = app.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let content_type = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = res.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
        assert!(!status.is_server_error(), "{status} for {path}: {}", String::from_utf8_lossy(&bytes));
        if path.starts_with("/api/v1/") && status.is_client_error() {
            assert!(content_type.starts_with("application/json"), "{status} {path}: {content_type}");
            let body: serde_json::Value = serde_json::from_slice(&bytes).expect("an envelope");
            assert!(body["error"]["code"].is_string(), "{status} {path}: {body}");
        }
    });
});
