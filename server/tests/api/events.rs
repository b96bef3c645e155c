//! Events and the one lead writer: concurrent updates of different fields both
//! stay, `If-Match` refuses a stale change, and every change of a lead is in its
//! history with who, through which door, and each field's before and after.

use crate::support::{multipart, TestApp};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

async fn put_if_match(
    app: &TestApp,
    path: &str,
    token: &str,
    tag: &str,
    body: Value,
) -> crate::support::Reply {
    let req = Request::builder()
        .method(Method::PUT)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::IF_MATCH, tag)
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(req).await
}

/// The newest event of `kind` in an answer's list.
fn newest<'a>(events: &'a [Value], kind: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["type"] == kind)
        .unwrap_or_else(|| panic!("{kind} in {events:?}"))
}

fn etag(r: &crate::support::Reply) -> String {
    r.headers[header::ETAG].to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_updates_of_different_fields_both_stay() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    for round in 0..12 {
        let lead = app
            .lead(
                &t.manager,
                t.company,
                json!({"first_name": "Ada", "phone": "+1 555 0100"}),
            )
            .await;
        let path = format!("/api/v1/companies/{}/leads/{}", t.company, lead["id"]);
        let won = app.stage_id("won").await;
        let (a, b, c) = tokio::join!(
            app.put(
                &path,
                Some(&t.manager),
                json!({"first_name": format!("Grace {round}")})
            ),
            app.put(&path, Some(&t.admin), json!({"phone": "+1 555 0199"})),
            app.put(&path, Some(&t.manager), json!({"stage_id": won})),
        );
        for r in [&a, &b, &c] {
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let got = app.get(&path, Some(&t.admin)).await.body["lead"].clone();
        assert_eq!(
            got["first_name"],
            format!("Grace {round}"),
            "round {round}: {got}"
        );
        assert_eq!(got["phone"], "+1 555 0199", "round {round}: {got}");
        assert_eq!(got["stage_id"], won, "round {round}: {got}");
        assert_eq!(got["version"], 4, "three writes after the creation: {got}");
    }
    app.assert_totals_match().await;
}

#[tokio::test]
async fn a_stale_if_match_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let lead = app
        .lead(&t.manager, t.company, json!({"first_name": "Ada"}))
        .await;
    let path = format!("/api/v1/companies/{}/leads/{}", t.company, lead["id"]);
    let read = app.get(&path, Some(&t.manager)).await;
    assert_eq!(etag(&read), "\"1\"");
    let fresh = put_if_match(
        &app,
        &path,
        &t.manager,
        "\"1\"",
        json!({"first_name": "Grace"}),
    )
    .await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
    assert_eq!(etag(&fresh), "\"2\"");
    assert_eq!(fresh.body["lead"]["version"], 2);

    let stale = put_if_match(
        &app,
        &path,
        &t.admin,
        "\"1\"",
        json!({"last_name": "Hopper"}),
    )
    .await;
    stale.assert_error(412, "PRECONDITION_FAILED");
    let weak_stale = put_if_match(
        &app,
        &path,
        &t.admin,
        "W/\"1\"",
        json!({"last_name": "Hopper"}),
    )
    .await;
    weak_stale.assert_error(412, "PRECONDITION_FAILED");
    // A tag of the documented form that no version could have is stale, not malformed.
    put_if_match(
        &app,
        &path,
        &t.admin,
        "W/\"4649394086930141291543\"",
        json!({"last_name": "Hopper"}),
    )
    .await
    .assert_error(412, "PRECONDITION_FAILED");
    for bad in ["\"one\"", "\"1\", \"2\"", "-1", "null"] {
        put_if_match(&app, &path, &t.admin, bad, json!({"last_name": "Hopper"}))
            .await
            .assert_error(400, "BAD_REQUEST");
    }
    let got = app.get(&path, Some(&t.admin)).await;
    assert_eq!(
        got.body["lead"]["last_name"], "",
        "nothing refused was written"
    );
    assert_eq!(etag(&got), "\"2\"");

    let any = put_if_match(&app, &path, &t.admin, "*", json!({"last_name": "Hopper"})).await;
    assert_eq!(any.status, StatusCode::OK, "{}", any.body);
    let same = app
        .put(&path, Some(&t.admin), json!({"last_name": "Hopper"}))
        .await;
    assert_eq!(
        same.body["lead"]["version"], 3,
        "a write that changes nothing is no new version"
    );
}

#[tokio::test]
async fn a_leads_history_tells_who_changed_what_through_which_door() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let lead = app
        .lead(
            &t.manager,
            t.company,
            json!({"first_name": "Ada", "assigned_user_access_id": t.rep1.0}),
        )
        .await;
    let id = lead["id"].as_i64().unwrap();
    let path = format!("/api/v1/companies/{}/leads/{id}", t.company);
    let qualified = app.stage_id("qualified").await;
    app.put(
        &path,
        Some(&t.rep1.1),
        json!({"first_name": "Grace", "value_cents": 5000}),
    )
    .await;
    app.put(&path, Some(&t.rep1.1), json!({"stage_id": qualified}))
        .await;
    app.put(
        &path,
        Some(&t.manager),
        json!({"assigned_user_access_id": t.rep2.0}),
    )
    .await;
    let note = app
        .post(
            &format!("{path}/notes"),
            Some(&t.rep2.1),
            json!({"body": "Called, wants a demo"}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.body);
    let starts = leadsy::time::Timestamp(time::OffsetDateTime::now_utc().unix_timestamp() + 86_400)
        .rfc3339();
    let booked = app
        .post(
            &format!("{path}/appointments"),
            Some(&t.rep2.1),
            json!({"starts_at": starts}),
        )
        .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);

    let history = app.get(&format!("{path}/events"), Some(&t.rep2.1)).await;
    assert_eq!(history.status, StatusCode::OK, "{}", history.body);
    let events = history.body["events"].as_array().unwrap().clone();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "appointment.booked",
            "lead.stage_changed",
            "note.created",
            "lead.assigned",
            "lead.stage_changed",
            "lead.updated",
            "lead.created"
        ],
        "newest first"
    );
    assert_eq!(history.body["meta"]["total"], 7);
    let updated = &events[5];
    assert_eq!(
        updated["changes"]["first_name"],
        json!({"before": "Ada", "after": "Grace"})
    );
    assert_eq!(
        updated["changes"]["value_cents"],
        json!({"before": 0, "after": 5000})
    );
    assert_eq!(
        updated["changes"].as_object().unwrap().len(),
        2,
        "only what changed: {updated}"
    );
    assert_eq!(updated["by"]["kind"], "user");
    assert_eq!(updated["by"]["door"], "api");
    assert!(updated["by_name"].is_string());
    let moved = &events[4];
    assert_eq!(moved["data"]["previous_stage"]["key"], "new");
    assert_eq!(moved["data"]["stage"]["key"], "qualified");
    assert_eq!(moved["data"]["id"], id, "the lead as the API shows it");
    assert_eq!(
        events[3]["changes"]["assigned_user_access_id"],
        json!({"before": t.rep1.0, "after": t.rep2.0})
    );
    assert_eq!(events[2]["data"]["body"], "Called, wants a demo");
    assert_eq!(
        events[1]["data"]["stage"]["key"], "appointment_set",
        "booking moved it on"
    );
    assert_eq!(events[0]["subject_id"], booked.body["appointment"]["id"]);

    // As visible as the lead: not to the rep who no longer has it, nor outside.
    for token in [&t.rep1.1, &t.outsider] {
        app.get(&format!("{path}/events"), Some(token))
            .await
            .assert_error(404, "NOT_FOUND");
    }
    let other = format!("/api/v1/companies/{}/leads/{id}/events", t.other_company);
    app.get(&other, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    let paged = app
        .get(&format!("{path}/events?per_page=2&page=2"), Some(&t.admin))
        .await;
    let kinds: Vec<&str> = paged.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["note.created", "lead.assigned"]);
}

#[tokio::test]
async fn imported_leads_are_created_by_their_import() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.start_import_worker();
    let imports = format!("/api/v1/companies/{}/imports", t.company);
    let csv = b"first_name,last_name,email\nAda,Lovelace,ada@example.com\nGrace,Hopper,grace@example.com\n";
    let r = app
        .send(multipart(
            &imports,
            Method::POST,
            Some(&t.manager),
            "leads.csv",
            csv,
        ))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let import_id = r.body["import_file"]["id"].as_i64().unwrap();
    let mut done = false;
    for _ in 0..400 {
        let s = app
            .get(&format!("{imports}/{import_id}"), Some(&t.manager))
            .await;
        if s.body["import_file"]["status"] == "completed" {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(done, "the import completes");
    let leads = app
        .get(
            &format!("/api/v1/companies/{}/leads", t.company),
            Some(&t.manager),
        )
        .await;
    for lead in leads.body["leads"].as_array().unwrap() {
        let history = app
            .get(
                &format!(
                    "/api/v1/companies/{}/leads/{}/events",
                    t.company, lead["id"]
                ),
                Some(&t.manager),
            )
            .await;
        let created = &history.body["events"][0];
        assert_eq!(created["type"], "lead.created");
        assert_eq!(created["by"]["kind"], "import");
        assert_eq!(created["by"]["door"], "import");
        assert_eq!(created["by"]["ref_id"], import_id);
        assert!(
            created["by_name"].is_string(),
            "the manager who uploaded it"
        );
        assert_eq!(
            &created["data"], lead,
            "the event holds the lead as the API shows it"
        );
    }
}

#[tokio::test]
async fn a_board_move_made_on_a_stale_card_says_so_and_the_page_door_is_recorded() {
    use crate::browser::{location, refused, Browser};
    use leadsy_app::rpc::board::MoveLead;
    use leptos::server_fn::ServerFn;
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let mut b = Browser::new(&app);
    b.log_in("rep1@acme.test").await;
    let lead = app
        .lead(&t.rep1.1, t.company, json!({"first_name": "Raced"}))
        .await;
    let path = format!("/api/v1/companies/{}/leads/{}", t.company, lead["id"]);
    // Someone else changes the lead after the board showed version 1.
    app.put(&path, Some(&t.manager), json!({"last_name": "Elsewhere"}))
        .await;
    let (company, id) = (t.company.to_string(), lead["id"].to_string());
    let won = app.stage_id("won").await.to_string();
    let form = |version: &'static str| {
        vec![
            ("company_id", company.clone()),
            ("lead_id", id.clone()),
            ("stage_id", won.clone()),
            ("version", version.to_string()),
        ]
    };
    let stale = form("1");
    let stale: Vec<(&str, &str)> = stale.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post(MoveLead::PATH, "/board", &stale).await;
    let page = refused(&r, StatusCode::PRECONDITION_FAILED);
    assert!(
        page.contains("changed by someone else"),
        "the board says why"
    );
    let got = app.get(&path, Some(&t.rep1.1)).await;
    assert_eq!(got.body["lead"]["stage_id"], lead["stage_id"], "not moved");

    let fresh = form("2");
    let fresh: Vec<(&str, &str)> = fresh.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post(MoveLead::PATH, "/board", &fresh).await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.raw);
    assert!(location(&r).contains("/board"));
    let history = app.get(&format!("{path}/events"), Some(&t.rep1.1)).await;
    let moved = &history.body["events"][0];
    assert_eq!(moved["type"], "lead.stage_changed");
    assert_eq!(moved["by"]["door"], "page");
    assert_eq!(
        moved["changes"].as_object().unwrap().len(),
        1,
        "only the stage: {moved}"
    );
}

#[tokio::test]
async fn the_audit_log_is_for_admins_filtered_paged_and_exported() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let log = format!("/api/v1/companies/{}/events", t.company);
    // The team's own making (invitations, members) came first.
    let before = app.get(&log, Some(&t.admin)).await.body["meta"]["total"]
        .as_i64()
        .unwrap();
    let a = app
        .lead(
            &t.manager,
            t.company,
            json!({"first_name": "=cmd|' /C calc'!A0"}),
        )
        .await;
    let b = app
        .lead(&t.rep1.1, t.company, json!({"first_name": "Bea"}))
        .await;
    let won = app.stage_id("won").await;
    app.put(
        &format!("/api/v1/companies/{}/leads/{}", t.company, b["id"]),
        Some(&t.rep1.1),
        json!({"stage_id": won}),
    )
    .await;

    for token in [&t.manager, &t.rep1.1] {
        app.get(&log, Some(token))
            .await
            .assert_error(403, "FORBIDDEN");
    }
    app.get(&log, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&log, None).await.assert_error(401, "UNAUTHORIZED");

    let all = app.get(&log, Some(&t.admin)).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(all.body["meta"]["total"], before + 3);
    let kinds = |r: &crate::support::Reply| -> Vec<String> {
        r.body["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        kinds(&all)[..3],
        ["lead.stage_changed", "lead.created", "lead.created"]
    );
    let rep1 = app
        .get("/api/v1/users/validate_jwt", Some(&t.rep1.1))
        .await
        .body["user_id"]
        .clone();
    let by_rep = app
        .get(&format!("{log}?actor_user_id={rep1}"), Some(&t.admin))
        .await;
    assert_eq!(kinds(&by_rep)[..2], ["lead.stage_changed", "lead.created"]);
    assert!(
        by_rep.body["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["by"]["user_id"] == rep1),
        "only what rep1 did"
    );
    let created = app
        .get(
            &format!("{log}?kind=lead.created&lead_id={}", a["id"]),
            Some(&t.admin),
        )
        .await;
    assert_eq!(created.body["meta"]["total"], 1);
    let future = app
        .get(&format!("{log}?from=2999-01-01T00:00:00Z"), Some(&t.admin))
        .await;
    assert_eq!(future.body["meta"]["total"], 0);
    let past = app
        .get(&format!("{log}?to=2000-01-01T00:00:00Z"), Some(&t.admin))
        .await;
    assert_eq!(past.body["meta"]["total"], 0);
    app.get(&format!("{log}?kind=lead.exploded"), Some(&t.admin))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    let paged = app
        .get(&format!("{log}?per_page=1&page=3"), Some(&t.admin))
        .await;
    assert_eq!(kinds(&paged), ["lead.created"]);

    let csv = app.get(&format!("{log}?format=csv"), Some(&t.admin)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(csv.raw.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len() as i64, before + 3);
    assert!(reader.headers().unwrap().iter().any(|h| h == "type"));
    assert!(
        !csv.raw
            .lines()
            .any(|l| l.split(',').any(|c| c.trim_matches('"').starts_with('='))),
        "no cell a spreadsheet would run: {}",
        csv.raw
    );
    let only = app
        .get(
            &format!("{log}?format=csv&kind=lead.stage_changed"),
            Some(&t.admin),
        )
        .await;
    assert_eq!(only.raw.lines().count(), 2, "the header and one event");
    app.get(&format!("{log}?format=csv"), Some(&t.manager))
        .await
        .assert_error(403, "FORBIDDEN");
}

#[tokio::test]
async fn deleting_a_source_or_removing_a_member_changes_their_leads_through_the_writer() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}", t.company);
    let source = app
        .post(
            &format!("{base}/sources"),
            Some(&t.manager),
            json!({"name": "Trade show"}),
        )
        .await;
    let source_id = source.body["source"]["id"].as_i64().unwrap();
    let lead = app
        .lead(&t.manager, t.company, json!({"first_name": "Sourced", "source_id": source_id, "assigned_user_access_id": t.rep1.0}))
        .await;
    let history = format!("{base}/leads/{}/events", lead["id"]);
    let r = app
        .delete(&format!("{base}/sources/{source_id}"), Some(&t.manager))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let events = app.get(&history, Some(&t.admin)).await.body["events"].clone();
    assert_eq!(events[0]["type"], "lead.updated");
    assert_eq!(
        events[0]["changes"]["source_id"],
        json!({"before": source_id, "after": null})
    );
    assert_eq!(events[0]["data"]["version"], 2);

    let rep1 = app
        .get("/api/v1/users/validate_jwt", Some(&t.rep1.1))
        .await
        .body["user_id"]
        .clone();
    let r = app
        .delete(
            &format!("/api/v1/users/{rep1}/user_accesses/{}", t.rep1.0),
            Some(&t.admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let events = app.get(&history, Some(&t.admin)).await.body["events"].clone();
    assert_eq!(events[0]["type"], "lead.assigned");
    assert_eq!(
        events[0]["changes"]["assigned_user_access_id"],
        json!({"before": t.rep1.0, "after": null})
    );
    app.assert_totals_match().await;

    let log = app.get(&format!("{base}/events"), Some(&t.admin)).await;
    let kinds: Vec<&str> = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    for kind in [
        "member.removed",
        "source.deleted",
        "source.created",
        "member.added",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let removed = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "member.removed")
        .unwrap();
    assert_eq!(removed["subject_id"], t.rep1.0);
    assert_eq!(removed["by"]["door"], "api");
}

#[tokio::test]
async fn the_sales_setup_and_the_plan_are_in_the_audit_log() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}", t.company);
    let r = app
        .post(
            &format!("{base}/territories"),
            Some(&t.manager),
            json!({"territories": [{"name": "North", "postal_codes": ["10001"], "user_access_ids": [t.rep1.0]}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let territory = r.body["territories"][0]["id"].as_i64().unwrap();
    app.delete(&format!("{base}/territories/{territory}"), Some(&t.manager))
        .await;
    let q = app
        .post(
            &format!("{base}/questions"),
            Some(&t.manager),
            json!({"text": "Budget?", "kind": "text"}),
        )
        .await;
    let question = q.body["question"]["id"].as_i64().unwrap();
    app.put(
        &format!("{base}/questions/{question}"),
        Some(&t.manager),
        json!({"text": "Budget for this year?"}),
    )
    .await;
    app.delete(&format!("{base}/questions/{question}"), Some(&t.manager))
        .await;
    let cancel = app
        .delete(&format!("{base}/membership"), Some(&t.admin))
        .await;
    assert!(cancel.status.is_success(), "{}", cancel.body);

    let log = app
        .get(&format!("{base}/events?per_page=100"), Some(&t.admin))
        .await;
    let events = log.body["events"].as_array().unwrap();
    let of = |kind: &str| newest(events, kind);
    assert_eq!(
        of("territory.created")["data"]["postal_codes"],
        json!(["10001"])
    );
    assert_eq!(of("territory.deleted")["subject_id"], territory);
    assert_eq!(
        of("question.updated")["data"]["text"],
        "Budget for this year?"
    );
    let reworded = &of("question.updated")["changes"]["text"];
    assert_eq!(reworded["before"], "Budget?", "{reworded}");
    assert_eq!(reworded["after"], "Budget for this year?");
    assert_eq!(of("question.deleted")["subject_id"], question);
    assert!(of("question.created")["by"]["user_id"].is_i64());
    assert!(of("plan.cancelled")["data"]["membership_cancelled_at"].is_string());
    assert!(
        events.iter().any(|e| e["type"] == "plan.changed"),
        "the team's plan was attached"
    );
}

#[tokio::test]
async fn the_company_its_campaigns_cycles_keys_and_webhooks_are_in_the_audit_log() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}", t.company);
    let renamed = app
        .put(&base, Some(&t.admin), json!({"name": "Acme Renamed"}))
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    app.put(
        &format!("{base}/cycles"),
        Some(&t.admin),
        json!({"cycles_enabled": true}),
    )
    .await;
    let cycle = app
        .post(
            &format!("{base}/cycles"),
            Some(&t.manager),
            json!({"name": "Spring", "starts_on": "2026-03-01", "ends_on": "2026-05-31"}),
        )
        .await;
    assert_eq!(cycle.status, StatusCode::CREATED, "{}", cycle.body);
    let campaign = app
        .post(
            &format!("{base}/campaigns"),
            Some(&t.manager),
            json!({"name": "Fair"}),
        )
        .await;
    let campaign_id = campaign.body["campaign"]["id"].as_i64().unwrap();
    app.put(
        &format!("{base}/campaigns/{campaign_id}"),
        Some(&t.manager),
        json!({"status": "paused"}),
    )
    .await;
    let hook = app
        .post(
            &format!("{base}/webhooks"),
            Some(&t.admin),
            json!({"url": "https://hooks.example.com/in", "events": ["lead.created"]}),
        )
        .await;
    let hook_id = hook.body["webhook"]["id"].as_i64().unwrap();
    let secret = hook.body["webhook"]["secret"].as_str().unwrap().to_string();
    app.put(
        &format!("{base}/webhooks/{hook_id}"),
        Some(&t.admin),
        json!({"description": "CRM sync"}),
    )
    .await;
    app.post(
        &format!("{base}/webhooks/{hook_id}/rotate_secret"),
        Some(&t.admin),
        json!({}),
    )
    .await;
    app.delete(&format!("{base}/webhooks/{hook_id}"), Some(&t.admin))
        .await;

    let log = app
        .get(&format!("{base}/events?per_page=100"), Some(&t.admin))
        .await;
    assert!(!log.raw.contains(&secret), "no secret in the log");
    let events = log.body["events"].as_array().unwrap();
    let of = |kind: &str| newest(events, kind);
    let created = of("company.created");
    assert_eq!(created["data"]["name"], "Acme", "{created}");
    let changes: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "company.updated")
        .map(|e| &e["changes"])
        .collect();
    assert!(
        changes
            .iter()
            .any(|c| c["name"]["before"] == "Acme" && c["name"]["after"] == "Acme Renamed"),
        "{changes:?}"
    );
    assert!(
        changes.iter().any(|c| c["cycles_enabled"]["after"] == true),
        "{changes:?}"
    );
    assert_eq!(of("cycle.created")["data"]["name"], "Spring");
    assert_eq!(of("campaign.created")["data"]["status"], "active");
    let paused = &of("campaign.updated")["changes"];
    assert_eq!(
        paused["status"],
        json!({"before": "active", "after": "paused"})
    );
    assert_eq!(
        paused.as_object().unwrap().len(),
        1,
        "only what changed: {paused}"
    );
    assert_eq!(
        of("webhook.created")["data"]["url"],
        "https://hooks.example.com/in"
    );
    assert_eq!(
        of("webhook.updated")["changes"]["description"]["after"],
        "CRM sync"
    );
    assert_eq!(of("webhook.secret_rotated")["subject_id"], hook_id);
    assert_eq!(of("webhook.deleted")["subject_id"], hook_id);
}

#[tokio::test]
async fn a_platforms_onboarding_and_keys_are_recorded_as_the_platforms() {
    let app = TestApp::spawn().await;
    let platform = app.platform_token().await;
    let as_platform = |uri: &str, body: Value| {
        Request::builder()
            .method("POST")
            .uri(uri)
            .header("token", platform.clone())
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let made = app
        .send(as_platform(
            "/api/v1/global/users/onboard",
            json!({"email_id": "owner@partnerco.com", "first_name": "Pat", "last_name": "Owner", "company_name": "Partner Co"}),
        ))
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let company = made.body["data"]["company_id"].as_i64().unwrap();
    let salt = made.body["data"]["customer_salt"]
        .as_str()
        .unwrap()
        .to_string();
    let key = app
        .send(as_platform(
            "/api/v1/global/users/gettokenbycustomerid",
            json!({"customer_id": salt, "name": "Zapier"}),
        ))
        .await;
    assert_eq!(key.status, StatusCode::OK, "{}", key.body);
    let api_key = key.body["customer_api_key"].as_str().unwrap().to_string();

    let log = app
        .get(
            &format!("/api/v1/companies/{company}/events"),
            Some(&api_key),
        )
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    assert!(!log.raw.contains(&api_key), "never the key itself");
    let events = log.body["events"].as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["api_key.created", "company.created"], "{events:?}");
    for e in events {
        assert_eq!(e["by"]["kind"], "platform", "{e}");
        assert!(e["by"]["ref_id"].is_i64(), "the token that did it: {e}");
    }
    assert_eq!(events[0]["data"]["name"], "Zapier");
}
