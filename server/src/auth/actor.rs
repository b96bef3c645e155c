//! One auth check for `/api/v1`: a bearer JWT (or a bare one) still in force, a
//! customer API key, or else the page's session cookie. Platform routes take a
//! platform token.

use crate::{api::error::ApiError, state::AppState};
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use leadsy::{actor::Member, Actor, Error};

/// The signed-in user behind an API request.
pub struct ApiActor(pub Actor);

/// The caller as a member of the company in the path (`/companies/{company_id}/…`):
/// the proof every company operation takes. Not a member is "not found".
pub struct ApiMember(pub Member);

#[derive(serde::Deserialize)]
struct CompanyPath {
    company_id: i64,
}

impl FromRequestParts<AppState> for ApiMember {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ApiActor(actor) = ApiActor::from_request_parts(parts, state).await?;
        let Path(CompanyPath { company_id }) = Path::from_request_parts(parts, state)
            .await
            .map_err(|_| Error::not_found("company"))?;
        Ok(ApiMember(
            Member::check(&state.ctx.db, &actor, company_id).await?,
        ))
    }
}

/// A platform API token holder (`/api/v1/global/*`).
pub struct PlatformActor(pub Actor);

const CUSTOMER_KEY_PREFIX: &str = "lds_ck_";

/// The credential in `header`, with or without its `Bearer ` prefix.
pub fn bearer(headers: &HeaderMap, header: &str) -> Option<String> {
    let raw = headers.get(header)?.to_str().ok()?.trim();
    let token = raw
        .strip_prefix("Bearer ")
        .or_else(|| raw.strip_prefix("bearer "))
        .unwrap_or(raw)
        .trim();
    (!token.is_empty()).then(|| token.to_string())
}

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(token) = bearer(&parts.headers, "authorization") {
            let actor = if token.starts_with(CUSTOMER_KEY_PREFIX) {
                leadsy::global::authenticate_customer_key(&state.ctx, &token).await?
            } else {
                state.jwt.verify(&token)?.grant.actor(&state.ctx).await?
            };
            return Ok(ApiActor(actor));
        }
        // The pages read the API with their cookie (downloads); the CSRF check in
        // `crate::csrf` keeps other sites from writing with it.
        let session = parts.extensions.get::<tower_sessions::Session>().cloned();
        if let Some(session) = session {
            if let Some(actor) = leadsy_app::session::signed_in_within(
                &state.ctx,
                &session,
                state.config.session_absolute_secs,
            )
            .await
            {
                return Ok(ApiActor(actor));
            }
        }
        Err(ApiError(Error::unauthorized()))
    }
}

impl FromRequestParts<AppState> for PlatformActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers, "token")
            .or_else(|| bearer(&parts.headers, "authorization"))
            .ok_or_else(|| {
                Error::Unauthorized("a platform API token is required in the `token` header".into())
            })?;
        Ok(PlatformActor(
            leadsy::global::authenticate_platform(&state.ctx, &token).await?,
        ))
    }
}
