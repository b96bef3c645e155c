//! The contract's error envelope, produced from `leadsy::Error` in exactly one place.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug)]
pub struct ApiError(pub leadsy::Error);

impl From<leadsy::Error> for ApiError {
    fn from(e: leadsy::Error) -> Self {
        ApiError(e)
    }
}

/// `{"error": {"code", "message", "fields"?}}`
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    #[schema(example = "VALIDATION_FAILED")]
    pub code: String,
    #[schema(example = "email is not a valid email address")]
    pub message: String,
    /// Only for validation errors: field name to messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, Vec<String>>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = envelope(status, e.code(), &e.to_string(), e.fields().cloned());
        if let Some(secs) = retry_after(&e) {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        res
    }
}

/// The envelope itself, also for refusals made before any handler runs (an
/// unknown method, a timeout, a body over the limit).
pub fn envelope(
    status: StatusCode,
    code: &str,
    message: &str,
    fields: Option<BTreeMap<String, Vec<String>>>,
) -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: code.to_string(),
            message: message.to_string(),
            fields,
        },
    };
    (status, Json(body)).into_response()
}

/// Seconds a client should wait before trying again, for the refusals that pass.
pub fn retry_after(e: &leadsy::Error) -> Option<u32> {
    match e {
        leadsy::Error::RateLimited => Some(60),
        leadsy::Error::Unavailable => Some(5),
        _ => None,
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
