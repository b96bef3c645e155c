use super::{row::CompanyRow, row::SELECT, Company, CompanyUser};
use crate::accesses::row::{AccessRow, ACCESS_COLUMNS};
use crate::actor::Member;
use crate::paging::{Meta, Page};
use crate::users::row::{UserRow, COLUMNS as USER_COLUMNS};
use crate::{Actor, Ctx, Error, Result};

/// The caller's companies, oldest first.
pub async fn list(ctx: &Ctx, actor: &Actor, page: Page) -> Result<(Vec<Company>, Meta)> {
    let me = actor.user_id()?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_accesses WHERE user_id = $1")
        .bind(me)
        .fetch_one(&ctx.db.pool)
        .await?;
    let rows: Vec<CompanyRow> = sqlx::query_as(&format!(
        "{SELECT} JOIN user_accesses ua ON ua.company_id = c.id AND ua.user_id = $1 \
         ORDER BY c.id LIMIT $2 OFFSET $3"
    ))
    .bind(me)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(&ctx.db.pool)
    .await?;
    let companies = rows
        .into_iter()
        .map(|r| r.into_company(&ctx.storage))
        .collect();
    Ok((companies, page.meta(total)))
}

pub async fn get(ctx: &Ctx, me: &Member) -> Result<Company> {
    get_on(&mut *ctx.db.pool.acquire().await?, ctx, me.company_id()).await
}

/// The company as `conn` (a transaction's, for an event) sees it.
pub(crate) async fn get_on(
    conn: &mut sqlx::AnyConnection,
    ctx: &Ctx,
    company_id: i64,
) -> Result<Company> {
    let row: Option<CompanyRow> = sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
        .bind(company_id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| r.into_company(&ctx.storage))
        .ok_or_else(|| Error::not_found("company"))
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    #[sqlx(flatten)]
    user: UserRow,
    user_access_id: i64,
    #[sqlx(flatten)]
    access: AccessRow,
}

/// The company's members with their access, for any member of it.
pub async fn users(ctx: &Ctx, me: &Member, page: Page) -> Result<(Vec<CompanyUser>, Meta)> {
    let company_id = me.company_id();
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_accesses WHERE company_id = $1")
        .bind(company_id)
        .fetch_one(&ctx.db.pool)
        .await?;
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS}, ua.id AS user_access_id, {ACCESS_COLUMNS} FROM user_accesses ua \
         JOIN users u ON u.id = ua.user_id JOIN accesses a ON a.id = ua.access_id \
         WHERE ua.company_id = $1 ORDER BY u.id LIMIT $2 OFFSET $3"
    ))
    .bind(company_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(&ctx.db.pool)
    .await?;
    let members = rows
        .into_iter()
        .map(|r| CompanyUser {
            user: r.user.into_user(&ctx.storage),
            user_access_id: r.user_access_id,
            access: r.access.into_access(),
        })
        .collect();
    Ok((members, page.meta(total)))
}
