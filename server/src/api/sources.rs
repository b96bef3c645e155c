//! `/api/v1/companies/{company_id}/sources`: thin doors to `leadsy::sources`.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Id};
use crate::{auth::actor::ApiMember, state::AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use leadsy::sources::{self, AssignRep, CreateSource, Source, SourceOrder};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_source, list_sources))
        .routes(routes!(reorder_sources))
        .routes(routes!(delete_source))
        .routes(routes!(assign_rep))
        .routes(routes!(unassign_rep))
}

#[derive(Serialize, ToSchema)]
pub struct SourceBody {
    pub source: Source,
}

super::list_body!(SourcesBody, sources, Source);

/// Create a source (managers); it goes last in the priority order.
#[utoipa::path(post, path = "/companies/{company_id}/sources", tag = "Sources", params(("company_id" = i64, Path)),
    request_body = CreateSource, security(("jwt" = [])),
    responses(
        (status = 201, description = "Created", body = SourceBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 409, description = "SOURCE_NAME_ALREADY_EXISTS", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn create_source(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<CreateSource>,
) -> ApiResult<(StatusCode, Json<SourceBody>)> {
    let source = sources::create(&s.ctx, &me, input).await?;
    Ok((StatusCode::CREATED, Json(SourceBody { source })))
}

/// The company's sources, highest priority first.
#[utoipa::path(get, path = "/companies/{company_id}/sources", tag = "Sources", params(("company_id" = i64, Path)),
    security(("jwt" = [])),
    responses(
        (status = 200, description = "Sources in priority order", body = SourcesBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody)))]
pub async fn list_sources(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
) -> ApiResult<Json<SourcesBody>> {
    let sources = sources::list(&s.ctx, &me).await?;
    Ok(Json(sources.into()))
}

/// Set the whole priority order (managers): every source id once, highest first.
#[utoipa::path(put, path = "/companies/{company_id}/sources/priority", tag = "Sources",
    params(("company_id" = i64, Path)), request_body = SourceOrder, security(("jwt" = [])),
    responses(
        (status = 200, description = "Sources in the new order", body = SourcesBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 422, description = "Not exactly the company's sources", body = ErrorBody)))]
pub async fn reorder_sources(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<SourceOrder>,
) -> ApiResult<Json<SourcesBody>> {
    let sources = sources::reorder(&s.ctx, &me, input).await?;
    Ok(Json(sources.into()))
}

/// Delete a source (managers); its leads keep existing without one.
#[utoipa::path(delete, path = "/companies/{company_id}/sources/{source_id}", tag = "Sources",
    params(("company_id" = i64, Path), ("source_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn delete_source(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, source_id)): Id<(i64, i64)>,
) -> ApiResult<StatusCode> {
    sources::delete(&s.ctx, &me, source_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Route the source's leads to one more rep (managers).
#[utoipa::path(post, path = "/companies/{company_id}/sources/{source_id}/user_accesses", tag = "Sources",
    params(("company_id" = i64, Path), ("source_id" = i64, Path)), request_body = AssignRep, security(("jwt" = [])),
    responses(
        (status = 201, description = "The source with its reps", body = SourceBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Source not found", body = ErrorBody),
        (status = 422, description = "Not a member of the company", body = ErrorBody)))]
pub async fn assign_rep(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, source_id)): Id<(i64, i64)>,
    ApiJson(input): ApiJson<AssignRep>,
) -> ApiResult<(StatusCode, Json<SourceBody>)> {
    let source = sources::assign(&s.ctx, &me, source_id, input).await?;
    Ok((StatusCode::CREATED, Json(SourceBody { source })))
}

/// Stop routing the source's leads to a rep (managers).
#[utoipa::path(delete, path = "/companies/{company_id}/sources/{source_id}/user_accesses/{user_access_id}",
    tag = "Sources",
    params(("company_id" = i64, Path), ("source_id" = i64, Path), ("user_access_id" = i64, Path)),
    security(("jwt" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn unassign_rep(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, source_id, user_access_id)): Id<(i64, i64, i64)>,
) -> ApiResult<StatusCode> {
    sources::unassign(&s.ctx, &me, source_id, user_access_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
