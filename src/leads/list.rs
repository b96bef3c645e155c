use super::row::{LeadRow, SELECT};
use super::{BoardColumn, Lead, LeadFilter, StageMetric};
use crate::actor::{require_member, Membership, Role};
use crate::paging::{Meta, Page};
use crate::{stages, Actor, Ctx, Error, Result};

/// A page of the leads the caller may see, newest first.
pub async fn list(
    ctx: &Ctx,
    actor: &Actor,
    company_id: i64,
    filter: &LeadFilter,
    page: Page,
) -> Result<(Vec<Lead>, Meta)> {
    let me = require_member(&ctx.db, actor, company_id).await?;
    let totals = Totals::new(company_id, &me, filter);
    page_of(ctx, Scope::new(company_id, &me, filter), totals, page).await
}

/// Leads nobody is assigned to yet (for a sales rep, whose view is their own
/// leads, this is always empty).
pub async fn unassigned(
    ctx: &Ctx,
    actor: &Actor,
    company_id: i64,
    filter: &LeadFilter,
    page: Page,
) -> Result<(Vec<Lead>, Meta)> {
    let me = require_member(&ctx.db, actor, company_id).await?;
    let mut scope = Scope::new(company_id, &me, filter);
    scope.sql.push_str(" AND l.assigned_user_access_id IS NULL");
    let mut totals = Totals::new(company_id, &me, filter);
    if let Some(t) = totals.as_mut() {
        t.0.and("assignee = $", Bind::Int(0));
    }
    page_of(ctx, scope, totals, page).await
}

/// Count and value of the visible leads in every stage, empty stages included.
pub async fn metrics(
    ctx: &Ctx,
    actor: &Actor,
    company_id: i64,
    filter: &LeadFilter,
) -> Result<Vec<StageMetric>> {
    let counts = match member_totals(ctx, actor, company_id, filter).await? {
        Some(counts) => counts,
        None => {
            let me = require_member(&ctx.db, actor, company_id).await?;
            let scope = Scope::new(company_id, &me, filter);
            let sql = format!(
                "SELECT l.stage_id, COUNT(*), CAST(COALESCE(SUM(l.value_cents), 0) AS BIGINT) \
                 FROM leads l WHERE {} GROUP BY l.stage_id",
                scope.sql
            );
            scope
                .bind_all(sqlx::query_as(&sql))
                .fetch_all(&ctx.db.pool)
                .await?
        }
    };
    let stages = stages::list(ctx, actor).await?;
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
    actor: &Actor,
    company_id: i64,
    filter: &LeadFilter,
    per_column: i64,
) -> Result<Vec<BoardColumn>> {
    let me = require_member(&ctx.db, actor, company_id).await?;
    let mut columns = Vec::new();
    for metric in metrics(ctx, actor, company_id, filter).await? {
        let scope = Scope::new(
            company_id,
            &me,
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
        "{SELECT} WHERE {} ORDER BY l.created_at DESC, l.id DESC LIMIT ${} OFFSET ${}",
        scope.sql,
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

/// The per-stage totals the caller may see, read from `lead_totals` with the
/// membership check in the same statement: the board asks for these on every load,
/// so it is one round trip. `$1` is the caller, `$2` the company, then the assignee
/// and stage filters when set. `None` when a filter needs the leads themselves.
pub fn member_totals_sql(f: &LeadFilter) -> Option<String> {
    if Totals::needs_leads(f) {
        return None;
    }
    let mut sql = String::from(
        "SELECT t.stage_id, CAST(COALESCE(SUM(t.lead_count), 0) AS BIGINT), \
         CAST(COALESCE(SUM(t.value_cents), 0) AS BIGINT) \
         FROM user_accesses ua JOIN accesses a ON a.id = ua.access_id \
         LEFT JOIN lead_totals t ON t.company_id = ua.company_id \
         AND (a.key <> 'sales_rep' OR t.assignee = ua.id)",
    );
    let mut n = 2;
    for (column, set) in [
        ("assignee", f.assigned_user_access_id),
        ("stage_id", f.stage_id),
    ] {
        if set.is_some() {
            n += 1;
            sql.push_str(&format!(" AND t.{column} = ${n}"));
        }
    }
    sql.push_str(" WHERE ua.user_id = $1 AND ua.company_id = $2 GROUP BY t.stage_id");
    Some(sql)
}

/// No row at all means the caller is not a member: the company is not found.
async fn member_totals(
    ctx: &Ctx,
    actor: &Actor,
    company_id: i64,
    f: &LeadFilter,
) -> Result<Option<Vec<(i64, i64, i64)>>> {
    let Some(sql) = member_totals_sql(f) else {
        return Ok(None);
    };
    let mut q = sqlx::query_as::<_, (Option<i64>, i64, i64)>(&sql)
        .bind(actor.user_id()?)
        .bind(company_id);
    for id in [f.assigned_user_access_id, f.stage_id]
        .into_iter()
        .flatten()
    {
        q = q.bind(id);
    }
    let rows = q.fetch_all(&ctx.db.pool).await?;
    if rows.is_empty() {
        return Err(Error::not_found("company"));
    }
    Ok(Some(
        rows.into_iter()
            .filter_map(|(stage, count, value)| stage.map(|s| (s, count, value)))
            .collect(),
    ))
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
        None => {
            let sql = format!("SELECT COUNT(*) FROM leads l WHERE {}", scope.sql);
            scope
                .bind_all(sqlx::query_scalar(&sql))
                .fetch_one(&ctx.db.pool)
                .await?
        }
    };
    let n = scope.binds.len();
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY l.created_at DESC, l.id DESC LIMIT ${} OFFSET ${}",
        scope.sql,
        n + 1,
        n + 2
    );
    let rows: Vec<LeadRow> = scope
        .bind_all(sqlx::query_as(&sql))
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(&ctx.db.pool)
        .await?;
    Ok((
        rows.into_iter().map(LeadRow::into_lead).collect(),
        page.meta(total),
    ))
}

/// The same scope over `lead_totals`, which the triggers of migration 0003 keep per
/// company, stage and assignee: counts and sums without reading the leads. Only
/// filters on those three columns can use it; `None` for any other filter.
pub(crate) struct Totals(Scope);

impl Totals {
    fn needs_leads(f: &LeadFilter) -> bool {
        f.q.as_deref().is_some_and(|q| !q.trim().is_empty())
            || f.source_id.is_some()
            || f.campaign_id.is_some()
            || f.cycle_id.is_some()
    }

    pub fn new(company_id: i64, me: &Membership, f: &LeadFilter) -> Option<Totals> {
        if Self::needs_leads(f) {
            return None;
        }
        let mut t = Scope {
            sql: String::new(),
            binds: Vec::new(),
        };
        t.and("company_id = $", Bind::Int(company_id));
        if me.role == Role::SalesRep {
            t.and("assignee = $", Bind::Int(me.user_access_id));
        }
        if let Some(id) = f.assigned_user_access_id {
            t.and("assignee = $", Bind::Int(id));
        }
        if let Some(id) = f.stage_id {
            t.and("stage_id = $", Bind::Int(id));
        }
        Some(Totals(t))
    }
}

/// The WHERE clause of what the caller may see through a filter, with its binds
/// numbered from `$1`. A sales rep's scope is always their own leads.
pub(crate) struct Scope {
    pub sql: String,
    pub binds: Vec<Bind>,
}

pub(crate) enum Bind {
    Int(i64),
    Text(String),
}

impl Scope {
    pub fn new(company_id: i64, me: &Membership, f: &LeadFilter) -> Scope {
        let mut scope = Scope {
            sql: String::new(),
            binds: Vec::new(),
        };
        scope.and("l.company_id = $", Bind::Int(company_id));
        if me.role == Role::SalesRep {
            scope.and(
                "l.assigned_user_access_id = $",
                Bind::Int(me.user_access_id),
            );
        }
        let ids = [
            ("l.stage_id = $", f.stage_id),
            ("l.source_id = $", f.source_id),
            ("l.campaign_id = $", f.campaign_id),
            ("l.cycle_id = $", f.cycle_id),
            ("l.assigned_user_access_id = $", f.assigned_user_access_id),
        ];
        for (cond, id) in ids {
            if let Some(id) = id {
                scope.and(cond, Bind::Int(id));
            }
        }
        for word in
            f.q.as_deref()
                .unwrap_or_default()
                .split_whitespace()
                .take(8)
        {
            let word = word
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            scope.and("l.search_text LIKE $", Bind::Text(format!("%{word}%")));
            scope.sql.push_str(" ESCAPE '\\'");
        }
        scope
    }

    /// Appends `AND <cond><n>` where `cond` ends with `$`.
    fn and(&mut self, cond: &str, bind: Bind) {
        if !self.sql.is_empty() {
            self.sql.push_str(" AND ");
        }
        self.binds.push(bind);
        self.sql.push_str(cond);
        self.sql.push_str(&self.binds.len().to_string());
    }

    pub fn bind_all<'q, Q: Bindable<'q>>(&'q self, mut q: Q) -> Q {
        for b in &self.binds {
            q = match b {
                Bind::Int(i) => q.bind_i64(*i),
                Bind::Text(t) => q.bind_str(t),
            };
        }
        q
    }
}

/// The three sqlx query kinds, so one scope binds into any of them.
pub(crate) trait Bindable<'q> {
    fn bind_i64(self, v: i64) -> Self;
    fn bind_str(self, v: &'q str) -> Self;
}

macro_rules! bindable {
    ($ty:ty, $($g:tt)*) => {
        impl<'q, $($g)*> Bindable<'q> for $ty {
            fn bind_i64(self, v: i64) -> Self {
                self.bind(v)
            }
            fn bind_str(self, v: &'q str) -> Self {
                self.bind(v)
            }
        }
    };
}

type Args<'q> = sqlx::any::AnyArguments<'q>;
bindable!(sqlx::query::QueryAs<'q, sqlx::Any, O, Args<'q>>, O);
bindable!(sqlx::query::QueryScalar<'q, sqlx::Any, O, Args<'q>>, O);
