use super::{parse_name, Company, CreateCompany};
use crate::actor::Member;
use crate::events::{self, By, Kind, NewEvent};
use crate::{db, db::Tx, time::Timestamp, Actor, Ctx, Error, Result};

/// Creates a company with the caller as its admin, in one transaction.
#[tracing::instrument(name = "companies::create", skip_all)]
pub async fn create(ctx: &Ctx, actor: &Actor, input: CreateCompany) -> Result<Company> {
    let user_id = actor.user_id()?;
    let (name, key) = parse_name(&input.name).map_err(|m| Error::field("name", &m))?;
    let mut tx = ctx.db.begin().await?;
    let taken = Error::conflict(
        "COMPANY_NAME_ALREADY_REGISTERED",
        "a company with this name already exists",
    );
    let by = By::user(user_id, ctx.door);
    let company_id =
        insert_with_admin(ctx, &mut tx, &by, user_id, (&name, &key), None, taken).await?;
    tx.commit().await?;
    super::get(ctx, &Member::check(&ctx.db, actor, company_id).await?).await
}

/// Inserts the company and its first admin inside the caller's transaction; shared
/// with the one-call onboarding, which names the conflicts its own way. Its first
/// event, `company.created`, opens the company's audit log.
pub async fn insert_with_admin(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    by: &By,
    user_id: i64,
    (name, key): (&str, &str),
    extra: Option<(&str, &str)>,
    name_taken: Error,
) -> Result<i64> {
    let now = Timestamp::now().0;
    let (salt, domain) = extra.unzip();
    let company_id: i64 = sqlx::query_scalar(
        "INSERT INTO companies (name, name_key, customer_salt, email_domain, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(name)
    .bind(key)
    .bind(salt)
    .bind(domain)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| {
        if db::is_unique_violation(&e, "companies", "email_domain") {
            Error::conflict(
                "COMPANY_DOMAIN_ALREADY_REGISTERED",
                "a company was already onboarded from this email domain",
            )
        } else {
            db::conflict_or(e, "companies", "name_key", name_taken)
        }
    })?;
    sqlx::query(
        "INSERT INTO user_accesses (user_id, company_id, access_id, created_at) \
         SELECT $1, $2, id, $3 FROM accesses WHERE key = 'admin'",
    )
    .bind(user_id)
    .bind(company_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let company = super::get_on(tx, ctx, company_id).await?;
    let event = NewEvent::about(Kind::CompanyCreated, Some(company_id), &company);
    events::record(tx, company_id, by, event).await?;
    Ok(company_id)
}
