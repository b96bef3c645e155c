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
        let body = ErrorBody {
            error: ErrorDetail {
                code: e.code().to_string(),
                message: e.to_string(),
                fields: e.fields().cloned(),
            },
        };
        (status, Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
