use super::references::References;
use super::write::{self, Draft};
use super::{routing, CreateLead, Lead, LeadFields};
use crate::actor::Member;
use crate::error::Check;
use crate::time::Timestamp;
use crate::{memberships, questions, Ctx, Result};

/// Creates a lead in the caller's company. Without an assignee it is routed; a
/// sales rep's own lead that nobody else takes stays with them, so they can see it.
#[tracing::instrument(name = "leads::create", skip_all, fields(company_id = me.company_id()))]
pub async fn create(ctx: &Ctx, me: &Member, input: CreateLead) -> Result<Lead> {
    let company_id = me.company_id();
    let mut check = Check::default();
    let fields = LeadFields::parse(&mut check, &input);
    let answers = questions::check_answers(
        &questions::all(ctx, company_id).await?,
        &input.answers.clone().unwrap_or_default(),
        &mut check,
    );
    References {
        stage_id: input.stage_id,
        source_id: input.source_id,
        campaign_id: input.campaign_id,
        assigned_user_access_id: input.assigned_user_access_id,
    }
    .check(&ctx.db, me, &mut check)
    .await?;
    check.finish()?;
    let fields = fields.expect("checked above");
    let stage_id = match input.stage_id {
        Some(id) => id,
        None => first_stage(ctx).await?,
    };
    let now = Timestamp::now();
    let mut tx = ctx.db.begin().await?;
    memberships::lock_company(&mut tx, company_id).await?;
    memberships::check_leads(&mut tx, company_id, 1, now.0).await?;
    let routed = match input.assigned_user_access_id {
        Some(id) => Some(id),
        None => {
            routing::assign(
                &mut tx,
                company_id,
                fields.postal_code.as_deref(),
                input.source_id,
            )
            .await?
        }
    };
    let draft = Draft {
        fields,
        stage_id,
        source_id: input.source_id,
        campaign_id: input.campaign_id,
        assigned_user_access_id: routed.or(me.leads_assigned_to()),
        answers,
    };
    let lead = write::insert(&mut tx, &me.by(ctx), company_id, &draft, now).await?;
    tx.commit().await?;
    Ok(lead)
}

async fn first_stage(ctx: &Ctx) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT id FROM stages ORDER BY position LIMIT 1")
            .fetch_one(&ctx.db.pool)
            .await?,
    )
}
