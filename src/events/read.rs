use super::{ActorKind, By, Door, Event, EventFilter, Kind};
use crate::actor::{Member, Role};
use crate::imports::neutralize;
use crate::paging::{Meta, Page};
use crate::time::Timestamp;
use crate::{leads, Ctx, Error, Result};

const SELECT: &str = "SELECT e.id, e.company_id, e.kind, e.lead_id, e.subject_id, e.actor_kind, \
    e.actor_user_id, e.actor_ref_id, e.door, e.data, e.changes, e.created_at, \
    u.first_name AS by_first, u.last_name AS by_last \
    FROM events e LEFT JOIN users u ON u.id = e.actor_user_id";

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    company_id: i64,
    kind: String,
    lead_id: Option<i64>,
    subject_id: Option<i64>,
    actor_kind: String,
    actor_user_id: Option<i64>,
    actor_ref_id: Option<i64>,
    door: String,
    data: String,
    changes: String,
    created_at: i64,
    by_first: Option<String>,
    by_last: Option<String>,
}

impl EventRow {
    fn into_event(self) -> Result<Event> {
        let unknown =
            |what: &str, key: &str| Error::internal(format!("unknown event {what} {key}"));
        Ok(Event {
            id: self.id,
            company_id: self.company_id,
            kind: Kind::from_key(&self.kind).ok_or_else(|| unknown("kind", &self.kind))?,
            lead_id: self.lead_id,
            subject_id: self.subject_id,
            by: By {
                kind: ActorKind::from_key(&self.actor_kind)
                    .ok_or_else(|| unknown("actor", &self.actor_kind))?,
                user_id: self.actor_user_id,
                ref_id: self.actor_ref_id,
                door: Door::from_key(&self.door).ok_or_else(|| unknown("door", &self.door))?,
            },
            by_name: self
                .by_first
                .zip(self.by_last)
                .map(|(f, l)| format!("{f} {l}").trim().to_string()),
            data: serde_json::from_str(&self.data).map_err(Error::internal)?,
            changes: serde_json::from_str(&self.changes).map_err(Error::internal)?,
            created_at: Timestamp(self.created_at),
        })
    }
}

/// A lead's events (`$1`, company `$2`), and those of the leads merged into it
/// while the merge stands: their story is its story.
const OF_LEAD: &str = "e.company_id = $2 AND (e.lead_id = $1 OR e.lead_id IN \
    (SELECT m.lead_id FROM lead_merge_members m JOIN lead_merges g ON g.id = m.merge_id \
    WHERE g.lead_id = $1 AND g.company_id = $2))";

/// A lead's history, newest first, for anyone who may see the lead.
#[tracing::instrument(name = "events::for_lead", skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn for_lead(
    ctx: &Ctx,
    me: &Member,
    lead_id: i64,
    page: Page,
) -> Result<(Vec<Event>, Meta)> {
    let lead = leads::visible(ctx, me, lead_id).await?;
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM events e WHERE {OF_LEAD}"))
        .bind(lead.id)
        .bind(lead.company_id)
        .fetch_one(&ctx.db.pool)
        .await?;
    let rows: Vec<EventRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE {OF_LEAD} ORDER BY e.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(lead.id)
    .bind(lead.company_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(&ctx.db.pool)
    .await?;
    let events = rows
        .into_iter()
        .map(EventRow::into_event)
        .collect::<Result<_>>()?;
    Ok((events, page.meta(total)))
}

/// The filter as SQL: `$1` the company, `$2`–`$6` the filters, each one that is
/// not set matching every row.
const FILTERED: &str = "e.company_id = $1 \
    AND (CAST($2 AS BIGINT) IS NULL OR e.actor_user_id = $2) \
    AND (CAST($3 AS TEXT) IS NULL OR e.kind = $3) \
    AND (CAST($4 AS BIGINT) IS NULL OR e.lead_id = $4) \
    AND (CAST($5 AS BIGINT) IS NULL OR e.created_at >= $5) \
    AND (CAST($6 AS BIGINT) IS NULL OR e.created_at <= $6)";

fn bind_filter<'q, O>(
    q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    company_id: i64,
    f: &EventFilter,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    q.bind(company_id)
        .bind(f.actor_user_id)
        .bind(f.kind.map(|k| k.key().to_string()))
        .bind(f.lead_id)
        .bind(f.from.map(|t| t.0))
        .bind(f.to.map(|t| t.0))
}

/// The company's audit log, newest first: admins only, for every change of
/// everyone's.
#[tracing::instrument(name = "events::list", skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn list(
    ctx: &Ctx,
    me: &Member,
    filter: &EventFilter,
    page: Page,
) -> Result<(Vec<Event>, Meta)> {
    me.require(Role::Admin)?;
    let (total,): (i64,) = bind_filter(
        sqlx::query_as(&format!("SELECT COUNT(*) FROM events e WHERE {FILTERED}")),
        me.company_id(),
        filter,
    )
    .fetch_one(&ctx.db.pool)
    .await?;
    let rows: Vec<EventRow> = bind_filter(
        sqlx::query_as(&format!(
            "{SELECT} WHERE {FILTERED} ORDER BY e.id DESC LIMIT $7 OFFSET $8"
        )),
        me.company_id(),
        filter,
    )
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(&ctx.db.pool)
    .await?;
    let events = rows
        .into_iter()
        .map(EventRow::into_event)
        .collect::<Result<_>>()?;
    Ok((events, page.meta(total)))
}

/// The audit log as CSV, newest first, a page of rows at a time so that memory
/// stays flat whatever the log's length. Cells a spreadsheet would run as
/// formulas are neutralized.
pub struct EventsCsv {
    ctx: Ctx,
    company_id: i64,
    filter: EventFilter,
    header: bool,
    /// The id the next page starts below; `None` once the log is read.
    before: Option<i64>,
}

const CSV_PAGE: i64 = 1_000;

/// Admins only, like the log.
pub async fn export(ctx: &Ctx, me: &Member, filter: EventFilter) -> Result<EventsCsv> {
    me.require(Role::Admin)?;
    Ok(EventsCsv {
        ctx: ctx.clone(),
        company_id: me.company_id(),
        filter,
        header: true,
        before: Some(i64::MAX),
    })
}

impl EventsCsv {
    /// The CSV's next bytes: the header row first, then a page of events; `None`
    /// at the end.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        let mut out = csv::Writer::from_writer(Vec::new());
        if std::mem::take(&mut self.header) {
            out.write_record([
                "id",
                "time",
                "type",
                "lead_id",
                "subject_id",
                "actor",
                "actor_user_id",
                "actor_name",
                "ref_id",
                "door",
                "changes",
                "data",
            ])
            .map_err(Error::internal)?;
            return out.into_inner().map(Some).map_err(Error::internal);
        }
        let Some(before) = self.before else {
            return Ok(None);
        };
        let rows: Vec<EventRow> = bind_filter(
            sqlx::query_as(&format!(
                "{SELECT} WHERE {FILTERED} AND e.id < $7 ORDER BY e.id DESC LIMIT $8"
            )),
            self.company_id,
            &self.filter,
        )
        .bind(before)
        .bind(CSV_PAGE)
        .fetch_all(&self.ctx.db.pool)
        .await?;
        self.before = match rows.last() {
            Some(last) if rows.len() as i64 == CSV_PAGE => Some(last.id),
            _ => None,
        };
        if rows.is_empty() {
            return Ok(None);
        }
        for row in rows {
            let e = row.into_event()?;
            let cell = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
            let record = [
                e.id.to_string(),
                e.created_at.rfc3339(),
                e.kind.key().to_string(),
                cell(e.lead_id),
                cell(e.subject_id),
                e.by.kind.key().to_string(),
                cell(e.by.user_id),
                neutralize(&e.by_name.unwrap_or_default()),
                cell(e.by.ref_id),
                e.by.door.key().to_string(),
                neutralize(&serde_json::to_string(&e.changes).unwrap_or_default()),
                neutralize(&e.data.to_string()),
            ];
            out.write_record(record).map_err(Error::internal)?;
        }
        out.into_inner().map(Some).map_err(Error::internal)
    }
}
