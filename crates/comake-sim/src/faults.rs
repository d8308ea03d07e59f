//! Faults for the API to suffer (latency, failures, hangs) and the log of every API request, applied by one middleware.

use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use comake::wire::Endpoint;

use crate::error::ApiError;
use crate::state::{lock, Shared};

/// A failure to inject into upcoming API requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Answer with this status and a Comake error body.
    Status(u16),
    /// Answer 429 with `Retry-After`.
    TooManyRequests { retry_after_secs: u64 },
    /// Never answer.
    Hang,
    /// Answer 200 with a body of this many bytes.
    Oversized(usize),
}

/// One request the API received.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    /// `Endpoint::name()`, when the request matched an endpoint.
    pub endpoint: Option<&'static str>,
    /// Milliseconds since the simulator started, when the request arrived.
    pub at_ms: u64,
    #[serde(skip)]
    pub at: Instant,
}

/// A failure waiting for its next `remaining` requests (to `endpoint`, or to any).
pub(crate) struct FailureRule {
    endpoint: Option<Endpoint>,
    remaining: u32,
    failure: Failure,
}

/// Make the next `count` requests (to `endpoint`, or to any) fail so.
pub(crate) fn inject(shared: &Shared, endpoint: Option<Endpoint>, count: u32, failure: Failure) {
    lock(&shared.control).failures.push_back(FailureRule {
        endpoint,
        remaining: count,
        failure,
    });
}

/// Latency, injected failures and the request log, for every API request.
pub(crate) async fn faults_and_log(
    State(shared): State<std::sync::Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let arrived = Instant::now();
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let endpoint = path
        .strip_prefix("/api/")
        .and_then(|rest| Endpoint::recognize(&method, &rest.split('/').collect::<Vec<_>>()));
    let (latency, failure) = {
        let mut c = lock(&shared.control);
        let mut failure = None;
        if let Some(rule) = c
            .failures
            .iter_mut()
            .find(|r| r.endpoint.is_none() || r.endpoint == endpoint)
        {
            rule.remaining = rule.remaining.saturating_sub(1);
            failure = Some(rule.failure);
        }
        c.failures.retain(|r| r.remaining > 0);
        (c.latency, failure)
    };
    if !latency.is_zero() {
        // tokio's timer has millisecond steps; sleep to just short of the
        // latency, then yield until it has passed, so the delay is exact.
        let until = arrived + latency;
        tokio::time::sleep_until((until - Duration::from_millis(2).min(latency)).into()).await;
        while Instant::now() < until {
            tokio::task::yield_now().await;
        }
    }
    let entry = |status: u16| LoggedRequest {
        method: method.clone(),
        path: path.clone(),
        query: query.clone(),
        status,
        endpoint: endpoint.map(Endpoint::name),
        at_ms: arrived.duration_since(shared.started).as_millis() as u64,
        at: arrived,
    };
    let response = match failure {
        None => next.run(request).await,
        Some(Failure::Status(status)) => {
            ApiError::new(status, "injected", "injected failure").into_response()
        }
        Some(Failure::TooManyRequests { retry_after_secs }) => {
            let mut r = ApiError::new(429, "rate_limited", "too many requests").into_response();
            if let Ok(v) = retry_after_secs.to_string().parse() {
                r.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
            }
            r
        }
        Some(Failure::Oversized(bytes)) => (StatusCode::OK, " ".repeat(bytes)).into_response(),
        Some(Failure::Hang) => {
            // Log the request as it arrives, then never answer.
            lock(&shared.control).log.push(entry(0));
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return StatusCode::GATEWAY_TIMEOUT.into_response();
        }
    };
    lock(&shared.control)
        .log
        .push(entry(response.status().as_u16()));
    response
}
