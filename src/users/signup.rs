use super::{parse_name, verification, Email, SignUp, SignedIn};
use crate::{db, error::Check, password, time::Timestamp, zone::Zone, Ctx, Error, Result};

/// Creates an account with a password and mails the link that verifies its
/// address. Anyone may sign up; the email is unique.
#[tracing::instrument(name = "users::signup", skip_all)]
pub async fn signup(ctx: &Ctx, input: SignUp) -> Result<SignedIn> {
    let mut check = Check::default();
    let email = check.take("email", Email::parse(&input.email));
    check.take("password", password::validate(&input.password));
    let first = check.take("first_name", parse_name(&input.first_name, false));
    let last = check.take("last_name", parse_name(&input.last_name, false));
    let zone = match input.time_zone.as_deref() {
        Some(raw) => check.take("time_zone", Zone::parse(raw)),
        None => Some(Zone::default()),
    };
    check.finish()?;
    let (email, first, last, zone) = (email.unwrap(), first.unwrap(), last.unwrap(), zone.unwrap());

    let taken = || {
        Error::conflict(
            "EMAIL_ALREADY_REGISTERED",
            "this email is already registered",
        )
    };
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(&ctx.db.pool)
        .await?;
    if exists.is_some() {
        return Err(taken());
    }
    let hash = password::hash(input.password).await?;
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, first_name, last_name, time_zone, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(email.as_str())
    .bind(hash)
    .bind(first)
    .bind(last)
    .bind(zone.as_str())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| db::conflict_or(e, "users", "email", taken()))?;
    sqlx::query(
        "INSERT INTO user_providers (user_id, provider, created_at) VALUES ($1, 'password', $2)",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    verification::send_link(ctx, id, email.as_str()).await?;
    SignedIn::of(ctx, id).await
}
