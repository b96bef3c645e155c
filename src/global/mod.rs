//! Platform operations for integrators holding a platform API token: one-call
//! onboarding, customer API keys, and the tokens themselves (made from the CLI).

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod customer_keys;
#[cfg(feature = "server")]
mod onboard;
#[cfg(feature = "server")]
mod platform_tokens;

#[cfg(feature = "server")]
pub use {
    customer_keys::{
        authenticate_customer_key, customer_token, list_customer_keys, revoke_customer_key,
        CustomerKey,
    },
    onboard::onboard,
    platform_tokens::{
        authenticate_platform, create_platform_token, list_platform_tokens, revoke_platform_token,
        PlatformToken,
    },
};

/// The one-call onboarding body; camelCase and `email` aliases are accepted.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OnboardInput {
    #[serde(alias = "email")]
    pub email_id: Option<String>,
    #[serde(alias = "firstName")]
    pub first_name: Option<String>,
    #[serde(alias = "lastName")]
    pub last_name: Option<String>,
    #[serde(alias = "companyName")]
    pub company_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Onboarded {
    pub registration_id: i64,
    pub user_id: i64,
    pub company_id: i64,
    pub workspace_id: i64,
    pub customer_salt: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CustomerTokenInput {
    #[serde(alias = "customerid", alias = "customer_salt")]
    pub customer_id: Option<String>,
    pub name: Option<String>,
    pub expiration_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CustomerToken {
    pub customerid: String,
    pub customer_api_key: String,
    pub name: String,
    /// Unix seconds, or null when the key does not expire.
    pub expires: Option<i64>,
}
