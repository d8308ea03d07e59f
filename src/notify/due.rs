//! The watcher's due-list: who is read when, loaded from the store's due index (only those due soon), changed by each read and each hint; and who wants a digest, loaded when the digest job runs.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::app::App;
use crate::store::{Account, Digest, NotifyState, StoreError};

/// The most people held as due at once; those beyond are loaded at the
/// next reload (earliest first, so everyone comes in turn).
const DUE_PAGE: usize = 5_000;
/// How often the list is reloaded from the store (for hints written by
/// other instances, people linked or turned on meanwhile): each reload
/// loads those due before the next one, by the store's index.
pub(super) const REFRESH: Duration = Duration::from_secs(30);

/// Someone who wants a digest, and the slot last served.
#[derive(Debug, Clone)]
pub(super) struct DigestPlan {
    pub(super) digest: Digest,
    pub(super) last: Option<DateTime<Utc>>,
    pub(super) account: Account,
}

/// Those opted in and reachable whose read is due before the next reload
/// (or who were read or hinted since), by when; and everyone who wants a
/// digest, as of the digest job's last load.
#[derive(Default)]
pub(super) struct DueList {
    reads: HashMap<u64, (DateTime<Utc>, Account)>,
    pub(super) digests: HashMap<u64, DigestPlan>,
    refreshed: Option<DateTime<Utc>>,
}

impl DueList {
    /// When the list is reloaded next.
    pub(super) fn refresh_due(&self) -> Option<DateTime<Utc>> {
        self.refreshed
            .map(|at| at + chrono::Duration::from_std(REFRESH).unwrap_or_default())
    }

    /// The earliest read due.
    pub(super) fn next_read(&self) -> Option<DateTime<Utc>> {
        self.reads.values().map(|(t, _)| *t).min()
    }

    /// Whether `user` is on the list of reads.
    pub(super) fn is_read(&self, user: u64) -> bool {
        self.reads.contains_key(&user)
    }

    pub(super) fn put(&mut self, account: Account, due: DateTime<Utc>) {
        self.reads.insert(account.discord_id, (due, account));
    }

    /// Everyone due by `now`, earliest first, taken out until read.
    pub(super) fn take_due(&mut self, now: DateTime<Utc>) -> Vec<Account> {
        let mut ready: Vec<(DateTime<Utc>, u64)> = self
            .reads
            .iter()
            .filter(|(_, (t, _))| *t <= now)
            .map(|(id, (t, _))| (*t, *id))
            .collect();
        ready.sort();
        ready
            .into_iter()
            .filter_map(|(_, id)| self.reads.remove(&id).map(|(_, a)| a))
            .collect()
    }

    fn plan(&mut self, account: &Account, state: &NotifyState, now: DateTime<Utc>) {
        if state.enabled && !state.unreachable {
            let due = state.next_read.unwrap_or(now);
            self.put(account.clone(), due);
        } else {
            self.reads.remove(&account.discord_id);
        }
    }

    /// Load one person's read from the store (gone when unlinked).
    pub(super) async fn reload(&mut self, app: &App, user: u64) -> Result<(), StoreError> {
        let account = app.store.account(user).await?;
        match account {
            Some(account) => {
                let state = app.store.notify_state(user).await?.unwrap_or_default();
                self.plan(&account, &state, crate::app::now());
            }
            None => {
                self.reads.remove(&user);
                self.digests.remove(&user);
            }
        }
        Ok(())
    }

    /// Load, in place of the list, those whose read is due before the next
    /// reload: one query by the store's index, whoever else is linked.
    /// Returns up to when the list now holds everyone due (`None`: more
    /// were due than a page holds, so it may not).
    pub(super) async fn refresh(
        &mut self,
        app: &App,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let until = now + chrono::Duration::from_std(REFRESH).unwrap_or_default();
        let people = app.store.due_people(until, DUE_PAGE).await?;
        let whole = people.len() < DUE_PAGE;
        let mut fresh = DueList::default();
        for (account, state) in people {
            fresh.plan(&account, &state.unwrap_or_default(), now);
        }
        self.reads = fresh.reads;
        self.refreshed = Some(now);
        Ok(whole.then_some(until))
    }

    /// Load everyone who wants a digest (when the digest job runs).
    pub(super) async fn load_digests(&mut self, app: &App) -> Result<(), StoreError> {
        self.digests = app
            .store
            .digest_people()
            .await?
            .into_iter()
            .filter(|(_, state)| state.digest != Digest::Off && !state.unreachable)
            .map(|(account, state)| {
                let plan = DigestPlan {
                    digest: state.digest,
                    last: state.last_digest,
                    account,
                };
                (plan.account.discord_id, plan)
            })
            .collect();
        Ok(())
    }
}
