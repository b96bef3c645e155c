use super::row::{LeadRow, SELECT};
use super::{Lead, LeadDetail};
use crate::actor::Member;
use crate::{notes, Ctx, Error, Result};

/// A lead with its notes.
pub async fn get(ctx: &Ctx, me: &Member, lead_id: i64) -> Result<LeadDetail> {
    let lead = visible(ctx, me, lead_id).await?;
    let notes = notes::for_lead(ctx, lead.id).await?;
    Ok(LeadDetail { lead, notes })
}

/// The lead, if the caller may see it: any member sees the company's leads, but a
/// sales rep only the ones assigned to them. Anything else is "not found".
pub async fn visible(ctx: &Ctx, me: &Member, lead_id: i64) -> Result<Lead> {
    let company_id = me.company_id();
    let lead = fetch(ctx, company_id, lead_id).await?;
    if !me.sees_lead(lead.assigned_user_access_id) {
        return Err(Error::not_found("lead"));
    }
    Ok(lead)
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
