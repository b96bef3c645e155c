//! Security headers on every response. The content security policy lets only this
//! origin's files and the page's own inline scripts run: a fresh nonce per
//! request goes into the request (the page render stamps it on the hydration and
//! resource scripts) and into the policy.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;
use std::sync::Arc;

/// What the headers depend on, fixed at start-up.
#[derive(Clone)]
pub struct Policy {
    /// Where avatars are linked from (`public_url`'s origin), which may differ from
    /// the origin serving the page behind a proxy.
    images: Arc<str>,
    https: bool,
    /// `cargo leptos watch` reloads pages through a socket on this port.
    reload: Option<u32>,
}

impl Policy {
    pub fn new(public_url: &str, reload: Option<u32>) -> Policy {
        let origin = crate::csrf::Origin::of_url(public_url);
        Policy {
            images: origin.as_str().into(),
            https: public_url.starts_with("https://"),
            reload,
        }
    }

    fn csp(&self, nonce: &str) -> String {
        let reload = self
            .reload
            .map(|p| format!(" ws://localhost:{p} ws://127.0.0.1:{p}"))
            .unwrap_or_default();
        // WebAssembly needs 'wasm-unsafe-eval' to be instantiated. The progress bars'
        // `style="width: …"` attributes need style-src-attr; no inline <style> runs.
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'; \
             img-src 'self' {images} data:; font-src 'self'; connect-src 'self'{reload}; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            images = self.images,
        )
    }
}

pub async fn secure(State(policy): State<Policy>, mut req: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&policy.csp(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    fixed(headers, policy.https);
    // Pages, server functions and the API answer for one person at one moment: a
    // response that does not say how to cache itself (the static files do) is not kept.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

fn fixed(headers: &mut HeaderMap, https: bool) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Pages whose address holds a token (`/password/reset?token=`, `/verify-email`,
    // `/invitations/…`) must not hand it to another site in a Referer.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
}

/// The page render's nonce: the one this request's policy names, when there is a
/// request (the static-file fallback renders without one).
pub fn provide_request_nonce() {
    if let Some(nonce) = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<Nonce>().cloned())
    {
        leptos::prelude::provide_context(nonce);
    }
}
