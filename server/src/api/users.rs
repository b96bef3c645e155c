//! `/api/v1/users`: thin doors to `leadsy::users` and `leadsy::onboarding`.

use super::error::{ApiResult, ErrorBody};
use super::extract::{file_part, ApiJson, ApiQuery, Id};
use crate::auth::actor::{bearer, ApiActor};
use crate::state::AppState;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use leadsy::onboarding::{ApproveTerms, FinishOnboarding, UserOnboarding};
use leadsy::paging::{Meta, Page, PageQuery};
use leadsy::users::{self, ChangePassword, Login, Provider, SignUp, UpdateUser, User};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_user, list_users))
        .routes(routes!(login))
        .routes(routes!(validate_jwt))
        .routes(routes!(find_by_email))
        .routes(routes!(request_password_reset, reset_password))
        .routes(routes!(verify_email))
        .routes(routes!(resend_verification))
        .routes(routes!(change_password))
        .routes(routes!(get_user, update_user))
        .routes(routes!(upload_avatar, remove_avatar))
        .routes(routes!(finish_onboarding))
        .routes(routes!(approve_terms))
        .routes(routes!(providers))
}

#[derive(Serialize, ToSchema)]
pub struct UserBody {
    pub user: User,
}

#[derive(Serialize, ToSchema)]
pub struct UserWithToken {
    pub user: User,
    /// A JWT for `Authorization: Bearer …`.
    pub token: String,
}

#[derive(Serialize, ToSchema)]
pub struct UsersBody {
    pub users: Vec<User>,
    pub meta: Meta,
}

#[derive(Serialize, ToSchema)]
pub struct UserOnboardingBody {
    pub user_onboarding: UserOnboarding,
}

super::list_body!(ProvidersBody, providers, Provider);

#[derive(Serialize, ToSchema)]
pub struct JwtStatus {
    pub valid: bool,
    pub user_id: i64,
    pub expires_at: leadsy::time::Timestamp,
}

#[derive(Serialize, ToSchema)]
pub struct Accepted {
    pub message: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    pub token: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyEmail {
    /// The token from the mailed link (`/verify-email?token=…`).
    pub token: String,
}

#[derive(Serialize, ToSchema)]
pub struct FreshToken {
    /// A new JWT: every one issued before the change stopped working.
    pub token: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmailQuery {
    pub email: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page number, from 1 (lower values mean 1; a page past the end is empty).
    pub page: Option<i64>,
    /// Items per page: 25 by default; lower values mean 1, higher ones 100.
    pub per_page: Option<i64>,
}

impl Paging {
    pub fn page(&self) -> Page {
        Page::from_query(Some(PageQuery {
            page: self.page,
            per_page: self.per_page,
        }))
    }
}

/// Sign up; mails a link that verifies the address.
#[utoipa::path(post, path = "/users", tag = "Users", request_body = SignUp,
    responses(
        (status = 201, description = "Account created", body = UserWithToken),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 409, description = "EMAIL_ALREADY_REGISTERED", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn create_user(
    State(s): State<AppState>,
    ApiJson(input): ApiJson<SignUp>,
) -> ApiResult<(StatusCode, Json<UserWithToken>)> {
    let signed = users::signup(&s.ctx, input).await?;
    let token = s.jwt.issue(signed.grant)?;
    Ok((
        StatusCode::CREATED,
        Json(UserWithToken {
            user: signed.user,
            token,
        }),
    ))
}

/// Log in with email and password.
#[utoipa::path(post, path = "/users/login", tag = "Users", request_body = Login,
    responses(
        (status = 200, description = "Signed in", body = UserWithToken),
        (status = 401, description = "Wrong email or password (same answer for an unknown email)", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn login(
    State(s): State<AppState>,
    ApiJson(input): ApiJson<Login>,
) -> ApiResult<Json<UserWithToken>> {
    let signed = users::login(&s.ctx, input).await?;
    let token = s.jwt.issue(signed.grant)?;
    Ok(Json(UserWithToken {
        user: signed.user,
        token,
    }))
}

/// Check a JWT and tell when it expires.
#[utoipa::path(get, path = "/users/validate_jwt", tag = "Users", security(("jwt" = [])),
    responses(
        (status = 200, description = "The token is valid", body = JwtStatus),
        (status = 401, description = "Missing, expired or invalid token", body = ErrorBody)))]
pub async fn validate_jwt(
    State(s): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<JwtStatus>> {
    let token = bearer(&headers, "authorization").unwrap_or_default();
    let verified = s.jwt.verify(&token)?;
    verified.grant.actor(&s.ctx).await?;
    Ok(Json(JwtStatus {
        valid: true,
        user_id: verified.grant.user_id,
        expires_at: leadsy::time::Timestamp(verified.expires_at),
    }))
}

/// Find a user sharing a company with the caller by email.
#[utoipa::path(get, path = "/users/find_by_email", tag = "Users", params(EmailQuery), security(("jwt" = [])),
    responses(
        (status = 200, description = "The user", body = UserBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "No such user among the caller's companies", body = ErrorBody),
        (status = 422, description = "Invalid email", body = ErrorBody)))]
pub async fn find_by_email(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<EmailQuery>,
) -> ApiResult<Json<UserBody>> {
    let user = users::find_by_email(&s.ctx, &actor, &q.email).await?;
    Ok(Json(UserBody { user }))
}

/// Users sharing a company with the caller, the caller included.
#[utoipa::path(get, path = "/users", tag = "Users", params(Paging), security(("jwt" = [])),
    responses(
        (status = 200, description = "A page of users", body = UsersBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody)))]
pub async fn list_users(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<UsersBody>> {
    let (users, meta) = users::list(&s.ctx, &actor, p.page()).await?;
    Ok(Json(UsersBody { users, meta }))
}

/// Ask for a password reset mail; always 202 so accounts cannot be probed.
#[utoipa::path(post, path = "/users/password_reset", tag = "Users", request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "If the account exists, a mail with a single-use link is on its way", body = Accepted),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 422, description = "Not an email address", body = ErrorBody)))]
pub async fn request_password_reset(
    State(s): State<AppState>,
    ApiJson(input): ApiJson<PasswordResetRequest>,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    users::request_password_reset(&s.ctx, &input.email).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            message: "if the account exists, a reset link has been sent".into(),
        }),
    ))
}

/// Set a new password with the mailed token; every session and JWT issued before it ends.
#[utoipa::path(put, path = "/users/password_reset", tag = "Users", request_body = PasswordReset,
    responses(
        (status = 200, description = "Password changed", body = UserBody),
        (status = 422, description = "Invalid, expired or used token, or a weak password", body = ErrorBody)))]
pub async fn reset_password(
    State(s): State<AppState>,
    ApiJson(input): ApiJson<PasswordReset>,
) -> ApiResult<Json<UserBody>> {
    let signed = users::reset_password(&s.ctx, &input.token, input.password).await?;
    Ok(Json(UserBody { user: signed.user }))
}

/// Verify an email address with the token of the mailed link.
#[utoipa::path(post, path = "/users/verify_email", tag = "Users", request_body = VerifyEmail,
    responses(
        (status = 200, description = "Verified: `email_verified` is true", body = UserBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 422, description = "INVALID_TOKEN: used, expired or unknown", body = ErrorBody)))]
pub async fn verify_email(
    State(s): State<AppState>,
    ApiJson(input): ApiJson<VerifyEmail>,
) -> ApiResult<Json<UserBody>> {
    let user = users::verify_email(&s.ctx, &input.token).await?;
    Ok(Json(UserBody { user }))
}

/// Mail a new verification link to one's own unverified address (older links stop working).
#[utoipa::path(post, path = "/users/{user_id}/verify_email", tag = "Users", params(("user_id" = i64, Path)),
    security(("jwt" = [])),
    responses(
        (status = 202, description = "A new link is on its way", body = Accepted),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not the caller's own account", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "EMAIL_ALREADY_VERIFIED", body = ErrorBody)))]
pub async fn resend_verification(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(user_id): Id<i64>,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    users::resend_verification(&s.ctx, &actor, user_id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            message: "a new verification link has been sent".into(),
        }),
    ))
}

/// Change one's password, given the current one. Every other session and every JWT
/// issued before it ends; the answer carries a fresh token.
#[utoipa::path(put, path = "/users/{user_id}/password", tag = "Users", params(("user_id" = i64, Path)),
    request_body = ChangePassword, security(("jwt" = [])),
    responses(
        (status = 200, description = "Changed; a fresh token", body = FreshToken),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not the caller's own account", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "Wrong current password, or a weak new one", body = ErrorBody)))]
pub async fn change_password(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(user_id): Id<i64>,
    ApiJson(input): ApiJson<ChangePassword>,
) -> ApiResult<Json<FreshToken>> {
    let signed = users::change_password(&s.ctx, &actor, user_id, input).await?;
    Ok(Json(FreshToken {
        token: s.jwt.issue(signed.grant)?,
    }))
}

/// Show a user.
#[utoipa::path(get, path = "/users/{user_id}", tag = "Users", params(("user_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The user", body = UserBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found or not sharing a company", body = ErrorBody)))]
pub async fn get_user(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(user_id): Id<i64>,
) -> ApiResult<Json<UserBody>> {
    let user = users::get(&s.ctx, &actor, user_id).await?;
    Ok(Json(UserBody { user }))
}

/// Update one's own profile; absent fields stay as they are. A new `email` needs
/// `current_password` and stays unverified until its mailed link is opened.
#[utoipa::path(put, path = "/users/{user_id}", tag = "Users", params(("user_id" = i64, Path)), request_body = UpdateUser,
    security(("jwt" = [])),
    responses(
        (status = 200, description = "Updated", body = UserBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not the caller's own account", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "EMAIL_ALREADY_REGISTERED", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn update_user(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(user_id): Id<i64>,
    ApiJson(input): ApiJson<UpdateUser>,
) -> ApiResult<Json<UserBody>> {
    let user = users::update(&s.ctx, &actor, user_id, input).await?;
    Ok(Json(UserBody { user }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileUpload {
    /// A png, jpeg or webp image.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    pub file: String,
}

/// Upload one's avatar (png, jpeg or webp, checked by content).
#[utoipa::path(put, path = "/users/{user_id}/avatar", tag = "Users", params(("user_id" = i64, Path)),
    request_body(content = FileUpload, content_type = "multipart/form-data"), security(("jwt" = [])),
    responses(
        (status = 200, description = "Avatar stored", body = UserBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not the caller's own account", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 413, description = "Over the size limit", body = ErrorBody),
        (status = 422, description = "Not a png, jpeg or webp image", body = ErrorBody)))]
pub async fn upload_avatar(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(user_id): Id<i64>,
    multipart: Multipart,
) -> ApiResult<Json<UserBody>> {
    let bytes = file_part(multipart, s.ctx.settings.max_avatar_bytes).await?;
    let user = users::set_avatar(&s.ctx, &actor, user_id, &bytes).await?;
    Ok(Json(UserBody { user }))
}

/// Remove one's avatar.
#[utoipa::path(delete, path = "/users/{user_id}/avatar", tag = "Users", params(("user_id" = i64, Path)),
    security(("jwt" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not the caller's own account", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn remove_avatar(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(user_id): Id<i64>,
) -> ApiResult<StatusCode> {
    users::remove_avatar(&s.ctx, &actor, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark the onboarding as completed (the current terms must be signed).
#[utoipa::path(put, path = "/users/{user_id}/onboarding/finish", tag = "User Onboarding",
    params(("user_id" = i64, Path)), request_body = FinishOnboarding, security(("jwt" = [])),
    responses(
        (status = 200, description = "Onboarding state", body = UserOnboardingBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not the caller's own account", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "TERMS_NOT_SIGNED, or invalid body", body = ErrorBody)))]
pub async fn finish_onboarding(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(user_id): Id<i64>,
    ApiJson(input): ApiJson<FinishOnboarding>,
) -> ApiResult<Json<UserOnboardingBody>> {
    let user_onboarding = leadsy::onboarding::finish(&s.ctx, &actor, user_id, input).await?;
    Ok(Json(UserOnboardingBody { user_onboarding }))
}

/// Sign (approve) the current terms of service.
#[utoipa::path(put, path = "/users/{user_id}/onboarding/terms", tag = "User Onboarding",
    params(("user_id" = i64, Path)), request_body = ApproveTerms, security(("jwt" = [])),
    responses(
        (status = 200, description = "Onboarding state", body = UserOnboardingBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not the caller's own account", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "Not the current terms version", body = ErrorBody)))]
pub async fn approve_terms(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(user_id): Id<i64>,
    ApiJson(input): ApiJson<ApproveTerms>,
) -> ApiResult<Json<UserOnboardingBody>> {
    let user_onboarding = leadsy::onboarding::approve_terms(&s.ctx, &actor, user_id, input).await?;
    Ok(Json(UserOnboardingBody { user_onboarding }))
}

/// How the user can authenticate (password, api_token).
#[utoipa::path(get, path = "/users/{user_id}/providers", tag = "User Providers", params(("user_id" = i64, Path)),
    security(("jwt" = [])),
    responses(
        (status = 200, description = "Providers", body = ProvidersBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not the caller's own account", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn providers(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(user_id): Id<i64>,
) -> ApiResult<Json<ProvidersBody>> {
    let providers = users::providers(&s.ctx, &actor, user_id).await?;
    Ok(Json(providers.into()))
}
