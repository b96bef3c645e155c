use super::row::{LeadRow, SELECT};
use super::{Lead, LeadDetail};
use crate::actor::{require_member, Member};
use crate::{notes, Actor, Ctx, Error, Result};

/// A lead with its notes.
pub async fn get(ctx: &Ctx, actor: &Actor, company_id: i64, lead_id: i64) -> Result<LeadDetail> {
    let (_, lead) = visible(ctx, actor, company_id, lead_id).await?;
    let notes = notes::for_lead(ctx, lead.id).await?;
    Ok(LeadDetail { lead, notes })
}

/// The lead, if the caller may see it: any member sees the company's leads, but a
/// sales rep only the ones assigned to them. Anything else is "not found".
pub async fn visible(
    ctx: &Ctx,
    actor: &Actor,
    company_id: i64,
    lead_id: i64,
) -> Result<(Member, Lead)> {
    let me = require_member(&ctx.db, actor, company_id).await?;
    let lead = fetch(ctx, company_id, lead_id).await?;
    if !me.sees_lead(lead.assigned_user_access_id) {
        return Err(Error::not_found("lead"));
    }
    Ok((me, lead))
}

pub(crate) async fn fetch(ctx: &Ctx, company_id: i64, lead_id: i64) -> Result<Lead> {
    let row: Option<LeadRow> =
        sqlx::query_as(&format!("{SELECT} WHERE l.id = $1 AND l.company_id = $2"))
            .bind(lead_id)
            .bind(company_id)
            .fetch_optional(&ctx.db.pool)
            .await?;
    row.map(LeadRow::into_lead)
        .ok_or_else(|| Error::not_found("lead"))
}
