//! Prometheus metrics at `/metrics`: every request by route, method and status with
//! its latency, the database pool, the work queues (imports, jobs, webhook
//! deliveries) and what the workers did (import rows, delivery attempts, which
//! the domain counts where the work is committed). Each instance serves its own;
//! Prometheus labels them by instance. `METRICS_TOKEN` puts them behind a bearer
//! token.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Latency buckets, in seconds: a page render to a slow import upload.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process's recorder, installed once (tests build many applications in one
/// process), with its histograms kept fresh in the background.
pub fn recorder() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
                .and_then(|b| b.install_recorder())
                .expect("the metrics recorder installs once");
            let upkeep = handle.clone();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(Duration::from_secs(5));
                loop {
                    every.tick().await;
                    upkeep.run_upkeep();
                }
            });
            handle
        })
        .clone()
}

/// The route a request matched, as its template (`/api/v1/companies/{company_id}/leads`),
/// so that ids never multiply the series. Set on the response by the routes' own
/// layer, read by `track` outside every other layer.
#[derive(Clone)]
struct RouteName(String);

pub async fn name_route(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string());
    let mut res = next.run(req).await;
    if let Some(route) = route {
        res.extensions_mut().insert(RouteName(route));
    }
    res
}

/// Counts and times every request, refusals of the outer layers included (their
/// route is `unmatched`, as is any path no route knows).
pub async fn track(req: Request, next: Next) -> Response {
    // A client may send any word as a method: only the standard ones name a series.
    let method = match *req.method() {
        Method::GET
        | Method::HEAD
        | Method::POST
        | Method::PUT
        | Method::PATCH
        | Method::DELETE
        | Method::OPTIONS => req.method().as_str().to_string(),
        _ => "other".to_string(),
    };
    let started = Instant::now();
    let res = next.run(req).await;
    let route = res
        .extensions()
        .get::<RouteName>()
        .map_or_else(|| "unmatched".to_string(), |r| r.0.clone());
    let status = res.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("leadsy_http_requests_total", &labels).increment(1);
    metrics::histogram!("leadsy_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    res
}

/// `GET /metrics`: the text exposition, the gauges read at that moment.
pub async fn serve(State(s): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &s.config.metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        // Compared as digests: the time taken says nothing about the token.
        if Sha256::digest(given.as_bytes()) != Sha256::digest(token.as_bytes()) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "a metrics token is needed\n",
            )
                .into_response();
        }
    }
    let pool = &s.ctx.db.pool;
    let (size, idle) = (pool.size(), pool.num_idle() as u32);
    metrics::gauge!("leadsy_db_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("leadsy_db_pool_connections", "state" => "busy").set(size.saturating_sub(idle));
    match leadsy::queues::depths(&s.ctx).await {
        Ok(depths) => {
            for d in depths {
                metrics::gauge!("leadsy_queue_depth", "queue" => d.queue, "status" => d.status)
                    .set(d.count as f64);
            }
        }
        Err(e) => tracing::warn!(error = %e, "queue depths not read for the metrics"),
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        recorder().render(),
    )
        .into_response()
}
