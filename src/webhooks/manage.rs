//! Admins' endpoints: add, list, change, delete, and rotate the secret. The one
//! writer of `webhooks` and `webhook_subscriptions`.

use super::{guard, heard, sign, CreateWebhook, UpdateWebhook, Webhook, WebhookWithSecret};
use crate::actor::{Member, Role};
use crate::db::Tx;
use crate::error::Check;
use crate::events::{self, Kind, NewEvent};
use crate::paging::{Meta, Page};
use crate::time::Timestamp;
use crate::{Ctx, Error, Result};

/// How long the old secret keeps signing beside the new one after a rotation.
pub const ROTATION_OVERLAP_SECS: i64 = 24 * 3600;

const SELECT: &str = "SELECT id, company_id, url, description, events, enabled, disabled_reason, \
    failing_since, created_at, updated_at FROM webhooks";

#[derive(sqlx::FromRow)]
struct WebhookRow {
    id: i64,
    company_id: i64,
    url: String,
    description: String,
    events: String,
    enabled: i64,
    disabled_reason: Option<String>,
    failing_since: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl WebhookRow {
    fn into_webhook(self) -> Webhook {
        Webhook {
            id: self.id,
            company_id: self.company_id,
            url: self.url,
            description: self.description,
            events: serde_json::from_str(&self.events).unwrap_or_default(),
            enabled: self.enabled != 0,
            disabled_reason: self.disabled_reason,
            failing_since: self.failing_since.map(Timestamp),
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        }
    }
}

fn checked_url(ctx: &Ctx, check: &mut Check, raw: &str) -> Option<String> {
    check.take(
        "url",
        guard::check_url(raw, ctx.settings.webhook_allow_private).map(|u| u.to_string()),
    )
}

fn checked_events(check: &mut Check, events: &[Kind]) -> Option<Vec<Kind>> {
    if events.is_empty() {
        check.add("events", "must name at least one event type");
        return None;
    }
    let mut events = events.to_vec();
    events.sort_by_key(|k| k.key());
    events.dedup();
    Some(events)
}

fn checked_description(check: &mut Check, raw: &str) -> Option<String> {
    let text = raw.trim();
    if text.chars().count() > 500 {
        check.add("description", "must be at most 500 characters");
        return None;
    }
    Some(text.to_string())
}

/// Adds an endpoint; the answer carries its secret, shown this once.
#[tracing::instrument(name = "webhooks::create", skip_all, fields(company_id = me.company_id()))]
pub async fn create(ctx: &Ctx, me: &Member, input: CreateWebhook) -> Result<WebhookWithSecret> {
    me.require(Role::Admin)?;
    let mut check = Check::default();
    let url = checked_url(ctx, &mut check, &input.url);
    let events = checked_events(&mut check, &input.events);
    let description = checked_description(&mut check, &input.description);
    check.finish()?;
    let (url, events, description) = (
        url.expect("checked"),
        events.expect("checked"),
        description.expect("checked"),
    );
    let secret = sign::new_secret();
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO webhooks (company_id, url, description, events, secret, enabled, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id",
    )
    .bind(me.company_id())
    .bind(&url)
    .bind(&description)
    .bind(serde_json::to_string(&events).map_err(Error::internal)?)
    .bind(&secret)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    subscribe(&mut tx, me.company_id(), id, &events).await?;
    let webhook = fetch_on(&mut tx, me.company_id(), id).await?;
    let event = NewEvent::about(Kind::WebhookCreated, Some(id), &webhook);
    events::record(&mut tx, me.company_id(), &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(WebhookWithSecret { webhook, secret })
}

/// The subscriptions the queue joins on, replaced whole.
async fn subscribe(
    tx: &mut Tx<'_>,
    company_id: i64,
    webhook_id: i64,
    events: &[Kind],
) -> Result<()> {
    sqlx::query("DELETE FROM webhook_subscriptions WHERE webhook_id = $1")
        .bind(webhook_id)
        .execute(&mut **tx)
        .await?;
    for kind in heard(events) {
        sqlx::query(
            "INSERT INTO webhook_subscriptions (webhook_id, company_id, kind) VALUES ($1, $2, $3)",
        )
        .bind(webhook_id)
        .bind(company_id)
        .bind(kind.key())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub async fn list(ctx: &Ctx, me: &Member, page: Page) -> Result<(Vec<Webhook>, Meta)> {
    me.require(Role::Admin)?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhooks WHERE company_id = $1")
        .bind(me.company_id())
        .fetch_one(&ctx.db.pool)
        .await?;
    let rows: Vec<WebhookRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE company_id = $1 ORDER BY id LIMIT $2 OFFSET $3"
    ))
    .bind(me.company_id())
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok((
        rows.into_iter().map(WebhookRow::into_webhook).collect(),
        page.meta(total),
    ))
}

pub async fn get(ctx: &Ctx, me: &Member, webhook_id: i64) -> Result<Webhook> {
    me.require(Role::Admin)?;
    fetch_on(
        &mut *ctx.db.pool.acquire().await?,
        me.company_id(),
        webhook_id,
    )
    .await
}

/// The endpoint before a change, its row locked first (on SQLite, a transaction
/// that reads before it writes can lose its snapshot to the delivery worker).
async fn locked(tx: &mut Tx<'_>, company_id: i64, webhook_id: i64) -> Result<Webhook> {
    sqlx::query("UPDATE webhooks SET updated_at = updated_at WHERE id = $1 AND company_id = $2")
        .bind(webhook_id)
        .bind(company_id)
        .execute(&mut **tx)
        .await?;
    fetch_on(tx, company_id, webhook_id).await
}

async fn fetch_on(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    webhook_id: i64,
) -> Result<Webhook> {
    let row: Option<WebhookRow> =
        sqlx::query_as(&format!("{SELECT} WHERE id = $1 AND company_id = $2"))
            .bind(webhook_id)
            .bind(company_id)
            .fetch_optional(conn)
            .await?;
    row.map(WebhookRow::into_webhook)
        .ok_or_else(|| Error::not_found("webhook"))
}

/// Changes what is sent; turning an endpoint back on forgets why it was off.
#[tracing::instrument(name = "webhooks::update", skip(ctx, me, patch), fields(company_id = me.company_id()))]
pub async fn update(
    ctx: &Ctx,
    me: &Member,
    webhook_id: i64,
    patch: UpdateWebhook,
) -> Result<Webhook> {
    let seen = get(ctx, me, webhook_id).await?;
    let mut check = Check::default();
    let url = match &patch.url {
        Some(raw) => checked_url(ctx, &mut check, raw),
        None => Some(seen.url.clone()),
    };
    let events = match &patch.events {
        Some(events) => checked_events(&mut check, events),
        None => Some(seen.events.clone()),
    };
    let description = match &patch.description {
        Some(raw) => checked_description(&mut check, raw),
        None => Some(seen.description.clone()),
    };
    check.finish()?;
    let events = events.expect("checked");
    let mut tx = ctx.db.begin().await?;
    let before = locked(&mut tx, me.company_id(), webhook_id).await?;
    let enabled = patch.enabled.unwrap_or(before.enabled);
    let turned_on = enabled && !before.enabled;
    sqlx::query(
        "UPDATE webhooks SET url = $1, description = $2, events = $3, enabled = $4, \
         disabled_reason = CASE WHEN $4 = 1 THEN NULL ELSE disabled_reason END, \
         failing_since = CASE WHEN $5 = 1 THEN NULL ELSE failing_since END, updated_at = $6 \
         WHERE id = $7 AND company_id = $8",
    )
    .bind(url.expect("checked"))
    .bind(description.expect("checked"))
    .bind(serde_json::to_string(&events).map_err(Error::internal)?)
    .bind(i64::from(enabled))
    .bind(i64::from(turned_on))
    .bind(Timestamp::now().0)
    .bind(webhook_id)
    .bind(me.company_id())
    .execute(&mut *tx)
    .await?;
    subscribe(&mut tx, me.company_id(), webhook_id, &events).await?;
    let after = fetch_on(&mut tx, me.company_id(), webhook_id).await?;
    let event = NewEvent::updated(Kind::WebhookUpdated, Some(webhook_id), &before, &after);
    events::record(&mut tx, me.company_id(), &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes the endpoint with its queue and log.
#[tracing::instrument(name = "webhooks::delete", skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn delete(ctx: &Ctx, me: &Member, webhook_id: i64) -> Result<()> {
    me.require(Role::Admin)?;
    let mut tx = ctx.db.begin().await?;
    let gone = locked(&mut tx, me.company_id(), webhook_id).await?;
    sqlx::query("DELETE FROM webhooks WHERE id = $1 AND company_id = $2")
        .bind(webhook_id)
        .bind(me.company_id())
        .execute(&mut *tx)
        .await?;
    let event = NewEvent::about(Kind::WebhookDeleted, Some(webhook_id), &gone);
    events::record(&mut tx, me.company_id(), &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(())
}

/// A new secret, shown once; the old one keeps signing beside it for a day, so
/// the receiver can change over without losing a delivery.
#[tracing::instrument(name = "webhooks::rotate_secret", skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn rotate_secret(ctx: &Ctx, me: &Member, webhook_id: i64) -> Result<WebhookWithSecret> {
    me.require(Role::Admin)?;
    let secret = sign::new_secret();
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    locked(&mut tx, me.company_id(), webhook_id).await?;
    sqlx::query(
        "UPDATE webhooks SET previous_secret = secret, previous_secret_until = $1, secret = $2, updated_at = $3 \
         WHERE id = $4 AND company_id = $5",
    )
    .bind(now + ROTATION_OVERLAP_SECS)
    .bind(&secret)
    .bind(now)
    .bind(webhook_id)
    .bind(me.company_id())
    .execute(&mut *tx)
    .await?;
    let webhook = fetch_on(&mut tx, me.company_id(), webhook_id).await?;
    let event = NewEvent::about(Kind::WebhookSecretRotated, Some(webhook_id), &webhook);
    events::record(&mut tx, me.company_id(), &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(WebhookWithSecret { webhook, secret })
}

/// The secrets signing a delivery now: the current one, and the previous one
/// during a changeover.
pub(super) async fn secrets(ctx: &Ctx, webhook_id: i64) -> Result<Vec<String>> {
    #[derive(sqlx::FromRow)]
    struct Secrets {
        secret: String,
        previous_secret: Option<String>,
        previous_secret_until: Option<i64>,
    }
    let s: Secrets = sqlx::query_as(
        "SELECT secret, previous_secret, previous_secret_until FROM webhooks WHERE id = $1",
    )
    .bind(webhook_id)
    .fetch_one(&ctx.db.pool)
    .await?;
    let now = Timestamp::now().0;
    let previous = s
        .previous_secret
        .filter(|_| s.previous_secret_until.is_some_and(|until| until > now));
    Ok(std::iter::once(s.secret).chain(previous).collect())
}

fn spelled(secs: i64) -> String {
    match secs {
        s if s >= 2 * 86_400 => format!("{} days", s / 86_400),
        s if s >= 2 * 3_600 => format!("{} hours", s / 3_600),
        s if s >= 120 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

/// Where an endpoint stands after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Standing {
    /// On, or paused by an admin (its queue waits for it).
    On,
    /// This attempt's failure turned it off; what it had queued has failed.
    TurnedOff,
    /// Leadsy had turned it off while this attempt was in flight.
    Off,
}

/// After an attempt: success clears the failing streak; a failure starts one or,
/// past `give_up_after` seconds of it (or at once, for 410 Gone), turns the
/// endpoint off and fails its queue, in one transaction.
pub(super) async fn note_outcome(
    ctx: &Ctx,
    webhook_id: i64,
    ok: bool,
    gone: bool,
    give_up_after: i64,
) -> Result<Standing> {
    let now = Timestamp::now().0;
    if ok {
        sqlx::query(
            "UPDATE webhooks SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL",
        )
        .bind(webhook_id)
        .execute(&ctx.db.pool)
        .await?;
        return Ok(Standing::On);
    }
    let mut tx = ctx.db.begin().await?;
    sqlx::query("UPDATE webhooks SET failing_since = $1 WHERE id = $2 AND failing_since IS NULL")
        .bind(now)
        .bind(webhook_id)
        .execute(&mut *tx)
        .await?;
    let reason = if gone {
        "the endpoint answered 410 Gone".to_string()
    } else {
        format!("every delivery failed for {}", spelled(give_up_after))
    };
    let off = sqlx::query(
        "UPDATE webhooks SET enabled = 0, disabled_reason = $1, updated_at = $2 \
         WHERE id = $3 AND enabled = 1 AND ($4 = 1 OR failing_since <= $5)",
    )
    .bind(reason)
    .bind(now)
    .bind(webhook_id)
    .bind(i64::from(gone))
    .bind(now - give_up_after)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if off > 0 {
        super::deliveries::fail_pending(&mut tx, webhook_id).await?;
        tx.commit().await?;
        return Ok(Standing::TurnedOff);
    }
    #[derive(sqlx::FromRow)]
    struct Now {
        enabled: i64,
        disabled_reason: Option<String>,
    }
    let state: Option<Now> =
        sqlx::query_as("SELECT enabled, disabled_reason FROM webhooks WHERE id = $1")
            .bind(webhook_id)
            .fetch_optional(&mut *tx)
            .await?;
    tx.commit().await?;
    // Deleted meanwhile, its queue went with it.
    Ok(match state {
        Some(Now {
            enabled: 0,
            disabled_reason: Some(_),
        }) => Standing::Off,
        _ => Standing::On,
    })
}
