//! Who is calling an operation. Doors find the actor (session cookie, bearer JWT,
//! customer API key, platform token); operations decide what it may do.

use crate::{db::Db, Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Nobody signed in: only public operations accept it.
    Anonymous,
    User {
        user_id: i64,
    },
    /// A platform API token from the server's command line: `/api/v1/global/*` only.
    Platform {
        token_id: i64,
    },
}

impl Actor {
    pub fn user_id(&self) -> Result<i64> {
        match self {
            Actor::User { user_id } => Ok(*user_id),
            _ => Err(Error::unauthorized()),
        }
    }

    pub fn require_platform(&self) -> Result<i64> {
        match self {
            Actor::Platform { token_id } => Ok(*token_id),
            _ => Err(Error::Unauthorized(
                "a valid platform API token is required".into(),
            )),
        }
    }
}

/// The seeded accesses, weakest first so that comparison reads as "at least".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    SalesRep,
    Manager,
    Admin,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::SalesRep => "sales_rep",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        match key {
            "admin" => Some(Role::Admin),
            "manager" => Some(Role::Manager),
            "sales_rep" => Some(Role::SalesRep),
            _ => None,
        }
    }
}

/// The caller's standing in one company.
#[derive(Debug, Clone, Copy)]
pub struct Membership {
    pub user_id: i64,
    pub user_access_id: i64,
    pub role: Role,
}

/// The caller's (`$1`) user_access id and access key in a company (`$2`).
pub const MEMBERSHIP_SQL: &str = "SELECT ua.id, a.key FROM user_accesses ua \
    JOIN accesses a ON a.id = ua.access_id WHERE ua.user_id = $1 AND ua.company_id = $2";

/// Finds the caller's access in `company_id`: a company the caller does not belong
/// to is "not found", so its existence never leaks; a weaker role is forbidden.
pub async fn require_role(
    db: &Db,
    actor: &Actor,
    company_id: i64,
    at_least: Role,
) -> Result<Membership> {
    let user_id = actor.user_id()?;
    let row: Option<(i64, String)> = sqlx::query_as(MEMBERSHIP_SQL)
        .bind(user_id)
        .bind(company_id)
        .fetch_optional(&db.pool)
        .await?;
    let (user_access_id, key) = row.ok_or_else(|| Error::not_found("company"))?;
    let role =
        Role::from_key(&key).ok_or_else(|| Error::internal(format!("unknown access {key}")))?;
    if role < at_least {
        return Err(Error::forbidden());
    }
    Ok(Membership {
        user_id,
        user_access_id,
        role,
    })
}

/// Any member of the company.
pub async fn require_member(db: &Db, actor: &Actor, company_id: i64) -> Result<Membership> {
    require_role(db, actor, company_id, Role::SalesRep).await
}
