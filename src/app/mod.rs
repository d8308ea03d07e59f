//! The shared state every handler and the watcher use, built once at start: configuration, the Comake client, the store, caches, limits and what is in flight.
//!
//! - [`confirm`]: actions waiting for their Confirm or Send button.
//! - [`verify`]: registration codes waiting to be entered.
//! - [`cache`]: autocomplete's recent reads.
//! - [`members`]: Discord REST lookups about people (membership, names, DMs).

pub(crate) mod cache;
pub mod confirm;
pub(crate) mod members;
pub(crate) mod verify;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use tokio_util::task::task_tracker::TaskTrackerToken;
use tokio_util::task::TaskTracker;

use crate::comake::Comake;
use crate::config::Config;
use crate::i18n::I18n;
use crate::store::{Role, Store};

/// Everything a handler may use, built once at start and shared.
pub struct App {
    pub config: Config,
    pub comake: Comake,
    pub store: Store,
    pub(crate) i18n: I18n,
    pub confirmations: confirm::Confirmations,
    pub(crate) contracts: cache::ContractCache,
    /// Registrations waiting for the code mailed to their email.
    pub(crate) verifications: verify::Verifications,
    /// Sends registration codes; `None` without SMTP.
    pub(crate) mailer: Option<Arc<crate::mail::Mailer>>,
    /// The transport is connected (gateway) or listening (HTTP).
    pub transport_up: AtomicBool,
    /// Which one-at-a-time jobs this instance holds, or waits for.
    pub roles: Roles,
    /// People whose next read was made due at once, for this instance's
    /// watcher (the store has it too, for a watcher elsewhere).
    pub(crate) notify_hints: NotifyHints,
    /// Autocomplete's own per-user budget: typing is many requests.
    pub(super) autocomplete_limiter: Limiter,
    /// Who is still in the company's servers, and reaching them by DM.
    pub members: members::Members,
    in_flight: TaskTracker,
}

/// governor's clock on tokio's time, so tests can move time forward.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TokioClock;

impl governor::clock::Clock for TokioClock {
    type Instant = std::time::Instant;

    fn now(&self) -> std::time::Instant {
        tokio::time::Instant::now().into_std()
    }
}

/// The key registration codes are hashed under: derived from `STATE_KEY`
/// (HKDF, apart from the sealing key) when instances share a store (so any
/// of them can check a code), random per process with sled.
fn code_key(database: &crate::store::Database) -> [u8; 32] {
    match database {
        crate::store::Database::Postgres(options) => {
            crate::store::code_key(secrecy::ExposeSecret::expose_secret(&*options.state_key))
        }
        crate::store::Database::Sled(_) => rand::random(),
    }
}

/// The window `COMMANDS_PER_MINUTE` counts in.
const COMMAND_WINDOW: Duration = Duration::from_secs(60);

/// How long an interaction id is remembered: the timestamp window both
/// ways, so a replay is caught for as long as its signature is accepted.
pub(crate) const REPLAY_MEMORY: Duration = Duration::from_secs(2 * 5 * 60 + 60);

/// The wall-clock time, moving with tokio's clock, so tests that pause and
/// advance time move it too (and expiry agrees across instances).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use std::sync::OnceLock;
    static BASE: OnceLock<(chrono::DateTime<chrono::Utc>, tokio::time::Instant)> = OnceLock::new();
    let (wall, at) = *BASE.get_or_init(|| (chrono::Utc::now(), tokio::time::Instant::now()));
    let here = tokio::time::Instant::now();
    let since = |d: Duration| chrono::Duration::from_std(d).unwrap_or_default();
    if here >= at {
        wall + since(here - at)
    } else {
        wall - since(at - here)
    }
}

/// A per-user rate limiter.
type Limiter = RateLimiter<
    u64,
    DefaultKeyedStateStore<u64>,
    TokioClock,
    governor::middleware::NoOpMiddleware<std::time::Instant>,
>;

/// Autocomplete requests one person may make: a burst of 30 keystrokes,
/// then two a second. Beyond it the answer is no choices, not a Comake call.
fn autocomplete_quota() -> governor::Quota {
    governor::Quota::per_second(std::num::NonZeroU32::MIN.saturating_add(1))
        .allow_burst(std::num::NonZeroU32::MIN.saturating_add(29))
}

fn limiter(quota: Quota) -> Limiter {
    RateLimiter::new(quota, DefaultKeyedStateStore::default(), &TokioClock)
}

/// People to read soon, and the wake-up for the watcher.
#[derive(Default)]
pub(crate) struct NotifyHints {
    users: std::sync::Mutex<Vec<u64>>,
    wake: tokio::sync::Notify,
}

impl NotifyHints {
    /// Ask the watcher to read `user` soon.
    pub(crate) fn push(&self, user: u64) {
        let mut users = self.users.lock().unwrap_or_else(|p| p.into_inner());
        // Bounded: the watcher's refresh finds the rest in the store.
        if users.len() < 10_000 {
            users.push(user);
        }
        drop(users);
        self.wake.notify_one();
    }

    /// The hinted users, taken.
    pub(crate) fn take(&self) -> Vec<u64> {
        std::mem::take(&mut *self.users.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Whether a hint waits to be taken.
    pub(crate) fn pending(&self) -> bool {
        !self
            .users
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_empty()
    }

    /// Resolves at the next hint.
    pub(crate) async fn woken(&self) {
        self.wake.notified().await;
    }
}

/// The one-at-a-time jobs (see [`crate::store::Role`]) this instance holds,
/// and whether it waits for one as a standby.
#[derive(Debug, Default)]
pub struct Roles {
    watcher: AtomicBool,
    gateway: AtomicBool,
    waiting_watcher: AtomicBool,
    waiting_gateway: AtomicBool,
}

impl Roles {
    fn flags(&self, role: Role) -> (&AtomicBool, &AtomicBool) {
        match role {
            Role::Watcher => (&self.watcher, &self.waiting_watcher),
            Role::Gateway => (&self.gateway, &self.waiting_gateway),
        }
    }

    /// This instance now holds `role` (`true`) or waits for it (`false`).
    pub(crate) fn set(&self, role: Role, held: bool) {
        let (holds, waits) = self.flags(role);
        holds.store(held, Ordering::SeqCst);
        waits.store(!held, Ordering::SeqCst);
        metrics::gauge!(crate::metric::ROLE, "role" => role.name()).set(if held {
            1.0
        } else {
            0.0
        });
    }

    /// This instance neither holds nor waits for `role` any more.
    pub(crate) fn clear(&self, role: Role) {
        let (holds, waits) = self.flags(role);
        holds.store(false, Ordering::SeqCst);
        waits.store(false, Ordering::SeqCst);
        metrics::gauge!(crate::metric::ROLE, "role" => role.name()).set(0.0);
    }

    pub(crate) fn holds(&self, role: Role) -> bool {
        self.flags(role).0.load(Ordering::SeqCst)
    }

    /// `watcher`, `gateway`, and `standby` when it waits for one of them.
    pub fn names(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for role in [Role::Watcher, Role::Gateway] {
            if self.holds(role) {
                out.push(role.name());
            }
        }
        if [Role::Watcher, Role::Gateway]
            .iter()
            .any(|r| self.flags(*r).1.load(Ordering::SeqCst))
        {
            out.push("standby");
        }
        out
    }

    /// Waiting for the gateway: healthy without a Discord connection.
    pub(crate) fn gateway_standby(&self) -> bool {
        self.waiting_gateway.load(Ordering::SeqCst)
    }
}

/// How much the in-memory maps hold, after a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub limited_users: usize,
    pub confirmations: usize,
    pub token_cells: usize,
    pub cached_lists: usize,
    pub cached_details: usize,
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
        let mailer = config
            .smtp
            .as_ref()
            .map(crate::mail::Mailer::new)
            .transpose()?
            .map(Arc::new);
        // Fix the wall clock's link to tokio's now, before anyone moves it.
        let _ = now();
        let verifications = verify::Verifications::new(store.clone(), &code_key(&config.database));
        Ok(Arc::new(Self {
            config,
            comake,
            i18n: I18n::load()?,
            confirmations: confirm::Confirmations::new(store.clone()),
            store,
            contracts: cache::ContractCache::default(),
            verifications,
            mailer,
            transport_up: AtomicBool::new(false),
            roles: Roles::default(),
            notify_hints: NotifyHints::default(),
            autocomplete_limiter: limiter(autocomplete_quota()),
            members: members::Members::default(),
            in_flight: TaskTracker::new(),
        }))
    }

    /// Forget what has expired: people the autocomplete limiter no longer
    /// holds back, confirmations (and their passwords), replay ids and
    /// command windows, lapsed tokens nobody holds, cached reads and codes.
    pub async fn sweep(&self) -> Result<Held, crate::store::StoreError> {
        self.autocomplete_limiter.retain_recent();
        self.autocomplete_limiter.shrink_to_fit();
        let (cached_lists, cached_details) = self.contracts.sweep();
        Ok(Held {
            limited_users: self.autocomplete_limiter.len(),
            confirmations: self.store.sweep(now(), COMMAND_WINDOW).await?,
            token_cells: self.comake.sweep(),
            cached_lists,
            cached_details,
        })
    }

    /// Whether `user` may run one more command now: at most
    /// `COMMANDS_PER_MINUTE` a minute, counted across every instance.
    pub(crate) async fn command_allowed(
        &self,
        user: u64,
    ) -> Result<bool, crate::store::StoreError> {
        let (n, _) = self
            .store
            .count(&format!("cmd:{user}"), now(), COMMAND_WINDOW)
            .await?;
        Ok(n <= self.config.commands_per_minute)
    }

    /// Whether the signed interaction `id` is new (and now remembered on
    /// every instance); `false` for a replay.
    pub(crate) async fn first_delivery(&self, id: u64) -> Result<bool, crate::store::StoreError> {
        let now = now();
        let until = now + chrono::Duration::from_std(REPLAY_MEMORY).unwrap_or_default();
        self.store.first_seen(id, now, until).await
    }

    /// Mark an interaction as in flight until the token drops.
    pub(crate) fn in_flight(&self) -> TaskTrackerToken {
        self.in_flight.token()
    }

    pub(crate) fn interactions_in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Wait until no interaction is in flight, or `limit` has passed;
    /// whether they all finished.
    pub(crate) async fn drain(&self, limit: Duration) -> bool {
        self.in_flight.close();
        tokio::time::timeout(limit, self.in_flight.wait())
            .await
            .is_ok()
    }
}
