use super::{parse_name, Company, UpdateCompany};
use crate::actor::{Member, Role};
use crate::{db, time::Timestamp, Ctx, Error, Result};

/// Renames the company (admins); names stay unique across Leadsy like at creation.
pub async fn update(ctx: &Ctx, me: &Member, input: UpdateCompany) -> Result<Company> {
    let company_id = me.company_id();
    me.require(Role::Admin)?;
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
    super::get(ctx, me).await
}
