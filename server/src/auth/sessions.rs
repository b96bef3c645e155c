//! The session cookie of the pages: HttpOnly, SameSite=Lax, Secure over https,
//! expiring after inactivity; the absolute limit is checked where it is read.

use super::session_store::DbSessionStore;
use crate::config::Config;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub const COOKIE_NAME: &str = "leadsy_session";

pub fn layer(store: DbSessionStore, config: &Config) -> SessionManagerLayer<DbSessionStore> {
    SessionManagerLayer::new(store)
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies())
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            config.session_idle_secs,
        )))
}
