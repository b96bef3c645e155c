use super::{row, update::own_user, User};
use crate::avatar::{self, Owner};
use crate::{Actor, Ctx, Result};

/// Users change only their own picture.
pub async fn set_avatar(ctx: &Ctx, actor: &Actor, user_id: i64, bytes: &[u8]) -> Result<User> {
    own_user(ctx, actor, user_id).await?;
    let picture = avatar::upload(ctx, Owner::User, user_id, bytes).await?;
    let mut tx = ctx.db.begin().await?;
    let replaced = avatar::point(&mut tx, Owner::User, user_id, Some(picture)).await?;
    tx.commit().await?;
    replaced.delete_old(ctx).await;
    row::fetch(ctx, user_id).await
}

pub async fn remove_avatar(ctx: &Ctx, actor: &Actor, user_id: i64) -> Result<()> {
    own_user(ctx, actor, user_id).await?;
    let mut tx = ctx.db.begin().await?;
    let replaced = avatar::point(&mut tx, Owner::User, user_id, None).await?;
    tx.commit().await?;
    replaced.delete_old(ctx).await;
    Ok(())
}
