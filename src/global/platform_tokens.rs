use crate::{secret, time::Timestamp, Actor, Ctx, Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformToken {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
}

/// id, name, created_at, revoked_at, last_used_at
type TokenRow = (i64, String, i64, Option<i64>, Option<i64>);

/// Makes a token and returns it with its secret, shown this once and stored hashed.
pub async fn create_platform_token(
    ctx: &Ctx,
    actor: &Actor,
    name: &str,
) -> Result<(PlatformToken, String)> {
    actor.require_operator()?;
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::field("name", "is required"));
    }
    let secret = secret::generate("lds_pt_");
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO platform_tokens (name, token_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(name)
    .bind(secret::digest(&secret))
    .bind(Timestamp::now().0)
    .fetch_one(&ctx.db.pool)
    .await?;
    let token = list_platform_tokens(ctx, actor)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| Error::not_found("platform token"))?;
    Ok((token, secret))
}

pub async fn list_platform_tokens(ctx: &Ctx, actor: &Actor) -> Result<Vec<PlatformToken>> {
    actor.require_operator()?;
    let rows: Vec<TokenRow> = sqlx::query_as(
        "SELECT id, name, created_at, revoked_at, last_used_at FROM platform_tokens ORDER BY id",
    )
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, created, revoked, used)| PlatformToken {
            id,
            name,
            created_at: Timestamp(created),
            revoked_at: revoked.map(Timestamp),
            last_used_at: used.map(Timestamp),
        })
        .collect())
}

pub async fn revoke_platform_token(ctx: &Ctx, actor: &Actor, id: i64) -> Result<()> {
    actor.require_operator()?;
    let r = sqlx::query(
        "UPDATE platform_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
    )
    .bind(Timestamp::now().0)
    .bind(id)
    .execute(&ctx.db.pool)
    .await?;
    if r.rows_affected() == 0 {
        return Err(Error::not_found("active platform token"));
    }
    Ok(())
}

/// The actor for a presented platform token, if it is known and not revoked.
pub async fn authenticate_platform(ctx: &Ctx, token: &str) -> Result<Actor> {
    let id: Option<i64> = sqlx::query_scalar(
        "UPDATE platform_tokens SET last_used_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL RETURNING id",
    )
    .bind(Timestamp::now().0)
    .bind(secret::digest(token))
    .fetch_optional(&ctx.db.pool)
    .await?;
    id.map(|token_id| Actor::Platform { token_id })
        .ok_or_else(|| Error::Unauthorized("a valid platform API token is required".into()))
}
