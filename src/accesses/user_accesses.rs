use super::{row, CreateUserAccess, UpdateUserAccess, UserAccess};
use crate::actor::{Member, Role};
use crate::events::{self, Kind, NewEvent};
use crate::leads::write::{self, Reference};
use crate::{db, memberships, time::Timestamp, users, Actor, Ctx, Error, Result};

/// Puts a user into the caller's company with an access (admins only). Only
/// someone who already shares a company with the caller can be added this way;
/// anyone else is invited, so that nobody is made a member of a company they never
/// agreed to join. They take a seat of the plan, like an invitation does.
pub async fn create_for_user(
    ctx: &Ctx,
    actor: &Actor,
    user_id: i64,
    input: CreateUserAccess,
) -> Result<UserAccess> {
    let me = Member::check(&ctx.db, actor, input.company_id).await?;
    me.require(Role::Admin)?;
    users::visible_user(ctx, actor, user_id)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Error::Missing {
                code: "USER_NOT_FOUND".into(),
                message:
                    "no one you share a company with has this id; invite them by email instead"
                        .into(),
            },
            other => other,
        })?;
    check_access(ctx, input.access_id).await?;
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    memberships::lock_company(&mut tx, input.company_id).await?;
    let member: Option<i64> =
        sqlx::query_scalar("SELECT id FROM user_accesses WHERE user_id = $1 AND company_id = $2")
            .bind(user_id)
            .bind(input.company_id)
            .fetch_optional(&mut *tx)
            .await?;
    if member.is_some() {
        return Err(already_member());
    }
    memberships::check_seat(&mut tx, input.company_id, now).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO user_accesses (user_id, company_id, access_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(input.company_id)
    .bind(input.access_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| db::conflict_or(e, "user_accesses", "user_id", already_member()))?;
    let added = fetch_on(&mut tx, id).await?;
    let event = NewEvent::about(Kind::MemberAdded, Some(id), &added);
    events::record(&mut tx, input.company_id, &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(added)
}

fn already_member() -> Error {
    Error::conflict(
        "USER_ACCESS_ALREADY_EXISTS",
        "the user already belongs to this company",
    )
}

/// The user's accesses in the companies the caller shares with them (all of their own).
pub async fn list_for_user(ctx: &Ctx, actor: &Actor, user_id: i64) -> Result<Vec<UserAccess>> {
    users::visible_user(ctx, actor, user_id).await?;
    let me = actor.user_id()?;
    let rows: Vec<row::UserAccessRow> = sqlx::query_as(&format!(
        "{} WHERE ua.user_id = $1 AND ($1 = $2 OR ua.company_id IN \
         (SELECT company_id FROM user_accesses WHERE user_id = $2)) ORDER BY ua.id",
        row::select()
    ))
    .bind(user_id)
    .bind(me)
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(row::UserAccessRow::into_user_access)
        .collect())
}

pub async fn update_for_user(
    ctx: &Ctx,
    actor: &Actor,
    user_id: i64,
    user_access_id: i64,
    input: UpdateUserAccess,
) -> Result<UserAccess> {
    let (target, me) = authorize(ctx, actor, user_id, user_access_id).await?;
    let new_key = check_access(ctx, input.access_id).await?;
    let mut tx = ctx.db.begin().await?;
    if still_admin(&mut tx, actor, &target).await? == "admin" && new_key != "admin" {
        ensure_other_admin(&mut tx, target.company_id, target.id).await?;
    }
    sqlx::query("UPDATE user_accesses SET access_id = $1 WHERE id = $2")
        .bind(input.access_id)
        .bind(target.id)
        .execute(&mut *tx)
        .await?;
    let changed = fetch_on(&mut tx, target.id).await?;
    let event = NewEvent::updated(Kind::MemberUpdated, Some(target.id), &target, &changed);
    events::record(&mut tx, target.company_id, &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(changed)
}

pub async fn delete_for_user(
    ctx: &Ctx,
    actor: &Actor,
    user_id: i64,
    user_access_id: i64,
) -> Result<()> {
    let (target, me) = authorize(ctx, actor, user_id, user_access_id).await?;
    let mut tx = ctx.db.begin().await?;
    if still_admin(&mut tx, actor, &target).await? == "admin" {
        ensure_other_admin(&mut tx, target.company_id, target.id).await?;
    }
    let by = me.by(ctx);
    // Their leads become unassigned through the lead writer, each change recorded.
    write::clear(
        &mut tx,
        &by,
        target.company_id,
        Reference::Assignee,
        target.id,
    )
    .await?;
    sqlx::query("DELETE FROM user_accesses WHERE id = $1")
        .bind(target.id)
        .execute(&mut *tx)
        .await?;
    let event = NewEvent::about(Kind::MemberRemoved, Some(target.id), &target);
    events::record(&mut tx, target.company_id, &by, event).await?;
    tx.commit().await.map_err(Error::from)
}

/// Locks the company's row, so that two admins changing each other's access take
/// turns, then checks again, inside the lock, that the caller is still an admin
/// there. Returns the target's access key as it is now.
async fn still_admin(tx: &mut db::Tx<'_>, actor: &Actor, target: &UserAccess) -> Result<String> {
    memberships::lock_company(tx, target.company_id).await?;
    let keys: Vec<(i64, String)> = sqlx::query_as(
        "SELECT ua.user_id, a.key FROM user_accesses ua JOIN accesses a ON a.id = ua.access_id \
         WHERE ua.company_id = $1 AND (ua.user_id = $2 OR ua.id = $3)",
    )
    .bind(target.company_id)
    .bind(actor.user_id()?)
    .bind(target.id)
    .fetch_all(&mut **tx)
    .await?;
    let me = actor.user_id()?;
    if !keys.iter().any(|(u, k)| *u == me && k == "admin") {
        return Err(Error::forbidden());
    }
    keys.into_iter()
        .find(|(u, _)| *u == target.user_id)
        .map(|(_, k)| k)
        .ok_or_else(|| Error::not_found("user access"))
}

/// The user_access must belong to `user_id` and to a company the caller administers;
/// anything else is "not found". Answers it with the caller's membership there.
async fn authorize(
    ctx: &Ctx,
    actor: &Actor,
    user_id: i64,
    user_access_id: i64,
) -> Result<(UserAccess, Member)> {
    let target = fetch(ctx, user_access_id).await?;
    if target.user_id != user_id {
        return Err(Error::not_found("user access"));
    }
    let me = Member::check(&ctx.db, actor, target.company_id)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Error::not_found("user access"),
            other => other,
        })?;
    me.require(Role::Admin)?;
    Ok((target, me))
}

/// A company always keeps at least one admin, or nobody could manage it again.
async fn ensure_other_admin(tx: &mut db::Tx<'_>, company_id: i64, except: i64) -> Result<()> {
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM user_accesses ua JOIN accesses a ON a.id = ua.access_id \
         WHERE ua.company_id = $1 AND a.key = 'admin' AND ua.id <> $2",
    )
    .bind(company_id)
    .bind(except)
    .fetch_one(&mut **tx)
    .await?;
    if others == 0 {
        return Err(Error::rule(
            "LAST_ADMIN",
            "the last admin of a company cannot be removed or demoted",
        ));
    }
    Ok(())
}

async fn check_access(ctx: &Ctx, access_id: i64) -> Result<String> {
    let key: Option<String> = sqlx::query_scalar("SELECT key FROM accesses WHERE id = $1")
        .bind(access_id)
        .fetch_optional(&ctx.db.pool)
        .await?;
    key.ok_or_else(|| Error::field("access_id", "is not a known access"))
}

pub(crate) async fn fetch(ctx: &Ctx, user_access_id: i64) -> Result<UserAccess> {
    fetch_on(&mut *ctx.db.pool.acquire().await?, user_access_id).await
}

/// The user_access as `conn` (a transaction's, for an event) sees it.
pub(crate) async fn fetch_on(
    conn: &mut sqlx::AnyConnection,
    user_access_id: i64,
) -> Result<UserAccess> {
    let row: Option<row::UserAccessRow> =
        sqlx::query_as(&format!("{} WHERE ua.id = $1", row::select()))
            .bind(user_access_id)
            .fetch_optional(conn)
            .await?;
    row.map(row::UserAccessRow::into_user_access)
        .ok_or_else(|| Error::not_found("user access"))
}
