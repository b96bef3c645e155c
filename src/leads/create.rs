use super::references::References;
use super::{read, routing, CreateLead, Lead, LeadFields};
use crate::actor::Member;
use crate::error::Check;
use crate::time::{Day, Timestamp};
use crate::{cycles, db::Tx, memberships, questions, Ctx, Result};

/// Creates a lead in the caller's company. Without an assignee it is routed; a
/// sales rep's own lead that nobody else takes stays with them, so they can see it.
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
    let assignee = routed.or(me.leads_assigned_to());
    let new = NewLead {
        company_id,
        fields: &fields,
        stage_id,
        source_id: input.source_id,
        campaign_id: input.campaign_id,
        assigned_user_access_id: assignee,
        answers: &serde_json::Value::Object(answers).to_string(),
        now,
    };
    let id = insert(&mut tx, &new).await?;
    tx.commit().await?;
    read::fetch(ctx, company_id, id).await
}

/// Everything one row of `leads` needs, already checked.
pub(crate) struct NewLead<'a> {
    pub company_id: i64,
    pub fields: &'a LeadFields,
    pub stage_id: i64,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub assigned_user_access_id: Option<i64>,
    pub answers: &'a str,
    pub now: Timestamp,
}

/// Inserts inside the caller's transaction, tagging the lead with the cycle of its
/// creation day when the company runs cycles.
pub(crate) async fn insert(tx: &mut Tx<'_>, new: &NewLead<'_>) -> Result<i64> {
    let cycle_id = cycles::current(tx, new.company_id, &Day::of(new.now)).await?;
    let f = new.fields;
    let id = sqlx::query_scalar(
        "INSERT INTO leads (company_id, first_name, last_name, company_name, email, phone, postal_code, \
         email_key, phone_key, search_text, stage_id, source_id, campaign_id, cycle_id, \
         assigned_user_access_id, value_cents, answers, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id",
    )
    .bind(new.company_id)
    .bind(&f.first_name)
    .bind(&f.last_name)
    .bind(&f.company_name)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(&f.postal_code)
    .bind(f.email_key())
    .bind(f.phone_key())
    .bind(f.search_text())
    .bind(new.stage_id)
    .bind(new.source_id)
    .bind(new.campaign_id)
    .bind(cycle_id)
    .bind(new.assigned_user_access_id)
    .bind(f.value_cents)
    .bind(new.answers)
    .bind(new.now.0)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

async fn first_stage(ctx: &Ctx) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT id FROM stages ORDER BY position LIMIT 1")
            .fetch_one(&ctx.db.pool)
            .await?,
    )
}
