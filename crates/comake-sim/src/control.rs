//! The control surface under `/_sim`: seed users and contracts, make a signee act, set latency and failures, read the log.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use comake::wire::*;

use crate::api::{ok, path_id, ApiResult};
use crate::error::ApiError;
use crate::faults::{inject, Failure, LoggedRequest};
use crate::model::SigneeAction;
use crate::state::{lock, Shared};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sim/users", post(add_user))
        .route("/_sim/contracts", post(seed_contract))
        .route(
            "/_sim/contracts/{id}/parties/{party}/{action}",
            post(signee_acts),
        )
        .route("/_sim/latency", post(latency))
        .route("/_sim/fail", post(fail))
        .route("/_sim/log", get(log))
}

#[derive(Deserialize)]
struct NewUser {
    email: String,
    name: String,
}

async fn add_user(State(s): State<Arc<Shared>>, Json(u): Json<NewUser>) -> ApiResult {
    let client = lock(&s.company).register(&u.email, &u.name, None)?;
    ok(StatusCode::CREATED, ClientResponse { client })
}

#[derive(Deserialize)]
struct NewContract {
    owner: String,
    name: String,
    parties: Vec<String>,
    #[serde(default = "saved")]
    status: ContractStatus,
}

fn saved() -> ContractStatus {
    ContractStatus::Saved
}

async fn seed_contract(State(s): State<Arc<Shared>>, Json(c): Json<NewContract>) -> ApiResult {
    let parties: Vec<&str> = c.parties.iter().map(String::as_str).collect();
    let id = lock(&s.company).create_contract(&c.owner, &c.name, &parties, c.status)?;
    ok(StatusCode::CREATED, json!({"_id": id}))
}

async fn signee_acts(
    State(s): State<Arc<Shared>>,
    Path((id, party, action)): Path<(String, u32, String)>,
) -> ApiResult {
    let action = SigneeAction::parse(&action)
        .ok_or_else(|| ApiError::new(404, "not_found", "action is view, sign or reject"))?;
    let contract = lock(&s.company).signee_acts(&path_id(&id)?, party, action)?;
    ok(StatusCode::OK, ContractResponse { contract })
}

#[derive(Deserialize)]
struct Latency {
    ms: u64,
}

async fn latency(State(s): State<Arc<Shared>>, Json(l): Json<Latency>) -> StatusCode {
    lock(&s.control).latency = Duration::from_millis(l.ms);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct FailRequest {
    endpoint: Option<String>,
    count: u32,
    status: Option<u16>,
    retry_after: Option<u64>,
    #[serde(default)]
    hang: bool,
}

async fn fail(State(s): State<Arc<Shared>>, Json(f): Json<FailRequest>) -> ApiResult {
    let endpoint = match f.endpoint.as_deref() {
        None => None,
        Some(name) => Some(
            Endpoint::ALL
                .into_iter()
                .find(|e| e.name() == name)
                .ok_or_else(|| ApiError::invalid("unknown endpoint"))?,
        ),
    };
    let failure = match (f.hang, f.retry_after, f.status) {
        (true, _, _) => Failure::Hang,
        (_, Some(secs), _) => Failure::TooManyRequests {
            retry_after_secs: secs,
        },
        (_, _, Some(status)) => Failure::Status(status),
        _ => return Err(ApiError::invalid("give hang, retry_after or status")),
    };
    inject(&s, endpoint, f.count, failure);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn log(State(s): State<Arc<Shared>>) -> Json<Vec<LoggedRequest>> {
    Json(lock(&s.control).log.clone())
}
