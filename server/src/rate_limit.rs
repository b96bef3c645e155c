//! Limits how often one client address may try credentials (login, sign-up,
//! password reset and change, email verification) through the API or the pages, so passwords cannot be guessed
//! at speed and mail cannot be sent in floods. Other requests pass untouched.

use crate::api::error::ApiError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

/// Paths that try credentials (a current password, a token) or send mail;
/// server functions by name.
fn is_guarded(path: &str) -> bool {
    let own_account = path.strip_prefix("/api/v1/users/").is_some_and(|rest| {
        let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
        id.chars().all(|c| c.is_ascii_digit()) && matches!(tail, "" | "password" | "verify_email")
    });
    own_account
        || matches!(
            path,
            "/api/v1/users"
                | "/api/v1/users/login"
                | "/api/v1/users/password_reset"
                | "/api/v1/users/verify_email"
        )
        || [
            "/rpc/log_in",
            "/rpc/sign_up",
            "/rpc/request_password_reset",
            "/rpc/reset_password",
            "/rpc/verify_email",
            "/rpc/resend_verification",
            "/rpc/change_email",
            "/rpc/change_password",
        ]
        .iter()
        .any(|p| path.starts_with(p))
}

/// Per client address (None when unknown): when its window started, attempts in it.
type Windows = HashMap<Option<IpAddr>, (Instant, u32)>;

#[derive(Clone)]
pub struct RateLimiter {
    per_window: u32,
    seen: Arc<Mutex<Windows>>,
}

impl RateLimiter {
    pub fn per_minute(per_window: u32) -> Self {
        RateLimiter {
            per_window,
            seen: Arc::default(),
        }
    }

    /// Counts one attempt; false once the address used up its window.
    fn allow(&self, who: Option<IpAddr>) -> bool {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > 10_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = seen.entry(who).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.per_window
    }
}

pub async fn limit(State(limiter): State<RateLimiter>, req: Request, next: Next) -> Response {
    let writes = req.method() == Method::POST || req.method() == Method::PUT;
    if writes && is_guarded(req.uri().path()) {
        let who = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        if !limiter.allow(who) {
            return ApiError(leadsy::Error::RateLimited).into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_address_within_the_window() {
        let l = RateLimiter::per_minute(2);
        let a = Some(IpAddr::from([10, 0, 0, 1]));
        let b = Some(IpAddr::from([10, 0, 0, 2]));
        assert!(l.allow(a) && l.allow(a));
        assert!(!l.allow(a));
        assert!(l.allow(b));
        assert!(is_guarded("/api/v1/users/login"));
        assert!(is_guarded("/rpc/log_in123456"));
        assert!(is_guarded("/api/v1/users/7"));
        assert!(is_guarded("/api/v1/users/7/password"));
        assert!(is_guarded("/api/v1/users/7/verify_email"));
        assert!(!is_guarded("/api/v1/users/7/avatar"));
        assert!(!is_guarded("/api/v1/users/find_by_email"));
    }
}
