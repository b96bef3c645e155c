//! How a domain error reaches a page: the same `leadsy::Error`, carried through the
//! server function transport, plus the transport's own failures.

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Domain(leadsy::Error),
    #[error("could not reach Leadsy: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl From<leadsy::Error> for AppError {
    fn from(e: leadsy::Error) -> Self {
        AppError::Domain(e)
    }
}

impl From<ServerFnErrorErr> for AppError {
    fn from(e: ServerFnErrorErr) -> Self {
        AppError::from_server_fn_error(e)
    }
}

impl AppError {
    /// A plan's seat or lead limit refused the action: the page offers the plans.
    pub fn is_plan_limit(&self) -> bool {
        matches!(self, AppError::Domain(leadsy::Error::Validation { code, .. }) if code.ends_with("_LIMIT_REACHED"))
    }

    /// Messages for one form field, when the error is a validation of it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Domain(e) => e.fields().and_then(|f| f.get(name)).map(|m| m.join(", ")),
            AppError::Transport(_) => None,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
