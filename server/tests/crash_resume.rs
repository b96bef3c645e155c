//! Work survives the server being killed mid-way: the real binary is started,
//! killed with SIGKILL, and started again. An import resumes and ends with every
//! row written exactly once; a bulk change resumes and changes each lead once; a burst of webhook deliveries to a receiver that
//! fails some on purpose ends with every event delivered. On SQLite, or on
//! PostgreSQL when `LEADSY_TEST_POSTGRES_URL` is set, where the new process takes
//! the work over once the dead one's claims have gone stale.

mod process;

use process::{call, company, end_once_under_way, free_port, start, upload, Ending, Server};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A server on a scratch database (SQLite, or PostgreSQL when
/// `LEADSY_TEST_POSTGRES_URL` is set), with what a test needs to restart it.
struct Run {
    dir: tempfile::TempDir,
    rt: tokio::runtime::Runtime,
    db: leadsy::db::Db,
    port: u16,
    base: String,
    server: Server,
}

impl Run {
    fn start() -> Run {
        let dir = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let postgres = std::env::var("LEADSY_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty());
        let db = rt
            .block_on(leadsy::db::scratch(postgres.as_deref(), dir.path()))
            .expect("scratch database");
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}/api/v1");
        let server = start(dir.path(), &db.url, port);
        Run {
            dir,
            rt,
            db,
            port,
            base,
            server,
        }
    }
}

#[test]
fn a_killed_import_resumes_and_writes_every_row_exactly_once() {
    import_ended_under_way_resumes(Ending::Kill);
}

/// A stopped server (SIGTERM) exits on its own once its batch in hand is
/// committed, and hands the import back: queued, claimed by nobody, so another
/// instance takes it at once rather than after the stale delay.
#[test]
fn a_stopped_server_hands_its_import_back_and_it_resumes_exactly_once() {
    import_ended_under_way_resumes(Ending::Term);
}

fn import_ended_under_way_resumes(how: Ending) {
    let Run {
        dir,
        rt,
        db,
        port,
        base,
        server,
    } = Run::start();

    let (token, company) = company(&base);
    // 100,000 rows; every 8th repeats an earlier row's email.
    let rows = 100_000;
    let mut csv = String::from("first_name,last_name,email\n");
    let mut unique = 0;
    for i in 0..rows {
        if i % 8 == 7 {
            csv.push_str(&format!("Again{i},Dup,lead{}@crash.test\n", i - 3));
        } else {
            unique += 1;
            csv.push_str(&format!("Lead{i},Kept,lead{i}@crash.test\n"));
        }
    }
    let status_url = upload(&base, &token, company, &csv);

    // Kill it while it writes.
    let at_end = end_once_under_way(
        server,
        how,
        &status_url,
        &token,
        "import_file",
        "processed_rows",
    );
    // What the server left: part of the rows written; the import still claimed by
    // the killed one, handed back by the stopped one.
    let (status, claimed_by, processed): (String, Option<String>, i64) = rt
        .block_on(
            sqlx::query_as("SELECT status, claimed_by, processed_rows FROM import_files")
                .fetch_one(&db.pool),
        )
        .unwrap();
    match how {
        Ending::Kill => assert_eq!(status, "processing", "killed mid-way: {at_end}"),
        Ending::Term => assert_eq!(
            (status.as_str(), claimed_by),
            ("queued", None),
            "stopped mid-way: {at_end}"
        ),
    }
    assert!(
        processed > 0 && processed < rows,
        "ended mid-way: {processed} of {rows}"
    );

    let _again = start(dir.path(), &db.url, port);
    let deadline = Instant::now() + Duration::from_secs(120);
    let done = loop {
        let s = call("GET", &status_url, Some(&token), None)["import_file"].clone();
        if s["status"] == "completed" || s["status"] == "failed" {
            break s;
        }
        assert!(Instant::now() < deadline, "the import finishes: {s}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["total_rows"], rows, "{done}");
    assert_eq!(done["processed_rows"], rows, "{done}");
    assert_eq!(done["imported_rows"], unique, "{done}");
    assert_eq!(done["duplicate_rows"], rows - unique, "{done}");
    assert_eq!(done["failed_rows"], 0, "{done}");
    let leads = call(
        "GET",
        &format!("{base}/companies/{company}/leads?per_page=1"),
        Some(&token),
        None,
    );
    assert_eq!(leads["meta"]["total"], unique, "every row once, none twice");
    let dups = call(
        "GET",
        &format!("{base}/companies/{company}/leads/duplicates"),
        Some(&token),
        None,
    );
    assert_eq!(
        dups["groups"].as_array().map(Vec::len).unwrap_or(0),
        0,
        "{dups}"
    );
}

/// Waits until the import at `status_url` has completed.
fn until_imported(status_url: &str, token: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while call("GET", status_url, Some(token), None)["import_file"]["status"] != "completed" {
        assert!(Instant::now() < deadline, "the import completes");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_killed_bulk_change_resumes_and_changes_each_lead_once() {
    let Run {
        dir,
        rt,
        db,
        port,
        base,
        server,
    } = Run::start();
    let (token, company) = company(&base);
    let rows = 30_000;
    let mut csv = String::from("first_name,email\n");
    for i in 0..rows {
        csv.push_str(&format!("Bulk{i},bulk{i}@crash.test\n"));
    }
    until_imported(&upload(&base, &token, company, &csv), &token);
    let stages = call("GET", &format!("{base}/stages"), Some(&token), None);
    let contacted = stages["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "contacted")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let queued = ureq::post(&format!("{base}/companies/{company}/leads/bulk"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"filter": {}, "action": "move", "stage_id": contacted}))
        .expect("202");
    assert_eq!(queued.status(), 202);
    let job: Value = queued.into_json().unwrap();
    let job_url = format!("{base}/companies/{company}/jobs/{}", job["job"]["id"]);
    assert_eq!(job["job"]["total"], rows);

    end_once_under_way(server, Ending::Kill, &job_url, &token, "job", "processed");
    let (status, processed): (String, i64) = rt
        .block_on(sqlx::query_as("SELECT status, processed FROM jobs").fetch_one(&db.pool))
        .unwrap();
    assert_eq!(status, "processing", "killed mid-way");
    assert!(
        processed > 0 && processed < rows,
        "ended mid-way: {processed} of {rows}"
    );

    let _again = start(dir.path(), &db.url, port);
    let deadline = Instant::now() + Duration::from_secs(120);
    let done = loop {
        let j = call("GET", &job_url, Some(&token), None)["job"].clone();
        if j["status"] == "completed" || j["status"] == "failed" {
            break j;
        }
        assert!(Instant::now() < deadline, "the job finishes: {j}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(
        (done["processed"].as_i64(), done["changed"].as_i64()),
        (Some(rows), Some(rows))
    );
    let (moved, events, leads_with_events, most): (i64, i64, i64, i64) = rt
        .block_on(
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM leads WHERE stage_id = $1), COUNT(*), COUNT(DISTINCT lead_id), \
                 COALESCE((SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM events \
                   WHERE kind = 'lead.stage_changed' GROUP BY lead_id) per_lead), 0) \
                 FROM events WHERE kind = 'lead.stage_changed'",
            )
            .bind(contacted)
            .fetch_one(&db.pool),
        )
        .unwrap();
    assert_eq!(moved, rows, "every lead moved");
    assert_eq!(
        (events, leads_with_events, most),
        (rows, rows, 1),
        "each lead changed once"
    );
}

#[allow(dead_code)]
#[path = "api/receiver.rs"]
mod receiver;

#[test]
fn a_killed_server_delivers_every_event_to_the_endpoints_that_hear_it() {
    let Run {
        dir,
        rt,
        db,
        port,
        base,
        mut server,
    } = Run::start();
    let (token, company) = company(&base);
    // One in five messages fails its first attempt on purpose.
    let receiver = receiver::Receiver::start(dir.path(), 5);
    let hooks = format!("{base}/companies/{company}/webhooks");
    let leads = call(
        "POST",
        &hooks,
        Some(&token),
        Some(
            json!({"url": format!("{}/leads", receiver.url), "events": ["lead.created", "import.completed"]}),
        ),
    );
    let notes = call(
        "POST",
        &hooks,
        Some(&token),
        Some(json!({"url": format!("{}/notes", receiver.url), "events": ["note.created"]})),
    );
    receiver.trust(&[
        leads["webhook"]["secret"].as_str().unwrap(),
        notes["webhook"]["secret"].as_str().unwrap(),
    ]);

    // 10,000 leads make 10,000 lead.created events, and the import's own two.
    let rows = 10_000;
    let mut csv = String::from("first_name,email\n");
    for i in 0..rows {
        csv.push_str(&format!("Lead{i},hook{i}@crash.test\n"));
    }
    let status_url = upload(&base, &token, company, &csv);
    rt.block_on(receiver.until("deliveries under way", |got| got.len() > 500));
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    drop(server);
    let _again = start(dir.path(), &db.url, port);
    until_imported(&status_url, &token);
    let expected: std::collections::HashSet<String> = rt
        .block_on(
            sqlx::query_scalar::<_, i64>(
                "SELECT id FROM events WHERE kind IN ('lead.created', 'import.completed')",
            )
            .fetch_all(&db.pool),
        )
        .unwrap()
        .into_iter()
        .map(leadsy::webhooks::message_id)
        .collect();
    assert_eq!(expected.len(), rows + 1);
    let got = rt.block_on(receiver.until_within(
        Duration::from_secs(300),
        "every event delivered",
        |got| {
            let delivered: std::collections::HashSet<&str> = got
                .iter()
                .filter(|r| r["status"] == 204)
                .map(|r| r["id"].as_str().unwrap())
                .collect();
            expected.iter().all(|id| delivered.contains(id.as_str()))
        },
    ));
    assert!(
        got.iter().all(|r| r["valid"] == true),
        "every signature verifies"
    );
    assert!(
        got.iter().all(|r| r["path"] == "/leads"),
        "nothing to an endpoint that did not subscribe"
    );
    assert!(
        got.iter().any(|r| r["status"] == 500),
        "some first attempts failed on purpose"
    );
}

#[test]
fn two_instances_on_one_postgres_deliver_each_event_once_per_endpoint() {
    let Run {
        dir,
        rt,
        db,
        base,
        server: _first,
        ..
    } = Run::start();
    if db.backend == leadsy::db::Backend::Sqlite {
        eprintln!("several instances share PostgreSQL only: set LEADSY_TEST_POSTGRES_URL");
        return;
    }
    let own_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _second = start(own_dir.path(), &db.url, port);
    let bases = [base.clone(), format!("http://127.0.0.1:{port}/api/v1")];
    let (token, company) = company(&base);
    let receiver = receiver::Receiver::start(dir.path(), 0);
    let hooks = format!("{base}/companies/{company}/webhooks");
    let mut secrets = Vec::new();
    for (path, events) in [
        ("/leads", json!(["lead.created"])),
        ("/all", json!(["lead.created", "note.created"])),
    ] {
        let made = call(
            "POST",
            &hooks,
            Some(&token),
            Some(json!({"url": format!("{}{path}", receiver.url), "events": events})),
        );
        secrets.push(made["webhook"]["secret"].as_str().unwrap().to_string());
    }
    receiver.trust(&secrets.iter().map(String::as_str).collect::<Vec<_>>());

    // Each change through one instance or the other, as a load balancer would.
    for i in 0..300 {
        let via = &bases[i % 2];
        let lead = call(
            "POST",
            &format!("{via}/companies/{company}/leads"),
            Some(&token),
            Some(json!({"first_name": format!("Shared{i}")})),
        );
        if i % 3 == 0 {
            let other = &bases[(i + 1) % 2];
            call(
                "POST",
                &format!(
                    "{other}/companies/{company}/leads/{}/notes",
                    lead["lead"]["id"]
                ),
                Some(&token),
                Some(json!({"body": "through the other one"})),
            );
        }
    }
    let ids = |kinds: &str| -> Vec<String> {
        rt.block_on(
            sqlx::query_scalar::<_, i64>(&format!("SELECT id FROM events WHERE kind IN ({kinds})"))
                .fetch_all(&db.pool),
        )
        .unwrap()
        .into_iter()
        .map(leadsy::webhooks::message_id)
        .collect()
    };
    let (leads, all) = (ids("'lead.created'"), ids("'lead.created', 'note.created'"));
    assert_eq!((leads.len(), all.len()), (300, 400));
    let expected = leads.len() + all.len();
    rt.block_on(receiver.until_within(
        Duration::from_secs(120),
        "every event at both endpoints",
        |got| got.len() >= expected,
    ));
    // Anything sent twice would have arrived by now.
    std::thread::sleep(Duration::from_secs(3));
    let got = receiver.received();
    assert_eq!(got.len(), expected, "each event once per endpoint, no more");
    for (path, ids) in [("/leads", &leads), ("/all", &all)] {
        let seen: std::collections::HashSet<&str> = got
            .iter()
            .filter(|r| r["path"] == path)
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(seen.len(), ids.len(), "{path} got each of its events");
        assert!(ids.iter().all(|id| seen.contains(id.as_str())));
    }
    assert!(got.iter().all(|r| r["valid"] == true && r["status"] == 204));
    let instances: i64 = rt
        .block_on(
            sqlx::query_scalar("SELECT COUNT(DISTINCT instance) FROM webhook_attempts")
                .fetch_one(&db.pool),
        )
        .unwrap();
    assert_eq!(instances, 2, "both instances delivered");
}
