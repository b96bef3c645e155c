//! An endpoint's log: its deliveries newest first with every attempt, and the
//! replays an admin asks for. The one writer of `webhook_deliveries` outside the
//! queue and the worker's own progress.

use super::{message_id, Attempt, Delivery};
use crate::actor::Member;
use crate::events::Kind;
use crate::paging::{Meta, Page};
use crate::time::Timestamp;
use crate::{Ctx, Error, Result};

const SELECT: &str =
    "SELECT d.id, d.webhook_id, d.event_id, e.kind, d.status, d.attempts, d.next_attempt_at, \
    d.last_status, d.last_error, d.created_at, d.delivered_at \
    FROM webhook_deliveries d JOIN events e ON e.id = d.event_id";

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    webhook_id: i64,
    event_id: i64,
    kind: String,
    status: String,
    attempts: i64,
    next_attempt_at: i64,
    last_status: Option<i64>,
    last_error: Option<String>,
    created_at: i64,
    delivered_at: Option<i64>,
}

impl DeliveryRow {
    fn into_delivery(self) -> Result<Delivery> {
        Ok(Delivery {
            id: self.id,
            webhook_id: self.webhook_id,
            event_id: self.event_id,
            message_id: message_id(self.event_id),
            kind: Kind::from_key(&self.kind)
                .ok_or_else(|| Error::internal(format!("unknown event kind {}", self.kind)))?,
            next_attempt_at: (self.status == "pending").then_some(Timestamp(self.next_attempt_at)),
            status: self.status,
            attempts: self.attempts,
            last_status: self.last_status,
            last_error: self.last_error,
            created_at: Timestamp(self.created_at),
            delivered_at: self.delivered_at.map(Timestamp),
        })
    }
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    id: i64,
    attempted_at: i64,
    status_code: Option<i64>,
    latency_ms: i64,
    error: Option<String>,
    response_excerpt: Option<String>,
    instance: Option<String>,
}

/// An endpoint's deliveries, newest first (admins).
pub async fn deliveries(
    ctx: &Ctx,
    me: &Member,
    webhook_id: i64,
    page: Page,
) -> Result<(Vec<Delivery>, Meta)> {
    super::get(ctx, me, webhook_id).await?;
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $1")
            .bind(webhook_id)
            .fetch_one(&ctx.db.pool)
            .await?;
    let rows: Vec<DeliveryRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE d.webhook_id = $1 ORDER BY d.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(webhook_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(&ctx.db.pool)
    .await?;
    let list = rows
        .into_iter()
        .map(DeliveryRow::into_delivery)
        .collect::<Result<_>>()?;
    Ok((list, page.meta(total)))
}

/// One delivery with every attempt at it, oldest first.
pub async fn attempts(
    ctx: &Ctx,
    me: &Member,
    webhook_id: i64,
    delivery_id: i64,
) -> Result<(Delivery, Vec<Attempt>)> {
    owned(ctx, me, webhook_id, delivery_id).await?;
    let delivery: DeliveryRow = sqlx::query_as(&format!("{SELECT} WHERE d.id = $1"))
        .bind(delivery_id)
        .fetch_one(&ctx.db.pool)
        .await?;
    let rows: Vec<AttemptRow> = sqlx::query_as(
        "SELECT id, attempted_at, status_code, latency_ms, error, response_excerpt, instance FROM webhook_attempts \
         WHERE delivery_id = $1 ORDER BY id",
    )
    .bind(delivery_id)
    .fetch_all(&ctx.db.pool)
    .await?;
    let attempts = rows
        .into_iter()
        .map(|r| Attempt {
            id: r.id,
            attempted_at: Timestamp(r.attempted_at),
            status_code: r.status_code,
            latency_ms: r.latency_ms,
            error: r.error,
            response_excerpt: r.response_excerpt,
            instance: r.instance,
        })
        .collect();
    Ok((delivery.into_delivery()?, attempts))
}

async fn owned(ctx: &Ctx, me: &Member, webhook_id: i64, delivery_id: i64) -> Result<()> {
    super::get(ctx, me, webhook_id).await?;
    let found: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM webhook_deliveries WHERE id = $1 AND webhook_id = $2",
    )
    .bind(delivery_id)
    .bind(webhook_id)
    .fetch_one(&ctx.db.pool)
    .await?;
    if found == 0 {
        return Err(Error::not_found("delivery"));
    }
    Ok(())
}

/// A delivery sent again now, with the same `webhook-id`, on a fresh schedule.
const REQUEUE: &str =
    "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $1, \
    claimed_by = NULL, claimed_until = NULL";

/// Sends one delivery again.
#[tracing::instrument(name = "webhooks::replay", skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn replay(ctx: &Ctx, me: &Member, webhook_id: i64, delivery_id: i64) -> Result<Delivery> {
    owned(ctx, me, webhook_id, delivery_id).await?;
    sqlx::query(&format!("{REQUEUE} WHERE id = $2 AND webhook_id = $3"))
        .bind(Timestamp::now().0)
        .bind(delivery_id)
        .bind(webhook_id)
        .execute(&ctx.db.pool)
        .await?;
    let row: DeliveryRow = sqlx::query_as(&format!("{SELECT} WHERE d.id = $1"))
        .bind(delivery_id)
        .fetch_one(&ctx.db.pool)
        .await?;
    row.into_delivery()
}

/// Sends every delivery the endpoint gave up on again; how many.
#[tracing::instrument(name = "webhooks::replay_failed", skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn replay_failed(ctx: &Ctx, me: &Member, webhook_id: i64) -> Result<u64> {
    super::get(ctx, me, webhook_id).await?;
    Ok(sqlx::query(&format!(
        "{REQUEUE} WHERE webhook_id = $2 AND status = 'failed'"
    ))
    .bind(Timestamp::now().0)
    .bind(webhook_id)
    .execute(&ctx.db.pool)
    .await?
    .rows_affected())
}

/// What an endpoint Leadsy turned off had queued is given up on (a replay sends
/// it once the endpoint is on again); never while it is on or only paused.
pub(super) async fn fail_pending(conn: &mut sqlx::AnyConnection, webhook_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE webhook_deliveries SET status = 'failed', claimed_by = NULL, claimed_until = NULL, \
         last_error = COALESCE(last_error, 'the endpoint was turned off') \
         WHERE webhook_id = $1 AND status = 'pending' AND EXISTS \
         (SELECT 1 FROM webhooks w WHERE w.id = $1 AND w.enabled = 0 AND w.disabled_reason IS NOT NULL)",
    )
    .bind(webhook_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// An endpoint Leadsy turned off: the company's admins are told.
pub(super) async fn endpoint_turned_off(ctx: &Ctx, webhook_id: i64) -> Result<()> {
    #[derive(sqlx::FromRow)]
    struct Notice {
        email: String,
        url: String,
        disabled_reason: Option<String>,
        company: String,
    }
    let admins: Vec<Notice> = sqlx::query_as(
        "SELECT u.email, w.url, w.disabled_reason, c.name AS company FROM webhooks w \
         JOIN companies c ON c.id = w.company_id \
         JOIN user_accesses ua ON ua.company_id = w.company_id \
         JOIN accesses a ON a.id = ua.access_id AND a.key = 'admin' \
         JOIN users u ON u.id = ua.user_id WHERE w.id = $1",
    )
    .bind(webhook_id)
    .fetch_all(&ctx.db.pool)
    .await?;
    for n in admins {
        let body = format!(
            "Leadsy stopped sending events of {company} to {url}: {why}.\n\n\
             Fix the endpoint, turn it back on in Settings → Webhooks ({public}/settings/webhooks), \
             and replay the failed deliveries from its log.\n",
            company = n.company,
            url = n.url,
            why = n.disabled_reason.unwrap_or_else(|| "it kept failing".into()),
            public = ctx.settings.public_url,
        );
        ctx.mailer
            .send_later(&n.email, "A webhook endpoint was turned off", body);
    }
    Ok(())
}
