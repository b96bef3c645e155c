//! Limits how often one client network may try credentials (login, sign-up,
//! password reset and change, email verification) through the API or the pages,
//! so passwords cannot be guessed at speed and mail cannot be sent in floods.
//! Other requests pass untouched. The domain adds budgets per account.

use crate::api::error::ApiError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leadsy::db::Db;
use leadsy::limits::Window;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

const WINDOW: Duration = Duration::from_secs(60);

/// Paths that try credentials (a current password, a token) or send mail;
/// server functions by name.
pub fn is_guarded(path: &str) -> bool {
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

/// Where attempts come from: an IPv4 address, or an IPv6 address's /64 (one
/// subscriber's whole network, which they can walk at will); None when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Network {
    V4(Ipv4Addr),
    V6Prefix(u64),
}

impl Network {
    /// The key its attempts are counted under.
    fn key(from: Option<Network>) -> String {
        match from {
            Some(Network::V4(v4)) => v4.to_string(),
            Some(Network::V6Prefix(prefix)) => format!("{prefix:016x}::/64"),
            None => "unknown".into(),
        }
    }

    fn of(ip: IpAddr) -> Network {
        match ip {
            IpAddr::V4(v4) => Network::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Network::V4(v4),
                None => Network::V6Prefix((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

#[derive(Clone)]
pub struct RateLimiter {
    window: Window,
    /// Where the counts are kept, shared by every instance on the database.
    db: Db,
    /// The header a trusted reverse proxy puts the client's address in, when one
    /// is configured; its last entry is the one that proxy saw.
    client_header: Option<HeaderName>,
}

impl RateLimiter {
    pub fn per_minute(db: Db, per_window: u32, client_header: Option<HeaderName>) -> Self {
        RateLimiter {
            window: Window::new("credential_attempts", per_window, WINDOW),
            db,
            client_header,
        }
    }
}

/// The client's address: the trusted proxy's header's last entry when one is
/// configured and present, else the peer's.
fn client(req: &Request, header: Option<&HeaderName>) -> Option<IpAddr> {
    let forwarded = header.and_then(|name| {
        let value = req
            .headers()
            .get_all(name)
            .iter()
            .next_back()?
            .to_str()
            .ok()?;
        value.rsplit(',').next()?.trim().parse::<IpAddr>().ok()
    });
    forwarded.or_else(|| {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
    })
}

pub async fn limit(State(limiter): State<RateLimiter>, req: Request, next: Next) -> Response {
    let writes = req.method() == Method::POST || req.method() == Method::PUT;
    if writes && is_guarded(req.uri().path()) {
        let from = Network::key(client(&req, limiter.client_header.as_ref()).map(Network::of));
        match limiter.window.spend(&limiter.db, &from).await {
            Ok(true) => {}
            Ok(false) => return refusal(req.uri().path(), leadsy::Error::RateLimited),
            Err(e) => return refusal(req.uri().path(), e),
        }
    }
    next.run(req).await
}

/// The refusal in the door's own encoding: a server function's error for the pages
/// (which show its sentence), the envelope for the API. A count that could not be
/// kept refuses too (as the database's failure), never lets the attempt through.
fn refusal(path: &str, e: leadsy::Error) -> Response {
    if path.starts_with("/rpc/") {
        let status = axum::http::StatusCode::from_u16(e.status())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let limited = matches!(e, leadsy::Error::RateLimited);
        let body = serde_json::to_vec(&leadsy_app::error::AppError::from(e)).unwrap_or_default();
        let mut res = (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
        if limited {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, WINDOW.as_secs().into());
        }
        res
    } else {
        ApiError(e).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(ip: &str, forwarded: Option<&str>) -> Request {
        let mut req = Request::builder().uri("/api/v1/users/login");
        if let Some(f) = forwarded {
            req = req.header("x-forwarded-for", f);
        }
        let mut req = req.body(axum::body::Body::empty()).unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(ip.parse().unwrap(), 4000)));
        req
    }

    #[test]
    fn an_ipv6_subscriber_counts_as_one_network() {
        let a = Network::of("2001:db8:1:2::1".parse().unwrap());
        let b = Network::of("2001:db8:1:2:ffff::9".parse().unwrap());
        let c = Network::of("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            Network::of("::ffff:10.0.0.1".parse().unwrap()),
            Network::of("10.0.0.1".parse().unwrap())
        );
    }

    #[test]
    fn the_client_is_the_peer_unless_a_proxy_header_is_trusted() {
        let spoofed = from("10.0.0.1", Some("1.2.3.4"));
        assert_eq!(client(&spoofed, None), "10.0.0.1".parse().ok());
        let proxy = HeaderName::from_static("x-forwarded-for");
        let via = from("10.0.0.1", Some("9.9.9.9, 203.0.113.7"));
        assert_eq!(client(&via, Some(&proxy)), "203.0.113.7".parse().ok());
        assert_eq!(
            client(&from("10.0.0.1", None), Some(&proxy)),
            "10.0.0.1".parse().ok()
        );
    }

    #[test]
    fn guards_the_credential_routes() {
        assert!(is_guarded("/api/v1/users/login"));
        assert!(is_guarded("/rpc/log_in123456"));
        assert!(is_guarded("/api/v1/users/7"));
        assert!(is_guarded("/api/v1/users/7/password"));
        assert!(is_guarded("/api/v1/users/7/verify_email"));
        assert!(!is_guarded("/api/v1/users/7/avatar"));
        assert!(!is_guarded("/api/v1/users/find_by_email"));
    }
}
