//! The OPEN API's handlers under `/api`: logins, users and contracts, answered from the company as Comake would.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use comake::wire::*;

use crate::auth::{bearer, TokenKind};
use crate::error::ApiError;
use crate::faults::faults_and_log;
use crate::model::{normalize_email, Company};
use crate::state::{lock, Shared};

pub(crate) type ApiResult = Result<Response, ApiError>;

pub(crate) fn ok(status: StatusCode, value: impl Serialize) -> ApiResult {
    Ok((status, Json(value)).into_response())
}

/// A contract id from the path; one that cannot be an id names no contract.
pub(crate) fn path_id(raw: &str) -> Result<ContractId, ApiError> {
    ContractId::parse(raw).ok_or_else(|| ApiError::not_found("contract"))
}

fn body<T: serde::de::DeserializeOwned>(raw: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(raw)
        .map_err(|e| ApiError::new(400, "bad_request", format!("malformed body: {e}")))
}

fn route_path(ep: Endpoint) -> String {
    format!("/api/{}", ep.segments("{id}").join("/"))
}

/// Every endpoint of the API, behind the faults and the log.
pub(crate) fn routes(shared: Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .route(&route_path(Endpoint::LoginAdmin), post(login_admin))
        .route(&route_path(Endpoint::RegisterClient), post(register_client))
        .route(&route_path(Endpoint::LoginClient), post(login_client))
        .route(&route_path(Endpoint::ListContracts), get(list_contracts))
        .route(
            &route_path(Endpoint::GetContract),
            get(get_contract)
                .patch(rename_contract)
                .delete(delete_contract),
        )
        .route(&route_path(Endpoint::SetSignees), post(set_signees))
        .route(&route_path(Endpoint::RequestSign), post(request_sign))
        .route(&route_path(Endpoint::CancelSign), post(cancel_sign))
        .fallback(|| async { ApiError::new(404, "no_route", "no such endpoint") })
        .layer(middleware::from_fn_with_state(shared, faults_and_log))
}

/// As the user whose clientToken the request carries, `act` on the
/// company; answers 200 with the contract it returns. The token is checked
/// first, so a request without a valid one is refused before its body is
/// read.
fn as_client(
    s: &Shared,
    headers: &HeaderMap,
    act: impl FnOnce(&mut Company, &str) -> Result<Contract, ApiError>,
) -> ApiResult {
    let user = s.authenticate(headers, TokenKind::Client)?;
    let contract = act(&mut lock(&s.company), &user)?;
    ok(StatusCode::OK, ContractResponse { contract })
}

async fn login_admin(State(s): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> ApiResult {
    if bearer(&headers) != Some(s.opts.api_key.as_str()) {
        return Err(ApiError::new(401, "invalid_api_key", "unknown API key"));
    }
    let req: Value = body(&raw)?;
    if req.get("secret").and_then(Value::as_str) != Some(s.opts.api_secret.as_str()) {
        return Err(ApiError::new(401, "invalid_secret", "wrong secret"));
    }
    let token = s.issue(TokenKind::Admin, "admin");
    ok(StatusCode::OK, json!({"adminToken": token}))
}

async fn register_client(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    raw: Bytes,
) -> ApiResult {
    s.authenticate(&headers, TokenKind::Admin)?;
    let req: RegisterClientRequest = body(&raw)?;
    let mut client = lock(&s.company).register(&req.email, &req.name, req.phone)?;
    if let Some(other) = lock(&s.control).register_as.clone() {
        client.email = other;
    }
    ok(StatusCode::CREATED, ClientResponse { client })
}

async fn login_client(State(s): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> ApiResult {
    s.authenticate(&headers, TokenKind::Admin)?;
    let req: LoginClientRequest = body(&raw)?;
    let email = normalize_email(&req.email);
    if lock(&s.company).user(&email).is_none() {
        return Err(ApiError::new(
            404,
            "client_not_found",
            "no user with this email",
        ));
    }
    let token = s.issue(TokenKind::Client, &email);
    ok(StatusCode::OK, json!({"clientToken": token}))
}

#[derive(Deserialize)]
struct ListParams {
    status: Option<String>,
    page: Option<String>,
    limit: Option<String>,
}

async fn list_contracts(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<ListParams>,
) -> ApiResult {
    let user = s.authenticate(&headers, TokenKind::Client)?;
    let tab = match q.status.as_deref() {
        None => BoxTab::All,
        Some(raw) => BoxTab::parse(raw).ok_or_else(|| ApiError::invalid("unknown status"))?,
    };
    let number = |v: Option<String>, default: u32| -> Result<u32, ApiError> {
        v.map_or(Ok(default), |v| {
            v.parse().map_err(|_| ApiError::invalid("not a number"))
        })
    };
    let page = number(q.page, 1)?;
    let limit = number(q.limit, 20)?;
    let list = lock(&s.company).list(&user, tab, page, limit)?;
    ok(StatusCode::OK, list)
}

async fn get_contract(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    as_client(&s, &headers, |co, user| co.get(user, &path_id(&id)?))
}

async fn rename_contract(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    raw: Bytes,
) -> ApiResult {
    as_client(&s, &headers, |co, user| {
        let req: RenameRequest = body(&raw)?;
        co.rename(user, &path_id(&id)?, &req.name)
    })
}

async fn delete_contract(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let user = s.authenticate(&headers, TokenKind::Client)?;
    lock(&s.company).delete(&user, &path_id(&id)?)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn set_signees(State(s): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> ApiResult {
    as_client(&s, &headers, |co, user| {
        let req: SetSigneesRequest = body(&raw)?;
        co.set_signees(user, &req.contract_id, req.signees)
    })
}

async fn request_sign(State(s): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> ApiResult {
    as_client(&s, &headers, |co, user| {
        let req: ContractIdRequest = body(&raw)?;
        co.request_sign(user, &req.contract_id)
    })
}

async fn cancel_sign(State(s): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> ApiResult {
    as_client(&s, &headers, |co, user| {
        let req: ContractIdRequest = body(&raw)?;
        co.cancel_sign(user, &req.contract_id, req.reason)
    })
}
