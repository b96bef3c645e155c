//! What every request handler can reach: the domain context, the JWT keys, the
//! configuration, the Leptos options and the site's static files.

use crate::{assets::Assets, auth::jwt::JwtKeys, config::Config};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub ctx: leadsy::Ctx,
    pub jwt: Arc<JwtKeys>,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    pub assets: Arc<Assets>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
