//! The one writer of `leads`. Creating a lead, changing one (pages, API, a booking)
//! and an import's batches all come here: each write takes the row's lock, bumps
//! its version, writes only what changed, and records its event in the same
//! transaction.

use super::row::{LeadRow, SELECT};
use super::search::SearchText;
use super::{Lead, LeadFields};

pub mod archive;
pub mod bulk;
pub mod many;
use crate::db::{Backend, Tx};
use crate::events::{self, By, Change, Kind, NewEvent};
use crate::time::{Day, Timestamp};
use crate::{cycles, Error, Result};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// A lead's columns as they are to be written, already checked.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub fields: LeadFields,
    pub stage_id: i64,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub assigned_user_access_id: Option<i64>,
    pub answers: Map<String, Value>,
}

impl Draft {
    /// The lead as it is, to change field by field.
    pub fn of(lead: &Lead) -> Draft {
        Draft {
            fields: LeadFields {
                first_name: lead.first_name.clone(),
                last_name: lead.last_name.clone(),
                company_name: lead.company_name.clone(),
                email: lead.email.clone(),
                phone: lead.phone.clone(),
                postal_code: lead.postal_code.clone(),
                value_cents: lead.value_cents,
            },
            stage_id: lead.stage_id,
            source_id: lead.source_id,
            campaign_id: lead.campaign_id,
            assigned_user_access_id: lead.assigned_user_access_id,
            answers: lead.answers.clone(),
        }
    }

    /// Each field whose value differs from `lead`'s, before and after, named as
    /// the API names them.
    pub fn changes_from(&self, lead: &Lead) -> BTreeMap<String, Change> {
        let f = &self.fields;
        let pairs: [(&str, Value, Value); 12] = [
            (
                "first_name",
                lead.first_name.clone().into(),
                f.first_name.clone().into(),
            ),
            (
                "last_name",
                lead.last_name.clone().into(),
                f.last_name.clone().into(),
            ),
            (
                "company_name",
                lead.company_name.clone().into(),
                f.company_name.clone().into(),
            ),
            ("email", lead.email.clone().into(), f.email.clone().into()),
            ("phone", lead.phone.clone().into(), f.phone.clone().into()),
            (
                "postal_code",
                lead.postal_code.clone().into(),
                f.postal_code.clone().into(),
            ),
            ("value_cents", lead.value_cents.into(), f.value_cents.into()),
            ("stage_id", lead.stage_id.into(), self.stage_id.into()),
            ("source_id", lead.source_id.into(), self.source_id.into()),
            (
                "campaign_id",
                lead.campaign_id.into(),
                self.campaign_id.into(),
            ),
            (
                "assigned_user_access_id",
                lead.assigned_user_access_id.into(),
                self.assigned_user_access_id.into(),
            ),
            (
                "answers",
                Value::Object(lead.answers.clone()),
                Value::Object(self.answers.clone()),
            ),
        ];
        pairs
            .into_iter()
            .filter(|(_, before, after)| before != after)
            .map(|(name, before, after)| (name.to_string(), Change { before, after }))
            .collect()
    }
}

/// A value bound into the dynamic `UPDATE`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Bound {
    Text(Option<String>),
    Int(Option<i64>),
}

/// Creates a lead in `company_id` inside the caller's transaction (which holds the
/// company's lock for the plan's lead limit), tagged with the cycle of its day.
pub(crate) async fn insert(
    tx: &mut Tx<'_>,
    by: &By,
    company_id: i64,
    draft: &Draft,
    now: Timestamp,
) -> Result<Lead> {
    let cycle_id = cycles::current(tx, company_id, &Day::of(now)).await?;
    let f = &draft.fields;
    let search = SearchText::of(f);
    let id: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO leads (id, company_id, first_name, last_name, company_name, email, phone, postal_code, \
         email_key, phone_key, search_text, search_contact, stage_id, source_id, campaign_id, cycle_id, \
         assigned_user_access_id, value_cents, answers, created_at, updated_at) \
         VALUES ({}, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) RETURNING id",
        new_id(Backend::of(tx))
    ))
    .bind(company_id)
    .bind(&f.first_name)
    .bind(&f.last_name)
    .bind(&f.company_name)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(&f.postal_code)
    .bind(f.email_key())
    .bind(f.phone_key())
    .bind(search.names)
    .bind(search.contact)
    .bind(draft.stage_id)
    .bind(draft.source_id)
    .bind(draft.campaign_id)
    .bind(cycle_id)
    .bind(draft.assigned_user_access_id)
    .bind(f.value_cents)
    .bind(Value::Object(draft.answers.clone()).to_string())
    .bind(now.0)
    .fetch_one(&mut **tx)
    .await?;
    let lead = fetch_in(tx, company_id, id).await?;
    let event = events::NewEvent::lead_created(&lead);
    events::record(tx, company_id, by, event).await?;
    Ok(lead)
}

/// The id a new lead takes: on SQLite one above the highest ever given (migration
/// 0019), as SQLite itself would give a deleted lead's id again; PostgreSQL's
/// identity never does.
pub(crate) fn new_id(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "(SELECT high + 1 FROM lead_id_high)",
        Backend::Postgres => "DEFAULT",
    }
}

/// Takes the lead's write lock for the rest of `tx` and reads it: a change made
/// meanwhile by another transaction is either committed before this read or waits
/// for this one to end, so no change is lost.
pub(crate) async fn lock(tx: &mut Tx<'_>, company_id: i64, lead_id: i64) -> Result<Lead> {
    let locked =
        sqlx::query("UPDATE leads SET version = version WHERE id = $1 AND company_id = $2")
            .bind(lead_id)
            .bind(company_id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    if locked == 0 {
        return Err(Error::not_found("lead"));
    }
    fetch_in(tx, company_id, lead_id).await
}

/// Refuses a change made against a version of the lead that is no longer current.
pub(crate) fn expect_version(lead: &Lead, expected: Option<i64>) -> Result<()> {
    match expected {
        Some(v) if v != lead.version => Err(Error::Stale(
            "this lead was changed by someone else since it was read: load it again to see the change, then retry"
                .into(),
        )),
        _ => Ok(()),
    }
}

/// Writes what `draft` changes of the locked `lead`, bumps its version and records
/// the event. Nothing changed, nothing is written.
pub(crate) async fn apply(tx: &mut Tx<'_>, by: &By, lead: &Lead, draft: &Draft) -> Result<Lead> {
    let Some((after, changes)) = rewrite(tx, lead, draft).await? else {
        return Ok(lead.clone());
    };
    let event = StageNames::default()
        .event(tx, lead, &after, changes)
        .await?;
    events::record(tx, lead.company_id, by, event).await?;
    Ok(after)
}

/// Stages as a change's event shows them, read once each.
#[derive(Default)]
pub(crate) struct StageNames(HashMap<i64, Value>);

impl StageNames {
    /// The event of one lead's change, named by its most telling change (the
    /// stage, else the assignee); a stage move carries the stage before and after.
    pub async fn event(
        &mut self,
        tx: &mut Tx<'_>,
        before: &Lead,
        after: &Lead,
        changes: Changes,
    ) -> Result<NewEvent> {
        let kind = if changes.contains_key("stage_id") {
            Kind::LeadStageChanged
        } else if changes.contains_key("assigned_user_access_id") {
            Kind::LeadAssigned
        } else {
            Kind::LeadUpdated
        };
        let mut data = serde_json::to_value(after).unwrap_or_default();
        if kind == Kind::LeadStageChanged {
            data["previous_stage"] = self.of(tx, before.stage_id).await?;
            data["stage"] = self.of(tx, after.stage_id).await?;
        }
        Ok(NewEvent {
            kind,
            lead_id: Some(after.id),
            subject_id: Some(after.id),
            data,
            changes,
        })
    }

    /// A stage as a webhook's reader wants it: its id, key and name.
    async fn of(&mut self, tx: &mut Tx<'_>, stage_id: i64) -> Result<Value> {
        if let Some(v) = self.0.get(&stage_id) {
            return Ok(v.clone());
        }
        let s: crate::stages::Stage =
            sqlx::query_as("SELECT id, key, name, position, kind FROM stages WHERE id = $1")
                .bind(stage_id)
                .fetch_one(&mut **tx)
                .await?;
        let v = serde_json::json!({ "id": s.id, "key": s.key, "name": s.name });
        self.0.insert(stage_id, v.clone());
        Ok(v)
    }
}

/// The changes of one lead, before and after, by field.
pub(crate) type Changes = BTreeMap<String, Change>;

/// Writes what `draft` changes of the locked `lead` and bumps its version, without
/// an event of its own: for a change that is part of a larger one, recorded as
/// that (a merge, its undo). `None` when nothing changed.
pub(crate) async fn rewrite(
    tx: &mut Tx<'_>,
    lead: &Lead,
    draft: &Draft,
) -> Result<Option<(Lead, Changes)>> {
    let changes = draft.changes_from(lead);
    if changes.is_empty() {
        return Ok(None);
    }
    let set = assignments(draft, &changes);
    let n = set.len();
    let assignments: Vec<String> = set
        .iter()
        .enumerate()
        .map(|(i, (column, _))| format!("{column} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE leads SET {}, version = version + 1, updated_at = ${} WHERE id = ${} AND company_id = ${}",
        assignments.join(", "),
        n + 1,
        n + 2,
        n + 3
    );
    let mut q = sqlx::query(&sql);
    for (_, value) in set {
        q = match value {
            Bound::Text(v) => q.bind(v),
            Bound::Int(v) => q.bind(v),
        };
    }
    q.bind(Timestamp::now().0)
        .bind(lead.id)
        .bind(lead.company_id)
        .execute(&mut **tx)
        .await?;
    let after = fetch_in(tx, lead.company_id, lead.id).await?;
    Ok(Some((after, changes)))
}

/// The columns `changes` touch, with the values `draft` gives them: a changed
/// email or phone brings its key along, a changed name or contact the search words.
pub(crate) fn assignments(draft: &Draft, changes: &Changes) -> Vec<(&'static str, Bound)> {
    let f = &draft.fields;
    let mut set: Vec<(&'static str, Bound)> = Vec::new();
    let text = |v: &Option<String>| Bound::Text(v.clone());
    for name in changes.keys() {
        match name.as_str() {
            "first_name" => set.push(("first_name", Bound::Text(Some(f.first_name.clone())))),
            "last_name" => set.push(("last_name", Bound::Text(Some(f.last_name.clone())))),
            "company_name" => set.push(("company_name", Bound::Text(Some(f.company_name.clone())))),
            "email" => {
                set.push(("email", text(&f.email)));
                set.push(("email_key", text(&f.email_key())));
            }
            "phone" => {
                set.push(("phone", text(&f.phone)));
                set.push(("phone_key", text(&f.phone_key())));
            }
            "postal_code" => set.push(("postal_code", text(&f.postal_code))),
            "value_cents" => set.push(("value_cents", Bound::Int(Some(f.value_cents)))),
            "stage_id" => set.push(("stage_id", Bound::Int(Some(draft.stage_id)))),
            "source_id" => set.push(("source_id", Bound::Int(draft.source_id))),
            "campaign_id" => set.push(("campaign_id", Bound::Int(draft.campaign_id))),
            "assigned_user_access_id" => set.push((
                "assigned_user_access_id",
                Bound::Int(draft.assigned_user_access_id),
            )),
            "answers" => set.push((
                "answers",
                Bound::Text(Some(Value::Object(draft.answers.clone()).to_string())),
            )),
            _ => {}
        }
    }
    let searched = [
        "first_name",
        "last_name",
        "company_name",
        "email",
        "phone",
        "postal_code",
    ];
    if searched.iter().any(|n| changes.contains_key(*n)) {
        let search = SearchText::of(f);
        set.push(("search_text", Bound::Text(Some(search.names))));
        set.push(("search_contact", Bound::Text(Some(search.contact))));
    }
    set
}

/// A reference a lead may hold to a row about to be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reference {
    Source,
    Assignee,
}

impl Reference {
    fn column(self) -> &'static str {
        match self {
            Reference::Source => "source_id",
            Reference::Assignee => "assigned_user_access_id",
        }
    }
}

/// Takes `id` (a source or a member about to go) off every lead of the company
/// that holds it, a thousand at a time, each lead's change recorded: the
/// database's own `ON DELETE SET NULL` would change them unseen.
pub(crate) async fn clear(
    tx: &mut Tx<'_>,
    by: &By,
    company_id: i64,
    reference: Reference,
    id: i64,
) -> Result<u64> {
    let column = reference.column();
    let mut cleared = 0;
    loop {
        let rows: Vec<LeadRow> = sqlx::query_as(&format!(
            "{SELECT} WHERE l.company_id = $1 AND l.{column} = $2 ORDER BY l.id LIMIT 1000"
        ))
        .bind(company_id)
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
        if rows.is_empty() {
            return Ok(cleared);
        }
        let drafts = rows
            .into_iter()
            .map(|row| {
                let lead = row.into_lead();
                let mut draft = Draft::of(&lead);
                match reference {
                    Reference::Source => draft.source_id = None,
                    Reference::Assignee => draft.assigned_user_access_id = None,
                }
                (lead, draft)
            })
            .collect();
        cleared += many::change_many(tx, by, company_id, drafts).await?;
    }
}

/// The lead as this transaction sees it.
pub(crate) async fn fetch_in(tx: &mut Tx<'_>, company_id: i64, lead_id: i64) -> Result<Lead> {
    let row: Option<LeadRow> =
        sqlx::query_as(&format!("{SELECT} WHERE l.id = $1 AND l.company_id = $2"))
            .bind(lead_id)
            .bind(company_id)
            .fetch_optional(&mut **tx)
            .await?;
    row.map(LeadRow::into_lead)
        .ok_or_else(|| Error::not_found("lead"))
}

/// The leads of `ids` as this transaction sees them, in id order.
pub(crate) async fn fetch_many_in(
    tx: &mut Tx<'_>,
    company_id: i64,
    ids: &[i64],
) -> Result<Vec<Lead>> {
    // `+` keeps SQLite off the company's indexes, which it would otherwise scan
    // whole (every lead of the company, per batch) instead of probing the ids.
    let rows: Vec<LeadRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE +l.company_id = $1 AND l.id IN (SELECT CAST(value AS BIGINT) FROM {}) ORDER BY l.id",
        Backend::of(tx).json_strings("$2")
    ))
    .bind(company_id)
    .bind(many::id_list(ids))
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(LeadRow::into_lead).collect())
}
