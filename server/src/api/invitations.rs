//! `/api/v1/.../invitations`: thin doors to `leadsy::invitations`.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Id};
use super::users::Paging;
use crate::{
    auth::actor::{ApiActor, ApiMember},
    state::AppState,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use leadsy::accesses::UserAccess;
use leadsy::invitations::{self, CreateInvitation, Invitation, InvitationPreview};
use leadsy::paging::Meta;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_invitation, list_invitations))
        .routes(routes!(revoke_invitation))
        .routes(routes!(invitation_by_code))
        .routes(routes!(invitations_for_email))
        .routes(routes!(accept_invitation))
}

#[derive(Serialize, ToSchema)]
pub struct InvitationBody {
    pub invitation: Invitation,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationPreviewBody {
    pub invitation: InvitationPreview,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationsBody {
    pub invitations: Vec<Invitation>,
    pub meta: Meta,
}

#[derive(Serialize, ToSchema)]
pub struct AcceptedBody {
    pub user_access: UserAccess,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmailQuery {
    /// The caller's own email.
    pub email: String,
}

/// Invite an email into the company with an access (admins); mails the link.
#[utoipa::path(post, path = "/companies/{company_id}/invitations", tag = "Invitations",
    params(("company_id" = i64, Path)), request_body = CreateInvitation, security(("jwt" = [])),
    responses(
        (status = 201, description = "Invited", body = InvitationBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin of the company", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 409, description = "ALREADY_A_MEMBER or INVITATION_ALREADY_PENDING", body = ErrorBody),
        (status = 422, description = "Invalid fields, or SEAT_LIMIT_REACHED", body = ErrorBody)))]
pub async fn create_invitation(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<CreateInvitation>,
) -> ApiResult<(StatusCode, Json<InvitationBody>)> {
    let invitation = invitations::create(&s.ctx, &me, input).await?;
    Ok((StatusCode::CREATED, Json(InvitationBody { invitation })))
}

/// The company's pending invitations, newest first (admins).
#[utoipa::path(get, path = "/companies/{company_id}/invitations", tag = "Invitations",
    params(("company_id" = i64, Path), Paging), security(("jwt" = [])),
    responses(
        (status = 200, description = "Pending invitations", body = InvitationsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin of the company", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody)))]
pub async fn list_invitations(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<InvitationsBody>> {
    let (invitations, meta) = invitations::list(&s.ctx, &me, p.page()).await?;
    Ok(Json(InvitationsBody { invitations, meta }))
}

/// Revoke a pending invitation (admins).
#[utoipa::path(delete, path = "/companies/{company_id}/invitations/{invitation_id}", tag = "Invitations",
    params(("company_id" = i64, Path), ("invitation_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "INVITATION_NOT_PENDING", body = ErrorBody)))]
pub async fn revoke_invitation(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, invitation_id)): Id<(i64, i64)>,
) -> ApiResult<StatusCode> {
    invitations::revoke(&s.ctx, &me, invitation_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What an invitation link offers: company, email, access and state (no login needed).
#[utoipa::path(get, path = "/invitations/{code}", tag = "Invitations", params(("code" = String, Path)),
    responses(
        (status = 200, description = "The invitation", body = InvitationPreviewBody),
        (status = 404, description = "No invitation has this code", body = ErrorBody)))]
pub async fn invitation_by_code(
    State(s): State<AppState>,
    Id(code): Id<String>,
) -> ApiResult<Json<InvitationPreviewBody>> {
    let invitation = invitations::by_code(&s.ctx, &code).await?;
    Ok(Json(InvitationPreviewBody { invitation }))
}

/// The pending invitations of the caller's own email.
#[utoipa::path(get, path = "/invitations", tag = "Invitations", params(EmailQuery), security(("jwt" = [])),
    responses(
        (status = 200, description = "Pending invitations", body = InvitationsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not the caller's email, or EMAIL_NOT_VERIFIED", body = ErrorBody),
        (status = 422, description = "A malformed email", body = ErrorBody)))]
pub async fn invitations_for_email(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<EmailQuery>,
) -> ApiResult<Json<InvitationsBody>> {
    let invitations = invitations::pending_for_email(&s.ctx, &actor, &q.email).await?;
    let total = invitations.len() as i64;
    let meta = Meta {
        page: 1,
        per_page: total.max(1),
        total,
    };
    Ok(Json(InvitationsBody { invitations, meta }))
}

/// Accept an invitation sent to the caller's verified email: joins the company with its access.
#[utoipa::path(post, path = "/invitations/{code}/accept", tag = "Invitations", params(("code" = String, Path)),
    security(("jwt" = [])),
    responses(
        (status = 201, description = "Joined", body = AcceptedBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "The invitation is for another email, or EMAIL_NOT_VERIFIED", body = ErrorBody),
        (status = 404, description = "No invitation has this code", body = ErrorBody),
        (status = 409, description = "ALREADY_A_MEMBER", body = ErrorBody),
        (status = 422, description = "INVITATION_EXPIRED, INVITATION_REVOKED or INVITATION_ALREADY_USED", body = ErrorBody)))]
pub async fn accept_invitation(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(code): Id<String>,
) -> ApiResult<(StatusCode, Json<AcceptedBody>)> {
    let user_access = invitations::accept(&s.ctx, &actor, &code).await?;
    Ok((StatusCode::CREATED, Json(AcceptedBody { user_access })))
}
