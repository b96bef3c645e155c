use super::references::References;
use super::{read, CreateLead, Lead, LeadFields, UpdateLead};
use crate::actor::Member;
use crate::error::Check;
use crate::time::Timestamp;
use crate::{questions, Ctx, Result};

/// Applies a partial update (moving a card is `{stage_id}`) to a lead the caller
/// may see. The merged lead is checked as a whole, as on create.
pub async fn update(ctx: &Ctx, me: &Member, lead_id: i64, patch: UpdateLead) -> Result<Lead> {
    let company_id = me.company_id();
    let lead = read::visible(ctx, me, lead_id).await?;
    let merged = CreateLead {
        first_name: patch.first_name.unwrap_or(lead.first_name),
        last_name: patch.last_name.unwrap_or(lead.last_name),
        company_name: patch.company_name.unwrap_or(lead.company_name),
        email: patch.email.unwrap_or(lead.email),
        phone: patch.phone.unwrap_or(lead.phone),
        postal_code: patch.postal_code.unwrap_or(lead.postal_code),
        stage_id: Some(patch.stage_id.unwrap_or(lead.stage_id)),
        source_id: patch.source_id.unwrap_or(lead.source_id),
        campaign_id: patch.campaign_id.unwrap_or(lead.campaign_id),
        assigned_user_access_id: patch
            .assigned_user_access_id
            .unwrap_or(lead.assigned_user_access_id),
        value_cents: patch.value_cents.unwrap_or(lead.value_cents),
        answers: None,
    };
    let mut check = Check::default();
    let fields = LeadFields::parse(&mut check, &merged);
    // New answers replace the old ones and are checked; untouched ones stay as
    // they are, even for a question deleted since.
    let answers = match &patch.answers {
        Some(new) => {
            questions::check_answers(&questions::all(ctx, company_id).await?, new, &mut check)
        }
        None => lead.answers,
    };
    // Only what changes is checked, so a rep keeps editing a lead a manager gave them.
    References {
        stage_id: patch.stage_id,
        source_id: patch.source_id.flatten(),
        campaign_id: patch.campaign_id.flatten(),
        assigned_user_access_id: patch.assigned_user_access_id.flatten(),
    }
    .check(&ctx.db, me, &mut check)
    .await?;
    if me.leads_assigned_to().is_some() && patch.assigned_user_access_id == Some(None) {
        check.add(
            "assigned_user_access_id",
            "a sales rep cannot unassign a lead",
        );
    }
    check.finish()?;
    let f = fields.expect("checked above");
    let answers = serde_json::Value::Object(answers).to_string();
    sqlx::query(
        "UPDATE leads SET first_name = $1, last_name = $2, company_name = $3, email = $4, phone = $5, \
         postal_code = $6, email_key = $7, phone_key = $8, search_text = $9, stage_id = $10, source_id = $11, \
         campaign_id = $12, assigned_user_access_id = $13, value_cents = $14, answers = $15, updated_at = $16 \
         WHERE id = $17 AND company_id = $18",
    )
    .bind(&f.first_name)
    .bind(&f.last_name)
    .bind(&f.company_name)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(&f.postal_code)
    .bind(f.email_key())
    .bind(f.phone_key())
    .bind(f.search_text())
    .bind(merged.stage_id)
    .bind(merged.source_id)
    .bind(merged.campaign_id)
    .bind(merged.assigned_user_access_id)
    .bind(f.value_cents)
    .bind(answers)
    .bind(Timestamp::now().0)
    .bind(lead_id)
    .bind(company_id)
    .execute(&ctx.db.pool)
    .await?;
    read::fetch(ctx, company_id, lead_id).await
}
