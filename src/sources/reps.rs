use super::{ops, AssignRep, Source};
use crate::actor::{Member, Role};
use crate::error::Check;
use crate::events::{self, Kind, NewEvent};
use crate::{time::Timestamp, Ctx, Error, Result};

/// Adds a member to the reps the source's leads are routed to.
pub async fn assign(ctx: &Ctx, me: &Member, source_id: i64, input: AssignRep) -> Result<Source> {
    let company_id = me.company_id();
    me.require(Role::Manager)?;
    ops::get(ctx, company_id, source_id).await?;
    let mut check = Check::default();
    check_members(
        ctx,
        company_id,
        "user_access_id",
        &[input.user_access_id],
        &mut check,
    )
    .await?;
    check.finish()?;
    let mut tx = ctx.db.begin().await?;
    let before = locked(&mut tx, company_id, source_id).await?;
    sqlx::query(
        "INSERT INTO source_user_accesses (source_id, user_access_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(source_id)
    .bind(input.user_access_id)
    .bind(Timestamp::now().0)
    .execute(&mut *tx)
    .await?;
    let source = changed(ctx, me, &mut tx, &before).await?;
    tx.commit().await?;
    Ok(source)
}

/// The source before a change of its reps, its row locked first (on SQLite, a
/// transaction that reads before it writes can lose its snapshot).
async fn locked(tx: &mut crate::db::Tx<'_>, company_id: i64, source_id: i64) -> Result<Source> {
    sqlx::query("UPDATE sources SET name = name WHERE id = $1 AND company_id = $2")
        .bind(source_id)
        .bind(company_id)
        .execute(&mut **tx)
        .await?;
    ops::find(tx, company_id, source_id).await
}

/// Records the source's reps as they now are, against `before`.
async fn changed(
    ctx: &Ctx,
    me: &Member,
    tx: &mut crate::db::Tx<'_>,
    before: &Source,
) -> Result<Source> {
    let source = ops::find(tx, me.company_id(), before.id).await?;
    let event = NewEvent::updated(Kind::SourceUpdated, Some(before.id), before, &source);
    events::record(tx, me.company_id(), &me.by(ctx), event).await?;
    Ok(source)
}

pub async fn unassign(ctx: &Ctx, me: &Member, source_id: i64, user_access_id: i64) -> Result<()> {
    let company_id = me.company_id();
    me.require(Role::Manager)?;
    ops::get(ctx, company_id, source_id).await?;
    let mut tx = ctx.db.begin().await?;
    let before = locked(&mut tx, company_id, source_id).await?;
    let gone = sqlx::query(
        "DELETE FROM source_user_accesses WHERE source_id = $1 AND user_access_id = $2",
    )
    .bind(source_id)
    .bind(user_access_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if gone == 0 {
        return Err(Error::not_found("user access on this source"));
    }
    changed(ctx, me, &mut tx, &before).await?;
    tx.commit().await?;
    Ok(())
}

/// Every id must be a user_access of this company.
pub(crate) async fn check_members(
    ctx: &Ctx,
    company_id: i64,
    field: &str,
    ids: &[i64],
    check: &mut Check,
) -> Result<()> {
    let ids = ops::dedup(ids);
    if ids.is_empty() {
        return Ok(());
    }
    let members: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM user_accesses WHERE company_id = $1")
            .bind(company_id)
            .fetch_all(&ctx.db.pool)
            .await?;
    if let Some(bad) = ids.iter().find(|id| !members.contains(id)) {
        check.add(field, &format!("{bad} is not a member of this company"));
    }
    Ok(())
}
