//! A browser without JavaScript: a cookie jar, plain form posts from our own
//! origin (or another's), pages asked for as HTML.

use crate::support::{Reply, TestApp};
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use leadsy_app::rpc::account::LogIn;
use leptos::server_fn::ServerFn;

/// The site's origin in the tests' configuration.
pub const OWN_ORIGIN: &str = "http://127.0.0.1:3000";

pub struct Browser<'a> {
    app: &'a TestApp,
    /// The session's cookie.
    pub cookie: Option<String>,
    /// Cookies for part of the site (the page a refused form was rendered again
    /// for, sent to `/rpc`; a new webhook secret, to its settings page): the pair
    /// and its path.
    scoped: Vec<(String, String)>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            cookie: None,
            scoped: Vec::new(),
        }
    }

    fn remember(&mut self, headers: &HeaderMap) {
        for c in headers.get_all(header::SET_COOKIE) {
            let mut parts = c.to_str().unwrap().split(';').map(str::trim);
            let pair = parts.next().unwrap().to_string();
            let attrs: Vec<&str> = parts.collect();
            let path = attrs
                .iter()
                .find_map(|a| a.strip_prefix("Path="))
                .unwrap_or("/")
                .to_string();
            if path == "/" {
                self.cookie = Some(pair);
                continue;
            }
            let name = pair.split('=').next().unwrap().to_string();
            self.scoped
                .retain(|(p, _)| !p.starts_with(&format!("{name}=")));
            if !attrs.contains(&"Max-Age=0") {
                self.scoped.push((pair, path));
            }
        }
    }

    /// The `Cookie` header a browser sends to `path`.
    fn cookies_for(&self, path: &str) -> Option<String> {
        let jar: Vec<&str> = self
            .cookie
            .iter()
            .map(String::as_str)
            .chain(
                self.scoped
                    .iter()
                    .filter(|(_, p)| path.starts_with(p.as_str()))
                    .map(|(c, _)| c.as_str()),
            )
            .collect();
        (!jar.is_empty()).then(|| jar.join("; "))
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let mut req = Request::builder()
            .uri(path)
            .header(header::ACCEPT, "text/html");
        if let Some(c) = self.cookies_for(path) {
            req = req.header(header::COOKIE, c);
        }
        let r = self.app.send(req.body(Body::empty()).unwrap()).await;
        self.remember(&r.headers);
        r
    }

    /// Logs in a user the test support made (they share one password).
    pub async fn log_in(&mut self, email: &str) {
        let r = self
            .post(
                LogIn::PATH,
                "/login",
                &[("email", email), ("password", "correct horse battery")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FOUND, "{email} is logged in");
    }

    /// A form post as a browser without WASM sends it from our own page.
    pub async fn post(&mut self, action: &str, from: &str, form: &[(&str, &str)]) -> Reply {
        self.post_from(Some(OWN_ORIGIN), action, from, form).await
    }

    /// A form post that `origin` (another site, or None for no header) sends.
    pub async fn post_from(
        &mut self,
        origin: Option<&str>,
        action: &str,
        from: &str,
        form: &[(&str, &str)],
    ) -> Reply {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", v.replace(' ', "+").replace('@', "%40")))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::builder()
            .method("POST")
            .uri(action)
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, format!("http://127.0.0.1:3000{from}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = self.cookies_for(action) {
            req = req.header(header::COOKIE, c);
        }
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        let r = self.app.send(req.body(Body::from(body)).unwrap()).await;
        self.remember(&r.headers);
        r
    }
}

/// The page a refused plain form post comes back as: the page it was posted from,
/// rendered again under the refusal's status, not a redirect.
pub fn refused(r: &Reply, status: StatusCode) -> &str {
    assert_eq!(r.status, status, "{}", r.raw);
    assert!(
        location(r).is_empty(),
        "rendered, not redirected: {}",
        location(r)
    );
    &r.raw
}

pub fn location(r: &Reply) -> String {
    r.headers
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
}
