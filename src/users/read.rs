use super::{row, row::UserRow, Email, User};
use crate::{actor::Member, paging::Meta, paging::Page, zone::Zone, Actor, Ctx, Error, Result};

/// Users a caller may see: themselves and anyone sharing one of their companies.
const VISIBLE: &str = "(u.id = $1 OR EXISTS (SELECT 1 FROM user_accesses mine \
     JOIN user_accesses theirs ON theirs.company_id = mine.company_id \
     WHERE mine.user_id = $1 AND theirs.user_id = u.id))";

/// A user the caller may see, else "not found" whether or not it exists.
pub async fn visible_user(ctx: &Ctx, actor: &Actor, user_id: i64) -> Result<User> {
    let me = actor.user_id()?;
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {} FROM users u WHERE u.id = $2 AND {VISIBLE}",
        row::COLUMNS
    ))
    .bind(me)
    .bind(user_id)
    .fetch_optional(&ctx.db.pool)
    .await?;
    row.map(|r| r.into_user(&ctx.storage))
        .ok_or_else(|| Error::not_found("user"))
}

pub async fn get(ctx: &Ctx, actor: &Actor, user_id: i64) -> Result<User> {
    visible_user(ctx, actor, user_id).await
}

/// The zone a member's typed times are read in (their own, from their account).
pub async fn time_zone(ctx: &Ctx, me: &Member) -> Result<Zone> {
    let name: String = sqlx::query_scalar("SELECT time_zone FROM users WHERE id = $1")
        .bind(me.user_id())
        .fetch_one(&ctx.db.pool)
        .await?;
    Ok(Zone::stored(name))
}

/// Only a verified address finds its owner: an unverified one may belong to
/// someone else.
pub async fn find_by_email(ctx: &Ctx, actor: &Actor, email: &str) -> Result<User> {
    let me = actor.user_id()?;
    let email = Email::parse(email).map_err(|m| Error::field("email", &m))?;
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {} FROM users u WHERE u.email = $2 AND u.email_verified_at IS NOT NULL AND {VISIBLE}",
        row::COLUMNS
    ))
    .bind(me)
    .bind(email.as_str())
    .fetch_optional(&ctx.db.pool)
    .await?;
    row.map(|r| r.into_user(&ctx.storage))
        .ok_or_else(|| Error::not_found("user"))
}

pub async fn list(ctx: &Ctx, actor: &Actor, page: Page) -> Result<(Vec<User>, Meta)> {
    let me = actor.user_id()?;
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM users u WHERE {VISIBLE}"))
        .bind(me)
        .fetch_one(&ctx.db.pool)
        .await?;
    let rows: Vec<UserRow> = sqlx::query_as(&format!(
        "SELECT {} FROM users u WHERE {VISIBLE} ORDER BY u.id LIMIT $2 OFFSET $3",
        row::COLUMNS
    ))
    .bind(me)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(&ctx.db.pool)
    .await?;
    let users = rows
        .into_iter()
        .map(|r| r.into_user(&ctx.storage))
        .collect();
    Ok((users, page.meta(total)))
}
