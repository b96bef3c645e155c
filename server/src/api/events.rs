//! `/api/v1/companies/{company_id}/.../events`: thin doors to `leadsy::events`.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiQuery, Id};
use super::users::Paging;
use crate::{auth::actor::ApiMember, state::AppState};
use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use leadsy::events::{self, Event, EventFilter};
use leadsy::paging::Meta;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lead_events))
        .routes(routes!(audit_log))
}

/// How the audit log comes: a page of JSON, or the whole filtered log as CSV.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Json,
    Csv,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// `csv` streams every matching event (paging is ignored).
    #[param(inline)]
    pub format: Option<Format>,
}

#[derive(Serialize, ToSchema)]
pub struct EventsBody {
    pub events: Vec<Event>,
    pub meta: Meta,
}

/// A lead's history, newest first: its creation, each change with the fields'
/// before and after, its notes and appointments, with who and through which door.
#[utoipa::path(get, path = "/companies/{company_id}/leads/{lead_id}/events", tag = "Events",
    params(("company_id" = i64, Path), ("lead_id" = i64, Path), Paging), security(("jwt" = [])),
    responses(
        (status = 200, description = "A page of the lead's events", body = EventsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "Invalid paging", body = ErrorBody)))]
pub async fn lead_events(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, lead_id)): Id<(i64, i64)>,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<EventsBody>> {
    let (events, meta) = events::for_lead(&s.ctx, &me, lead_id, p.page()).await?;
    Ok(Json(EventsBody { events, meta }))
}

/// The company's audit log, newest first (admins): every change, by whom, through
/// which door, filtered by who, kind, lead and time; `?format=csv` streams it all.
#[utoipa::path(get, path = "/companies/{company_id}/events", tag = "Events",
    params(("company_id" = i64, Path), EventFilter, Paging, FormatQuery), security(("jwt" = [])),
    responses(
        (status = 200, description = "A page of events, or all of them as CSV",
            content((EventsBody = "application/json"), (String = "text/csv"))),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 422, description = "Invalid filter or paging", body = ErrorBody)))]
pub async fn audit_log(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiQuery(filter): ApiQuery<EventFilter>,
    ApiQuery(p): ApiQuery<Paging>,
    ApiQuery(f): ApiQuery<FormatQuery>,
) -> ApiResult<Response> {
    if let Some(Format::Csv) = f.format {
        let rows = events::export(&s.ctx, &me, filter).await?;
        let pages = futures_util::stream::try_unfold(rows, |mut rows| async move {
            Ok::<_, leadsy::Error>(rows.next_chunk().await?.map(|chunk| (chunk, rows)))
        });
        return Ok(
            super::imports::csv_file("audit-log.csv", Body::from_stream(pages)).into_response(),
        );
    }
    let (events, meta) = events::list(&s.ctx, &me, &filter, p.page()).await?;
    Ok(Json(EventsBody { events, meta }).into_response())
}
