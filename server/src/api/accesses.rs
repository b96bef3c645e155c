//! `/api/v1/accesses` and the user_access routes under `/api/v1/users/{id}`.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Id};
use crate::{auth::actor::ApiActor, state::AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use leadsy::accesses::{self, Access, CreateUserAccess, UpdateUserAccess, UserAccess};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_accesses))
        .routes(routes!(get_access))
        .routes(routes!(create_user_access, list_user_accesses))
        .routes(routes!(update_user_access, delete_user_access))
}

#[derive(Serialize, ToSchema)]
pub struct AccessBody {
    pub access: Access,
}

super::list_body!(AccessesBody, accesses, Access);

#[derive(Serialize, ToSchema)]
pub struct UserAccessBody {
    pub user_access: UserAccess,
}

super::list_body!(UserAccessesBody, user_accesses, UserAccess);

/// All accesses (roles) a user can hold.
#[utoipa::path(get, path = "/accesses", tag = "Accesses", security(("jwt" = [])),
    responses(
        (status = 200, description = "Accesses", body = AccessesBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody)))]
pub async fn list_accesses(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
) -> ApiResult<Json<AccessesBody>> {
    let accesses = accesses::list(&s.ctx, &actor).await?;
    Ok(Json(accesses.into()))
}

/// One access by id.
#[utoipa::path(get, path = "/accesses/{access_id}", tag = "Accesses", params(("access_id" = i64, Path)),
    security(("jwt" = [])),
    responses(
        (status = 200, description = "The access", body = AccessBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get_access(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(access_id): Id<i64>,
) -> ApiResult<Json<AccessBody>> {
    let access = accesses::get(&s.ctx, &actor, access_id).await?;
    Ok(Json(AccessBody { access }))
}

/// Give a user an access in a company the caller administers.
#[utoipa::path(post, path = "/users/{user_id}/user_accesses", tag = "User Company Relation",
    params(("user_id" = i64, Path)), request_body = CreateUserAccess, security(("jwt" = [])),
    responses(
        (status = 201, description = "Created", body = UserAccessBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin of the company", body = ErrorBody),
        (status = 404, description = "Unknown user, or not one of the caller's companies", body = ErrorBody),
        (status = 409, description = "USER_ACCESS_ALREADY_EXISTS", body = ErrorBody),
        (status = 422, description = "Unknown access, or SEAT_LIMIT_REACHED on the company's plan", body = ErrorBody)))]
pub async fn create_user_access(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(user_id): Id<i64>,
    ApiJson(input): ApiJson<CreateUserAccess>,
) -> ApiResult<(StatusCode, Json<UserAccessBody>)> {
    let user_access = accesses::create_for_user(&s.ctx, &actor, user_id, input).await?;
    Ok((StatusCode::CREATED, Json(UserAccessBody { user_access })))
}

/// A user's accesses in the companies the caller shares with them.
#[utoipa::path(get, path = "/users/{user_id}/user_accesses", tag = "User Company Relation",
    params(("user_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "User accesses", body = UserAccessesBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn list_user_accesses(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(user_id): Id<i64>,
) -> ApiResult<Json<UserAccessesBody>> {
    let user_accesses = accesses::list_for_user(&s.ctx, &actor, user_id).await?;
    Ok(Json(user_accesses.into()))
}

/// Change a user's access (admins).
#[utoipa::path(put, path = "/users/{user_id}/user_accesses/{user_access_id}", tag = "User Company Relation",
    params(("user_id" = i64, Path), ("user_access_id" = i64, Path)), request_body = UpdateUserAccess,
    security(("jwt" = [])),
    responses(
        (status = 200, description = "Updated", body = UserAccessBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "Unknown access, or LAST_ADMIN", body = ErrorBody)))]
pub async fn update_user_access(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id((user_id, user_access_id)): Id<(i64, i64)>,
    ApiJson(input): ApiJson<UpdateUserAccess>,
) -> ApiResult<Json<UserAccessBody>> {
    let user_access =
        accesses::update_for_user(&s.ctx, &actor, user_id, user_access_id, input).await?;
    Ok(Json(UserAccessBody { user_access }))
}

/// Remove a user from a company (admins); the last admin stays.
#[utoipa::path(delete, path = "/users/{user_id}/user_accesses/{user_access_id}", tag = "User Company Relation",
    params(("user_id" = i64, Path), ("user_access_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "LAST_ADMIN", body = ErrorBody)))]
pub async fn delete_user_access(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id((user_id, user_access_id)): Id<(i64, i64)>,
) -> ApiResult<StatusCode> {
    accesses::delete_for_user(&s.ctx, &actor, user_id, user_access_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
