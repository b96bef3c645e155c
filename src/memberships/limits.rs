//! What a plan allows. A company without a plan, or whose cancelled plan has run
//! to the end of its period, has the free plan's limits.

use super::{Membership, PlanUsage};
use crate::actor::Member;
use crate::db::{sql, Conn};
use crate::{time::Timestamp, Ctx, Error, Result};

/// What the company's plan allows and how much of it is taken (any member).
pub async fn usage(ctx: &Ctx, me: &Member) -> Result<PlanUsage> {
    let company_id = me.company_id();
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    let (plan_name, seat_limit, lead_limit) = in_force(&mut tx, company_id, now).await?;
    let seats_used = seats_used(&mut tx, company_id, now).await?;
    let leads = leads_held(&mut tx, company_id).await?;
    tx.commit().await?;
    Ok(PlanUsage {
        plan_name,
        seat_limit,
        seats_used,
        lead_limit,
        leads,
    })
}

/// The plan in force: its name, seat limit and lead limit.
async fn in_force(db: &mut impl Conn, company_id: i64, now: i64) -> Result<(String, i64, i64)> {
    db.fetch_one(
        sql(
            "SELECT COALESCE(m.name, f.name), COALESCE(m.seat_limit, f.seat_limit), \
         COALESCE(m.lead_limit, f.lead_limit) FROM companies c \
         LEFT JOIN memberships m ON m.id = c.membership_id \
           AND (c.membership_cancelled_at IS NULL OR c.membership_period_ends_at > $2) \
         JOIN memberships f ON f.key = 'free' WHERE c.id = $1",
        )
        .bind(company_id)
        .bind(now),
    )
    .await
}

/// Takes the company's row lock inside `tx`, so that two writers cannot both take
/// the last seat or the last lead of a plan.
pub(crate) async fn lock_company(db: &mut impl Conn, company_id: i64) -> Result<()> {
    db.execute(sql("UPDATE companies SET updated_at = updated_at WHERE id = $1").bind(company_id))
        .await?;
    Ok(())
}

/// Seats taken: members plus pending, unexpired invitations.
async fn seats_used(db: &mut impl Conn, company_id: i64, now: i64) -> Result<i64> {
    db.scalar(
        sql("SELECT (SELECT COUNT(*) FROM user_accesses WHERE company_id = $1) + \
             (SELECT COUNT(*) FROM invitations WHERE company_id = $1 AND status = 'pending' AND expires_at > $2)")
        .bind(company_id)
        .bind(now),
    )
    .await
}

async fn leads_held(db: &mut impl Conn, company_id: i64) -> Result<i64> {
    db.scalar(
        sql("SELECT CAST(COALESCE(SUM(lead_count), 0) AS BIGINT) FROM lead_totals WHERE company_id = $1")
            .bind(company_id),
    )
    .await
}

/// A smaller plan must still hold the company's team and leads: a downgrade never
/// silently leaves a company over its limits.
pub(crate) async fn check_fits(
    tx: &mut impl Conn,
    company_id: i64,
    plan: &Membership,
    now: i64,
) -> Result<()> {
    let seats = seats_used(tx, company_id, now).await?;
    if seats > plan.seat_limit {
        return Err(Error::rule(
            "PLAN_TOO_SMALL",
            &format!(
                "the {} plan has {} seats but the company uses {seats} (members and pending invitations); \
                 remove members or revoke invitations first",
                plan.name, plan.seat_limit
            ),
        ));
    }
    let leads = leads_held(tx, company_id).await?;
    if leads > plan.lead_limit {
        return Err(Error::rule(
            "PLAN_TOO_SMALL",
            &format!(
                "the {} plan holds up to {} leads but the company has {leads}",
                plan.name, plan.lead_limit
            ),
        ));
    }
    Ok(())
}

/// A seat for one more person: members plus pending (unexpired) invitations must
/// stay below the plan's seat limit. Runs in the caller's transaction, which has
/// locked the company.
pub(crate) async fn check_seat(tx: &mut impl Conn, company_id: i64, now: i64) -> Result<()> {
    let (plan, seats, _) = in_force(tx, company_id, now).await?;
    let used = seats_used(tx, company_id, now).await?;
    if used >= seats {
        return Err(Error::rule(
            "SEAT_LIMIT_REACHED",
            &format!(
                "the {plan} plan has {seats} seats and all are taken by members or pending invitations; \
                 upgrade the plan (Settings → Plan) or revoke an invitation to add someone else"
            ),
        ));
    }
    Ok(())
}

/// How many more leads the plan holds, and the plan's name. Runs in the caller's
/// transaction, which has locked the company.
pub(crate) async fn lead_room(
    db: &mut impl Conn,
    company_id: i64,
    now: i64,
) -> Result<(String, i64)> {
    let (plan, _, limit) = in_force(db, company_id, now).await?;
    let used = leads_held(db, company_id).await?;
    Ok((plan, (limit - used).max(0)))
}

/// Room for `adding` more leads under the plan's lead limit. Runs in the caller's
/// transaction, which has locked the company.
pub(crate) async fn check_leads(
    tx: &mut impl Conn,
    company_id: i64,
    adding: i64,
    now: i64,
) -> Result<()> {
    let (plan, _, limit) = in_force(tx, company_id, now).await?;
    let used = leads_held(tx, company_id).await?;
    if used + adding > limit {
        return Err(Error::rule(
            "LEAD_LIMIT_REACHED",
            &format!(
                "the {plan} plan holds up to {limit} leads and the company has {used}; \
                 upgrade the plan (Settings → Plan) to add more"
            ),
        ));
    }
    Ok(())
}
