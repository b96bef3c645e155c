//! The real server binary as a process of its own, for the tests that kill,
//! stop and restart it or run several at once, and the calls they make to it.

#![allow(dead_code)]

use serde_json::{json, Value};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
}

impl Server {
    /// Ends the process as `how` says and waits until it is gone; a stop must be
    /// a clean exit.
    pub fn end(&mut self, how: Ending) {
        match how {
            Ending::Kill => self.child.kill().unwrap(),
            Ending::Term => {
                let sent = Command::new("kill")
                    .args(["-TERM", &self.child.id().to_string()])
                    .status()
                    .unwrap();
                assert!(sent.success());
            }
        }
        let gone = Instant::now() + Duration::from_secs(30);
        let exit = loop {
            if let Some(exit) = self.child.try_wait().unwrap() {
                break exit;
            }
            assert!(Instant::now() < gone, "the server exits after the signal");
            std::thread::sleep(Duration::from_millis(20));
        };
        if how == Ending::Term {
            assert!(exit.success(), "a stop is a clean exit: {exit}");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server as the crash tests run it: quick to take over stale work, and
/// alone on its database as far as files go (they stay on its own disk).
pub fn start(dir: &std::path::Path, database_url: &str, port: u16) -> Server {
    start_with(dir, database_url, port, &[("LEADSY_RUNS_ALONE", "1")])
}

/// The server with `env` besides the tests' settings, once it answers.
pub fn start_with(
    dir: &std::path::Path,
    database_url: &str,
    port: u16,
    env: &[(&str, &str)],
) -> Server {
    // Made before the wait, so that a server that never answers is still killed.
    let server = Server {
        child: command(dir, database_url, port)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts"),
    };
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while ureq::get(&format!("{base}/readyz")).call().is_err() {
        assert!(Instant::now() < deadline, "the server answers");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// The server's command with the tests' settings, not yet started.
pub fn command(dir: &std::path::Path, database_url: &str, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leadsy-server"));
    command
        .env("LEADSY_DATA_DIR", dir)
        .env("DATABASE_URL", database_url)
        .env("IMPORT_STALE_SECS", "2")
        .env("LEADSY_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("JWT_SECRET", "crash-test-secret-crash-test-secret!")
        .env("IMPORT_BATCH_ROWS", "250")
        .env("AUTH_ATTEMPTS_PER_MINUTE", "1000")
        .env("WEBHOOK_ALLOW_PRIVATE", "1")
        .env("WEBHOOK_RETRY_DELAYS", "1,1,1,1,1,1,1,1")
        .env("RUST_LOG", "warn");
    command
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn call(method: &str, url: &str, token: Option<&str>, body: Option<Value>) -> Value {
    let mut req = ureq::request(method, url);
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    let res = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    match res {
        Ok(r) => r.into_json().unwrap_or(Value::Null),
        Err(ureq::Error::Status(code, r)) => panic!(
            "{method} {url}: {code} {}",
            r.into_string().unwrap_or_default()
        ),
        Err(e) => panic!("{method} {url}: {e}"),
    }
}

/// Signs a user up with a company on the growth plan: (JWT, company id).
pub fn company(base: &str) -> (String, i64) {
    let signup = call(
        "POST",
        &format!("{base}/users"),
        None,
        Some(
            json!({"email": "crash@test.io", "password": "correct horse battery", "first_name": "Cal", "last_name": "Crash"}),
        ),
    );
    let token = signup["token"].as_str().unwrap().to_string();
    let company = call(
        "POST",
        &format!("{base}/companies"),
        Some(&token),
        Some(json!({"name": "Crashco"})),
    )["company"]["id"]
        .as_i64()
        .unwrap();
    let plans = call("GET", &format!("{base}/memberships"), None, None);
    let growth = plans["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == "growth")
        .unwrap()["id"]
        .clone();
    call(
        "POST",
        &format!("{base}/companies/{company}/membership"),
        Some(&token),
        Some(json!({"membership_id": growth})),
    );

    (token, company)
}

/// Uploads `csv` as an import; the import's status URL.
pub fn upload(base: &str, token: &str, company: i64, csv: &str) -> String {
    let boundary = "crashboundary42";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(csv.as_bytes());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let accepted = ureq::post(&format!("{base}/companies/{company}/imports"))
        .set("Authorization", &format!("Bearer {token}"))
        .set(
            "Content-Type",
            &format!("multipart/form-data; boundary={boundary}"),
        )
        .send_bytes(&body)
        .expect("202");
    assert_eq!(accepted.status(), 202);
    let import: Value = accepted.into_json().unwrap();
    format!(
        "{base}/companies/{company}/imports/{}",
        import["import_file"]["id"]
    )
}

/// How a test ends the server under way.
#[derive(Clone, Copy, PartialEq)]
pub enum Ending {
    /// SIGKILL: nothing of the process runs after it.
    Kill,
    /// SIGTERM, as a deploy stops it: the server must exit on its own, soon.
    Term,
}

/// Ends the server as `how` says as soon as the work at `url` reports progress in
/// `body[field]`, and waits for the process to be gone; what the work reported then.
pub fn end_once_under_way(
    mut server: Server,
    how: Ending,
    url: &str,
    token: &str,
    body: &str,
    field: &str,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = call("GET", url, Some(token), None)[body].clone();
        if s[field].as_i64().unwrap() > 0 {
            server.end(how);
            return s;
        }
        assert!(Instant::now() < deadline, "the work starts: {s}");
        std::thread::sleep(Duration::from_millis(5));
    }
}
