//! What operations need besides the actor and the input: the database and the
//! services with side effects, built once at start-up.

use crate::{
    db::Db, events::Door, limits::AccountBudgets, mail::Mailer, stop::Stop, storage::Storage,
};
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
    /// Wakes this process's job worker when a job is queued.
    pub job_queued: Arc<Notify>,
    /// The per-account budgets (failed sign-ins, reset mails), counted in the
    /// database that every instance shares.
    pub budgets: Arc<AccountBudgets>,
    /// Asked once the process is to stop: the workers hand their work back.
    pub stop: Stop,
    /// The way in this context serves (each door gets its own copy), which the
    /// events of its changes record.
    pub door: Door,
}

impl Ctx {
    /// The same services, for another door.
    pub fn through(&self, door: Door) -> Ctx {
        Ctx {
            door,
            ..self.clone()
        }
    }
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
    /// Whether webhooks may be delivered to loopback and private addresses (an
    /// operator's own network); tenants must not reach it otherwise.
    pub webhook_allow_private: bool,
    /// How long one delivery attempt may take.
    pub webhook_timeout_secs: u64,
    /// The wait before each retry of a failed delivery, in seconds; once spent,
    /// the delivery has failed.
    pub webhook_retry_delays: Vec<i64>,
    /// An endpoint whose every attempt failed for this long is turned off.
    pub webhook_give_up_secs: i64,
}

/// Standard Webhooks' schedule, stretched past three days: 5 s, 5 min, 30 min,
/// 2 h, 5 h, then every 10 h (about 77 hours in all).
pub const WEBHOOK_RETRY_DELAYS: [i64; 12] = [
    5, 300, 1_800, 7_200, 18_000, 36_000, 36_000, 36_000, 36_000, 36_000, 36_000, 36_000,
];

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
            webhook_allow_private: false,
            webhook_timeout_secs: 10,
            webhook_retry_delays: WEBHOOK_RETRY_DELAYS.to_vec(),
            webhook_give_up_secs: 5 * 24 * 3600,
        }
    }
}
