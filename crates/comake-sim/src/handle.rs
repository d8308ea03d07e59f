//! [`ComakeSim`], the running simulator: how to start it, where it listens, and the methods tests drive it by.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use comake::wire::*;

use crate::error::ApiError;
use crate::faults::{inject, Failure, LoggedRequest};
use crate::model::{normalize_email, SigneeAction};
use crate::state::{lock, Shared};
use crate::{api, control, upload};

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
        let shared = Arc::new(Shared::new(opts));
        let app = api::routes(shared.clone())
            .merge(control::routes())
            .merge(upload::routes())
            .with_state(shared.clone());
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
        signees: Vec<SigneeInput>,
    ) -> Result<Contract, ApiError> {
        lock(&self.shared.company).set_signees(owner, id, signees)
    }

    /// The owner sends the contract for signature on the web page.
    pub fn request_sign(&self, owner: &str, id: &ContractId) -> Result<Contract, ApiError> {
        lock(&self.shared.company).request_sign(owner, id)
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

    /// The signee of `party` declines `id`, with their reason.
    pub fn signee_declines(
        &self,
        id: &ContractId,
        party: u32,
        reason: Option<&str>,
    ) -> Result<Contract, ApiError> {
        lock(&self.shared.company).signee_declines(id, party, reason)
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
        inject(&self.shared, endpoint, count, failure);
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
