//! The reads job: each person's contract box read when due, what changed told in a DM, and what was seen remembered.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::budget::Budget;
use super::dm::{direct_messages, Sent};
use super::due::DueList;
use super::events::{changes, needs_detail, seen};
use super::{schedule, NotifyError, Watcher, LIST_LIMIT};
use crate::comake::wire::{BoxTab, ContractStatus, Role};
use crate::i18n::Lang;
use crate::metric;
use crate::store::{Account, NotifyState};

/// What one round of reads did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CycleStats {
    /// People due.
    pub users: usize,
    /// Reads that worked.
    pub reads: usize,
    /// DMs sent.
    pub dms: usize,
    /// Reads that failed (tried again later).
    pub failures: usize,
    /// The Discord ids of the people read.
    pub read: Vec<u64>,
}

impl Watcher {
    /// The reads job: read every opted-in, reachable person whose read is
    /// due by `now` (hinted people first loaded anew), paced; each read
    /// sets the person's next one.
    pub(super) async fn read_due(
        self: &Arc<Self>,
        due: &mut DueList,
        budget: &mut Budget,
        now: DateTime<Utc>,
    ) -> CycleStats {
        let started = Instant::now();
        for user in self.app.notify_hints.take() {
            if let Err(e) = due.reload(&self.app, user).await {
                tracing::warn!(error = %e, "notifications: cannot load a hinted person");
            }
        }
        let users = due.take_due(now);
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
                Ok((account, Ok((dms, gap)))) => {
                    match gap {
                        Some(gap) => budget.record(
                            account.discord_id,
                            gap,
                            crate::app::now() + chrono::Duration::from_std(gap).unwrap_or_default(),
                        ),
                        None => budget.forget(account.discord_id),
                    }
                    stats.reads += 1;
                    stats.dms += dms;
                    stats.read.push(account.discord_id);
                    if let Err(e) = due.reload(&self.app, account.discord_id).await {
                        tracing::warn!(error = %e, "notifications: cannot load a schedule");
                    }
                }
                Ok((account, Err(e))) => {
                    stats.failures += 1;
                    due.put(account, self.policy().after_failure(crate::app::now()));
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

    /// Read one user's contracts, DM them what changed, remember what was
    /// seen. Returns the number of DMs sent, and the wait until the next
    /// read (`None`: not read any more, or nothing was written).
    pub(super) async fn read_user(
        &self,
        account: &Account,
    ) -> Result<(usize, Option<Duration>), NotifyError> {
        let store = &self.app.store;
        let read_started = crate::app::now();
        let before = store.notify_state(account.discord_id).await?;
        let existed = before.is_some();
        let state: NotifyState = before.unwrap_or_default();
        if !state.enabled || state.unreachable {
            return Ok((0, None));
        }
        let user = self.comake.user(&account.email);
        let list = user.list_contracts(BoxTab::All, 1, LIST_LIMIT).await?;
        let motion = schedule::Motion::of(
            list.contracts
                .iter()
                .map(|c| (c.role == Role::Sender, c.status)),
        );
        let policy = self.policy();
        // When the person was last read (about: the last wait before the
        // next read), and whether every contract of theirs is in the list.
        let last_read = state
            .next_read
            .map(|at| at - chrono::TimeDelta::seconds(state.gap_secs as i64));
        let whole_box = list.total < u64::from(LIST_LIMIT);
        let fresh = |c: &crate::comake::wire::ContractSummary| {
            whole_box || last_read.is_some_and(|at| c.created_at > at)
        };
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
                // A contract the person sent since the last read, first seen
                // already out for signature (or done): what its signees did
                // before this read is news too, told against it as sent.
                // Not for one that only came back into the list's window.
                let as_sent = (old.is_none() && fresh(summary))
                    .then(|| sent_as(&new))
                    .flatten();
                let old = old.or(as_sent.as_ref());
                // Completed since the last read: its signees can no longer
                // be set, so the request messages the bot kept for that
                // are not needed any more.
                if summary.role == Role::Sender
                    && summary.status == ContractStatus::Completed
                    && old.is_some_and(|o| o.status != ContractStatus::Completed)
                {
                    if let Err(e) = store.forget_signee_messages(&id).await {
                        tracing::warn!(contract = %id, error = %e, "the signees' request messages were not forgotten");
                    }
                }
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
        // The state as it is then, when the DM is still wanted.
        let still_wanted = || async {
            let now = store.notify_state(account.discord_id).await?;
            let now = match now {
                Some(now) if now.enabled && now.generation == state.generation => Some(now),
                None if !existed => Some(state.clone()),
                _ => None,
            };
            let linked = store.account(account.discord_id).await?.as_ref() == Some(account);
            Ok::<_, NotifyError>(now.filter(|_| linked))
        };
        // Checked right before each DM only: a read that found nothing
        // costs no extra store reads, and its write below is refused by
        // the merge when the setting or the state changed meanwhile.
        // Each DM is sent in turn; an event is recorded as seen only once
        // its DM was delivered, so an undelivered one is announced next time.
        let lang = Lang::from_locale(&state.locale);
        // What the person chose not to hear (a kind turned off, a contract
        // muted) is recorded as seen, never DMed: turning it back on does
        // not bring old news.
        let quiet = |state: &NotifyState, (id, e): &(String, super::events::Event)| {
            state.muted.contains_key(id) || state.kinds_off.contains(&e.news())
        };
        let mut delivered: Vec<bool> = events.iter().map(|e| quiet(&state, e)).collect();
        let told: Vec<usize> = (0..events.len()).filter(|&i| !delivered[i]).collect();
        let to_tell: Vec<(String, super::events::Event)> =
            told.iter().map(|&i| events[i].clone()).collect();
        for (message, shown) in direct_messages(&self.app.i18n, lang, &to_tell) {
            let indices: Vec<usize> = shown.iter().map(|&i| told[i]).collect();
            let Some(now) = still_wanted().await? else {
                break;
            };
            // Muted or turned off while Comake was being read: not sent.
            if indices.iter().all(|&i| quiet(&now, &events[i])) {
                for &i in &indices {
                    delivered[i] = true;
                }
                continue;
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
        let token_left = user.token_usable_for();
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
                let (next, gap) = policy.after_read(
                    written_at,
                    motion,
                    Duration::from_secs(now.gap_secs),
                    token_left,
                );
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
        // A first state written just as the person was unlinked goes again.
        if written.is_some()
            && !existed
            && store.account(account.discord_id).await?.as_ref() != Some(account)
        {
            store.forget_notify_state(account.discord_id).await?;
        }
        let gap = written
            .filter(|w| w.enabled && !w.unreachable)
            .map(|w| Duration::from_secs(w.gap_secs));
        Ok((sent, gap))
    }
}

/// `c` as it was when its requests went out: out for signature, no signee
/// yet done. Only for a contract the person sent that is out for signature
/// or completed.
fn sent_as(c: &crate::store::SeenContract) -> Option<crate::store::SeenContract> {
    use crate::comake::wire::{ContractStatus, SigneeStatus};
    let sent_by_them = c.role == Role::Sender
        && matches!(
            c.status,
            ContractStatus::Signing | ContractStatus::Completed
        );
    sent_by_them.then(|| {
        let mut was = c.clone();
        was.status = ContractStatus::Signing;
        for s in &mut was.signees {
            s.status = SigneeStatus::Waiting;
        }
        was
    })
}
