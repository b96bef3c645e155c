//! Cross-site request forgery. A browser sends the session cookie with any request
//! to us, whichever site started it (a form, a `fetch` in `text/plain`). So a
//! request that changes something and could carry the cookie — every server
//! function and page form, logging in included, and the REST API when it is signed
//! by the cookie rather than a bearer token — must say it comes from our own pages:
//! `Sec-Fetch-Site: same-origin`, or else an `Origin` of this site. Leptos has no
//! such check of its own.

use crate::api::error::ApiError;
use crate::auth::actor::bearer;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use std::sync::Arc;

/// This site's origin as browsers write it (`scheme://host[:port]`).
#[derive(Clone)]
pub struct Origin(Arc<str>);

impl Origin {
    pub fn of_url(public_url: &str) -> Origin {
        let url = public_url.trim_end_matches('/');
        let end = url
            .find("://")
            .map(|i| i + 3)
            .and_then(|start| url[start..].find('/').map(|i| start + i))
            .unwrap_or(url.len());
        Origin(url[..end].to_ascii_lowercase().into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub async fn guard(State(own): State<Origin>, req: Request, next: Next) -> Response {
    if !needs_check(&req) || from_own_pages(req.headers(), &own) {
        return next.run(req).await;
    }
    // Not the path: some hold a secret (an invitation code).
    tracing::warn!(method = %req.method(), "cross-site request refused");
    let message = "this request came from another site, so Leadsy refused it";
    if crate::refusals::wants_page(req.headers()) {
        let page = crate::refusals::page(
            StatusCode::FORBIDDEN,
            "This form was sent to Leadsy from another site, and Leadsy only accepts changes \
             made from its own pages, so that no other site can act in your name. Open Leadsy \
             and try again from there.",
        );
        return (StatusCode::FORBIDDEN, Html(page)).into_response();
    }
    ApiError(leadsy::Error::denied("CROSS_SITE_REQUEST", message)).into_response()
}

/// Reads change nothing; a REST call signed by its own bearer credential (which
/// the API then uses instead of the cookie) or carrying no cookie at all cannot
/// ride on a visitor's sign-in.
fn needs_check(req: &Request) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if !req.uri().path().starts_with("/api/v1/") {
        return true;
    }
    let h = req.headers();
    bearer(h, "authorization").is_none() && h.contains_key(header::COOKIE)
}

fn from_own_pages(headers: &HeaderMap, own: &Origin) -> bool {
    let value = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = value("sec-fetch-site") {
        return site == "same-origin";
    }
    let Some(origin) = value(header::ORIGIN.as_str()) else {
        return false;
    };
    let origin = origin.trim_end_matches('/').to_ascii_lowercase();
    if origin == *own.0 {
        return true;
    }
    // Served under another name than the configured one (a LAN address, a proxy):
    // the browser's own Host header names the site it is on, over our scheme.
    let scheme = own.0.split_once("://").map_or("http", |(s, _)| s);
    let host = value(header::HOST.as_str()).map(str::to_ascii_lowercase);
    host.is_some_and(|host| origin == format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn only_our_own_origin_passes() {
        let own = Origin::of_url("https://crm.example.com/");
        assert_eq!(&*own.0, "https://crm.example.com");
        let ok = |pairs: &[(&'static str, &str)]| from_own_pages(&headers(pairs), &own);
        assert!(ok(&[("sec-fetch-site", "same-origin")]));
        assert!(!ok(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://crm.example.com")
        ]));
        assert!(!ok(&[("sec-fetch-site", "same-site")]));
        assert!(ok(&[("origin", "https://crm.example.com")]));
        assert!(ok(&[
            ("origin", "https://10.0.0.5:3000"),
            ("host", "10.0.0.5:3000")
        ]));
        assert!(!ok(&[
            ("origin", "http://10.0.0.5:3000"),
            ("host", "10.0.0.5:3000")
        ]));
        assert!(!ok(&[
            ("origin", "https://evil.example"),
            ("host", "crm.example.com")
        ]));
        assert!(!ok(&[("origin", "null"), ("host", "crm.example.com")]));
        assert!(!ok(&[("host", "crm.example.com")]));
        assert!(!ok(&[]));
    }
}
