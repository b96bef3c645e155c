use super::row::{LeadRow, SELECT};
use super::scope::Scope;
use super::{DuplicateGroup, LeadFilter};
use crate::actor::Member;
use crate::paging::{Meta, Page};
use crate::{Ctx, Result};

/// Groups of visible leads sharing a normalized email or phone, largest first. Two
/// queries whatever the page size: the groups, then all of their leads.
pub async fn duplicates(ctx: &Ctx, me: &Member, page: Page) -> Result<(Vec<DuplicateGroup>, Meta)> {
    let scope = Scope::new(me, &LeadFilter::default());
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
    let n = scope.binds.len();
    let groups: Vec<(String, String, i64)> = scope
        .bind_all(sqlx::query_as(&format!(
            "SELECT kind, value, n FROM ({groups_sql}) g ORDER BY n DESC, kind, value LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        )))
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(&ctx.db.pool)
        .await?;
    if groups.is_empty() {
        return Ok((Vec::new(), page.meta(total)));
    }
    let emails: Vec<&str> = groups
        .iter()
        .filter(|g| g.0 == "email")
        .map(|g| g.1.as_str())
        .collect();
    let phones: Vec<&str> = groups
        .iter()
        .filter(|g| g.0 == "phone")
        .map(|g| g.1.as_str())
        .collect();
    let mut sql = format!("{SELECT} WHERE {} AND (1 = 0", scope.sql);
    let mut next = n;
    for (column, values) in [("l.email_key", &emails), ("l.phone_key", &phones)] {
        if values.is_empty() {
            continue;
        }
        let marks: Vec<String> = (0..values.len())
            .map(|i| format!("${}", next + i + 1))
            .collect();
        next += values.len();
        sql.push_str(&format!(" OR {column} IN ({})", marks.join(", ")));
    }
    sql.push_str(") ORDER BY l.created_at, l.id");
    let mut q = scope.bind_all(sqlx::query_as(&sql));
    for v in emails.iter().chain(phones.iter()) {
        q = q.bind(*v);
    }
    let leads: Vec<LeadRow> = q.fetch_all(&ctx.db.pool).await?;
    let leads: Vec<_> = leads.into_iter().map(LeadRow::into_lead).collect();
    let groups = groups
        .into_iter()
        .map(|(kind, value, count)| {
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
                count,
                leads: members,
            }
        })
        .collect();
    Ok((groups, page.meta(total)))
}
