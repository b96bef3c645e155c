//! The seeded catalogues: stages, memberships (plans) and legal terms.

use super::error::{ApiResult, ErrorBody};
use super::extract::Id;
use crate::{auth::actor::ApiActor, state::AppState};
use axum::extract::State;
use axum::Json;
use leadsy::{legal::LegalTerm, memberships::Membership, stages::Stage};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_stages))
        .routes(routes!(list_memberships))
        .routes(routes!(get_membership))
        .routes(routes!(current_terms))
        .routes(routes!(get_terms))
}

super::list_body!(StagesBody, stages, Stage);

super::list_body!(MembershipsBody, memberships, Membership);

#[derive(Serialize, ToSchema)]
pub struct MembershipBody {
    pub membership: Membership,
}

#[derive(Serialize, ToSchema)]
pub struct LegalTermBody {
    pub legal_term: LegalTerm,
}

/// Pipeline stages, ordered by position.
#[utoipa::path(get, path = "/stages", tag = "Stages", security(("jwt" = [])),
    responses(
        (status = 200, description = "Stages", body = StagesBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody)))]
pub async fn list_stages(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
) -> ApiResult<Json<StagesBody>> {
    let stages = leadsy::stages::list(&s.ctx, &actor).await?;
    Ok(Json(stages.into()))
}

/// Available plans.
#[utoipa::path(get, path = "/memberships", tag = "Memberships",
    responses((status = 200, description = "Plans", body = MembershipsBody)))]
pub async fn list_memberships(State(s): State<AppState>) -> ApiResult<Json<MembershipsBody>> {
    let memberships = leadsy::memberships::list(&s.ctx).await?;
    Ok(Json(memberships.into()))
}

/// One plan.
#[utoipa::path(get, path = "/memberships/{membership_id}", tag = "Memberships",
    params(("membership_id" = i64, Path)),
    responses(
        (status = 200, description = "The plan", body = MembershipBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get_membership(
    State(s): State<AppState>,
    Id(membership_id): Id<i64>,
) -> ApiResult<Json<MembershipBody>> {
    let membership = leadsy::memberships::get(&s.ctx, membership_id).await?;
    Ok(Json(MembershipBody { membership }))
}

/// The terms version users must sign now.
#[utoipa::path(get, path = "/legal_terms/current", tag = "Legal Terms",
    responses(
        (status = 200, description = "The current terms", body = LegalTermBody),
        (status = 404, description = "None published", body = ErrorBody)))]
pub async fn current_terms(State(s): State<AppState>) -> ApiResult<Json<LegalTermBody>> {
    let legal_term = leadsy::legal::current(&s.ctx).await?;
    Ok(Json(LegalTermBody { legal_term }))
}

/// A terms version by id.
#[utoipa::path(get, path = "/legal_terms/{legal_term_id}", tag = "Legal Terms",
    params(("legal_term_id" = i64, Path)),
    responses(
        (status = 200, description = "The terms", body = LegalTermBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get_terms(
    State(s): State<AppState>,
    Id(id): Id<i64>,
) -> ApiResult<Json<LegalTermBody>> {
    let legal_term = leadsy::legal::get(&s.ctx, id).await?;
    Ok(Json(LegalTermBody { legal_term }))
}
