use super::AttachMembership;
use crate::actor::{Member, Role};
use crate::companies::{self, Company};
use crate::events::{self, Kind, NewEvent};
use crate::{time::Timestamp, Ctx, Error, Result};

/// One billing period; a plan renews for another when it is not cancelled.
const PERIOD_SECS: i64 = 30 * 24 * 3600;

/// Subscribes the company to a plan, starting a new period and clearing any
/// cancellation. The plan must hold the company's current team and leads.
pub async fn attach(ctx: &Ctx, me: &Member, input: AttachMembership) -> Result<Company> {
    let company_id = me.company_id();
    me.require(Role::Admin)?;
    let plan = super::get(ctx, input.membership_id)
        .await
        .map_err(|_| Error::field("membership_id", "is not an available plan"))?;
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    super::lock_company(&mut tx, company_id).await?;
    super::check_fits(&mut tx, company_id, &plan, now).await?;
    sqlx::query(
        "UPDATE companies SET membership_id = $1, membership_started_at = $2, \
         membership_period_ends_at = $3, membership_cancelled_at = NULL, updated_at = $2 WHERE id = $4",
    )
    .bind(input.membership_id)
    .bind(now)
    .bind(now + PERIOD_SECS)
    .bind(company_id)
    .execute(&mut *tx)
    .await?;
    let company = recorded(ctx, me, &mut tx, Kind::PlanChanged).await?;
    tx.commit().await?;
    Ok(company)
}

/// The company with its plan as it now is, recorded as `kind`.
async fn recorded(
    ctx: &Ctx,
    me: &Member,
    tx: &mut crate::db::Tx<'_>,
    kind: Kind,
) -> Result<Company> {
    let company = companies::get_on(tx, ctx, me.company_id()).await?;
    let event = NewEvent::about(kind, Some(company.id), &company);
    events::record(tx, me.company_id(), &me.by(ctx), event).await?;
    Ok(company)
}

/// Cancels the subscription: it stays active until the end of the paid period.
pub async fn cancel(ctx: &Ctx, me: &Member) -> Result<Company> {
    let company_id = me.company_id();
    me.require(Role::Admin)?;
    let mut tx = ctx.db.begin().await?;
    let changed = sqlx::query(
        "UPDATE companies SET membership_cancelled_at = $1, updated_at = $1 \
         WHERE id = $2 AND membership_id IS NOT NULL AND membership_cancelled_at IS NULL",
    )
    .bind(Timestamp::now().0)
    .bind(company_id)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(Error::rule(
            "NO_ACTIVE_MEMBERSHIP",
            "the company has no active plan to cancel",
        ));
    }
    let company = recorded(ctx, me, &mut tx, Kind::PlanCancelled).await?;
    tx.commit().await?;
    Ok(company)
}
