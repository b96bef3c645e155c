use super::Company;
use crate::actor::{require_role, Role};
use crate::avatar::{self, Owner};
use crate::{Actor, Ctx, Result};

/// Only admins change the company's picture.
pub async fn set_avatar(
    ctx: &Ctx,
    actor: &Actor,
    company_id: i64,
    bytes: &[u8],
) -> Result<Company> {
    require_role(&ctx.db, actor, company_id, Role::Admin).await?;
    avatar::store(ctx, Owner::Company, company_id, bytes).await?;
    super::get(ctx, actor, company_id).await
}

pub async fn remove_avatar(ctx: &Ctx, actor: &Actor, company_id: i64) -> Result<()> {
    require_role(&ctx.db, actor, company_id, Role::Admin).await?;
    avatar::remove(ctx, Owner::Company, company_id).await
}
