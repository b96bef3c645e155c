//! Avatars of users and companies: checked by content, stored under a fresh key per
//! upload (so caches never show the old picture), the old file removed afterwards.

use crate::{db::Tx, secret, storage::check_avatar, time::Timestamp, Ctx, Result};

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

/// The file an owner's row no longer points at, deleted once the transaction that
/// replaced it has committed (before that, a rollback still needs it).
#[must_use = "the old file stays until `delete_old` runs after the commit"]
pub struct Replaced {
    old: Option<String>,
}

impl Replaced {
    pub async fn delete_old(self, ctx: &Ctx) -> Result<()> {
        match self.old {
            Some(old) => ctx.storage.delete(&old).await,
            None => Ok(()),
        }
    }
}

/// Stores the image and points the owner's row at it, inside the caller's
/// transaction. Authorization is the caller's.
pub async fn store(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    owner: Owner,
    id: i64,
    bytes: &[u8],
) -> Result<Replaced> {
    let kind = check_avatar(bytes, ctx.settings.max_avatar_bytes)?;
    let key = format!(
        "avatars/{}/{id}-{}.{}",
        owner.table(),
        &secret::generate("")[..16],
        kind.extension()
    );
    ctx.storage.put(&key, bytes).await?;
    replace_key(tx, owner, id, Some(key)).await
}

pub async fn remove(tx: &mut Tx<'_>, owner: Owner, id: i64) -> Result<Replaced> {
    replace_key(tx, owner, id, None).await
}

async fn replace_key(
    tx: &mut Tx<'_>,
    owner: Owner,
    id: i64,
    key: Option<String>,
) -> Result<Replaced> {
    let table = owner.table();
    let old: Option<String> =
        sqlx::query_scalar(&format!("SELECT avatar_key FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query(&format!(
        "UPDATE {table} SET avatar_key = $1, updated_at = $2 WHERE id = $3"
    ))
    .bind(key)
    .bind(Timestamp::now().0)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(Replaced { old })
}
