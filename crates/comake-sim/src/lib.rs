//! A stateful Comake simulator on 127.0.0.1: the OPEN API, a stand-in upload page, and a control surface for tests.
//!
//! It serves the API under `/api` (every endpoint of `comake-api.md`, with
//! HS256 JWTs, the state table and Comake's error codes), the upload page under
//! `/contract/upload`, and a control surface under `/_sim` (also available as
//! methods on [`ComakeSim`]): seed users and contracts, make a signee act,
//! revoke tokens, inject latency and failures, read the request log.

mod model;

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

pub use model::{normalize_email, plausible_email, ApiError, SigneeAction};

use comake::wire::*;
use model::Company;

/// How the simulated company is set up.
#[derive(Debug, Clone)]
pub struct SimOptions {
    pub api_key: String,
    pub api_secret: String,
    pub admin_token_lifetime: Duration,
    pub client_token_lifetime: Duration,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            api_key: "sim-api-key".into(),
            api_secret: "sim-api-secret".into(),
            admin_token_lifetime: Duration::from_secs(3600),
            client_token_lifetime: Duration::from_secs(3600),
        }
    }
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenKind {
    Admin,
    Client,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    kind: String,
    iat: u64,
    exp: u64,
    jti: u64,
}

struct FailureRule {
    endpoint: Option<Endpoint>,
    remaining: u32,
    failure: Failure,
}

#[derive(Default)]
struct Control {
    latency: Duration,
    failures: VecDeque<FailureRule>,
    log: Vec<LoggedRequest>,
    issued: Vec<String>,
    revoked: HashSet<u64>,
    token_subjects: HashMap<u64, String>,
    refused_users: HashSet<String>,
    /// register-client answers with this email instead (a misbehaving Comake).
    register_as: Option<String>,
    next_jti: u64,
    admin_lifetime: Duration,
    client_lifetime: Duration,
}

struct Shared {
    opts: SimOptions,
    company: Mutex<Company>,
    control: Mutex<Control>,
    encoding: EncodingKey,
    decoding: DecodingKey,
    started: Instant,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A running simulator. Dropping it stops the server.
pub struct ComakeSim {
    addr: SocketAddr,
    api_url: Url,
    web_url: Url,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ComakeSim {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ComakeSim {
    /// Start on a free port of 127.0.0.1.
    pub async fn start(opts: SimOptions) -> std::io::Result<Self> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), opts).await
    }

    pub async fn start_on(addr: SocketAddr, opts: SimOptions) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        // A per-run signing key: tokens of one run are worthless in the next.
        let key: [u8; 32] = rand::random();
        let control = Control {
            admin_lifetime: opts.admin_token_lifetime,
            client_lifetime: opts.client_token_lifetime,
            ..Control::default()
        };
        let shared = Arc::new(Shared {
            opts,
            company: Mutex::new(Company::default()),
            control: Mutex::new(control),
            encoding: EncodingKey::from_secret(&key),
            decoding: DecodingKey::from_secret(&key),
            started: Instant::now(),
        });
        let app = router(shared.clone());
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "comake simulator stopped");
            }
        });
        let url = |path: &str| {
            Url::parse(&format!("http://{addr}{path}"))
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
        };
        Ok(Self {
            addr,
            api_url: url("/api")?,
            web_url: url("/")?,
            shared,
            task,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base, as `COMAKE_API_URL`.
    pub fn api_url(&self) -> Url {
        self.api_url.clone()
    }

    /// The web base, as `COMAKE_WEB_URL`.
    pub fn web_url(&self) -> Url {
        self.web_url.clone()
    }

    pub fn options(&self) -> &SimOptions {
        &self.shared.opts
    }

    // ----- the company -----

    /// Register a Comake user directly (as the company's admin would on the web).
    pub fn add_user(&self, email: &str, name: &str) -> Result<Client, ApiError> {
        lock(&self.shared.company).register(email, name, None)
    }

    /// A contract as its owner had uploaded it and saved it on the web page.
    pub fn seed_contract(
        &self,
        owner: &str,
        name: &str,
        parties: &[&str],
        status: ContractStatus,
    ) -> Result<ContractId, ApiError> {
        lock(&self.shared.company).create_contract(owner, name, parties, status)
    }

    /// The owner sets the signees on the web page (passwords included).
    pub fn set_signees(
        &self,
        owner: &str,
        id: &ContractId,
        signees: Vec<comake::wire::SigneeInput>,
    ) -> Result<Contract, ApiError> {
        lock(&self.shared.company).set_signees(owner, id, signees)
    }

    /// Make register-client answer with `email` instead of the one it was
    /// given (`None`: answer truthfully again).
    pub fn answer_register_as(&self, email: Option<&str>) {
        lock(&self.shared.control).register_as = email.map(str::to_owned);
    }

    /// A signee views, signs or rejects on the signing page.
    pub fn signee_acts(
        &self,
        id: &ContractId,
        party: u32,
        action: SigneeAction,
    ) -> Result<Contract, ApiError> {
        lock(&self.shared.company).signee_acts(id, party, action)
    }

    /// The owner asks `approvers` (name, email), in order, to approve.
    pub fn request_approval(
        &self,
        owner: &str,
        id: &ContractId,
        approvers: &[(&str, &str)],
    ) -> Result<Contract, ApiError> {
        lock(&self.shared.company).request_approval(owner, id, approvers)
    }

    /// The next approver approves, or rejects with `reason`.
    pub fn approver_acts(
        &self,
        id: &ContractId,
        approve: bool,
        reason: Option<&str>,
    ) -> Result<Contract, ApiError> {
        lock(&self.shared.company).approver_acts(id, approve, reason)
    }

    /// The owner withdraws the approval request on the website.
    pub fn cancel_approval(&self, owner: &str, id: &ContractId) -> Result<Contract, ApiError> {
        lock(&self.shared.company).cancel_approval(owner, id)
    }

    /// Make the contract's signees sign in party order.
    pub fn set_sequential(&self, id: &ContractId, sequential: bool) -> Result<(), ApiError> {
        lock(&self.shared.company).set_sequential(id, sequential)
    }

    /// The contract as its owner sees it.
    pub fn contract(&self, id: &ContractId) -> Option<Contract> {
        lock(&self.shared.company).peek(id)
    }

    // ----- tokens -----

    /// Revoke every token issued so far for this email (`None`: all tokens,
    /// the admin's included).
    pub fn revoke_tokens(&self, email: Option<&str>) {
        let mut c = lock(&self.shared.control);
        let email = email.map(normalize_email);
        let doomed: Vec<u64> = c
            .token_subjects
            .iter()
            .filter(|(_, sub)| email.as_ref().is_none_or(|e| e == *sub))
            .map(|(jti, _)| *jti)
            .collect();
        c.revoked.extend(doomed);
    }

    /// Refuse (401) every clientToken of this user, even fresh ones.
    pub fn refuse_user(&self, email: &str, refuse: bool) {
        let mut c = lock(&self.shared.control);
        if refuse {
            c.refused_users.insert(normalize_email(email));
        } else {
            c.refused_users.remove(&normalize_email(email));
        }
    }

    pub fn set_token_lifetimes(&self, admin: Duration, client: Duration) {
        let mut c = lock(&self.shared.control);
        c.admin_lifetime = admin;
        c.client_lifetime = client;
    }

    /// Every token issued so far, in order (to check that none leaked).
    pub fn issued_tokens(&self) -> Vec<String> {
        lock(&self.shared.control).issued.clone()
    }

    // ----- faults and the log -----

    /// Delay every API request by this much.
    pub fn set_latency(&self, latency: Duration) {
        lock(&self.shared.control).latency = latency;
    }

    /// Make the next `count` requests (to `endpoint`, or to any) fail so.
    pub fn fail_next(&self, endpoint: Option<Endpoint>, count: u32, failure: Failure) {
        lock(&self.shared.control).failures.push_back(FailureRule {
            endpoint,
            remaining: count,
            failure,
        });
    }

    /// The API requests received so far, in order of arrival.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.control).log.clone()
    }

    /// How many requests reached this endpoint.
    pub fn count(&self, endpoint: Endpoint) -> usize {
        lock(&self.shared.control)
            .log
            .iter()
            .filter(|r| r.endpoint == Some(endpoint.name()))
            .count()
    }

    pub fn clear_log(&self) {
        lock(&self.shared.control).log.clear();
    }
}

impl Shared {
    fn issue(&self, kind: TokenKind, sub: &str) -> String {
        let mut c = lock(&self.control);
        c.next_jti += 1;
        let jti = c.next_jti;
        let lifetime = match kind {
            TokenKind::Admin => c.admin_lifetime,
            TokenKind::Client => c.client_lifetime,
        };
        let now = unix_now();
        let claims = Claims {
            sub: sub.to_owned(),
            kind: match kind {
                TokenKind::Admin => "admin".into(),
                TokenKind::Client => "client".into(),
            },
            iat: now,
            exp: now + lifetime.as_secs(),
            jti,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .unwrap_or_default();
        c.issued.push(token.clone());
        c.token_subjects.insert(jti, sub.to_owned());
        token
    }

    /// The subject of a valid bearer token of `kind`, or the 401 to send.
    fn authenticate(&self, headers: &HeaderMap, kind: TokenKind) -> Result<String, ApiError> {
        let unauthorized = |m: &str| ApiError::new(401, "unauthorized", m);
        let bearer = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| unauthorized("missing bearer token"))?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        let data = jsonwebtoken::decode::<Claims>(bearer, &self.decoding, &validation).map_err(
            |e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => unauthorized("token expired"),
                _ => unauthorized("invalid token"),
            },
        )?;
        let claims = data.claims;
        let want = match kind {
            TokenKind::Admin => "admin",
            TokenKind::Client => "client",
        };
        let c = lock(&self.control);
        if claims.kind != want {
            return Err(unauthorized("wrong kind of token"));
        }
        if c.revoked.contains(&claims.jti) {
            return Err(unauthorized("token revoked"));
        }
        if kind == TokenKind::Client && c.refused_users.contains(&claims.sub) {
            return Err(unauthorized("token refused"));
        }
        Ok(claims.sub)
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
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

type ApiResult = Result<Response, ApiError>;

fn body<T: serde::de::DeserializeOwned>(raw: &axum::body::Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(raw)
        .map_err(|e| ApiError::new(400, "bad_request", format!("malformed body: {e}")))
}

fn ok(status: StatusCode, value: impl Serialize) -> ApiResult {
    Ok((status, Json(value)).into_response())
}

fn route_path(ep: Endpoint) -> String {
    format!("/api/{}", ep.segments("{id}").join("/"))
}

fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
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
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults_and_log,
        ));
    let control = Router::new()
        .route("/_sim/users", post(ctl_add_user))
        .route("/_sim/contracts", post(ctl_seed_contract))
        .route(
            "/_sim/contracts/{id}/parties/{party}/{action}",
            post(ctl_signee_acts),
        )
        .route("/_sim/latency", post(ctl_latency))
        .route("/_sim/fail", post(ctl_fail))
        .route("/_sim/log", get(ctl_log));
    let web = Router::new().route(
        &format!("/{}", UPLOAD_PAGE.join("/")),
        get(upload_page).post(upload_submit),
    );
    api.merge(control).merge(web).with_state(shared)
}

/// Latency, injected failures and the request log, for every API request.
async fn faults_and_log(
    State(shared): State<Arc<Shared>>,
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
            record(&shared, &method, &path, query.clone(), 0, endpoint, arrived);
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return StatusCode::GATEWAY_TIMEOUT.into_response();
        }
    };
    record(
        &shared,
        &method,
        &path,
        query,
        response.status().as_u16(),
        endpoint,
        arrived,
    );
    response
}

fn record(
    shared: &Shared,
    method: &str,
    path: &str,
    query: Option<String>,
    status: u16,
    endpoint: Option<Endpoint>,
    at: Instant,
) {
    let entry = LoggedRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        query,
        status,
        endpoint: endpoint.map(Endpoint::name),
        at_ms: at.duration_since(shared.started).as_millis() as u64,
        at,
    };
    lock(&shared.control).log.push(entry);
}

// ----- API handlers -----

async fn login_admin(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    raw: axum::body::Bytes,
) -> ApiResult {
    let key = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if key != Some(s.opts.api_key.as_str()) {
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
    raw: axum::body::Bytes,
) -> ApiResult {
    s.authenticate(&headers, TokenKind::Admin)?;
    let req: RegisterClientRequest = body(&raw)?;
    let mut client = lock(&s.company).register(&req.email, &req.name, req.phone)?;
    if let Some(other) = lock(&s.control).register_as.clone() {
        client.email = other;
    }
    ok(StatusCode::CREATED, ClientResponse { client })
}

async fn login_client(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    raw: axum::body::Bytes,
) -> ApiResult {
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
        Some(raw) => BoxTab::parse(raw)
            .ok_or_else(|| ApiError::new(422, "invalid_field", "unknown status"))?,
    };
    let number = |v: Option<String>, default: u32| -> Result<u32, ApiError> {
        v.map_or(Ok(default), |v| {
            v.parse()
                .map_err(|_| ApiError::new(422, "invalid_field", "not a number"))
        })
    };
    let page = number(q.page, 1)?;
    let limit = number(q.limit, 20)?;
    let list = lock(&s.company).list(&user, tab, page, limit)?;
    ok(StatusCode::OK, list)
}

fn path_id(raw: &str) -> Result<ContractId, ApiError> {
    ContractId::parse(raw).ok_or_else(|| ApiError::new(404, "not_found", "no such contract"))
}

async fn get_contract(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let user = s.authenticate(&headers, TokenKind::Client)?;
    let contract = lock(&s.company).get(&user, &path_id(&id)?)?;
    ok(StatusCode::OK, ContractResponse { contract })
}

async fn rename_contract(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    raw: axum::body::Bytes,
) -> ApiResult {
    let user = s.authenticate(&headers, TokenKind::Client)?;
    let req: RenameRequest = body(&raw)?;
    let contract = lock(&s.company).rename(&user, &path_id(&id)?, &req.name)?;
    ok(StatusCode::OK, ContractResponse { contract })
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

async fn set_signees(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    raw: axum::body::Bytes,
) -> ApiResult {
    let user = s.authenticate(&headers, TokenKind::Client)?;
    let req: SetSigneesRequest = body(&raw)?;
    let contract = lock(&s.company).set_signees(&user, &req.contract_id, req.signees)?;
    ok(StatusCode::OK, ContractResponse { contract })
}

async fn request_sign(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    raw: axum::body::Bytes,
) -> ApiResult {
    let user = s.authenticate(&headers, TokenKind::Client)?;
    let req: ContractIdRequest = body(&raw)?;
    let contract = lock(&s.company).request_sign(&user, &req.contract_id)?;
    ok(StatusCode::OK, ContractResponse { contract })
}

async fn cancel_sign(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    raw: axum::body::Bytes,
) -> ApiResult {
    let user = s.authenticate(&headers, TokenKind::Client)?;
    let req: ContractIdRequest = body(&raw)?;
    let contract = lock(&s.company).cancel_sign(&user, &req.contract_id, req.reason)?;
    ok(StatusCode::OK, ContractResponse { contract })
}

// ----- control surface -----

#[derive(Deserialize)]
struct NewUser {
    email: String,
    name: String,
}

async fn ctl_add_user(State(s): State<Arc<Shared>>, Json(u): Json<NewUser>) -> ApiResult {
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

async fn ctl_seed_contract(State(s): State<Arc<Shared>>, Json(c): Json<NewContract>) -> ApiResult {
    let parties: Vec<&str> = c.parties.iter().map(String::as_str).collect();
    let id = lock(&s.company).create_contract(&c.owner, &c.name, &parties, c.status)?;
    ok(StatusCode::CREATED, json!({"_id": id}))
}

async fn ctl_signee_acts(
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

async fn ctl_latency(State(s): State<Arc<Shared>>, Json(l): Json<Latency>) -> StatusCode {
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

async fn ctl_fail(State(s): State<Arc<Shared>>, Json(f): Json<FailRequest>) -> ApiResult {
    let endpoint = match f.endpoint.as_deref() {
        None => None,
        Some(name) => Some(
            Endpoint::ALL
                .into_iter()
                .find(|e| e.name() == name)
                .ok_or_else(|| ApiError::new(422, "invalid_field", "unknown endpoint"))?,
        ),
    };
    let failure = match (f.hang, f.retry_after, f.status) {
        (true, _, _) => Failure::Hang,
        (_, Some(secs), _) => Failure::TooManyRequests {
            retry_after_secs: secs,
        },
        (_, _, Some(status)) => Failure::Status(status),
        _ => {
            return Err(ApiError::new(
                422,
                "invalid_field",
                "give hang, retry_after or status",
            ))
        }
    };
    lock(&s.control).failures.push_back(FailureRule {
        endpoint,
        remaining: f.count,
        failure,
    });
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn ctl_log(State(s): State<Arc<Shared>>) -> Json<Vec<LoggedRequest>> {
    Json(lock(&s.control).log.clone())
}

// ----- the stand-in upload page -----

#[derive(Deserialize)]
struct UploadParams {
    token: Option<String>,
    #[serde(rename = "contractId")]
    contract_id: Option<String>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What the real upload page does in a browser, reduced to a form: name the
/// contract and its parties, and save it as the token's user.
async fn upload_page(State(s): State<Arc<Shared>>, Query(p): Query<UploadParams>) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        axum::http::header::AUTHORIZATION,
        match format!("Bearer {}", p.token.clone().unwrap_or_default()).parse() {
            Ok(v) => v,
            Err(_) => return (StatusCode::BAD_REQUEST, "bad token").into_response(),
        },
    );
    let user = match s.authenticate(&headers, TokenKind::Client) {
        Ok(user) => user,
        Err(e) => {
            return (
                StatusCode::UNAUTHORIZED,
                Html(format!("<p>{}</p>", escape(&e.message))),
            )
                .into_response()
        }
    };
    let token = escape(&p.token.unwrap_or_default());
    let editing = p
        .contract_id
        .map(|id| format!("<p>Editing contract {}</p>", escape(&id)))
        .unwrap_or_default();
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>Comake simulator</title>\
         <h1>Comake simulator: upload a contract</h1><p>Signed in as {}</p>{editing}\
         <form method=post><input type=hidden name=token value=\"{token}\">\
         <label>Name <input name=name required></label>\
         <label>Parties (comma-separated) <input name=parties value=\"갑, 을\"></label>\
         <button>Save</button></form>",
        escape(&user)
    ))
    .into_response()
}

#[derive(Deserialize)]
struct UploadForm {
    token: String,
    name: String,
    parties: String,
}

async fn upload_submit(State(s): State<Arc<Shared>>, Form(f): Form<UploadForm>) -> Response {
    let mut headers = HeaderMap::new();
    match format!("Bearer {}", f.token).parse() {
        Ok(v) => headers.insert(axum::http::header::AUTHORIZATION, v),
        Err(_) => return (StatusCode::BAD_REQUEST, "bad token").into_response(),
    };
    let user = match s.authenticate(&headers, TokenKind::Client) {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    let parties: Vec<&str> = f
        .parties
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    match lock(&s.company).create_contract(&user, f.name.trim(), &parties, ContractStatus::Saved) {
        Ok(id) => Html(format!(
            "<p>Saved contract {id}. You can close this page.</p>"
        ))
        .into_response(),
        Err(e) => e.into_response(),
    }
}
