//! `/api/v1/companies/{company_id}/jobs`: thin doors to `leadsy::jobs`.

use super::error::{ApiResult, ErrorBody};
use super::extract::Id;
use super::leads::JobBody;
use crate::{auth::actor::ApiMember, state::AppState};
use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use leadsy::jobs;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_job))
        .routes(routes!(job_file))
}

/// A job's progress: its status, the leads looked at and changed so far, and
/// for a completed export where its file downloads.
#[utoipa::path(get, path = "/companies/{company_id}/jobs/{job_id}", tag = "Jobs",
    params(("company_id" = i64, Path), ("job_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The job", body = JobBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not a job the caller started (or, for a manager, the company's)", body = ErrorBody)))]
pub async fn get_job(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, job_id)): Id<(i64, i64)>,
) -> ApiResult<Json<JobBody>> {
    let job = jobs::get(&s.ctx, &me, job_id).await?;
    Ok(Json(JobBody { job }))
}

/// The CSV file a completed export job wrote.
#[utoipa::path(get, path = "/companies/{company_id}/jobs/{job_id}/file", tag = "Jobs",
    params(("company_id" = i64, Path), ("job_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The exported leads", content_type = "text/csv", body = String),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not such a job of the caller's, or it has no file (yet)", body = ErrorBody),
        (status = 422, description = "FILE_EXPIRED: the file has been deleted since", body = ErrorBody)))]
pub async fn job_file(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, job_id)): Id<(i64, i64)>,
) -> ApiResult<Response> {
    let (name, file) = jobs::file(&s.ctx, &me, job_id).await?;
    Ok(super::imports::csv_file(&name, Body::from_stream(file.bytes)).into_response())
}
