//! Most of the pages' forms post to their server function as plain HTML forms. On
//! a refusal leptos would redirect back with the error encoded in the address and
//! forget what was typed; this layer answers instead with the page the form was on,
//! rendered again under the refusal's own status (422 for a field to fix, 409, 403,
//! 429 with `Retry-After`), the message beside the field and the user's input back
//! in the inputs (passwords excepted).
//!
//! Such a page's address is the server function's, so the next post from it names
//! no page in its `Referer`; a cookie scoped to `/rpc` remembers the page instead,
//! for the next refusal to render and for leptos's "back where you came from".

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use base64::Engine;
use leadsy_app::components::form::Replayed;
use leadsy_app::error::AppError;
use std::time::Duration;
use tower::ServiceExt;

/// The most of a refusal's JSON read to learn what it says.
const REFUSAL_BYTES: usize = 64 * 1024;
/// Names the page a replayed form was on, for the posts made from it.
const BACK_COOKIE: &str = "leadsy_back";

#[derive(Clone)]
pub struct Replay {
    /// The application without this layer, to render the page again.
    pub app: Router,
    pub max_body: usize,
    pub within: Duration,
}

pub async fn replay(State(replay): State<Replay>, req: Request, next: Next) -> Response {
    if !is_form_post(&req) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let back = back_path(&parts.headers);
    let page_headers = page_headers(&parts.headers);
    let extensions = parts.extensions.clone();
    let fn_path = parts.uri.path().to_string();
    // The answer is a redirect or a short refusal: it is read here, uncompressed.
    parts.headers.remove(header::ACCEPT_ENCODING);
    let (body, values) = if has_type(&parts.headers, "application/x-www-form-urlencoded") {
        match tokio::time::timeout(replay.within, to_bytes(body, replay.max_body)).await {
            Ok(Ok(bytes)) => {
                let values = typed_values(&bytes);
                (Body::from(bytes), values)
            }
            Ok(Err(_)) => return refusal(StatusCode::PAYLOAD_TOO_LARGE, "The form is too large."),
            Err(_) => {
                return refusal(
                    StatusCode::REQUEST_TIMEOUT,
                    "The form took too long to arrive.",
                )
            }
        }
    } else {
        (body, Vec::new())
    };
    let res = next.run(Request::from_parts(parts, body)).await;
    let (mut res, error) = refusal_of(res).await;
    let Some(error) = error else {
        send_back_to(&mut res, &back);
        return res;
    };
    let status = status_of(&error);
    let encoded = base64::engine::general_purpose::URL_SAFE
        .encode(serde_json::to_vec(&error).unwrap_or_default());
    let mut get = Request::new(Body::empty());
    *get.uri_mut() = back
        .parse()
        .unwrap_or_else(|_| "/".parse().expect("a path"));
    *get.headers_mut() = page_headers;
    *get.extensions_mut() = extensions;
    get.extensions_mut().insert(Replayed {
        path: fn_path,
        error: encoded,
        values,
    });
    let mut page = match replay.app.oneshot(get).await {
        Ok(page) => page,
        Err(never) => match never {},
    };
    // The page would send the user elsewhere (they are on another step now):
    // the refusal gets a page of its own rather than being lost on the way.
    if page.status() != StatusCode::OK {
        page = refusal(status, &error.to_string());
    }
    *page.status_mut() = status;
    let cookie = format!(
        "{BACK_COOKIE}={}; Path=/rpc; HttpOnly; SameSite=Strict; Max-Age=3600",
        form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        page.headers_mut().append(header::SET_COOKIE, v);
    }
    if let AppError::Domain(e) = &error {
        if let Some(secs) = crate::api::error::retry_after(e) {
            page.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    page
}

/// A browser's own form submission to a server function (the page's code asks
/// for JSON instead).
fn is_form_post(req: &Request) -> bool {
    req.method() == Method::POST
        && req.uri().path().starts_with("/rpc/")
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
        && (has_type(req.headers(), "application/x-www-form-urlencoded")
            || has_type(req.headers(), "multipart/form-data"))
}

fn has_type(headers: &HeaderMap, essence: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(essence))
}

/// The page the form was on: the path of the `Referer` (the cross-site guard has
/// already held the post to this origin), or, from a page rendered again, the one
/// its cookie names; never a server function's or the API's.
fn back_path(headers: &HeaderMap) -> String {
    let referer = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<axum::http::Uri>().ok())
        .and_then(|uri| uri.path_and_query().map(|p| p.as_str().to_string()));
    let remembered = || {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|c| c.trim().strip_prefix(BACK_COOKIE)?.strip_prefix('='))
            .map(|v| {
                form_urlencoded::parse(format!("p={v}").as_bytes())
                    .map(|(_, p)| p.into_owned())
                    .next()
                    .unwrap_or_default()
            })
    };
    let local = |p: &String| {
        p.starts_with('/')
            && !p.starts_with("//")
            && !p.starts_with("/rpc/")
            && !p.starts_with("/api/")
    };
    match referer {
        Some(p) if p.starts_with("/rpc/") => remembered().filter(local),
        Some(p) => Some(p).filter(local),
        None => None,
    }
    .unwrap_or_else(|| "/".into())
}

/// leptos sends a successful plain post back to its `Referer`; from a page
/// rendered again that is a server function's address, so it goes to the page.
fn send_back_to(res: &mut Response, back: &str) {
    let to_rpc = res.status().is_redirection()
        && res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| l.parse::<axum::http::Uri>().ok())
            .is_some_and(|uri| uri.path().starts_with("/rpc/"));
    if to_rpc {
        if let Ok(v) = HeaderValue::from_str(back) {
            res.headers_mut().insert(header::LOCATION, v);
        }
    }
}

/// What the page's render may read of the post: who is asking, in what language
/// and encodings.
fn page_headers(from: &HeaderMap) -> HeaderMap {
    let mut to = HeaderMap::new();
    for name in [
        header::COOKIE,
        header::ACCEPT_ENCODING,
        header::ACCEPT_LANGUAGE,
        header::USER_AGENT,
        header::HOST,
    ] {
        for v in from.get_all(&name) {
            to.append(name.clone(), v.clone());
        }
    }
    to.insert(header::ACCEPT, HeaderValue::from_static("text/html"));
    to
}

/// The fields as typed, but for passwords, which a page never sends back.
fn typed_values(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .filter(|(name, _)| !name.contains("password"))
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

/// The server function's refusal, from leptos's redirect or from a refusal made
/// before it ran (the rate limiter's); any other answer goes on as it is.
async fn refusal_of(res: Response) -> (Response, Option<AppError>) {
    let status = res.status();
    if status.is_redirection() {
        let error = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| l.split_once('?'))
            .and_then(|(_, q)| {
                form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == "__err")
                    .map(|(_, v)| v.into_owned())
            })
            .map(|err| leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(&err));
        return (res, error);
    }
    let json = has_type(res.headers(), "application/json");
    if !(json && (status.is_client_error() || status.is_server_error())) {
        return (res, None);
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, REFUSAL_BYTES).await else {
        return (refusal(status, "The request failed."), None);
    };
    match serde_json::from_slice::<AppError>(&bytes) {
        Ok(error) => (Response::from_parts(parts, Body::empty()), Some(error)),
        Err(_) => (Response::from_parts(parts, Body::from(bytes)), None),
    }
}

fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Domain(e) => StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST),
        AppError::Transport(_) => StatusCode::BAD_REQUEST,
    }
}

fn refusal(status: StatusCode, message: &str) -> Response {
    (status, Html(crate::refusals::page(status, message))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_to_render_again_is_a_path_of_this_site() {
        let with = |referer: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::REFERER, HeaderValue::from_str(referer).unwrap());
            back_path(&h)
        };
        assert_eq!(
            with("http://127.0.0.1:3000/settings/sources?x=1"),
            "/settings/sources?x=1"
        );
        assert_eq!(with("http://127.0.0.1:3000/rpc/create_source"), "/");
        assert_eq!(with("//elsewhere.example/board"), "/");
        assert_eq!(back_path(&HeaderMap::new()), "/");
        let mut h = HeaderMap::new();
        h.insert(
            header::REFERER,
            HeaderValue::from_static("http://h/rpc/save_lead"),
        );
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("id=x; leadsy_back=%2Fleads%2F7%3Fa%3D1"),
        );
        assert_eq!(back_path(&h), "/leads/7?a=1");
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("leadsy_back=%2F%2Fevil.example"),
        );
        assert_eq!(back_path(&h), "/");
    }

    #[test]
    fn passwords_are_never_echoed() {
        let v = typed_values(b"email=a%40b.c&password=secret&current_password=x&name=A+B");
        assert_eq!(
            v,
            vec![
                ("email".into(), "a@b.c".into()),
                ("name".into(), "A B".into())
            ]
        );
    }
}
