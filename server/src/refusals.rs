//! Refusals made outside any handler (an unknown method, a timeout, a body over a
//! limit, a multipart body without a boundary) come from axum, tower-http and the
//! extractors as bare text or nothing at all. This layer dresses them once: the
//! contract's envelope on `/api/v1`, a readable page elsewhere, and a server
//! function's domain refusal with the domain's own status instead of 500.

use crate::api::error::envelope;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use leadsy_app::error::AppError;

/// The most of a refusal's own text read to reuse it; longer text is not a message.
const MESSAGE_BYTES: usize = 4096;

pub async fn dress(req: Request, next: Next) -> Response {
    let door = Door::of(req.uri().path());
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    match door {
        Door::Api if !has_type(res.headers(), "application/json") => {
            let (parts, body) = res.into_parts();
            let text = own_text(body).await;
            let mut dressed = envelope(status, &code(status), &message(status, &text), None);
            keep_headers(&parts.headers, dressed.headers_mut());
            dressed
        }
        Door::ServerFn if status == StatusCode::INTERNAL_SERVER_ERROR => domain_status(res).await,
        Door::Page if !has_type(res.headers(), "text/html") => {
            let (parts, body) = res.into_parts();
            let text = own_text(body).await;
            let mut dressed = (status, Html(page(status, &message(status, &text)))).into_response();
            keep_headers(&parts.headers, dressed.headers_mut());
            dressed
        }
        _ => res,
    }
}

enum Door {
    Api,
    ServerFn,
    Page,
    /// `/healthz` and `/readyz`: their JSON is for machines, as it is.
    Probe,
}

impl Door {
    fn of(path: &str) -> Door {
        if path == "/api/v1" || path.starts_with("/api/v1/") {
            Door::Api
        } else if path == "/healthz" || path == "/readyz" {
            Door::Probe
        } else if path.starts_with("/rpc/") {
            Door::ServerFn
        } else {
            Door::Page
        }
    }
}

/// Whether the caller is a browser showing pages (a page's own code and API clients
/// ask for JSON).
pub(crate) fn wants_page(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

pub(crate) fn has_type(headers: &HeaderMap, essence: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(essence))
}

/// The headers of the refusal that still say something true about the new body.
fn keep_headers(from: &HeaderMap, to: &mut HeaderMap) {
    for name in [header::ALLOW, header::RETRY_AFTER, header::CONNECTION] {
        if let Some(v) = from.get(&name) {
            to.insert(name, v.clone());
        }
    }
}

async fn own_text(body: Body) -> String {
    to_bytes(body, MESSAGE_BYTES)
        .await
        .ok()
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .unwrap_or_default()
}

/// `PAYLOAD_TOO_LARGE` for 413: the status's own name, as the contract spells codes.
fn code(status: StatusCode) -> String {
    match status {
        StatusCode::INTERNAL_SERVER_ERROR => "INTERNAL_ERROR".into(),
        StatusCode::TOO_MANY_REQUESTS => "RATE_LIMITED".into(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "HEADERS_TOO_LARGE".into(),
        _ => status
            .canonical_reason()
            .unwrap_or("ERROR")
            .to_ascii_uppercase()
            .replace([' ', '-'], "_"),
    }
}

/// The refusal's own sentence when it has one ("Invalid `boundary` for
/// `multipart/form-data` request"), else what the status means.
fn message(status: StatusCode, own: &str) -> String {
    let own = own.trim();
    if !own.is_empty() && own.len() < 500 && !own.starts_with('<') {
        return own.to_string();
    }
    match status {
        StatusCode::REQUEST_TIMEOUT => "the request took too long to arrive".into(),
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is too large".into(),
        StatusCode::METHOD_NOT_ALLOWED => "this method is not allowed here".into(),
        StatusCode::URI_TOO_LONG => "the address is too long".into(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "the request's headers are too large".into(),
        _ => status
            .canonical_reason()
            .unwrap_or("the request failed")
            .to_string(),
    }
}

/// A short page saying why the request was refused, with a way back.
pub fn page(status: StatusCode, message: &str) -> String {
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{code} · Leadsy</title></head>\
         <body style=\"font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem\">\
         <h1>{code} {reason}</h1><p>{escaped}</p><p><a href=\"/\">Back to Leadsy</a></p></body></html>",
        code = status.as_u16(),
        reason = status.canonical_reason().unwrap_or(""),
    )
}

/// A server function answers every error with 500; a refusal of the domain's
/// (a wrong password, a field to fix) takes the status it means, so clients and
/// the request log tell a user's mistake from a failure of ours.
async fn domain_status(res: Response) -> Response {
    let (mut res, error) = refused_with(res).await;
    if let Some(AppError::Domain(e)) = error {
        if let Ok(status) = StatusCode::from_u16(e.status()) {
            *res.status_mut() = status;
        }
        if let Some(secs) = crate::api::error::retry_after(&e) {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    res
}

/// A server function's refusal as the error it carries, when its body is one;
/// the response comes back whole either way.
pub(crate) async fn refused_with(res: Response) -> (Response, Option<AppError>) {
    let status = res.status();
    let refused = status.is_client_error() || status.is_server_error();
    if !(refused && has_type(res.headers(), "application/json")) {
        return (res, None);
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, 64 * 1024).await else {
        return (
            (StatusCode::INTERNAL_SERVER_ERROR, "").into_response(),
            None,
        );
    };
    let error = serde_json::from_slice::<AppError>(&bytes).ok();
    (Response::from_parts(parts, Body::from(bytes)), error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_contract() {
        assert_eq!(code(StatusCode::PAYLOAD_TOO_LARGE), "PAYLOAD_TOO_LARGE");
        assert_eq!(code(StatusCode::METHOD_NOT_ALLOWED), "METHOD_NOT_ALLOWED");
        assert_eq!(code(StatusCode::URI_TOO_LONG), "URI_TOO_LONG");
        assert_eq!(code(StatusCode::REQUEST_TIMEOUT), "REQUEST_TIMEOUT");
        assert_eq!(
            message(StatusCode::PAYLOAD_TOO_LARGE, "<html>"),
            "the request body is too large"
        );
    }
}
