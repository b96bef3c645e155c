//! Plans a company subscribes to; seats and lead limits come with them.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod attach;
#[cfg(feature = "server")]
mod limits;
#[cfg(feature = "server")]
pub use attach::{attach, cancel};
#[cfg(feature = "server")]
pub use limits::usage;
#[cfg(feature = "server")]
pub(crate) use limits::{check_fits, check_leads, check_seat, lead_room, lock_company};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, sqlx::FromRow))]
pub struct Membership {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub price_cents: i64,
    /// Billing period: `month`.
    pub interval: String,
    pub seat_limit: i64,
    pub lead_limit: i64,
}

impl Membership {
    pub fn price_label(&self) -> String {
        if self.price_cents == 0 {
            "Free".into()
        } else {
            format!(
                "${}.{:02} / {}",
                self.price_cents / 100,
                self.price_cents % 100,
                self.interval
            )
        }
    }
}

/// The limits in force for a company (the free plan's when it has none) and how
/// much of them it uses; pending invitations take seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanUsage {
    pub plan_name: String,
    pub seat_limit: i64,
    pub seats_used: i64,
    pub lead_limit: i64,
    pub leads: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttachMembership {
    pub membership_id: i64,
}

#[cfg(feature = "server")]
pub(crate) const COLUMNS: &str =
    "m.id, m.key, m.name, m.price_cents, m.billing_interval AS interval, m.seat_limit, m.lead_limit";

#[cfg(feature = "server")]
pub async fn list(ctx: &crate::Ctx) -> crate::Result<Vec<Membership>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM memberships m ORDER BY m.position"
    ))
    .fetch_all(&ctx.db.pool)
    .await?)
}

#[cfg(feature = "server")]
pub async fn get(ctx: &crate::Ctx, membership_id: i64) -> crate::Result<Membership> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM memberships m WHERE m.id = $1"
    ))
    .bind(membership_id)
    .fetch_optional(&ctx.db.pool)
    .await?
    .ok_or_else(|| crate::Error::not_found("membership"))
}
