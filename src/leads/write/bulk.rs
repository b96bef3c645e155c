//! Many leads at once, for writers that have already checked, routed and tagged
//! them: the operator's own work (demo data, an import's batch in the worker), never
//! a caller's request. Each lead's `lead.created` is recorded in the same
//! transaction, also in bulk.

use crate::db::{copy_with_ids, sql, Backend, BulkTx, Conn, PgTx, Tx, Value};
use crate::events::{self, By};
use crate::leads::search::SearchText;
use crate::leads::{row::assignee_name, Lead, LeadFields};
use crate::{time::Timestamp, Actor, Error, Result};
use std::collections::HashMap;

/// A checked lead with everything decided: stage, source, campaign, cycle, assignee.
pub struct PlacedLead {
    pub fields: LeadFields,
    pub stage_id: i64,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub cycle_id: Option<i64>,
    pub assigned_user_access_id: Option<i64>,
    /// JSON keyed by question id (`{}` for none).
    pub answers: String,
    pub created_at: Timestamp,
}

/// What each row writes after its id, in this order, on both databases.
const COLUMNS: &str =
    "company_id, first_name, last_name, company_name, email, phone, postal_code, \
    email_key, phone_key, search_text, search_contact, stage_id, source_id, campaign_id, cycle_id, \
    assigned_user_access_id, value_cents, answers, created_at, updated_at";

/// The values of `COLUMNS`.
const WIDTH: usize = 20;

/// The rows of one SQLite statement: it allows 32,766 bound values.
const SQLITE_ROWS: usize = 1_000;

/// Inserts `leads` into `company_id` inside `tx`, each with its `lead.created`:
/// with `COPY` on PostgreSQL, 1,000 rows a statement on SQLite.
pub async fn insert_placed(
    tx: &mut BulkTx,
    actor: &Actor,
    by: &By,
    company_id: i64,
    leads: &[PlacedLead],
) -> Result<()> {
    if leads.is_empty() {
        return Ok(());
    }
    let ids = match tx {
        BulkTx::Postgres(pg) => copy_rows(pg, actor, company_id, leads).await?,
        BulkTx::Sqlite(tx) => {
            let mut ids = Vec::with_capacity(leads.len());
            for chunk in leads.chunks(SQLITE_ROWS) {
                ids.extend(bound_rows(tx, actor, company_id, chunk).await?);
            }
            ids
        }
    };
    // Read after the write: on SQLite the write has taken the database's lock.
    let names = Names::of(tx, company_id).await?;
    let created: Vec<Lead> = ids
        .into_iter()
        .zip(leads)
        .map(|(id, placed)| names.lead(company_id, id, placed))
        .collect();
    events::record_leads_created(tx, company_id, by, &created).await
}

/// PostgreSQL: the rows alone, streamed with `COPY` (their events are
/// `insert_placed`'s), and the ids drawn for them in order. `bench-import`
/// copies its baseline with this, so that both write the very same rows.
///
/// `COPY` through PostgreSQL's own driver took imports from 0.61-0.65 of a bare
/// `COPY` (one JSON parameter a batch through the Any driver, which has no `COPY`)
/// to 0.73 of the old baseline, with the client idle nearly all the time.
pub async fn copy_rows(
    tx: &mut PgTx<'_>,
    actor: &Actor,
    company_id: i64,
    leads: &[PlacedLead],
) -> Result<Vec<i64>> {
    actor.require_operator()?;
    let rows = leads.iter().map(|l| values(company_id, l));
    copy_with_ids(tx, "leads", COLUMNS, rows).await
}

/// SQLite: one statement of at most `SQLITE_ROWS` rows, each id above the highest
/// ever given (migration 0019), so a deleted lead's id never comes back. The
/// highest is read once, by a write that takes the database's write lock, so no
/// other writer gives ids meanwhile. (A subquery per row kept a cursor open per
/// row for the whole statement, and SQLite walks every open cursor on each
/// insert: an import ran at 5,871 rows/s, 20,365 without.)
pub async fn bound_rows(
    tx: &mut Tx<'_>,
    actor: &Actor,
    company_id: i64,
    leads: &[PlacedLead],
) -> Result<Vec<i64>> {
    actor.require_operator()?;
    let high: i64 = tx
        .scalar(sql("UPDATE lead_id_high SET high = high RETURNING high"))
        .await?;
    let ids: Vec<i64> = (high + 1..).take(leads.len()).collect();
    let mut q = sql(format!(
        "INSERT INTO leads (id, {COLUMNS}) VALUES {}",
        Backend::Sqlite.value_rows(leads.len(), WIDTH + 1)
    ));
    for (id, l) in ids.iter().zip(leads) {
        q = q.bind(*id);
        for v in values(company_id, l) {
            q = q.bind(v);
        }
    }
    if tx.execute(q).await? != leads.len() as u64 {
        return Err(Error::internal("a batch of leads was not written whole"));
    }
    Ok(ids)
}

/// A lead's row, in `COLUMNS` order.
fn values(company_id: i64, l: &PlacedLead) -> [Value; WIDTH] {
    let f = &l.fields;
    let search = SearchText::of(f);
    [
        company_id.into(),
        f.first_name.clone().into(),
        f.last_name.clone().into(),
        f.company_name.clone().into(),
        f.email.clone().into(),
        f.phone.clone().into(),
        f.postal_code.clone().into(),
        f.email_key().into(),
        f.phone_key().into(),
        search.names.into(),
        search.contact.into(),
        l.stage_id.into(),
        l.source_id.into(),
        l.campaign_id.into(),
        l.cycle_id.into(),
        l.assigned_user_access_id.into(),
        f.value_cents.into(),
        l.answers.clone().into(),
        l.created_at.0.into(),
        l.created_at.0.into(),
    ]
}

/// The names a batch's leads show beside their ids, read once per batch: the
/// leads just written are built from what was written, never read back.
struct Names {
    sources: HashMap<i64, String>,
    campaigns: HashMap<i64, String>,
    assignees: HashMap<i64, String>,
}

#[derive(sqlx::FromRow)]
struct Named {
    id: i64,
    name: String,
}

#[derive(sqlx::FromRow)]
struct Person {
    id: i64,
    first_name: String,
    last_name: String,
}

impl Names {
    async fn of(db: &mut impl Conn, company_id: i64) -> Result<Names> {
        let named = |table: &str| {
            sql(format!(
                "SELECT id, name FROM {table} WHERE company_id = $1"
            ))
        };
        let sources: Vec<Named> = db.fetch_all(named("sources").bind(company_id)).await?;
        let campaigns: Vec<Named> = db.fetch_all(named("campaigns").bind(company_id)).await?;
        let people: Vec<Person> = db
            .fetch_all(
                sql(
                    "SELECT ua.id, u.first_name, u.last_name FROM user_accesses ua \
                     JOIN users u ON u.id = ua.user_id WHERE ua.company_id = $1",
                )
                .bind(company_id),
            )
            .await?;
        let by_id = |rows: Vec<Named>| rows.into_iter().map(|r| (r.id, r.name)).collect();
        Ok(Names {
            sources: by_id(sources),
            campaigns: by_id(campaigns),
            assignees: people
                .into_iter()
                .map(|p| (p.id, assignee_name(&p.first_name, &p.last_name)))
                .collect(),
        })
    }

    /// The lead as `fetch_in` would read it back.
    fn lead(&self, company_id: i64, id: i64, l: &PlacedLead) -> Lead {
        let f = &l.fields;
        let name =
            |map: &HashMap<i64, String>, id: Option<i64>| id.and_then(|i| map.get(&i).cloned());
        Lead {
            id,
            company_id,
            first_name: f.first_name.clone(),
            last_name: f.last_name.clone(),
            company_name: f.company_name.clone(),
            email: f.email.clone(),
            phone: f.phone.clone(),
            postal_code: f.postal_code.clone(),
            stage_id: l.stage_id,
            source_id: l.source_id,
            campaign_id: l.campaign_id,
            cycle_id: l.cycle_id,
            assigned_user_access_id: l.assigned_user_access_id,
            value_cents: f.value_cents,
            answers: serde_json::from_str(&l.answers).unwrap_or_default(),
            created_at: l.created_at,
            updated_at: l.created_at,
            version: 1,
            source_name: name(&self.sources, l.source_id),
            campaign_name: name(&self.campaigns, l.campaign_id),
            assignee_name: name(&self.assignees, l.assigned_user_access_id),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_column_has_its_value() {
        assert_eq!(super::COLUMNS.split(',').count(), super::WIDTH);
    }
}
