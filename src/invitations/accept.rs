use super::row::{self, select, InvitationRow};
use super::{Invitation, InvitationPreview};
use crate::accesses::UserAccess;
use crate::users::Email;
use crate::{db, time::Timestamp, users, Actor, Ctx, Error, Result};

/// What the link's page shows, without logging in. A code that names nothing is
/// "not found"; a used, revoked or expired one is shown with its state.
pub async fn by_code(ctx: &Ctx, code: &str) -> Result<InvitationPreview> {
    Ok(row::by_code(ctx, code).await?.into())
}

/// The pending invitations of the caller's own email (another email is refused).
pub async fn pending_for_email(ctx: &Ctx, actor: &Actor, email: &str) -> Result<Vec<Invitation>> {
    let me = users::get(ctx, actor, actor.user_id()?).await?;
    let email = Email::parse(email).map_err(|m| Error::field("email", &m))?;
    if email.as_str() != me.email {
        return Err(Error::Forbidden(
            "you can only list the invitations of your own email".into(),
        ));
    }
    let now = Timestamp::now();
    let rows: Vec<InvitationRow> = sqlx::query_as(&format!(
        "{} WHERE i.email = $1 AND i.status = 'pending' AND i.expires_at > $2 ORDER BY i.id DESC",
        select()
    ))
    .bind(email.as_str())
    .bind(now.0)
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.into_invitation(now)).collect())
}

/// The pending invitations of the signed-in user's email, for the onboarding wizard.
pub async fn pending_for_me(ctx: &Ctx, actor: &Actor) -> Result<Vec<Invitation>> {
    let me = users::get(ctx, actor, actor.user_id()?).await?;
    pending_for_email(ctx, actor, &me.email).await
}

/// Joins the company of an invitation sent to the caller's email. The code is
/// consumed by the same statement that checks it, so it works exactly once.
pub async fn accept(ctx: &Ctx, actor: &Actor, code: &str) -> Result<UserAccess> {
    let me = users::get(ctx, actor, actor.user_id()?).await?;
    let invitation = row::by_code(ctx, code).await?;
    if invitation.email != me.email {
        return Err(Error::Forbidden(format!(
            "this invitation is for {}; log in with that email to accept it",
            invitation.email
        )));
    }
    match (invitation.status.as_str(), invitation.expired) {
        ("accepted", _) => {
            return Err(Error::rule(
                "INVITATION_ALREADY_USED",
                "this invitation was already accepted",
            ))
        }
        ("revoked", _) => {
            return Err(Error::rule(
                "INVITATION_REVOKED",
                "this invitation was revoked by the company",
            ))
        }
        (_, true) => {
            return Err(Error::rule(
                "INVITATION_EXPIRED",
                "this invitation has expired; ask the company for a new one",
            ))
        }
        _ => {}
    }
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    let taken: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE invitations SET status = 'accepted', accepted_at = $1, accepted_by_user_id = $2 \
         WHERE id = $3 AND status = 'pending' AND expires_at > $1 RETURNING company_id, access_id",
    )
    .bind(now)
    .bind(me.id)
    .bind(invitation.id)
    .fetch_optional(&mut *tx)
    .await?;
    let (company_id, access_id) = taken.ok_or_else(|| {
        Error::rule(
            "INVITATION_ALREADY_USED",
            "this invitation was already accepted",
        )
    })?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO user_accesses (user_id, company_id, access_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(me.id)
    .bind(company_id)
    .bind(access_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        db::conflict_or(
            e,
            "user_accesses",
            "user_id",
            Error::conflict("ALREADY_A_MEMBER", "you are already a member of this company"),
        )
    })?;
    tx.commit().await?;
    crate::accesses::fetch(ctx, id).await
}
