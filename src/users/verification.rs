//! Proving one owns an email address: a mailed single-use link, stored as a digest,
//! that expires and names the address it proves, so a link sent before an email
//! change verifies nothing after it.

use super::{row, update::own_user, User};
use crate::{secret, time::Timestamp, Actor, Ctx, Error, Result};

/// How long a verification link works.
const TTL_SECS: i64 = 2 * 24 * 3600;

/// Mails a new link to `email` for `user_id`; earlier unused links stop working.
pub(crate) async fn send_link(ctx: &Ctx, user_id: i64, email: &str) -> Result<()> {
    let token = secret::generate("");
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    sqlx::query(
        "UPDATE email_verifications SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO email_verifications (user_id, email, token_hash, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(email)
    .bind(secret::digest(&token))
    .bind(now + TTL_SECS)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let link = format!("{}/verify-email?token={token}", ctx.settings.public_url);
    let body = format!(
        "Please confirm that this is your email address for Leadsy.\n\n\
         Open this link (it works once, for 48 hours):\n{link}\n\n\
         If you did not sign up for Leadsy, ignore this mail.\n"
    );
    ctx.mailer
        .send_later(email, "Confirm your email address for Leadsy", body);
    Ok(())
}

/// Marks the address verified with a mailed token (the API: whoever holds the
/// token read the mailbox). The token is consumed by the statement that checks it,
/// so it works once; it verifies only the address it was sent to, and only while
/// that is still the user's address.
#[tracing::instrument(name = "users::verify_email", skip_all)]
pub async fn verify_email(ctx: &Ctx, token: &str) -> Result<User> {
    consume(ctx, token, None).await
}

/// The same from the mailed link's page, for the signed-in owner of the account
/// only. Someone who signed up with another person's address gets the link sent
/// to that person; were a click on it enough, the owner of the mailbox, meaning
/// no harm, would verify the squatter's account for them.
#[tracing::instrument(name = "users::verify_own_email", skip_all)]
pub async fn verify_own_email(ctx: &Ctx, actor: &Actor, token: &str) -> Result<User> {
    consume(ctx, token, Some(actor.user_id()?)).await
}

async fn consume(ctx: &Ctx, token: &str, only_for: Option<i64>) -> Result<User> {
    let invalid = || {
        Error::rule(
            "INVALID_TOKEN",
            "this verification link is invalid, expired or already used",
        )
    };
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    let used: Option<(i64, String)> = sqlx::query_as(
        "UPDATE email_verifications SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id, email",
    )
    .bind(now)
    .bind(secret::digest(token.trim()))
    .fetch_optional(&mut *tx)
    .await?;
    let (user_id, email) = used.ok_or_else(invalid)?;
    if only_for.is_some_and(|me| me != user_id) {
        return Err(Error::rule(
            "INVALID_TOKEN",
            "this link belongs to another Leadsy account; log in with the account it was sent for",
        ));
    }
    let verified = sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1), updated_at = $1 \
         WHERE id = $2 AND email = $3",
    )
    .bind(now)
    .bind(user_id)
    .bind(&email)
    .execute(&mut *tx)
    .await?;
    if verified.rows_affected() == 0 {
        return Err(invalid());
    }
    tx.commit().await?;
    row::fetch(ctx, user_id).await
}

/// Mails a fresh link to the caller's own unverified address.
#[tracing::instrument(name = "users::resend_verification", skip(ctx, actor))]
pub async fn resend_verification(ctx: &Ctx, actor: &Actor, user_id: i64) -> Result<()> {
    let me = own_user(ctx, actor, user_id).await?;
    if me.email_verified {
        return Err(Error::rule(
            "EMAIL_ALREADY_VERIFIED",
            "this email address is already verified",
        ));
    }
    send_link(ctx, me.id, &me.email).await
}

/// Marks an address verified without a link, when the operator vouches for it
/// (demo data). The one-call onboarding's users are verified as it creates them.
pub async fn vouch_email(ctx: &Ctx, actor: &Actor, user_id: i64) -> Result<()> {
    actor.require_operator()?;
    sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2",
    )
    .bind(Timestamp::now().0)
    .bind(user_id)
    .execute(&ctx.db.pool)
    .await?;
    Ok(())
}
