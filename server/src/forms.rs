//! Most of the pages' forms post to their server function as plain HTML forms. On
//! a refusal leptos would redirect back with the error encoded in the address and
//! forget what was typed; this layer answers instead with the page the form was on,
//! rendered again under the refusal's own status (422 for a field to fix, 409, 403,
//! 429 with `Retry-After`), the message beside the field and the user's input back
//! in the inputs (passwords excepted).
//!
//! Such a page's address is the server function's, so the next post from it names
//! no page in its `Referer`; a cookie scoped to `/rpc` remembers the page instead.
//! Every form post reaches leptos with the page's own address as its `Referer`, so
//! leptos sends a success back there.

use crate::config::Config;
use crate::refusals::{has_type, refused_with, wants_page};
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

/// Names the page a replayed form was on, for the posts made from it.
const BACK_COOKIE: &str = "leadsy_back";
/// The most fields, and the longest value, a refused form gets back.
const MAX_FIELDS: usize = 200;
const MAX_VALUE_BYTES: usize = 10 * 1024;

#[derive(Clone)]
pub struct Replay {
    /// The application below this layer, to render the page again.
    app: Option<Router>,
    origin: String,
    secure: bool,
    max_body: usize,
    within: Duration,
}

impl Replay {
    pub fn new(config: &Config) -> Replay {
        let url = config.public_url.trim_end_matches('/');
        let origin = match url.split_once("://") {
            Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or("")),
            None => url.to_string(),
        };
        Replay {
            app: None,
            secure: origin.starts_with("https://"),
            origin,
            max_body: config.limits.max_body_bytes,
            within: Duration::from_secs(config.limits.request_secs),
        }
    }

    /// The layer's state, rendering pages with `app`.
    pub fn over(self, app: Router) -> Replay {
        Replay {
            app: Some(app),
            ..self
        }
    }
}

pub async fn replay(State(replay): State<Replay>, req: Request, next: Next) -> Response {
    let Some(app) = replay.app.clone().filter(|_| is_form_post(&req)) else {
        return next.run(req).await;
    };
    let (mut parts, body) = req.into_parts();
    let back = back_path(&parts.headers);
    if let Ok(referer) = HeaderValue::from_str(&format!("{}{back}", replay.origin)) {
        parts.headers.insert(header::REFERER, referer);
    }
    let page_headers = page_headers(&parts.headers);
    let extensions = parts.extensions.clone();
    let fn_path = parts.uri.path().to_string();
    let urlencoded = has_type(&parts.headers, "application/x-www-form-urlencoded");
    let (body, typed) = if urlencoded {
        match tokio::time::timeout(replay.within, to_bytes(body, replay.max_body)).await {
            Ok(Ok(bytes)) => (Body::from(bytes.clone()), bytes),
            Ok(Err(_)) => return refusal(StatusCode::PAYLOAD_TOO_LARGE, "The form is too large."),
            Err(_) => {
                return refusal(
                    StatusCode::REQUEST_TIMEOUT,
                    "The form took too long to arrive.",
                )
            }
        }
    } else {
        (body, Default::default())
    };
    let res = next.run(Request::from_parts(parts, body)).await;
    let (res, error) = refusal_of(res).await;
    let Some(error) = error else {
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
        values: typed_values(&typed),
    });
    let mut page = match app.oneshot(get).await {
        Ok(page) => page,
        Err(never) => match never {},
    };
    // The page would send the user elsewhere (they are on another step now):
    // the refusal gets a page of its own rather than being lost on the way.
    if page.status() != StatusCode::OK {
        page = refusal(status, &error.to_string());
    }
    *page.status_mut() = status;
    let headers = page.headers_mut();
    // A session the refused call began or renewed stays the browser's.
    for cookie in res.headers().get_all(header::SET_COOKIE) {
        headers.append(header::SET_COOKIE, cookie.clone());
    }
    let cookie = format!(
        "{BACK_COOKIE}={}; Path=/rpc; HttpOnly; SameSite=Strict; Max-Age=600{}",
        form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>(),
        if replay.secure { "; Secure" } else { "" }
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        headers.append(header::SET_COOKIE, v);
    }
    if let AppError::Domain(e) = &error {
        if let Some(secs) = crate::api::error::retry_after(e) {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    page
}

/// A browser's own form submission to a server function (the page's code asks
/// for JSON instead).
fn is_form_post(req: &Request) -> bool {
    req.method() == Method::POST
        && req.uri().path().starts_with("/rpc/")
        && wants_page(req.headers())
        && (has_type(req.headers(), "application/x-www-form-urlencoded")
            || has_type(req.headers(), "multipart/form-data"))
}

/// The page the form was on: the path of the `Referer` (the cross-site guard has
/// already held the post to this origin), or, from a page rendered again, the one
/// its cookie names; never a server function's or the API's, and without the
/// error leptos may have left in the address.
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
            .and_then(|v| {
                form_urlencoded::parse(format!("p={v}").as_bytes())
                    .map(|(_, p)| p.into_owned())
                    .next()
            })
    };
    match referer {
        Some(p) if p.starts_with("/rpc/") => remembered(),
        other => other,
    }
    .filter(|p| is_page(p))
    .map(|p| without_error(&p))
    .unwrap_or_else(|| "/".into())
}

/// A page of this site: a plain local path, not `//elsewhere` nor `/\elsewhere`,
/// without control characters, and not a server function or the API.
fn is_page(path: &str) -> bool {
    leadsy_app::pages::account::is_local_path(path)
        && path.bytes().all(|b| b > 0x20 && b != 0x7f)
        && !path.starts_with("/rpc/")
        && !path.starts_with("/api/")
}

/// The path with leptos's `__path` and `__err` taken out of its query.
fn without_error(path: &str) -> String {
    let Some((path, query)) = path.split_once('?') else {
        return path.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("__path=") && !pair.starts_with("__err="))
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
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

/// The fields as typed (up to a bound), but for passwords, which a page never
/// sends back.
fn typed_values(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .filter(|(name, value)| !name.contains("password") && value.len() <= MAX_VALUE_BYTES)
        .take(MAX_FIELDS)
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

/// The server function's refusal, from leptos's redirect (the last `__err` it
/// added to the page's address) or from a refusal made before it ran (the rate
/// limiter's); any other answer goes on as it is.
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
                    .filter(|(k, _)| k == "__err")
                    .last()
                    .map(|(_, v)| v.into_owned())
            })
            .map(|err| leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(&err));
        return (res, error);
    }
    refused_with(res).await
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
        let with = |referer: &str, cookie: Option<&'static str>| {
            let mut h = HeaderMap::new();
            h.insert(header::REFERER, HeaderValue::from_str(referer).unwrap());
            if let Some(c) = cookie {
                h.insert(header::COOKIE, HeaderValue::from_static(c));
            }
            back_path(&h)
        };
        assert_eq!(
            with("http://127.0.0.1:3000/settings/sources?x=1", None),
            "/settings/sources?x=1"
        );
        assert_eq!(
            with("http://h/board?__path=/rpc/x&__err=AAAA&q=a", None),
            "/board?q=a"
        );
        assert_eq!(with("http://127.0.0.1:3000/rpc/create_source", None), "/");
        assert_eq!(with("//elsewhere.example/board", None), "/");
        assert_eq!(with("http://h/api/v1/companies", None), "/");
        assert_eq!(back_path(&HeaderMap::new()), "/");
        let from_rpc = "http://h/rpc/save_lead";
        assert_eq!(
            with(from_rpc, Some("id=x; leadsy_back=%2Fleads%2F7%3Fa%3D1")),
            "/leads/7?a=1"
        );
        for hostile in [
            "leadsy_back=%2F%2Fevil.example",
            "leadsy_back=%2F%5Cevil.example",
            "leadsy_back=%2F%09%2Fevil.example",
        ] {
            assert_eq!(with(from_rpc, Some(hostile)), "/", "{hostile}");
        }
    }

    #[test]
    fn passwords_are_never_echoed_and_the_echo_is_bounded() {
        let v = typed_values(b"email=a%40b.c&password=secret&current_password=x&name=A+B");
        assert_eq!(
            v,
            vec![
                ("email".into(), "a@b.c".into()),
                ("name".into(), "A B".into())
            ]
        );
        let many = "a=1&".repeat(1000);
        assert_eq!(typed_values(many.as_bytes()).len(), MAX_FIELDS);
        let long = format!("a={}", "x".repeat(MAX_VALUE_BYTES + 1));
        assert!(typed_values(long.as_bytes()).is_empty());
    }
}
