//! Roles (accesses) and the user_accesses that put a user in a company with one.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod user_accesses;
#[cfg(feature = "server")]
pub(crate) use user_accesses::fetch_on;
#[cfg(feature = "server")]
pub use user_accesses::{create_for_user, delete_for_user, list_for_user, update_for_user};

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

    /// Managers and admins manage the company's leads (assign them, import, see the
    /// unassigned); a sales rep works their own.
    pub fn manages(self) -> bool {
        self >= Role::Manager
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Access {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UserAccess {
    pub id: i64,
    pub user_id: i64,
    pub company_id: i64,
    pub access: Access,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateUserAccess {
    pub company_id: i64,
    pub access_id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUserAccess {
    pub access_id: i64,
}

#[cfg(feature = "server")]
pub(crate) mod row {
    use super::{Access, UserAccess};

    pub const ACCESS_COLUMNS: &str =
        "a.id AS access_id, a.key AS access_key, a.name AS access_name, a.permissions";

    #[derive(sqlx::FromRow)]
    pub struct AccessRow {
        pub access_id: i64,
        pub access_key: String,
        pub access_name: String,
        pub permissions: String,
    }

    impl AccessRow {
        pub fn into_access(self) -> Access {
            Access {
                id: self.access_id,
                key: self.access_key,
                name: self.access_name,
                permissions: serde_json::from_str(&self.permissions).unwrap_or_default(),
            }
        }
    }

    #[derive(sqlx::FromRow)]
    pub struct UserAccessRow {
        pub id: i64,
        pub user_id: i64,
        pub company_id: i64,
        #[sqlx(flatten)]
        pub access: AccessRow,
    }

    impl UserAccessRow {
        pub fn into_user_access(self) -> UserAccess {
            UserAccess {
                id: self.id,
                user_id: self.user_id,
                company_id: self.company_id,
                access: self.access.into_access(),
            }
        }
    }

    pub fn select() -> String {
        format!(
            "SELECT ua.id, ua.user_id, ua.company_id, {ACCESS_COLUMNS} \
             FROM user_accesses ua JOIN accesses a ON a.id = ua.access_id"
        )
    }
}

#[cfg(feature = "server")]
pub async fn list(ctx: &crate::Ctx, actor: &crate::Actor) -> crate::Result<Vec<Access>> {
    actor.require_signed_in()?;
    let rows: Vec<row::AccessRow> = sqlx::query_as(&format!(
        "SELECT {} FROM accesses a ORDER BY a.id",
        row::ACCESS_COLUMNS
    ))
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows.into_iter().map(row::AccessRow::into_access).collect())
}

#[cfg(feature = "server")]
pub async fn get(ctx: &crate::Ctx, actor: &crate::Actor, access_id: i64) -> crate::Result<Access> {
    actor.require_signed_in()?;
    let row: Option<row::AccessRow> = sqlx::query_as(&format!(
        "SELECT {} FROM accesses a WHERE a.id = $1",
        row::ACCESS_COLUMNS
    ))
    .bind(access_id)
    .fetch_optional(&ctx.db.pool)
    .await?;
    row.map(row::AccessRow::into_access)
        .ok_or_else(|| crate::Error::not_found("access"))
}
