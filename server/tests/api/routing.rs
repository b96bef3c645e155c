use crate::support::TestApp;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use tower::ServiceExt;

#[tokio::test]
async fn territory_beats_source_and_round_robin_spreads_evenly() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let c = t.company;
    let source = app
        .post(
            &format!("/api/v1/companies/{c}/sources"),
            Some(&t.manager),
            json!({"name": "Web form", "user_access_ids": [t.rep1.0, t.rep2.0]}),
        )
        .await
        .body["source"]["id"]
        .clone();
    let r = app
        .post(
            &format!("/api/v1/companies/{c}/territories"),
            Some(&t.manager),
            json!({"territories": [{"name": "Downtown", "postal_codes": ["10001", "10002"], "user_access_ids": [t.manager_ua]}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let in_territory = app
        .lead(
            &t.admin,
            c,
            json!({"first_name": "T", "postal_code": "10002", "source_id": source}),
        )
        .await;
    assert_eq!(
        in_territory["assigned_user_access_id"], t.manager_ua,
        "territory first"
    );

    let mut counts = std::collections::HashMap::new();
    for i in 0..10 {
        let lead = app
            .lead(
                &t.admin,
                c,
                json!({"first_name": format!("S{i}"), "postal_code": "99999", "source_id": source}),
            )
            .await;
        *counts
            .entry(lead["assigned_user_access_id"].as_i64().unwrap())
            .or_insert(0) += 1;
    }
    assert_eq!(counts.get(&t.rep1.0), Some(&5));
    assert_eq!(counts.get(&t.rep2.0), Some(&5));

    let loose = app.lead(&t.admin, c, json!({"first_name": "Nobody"})).await;
    assert!(
        loose["assigned_user_access_id"].is_null(),
        "no territory, no source: unassigned"
    );
    let explicit = app
        .lead(&t.admin, c, json!({"first_name": "Chosen", "source_id": source, "assigned_user_access_id": t.rep2.0}))
        .await;
    assert_eq!(
        explicit["assigned_user_access_id"], t.rep2.0,
        "an explicit assignee is kept"
    );
}

#[tokio::test]
async fn concurrent_creates_take_distinct_turns() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let c = t.company;
    let source = app
        .post(
            &format!("/api/v1/companies/{c}/sources"),
            Some(&t.manager),
            json!({"name": "Ads", "user_access_ids": [t.rep1.0, t.rep2.0, t.manager_ua]}),
        )
        .await
        .body["source"]["id"]
        .clone();
    let mut tasks = Vec::new();
    for i in 0..24 {
        let router = app.router.clone();
        let token = t.admin.clone();
        let body = json!({"first_name": format!("C{i}"), "source_id": source}).to_string();
        tasks.push(tokio::spawn(async move {
            let req = Request::post(format!("/api/v1/companies/{c}/leads"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap();
            router.oneshot(req).await.unwrap().status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::CREATED);
    }
    let per_rep: Vec<(Option<i64>, i64)> = sqlx::query_as(
        "SELECT assigned_user_access_id, COUNT(*) FROM leads WHERE company_id = $1 GROUP BY assigned_user_access_id",
    )
    .bind(c)
    .fetch_all(&app.state.ctx.db.pool)
    .await
    .unwrap();
    assert_eq!(per_rep.len(), 3, "{per_rep:?}");
    assert!(
        per_rep.iter().all(|(ua, n)| ua.is_some() && *n == 8),
        "{per_rep:?}"
    );
    let turn: i64 = sqlx::query_scalar("SELECT rr_cursor FROM sources WHERE id = $1")
        .bind(source.as_i64().unwrap())
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    assert_eq!(
        turn, 24,
        "the turn is stored, so a restart continues from it"
    );
    app.assert_totals_match().await;
}

#[tokio::test]
async fn cycles_tag_new_leads_when_enabled_and_never_overlap() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let c = t.company;
    let today = leadsy::time::Day::of(leadsy::time::Timestamp::now());
    let year = &today.as_str()[..4];
    let cycles = format!("/api/v1/companies/{c}/cycles");
    let r = app
        .post(&cycles, Some(&t.manager), json!({"name": "This year", "starts_on": format!("{year}-01-01"), "ends_on": format!("{year}-12-31")}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let cycle_id = r.body["cycle"]["id"].clone();
    app.post(
        &cycles,
        Some(&t.manager),
        json!({"name": "Clash", "starts_on": format!("{year}-06-01"), "ends_on": "2999-01-01"}),
    )
    .await
    .assert_error(422, "CYCLE_OVERLAP");
    app.post(
        &cycles,
        Some(&t.manager),
        json!({"name": "Backwards", "starts_on": "2030-02-01", "ends_on": "2030-01-01"}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.post(
        &cycles,
        Some(&t.manager),
        json!({"name": "Bad", "starts_on": "2030-02-30", "ends_on": "2030-03-01"}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.post(
        &cycles,
        Some(&t.rep1.1),
        json!({"name": "R", "starts_on": "2030-01-01", "ends_on": "2030-01-02"}),
    )
    .await
    .assert_error(403, "FORBIDDEN");
    app.post(
        &cycles,
        Some(&t.outsider),
        json!({"name": "R", "starts_on": "2030-01-01", "ends_on": "2030-01-02"}),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.post(&cycles, None, json!({}))
        .await
        .assert_error(401, "UNAUTHORIZED");

    let off = app
        .lead(&t.manager, c, json!({"first_name": "Before"}))
        .await;
    assert!(off["cycle_id"].is_null(), "cycles are off by default");
    app.put(&cycles, Some(&t.manager), json!({"cycles_enabled": true}))
        .await
        .assert_error(403, "FORBIDDEN");
    app.put(&cycles, Some(&t.admin), json!({"cycles_enabled": "yes"}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    let r = app
        .put(&cycles, Some(&t.admin), json!({"cycles_enabled": true}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["company"]["cycles_enabled"], true);
    let on = app
        .lead(&t.manager, c, json!({"first_name": "After"}))
        .await;
    assert_eq!(on["cycle_id"], cycle_id);
    let listed = app.get(&cycles, Some(&t.rep1.1)).await;
    assert_eq!(
        listed.body["cycles"][0]["starts_on"],
        format!("{year}-01-01")
    );
    let by_cycle = app
        .get(
            &format!("/api/v1/companies/{c}/leads?cycle_id={cycle_id}"),
            Some(&t.admin),
        )
        .await;
    assert_eq!(by_cycle.body["meta"]["total"], 1);
}
