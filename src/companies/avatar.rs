use super::Company;
use crate::actor::{Member, Role};
use crate::avatar::{self, Owner};
use crate::{Ctx, Result};

/// Only admins change the company's picture.
pub async fn set_avatar(ctx: &Ctx, me: &Member, bytes: &[u8]) -> Result<Company> {
    me.require(Role::Admin)?;
    let mut tx = ctx.db.begin().await?;
    let before = super::get_on(&mut tx, ctx, me.company_id()).await?;
    let replaced = avatar::store(ctx, &mut tx, Owner::Company, me.company_id(), bytes).await?;
    let company = super::recorded(ctx, me, &mut tx, &before).await?;
    tx.commit().await?;
    replaced.delete_old(ctx).await?;
    Ok(company)
}

pub async fn remove_avatar(ctx: &Ctx, me: &Member) -> Result<()> {
    me.require(Role::Admin)?;
    let mut tx = ctx.db.begin().await?;
    let before = super::get_on(&mut tx, ctx, me.company_id()).await?;
    let replaced = avatar::remove(&mut tx, Owner::Company, me.company_id()).await?;
    super::recorded(ctx, me, &mut tx, &before).await?;
    tx.commit().await?;
    replaced.delete_old(ctx).await
}
