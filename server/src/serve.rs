//! What one client may take of the server: connections, time and bytes. The
//! accept loop caps open connections and gives hyper a clock, so a client that
//! trickles its headers, or holds a keep-alive connection silent, is cut off after
//! the header-read timeout; the layers below bound each request's time, the pauses
//! in its body, and the size of its body and head. Every refusal goes on to
//! `refusals::dress`, which puts it in the door's own form.

use crate::config::{Config, Limits};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Layer;
use tower_http::timeout::RequestBodyTimeoutLayer;

/// The longest request target; longer ones are refused before routing.
const MAX_URI_BYTES: usize = 8 * 1024;
/// The most header bytes a request may carry. hyper's own buffer is larger, so
/// requests between the two are refused here, in the door's form; only heads
/// past hyper's buffer get hyper's bare 431.
const MAX_HEADER_BYTES: usize = 32 * 1024;
const HYPER_BUFFER_BYTES: usize = 128 * 1024;
const MAX_HEADERS: usize = 100;
const HYPER_MAX_HEADERS: usize = 256;

/// Serves `router` until `shutdown` resolves, then lets requests in flight finish
/// within the grace period.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    // Without a timer hyper has no header-read timeout at all. It also bounds how
    // long an idle keep-alive connection waits for its next request.
    http.timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(limits.header_read_secs))
        .max_headers(HYPER_MAX_HEADERS)
        .max_buf_size(HYPER_BUFFER_BYTES);
    let app =
        RequestBodyTimeoutLayer::new(Duration::from_secs(limits.body_idle_secs)).layer(router);
    let graceful = GracefulShutdown::new();
    let serve_one = |stream: tokio::net::TcpStream,
                     peer: std::net::SocketAddr,
                     slot: Option<tokio::sync::OwnedSemaphorePermit>| {
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(Extension(ConnectInfo(peer)).layer(app.clone()));
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, timeout = e.is_timeout(), "connection ended");
            }
            drop(slot);
        });
    };
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A client past the cap waits in the listen queue until a slot frees.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = shutdown.as_mut() => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = shutdown.as_mut() => break,
        };
        serve_one(stream, peer, Some(slot));
    }
    // A proxy may have sent requests on connections the kernel completed but this
    // loop had not yet taken: served too, rather than reset when the listener
    // closes (a reset request, unlike a refused connection, a proxy cannot safely
    // send elsewhere).
    if let Ok(listener) = listener.into_std() {
        for _ in 0..limits.max_connections {
            let Ok((stream, peer)) = listener.accept() else {
                break;
            };
            if let Ok(stream) = stream
                .set_nonblocking(true)
                .and_then(|()| tokio::net::TcpStream::from_std(stream))
            {
                serve_one(stream, peer, None);
            }
        }
    }
    // The graceful close shuts a connection that has not read its request yet:
    // the ones taken last get a moment to read theirs.
    tokio::time::sleep(Duration::from_millis(200)).await;
    tracing::info!(open = graceful.count(), "finishing the requests in flight");
    let grace = Duration::from_secs(limits.shutdown_grace_secs);
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("grace period over; the remaining connections are dropped");
    }
}

/// Running out of file descriptors is worth a pause; a client that hung up is not.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if !matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        tracing::error!(error = %e, "could not accept a connection");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Uploads stream for minutes; everything else must be answered in seconds.
fn is_upload(method: &Method, path: &str) -> bool {
    let api_upload = path
        .strip_prefix("/api/v1/")
        .is_some_and(|rest| rest.ends_with("/imports") || rest.ends_with("/avatar"));
    (method == Method::POST || method == Method::PUT)
        && (api_upload || path.starts_with("/rpc/upload_"))
}

/// The time a request has to be answered, its body included: the upload limit for
/// uploads, the request limit for the rest. A response that streams (a page, a
/// download) is bounded only until its head is sent.
pub async fn in_time(State(limits): State<Limits>, req: Request, next: Next) -> Response {
    let secs = if is_upload(req.method(), req.uri().path()) {
        limits.upload_secs
    } else {
        limits.request_secs
    };
    match tokio::time::timeout(Duration::from_secs(secs), next.run(req)).await {
        Ok(res) => res,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// The body bound of the pages and server functions (the API's extractors carry
/// their own): a declared length over it is refused at once, and a body that
/// turns out longer fails as it is read. Uploads are bounded by what reads them.
#[derive(Clone, Copy)]
pub struct BodyLimits {
    max_body_bytes: usize,
}

impl BodyLimits {
    pub fn new(config: &Config) -> BodyLimits {
        BodyLimits {
            max_body_bytes: config.limits.max_body_bytes,
        }
    }
}

pub async fn limit_bodies(State(limits): State<BodyLimits>, req: Request, next: Next) -> Response {
    if req.uri().to_string().len() > MAX_URI_BYTES {
        return StatusCode::URI_TOO_LONG.into_response();
    }
    let head: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if head > MAX_HEADER_BYTES || req.headers().len() > MAX_HEADERS {
        return StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE.into_response();
    }
    let path = req.uri().path();
    if path.starts_with("/api/v1/") || is_upload(req.method(), path) {
        return next.run(req).await;
    }
    let max = limits.max_body_bytes;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body must be at most {} KiB", max / 1024),
        )
            .into_response();
    }
    let (parts, body) = req.into_parts();
    let bounded = Request::from_parts(parts, Body::new(http_body_util::Limited::new(body, max)));
    next.run(bounded).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_told_apart() {
        assert!(is_upload(&Method::POST, "/api/v1/companies/3/imports"));
        assert!(is_upload(&Method::PUT, "/api/v1/users/3/avatar"));
        assert!(is_upload(&Method::POST, "/rpc/upload_import12345"));
        assert!(!is_upload(&Method::GET, "/api/v1/companies/3/imports"));
        assert!(!is_upload(&Method::POST, "/rpc/log_in123"));
    }
}
