//! `/api/v1/companies`: thin doors to `leadsy::companies` and `leadsy::memberships`.

use super::error::{ApiResult, ErrorBody};
use super::extract::{file_part, ApiJson, ApiQuery};
use super::users::{FileUpload, Paging};
use crate::{
    auth::actor::{ApiActor, ApiMember},
    state::AppState,
};
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::Json;
use leadsy::companies::{self, Company, CompanyUser, CreateCompany, UpdateCompany};
use leadsy::memberships::{self, AttachMembership};
use leadsy::paging::Meta;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_company, list_companies))
        .routes(routes!(get_company, update_company))
        .routes(routes!(upload_avatar, remove_avatar))
        .routes(routes!(company_users))
        .routes(routes!(attach_membership, cancel_membership))
}

#[derive(Serialize, ToSchema)]
pub struct CompanyBody {
    pub company: Company,
}

#[derive(Serialize, ToSchema)]
pub struct CompaniesBody {
    pub companies: Vec<Company>,
    pub meta: Meta,
}

#[derive(Serialize, ToSchema)]
pub struct CompanyUsersBody {
    pub users: Vec<CompanyUser>,
    pub meta: Meta,
}

/// Create a company; the caller becomes its admin.
#[utoipa::path(post, path = "/companies", tag = "Companies", request_body = CreateCompany, security(("jwt" = [])),
    responses(
        (status = 201, description = "Created", body = CompanyBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 409, description = "COMPANY_NAME_ALREADY_REGISTERED", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn create_company(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<CreateCompany>,
) -> ApiResult<(StatusCode, Json<CompanyBody>)> {
    let company = companies::create(&s.ctx, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(CompanyBody { company })))
}

/// The caller's companies.
#[utoipa::path(get, path = "/companies", tag = "Companies", params(Paging), security(("jwt" = [])),
    responses(
        (status = 200, description = "A page of companies", body = CompaniesBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody)))]
pub async fn list_companies(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<CompaniesBody>> {
    let (companies, meta) = companies::list(&s.ctx, &actor, p.page()).await?;
    Ok(Json(CompaniesBody { companies, meta }))
}

/// Get one of the caller's companies.
#[utoipa::path(get, path = "/companies/{company_id}", tag = "Companies", params(("company_id" = i64, Path)),
    security(("jwt" = [])),
    responses(
        (status = 200, description = "The company", body = CompanyBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found, or not one of the caller's companies", body = ErrorBody)))]
pub async fn get_company(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
) -> ApiResult<Json<CompanyBody>> {
    let company = companies::get(&s.ctx, &me).await?;
    Ok(Json(CompanyBody { company }))
}

/// Rename a company (admins).
#[utoipa::path(put, path = "/companies/{company_id}", tag = "Companies", params(("company_id" = i64, Path)),
    request_body = UpdateCompany, security(("jwt" = [])),
    responses(
        (status = 200, description = "The renamed company", body = CompanyBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin of the company", body = ErrorBody),
        (status = 404, description = "Not found, or not one of the caller's companies", body = ErrorBody),
        (status = 409, description = "COMPANY_NAME_ALREADY_REGISTERED", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn update_company(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<UpdateCompany>,
) -> ApiResult<Json<CompanyBody>> {
    let company = companies::update(&s.ctx, &me, input).await?;
    Ok(Json(CompanyBody { company }))
}

/// Upload the company's avatar (admins).
#[utoipa::path(put, path = "/companies/{company_id}/avatar", tag = "Companies", params(("company_id" = i64, Path)),
    request_body(content = FileUpload, content_type = "multipart/form-data"), security(("jwt" = [])),
    responses(
        (status = 200, description = "Avatar stored", body = CompanyBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 413, description = "Over the size limit", body = ErrorBody),
        (status = 422, description = "Not a png, jpeg or webp image", body = ErrorBody)))]
pub async fn upload_avatar(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    multipart: Multipart,
) -> ApiResult<Json<CompanyBody>> {
    let bytes = file_part(multipart, s.ctx.settings.max_avatar_bytes).await?;
    let company = companies::set_avatar(&s.ctx, &me, &bytes).await?;
    Ok(Json(CompanyBody { company }))
}

/// Remove the company's avatar (admins).
#[utoipa::path(delete, path = "/companies/{company_id}/avatar", tag = "Companies", params(("company_id" = i64, Path)),
    security(("jwt" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn remove_avatar(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
) -> ApiResult<StatusCode> {
    companies::remove_avatar(&s.ctx, &me).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The company's users with their access.
#[utoipa::path(get, path = "/companies/{company_id}/users", tag = "Companies",
    params(("company_id" = i64, Path), Paging), security(("jwt" = [])),
    responses(
        (status = 200, description = "A page of members", body = CompanyUsersBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn company_users(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<CompanyUsersBody>> {
    let (users, meta) = companies::users(&s.ctx, &me, p.page()).await?;
    Ok(Json(CompanyUsersBody { users, meta }))
}

/// Subscribe the company to a plan (admins).
#[utoipa::path(post, path = "/companies/{company_id}/membership", tag = "Membership",
    params(("company_id" = i64, Path)), request_body = AttachMembership, security(("jwt" = [])),
    responses(
        (status = 200, description = "The company with its plan", body = CompanyBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "Unknown plan, or PLAN_TOO_SMALL for the company's members and leads", body = ErrorBody)))]
pub async fn attach_membership(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<AttachMembership>,
) -> ApiResult<Json<CompanyBody>> {
    let company = memberships::attach(&s.ctx, &me, input).await?;
    Ok(Json(CompanyBody { company }))
}

/// Cancel the subscription; it stays active to the end of the period.
#[utoipa::path(delete, path = "/companies/{company_id}/membership", tag = "Membership",
    params(("company_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The company, its plan marked cancelled", body = CompanyBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "NO_ACTIVE_MEMBERSHIP", body = ErrorBody)))]
pub async fn cancel_membership(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
) -> ApiResult<Json<CompanyBody>> {
    let company = memberships::cancel(&s.ctx, &me).await?;
    Ok(Json(CompanyBody { company }))
}
