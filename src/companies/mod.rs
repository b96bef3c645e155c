//! Companies (tenants): everything a user works on belongs to one.

use crate::{accesses::Access, memberships::Membership, time::Timestamp, users::User};
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod avatar;
#[cfg(feature = "server")]
mod create;
#[cfg(feature = "server")]
mod read;
#[cfg(feature = "server")]
mod setup;
#[cfg(feature = "server")]
mod update;

#[cfg(feature = "server")]
pub use {
    avatar::{remove_avatar, set_avatar},
    create::create,
    read::{get, list, users},
    setup::setup,
    update::update,
};
#[cfg(feature = "server")]
pub(crate) use {
    create::insert_with_admin,
    read::get_on,
    update::{locked, recorded},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub avatar_url: Option<String>,
    pub cycles_enabled: bool,
    pub membership: Option<Membership>,
    /// Set when the plan was cancelled: it stays active until `membership_period_ends_at`.
    pub membership_cancelled_at: Option<Timestamp>,
    pub membership_period_ends_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCompany {
    /// 2 to 100 characters.
    #[cfg_attr(feature = "server", schema(min_length = 2, max_length = 100))]
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCompany {
    /// 2 to 100 characters.
    #[cfg_attr(feature = "server", schema(min_length = 2, max_length = 100))]
    pub name: String,
}

/// A member of a company with their access there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CompanyUser {
    #[serde(flatten)]
    pub user: User,
    pub user_access_id: i64,
    pub access: Access,
}

/// What a new company has set up, for the admin's getting-started list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    pub sources: bool,
    pub imported: bool,
    /// Someone besides the caller is a member or has been invited.
    pub team: bool,
    pub questions: bool,
}

impl Setup {
    /// Past the first steps: the company has sources or has imported its leads.
    pub fn started(&self) -> bool {
        self.sources || self.imported
    }
}

/// A company name: 2 to 100 characters, counted as typed and again once trimmed. Its key (lower case, single spaces)
/// makes "Acme  Inc" and "acme inc" the same name.
pub fn parse_name(raw: &str) -> Result<(String, String), String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => Err("is required".into()),
        1 => Err("must be at least 2 characters".into()),
        _ if raw.chars().count() > 100 => Err("must be at most 100 characters".into()),
        _ => {
            let key = name.to_lowercase();
            Ok((name, key))
        }
    }
}

#[cfg(feature = "server")]
pub(crate) mod row {
    use super::Company;
    use crate::{memberships::Membership, storage::Storage, time::Timestamp};

    pub const SELECT: &str = "SELECT c.id, c.name, c.avatar_key, c.cycles_enabled, c.membership_cancelled_at, \
        c.membership_period_ends_at, c.created_at, m.id AS m_id, m.key AS m_key, m.name AS m_name, \
        m.price_cents AS m_price_cents, m.billing_interval AS m_interval, m.seat_limit AS m_seat_limit, \
        m.lead_limit AS m_lead_limit FROM companies c LEFT JOIN memberships m ON m.id = c.membership_id";

    #[derive(sqlx::FromRow)]
    pub struct CompanyRow {
        id: i64,
        name: String,
        avatar_key: Option<String>,
        cycles_enabled: i64,
        membership_cancelled_at: Option<i64>,
        membership_period_ends_at: Option<i64>,
        created_at: i64,
        m_id: Option<i64>,
        m_key: Option<String>,
        m_name: Option<String>,
        m_price_cents: Option<i64>,
        m_interval: Option<String>,
        m_seat_limit: Option<i64>,
        m_lead_limit: Option<i64>,
    }

    impl CompanyRow {
        /// A cancelled plan whose period has ended is no plan at all.
        pub fn into_company(self, storage: &Storage) -> Company {
            let lapsed = self.membership_cancelled_at.is_some()
                && self
                    .membership_period_ends_at
                    .is_some_and(|end| end <= Timestamp::now().0);
            let membership = self.m_id.filter(|_| !lapsed).map(|id| Membership {
                id,
                key: self.m_key.unwrap_or_default(),
                name: self.m_name.unwrap_or_default(),
                price_cents: self.m_price_cents.unwrap_or_default(),
                interval: self.m_interval.unwrap_or_default(),
                seat_limit: self.m_seat_limit.unwrap_or_default(),
                lead_limit: self.m_lead_limit.unwrap_or_default(),
            });
            Company {
                id: self.id,
                name: self.name,
                avatar_url: self.avatar_key.map(|k| storage.url(&k)),
                cycles_enabled: self.cycles_enabled != 0,
                membership,
                membership_cancelled_at: self.membership_cancelled_at.map(Timestamp),
                membership_period_ends_at: self.membership_period_ends_at.map(Timestamp),
                created_at: Timestamp(self.created_at),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_tidied_and_keyed() {
        assert_eq!(
            super::parse_name("  Acme   Inc "),
            Ok(("Acme Inc".to_string(), "acme inc".to_string()))
        );
        assert!(super::parse_name(" ").is_err());
        assert!(super::parse_name("A").is_err());
        assert!(super::parse_name(&"x".repeat(101)).is_err());
    }
}
