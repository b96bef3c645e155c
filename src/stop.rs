//! A stop asked of this process (SIGTERM, Ctrl-C). The workers look at it between
//! batches: each commits the batch in hand, gives its claim back and returns, so
//! another instance takes the work at once instead of after the stale delay, and a
//! rolling deploy neither loses work nor leaves it waiting.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::Notify;

#[derive(Clone, Default)]
pub struct Stop(Arc<Asked>);

#[derive(Default)]
struct Asked {
    asked: AtomicBool,
    wake: Notify,
}

impl Stop {
    pub fn ask(&self) {
        self.0.asked.store(true, Ordering::SeqCst);
        self.0.wake.notify_waiters();
    }

    pub fn asked(&self) -> bool {
        self.0.asked.load(Ordering::SeqCst)
    }

    /// Waits for `idle` (a worker's pause between looks at its queue), cut short
    /// by a stop.
    pub async fn or_stop<F: Future>(&self, idle: F) {
        tokio::select! {
            _ = idle => {}
            () = self.asked_for() => {}
        }
    }

    /// Waits until a stop is asked.
    pub async fn asked_for(&self) {
        // Made before the look, so an `ask` between the two still wakes it.
        let woken = self.0.wake.notified();
        if !self.asked() {
            woken.await;
        }
    }
}

/// Logs how handing a claimed piece of work back at the stop went (`what`: an
/// import, a job); another instance, or this one restarted, takes it from there.
pub fn hand_back(what: &str, id: i64, requeued: crate::Result<()>) {
    match requeued {
        Ok(()) => tracing::info!(what, id, "handed back at the stop"),
        Err(e) => tracing::error!(what, id, error = %e, "could not be handed back at the stop"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_clone_hears_the_stop() {
        let stop = Stop::default();
        let waiting = tokio::spawn({
            let stop = stop.clone();
            async move { stop.asked_for().await }
        });
        assert!(!stop.asked());
        stop.clone().ask();
        waiting.await.unwrap();
        assert!(stop.asked());
        stop.asked_for().await;
    }
}
