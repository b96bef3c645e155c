//! `/healthz` and `/readyz`, outside `/api/v1`, for load balancers and
//! orchestrators: the process is up; and it can serve (the database answers and
//! holds every migration this build needs).

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::time::Duration;

/// How long readiness waits for the database before it says no.
const READY_WITHIN: Duration = Duration::from_secs(2);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

async fn readyz(State(s): State<AppState>) -> (StatusCode, Json<Value>) {
    let why = match tokio::time::timeout(READY_WITHIN, s.ctx.db.ready()).await {
        Ok(Ok(())) => return (StatusCode::OK, Json(json!({"status": "ready"}))),
        Ok(Err(why)) => why,
        Err(_) => format!(
            "the database did not answer within {} s",
            READY_WITHIN.as_secs()
        ),
    };
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({"status": "unavailable", "reason": why})),
    )
}
