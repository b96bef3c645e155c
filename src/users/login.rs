use super::{row, Email, Login, SignedIn};
use crate::{actor::Grant, password, Ctx, Error, Result};

/// Checks email and password. A wrong password and an unknown email get the same
/// answer after the same amount of work, so accounts cannot be discovered this way.
#[tracing::instrument(name = "users::login", skip_all)]
pub async fn login(ctx: &Ctx, input: Login) -> Result<SignedIn> {
    let refused = || Error::Unauthorized("the email or password is incorrect".into());
    let email = Email::parse(&input.email).ok();
    let account = email.as_ref().map(|e| e.as_str().to_string());
    let budget = &ctx.budgets.failed_logins;
    if let Some(key) = &account {
        if !budget.has_left(&ctx.db, key).await? {
            return Err(Error::RateLimited);
        }
    }
    // The version is read with the hash it goes with: a reset that lands while the
    // password is being checked ends this sign-in too.
    let found: Option<(i64, Option<String>, i64)> = match &email {
        Some(e) => {
            sqlx::query_as(
                "SELECT id, password_hash, credentials_version FROM users WHERE email = $1",
            )
            .bind(e.as_str())
            .fetch_optional(&ctx.db.pool)
            .await?
        }
        None => None,
    };
    let (grant, hash) = match found {
        Some((user_id, hash, version)) => (Some(Grant { user_id, version }), hash),
        None => (None, None),
    };
    let ok = password::verify(input.password, hash).await?;
    match (ok, grant) {
        (true, Some(grant)) => {
            if let Some(key) = &account {
                budget.clear(&ctx.db, key).await;
            }
            Ok(SignedIn {
                user: row::fetch(ctx, grant.user_id).await?,
                grant,
            })
        }
        _ => {
            if let Some(key) = &account {
                budget.spend(&ctx.db, key).await?;
            }
            Err(refused())
        }
    }
}
