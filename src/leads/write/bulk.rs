//! Many leads at once, for writers that have already checked, routed and tagged
//! them: the operator's own work (demo data, an import's batch in the worker), never
//! a caller's request. Each lead's `lead.created` is recorded in the same
//! transaction, also in bulk.

use crate::db::{drawn_ids, sql, BulkTx, Conn, CopyIn, Tx};
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

/// What each row writes, in this order, on both databases.
const COLUMNS: &str =
    "id, company_id, first_name, last_name, company_name, email, phone, postal_code, \
    email_key, phone_key, search_text, search_contact, stage_id, source_id, campaign_id, cycle_id, \
    assigned_user_access_id, value_cents, answers, created_at, updated_at";

/// Values each row binds.
const WIDTH: usize = 21;

/// The rows of one SQLite statement: it allows 32,766 bound values.
const SQLITE_ROWS: usize = 1_000;

/// Inserts `leads` into `company_id` inside `tx`: with `COPY` on PostgreSQL, 1,000
/// rows a statement on SQLite.
pub async fn insert_placed(
    tx: &mut BulkTx,
    actor: &Actor,
    by: &By,
    company_id: i64,
    leads: &[PlacedLead],
) -> Result<()> {
    actor.require_operator()?;
    if leads.is_empty() {
        return Ok(());
    }
    let names = Names::of(tx, company_id).await?;
    let ids = match tx {
        BulkTx::Postgres(pg) => {
            let ids = drawn_ids(pg, "leads", leads.len()).await?;
            copy_in(&mut **pg, company_id, Some(&ids), leads).await?;
            ids
        }
        BulkTx::Sqlite(tx) => {
            let mut ids = Vec::with_capacity(leads.len());
            for chunk in leads.chunks(SQLITE_ROWS) {
                ids.extend(insert_bound(tx, company_id, chunk).await?);
            }
            ids
        }
    };
    if ids.len() != leads.len() {
        return Err(Error::internal("a batch of leads was not written whole"));
    }
    let created: Vec<Lead> = ids
        .into_iter()
        .zip(leads)
        .map(|(id, placed)| names.lead(company_id, id, placed))
        .collect();
    events::record_leads_created(tx, company_id, by, &created).await
}

/// PostgreSQL: the rows streamed with `COPY`, with `ids` drawn beforehand or, without
/// them, the table's own. `bench-import` copies its baseline with this too, so that
/// both write the very same rows.
pub async fn copy_in(
    pg: &mut sqlx::PgConnection,
    company_id: i64,
    ids: Option<&[i64]>,
    leads: &[PlacedLead],
) -> Result<()> {
    let columns = match ids {
        Some(_) => COLUMNS,
        None => COLUMNS.trim_start_matches("id, "),
    };
    let mut copy = CopyIn::start(pg, "leads", columns).await?;
    for (i, l) in leads.iter().enumerate() {
        if let Some(ids) = ids {
            copy.int(Some(ids[i]));
        }
        let f = &l.fields;
        let search = SearchText::of(f);
        copy.int(Some(company_id))
            .text(Some(&f.first_name))
            .text(Some(&f.last_name))
            .text(Some(&f.company_name))
            .text(f.email.as_deref())
            .text(f.phone.as_deref())
            .text(f.postal_code.as_deref())
            .text(f.email_key().as_deref())
            .text(f.phone_key().as_deref())
            .text(Some(&search.names))
            .text(Some(&search.contact))
            .int(Some(l.stage_id))
            .int(l.source_id)
            .int(l.campaign_id)
            .int(l.cycle_id)
            .int(l.assigned_user_access_id)
            .int(Some(f.value_cents))
            .text(Some(&l.answers))
            .int(Some(l.created_at.0))
            .int(Some(l.created_at.0));
        copy.end_row().await?;
    }
    copy.finish().await?;
    Ok(())
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

/// SQLite: each row's id is above the highest ever given (migration 0019), so a
/// deleted lead's id never comes back. The highest is read once, by a write that
/// takes the database's write lock, so no other writer gives ids meanwhile. (A
/// subquery per row kept a cursor open per row for the whole statement, and SQLite
/// walks every open cursor on each insert: an import ran at 5,871 rows/s, 20,365
/// without.)
async fn insert_bound(tx: &mut Tx<'_>, company_id: i64, leads: &[PlacedLead]) -> Result<Vec<i64>> {
    let high: i64 = sqlx::query_scalar("UPDATE lead_id_high SET high = high RETURNING high")
        .fetch_one(&mut **tx)
        .await?;
    let marks = vec!["?"; WIDTH].join(", ");
    let rows: Vec<String> = leads.iter().map(|_| format!("({marks})")).collect();
    let sql = format!(
        "INSERT INTO leads ({COLUMNS}) VALUES {} RETURNING id",
        rows.join(", ")
    );
    let mut q = sqlx::query_scalar(&sql);
    for (k, l) in (1..).zip(leads) {
        let f = &l.fields;
        let search = SearchText::of(f);
        q = q
            .bind(high + k)
            .bind(company_id)
            .bind(f.first_name.clone())
            .bind(f.last_name.clone())
            .bind(f.company_name.clone())
            .bind(f.email.clone())
            .bind(f.phone.clone())
            .bind(f.postal_code.clone())
            .bind(f.email_key())
            .bind(f.phone_key())
            .bind(search.names)
            .bind(search.contact)
            .bind(l.stage_id)
            .bind(l.source_id)
            .bind(l.campaign_id)
            .bind(l.cycle_id)
            .bind(l.assigned_user_access_id)
            .bind(f.value_cents)
            .bind(l.answers.clone())
            .bind(l.created_at.0)
            .bind(l.created_at.0);
    }
    let mut ids: Vec<i64> = q.fetch_all(&mut **tx).await?;
    // Row k took `high + k`: in order, they are the rows'.
    ids.sort_unstable();
    Ok(ids)
}
