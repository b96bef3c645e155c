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
    /// The change has committed: a file left behind is only logged.
    pub async fn delete_old(self, ctx: &Ctx) {
        if let Some(old) = self.old {
            if let Err(e) = ctx.storage.delete(&old).await {
                tracing::warn!(key = %old, error = %e, "an old avatar could not be deleted");
            }
        }
    }
}

/// An image checked and stored under a fresh key, before any transaction: a
/// slow write must not hold the database's lock.
pub struct Upload {
    key: String,
}

/// Checks the image and stores it. Authorization is the caller's.
pub async fn upload(ctx: &Ctx, owner: Owner, id: i64, bytes: &[u8]) -> Result<Upload> {
    let kind = check_avatar(bytes, ctx.settings.max_avatar_bytes)?;
    let key = format!(
        "avatars/{}/{id}-{}.{}",
        owner.table(),
        &secret::generate("")[..16],
        kind.extension()
    );
    ctx.storage.put(&key, bytes).await?;
    Ok(Upload { key })
}

/// Points the owner's row at `picture` (none removes it), inside the caller's
/// transaction, its row locked before the old key is read.
pub async fn point(
    tx: &mut Tx<'_>,
    owner: Owner,
    id: i64,
    picture: Option<Upload>,
) -> Result<Replaced> {
    let table = owner.table();
    sqlx::query(&format!(
        "UPDATE {table} SET updated_at = updated_at WHERE id = $1"
    ))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let old: Option<String> =
        sqlx::query_scalar(&format!("SELECT avatar_key FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query(&format!(
        "UPDATE {table} SET avatar_key = $1, updated_at = $2 WHERE id = $3"
    ))
    .bind(picture.map(|p| p.key))
    .bind(Timestamp::now().0)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(Replaced { old })
}
