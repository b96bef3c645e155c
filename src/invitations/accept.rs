use super::row::{self, select, InvitationRow};
use super::{Invitation, InvitationPreview};
use crate::accesses::UserAccess;
use crate::events::{self, By, Kind, NewEvent};
use crate::users::{Email, User};
use crate::{db, time::Timestamp, users, Actor, Ctx, Error, Result};

/// What the link's page shows, without logging in. A code that names nothing is
/// "not found"; a used, revoked or expired one is shown with its state.
pub async fn by_code(ctx: &Ctx, code: &str) -> Result<InvitationPreview> {
    Ok(InvitationPreview::of(code, row::by_code(ctx, code).await?))
}

/// The caller, once they proved they own their address: an invitation is for
/// whoever reads the invited mailbox, not for whoever typed its name at sign-up.
async fn verified_me(ctx: &Ctx, actor: &Actor) -> Result<User> {
    let me = users::get(ctx, actor, actor.user_id()?).await?;
    if !me.email_verified {
        return Err(Error::denied(
            "EMAIL_NOT_VERIFIED",
            "verify your email address first: open the link we mailed to it",
        ));
    }
    Ok(me)
}

/// The pending invitations of the caller's own, verified email (another email is
/// refused).
pub async fn pending_for_email(ctx: &Ctx, actor: &Actor, email: &str) -> Result<Vec<Invitation>> {
    let email = Email::parse(email).map_err(|m| Error::field("email", &m))?;
    let me = verified_me(ctx, actor).await?;
    if email.as_str() != me.email {
        return Err(Error::Forbidden(
            "you can only list the invitations of your own email".into(),
        ));
    }
    pending_to(ctx, &me.email).await
}

/// The pending invitations of the signed-in user's email, for the onboarding
/// wizard: none until the address is verified.
pub async fn pending_for_me(ctx: &Ctx, actor: &Actor) -> Result<Vec<Invitation>> {
    let me = users::get(ctx, actor, actor.user_id()?).await?;
    if !me.email_verified {
        return Ok(Vec::new());
    }
    pending_to(ctx, &me.email).await
}

async fn pending_to(ctx: &Ctx, email: &str) -> Result<Vec<Invitation>> {
    let now = Timestamp::now();
    let rows: Vec<InvitationRow> = sqlx::query_as(&format!(
        "{} WHERE i.email = $1 AND i.status = 'pending' AND i.expires_at > $2 ORDER BY i.id DESC",
        select()
    ))
    .bind(email)
    .bind(now.0)
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.into_invitation(now)).collect())
}

/// Joins the company of the invitation with this code, sent to the caller's email.
#[tracing::instrument(name = "invitations::accept", skip_all)]
pub async fn accept(ctx: &Ctx, actor: &Actor, code: &str) -> Result<UserAccess> {
    let me = verified_me(ctx, actor).await?;
    take(ctx, &me, row::by_code(ctx, code).await?).await
}

/// Joins the company of an invitation the wizard offered: one sent to the caller's
/// verified email, which is what its code would have proved.
#[tracing::instrument(name = "invitations::accept_offered", skip(ctx, actor))]
pub async fn accept_offered(ctx: &Ctx, actor: &Actor, invitation_id: i64) -> Result<UserAccess> {
    let me = verified_me(ctx, actor).await?;
    let row: Option<InvitationRow> =
        sqlx::query_as(&format!("{} WHERE i.id = $1 AND i.email = $2", select()))
            .bind(invitation_id)
            .bind(&me.email)
            .fetch_optional(&ctx.db.pool)
            .await?;
    let invitation = row
        .map(|r| r.into_invitation(Timestamp::now()))
        .ok_or_else(|| Error::not_found("invitation"))?;
    take(ctx, &me, invitation).await
}

/// The invitation is consumed by the same statement that checks it, so it works
/// exactly once.
async fn take(ctx: &Ctx, me: &User, invitation: Invitation) -> Result<UserAccess> {
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
    let added = crate::accesses::fetch_on(&mut tx, id).await?;
    let by = By::user(me.id, ctx.door);
    let accepted = Invitation {
        status: "accepted".into(),
        ..invitation
    };
    let events = [
        NewEvent::about(Kind::InvitationAccepted, Some(accepted.id), &accepted),
        NewEvent::about(Kind::MemberAdded, Some(id), &added),
    ];
    events::record_many(&mut tx, company_id, &by, &events).await?;
    tx.commit().await?;
    Ok(added)
}
