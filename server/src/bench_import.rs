//! `leadsy-server bench-import`: a generated CSV imported through the full path
//! (multipart upload to the router, storage, the queue, the worker's batches) to
//! completed, on SQLite and, when given a URL, PostgreSQL; and in the same run the
//! same rows written with the fastest plain method (one multi-row insert per
//! 1,000 rows on SQLite, COPY on PostgreSQL). Optionally the peak memory of
//! importing the file and one ten times larger, each in a fresh process of its own
//! so that neither peak hides the other.

use crate::{app, config::Config, demo, leptos_options, state_with_db, StartResult};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use futures_util::StreamExt;
use leadsy::db::{Backend, BulkTx, Conn, Db};
use leadsy::leads::bulk::{bound_rows, copy_rows, PlacedLead};
use leadsy::leads::parse_amount;
use leadsy::leads::LeadFields;
use leadsy::time::Timestamp;
use leadsy::Actor;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// The baseline's rows a statement: on SQLite its most; on PostgreSQL as fast as
/// one `COPY` of every row (in psql 20 of 5,000 rows took as long as one of 100,000).
fn batch_rows(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 1_000,
        Backend::Postgres => 10_000,
    }
}

pub enum Run {
    /// Import against baseline; with `memory`, then the peaks of N and 10 N rows.
    Speed { memory: bool },
    /// One import on SQLite, then this process's peak memory (a `Speed` run's child).
    Peak,
}

pub async fn run(
    config: &Config,
    rows: usize,
    postgres: Option<&str>,
    run: Run,
) -> StartResult<()> {
    let dir = std::env::temp_dir().join(format!("leadsy-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join(format!("{rows}.csv"));
    write_csv(&file, rows)?;
    let result = match run {
        Run::Peak => peak(config, &dir, &file, rows).await,
        Run::Speed { memory } => speed(config, &dir, &file, rows, postgres, memory).await,
    };
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn speed(
    config: &Config,
    dir: &Path,
    file: &PathBuf,
    rows: usize,
    postgres: Option<&str>,
    memory: bool,
) -> StartResult<()> {
    println!(
        "{rows} rows, {:.1} MB; import = upload to completed through the server; baseline = plain bulk insert",
        std::fs::metadata(file)?.len() as f64 / 1e6
    );
    println!("\n| database | import (rows/s) | baseline (rows/s) | ratio |\n|---|---:|---:|---:|");
    let mut backends = vec![("SQLite", None)];
    if let Some(url) = postgres {
        backends.push(("PostgreSQL", Some(url)));
    }
    for (name, url) in backends {
        let db = leadsy::db::scratch(url, dir).await?;
        let (imported, company) = import(config, dir, db.clone(), file, rows).await?;
        let baseline = baseline(&db, company, file).await?;
        println!(
            "| {name} | {:.0} | {:.0} | {:.2} |",
            rows as f64 / imported.as_secs_f64(),
            rows as f64 / baseline.as_secs_f64(),
            baseline.as_secs_f64() / imported.as_secs_f64()
        );
    }
    if memory {
        println!("\npeak memory (VmHWM) of a process importing the file on SQLite:");
        let small = child_peak(rows)?;
        println!("  {rows} rows: {small:.1} MB");
        let large = child_peak(rows * 10)?;
        println!(
            "  {} rows: {large:.1} MB ({:.2}x)",
            rows * 10,
            large / small
        );
    }
    Ok(())
}

/// Runs `bench-import <rows> --peak` in a new process and reads the peak it prints.
fn child_peak(rows: usize) -> StartResult<f64> {
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["bench-import", &rows.to_string(), "--peak"])
        .env("RUST_LOG", "warn")
        .stderr(std::process::Stdio::inherit())
        .output()?;
    if !out.status.success() {
        return Err(format!("the {rows}-row import ended with {}", out.status).into());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("peak_mb=")?.trim().parse().ok())
        .ok_or_else(|| format!("no peak in the child's output: {text}").into())
}

async fn peak(config: &Config, dir: &Path, file: &PathBuf, rows: usize) -> StartResult<()> {
    let db = leadsy::db::scratch(None, dir).await?;
    import(config, dir, db, file, rows).await?;
    println!("peak_mb={:.1}", peak_mb());
    Ok(())
}

/// Rows like a real list: names with commas to quote, every tenth without email.
pub(crate) fn write_csv(path: &Path, rows: usize) -> StartResult<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        out,
        "first_name,last_name,company_name,email,phone,postal_code,value,source"
    )?;
    let sources = [
        "Website",
        "Referral",
        "Trade show",
        "Cold outreach",
        "Partner",
    ];
    for i in 0..rows {
        let email = if i % 10 == 9 {
            String::new()
        } else {
            format!("lead{i}@bench.test")
        };
        writeln!(
            out,
            "Lead{i},Bench,\"Acme {}, Inc\",{email},+1 555 {i:07},{},{}.50,{}",
            i % 977,
            10000 + i % 90000,
            i % 5000,
            sources[i % 5]
        )?;
    }
    out.flush()?;
    Ok(())
}

/// Upload to completed through the server and its worker.
pub(crate) async fn import(
    config: &Config,
    dir: &Path,
    db: Db,
    file: &PathBuf,
    rows: usize,
) -> StartResult<(Duration, i64)> {
    let mut config = config.clone();
    config.data_dir = dir.to_path_buf();
    config.max_import_bytes = u64::MAX;
    let state = state_with_db(
        config,
        leptos_options("target/site", "127.0.0.1:3000".parse()?),
        db,
    )
    .await?;
    let company = demo::fill(&state.ctx, 1, 0).await?.remove(0);
    let token = state.jwt.issue(company.admin_grant)?;
    crate::spawn_import_worker(&state.ctx);
    let router = app(state.clone());
    let boundary = "leadsybenchboundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let started = Instant::now();
    let csv = tokio_util::io::ReaderStream::new(tokio::fs::File::open(file).await?);
    let body = futures_util::stream::once(async move { Ok(bytes::Bytes::from(head)) })
        .chain(csv)
        .chain(futures_util::stream::once(async move {
            Ok(bytes::Bytes::from(tail))
        }));
    let req = Request::post(format!("/api/v1/companies/{}/imports", company.company_id))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from_stream(body))?;
    let res = router.oneshot(req).await?;
    if res.status() != StatusCode::ACCEPTED {
        return Err(format!("upload answered {}", res.status()).into());
    }
    loop {
        let status: (String, i64) = sqlx::query_as(
            "SELECT status, imported_rows FROM import_files ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(&state.ctx.db.pool)
        .await?;
        match status.0.as_str() {
            "completed" if status.1 as usize == rows => {
                return Ok((started.elapsed(), company.company_id))
            }
            "completed" | "failed" => {
                return Err(format!("import ended {} with {} rows", status.0, status.1).into())
            }
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

/// The same rows read from the file and written the plainest fast way into the same
/// company, with what the import gave them (source, a rep, the cycle) so that both
/// pay for the same foreign keys, but no checks, dedup or routing.
async fn baseline(db: &Db, company: i64, file: &Path) -> StartResult<Duration> {
    let stage: i64 = sqlx::query_scalar("SELECT id FROM stages ORDER BY position LIMIT 1")
        .fetch_one(&db.pool)
        .await?;
    let sources: std::collections::HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT name, id FROM sources WHERE company_id = $1")
            .bind(company)
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .collect();
    let reps: Vec<i64> = sqlx::query_scalar("SELECT id FROM user_accesses WHERE company_id = $1")
        .bind(company)
        .fetch_all(&db.pool)
        .await?;
    let cycle: Option<i64> =
        sqlx::query_scalar("SELECT MAX(cycle_id) FROM leads WHERE company_id = $1")
            .bind(company)
            .fetch_one(&db.pool)
            .await?;
    let started = Instant::now();
    let mut reader = csv::Reader::from_path(file)?;
    let now = Timestamp::now();
    let mut placed = reader.records().enumerate().map(|(i, record)| {
        let r = record?;
        let text = |i: usize| Some(r[i].to_string()).filter(|s| !s.is_empty());
        Ok::<_, csv::Error>(PlacedLead {
            fields: LeadFields {
                first_name: r[0].into(),
                last_name: r[1].into(),
                company_name: r[2].into(),
                email: text(3),
                phone: text(4),
                postal_code: text(5),
                value_cents: parse_amount(&r[6]).unwrap_or_default(),
            },
            stage_id: stage,
            source_id: sources.get(&r[7]).copied(),
            campaign_id: None,
            cycle_id: cycle,
            assigned_user_access_id: Some(reps[i % reps.len()]),
            answers: "{}".into(),
            created_at: now,
        })
    });
    // The lead writer's own row writers, without its checks, dedup, routing or
    // events: the very rows the import writes, their search words included. A
    // transaction a batch, as the import commits.
    loop {
        let batch: Vec<PlacedLead> = placed
            .by_ref()
            .take(batch_rows(db.backend))
            .collect::<Result<_, _>>()?;
        if batch.is_empty() {
            break;
        }
        let mut tx = db.begin_bulk().await?;
        match &mut tx {
            BulkTx::Sqlite(tx) => bound_rows(tx, &Actor::Operator, company, &batch).await?,
            BulkTx::Postgres(tx) => copy_rows(tx, &Actor::Operator, company, &batch).await?,
        };
        tx.commit().await?;
    }
    Ok(started.elapsed())
}

/// The process's peak resident memory so far, from `/proc` (Linux).
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
