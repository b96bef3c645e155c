//! Where leads come from, in the priority order a company ranks them, each with
//! the reps its leads are routed to.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod ops;
#[cfg(feature = "server")]
mod reps;

#[cfg(feature = "server")]
pub(crate) use {ops::get, reps::check_members};
#[cfg(feature = "server")]
pub use {
    ops::{create, delete, list, reorder},
    reps::{assign, unassign},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Source {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    /// 1 is the highest.
    pub priority: i64,
    pub user_access_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateSource {
    pub name: String,
    #[serde(default)]
    pub user_access_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SourceOrder {
    /// Every source of the company, highest priority first.
    pub source_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignRep {
    pub user_access_id: i64,
}

/// A source or campaign name: single spaces, 1 to 100 characters. The key makes
/// "Web  Form" and "web form" one name within a company.
pub fn parse_name(raw: &str) -> Result<(String, String), String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => Err("is required".into()),
        n if n > 100 => Err("must be at most 100 characters".into()),
        _ => {
            let key = name.to_lowercase();
            Ok((name, key))
        }
    }
}
