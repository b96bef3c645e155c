use super::row::{select, InvitationRow};
use super::{CreateInvitation, Invitation, TTL_SECS};
use crate::actor::{Member, Role};
use crate::events::{self, Kind, NewEvent};
use crate::paging::{Meta, Page};
use crate::users::Email;
use crate::{memberships, secret, time::Timestamp, Ctx, Error, Result};

/// Invites an email with an access (admins) and mails the link. Pending invitations
/// take seats: members plus pending invitations stay within the plan's seat limit.
pub async fn create(ctx: &Ctx, me: &Member, input: CreateInvitation) -> Result<Invitation> {
    let company_id = me.company_id();
    me.require(Role::Admin)?;
    let email = Email::parse(&input.email).map_err(|m| Error::field("email", &m))?;
    let access: Option<String> = sqlx::query_scalar("SELECT name FROM accesses WHERE id = $1")
        .bind(input.access_id)
        .fetch_optional(&ctx.db.pool)
        .await?;
    let access = access.ok_or_else(|| Error::field("access_id", "is not an access"))?;
    let now = Timestamp::now().0;
    let code = secret::generate("");
    let mut tx = ctx.db.begin().await?;
    memberships::lock_company(&mut tx, company_id).await?;
    let member: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM user_accesses ua JOIN users u ON u.id = ua.user_id \
         WHERE ua.company_id = $1 AND u.email = $2",
    )
    .bind(company_id)
    .bind(email.as_str())
    .fetch_one(&mut *tx)
    .await?;
    if member > 0 {
        return Err(Error::conflict(
            "ALREADY_A_MEMBER",
            "this person is already a member of the company",
        ));
    }
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invitations WHERE company_id = $1 AND email = $2 AND status = 'pending' AND expires_at > $3",
    )
    .bind(company_id)
    .bind(email.as_str())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    if pending > 0 {
        return Err(Error::conflict(
            "INVITATION_ALREADY_PENDING",
            "this email already has a pending invitation; revoke it to send a new one",
        ));
    }
    memberships::check_seat(&mut tx, company_id, now).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO invitations (company_id, email, access_id, code, status, invited_by_user_id, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7) RETURNING id",
    )
    .bind(company_id)
    .bind(email.as_str())
    .bind(input.access_id)
    .bind(secret::digest(&code))
    .bind(me.user_id())
    .bind(now + TTL_SECS)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let invitation = fetch_on(&mut tx, company_id, id).await?;
    let event = NewEvent::about(Kind::InvitationCreated, Some(id), &invitation);
    events::record(&mut tx, company_id, &me.by(ctx), event).await?;
    tx.commit().await?;
    let link = format!("{}/invitations/{code}", ctx.settings.public_url);
    let body = format!(
        "You are invited to join {} on Leadsy as {access}.\n\n\
         Accept here (sign up or log in with this email address; the link works once, for 7 days):\n{link}\n",
        invitation.company_name
    );
    ctx.mailer
        .send(
            email.as_str(),
            &format!("Join {} on Leadsy", invitation.company_name),
            body,
        )
        .await?;
    Ok(invitation)
}

/// The company's pending invitations, newest first (admins); expired ones say so.
pub async fn list(ctx: &Ctx, me: &Member, page: Page) -> Result<(Vec<Invitation>, Meta)> {
    let company_id = me.company_id();
    me.require(Role::Admin)?;
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invitations WHERE company_id = $1 AND status = 'pending'",
    )
    .bind(company_id)
    .fetch_one(&ctx.db.pool)
    .await?;
    let rows: Vec<InvitationRow> = sqlx::query_as(&format!(
        "{} WHERE i.company_id = $1 AND i.status = 'pending' ORDER BY i.id DESC LIMIT $2 OFFSET $3",
        select()
    ))
    .bind(company_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(&ctx.db.pool)
    .await?;
    let now = Timestamp::now();
    Ok((
        rows.into_iter().map(|r| r.into_invitation(now)).collect(),
        page.meta(total),
    ))
}

/// Revokes a pending invitation (admins); its link stops working at once.
pub async fn revoke(ctx: &Ctx, me: &Member, invitation_id: i64) -> Result<()> {
    let company_id = me.company_id();
    me.require(Role::Admin)?;
    let invitation = fetch(ctx, company_id, invitation_id).await?;
    if invitation.status != "pending" {
        return Err(Error::rule(
            "INVITATION_NOT_PENDING",
            &format!("this invitation was already {}", invitation.status),
        ));
    }
    let mut tx = ctx.db.begin().await?;
    let revoked = sqlx::query("UPDATE invitations SET status = 'revoked', revoked_at = $1 WHERE id = $2 AND status = 'pending'")
        .bind(Timestamp::now().0)
        .bind(invitation.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if revoked == 1 {
        let invitation = fetch_on(&mut tx, company_id, invitation.id).await?;
        let event = NewEvent::about(Kind::InvitationRevoked, Some(invitation.id), &invitation);
        events::record(&mut tx, company_id, &me.by(ctx), event).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn fetch(ctx: &Ctx, company_id: i64, id: i64) -> Result<Invitation> {
    fetch_on(&mut *ctx.db.pool.acquire().await?, company_id, id).await
}

/// The invitation as `conn` (a transaction's, for an event) sees it.
async fn fetch_on(conn: &mut sqlx::AnyConnection, company_id: i64, id: i64) -> Result<Invitation> {
    let row: Option<InvitationRow> = sqlx::query_as(&format!(
        "{} WHERE i.id = $1 AND i.company_id = $2",
        select()
    ))
    .bind(id)
    .bind(company_id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| r.into_invitation(Timestamp::now()))
        .ok_or_else(|| Error::not_found("invitation"))
}
