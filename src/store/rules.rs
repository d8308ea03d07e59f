//! The store's rules, written once over [`Records`], the narrow trait each durable backend (sled, PostgreSQL) implements with its queries: one email one account, link conflicts, the import plan, the bounded compare-and-swap of notification state, and pruning the audit log in batches.
//!
//! A backend never decides a conflict: it reports that what the rule read
//! has changed (`false`), and the rule reads again and decides, so both
//! backends refuse the same link with the same [`LinkError`].

use std::collections::HashMap;
use std::future::Future;

use chrono::{DateTime, Utc};

use super::notify::DueIndex;
use super::{normalize_email, record, Account, AuditEntry, LinkError, NotifyState, StoreError};

/// A bounded number of tries for an optimistic update that keeps losing.
pub(super) const CAS_TRIES: usize = 64;

/// What a durable backend answers and writes, for the rules. Emails given
/// to it are normalized.
pub(super) trait Records: Sync {
    fn account(
        &self,
        discord_id: u64,
    ) -> impl Future<Output = Result<Option<Account>, StoreError>> + Send;

    /// The Discord id `email` is linked to.
    fn email_owner(
        &self,
        email: &str,
    ) -> impl Future<Output = Result<Option<u64>, StoreError>> + Send;

    /// Write `account` (and its email in the index) in place of `old`, what
    /// its Discord id held when read; `false`, writing nothing, when the id
    /// no longer holds `old` or the email is another id's. Durable when it
    /// returns `true`.
    fn swap_account(
        &self,
        account: &Account,
        old: Option<&Account>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Write `accounts` (each only where its id and email are free) and the
    /// `audit` entries not there yet, durably; the accounts not written.
    fn write_import(
        &self,
        accounts: Vec<Account>,
        audit: Vec<AuditEntry>,
    ) -> impl Future<Output = Result<Vec<Account>, StoreError>> + Send;

    /// Remove up to `batch` of the oldest audit entries from before
    /// `cutoff`, durably; how many were removed.
    fn prune_audit_batch(
        &self,
        cutoff: DateTime<Utc>,
        batch: usize,
    ) -> impl Future<Output = Result<usize, StoreError>> + Send;

    /// The encoded notification state of `discord_id`.
    fn notify_record(
        &self,
        discord_id: u64,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StoreError>> + Send;

    /// Write `new` if the state is still `old` (byte for byte), and move
    /// its entry in the due index from `was` (the index of `old`) to `due`,
    /// at once; durable when it returns `true`.
    fn swap_notify_record(
        &self,
        discord_id: u64,
        old: Option<Vec<u8>>,
        new: Vec<u8>,
        was: DueIndex,
        due: DueIndex,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

fn kept_changing(what: &str) -> StoreError {
    StoreError::Io(format!("the {what} kept changing under us"))
}

/// Whether `account` (normalized) may be written over what the store holds:
/// its email free or its own, and its Discord id unlinked unless `replace`.
fn may_link(
    account: &Account,
    email_owner: Option<u64>,
    old: Option<&Account>,
    replace: bool,
) -> Result<(), LinkError> {
    if let Some(owner) = email_owner.filter(|o| *o != account.discord_id) {
        return Err(LinkError::EmailTaken { owner });
    }
    match old {
        Some(old) if !replace => Err(LinkError::AlreadyLinked {
            email: old.email.clone(),
        }),
        _ => Ok(()),
    }
}

/// Link a Discord account to a Comake user; with `replace`, in place of its
/// link (admins). The email must be free either way.
pub(super) async fn link<R: Records>(
    records: &R,
    mut account: Account,
    replace: bool,
) -> Result<Account, LinkError> {
    account.email = normalize_email(&account.email);
    for _ in 0..CAS_TRIES {
        let owner = records.email_owner(&account.email).await?;
        let old = records.account(account.discord_id).await?;
        may_link(&account, owner, old.as_ref(), replace)?;
        if records.swap_account(&account, old.as_ref()).await? {
            return Ok(account);
        }
    }
    Err(kept_changing("account").into())
}

/// Split an import's accounts, writing nothing, by the linking rules:
/// those to write, and those refused because their Discord id is linked to
/// another account or their email to another Discord id, in the store or
/// earlier in the import. One identical to the store's is neither.
async fn import_plan<R: Records>(
    records: &R,
    accounts: Vec<Account>,
) -> Result<(Vec<Account>, Vec<(Account, LinkError)>), StoreError> {
    let mut by_id: HashMap<u64, Account> = HashMap::new();
    let mut by_email: HashMap<String, u64> = HashMap::new();
    let (mut write, mut refused) = (Vec::new(), Vec::new());
    for mut account in accounts {
        account.email = normalize_email(&account.email);
        let id = account.discord_id;
        let old = match by_id.get(&id) {
            Some(a) => Some(a.clone()),
            None => records.account(id).await?,
        };
        if old.as_ref() == Some(&account) {
            continue;
        }
        let owner = match by_email.get(&account.email) {
            Some(owner) => Some(*owner),
            None => records.email_owner(&account.email).await?,
        };
        if let Err(e) = may_link(&account, owner, old.as_ref(), false) {
            refused.push((account, e));
            continue;
        }
        by_email.insert(account.email.clone(), id);
        by_id.insert(id, account.clone());
        write.push(account);
    }
    Ok((write, refused))
}

/// Import accounts and audit entries (see [`super::Store::import`]).
pub(super) async fn import<R: Records>(
    records: &R,
    accounts: Vec<Account>,
    audit: Vec<AuditEntry>,
    partial: bool,
) -> Result<Vec<(Account, LinkError)>, StoreError> {
    let (write, mut refused) = import_plan(records, accounts).await?;
    if !refused.is_empty() && !partial {
        return Ok(refused);
    }
    // An account linked by someone else since the plan is refused the way
    // a link would be.
    for account in records.write_import(write, audit).await? {
        match link(records, account.clone(), false).await {
            Ok(_) => {}
            Err(LinkError::Store(e)) => return Err(e),
            Err(e) => refused.push((account, e)),
        }
    }
    Ok(refused)
}

/// Remove the audit entries from before `cutoff`, `batch` (at least one)
/// at a time; how many were removed. Each round removes a full batch or
/// ends the loop, so it ends.
pub(super) async fn prune_audit<R: Records>(
    records: &R,
    cutoff: DateTime<Utc>,
    batch: usize,
) -> Result<usize, StoreError> {
    let batch = batch.max(1);
    let mut removed = 0;
    loop {
        let n = records.prune_audit_batch(cutoff, batch).await?;
        removed += n;
        if n < batch {
            return Ok(removed);
        }
    }
}

/// Change the user's notification state by compare-and-swap, read again
/// and retried (at most [`CAS_TRIES`] times) when it changed in between.
pub(super) async fn update_notify_state<R, F>(
    records: &R,
    discord_id: u64,
    mut change: F,
) -> Result<Option<NotifyState>, StoreError>
where
    R: Records,
    F: FnMut(Option<NotifyState>) -> Option<NotifyState> + Send,
{
    for _ in 0..CAS_TRIES {
        let old = records.notify_record(discord_id).await?;
        let current = old
            .as_deref()
            .map(|v| record::decode("notification state", v))
            .transpose()?;
        let was = DueIndex::of(current.as_ref());
        let Some(new) = change(current) else {
            return Ok(None);
        };
        let due = DueIndex::of(Some(&new));
        if records
            .swap_notify_record(discord_id, old, record::encode(&new)?, was, due)
            .await?
        {
            return Ok(Some(new));
        }
    }
    Err(kept_changing("notification state"))
}

#[cfg(test)]
mod tests {
    //! The rules against a backend that always loses the race: the loops
    //! end, and say so.

    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::store::LinkMethod;

    #[derive(Default)]
    struct Losing {
        swaps: AtomicUsize,
    }

    impl Records for Losing {
        async fn account(&self, _: u64) -> Result<Option<Account>, StoreError> {
            Ok(None)
        }
        async fn email_owner(&self, _: &str) -> Result<Option<u64>, StoreError> {
            Ok(None)
        }
        async fn swap_account(&self, _: &Account, _: Option<&Account>) -> Result<bool, StoreError> {
            self.swaps.fetch_add(1, Ordering::Relaxed);
            Ok(false)
        }
        async fn write_import(
            &self,
            accounts: Vec<Account>,
            _: Vec<AuditEntry>,
        ) -> Result<Vec<Account>, StoreError> {
            Ok(accounts)
        }
        async fn prune_audit_batch(&self, _: DateTime<Utc>, _: usize) -> Result<usize, StoreError> {
            Ok(0)
        }
        async fn notify_record(&self, _: u64) -> Result<Option<Vec<u8>>, StoreError> {
            Ok(None)
        }
        async fn swap_notify_record(
            &self,
            _: u64,
            _: Option<Vec<u8>>,
            _: Vec<u8>,
            _: DueIndex,
            _: DueIndex,
        ) -> Result<bool, StoreError> {
            self.swaps.fetch_add(1, Ordering::Relaxed);
            Ok(false)
        }
    }

    fn account() -> Account {
        Account {
            discord_id: 1,
            email: " Kim@Example.com".into(),
            name: "Kim".into(),
            comake_client_id: "c1".into(),
            linked_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            linked_by: 1,
            method: LinkMethod::Admin,
        }
    }

    #[tokio::test]
    async fn compare_and_swap_gives_up_after_a_bounded_number_of_tries() {
        let losing = Losing::default();
        let result = update_notify_state(&losing, 1, |_| Some(NotifyState::default())).await;
        assert!(matches!(result, Err(StoreError::Io(m)) if m.contains("kept changing")));
        assert_eq!(losing.swaps.load(Ordering::Relaxed), CAS_TRIES);

        let losing = Losing::default();
        let result = link(&losing, account(), false).await;
        assert!(matches!(result, Err(LinkError::Store(StoreError::Io(_)))));
        assert_eq!(losing.swaps.load(Ordering::Relaxed), CAS_TRIES);
    }

    #[tokio::test]
    async fn an_import_plan_refuses_what_the_import_itself_conflicts_with() {
        let losing = Losing::default();
        let mut twin = account();
        twin.discord_id = 2;
        let mut again = account();
        again.email = "other@example.com".into();
        let (write, refused) =
            import_plan(&losing, vec![account(), twin, again.clone(), account()])
                .await
                .unwrap();
        assert_eq!(write.len(), 1);
        assert_eq!(write[0].email, "kim@example.com", "normalized");
        assert!(matches!(
            refused.as_slice(),
            [
                (_, LinkError::EmailTaken { owner: 1 }),
                (_, LinkError::AlreadyLinked { email }),
            ] if email == "kim@example.com"
        ));
    }
}
