//! Spawns the whole application (pages, server functions, `/api/v1`) on a fresh
//! database: SQLite by default, PostgreSQL when `LEADSY_TEST_POSTGRES_URL` is set.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leadsy_server::{config::Config, state::AppState};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub dir: tempfile::TempDir,
    /// Every user `user` signed up: id to (email, JWT), so `join` can invite them.
    users: Mutex<HashMap<i64, (String, String)>>,
}

pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: axum::http::HeaderMap,
    /// The body exactly as sent, for checks of key order.
    pub raw: String,
}

impl Reply {
    /// Asserts the contract's error envelope with this status and code.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(self.body["error"]["code"], code, "body: {}", self.body);
        assert!(
            self.body["error"]["message"].is_string(),
            "body: {}",
            self.body
        );
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_on_site("target/site", tweak).await
    }

    /// The application serving the built site at `site_root` (its WASM, JS, CSS).
    pub async fn spawn_on_site(site_root: &str, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let postgres = std::env::var("LEADSY_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty());
        let db = leadsy::db::scratch(postgres.as_deref(), dir.path())
            .await
            .expect("test database");
        let mut config = Config::from_env();
        config.database_url = match db.backend {
            leadsy::db::Backend::Sqlite => format!("sqlite://{}/scratch.db", dir.path().display()),
            leadsy::db::Backend::Postgres => String::new(),
        };
        config.data_dir = dir.path().to_path_buf();
        config.jwt_secret = Some("test-secret-test-secret-test-secret!".into());
        config.smtp_host = None;
        config.public_url = "http://127.0.0.1:3000".into();
        // Stories sign many users up; the limiter's own test sets its figure.
        config.auth_attempts_per_minute = 10_000;
        tweak(&mut config);
        let options = leadsy_server::leptos_options(site_root, "127.0.0.1:3000".parse().unwrap());
        let state = leadsy_server::state_with_db(config, options, db)
            .await
            .expect("state");
        let router = leadsy_server::app(state.clone());
        TestApp {
            router,
            state,
            dir,
            users: Mutex::default(),
        }
    }

    /// Another instance of the server on the same database, with its own data
    /// directory and memory, as a second process behind a load balancer.
    pub async fn beside(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = (*self.state.config).clone();
        config.data_dir = dir.path().to_path_buf();
        let state = leadsy_server::state_with_db(
            config,
            self.state.leptos_options.clone(),
            self.state.ctx.db.clone(),
        )
        .await
        .expect("state");
        TestApp {
            router: leadsy_server::app(state.clone()),
            state,
            dir,
            users: Mutex::default(),
        }
    }

    /// Runs the import worker, as the server does at start-up.
    pub fn start_import_worker(&self) {
        leadsy_server::spawn_import_worker(&self.state.ctx);
    }

    /// Runs the job worker (bulk changes, large exports), as the server does.
    pub fn start_job_worker(&self) {
        leadsy_server::spawn_job_worker(&self.state.ctx);
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        self.send(req).await
    }

    /// Fails the test, rather than hanging the run, when a response never ends.
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let what = format!("{} {}", req.method(), req.uri());
        let response = async {
            let res = self.router.clone().oneshot(req).await.expect("response");
            let (status, headers) = (res.status(), res.headers().clone());
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            (status, headers, bytes)
        };
        let (status, headers, bytes) = tokio::time::timeout(Duration::from_secs(60), response)
            .await
            .unwrap_or_else(|_| panic!("{what}: no whole response within 60 s"));
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        let raw = String::from_utf8_lossy(&bytes).into_owned();
        Reply {
            status,
            body,
            headers,
            raw,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::DELETE, path, token, None).await
    }

    /// Signs up a user and verifies their email with the mailed link; returns
    /// (user id, JWT).
    pub async fn user(&self, email: &str) -> (i64, String) {
        let (id, token) = self.unverified_user(email).await;
        let link = self.mailed_token(email, "/verify-email?token=").await;
        let r = self
            .post("/api/v1/users/verify_email", None, json!({"token": link}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        (id, token)
    }

    /// Signs up a user who has not opened their verification mail.
    pub async fn unverified_user(&self, email: &str) -> (i64, String) {
        let r = self
            .post(
                "/api/v1/users",
                None,
                json!({"email": email, "password": "correct horse battery", "first_name": "Ana", "last_name": "Lima"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.body["user"]["id"].as_i64().unwrap();
        let token = r.body["token"].as_str().unwrap().to_string();
        self.users
            .lock()
            .unwrap()
            .insert(id, (email.to_string(), token.clone()));
        (id, token)
    }

    /// The JWT `user` got at sign-up for `email`.
    pub fn user_token(&self, email: &str) -> String {
        let users = self.users.lock().unwrap();
        users
            .values()
            .find(|(e, _)| e == email)
            .map(|(_, t)| t.clone())
            .expect("a user signed up by the tests")
    }

    /// A fresh JWT from logging in.
    pub async fn login_token(&self, email: &str, password: &str) -> String {
        let r = self
            .post(
                "/api/v1/users/login",
                None,
                json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body["token"].as_str().unwrap().to_string()
    }

    /// The mails in the outbox to `to`, oldest first, as text (quoted-printable undone).
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(self.dir.path().join("outbox")) else {
            return Vec::new();
        };
        let mut files: Vec<_> = dir.map(|f| f.unwrap().path()).collect();
        files.sort();
        files
            .into_iter()
            .map(|f| {
                std::fs::read_to_string(f)
                    .unwrap()
                    .replace("=\r\n", "")
                    .replace("=3D", "=")
            })
            .filter(|m| m.lines().any(|l| l == format!("To: {to}")))
            .collect()
    }

    /// The secrets after `marker` in the mails to `to`, oldest mail first.
    fn tokens_in_mails(&self, to: &str, marker: &str) -> Vec<String> {
        self.mails_to(to)
            .iter()
            .filter_map(|m| {
                m.split(marker).nth(1).map(|rest| {
                    rest.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect()
                })
            })
            .collect()
    }

    /// The secret after `marker` in the newest mail to `to` that has one, waiting
    /// for mail sent in the background.
    pub async fn mailed_token(&self, to: &str, marker: &str) -> String {
        self.all_mailed_tokens(to, marker, 1)
            .await
            .pop()
            .expect("one")
    }

    /// The secrets after `marker` in the mails to `to` that have one, once there
    /// are `n` of them.
    pub async fn all_mailed_tokens(&self, to: &str, marker: &str, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found = self.tokens_in_mails(to, marker);
            if found.len() >= n {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} mails to {to} with {marker}",
                found.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Creates a company administered by the token's user; returns its id.
    pub async fn company(&self, token: &str, name: &str) -> i64 {
        let r = self
            .post("/api/v1/companies", Some(token), json!({"name": name}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.body["company"]["id"].as_i64().unwrap()
    }

    pub async fn access_id(&self, key: &str) -> i64 {
        let row: i64 = sqlx::query_scalar("SELECT id FROM accesses WHERE key = $1")
            .bind(key)
            .fetch_one(&self.state.ctx.db.pool)
            .await
            .unwrap();
        row
    }

    /// Brings `user_id` (signed up by `user`) into the company with `access`, as
    /// a user arrives: its admin `admin_token` invites their email, they accept
    /// with the mailed code. Returns the user_access id.
    pub async fn join(
        &self,
        admin_token: &str,
        company_id: i64,
        user_id: i64,
        access: &str,
    ) -> i64 {
        let (email, token) = self.users.lock().unwrap()[&user_id].clone();
        let access_id = self.access_id(access).await;
        let r = self
            .post(
                &format!("/api/v1/companies/{company_id}/invitations"),
                Some(admin_token),
                json!({"email": email, "access_id": access_id}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let code = self.mailed_token(&email, "/invitations/").await;
        let r = self
            .post(
                &format!("/api/v1/invitations/{code}/accept"),
                Some(&token),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.body["user_access"]["id"].as_i64().unwrap()
    }

    pub async fn platform_token(&self) -> String {
        leadsy::global::create_platform_token(&self.state.ctx, &leadsy::Actor::Operator, "tests")
            .await
            .unwrap()
            .1
    }
}

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0x50,
    0x0F, 0x00, 0x04, 0x85, 0x01, 0x80, 0x84, 0xA9, 0x8C, 0x21, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// A multipart body with `bytes` in the part `file`.
pub fn multipart(
    path: &str,
    method: Method,
    token: Option<&str>,
    filename: &str,
    bytes: &[u8],
) -> Request<Body> {
    let boundary = "leadsyboundary7d93";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = Request::builder().method(method).uri(path).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={boundary}"),
    );
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    req.body(Body::from(body)).unwrap()
}

/// A company with one member of each role, plus an outsider with a company of their own.
pub struct Team {
    pub company: i64,
    pub admin: String,
    pub manager: String,
    /// (user_access id, token) of two sales reps.
    pub rep1: (i64, String),
    pub rep2: (i64, String),
    pub manager_ua: i64,
    pub outsider: String,
    pub other_company: i64,
}

impl TestApp {
    pub async fn team(&self) -> Team {
        let (_, admin) = self.user("admin@acme.test").await;
        let company = self.company(&admin, "Acme").await;
        self.subscribe(&admin, company, "starter").await;
        let (manager_id, manager) = self.user("manager@acme.test").await;
        let manager_ua = self.join(&admin, company, manager_id, "manager").await;
        let (r1, rep1) = self.user("rep1@acme.test").await;
        let rep1_ua = self.join(&admin, company, r1, "sales_rep").await;
        let (r2, rep2) = self.user("rep2@acme.test").await;
        let rep2_ua = self.join(&admin, company, r2, "sales_rep").await;
        let (_, outsider) = self.user("boss@globex.test").await;
        let other_company = self.company(&outsider, "Globex").await;
        Team {
            company,
            admin,
            manager,
            rep1: (rep1_ua, rep1),
            rep2: (rep2_ua, rep2),
            manager_ua,
            outsider,
            other_company,
        }
    }

    /// Signs the current terms and finishes onboarding for the token's user, so
    /// that the product's pages let them in.
    pub async fn onboarded(&self, token: &str) {
        let me = self.get("/api/v1/users/validate_jwt", Some(token)).await;
        let id = me.body["user_id"].as_i64().unwrap();
        let current = self.get("/api/v1/legal_terms/current", None).await;
        let term_id = current.body["legal_term"]["id"].as_i64().unwrap();
        let signed = self
            .put(
                &format!("/api/v1/users/{id}/onboarding/terms"),
                Some(token),
                json!({"legal_term_id": term_id}),
            )
            .await;
        assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
        let done = self
            .put(
                &format!("/api/v1/users/{id}/onboarding/finish"),
                Some(token),
                json!({"onboarding_completed": true}),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    }

    /// Puts the company on the plan with `key`.
    pub async fn subscribe(&self, admin: &str, company: i64, key: &str) {
        let id: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE key = $1")
            .bind(key)
            .fetch_one(&self.state.ctx.db.pool)
            .await
            .unwrap();
        let r = self
            .post(
                &format!("/api/v1/companies/{company}/membership"),
                Some(admin),
                json!({ "membership_id": id }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }

    /// Creates a lead as `token`; returns the lead's JSON.
    pub async fn lead(&self, token: &str, company: i64, body: Value) -> Value {
        let r = self
            .post(
                &format!("/api/v1/companies/{company}/leads"),
                Some(token),
                body,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.body["lead"].clone()
    }

    /// Imports `n` leads as the team's manager (`{first}0`…, one email each,
    /// `lead{i}@bulk.test`) and waits for them; the import worker must run.
    pub async fn imported(&self, t: &Team, first: &str, n: usize) {
        let mut csv = String::from("first_name,email,postal_code\n");
        for i in 0..n {
            csv.push_str(&format!(
                "{first}{i},lead{i}@bulk.test,{}\n",
                10_000 + i % 2
            ));
        }
        let url = format!(
            "/api/v1/companies/{}/imports/{}",
            t.company,
            self.uploaded(t, "bulk.csv", csv.as_bytes()).await
        );
        for _ in 0..600 {
            if self.get(&url, Some(&t.manager)).await.body["import_file"]["status"] == "completed" {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the import did not complete");
    }

    /// Uploads `csv` as the team's manager; the queued import's id.
    pub async fn uploaded(&self, t: &Team, name: &str, csv: &[u8]) -> i64 {
        let r = self
            .send(multipart(
                &format!("/api/v1/companies/{}/imports", t.company),
                Method::POST,
                Some(&t.manager),
                name,
                csv,
            ))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        r.body["import_file"]["id"].as_i64().unwrap()
    }

    /// Where an import's uploaded file is kept.
    pub async fn storage_key(&self, import_id: i64) -> String {
        sqlx::query_scalar("SELECT storage_key FROM import_files WHERE id = $1")
            .bind(import_id)
            .fetch_one(&self.state.ctx.db.pool)
            .await
            .unwrap()
    }

    /// Ends an import longer ago than the retention and runs the worker's sweep of
    /// old files; how many it deleted.
    pub async fn swept_after_retention(&self, import_id: i64) -> u64 {
        let ctx = &self.state.ctx;
        let long_ago = leadsy::time::Timestamp::now().0 - ctx.settings.import_retention_secs - 60;
        sqlx::query("UPDATE import_files SET status = 'completed', finished_at = $1 WHERE id = $2")
            .bind(long_ago)
            .bind(import_id)
            .execute(&ctx.db.pool)
            .await
            .unwrap();
        leadsy::imports::worker::delete_old_files(ctx)
            .await
            .unwrap()
    }

    pub async fn stage_id(&self, key: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM stages WHERE key = $1")
            .bind(key)
            .fetch_one(&self.state.ctx.db.pool)
            .await
            .unwrap()
    }
}

impl TestApp {
    /// The trigger-kept `lead_totals` agree with counting the leads themselves.
    pub async fn assert_totals_match(&self) {
        let pool = &self.state.ctx.db.pool;
        let kept: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT company_id, stage_id, assignee, lead_count, value_cents FROM lead_totals \
             WHERE lead_count <> 0 ORDER BY 1, 2, 3",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        let counted: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT company_id, stage_id, COALESCE(assigned_user_access_id, 0), COUNT(*), \
             CAST(SUM(value_cents) AS BIGINT) FROM leads GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        assert_eq!(kept, counted);
    }
}
