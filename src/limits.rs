//! Fixed-window budgets: how many times a key (a client network, an account) may do
//! something per window. The server counts credential attempts per network with
//! one; the domain counts per account here, so spreading guesses for one account
//! over many addresses, or mailing one inbox from everywhere, gains nothing.
//!
//! The counts live in the database (`rate_windows`), so every server instance on
//! it spends from the same budget: three instances allow what one does.

use crate::db::Db;
use crate::time::Timestamp;
use crate::Result;
use std::time::Duration;

/// One spend in this many also forgets the bucket's windows that have ended.
const SWEEP_ONE_IN: u32 = 512;

/// Keys are stored as digests, so the table and its backups do not hold addresses
/// and emails as plain text.
#[derive(Debug, Clone)]
pub struct Window {
    /// Names the budget in `rate_windows`; each budget's keys are its own.
    bucket: &'static str,
    per_window: i64,
    span_secs: i64,
}

impl Window {
    pub fn new(bucket: &'static str, per_window: u32, span: Duration) -> Self {
        Window {
            bucket,
            per_window: i64::from(per_window),
            span_secs: span.as_secs() as i64,
        }
    }

    /// Counts one use; false once the key has used up its window. One statement,
    /// so instances racing for the last use never both get it; a key past its
    /// budget matches no row to update, so a flood of refused attempts writes
    /// nothing.
    pub async fn spend(&self, db: &Db, key: &str) -> Result<bool> {
        let now = Timestamp::now().0;
        let counted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO rate_windows (bucket, key, started_at, used) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (bucket, key) DO UPDATE SET \
             used = CASE WHEN rate_windows.started_at <= $4 THEN 1 ELSE rate_windows.used + 1 END, \
             started_at = CASE WHEN rate_windows.started_at <= $4 THEN $3 ELSE rate_windows.started_at END \
             WHERE rate_windows.used < $5 OR rate_windows.started_at <= $4 \
             RETURNING used",
        )
        .bind(self.bucket)
        .bind(crate::secret::digest(key))
        .bind(now)
        .bind(now - self.span_secs)
        .bind(self.per_window)
        .fetch_optional(&db.pool)
        .await?;
        if rand::random::<u32>().is_multiple_of(SWEEP_ONE_IN) {
            self.sweep(db, now).await;
        }
        Ok(counted.is_some())
    }

    /// Whether the key still has a use left, without counting one.
    pub async fn has_left(&self, db: &Db, key: &str) -> Result<bool> {
        let used: Option<i64> = sqlx::query_scalar(
            "SELECT used FROM rate_windows WHERE bucket = $1 AND key = $2 AND started_at > $3",
        )
        .bind(self.bucket)
        .bind(crate::secret::digest(key))
        .bind(Timestamp::now().0 - self.span_secs)
        .fetch_optional(&db.pool)
        .await?;
        Ok(used.unwrap_or(0) < self.per_window)
    }

    /// Forgets the key: its owner proved who they are. Best effort: a count left
    /// behind only runs out with its window.
    pub async fn clear(&self, db: &Db, key: &str) {
        let cleared = sqlx::query("DELETE FROM rate_windows WHERE bucket = $1 AND key = $2")
            .bind(self.bucket)
            .bind(crate::secret::digest(key))
            .execute(&db.pool)
            .await;
        if let Err(e) = cleared {
            tracing::warn!(bucket = self.bucket, error = %e, "a rate-limit count was not cleared");
        }
    }

    /// Forgets the windows that have ended. Best effort: the use that called it
    /// is counted already, and the next sweep takes what this one left.
    async fn sweep(&self, db: &Db, now: i64) {
        let swept = sqlx::query("DELETE FROM rate_windows WHERE bucket = $1 AND started_at <= $2")
            .bind(self.bucket)
            .bind(now - self.span_secs)
            .execute(&db.pool)
            .await;
        if let Err(e) = swept {
            tracing::warn!(bucket = self.bucket, error = %e, "ended rate-limit windows not swept");
        }
    }
}

/// The budgets of one account, keyed by its normalized email (known or not, so the
/// answers say nothing about who is registered).
pub struct AccountBudgets {
    /// Wrong passwords before the account's sign-ins wait out the window.
    pub failed_logins: Window,
    /// Reset mails sent to one address; further requests are answered alike but
    /// send nothing.
    pub reset_mails: Window,
}

impl Default for AccountBudgets {
    fn default() -> Self {
        AccountBudgets {
            failed_logins: Window::new("failed_logins", 10, Duration::from_secs(15 * 60)),
            reset_mails: Window::new("reset_mails", 5, Duration::from_secs(3600)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn counts_per_key_within_the_window_whichever_pool_asks() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/limits.db", dir.path().display());
        let db = Db::connect(&url, 2).await.unwrap();
        db.migrate().await.unwrap();
        let beside = Db::connect(&url, 2).await.unwrap();
        let w = Window::new("test", 2, Duration::from_secs(60));
        assert!(w.spend(&db, "a").await.unwrap());
        assert!(w.spend(&beside, "a").await.unwrap(), "another instance");
        assert!(!w.spend(&db, "a").await.unwrap());
        assert!(!w.has_left(&beside, "a").await.unwrap());
        assert!(w.has_left(&db, "b").await.unwrap() && w.spend(&db, "b").await.unwrap());
        let other = Window::new("other", 1, Duration::from_secs(60));
        assert!(other.spend(&db, "a").await.unwrap(), "budgets are apart");
        w.clear(&beside, "a").await;
        assert!(w.spend(&db, "a").await.unwrap());
        let short = Window::new("short", 1, Duration::ZERO);
        assert!(short.spend(&db, "a").await.unwrap() && short.spend(&db, "a").await.unwrap());
    }
}
