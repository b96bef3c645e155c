//! Versions of the terms of service. The newest published version is the one every
//! user must have signed before going on.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LegalTerm {
    pub id: i64,
    pub version: String,
    pub title: String,
    pub body: String,
    pub published_at: Timestamp,
}

#[cfg(feature = "server")]
mod ops {
    use super::LegalTerm;
    use crate::{db, time::Timestamp, Ctx, Error, Result};

    type Row = (i64, String, String, String, i64);
    const COLUMNS: &str = "id, version, title, body, published_at";

    fn term((id, version, title, body, published_at): Row) -> LegalTerm {
        LegalTerm {
            id,
            version,
            title,
            body,
            published_at: Timestamp(published_at),
        }
    }

    /// The newest version published up to now.
    pub async fn current(ctx: &Ctx) -> Result<LegalTerm> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM legal_terms WHERE published_at <= $1 \
             ORDER BY published_at DESC, id DESC LIMIT 1"
        ))
        .bind(Timestamp::now().0)
        .fetch_optional(&ctx.db.pool)
        .await?;
        row.map(term).ok_or_else(|| Error::not_found("legal terms"))
    }

    pub async fn get(ctx: &Ctx, legal_term_id: i64) -> Result<LegalTerm> {
        let row: Option<Row> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM legal_terms WHERE id = $1"))
                .bind(legal_term_id)
                .fetch_optional(&ctx.db.pool)
                .await?;
        row.map(term).ok_or_else(|| Error::not_found("legal terms"))
    }

    /// Publishes a new version now (an operator's command): every user is asked to sign it.
    pub async fn publish(
        ctx: &Ctx,
        actor: &crate::Actor,
        version: &str,
        title: &str,
        body: &str,
    ) -> Result<LegalTerm> {
        actor.require_operator()?;
        let mut check = crate::error::Check::default();
        for (field, value) in [("version", version), ("title", title), ("body", body)] {
            if value.trim().is_empty() {
                check.add(field, "is required");
            }
        }
        check.finish()?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO legal_terms (version, title, body, published_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(version.trim())
        .bind(title.trim())
        .bind(body)
        .bind(Timestamp::now().0)
        .fetch_one(&ctx.db.pool)
        .await
        .map_err(|e| {
            db::conflict_or(
                e,
                "legal_terms",
                "version",
                Error::conflict("LEGAL_TERMS_VERSION_EXISTS", "this version already exists"),
            )
        })?;
        get(ctx, id).await
    }
}

#[cfg(feature = "server")]
pub use ops::{current, get, publish};
