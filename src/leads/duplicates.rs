use super::row::{LeadRow, SELECT};
use super::scope::Scope;
use super::{DuplicateGroup, Lead, LeadFilter};
use crate::actor::Member;
use crate::paging::{Meta, Page};
use crate::{Ctx, Result};

/// One normalized email or phone that several leads share.
#[derive(sqlx::FromRow)]
struct Group {
    kind: String,
    value: String,
    n: i64,
}

/// Groups of visible leads sharing a normalized email or phone, largest first. The
/// same few queries whatever the page size: the count, the groups, then their leads
/// by email and by phone. The groups
/// of a whole company come from `lead_duplicate_keys`, which triggers keep current
/// (migration 0015), so the first page costs the same at any size; a sales rep's
/// own leads are grouped as they are read.
#[tracing::instrument(skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn duplicates(ctx: &Ctx, me: &Member, page: Page) -> Result<(Vec<DuplicateGroup>, Meta)> {
    let scope = Scope::new(ctx.db.backend, me, &LeadFilter::default());
    let n = scope.binds.len();
    let (groups, total) = match me.leads_assigned_to() {
        None => {
            let shared = "FROM lead_duplicate_keys WHERE company_id = $1 AND lead_count > 1";
            let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {shared}"))
                .bind(me.company_id())
                .fetch_one(&ctx.db.pool)
                .await?;
            let groups: Vec<Group> = sqlx::query_as(&format!(
                "SELECT kind, value, lead_count AS n {shared} \
                 ORDER BY lead_count DESC, kind, value LIMIT $2 OFFSET $3"
            ))
            .bind(me.company_id())
            .bind(page.per_page)
            .bind(page.offset())
            .fetch_all(&ctx.db.pool)
            .await?;
            (groups, total)
        }
        Some(_) => {
            let groups_sql = format!(
                "SELECT 'email' AS kind, l.email_key AS value, COUNT(*) AS n FROM leads l \
                 WHERE {w} AND l.email_key IS NOT NULL GROUP BY l.email_key HAVING COUNT(*) > 1 \
                 UNION ALL \
                 SELECT 'phone' AS kind, l.phone_key AS value, COUNT(*) AS n FROM leads l \
                 WHERE {w} AND l.phone_key IS NOT NULL GROUP BY l.phone_key HAVING COUNT(*) > 1",
                w = scope.sql
            );
            let total: i64 = scope
                .bind_all(sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM ({groups_sql}) g"
                )))
                .fetch_one(&ctx.db.pool)
                .await?;
            let groups: Vec<Group> = scope
                .bind_all(sqlx::query_as(&format!(
                    "SELECT kind, value, n FROM ({groups_sql}) g ORDER BY n DESC, kind, value LIMIT ${} OFFSET ${}",
                    n + 1,
                    n + 2
                )))
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(&ctx.db.pool)
                .await?;
            (groups, total)
        }
    };
    if groups.is_empty() {
        return Ok((Vec::new(), page.meta(total)));
    }
    let emails: Vec<&str> = groups
        .iter()
        .filter(|g| g.kind == "email")
        .map(|g| g.value.as_str())
        .collect();
    let phones: Vec<&str> = groups
        .iter()
        .filter(|g| g.kind == "phone")
        .map(|g| g.value.as_str())
        .collect();
    // One select per kind of key, each along its own index: asked for an email
    // `OR` a phone at once, SQLite read every lead of the company instead.
    let mut leads: Vec<Lead> = Vec::new();
    for (column, values) in [("l.email_key", &emails), ("l.phone_key", &phones)] {
        if values.is_empty() {
            continue;
        }
        let marks: Vec<String> = (0..values.len())
            .map(|i| format!("${}", n + i + 1))
            .collect();
        let sql = format!(
            "{SELECT} WHERE {} AND {column} IN ({})",
            scope.sql,
            marks.join(", ")
        );
        let mut q = scope.bind_all(sqlx::query_as(&sql));
        for v in values.iter() {
            q = q.bind(*v);
        }
        let rows: Vec<LeadRow> = q.fetch_all(&ctx.db.pool).await?;
        leads.extend(rows.into_iter().map(LeadRow::into_lead));
    }
    leads.sort_by_key(|l| (l.created_at.0, l.id));
    leads.dedup_by_key(|l| l.id);
    let groups = groups
        .into_iter()
        .map(|Group { kind, value, n }| {
            let members = leads
                .iter()
                .filter(|l| {
                    if kind == "email" {
                        l.email.as_deref() == Some(value.as_str())
                    } else {
                        l.phone.as_deref().map(super::phone_key).as_deref() == Some(value.as_str())
                    }
                })
                .cloned()
                .collect();
            DuplicateGroup {
                matched_on: kind,
                value,
                count: n,
                leads: members,
            }
        })
        .collect();
    Ok((groups, page.meta(total)))
}
