//! `/api/v1/companies/{company_id}/webhooks`: thin doors to `leadsy::webhooks`
//! (admins).

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Id};
use super::users::Paging;
use crate::{auth::actor::ApiMember, state::AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use leadsy::paging::Meta;
use leadsy::webhooks::{
    self, Attempt, CreateWebhook, Delivery, UpdateWebhook, Webhook, WebhookWithSecret,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_webhook, list_webhooks))
        .routes(routes!(get_webhook, update_webhook, delete_webhook))
        .routes(routes!(rotate_secret))
        .routes(routes!(list_deliveries))
        .routes(routes!(get_delivery))
        .routes(routes!(replay_delivery))
        .routes(routes!(replay_failed))
}

#[derive(Serialize, ToSchema)]
pub struct WebhookBody {
    pub webhook: Webhook,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookSecretBody {
    pub webhook: WebhookWithSecret,
}

#[derive(Serialize, ToSchema)]
pub struct WebhooksBody {
    pub webhooks: Vec<Webhook>,
    pub meta: Meta,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveriesBody {
    pub deliveries: Vec<Delivery>,
    pub meta: Meta,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryBody {
    pub delivery: Delivery,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryAttemptsBody {
    pub delivery: Delivery,
    pub attempts: Vec<Attempt>,
}

#[derive(Serialize, ToSchema)]
pub struct ReplayedBody {
    /// How many deliveries were queued again.
    pub replayed: u64,
}

/// Add an endpoint; this answer alone carries its `whsec_` secret.
#[utoipa::path(post, path = "/companies/{company_id}/webhooks", tag = "Webhooks",
    params(("company_id" = i64, Path)), request_body = CreateWebhook, security(("jwt" = [])),
    responses(
        (status = 201, description = "Added, with its secret", body = WebhookSecretBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 422, description = "A URL or event type refused", body = ErrorBody)))]
pub async fn create_webhook(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<CreateWebhook>,
) -> ApiResult<(StatusCode, Json<WebhookSecretBody>)> {
    let webhook = webhooks::create(&s.ctx, &me, input).await?;
    Ok((StatusCode::CREATED, Json(WebhookSecretBody { webhook })))
}

/// The company's endpoints, oldest first.
#[utoipa::path(get, path = "/companies/{company_id}/webhooks", tag = "Webhooks",
    params(("company_id" = i64, Path), Paging), security(("jwt" = [])),
    responses(
        (status = 200, description = "A page of endpoints", body = WebhooksBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 422, description = "Invalid paging", body = ErrorBody)))]
pub async fn list_webhooks(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<WebhooksBody>> {
    let (webhooks, meta) = webhooks::list(&s.ctx, &me, p.page()).await?;
    Ok(Json(WebhooksBody { webhooks, meta }))
}

/// One endpoint.
#[utoipa::path(get, path = "/companies/{company_id}/webhooks/{webhook_id}", tag = "Webhooks",
    params(("company_id" = i64, Path), ("webhook_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The endpoint", body = WebhookBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get_webhook(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, webhook_id)): Id<(i64, i64)>,
) -> ApiResult<Json<WebhookBody>> {
    let webhook = webhooks::get(&s.ctx, &me, webhook_id).await?;
    Ok(Json(WebhookBody { webhook }))
}

/// Change an endpoint; `{"enabled": true}` turns one Leadsy turned off back on.
#[utoipa::path(put, path = "/companies/{company_id}/webhooks/{webhook_id}", tag = "Webhooks",
    params(("company_id" = i64, Path), ("webhook_id" = i64, Path)), request_body = UpdateWebhook,
    security(("jwt" = [])),
    responses(
        (status = 200, description = "The endpoint", body = WebhookBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "A URL or event type refused", body = ErrorBody)))]
pub async fn update_webhook(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, webhook_id)): Id<(i64, i64)>,
    ApiJson(patch): ApiJson<UpdateWebhook>,
) -> ApiResult<Json<WebhookBody>> {
    let webhook = webhooks::update(&s.ctx, &me, webhook_id, patch).await?;
    Ok(Json(WebhookBody { webhook }))
}

/// Delete an endpoint with its deliveries and their log.
#[utoipa::path(delete, path = "/companies/{company_id}/webhooks/{webhook_id}", tag = "Webhooks",
    params(("company_id" = i64, Path), ("webhook_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn delete_webhook(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, webhook_id)): Id<(i64, i64)>,
) -> ApiResult<StatusCode> {
    webhooks::delete(&s.ctx, &me, webhook_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new secret, shown once; the old one keeps signing beside it for 24 hours.
#[utoipa::path(post, path = "/companies/{company_id}/webhooks/{webhook_id}/rotate_secret", tag = "Webhooks",
    params(("company_id" = i64, Path), ("webhook_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The endpoint with its new secret", body = WebhookSecretBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn rotate_secret(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, webhook_id)): Id<(i64, i64)>,
) -> ApiResult<Json<WebhookSecretBody>> {
    let webhook = webhooks::rotate_secret(&s.ctx, &me, webhook_id).await?;
    Ok(Json(WebhookSecretBody { webhook }))
}

/// The endpoint's deliveries, newest first.
#[utoipa::path(get, path = "/companies/{company_id}/webhooks/{webhook_id}/deliveries", tag = "Webhooks",
    params(("company_id" = i64, Path), ("webhook_id" = i64, Path), Paging), security(("jwt" = [])),
    responses(
        (status = 200, description = "A page of deliveries", body = DeliveriesBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "Invalid paging", body = ErrorBody)))]
pub async fn list_deliveries(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, webhook_id)): Id<(i64, i64)>,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<DeliveriesBody>> {
    let (deliveries, meta) = webhooks::deliveries(&s.ctx, &me, webhook_id, p.page()).await?;
    Ok(Json(DeliveriesBody { deliveries, meta }))
}

/// One delivery with every attempt: status, latency and the start of the answer.
#[utoipa::path(get, path = "/companies/{company_id}/webhooks/{webhook_id}/deliveries/{delivery_id}", tag = "Webhooks",
    params(("company_id" = i64, Path), ("webhook_id" = i64, Path), ("delivery_id" = i64, Path)),
    security(("jwt" = [])),
    responses(
        (status = 200, description = "The delivery and its attempts", body = DeliveryAttemptsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get_delivery(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, webhook_id, delivery_id)): Id<(i64, i64, i64)>,
) -> ApiResult<Json<DeliveryAttemptsBody>> {
    let (delivery, attempts) = webhooks::attempts(&s.ctx, &me, webhook_id, delivery_id).await?;
    Ok(Json(DeliveryAttemptsBody { delivery, attempts }))
}

/// Send a delivery again, with the same `webhook-id`.
#[utoipa::path(post, path = "/companies/{company_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/replay", tag = "Webhooks",
    params(("company_id" = i64, Path), ("webhook_id" = i64, Path), ("delivery_id" = i64, Path)),
    security(("jwt" = [])),
    responses(
        (status = 202, description = "Queued again", body = DeliveryBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn replay_delivery(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, webhook_id, delivery_id)): Id<(i64, i64, i64)>,
) -> ApiResult<(StatusCode, Json<DeliveryBody>)> {
    let delivery = webhooks::replay(&s.ctx, &me, webhook_id, delivery_id).await?;
    Ok((StatusCode::ACCEPTED, Json(DeliveryBody { delivery })))
}

/// Send every delivery the endpoint gave up on again.
#[utoipa::path(post, path = "/companies/{company_id}/webhooks/{webhook_id}/replay_failed", tag = "Webhooks",
    params(("company_id" = i64, Path), ("webhook_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 202, description = "Queued again", body = ReplayedBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn replay_failed(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, webhook_id)): Id<(i64, i64)>,
) -> ApiResult<(StatusCode, Json<ReplayedBody>)> {
    let replayed = webhooks::replay_failed(&s.ctx, &me, webhook_id).await?;
    Ok((StatusCode::ACCEPTED, Json(ReplayedBody { replayed })))
}
