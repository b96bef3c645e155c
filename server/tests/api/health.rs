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
