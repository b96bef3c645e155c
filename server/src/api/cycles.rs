//! `/api/v1/companies/{company_id}/cycles`: thin doors to `leadsy::cycles`.

use super::companies::CompanyBody;
use super::error::{ApiResult, ErrorBody};
use super::extract::ApiJson;
use crate::{auth::actor::ApiMember, state::AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use leadsy::cycles::{self, CreateCycle, Cycle, CyclesFlag};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set_cycles_flag, create_cycle, list_cycles))
}

#[derive(Serialize, ToSchema)]
pub struct CycleBody {
    pub cycle: Cycle,
}

super::list_body!(CyclesBody, cycles, Cycle);

/// Turn cycle tagging of new leads on or off (admins).
#[utoipa::path(put, path = "/companies/{company_id}/cycles", tag = "Cycles", params(("company_id" = i64, Path)),
    request_body = CyclesFlag, security(("jwt" = [])),
    responses(
        (status = 200, description = "The company", body = CompanyBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin of the company", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn set_cycles_flag(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<CyclesFlag>,
) -> ApiResult<Json<CompanyBody>> {
    let company = cycles::set_enabled(&s.ctx, &me, input).await?;
    Ok(Json(CompanyBody { company }))
}

/// Add a cycle (managers); cycles of a company never overlap.
#[utoipa::path(post, path = "/companies/{company_id}/cycles", tag = "Cycles", params(("company_id" = i64, Path)),
    request_body = CreateCycle, security(("jwt" = [])),
    responses(
        (status = 201, description = "Created", body = CycleBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 422, description = "Invalid fields, or CYCLE_OVERLAP", body = ErrorBody)))]
pub async fn create_cycle(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<CreateCycle>,
) -> ApiResult<(StatusCode, Json<CycleBody>)> {
    let cycle = cycles::create(&s.ctx, &me, input).await?;
    Ok((StatusCode::CREATED, Json(CycleBody { cycle })))
}

/// The company's cycles, oldest first.
#[utoipa::path(get, path = "/companies/{company_id}/cycles", tag = "Cycles", params(("company_id" = i64, Path)),
    security(("jwt" = [])),
    responses(
        (status = 200, description = "Cycles", body = CyclesBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody)))]
pub async fn list_cycles(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
) -> ApiResult<Json<CyclesBody>> {
    let cycles = cycles::list(&s.ctx, &me).await?;
    Ok(Json(cycles.into()))
}
