//! Merging duplicate leads into one, and undoing it for 30 days. A merge is one
//! transaction and one event: the chosen values land on the surviving lead, the
//! others' notes and appointments move to it, and the others leave `leads` (so
//! lists, totals, search and duplicates drop them at once) while the merge keeps
//! them whole, to put back on undo. Their history stays theirs and shows on the
//! survivor's while the merge stands.

use super::write::{self, archive, Changes, Draft};
use super::{Lead, Merge, MergeLeads, Merged};
use crate::actor::{Member, Role};
use crate::db::Tx;
use crate::error::Check;
use crate::events::{self, Kind, NewEvent};
use crate::time::Timestamp;
use crate::{Ctx, Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The most leads one merge takes in.
const MAX_MERGED: usize = 50;
/// How long a merge can be undone.
const UNDO_SECONDS: i64 = 30 * 86_400;

/// The fields a merge lets the caller choose, as the API names them.
const FIELDS: [&str; 11] = [
    "first_name",
    "last_name",
    "company_name",
    "email",
    "phone",
    "postal_code",
    "value_cents",
    "stage_id",
    "source_id",
    "campaign_id",
    "assigned_user_access_id",
];

/// The note and appointment ids that moved, by the lead they came from.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Moved {
    notes: BTreeMap<i64, Vec<i64>>,
    appointments: BTreeMap<i64, Vec<i64>>,
}

impl Moved {
    fn count(map: &BTreeMap<i64, Vec<i64>>) -> i64 {
        map.values().map(|ids| ids.len() as i64).sum()
    }
}

#[derive(sqlx::FromRow)]
struct MergeRow {
    id: i64,
    lead_id: i64,
    merged: String,
    moved: String,
    changes: String,
    fields: String,
    created_at: i64,
    undone_at: Option<i64>,
}

const COLUMNS: &str = "id, lead_id, merged, moved, changes, fields, created_at, undone_at";

impl MergeRow {
    fn parts(&self) -> Result<(Vec<Lead>, Moved, Changes)> {
        let parse = Error::internal;
        Ok((
            serde_json::from_str(&self.merged).map_err(parse)?,
            serde_json::from_str(&self.moved).map_err(parse)?,
            serde_json::from_str(&self.changes).map_err(parse)?,
        ))
    }

    fn into_merge(self) -> Result<Merge> {
        let (merged, moved, _) = self.parts()?;
        Ok(Merge {
            id: Some(self.id),
            lead_id: self.lead_id,
            merged_lead_ids: merged.iter().map(|l| l.id).collect(),
            fields: serde_json::from_str(&self.fields).map_err(Error::internal)?,
            notes_moved: Moved::count(&moved.notes),
            appointments_moved: Moved::count(&moved.appointments),
            created_at: Timestamp(self.created_at),
            undo_until: Timestamp(self.created_at + UNDO_SECONDS),
            undone_at: self.undone_at.map(Timestamp),
        })
    }
}

/// Merges `input.lead_ids` into `lead_id` (managers). A dry run answers the same
/// and keeps nothing.
#[tracing::instrument(skip(ctx, me, input), fields(company_id = me.company_id()))]
pub async fn merge(ctx: &Ctx, me: &Member, lead_id: i64, input: MergeLeads) -> Result<Merged> {
    me.require(Role::Manager)?;
    let others = checked(lead_id, &input)?;
    let company_id = me.company_id();
    let mut tx = ctx.db.begin().await?;
    // Locks in id order, so two merges of overlapping leads cannot deadlock.
    let mut ids = others.clone();
    ids.push(lead_id);
    ids.sort_unstable();
    let mut locked = BTreeMap::new();
    for id in ids {
        locked.insert(id, write::lock(&mut tx, company_id, id).await?);
    }
    let survivor = locked.remove(&lead_id).expect("locked above");
    let merged: Vec<Lead> = others
        .iter()
        .map(|id| locked.remove(id).expect("locked above"))
        .collect();
    let (draft, fields) = choose(&survivor, &merged, &input.fields);
    let moved = move_children(&mut tx, lead_id, &others).await?;
    archive::remove(&mut tx, company_id, &others).await?;
    let (lead, changes) = write::rewrite(&mut tx, &survivor, &draft)
        .await?
        .unwrap_or_else(|| (survivor.clone(), Changes::new()));
    let now = Timestamp::now();
    let merge_id: i64 = sqlx::query_scalar(
        "INSERT INTO lead_merges (company_id, lead_id, merged, moved, changes, fields, merged_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(company_id)
    .bind(lead_id)
    .bind(to_json(&merged)?)
    .bind(to_json(&moved)?)
    .bind(to_json(&changes)?)
    .bind(to_json(&fields)?)
    .bind(me.user_id())
    .bind(now.0)
    .fetch_one(&mut *tx)
    .await?;
    for id in &others {
        sqlx::query("INSERT INTO lead_merge_members (merge_id, lead_id) VALUES ($1, $2)")
            .bind(merge_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let mut merge = Merge {
        id: Some(merge_id),
        lead_id,
        merged_lead_ids: others,
        fields,
        notes_moved: Moved::count(&moved.notes),
        appointments_moved: Moved::count(&moved.appointments),
        created_at: now,
        undo_until: Timestamp(now.0 + UNDO_SECONDS),
        undone_at: None,
    };
    let event = NewEvent {
        kind: Kind::LeadMerged,
        lead_id: Some(lead_id),
        subject_id: Some(merge_id),
        data: json!({ "lead": lead, "merge": merge, "merged_leads": merged }),
        changes,
    };
    events::record(&mut tx, company_id, &me.by(ctx), event).await?;
    if input.dry_run {
        tx.rollback().await?;
        merge.id = None;
    } else {
        tx.commit().await?;
    }
    Ok(Merged { lead, merge })
}

/// Puts a merge's leads back as they were, with their notes and appointments, and
/// the survivor's fields the merge set, unless changed since (managers).
#[tracing::instrument(skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn undo_merge(ctx: &Ctx, me: &Member, merge_id: i64) -> Result<Merged> {
    me.require(Role::Manager)?;
    let company_id = me.company_id();
    let mut tx = ctx.db.begin().await?;
    // Takes the merge's row lock: two undos of one merge cannot both restore it.
    let row: Option<MergeRow> = sqlx::query_as(&format!(
        "UPDATE lead_merges SET undone_at = undone_at WHERE id = $1 AND company_id = $2 RETURNING {COLUMNS}"
    ))
    .bind(merge_id)
    .bind(company_id)
    .fetch_optional(&mut *tx)
    .await?;
    let row = row.ok_or_else(|| Error::not_found("merge"))?;
    let now = Timestamp::now();
    if row.undone_at.is_some() {
        return Err(Error::rule(
            "MERGE_ALREADY_UNDONE",
            "this merge was undone already",
        ));
    }
    if now.0 > row.created_at + UNDO_SECONDS {
        return Err(Error::rule(
            "MERGE_UNDO_EXPIRED",
            "a merge can be undone for 30 days, and this one is older",
        ));
    }
    let survivor = match write::lock(&mut tx, company_id, row.lead_id).await {
        Err(Error::NotFound(_)) => {
            return Err(Error::rule(
                "MERGE_CANNOT_BE_UNDONE",
                "the lead these were merged into is gone (merged into another lead since): undo that merge first",
            ))
        }
        other => other?,
    };
    let (merged, moved, changes) = row.parts()?;
    let mut ids = BTreeMap::new();
    for lead in &merged {
        ids.insert(lead.id, archive::restore(&mut tx, lead).await?);
    }
    for (table, moved) in [
        ("notes", &moved.notes),
        ("appointments", &moved.appointments),
    ] {
        for (from, children) in moved {
            for child in children {
                sqlx::query(&format!(
                    "UPDATE {table} SET lead_id = $1 WHERE id = $2 AND lead_id = $3"
                ))
                .bind(ids[from])
                .bind(child)
                .bind(survivor.id)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    let mut draft = Draft::of(&survivor);
    let current = serde_json::to_value(&survivor).map_err(Error::internal)?;
    for (field, change) in &changes {
        if current[field.as_str()] == change.after
            && still_exists(&mut tx, company_id, field, &change.before).await?
        {
            put(&mut draft, field, &change.before);
        }
    }
    let (lead, undone) = write::rewrite(&mut tx, &survivor, &draft)
        .await?
        .unwrap_or_else(|| (survivor.clone(), Changes::new()));
    sqlx::query("UPDATE lead_merges SET undone_at = $1 WHERE id = $2")
        .bind(now.0)
        .bind(merge_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM lead_merge_members WHERE merge_id = $1")
        .bind(merge_id)
        .execute(&mut *tx)
        .await?;
    let merge = MergeRow {
        undone_at: Some(now.0),
        ..row
    }
    .into_merge()?;
    let restored: Vec<Value> = ids
        .iter()
        .map(|(was, is)| json!({ "was": was, "id": is }))
        .collect();
    let event = NewEvent {
        kind: Kind::LeadMergeUndone,
        lead_id: Some(lead.id),
        subject_id: Some(merge_id),
        data: json!({ "lead": lead, "merge": merge, "restored": restored }),
        changes: undone,
    };
    events::record(&mut tx, company_id, &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(Merged { lead, merge })
}

/// The merges into a lead that can still be undone, newest first.
pub async fn merges_of(ctx: &Ctx, me: &Member, lead_id: i64) -> Result<Vec<Merge>> {
    let lead = super::visible(ctx, me, lead_id).await?;
    let rows: Vec<MergeRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM lead_merges WHERE company_id = $1 AND lead_id = $2 \
         AND undone_at IS NULL AND created_at > $3 ORDER BY id DESC"
    ))
    .bind(lead.company_id)
    .bind(lead.id)
    .bind(Timestamp::now().0 - UNDO_SECONDS)
    .fetch_all(&ctx.db.pool)
    .await?;
    rows.into_iter().map(MergeRow::into_merge).collect()
}

fn to_json(v: &impl Serialize) -> Result<String> {
    serde_json::to_string(v).map_err(Error::internal)
}

/// The other lead ids, once each, and fields that name known fields and leads of
/// the merge.
fn checked(lead_id: i64, input: &MergeLeads) -> Result<Vec<i64>> {
    let mut check = Check::default();
    let mut others = input.lead_ids.clone();
    others.sort_unstable();
    others.dedup();
    if others.is_empty() {
        check.add("lead_ids", "must name at least one other lead");
    } else if others.len() > MAX_MERGED {
        check.add(
            "lead_ids",
            &format!("can merge at most {MAX_MERGED} leads at once"),
        );
    } else if others.len() != input.lead_ids.len() {
        check.add("lead_ids", "must not name a lead twice");
    } else if others.contains(&lead_id) {
        check.add("lead_ids", "must not name the lead they are merged into");
    }
    for (field, from) in &input.fields {
        if !FIELDS.contains(&field.as_str()) {
            check.add(
                &format!("fields.{field}"),
                &format!("is not a field a merge chooses: {}", FIELDS.join(", ")),
            );
        } else if *from != lead_id && !others.contains(from) {
            check.add(
                &format!("fields.{field}"),
                "must name one of the leads being merged",
            );
        }
    }
    check.finish()?;
    Ok(others)
}

/// The survivor as the merge leaves it, and the lead each field came from: the
/// caller's choice, else the survivor's value, else the first other lead's that
/// has one. Answers the survivor lacks come from the others, first answer first.
fn choose(
    survivor: &Lead,
    merged: &[Lead],
    chosen: &BTreeMap<String, i64>,
) -> (Draft, BTreeMap<String, i64>) {
    let mut draft = Draft::of(survivor);
    let mut from = BTreeMap::new();
    let json = |l: &Lead| serde_json::to_value(l).unwrap_or_default();
    let own = json(survivor);
    let theirs: Vec<Value> = merged.iter().map(json).collect();
    let blank = |v: &Value| v.is_null() || v == "" || v == 0;
    for field in FIELDS {
        let pick = match chosen.get(field) {
            Some(id) if *id == survivor.id => None,
            Some(id) => merged.iter().position(|l| l.id == *id),
            None if blank(&own[field]) => theirs.iter().position(|t| !blank(&t[field])),
            None => None,
        };
        match pick {
            Some(i) => {
                put(&mut draft, field, &theirs[i][field]);
                from.insert(field.to_string(), merged[i].id);
            }
            None => {
                from.insert(field.to_string(), survivor.id);
            }
        }
    }
    for lead in merged {
        for (question, answer) in &lead.answers {
            draft
                .answers
                .entry(question.clone())
                .or_insert_with(|| answer.clone());
        }
    }
    (draft, from)
}

/// Sets one field of `draft` from its value as the API shows it.
fn put(draft: &mut Draft, field: &str, v: &Value) {
    let text = || v.as_str().map(str::to_string);
    let f = &mut draft.fields;
    match field {
        "first_name" => f.first_name = text().unwrap_or_default(),
        "last_name" => f.last_name = text().unwrap_or_default(),
        "company_name" => f.company_name = text().unwrap_or_default(),
        "email" => f.email = text(),
        "phone" => f.phone = text(),
        "postal_code" => f.postal_code = text(),
        "value_cents" => f.value_cents = v.as_i64().unwrap_or(0),
        "stage_id" => draft.stage_id = v.as_i64().unwrap_or(draft.stage_id),
        "source_id" => draft.source_id = v.as_i64(),
        "campaign_id" => draft.campaign_id = v.as_i64(),
        "assigned_user_access_id" => draft.assigned_user_access_id = v.as_i64(),
        "answers" => {
            if let Some(answers) = v.as_object() {
                draft.answers = answers.clone();
            }
        }
        _ => {}
    }
}

/// Whether a value an undo would put back still names something that exists (a
/// source or member may have been deleted since the merge).
async fn still_exists(tx: &mut Tx<'_>, company_id: i64, field: &str, v: &Value) -> Result<bool> {
    let table = match field {
        "source_id" => "sources",
        "campaign_id" => "campaigns",
        "assigned_user_access_id" => "user_accesses",
        _ => return Ok(true),
    };
    let Some(id) = v.as_i64() else {
        return Ok(true);
    };
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM {table} WHERE id = $1 AND company_id = $2"
    ))
    .bind(id)
    .bind(company_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

/// Moves the notes and appointments of `from` to `to`, noting which moved.
async fn move_children(tx: &mut Tx<'_>, to: i64, from: &[i64]) -> Result<Moved> {
    let mut moved = Moved::default();
    for &id in from {
        for (table, into) in [
            ("notes", &mut moved.notes),
            ("appointments", &mut moved.appointments),
        ] {
            let children: Vec<i64> = sqlx::query_scalar(&format!(
                "SELECT id FROM {table} WHERE lead_id = $1 ORDER BY id"
            ))
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
            if children.is_empty() {
                continue;
            }
            sqlx::query(&format!(
                "UPDATE {table} SET lead_id = $1 WHERE lead_id = $2"
            ))
            .bind(to)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            into.insert(id, children);
        }
    }
    Ok(moved)
}
