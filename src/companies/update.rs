use super::{parse_name, Company, UpdateCompany};
use crate::actor::{Member, Role};
use crate::events::{self, Kind, NewEvent};
use crate::{db, db::Tx, time::Timestamp, Ctx, Error, Result};

/// Renames the company (admins); names stay unique across Leadsy like at creation.
#[tracing::instrument(name = "companies::update", skip_all, fields(company_id = me.company_id()))]
pub async fn update(ctx: &Ctx, me: &Member, input: UpdateCompany) -> Result<Company> {
    let company_id = me.company_id();
    me.require(Role::Admin)?;
    let (name, key) = parse_name(&input.name).map_err(|m| Error::field("name", &m))?;
    let mut tx = ctx.db.begin().await?;
    let before = locked(ctx, &mut tx, company_id).await?;
    sqlx::query("UPDATE companies SET name = $1, name_key = $2, updated_at = $3 WHERE id = $4")
        .bind(&name)
        .bind(&key)
        .bind(Timestamp::now().0)
        .bind(company_id)
        .execute(&mut *tx)
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
    let company = recorded(ctx, me, &mut tx, &before).await?;
    tx.commit().await?;
    Ok(company)
}

/// The company as it is before a change, its row locked first: on SQLite a
/// transaction that reads and then writes can lose its snapshot to a writer in
/// between; on PostgreSQL the `before` of the event would be stale.
pub(crate) async fn locked(ctx: &Ctx, tx: &mut Tx<'_>, company_id: i64) -> Result<Company> {
    crate::memberships::lock_company(tx, company_id).await?;
    super::get_on(tx, ctx, company_id).await
}

/// The company as `tx` now sees it, recorded as `company.updated` against
/// `before` (its name, picture or cycle tagging changed).
pub(crate) async fn recorded(
    ctx: &Ctx,
    me: &Member,
    tx: &mut Tx<'_>,
    before: &Company,
) -> Result<Company> {
    let company = super::get_on(tx, ctx, me.company_id()).await?;
    let event = NewEvent::updated(Kind::CompanyUpdated, Some(company.id), before, &company);
    events::record(tx, company.id, &me.by(ctx), event).await?;
    Ok(company)
}
