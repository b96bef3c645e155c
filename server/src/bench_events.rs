//! `leadsy-server bench-events`: what recording events costs the writes that make
//! them, and how soon a webhook hears of a change.
//!
//! Two scratch databases per backend, alike but for one trigger: on the muted one
//! every insert into `events` is dropped by the database itself, so the same
//! binary runs the same operations once recording and once not, in one run. Lead
//! creates and updates go through `leads::create` and `leads::update`, in rounds
//! that alternate which database goes first; the import goes through the whole
//! server path as in `bench-import`. Then, with a webhook endpoint served in this
//! process and the delivery worker running, leads are made at a steady pace and
//! the time from each commit to its delivery's first attempt is measured.

use crate::{bench_import, config::Config, demo, leptos_options, state_with_db, StartResult};
use leadsy::actor::Member;
use leadsy::db::{Backend, Db};
use leadsy::events::Kind;
use leadsy::leads::{self, CreateLead, UpdateLead};
use leadsy::webhooks::{self, CreateWebhook};
use leadsy::Ctx;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Creates and updates are timed in rounds of this many, each database in turn.
const ROUND: usize = 100;

pub async fn run(
    config: &Config,
    writes: usize,
    import_rows: usize,
    postgres: Option<&str>,
) -> StartResult<()> {
    let dir = std::env::temp_dir().join(format!("leadsy-bench-events-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(config, &dir, writes, import_rows, postgres).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(
    config: &Config,
    dir: &Path,
    writes: usize,
    import_rows: usize,
    postgres: Option<&str>,
) -> StartResult<()> {
    let file = dir.join("import.csv");
    bench_import::write_csv(&file, import_rows)?;
    println!(
        "{writes} lead creates and {writes} updates (rounds of {ROUND}, alternating), one import of {import_rows} rows; \
         with events = as shipped, without = the same binary on a database that drops every event row"
    );
    println!("\n| database | operation | with events | without | time ratio | added |\n|---|---|---:|---:|---:|---:|");
    let mut backends = vec![("SQLite", None)];
    if let Some(url) = postgres {
        backends.push(("PostgreSQL", Some(url)));
    }
    for (name, url) in backends {
        let recording = Side::start(config, dir, url, false).await?;
        let muted = Side::start(config, dir, url, true).await?;
        let sides = [&recording, &muted];
        let mut made: [Vec<i64>; 2] = [Vec::new(), Vec::new()];
        let mut spent = [Duration::ZERO; 2];
        for round in 0..writes.div_ceil(ROUND) {
            for i in order(round) {
                let started = Instant::now();
                for n in 0..ROUND {
                    made[i].push(sides[i].create(round * ROUND + n).await?);
                }
                spent[i] += started.elapsed();
            }
        }
        report(name, "lead create", made[0].len(), spent);
        let mut spent = [Duration::ZERO; 2];
        for (round, _) in made[0].chunks(ROUND).enumerate() {
            for i in order(round) {
                let started = Instant::now();
                for &id in &made[i][round * ROUND..((round + 1) * ROUND).min(made[i].len())] {
                    sides[i].update(id).await?;
                }
                spent[i] += started.elapsed();
            }
        }
        report(name, "lead update", made[0].len(), spent);
        let mut spent = [Duration::ZERO; 2];
        for (i, side) in sides.iter().enumerate() {
            let (took, _) =
                bench_import::import(config, dir, side.db.clone(), &file, import_rows).await?;
            spent[i] = took;
        }
        report(
            name,
            &format!("{import_rows}-row import"),
            import_rows,
            spent,
        );
    }
    let waits = first_attempts(config, dir, 500).await?;
    println!(
        "\ncommit to first delivery attempt, SQLite, {} leads made 50 a second: p50 {} ms, p95 {} ms, max {} ms",
        waits.len(),
        percentile(&waits, 0.50),
        percentile(&waits, 0.95),
        percentile(&waits, 1.0)
    );
    Ok(())
}

/// Which database goes first in a round: each leads every other round.
fn order(round: usize) -> [usize; 2] {
    if round.is_multiple_of(2) {
        [0, 1]
    } else {
        [1, 0]
    }
}

fn report(db: &str, what: &str, n: usize, [with, without]: [Duration; 2]) {
    let ratio = with.as_secs_f64() / without.as_secs_f64();
    println!(
        "| {db} | {what} | {:.0}/s | {:.0}/s | {ratio:.3} | {:+.1}% |",
        n as f64 / with.as_secs_f64(),
        n as f64 / without.as_secs_f64(),
        (ratio - 1.0) * 100.0
    );
}

fn percentile(sorted: &[u128], p: f64) -> u128 {
    let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[at - 1]
}

/// One scratch database with a company and its admin, recording events or not.
struct Side {
    db: Db,
    ctx: Ctx,
    me: Member,
}

impl Side {
    async fn start(
        config: &Config,
        dir: &Path,
        postgres: Option<&str>,
        muted: bool,
    ) -> StartResult<Side> {
        let own = dir.join(if muted { "muted" } else { "recording" });
        std::fs::create_dir_all(&own)?;
        let db = leadsy::db::scratch(postgres, &own).await?;
        if muted {
            mute(&db).await?;
        }
        let mut config = config.clone();
        config.data_dir = own;
        let state = state_with_db(
            config,
            leptos_options("target/site", "127.0.0.1:3000".parse()?),
            db.clone(),
        )
        .await?;
        let ctx = state.ctx.clone();
        let company = demo::fill(&ctx, 1, 0).await?.remove(0);
        let me = Member::check(&ctx.db, &company.admin, company.company_id).await?;
        Ok(Side { db, ctx, me })
    }

    async fn create(&self, n: usize) -> StartResult<i64> {
        let input = CreateLead {
            first_name: format!("Bench{n}"),
            last_name: "Events".into(),
            company_name: format!("Acme {}", n % 97),
            email: Some(format!("bench{n}@events.test")),
            phone: Some(format!("+1 555 {n:07}")),
            postal_code: Some(format!("{}", 10_000 + n % 90_000)),
            stage_id: None,
            source_id: None,
            campaign_id: None,
            assigned_user_access_id: None,
            value_cents: 10_000,
            answers: None,
        };
        Ok(leads::create(&self.ctx, &self.me, input).await?.id)
    }

    async fn update(&self, id: i64) -> StartResult<()> {
        let patch = UpdateLead {
            company_name: Some(format!("Renamed {id}")),
            value_cents: Some(20_000),
            ..UpdateLead::default()
        };
        leads::update(&self.ctx, &self.me, id, patch, None).await?;
        Ok(())
    }
}

/// Makes the database drop every event row as it is inserted, so that the
/// operations run exactly as shipped, less the recording.
async fn mute(db: &Db) -> StartResult<()> {
    let statements: &[&str] = match db.backend {
        Backend::Sqlite => &[
            "CREATE TRIGGER bench_mute BEFORE INSERT ON events BEGIN SELECT RAISE(IGNORE); END",
        ],
        Backend::Postgres => &[
            "CREATE FUNCTION bench_mute() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
            "CREATE TRIGGER bench_mute BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION bench_mute()",
        ],
    };
    for sql in statements {
        sqlx::query(sql).execute(&db.pool).await?;
    }
    Ok(())
}

/// Milliseconds from each lead's commit to the first attempt at delivering its
/// `lead.created`, sorted.
async fn first_attempts(config: &Config, dir: &Path, leads: usize) -> StartResult<Vec<u128>> {
    let mut config = config.clone();
    config.webhook_allow_private = true;
    let side = Side::start(&config, &dir.join("latency"), None, false).await?;
    let arrived: Arc<Mutex<HashMap<i64, Instant>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    let seen = arrived.clone();
    let receiver = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: axum::body::Bytes| async move {
            let at = Instant::now();
            let lead = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["data"]["id"].as_i64());
            if let Some(id) = lead {
                seen.lock().unwrap().entry(id).or_insert(at);
            }
            axum::http::StatusCode::NO_CONTENT
        }),
    );
    tokio::spawn(async move { axum::serve(listener, receiver).await });
    let hook = CreateWebhook {
        url,
        events: vec![Kind::LeadCreated],
        description: "bench".into(),
    };
    webhooks::create(&side.ctx, &side.me, hook).await?;
    crate::spawn_webhook_worker(&side.ctx);
    let mut committed = HashMap::new();
    let mut pace = tokio::time::interval(Duration::from_millis(20));
    for n in 0..leads {
        pace.tick().await;
        let id = side.create(n).await?;
        committed.insert(id, Instant::now());
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while arrived.lock().unwrap().len() < leads {
        if Instant::now() > deadline {
            return Err("not every lead.created was delivered within a minute".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let arrived = arrived.lock().unwrap();
    let mut waits: Vec<u128> = committed
        .iter()
        .map(|(id, done)| arrived[id].saturating_duration_since(*done).as_millis())
        .collect();
    waits.sort_unstable();
    Ok(waits)
}
