//! Fixed-window budgets: how many times a key (a client address, an account) may do
//! something per window. The server counts credential attempts per address with
//! one; the domain counts per account here, so spreading guesses for one account
//! over many addresses, or mailing one inbox from everywhere, gains nothing.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Past this many keys, windows that ended are forgotten before a new key is added.
const SWEEP_AT: usize = 10_000;

pub struct Window<K> {
    per_window: u32,
    span: Duration,
    seen: Mutex<HashMap<K, (Instant, u32)>>,
}

impl<K: Hash + Eq> Window<K> {
    pub fn new(per_window: u32, span: Duration) -> Self {
        Window {
            per_window,
            span,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one use; false once the key has used up its window.
    pub fn spend(&self, key: K) -> bool {
        self.with(key, |used| {
            *used = used.saturating_add(1);
            *used <= self.per_window
        })
    }

    /// Whether the key still has a use left, without counting one.
    pub fn has_left(&self, key: K) -> bool {
        self.with(key, |used| *used < self.per_window)
    }

    /// Forgets the key: its owner proved who they are.
    pub fn clear(&self, key: &K) {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }

    fn with(&self, key: K, f: impl FnOnce(&mut u32) -> bool) -> bool {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > SWEEP_AT {
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.span);
        }
        let entry = seen.entry(key).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.span {
            *entry = (now, 0);
        }
        f(&mut entry.1)
    }
}

/// The budgets of one account, keyed by its normalized email (known or not, so the
/// answers say nothing about who is registered).
pub struct AccountBudgets {
    /// Wrong passwords before the account's sign-ins wait out the window.
    pub failed_logins: Window<String>,
    /// Reset mails sent to one address; further requests are answered alike but
    /// send nothing.
    pub reset_mails: Window<String>,
}

impl Default for AccountBudgets {
    fn default() -> Self {
        AccountBudgets {
            failed_logins: Window::new(10, Duration::from_secs(15 * 60)),
            reset_mails: Window::new(5, Duration::from_secs(3600)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_key_within_the_window() {
        let w = Window::new(2, Duration::from_secs(60));
        assert!(w.spend("a") && w.spend("a"));
        assert!(!w.spend("a") && !w.has_left("a"));
        assert!(w.has_left("b") && w.spend("b"));
        w.clear(&"a");
        assert!(w.spend("a"));
        let short = Window::new(1, Duration::ZERO);
        assert!(short.spend("a") && short.spend("a"));
    }
}
