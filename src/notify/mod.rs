//! Notifications: a background watcher that reads people's contract boxes now and then, DMs them when their contracts move, keeps shared status cards up to date and sends digests.
//!
//! Comake documents no webhook, so the watcher polls, on an adaptive
//! schedule ([`schedule`]): a person with something in motion every
//! `NOTIFY_INTERVAL_SECS`, at once after one of their commands or a
//! signature request to their email, everyone else less and less often up
//! to `NOTIFY_MAX_IDLE_SECS`; never more than `NOTIFY_MAX_RPS` Comake
//! requests a second in all. What it saw, and when to read next, is kept in
//! the store: a user's first read is a silent baseline, and after a restart
//! nothing is announced twice or lost. A DM never holds a token or a link
//! that holds one.
//!
//! Its work is a list of jobs ([`jobs`]), each with its own due time:
//! [`Watcher::tick`] runs those due, and [`Watcher::run`] only loops over
//! `tick`, sleeping until the earliest job is due, a hint or shutdown.
//!
//! - [`due`]: who is read when, and who wants a digest;
//! - [`read`]: the per-person read; [`events`]: what changed;
//!   [`next_steps`]: the buttons after a contract is saved;
//!   [`lines`]: each event as a line; [`dm`]: the DMs, packed and sent;
//! - [`cards`]: the status cards; [`board`]: the team boards; [`posted`]:
//!   what the two check again before each edit;
//!   [`digest`]: the digests;
//! - [`nudge`]: whom a contract waits on, and the nudge DM (재촉);
//!   [`remind`]: the automatic nudges;
//! - [`settings`]: what commands change; [`schedule`]: the pure timing rules.

mod board;
mod budget;
mod cards;
mod digest;
mod dm;
mod due;
mod events;
mod jobs;
mod lines;
mod next_steps;
pub(crate) mod nudge;
mod posted;
mod read;
mod remind;
pub mod schedule;
mod settings;

pub(crate) use board::board_body;
pub use budget::Fit;
pub(crate) use cards::card_body;
pub(crate) use dm::dm_body;
pub use jobs::Job;
pub use read::CycleStats;
pub(crate) use settings::{current, mute, set_digest, set_enabled, set_kind, unmute, Muted};
pub use settings::{hint_email, touch};

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use governor::{Quota, RateLimiter};
use serenity::all::Http;
use tokio::sync::{Mutex, Semaphore};

use crate::app::App;
use crate::comake::{Comake, ComakeError};
use crate::store::StoreError;
use jobs::JOBS;

/// Characters a name gets in a DM or card line.
const NAME_BUDGET: usize = 100;
/// Users read at once.
const CONCURRENCY: usize = 8;
/// Contracts read per user (the newest; Comake's largest page).
const LIST_LIMIT: u32 = 100;
/// The shortest sleep between ticks, so a failing job cannot spin.
const MIN_SLEEP: Duration = Duration::from_millis(50);

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error(transparent)]
    Comake(#[from] ComakeError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("Discord refused the DM: {0}")]
    Discord(String),
}

/// What one [`Watcher::tick`] did.
#[derive(Debug, Clone)]
pub struct Tick {
    /// The jobs that were due and ran, in order.
    pub ran: Vec<Job>,
    /// What the reads job did.
    pub reads: CycleStats,
    /// Status cards edited.
    pub card_edits: usize,
    /// Digests sent.
    pub digests: usize,
    /// Team boards edited.
    pub board_edits: usize,
    /// Automatic nudges sent.
    pub reminders: usize,
    /// What the read schedule needs against `NOTIFY_MAX_RPS`, as of this
    /// tick's reads (zero when they did not run).
    pub fit: Fit,
    /// When the earliest job is due next.
    pub next: DateTime<Utc>,
}

/// What the jobs keep between ticks.
#[derive(Default)]
struct Plans {
    due: due::DueList,
    budget: budget::Budget,
    cards: cards::Seen,
    next_cards: Option<DateTime<Utc>>,
    next_digests: Option<DateTime<Utc>>,
    boards: board::Shown,
    next_boards: Option<DateTime<Utc>>,
    next_reminders: Option<DateTime<Utc>>,
}

/// The watcher.
pub struct Watcher {
    app: Arc<App>,
    http: Arc<Http>,
    /// The company's Comake client, paced to `NOTIFY_MAX_RPS`.
    comake: Comake,
    slots: Arc<Semaphore>,
    plans: Mutex<Plans>,
}

impl Watcher {
    pub fn new(app: Arc<App>, http: Arc<Http>) -> Arc<Self> {
        let rps = app.config.notify_max_rps.max(1);
        // Evenly spaced, with no burst, and 10% slower than the cap: requests
        // are paced when they leave, so only scheduling and network jitter
        // can bunch them on Comake's side, and 100 ms of it still cannot put
        // more than `rps` into any one second there.
        let period = Duration::from_secs_f64(schedule::PACE_SLOWER / f64::from(rps));
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::MIN);
        let comake = app.comake.paced(Arc::new(RateLimiter::direct(quota)));
        // More readers than requests a second would only queue at the pacer
        // and spend their call budget waiting there.
        let readers = CONCURRENCY.min(usize::try_from(rps).unwrap_or(CONCURRENCY));
        Arc::new(Self {
            app,
            http,
            comake,
            slots: Arc::new(Semaphore::new(readers)),
            plans: Mutex::new(Plans::default()),
        })
    }

    fn policy(&self) -> schedule::Policy {
        schedule::Policy {
            active: self.app.config.notify_interval,
            max_idle: self.app.config.notify_max_idle,
        }
    }

    /// When `job` is due next (`now` when it has never run).
    fn due(&self, job: Job, plans: &Plans, now: DateTime<Utc>) -> DateTime<Utc> {
        let never = now + chrono::Duration::days(7);
        match job {
            Job::Schedule => plans.due.refresh_due().unwrap_or(now),
            Job::Reads if self.app.notify_hints.pending() => now,
            Job::Reads => plans.due.next_read().unwrap_or(never),
            Job::Cards => plans.next_cards.unwrap_or(now),
            Job::Digests => plans.next_digests.unwrap_or(now),
            Job::Boards => plans.next_boards.unwrap_or(now),
            Job::Reminders => plans.next_reminders.unwrap_or(now),
        }
    }

    /// Run every job of the list that is due at `now`, in the list's order,
    /// and say when the next one is due.
    pub async fn tick(self: &Arc<Self>, now: DateTime<Utc>) -> Tick {
        let mut plans = self.plans.lock().await;
        let mut tick = Tick {
            ran: Vec::new(),
            reads: CycleStats::default(),
            card_edits: 0,
            digests: 0,
            board_edits: 0,
            reminders: 0,
            fit: Fit::default(),
            next: now,
        };
        let interval = chrono::Duration::from_std(self.app.config.notify_interval)
            .unwrap_or_default()
            .max(chrono::Duration::seconds(1));
        for job in JOBS {
            if self.due(job, &plans, now) > now {
                continue;
            }
            tick.ran.push(job);
            match job {
                Job::Schedule => {
                    match plans.due.refresh(&self.app, now).await {
                        // Whoever was due by then and is not on the list
                        // is read no more (unlinked, turned off): their
                        // cost goes. Those due later stay counted.
                        Ok(Some(until)) => {
                            let Plans { due, budget, .. } = &mut *plans;
                            budget.retain(|user, next| next > until || due.is_read(user));
                        }
                        Ok(None) => {}
                        Err(e) => {
                            tracing::error!(error = %e, "notifications: cannot load the schedule");
                        }
                    }
                }
                Job::Reads => {
                    let Plans { due, budget, .. } = &mut *plans;
                    tick.reads = self.read_due(due, budget, now).await;
                    tick.fit = budget.check(self.app.config.notify_max_rps);
                }
                Job::Cards => {
                    tick.card_edits = self.follow_cards(&mut plans.cards).await;
                    plans.next_cards = Some(now + interval);
                }
                Job::Digests => {
                    let (sent, retry) = self.send_digests(&mut plans.due, now).await;
                    tick.digests = sent;
                    let zone = self.app.config.digest_timezone;
                    let next = digest::next_slot(now, zone);
                    plans.next_digests = Some(if retry {
                        next.min(now + interval)
                    } else {
                        next
                    });
                }
                Job::Boards => {
                    tick.board_edits = self.follow_boards(&mut plans.boards).await;
                    plans.next_boards = Some(now + interval);
                }
                Job::Reminders => {
                    tick.reminders = self.send_reminders(now).await;
                    plans.next_reminders = Some(now + remind::EVERY);
                }
            }
        }
        if tick.reads.reads
            + tick.reads.failures
            + tick.card_edits
            + tick.digests
            + tick.board_edits
            + tick.reminders
            > 0
        {
            tracing::info!(
                users = tick.reads.users,
                reads = tick.reads.reads,
                dms = tick.reads.dms,
                failures = tick.reads.failures,
                card_edits = tick.card_edits,
                digests = tick.digests,
                board_edits = tick.board_edits,
                reminders = tick.reminders,
                "notification jobs done"
            );
        }
        tick.next = JOBS
            .iter()
            .map(|job| self.due(*job, &plans, now))
            .min()
            .unwrap_or(now);
        tick
    }

    /// Tick, then sleep until the earliest job is due, a hint or
    /// `shutdown`; until `shutdown`.
    pub(crate) async fn run(self: Arc<Self>, shutdown: impl std::future::Future<Output = ()>) {
        if self.app.config.notify_interval.is_zero() {
            return;
        }
        tracing::info!(
            interval_secs = self.app.config.notify_interval.as_secs(),
            max_idle_secs = self.app.config.notify_max_idle.as_secs(),
            max_rps = self.app.config.notify_max_rps,
            "notification watcher started"
        );
        tokio::pin!(shutdown);
        loop {
            let tick = tokio::select! {
                tick = self.tick(crate::app::now()) => tick,
                () = &mut shutdown => return,
            };
            let until = (tick.next - crate::app::now())
                .to_std()
                .unwrap_or_default()
                .max(MIN_SLEEP);
            tokio::select! {
                () = tokio::time::sleep(until) => {}
                () = self.app.notify_hints.woken() => {}
                () = &mut shutdown => return,
            }
        }
    }
}
