//! Saved views: a member's named set of the lead filters, kept for themselves or
//! shared with the company, opened from the board or named in the API as
//! `view_id`. A view narrows what its reader may see, never widens it: a sales
//! rep opening a shared view still sees only their own leads.

use crate::leads::LeadFilter;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod ops;

#[cfg(feature = "server")]
pub use ops::{create, delete, list, resolve};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SavedView {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub filter: LeadFilter,
    /// Seen by every member of the company, not only its owner.
    pub shared: bool,
    /// The member who saved it: only they, or an admin for a shared view, delete it.
    pub user_access_id: i64,
    pub owner_name: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateView {
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub name: String,
    #[serde(default)]
    pub filter: LeadFilter,
    #[serde(default)]
    pub shared: bool,
}
