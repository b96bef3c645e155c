use super::{update::own_user, Provider};
use crate::{time::Timestamp, Actor, Ctx, Result};

pub async fn providers(ctx: &Ctx, actor: &Actor, user_id: i64) -> Result<Vec<Provider>> {
    own_user(ctx, actor, user_id).await?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT provider, created_at FROM user_providers WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(provider, at)| Provider {
            provider,
            created_at: Timestamp(at),
        })
        .collect())
}
