use super::{parse_name, CreateSource, Source, SourceOrder};
use crate::actor::{Member, Role};
use crate::error::Check;
use crate::events::{self, Kind, NewEvent};
use crate::leads::write::{self, Reference};
use crate::priority::{self, Ordered};
use crate::{db, time::Timestamp, Ctx, Error, Result};

pub async fn create(ctx: &Ctx, me: &Member, input: CreateSource) -> Result<Source> {
    let company_id = me.company_id();
    me.require(Role::Manager)?;
    let mut check = Check::default();
    let name = check.take("name", parse_name(&input.name));
    super::reps::check_members(
        ctx,
        company_id,
        "user_access_ids",
        &input.user_access_ids,
        &mut check,
    )
    .await?;
    check.finish()?;
    let (name, key) = name.expect("checked above");
    let mut tx = ctx.db.begin().await?;
    let now = Timestamp::now().0;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sources (company_id, name, name_key, priority, created_at) VALUES ($1, $2, $3, \
         (SELECT COALESCE(MAX(priority), 0) + 1 FROM sources WHERE company_id = $1), $4) RETURNING id",
    )
    .bind(company_id)
    .bind(&name)
    .bind(&key)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        db::conflict_or(
            e,
            "sources",
            "name_key",
            Error::conflict("SOURCE_NAME_ALREADY_EXISTS", "the company already has a source with this name"),
        )
    })?;
    for ua in dedup(&input.user_access_ids) {
        sqlx::query("INSERT INTO source_user_accesses (source_id, user_access_id, created_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(ua)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    let source = find(&mut tx, company_id, id).await?;
    let event = NewEvent::about(Kind::SourceCreated, Some(id), &source);
    events::record(&mut tx, company_id, &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(source)
}

/// Highest priority first.
pub async fn list(ctx: &Ctx, me: &Member) -> Result<Vec<Source>> {
    let company_id = me.company_id();
    all(ctx, company_id).await
}

pub async fn delete(ctx: &Ctx, me: &Member, source_id: i64) -> Result<()> {
    let company_id = me.company_id();
    me.require(Role::Manager)?;
    let mut tx = ctx.db.begin().await?;
    let source = find(&mut tx, company_id, source_id).await?;
    let by = me.by(ctx);
    // Its leads lose it through the lead writer, each change recorded.
    write::clear(&mut tx, &by, company_id, Reference::Source, source_id).await?;
    sqlx::query("DELETE FROM sources WHERE id = $1 AND company_id = $2")
        .bind(source_id)
        .bind(company_id)
        .execute(&mut *tx)
        .await?;
    priority::close_gaps(&mut tx, Ordered::Sources, company_id).await?;
    let event = NewEvent::about(Kind::SourceDeleted, Some(source_id), &source);
    events::record(&mut tx, company_id, &by, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the whole order at once; anything but a permutation of the company's
/// sources is refused and changes nothing.
pub async fn reorder(ctx: &Ctx, me: &Member, input: SourceOrder) -> Result<Vec<Source>> {
    let company_id = me.company_id();
    me.require(Role::Manager)?;
    let mut tx = ctx.db.begin().await?;
    priority::set(
        &mut tx,
        Ordered::Sources,
        company_id,
        "source_ids",
        &input.source_ids,
    )
    .await?;
    let sources = all_on(&mut tx, company_id).await?;
    let order = serde_json::json!({ "sources": sources });
    let event = NewEvent::about(Kind::SourcesReordered, None, &order);
    events::record(&mut tx, company_id, &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(sources)
}

pub(crate) async fn all(ctx: &Ctx, company_id: i64) -> Result<Vec<Source>> {
    all_on(&mut *ctx.db.pool.acquire().await?, company_id).await
}

/// The sources as `conn` (a transaction's, for an event) sees them.
pub(crate) async fn all_on(conn: &mut sqlx::AnyConnection, company_id: i64) -> Result<Vec<Source>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, name, priority FROM sources WHERE company_id = $1 ORDER BY priority, id",
    )
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    let reps: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT sua.source_id, sua.user_access_id FROM source_user_accesses sua \
         JOIN sources s ON s.id = sua.source_id WHERE s.company_id = $1 ORDER BY sua.user_access_id",
    )
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, priority)| Source {
            id,
            company_id,
            name,
            priority,
            user_access_ids: reps
                .iter()
                .filter(|(s, _)| *s == id)
                .map(|(_, ua)| *ua)
                .collect(),
        })
        .collect())
}

/// One source as `conn` sees it.
pub(crate) async fn find(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    source_id: i64,
) -> Result<Source> {
    all_on(conn, company_id)
        .await?
        .into_iter()
        .find(|s| s.id == source_id)
        .ok_or_else(|| Error::not_found("source"))
}

pub async fn get(ctx: &Ctx, company_id: i64, source_id: i64) -> Result<Source> {
    all(ctx, company_id)
        .await?
        .into_iter()
        .find(|s| s.id == source_id)
        .ok_or_else(|| Error::not_found("source"))
}

pub(crate) fn dedup(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}
