use super::Company;
use crate::actor::{Member, Role};
use crate::avatar::{self, Owner};
use crate::{Ctx, Result};

/// Only admins change the company's picture.
pub async fn set_avatar(ctx: &Ctx, me: &Member, bytes: &[u8]) -> Result<Company> {
    let company_id = me.company_id();
    me.require(Role::Admin)?;
    avatar::store(ctx, Owner::Company, company_id, bytes).await?;
    super::get(ctx, me).await
}

pub async fn remove_avatar(ctx: &Ctx, me: &Member) -> Result<()> {
    let company_id = me.company_id();
    me.require(Role::Admin)?;
    avatar::remove(ctx, Owner::Company, company_id).await
}
