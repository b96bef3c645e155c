//! People who sign in: sign-up, login, profile, avatar, password reset, providers.

use crate::time::Timestamp;
use crate::zone::Zone;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod avatar;
#[cfg(feature = "server")]
mod login;
#[cfg(feature = "server")]
mod password_reset;
#[cfg(feature = "server")]
mod providers;
#[cfg(feature = "server")]
mod read;
#[cfg(feature = "server")]
mod signup;
#[cfg(feature = "server")]
mod update;
#[cfg(feature = "server")]
mod verification;

#[cfg(feature = "server")]
pub use {
    avatar::{remove_avatar, set_avatar},
    login::login,
    password_reset::{change_password, request_password_reset, reset_password},
    providers::providers,
    read::{find_by_email, get, list, time_zone, visible_user},
    signup::signup,
    update::update,
    verification::{resend_verification, verify_email, verify_own_email, vouch_email},
};

/// A user who just proved who they are (sign-up, login, a new password), with the
/// grant a door turns into a session or a JWT.
#[cfg(feature = "server")]
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub grant: crate::actor::Grant,
}

#[cfg(feature = "server")]
impl SignedIn {
    pub(crate) async fn of(ctx: &crate::Ctx, user_id: i64) -> crate::Result<SignedIn> {
        Ok(SignedIn {
            user: row::fetch(ctx, user_id).await?,
            grant: crate::actor::Grant::current(ctx, user_id).await?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct User {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub avatar_url: Option<String>,
    /// Whether the owner of `email` opened the link mailed to it. Until then they
    /// are offered no invitation and cannot be found by email.
    pub email_verified: bool,
    pub onboarding_completed: bool,
    /// The zone the pages show this user's times in; the API's times stay UTC.
    pub time_zone: Zone,
    pub created_at: Timestamp,
}

impl User {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }

    /// The name, or the email of someone who has not given one yet.
    pub fn display_name(&self) -> String {
        let name = self.full_name();
        if name.is_empty() {
            self.email.clone()
        } else {
            name
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignUp {
    pub email: String,
    /// 8 to 128 characters.
    #[cfg_attr(feature = "server", schema(format = Password, min_length = 8, max_length = 128))]
    pub password: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub first_name: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub last_name: String,
    /// An IANA zone ("America/New_York") the pages show times in; UTC when absent.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 64, value_type = Option<String>))]
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub email: String,
    pub password: String,
}

/// A partial update: absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// A new address: needs `current_password`, and is unverified until the link
    /// mailed to it is opened; the old address is told.
    pub email: Option<String>,
    /// Required with `email`.
    #[cfg_attr(feature = "server", schema(format = Password))]
    pub current_password: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub first_name: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub last_name: Option<String>,
    /// An IANA zone ("America/New_York") the pages show times in.
    #[cfg_attr(feature = "server", schema(max_length = 64))]
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    #[cfg_attr(feature = "server", schema(format = Password))]
    pub current_password: String,
    /// The new password, 8 to 128 characters.
    #[cfg_attr(feature = "server", schema(format = Password, min_length = 8, max_length = 128))]
    pub password: String,
}

/// How a user can authenticate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Provider {
    pub provider: String,
    pub created_at: Timestamp,
}

/// A normalized email address: trimmed, lower-cased, with one `@` and a dotted domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, String> {
        let e = raw.trim().to_lowercase();
        let valid = e.len() <= 254
            && !e.chars().any(char::is_whitespace)
            && matches!(e.split_once('@'), Some((local, domain))
                if !local.is_empty() && !domain.contains('@') && domain.contains('.')
                && !domain.starts_with('.') && !domain.ends_with('.'));
        if e.is_empty() {
            Err("is required".into())
        } else if valid {
            Ok(Email(e))
        } else {
            Err("is not a valid email address".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.split_once('@').map(|(_, d)| d).unwrap_or_default()
    }
}

/// A first or last name: trimmed, at most 100 characters.
pub fn parse_name(raw: &str, required: bool) -> Result<String, String> {
    let n = raw.trim();
    if required && n.is_empty() {
        Err("is required".into())
    } else if raw.chars().count() > 100 {
        Err("must be at most 100 characters".into())
    } else {
        Ok(n.to_string())
    }
}

#[cfg(feature = "server")]
pub(crate) mod row {
    use super::User;
    use crate::{storage::Storage, time::Timestamp};

    pub const COLUMNS: &str = "u.id, u.email, u.first_name, u.last_name, u.avatar_key, \
        u.email_verified_at, u.onboarding_completed_at, u.time_zone, u.created_at";

    #[derive(sqlx::FromRow)]
    pub struct UserRow {
        pub id: i64,
        pub email: String,
        pub first_name: String,
        pub last_name: String,
        pub avatar_key: Option<String>,
        pub email_verified_at: Option<i64>,
        pub onboarding_completed_at: Option<i64>,
        pub time_zone: String,
        pub created_at: i64,
    }

    impl UserRow {
        pub fn into_user(self, storage: &Storage) -> User {
            User {
                id: self.id,
                email: self.email,
                first_name: self.first_name,
                last_name: self.last_name,
                avatar_url: self.avatar_key.map(|k| storage.url(&k)),
                email_verified: self.email_verified_at.is_some(),
                onboarding_completed: self.onboarding_completed_at.is_some(),
                time_zone: crate::zone::Zone::stored(self.time_zone),
                created_at: Timestamp(self.created_at),
            }
        }
    }

    /// Takes the user's row for the rest of the transaction, so that two requests
    /// replacing the same user's links (verification, reset) take turns and only
    /// the last one's stays live.
    pub async fn lock(tx: &mut crate::db::Tx<'_>, user_id: i64) -> crate::Result<()> {
        sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    pub async fn fetch(ctx: &crate::Ctx, user_id: i64) -> crate::Result<User> {
        let row: Option<UserRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM users u WHERE u.id = $1"))
                .bind(user_id)
                .fetch_optional(&ctx.db.pool)
                .await?;
        row.map(|r| r.into_user(&ctx.storage))
            .ok_or_else(|| crate::Error::not_found("user"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            Email::parse("  Ana@Example.COM ").unwrap().as_str(),
            "ana@example.com"
        );
        assert_eq!(
            Email::parse("ana@example.com").unwrap().domain(),
            "example.com"
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@x.com",
            "a b@x.com",
            "a@x",
            "a@@x.com",
            "a@x.com.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
