//! Serves public stored files (avatars) at `/files/avatars/…` straight from the
//! storage root; other stored files (uploaded CSVs) are never served. An avatar's
//! key changes with every upload, so browsers may keep one for a day.

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router<S: Clone + Send + Sync + 'static>(storage: &leadsy::storage::Storage) -> Router<S> {
    Router::new()
        .nest_service(
            "/files/avatars",
            ServeDir::new(storage.root().join("avatars")),
        )
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        ))
}
