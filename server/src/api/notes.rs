//! `/api/v1/companies/{company_id}/leads/{lead_id}/notes`: thin doors to `leadsy::notes`.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Id};
use crate::{auth::actor::ApiMember, state::AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use leadsy::notes::{self, CreateNote, Note};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_note))
        .routes(routes!(delete_note))
}

#[derive(Serialize, ToSchema)]
pub struct NoteBody {
    pub note: Note,
}

/// Write a note on a lead the caller may see.
#[utoipa::path(post, path = "/companies/{company_id}/leads/{lead_id}/notes", tag = "Lead Notes",
    params(("company_id" = i64, Path), ("lead_id" = i64, Path)), request_body = CreateNote, security(("jwt" = [])),
    responses(
        (status = 201, description = "Created", body = NoteBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Lead not found, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn create_note(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, lead_id)): Id<(i64, i64)>,
    ApiJson(input): ApiJson<CreateNote>,
) -> ApiResult<(StatusCode, Json<NoteBody>)> {
    let note = notes::create(&s.ctx, &me, lead_id, input).await?;
    Ok((StatusCode::CREATED, Json(NoteBody { note })))
}

/// Delete a note (its author, or a manager).
#[utoipa::path(delete, path = "/companies/{company_id}/leads/{lead_id}/notes/{note_id}", tag = "Lead Notes",
    params(("company_id" = i64, Path), ("lead_id" = i64, Path), ("note_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Neither its author nor a manager", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn delete_note(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, lead_id, note_id)): Id<(i64, i64, i64)>,
) -> ApiResult<StatusCode> {
    notes::delete(&s.ctx, &me, lead_id, note_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
