//! `/api/v1/global`: integrators with a platform token.

use super::error::{ApiResult, ErrorBody};
use super::extract::ApiJson;
use crate::{auth::actor::PlatformActor, state::AppState};
use axum::extract::State;
use axum::Json;
use leadsy::global::{self, CustomerToken, CustomerTokenInput, OnboardInput, Onboarded};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(onboard))
        .routes(routes!(token_by_customer_id))
}

#[derive(Serialize, ToSchema)]
pub struct OnboardedBody {
    #[schema(example = "User onboarded successfully")]
    pub message: String,
    pub data: Onboarded,
}

/// Onboard a user with their company in one call (one transaction).
#[utoipa::path(post, path = "/global/users/onboard", tag = "Global", request_body = OnboardInput,
    security(("platform_token" = [])),
    responses(
        (status = 200, description = "Onboarded", body = OnboardedBody),
        (status = 401, description = "Missing or revoked platform token", body = ErrorBody),
        (status = 409, description = "EMAIL_ALREADY_REGISTERED, WORKFLOW_NAME_ALREADY_REGISTERED or COMPANY_DOMAIN_ALREADY_REGISTERED", body = ErrorBody),
        (status = 422, description = "RESTRICTED_EMAIL_DOMAIN, or missing/malformed fields", body = ErrorBody)))]
pub async fn onboard(
    State(s): State<AppState>,
    PlatformActor(actor): PlatformActor,
    ApiJson(input): ApiJson<OnboardInput>,
) -> ApiResult<Json<OnboardedBody>> {
    let data = global::onboard(&s.ctx, &actor, input).await?;
    Ok(Json(OnboardedBody {
        message: "User onboarded successfully".into(),
        data,
    }))
}

/// Issue an API key acting as the customer's admin.
#[utoipa::path(post, path = "/global/users/gettokenbycustomerid", tag = "Global", request_body = CustomerTokenInput,
    security(("platform_token" = [])),
    responses(
        (status = 200, description = "A new key; each call makes another", body = CustomerToken),
        (status = 401, description = "Missing or revoked platform token", body = ErrorBody),
        (status = 404, description = "CUSTOMER_ID_NOT_FOUND", body = ErrorBody),
        (status = 422, description = "Missing customer_id or bad expiration_days", body = ErrorBody)))]
pub async fn token_by_customer_id(
    State(s): State<AppState>,
    PlatformActor(actor): PlatformActor,
    ApiJson(input): ApiJson<CustomerTokenInput>,
) -> ApiResult<Json<CustomerToken>> {
    Ok(Json(global::customer_token(&s.ctx, &actor, input).await?))
}
