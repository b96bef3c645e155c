use super::references::References;
use super::write::{self, Draft};
use super::{CreateLead, Lead, LeadFields, UpdateLead};
use crate::actor::Member;
use crate::error::{Check, Error};
use crate::{questions, Ctx, Result};

/// Applies a partial update (moving a card is `{stage_id}`) to a lead the caller
/// may see, under the row's lock: what the patch leaves out is whatever the lead
/// holds at the time of writing, so two updates of different fields both stay.
/// With `expected_version` (an `If-Match`), a lead changed since is refused.
#[tracing::instrument(name = "leads::update", skip(ctx, me, patch), fields(company_id = me.company_id()))]
pub async fn update(
    ctx: &Ctx,
    me: &Member,
    lead_id: i64,
    patch: UpdateLead,
    expected_version: Option<i64>,
) -> Result<Lead> {
    let company_id = me.company_id();
    // Checked before the lock, so that slow reads hold no one up: what the patch
    // sets does not depend on the lead.
    let mut check = Check::default();
    let new_answers = match &patch.answers {
        Some(new) => Some(questions::check_answers(
            &questions::all(ctx, company_id).await?,
            new,
            &mut check,
        )),
        None => None,
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
    if !me.manages() && patch.assigned_user_access_id == Some(None) {
        check.add(
            "assigned_user_access_id",
            "a sales rep cannot unassign a lead",
        );
    }
    let mut tx = ctx.db.begin().await?;
    let lead = write::lock(&mut tx, company_id, lead_id).await?;
    if !me.sees_lead(lead.assigned_user_access_id) {
        return Err(Error::not_found("lead"));
    }
    write::expect_version(&lead, expected_version)?;
    let merged = CreateLead {
        first_name: patch.first_name.unwrap_or_else(|| lead.first_name.clone()),
        last_name: patch.last_name.unwrap_or_else(|| lead.last_name.clone()),
        company_name: patch
            .company_name
            .unwrap_or_else(|| lead.company_name.clone()),
        email: patch.email.unwrap_or_else(|| lead.email.clone()),
        phone: patch.phone.unwrap_or_else(|| lead.phone.clone()),
        postal_code: patch
            .postal_code
            .unwrap_or_else(|| lead.postal_code.clone()),
        stage_id: Some(patch.stage_id.unwrap_or(lead.stage_id)),
        source_id: patch.source_id.unwrap_or(lead.source_id),
        campaign_id: patch.campaign_id.unwrap_or(lead.campaign_id),
        assigned_user_access_id: patch
            .assigned_user_access_id
            .unwrap_or(lead.assigned_user_access_id),
        value_cents: patch.value_cents.unwrap_or(lead.value_cents),
        answers: None,
    };
    // The merged lead is checked as a whole, as on create.
    let fields = LeadFields::parse(&mut check, &merged);
    check.finish()?;
    let draft = Draft {
        fields: fields.expect("checked above"),
        stage_id: merged.stage_id.unwrap_or(lead.stage_id),
        source_id: merged.source_id,
        campaign_id: merged.campaign_id,
        assigned_user_access_id: merged.assigned_user_access_id,
        // New answers replace the old ones; untouched ones stay as they are, even
        // for a question deleted since.
        answers: new_answers.unwrap_or_else(|| lead.answers.clone()),
    };
    let after = write::apply(&mut tx, &me.by(ctx), &lead, &draft).await?;
    tx.commit().await?;
    Ok(after)
}
