//! Avatars of users and companies: checked by content, stored under a fresh key per
//! upload (so caches never show the old picture), the old file removed afterwards.

use crate::{secret, storage::check_avatar, time::Timestamp, Ctx, Result};

#[derive(Debug, Clone, Copy)]
pub enum Owner {
    User,
    Company,
}

impl Owner {
    fn table(self) -> &'static str {
        match self {
            Owner::User => "users",
            Owner::Company => "companies",
        }
    }
}

/// Stores the image and points the owner's row at it. Authorization is the caller's.
pub async fn store(ctx: &Ctx, owner: Owner, id: i64, bytes: &[u8]) -> Result<()> {
    let kind = check_avatar(bytes, ctx.settings.max_avatar_bytes)?;
    let key = format!(
        "avatars/{}/{id}-{}.{}",
        owner.table(),
        &secret::generate("")[..16],
        kind.extension()
    );
    ctx.storage.put(&key, bytes).await?;
    replace_key(ctx, owner, id, Some(key)).await
}

pub async fn remove(ctx: &Ctx, owner: Owner, id: i64) -> Result<()> {
    replace_key(ctx, owner, id, None).await
}

async fn replace_key(ctx: &Ctx, owner: Owner, id: i64, key: Option<String>) -> Result<()> {
    let table = owner.table();
    let old: Option<String> =
        sqlx::query_scalar(&format!("SELECT avatar_key FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_one(&ctx.db.pool)
            .await?;
    sqlx::query(&format!(
        "UPDATE {table} SET avatar_key = $1, updated_at = $2 WHERE id = $3"
    ))
    .bind(key)
    .bind(Timestamp::now().0)
    .bind(id)
    .execute(&ctx.db.pool)
    .await?;
    if let Some(old) = old {
        ctx.storage.delete(&old).await?;
    }
    Ok(())
}
