//! Many leads changed in a few statements, for a bulk change's batch and for a
//! source or member going away: leads whose change sets the same columns to the
//! same values share one `UPDATE`, and each lead's change is still its own event,
//! all recorded together in the caller's transaction.

use super::super::Lead;
use super::{archive, assignments, fetch_many_in, Bound, Changes, Draft, StageNames};
use crate::db::{Backend, Tx};
use crate::events::{self, By, Kind, NewEvent};
use crate::time::Timestamp;
use crate::Result;
use serde_json::Value;
use std::collections::HashMap;

/// Writes each draft over its lead (locked by the caller, all of `company_id`),
/// bumps the changed leads' versions and records their events; a draft that
/// changes nothing writes nothing. Returns how many leads changed.
pub(crate) async fn change_many(
    tx: &mut Tx<'_>,
    by: &By,
    company_id: i64,
    drafts: Vec<(Lead, Draft)>,
) -> Result<u64> {
    let mut groups: HashMap<Vec<(&'static str, Bound)>, Vec<i64>> = HashMap::new();
    let mut before: HashMap<i64, (Lead, Changes)> = HashMap::new();
    for (lead, draft) in drafts {
        let changes = draft.changes_from(&lead);
        if changes.is_empty() {
            continue;
        }
        groups
            .entry(assignments(&draft, &changes))
            .or_default()
            .push(lead.id);
        before.insert(lead.id, (lead, changes));
    }
    if before.is_empty() {
        return Ok(0);
    }
    let now = Timestamp::now().0;
    for (set, ids) in groups {
        let n = set.len();
        let columns: Vec<String> = set
            .iter()
            .enumerate()
            .map(|(i, (column, _))| format!("{column} = ${}", i + 1))
            .collect();
        let sql = format!(
            "UPDATE leads SET {}, version = version + 1, updated_at = ${} \
             WHERE +company_id = ${} AND id IN (SELECT CAST(value AS BIGINT) FROM {})",
            columns.join(", "),
            n + 1,
            n + 2,
            Backend::of(tx).json_strings(&format!("${}", n + 3))
        );
        let mut q = sqlx::query(&sql);
        for (_, value) in set {
            q = match value {
                Bound::Text(v) => q.bind(v),
                Bound::Int(v) => q.bind(v),
            };
        }
        q.bind(now)
            .bind(company_id)
            .bind(id_list(&ids))
            .execute(&mut **tx)
            .await?;
    }
    let mut ids: Vec<i64> = before.keys().copied().collect();
    ids.sort_unstable();
    let after = fetch_many_in(tx, company_id, &ids).await?;
    let mut stages = StageNames::default();
    let mut recorded = Vec::with_capacity(after.len());
    for lead in &after {
        let (was, changes) = before.remove(&lead.id).expect("changed above");
        recorded.push(stages.event(tx, &was, lead, changes).await?);
    }
    events::record_many(tx, company_id, by, &recorded).await?;
    Ok(after.len() as u64)
}

/// Deletes the leads (locked by the caller) with their notes and appointments,
/// each deletion its own `lead.deleted` event carrying the lead as it was.
pub(crate) async fn delete_many(
    tx: &mut Tx<'_>,
    by: &By,
    company_id: i64,
    leads: &[Lead],
) -> Result<u64> {
    if leads.is_empty() {
        return Ok(0);
    }
    let recorded: Vec<NewEvent> = leads
        .iter()
        .map(|lead| NewEvent {
            kind: Kind::LeadDeleted,
            lead_id: Some(lead.id),
            subject_id: Some(lead.id),
            data: serde_json::to_value(lead).unwrap_or_default(),
            changes: Changes::new(),
        })
        .collect();
    events::record_many(tx, company_id, by, &recorded).await?;
    let ids: Vec<i64> = leads.iter().map(|l| l.id).collect();
    archive::remove(tx, company_id, &ids).await?;
    Ok(leads.len() as u64)
}

/// Ids as the JSON array of strings `Backend::json_strings` reads.
pub(crate) fn id_list(ids: &[i64]) -> String {
    Value::from(ids.iter().map(|id| id.to_string()).collect::<Vec<_>>()).to_string()
}
