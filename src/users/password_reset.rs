//! New passwords: by a mailed reset link, or by the signed-in user with their
//! current one. Either ends every session and JWT issued before it.

use super::{row, update, ChangePassword, Email, SignedIn};
use crate::{db::Tx, password, secret, time::Timestamp, Actor, Ctx, Error, Result};

/// Mails a single-use reset link when the account exists. The caller learns nothing
/// about accounts: the answer is the same, and as fast, for known and unknown
/// emails, since the lookup and the mail happen after it (only a malformed address
/// is refused, which says nothing about who is registered).
#[tracing::instrument(name = "users::request_password_reset", skip_all)]
pub async fn request_password_reset(ctx: &Ctx, email: &str) -> Result<()> {
    let email = Email::parse(email).map_err(|m| Error::field("email", &m))?;
    if !ctx
        .budgets
        .reset_mails
        .spend(&ctx.db, email.as_str())
        .await?
    {
        tracing::info!("reset mail not sent: the address had its share this hour");
        return Ok(());
    }
    let ctx = ctx.clone();
    tokio::spawn(async move {
        if let Err(e) = mail_reset_link(&ctx, &email).await {
            tracing::warn!(error = %e, "password reset mail not sent");
        }
    });
    Ok(())
}

/// A new link voids the older ones: only the latest mail works.
async fn mail_reset_link(ctx: &Ctx, email: &Email) -> Result<()> {
    let user: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(&ctx.db.pool)
        .await?;
    let Some(user_id) = user else {
        return Ok(());
    };
    let token = secret::generate("");
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    row::lock(&mut tx, user_id).await?;
    void_reset_links(&mut tx, user_id, now).await?;
    sqlx::query(
        "INSERT INTO password_resets (user_id, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(secret::digest(&token))
    .bind(now + ctx.settings.password_reset_ttl_secs)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let link = format!("{}/password/reset?token={token}", ctx.settings.public_url);
    let minutes = ctx.settings.password_reset_ttl_secs / 60;
    let body = format!(
        "Someone asked to reset the password of your Leadsy account.\n\n\
         Set a new password here (the link works once, for {minutes} minutes):\n{link}\n\n\
         If it was not you, ignore this mail: your password stays as it is.\n"
    );
    ctx.mailer
        .send(email.as_str(), "Reset your Leadsy password", body)
        .await
}

/// Ends every unused reset link of the user: a newer one was sent, the password
/// changed, or the address the links went to is no longer the account's.
pub(crate) async fn void_reset_links(tx: &mut Tx<'_>, user_id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sets a new password from a mailed token. The token is consumed in the same
/// statement that checks it, so two concurrent uses cannot both succeed.
#[tracing::instrument(name = "users::reset_password", skip_all)]
pub async fn reset_password(ctx: &Ctx, token: &str, new_password: String) -> Result<SignedIn> {
    password::validate(&new_password).map_err(|m| Error::field("password", &m))?;
    let now = Timestamp::now().0;
    let hash = password::hash(new_password).await?;
    let mut tx = ctx.db.begin().await?;
    let user_id: Option<i64> = sqlx::query_scalar(
        "UPDATE password_resets SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
    )
    .bind(now)
    .bind(secret::digest(token.trim()))
    .fetch_optional(&mut *tx)
    .await?;
    let user_id =
        user_id.ok_or_else(|| Error::field("token", "is invalid, expired or already used"))?;
    set_password(&mut tx, user_id, &hash, now).await?;
    tx.commit().await?;
    SignedIn::of(ctx, user_id).await
}

/// Changes the caller's own password, given the current one. Every other session
/// and every JWT issued before it ends; the caller gets a fresh grant.
#[tracing::instrument(name = "users::change_password", skip(ctx, actor, input))]
pub async fn change_password(
    ctx: &Ctx,
    actor: &Actor,
    user_id: i64,
    input: ChangePassword,
) -> Result<SignedIn> {
    update::own_user(ctx, actor, user_id).await?;
    password::validate(&input.password).map_err(|m| Error::field("password", &m))?;
    update::confirm_password(ctx, user_id, Some(input.current_password)).await?;
    let now = Timestamp::now().0;
    let hash = password::hash(input.password).await?;
    let mut tx = ctx.db.begin().await?;
    set_password(&mut tx, user_id, &hash, now).await?;
    tx.commit().await?;
    SignedIn::of(ctx, user_id).await
}

/// Stores the hash and bumps the credentials version, which ends every grant
/// (session, JWT) made before; pending reset links die with them.
async fn set_password(tx: &mut Tx<'_>, user_id: i64, hash: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, credentials_version = credentials_version + 1, \
         updated_at = $2 WHERE id = $3",
    )
    .bind(hash)
    .bind(now)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    void_reset_links(tx, user_id, now).await?;
    sqlx::query(
        "INSERT INTO user_providers (user_id, provider, created_at) VALUES ($1, 'password', $2) \
         ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
