//! Merging duplicates and undoing it: `POST .../leads/{id}/merge` and
//! `POST .../merges/{id}/undo`, field by field, with notes and appointments, as
//! one event, with nothing orphaned or lost either way.

use crate::support::{Team, TestApp};
use axum::http::StatusCode;
use serde_json::{json, Value};

/// A lead's fields that a merge and its undo must keep (not its version or time).
fn fields(lead: &Value) -> Value {
    let keep = [
        "id",
        "first_name",
        "last_name",
        "company_name",
        "email",
        "phone",
        "postal_code",
        "value_cents",
        "stage_id",
        "source_id",
        "campaign_id",
        "assigned_user_access_id",
        "answers",
    ];
    keep.iter()
        .map(|k| (k.to_string(), lead[*k].clone()))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// What hangs off a lead: its fields, note ids and appointment ids.
async fn state_of(app: &TestApp, t: &Team, id: i64) -> (Value, Vec<i64>, Vec<i64>) {
    let r = app
        .get(
            &format!("/api/v1/companies/{}/leads/{id}", t.company),
            Some(&t.admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let notes = r.body["lead"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_i64().unwrap());
    let mut notes: Vec<i64> = notes.collect();
    notes.sort();
    let mut appointments: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM appointments WHERE lead_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&app.state.ctx.db.pool)
            .await
            .unwrap();
    appointments.sort();
    (fields(&r.body["lead"]), notes, appointments)
}

async fn add_children(app: &TestApp, t: &Team, id: i64, notes: usize, appointments: usize) {
    let base = format!("/api/v1/companies/{}/leads/{id}", t.company);
    for n in 0..notes {
        let r = app
            .post(
                &format!("{base}/notes"),
                Some(&t.manager),
                json!({"body": format!("note {n}")}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    for a in 0..appointments {
        let at = leadsy::time::Timestamp(now + 3600 * (a as i64 + 1)).rfc3339();
        let r = app
            .post(
                &format!("{base}/appointments"),
                Some(&t.manager),
                json!({"starts_at": at}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
}

#[tokio::test]
async fn fields_are_chosen_children_move_and_undo_puts_everything_back() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}", t.company);
    let keep = app
        .lead(
            &t.admin,
            t.company,
            json!({"first_name": "Ada", "last_name": "L", "email": "ada@x.test",
            "assigned_user_access_id": t.rep1.0, "value_cents": 100}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let dup = app
        .lead(&t.admin, t.company, json!({"first_name": "Ada", "last_name": "Lovelace", "email": "ADA@x.test",
            "phone": "+1 555 010 2030", "company_name": "Engines", "assigned_user_access_id": t.rep2.0}))
        .await["id"]
        .as_i64()
        .unwrap();
    add_children(&app, &t, keep, 1, 0).await;
    add_children(&app, &t, dup, 2, 1).await;
    let (keep_before, dup_before) = (
        state_of(&app, &t, keep).await,
        state_of(&app, &t, dup).await,
    );
    let dups = app
        .get(&format!("{base}/leads/duplicates"), Some(&t.admin))
        .await;
    assert_eq!(dups.body["meta"]["total"], 1, "{}", dups.body);

    let body = json!({"lead_ids": [dup], "fields": {"last_name": dup}});
    let dry = app
        .post(
            &format!("{base}/leads/{keep}/merge"),
            Some(&t.manager),
            json!({"lead_ids": [dup], "fields": {"last_name": dup}, "dry_run": true}),
        )
        .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert!(dry.body["merge"]["id"].is_null());
    assert_eq!(dry.body["lead"]["last_name"], "Lovelace");
    assert_eq!(
        state_of(&app, &t, dup).await,
        dup_before,
        "a dry run keeps nothing"
    );

    let r = app
        .post(
            &format!("{base}/leads/{keep}/merge"),
            Some(&t.manager),
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let merge = r.body["merge"]["id"].as_i64().unwrap();
    let lead = &r.body["lead"];
    assert_eq!(lead["last_name"], "Lovelace", "the chosen value");
    assert_eq!(lead["first_name"], "Ada");
    assert_eq!(lead["email"], "ada@x.test", "the survivor's by default");
    assert_eq!(
        lead["phone"], "+1 555 010 2030",
        "the other's where the survivor had none"
    );
    assert_eq!(lead["company_name"], "Engines");
    assert_eq!(lead["assigned_user_access_id"], t.rep1.0);
    assert_eq!(r.body["merge"]["notes_moved"], 2);
    assert_eq!(r.body["merge"]["appointments_moved"], 1);
    let (_, notes, appointments) = state_of(&app, &t, keep).await;
    assert_eq!(notes.len(), 3);
    assert_eq!(appointments.len(), 1);
    app.get(&format!("{base}/leads/{dup}"), Some(&t.admin))
        .await
        .assert_error(404, "NOT_FOUND");
    let list = app
        .get(&format!("{base}/leads?q=ada"), Some(&t.admin))
        .await;
    assert_eq!(list.body["meta"]["total"], 1);
    assert_eq!(
        app.get(&format!("{base}/leads/duplicates"), Some(&t.admin))
            .await
            .body["meta"]["total"],
        0
    );
    app.assert_totals_match().await;
    let history = app
        .get(
            &format!("{base}/leads/{keep}/events?per_page=100"),
            Some(&t.admin),
        )
        .await;
    let kinds: Vec<&str> = history.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(kinds[0], "lead.merged", "one event: {kinds:?}");
    assert!(
        kinds.iter().filter(|k| **k == "lead.created").count() == 2,
        "the merged lead's history shows: {kinds:?}"
    );

    let r = app
        .post(
            &format!("{base}/merges/{merge}/undo"),
            Some(&t.manager),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["merge"]["undone_at"].is_string() || r.body["merge"]["undone_at"].is_number());
    assert_eq!(
        state_of(&app, &t, keep).await,
        keep_before,
        "the survivor as it was"
    );
    assert_eq!(
        state_of(&app, &t, dup).await,
        dup_before,
        "the merged lead as it was"
    );
    assert_eq!(
        app.get(&format!("{base}/leads/duplicates"), Some(&t.admin))
            .await
            .body["meta"]["total"],
        1
    );
    app.assert_totals_match().await;
    app.post(
        &format!("{base}/merges/{merge}/undo"),
        Some(&t.manager),
        json!({}),
    )
    .await
    .assert_error(422, "MERGE_ALREADY_UNDONE");
}

#[tokio::test]
async fn hostile_merges_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}", t.company);
    let a = app
        .lead(
            &t.admin,
            t.company,
            json!({"first_name": "A", "assigned_user_access_id": t.rep1.0}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let b = app
        .lead(
            &t.admin,
            t.company,
            json!({"first_name": "B", "assigned_user_access_id": t.rep1.0}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let theirs = app
        .lead(&t.outsider, t.other_company, json!({"first_name": "C"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let merge = |token: String, body: Value| {
        let (app, base) = (&app, base.clone());
        async move {
            app.post(&format!("{base}/leads/{a}/merge"), Some(&token), body)
                .await
        }
    };
    merge(t.rep1.1.clone(), json!({"lead_ids": [b]}))
        .await
        .assert_error(403, "FORBIDDEN");
    merge(t.manager.clone(), json!({"lead_ids": [theirs]}))
        .await
        .assert_error(404, "NOT_FOUND");
    merge(t.manager.clone(), json!({"lead_ids": []}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    merge(t.manager.clone(), json!({"lead_ids": [a]}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    merge(t.manager.clone(), json!({"lead_ids": [b, b]}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    merge(
        t.manager.clone(),
        json!({"lead_ids": [b], "fields": {"id": b}}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    merge(
        t.manager.clone(),
        json!({"lead_ids": [b], "fields": {"email": theirs}}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    merge(
        t.manager.clone(),
        json!({"lead_ids": (1..=51).collect::<Vec<i64>>()}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    let r = merge(t.manager.clone(), json!({"lead_ids": [b], "extra": 1})).await;
    assert!(r.status.is_client_error(), "{}", r.body);
    app.post(
        &format!("/api/v1/companies/{}/leads/{theirs}/merge", t.other_company),
        Some(&t.manager),
        json!({"lead_ids": [a]}),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    for id in [a, b] {
        assert_eq!(
            app.get(&format!("{base}/leads/{id}"), Some(&t.admin))
                .await
                .status,
            StatusCode::OK
        );
    }
    let done = merge(t.manager.clone(), json!({"lead_ids": [b]})).await;
    let merge_id = done.body["merge"]["id"].as_i64().unwrap();
    app.post(
        &format!("{base}/merges/{merge_id}/undo"),
        Some(&t.rep1.1),
        json!({}),
    )
    .await
    .assert_error(403, "FORBIDDEN");
    app.post(
        &format!(
            "/api/v1/companies/{}/merges/{merge_id}/undo",
            t.other_company
        ),
        Some(&t.outsider),
        json!({}),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    sqlx::query("UPDATE lead_merges SET created_at = created_at - 31 * 86400 WHERE id = $1")
        .bind(merge_id)
        .execute(&app.state.ctx.db.pool)
        .await
        .unwrap();
    app.post(
        &format!("{base}/merges/{merge_id}/undo"),
        Some(&t.manager),
        json!({}),
    )
    .await
    .assert_error(422, "MERGE_UNDO_EXPIRED");
}

/// One generated company: leads, each with some notes and appointments, a
/// survivor and the leads merged into it.
#[derive(Debug, Clone)]
struct Case {
    children: Vec<(usize, usize)>,
    survivor: usize,
    merged: Vec<usize>,
}

fn cases() -> impl proptest::strategy::Strategy<Value = Case> {
    use proptest::prelude::*;
    proptest::collection::vec((0usize..3, 0usize..2), 2..6)
        .prop_flat_map(|children| {
            let n = children.len();
            (
                Just(children),
                0..n,
                proptest::collection::vec(any::<bool>(), n),
            )
        })
        .prop_filter_map("some lead to merge", |(children, survivor, pick)| {
            let merged: Vec<usize> = (0..children.len())
                .filter(|i| *i != survivor && pick[*i])
                .collect();
            (!merged.is_empty()).then_some(Case {
                children,
                survivor,
                merged,
            })
        })
}

#[tokio::test]
async fn any_merge_and_its_undo_orphan_nothing_and_lose_nothing() {
    use proptest::strategy::{Strategy, ValueTree};
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}", t.company);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..8 {
        let case = cases().new_tree(&mut runner).unwrap().current();
        let mut ids = Vec::new();
        for (i, (notes, appointments)) in case.children.iter().enumerate() {
            let lead = app
                .lead(&t.admin, t.company, json!({"first_name": format!("P{i}"), "email": "same@x.test",
                    "value_cents": i * 10, "assigned_user_access_id": if i % 2 == 0 { t.rep1.0 } else { t.rep2.0 }}))
                .await;
            let id = lead["id"].as_i64().unwrap();
            add_children(&app, &t, id, *notes, *appointments).await;
            ids.push(id);
        }
        let mut before = Vec::new();
        for id in &ids {
            before.push(state_of(&app, &t, *id).await);
        }
        let survivor = ids[case.survivor];
        let merged: Vec<i64> = case.merged.iter().map(|i| ids[*i]).collect();
        let r = app
            .post(
                &format!("{base}/leads/{survivor}/merge"),
                Some(&t.admin),
                json!({"lead_ids": merged}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{case:?}: {}", r.body);
        let merge = r.body["merge"]["id"].as_i64().unwrap();
        let (_, notes, appointments) = state_of(&app, &t, survivor).await;
        let mut want_notes: Vec<i64> = before[case.survivor].1.clone();
        let mut want_appointments: Vec<i64> = before[case.survivor].2.clone();
        for i in &case.merged {
            want_notes.extend(&before[*i].1);
            want_appointments.extend(&before[*i].2);
        }
        want_notes.sort();
        want_appointments.sort();
        assert_eq!(
            (notes, appointments),
            (want_notes, want_appointments),
            "{case:?}: everything moved"
        );
        let orphans: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM notes WHERE lead_id NOT IN (SELECT id FROM leads)) + \
             (SELECT COUNT(*) FROM appointments WHERE lead_id NOT IN (SELECT id FROM leads))",
        )
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
        assert_eq!(orphans, 0, "{case:?}");
        app.assert_totals_match().await;
        let r = app
            .post(
                &format!("{base}/merges/{merge}/undo"),
                Some(&t.admin),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{case:?}: {}", r.body);
        for (id, was) in ids.iter().zip(&before) {
            assert_eq!(
                &state_of(&app, &t, *id).await,
                was,
                "{case:?}: lead {id} as it was"
            );
        }
        app.assert_totals_match().await;
    }
}
