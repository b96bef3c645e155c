//! `/api/v1/companies/{company_id}/views`: thin doors to `leadsy::views`.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Id};
use crate::{auth::actor::ApiMember, state::AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use leadsy::views::{self, CreateView, SavedView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_view, list_views))
        .routes(routes!(delete_view))
}

#[derive(Serialize, ToSchema)]
pub struct ViewBody {
    pub view: SavedView,
}

super::list_body!(ViewsBody, views, SavedView);

/// A saved view named in a lead list's query: its filters, under any given beside it.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ViewQuery {
    pub view_id: Option<i64>,
}

/// Save the lead filters as a named view, the caller's own or shared with the company.
#[utoipa::path(post, path = "/companies/{company_id}/views", tag = "Views", params(("company_id" = i64, Path)),
    request_body = CreateView, security(("jwt" = [])),
    responses(
        (status = 201, description = "Created", body = ViewBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 409, description = "VIEW_NAME_ALREADY_EXISTS", body = ErrorBody),
        (status = 422, description = "Invalid fields, or VIEW_LIMIT_REACHED", body = ErrorBody)))]
pub async fn create_view(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<CreateView>,
) -> ApiResult<(StatusCode, Json<ViewBody>)> {
    let view = views::create(&s.ctx, &me, input).await?;
    Ok((StatusCode::CREATED, Json(ViewBody { view })))
}

/// The caller's views and the company's shared ones, by name.
#[utoipa::path(get, path = "/companies/{company_id}/views", tag = "Views", params(("company_id" = i64, Path)),
    security(("jwt" = [])),
    responses(
        (status = 200, description = "Views by name", body = ViewsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody)))]
pub async fn list_views(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
) -> ApiResult<Json<ViewsBody>> {
    Ok(Json(views::list(&s.ctx, &me).await?.into()))
}

/// Delete a view: its owner, or an admin for a shared one.
#[utoipa::path(delete, path = "/companies/{company_id}/views/{view_id}", tag = "Views",
    params(("company_id" = i64, Path), ("view_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Another member's shared view, and not an admin", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn delete_view(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, view_id)): Id<(i64, i64)>,
) -> ApiResult<StatusCode> {
    views::delete(&s.ctx, &me, view_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
