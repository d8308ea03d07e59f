//! Notifications: a background watcher reads each opted-in user's contract box now and then and DMs them when their contracts move.
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

pub mod schedule;

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

use governor::{Quota, RateLimiter};
use serde_json::{json, Value};
use serenity::all::{ChannelId, Http, UserId};
use tokio::sync::Semaphore;

use crate::app::App;
use crate::args;
use crate::button::ButtonId;
use crate::comake::wire::ContractId;
use crate::comake::wire::{BoxTab, Contract, ContractStatus, ContractSummary, Role, SigneeStatus};
use crate::comake::{Comake, ComakeError};
use crate::i18n::fv;
use crate::reply::{self, Component, Reply, Style};
use crate::text;

/// Characters a name gets in a DM line.
const NAME_BUDGET: usize = 100;
use crate::i18n::Lang;
use crate::metric;
use crate::store::{Account, NotifyState, SeenContract, SeenSignee, StoreError};

/// Users read at once.
const CONCURRENCY: usize = 8;
/// Contracts read per user (the newest; Comake's largest page).
const LIST_LIMIT: u32 = 100;
/// Accounts read from the store at a time when the schedule is refreshed.
const ACCOUNT_PAGE: usize = 500;
/// How often the watcher reloads everyone's schedule from the store (for
/// hints written by other instances, people linked or turned on meanwhile).
const REFRESH: Duration = Duration::from_secs(30);
/// Discord's "Cannot send messages to this user".
pub(crate) const CANNOT_DM: isize = 50007;

/// Something to tell a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Viewed {
        contract: String,
        signee: String,
    },
    Signed {
        contract: String,
        signee: String,
    },
    Rejected {
        contract: String,
        signee: String,
    },
    Completed {
        contract: String,
    },
    Cancelled {
        contract: String,
    },
    /// A contract sent to the user is waiting for their signature, or
    /// (`approval`) their approval: it is their turn.
    Waiting {
        id: String,
        contract: String,
        approval: bool,
    },
    /// The approval line approved a contract the user sent.
    Approved {
        id: String,
        contract: String,
    },
    /// An approver rejected it, with their reason when Comake gives one.
    ApprovalRejected {
        contract: String,
        reason: Option<String>,
    },
    /// The approval request was withdrawn.
    ApprovalCancelled {
        contract: String,
    },
}

impl Event {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Event::Viewed { .. } => "viewed",
            Event::Signed { .. } => "signed",
            Event::Rejected { .. } => "rejected",
            Event::Completed { .. } => "completed",
            Event::Cancelled { .. } => "cancelled",
            Event::Waiting { .. } => "waiting",
            Event::Approved { .. } => "approved",
            Event::ApprovalRejected { .. } => "approval_rejected",
            Event::ApprovalCancelled { .. } => "approval_cancelled",
        }
    }
}

/// What is worth remembering of a contract, from the list and (for
/// contracts out for signature that the user sent) its details.
pub(crate) fn seen(
    summary: &ContractSummary,
    detail: Option<&Contract>,
    old: Option<&SeenContract>,
) -> SeenContract {
    let signees = match detail {
        Some(c) => c
            .signees
            .iter()
            .map(|s| SeenSignee {
                party: s.party,
                name: s.name.clone(),
                status: s.status,
            })
            .collect(),
        None => old.map(|o| o.signees.clone()).unwrap_or_default(),
    };
    // An approver's reason: the newest approval rejection's message.
    let reason = match detail {
        Some(c) if summary.status == ContractStatus::ApprovalRejected => c
            .timeline
            .iter()
            .rev()
            .find(|e| e.action == crate::comake::wire::timeline::APPROVAL_REJECTED)
            .and_then(|e| e.message.clone()),
        Some(_) => None,
        None => old.and_then(|o| o.reason.clone()),
    };
    SeenContract {
        name: summary.name.clone(),
        status: summary.status,
        role: summary.role,
        updated_at: summary.updated_at,
        signees,
        my_turn: summary.my_turn,
        request_type: summary.request_type,
        reason,
    }
}

/// Whether a contract's details are needed to tell what changed: it was
/// sent by the user, is or just was out for signature, and changed.
pub(crate) fn needs_detail(summary: &ContractSummary, old: Option<&SeenContract>) -> bool {
    let changed = old.is_none_or(|o| o.updated_at != summary.updated_at);
    let relevant = matches!(
        summary.status,
        ContractStatus::Signing | ContractStatus::ApprovalRejected
    ) || old
        .is_some_and(|o| o.status == ContractStatus::Signing && o.status != summary.status);
    summary.role == Role::Sender && relevant && changed
}

/// What changed between `old` and `new` for one contract.
pub(crate) fn changes(id: &str, old: Option<&SeenContract>, new: &SeenContract) -> Vec<Event> {
    let name = new.name.clone();
    let was = old.map(|o| o.status);
    if new.role == Role::Receiver {
        // Their turn: as Comake tells it, or (when it does not) out for
        // signature. Announced when it starts, not before.
        let turn = |c: &SeenContract| c.my_turn.unwrap_or(c.status == ContractStatus::Signing);
        return if turn(new) && !old.is_some_and(turn) {
            vec![Event::Waiting {
                id: id.to_owned(),
                contract: name,
                approval: new.request_type == Some(crate::comake::wire::RequestType::Approval),
            }]
        } else {
            Vec::new()
        };
    }
    if was == Some(new.status) || old.is_none() {
        // Same state: only signees can have moved. A contract seen for the
        // first time (sent from the website) is announced once it moves.
        if new.status != ContractStatus::Signing || old.is_none() {
            return Vec::new();
        }
    } else {
        match new.status {
            ContractStatus::Completed => return vec![Event::Completed { contract: name }],
            ContractStatus::Approved if was == Some(ContractStatus::Approving) => {
                return vec![Event::Approved {
                    id: id.to_owned(),
                    contract: name,
                }]
            }
            ContractStatus::ApprovalRejected => {
                return vec![Event::ApprovalRejected {
                    contract: name,
                    reason: new.reason.clone(),
                }]
            }
            ContractStatus::ApprovalCancelled if was == Some(ContractStatus::Approving) => {
                return vec![Event::ApprovalCancelled { contract: name }]
            }
            ContractStatus::SignCancelled => return vec![Event::Cancelled { contract: name }],
            ContractStatus::SignRejected => {
                let signee = new
                    .signees
                    .iter()
                    .find(|s| s.status == SigneeStatus::Rejected)
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                return vec![Event::Rejected {
                    contract: name,
                    signee,
                }];
            }
            ContractStatus::Signing => {}
            _ => return Vec::new(),
        }
    }
    let before = |party: u32| {
        old.and_then(|o| o.signees.iter().find(|s| s.party == party))
            .map(|s| s.status)
            .unwrap_or(SigneeStatus::Waiting)
    };
    let mut events = Vec::new();
    for s in &new.signees {
        let prev = before(s.party);
        if prev == s.status {
            continue;
        }
        let (contract, signee) = (name.clone(), s.name.clone());
        match s.status {
            SigneeStatus::Viewed if prev == SigneeStatus::Waiting => {
                events.push(Event::Viewed { contract, signee })
            }
            SigneeStatus::Signed => events.push(Event::Signed { contract, signee }),
            SigneeStatus::Rejected => events.push(Event::Rejected { contract, signee }),
            _ => {}
        }
    }
    events
}

/// The DMs for `events`, in the user's language: text and, for contracts
/// waiting for their signature, a button that explains how to sign. As many
/// messages as it takes for every event to be shown, each with the indices
/// of its events; `events` are `(contract id, event)`, and one contract's
/// events stay in one message, so it is delivered (and recorded) whole.
pub fn direct_messages(
    app: &App,
    lang: Lang,
    events: &[(String, Event)],
) -> Vec<(Reply, Vec<usize>)> {
    let t =
        |id: &str, args: &[(&str, fluent_bundle::FluentValue<'static>)]| app.i18n.t(lang, id, args);
    let name = |n: &str| text::inert_max(n, NAME_BUDGET);
    let header = t("dm-header", &[]);
    let footer = t("dm-footer", &[]);
    // Each event's line and button.
    let shown: Vec<(String, Option<Component>)> = events
        .iter()
        .map(|(_, e)| {
            let mut button = None;
            let line = match e {
                Event::Viewed { contract, signee } => t(
                    "dm-viewed",
                    &args!["name" => name(contract), "signee" => name(signee)],
                ),
                Event::Signed { contract, signee } => t(
                    "dm-signed",
                    &args!["name" => name(contract), "signee" => name(signee)],
                ),
                Event::Rejected { contract, signee } => t(
                    "dm-rejected",
                    &args!["name" => name(contract), "signee" => name(signee)],
                ),
                Event::Completed { contract } => {
                    t("dm-completed", &args!["name" => name(contract)])
                }
                Event::Cancelled { contract } => {
                    t("dm-cancelled", &args!["name" => name(contract)])
                }
                Event::Waiting {
                    id,
                    contract,
                    approval: false,
                } => {
                    button = ContractId::parse(id).map(|id| Component::Button {
                        label: t("dm-button-how", &[("name", fv(contract.clone()))]),
                        custom_id: ButtonId::HowToSign(id).to_string(),
                        style: Style::Primary,
                    });
                    t("dm-waiting", &args!["name" => name(contract)])
                }
                // Approving needs the approver's password on the website:
                // no button here.
                Event::Waiting {
                    contract,
                    approval: true,
                    ..
                } => t("dm-waiting-approval", &args!["name" => name(contract)]),
                Event::Approved { id, contract } => {
                    button = ContractId::parse(id).map(|id| Component::Button {
                        label: t("dm-button-request", &[]),
                        custom_id: ButtonId::Act(crate::action::Action::RequestSign, id)
                            .to_string(),
                        style: Style::Primary,
                    });
                    t("dm-approved", &args!["name" => name(contract)])
                }
                Event::ApprovalRejected { contract, reason } => match reason {
                    Some(reason) if !reason.trim().is_empty() => t(
                        "dm-approval-rejected-reason",
                        &args![
                            "name" => name(contract),
                            "reason" => text::inert_max(&text::scrub_contacts(reason), NAME_BUDGET)
                        ],
                    ),
                    _ => t("dm-approval-rejected", &args!["name" => name(contract)]),
                },
                Event::ApprovalCancelled { contract } => {
                    t("dm-approval-cancelled", &args!["name" => name(contract)])
                }
            };
            (format!("• {line}"), button)
        })
        .collect();
    // One contract's events are consecutive; keep them in one message.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, (contract, _)) in events.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if g.first().is_some_and(|&f| events[f].0 == *contract) => g.push(i),
            _ => groups.push(vec![i]),
        }
    }
    let base = header.chars().count() + footer.chars().count() + 2;
    let cost = |i: usize| shown[i].0.chars().count() + 1;
    let mut messages = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let (mut length, mut buttons) = (base, 0);
    for group in groups {
        let group_length: usize = group.iter().map(|&i| cost(i)).sum();
        let group_buttons = group.iter().filter(|&&i| shown[i].1.is_some()).count();
        let fits = length + group_length <= reply::MAX_CONTENT && buttons + group_buttons <= 25;
        if !fits && !current.is_empty() {
            messages.push(dm(&header, &footer, &shown, std::mem::take(&mut current)));
            (length, buttons) = (base, 0);
        }
        // A group too long for one message on its own goes line by line.
        for i in group {
            if length + cost(i) > reply::MAX_CONTENT && !current.is_empty() {
                messages.push(dm(&header, &footer, &shown, std::mem::take(&mut current)));
                (length, buttons) = (base, 0);
            }
            length += cost(i);
            buttons += usize::from(shown[i].1.is_some());
            current.push(i);
        }
    }
    if !current.is_empty() {
        messages.push(dm(&header, &footer, &shown, current));
    }
    messages
}

/// One DM of [`direct_messages`]: the events at `indices`.
fn dm(
    header: &str,
    footer: &str,
    shown: &[(String, Option<Component>)],
    indices: Vec<usize>,
) -> (Reply, Vec<usize>) {
    let lines: Vec<&str> = indices.iter().map(|&i| shown[i].0.as_str()).collect();
    let buttons: Vec<Component> = indices.iter().filter_map(|&i| shown[i].1.clone()).collect();
    let mut reply = Reply::text(format!("{header}\n{}\n{footer}", lines.join("\n")));
    for row in buttons.chunks(5) {
        reply = reply.row(row.to_vec());
    }
    (reply, indices)
}

/// Whether a contract in `status` has ended: its card stops there.
pub(crate) fn card_ended(status: ContractStatus) -> bool {
    matches!(
        status,
        ContractStatus::Completed | ContractStatus::SignCancelled | ContractStatus::SignRejected
    )
}

/// A live status card, as a channel message: the contract's name, state,
/// and each party with its signee's name and progress. Nothing else: no
/// email, phone number, link or message text (it is public).
pub(crate) fn card_body(app: &App, lang: Lang, c: &Contract) -> Value {
    let t =
        |id: &str, args: &[(&str, fluent_bundle::FluentValue<'static>)]| app.i18n.t(lang, id, args);
    let state = t(&format!("state-{}", c.summary.status.as_str()), &[]);
    // Every party is kept: names shrink until the card fits a message.
    let build = |budget: usize| {
        let name = |n: &str| text::inert_max(n, budget);
        let mut lines = vec![t(
            "card-header",
            &args!["name" => name(&c.summary.name), "state" => state.clone()],
        )];
        for p in &c.parties {
            let party = text::or_fallback(&p.name, || {
                t("party-fallback", &args!["n" => i64::from(p.index) + 1])
            });
            let line = match c.signees.iter().find(|s| s.party == p.index) {
                Some(s) => {
                    let progress = crate::i18n::signee_status_id(s.status);
                    t(
                        "card-party",
                        &args!["party" => name(&party), "signee" => name(&s.name), "progress" => t(progress, &[])],
                    )
                }
                None => t("card-party-open", &args!["party" => name(&party)]),
            };
            lines.push(format!("• {line}"));
        }
        lines.push(t(
            if card_ended(c.summary.status) {
                "card-final"
            } else {
                "card-live"
            },
            &[],
        ));
        lines.join("\n")
    };
    let content = reply::fit(NAME_BUDGET, 8, build).unwrap_or_else(|| build(8));
    json!({
        "content": content,
        "allowed_mentions": {"parse": []},
        "flags": reply::FLAG_SUPPRESS_EMBEDS,
    })
}

/// The body of a DM: no ephemeral flag (DMs are private anyway), and link
/// previews suppressed.
pub fn dm_body(reply: &Reply) -> Value {
    let mut body = reply::edit(reply);
    if let Some(obj) = body.as_object_mut() {
        obj.insert("flags".into(), reply::FLAG_SUPPRESS_EMBEDS.into());
    }
    body
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error(transparent)]
    Comake(#[from] ComakeError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("Discord refused the DM: {0}")]
    Discord(String),
}

/// What one cycle did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CycleStats {
    pub users: usize,
    pub reads: usize,
    pub dms: usize,
    pub failures: usize,
}

/// The watcher.
pub struct Watcher {
    app: Arc<App>,
    http: Arc<Http>,
    /// The company's Comake client, paced to `NOTIFY_MAX_RPS`.
    comake: Comake,
    slots: Arc<Semaphore>,
}

enum Sent {
    Delivered,
    Unreachable,
}

impl Watcher {
    pub fn new(app: Arc<App>, http: Arc<Http>) -> Arc<Self> {
        let rps = app.config.notify_max_rps.max(1);
        // Evenly spaced, with no burst, and 10% slower than the cap: requests
        // are paced when they leave, so only scheduling and network jitter
        // can bunch them on Comake's side, and 100 ms of it still cannot put
        // more than `rps` into any one second there.
        let period = Duration::from_secs_f64(1.10 / f64::from(rps));
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
        })
    }

    fn policy(&self) -> schedule::Policy {
        schedule::Policy {
            active: self.app.config.notify_interval,
            max_idle: self.app.config.notify_max_idle,
        }
    }

    /// Read whoever is due, then wait for the next one due, a hint or the
    /// next refresh, until `shutdown`.
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
        let mut schedule = Schedule::default();
        loop {
            let stats = tokio::select! {
                stats = self.read_due(&mut schedule) => stats,
                () = &mut shutdown => return,
            };
            if stats.reads + stats.failures > 0 {
                tracing::info!(
                    users = stats.users,
                    reads = stats.reads,
                    dms = stats.dms,
                    failures = stats.failures,
                    "notification reads done"
                );
            }
            let now = crate::app::now();
            let until = schedule
                .next_due()
                .map_or(REFRESH, |due| (due - now).to_std().unwrap_or_default())
                .min(schedule.until_refresh(now))
                .max(Duration::from_millis(50));
            tokio::select! {
                () = tokio::time::sleep(until) => {}
                () = self.app.notify_hints.woken() => {}
                () = &mut shutdown => return,
            }
        }
    }

    /// Read every opted-in, reachable person whose read is due now (after
    /// reloading the schedule from the store when it is time, and taking
    /// hints), paced; each read sets the person's next one.
    pub async fn read_due(self: &Arc<Self>, schedule: &mut Schedule) -> CycleStats {
        let started = Instant::now();
        let now = crate::app::now();
        if schedule.until_refresh(now).is_zero() {
            if let Err(e) = schedule.refresh(&self.app, now).await {
                tracing::error!(error = %e, "notifications: cannot load the schedule");
            }
        }
        for user in self.app.notify_hints.take() {
            if let Err(e) = schedule.reload(&self.app, user).await {
                tracing::warn!(error = %e, "notifications: cannot load a hinted person");
            }
        }
        let users = schedule.take_due(now);
        let n = users.len();
        let mut tasks = tokio::task::JoinSet::new();
        for account in users {
            let Ok(permit) = self.slots.clone().acquire_owned().await else {
                break;
            };
            let watcher = self.clone();
            tasks.spawn(async move {
                let _permit = permit;
                let result = watcher.read_user(&account).await;
                (account, result)
            });
        }
        let mut stats = CycleStats {
            users: n,
            ..CycleStats::default()
        };
        while let Some(result) = tasks.join_next().await {
            match result {
                Ok((account, Ok(dms))) => {
                    stats.reads += 1;
                    stats.dms += dms;
                    if let Err(e) = schedule.reload(&self.app, account.discord_id).await {
                        tracing::warn!(error = %e, "notifications: cannot load a schedule");
                    }
                }
                Ok((account, Err(e))) => {
                    stats.failures += 1;
                    schedule.put(account, self.policy().after_failure(crate::app::now()));
                    tracing::warn!(error = %e, "notifications: a read failed; it is retried later");
                }
                Err(e) => {
                    stats.failures += 1;
                    tracing::error!(error = %e, "notifications: a read task failed");
                }
            }
        }
        metrics::gauge!(metric::NOTIFY_READS).set(stats.reads as f64);
        metrics::histogram!(metric::NOTIFY_CYCLE_SECONDS).record(started.elapsed().as_secs_f64());
        stats
    }

    /// Send the digests whose 09:00 slot has come: one list read each
    /// (through the paced client), one DM when there is something to say,
    /// and the slot recorded so it is served once. Returns the DMs sent.
    pub async fn send_digests(self: &Arc<Self>, schedule: &mut Schedule) -> usize {
        let now = crate::app::now();
        let zone = self.app.config.digest_timezone;
        let due: Vec<(crate::store::Digest, chrono::DateTime<chrono::Utc>, Account)> = schedule
            .digests
            .values()
            .filter_map(|(digest, last, account)| {
                let slot =
                    schedule::digest_slot(now, zone, *digest == crate::store::Digest::Weekly)?;
                last.is_none_or(|l| l < slot)
                    .then(|| (*digest, slot, account.clone()))
            })
            .collect();
        let mut sent = 0;
        for (digest, slot, account) in due {
            match self.digest(&account, now).await {
                Ok(reply) => {
                    if let Some(reply) = reply {
                        match self.send(account.discord_id, &reply).await {
                            Ok(Sent::Delivered) => sent += 1,
                            Ok(Sent::Unreachable) => {}
                            Err(e) => {
                                tracing::warn!(error = %e, "notifications: a digest was not delivered; tried again later");
                                continue;
                            }
                        }
                    }
                    let written = self
                        .app
                        .store
                        .update_notify_state(account.discord_id, move |state| {
                            let mut state = state?;
                            state.last_digest = Some(slot);
                            Some(state)
                        })
                        .await;
                    if let Err(e) = written {
                        tracing::warn!(error = %e, "notifications: cannot record a digest");
                    }
                    schedule
                        .digests
                        .insert(account.discord_id, (digest, Some(slot), account));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "notifications: a digest read failed; tried again later")
                }
            }
        }
        sent
    }

    /// The digest DM for `account` at `now`, if there is anything in it:
    /// their contracts waiting on others longer than `DIGEST_STALE_DAYS`,
    /// then those waiting on them.
    async fn digest(
        &self,
        account: &Account,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<Reply>, NotifyError> {
        let list = self
            .comake
            .user(&account.email)
            .list_contracts(BoxTab::All, 1, LIST_LIMIT)
            .await?;
        let stale =
            now - chrono::Duration::from_std(self.app.config.digest_stale).unwrap_or_default();
        let state = self
            .app
            .store
            .notify_state(account.discord_id)
            .await?
            .unwrap_or_default();
        let lang = Lang::from_locale(&state.locale);
        let t = |id: &str, args: &[(&str, fluent_bundle::FluentValue<'static>)]| {
            self.app.i18n.t(lang, id, args)
        };
        let mut lines = Vec::new();
        let mut moving: Vec<&ContractSummary> = list
            .contracts
            .iter()
            .filter(|c| schedule::moving(c.status))
            .collect();
        moving.sort_by_key(|c| c.updated_at);
        for c in &moving {
            let since = format!("<t:{}:R>", c.updated_at.timestamp());
            let name = text::inert_max(&c.name, NAME_BUDGET);
            if c.role == Role::Sender && c.updated_at < stale {
                lines.push(format!(
                    "• {}",
                    t("digest-stale", &args!["name" => name, "since" => since])
                ));
            } else if c.role == Role::Receiver && c.my_turn != Some(false) {
                lines.push(format!(
                    "• {}",
                    t("digest-waiting", &args!["name" => name, "since" => since])
                ));
            }
        }
        if lines.is_empty() {
            return Ok(None);
        }
        // Every line fits, or the rest is counted and pointed to.
        let mut content = t("digest-header", &[]);
        let reserve = 120;
        for (i, line) in lines.iter().enumerate() {
            if content.chars().count() + line.chars().count() + 1 + reserve > reply::MAX_CONTENT {
                content.push('\n');
                content.push_str(&t(
                    "digest-more",
                    &args!["count" => (lines.len() - i) as u64],
                ));
                break;
            }
            content.push('\n');
            content.push_str(line);
        }
        Ok(Some(Reply::text(content)))
    }

    /// Read one user's contracts, DM them what changed, remember what was
    /// seen. Returns the number of DMs sent.
    pub async fn read_user(&self, account: &Account) -> Result<usize, NotifyError> {
        let store = &self.app.store;
        let read_started = crate::app::now();
        let before = store.notify_state(account.discord_id).await?;
        let existed = before.is_some();
        let state: NotifyState = before.unwrap_or_default();
        if !state.enabled || state.unreachable {
            return Ok(0);
        }
        let user = self.comake.user(&account.email);
        let list = user.list_contracts(BoxTab::All, 1, LIST_LIMIT).await?;
        let motion = schedule::Motion::of(
            list.contracts
                .iter()
                .map(|c| (c.role == Role::Sender, c.status)),
        );
        let policy = self.policy();
        let mut seen_now = BTreeMap::new();
        let mut events = Vec::new();
        for summary in &list.contracts {
            let id = summary.id.to_string();
            let old = state.contracts.get(&id);
            let detail = if needs_detail(summary, old) {
                Some(user.get_contract(&summary.id).await?)
            } else {
                None
            };
            let new = seen(summary, detail.as_ref(), old);
            if state.baseline {
                events.extend(changes(&id, old, &new).into_iter().map(|e| (id.clone(), e)));
            }
            seen_now.insert(id, new);
        }
        let mut sent = 0;
        let mut unreachable = false;
        // The person may have turned notifications off, or been unlinked,
        // while Comake was being read: then no DM, and nothing is written.
        // Also when they were unlinked and linked again (maybe to another
        // Comake user): the account must be the very one that was read.
        let still_wanted = || async {
            let now = store.notify_state(account.discord_id).await?;
            let setting = match now {
                Some(now) => now.enabled && now.generation == state.generation,
                None => !existed,
            };
            Ok::<_, NotifyError>(
                setting && store.account(account.discord_id).await?.as_ref() == Some(account),
            )
        };
        // Checked right before each DM only: a read that found nothing
        // costs no extra store reads, and its write below is refused by
        // the merge when the setting or the state changed meanwhile.
        // Each DM is sent in turn; an event is recorded as seen only once
        // its DM was delivered, so an undelivered one is announced next time.
        let lang = Lang::from_locale(&state.locale);
        let mut delivered = vec![false; events.len()];
        for (message, indices) in direct_messages(&self.app, lang, &events) {
            if !still_wanted().await? {
                break;
            }
            match self.send(account.discord_id, &message).await {
                Ok(Sent::Delivered) => {
                    sent += 1;
                    for &i in &indices {
                        delivered[i] = true;
                        metrics::counter!(metric::NOTIFICATIONS, "kind" => events[i].1.kind())
                            .increment(1);
                    }
                }
                Ok(Sent::Unreachable) => {
                    tracing::info!(
                        user = account.discord_id,
                        "DMs are closed; not notifying until they use a command"
                    );
                    unreachable = true;
                    break;
                }
                Err(e) => {
                    tracing::warn!(user = account.discord_id, error = %e, "a DM was not delivered; it is tried again next cycle");
                    break;
                }
            }
        }
        for ((id, _), done) in events.iter().zip(&delivered) {
            if !done {
                match state.contracts.get(id) {
                    Some(old) => seen_now.insert(id.clone(), old.clone()),
                    None => seen_now.remove(id),
                };
            }
        }
        // Merge what was seen into the state as it is now, so a locale or
        // setting changed meanwhile is kept.
        let generation = state.generation;
        let locale = state.locale.clone();
        let written = store
            .update_notify_state(account.discord_id, move |now| {
                let mut now = match now {
                    Some(now) if now.generation == generation => now,
                    Some(_) => return None,
                    None if existed => return None,
                    None => NotifyState {
                        locale: locale.clone(),
                        ..NotifyState::fresh()
                    },
                };
                now.baseline = true;
                now.contracts = seen_now.clone();
                now.unreachable |= unreachable;
                // A hint that arrived during the read (a time between its
                // start and now) stands: something may have moved since.
                let written_at = crate::app::now();
                let (next, gap) =
                    policy.after_read(written_at, motion, Duration::from_secs(now.gap_secs));
                let hinted = now
                    .next_read
                    .is_some_and(|t| t >= read_started && t <= written_at);
                if !hinted {
                    now.next_read = Some(next);
                }
                now.gap_secs = gap.as_secs();
                Some(now)
            })
            .await?;
        // The person's shared cards follow their contracts' moves.
        self.update_cards(account, &list.contracts, &state.contracts)
            .await;
        // A first state written just as the person was unlinked goes again.
        if written.is_some()
            && !existed
            && store.account(account.discord_id).await?.as_ref() != Some(account)
        {
            store.forget_notify_state(account.discord_id).await?;
        }
        Ok(sent)
    }

    /// Edit the cards `account` shared whose contract moved since `seen`
    /// (one detail read each); a card whose contract ended gets its last
    /// edit and is dropped; one whose message is gone or whose channel the
    /// bot lost is dropped with one log line, not retried.
    async fn update_cards(
        &self,
        account: &Account,
        now: &[ContractSummary],
        seen: &BTreeMap<String, SeenContract>,
    ) {
        let store = &self.app.store;
        let cards = match store.cards_of(account.discord_id).await {
            Ok(cards) => cards,
            Err(e) => {
                tracing::warn!(error = %e, "notifications: cannot read the status cards");
                return;
            }
        };
        for card in cards {
            let Some(summary) = now.iter().find(|c| c.id.as_str() == card.contract) else {
                continue;
            };
            let moved = seen.get(&card.contract).is_none_or(|old| {
                old.updated_at != summary.updated_at || old.status != summary.status
            });
            if !moved {
                continue;
            }
            let detail = match self
                .comake
                .user(&account.email)
                .get_contract(&summary.id)
                .await
            {
                Ok(detail) => detail,
                Err(e) => {
                    tracing::warn!(error = %e, "notifications: a card's contract could not be read; tried next time");
                    continue;
                }
            };
            let body = card_body(&self.app, Lang::from_locale(&card.locale), &detail);
            let edited = self
                .http
                .edit_message(
                    ChannelId::new(card.channel.max(1)),
                    serenity::all::MessageId::new(card.message.max(1)),
                    &body,
                    Vec::new(),
                )
                .await;
            let drop = match edited {
                Ok(_) => card_ended(detail.summary.status),
                Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)))
                    if matches!(r.status_code.as_u16(), 403 | 404) =>
                {
                    tracing::warn!(
                        status = r.status_code.as_u16(),
                        code = r.error.code,
                        "a status card's message is gone or its channel is closed to the bot; its updates stop"
                    );
                    true
                }
                Err(_) => {
                    tracing::warn!("a status card could not be edited; tried at the next move");
                    false
                }
            };
            if drop {
                if let Err(e) = store.remove_card(&card.contract).await {
                    tracing::warn!(error = %e, "cannot drop a status card");
                }
            }
        }
    }

    async fn send(&self, user: u64, message: &Reply) -> Result<Sent, NotifyError> {
        let body = dm_body(message);
        for attempt in 0..2 {
            let result = async {
                let channel = self
                    .http
                    .create_private_channel(
                        &json!({"recipient_id": UserId::new(user.max(1)).to_string()}),
                    )
                    .await?;
                self.http
                    .send_message(ChannelId::new(channel.id.get()), Vec::new(), &body)
                    .await
            }
            .await;
            match result {
                Ok(_) => return Ok(Sent::Delivered),
                Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r))) => {
                    if r.error.code == CANNOT_DM {
                        return Ok(Sent::Unreachable);
                    }
                    if r.status_code.as_u16() == 429 && attempt == 0 {
                        // Honour Discord's rate limit once, then give up
                        // until the next cycle.
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                    return Err(NotifyError::Discord(format!(
                        "{} (code {})",
                        r.status_code, r.error.code
                    )));
                }
                Err(_) => return Err(NotifyError::Discord("Discord could not be reached".into())),
            }
        }
        Err(NotifyError::Discord("rate limited".into()))
    }
}

/// A user ran a command: remember their language for DMs, make them
/// reachable again, and read their box at once (what they did may have
/// started something). Writes only when something changed.
pub(crate) async fn touch(app: &App, user: u64, locale: &str) {
    let Ok(state) = app.store.notify_state(user).await else {
        return;
    };
    let now = crate::app::now();
    if state.as_ref().is_some_and(|s| {
        s.locale == locale && !s.unreachable && s.next_read.is_some_and(|t| t <= now)
    }) {
        return;
    }
    // No state yet: the first read creates it; keep the locale anyway, for
    // a linked person only.
    if state.is_none() && !matches!(app.store.account(user).await, Ok(Some(_))) {
        return;
    }
    let locale = locale.to_owned();
    let existed = state.is_some();
    let due = now;
    let updated = app
        .store
        .update_notify_state(user, move |now| {
            // Gone since it was read: unlinked meanwhile, so not recreated.
            let mut now = match now {
                Some(now) => now,
                None if existed => return None,
                None => NotifyState::fresh(),
            };
            now.locale.clone_from(&locale);
            now.unreachable = false;
            now.next_read = Some(now.next_read.map_or(due, |t| t.min(due)));
            Some(now)
        })
        .await;
    match updated {
        Ok(_) => app.notify_hints.push(user),
        Err(e) => tracing::warn!(error = %e, "could not update the notification state"),
    }
}

/// A signature request went to `email`: if a linked person has it, read
/// their box at once (the request is now waiting on them).
pub(crate) async fn hint_email(app: &App, email: &str) {
    let Ok(Some(account)) = app.store.account_by_email(email).await else {
        return;
    };
    let due = crate::app::now();
    let updated = app
        .store
        .update_notify_state(account.discord_id, move |state| {
            let mut state = state?;
            if state.next_read.is_some_and(|t| t <= due) {
                return None;
            }
            state.next_read = Some(due);
            Some(state)
        })
        .await;
    match updated {
        Ok(_) => app.notify_hints.push(account.discord_id),
        Err(e) => tracing::warn!(error = %e, "could not hint the watcher"),
    }
}

/// `/comake notifications digest:`: set how often, starting at the next
/// slot (turning it on does not send one for a slot already past).
pub(crate) async fn set_digest(
    app: &App,
    user: u64,
    digest: crate::store::Digest,
) -> Result<(), StoreError> {
    let now = crate::app::now();
    app.store
        .update_notify_state(user, move |state| {
            let mut state = state.unwrap_or_else(NotifyState::fresh);
            state.digest = digest;
            state.last_digest = Some(now);
            Some(state)
        })
        .await?;
    app.notify_hints.push(user);
    Ok(())
}

/// Who wants a digest, and the slot last served.
type DigestPlan = (
    crate::store::Digest,
    Option<chrono::DateTime<chrono::Utc>>,
    Account,
);

/// The watcher's view of who is read when: everyone opted in and
/// reachable, by when their read is due, and who wants a digest. Reloaded
/// from the store every [`REFRESH`]; changed by each read and each hint.
#[derive(Default)]
pub struct Schedule {
    due: std::collections::HashMap<u64, (chrono::DateTime<chrono::Utc>, Account)>,
    digests: std::collections::HashMap<u64, DigestPlan>,
    refreshed: Option<chrono::DateTime<chrono::Utc>>,
}

impl Schedule {
    fn until_refresh(&self, now: chrono::DateTime<chrono::Utc>) -> Duration {
        self.refreshed.map_or(Duration::ZERO, |at| {
            REFRESH.saturating_sub((now - at).to_std().unwrap_or_default())
        })
    }

    fn next_due(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.due.values().map(|(t, _)| *t).min()
    }

    fn plan_digest(&mut self, account: &Account, state: &NotifyState) {
        if state.digest == crate::store::Digest::Off {
            self.digests.remove(&account.discord_id);
        } else {
            self.digests.insert(
                account.discord_id,
                (state.digest, state.last_digest, account.clone()),
            );
        }
    }

    fn put(&mut self, account: Account, due: chrono::DateTime<chrono::Utc>) {
        self.due.insert(account.discord_id, (due, account));
    }

    /// Everyone due by `now`, earliest first, taken out until read.
    fn take_due(&mut self, now: chrono::DateTime<chrono::Utc>) -> Vec<Account> {
        let mut ready: Vec<(chrono::DateTime<chrono::Utc>, u64)> = self
            .due
            .iter()
            .filter(|(_, (t, _))| *t <= now)
            .map(|(id, (t, _))| (*t, *id))
            .collect();
        ready.sort();
        ready
            .into_iter()
            .filter_map(|(_, id)| self.due.remove(&id).map(|(_, a)| a))
            .collect()
    }

    /// Load one person's entry from the store (gone when unlinked, off or
    /// unreachable).
    async fn reload(&mut self, app: &App, user: u64) -> Result<(), StoreError> {
        let account = app.store.account(user).await?;
        let state = app.store.notify_state(user).await?.unwrap_or_default();
        match account {
            Some(account) if state.enabled && !state.unreachable => {
                let due = state.next_read.unwrap_or_else(crate::app::now);
                self.plan_digest(&account, &state);
                self.put(account, due);
            }
            _ => {
                self.due.remove(&user);
                self.digests.remove(&user);
            }
        }
        Ok(())
    }

    /// Load everyone's entry from the store.
    async fn refresh(
        &mut self,
        app: &App,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let mut fresh = std::collections::HashMap::new();
        let mut after = None;
        loop {
            let page = app.store.accounts(after, ACCOUNT_PAGE).await?;
            for account in &page {
                let state = app
                    .store
                    .notify_state(account.discord_id)
                    .await?
                    .unwrap_or_default();
                if state.enabled && !state.unreachable {
                    let due = state.next_read.unwrap_or(now);
                    fresh.insert(account.discord_id, (due, account.clone()));
                    self.plan_digest(account, &state);
                } else {
                    self.digests.remove(&account.discord_id);
                }
            }
            match page.last() {
                Some(last) if page.len() == ACCOUNT_PAGE => after = Some(last.discord_id),
                _ => break,
            }
        }
        self.due = fresh;
        self.refreshed = Some(now);
        Ok(())
    }
}

/// `/comake notifications enabled:…`: turning them on starts from a fresh
/// baseline, so nothing old is announced. A read in progress does not
/// write over it (the generation changes).
pub(crate) async fn set_enabled(app: &App, user: u64, enabled: bool) -> Result<(), StoreError> {
    app.store
        .update_notify_state(user, move |now| {
            let mut state = now.unwrap_or_else(NotifyState::fresh);
            state.enabled = enabled;
            state.generation = state.generation.wrapping_add(1);
            if enabled {
                state.unreachable = false;
                state.baseline = false;
                state.contracts.clear();
            }
            Some(state)
        })
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn contract(
        status: ContractStatus,
        role: Role,
        signees: &[(u32, SigneeStatus)],
        at: i64,
    ) -> SeenContract {
        SeenContract {
            name: "NDA".into(),
            status,
            role,
            updated_at: Utc::now() + chrono::Duration::seconds(at),
            signees: signees
                .iter()
                .map(|(p, s)| SeenSignee {
                    party: *p,
                    name: format!("P{p}"),
                    status: *s,
                })
                .collect(),
            my_turn: None,
            request_type: None,
            reason: None,
        }
    }

    use ContractStatus::*;
    use SigneeStatus::*;

    #[test]
    fn signee_moves_are_events() {
        let old = contract(Signing, Role::Sender, &[(0, Waiting), (1, Waiting)], 0);
        let new = contract(Signing, Role::Sender, &[(0, Viewed), (1, Signed)], 1);
        assert_eq!(
            changes("x", Some(&old), &new),
            vec![
                Event::Viewed {
                    contract: "NDA".into(),
                    signee: "P0".into()
                },
                Event::Signed {
                    contract: "NDA".into(),
                    signee: "P1".into()
                },
            ]
        );
        assert!(changes("x", Some(&new), &new).is_empty());
    }

    #[test]
    fn final_states_are_one_event_each() {
        let old = contract(Signing, Role::Sender, &[(0, Signed), (1, Waiting)], 0);
        let done = contract(Completed, Role::Sender, &[(0, Signed), (1, Signed)], 1);
        assert_eq!(
            changes("x", Some(&old), &done),
            vec![Event::Completed {
                contract: "NDA".into()
            }]
        );
        let rejected = contract(SignRejected, Role::Sender, &[(0, Signed), (1, Rejected)], 1);
        assert_eq!(
            changes("x", Some(&old), &rejected),
            vec![Event::Rejected {
                contract: "NDA".into(),
                signee: "P1".into()
            }]
        );
        let cancelled = contract(SignCancelled, Role::Sender, &[], 1);
        assert_eq!(
            changes("x", Some(&old), &cancelled),
            vec![Event::Cancelled {
                contract: "NDA".into()
            }]
        );
    }

    #[test]
    fn receivers_hear_when_it_waits_for_them() {
        let new = contract(Signing, Role::Receiver, &[], 0);
        assert_eq!(
            changes("x", None, &new),
            vec![Event::Waiting {
                id: "x".into(),
                contract: "NDA".into(),
                approval: false,
            }]
        );
        assert!(changes("x", Some(&new), &new).is_empty());
        let done = contract(Completed, Role::Receiver, &[], 1);
        assert!(changes("x", Some(&new), &done).is_empty());
    }

    #[test]
    fn details_are_read_only_when_they_can_tell_something() {
        let summary = |status, role, at: i64| ContractSummary {
            id: crate::comake::wire::ContractId::parse("abc").unwrap(),
            name: "NDA".into(),
            status,
            status_text: String::new(),
            role,
            created_at: Utc::now(),
            updated_at: Utc::now() + chrono::Duration::seconds(at),
            my_turn: None,
            request_type: None,
        };
        let s = summary(Signing, Role::Sender, 5);
        assert!(needs_detail(&s, None));
        let old = seen(&s, None, None);
        assert!(!needs_detail(&s, Some(&old)), "unchanged");
        assert!(!needs_detail(&summary(Saved, Role::Sender, 9), None));
        assert!(!needs_detail(&summary(Signing, Role::Receiver, 9), None));
        assert!(
            needs_detail(&summary(Completed, Role::Sender, 9), Some(&old)),
            "just finished"
        );
    }
}
