//! Bulk changes and large exports: a small selection changed at once, a large one
//! as a job with its progress, each change its own event, and the refusals: roles,
//! other companies' leads, members and jobs, and malformed actions.

use crate::support::{Team, TestApp};
use axum::http::StatusCode;
use serde_json::{json, Value};

fn bulk(t: &Team) -> String {
    format!("/api/v1/companies/{}/leads/bulk", t.company)
}

/// Polls a job until it has ended; its JSON.
async fn ended(app: &TestApp, token: &str, company: i64, job: &Value) -> Value {
    let url = format!("/api/v1/companies/{company}/jobs/{}", job["id"]);
    for _ in 0..1200 {
        let r = app.get(&url, Some(token)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let s = &r.body["job"]["status"];
        if s == "completed" || s == "failed" {
            return r.body["job"].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the job did not end");
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_small_selection_changes_at_once_each_lead_its_own_event() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let contacted = app.stage_id("contacted").await;
    let mut ids = Vec::new();
    for name in ["Ada", "Bo", "Cy"] {
        ids.push(
            app.lead(&t.manager, t.company, json!({"first_name": name}))
                .await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let foreign = app
        .lead(
            &t.outsider,
            t.other_company,
            json!({"first_name": "Theirs"}),
        )
        .await;
    let mut chosen = ids[..2].to_vec();
    chosen.push(foreign["id"].as_i64().unwrap());
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"lead_ids": chosen, "action": "move", "stage_id": contacted}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body,
        json!({"updated": 2}),
        "another company's lead is not touched"
    );
    let theirs = app
        .get(
            &format!(
                "/api/v1/companies/{}/leads/{}",
                t.other_company, foreign["id"]
            ),
            Some(&t.outsider),
        )
        .await;
    assert_ne!(theirs.body["lead"]["stage_id"], contacted);
    let history = app
        .get(
            &format!("/api/v1/companies/{}/leads/{}/events", t.company, ids[0]),
            Some(&t.manager),
        )
        .await;
    let last = &history.body["events"][0];
    assert_eq!(last["type"], "lead.stage_changed", "{}", history.body);
    assert_eq!(last["data"]["stage"]["key"], "contacted");
    assert_eq!(last["data"]["previous_stage"]["key"], "new");
    assert_eq!(last["changes"]["stage_id"]["after"], contacted);
    let lead = app
        .get(
            &format!("/api/v1/companies/{}/leads/{}", t.company, ids[0]),
            Some(&t.manager),
        )
        .await;
    assert_eq!(
        lead.body["lead"]["version"], 2,
        "the version moves, so a stale If-Match is refused"
    );

    // The same again changes nothing and records nothing.
    let before = count(&app, "SELECT COUNT(*) FROM events").await;
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"lead_ids": ids, "action": "move", "stage_id": contacted}),
        )
        .await;
    assert_eq!(r.body, json!({"updated": 1}));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM events").await, before + 1);

    // Assign, then unassign, then set and clear a source.
    let source = app
        .post(
            &format!("/api/v1/companies/{}/sources", t.company),
            Some(&t.manager),
            json!({"name": "Fair"}),
        )
        .await
        .body["source"]["id"]
        .as_i64()
        .unwrap();
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"lead_ids": ids, "action": "assign", "user_access_id": t.rep1.0}),
        )
        .await;
    assert_eq!(r.body, json!({"updated": 3}), "{}", r.body);
    let mine = app
        .get(
            &format!("/api/v1/companies/{}/leads", t.company),
            Some(&t.rep1.1),
        )
        .await;
    assert_eq!(mine.body["meta"]["total"], 3);
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"lead_ids": ids, "action": "set", "source_id": source}),
        )
        .await;
    assert_eq!(r.body, json!({"updated": 3}));
    let r = app
        .post(
            &bulk(&t),
            Some(&t.admin),
            json!({"filter": {"source_id": source}, "action": "set", "source_id": null}),
        )
        .await;
    assert_eq!(r.body, json!({"updated": 3}), "a filter chooses them too");
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"lead_ids": ids, "action": "assign", "user_access_id": null}),
        )
        .await;
    assert_eq!(r.body, json!({"updated": 3}));
    let unassigned = app
        .get(
            &format!("/api/v1/companies/{}/leads/unassigned", t.company),
            Some(&t.manager),
        )
        .await;
    assert_eq!(unassigned.body["meta"]["total"], 3);
    app.assert_totals_match().await;
}

#[tokio::test]
async fn deleting_takes_the_leads_their_notes_and_appointments_and_says_so() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let a = app
        .lead(
            &t.manager,
            t.company,
            json!({"first_name": "Gone", "email": "gone@x.test"}),
        )
        .await;
    let b = app
        .lead(
            &t.manager,
            t.company,
            json!({"first_name": "Twin", "email": "gone@x.test"}),
        )
        .await;
    let keep = app
        .lead(&t.manager, t.company, json!({"first_name": "Kept"}))
        .await;
    let notes = format!("/api/v1/companies/{}/leads/{}/notes", t.company, a["id"]);
    assert_eq!(
        app.post(&notes, Some(&t.manager), json!({"body": "hello"}))
            .await
            .status,
        StatusCode::CREATED
    );
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"lead_ids": [a["id"], b["id"]], "action": "delete"}),
        )
        .await;
    assert_eq!(r.body, json!({"updated": 2}), "{}", r.body);
    let gone = app
        .get(
            &format!("/api/v1/companies/{}/leads/{}", t.company, a["id"]),
            Some(&t.manager),
        )
        .await;
    gone.assert_error(404, "NOT_FOUND");
    let left = app
        .get(
            &format!("/api/v1/companies/{}/leads", t.company),
            Some(&t.manager),
        )
        .await;
    assert_eq!(left.body["meta"]["total"], 1);
    assert_eq!(left.body["leads"][0]["id"], keep["id"]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM notes").await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM events WHERE kind = 'lead.deleted'"
        )
        .await,
        2
    );
    let dups = app
        .get(
            &format!("/api/v1/companies/{}/leads/duplicates", t.company),
            Some(&t.manager),
        )
        .await;
    assert_eq!(
        dups.body["meta"]["total"], 0,
        "the duplicate pair went with them"
    );
    let audit = app
        .get(
            &format!("/api/v1/companies/{}/events?kind=lead.deleted", t.company),
            Some(&t.admin),
        )
        .await;
    assert_eq!(
        audit.body["events"][0]["data"]["first_name"]
            .as_str()
            .map(|n| ["Gone", "Twin"].contains(&n)),
        Some(true),
        "{}",
        audit.body
    );
    app.assert_totals_match().await;
}

#[tokio::test]
async fn bulk_changes_are_refused_to_the_wrong_people_and_for_bad_actions() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let lead = app
        .lead(&t.manager, t.company, json!({"first_name": "Ada"}))
        .await;
    let ids = json!([lead["id"]]);
    let move_it = json!({"lead_ids": ids, "action": "move", "stage_id": app.stage_id("won").await});
    app.post(&bulk(&t), None, move_it.clone())
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.post(&bulk(&t), Some(&t.rep1.1), move_it.clone())
        .await
        .assert_error(403, "FORBIDDEN");
    app.post(&bulk(&t), Some(&t.outsider), move_it.clone())
        .await
        .assert_error(404, "NOT_FOUND");
    let other_member: i64 =
        sqlx::query_scalar("SELECT id FROM user_accesses WHERE company_id = $1")
            .bind(t.other_company)
            .fetch_one(&app.state.ctx.db.pool)
            .await
            .unwrap();
    let cases = [
        (json!({"action": "move", "stage_id": 1}), "lead_ids"),
        (
            json!({"lead_ids": ids, "filter": {}, "action": "delete"}),
            "lead_ids",
        ),
        (json!({"lead_ids": [], "action": "delete"}), "lead_ids"),
        (
            json!({"lead_ids": (1..=10_001).collect::<Vec<i64>>(), "action": "delete"}),
            "lead_ids",
        ),
        (json!({"lead_ids": ids, "action": "move"}), "stage_id"),
        (
            json!({"lead_ids": ids, "action": "move", "stage_id": 999_999}),
            "stage_id",
        ),
        (
            json!({"lead_ids": ids, "action": "assign"}),
            "user_access_id",
        ),
        (
            json!({"lead_ids": ids, "action": "assign", "user_access_id": other_member}),
            "user_access_id",
        ),
        (
            json!({"lead_ids": ids, "action": "assign", "user_access_id": t.rep1.0, "route": true}),
            "route",
        ),
        (json!({"lead_ids": ids, "action": "set"}), "source_id"),
        (
            json!({"lead_ids": ids, "action": "set", "campaign_id": 999_999}),
            "campaign_id",
        ),
        (
            json!({"lead_ids": ids, "action": "delete", "stage_id": 1}),
            "stage_id",
        ),
    ];
    for (body, field) in cases {
        let r = app.post(&bulk(&t), Some(&t.manager), body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert!(
            r.body["error"]["fields"][field].is_array(),
            "{body}: {}",
            r.body
        );
    }
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"lead_ids": ids, "action": "explode"}),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"lead_ids": ids, "action": "delete", "sql": "DROP"}),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);
    let still = app
        .get(
            &format!("/api/v1/companies/{}/leads/{}", t.company, lead["id"]),
            Some(&t.manager),
        )
        .await;
    assert_eq!(still.status, StatusCode::OK, "nothing refused was done");
    assert_eq!(still.body["lead"]["version"], 1);
}

#[tokio::test]
async fn a_large_selection_runs_as_a_job_that_only_its_company_sees() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.start_import_worker();
    app.imported(&t, "Lead", 1_200).await;
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"filter": {"q": "bulk.test"}, "action": "assign", "user_access_id": t.rep2.0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let job = r.body["job"].clone();
    assert_eq!(
        (
            job["kind"].as_str(),
            job["status"].as_str(),
            job["total"].as_i64()
        ),
        (Some("leads.bulk"), Some("queued"), Some(1_200))
    );
    let url = format!("/api/v1/companies/{}/jobs/{}", t.company, job["id"]);
    app.get(&url, Some(&t.rep1.1))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&url, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(
        &format!("/api/v1/companies/{}/jobs/{}", t.other_company, job["id"]),
        Some(&t.outsider),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    assert_eq!(
        app.get(&url, Some(&t.admin)).await.status,
        StatusCode::OK,
        "the company's managers see it"
    );
    app.start_job_worker();
    let done = ended(&app, &t.manager, t.company, &job).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(
        (done["processed"].as_i64(), done["changed"].as_i64()),
        (Some(1_200), Some(1_200))
    );
    assert!(done["file_url"].is_null());
    let theirs = app
        .get(
            &format!("/api/v1/companies/{}/leads", t.company),
            Some(&t.rep2.1),
        )
        .await;
    assert_eq!(theirs.body["meta"]["total"], 1_200);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM events WHERE kind = 'lead.assigned'"
        )
        .await,
        1_200,
        "each change its own event"
    );
    app.assert_totals_match().await;
}

#[tokio::test]
async fn routing_runs_again_only_when_asked() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let territory = app
        .post(
            &format!("/api/v1/companies/{}/territories", t.company),
            Some(&t.manager),
            json!({"territories": [{"name": "North", "postal_codes": ["10000"], "user_access_ids": [t.rep1.0]}]}),
        )
        .await;
    assert_eq!(territory.status, StatusCode::CREATED, "{}", territory.body);
    let lead = app
        .lead(&t.manager, t.company, json!({"first_name": "Nora", "postal_code": "10000", "assigned_user_access_id": t.rep2.0}))
        .await;
    let stranger = app
        .lead(&t.manager, t.company, json!({"first_name": "Sam", "postal_code": "99999", "assigned_user_access_id": t.rep2.0}))
        .await;
    let ids = json!([lead["id"], stranger["id"]]);
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"lead_ids": ids, "action": "move", "stage_id": app.stage_id("contacted").await}),
        )
        .await;
    assert_eq!(r.body, json!({"updated": 2}));
    let get = |id: &Value| format!("/api/v1/companies/{}/leads/{id}", t.company);
    assert_eq!(
        app.get(&get(&lead["id"]), Some(&t.manager)).await.body["lead"]["assigned_user_access_id"],
        t.rep2.0,
        "not re-routed"
    );
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"lead_ids": ids, "action": "assign", "route": true}),
        )
        .await;
    assert_eq!(r.body, json!({"updated": 1}), "{}", r.body);
    assert_eq!(
        app.get(&get(&lead["id"]), Some(&t.manager)).await.body["lead"]["assigned_user_access_id"],
        t.rep1.0
    );
    assert_eq!(
        app.get(&get(&stranger["id"]), Some(&t.manager)).await.body["lead"]
            ["assigned_user_access_id"],
        t.rep2.0,
        "no rule covers it: it keeps its assignee"
    );
}

#[tokio::test]
async fn a_large_export_is_a_file_to_download_when_ready_and_its_starters_alone() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let mine = app
        .lead(
            &t.manager,
            t.company,
            json!({"first_name": "Mine", "assigned_user_access_id": t.rep1.0}),
        )
        .await;
    app.lead(
        &t.manager,
        t.company,
        json!({"first_name": "=Theirs", "assigned_user_access_id": t.rep2.0}),
    )
    .await;
    let export = format!("/api/v1/companies/{}/leads/export", t.company);
    let r = app.post(&export, Some(&t.rep1.1), json!({})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let job = r.body["job"].clone();
    assert_eq!(job["total"], 1, "a sales rep exports their own leads");
    let other_rep = format!("/api/v1/companies/{}/jobs/{}", t.company, job["id"]);
    app.get(&other_rep, Some(&t.rep2.1))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&format!("{other_rep}/file"), Some(&t.rep1.1))
        .await
        .assert_error(404, "NOT_FOUND");
    app.start_job_worker();
    let done = ended(&app, &t.rep1.1, t.company, &job).await;
    assert_eq!(done["status"], "completed", "{done}");
    let file_url = done["file_url"].as_str().unwrap().to_string();
    app.get(&file_url, Some(&t.rep2.1))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&file_url, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    let file = app.get(&file_url, Some(&t.rep1.1)).await;
    assert_eq!(file.status, StatusCode::OK);
    let streamed = app.get(&export, Some(&t.rep1.1)).await;
    assert_eq!(file.raw, streamed.raw, "the file is the streamed export");
    assert!(
        file.raw.contains("Mine") && !file.raw.contains("Theirs"),
        "{}",
        file.raw
    );
    assert!(file.raw.contains(&mine["id"].to_string()));

    // A manager's whole-company export, with the formula neutralized.
    let r = app.post(&export, Some(&t.manager), json!({})).await;
    let done = ended(&app, &t.manager, t.company, &r.body["job"]).await;
    let file = app
        .get(done["file_url"].as_str().unwrap(), Some(&t.manager))
        .await;
    assert!(file.raw.contains("'=Theirs"), "{}", file.raw);
}

#[tokio::test]
async fn one_member_runs_a_few_jobs_at_a_time() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let export = format!("/api/v1/companies/{}/leads/export", t.company);
    for _ in 0..3 {
        assert_eq!(
            app.post(&export, Some(&t.manager), json!({})).await.status,
            StatusCode::ACCEPTED
        );
    }
    app.post(&export, Some(&t.manager), json!({}))
        .await
        .assert_error(409, "TOO_MANY_JOBS");
    assert_eq!(
        app.post(&export, Some(&t.admin), json!({})).await.status,
        StatusCode::ACCEPTED,
        "another member's own"
    );
}

#[tokio::test]
async fn a_job_stops_when_its_starter_may_no_longer_start_it() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.start_import_worker();
    app.imported(&t, "Lead", 600).await;
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"filter": {}, "action": "delete"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    // Demoted before the job runs.
    sqlx::query("UPDATE user_accesses SET access_id = (SELECT id FROM accesses WHERE key = 'sales_rep') WHERE id = $1")
        .bind(t.manager_ua)
        .execute(&app.state.ctx.db.pool)
        .await
        .unwrap();
    app.start_job_worker();
    let done = ended(&app, &t.admin, t.company, &r.body["job"]).await;
    assert_eq!(done["status"], "failed", "{done}");
    assert_eq!(done["changed"], 0);
    let left = app
        .get(
            &format!("/api/v1/companies/{}/leads", t.company),
            Some(&t.admin),
        )
        .await;
    assert_eq!(left.body["meta"]["total"], 600, "nothing deleted");
}

#[tokio::test]
async fn a_deleted_leads_id_is_never_given_to_a_new_lead() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let first = app
        .lead(&t.manager, t.company, json!({"first_name": "Old"}))
        .await;
    let notes = format!(
        "/api/v1/companies/{}/leads/{}/notes",
        t.company, first["id"]
    );
    app.post(
        &notes,
        Some(&t.manager),
        json!({"body": "about the old one"}),
    )
    .await;
    let r = app
        .post(
            &bulk(&t),
            Some(&t.manager),
            json!({"lead_ids": [first["id"]], "action": "delete"}),
        )
        .await;
    assert_eq!(r.body, json!({"updated": 1}));
    let new = app
        .lead(&t.manager, t.company, json!({"first_name": "New"}))
        .await;
    assert!(new["id"].as_i64() > first["id"].as_i64(), "{new}");
    let history = app
        .get(
            &format!("/api/v1/companies/{}/leads/{}/events", t.company, new["id"]),
            Some(&t.manager),
        )
        .await;
    assert_eq!(
        history.body["meta"]["total"], 1,
        "only its own creation: {}",
        history.body
    );
}

#[tokio::test]
async fn the_pages_bulk_form_is_refused_from_another_site_and_to_a_sales_rep() {
    use crate::browser::Browser;
    use leadsy_app::rpc::bulk::ChangeLeads;
    use leptos::server_fn::ServerFn;
    let app = TestApp::spawn().await;
    let t = app.team().await;
    for name in ["Ada", "Bo"] {
        app.lead(&t.manager, t.company, json!({"first_name": name}))
            .await;
    }
    let company = t.company.to_string();
    let delete_all = [
        ("company_id", company.as_str()),
        ("form[choice]", "delete"),
        ("form[confirm]", "on"),
        ("form[all]", "on"),
        ("form[back]", "/board?view=list"),
    ];
    let mut manager = Browser::new(&app);
    manager.log_in("manager@acme.test").await;
    let r = manager
        .post_from(
            Some("https://evil.example"),
            ChangeLeads::PATH,
            "/board?view=list",
            &delete_all,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.raw);
    let mut rep = Browser::new(&app);
    rep.log_in("rep1@acme.test").await;
    let r = rep
        .post(ChangeLeads::PATH, "/board?view=list", &delete_all)
        .await;
    assert_ne!(
        r.status,
        StatusCode::FOUND,
        "a sales rep changes nothing: {}",
        r.raw
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM leads").await,
        2,
        "nothing deleted"
    );
    let r = manager
        .post(ChangeLeads::PATH, "/board?view=list", &delete_all)
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.raw);
    assert_eq!(r.headers["location"], "/board?view=list&changed=2");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM leads").await, 0);
}
