//! Lead imports over HTTP: the template, the upload (202 at once), the worker's
//! progress to completed, real-world CSV, deduplication, routing, failed rows, and
//! the refusals that write nothing.

use crate::support::{multipart, Team, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

fn imports(t: &Team) -> String {
    format!("/api/v1/companies/{}/imports", t.company)
}

async fn upload(
    app: &TestApp,
    token: &str,
    t: &Team,
    name: &str,
    csv: &[u8],
) -> crate::support::Reply {
    app.send(multipart(&imports(t), Method::POST, Some(token), name, csv))
        .await
}

/// Polls the import until it has finished.
async fn finished(app: &TestApp, t: &Team, id: i64) -> Value {
    for _ in 0..400 {
        let r = app
            .get(&format!("{}/{id}", imports(t)), Some(&t.manager))
            .await;
        let status = r.body["import_file"]["status"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if status == "completed" || status == "failed" {
            return r.body["import_file"].clone();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("import {id} did not finish");
}

#[tokio::test]
async fn a_real_world_file_imports_with_duplicates_and_failed_rows_accounted_for() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.start_import_worker();
    let questions = format!("/api/v1/companies/{}/questions", t.company);
    let q = app
        .post(
            &questions,
            Some(&t.manager),
            json!({"text": "Team size", "kind": "single_choice", "options": ["Small", "Large"]}),
        )
        .await;
    let question = q.body["question"]["id"].as_i64().unwrap();
    let source = app
        .post(
            &format!("/api/v1/companies/{}/sources", t.company),
            Some(&t.manager),
            json!({"name": "Trade show", "user_access_ids": [t.rep1.0, t.rep2.0]}),
        )
        .await;
    assert_eq!(source.status, StatusCode::CREATED, "{}", source.body);
    app.lead(
        &t.manager,
        t.company,
        json!({"first_name": "Old", "email": "old@lead.test"}),
    )
    .await;

    let template = app
        .get(&format!("{}/template", imports(&t)), Some(&t.rep1.1))
        .await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(template.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(template.raw.starts_with(
        "first_name,last_name,company_name,email,phone,postal_code,value,stage,source,campaign,Team size"
    ), "{}", template.raw);

    // BOM, semicolons, CRLF, a quoted cell holding the delimiter and a line break,
    // header names in other cases, an extra column, a blank row, an empty line, an
    // amount with a decimal comma as semicolon locales write it.
    let csv = "\u{feff}First Name;LAST_NAME;Email;Phone;Source;Stage;Value;team size;Notes\r\n\
        Ada;Lovelace;ada@lead.test;;trade show;contacted;1250.50;small;\"likes; semicolons\r\nand lines\"\r\n\
        Ada again;;ADA@lead.test;;;;;;\r\n\
        Old;Friend;old@lead.test;;;;;;\r\n\
        ;;;;;;;;\r\n\
        =HYPERLINK(\"x\");;not-an-email;;;;;;\r\n\
        Grace;Hopper;grace@lead.test;+1 555 010 2030;;won;2.500,75;large;\r\n\
        Linus;;;+15550102030;;;;;\r\n\
        \r\n\
        Kim;;kim@lead.test;;Fax;;;;\r\n";
    let r = upload(
        &app,
        &t.manager,
        &t,
        "C:\\Users\\me\\leads.csv",
        csv.as_bytes(),
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let queued = &r.body["import_file"];
    assert_eq!(queued["filename"], "leads.csv");
    assert!(["queued", "processing", "completed"].contains(&queued["status"].as_str().unwrap()));
    assert!(
        queued["notes"][0].as_str().unwrap().contains("\"Notes\""),
        "{}",
        queued
    );

    let done = finished(&app, &t, queued["id"].as_i64().unwrap()).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["total_rows"], 7, "the blank row is not a lead: {done}");
    assert_eq!(done["processed_rows"], 7);
    assert_eq!(done["imported_rows"], 2, "{done}");
    assert_eq!(done["duplicate_rows"], 3, "{done}");
    assert_eq!(done["failed_rows"], 2, "{done}");
    let rows: Vec<i64> = done["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_i64().unwrap())
        .collect();
    assert_eq!(rows, vec![6, 10], "spreadsheet row numbers: {done}");
    assert!(done["errors"][1]["message"]
        .as_str()
        .unwrap()
        .contains("\"Fax\""));
    assert!(done["finished_at"].is_string());

    let find = |q: &'static str| {
        let app = &app;
        let t = &t;
        async move {
            let r = app
                .get(
                    &format!("/api/v1/companies/{}/leads?q={q}", t.company),
                    Some(&t.manager),
                )
                .await;
            assert_eq!(r.body["meta"]["total"], 1, "{q}: {}", r.body);
            r.body["leads"][0].clone()
        }
    };
    let ada = find("lovelace").await;
    assert_eq!(ada["email"], "ada@lead.test");
    assert_eq!(ada["value_cents"], 125050);
    assert_eq!(ada["source_id"], source.body["source"]["id"]);
    assert_eq!(ada["stage_id"], app.stage_id("contacted").await);
    assert_eq!(ada["answers"][question.to_string()], "Small");
    let rep = ada["assigned_user_access_id"].as_i64().unwrap();
    assert!(
        [t.rep1.0, t.rep2.0].contains(&rep),
        "routed to the source's reps"
    );
    let grace = find("hopper").await;
    assert_eq!(grace["stage_id"], app.stage_id("won").await);
    assert_eq!(grace["answers"][question.to_string()], "Large");
    assert_eq!(grace["value_cents"], 250075);
    app.assert_totals_match().await;

    let failed_rows = format!("{}/{}/failed_rows", imports(&t), done["id"]);
    app.get(&failed_rows, Some(&t.rep1.1))
        .await
        .assert_error(403, "FORBIDDEN");
    let as_rep = app
        .get(&format!("{}/{}", imports(&t), done["id"]), Some(&t.rep1.1))
        .await;
    assert_eq!(as_rep.status, StatusCode::OK);
    assert_eq!(as_rep.body["import_file"]["failed_rows"], 2);
    assert_eq!(
        as_rep.body["import_file"]["errors"],
        json!([]),
        "a rep sees the counts, not the rows' contents"
    );
    let failed = app.get(&failed_rows, Some(&t.manager)).await;
    assert_eq!(failed.status, StatusCode::OK);
    let lines: Vec<&str> = failed.raw.lines().collect();
    assert_eq!(
        lines[0],
        "row,reason,First Name,LAST_NAME,Email,Phone,Source,Stage,Value,team size,Notes"
    );
    assert!(lines[1].starts_with("6,"), "{}", failed.raw);
    assert!(
        lines[1].contains("'=HYPERLINK"),
        "formulas are neutralized: {}",
        failed.raw
    );
    assert!(lines[2].starts_with("10,"));

    let list = app.get(&imports(&t), Some(&t.rep2.1)).await;
    assert_eq!(list.body["import_files"][0]["id"], done["id"]);
    assert_eq!(list.body["meta"]["total"], 1);
}

#[tokio::test]
async fn refused_uploads_write_nothing() {
    let app = TestApp::spawn_with(|c| c.max_import_bytes = 2000).await;
    let t = app.team().await;
    let good = b"first_name,email\nAda,ada@lead.test\n";
    app.send(multipart(&imports(&t), Method::POST, None, "a.csv", good))
        .await
        .assert_error(401, "UNAUTHORIZED");
    upload(&app, &t.rep1.1, &t, "a.csv", good)
        .await
        .assert_error(403, "FORBIDDEN");
    upload(&app, &t.outsider, &t, "a.csv", good)
        .await
        .assert_error(404, "NOT_FOUND");
    let png = upload(&app, &t.manager, &t, "photo.csv", crate::support::PNG).await;
    png.assert_error(422, "VALIDATION_FAILED");
    assert!(png.body["error"]["fields"]["file"][0]
        .as_str()
        .unwrap()
        .contains("not a CSV"));
    let latin1 = upload(&app, &t.manager, &t, "old.csv", b"first_name\nJos\xe9\n").await;
    latin1.assert_error(422, "VALIDATION_FAILED");
    let no_columns = upload(&app, &t.manager, &t, "x.csv", b"colour,size\nred,1\n").await;
    no_columns.assert_error(422, "VALIDATION_FAILED");
    assert!(no_columns.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("template"));
    let big = format!("first_name\n{}", "Ada\n".repeat(600));
    upload(&app, &t.manager, &t, "big.csv", big.as_bytes())
        .await
        .assert_error(413, "PAYLOAD_TOO_LARGE");

    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM import_files")
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
    let stored = app.dir.path().join(format!("files/imports/{}", t.company));
    let files = std::fs::read_dir(&stored).map(|d| d.count()).unwrap_or(0);
    assert_eq!(files, 0, "no file is left in storage");

    app.get(&format!("{}/template", imports(&t)), None)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.get(&format!("{}/template", imports(&t)), Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&imports(&t), Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&format!("{}/1", imports(&t)), Some(&t.manager))
        .await
        .assert_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn another_company_never_sees_an_import() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let r = upload(&app, &t.admin, &t, "a.csv", b"email\nada@lead.test\n").await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let id = r.body["import_file"]["id"].as_i64().unwrap();
    let theirs = format!("/api/v1/companies/{}/imports/{id}", t.other_company);
    app.get(&theirs, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&format!("{}/{id}", imports(&t)), Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(
        &format!("{}/{id}/failed_rows", imports(&t)),
        Some(&t.outsider),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.get(&format!("{}/{id}", imports(&t)), None)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn a_file_larger_than_the_read_buffer_imports_every_row_in_many_batches() {
    let app = TestApp::spawn_with(|c| c.import_batch_rows = 700).await;
    let t = app.team().await;
    app.start_import_worker();
    let mut csv = String::from("first_name,last_name,email\n");
    for i in 0..8000 {
        csv.push_str(&format!("Lead{i},\"Many, Rows\",lead{i}@bulk.test\n"));
    }
    assert!(csv.len() > 256 * 1024);
    let r = upload(&app, &t.manager, &t, "bulk.csv", csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let done = finished(&app, &t, r.body["import_file"]["id"].as_i64().unwrap()).await;
    assert_eq!(
        (done["total_rows"].as_i64(), done["imported_rows"].as_i64()),
        (Some(8000), Some(8000)),
        "{done}"
    );
    let leads: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT email) FROM leads WHERE company_id = $1")
            .bind(t.company)
            .fetch_one(&app.state.ctx.db.pool)
            .await
            .unwrap();
    assert_eq!(leads, 8000);
}

#[tokio::test]
async fn a_quote_left_open_fails_the_import_at_its_row_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.start_import_worker();
    let mut csv = String::from("first_name,email\nAda,ada@quote.test\nBob,\"bob@quote.test\n");
    csv.push_str(&"Row,row@quote.test\n".repeat(80_000));
    let r = upload(&app, &t.manager, &t, "open.csv", csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let done = finished(&app, &t, r.body["import_file"]["id"].as_i64().unwrap()).await;
    assert_eq!(done["status"], "failed", "{done}");
    let why = done["failure"].as_str().unwrap_or_default();
    assert!(
        why.contains("row 3") && why.contains("quote left open"),
        "{done}"
    );
    assert_eq!(done["imported_rows"], 0, "{done}");
}

#[tokio::test]
async fn a_nul_fails_its_row_and_text_that_copy_escapes_imports_whole() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.start_import_worker();
    // PostgreSQL's COPY reads a backslash, `\N` and `\.` as its own unless escaped.
    // A file with a NUL in its first 64 KiB is refused at upload as binary; past
    // them it reaches the worker. Blank rows are not leads.
    let blank = 17_000;
    let padding = ",,,\n".repeat(blank);
    let csv = format!(
        "first_name,last_name,company_name,email\n{padding}\
        Nul,Row,\"A\0B\",nul@copy.test\n\
        Back\\slash,\\N,\\.,slash@copy.test\n\
        Said,Quote,\"say \"\"hi\"\"\",quote@copy.test\n"
    );
    let r = upload(&app, &t.manager, &t, "copy.csv", csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let done = finished(&app, &t, r.body["import_file"]["id"].as_i64().unwrap()).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["failed_rows"], 1, "{done}");
    assert_eq!(done["imported_rows"], 2, "{done}");
    assert_eq!(done["errors"][0]["row"], blank + 2, "{done}");
    assert!(
        done["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("NUL"),
        "{done}"
    );
    let leads = app
        .get(
            &format!("/api/v1/companies/{}/leads", t.company),
            Some(&t.manager),
        )
        .await;
    let lead = |email: &str| {
        leads.body["leads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["email"] == email)
            .unwrap_or_else(|| panic!("{email}: {}", leads.body))
            .clone()
    };
    let slash = lead("slash@copy.test");
    assert_eq!(slash["first_name"], "Back\\slash");
    assert_eq!(slash["last_name"], "\\N", "text, not NULL");
    assert_eq!(slash["company_name"], "\\.");
    assert_eq!(lead("quote@copy.test")["company_name"], "say \"hi\"");
    app.assert_totals_match().await;
}

#[tokio::test]
async fn failed_rows_download_whole_over_many_pages() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.start_import_worker();
    let mut csv = String::from("first_name,email\n");
    for i in 0..12_345 {
        csv.push_str(&format!("Lead{i},not-an-email-{i}\n"));
    }
    let r = upload(&app, &t.manager, &t, "bad.csv", csv.as_bytes()).await;
    let done = finished(&app, &t, r.body["import_file"]["id"].as_i64().unwrap()).await;
    assert_eq!(done["failed_rows"], 12_345, "{done}");
    let failed = app
        .get(
            &format!("{}/{}/failed_rows", imports(&t), done["id"]),
            Some(&t.manager),
        )
        .await;
    assert_eq!(failed.status, StatusCode::OK);
    let rows: Vec<i64> = failed
        .raw
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(rows, (2..12_347).collect::<Vec<i64>>());
}

/// A lead as a spreadsheet would hold it, already in the form Leadsy keeps it.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    first: String,
    last: String,
    company: String,
    email: String,
    phone: Option<String>,
    cents: i64,
}

fn rows() -> impl proptest::strategy::Strategy<Value = Vec<Row>> {
    use proptest::prelude::*;
    // Words with the characters that CSV must quote, the backslash that PostgreSQL's
    // COPY escapes (and so `\N`, its NULL), and some that are not ASCII.
    let word = "[A-Za-zÀ-ÿ'\",;\\\\]{1,8}";
    let text = proptest::collection::vec(word, 1..4).prop_map(|w| w.join(" "));
    let row = (
        text.clone(),
        text.clone(),
        text,
        any::<bool>(),
        0_i64..1_000_000_000,
    );
    proptest::collection::vec(row, 1..25).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (first, last, company, phone, cents))| Row {
                first,
                last,
                company,
                email: format!("lead{i}@prop.test"),
                phone: phone.then(|| format!("+1 555 {:07}", i)),
                cents,
            })
            .collect()
    })
}

/// Writes the rows as a spreadsheet might save them: a semicolon file in a locale
/// that writes amounts `1.234,50`, a comma file in one that writes `1,234.50`.
fn as_csv(rows: &[Row], delimiter: u8, crlf: bool, bom: bool) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    out.write_record([
        "Email",
        "first name",
        "LAST_NAME",
        "Company",
        "Phone",
        "Value",
    ])
    .unwrap();
    for r in rows {
        let (group, point) = if delimiter == b';' {
            ('.', ',')
        } else {
            (',', '.')
        };
        let whole = leadsy::numbers::grouped(r.cents / 100).replace(',', &group.to_string());
        let value = format!("{whole}{point}{:02}", r.cents % 100);
        out.write_record([
            r.email.as_str(),
            &r.first,
            &r.last,
            &r.company,
            r.phone.as_deref().unwrap_or(""),
            &value,
        ])
        .unwrap();
    }
    let mut bytes = if bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    bytes.extend(out.into_inner().unwrap());
    bytes
}

#[tokio::test]
async fn any_generated_leads_written_to_csv_import_back_the_same() {
    use proptest::strategy::{Strategy, ValueTree};
    let app = TestApp::spawn().await;
    app.start_import_worker();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for case in 0..12 {
        let rows = rows().new_tree(&mut runner).unwrap().current();
        let (_, token) = app.user(&format!("prop{case}@owner.test")).await;
        let company = app.company(&token, &format!("Prop {case}")).await;
        let (delimiter, crlf, bom) = ([b',', b';'][case % 2], case % 3 == 0, case % 4 < 2);
        let r = app
            .send(multipart(
                &format!("/api/v1/companies/{company}/imports"),
                Method::POST,
                Some(&token),
                "prop.csv",
                &as_csv(&rows, delimiter, crlf, bom),
            ))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let id = r.body["import_file"]["id"].as_i64().unwrap();
        let path = format!("/api/v1/companies/{company}/imports/{id}");
        let mut done = Value::Null;
        for _ in 0..400 {
            done = app.get(&path, Some(&token)).await.body["import_file"].clone();
            if done["status"] == "completed" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(done["imported_rows"], rows.len(), "case {case}: {done}");
        let listed = app
            .get(
                &format!("/api/v1/companies/{company}/leads?per_page=100"),
                Some(&token),
            )
            .await;
        let mut back: Vec<Row> = listed.body["leads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| Row {
                first: l["first_name"].as_str().unwrap().into(),
                last: l["last_name"].as_str().unwrap().into(),
                company: l["company_name"].as_str().unwrap().into(),
                email: l["email"].as_str().unwrap().into(),
                phone: l["phone"].as_str().map(str::to_string),
                cents: l["value_cents"].as_i64().unwrap(),
            })
            .collect();
        back.sort_by_key(|r| {
            r.email[4..r.email.find('@').unwrap()]
                .parse::<usize>()
                .unwrap()
        });
        assert_eq!(back, rows, "case {case}");
        let first = &listed.body["leads"][0];
        let history = app
            .get(
                &format!("/api/v1/companies/{company}/leads/{}/events", first["id"]),
                Some(&token),
            )
            .await;
        let created = &history.body["events"][0];
        assert_eq!(
            created["type"], "lead.created",
            "case {case}: {}",
            history.body
        );
        for field in [
            "id",
            "first_name",
            "last_name",
            "company_name",
            "email",
            "phone",
        ] {
            assert_eq!(created["data"][field], first[field], "case {case}: {field}");
        }
    }
}

#[tokio::test]
async fn several_workers_share_the_queue_and_write_each_import_once() {
    let app = TestApp::spawn_with(|c| c.import_batch_rows = 50).await;
    let t = app.team().await;
    for _ in 0..3 {
        app.start_import_worker();
    }
    let mut ids = Vec::new();
    for file in 0..6 {
        let mut csv = String::from("email,first_name\n");
        for i in 0..300 {
            csv.push_str(&format!("f{file}r{i}@queue.test,Row{i}\n"));
        }
        let r = upload(
            &app,
            &t.manager,
            &t,
            &format!("part{file}.csv"),
            csv.as_bytes(),
        )
        .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        ids.push(r.body["import_file"]["id"].as_i64().unwrap());
    }
    for id in ids {
        let done = finished(&app, &t, id).await;
        assert_eq!(
            (
                done["status"].as_str(),
                done["processed_rows"].as_i64(),
                done["imported_rows"].as_i64()
            ),
            (Some("completed"), Some(300), Some(300)),
            "{done}"
        );
    }
    let leads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leads WHERE company_id = $1")
        .bind(t.company)
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    assert_eq!(leads, 1800);
    app.assert_totals_match().await;
}

#[tokio::test]
async fn the_bulk_lead_writer_refuses_everyone_but_the_operator() {
    use leadsy::db::Conn;
    use leadsy::events::By;
    use leadsy::leads::bulk::{insert_placed, PlacedLead};
    use leadsy::leads::LeadFields;
    use leadsy::{Actor, Error};
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let placed = PlacedLead {
        fields: LeadFields {
            first_name: "Sneaky".into(),
            last_name: String::new(),
            company_name: String::new(),
            email: Some("sneaky@bulk.test".into()),
            phone: None,
            postal_code: None,
            value_cents: 0,
        },
        stage_id: app.stage_id("new").await,
        source_id: None,
        campaign_id: None,
        cycle_id: None,
        assigned_user_access_id: None,
        answers: "{}".into(),
        created_at: leadsy::time::Timestamp::now(),
    };
    let mut tx = app.state.ctx.db.begin_bulk().await.unwrap();
    for actor in [
        Actor::Anonymous,
        Actor::User { user_id: 1 },
        Actor::CustomerKey {
            key_id: 1,
            user_id: 1,
            company_id: t.company,
        },
    ] {
        let refused = insert_placed(
            &mut tx,
            &actor,
            &By::operator(),
            t.company,
            std::slice::from_ref(&placed),
        )
        .await;
        assert!(matches!(refused, Err(Error::Forbidden(_))), "{actor:?}");
    }
    tx.commit().await.unwrap();
    let written: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM leads WHERE email = 'sneaky@bulk.test'")
            .fetch_one(&app.state.ctx.db.pool)
            .await
            .unwrap();
    assert_eq!(written, 0);
}
