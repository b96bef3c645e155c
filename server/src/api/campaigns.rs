//! `/api/v1/companies/{company_id}/campaigns`: thin doors to `leadsy::campaigns`.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Id};
use crate::{auth::actor::ApiMember, state::AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use leadsy::campaigns::{self, Campaign, CreateCampaign, UpdateCampaign};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_campaign, list_campaigns))
        .routes(routes!(get_campaign, update_campaign))
}

#[derive(Serialize, ToSchema)]
pub struct CampaignBody {
    pub campaign: Campaign,
}

super::list_body!(CampaignsBody, campaigns, Campaign);

/// Create a campaign (managers).
#[utoipa::path(post, path = "/companies/{company_id}/campaigns", tag = "Campaigns",
    params(("company_id" = i64, Path)), request_body = CreateCampaign, security(("jwt" = [])),
    responses(
        (status = 201, description = "Created", body = CampaignBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 409, description = "CAMPAIGN_NAME_ALREADY_EXISTS", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn create_campaign(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<CreateCampaign>,
) -> ApiResult<(StatusCode, Json<CampaignBody>)> {
    let campaign = campaigns::create(&s.ctx, &me, input).await?;
    Ok((StatusCode::CREATED, Json(CampaignBody { campaign })))
}

/// The company's campaigns by name.
#[utoipa::path(get, path = "/companies/{company_id}/campaigns", tag = "Campaigns",
    params(("company_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "Campaigns", body = CampaignsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody)))]
pub async fn list_campaigns(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
) -> ApiResult<Json<CampaignsBody>> {
    let campaigns = campaigns::list(&s.ctx, &me).await?;
    Ok(Json(campaigns.into()))
}

/// One campaign.
#[utoipa::path(get, path = "/companies/{company_id}/campaigns/{campaign_id}", tag = "Campaigns",
    params(("company_id" = i64, Path), ("campaign_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The campaign", body = CampaignBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get_campaign(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, campaign_id)): Id<(i64, i64)>,
) -> ApiResult<Json<CampaignBody>> {
    let campaign = campaigns::get(&s.ctx, &me, campaign_id).await?;
    Ok(Json(CampaignBody { campaign }))
}

/// Update a campaign (managers; partial body).
#[utoipa::path(put, path = "/companies/{company_id}/campaigns/{campaign_id}", tag = "Campaigns",
    params(("company_id" = i64, Path), ("campaign_id" = i64, Path)), request_body = UpdateCampaign,
    security(("jwt" = [])),
    responses(
        (status = 200, description = "The updated campaign", body = CampaignBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "CAMPAIGN_NAME_ALREADY_EXISTS", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn update_campaign(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, campaign_id)): Id<(i64, i64)>,
    ApiJson(patch): ApiJson<UpdateCampaign>,
) -> ApiResult<Json<CampaignBody>> {
    let campaign = campaigns::update(&s.ctx, &me, campaign_id, patch).await?;
    Ok(Json(CampaignBody { campaign }))
}
