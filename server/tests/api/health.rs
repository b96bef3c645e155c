//! The operator's doors: `/healthz` (up), `/readyz` (the database answers and is
//! migrated as far as this build needs) and the SQLite backup.

use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn health_says_up_and_readiness_says_whether_the_database_can_serve() {
    let app = TestApp::spawn().await;
    let up = app.get("/healthz", None).await;
    assert_eq!(
        (up.status, up.body.clone()),
        (StatusCode::OK, json!({"status": "ok"}))
    );
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    // A database behind this build's migrations (an old backup, a migration under way).
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&app.state.ctx.db.pool)
    .await
    .unwrap();
    let behind = app.get("/readyz", None).await;
    assert_eq!(
        behind.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        behind.body
    );
    assert!(
        behind.body["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("migrated up to"),
        "{}",
        behind.body
    );
    assert_eq!(
        app.get("/healthz", None).await.status,
        StatusCode::OK,
        "still up"
    );
    app.state.ctx.db.pool.close().await;
    let gone = app.get("/readyz", None).await;
    assert_eq!(
        gone.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        gone.body
    );
    assert_eq!(gone.body["reason"], "the database does not answer");
}

#[tokio::test]
async fn a_backup_is_a_whole_database_that_opens_on_its_own() {
    let app = TestApp::spawn().await;
    let db = &app.state.ctx.db;
    let t = app.team().await;
    for name in ["Ada", "Bo"] {
        app.lead(&t.manager, t.company, json!({"first_name": name}))
            .await;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copy.db");
    if db.backend == leadsy::db::Backend::Postgres {
        assert!(db.backup(&file).await.unwrap_err().contains("pg_dump"));
        return;
    }
    db.backup(&file).await.unwrap();
    assert!(
        db.backup(&file)
            .await
            .unwrap_err()
            .contains("exists already"),
        "never overwrites"
    );
    let copy = leadsy::db::Db::connect(&format!("sqlite://{}", file.display()), 1)
        .await
        .unwrap();
    let leads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leads")
        .fetch_one(&copy.pool)
        .await
        .unwrap();
    assert_eq!(leads, 2);
    assert_eq!(copy.ready().await, Ok(()));
}

/// The value of the series `line_start` begins (name and labels), when exposed.
fn series(text: &str, line_start: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(line_start))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_show_the_pool_and_the_queues() {
    let app = TestApp::spawn_with(|c| c.metrics_token = None).await;
    let t = app.team().await;
    app.start_import_worker();
    app.imported(&t, "Metered", 30).await;
    let leads = format!("/api/v1/companies/{}/leads", t.company);
    for _ in 0..3 {
        assert_eq!(app.get(&leads, Some(&t.admin)).await.status, StatusCode::OK);
    }
    app.get("/no/such/page/at/all", None).await;
    let odd = axum::http::Request::builder()
        .method("FROBNICATE")
        .uri("/healthz")
        .body(axum::body::Body::empty())
        .unwrap();
    app.send(odd).await;
    let r = app.get("/metrics", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.raw);
    let text = &r.raw;
    let route = "route=\"/api/v1/companies/{company_id}/leads\"";
    let listed = format!("leadsy_http_requests_total{{method=\"GET\",{route},status=\"200\"}}");
    assert!(
        series(text, &listed).unwrap_or(0.0) >= 3.0,
        "{listed} in\n{text}"
    );
    let bucket = format!("leadsy_http_request_duration_seconds_bucket{{method=\"GET\",{route},status=\"200\",le=\"+Inf\"}}");
    assert!(series(text, &bucket).unwrap_or(0.0) >= 3.0, "{bucket}");
    assert!(
        !text.contains(&format!("/companies/{}/", t.company)),
        "ids never become labels"
    );
    assert!(
        !text.contains("FROBNICATE"),
        "nor a method a client made up"
    );
    assert!(series(text, "leadsy_import_rows_total{outcome=\"imported\"}").unwrap_or(0.0) >= 30.0);
    assert!(series(text, "leadsy_db_pool_connections{state=\"idle\"}").is_some());
    for queue in [
        "leadsy_queue_depth{queue=\"imports\",status=\"queued\"}",
        "leadsy_queue_depth{queue=\"jobs\",status=\"processing\"}",
        "leadsy_queue_depth{queue=\"webhook_deliveries\",status=\"pending\"}",
    ] {
        assert!(series(text, queue).is_some(), "{queue} in\n{text}");
    }
}

#[tokio::test]
async fn metrics_behind_a_token_refuse_anyone_without_it() {
    let app =
        TestApp::spawn_with(|c| c.metrics_token = Some("scrape-token-1234567890".into())).await;
    assert_eq!(
        app.get("/metrics", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/metrics", Some("not-the-token")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = app.get("/metrics", Some("scrape-token-1234567890")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.raw);
    assert!(r.raw.contains("leadsy_db_pool_connections"), "{}", r.raw);
}
