//! The one error type of the Comake client: what went wrong, with the HTTP status and Comake's own code and message.
//!
//! Nothing in here ever holds a token, a key or a URL with a token, so its
//! `Display` and `Debug` are safe to log.

use std::time::Duration;

use super::wire::{Endpoint, ErrorBody};

/// Comake's answer to a refused request, as far as it said anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub endpoint: &'static str,
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl Refusal {
    pub(crate) fn new(endpoint: Endpoint, status: u16, body: ErrorBody) -> Self {
        Self {
            endpoint: endpoint.name(),
            status,
            code: body.code,
            message: body.message,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} answered {}", self.endpoint, self.status)?;
        if !self.code.is_empty() {
            write!(f, " {}", self.code)?;
        }
        if !self.message.is_empty() {
            // Comake's text is for the log only; cap it so a huge body cannot flood it.
            let msg: String = self.message.chars().take(300).collect();
            write!(f, ": {msg}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ComakeError {
    /// 400 / 422: the request was malformed or a field invalid.
    #[error("Comake refused the request as invalid ({0})")]
    InvalidInput(Refusal),
    /// 401 even after logging in again.
    #[error("Comake did not accept our credentials ({0})")]
    Unauthorized(Refusal),
    /// 403: this user may not touch this contract.
    #[error("Comake says this user may not do that ({0})")]
    Forbidden(Refusal),
    /// 404: no such contract or client.
    #[error("Comake has no such item ({0})")]
    NotFound(Refusal),
    /// 409: not allowed in the contract's current state, or already exists.
    #[error("Comake refused it in the current state ({0})")]
    Conflict(Refusal),
    /// 429 that could not be waited out within the call's budget.
    #[error("Comake is rate limiting us (retry after {retry_after:?}; {refusal})")]
    RateLimited {
        refusal: Refusal,
        retry_after: Option<Duration>,
    },
    /// 5xx, or the connection failed.
    #[error("Comake is unavailable ({endpoint}: {detail})")]
    Unavailable {
        endpoint: &'static str,
        status: Option<u16>,
        /// The connection was never made, so the request cannot have landed.
        connect_failed: bool,
        detail: String,
    },
    /// The call's time budget ran out.
    #[error("Comake did not answer {endpoint} within {budget:?}")]
    Timeout {
        endpoint: &'static str,
        budget: Duration,
    },
    /// Comake answered, but not with what the API promises.
    #[error("unexpected response from Comake's {endpoint} (status {status}): {detail}")]
    UnexpectedResponse {
        endpoint: &'static str,
        status: u16,
        detail: String,
    },
    /// The client could not be built (bad base URL, TLS setup).
    #[error("the Comake client is misconfigured: {0}")]
    Config(String),
}

impl ComakeError {
    /// The endpoint the failed request was for.
    pub fn endpoint(&self) -> Option<Endpoint> {
        let name = match self {
            ComakeError::InvalidInput(r)
            | ComakeError::Unauthorized(r)
            | ComakeError::Forbidden(r)
            | ComakeError::NotFound(r)
            | ComakeError::Conflict(r)
            | ComakeError::RateLimited { refusal: r, .. } => r.endpoint,
            ComakeError::Unavailable { endpoint, .. }
            | ComakeError::Timeout { endpoint, .. }
            | ComakeError::UnexpectedResponse { endpoint, .. } => endpoint,
            ComakeError::Config(_) => return None,
        };
        Endpoint::from_name(name)
    }

    /// Whether the request certainly changed nothing at Comake. A read never
    /// does; a write that failed on a timeout or a 5xx may have landed.
    pub fn changed_nothing(&self) -> bool {
        if self.endpoint().is_some_and(|e| !e.is_write()) {
            return true;
        }
        match self {
            ComakeError::InvalidInput(_)
            | ComakeError::Unauthorized(_)
            | ComakeError::Forbidden(_)
            | ComakeError::NotFound(_)
            | ComakeError::Conflict(_)
            | ComakeError::RateLimited { .. }
            | ComakeError::Config(_) => true,
            ComakeError::Unavailable { connect_failed, .. } => *connect_failed,
            ComakeError::Timeout { .. } | ComakeError::UnexpectedResponse { .. } => false,
        }
    }

    pub(crate) fn from_status(
        endpoint: Endpoint,
        status: u16,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> Self {
        let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
        let refusal = Refusal::new(endpoint, status, parsed);
        match status {
            400 | 422 => ComakeError::InvalidInput(refusal),
            401 => ComakeError::Unauthorized(refusal),
            403 => ComakeError::Forbidden(refusal),
            404 => ComakeError::NotFound(refusal),
            409 => ComakeError::Conflict(refusal),
            429 => ComakeError::RateLimited {
                refusal,
                retry_after,
            },
            500..=599 => ComakeError::Unavailable {
                endpoint: endpoint.name(),
                status: Some(status),
                connect_failed: false,
                detail: refusal.to_string(),
            },
            _ => ComakeError::UnexpectedResponse {
                endpoint: endpoint.name(),
                status,
                detail: format!("unexpected status ({refusal})"),
            },
        }
    }
}

pub type Result<T, E = ComakeError> = std::result::Result<T, E>;
