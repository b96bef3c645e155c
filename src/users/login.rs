use super::{Email, Login, SignedIn};
use crate::{password, Ctx, Error, Result};

/// Checks email and password. A wrong password and an unknown email get the same
/// answer after the same amount of work, so accounts cannot be discovered this way.
#[tracing::instrument(name = "users::login", skip_all)]
pub async fn login(ctx: &Ctx, input: Login) -> Result<SignedIn> {
    let refused = || Error::Unauthorized("the email or password is incorrect".into());
    let email = Email::parse(&input.email).ok();
    let found: Option<(i64, Option<String>)> = match &email {
        Some(e) => {
            sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
                .bind(e.as_str())
                .fetch_optional(&ctx.db.pool)
                .await?
        }
        None => None,
    };
    let (id, hash) = match found {
        Some((id, hash)) => (Some(id), hash),
        None => (None, None),
    };
    let ok = password::verify(input.password, hash).await?;
    match (ok, id) {
        (true, Some(id)) => SignedIn::of(ctx, id).await,
        _ => Err(refused()),
    }
}
