use super::{CustomerToken, CustomerTokenInput};
use crate::events::{self, By, Kind, NewEvent};
use crate::{secret, time::Timestamp, Actor, Ctx, Error, Result};

/// A key as its company's events show it: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CustomerKey {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// id, company_id, name, expires_at, revoked_at, created_at
#[derive(sqlx::FromRow)]
struct KeyRow {
    id: i64,
    company_id: i64,
    name: String,
    expires_at: Option<i64>,
    revoked_at: Option<i64>,
    created_at: i64,
}

impl KeyRow {
    fn into_key(self) -> CustomerKey {
        CustomerKey {
            id: self.id,
            company_id: self.company_id,
            name: self.name,
            expires_at: self.expires_at.map(Timestamp),
            revoked_at: self.revoked_at.map(Timestamp),
            created_at: Timestamp(self.created_at),
        }
    }
}

/// Issues a new API key acting as the customer's admin. Each call makes a new key.
pub async fn customer_token(
    ctx: &Ctx,
    actor: &Actor,
    input: CustomerTokenInput,
) -> Result<CustomerToken> {
    let token_id = actor.require_platform()?;
    let salt = input.customer_id.unwrap_or_default().trim().to_string();
    if salt.is_empty() {
        return Err(Error::field("customer_id", "is required"));
    }
    let days = input.expiration_days;
    if days.is_some_and(|d| !(1..=3650).contains(&d)) {
        return Err(Error::field(
            "expiration_days",
            "must be between 1 and 3650",
        ));
    }
    let owner: Option<(i64, i64)> = sqlx::query_as(
        "SELECT c.id, ua.user_id FROM companies c JOIN user_accesses ua ON ua.company_id = c.id \
         JOIN accesses a ON a.id = ua.access_id WHERE c.customer_salt = $1 AND a.key = 'admin' \
         ORDER BY ua.id LIMIT 1",
    )
    .bind(&salt)
    .fetch_optional(&ctx.db.pool)
    .await?;
    let (company_id, user_id) = owner.ok_or_else(|| Error::Missing {
        code: "CUSTOMER_ID_NOT_FOUND".into(),
        message: "no customer has this id".into(),
    })?;
    let now = Timestamp::now().0;
    let expires = days.map(|d| now + d * 86_400);
    let name = input
        .name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "API key".into());
    let key = secret::generate("lds_ck_");
    let mut tx = ctx.db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customer_api_keys (company_id, user_id, name, key_hash, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(company_id)
    .bind(user_id)
    .bind(&name)
    .bind(secret::digest(&key))
    .bind(expires)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO user_providers (user_id, provider, created_at) VALUES ($1, 'api_token', $2) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let made = CustomerKey {
        id,
        company_id,
        name: name.clone(),
        expires_at: expires.map(Timestamp),
        revoked_at: None,
        created_at: Timestamp(now),
    };
    let event = NewEvent::about(Kind::ApiKeyCreated, Some(id), &made);
    events::record(&mut tx, company_id, &By::platform(token_id), event).await?;
    tx.commit().await?;
    Ok(CustomerToken {
        customerid: salt,
        customer_api_key: key,
        name,
        expires,
    })
}

/// The keys of a customer, for the operator's command line.
pub async fn list_customer_keys(
    ctx: &Ctx,
    actor: &Actor,
    customer_salt: &str,
) -> Result<Vec<CustomerKey>> {
    actor.require_operator()?;
    let rows: Vec<KeyRow> = sqlx::query_as(
        "SELECT k.id, k.company_id, k.name, k.expires_at, k.revoked_at, k.created_at FROM customer_api_keys k \
         JOIN companies c ON c.id = k.company_id WHERE c.customer_salt = $1 ORDER BY k.id",
    )
    .bind(customer_salt)
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows.into_iter().map(KeyRow::into_key).collect())
}

pub async fn revoke_customer_key(ctx: &Ctx, actor: &Actor, id: i64) -> Result<()> {
    actor.require_operator()?;
    let mut tx = ctx.db.begin().await?;
    let revoked: Option<KeyRow> = sqlx::query_as(
        "UPDATE customer_api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL \
         RETURNING id, company_id, name, expires_at, revoked_at, created_at",
    )
    .bind(Timestamp::now().0)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let key = revoked
        .map(KeyRow::into_key)
        .ok_or_else(|| Error::not_found("active customer API key"))?;
    let event = NewEvent::about(Kind::ApiKeyRevoked, Some(key.id), &key);
    events::record(&mut tx, key.company_id, &By::operator(), event).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct LiveKey {
    id: i64,
    user_id: i64,
    company_id: i64,
}

/// The actor of a live customer API key: its user, in its company only, and only
/// while that user is still an admin there (a key outlives no demotion or removal).
pub async fn authenticate_customer_key(ctx: &Ctx, key: &str) -> Result<Actor> {
    let live: Option<LiveKey> = sqlx::query_as(
        "SELECT k.id, k.user_id, k.company_id FROM customer_api_keys k \
         JOIN user_accesses ua ON ua.user_id = k.user_id AND ua.company_id = k.company_id \
         JOIN accesses a ON a.id = ua.access_id \
         WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $2) \
         AND a.key = 'admin'",
    )
    .bind(secret::digest(key))
    .bind(Timestamp::now().0)
    .fetch_optional(&ctx.db.pool)
    .await?;
    live.map(|k| Actor::CustomerKey {
        key_id: k.id,
        user_id: k.user_id,
        company_id: k.company_id,
    })
    .ok_or_else(Error::unauthorized)
}
