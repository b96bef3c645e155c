//! Leads: the people a company sells to, worked on the board stage by stage.

use crate::notes::Note;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

pub use fields::{
    format_amount, parse_amount, parse_phone, parse_postal_code, phone_key, LeadFields,
    MAX_VALUE_CENTS,
};

mod fields;

pub mod bulk_change;

#[cfg(feature = "server")]
mod create;
#[cfg(feature = "server")]
mod duplicates;
#[cfg(feature = "server")]
mod export;
#[cfg(feature = "server")]
pub(crate) mod export_job;
#[cfg(feature = "server")]
mod list;
#[cfg(feature = "server")]
mod merge;
#[cfg(feature = "server")]
mod read;
#[cfg(feature = "server")]
pub(crate) mod references;
#[cfg(feature = "server")]
pub mod routing;
#[cfg(feature = "server")]
pub mod row;
#[cfg(feature = "server")]
mod scope;
#[cfg(feature = "server")]
pub mod search;
#[cfg(feature = "server")]
mod update;
#[cfg(feature = "server")]
pub(crate) mod write;

#[cfg(feature = "server")]
pub use {
    bulk_change::bulk_change,
    create::create,
    duplicates::duplicates,
    export::{export, LeadsCsv},
    export_job::start_export,
    list::{board, list, metrics, unassigned},
    merge::{merge, merges_of, undo_merge},
    read::{get, visible},
    update::update,
    write::bulk,
};

/// Exports of up to this many leads stream while the caller waits; the pages run
/// a larger one as a job.
pub const EXPORT_STREAM_MAX: i64 = 50_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Lead {
    pub id: i64,
    pub company_id: i64,
    pub first_name: String,
    pub last_name: String,
    /// The lead's own employer, shown on the card.
    pub company_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub stage_id: i64,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub cycle_id: Option<i64>,
    pub assigned_user_access_id: Option<i64>,
    pub value_cents: i64,
    /// Answers to the company's questions, keyed by question id.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub answers: serde_json::Map<String, serde_json::Value>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Bumped by every change: the `ETag` a `PUT` with `If-Match` names.
    pub version: i64,
    /// Display names for the ids above, so a card needs no further lookups.
    pub source_name: Option<String>,
    pub campaign_name: Option<String>,
    pub assignee_name: Option<String>,
}

impl Lead {
    pub fn full_name(&self) -> String {
        let name = format!("{} {}", self.first_name, self.last_name);
        let name = name.trim();
        if name.is_empty() {
            self.email
                .clone()
                .or(self.phone.clone())
                .unwrap_or_else(|| format!("Lead #{}", self.id))
        } else {
            name.to_string()
        }
    }
}

/// A lead with its notes, as `GET .../leads/{id}` answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LeadDetail {
    #[serde(flatten)]
    pub lead: Lead,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateLead {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub first_name: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub last_name: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 200))]
    pub company_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    /// Defaults to the first stage (`new`).
    pub stage_id: Option<i64>,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    /// Left out, the lead is routed (territory, then source, round robin).
    pub assigned_user_access_id: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(minimum = 0, maximum = 1000000000000_i64))]
    pub value_cents: i64,
    #[cfg_attr(feature = "server", schema(value_type = Option<Object>))]
    pub answers: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A partial update: what is left out stays; `null` clears a nullable field.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateLead {
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub first_name: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub last_name: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 200))]
    pub company_name: Option<String>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<String>))]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<String>))]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<String>))]
    pub postal_code: Option<Option<String>>,
    pub stage_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<i64>))]
    pub source_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<i64>))]
    pub campaign_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<i64>))]
    pub assigned_user_access_id: Option<Option<i64>>,
    #[cfg_attr(feature = "server", schema(minimum = 0, maximum = 1000000000000_i64))]
    pub value_cents: Option<i64>,
    #[cfg_attr(feature = "server", schema(value_type = Option<Object>))]
    pub answers: Option<serde_json::Map<String, serde_json::Value>>,
}

/// `POST .../leads/{id}/merge`: the leads to take into this one, and for any field
/// the lead whose value wins (by default this lead's, or the first of the others
/// that has one where this lead has none).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MergeLeads {
    pub lead_ids: Vec<i64>,
    /// Field name (`first_name`, `email`, `stage_id`…) to the id of the lead whose
    /// value it takes.
    #[serde(default)]
    pub fields: std::collections::BTreeMap<String, i64>,
    /// Answers what the merge would do, and does nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// A merge as it was made: undoable until `undo_until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Merge {
    /// `None` for a dry run.
    pub id: Option<i64>,
    pub lead_id: i64,
    pub merged_lead_ids: Vec<i64>,
    /// The lead each field of the result came from.
    pub fields: std::collections::BTreeMap<String, i64>,
    pub notes_moved: i64,
    pub appointments_moved: i64,
    pub created_at: Timestamp,
    pub undo_until: Timestamp,
    pub undone_at: Option<Timestamp>,
}

/// A merge's answer: the surviving lead, and the merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Merged {
    pub lead: Lead,
    pub merge: Merge,
}

/// Which leads a list, the board or the metrics look at. Every filter is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct LeadFilter {
    pub stage_id: Option<i64>,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub cycle_id: Option<i64>,
    pub assigned_user_access_id: Option<i64>,
    /// Words searched in name, company, email and phone.
    pub q: Option<String>,
}

/// One stage's column on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StageMetric {
    pub stage_id: i64,
    pub stage_key: String,
    pub stage_name: String,
    pub count: i64,
    pub value_cents: i64,
}

/// One column of the board: its stage's totals and its newest cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub metric: StageMetric,
    pub leads: Vec<Lead>,
}

/// Leads sharing one normalized email (`match: "email"`) or phone (`"phone"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DuplicateGroup {
    #[serde(rename = "match")]
    pub matched_on: String,
    pub value: String,
    pub count: i64,
    pub leads: Vec<Lead>,
}
