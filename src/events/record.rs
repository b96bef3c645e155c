use super::{By, Change, Kind};
use crate::db::{copy_with_ids, sql, BulkTx, Conn, Value};
use crate::imports::ImportFile;
use crate::leads::Lead;
use crate::time::Timestamp;
use crate::Result;
use std::collections::BTreeMap;

/// A change about to be recorded.
pub(crate) struct NewEvent {
    pub kind: Kind,
    pub lead_id: Option<i64>,
    pub subject_id: Option<i64>,
    pub data: serde_json::Value,
    pub changes: BTreeMap<String, Change>,
}

impl NewEvent {
    /// A change of a company's object other than a lead's, `object` as the API
    /// shows it (after the change; before it, for a deletion).
    pub fn about(kind: Kind, subject_id: Option<i64>, object: &impl serde::Serialize) -> NewEvent {
        NewEvent {
            kind,
            lead_id: None,
            subject_id,
            data: serde_json::to_value(object).unwrap_or_default(),
            changes: BTreeMap::new(),
        }
    }

    /// An update of a company's object: `after` as the API shows it, and each of
    /// its fields that changed with its value before (`updated_at` aside, which
    /// every update changes).
    pub fn updated(
        kind: Kind,
        subject_id: Option<i64>,
        before: &impl serde::Serialize,
        after: &impl serde::Serialize,
    ) -> NewEvent {
        let before = serde_json::to_value(before).unwrap_or_default();
        let data = serde_json::to_value(after).unwrap_or_default();
        NewEvent {
            kind,
            lead_id: None,
            subject_id,
            changes: fields_changed(&before, &data),
            data,
        }
    }

    pub fn about_import(kind: Kind, import: &ImportFile) -> NewEvent {
        NewEvent {
            kind,
            lead_id: None,
            subject_id: Some(import.id),
            data: serde_json::to_value(import).unwrap_or_default(),
            changes: BTreeMap::new(),
        }
    }

    pub fn lead_created(lead: &Lead) -> NewEvent {
        NewEvent {
            kind: Kind::LeadCreated,
            lead_id: Some(lead.id),
            subject_id: Some(lead.id),
            data: serde_json::to_value(lead).unwrap_or_default(),
            changes: BTreeMap::new(),
        }
    }
}

fn fields_changed(
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> BTreeMap<String, Change> {
    let (Some(before), Some(after)) = (before.as_object(), after.as_object()) else {
        return BTreeMap::new();
    };
    let null = serde_json::Value::Null;
    before
        .keys()
        .chain(after.keys())
        .filter(|name| name.as_str() != "updated_at")
        .filter_map(|name| {
            let (b, a) = (
                before.get(name).unwrap_or(&null),
                after.get(name).unwrap_or(&null),
            );
            (b != a).then(|| {
                let change = Change {
                    before: b.clone(),
                    after: a.clone(),
                };
                (name.clone(), change)
            })
        })
        .collect()
}

const COLUMN_NAMES: &str = "company_id, kind, lead_id, subject_id, actor_kind, \
    actor_user_id, actor_ref_id, door, data, changes, created_at";

/// 11 marks a row: SQLite takes 32,766 in one statement, so a thousand rows fit.
const COLUMNS: usize = 11;

/// An event's row, in `COLUMN_NAMES` order.
fn values(company_id: i64, by: &By, e: &NewEvent, now: i64) -> [Value; COLUMNS] {
    [
        company_id.into(),
        e.kind.key().into(),
        e.lead_id.into(),
        e.subject_id.into(),
        by.kind.key().into(),
        by.user_id.into(),
        by.ref_id.into(),
        by.door.key().into(),
        e.data.to_string().into(),
        serde_json::to_string(&e.changes)
            .unwrap_or_else(|_| "{}".into())
            .into(),
        now.into(),
    ]
}

/// The one writer of `events`: inside the transaction of the change it records, so
/// that a change is never kept without its event, nor an event without its change.
pub(crate) async fn record(
    db: &mut impl Conn,
    company_id: i64,
    by: &By,
    event: NewEvent,
) -> Result<i64> {
    record_all(db, company_id, by, std::slice::from_ref(&event)).await
}

/// `lead.created` for each lead of a batch just written (an import's, demo data's).
/// On PostgreSQL they are streamed with `COPY`, their ids drawn first for the
/// webhook fan-out.
pub(crate) async fn record_leads_created(
    tx: &mut BulkTx,
    company_id: i64,
    by: &By,
    leads: &[Lead],
) -> Result<()> {
    let BulkTx::Postgres(pg) = tx else {
        let events: Vec<NewEvent> = leads.iter().map(NewEvent::lead_created).collect();
        return record_many(tx, company_id, by, &events).await;
    };
    let now = Timestamp::now().0;
    let rows = leads
        .iter()
        .map(|lead| values(company_id, by, &NewEvent::lead_created(lead), now));
    let ids = copy_with_ids(pg, "events", COLUMN_NAMES, rows).await?;
    crate::webhooks::enqueue(pg, company_id, Kind::LeadCreated.key(), &ids).await
}

/// Many changes of one statement (a source's leads losing it), in statements of
/// a thousand.
pub(crate) async fn record_many(
    db: &mut impl Conn,
    company_id: i64,
    by: &By,
    events: &[NewEvent],
) -> Result<()> {
    for chunk in events.chunks(1_000) {
        record_all(db, company_id, by, chunk).await?;
    }
    Ok(())
}

/// Inserts `events` with one statement, queues them for the endpoints that hear
/// them, and answers the last one's id.
async fn record_all(
    db: &mut impl Conn,
    company_id: i64,
    by: &By,
    events: &[NewEvent],
) -> Result<i64> {
    let mut q = sql(format!(
        "INSERT INTO events ({COLUMN_NAMES}) VALUES {} RETURNING id, kind",
        db.backend().value_rows(events.len(), COLUMNS)
    ));
    let now = Timestamp::now().0;
    for e in events {
        for v in values(company_id, by, e, now) {
            q = q.bind(v);
        }
    }
    let made: Vec<(i64, String)> = db.fetch_all(q).await?;
    let mut by_kind: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (id, kind) in &made {
        by_kind.entry(kind.clone()).or_default().push(*id);
    }
    for (kind, ids) in &by_kind {
        crate::webhooks::enqueue(db, company_id, kind, ids).await?;
    }
    Ok(made.iter().map(|(id, _)| *id).max().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn every_column_has_its_value() {
        assert_eq!(super::COLUMN_NAMES.split(',').count(), super::COLUMNS);
    }

    #[test]
    fn an_update_keeps_only_the_fields_that_changed() {
        let before = json!({"id": 1, "name": "Web", "reps": [1], "updated_at": 5, "gone": true});
        let after = json!({"id": 1, "name": "Website", "reps": [1, 2], "updated_at": 9});
        let changes = super::fields_changed(&before, &after);
        let names: Vec<&str> = changes.keys().map(String::as_str).collect();
        assert_eq!(names, ["gone", "name", "reps"]);
        assert_eq!(changes["name"].before, json!("Web"));
        assert_eq!(changes["reps"].after, json!([1, 2]));
        assert_eq!(changes["gone"].after, json!(null));
    }
}
