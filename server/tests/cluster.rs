//! Three instances of the real server on one PostgreSQL, each with a data
//! directory of its own, sharing an S3-compatible store (moto) behind nginx (from
//! Debian), as the README's deployment section runs them; and the refusal to start
//! a server on PostgreSQL that would keep its secret or its files to itself. Both
//! need `LEADSY_TEST_POSTGRES_URL`; on SQLite they say so and pass.

mod process;
#[allow(dead_code)]
#[path = "api/receiver.rs"]
mod receiver;

use leadsy_app::rpc::account::LogIn;
use leptos::server_fn::ServerFn;
use process::{call, command, company, free_port, start_with, upload, Ending, Server};
use receiver::Bucket;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BUCKET: &str = "leadsy-cluster";

fn postgres() -> Option<String> {
    let url = std::env::var("LEADSY_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("several instances share PostgreSQL only: set LEADSY_TEST_POSTGRES_URL");
    }
    url
}

/// nginx with `scripts/cluster/nginx.conf`, in front of the instances at `ports`.
struct Proxy {
    child: Child,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Proxy {
    fn start(dir: &Path, port: u16, instances: &[u16]) -> Proxy {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let template = std::fs::read_to_string(root.join("scripts/cluster/nginx.conf")).unwrap();
        let upstreams: String = instances
            .iter()
            .map(|p| format!("        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n"))
            .collect();
        let conf = template
            .replace("{{DIR}}", &dir.display().to_string())
            .replace("{{LISTEN}}", &format!("127.0.0.1:{port}"))
            .replace("{{UPSTREAMS}}", upstreams.trim_end());
        let path = dir.join("nginx.conf");
        std::fs::write(&path, conf).unwrap();
        let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("nginx is installed: scripts/setup.sh installs it");
        let proxy = Proxy {
            child: Command::new(nginx)
                .arg("-p")
                .arg(dir)
                .arg("-c")
                .arg(&path)
                .stdout(Stdio::null())
                .spawn()
                .expect("nginx starts"),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "nginx listens");
            std::thread::sleep(Duration::from_millis(20));
        }
        proxy
    }
}

/// One instance: its own data directory and port, and the process when running.
struct Instance {
    dir: tempfile::TempDir,
    port: u16,
    server: Option<Server>,
}

struct Cluster {
    rt: tokio::runtime::Runtime,
    db: leadsy::db::Db,
    dir: tempfile::TempDir,
    env: Vec<(&'static str, String)>,
    instances: Vec<Instance>,
    /// `http://127.0.0.1:{proxy}/api/v1`
    base: String,
    origin: String,
    _proxy: Option<Proxy>,
    _bucket: Bucket,
}

impl Cluster {
    fn start(postgres: &str) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let db = rt
            .block_on(leadsy::db::scratch(Some(postgres), dir.path()))
            .expect("scratch database");
        let bucket = rt.block_on(Bucket::start(BUCKET));
        let s3 = &bucket.config;
        let proxy_port = free_port();
        let origin = format!("http://127.0.0.1:{proxy_port}");
        let env = vec![
            ("S3_BUCKET", s3.bucket.clone()),
            ("S3_ENDPOINT", s3.endpoint.clone().unwrap()),
            ("S3_REGION", s3.region.clone().unwrap()),
            ("S3_ACCESS_KEY_ID", s3.access_key_id.clone().unwrap()),
            (
                "S3_SECRET_ACCESS_KEY",
                s3.secret_access_key.clone().unwrap(),
            ),
            ("LEADSY_PUBLIC_URL", origin.clone()),
            ("CLIENT_IP_HEADER", "X-Forwarded-For".into()),
            ("SHUTDOWN_GRACE_SECS", "10".into()),
        ];
        let mut cluster = Cluster {
            instances: Vec::new(),
            _proxy: None,
            base: format!("{origin}/api/v1"),
            origin,
            rt,
            db,
            dir,
            env,
            _bucket: bucket,
        };
        for _ in 0..3 {
            cluster.instances.push(Instance {
                dir: tempfile::tempdir().unwrap(),
                port: free_port(),
                server: None,
            });
        }
        for i in 0..3 {
            cluster.run(i);
        }
        let ports: Vec<u16> = cluster.instances.iter().map(|i| i.port).collect();
        cluster._proxy = Some(Proxy::start(cluster.dir.path(), proxy_port, &ports));
        cluster
    }

    /// Starts instance `i` (again) on its port and data directory.
    fn run(&mut self, i: usize) {
        let env: Vec<(&str, &str)> = self.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let instance = &mut self.instances[i];
        instance.server = Some(start_with(
            instance.dir.path(),
            &self.db.url,
            instance.port,
            &env,
        ));
    }

    fn direct(&self, i: usize) -> String {
        format!("http://127.0.0.1:{}", self.instances[i].port)
    }

    /// The instance whose worker names itself `claimant` (`{pid}-…`).
    fn by_claim(&self, claimant: &str) -> usize {
        let pid: u32 = claimant.split('-').next().unwrap().parse().unwrap();
        self.instances
            .iter()
            .position(|i| i.server.as_ref().is_some_and(|s| s.child.id() == pid))
            .expect("a running instance holds the claim")
    }

    fn end(&mut self, i: usize, how: Ending) {
        self.instances[i].server.take().expect("running").end(how);
    }

    fn scalar(&self, sql: &str) -> i64 {
        self.rt
            .block_on(sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.db.pool))
            .unwrap()
    }
}

/// An agent that sees redirects instead of following them.
fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

/// Where a page sends the visitor with `cookie`, or `None` when it renders.
fn sent_to(base: &str, path: &str, cookie: Option<&str>) -> Option<String> {
    let mut req = agent()
        .get(&format!("{base}{path}"))
        .set("Accept", "text/html");
    if let Some(c) = cookie {
        req = req.set("Cookie", c);
    }
    let r = req.call().expect("the page answers");
    match r.status() {
        200 => None,
        302 | 303 => r.header("Location").map(str::to_string),
        other => panic!("{path}: {other}"),
    }
}

#[test]
fn three_instances_behind_a_proxy_serve_as_one() {
    let Some(postgres) = postgres() else {
        return;
    };
    let mut c = Cluster::start(&postgres);
    let (token, company) = company(&c.base);

    a_page_session_made_on_one_instance_works_on_the_others(&c);
    failed_logins_count_across_instances(&c);
    an_upload_to_an_instance_that_dies_is_imported_by_another(&mut c, &token, company);
    an_instance_killed_mid_import_leaves_the_rest_to_the_others(&mut c, &token, company);
    each_event_reaches_each_endpoint_once(&c, &token, company);
    a_rolling_restart_under_load_answers_every_request(&mut c, &token, company);
}

fn a_page_session_made_on_one_instance_works_on_the_others(c: &Cluster) {
    let logged_in = agent()
        .post(&format!("{}{}", c.direct(0), LogIn::PATH))
        .set("Origin", &c.origin)
        .set("Accept", "text/html")
        .set("Content-Type", "application/x-www-form-urlencoded")
        .send_string("email=crash%40test.io&password=correct+horse+battery")
        .expect("the login form answers");
    assert_eq!(logged_in.status(), 302);
    let cookie = logged_in
        .all("Set-Cookie")
        .into_iter()
        .find(|c| c.starts_with("leadsy_session="))
        .expect("a session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    for i in 0..3 {
        let signed_out = sent_to(&c.direct(i), "/", None);
        assert_eq!(signed_out.as_deref(), Some("/login"), "instance {i}");
        let signed_in = sent_to(&c.direct(i), "/", Some(&cookie));
        assert_ne!(
            signed_in.as_deref(),
            Some("/login"),
            "instance {i} knows the session"
        );
    }
}

fn failed_logins_count_across_instances(c: &Cluster) {
    call(
        "POST",
        &format!("{}/users", c.base),
        None,
        Some(
            json!({"email": "lock@test.io", "password": "correct horse battery", "first_name": "Lo", "last_name": "Ck"}),
        ),
    );
    // The status each attempt gets.
    let login =
        |i: usize, password: &str| match ureq::post(&format!("{}/api/v1/users/login", c.direct(i)))
            .send_json(json!({"email": "lock@test.io", "password": password}))
        {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(code, _)) => code,
            Err(e) => panic!("instance {i}: {e}"),
        };
    for attempt in 0..10 {
        assert_eq!(
            login(attempt % 3, "wrong-password"),
            401,
            "attempt {attempt}"
        );
    }
    for i in 0..3 {
        assert_eq!(
            login(i, "correct horse battery"),
            429,
            "instance {i} lets the account in after ten failures"
        );
    }
}

/// `rows` leads as a CSV, every one of them new.
fn leads_csv(tag: &str, rows: usize) -> String {
    let mut csv = String::from("first_name,last_name,email\n");
    for i in 0..rows {
        csv.push_str(&format!("{tag}{i},Cluster,{tag}{i}@cluster.test\n"));
    }
    csv
}

fn until_imported(c: &Cluster, status_url: &str, token: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let s = call("GET", status_url, Some(token), None)["import_file"].clone();
        if s["status"] == "completed" || s["status"] == "failed" {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "the import finishes: {s} ({} instances up)",
            c.instances.iter().filter(|i| i.server.is_some()).count()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn assert_each_row_once(c: &Cluster, tag: &str, rows: usize, done: &Value) {
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(
        (
            done["processed_rows"].as_u64(),
            done["imported_rows"].as_u64()
        ),
        (Some(rows as u64), Some(rows as u64)),
        "{done}"
    );
    let (leads, emails) = (
        c.scalar(&format!(
            "SELECT COUNT(*) FROM leads WHERE email LIKE '{tag}%@cluster.test'"
        )),
        c.scalar(&format!(
            "SELECT COUNT(DISTINCT email) FROM leads WHERE email LIKE '{tag}%@cluster.test'"
        )),
    );
    assert_eq!(
        (leads, emails),
        (rows as i64, rows as i64),
        "every row once"
    );
}

fn an_upload_to_an_instance_that_dies_is_imported_by_another(
    c: &mut Cluster,
    token: &str,
    company: i64,
) {
    let rows = 20_000;
    let direct = format!("{}/api/v1", c.direct(0));
    let status =
        upload(&direct, token, company, &leads_csv("first", rows)).replace(&direct, &c.base);
    c.end(0, Ending::Kill);
    let done = until_imported(c, &status, token);
    assert_each_row_once(c, "first", rows, &done);
    assert!(
        !c.instances[0].dir.path().join("files").exists(),
        "nothing on its disk"
    );
    c.run(0);
}

fn an_instance_killed_mid_import_leaves_the_rest_to_the_others(
    c: &mut Cluster,
    token: &str,
    company: i64,
) {
    let rows = 60_000;
    let status = upload(&c.base, token, company, &leads_csv("second", rows));
    let deadline = Instant::now() + Duration::from_secs(60);
    let claimant = loop {
        let claimed: Option<String> = c
            .rt
            .block_on(
                sqlx::query_scalar(
                    "SELECT claimed_by FROM import_files WHERE processed_rows > 0 AND status = 'processing'",
                )
                .fetch_optional(&c.db.pool),
            )
            .unwrap()
            .flatten();
        if let Some(claimed) = claimed {
            break c.by_claim(&claimed);
        }
        assert!(Instant::now() < deadline, "the import gets under way");
        std::thread::sleep(Duration::from_millis(5));
    };
    c.end(claimant, Ending::Kill);
    let done = until_imported(c, &status, token);
    assert_each_row_once(c, "second", rows, &done);
    c.run(claimant);
}

fn each_event_reaches_each_endpoint_once(c: &Cluster, token: &str, company: i64) {
    let receiver = receiver::Receiver::start(c.dir.path(), 0);
    let made = call(
        "POST",
        &format!("{}/companies/{company}/webhooks", c.base),
        Some(token),
        Some(json!({"url": format!("{}/leads", receiver.url), "events": ["lead.created"]})),
    );
    receiver.trust(&[made["webhook"]["secret"].as_str().unwrap()]);
    let before = c.scalar("SELECT COALESCE(MAX(id), 0) FROM events");
    for i in 0..150 {
        call(
            "POST",
            &format!("{}/companies/{company}/leads", c.base),
            Some(token),
            Some(json!({"first_name": format!("Hooked{i}")})),
        );
    }
    let ids: Vec<String> =
        c.rt.block_on(
            sqlx::query_scalar::<_, i64>(
                "SELECT id FROM events WHERE kind = 'lead.created' AND id > $1",
            )
            .bind(before)
            .fetch_all(&c.db.pool),
        )
        .unwrap()
        .into_iter()
        .map(leadsy::webhooks::message_id)
        .collect();
    assert_eq!(ids.len(), 150);
    c.rt.block_on(
        receiver.until_within(Duration::from_secs(60), "every event delivered", |got| {
            got.len() >= ids.len()
        }),
    );
    // Anything sent twice would have arrived by now.
    std::thread::sleep(Duration::from_secs(3));
    let got = receiver.received();
    let seen: HashSet<&str> = got.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(got.len(), ids.len(), "each event once, no more");
    assert!(ids.iter().all(|id| seen.contains(id.as_str())));
    assert!(got.iter().all(|r| r["valid"] == true));
}

fn a_rolling_restart_under_load_answers_every_request(c: &mut Cluster, token: &str, company: i64) {
    let going = Arc::new(AtomicBool::new(true));
    let answered = Arc::new(AtomicU64::new(0));
    let load: Vec<_> = (0..4)
        .map(|n| {
            let (going, answered) = (going.clone(), answered.clone());
            let (base, token) = (c.base.clone(), token.to_string());
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                let mut i = 0;
                while going.load(Ordering::Relaxed) {
                    i += 1;
                    let leads = format!("{base}/companies/{company}/leads");
                    let sent = if i % 4 == 0 {
                        ureq::post(&leads)
                            .set("Authorization", &format!("Bearer {token}"))
                            .send_json(json!({"first_name": format!("Load{n}x{i}")}))
                    } else {
                        ureq::get(&format!("{leads}?per_page=25"))
                            .set("Authorization", &format!("Bearer {token}"))
                            .call()
                    };
                    match sent {
                        Ok(_) => {
                            answered.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => failures.push(e.to_string()),
                    }
                }
                failures
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    // One at a time, each back in the proxy's rotation (its refusals are forgiven
    // after `fail_timeout`, 2 s) before the next stops, as a deploy goes.
    for i in 0..3 {
        c.end(i, Ending::Term);
        c.run(i);
        std::thread::sleep(Duration::from_secs(3));
    }
    going.store(false, Ordering::Relaxed);
    let failures: Vec<String> = load.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let answered = answered.load(Ordering::Relaxed);
    let proxy_log =
        std::fs::read_to_string(c.dir.path().join("nginx-error.log")).unwrap_or_default();
    assert!(
        failures.is_empty(),
        "{} of {} requests failed: {:?}; the proxy's log ends: {}",
        failures.len(),
        answered + failures.len() as u64,
        &failures[..failures.len().min(5)],
        proxy_log
            .lines()
            .filter(|l| !l.contains("Connection refused") && !l.contains("temporarily disabled"))
            .take(12)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(answered > 100, "a steady load: {answered} requests");
}

#[test]
fn a_server_on_postgres_refuses_to_keep_its_secret_or_files_to_itself() {
    let Some(postgres) = postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt
        .block_on(leadsy::db::scratch(Some(&postgres), dir.path()))
        .expect("scratch database");
    let refusal = |cmd: &mut Command| {
        let out = cmd.output().expect("the server runs");
        assert!(!out.status.success(), "it refuses to start");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let files = refusal(&mut command(dir.path(), &db.url, free_port()));
    assert!(
        files.contains("S3_BUCKET") && files.contains("LEADSY_RUNS_ALONE"),
        "{files}"
    );
    let secret = refusal(command(dir.path(), &db.url, free_port()).env_remove("JWT_SECRET"));
    assert!(secret.contains("JWT_SECRET"), "{secret}");

    let port = free_port();
    let _alone = start_with(dir.path(), &db.url, port, &[("LEADSY_RUNS_ALONE", "1")]);
    let ready = ureq::get(&format!("http://127.0.0.1:{port}/readyz")).call();
    assert_eq!(
        ready.map(|r| r.status()).ok(),
        Some(200),
        "told it runs alone, it starts"
    );
}
