//! `leadsy-server bench-hygiene [leads]`: search, duplicates, merge and export on a
//! company of a million leads (or `leads`), each against a baseline run in the same
//! process on the same database: the `LIKE` scan search was before the full-text
//! index, the grouping duplicates did before `lead_duplicate_keys`, an unfiltered
//! page of the same list, a plain `SELECT` written out with the `csv` crate, and a
//! plain `UPDATE` for a bulk change.
//! Times are server time: the operation as the API's handler calls it.

use crate::{config::Config, demo, leptos_options, state_with_db, StartResult};
use leadsy::actor::Member;
use leadsy::leads::{self, LeadFilter, MergeLeads};
use leadsy::paging::Page;
use leadsy::Ctx;
use std::future::Future;
use std::time::{Duration, Instant};

/// Runs of each timed query.
const RUNS: usize = 40;
/// Runs of each scan baseline, which reads every lead each time.
const SCAN_RUNS: usize = 5;

pub async fn run(config: &Config, leads: usize, postgres: Option<&str>) -> StartResult<()> {
    let dir = std::env::temp_dir().join(format!("leadsy-bench-hygiene-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut backends = vec![("SQLite", None)];
    if let Some(url) = postgres {
        backends.push(("PostgreSQL", Some(url)));
    }
    let mut result = Ok(());
    for (name, url) in backends {
        result = measure(config, &dir.join(name), name, url, leads).await;
        if result.is_err() {
            break;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(
    config: &Config,
    dir: &std::path::Path,
    name: &str,
    postgres: Option<&str>,
    leads: usize,
) -> StartResult<()> {
    std::fs::create_dir_all(dir)?;
    let db = leadsy::db::scratch(postgres, dir).await?;
    let mut config = config.clone();
    config.data_dir = dir.to_path_buf();
    let state = state_with_db(
        config,
        leptos_options("target/site", "127.0.0.1:3000".parse()?),
        db,
    )
    .await?;
    let ctx = state.ctx.clone();
    let started = Instant::now();
    let big = demo::fill(&ctx, 1, leads).await?.remove(0);
    let small = demo::fill(&ctx, 1, leads / 10).await?.remove(0);
    if ctx.db.backend == leadsy::db::Backend::Postgres {
        // Autovacuum analyzes a table this grown within a minute; without its
        // statistics the planner takes a million rows for a few hundred.
        sqlx::query("ANALYZE").execute(&ctx.db.pool).await?;
    }
    println!(
        "\n## {name}: {leads} leads in one company (made in {:.0} s)\n",
        started.elapsed().as_secs_f64()
    );
    let me = Member::check(&ctx.db, &big.admin, big.company_id).await?;
    let sample = sample_lead(&ctx, big.company_id).await?;
    println!("| operation | p50 | p95 | baseline | baseline p95 | ratio (p95) |\n|---|---:|---:|---|---:|---:|");
    let plain = times(|| list(&ctx, &me, None)).await?;
    let prefix = sample.first_name[..sample.first_name.len().min(4)].to_lowercase();
    let digits = leads::phone_key(&sample.phone);
    let formatted = format!(
        "+{} ({}) {}-{}",
        &digits[..1],
        &digits[1..4],
        &digits[4..7],
        &digits[7..]
    );
    for (what, q) in [
        ("search: a name prefix", prefix.clone()),
        ("search: a whole email", sample.email.clone()),
        ("search: a phone as stored", sample.phone.clone()),
        ("search: the phone's digits", digits.clone()),
        ("search: the phone formatted otherwise", formatted),
        (
            "search: the number's last 7 digits",
            digits[digits.len() - 7..].to_string(),
        ),
    ] {
        let indexed = times(|| list(&ctx, &me, Some(q.clone()))).await?;
        let scan = times_n(SCAN_RUNS, || like_scan(&ctx, big.company_id, &q)).await?;
        row(what, &indexed, "`LIKE` scan", &scan);
        row(
            &format!("{what}, against an unfiltered page"),
            &indexed,
            "no search",
            &plain,
        );
    }
    let first = || async {
        leads::duplicates(&ctx, &me, Page::default())
            .await
            .map(|_| ())
    };
    let kept = times(first).await?;
    let grouped = times_n(SCAN_RUNS, || grouped_on_the_fly(&ctx, big.company_id)).await?;
    row(
        "duplicates: the first page",
        &kept,
        "grouped as read",
        &grouped,
    );
    let merges = merge_tens(&ctx, &me, big.company_id, 20).await?;
    row(
        "merge 10 leads into one",
        &merges,
        "no search (a page read)",
        &plain,
    );
    let small_me = Member::check(&ctx.db, &small.admin, small.company_id).await?;
    let mut peaks = Vec::new();
    for (who, me, n) in [("10%", &small_me, leads / 10), ("100%", &me, leads)] {
        let (ours, grew, peak) = export_rows(&ctx, me).await?;
        let plain = plain_csv(&ctx, me.company_id()).await?;
        println!(
            "\nexport of {n} leads ({who}): {:.0} rows/s through `leads::export`, {:.0} rows/s plain `SELECT` + `csv`, ratio {:.2}; resident memory grew by at most {grew:.1} MB while it ran, peak {peak:.1} MB",
            n as f64 / ours.as_secs_f64(),
            n as f64 / plain.as_secs_f64(),
            plain.as_secs_f64() / ours.as_secs_f64(),
        );
        peaks.push(peak);
    }
    println!(
        "\nexport peak memory, all leads against a tenth of them: {:.2}x",
        peaks[1] / peaks[0]
    );
    let (job, plain) = bulk_move(&ctx, &small_me).await?;
    let n = leads / 10;
    println!(
        "\nbulk stage move of {n} leads as a job, an event each: {:.1} s ({:.0} leads/s); one plain `UPDATE` of their stage, no events: {:.1} s; ratio {:.2}",
        job.as_secs_f64(),
        n as f64 / job.as_secs_f64(),
        plain.as_secs_f64(),
        plain.as_secs_f64() / job.as_secs_f64(),
    );
    Ok(())
}

/// Every lead of the company moved to another stage by a bulk change, as a job on
/// the job worker, from the request to the job's end; and the baseline, one plain
/// `UPDATE` moving them back without events.
async fn bulk_move(ctx: &Ctx, me: &Member) -> StartResult<(Duration, Duration)> {
    use leadsy::leads::bulk_change::{BulkAction, BulkChange, BulkOutcome};
    let stage = |key: &'static str| {
        sqlx::query_scalar::<_, i64>("SELECT id FROM stages WHERE key = $1")
            .bind(key)
            .fetch_one(&ctx.db.pool)
    };
    let (proposal, new) = (stage("proposal").await?, stage("new").await?);
    crate::spawn_job_worker(ctx);
    let started = Instant::now();
    let input = BulkChange {
        lead_ids: None,
        filter: Some(Default::default()),
        action: BulkAction::Move,
        user_access_id: None,
        stage_id: Some(proposal),
        source_id: None,
        campaign_id: None,
        route: false,
    };
    let BulkOutcome::Job(job) = leads::bulk_change(ctx, me, input).await? else {
        return Err("a selection this large runs as a job".into());
    };
    loop {
        let now = leadsy::jobs::get(ctx, me, job.id).await?;
        if now.is_finished() {
            if now.status != "completed" {
                return Err(format!("the bulk job ended {}: {:?}", now.status, now.failure).into());
            }
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = started.elapsed();
    let started = Instant::now();
    sqlx::query("UPDATE leads SET stage_id = $1 WHERE company_id = $2")
        .bind(new)
        .bind(me.company_id())
        .execute(&ctx.db.pool)
        .await?;
    Ok((took, started.elapsed()))
}

fn row(what: &str, ours: &[Duration], baseline: &str, theirs: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "| {what} | {:.1} ms | {:.1} ms | {baseline} | {:.1} ms | {:.2} |",
        ms(pct(ours, 0.5)),
        ms(pct(ours, 0.95)),
        ms(pct(theirs, 0.95)),
        pct(ours, 0.95).as_secs_f64() / pct(theirs, 0.95).as_secs_f64()
    );
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[at - 1]
}

/// `RUNS` timings of `f`, after one untimed warm-up, sorted.
async fn times<F, Fut>(f: F) -> StartResult<Vec<Duration>>
where
    F: Fn() -> Fut,
    Fut: Future<Output = leadsy::Result<()>>,
{
    times_n(RUNS, f).await
}

async fn times_n<F, Fut>(runs: usize, f: F) -> StartResult<Vec<Duration>>
where
    F: Fn() -> Fut,
    Fut: Future<Output = leadsy::Result<()>>,
{
    f().await?;
    let mut out = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f().await?;
        out.push(started.elapsed());
    }
    out.sort();
    Ok(out)
}

async fn list(ctx: &Ctx, me: &Member, q: Option<String>) -> leadsy::Result<()> {
    let filter = LeadFilter {
        q,
        ..Default::default()
    };
    leads::list(ctx, me, &filter, Page::default())
        .await
        .map(|_| ())
}

#[derive(sqlx::FromRow)]
struct Sample {
    first_name: String,
    email: String,
    phone: String,
}

/// A lead from the middle of the company, to search for.
async fn sample_lead(ctx: &Ctx, company_id: i64) -> StartResult<Sample> {
    Ok(sqlx::query_as(
        "SELECT first_name, email, phone FROM leads WHERE company_id = $1 AND email IS NOT NULL AND phone IS NOT NULL \
         AND id >= (SELECT (MIN(id) + MAX(id)) / 2 FROM leads WHERE company_id = $1) ORDER BY id LIMIT 1",
    )
    .bind(company_id)
    .fetch_one(&ctx.db.pool)
    .await?)
}

/// Search as it was before the full-text index: the count and a page of a `LIKE`
/// over every lead of the company.
async fn like_scan(ctx: &Ctx, company_id: i64, q: &str) -> leadsy::Result<()> {
    let words = "LOWER(l.first_name || ' ' || l.last_name || ' ' || l.company_name || ' ' || COALESCE(l.email, '') || ' ' || COALESCE(l.phone, ''))";
    let pattern = format!("%{}%", q.to_lowercase());
    let _: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM leads l WHERE l.company_id = $1 AND {words} LIKE $2"
    ))
    .bind(company_id)
    .bind(&pattern)
    .fetch_one(&ctx.db.pool)
    .await?;
    let _: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT l.id FROM leads l WHERE l.company_id = $1 AND {words} LIKE $2 ORDER BY l.created_at DESC, l.id DESC LIMIT 25"
    ))
    .bind(company_id)
    .bind(&pattern)
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(())
}

/// The duplicates' first page as it was found before the kept keys: every lead
/// of the company grouped by email and by phone.
async fn grouped_on_the_fly(ctx: &Ctx, company_id: i64) -> leadsy::Result<()> {
    let _: Vec<(String, i64)> = sqlx::query_as(
        "SELECT value, n FROM (SELECT email_key AS value, COUNT(*) AS n FROM leads WHERE company_id = $1 \
         AND email_key IS NOT NULL GROUP BY email_key HAVING COUNT(*) > 1 UNION ALL \
         SELECT phone_key AS value, COUNT(*) AS n FROM leads WHERE company_id = $1 AND phone_key IS NOT NULL \
         GROUP BY phone_key HAVING COUNT(*) > 1) g ORDER BY n DESC, value LIMIT 10",
    )
    .bind(company_id)
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(())
}

/// `n` merges of ten leads each (one kept, nine merged in), sorted times.
async fn merge_tens(
    ctx: &Ctx,
    me: &Member,
    company_id: i64,
    n: usize,
) -> StartResult<Vec<Duration>> {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM leads WHERE company_id = $1 ORDER BY id LIMIT $2")
            .bind(company_id)
            .bind((n * 10) as i64)
            .fetch_all(&ctx.db.pool)
            .await?;
    let mut out = Vec::new();
    for group in ids.chunks(10) {
        let input = MergeLeads {
            lead_ids: group[1..].to_vec(),
            ..Default::default()
        };
        let started = Instant::now();
        leads::merge(ctx, me, group[0], input).await?;
        out.push(started.elapsed());
    }
    out.sort();
    Ok(out)
}

/// Every lead of the company through the export, into nothing; its time, by how
/// much resident memory grew at most while it ran, and its peak (MB).
async fn export_rows(ctx: &Ctx, me: &Member) -> StartResult<(Duration, f64, f64)> {
    let before = resident_mb();
    let peak = std::sync::Arc::new(std::sync::Mutex::new(before));
    let watch = peak.clone();
    let sampler = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let mut p = watch.lock().expect("not poisoned");
            *p = p.max(resident_mb());
        }
    });
    let started = Instant::now();
    let mut csv = leads::export(ctx, me, &LeadFilter::default()).await?;
    let mut bytes = 0usize;
    while let Some(chunk) = csv.next_chunk().await? {
        bytes += chunk.len();
    }
    let took = started.elapsed();
    sampler.abort();
    let peak = *peak.lock().expect("not poisoned");
    assert!(bytes > 0);
    Ok((took, peak - before, peak))
}

/// The baseline: the same leads' columns read with one plain `SELECT` and written
/// with the `csv` crate, into nothing.
async fn plain_csv(ctx: &Ctx, company_id: i64) -> StartResult<Duration> {
    use futures_util::TryStreamExt;
    let started = Instant::now();
    let mut rows = sqlx::query_as::<_, (i64, String, String, String, Option<String>, Option<String>, i64, i64)>(
        "SELECT id, first_name, last_name, company_name, email, phone, value_cents, created_at FROM leads \
         WHERE company_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(company_id)
    .fetch(&ctx.db.pool);
    let mut out = csv::Writer::from_writer(std::io::sink());
    while let Some(r) = rows.try_next().await? {
        out.serialize(r)?;
    }
    out.flush()?;
    Ok(started.elapsed())
}

fn resident_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
