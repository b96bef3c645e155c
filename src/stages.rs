//! The seeded pipeline stages every company's board shows, in order.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, sqlx::FromRow))]
pub struct Stage {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub position: i64,
    /// `open`, `won` or `lost`.
    pub kind: String,
}

/// The stages, for anyone signed in (a customer key included).
#[cfg(feature = "server")]
pub async fn list(ctx: &crate::Ctx, actor: &crate::Actor) -> crate::Result<Vec<Stage>> {
    actor.require_signed_in()?;
    all(ctx).await
}

#[cfg(feature = "server")]
pub(crate) async fn all(ctx: &crate::Ctx) -> crate::Result<Vec<Stage>> {
    Ok(
        sqlx::query_as("SELECT id, key, name, position, kind FROM stages ORDER BY position")
            .fetch_all(&ctx.db.pool)
            .await?,
    )
}
