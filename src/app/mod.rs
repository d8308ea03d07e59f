//! The shared state every handler and the watcher use, built once at start: configuration, the Comake client, the store, caches, limits and what is in flight.
//!
//! - [`confirm`]: actions waiting for their Confirm or Send button.
//! - [`verify`]: registration codes waiting to be entered.
//! - [`cache`]: autocomplete's recent reads.
//! - [`replays`]: the signed interactions served lately.

pub(crate) mod cache;
pub mod confirm;
pub(crate) mod replays;
pub(crate) mod verify;

use std::num::NonZeroU32;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use tokio_util::task::task_tracker::TaskTrackerToken;
use tokio_util::task::TaskTracker;

use crate::comake::Comake;
use crate::config::Config;
use crate::i18n::I18n;
use crate::store::Store;

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
    /// Signed HTTP interactions already served, so a replay is refused.
    pub(crate) replays: replays::Replays,
    /// Sends registration codes; `None` without SMTP.
    pub(crate) mailer: Option<Arc<crate::mail::Mailer>>,
    /// The transport is connected (gateway) or listening (HTTP).
    pub transport_up: AtomicBool,
    pub(super) limiter: Limiter,
    /// Autocomplete's own per-user budget: typing is many requests.
    pub(super) autocomplete_limiter: Limiter,
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
            contracts: cache::ContractCache::default(),
            verifications: verify::Verifications::default(),
            replays: Default::default(),
            mailer,
            transport_up: AtomicBool::new(false),
            limiter: limiter(quota),
            autocomplete_limiter: limiter(autocomplete_quota()),
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
