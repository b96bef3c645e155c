use super::{OnboardInput, Onboarded};
use crate::events::By;
use crate::users::{parse_name, Email};
use crate::{companies, error::Check, time::Timestamp, Actor, Ctx, Error, Result};
use rand::Rng;

/// Free minutes every onboarded workspace starts with.
const FREE_MINUTES: i64 = 20;

/// Creates registration, company, admin user and workspace in one transaction: either
/// all of them exist afterwards or none does.
#[tracing::instrument(name = "global::onboard", skip_all)]
pub async fn onboard(ctx: &Ctx, actor: &Actor, input: OnboardInput) -> Result<Onboarded> {
    let token_id = actor.require_platform()?;
    let mut check = Check::default();
    let email = check.take(
        "email_id",
        Email::parse(input.email_id.as_deref().unwrap_or_default()),
    );
    let first = check.take(
        "first_name",
        parse_name(input.first_name.as_deref().unwrap_or_default(), true),
    );
    let last = check.take(
        "last_name",
        parse_name(input.last_name.as_deref().unwrap_or_default(), true),
    );
    let company = check.take(
        "company_name",
        companies::parse_name(input.company_name.as_deref().unwrap_or_default()),
    );
    check.finish()?;
    let (email, first, last, (company_name, company_key)) = (
        email.unwrap(),
        first.unwrap(),
        last.unwrap(),
        company.unwrap(),
    );

    let domain = email.domain().to_string();
    if ctx
        .settings
        .restricted_domains
        .iter()
        .any(|d| d.eq_ignore_ascii_case(&domain))
    {
        return Err(Error::rule(
            "RESTRICTED_EMAIL_DOMAIN",
            &format!("companies cannot be onboarded from {domain} addresses; use a company email"),
        ));
    }
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    let user_id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, first_name, last_name, profile_completed_at, email_verified_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4, $4, $4) RETURNING id",
    )
    .bind(email.as_str())
    .bind(&first)
    .bind(&last)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        crate::db::conflict_or(
            e,
            "users",
            "email",
            Error::conflict("EMAIL_ALREADY_REGISTERED", "this email is already registered"),
        )
    })?;
    let salt = customer_salt();
    let company_id = companies::insert_with_admin(
        ctx,
        &mut tx,
        &By::platform(token_id),
        user_id,
        (&company_name, &company_key),
        Some((&salt, &domain)),
        Error::conflict(
            "WORKFLOW_NAME_ALREADY_REGISTERED",
            "a company with this name already exists",
        ),
    )
    .await?;
    let registration_id: i64 = sqlx::query_scalar(
        "INSERT INTO registrations (email, user_id, company_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(email.as_str())
    .bind(user_id)
    .bind(company_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let workspace_id: i64 = sqlx::query_scalar(
        "INSERT INTO workspaces (company_id, name, credit_minutes, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(company_id)
    .bind(format!("{company_name} workspace"))
    .bind(FREE_MINUTES)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Onboarded {
        registration_id,
        user_id,
        company_id,
        workspace_id,
        customer_salt: salt,
    })
}

/// Twelve random digits, never starting with 0; uniqueness is the database's to enforce.
fn customer_salt() -> String {
    let mut rng = rand::rngs::OsRng;
    format!(
        "{}",
        rng.gen_range(100_000_000_000u64..1_000_000_000_000u64)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn salts_have_twelve_digits() {
        for _ in 0..100 {
            let s = super::customer_salt();
            assert_eq!(s.len(), 12);
            assert!(s.chars().all(|c| c.is_ascii_digit()));
        }
    }
}
