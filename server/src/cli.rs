//! The operator's command line: serve (default), platform tokens, customer keys,
//! publishing a new terms version, backups, demo data and benchmarks.

use crate::{config::Config, context};
use leadsy::Actor;
use std::io::Read;

pub const USAGE: &str = "\
usage: leadsy-server [command]

  serve                               run the web server (the default)
  token create <name>                 make a platform API token (printed once)
  token list                          list platform tokens
  token revoke <id>                   revoke a platform token
  customer-keys list <customer_id>    list a customer's API keys
  customer-keys revoke <id>           revoke a customer API key
  terms publish <version> <title>     publish new terms, body read from stdin
  backup <file>                       an online, consistent copy of the SQLite database
                                      into a new file (PostgreSQL: pg_dump, see the README)
  demo-data [companies] [leads]       fill 1 (or N) new companies with 100000 (or M) demo leads each
  bench [leads]                       measure the board's API and page on 100000 (or M) leads
  bench-import [rows] [--memory]      import 100000 (or N) CSV rows through the server against a
                                      plain bulk insert (PostgreSQL too when
                                      LEADSY_BENCH_POSTGRES_URL is set); --memory also compares
                                      the peak memory of importing N and ten times N rows
  bench-import [rows] --peak          import N rows once on SQLite and print the peak memory
  bench-events [writes] [rows]        the cost of recording events: 2000 (or W) lead creates and
                                      updates and a 100000-row (or N) import, with events and on a
                                      database that drops them (PostgreSQL too when
                                      LEADSY_BENCH_POSTGRES_URL is set); then the time from commit
                                      to a webhook's first delivery attempt
  bench-hygiene [leads]               search, duplicates, merge and export on a company of 1000000
                                      (or N) leads against the scan, the grouping and a plain
                                      SELECT (PostgreSQL too when LEADSY_BENCH_POSTGRES_URL is set)
  bench-logins [n ...]                fire 100 and 500 (or each n) concurrent logins at a server
                                      started from this binary; peak memory and p99 latency
                                      against the idle server
";

/// Runs an operator command; `Ok(false)` means "serve".
pub async fn run(args: &[String], config: &Config) -> crate::StartResult<bool> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let ctx = || context(config);
    match args.as_slice() {
        [] | ["serve"] => return Ok(false),
        ["token", "create", name @ ..] if !name.is_empty() => {
            let (token, secret) = leadsy::global::create_platform_token(
                &ctx().await?,
                &Actor::Operator,
                &name.join(" "),
            )
            .await?;
            println!("created platform token {} ({})", token.id, token.name);
            println!("{secret}");
        }
        ["token", "list"] => {
            for t in leadsy::global::list_platform_tokens(&ctx().await?, &Actor::Operator).await? {
                let state = match t.revoked_at {
                    Some(at) => format!("revoked {at}"),
                    None => "active".into(),
                };
                let used = t
                    .last_used_at
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| "never".into());
                println!(
                    "{}\t{}\tcreated {}\tlast used {used}\t{state}",
                    t.id, t.name, t.created_at
                );
            }
        }
        ["token", "revoke", id] => {
            leadsy::global::revoke_platform_token(&ctx().await?, &Actor::Operator, id.parse()?)
                .await?;
            println!("revoked platform token {id}");
        }
        ["customer-keys", "list", salt] => {
            for k in
                leadsy::global::list_customer_keys(&ctx().await?, &Actor::Operator, salt).await?
            {
                let expires = k
                    .expires_at
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| "never".into());
                let state = if k.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                println!(
                    "{}\t{}\tcreated {}\texpires {expires}\t{state}",
                    k.id, k.name, k.created_at
                );
            }
        }
        ["customer-keys", "revoke", id] => {
            leadsy::global::revoke_customer_key(&ctx().await?, &Actor::Operator, id.parse()?)
                .await?;
            println!("revoked customer key {id}");
        }
        ["demo-data", rest @ ..] if rest.len() <= 2 => {
            let companies = rest.first().map_or(Ok(1), |n| n.parse())?;
            let leads = rest.get(1).map_or(Ok(100_000), |n| n.parse())?;
            let started = std::time::Instant::now();
            for c in crate::demo::fill(&ctx().await?, companies, leads).await? {
                println!(
                    "company {} with {leads} leads: log in as {} / {}",
                    c.company_id,
                    c.admin_email,
                    crate::demo::PASSWORD
                );
            }
            println!("done in {:.1} s", started.elapsed().as_secs_f64());
        }
        ["bench-logins", rest @ ..] => {
            let bursts = if rest.is_empty() {
                vec![100, 500]
            } else {
                rest.iter().map(|n| n.parse()).collect::<Result<_, _>>()?
            };
            crate::bench_logins::run(&bursts).await?;
        }
        ["bench-events", rest @ ..] if rest.len() <= 2 => {
            let writes = rest.first().map_or(Ok(2_000), |n| n.parse())?;
            let rows = rest.get(1).map_or(Ok(100_000), |n| n.parse())?;
            let postgres = std::env::var("LEADSY_BENCH_POSTGRES_URL").ok();
            crate::bench_events::run(config, writes, rows, postgres.as_deref()).await?;
        }
        ["bench-hygiene", rest @ ..] if rest.len() <= 1 => {
            let leads = rest.first().map_or(Ok(1_000_000), |n| n.parse())?;
            let postgres = std::env::var("LEADSY_BENCH_POSTGRES_URL").ok();
            crate::bench_hygiene::run(config, leads, postgres.as_deref()).await?;
        }
        ["bench-import", rest @ ..] => {
            let (flags, numbers): (Vec<&str>, Vec<&str>) =
                rest.iter().partition(|a| a.starts_with("--"));
            let rows = numbers.first().map_or(Ok(100_000), |n| n.parse())?;
            let run = match flags.as_slice() {
                [] => crate::bench_import::Run::Speed { memory: false },
                ["--memory"] => crate::bench_import::Run::Speed { memory: true },
                ["--peak"] => crate::bench_import::Run::Peak,
                _ => return Err(format!("unknown bench-import flags {flags:?}\n{USAGE}").into()),
            };
            let postgres = std::env::var("LEADSY_BENCH_POSTGRES_URL").ok();
            crate::bench_import::run(config, rows, postgres.as_deref(), run).await?;
        }
        ["bench", rest @ ..] if rest.len() <= 1 => {
            let leads = rest.first().map_or(Ok(100_000), |n| n.parse())?;
            crate::bench::run(config, leads).await?;
        }
        ["backup", file] => {
            let started = std::time::Instant::now();
            ctx().await?.db.backup(std::path::Path::new(file)).await?;
            println!(
                "backed up to {file} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        ["terms", "publish", version, title @ ..] if !title.is_empty() => {
            let mut body = String::new();
            std::io::stdin().read_to_string(&mut body)?;
            let t = leadsy::legal::publish(
                &ctx().await?,
                &Actor::Operator,
                version,
                &title.join(" "),
                &body,
            )
            .await?;
            println!(
                "published terms {} (id {}): every user signs it before going on",
                t.version, t.id
            );
        }
        _ => {
            eprint!("{USAGE}");
            std::process::exit(2);
        }
    }
    Ok(true)
}
