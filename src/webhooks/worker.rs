//! The webhook worker: claims due deliveries, sends each signed, logs the attempt,
//! and schedules the next one. Like the import worker, several server instances
//! may run one each: a claim is one statement that holds a delivery for a lease,
//! so a worker that dies mid-send leaves it to be sent again when the lease ends.

use super::manage::{self, Standing};
use super::{deliveries, message_id, sign};
use crate::db::Backend;
use crate::time::Timestamp;
use crate::{Ctx, Error, Result};
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// Deliveries one worker sends at the same time.
const BATCH: i64 = 32;
/// How much of an endpoint's answer the log keeps.
const EXCERPT: usize = 1_000;

/// Runs until the process stops. `instance` names this worker in its claims.
pub async fn run(ctx: Ctx, instance: String) {
    let client = match client(&ctx) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhooks cannot be delivered: no HTTP client");
            return;
        }
    };
    if ctx.db.backend == Backend::Sqlite {
        // No other instance shares embedded SQLite: what this one held is free.
        let _ = sqlx::query("UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by IS NOT NULL")
            .execute(&ctx.db.pool)
            .await;
    }
    // A batch in hand is sent and logged before the stop is heeded: each attempt
    // gives its claim back as it is recorded, so nothing stays held.
    while !ctx.stop.asked() {
        match claim(&ctx, &instance).await {
            Ok(batch) if !batch.is_empty() => {
                let mut sending = JoinSet::new();
                for d in batch {
                    let (ctx, client, instance) = (ctx.clone(), client.clone(), instance.clone());
                    sending.spawn(async move {
                        if let Err(e) = attempt(&ctx, &client, &instance, d).await {
                            tracing::error!(delivery = d.id, error = %e, "webhook attempt not recorded");
                        }
                    });
                }
                while sending.join_next().await.is_some() {}
            }
            Ok(_) => {
                ctx.stop
                    .or_stop(tokio::time::sleep(Duration::from_millis(200)))
                    .await
            }
            Err(e) => {
                tracing::error!(error = %e, "could not claim webhook deliveries");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

/// The outgoing client: bounded in time, never following a redirect (it could
/// lead inside the network), never through a proxy from the environment (which
/// would resolve the name itself), and resolving names to public addresses only.
fn client(ctx: &Ctx) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(ctx.settings.webhook_timeout_secs))
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Leadsy-Webhooks/1")
        .dns_resolver(std::sync::Arc::new(super::guard::Resolver {
            allow_private: ctx.settings.webhook_allow_private,
        }))
        .build()
        .map_err(Error::internal)
}

#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub webhook_id: i64,
    pub event_id: i64,
    pub attempts: i64,
}

/// Takes up to a batch of due deliveries of enabled endpoints for the lease.
pub async fn claim(ctx: &Ctx, instance: &str) -> Result<Vec<Claimed>> {
    let now = Timestamp::now().0;
    let lease = now + ctx.settings.webhook_timeout_secs as i64 + 30;
    Ok(sqlx::query_as(&format!(
        "UPDATE webhook_deliveries SET claimed_by = $1, claimed_until = $2 WHERE id IN \
         (SELECT d.id FROM webhook_deliveries d WHERE d.status = 'pending' AND d.next_attempt_at <= $3 \
          AND (d.claimed_until IS NULL OR d.claimed_until < $3) \
          AND EXISTS (SELECT 1 FROM webhooks w WHERE w.id = d.webhook_id AND w.enabled = 1) \
          ORDER BY d.next_attempt_at, d.id LIMIT $4 {}) \
         RETURNING id, webhook_id, event_id, attempts",
        ctx.db.skip_locked()
    ))
    .bind(instance)
    .bind(lease)
    .bind(now)
    .bind(BATCH)
    .fetch_all(&ctx.db.pool)
    .await?)
}

#[derive(sqlx::FromRow)]
struct Outgoing {
    url: String,
    kind: String,
    data: String,
    changes: String,
    created_at: i64,
}

/// What came of one try.
struct Outcome {
    status: Option<u16>,
    latency_ms: i64,
    error: Option<String>,
    excerpt: Option<String>,
    retry_after: Option<i64>,
}

impl Outcome {
    fn ok(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    fn gone(&self) -> bool {
        self.status == Some(410)
    }
}

/// The body Standard Webhooks describes: the type, when it happened, and the
/// object as the API shows it (with an update's before and after).
fn payload(o: &Outgoing) -> Result<Vec<u8>> {
    let mut data: serde_json::Value = serde_json::from_str(&o.data).map_err(Error::internal)?;
    let changes: serde_json::Value = serde_json::from_str(&o.changes).map_err(Error::internal)?;
    if changes.as_object().is_some_and(|c| !c.is_empty()) {
        if let Some(object) = data.as_object_mut() {
            object.insert("changes".into(), changes);
        }
    }
    let body = serde_json::json!({
        "type": o.kind,
        "timestamp": Timestamp(o.created_at).rfc3339(),
        "data": data,
    });
    serde_json::to_vec(&body).map_err(Error::internal)
}

async fn attempt(ctx: &Ctx, client: &reqwest::Client, instance: &str, d: Claimed) -> Result<()> {
    let o: Outgoing = sqlx::query_as(
        "SELECT w.url, e.kind, e.data, e.changes, e.created_at FROM webhook_deliveries d \
         JOIN webhooks w ON w.id = d.webhook_id JOIN events e ON e.id = d.event_id WHERE d.id = $1",
    )
    .bind(d.id)
    .fetch_one(&ctx.db.pool)
    .await?;
    let body = payload(&o)?;
    let id = message_id(d.event_id);
    let now = Timestamp::now().0;
    let secrets = manage::secrets(ctx, d.webhook_id).await?;
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let signature = sign::header(&secrets, &id, now, &body)?;
    let started = Instant::now();
    let outcome = match super::guard::check_url(&o.url, ctx.settings.webhook_allow_private) {
        Err(why) => Outcome {
            status: None,
            latency_ms: 0,
            error: Some(format!("the URL {why}")),
            excerpt: None,
            retry_after: None,
        },
        Ok(url) => send(client, url, &id, now, &signature, body, started).await,
    };
    record(ctx, instance, d, &outcome).await
}

async fn send(
    client: &reqwest::Client,
    url: reqwest::Url,
    id: &str,
    timestamp: i64,
    signature: &str,
    body: Vec<u8>,
    started: Instant,
) -> Outcome {
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    let elapsed = |started: Instant| started.elapsed().as_millis() as i64;
    match sent {
        Err(e) => Outcome {
            status: None,
            latency_ms: elapsed(started),
            error: Some(describe(&e)),
            excerpt: None,
            retry_after: None,
        },
        Ok(mut res) => {
            let status = res.status().as_u16();
            let retry_after = res
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<i64>().ok());
            let mut excerpt = Vec::new();
            while excerpt.len() < EXCERPT {
                match res.chunk().await {
                    Ok(Some(chunk)) => excerpt.extend_from_slice(&chunk),
                    _ => break,
                }
            }
            excerpt.truncate(EXCERPT);
            Outcome {
                status: Some(status),
                latency_ms: elapsed(started),
                error: None,
                excerpt: Some(String::from_utf8_lossy(&excerpt).into_owned()),
                retry_after,
            }
        }
    }
}

/// A failed send in words an admin can act on.
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer in time".into()
    } else if e.is_connect() {
        format!(
            "could not connect: {}",
            std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default()
        )
    } else {
        e.to_string()
    }
}

/// When the next try goes, or none once the schedule is spent: the configured
/// delay with up to a fifth of jitter either way, and never before the endpoint's
/// own `Retry-After` (at most a day).
fn next_try(ctx: &Ctx, attempts: i64, retry_after: Option<i64>) -> Option<i64> {
    let delays = &ctx.settings.webhook_retry_delays;
    let delay = *delays.get(usize::try_from(attempts - 1).ok()?)?;
    let jitter = (delay as f64 * 0.2 * (rand::random::<f64>() * 2.0 - 1.0)) as i64;
    let wait = (delay + jitter)
        .max(retry_after.unwrap_or(0).min(86_400))
        .max(1);
    // Times are whole seconds: rounding up keeps the wait at least as long.
    Some(Timestamp::now().0 + wait + 1)
}

/// Logs the attempt and moves the delivery on, in one transaction and only while
/// this worker still holds it.
async fn record(ctx: &Ctx, instance: &str, d: Claimed, o: &Outcome) -> Result<()> {
    let attempts = d.attempts + 1;
    let next = if o.ok() || o.gone() {
        None
    } else {
        next_try(ctx, attempts, o.retry_after)
    };
    let status = match (o.ok(), next) {
        (true, _) => "delivered",
        (false, Some(_)) => "pending",
        (false, None) => "failed",
    };
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    let held = sqlx::query(
        "UPDATE webhook_deliveries SET status = $1, attempts = $2, next_attempt_at = $3, claimed_by = NULL, \
         claimed_until = NULL, last_status = $4, last_error = $5, delivered_at = $6 \
         WHERE id = $7 AND claimed_by = $8",
    )
    .bind(status)
    .bind(attempts)
    .bind(next.unwrap_or(now))
    .bind(o.status.map(i64::from))
    .bind(&o.error)
    .bind(o.ok().then_some(now))
    .bind(d.id)
    .bind(instance)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if held == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms, error, response_excerpt, instance) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(d.id)
    .bind(now)
    .bind(o.status.map(i64::from))
    .bind(o.latency_ms)
    .bind(&o.error)
    .bind(&o.excerpt)
    .bind(instance)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let outcome = match status {
        "pending" => "retry",
        other => other,
    };
    metrics::counter!("leadsy_webhook_attempts_total", "outcome" => outcome).increment(1);
    metrics::histogram!("leadsy_webhook_attempt_duration_seconds")
        .record(o.latency_ms as f64 / 1000.0);
    let standing = manage::note_outcome(
        ctx,
        d.webhook_id,
        o.ok(),
        o.gone(),
        ctx.settings.webhook_give_up_secs,
    )
    .await?;
    match standing {
        Standing::On => {}
        Standing::TurnedOff => deliveries::endpoint_turned_off(ctx, d.webhook_id).await?,
        Standing::Off => {
            deliveries::fail_pending(&mut *ctx.db.pool.acquire().await?, d.webhook_id).await?
        }
    }
    Ok(())
}
