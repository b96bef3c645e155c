//! Serves avatars at `/files/avatars/…` from storage, on disk or in a bucket, so
//! every instance serves every avatar. Other stored files (imports, exports) are
//! never served here. An avatar's key changes with every upload, so browsers may
//! keep one for a day, and its name is its validator: a browser that asks again
//! with it is answered 304 without a look at the store.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leadsy::storage::{ImageKind, Storage};
use leadsy::Error;

pub fn router<S: Clone + Send + Sync + 'static>(storage: Storage) -> Router<S> {
    Router::new()
        .route("/files/avatars/{*key}", get(avatar))
        .with_state(storage)
}

async fn avatar(
    State(storage): State<Storage>,
    Path(key): Path<String>,
    asked: HeaderMap,
) -> Response {
    let key = format!("avatars/{key}");
    let Some(kind) = ImageKind::of_key(&key) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let tag = format!("\"{}\"", key.rsplit('/').next().unwrap_or_default());
    let cache = [
        (header::ETAG, tag.clone()),
        (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
    ];
    if asked
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == tag.as_bytes())
    {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    match storage.download(&key).await {
        Ok(file) => (
            cache,
            [
                (header::CONTENT_TYPE, kind.content_type().to_string()),
                (header::CONTENT_LENGTH, file.size.to_string()),
            ],
            Body::from_stream(file.bytes),
        )
            .into_response(),
        Err(Error::NotFound(_)) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}
