//! What a plan allows. A company that has not chosen a plan has the free plan's limits.

use crate::{db::Tx, Error, Result};

/// A seat for one more person: members plus pending (unexpired) invitations must
/// stay below the plan's seat limit. Runs in the caller's transaction, which has
/// locked the company.
pub(crate) async fn check_seat(tx: &mut Tx<'_>, company_id: i64, now: i64) -> Result<()> {
    let (plan, seats): (String, i64) = sqlx::query_as(
        "SELECT COALESCE(m.name, f.name), COALESCE(m.seat_limit, f.seat_limit) FROM companies c \
         LEFT JOIN memberships m ON m.id = c.membership_id JOIN memberships f ON f.key = 'free' WHERE c.id = $1",
    )
    .bind(company_id)
    .fetch_one(&mut **tx)
    .await?;
    let used: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM user_accesses WHERE company_id = $1) + \
         (SELECT COUNT(*) FROM invitations WHERE company_id = $1 AND status = 'pending' AND expires_at > $2)",
    )
    .bind(company_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    if used >= seats {
        return Err(Error::rule(
            "SEAT_LIMIT_REACHED",
            &format!(
                "the {plan} plan has {seats} seats and all are taken by members or pending invitations; \
                 upgrade the plan or revoke an invitation to invite someone else"
            ),
        ));
    }
    Ok(())
}
