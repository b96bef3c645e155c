//! `/api/v1/companies/{company_id}/leads`: thin doors to `leadsy::leads`.

use super::error::{ApiResult, ErrorBody};
use super::extract::{etag, ApiJson, ApiQuery, Id, IfMatch};
use super::users::Paging;
use super::views::ViewQuery;
use crate::{auth::actor::ApiMember, state::AppState};
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use leadsy::jobs::Job;
use leadsy::leads::bulk_change::{BulkChange, BulkOutcome};
use leadsy::leads::{
    self, CreateLead, DuplicateGroup, Lead, LeadDetail, LeadFilter, MergeLeads, Merged,
    StageMetric, UpdateLead,
};
use leadsy::paging::Meta;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_lead, list_leads))
        .routes(routes!(list_duplicates))
        .routes(routes!(export_leads, start_export))
        .routes(routes!(bulk_change))
        .routes(routes!(list_unassigned))
        .routes(routes!(lead_metrics))
        .routes(routes!(get_lead, update_lead))
        .routes(routes!(merge_leads))
        .routes(routes!(undo_merge))
}

#[derive(Serialize, ToSchema)]
pub struct LeadBody {
    pub lead: Lead,
}

#[derive(Serialize, ToSchema)]
pub struct LeadDetailBody {
    pub lead: LeadDetail,
}

#[derive(Serialize, ToSchema)]
pub struct LeadsBody {
    pub leads: Vec<Lead>,
    pub meta: Meta,
}

#[derive(Serialize, ToSchema)]
pub struct DuplicatesBody {
    pub duplicates: Vec<DuplicateGroup>,
    pub meta: Meta,
}

super::list_body!(MetricsBody, metrics, StageMetric);

/// Create a lead; without an assignee it is routed by territory, then source.
#[utoipa::path(post, path = "/companies/{company_id}/leads", tag = "Leads", params(("company_id" = i64, Path)),
    request_body = CreateLead, security(("jwt" = [])),
    responses(
        (status = 201, description = "Created", body = LeadBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 422, description = "Invalid fields, or LEAD_LIMIT_REACHED: the plan holds no more leads", body = ErrorBody)))]
pub async fn create_lead(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<CreateLead>,
) -> ApiResult<(StatusCode, Json<LeadBody>)> {
    let lead = leads::create(&s.ctx, &me, input).await?;
    Ok((StatusCode::CREATED, Json(LeadBody { lead })))
}

/// The leads the caller may see (a sales rep: their own), newest first.
#[utoipa::path(get, path = "/companies/{company_id}/leads", tag = "Leads",
    params(("company_id" = i64, Path), LeadFilter, ViewQuery, Paging), security(("jwt" = [])),
    responses(
        (status = 200, description = "A page of leads", body = LeadsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies, or no such view", body = ErrorBody),
        (status = 422, description = "A malformed filter", body = ErrorBody)))]
pub async fn list_leads(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiQuery(filter): ApiQuery<LeadFilter>,
    ApiQuery(view): ApiQuery<ViewQuery>,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<LeadsBody>> {
    let filter = leadsy::views::resolve(&s.ctx, &me, view.view_id, filter).await?;
    let (leads, meta) = leads::list(&s.ctx, &me, &filter, p.page()).await?;
    Ok(Json(LeadsBody { leads, meta }))
}

/// Groups of leads sharing a normalized email or phone, largest first.
#[utoipa::path(get, path = "/companies/{company_id}/leads/duplicates", tag = "Leads",
    params(("company_id" = i64, Path), Paging), security(("jwt" = [])),
    responses(
        (status = 200, description = "A page of duplicate groups", body = DuplicatesBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody)))]
pub async fn list_duplicates(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<DuplicatesBody>> {
    let (duplicates, meta) = leads::duplicates(&s.ctx, &me, p.page()).await?;
    Ok(Json(DuplicatesBody { duplicates, meta }))
}

/// Every lead the filters match, as CSV, newest first, streamed a page at a time:
/// each field, answers as a column per question, formula-like cells neutralized.
#[utoipa::path(get, path = "/companies/{company_id}/leads/export", tag = "Leads",
    params(("company_id" = i64, Path), LeadFilter, ViewQuery), security(("jwt" = [])),
    responses(
        (status = 200, description = "The matching leads (a sales rep: their own)", content_type = "text/csv", body = String),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies, or no such view", body = ErrorBody),
        (status = 422, description = "A malformed filter", body = ErrorBody)))]
pub async fn export_leads(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiQuery(filter): ApiQuery<LeadFilter>,
    ApiQuery(view): ApiQuery<ViewQuery>,
) -> ApiResult<Response> {
    let filter = leadsy::views::resolve(&s.ctx, &me, view.view_id, filter).await?;
    let rows = leads::export(&s.ctx, &me, &filter).await?;
    let pages = futures_util::stream::try_unfold(rows, |mut rows| async move {
        Ok::<_, leadsy::Error>(rows.next_chunk().await?.map(|chunk| (chunk, rows)))
    });
    Ok(super::imports::csv_file("leads.csv", Body::from_stream(pages)).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct JobBody {
    pub job: Job,
}

/// Export the leads the filters match as a job (a large export): the CSV file is
/// written in the background and downloads from the job's `file_url` when ready.
#[utoipa::path(post, path = "/companies/{company_id}/leads/export", tag = "Leads",
    params(("company_id" = i64, Path), LeadFilter, ViewQuery), security(("jwt" = [])),
    responses(
        (status = 202, description = "The export job, queued", body = JobBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies, or no such view", body = ErrorBody),
        (status = 409, description = "TOO_MANY_JOBS: the caller's earlier jobs are still running", body = ErrorBody),
        (status = 422, description = "A malformed filter", body = ErrorBody)))]
pub async fn start_export(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiQuery(filter): ApiQuery<LeadFilter>,
    ApiQuery(view): ApiQuery<ViewQuery>,
) -> ApiResult<(StatusCode, Json<JobBody>)> {
    let filter = leadsy::views::resolve(&s.ctx, &me, view.view_id, filter).await?;
    let job = leads::start_export(&s.ctx, &me, &filter).await?;
    Ok((StatusCode::ACCEPTED, Json(JobBody { job })))
}

/// Assign, move, set the source or campaign of, or delete many leads (managers):
/// by id or every lead a filter matches. Up to 500 change at once (200); more run
/// as a job (202). Each lead's change is its own event; routing runs only with `route`.
#[utoipa::path(post, path = "/companies/{company_id}/leads/bulk", tag = "Leads",
    params(("company_id" = i64, Path)), request_body = BulkChange, security(("jwt" = [])),
    responses(
        (status = 200, description = "Done: `{updated}`, the leads changed", body = BulkOutcome),
        (status = 202, description = "Queued: `{job}`, to watch at GET .../jobs/{job_id}", body = BulkOutcome),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 409, description = "TOO_MANY_JOBS: the caller's earlier jobs are still running", body = ErrorBody),
        (status = 422, description = "No leads chosen, or an action's field missing or not the company's", body = ErrorBody)))]
pub async fn bulk_change(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<BulkChange>,
) -> ApiResult<(StatusCode, Json<BulkOutcome>)> {
    let outcome = leads::bulk_change(&s.ctx, &me, input).await?;
    let status = match outcome {
        BulkOutcome::Updated(_) => StatusCode::OK,
        BulkOutcome::Job(_) => StatusCode::ACCEPTED,
    };
    Ok((status, Json(outcome)))
}

/// Leads nobody is assigned to, newest first.
#[utoipa::path(get, path = "/companies/{company_id}/leads/unassigned", tag = "Leads",
    params(("company_id" = i64, Path), LeadFilter, Paging), security(("jwt" = [])),
    responses(
        (status = 200, description = "A page of leads", body = LeadsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 422, description = "A malformed filter", body = ErrorBody)))]
pub async fn list_unassigned(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiQuery(filter): ApiQuery<LeadFilter>,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<LeadsBody>> {
    let (leads, meta) = leads::unassigned(&s.ctx, &me, &filter, p.page()).await?;
    Ok(Json(LeadsBody { leads, meta }))
}

/// Count and value of the visible leads per stage, every stage present; takes the list's filters.
#[utoipa::path(get, path = "/companies/{company_id}/leads/metrics", tag = "Leads",
    params(("company_id" = i64, Path), LeadFilter), security(("jwt" = [])),
    responses(
        (status = 200, description = "One entry per stage, in board order", body = MetricsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 422, description = "A malformed filter", body = ErrorBody)))]
pub async fn lead_metrics(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiQuery(filter): ApiQuery<LeadFilter>,
) -> ApiResult<Json<MetricsBody>> {
    let metrics = leads::metrics(&s.ctx, &me, &filter).await?;
    Ok(Json(metrics.into()))
}

/// A lead with its notes; its `ETag` names the version a `PUT` may expect.
#[utoipa::path(get, path = "/companies/{company_id}/leads/{lead_id}", tag = "Leads",
    params(("company_id" = i64, Path), ("lead_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The lead", body = LeadDetailBody,
            headers(("ETag" = String, description = "The lead's version, for If-Match"))),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found, or not visible to the caller", body = ErrorBody)))]
pub async fn get_lead(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, lead_id)): Id<(i64, i64)>,
) -> ApiResult<impl IntoResponse> {
    let lead = leads::get(&s.ctx, &me, lead_id).await?;
    Ok((etag(lead.lead.version), Json(LeadDetailBody { lead })))
}

/// Update a lead (partial body; moving it to another stage is `{"stage_id": ...}`).
/// Only the fields sent change, so updates of different fields never undo each
/// other; with `If-Match`, a lead changed since that version is refused with 412.
#[utoipa::path(put, path = "/companies/{company_id}/leads/{lead_id}", tag = "Leads",
    params(("company_id" = i64, Path), ("lead_id" = i64, Path),
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?"[0-9]+"|[0-9]+)$"#,
            description = "The ETag of the version this change was made against, or *")),
    request_body = UpdateLead, security(("jwt" = [])),
    responses(
        (status = 200, description = "The updated lead", body = LeadBody,
            headers(("ETag" = String, description = "The lead's new version"))),
        (status = 400, description = "Malformed body or If-Match", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found, or not visible to the caller", body = ErrorBody),
        (status = 412, description = "The lead changed since the If-Match version", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn update_lead(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, lead_id)): Id<(i64, i64)>,
    IfMatch(expected): IfMatch,
    ApiJson(patch): ApiJson<UpdateLead>,
) -> ApiResult<impl IntoResponse> {
    let lead = leads::update(&s.ctx, &me, lead_id, patch, expected).await?;
    Ok((etag(lead.version), Json(LeadBody { lead })))
}

/// Merge other leads into this one (managers): field by field the chosen values
/// win, notes and appointments move here, the others are gone from every list;
/// `dry_run` answers the same and keeps nothing. Undoable for 30 days.
#[utoipa::path(post, path = "/companies/{company_id}/leads/{lead_id}/merge", tag = "Leads",
    params(("company_id" = i64, Path), ("lead_id" = i64, Path)), request_body = MergeLeads, security(("jwt" = [])),
    responses(
        (status = 200, description = "The surviving lead and the merge", body = Merged),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "A lead that is not the company's", body = ErrorBody),
        (status = 422, description = "Invalid lead ids or fields", body = ErrorBody)))]
pub async fn merge_leads(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, lead_id)): Id<(i64, i64)>,
    ApiJson(input): ApiJson<MergeLeads>,
) -> ApiResult<Json<Merged>> {
    Ok(Json(leads::merge(&s.ctx, &me, lead_id, input).await?))
}

/// Undo a merge within 30 days (managers): the merged leads come back with their
/// notes and appointments, and the survivor's fields the merge set, unless changed since.
#[utoipa::path(post, path = "/companies/{company_id}/merges/{merge_id}/undo", tag = "Leads",
    params(("company_id" = i64, Path), ("merge_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The surviving lead and the undone merge", body = Merged),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not one of the company's merges", body = ErrorBody),
        (status = 422, description = "MERGE_ALREADY_UNDONE, MERGE_UNDO_EXPIRED or MERGE_CANNOT_BE_UNDONE", body = ErrorBody)))]
pub async fn undo_merge(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, merge_id)): Id<(i64, i64)>,
) -> ApiResult<Json<Merged>> {
    Ok(Json(leads::undo_merge(&s.ctx, &me, merge_id).await?))
}
