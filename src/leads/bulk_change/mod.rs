//! Changing many leads at once: assign them, move them to a stage, set their source
//! or campaign, or delete them, chosen by id or as every lead a filter matches. A
//! small selection changes while the caller waits; a large one runs as a job.
//! Each lead's change is its own event; routing runs again only when asked.

use super::LeadFilter;
use crate::jobs::Job;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod plan;
#[cfg(feature = "server")]
mod run;

#[cfg(feature = "server")]
pub use run::bulk_change;
#[cfg(feature = "server")]
pub(crate) use run::resume;

/// Selections up to this size change at once; larger ones run as a job.
pub const INLINE_MAX: i64 = 500;

/// The most lead ids one request may name; a larger selection is a filter.
pub const MAX_LEAD_IDS: usize = 10_000;

/// What a bulk change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    /// To `user_access_id` (`null` unassigns), or by the routing rules with `route`.
    Assign,
    /// To `stage_id`.
    Move,
    /// `source_id` and/or `campaign_id` (`null` clears one).
    Set,
    /// With their notes and appointments, for good.
    Delete,
}

/// `POST .../leads/bulk`: which leads, and what to do to them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkChange {
    /// These leads (at most 10,000); ids of no lead of the company are skipped.
    pub lead_ids: Option<Vec<i64>>,
    /// Or every lead matching these filters (the lead list's), as they stand when
    /// the change is asked for: leads created afterwards are left alone.
    pub filter: Option<BulkFilter>,
    pub action: BulkAction,
    /// `assign`: the member to give the leads to; `null` unassigns them.
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<i64>))]
    pub user_access_id: Option<Option<i64>>,
    /// `move`: the stage.
    pub stage_id: Option<i64>,
    /// `set`: the source; `null` clears it.
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<i64>))]
    pub source_id: Option<Option<i64>>,
    /// `set`: the campaign; `null` clears it.
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[cfg_attr(feature = "server", schema(value_type = Option<i64>))]
    pub campaign_id: Option<Option<i64>>,
    /// `assign` or `set`: give each lead to whom the routing rules (territory, then
    /// source) choose; a lead no rule covers keeps its assignee. Without it no lead
    /// is routed again.
    #[serde(default)]
    pub route: bool,
}

/// The lead list's filters, every one optional (`{}` is every lead), and nothing
/// else: a misspelt filter must be refused, not read as no filter at all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkFilter {
    pub stage_id: Option<i64>,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub cycle_id: Option<i64>,
    pub assigned_user_access_id: Option<i64>,
    /// Words searched in name, company, email and phone.
    pub q: Option<String>,
}

impl From<BulkFilter> for LeadFilter {
    fn from(f: BulkFilter) -> LeadFilter {
        LeadFilter {
            stage_id: f.stage_id,
            source_id: f.source_id,
            campaign_id: f.campaign_id,
            cycle_id: f.cycle_id,
            assigned_user_access_id: f.assigned_user_access_id,
            q: f.q,
        }
    }
}

impl From<LeadFilter> for BulkFilter {
    fn from(f: LeadFilter) -> BulkFilter {
        BulkFilter {
            stage_id: f.stage_id,
            source_id: f.source_id,
            campaign_id: f.campaign_id,
            cycle_id: f.cycle_id,
            assigned_user_access_id: f.assigned_user_access_id,
            q: f.q,
        }
    }
}

/// A bulk change's answer: done (`{updated}`, how many leads changed), or queued
/// as a job (`{job}`) to watch at `GET .../jobs/{job_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BulkOutcome {
    Updated(i64),
    Job(Job),
}
