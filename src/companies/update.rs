use super::{parse_name, Company, UpdateCompany};
use crate::actor::{require_role, Role};
use crate::{db, time::Timestamp, Actor, Ctx, Error, Result};

/// Renames the company (admins); names stay unique across Leadsy like at creation.
pub async fn update(
    ctx: &Ctx,
    actor: &Actor,
    company_id: i64,
    input: UpdateCompany,
) -> Result<Company> {
    require_role(&ctx.db, actor, company_id, Role::Admin).await?;
    let (name, key) = parse_name(&input.name).map_err(|m| Error::field("name", &m))?;
    sqlx::query("UPDATE companies SET name = $1, name_key = $2, updated_at = $3 WHERE id = $4")
        .bind(&name)
        .bind(&key)
        .bind(Timestamp::now().0)
        .bind(company_id)
        .execute(&ctx.db.pool)
        .await
        .map_err(|e| {
            db::conflict_or(
                e,
                "companies",
                "name_key",
                Error::conflict(
                    "COMPANY_NAME_ALREADY_REGISTERED",
                    "a company with this name already exists",
                ),
            )
        })?;
    super::get(ctx, actor, company_id).await
}
