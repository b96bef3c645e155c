//! `/api/v1/companies/{company_id}/territories`: thin doors to `leadsy::territories`.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Id};
use crate::{auth::actor::ApiMember, state::AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use leadsy::territories::{self, CreateTerritories, Territory};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_territories, list_territories))
        .routes(routes!(delete_territory))
}

super::list_body!(TerritoriesBody, territories, Territory);

/// Create territories (managers), all or none.
#[utoipa::path(post, path = "/companies/{company_id}/territories", tag = "Territories",
    params(("company_id" = i64, Path)), request_body = CreateTerritories, security(("jwt" = [])),
    responses(
        (status = 201, description = "The territories created", body = TerritoriesBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn create_territories(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<CreateTerritories>,
) -> ApiResult<(StatusCode, Json<TerritoriesBody>)> {
    let territories = territories::create(&s.ctx, &me, input).await?;
    Ok((StatusCode::CREATED, Json(territories.into())))
}

/// The company's territories in routing order.
#[utoipa::path(get, path = "/companies/{company_id}/territories", tag = "Territories",
    params(("company_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "Territories", body = TerritoriesBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody)))]
pub async fn list_territories(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
) -> ApiResult<Json<TerritoriesBody>> {
    let territories = territories::list(&s.ctx, &me).await?;
    Ok(Json(territories.into()))
}

/// Delete a territory (managers); its postal codes route by source again.
#[utoipa::path(delete, path = "/companies/{company_id}/territories/{territory_id}", tag = "Territories",
    params(("company_id" = i64, Path), ("territory_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn delete_territory(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, territory_id)): Id<(i64, i64)>,
) -> ApiResult<StatusCode> {
    territories::delete(&s.ctx, &me, territory_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
