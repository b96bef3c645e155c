//! `leadsy-server bench`: the board's read paths on a company of 100k leads on
//! SQLite, through the whole server (auth, tenancy, filters, JSON envelope) and
//! through a bare axum handler that runs the same SQL on the same database. Both
//! are driven in-process with the same concurrency, so the ratio is the cost of
//! everything the server adds. Also times the board page's server render.

use crate::{app, config::Config, demo, leptos_options, state_with_db, StartResult};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, Request, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use leadsy::db::Db;
use leadsy::leads::row::{LeadRow, SELECT};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const CONCURRENCY: usize = 8;
/// Each case alternates server and bare this many times, so drift on a busy
/// machine hits both alike; the figures are the medians.
const ROUNDS: usize = 5;
const RUN: Duration = Duration::from_secs(1);

pub async fn run(config: &Config, leads: usize) -> StartResult<()> {
    let dir = std::env::temp_dir().join(format!("leadsy-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}/bench.db", dir.display());
    let db = Db::connect(&url, config.db_max_connections).await?;
    let mut config = config.clone();
    config.data_dir = dir.clone();
    config.auth_attempts_per_minute = 1000;
    let state = state_with_db(
        config,
        leptos_options("target/site", "127.0.0.1:3000".parse()?),
        db.clone(),
    )
    .await?;
    println!("filling a company with {leads} leads…");
    let started = Instant::now();
    let company = demo::fill(&state.ctx, 1, leads).await?.remove(0);
    println!("  done in {:.1} s", started.elapsed().as_secs_f64());
    let token = state.jwt.issue(company.admin_grant)?;
    let full = app(state.clone());
    let stage: i64 = sqlx::query_scalar("SELECT id FROM stages WHERE key = 'qualified'")
        .fetch_one(&state.ctx.db.pool)
        .await?;
    let bare = Router::new()
        .route("/list", get(bare_list))
        .route("/list_stage", get(bare_list_stage))
        .route("/metrics", get(bare_metrics))
        .with_state(Bare {
            db,
            user_id: company.admin.user_id()?,
            company_id: company.company_id,
            stage_id: stage,
        });
    let c = company.company_id;
    let cases = [
        (
            "GET /leads (page of 25)",
            format!("/api/v1/companies/{c}/leads"),
            "/list",
        ),
        (
            "GET /leads?stage_id= (page of 25)",
            format!("/api/v1/companies/{c}/leads?stage_id={stage}"),
            "/list_stage",
        ),
        (
            "GET /leads/metrics",
            format!("/api/v1/companies/{c}/leads/metrics"),
            "/metrics",
        ),
    ];
    println!(
        "\nthroughput, {CONCURRENCY} concurrent requests, {ROUNDS} alternating rounds of {} s (median requests/s):",
        RUN.as_secs()
    );
    println!(
        "{:<36} {:>10} {:>10} {:>8}",
        "route", "server", "bare", "ratio"
    );
    for (name, full_path, bare_path) in cases {
        let (mut fulls, mut bares, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            let bare_rps = throughput(&bare, bare_path, None).await?;
            let full_rps = throughput(&full, &full_path, Some(&token)).await?;
            fulls.push(full_rps);
            bares.push(bare_rps);
            ratios.push(full_rps / bare_rps);
        }
        println!(
            "{name:<36} {:>10.0} {:>10.0} {:>8.2}",
            median(&mut fulls),
            median(&mut bares),
            median(&mut ratios)
        );
    }

    let cookie = log_in(&full, &state.config.public_url, &company.admin_email).await?;
    let mut times = Vec::new();
    for i in 0..60 {
        let req = Request::get("/board")
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())?;
        let t = Instant::now();
        let res = full.clone().oneshot(req).await?;
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX).await?;
        if status != StatusCode::OK
            || !String::from_utf8_lossy(&body).contains("data-testid=\"board\"")
        {
            return Err(format!("the board did not render: {status}").into());
        }
        if i >= 10 {
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "\nboard page server render (GET /board, {} leads, 50 runs): median {:.2} ms, p95 {:.2} ms",
        leads,
        times[times.len() / 2],
        times[times.len() * 95 / 100]
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Completed requests per second with `CONCURRENCY` callers looping for `RUN`.
async fn throughput(router: &Router, path: &str, token: Option<&str>) -> StartResult<f64> {
    let call = |router: Router, path: String, token: Option<String>| async move {
        let mut req = Request::get(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let res = router
            .oneshot(req.body(Body::empty()).expect("a request"))
            .await
            .expect("infallible");
        assert_eq!(res.status(), StatusCode::OK);
        axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("a body")
            .len()
    };
    for _ in 0..20 {
        call(router.clone(), path.to_string(), token.map(str::to_string)).await;
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (router, path, token) = (router.clone(), path.to_string(), token.map(str::to_string));
        tasks.push(tokio::spawn(async move {
            let mut done = 0u64;
            while started.elapsed() < RUN {
                call(router.clone(), path.clone(), token.clone()).await;
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await?;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

/// Logs in through the page's form, as a browser on our own origin does.
async fn log_in(router: &Router, origin: &str, email: &str) -> StartResult<String> {
    use leptos::server_fn::ServerFn;
    let body = format!(
        "email={}&password={}",
        email.replace('@', "%40"),
        demo::PASSWORD
    );
    let req = Request::post(leadsy_app::rpc::account::LogIn::PATH)
        .header(header::ACCEPT, "text/html")
        .header(header::ORIGIN, origin)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))?;
    let res = router.clone().oneshot(req).await?;
    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|c| c.to_str().ok())
        .and_then(|c| c.split(';').next())
        .ok_or("logging in gave no session cookie")?;
    Ok(cookie.to_string())
}

/// What the bare handlers read: the database, the caller, the company and the
/// stage the filtered case asks for.
#[derive(Clone)]
struct Bare {
    db: Db,
    user_id: i64,
    company_id: i64,
    stage_id: i64,
}

/// The SQL the lead list runs for a manager: the membership check, the total from
/// `lead_totals`, the page from `leads`.
async fn page(b: &Bare, stage_id: Option<i64>) -> Value {
    let (db, company_id) = (&b.db, b.company_id);
    member(b).await;
    let (cond, count_sql) = match stage_id {
        Some(_) => (
            "l.company_id = $1 AND l.stage_id = $2",
            "SELECT CAST(COALESCE(SUM(lead_count), 0) AS BIGINT) FROM lead_totals WHERE company_id = $1 AND stage_id = $2",
        ),
        None => (
            "l.company_id = $1",
            "SELECT CAST(COALESCE(SUM(lead_count), 0) AS BIGINT) FROM lead_totals WHERE company_id = $1",
        ),
    };
    let mut count = sqlx::query_scalar::<_, i64>(count_sql).bind(company_id);
    let sql =
        format!("{SELECT} WHERE {cond} ORDER BY l.created_at DESC, l.id DESC LIMIT 25 OFFSET 0");
    let mut rows = sqlx::query_as::<_, LeadRow>(&sql).bind(company_id);
    if let Some(s) = stage_id {
        count = count.bind(s);
        rows = rows.bind(s);
    }
    let total = count.fetch_one(&db.pool).await.expect("count");
    let leads: Vec<_> = rows
        .fetch_all(&db.pool)
        .await
        .expect("rows")
        .into_iter()
        .map(LeadRow::into_lead)
        .collect();
    json!({"leads": leads, "meta": {"page": 1, "per_page": 25, "total": total}})
}

async fn bare_list(State(b): State<Bare>) -> Json<Value> {
    Json(page(&b, None).await)
}

async fn bare_list_stage(State(b): State<Bare>) -> Json<Value> {
    Json(page(&b, Some(b.stage_id)).await)
}

/// The membership check every company read starts with.
async fn member(b: &Bare) {
    let _member: (i64, String) = sqlx::query_as(
        "SELECT ua.id, a.key FROM user_accesses ua JOIN accesses a ON a.id = ua.access_id \
         WHERE ua.user_id = $1 AND ua.company_id = $2",
    )
    .bind(b.user_id)
    .bind(b.company_id)
    .fetch_one(&b.db.pool)
    .await
    .expect("a member");
}

async fn bare_metrics(State(b): State<Bare>) -> Json<Value> {
    let db = &b.db;
    member(&b).await;
    let counts: Vec<(Option<i64>, i64, i64)> = sqlx::query_as(
        "SELECT stage_id, CAST(COALESCE(SUM(lead_count), 0) AS BIGINT), \
         CAST(COALESCE(SUM(value_cents), 0) AS BIGINT) FROM lead_totals WHERE company_id = $1 GROUP BY stage_id",
    )
    .bind(b.company_id)
    .fetch_all(&db.pool)
    .await
    .expect("counts");
    let stages: Vec<(i64, String, String, i64, String)> =
        sqlx::query_as("SELECT id, key, name, position, kind FROM stages ORDER BY position")
            .fetch_all(&db.pool)
            .await
            .expect("stages");
    let metrics: Vec<Value> = stages
        .into_iter()
        .map(|(id, key, name, _, _)| {
            let (n, v) = counts
                .iter()
                .find(|r| r.0 == Some(id))
                .map(|r| (r.1, r.2))
                .unwrap_or((0, 0));
            json!({"stage_id": id, "stage_key": key, "stage_name": name, "count": n, "value_cents": v})
        })
        .collect();
    Json(json!({ "metrics": metrics }))
}
