//! `/api/v1/appointments` and booking on a lead: thin doors to `leadsy::appointments`.

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
use leadsy::appointments::{self, Appointment, AppointmentRange, BookAppointment};
use leadsy::paging::Meta;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_appointments))
        .routes(routes!(get_appointment))
        .routes(routes!(book_appointment))
}

#[derive(Serialize, ToSchema)]
pub struct AppointmentBody {
    pub appointment: Appointment,
}

#[derive(Serialize, ToSchema)]
pub struct AppointmentsBody {
    pub appointments: Vec<Appointment>,
    pub meta: Meta,
}

/// The caller's appointments: upcoming first (soonest first), then past ones.
#[utoipa::path(get, path = "/appointments", tag = "Appointments", params(AppointmentRange, Paging),
    security(("jwt" = [])),
    responses(
        (status = 200, description = "A page of appointments", body = AppointmentsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 422, description = "A malformed from or to", body = ErrorBody)))]
pub async fn list_appointments(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(range): ApiQuery<AppointmentRange>,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<AppointmentsBody>> {
    let (appointments, meta) = appointments::mine(&s.ctx, &actor, range, p.page()).await?;
    Ok(Json(AppointmentsBody { appointments, meta }))
}

/// One of the caller's appointments (managers: any in their company).
#[utoipa::path(get, path = "/appointments/{appointment_id}", tag = "Appointments",
    params(("appointment_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The appointment", body = AppointmentBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get_appointment(
    State(s): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(appointment_id): Id<i64>,
) -> ApiResult<Json<AppointmentBody>> {
    let appointment = appointments::get(&s.ctx, &actor, appointment_id).await?;
    Ok(Json(AppointmentBody { appointment }))
}

/// Book an appointment with a lead; the lead moves to `appointment_set` unless it is further along.
#[utoipa::path(post, path = "/companies/{company_id}/leads/{lead_id}/appointments", tag = "Appointments",
    params(("company_id" = i64, Path), ("lead_id" = i64, Path)), request_body = BookAppointment,
    security(("jwt" = [])),
    responses(
        (status = 201, description = "Booked", body = AppointmentBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Lead not found, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn book_appointment(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, lead_id)): Id<(i64, i64)>,
    ApiJson(input): ApiJson<BookAppointment>,
) -> ApiResult<(StatusCode, Json<AppointmentBody>)> {
    let appointment = appointments::book(&s.ctx, &me, lead_id, input).await?;
    Ok((StatusCode::CREATED, Json(AppointmentBody { appointment })))
}
