//! A refusal as Comake sends it: its status, code and message, and the response that carries them.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use comake::wire::ContractStatus;

/// A refusal, as Comake would send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(422, "invalid_field", message)
    }

    pub(crate) fn not_found(what: &str) -> Self {
        Self::new(404, "not_found", format!("no such {what}"))
    }

    pub(crate) fn forbidden() -> Self {
        Self::new(403, "forbidden", "this user may not change this contract")
    }

    pub(crate) fn state(status: ContractStatus, what: &str) -> Self {
        Self::new(
            409,
            "invalid_state",
            format!("cannot {what} a contract in state {}", status.as_str()),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            Json(json!({"code": self.code, "message": self.message})),
        )
            .into_response()
    }
}
