use super::{parse_name, row, Email, UpdateUser, User};
use crate::{db, error::Check, time::Timestamp, Actor, Ctx, Error, Result};

/// Only the user may change their own profile; seeing someone is not owning them.
pub(crate) async fn own_user(ctx: &Ctx, actor: &Actor, user_id: i64) -> Result<User> {
    let user = super::visible_user(ctx, actor, user_id).await?;
    if actor.user_id()? != user_id {
        return Err(Error::Forbidden(
            "you can only change your own account".into(),
        ));
    }
    Ok(user)
}

pub async fn update(ctx: &Ctx, actor: &Actor, user_id: i64, input: UpdateUser) -> Result<User> {
    let current = own_user(ctx, actor, user_id).await?;
    let mut check = Check::default();
    let email = input
        .email
        .as_deref()
        .and_then(|e| check.take("email", Email::parse(e)));
    let first = input
        .first_name
        .as_deref()
        .and_then(|n| check.take("first_name", parse_name(n, true)));
    let last = input
        .last_name
        .as_deref()
        .and_then(|n| check.take("last_name", parse_name(n, true)));
    check.finish()?;
    sqlx::query("UPDATE users SET email = $1, first_name = $2, last_name = $3, updated_at = $4 WHERE id = $5")
        .bind(email.map(|e| e.as_str().to_string()).unwrap_or(current.email))
        .bind(first.unwrap_or(current.first_name))
        .bind(last.unwrap_or(current.last_name))
        .bind(Timestamp::now().0)
        .bind(user_id)
        .execute(&ctx.db.pool)
        .await
        .map_err(|e| {
            db::conflict_or(
                e,
                "users",
                "email",
                Error::conflict("EMAIL_ALREADY_REGISTERED", "this email is already registered"),
            )
        })?;
    row::fetch(ctx, user_id).await
}
