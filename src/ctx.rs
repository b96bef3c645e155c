//! What operations need besides the actor and the input: the database and the
//! services with side effects, built once at start-up.

use crate::{db::Db, limits::AccountBudgets, mail::Mailer, storage::Storage};
use std::sync::Arc;
use tokio::sync::Notify;

#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub mailer: Mailer,
    pub storage: Storage,
    pub settings: Arc<Settings>,
    /// Wakes this process's import worker when an upload is queued, so the import
    /// starts at once rather than at the worker's next look at the queue.
    pub import_queued: Arc<Notify>,
    /// This process's per-account budgets (failed sign-ins, reset mails).
    pub budgets: Arc<AccountBudgets>,
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
    /// The largest lead import accepted; a bigger upload answers 413.
    pub max_import_bytes: u64,
    /// Rows an import writes per transaction.
    pub import_batch_rows: usize,
    /// An import whose worker has not reported for this long is taken over by
    /// another (its process died).
    pub import_stale_secs: i64,
    /// How long an import's uploaded file is kept after the import ends.
    pub import_retention_secs: i64,
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
            max_import_bytes: 512 * 1024 * 1024,
            import_batch_rows: 5000,
            import_stale_secs: 30,
            import_retention_secs: 7 * 24 * 3600,
        }
    }
}
