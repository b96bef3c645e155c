//! What operations need besides the actor and the input: the database and the
//! services with side effects, built once at start-up.

use crate::{db::Db, mail::Mailer, storage::Storage};
use std::sync::Arc;

#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub mailer: Mailer,
    pub storage: Storage,
    pub settings: Arc<Settings>,
}

/// Rules that operators configure; the server fills it from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where links in mails point, e.g. `http://127.0.0.1:3000`.
    pub public_url: String,
    /// Email domains refused by the one-call onboarding (free-mail providers).
    pub restricted_domains: Vec<String>,
    pub max_avatar_bytes: usize,
    pub password_reset_ttl_secs: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            public_url: "http://127.0.0.1:3000".into(),
            restricted_domains: ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"]
                .map(String::from)
                .to_vec(),
            max_avatar_bytes: 2 * 1024 * 1024,
            password_reset_ttl_secs: 3600,
        }
    }
}
