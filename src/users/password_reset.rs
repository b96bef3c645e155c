use super::{row, Email, User};
use crate::{password, secret, time::Timestamp, Ctx, Error, Result};

/// Mails a single-use reset link when the account exists. The caller learns nothing
/// about accounts: the answer is the same for known and unknown emails (only a
/// malformed address is refused, which says nothing about who is registered).
pub async fn request_password_reset(ctx: &Ctx, email: &str) -> Result<()> {
    let email = Email::parse(email).map_err(|m| Error::field("email", &m))?;
    let user: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(&ctx.db.pool)
        .await?;
    let Some(user_id) = user else {
        return Ok(());
    };
    let token = secret::generate("");
    let now = Timestamp::now().0;
    sqlx::query(
        "INSERT INTO password_resets (user_id, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(secret::digest(&token))
    .bind(now + ctx.settings.password_reset_ttl_secs)
    .bind(now)
    .execute(&ctx.db.pool)
    .await?;
    let link = format!("{}/password/reset?token={token}", ctx.settings.public_url);
    tracing::info!(%link, user_id, "password reset link");
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

/// Sets a new password from a mailed token. The token is consumed in the same
/// statement that checks it, so two concurrent uses cannot both succeed.
pub async fn reset_password(ctx: &Ctx, token: &str, new_password: String) -> Result<User> {
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
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO user_providers (user_id, provider, created_at) VALUES ($1, 'password', $2) \
         ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    row::fetch(ctx, user_id).await
}
