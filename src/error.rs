//! The one error every operation returns. Each door (REST, server functions) maps
//! it once; the variants carry only what a caller may see, never an internal cause.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Field name to the messages explaining why its value was refused.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Error {
    #[error("{0} not found")]
    NotFound(String),
    /// Not found, with a code of the contract's own (e.g. `CUSTOMER_ID_NOT_FOUND`).
    #[error("{message}")]
    Missing { code: String, message: String },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// Forbidden for a reason the caller can act on, with its own code
    /// (e.g. `EMAIL_NOT_VERIFIED`).
    #[error("{message}")]
    Denied { code: String, message: String },
    #[error("{message}")]
    Conflict { code: String, message: String },
    #[error("{message}")]
    Validation {
        code: String,
        message: String,
        fields: FieldErrors,
    },
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    TooLarge(String),
    /// The caller's copy is older than the stored one (an `If-Match` that no
    /// longer matches): nothing was written.
    #[error("{0}")]
    Stale(String),
    #[error("too many requests, try again later")]
    RateLimited,
    /// The database did not answer in time: nothing was done, and trying again
    /// shortly may succeed.
    #[error("Leadsy is briefly unavailable, try again in a few seconds")]
    Unavailable,
    /// The cause was logged where it happened; callers only learn that it failed.
    #[error("something went wrong on our side")]
    Internal,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn not_found(what: &str) -> Self {
        Error::NotFound(what.to_string())
    }

    pub fn unauthorized() -> Self {
        Error::Unauthorized("missing or invalid credentials".into())
    }

    pub fn forbidden() -> Self {
        Error::Forbidden("your access does not allow this action".into())
    }

    pub fn denied(code: &str, message: &str) -> Self {
        Error::Denied {
            code: code.into(),
            message: message.into(),
        }
    }

    pub fn conflict(code: &str, message: &str) -> Self {
        Error::Conflict {
            code: code.into(),
            message: message.into(),
        }
    }

    /// A refusal of one field's value.
    pub fn field(field: &str, message: &str) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.into(), vec![message.into()]);
        Error::invalid(fields)
    }

    pub fn invalid(fields: FieldErrors) -> Self {
        let message = fields
            .iter()
            .flat_map(|(f, ms)| {
                ms.iter()
                    .map(move |m| format!("{} {m}", f.replace('_', " ")))
            })
            .collect::<Vec<_>>()
            .join("; ");
        Error::Validation {
            code: "VALIDATION_FAILED".into(),
            message: if message.is_empty() {
                "invalid input".into()
            } else {
                message
            },
            fields,
        }
    }

    /// The same refusal with `prefix` taken off its field names: a form that sends
    /// one item of a list operation names its fields without the list's path.
    pub fn without_field_prefix(self, prefix: &str) -> Self {
        match self {
            Error::Validation { code, fields, .. } if code == "VALIDATION_FAILED" => {
                Error::invalid(
                    fields
                        .into_iter()
                        .map(|(k, v)| match k.strip_prefix(prefix) {
                            Some(short) => (short.to_string(), v),
                            None => (k, v),
                        })
                        .collect(),
                )
            }
            other => other,
        }
    }

    /// A rule about the whole request rather than one field.
    pub fn rule(code: &str, message: &str) -> Self {
        Error::Validation {
            code: code.into(),
            message: message.into(),
            fields: FieldErrors::new(),
        }
    }

    /// Logs the cause once, where it is known, and hides it from the caller.
    #[cfg(feature = "server")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Error::Internal
    }

    /// The stable code of the contract's envelope.
    pub fn code(&self) -> &str {
        match self {
            Error::NotFound(_) => "NOT_FOUND",
            Error::Missing { code, .. } => code,
            Error::Unauthorized(_) => "UNAUTHORIZED",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::Conflict { code, .. }
            | Error::Validation { code, .. }
            | Error::Denied { code, .. } => code,
            Error::BadRequest(_) => "BAD_REQUEST",
            Error::TooLarge(_) => "PAYLOAD_TOO_LARGE",
            Error::Stale(_) => "PRECONDITION_FAILED",
            Error::RateLimited => "RATE_LIMITED",
            Error::Unavailable => "SERVICE_UNAVAILABLE",
            Error::Internal => "INTERNAL_ERROR",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Error::NotFound(_) | Error::Missing { .. } => 404,
            Error::Unauthorized(_) => 401,
            Error::Forbidden(_) | Error::Denied { .. } => 403,
            Error::Conflict { .. } => 409,
            Error::Validation { .. } => 422,
            Error::BadRequest(_) => 400,
            Error::TooLarge(_) => 413,
            Error::Stale(_) => 412,
            Error::RateLimited => 429,
            Error::Unavailable => 503,
            Error::Internal => 500,
        }
    }

    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            Error::Validation { fields, .. } if !fields.is_empty() => Some(fields),
            _ => None,
        }
    }
}

#[cfg(feature = "server")]
impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => Error::not_found("record"),
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_) => {
                tracing::warn!(cause = %e, "the database did not answer");
                Error::Unavailable
            }
            other => Error::internal(other),
        }
    }
}

/// Collects field errors while a form or body is parsed, so every problem is reported at once.
#[derive(Default)]
pub struct Check(FieldErrors);

impl Check {
    pub fn add(&mut self, field: &str, message: &str) {
        self.0.entry(field.into()).or_default().push(message.into());
    }

    /// Keeps the parsed value, or notes why it was refused.
    pub fn take<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        parsed.map_err(|m| self.add(field, &m)).ok()
    }

    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(self.0))
        }
    }
}
