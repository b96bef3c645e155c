use super::row::{LeadRow, SELECT};
use super::scope::{Scope, Totals};
use super::search::SearchText;
use super::write::Draft;
use super::{BoardColumn, Lead, LeadFilter, StageMetric};
use crate::actor::Member;
use crate::paging::{Meta, Page};
use crate::{stages, Ctx, Result};

/// A search matching at most this many leads ranks them all, those found by name
/// first; one matching more pages through its matches as the index gives them.
const RANKED_MAX: i64 = 500;

/// A page of the leads the caller may see, newest first (a search matching a
/// short list: those found by name first).
pub async fn list(
    ctx: &Ctx,
    me: &Member,
    filter: &LeadFilter,
    page: Page,
) -> Result<(Vec<Lead>, Meta)> {
    let totals = Totals::new(me, filter);
    page_of(ctx, Scope::new(ctx.db.backend, me, filter), totals, page).await
}

/// Leads nobody is assigned to yet (for a sales rep, whose view is their own
/// leads, this is always empty).
pub async fn unassigned(
    ctx: &Ctx,
    me: &Member,
    filter: &LeadFilter,
    page: Page,
) -> Result<(Vec<Lead>, Meta)> {
    let mut scope = Scope::new(ctx.db.backend, me, filter);
    scope.unassigned();
    let mut totals = Totals::new(me, filter);
    if let Some(t) = totals.as_mut() {
        t.unassigned();
    }
    page_of(ctx, scope, totals, page).await
}

/// Count and value of the visible leads in every stage, empty stages included.
pub async fn metrics(ctx: &Ctx, me: &Member, filter: &LeadFilter) -> Result<Vec<StageMetric>> {
    let counts: Vec<(i64, i64, i64)> = match Totals::new(me, filter) {
        Some(Totals(t)) => {
            let sql = format!(
                "SELECT stage_id, CAST(COALESCE(SUM(lead_count), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(value_cents), 0) AS BIGINT) FROM lead_totals WHERE {} GROUP BY stage_id",
                t.sql
            );
            t.bind_all(sqlx::query_as(&sql))
                .fetch_all(&ctx.db.pool)
                .await?
        }
        None => {
            let scope = Scope::new(ctx.db.backend, me, filter);
            let sql = format!(
                "SELECT l.stage_id, COUNT(*), CAST(COALESCE(SUM(l.value_cents), 0) AS BIGINT) \
                 FROM leads l{} WHERE {} GROUP BY l.stage_id",
                scope.join, scope.sql
            );
            scope
                .bind_all(sqlx::query_as(&sql))
                .fetch_all(&ctx.db.pool)
                .await?
        }
    };
    let stages = stages::all(ctx).await?;
    Ok(stages
        .into_iter()
        .map(|s| {
            let (count, value_cents) = counts
                .iter()
                .find(|(id, _, _)| *id == s.id)
                .map(|(_, c, v)| (*c, *v))
                .unwrap_or((0, 0));
            StageMetric {
                stage_id: s.id,
                stage_key: s.key,
                stage_name: s.name,
                count,
                value_cents,
            }
        })
        .collect())
}

/// The board in one call: every stage's count and value, and its newest
/// `per_column` cards. One indexed query per stage, however many leads there are.
pub async fn board(
    ctx: &Ctx,
    me: &Member,
    filter: &LeadFilter,
    per_column: i64,
) -> Result<Vec<BoardColumn>> {
    let mut columns = Vec::new();
    for metric in metrics(ctx, me, filter).await? {
        let scope = Scope::new(
            ctx.db.backend,
            me,
            &LeadFilter {
                stage_id: Some(metric.stage_id),
                ..filter.clone()
            },
        );
        let leads = if metric.count == 0 {
            Vec::new()
        } else {
            rows(ctx, &scope, per_column.clamp(1, Page::MAX_PER_PAGE), 0).await?
        };
        columns.push(BoardColumn { metric, leads });
    }
    Ok(columns)
}

async fn rows(ctx: &Ctx, scope: &Scope, limit: i64, offset: i64) -> Result<Vec<Lead>> {
    let n = scope.binds.len();
    let sql = format!(
        "{SELECT}{} WHERE {} ORDER BY {} LIMIT ${} OFFSET ${}",
        scope.join,
        scope.sql,
        scope.order,
        n + 1,
        n + 2
    );
    let rows: Vec<LeadRow> = scope
        .bind_all(sqlx::query_as(&sql))
        .bind(limit)
        .bind(offset)
        .fetch_all(&ctx.db.pool)
        .await?;
    Ok(rows.into_iter().map(LeadRow::into_lead).collect())
}

async fn page_of(
    ctx: &Ctx,
    scope: Scope,
    totals: Option<Totals>,
    page: Page,
) -> Result<(Vec<Lead>, Meta)> {
    let total: i64 = match totals {
        Some(Totals(t)) => {
            let sql = format!(
                "SELECT CAST(COALESCE(SUM(lead_count), 0) AS BIGINT) FROM lead_totals WHERE {}",
                t.sql
            );
            t.bind_all(sqlx::query_scalar(&sql))
                .fetch_one(&ctx.db.pool)
                .await?
        }
        None => match &scope.in_index {
            Some(matched) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM lead_search WHERE lead_search MATCH $1")
                    .bind(matched)
                    .fetch_one(&ctx.db.pool)
                    .await?
            }
            None => {
                let sql = format!(
                    "SELECT COUNT(*) FROM leads l{} WHERE {}",
                    scope.join, scope.sql
                );
                scope
                    .bind_all(sqlx::query_scalar(&sql))
                    .fetch_one(&ctx.db.pool)
                    .await?
            }
        },
    };
    let leads = match &scope.search {
        Some(q) if total <= RANKED_MAX => {
            let mut all = rows(ctx, &scope, RANKED_MAX, 0).await?;
            // Stable: within a rank, the index's order stays.
            all.sort_by_cached_key(|lead| {
                std::cmp::Reverse(q.terms_in_names(&SearchText::of(&Draft::of(lead).fields)))
            });
            let skip = usize::try_from(page.offset()).unwrap_or(usize::MAX);
            let take = usize::try_from(page.per_page).unwrap_or(0);
            all.into_iter().skip(skip).take(take).collect()
        }
        _ => rows(ctx, &scope, page.per_page, page.offset()).await?,
    };
    Ok((leads, page.meta(total)))
}
