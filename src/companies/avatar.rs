use super::Company;
use crate::actor::{Member, Role};
use crate::avatar::{self, Owner, Upload};
use crate::{Ctx, Result};

/// Only admins change the company's picture.
pub async fn set_avatar(ctx: &Ctx, me: &Member, bytes: &[u8]) -> Result<Company> {
    me.require(Role::Admin)?;
    let picture = avatar::upload(ctx, Owner::Company, me.company_id(), bytes).await?;
    repoint(ctx, me, Some(picture)).await
}

pub async fn remove_avatar(ctx: &Ctx, me: &Member) -> Result<()> {
    me.require(Role::Admin)?;
    repoint(ctx, me, None).await.map(drop)
}

/// Points the company at `picture` and records the change.
async fn repoint(ctx: &Ctx, me: &Member, picture: Option<Upload>) -> Result<Company> {
    let mut tx = ctx.db.begin().await?;
    let before = super::locked(ctx, &mut tx, me.company_id()).await?;
    let replaced = avatar::point(&mut tx, Owner::Company, me.company_id(), picture).await?;
    let company = super::recorded(ctx, me, &mut tx, &before).await?;
    tx.commit().await?;
    replaced.delete_old(ctx).await;
    Ok(company)
}
