//! The watcher's due-list: who is read when, and who wants a digest, loaded from the store and changed by each read and each hint.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::app::App;
use crate::store::{Account, Digest, NotifyState, StoreError};

/// Accounts read from the store at a time when the list is reloaded.
const ACCOUNT_PAGE: usize = 500;
/// How often the whole list is reloaded from the store (for hints written
/// by other instances, people linked or turned on meanwhile).
pub(super) const REFRESH: Duration = Duration::from_secs(30);

/// Someone who wants a digest, and the slot last served.
#[derive(Debug, Clone)]
pub(super) struct DigestPlan {
    pub(super) digest: Digest,
    pub(super) last: Option<DateTime<Utc>>,
    pub(super) account: Account,
}

/// Everyone opted in and reachable, by when their read is due, and
/// everyone who wants a digest (whether or not they want real-time DMs).
#[derive(Default)]
pub(super) struct DueList {
    reads: HashMap<u64, (DateTime<Utc>, Account)>,
    pub(super) digests: HashMap<u64, DigestPlan>,
    refreshed: Option<DateTime<Utc>>,
}

impl DueList {
    /// When the whole list is reloaded next.
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
        // A digest is its own mode: it does not need real-time DMs on.
        if state.digest == Digest::Off || state.unreachable {
            self.digests.remove(&account.discord_id);
        } else {
            self.digests.insert(
                account.discord_id,
                DigestPlan {
                    digest: state.digest,
                    last: state.last_digest,
                    account: account.clone(),
                },
            );
        }
    }

    /// Load one person's entries from the store (gone when unlinked).
    pub(super) async fn reload(&mut self, app: &App, user: u64) -> Result<(), StoreError> {
        let account = app.store.account(user).await?;
        let state = app.store.notify_state(user).await?.unwrap_or_default();
        match account {
            Some(account) => self.plan(&account, &state, crate::app::now()),
            None => {
                self.reads.remove(&user);
                self.digests.remove(&user);
            }
        }
        Ok(())
    }

    /// Load everyone's entries from the store.
    pub(super) async fn refresh(
        &mut self,
        app: &App,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut fresh = DueList::default();
        let mut after = None;
        loop {
            let page = app.store.accounts(after, ACCOUNT_PAGE).await?;
            for account in &page {
                let state = app
                    .store
                    .notify_state(account.discord_id)
                    .await?
                    .unwrap_or_default();
                fresh.plan(account, &state, now);
            }
            match page.last() {
                Some(last) if page.len() == ACCOUNT_PAGE => after = Some(last.discord_id),
                _ => break,
            }
        }
        self.reads = fresh.reads;
        self.digests = fresh.digests;
        self.refreshed = Some(now);
        Ok(())
    }
}
