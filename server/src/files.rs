//! Serves public stored files (avatars) at `/files/avatars/…` straight from the
//! storage root; other stored files (uploaded CSVs) are never served.

use axum::Router;
use tower_http::services::ServeDir;

pub fn router<S: Clone + Send + Sync + 'static>(storage: &leadsy::storage::Storage) -> Router<S> {
    Router::new().nest_service(
        "/files/avatars",
        ServeDir::new(storage.root().join("avatars")),
    )
}
