//! The Comake HTTP client: admin and per-user token caches, 401 re-login, retries and the per-call time budget.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use backon::BackoffBuilder;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::time::Instant;
use url::Url;

use super::error::{ComakeError, Result};
use super::links::{self, SecretUrl};
use super::retry::{self, Decision, Outcome};
use super::token::{Lease, TokenCell};
use super::wire::*;

/// The largest response body read from Comake.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The longest a connection may take to open (bounded by the call budget).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Per-user token cells kept before expired ones are swept.
const USER_CELLS_SOFT_CAP: usize = 10_000;

/// Where Comake is and how to authenticate to it.
#[derive(Clone)]
pub struct ComakeConfig {
    pub api_url: Url,
    pub web_url: Url,
    pub api_key: SecretString,
    pub api_secret: SecretString,
    /// The budget of one client call, retries, backoff and logins included.
    pub timeout: Duration,
}

impl std::fmt::Debug for ComakeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ComakeConfig")
            .field("api_url", &self.api_url.as_str())
            .field("web_url", &self.web_url.as_str())
            .field("api_key", &"[redacted]")
            .field("api_secret", &"[redacted]")
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Spaces out requests: every request a paced client sends, retries and
/// logins included, first waits for it.
pub type Pacer = governor::DefaultDirectRateLimiter;

/// The client for the company's Comake account. Cheap to clone.
#[derive(Clone)]
pub struct Comake {
    inner: Arc<Inner>,
    pace: Option<Arc<Pacer>>,
}

struct Inner {
    http: reqwest::Client,
    cfg: ComakeConfig,
    admin: TokenCell,
    users: std::sync::Mutex<HashMap<String, Arc<TokenCell>>>,
}

/// What came back from one request, whatever its status.
struct Raw {
    status: u16,
    body: Vec<u8>,
    retry_after: Option<Duration>,
}

/// One request to send: everything but the bearer token.
struct Call<'a> {
    endpoint: Endpoint,
    id: Option<&'a ContractId>,
    query: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
}

impl<'a> Call<'a> {
    fn new(endpoint: Endpoint) -> Self {
        Self {
            endpoint,
            id: None,
            query: Vec::new(),
            body: None,
        }
    }

    fn id(mut self, id: &'a ContractId) -> Self {
        self.id = Some(id);
        self
    }

    fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            ComakeError::Config(format!("cannot encode {} body: {e}", self.endpoint.name()))
        })?;
        self.body = Some(bytes);
        Ok(self)
    }
}

impl Comake {
    pub fn new(cfg: ComakeConfig) -> Result<Self> {
        if cfg.api_url.cannot_be_a_base() || cfg.web_url.cannot_be_a_base() {
            return Err(ComakeError::Config(
                "the API and web URLs must be http(s) base URLs".into(),
            ));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT.min(cfg.timeout))
            .timeout(cfg.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("comake-bot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ComakeError::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                cfg,
                admin: TokenCell::new(),
                users: std::sync::Mutex::new(HashMap::new()),
            }),
            pace: None,
        })
    }

    pub fn config(&self) -> &ComakeConfig {
        &self.inner.cfg
    }

    /// The same client, sharing its token caches, whose every request waits
    /// for `pacer` right before it goes out (so logins and retries count).
    pub fn paced(&self, pacer: Arc<Pacer>) -> Self {
        Self {
            inner: self.inner.clone(),
            pace: Some(pacer),
        }
    }

    /// Log in as admin now, whatever is cached: proves the API key and secret.
    pub async fn check_admin(&self) -> Result<()> {
        self.within(Endpoint::LoginAdmin, async {
            let token = self.login_admin().await?;
            self.inner.admin.put(token).await;
            Ok(())
        })
        .await
    }

    /// Register a new Comake user in this company (a 409 means the email exists).
    pub async fn register_client(&self, request: &RegisterClientRequest) -> Result<Client> {
        let ep = Endpoint::RegisterClient;
        self.within(ep, async {
            let raw = self.as_admin(Call::new(ep).json(request)?).await?;
            Ok(decode::<ClientResponse>(ep, raw)?.client)
        })
        .await
    }

    /// The client acting as the Comake user with this email.
    /// Forget users whose token has lapsed and whom nobody holds; how many
    /// are left.
    pub fn sweep(&self) -> usize {
        let mut users = self
            .inner
            .users
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        users.retain(|_, cell| Arc::strong_count(cell) > 1 || cell.is_fresh());
        users.shrink_to_fit();
        users.len()
    }

    pub fn user(&self, email: &str) -> UserClient {
        let key = email.trim().to_lowercase();
        let cell = {
            let mut users = self
                .inner
                .users
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if users.len() >= USER_CELLS_SOFT_CAP && !users.contains_key(&key) {
                // Forget users whose token has lapsed and whom nobody holds.
                users.retain(|_, cell| Arc::strong_count(cell) > 1 || cell.is_fresh());
            }
            users.entry(key.clone()).or_default().clone()
        };
        UserClient {
            comake: self.clone(),
            email: key,
            cell,
        }
    }

    /// Run one client call within the configured budget.
    async fn within<T>(
        &self,
        endpoint: Endpoint,
        fut: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        let budget = self.inner.cfg.timeout;
        match tokio::time::timeout(budget, fut).await {
            Ok(result) => result,
            Err(_) => Err(ComakeError::Timeout {
                endpoint: endpoint.name(),
                budget,
            }),
        }
    }

    async fn login_admin(&self) -> Result<SecretString> {
        let ep = Endpoint::LoginAdmin;
        let call = Call::new(ep).json(&LoginAdminRequest {
            secret: self.inner.cfg.api_secret.clone(),
        })?;
        let raw = self.send(&call, &self.inner.cfg.api_key).await?;
        metrics::counter!(super::metrics::LOGINS, "kind" => "admin").increment(1);
        tracing::info!(endpoint = ep.name(), "logged in to Comake as admin");
        Ok(decode::<LoginAdminResponse>(ep, raw)?.admin_token)
    }

    async fn login_client(&self, email: &str) -> Result<SecretString> {
        let ep = Endpoint::LoginClient;
        let call = Call::new(ep).json(&LoginClientRequest {
            email: email.to_owned(),
        })?;
        let raw = self.as_admin(call).await?;
        metrics::counter!(super::metrics::LOGINS, "kind" => "client").increment(1);
        tracing::debug!(endpoint = ep.name(), "logged a user in to Comake");
        Ok(decode::<LoginClientResponse>(ep, raw)?.client_token)
    }

    /// Send with the admin token; on a 401 log in again once and resend once.
    async fn as_admin(&self, call: Call<'_>) -> Result<Raw> {
        let cell = &self.inner.admin;
        self.with_relogin(call, cell, || self.login_admin()).await
    }

    async fn with_relogin<F, Fut>(&self, call: Call<'_>, cell: &TokenCell, login: F) -> Result<Raw>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<SecretString>>,
    {
        let lease: Lease = cell.get(&login).await?;
        let raw = self.send(&call, &lease.token).await?;
        if raw.status != 401 {
            return Ok(raw);
        }
        tracing::debug!(
            endpoint = call.endpoint.name(),
            "token refused; logging in again"
        );
        cell.invalidate(lease.generation).await;
        let lease = cell.get(&login).await?;
        self.send(&call, &lease.token).await
    }

    /// One request with its retries. Returns whatever status Comake answered
    /// last; transport failures become errors.
    async fn send(&self, call: &Call<'_>, bearer: &SecretString) -> Result<Raw> {
        let ep = call.endpoint;
        let url = self.url(call);
        let deadline = Instant::now() + self.inner.cfg.timeout;
        let mut backoff = backon::ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_secs(2))
            .with_max_times(retry::MAX_ATTEMPTS as usize)
            .with_jitter()
            .build();
        let mut attempt = 1;
        loop {
            if let Some(pacer) = &self.pace {
                pacer.until_ready().await;
            }
            let started = Instant::now();
            let result = self.send_once(ep, &url, call, bearer, deadline).await;
            let outcome = match &result {
                Ok(raw) => Outcome::Status {
                    status: raw.status,
                    retry_after: raw.retry_after,
                },
                Err(ComakeError::Unavailable {
                    connect_failed: true,
                    ..
                }) => Outcome::ConnectFailed,
                Err(ComakeError::Unavailable { .. }) => Outcome::TransportFailed,
                // An answer we cannot use (too large) would be the same again.
                Err(_) => return result,
            };
            tracing::debug!(
                endpoint = ep.name(),
                attempt,
                status = result.as_ref().ok().map(|r| r.status),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "comake request"
            );
            let wait = match retry::decide(ep.idempotent(), outcome, attempt) {
                Decision::Stop => return result,
                Decision::Backoff => backoff.next().unwrap_or(Duration::from_secs(1)),
                Decision::After(wait) => wait,
            };
            if Instant::now() + wait >= deadline {
                return result;
            }
            tracing::debug!(
                endpoint = ep.name(),
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying comake request"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn send_once(
        &self,
        ep: Endpoint,
        url: &Url,
        call: &Call<'_>,
        bearer: &SecretString,
        deadline: Instant,
    ) -> Result<Raw> {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut request = self
            .inner
            .http
            .request(ep.method(), url.clone())
            .bearer_auth(bearer.expose_secret())
            .timeout(left);
        if let Some(body) = &call.body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let started = Instant::now();
        let sent = request.send().await;
        let status_label = match &sent {
            Ok(r) => r.status().as_str().to_owned(),
            Err(_) => "error".to_owned(),
        };
        metrics::counter!(super::metrics::REQUESTS, "endpoint" => ep.name(), "status" => status_label).increment(1);
        metrics::histogram!(super::metrics::REQUEST_SECONDS, "endpoint" => ep.name())
            .record(started.elapsed().as_secs_f64());
        let mut response = sent.map_err(|e| transport_error(ep, e))?;
        let status = response.status().as_u16();
        let retry_after = retry::parse_retry_after(
            response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok()),
        );
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(ep, e))? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(ComakeError::UnexpectedResponse {
                    endpoint: ep.name(),
                    status,
                    detail: format!("body larger than {MAX_BODY_BYTES} bytes"),
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Raw {
            status,
            body,
            retry_after,
        })
    }

    fn url(&self, call: &Call<'_>) -> Url {
        let mut url = self.inner.cfg.api_url.clone();
        url.set_query(None);
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().extend(
                call.endpoint
                    .segments(call.id.map(ContractId::as_str).unwrap_or_default()),
            );
        }
        if !call.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(call.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        url
    }
}

fn transport_error(ep: Endpoint, e: reqwest::Error) -> ComakeError {
    // reqwest's Display can hold the URL; ours never has a token in it, but
    // strip it anyway so errors stay short and uniform.
    let e = e.without_url();
    if e.is_timeout() {
        ComakeError::Unavailable {
            endpoint: ep.name(),
            status: None,
            connect_failed: false,
            detail: "timed out".into(),
        }
    } else {
        ComakeError::Unavailable {
            endpoint: ep.name(),
            status: None,
            connect_failed: e.is_connect(),
            detail: error_chain(&e),
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Decode a 2xx body, or turn any other status into the matching error.
fn decode<T: DeserializeOwned>(ep: Endpoint, raw: Raw) -> Result<T> {
    if !(200..300).contains(&raw.status) {
        return Err(ComakeError::from_status(
            ep,
            raw.status,
            &raw.body,
            raw.retry_after,
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(&raw.body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        // A login response's values are tokens: name the field, never the value.
        let detail = if matches!(ep, Endpoint::LoginAdmin | Endpoint::LoginClient) {
            format!("field `{path}` is missing or malformed")
        } else {
            format!("field `{path}`: {}", e.inner())
        };
        ComakeError::UnexpectedResponse {
            endpoint: ep.name(),
            status: raw.status,
            detail,
        }
    })
}

/// The client acting as one Comake user; its clientToken is cached and
/// shared with every other `UserClient` for the same email.
#[derive(Clone)]
pub struct UserClient {
    comake: Comake,
    email: String,
    cell: Arc<TokenCell>,
}

impl UserClient {
    /// Log the user in anew and return the token with its full hour (for a
    /// link). It also replaces the cached token. Proves the user exists.
    pub async fn fresh_token(&self) -> Result<SecretString> {
        self.comake
            .within(Endpoint::LoginClient, async {
                let token = self.comake.login_client(&self.email).await?;
                self.cell.put(token.clone()).await;
                Ok(token)
            })
            .await
    }

    /// How long the user's cached clientToken is used before a login
    /// replaces it (`None`: none is cached): a read within that needs no
    /// login.
    pub fn token_usable_for(&self) -> Option<std::time::Duration> {
        self.cell.usable_for()
    }

    /// A private link to upload a new contract, with a freshly issued token.
    pub async fn new_contract_link(&self) -> Result<SecretUrl> {
        let token = self.fresh_token().await?;
        Ok(links::new_contract_url(
            &self.comake.inner.cfg.web_url,
            &token,
        ))
    }

    /// A private link to change a contract, with a freshly issued token.
    pub async fn edit_contract_link(&self, id: &ContractId) -> Result<SecretUrl> {
        let token = self.fresh_token().await?;
        Ok(links::edit_contract_url(
            &self.comake.inner.cfg.web_url,
            &token,
            id,
        ))
    }

    /// One page of the user's contract box, newest change first.
    pub async fn list_contracts(&self, tab: BoxTab, page: u32, limit: u32) -> Result<ContractList> {
        let mut call = Call::new(Endpoint::ListContracts);
        call.query = vec![
            (LIST_STATUS_PARAM, tab.as_str().to_owned()),
            (LIST_PAGE_PARAM, page.max(1).to_string()),
            (LIST_LIMIT_PARAM, limit.clamp(1, LIST_MAX_LIMIT).to_string()),
        ];
        self.call(call).await
    }

    pub async fn get_contract(&self, id: &ContractId) -> Result<Contract> {
        let call = Call::new(Endpoint::GetContract).id(id);
        Ok(self.call::<ContractResponse>(call).await?.contract)
    }

    /// Change the user's own label of the contract.
    pub async fn rename_contract(&self, id: &ContractId, name: &str) -> Result<Contract> {
        let call = Call::new(Endpoint::RenameContract)
            .id(id)
            .json(&RenameRequest {
                name: name.to_owned(),
            })?;
        Ok(self.call::<ContractResponse>(call).await?.contract)
    }

    /// Move the contract to the user's trash.
    pub async fn delete_contract(&self, id: &ContractId) -> Result<()> {
        let ep = Endpoint::DeleteContract;
        let raw = self.send(Call::new(ep).id(id)).await?;
        if (200..300).contains(&raw.status) {
            Ok(())
        } else {
            Err(ComakeError::from_status(
                ep,
                raw.status,
                &raw.body,
                raw.retry_after,
            ))
        }
    }

    /// Replace the whole signee list.
    pub async fn set_signees(
        &self,
        id: &ContractId,
        signees: Vec<SigneeInput>,
    ) -> Result<Contract> {
        let call = Call::new(Endpoint::SetSignees).json(&SetSigneesRequest {
            contract_id: id.clone(),
            signees,
        })?;
        Ok(self.call::<ContractResponse>(call).await?.contract)
    }

    /// Send the signature requests.
    pub async fn request_sign(&self, id: &ContractId) -> Result<Contract> {
        let call = Call::new(Endpoint::RequestSign).json(&ContractIdRequest {
            contract_id: id.clone(),
            reason: None,
        })?;
        Ok(self.call::<ContractResponse>(call).await?.contract)
    }

    /// Withdraw the signature requests.
    pub async fn cancel_sign(&self, id: &ContractId, reason: Option<&str>) -> Result<Contract> {
        let call = Call::new(Endpoint::CancelSign).json(&ContractIdRequest {
            contract_id: id.clone(),
            reason: reason.map(str::to_owned),
        })?;
        Ok(self.call::<ContractResponse>(call).await?.contract)
    }

    async fn call<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T> {
        let ep = call.endpoint;
        let raw = self.send(call).await?;
        decode(ep, raw)
    }

    async fn send(&self, call: Call<'_>) -> Result<Raw> {
        let ep = call.endpoint;
        let comake = &self.comake;
        comake
            .within(ep, async {
                comake
                    .with_relogin(call, &self.cell, || comake.login_client(&self.email))
                    .await
            })
            .await
    }
}

impl std::fmt::Debug for UserClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserClient")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}
