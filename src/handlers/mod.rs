//! The command handlers: transport-independent. A handler takes an [`Invocation`] and the shared [`App`] and returns a [`Reply`]; [`dispatch`] delivers it through a [`Responder`].
//!
//! `commands/<group>.json` pairs with `<group>.rs` here; [`ROUTES`] is the one
//! registry from command names to handlers, with an "unknown" fallback, and a
//! test proves it serves exactly the commands and options of the JSON.

pub mod action;
pub mod autocomplete;
pub mod button;
pub mod comake;
pub mod comake_admin;
pub mod confirm;
pub mod contract;
pub mod reply;
pub mod verify;

use std::future::Future;
use std::num::NonZeroU32;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fluent_bundle::FluentValue;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use secrecy::SecretString;
use serde_json::Value;
use tokio_util::task::task_tracker::TaskTrackerToken;
use tokio_util::task::TaskTracker;

use crate::comake::{Comake, ComakeError, UserClient};
use crate::config::Config;
use crate::i18n::{Args, I18n, Lang};
use crate::store::{Account, AuditEntry, Store, StoreError};
pub use reply::{Component, Reply, Style};

/// Everything a handler may use, built once at start and shared.
pub struct App {
    pub config: Config,
    pub comake: Comake,
    pub store: Store,
    pub i18n: I18n,
    pub confirmations: confirm::Confirmations,
    pub contracts: autocomplete::ContractCache,
    /// Registrations waiting for the code mailed to their email.
    pub verifications: verify::Verifications,
    /// Signed HTTP interactions already served, so a replay is refused.
    pub replays: crate::discord::interactions::Replays,
    /// Sends registration codes; `None` without SMTP.
    pub mailer: Option<Arc<crate::mail::Mailer>>,
    /// The transport is connected (gateway) or listening (HTTP).
    pub transport_up: AtomicBool,
    limiter: Limiter,
    /// Autocomplete's own per-user budget: typing is many requests.
    autocomplete_limiter: Limiter,
    in_flight: TaskTracker,
}

/// governor's clock on tokio's time, so tests can move time forward.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

impl governor::clock::Clock for TokioClock {
    type Instant = std::time::Instant;

    fn now(&self) -> std::time::Instant {
        tokio::time::Instant::now().into_std()
    }
}

/// A per-user rate limiter.
type Limiter = RateLimiter<
    u64,
    DefaultKeyedStateStore<u64>,
    TokioClock,
    governor::middleware::NoOpMiddleware<std::time::Instant>,
>;

fn limiter(quota: Quota) -> Limiter {
    RateLimiter::new(quota, DefaultKeyedStateStore::default(), &TokioClock)
}

/// How much the in-memory maps hold, after a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub limited_users: usize,
    pub confirmations: usize,
    pub token_cells: usize,
    pub cached_lists: usize,
    pub cached_details: usize,
    pub pending_codes: usize,
    pub code_counts: usize,
    pub replay_ids: usize,
}

/// Why the shared state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Messages(#[from] crate::i18n::I18nError),
    #[error(transparent)]
    Mail(#[from] crate::mail::MailError),
}

impl App {
    pub fn new(config: Config, comake: Comake, store: Store) -> Result<Arc<Self>, AppError> {
        let quota = Quota::per_minute(
            NonZeroU32::new(config.commands_per_minute).unwrap_or(NonZeroU32::MIN),
        );
        let mailer = config
            .smtp
            .as_ref()
            .map(crate::mail::Mailer::new)
            .transpose()?
            .map(Arc::new);
        Ok(Arc::new(Self {
            config,
            comake,
            store,
            i18n: I18n::load()?,
            confirmations: confirm::Confirmations::default(),
            contracts: autocomplete::ContractCache::default(),
            verifications: verify::Verifications::default(),
            replays: Default::default(),
            mailer,
            transport_up: AtomicBool::new(false),
            limiter: limiter(quota),
            autocomplete_limiter: limiter(autocomplete::quota()),
            in_flight: TaskTracker::new(),
        }))
    }

    /// Forget what has expired in every in-memory map: people the rate
    /// limiters no longer hold back, confirmations (and their passwords),
    /// lapsed tokens nobody holds, cached reads, codes and replay ids.
    pub fn sweep(&self) -> Held {
        for l in [&self.limiter, &self.autocomplete_limiter] {
            l.retain_recent();
            l.shrink_to_fit();
        }
        let (cached_lists, cached_details) = self.contracts.sweep();
        self.verifications.sweep();
        let (pending_codes, code_counts) = self.verifications.sizes();
        Held {
            limited_users: self.limiter.len() + self.autocomplete_limiter.len(),
            confirmations: self.confirmations.sweep(),
            token_cells: self.comake.sweep(),
            cached_lists,
            cached_details,
            pending_codes,
            code_counts,
            replay_ids: self.replays.sweep(),
        }
    }

    /// Mark an interaction as in flight until the token drops.
    pub fn in_flight(&self) -> TaskTrackerToken {
        self.in_flight.token()
    }

    pub fn interactions_in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Wait until no interaction is in flight, or `limit` has passed;
    /// whether they all finished.
    pub async fn drain(&self, limit: Duration) -> bool {
        self.in_flight.close();
        tokio::time::timeout(limit, self.in_flight.wait())
            .await
            .is_ok()
    }
}

/// What kind of interaction arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Command,
    Autocomplete,
    Component,
    /// A submitted modal (the registration code).
    Modal,
}

/// An option's value.
#[derive(Debug, Clone, PartialEq)]
pub enum OptValue {
    Str(String),
    Int(i64),
    Bool(bool),
    User(u64),
}

/// One interaction, as the handlers see it, whichever transport carried it.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub kind: Kind,
    pub id: u64,
    /// The interaction's token: lets whoever holds it answer for 15 minutes.
    pub token: SecretString,
    pub application_id: u64,
    pub user: u64,
    pub guild: Option<u64>,
    pub locale: String,
    /// The member's permissions in this channel, in a guild.
    pub permissions: Option<u64>,
    /// The member's roles, in a guild.
    pub roles: Vec<u64>,
    /// The user's Discord user name (unique handle), for the code mail.
    pub user_name: String,
    /// Users that Discord resolved as members of this guild (a command's
    /// user options): a bare id of someone outside the guild is not here.
    pub members: Vec<u64>,
    /// `group subcommand`, for commands and autocomplete.
    pub command: String,
    pub options: Vec<(String, OptValue)>,
    /// The option being typed, for autocomplete.
    pub focused: Option<String>,
    /// The button's or modal's id, for components and modals; a modal's
    /// text inputs are in `options`.
    pub custom_id: String,
}

impl Invocation {
    pub fn opt(&self, name: &str) -> Option<&OptValue> {
        self.options.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        match self.opt(name) {
            Some(OptValue::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.opt(name) {
            Some(OptValue::Int(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.opt(name) {
            Some(OptValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn user_opt(&self, name: &str) -> Option<u64> {
        match self.opt(name) {
            Some(OptValue::User(u)) => Some(*u),
            _ => None,
        }
    }
}

/// Why delivering a response failed.
#[derive(Debug, thiserror::Error)]
#[error("could not deliver the response to Discord: {0}")]
pub struct DeliveryError(pub String);

/// How a transport delivers what a handler answered.
pub trait Responder: Send + Sync {
    /// The interaction callback: the first and required response.
    fn callback(&self, body: Value) -> impl Future<Output = Result<(), DeliveryError>> + Send;
    /// Edit the original response, after a deferral.
    fn edit_original(&self, body: Value) -> impl Future<Output = Result<(), DeliveryError>> + Send;
    /// A new message after the first response (when an edit was refused).
    fn followup(&self, _body: Value) -> impl Future<Output = Result<(), DeliveryError>> + Send {
        async { Err(DeliveryError("this transport sends no follow-ups".into())) }
    }
}

/// A short id the user can quote and the log holds with the full error.
pub fn error_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..8)
        .map(|_| ALPHABET[rand::random::<usize>() % ALPHABET.len()] as char)
        .collect()
}

/// How a handler failed.
#[derive(Debug)]
pub enum Failure {
    /// The person can fix it: a sentence in their language.
    User(String),
    /// Something broke: the sentence (with the id) for the person; the
    /// cause for the log.
    Internal {
        id: String,
        message: String,
        cause: String,
    },
}

pub type HandlerResult = Result<Reply, Failure>;

/// What a handler gets: the app, the interaction, and its language.
pub struct Ctx<'a> {
    pub app: &'a App,
    pub inv: &'a Invocation,
    pub lang: Lang,
    audit: std::sync::Mutex<Vec<AuditEntry>>,
}

impl<'a> Ctx<'a> {
    pub fn new(app: &'a App, inv: &'a Invocation) -> Self {
        Self {
            app,
            inv,
            lang: Lang::from_locale(&inv.locale),
            audit: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// A message in the person's language.
    pub fn t(&self, id: &str, args: &Args<'_>) -> String {
        self.app.i18n.t(self.lang, id, args)
    }

    /// A refusal the person can act on.
    pub fn refuse(&self, id: &str, args: &Args<'_>) -> Failure {
        Failure::User(self.t(id, args))
    }

    pub fn internal(&self, cause: impl std::fmt::Display) -> Failure {
        self.internal_as("error-internal", "no", cause)
    }

    /// An internal failure told with message `message`, which gets the new
    /// error id and whether anything may have changed (`no` or `maybe`).
    pub(crate) fn internal_as(
        &self,
        message: &str,
        changed: &'static str,
        cause: impl std::fmt::Display,
    ) -> Failure {
        let id = error_id();
        Failure::Internal {
            message: self.t(
                message,
                &crate::args!["id" => id.clone(), "changed" => changed],
            ),
            cause: cause.to_string(),
            id,
        }
    }

    pub fn store_failure(&self, e: StoreError) -> Failure {
        self.internal(e)
    }

    /// What to tell the person about a Comake error that the handler did not
    /// handle itself.
    pub fn comake_failure(&self, e: ComakeError) -> Failure {
        match &e {
            ComakeError::InvalidInput(_) => self.refuse("comake-refused-input", &[]),
            ComakeError::Forbidden(_) => self.refuse("comake-forbidden", &[]),
            ComakeError::NotFound(_) => self.refuse("comake-not-found", &[]),
            ComakeError::Conflict(_) => self.refuse("comake-conflict", &[]),
            ComakeError::Unauthorized(_) => self.internal_as("error-comake-auth", "no", e),
            ComakeError::Unavailable { .. }
            | ComakeError::Timeout { .. }
            | ComakeError::RateLimited { .. } => {
                let changed = if e.changed_nothing() { "no" } else { "maybe" };
                self.internal_as("error-comake-down", changed, e)
            }
            ComakeError::UnexpectedResponse { .. } | ComakeError::Config(_) => self.internal(e),
        }
    }

    /// The caller's linked account, or the refusal that explains how to link.
    pub fn account(&self) -> Result<Account, Failure> {
        match self.app.store.account(self.inv.user) {
            Ok(Some(account)) => Ok(account),
            Ok(None) => Err(self.refuse("error-not-linked", &[])),
            Err(e) => Err(self.store_failure(e)),
        }
    }

    pub fn comake_user(&self, account: &Account) -> UserClient {
        self.app.comake.user(&account.email)
    }

    /// Record an audit entry. Entries are written (durably, in one flush)
    /// right after the answer is delivered, so the person does not wait for
    /// the disk; the action they record has already happened at Comake.
    pub fn audit(&self, action: &str, contract: Option<&str>, outcome: &str) {
        let entry = AuditEntry {
            at: chrono::Utc::now(),
            discord_user: self.inv.user,
            guild: self.inv.guild,
            action: action.to_owned(),
            contract: contract.map(str::to_owned),
            outcome: outcome.to_owned(),
        };
        if let Ok(mut pending) = self.audit.lock() {
            pending.push(entry);
        }
    }

    /// The answer never reached the person: what was recorded as done is
    /// recorded as not delivered (a link issued but not shown is no link).
    fn undelivered(&self) {
        if let Ok(mut pending) = self.audit.lock() {
            for entry in pending.iter_mut() {
                if entry.action.starts_with("contract.link_") && entry.outcome == "ok" {
                    entry.outcome = "failed: the link was not delivered".into();
                } else {
                    // The action itself happened; only the answer was lost.
                    entry.outcome.push_str("; the reply was not delivered");
                }
            }
        }
    }

    /// Write the recorded audit entries.
    async fn write_audit(&self) {
        let entries = self
            .audit
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default();
        if entries.is_empty() {
            return;
        }
        if let Err(e) = self.app.store.audit_batch(entries).await {
            tracing::error!(error = %e, "could not write the audit log");
        }
    }

    /// A localized label for a state.
    pub fn state_label(&self, status: crate::comake::wire::ContractStatus) -> String {
        self.t(&format!("state-{}", status.as_str()), &[])
    }
}

/// A party's name as Comake has it, or "Party 2" when it has none that
/// shows (raw: escape it with [`plain`] for a message).
pub fn party_name(ctx: &Ctx<'_>, party: &crate::comake::wire::Party) -> String {
    crate::text::or_fallback(&party.name, || {
        ctx.t(
            "party-fallback",
            &crate::args!["n" => i64::from(party.index) + 1],
        )
    })
}

/// Discord's `<t:…:R>` timestamp, shown in each reader's own time zone.
pub fn discord_time(at: chrono::DateTime<chrono::Utc>, style: char) -> String {
    format!("<t:{}:{style}>", at.timestamp())
}

/// Text from a user or Comake, made inert (see [`crate::text`]).
pub use crate::text::inert as plain;

/// Handlers, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handler {
    Register,
    Whoami,
    Unlink,
    Notifications,
    New,
    Edit,
    List,
    Show,
    Rename,
    Delete,
    Signee,
    RequestSign,
    CancelSign,
    AdminLink,
    AdminUnlink,
    AdminList,
    AdminAudit,
}

/// One command of the surface: its name, the options it reads, whether it
/// calls Comake (and so defers first), and its handler.
pub struct Route {
    pub command: &'static str,
    pub options: &'static [&'static str],
    pub defer: bool,
    pub handler: Handler,
}

const CONTRACT_SIGNEE: &[&str] = &["name", "email", "phone", "kakao", "password", "message"];

/// The registry: every command the handlers serve.
pub const ROUTES: &[Route] = &[
    Route {
        command: "comake register",
        options: &["email", "name", "phone"],
        defer: true,
        handler: Handler::Register,
    },
    Route {
        command: "comake whoami",
        options: &[],
        defer: false,
        handler: Handler::Whoami,
    },
    Route {
        command: "comake unlink",
        options: &[],
        defer: false,
        handler: Handler::Unlink,
    },
    Route {
        command: "comake notifications",
        options: &["enabled"],
        defer: false,
        handler: Handler::Notifications,
    },
    Route {
        command: "contract new",
        options: &[],
        defer: true,
        handler: Handler::New,
    },
    Route {
        command: "contract edit",
        options: &["contract"],
        defer: true,
        handler: Handler::Edit,
    },
    Route {
        command: "contract list",
        options: &["status", "page"],
        defer: true,
        handler: Handler::List,
    },
    Route {
        command: "contract show",
        options: &["contract"],
        defer: true,
        handler: Handler::Show,
    },
    Route {
        command: "contract rename",
        options: &["contract", "name"],
        defer: true,
        handler: Handler::Rename,
    },
    Route {
        command: "contract delete",
        options: &["contract"],
        defer: true,
        handler: Handler::Delete,
    },
    Route {
        command: "contract signee",
        options: &[
            "contract", "party", "name", "email", "phone", "kakao", "password", "message",
        ],
        defer: true,
        handler: Handler::Signee,
    },
    Route {
        command: "contract request-sign",
        options: &[
            "contract", "name", "email", "phone", "kakao", "password", "message",
        ],
        defer: true,
        handler: Handler::RequestSign,
    },
    Route {
        command: "contract cancel-sign",
        options: &["contract", "reason"],
        defer: true,
        handler: Handler::CancelSign,
    },
    Route {
        command: "comake-admin link",
        options: &["user", "email"],
        defer: true,
        handler: Handler::AdminLink,
    },
    Route {
        command: "comake-admin unlink",
        options: &["user"],
        defer: false,
        handler: Handler::AdminUnlink,
    },
    Route {
        command: "comake-admin list",
        options: &["page"],
        defer: false,
        handler: Handler::AdminList,
    },
    Route {
        command: "comake-admin audit",
        options: &["user"],
        defer: false,
        handler: Handler::AdminAudit,
    },
];

/// The options `/contract request-sign` takes for an inline signee.
pub fn inline_signee_options() -> &'static [&'static str] {
    CONTRACT_SIGNEE
}

pub fn route(command: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.command == command)
}

async fn run(ctx: &Ctx<'_>, handler: Handler) -> HandlerResult {
    match handler {
        Handler::Register => comake::register(ctx).await,
        Handler::Whoami => comake::whoami(ctx).await,
        Handler::Unlink => comake::unlink(ctx).await,
        Handler::Notifications => comake::notifications(ctx).await,
        Handler::New => contract::new(ctx).await,
        Handler::Edit => contract::edit(ctx).await,
        Handler::List => contract::list(ctx).await,
        Handler::Show => contract::show(ctx).await,
        Handler::Rename => contract::rename(ctx).await,
        Handler::Delete => contract::delete(ctx).await,
        Handler::Signee => contract::signee(ctx).await,
        Handler::RequestSign => contract::request_sign(ctx).await,
        Handler::CancelSign => contract::cancel_sign(ctx).await,
        Handler::AdminLink => comake_admin::link(ctx).await,
        Handler::AdminUnlink => comake_admin::unlink(ctx).await,
        Handler::AdminList => comake_admin::list(ctx).await,
        Handler::AdminAudit => comake_admin::audit(ctx).await,
    }
}

/// How handling an interaction ended, for logs and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub name: String,
    /// `ok`, `refused` or `error`.
    pub result: &'static str,
    pub error_id: Option<String>,
    pub latency: Duration,
}

/// Handle one interaction and deliver the answer through `responder`.
pub async fn dispatch<R: Responder>(app: &App, inv: &Invocation, responder: &R) -> Outcome {
    let started = Instant::now();
    let ctx = Ctx::new(app, inv);
    let name = match inv.kind {
        Kind::Command => inv.command.clone(),
        Kind::Autocomplete => format!("{} (autocomplete)", inv.command),
        Kind::Component => format!("button {}", button_kind(&inv.custom_id)),
        Kind::Modal => format!("modal {}", button_kind(&inv.custom_id)),
    };
    let (result, error_id) = match gate(&ctx) {
        Err(refusal) => {
            metrics::counter!(crate::observe::REFUSED, "why" => refusal).increment(1);
            tracing::warn!(
                command = %name,
                guild = inv.guild.unwrap_or(0),
                why = refusal,
                "refused an interaction from outside the company's servers"
            );
            let body = match inv.kind {
                Kind::Autocomplete => reply::choices(&[]),
                _ => reply::message(&Reply::text(ctx.t(refusal, &[]))),
            };
            deliver(responder.callback(body).await, &name);
            ("refused", None)
        }
        Ok(()) => {
            let handled = match inv.kind {
                Kind::Autocomplete => {
                    let choices = if app.autocomplete_limiter.check_key(&inv.user).is_ok() {
                        autocomplete::complete(&ctx).await
                    } else {
                        metrics::counter!(crate::observe::RATE_LIMITED).increment(1);
                        Vec::new()
                    };
                    deliver(responder.callback(reply::choices(&choices)).await, &name);
                    ("ok", None)
                }
                Kind::Command | Kind::Component | Kind::Modal => {
                    handle(&ctx, responder, &name).await
                }
            };
            ctx.write_audit().await;
            if inv.kind != Kind::Autocomplete && handled.0 != "refused" {
                crate::notify::touch(app, inv.user, &inv.locale).await;
            }
            handled
        }
    };
    let outcome = Outcome {
        name,
        result,
        error_id,
        latency: started.elapsed(),
    };
    let label = match inv.kind {
        Kind::Command => route(&inv.command).map_or("unknown", |r| r.command),
        Kind::Autocomplete => "autocomplete",
        Kind::Component => "button",
        Kind::Modal => "modal",
    };
    metrics::counter!(crate::observe::COMMANDS, "command" => label, "outcome" => outcome.result)
        .increment(1);
    metrics::histogram!(crate::observe::COMMAND_SECONDS, "command" => label)
        .record(outcome.latency.as_secs_f64());
    tracing::info!(
        command = %outcome.name,
        outcome = outcome.result,
        latency_ms = outcome.latency.as_millis() as u64,
        error_id = outcome.error_id.as_deref().unwrap_or(""),
        "interaction handled"
    );
    outcome
}

/// The kind of a button or modal id: the part before the first `:`.
fn button_kind(custom_id: &str) -> &str {
    custom_id.split(':').next().unwrap_or_default()
}

/// A button on one of our notification DMs: the one thing served outside
/// the company's servers (it answers only a linked user).
fn is_dm_button(inv: &Invocation) -> bool {
    inv.kind == Kind::Component
        && inv.guild.is_none()
        && matches!(inv.custom_id.parse(), Ok(button::ButtonId::HowToSign(_)))
}

/// The trust boundary, before any Comake or store work: only the company's
/// servers are served; in a DM only the buttons of our own DMs. `Err` is
/// the message that explains the refusal.
fn gate(ctx: &Ctx<'_>) -> Result<(), &'static str> {
    let inv = ctx.inv;
    if is_dm_button(inv) {
        return Ok(());
    }
    match inv.guild {
        Some(guild) if ctx.app.config.discord.guild_ids.contains(&guild) => Ok(()),
        Some(_) => Err("error-guild-not-allowed"),
        None => Err("error-dm-not-allowed"),
    }
}

fn deliver(result: Result<(), DeliveryError>, name: &str) {
    if let Err(e) = result {
        tracing::warn!(command = name, error = %e, "response not delivered");
    }
}

/// Work of a handler, boxed so the routes can differ.
type Work<'a> = std::pin::Pin<Box<dyn Future<Output = HandlerResult> + Send + 'a>>;

/// The per-user limit, then the command with its deferral.
async fn handle<R: Responder>(
    ctx: &Ctx<'_>,
    responder: &R,
    name: &str,
) -> (&'static str, Option<String>) {
    let inv = ctx.inv;
    let dm_button = is_dm_button(inv);
    // Registration's buttons answer at once (a modal must be the first
    // response); its modal updates the message the button was on.
    let code_button = inv.kind == Kind::Component
        && matches!(inv.custom_id.parse(), Ok(button::ButtonId::EnterCode));
    // Components (and modals opened from them) update the message they are
    // on; DM buttons answer with a new private message instead.
    let updates = matches!(inv.kind, Kind::Component | Kind::Modal) && !dm_button;
    // The immediate answer, for refusals before any work.
    let refuse_now = |text: String| async move {
        let r = Reply::text(text);
        let body = if updates {
            reply::update(&r)
        } else {
            reply::message(&r)
        };
        deliver(responder.callback(body).await, name);
    };
    if ctx.app.limiter.check_key(&inv.user).is_err() {
        metrics::counter!(crate::observe::RATE_LIMITED).increment(1);
        refuse_now(ctx.t("error-rate-limited", &[])).await;
        return ("refused", None);
    }
    let (defer, work): (bool, Work<'_>) = if dm_button {
        (false, Box::pin(comake::how_to_sign(ctx)))
    } else if code_button {
        (false, Box::pin(comake::enter_code(ctx)))
    } else if inv.kind == Kind::Modal {
        (true, Box::pin(comake::submit_code(ctx)))
    } else if inv.kind == Kind::Component {
        (true, Box::pin(contract::on_button(ctx)))
    } else {
        match route(&inv.command) {
            Some(route) => (route.defer, Box::pin(run(ctx, route.handler))),
            None => {
                refuse_now(ctx.t("error-unknown-command", &[])).await;
                return ("refused", None);
            }
        }
    };
    if defer {
        let ack = if updates {
            reply::deferred_update()
        } else {
            reply::deferred()
        };
        if let Err(e) = responder.callback(ack).await {
            // Without the acknowledgement the token cannot be used to edit.
            tracing::warn!(command = name, error = %e, "could not acknowledge the interaction");
            return ("error", None);
        }
    }
    let result = work.await;
    let (reply, status, error_id) = match result {
        Ok(reply) => (reply, "ok", None),
        Err(Failure::User(text)) => (Reply::text(text), "refused", None),
        Err(Failure::Internal { id, message, cause }) => {
            tracing::error!(command = name, error_id = %id, error = %cause, "command failed");
            (Reply::text(message), "error", Some(id))
        }
    };
    let delivered = if defer {
        let edited = responder.edit_original(reply::edit(&reply)).await;
        if let Err(e) = &edited {
            // The person is left on "thinking…": tell them, with an id.
            let id = self::error_id();
            tracing::error!(command = name, error_id = %id, error = %e, "Discord refused the answer");
            ctx.undelivered();
            let note = Reply::text(ctx.t("error-not-delivered", &crate::args!["id" => id.clone()]));
            deliver(responder.followup(reply::followup(&note)).await, name);
            return ("error", Some(id));
        }
        edited
    } else if reply.modal.is_some() {
        responder.callback(reply::modal(&reply)).await
    } else if updates {
        responder.callback(reply::update(&reply)).await
    } else {
        responder.callback(reply::message(&reply)).await
    };
    deliver(delivered, name);
    (status, error_id)
}

/// A number of items as pages of `per_page`.
pub fn page_count(total: u64, per_page: u64) -> u64 {
    total.div_ceil(per_page.max(1)).max(1)
}

/// `FluentValue` of an owned string (message arguments).
pub fn fv(s: impl Into<String>) -> FluentValue<'static> {
    FluentValue::from(s.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_ids_are_short_and_distinct() {
        let a = error_id();
        assert_eq!(a.len(), 8);
        assert_ne!(a, error_id());
    }
}
