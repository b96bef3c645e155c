use super::{parse_name, password_reset, row, verification, Email, UpdateUser, User};
use crate::{db, error::Check, password, time::Timestamp, zone::Zone, Actor, Ctx, Error, Result};

/// Only the user may change their own profile; seeing someone is not owning them.
pub(crate) async fn own_user(ctx: &Ctx, actor: &Actor, user_id: i64) -> Result<User> {
    let me = actor.user_id()?;
    let user = super::visible_user(ctx, actor, user_id).await?;
    if me != user_id {
        return Err(Error::Forbidden(
            "you can only change your own account".into(),
        ));
    }
    Ok(user)
}

/// Checks the caller's password before a change that could hand the account to
/// someone else (a new email, a new password).
pub(crate) async fn confirm_password(ctx: &Ctx, user_id: i64, given: Option<String>) -> Result<()> {
    let Some(given) = given.filter(|p| !p.is_empty()) else {
        return Err(Error::field("current_password", "is required"));
    };
    let stored: Option<String> =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&ctx.db.pool)
            .await?;
    if !password::verify(given, stored).await? {
        return Err(Error::field("current_password", "is incorrect"));
    }
    Ok(())
}

/// Changes one's names and email. A new email needs the current password, starts
/// unverified and gets a verification link; the old address is told, so a
/// takeover does not go unnoticed.
#[tracing::instrument(name = "users::update", skip(ctx, actor, input))]
pub async fn update(ctx: &Ctx, actor: &Actor, user_id: i64, input: UpdateUser) -> Result<User> {
    let current = own_user(ctx, actor, user_id).await?;
    let mut check = Check::default();
    let email = input
        .email
        .as_deref()
        .and_then(|e| check.take("email", Email::parse(e)))
        .filter(|e| e.as_str() != current.email);
    let first = input
        .first_name
        .as_deref()
        .and_then(|n| check.take("first_name", parse_name(n, true)));
    let last = input
        .last_name
        .as_deref()
        .and_then(|n| check.take("last_name", parse_name(n, true)));
    let zone = input
        .time_zone
        .as_deref()
        .and_then(|z| check.take("time_zone", Zone::parse(z)));
    check.finish()?;
    if email.is_some() {
        confirm_password(ctx, user_id, input.current_password).await?;
    }
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    sqlx::query(
        "UPDATE users SET email = $1, first_name = $2, last_name = $3, updated_at = $4, \
         email_verified_at = CASE WHEN email = $1 THEN email_verified_at ELSE NULL END, time_zone = $6 \
         WHERE id = $5",
    )
    .bind(
        email
            .as_ref()
            .map_or(current.email.clone(), |e| e.as_str().to_string()),
    )
    .bind(first.unwrap_or(current.first_name))
    .bind(last.unwrap_or(current.last_name))
    .bind(now)
    .bind(user_id)
    .bind(zone.unwrap_or(current.time_zone).as_str())
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        db::conflict_or(
            e,
            "users",
            "email",
            Error::conflict("EMAIL_ALREADY_REGISTERED", "this email is already registered"),
        )
    })?;
    if email.is_some() {
        password_reset::void_reset_links(&mut tx, user_id, now).await?;
    }
    tx.commit().await?;
    if let Some(new) = email {
        verification::send_link(ctx, user_id, new.as_str()).await?;
        ctx.mailer.send_later(
            &current.email,
            "Your Leadsy email address was changed",
            format!(
                "The email address of your Leadsy account was changed to {}.\n\n\
                 If it was not you, tell your company's admin at once: whoever changed it \
                 knows your password.\n",
                new.as_str()
            ),
        );
    }
    row::fetch(ctx, user_id).await
}
