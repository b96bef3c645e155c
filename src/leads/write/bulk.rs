//! Many leads in one statement, for writers that have already checked, routed and
//! tagged them: the operator's own work (demo data, an import's batch in the
//! worker), never a caller's request. Each lead's `lead.created` is recorded in the
//! same transaction, also in one statement per batch.

use crate::events::{self, By};
use crate::leads::search::SearchText;
use crate::leads::{row::assignee_name, Lead, LeadFields};
use crate::{
    db::{Backend, Tx},
    time::Timestamp,
    Actor, Error, Result,
};
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

/// Values each row binds, its id apart.
const COLUMNS: usize = 20;

/// The rows of one SQLite statement: it allows 32,766 bound values.
const SQLITE_ROWS: usize = 1_000;

/// Inserts `leads` into `company_id` inside `tx`: on PostgreSQL with one statement
/// whatever their number (five statements of 1,000 rows took 30% longer than one
/// of 5,000, which is within 8% of `COPY`), on SQLite 1,000 rows a statement.
pub async fn insert_placed(
    tx: &mut Tx<'_>,
    actor: &Actor,
    by: &By,
    company_id: i64,
    leads: &[PlacedLead],
) -> Result<()> {
    actor.require_operator()?;
    if leads.is_empty() {
        return Ok(());
    }
    let mut ids = match Backend::of(tx) {
        Backend::Postgres => insert_as_json(tx, company_id, leads).await?,
        Backend::Sqlite => {
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
    // Ids are drawn in the order the rows are inserted, which is the batch's.
    ids.sort_unstable();
    let names = Names::of(tx, company_id).await?;
    let created: Vec<Lead> = ids
        .into_iter()
        .zip(leads)
        .map(|(id, placed)| names.lead(company_id, id, placed))
        .collect();
    events::record_leads_created(tx, company_id, by, &created).await
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
    async fn of(tx: &mut Tx<'_>, company_id: i64) -> Result<Names> {
        let named = |table: &str| format!("SELECT id, name FROM {table} WHERE company_id = $1");
        let sources: Vec<Named> = sqlx::query_as(&named("sources"))
            .bind(company_id)
            .fetch_all(&mut **tx)
            .await?;
        let campaigns: Vec<Named> = sqlx::query_as(&named("campaigns"))
            .bind(company_id)
            .fetch_all(&mut **tx)
            .await?;
        let people: Vec<Person> = sqlx::query_as(
            "SELECT ua.id, u.first_name, u.last_name FROM user_accesses ua \
             JOIN users u ON u.id = ua.user_id WHERE ua.company_id = $1",
        )
        .bind(company_id)
        .fetch_all(&mut **tx)
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
    let marks = vec!["?"; COLUMNS + 1].join(", ");
    let rows: Vec<String> = leads.iter().map(|_| format!("({marks})")).collect();
    let sql = format!(
        "INSERT INTO leads (id, company_id, first_name, last_name, company_name, email, phone, postal_code, \
         email_key, phone_key, search_text, search_contact, stage_id, source_id, campaign_id, cycle_id, \
         assigned_user_access_id, value_cents, answers, created_at, updated_at) VALUES {} RETURNING id",
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
    Ok(q.fetch_all(&mut **tx).await?)
}

/// PostgreSQL takes the whole batch as one JSON parameter and unpacks it itself,
/// several times faster than binding every value of a multi-row insert.
async fn insert_as_json(
    tx: &mut Tx<'_>,
    company_id: i64,
    leads: &[PlacedLead],
) -> Result<Vec<i64>> {
    let rows: Vec<serde_json::Value> = leads
        .iter()
        .map(|l| {
            let f = &l.fields;
            let search = SearchText::of(f);
            serde_json::json!({
                "first_name": f.first_name, "last_name": f.last_name, "company_name": f.company_name,
                "email": f.email, "phone": f.phone, "postal_code": f.postal_code,
                "email_key": f.email_key(), "phone_key": f.phone_key(), "search_text": search.names,
                "search_contact": search.contact,
                "stage_id": l.stage_id, "source_id": l.source_id, "campaign_id": l.campaign_id,
                "cycle_id": l.cycle_id, "assigned_user_access_id": l.assigned_user_access_id,
                "value_cents": f.value_cents, "answers": l.answers, "created_at": l.created_at.0,
            })
        })
        .collect();
    Ok(sqlx::query_scalar(
        "INSERT INTO leads (company_id, first_name, last_name, company_name, email, phone, postal_code, \
         email_key, phone_key, search_text, search_contact, stage_id, source_id, campaign_id, cycle_id, \
         assigned_user_access_id, value_cents, answers, created_at, updated_at) \
         SELECT $1, r.first_name, r.last_name, r.company_name, r.email, r.phone, r.postal_code, \
         r.email_key, r.phone_key, r.search_text, r.search_contact, r.stage_id, r.source_id, r.campaign_id, r.cycle_id, \
         r.assigned_user_access_id, r.value_cents, r.answers, r.created_at, r.created_at \
         FROM json_to_recordset(CAST($2 AS json)) AS r(first_name text, last_name text, company_name text, \
         email text, phone text, postal_code text, email_key text, phone_key text, search_text text, search_contact text, \
         stage_id bigint, source_id bigint, campaign_id bigint, cycle_id bigint, \
         assigned_user_access_id bigint, value_cents bigint, answers text, created_at bigint) \
         RETURNING id",
    )
    .bind(company_id)
    .bind(serde_json::Value::Array(rows).to_string())
    .fetch_all(&mut **tx)
    .await?)
}
