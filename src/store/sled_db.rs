//! The embedded records backend: sled, one process. Every write is on disk before it returns; the rules it follows are [`super::rules`]'s.
//!
//! Trees:
//! - `accounts`: Discord user id (u64, big-endian) → [`Account`] record.
//! - `emails`: normalized email → Discord user id; one Discord account per email.
//! - `audit`: (micros since epoch, sequence) big-endian → [`AuditEntry`] record.
//! - `audit_by_user`: (Discord user id, audit key) → empty; the per-user index.
//! - `kv`: `notify/<Discord id>` (big-endian) → [`NotifyState`], what the notification
//!   watcher last saw; `card/<contract id>` → [`Card`], a shared status card;
//!   `msgs/<contract id>` → [`SigneeMessages`], the signees' request messages.
//!   `board/<owner>/<channel>` (big-endian) → [`Board`], a shared team board.
//!   `nudge/…` and `remind/…`, written through the `kv_*` helpers by
//!   [`super::nudges`].
//!   `meta/due-index` once the two trees below were built for a store from before them.
//! - `notify_due`: (next read, micros since 1970; Discord id) big-endian → empty: the
//!   people the watcher reads, in the order they are due (a linked person with no
//!   state yet at 0). Written in the same transaction as the state it indexes.
//! - `notify_digest`: Discord id → empty: the people who want a digest.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

mod due;

use super::notify::DueIndex;
use super::rules::Records;
use super::{
    record, Account, AuditCursor, AuditEntry, Board, Card, NotifyState, SigneeMessages, StoreError,
};

/// How long `open` waits for another holder of the store to let go.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// sled's page cache (its default is 1 GiB): the working set (the people
/// using commands now) is small; a page outside it is read back from the
/// file (the OS's cache) in tens of µs. 16 MiB held every page of a
/// 100,000-account store and cost about 4 MiB more RSS than this.
const CACHE_BYTES: u64 = 4 * 1024 * 1024;

const ACCOUNTS: &str = "accounts";
const EMAILS: &str = "emails";
const AUDIT: &str = "audit";
const AUDIT_BY_USER: &str = "audit_by_user";
const KV: &str = "kv";
const NOTIFY_DUE: &str = "notify_due";
const NOTIFY_DIGEST: &str = "notify_digest";
/// Set once the due index is built (stores from before it get it at open).
const DUE_INDEX_BUILT: &[u8] = b"meta/due-index";
use due::due_key;

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        match e {
            sled::Error::Corruption { .. } => StoreError::Corrupt(e.to_string()),
            other => StoreError::Io(other.to_string()),
        }
    }
}

/// `kv` keys with their records.
pub(super) type KeyedRecords = Vec<(Vec<u8>, Vec<u8>)>;

/// The sled backend. Cheap to clone; every clone is the same database.
#[derive(Clone)]
pub(crate) struct SledStore {
    inner: Arc<Inner>,
}

struct Inner {
    db: sled::Db,
    accounts: sled::Tree,
    emails: sled::Tree,
    audit: sled::Tree,
    audit_by_user: sled::Tree,
    kv: sled::Tree,
    due: sled::Tree,
    digests: sled::Tree,
}

impl SledStore {
    /// Open (or create) the store at `path`. If another handle holds it,
    /// wait up to 2 s for it to be released, then report it as locked.
    pub(crate) fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let open_err = |reason: String| StoreError::Open {
            path: path.clone(),
            reason,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| open_err(e.to_string()))?;
        }
        // sled releases its file lock from a background thread after the
        // last handle is dropped, and a restarted bot may start while the old
        // one is still exiting: wait a moment for the lock before giving up.
        let waiting_since = std::time::Instant::now();
        let db = loop {
            // sled may panic on some damaged files instead of returning an error.
            let opened = std::panic::catch_unwind(|| {
                sled::Config::new()
                    .path(&path)
                    .cache_capacity(CACHE_BYTES)
                    .open()
            });
            match opened {
                Ok(Ok(db)) => break db,
                Ok(Err(e)) if e.to_string().contains("could not acquire lock") => {
                    if waiting_since.elapsed() >= LOCK_WAIT {
                        return Err(StoreError::Locked { path });
                    }
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                Ok(Err(e)) => return Err(open_err(e.to_string())),
                Err(_) => return Err(open_err("the files are damaged".into())),
            }
        };
        let tree = |name: &str| db.open_tree(name).map_err(|e| open_err(e.to_string()));
        let store = Self {
            inner: Arc::new(Inner {
                accounts: tree(ACCOUNTS)?,
                emails: tree(EMAILS)?,
                audit: tree(AUDIT)?,
                audit_by_user: tree(AUDIT_BY_USER)?,
                kv: tree(KV)?,
                due: tree(NOTIFY_DUE)?,
                digests: tree(NOTIFY_DIGEST)?,
                db,
            }),
        };
        // Read every account once: a damaged record is reported now, not
        // when its owner next runs a command.
        store
            .inner
            .accounts
            .iter()
            .try_for_each(|item| -> Result<(), StoreError> {
                let (_, v) = item?;
                record::decode_account(&v).map(|_| ())
            })
            .map_err(|e| open_err(e.to_string()))?;
        store
            .inner
            .build_due_index()
            .map_err(|e| open_err(e.to_string()))?;
        Ok(store)
    }

    /// Run blocking store work off the async threads.
    async fn blocking<T, E>(
        &self,
        work: impl FnOnce(&Inner) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || work(&inner))
            .await
            .map_err(|e| E::from(StoreError::Io(format!("store task failed: {e}"))))?
    }

    /// Wait until everything written so far is on disk.
    pub(crate) async fn flush(&self) -> Result<(), StoreError> {
        self.blocking(|inner| inner.flush()).await
    }

    // ----- accounts -----

    /// Remove the Discord account's link; returns what was removed.
    pub(crate) async fn unlink(&self, discord_id: u64) -> Result<Option<Account>, StoreError> {
        self.blocking(move |inner| inner.unlink(discord_id)).await
    }

    /// The account `email` (normalized) is linked to.
    pub(crate) async fn account_by_email(
        &self,
        email: &str,
    ) -> Result<Option<Account>, StoreError> {
        match self.inner.email_owner(email)? {
            Some(id) => self.inner.account(id),
            None => Ok(None),
        }
    }

    /// Accounts in Discord-id order, starting after `after`.
    pub(crate) async fn accounts(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Account>, StoreError> {
        let start = after.map_or(0, |a| a.saturating_add(1));
        let mut out = Vec::new();
        if after == Some(u64::MAX) {
            return Ok(out);
        }
        for item in self.inner.accounts.range(start.to_be_bytes()..).take(limit) {
            let (_, v) = item?;
            out.push(record::decode_account(&v)?);
        }
        Ok(out)
    }

    pub(crate) async fn account_count(&self) -> Result<usize, StoreError> {
        Ok(self.inner.accounts.len())
    }

    // ----- audit -----

    /// Append several entries to the audit log, durably, with one flush.
    pub(crate) async fn audit_batch(&self, entries: Vec<AuditEntry>) -> Result<(), StoreError> {
        self.blocking(move |inner| {
            for entry in &entries {
                inner.append_audit(entry)?;
            }
            inner.flush()
        })
        .await
    }

    /// The newest `n` entries, newest first; only `user`'s when given.
    pub(crate) async fn audit_newest(
        &self,
        n: usize,
        user: Option<u64>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let inner = &self.inner;
        let mut out = Vec::with_capacity(n.min(1000));
        match user {
            None => {
                for item in inner.audit.iter().rev().take(n) {
                    let (_, v) = item?;
                    out.push(record::decode("audit", &v)?);
                }
            }
            Some(user) => {
                for item in inner
                    .audit_by_user
                    .scan_prefix(user.to_be_bytes())
                    .rev()
                    .take(n)
                {
                    let (k, _) = item?;
                    let Some(audit_key) = k.get(8..) else {
                        continue;
                    };
                    if let Some(v) = inner.audit.get(audit_key)? {
                        out.push(record::decode("audit", &v)?);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Up to `limit` audit entries, oldest first, after `cursor` (for
    /// export); with the cursor to pass next.
    pub(crate) async fn audit_page(
        &self,
        cursor: Option<AuditCursor>,
        limit: usize,
    ) -> Result<(Vec<AuditEntry>, Option<AuditCursor>), StoreError> {
        let start = cursor.map(|c| c.0).unwrap_or_default();
        let mut out = Vec::new();
        let mut last = None;
        for item in self
            .inner
            .audit
            .range(start.clone()..)
            .filter(|i| {
                i.as_ref()
                    .map_or(true, |(k, _)| k.as_ref() != start.as_slice())
            })
            .take(limit)
        {
            let (k, v) = item?;
            out.push(record::decode("audit", &v)?);
            last = Some(AuditCursor(k.to_vec()));
        }
        Ok((out, last))
    }

    /// Whether the store answers a read.
    pub(crate) async fn is_healthy(&self) -> bool {
        self.inner.kv.get(b"health").is_ok()
    }

    // ----- notification state -----

    fn notify_key(discord_id: u64) -> Vec<u8> {
        let mut key = b"notify/".to_vec();
        key.extend_from_slice(&discord_id.to_be_bytes());
        key
    }

    /// The user's notification state (`None` before the first read).
    pub(crate) async fn notify_state(
        &self,
        discord_id: u64,
    ) -> Result<Option<NotifyState>, StoreError> {
        self.inner
            .kv
            .get(Self::notify_key(discord_id))?
            .map(|v| record::decode("notification state", &v))
            .transpose()
    }

    fn messages_key(contract: &str) -> Vec<u8> {
        format!("msgs/{contract}").into_bytes()
    }

    pub(crate) async fn put_signee_messages(
        &self,
        messages: SigneeMessages,
    ) -> Result<(), StoreError> {
        self.blocking(move |inner| {
            inner.kv.insert(
                Self::messages_key(&messages.contract),
                record::encode(&messages)?,
            )?;
            inner.flush()
        })
        .await
    }

    pub(crate) async fn signee_messages(
        &self,
        contract: &str,
    ) -> Result<Option<SigneeMessages>, StoreError> {
        self.inner
            .kv
            .get(Self::messages_key(contract))?
            .map(|v| record::decode("signee messages", &v))
            .transpose()
    }

    pub(crate) async fn forget_signee_messages(&self, contract: &str) -> Result<(), StoreError> {
        let key = Self::messages_key(contract);
        self.blocking(move |inner| {
            if inner.kv.remove(key)?.is_some() {
                inner.flush()?;
            }
            Ok(())
        })
        .await
    }

    fn card_key(contract: &str) -> Vec<u8> {
        format!("card/{contract}").into_bytes()
    }

    pub(crate) async fn put_card(&self, card: Card) -> Result<(), StoreError> {
        self.blocking(move |inner| {
            inner
                .kv
                .insert(Self::card_key(&card.contract), record::encode(&card)?)?;
            inner.flush()
        })
        .await
    }

    pub(crate) async fn card(&self, contract: &str) -> Result<Option<Card>, StoreError> {
        self.inner
            .kv
            .get(Self::card_key(contract))?
            .map(|v| record::decode("card", &v))
            .transpose()
    }

    pub(crate) async fn all_cards(&self) -> Result<Vec<Card>, StoreError> {
        self.inner
            .kv
            .scan_prefix(b"card/")
            .map(|item| {
                let (_, v) = item?;
                record::decode("card", &v)
            })
            .collect()
    }

    pub(crate) async fn remove_card(&self, contract: &str) -> Result<Option<Card>, StoreError> {
        let key = Self::card_key(contract);
        self.blocking(move |inner| {
            let old = inner.kv.remove(key)?;
            inner.flush()?;
            old.map(|v| record::decode("card", &v)).transpose()
        })
        .await
    }
    fn board_key(owner: u64, channel: u64) -> Vec<u8> {
        let mut key = b"board/".to_vec();
        key.extend_from_slice(&owner.to_be_bytes());
        key.push(b'/');
        key.extend_from_slice(&channel.to_be_bytes());
        key
    }

    pub(crate) async fn put_board(&self, board: Board) -> Result<(), StoreError> {
        self.blocking(move |inner| {
            inner.kv.insert(
                Self::board_key(board.owner, board.channel),
                record::encode(&board)?,
            )?;
            inner.flush()
        })
        .await
    }

    pub(crate) async fn board(
        &self,
        owner: u64,
        channel: u64,
    ) -> Result<Option<Board>, StoreError> {
        self.inner
            .kv
            .get(Self::board_key(owner, channel))?
            .map(|v| record::decode("board", &v))
            .transpose()
    }

    pub(crate) async fn all_boards(&self) -> Result<Vec<Board>, StoreError> {
        self.inner
            .kv
            .scan_prefix(b"board/")
            .map(|item| {
                let (_, v) = item?;
                record::decode("board", &v)
            })
            .collect()
    }

    pub(crate) async fn remove_board(
        &self,
        owner: u64,
        channel: u64,
    ) -> Result<Option<Board>, StoreError> {
        let key = Self::board_key(owner, channel);
        self.blocking(move |inner| {
            let old = inner.kv.remove(key)?;
            inner.flush()?;
            old.map(|v| record::decode("board", &v)).transpose()
        })
        .await
    }

    /// The `kv` record under `key`.
    pub(super) fn kv_get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.inner.kv.get(key)?.map(|v| v.to_vec()))
    }

    /// Every `kv` record under `prefix`.
    pub(super) fn kv_scan(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        self.inner
            .kv
            .scan_prefix(prefix)
            .map(|item| Ok(item?.1.to_vec()))
            .collect()
    }

    /// Every `kv` key and record under `prefix`.
    pub(super) fn kv_scan_keyed(&self, prefix: &[u8]) -> Result<KeyedRecords, StoreError> {
        self.inner
            .kv
            .scan_prefix(prefix)
            .map(|item| {
                let (k, v) = item?;
                Ok((k.to_vec(), v.to_vec()))
            })
            .collect()
    }

    /// Change the `kv` record under `key` atomically (`change` may run more
    /// than once; `None` removes it), durably; what was there before.
    pub(super) async fn kv_update(
        &self,
        key: Vec<u8>,
        change: impl FnMut(Option<&[u8]>) -> Option<Vec<u8>> + Send + 'static,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        self.blocking(move |inner| {
            let old = inner.kv.fetch_and_update(key, change)?;
            inner.flush()?;
            Ok(old.map(|v| v.to_vec()))
        })
        .await
    }

    /// Remove the user's notification state, durably.
    pub(crate) async fn forget_notify_state(&self, discord_id: u64) -> Result<(), StoreError> {
        self.blocking(move |inner| {
            inner.drop_notify_state(discord_id)?;
            inner.flush()
        })
        .await
    }
}

fn be_u64(bytes: &[u8]) -> Result<u64, StoreError> {
    let arr: [u8; 8] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("an index entry is not a Discord id".into()))?;
    Ok(u64::from_be_bytes(arr))
}

fn tx_error(e: TransactionError<StoreError>) -> StoreError {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => e.into(),
    }
}

impl Records for SledStore {
    async fn account(&self, discord_id: u64) -> Result<Option<Account>, StoreError> {
        self.inner.account(discord_id)
    }

    async fn email_owner(&self, email: &str) -> Result<Option<u64>, StoreError> {
        self.inner.email_owner(email)
    }

    async fn swap_account(
        &self,
        account: &Account,
        old: Option<&Account>,
    ) -> Result<bool, StoreError> {
        let (account, old) = (account.clone(), old.cloned());
        self.blocking(move |inner| {
            let written = inner.swap_account(&account, old.as_ref())?;
            if written {
                inner.flush()?;
            }
            Ok(written)
        })
        .await
    }

    async fn write_import(
        &self,
        accounts: Vec<Account>,
        audit: Vec<AuditEntry>,
    ) -> Result<Vec<Account>, StoreError> {
        self.blocking(move |inner| {
            let mut unwritten = Vec::new();
            for account in accounts {
                if !inner.swap_account(&account, None)? {
                    unwritten.push(account);
                }
            }
            for entry in &audit {
                if !inner.has_audit(entry)? {
                    inner.append_audit(entry)?;
                }
            }
            // Once for the whole import.
            inner.flush()?;
            Ok(unwritten)
        })
        .await
    }

    async fn prune_audit_batch(
        &self,
        cutoff: DateTime<Utc>,
        batch: usize,
    ) -> Result<usize, StoreError> {
        let below = (cutoff.timestamp_micros().max(0) as u64).to_be_bytes();
        self.blocking(move |inner| {
            let mut audit = sled::Batch::default();
            let mut by_user = sled::Batch::default();
            let mut n = 0;
            for item in inner.audit.range(..below.to_vec()).take(batch) {
                let (key, value) = item?;
                let entry: AuditEntry = record::decode("audit", &value)?;
                let mut index = entry.discord_user.to_be_bytes().to_vec();
                index.extend_from_slice(&key);
                audit.remove(key);
                by_user.remove(index);
                n += 1;
            }
            inner.audit.apply_batch(audit)?;
            inner.audit_by_user.apply_batch(by_user)?;
            inner.flush()?;
            Ok(n)
        })
        .await
    }

    async fn notify_record(&self, discord_id: u64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .inner
            .kv
            .get(Self::notify_key(discord_id))?
            .map(|v| v.to_vec()))
    }

    async fn swap_notify_record(
        &self,
        discord_id: u64,
        old: Option<Vec<u8>>,
        new: Vec<u8>,
        was: DueIndex,
        due: DueIndex,
    ) -> Result<bool, StoreError> {
        self.blocking(move |inner| {
            let key = Self::notify_key(discord_id);
            let id = discord_id.to_be_bytes();
            let swapped = (&inner.kv, &inner.due, &inner.digests)
                .transaction(|(kv, due_tree, digests)| {
                    if kv.get(&key)?.as_deref() != old.as_deref() {
                        return Ok(false);
                    }
                    kv.insert(key.as_slice(), new.as_slice())?;
                    if let Some(at) = was.wake {
                        due_tree.remove(&due_key(at, discord_id))?;
                    }
                    if let Some(at) = due.wake {
                        due_tree.insert(&due_key(at, discord_id), &[])?;
                    }
                    if due.digest {
                        digests.insert(&id, &[])?;
                    } else {
                        digests.remove(&id)?;
                    }
                    Ok::<_, ConflictableTransactionError<StoreError>>(true)
                })
                .map_err(tx_error)?;
            if swapped {
                inner.flush()?;
            }
            Ok(swapped)
        })
        .await
    }
}

impl Inner {
    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    fn account(&self, discord_id: u64) -> Result<Option<Account>, StoreError> {
        self.accounts
            .get(discord_id.to_be_bytes())?
            .map(|v| record::decode_account(&v))
            .transpose()
    }

    fn email_owner(&self, email: &str) -> Result<Option<u64>, StoreError> {
        self.emails
            .get(email.as_bytes())?
            .map(|id| be_u64(&id))
            .transpose()
    }

    /// [`Records::swap_account`] in one transaction, not yet flushed.
    fn swap_account(&self, account: &Account, old: Option<&Account>) -> Result<bool, StoreError> {
        let value = record::encode_account(account)?;
        let id = account.discord_id.to_be_bytes();
        let abort = ConflictableTransactionError::Abort;
        let state_key = SledStore::notify_key(account.discord_id);
        let unread = DueIndex::UNREAD
            .wake
            .map(|at| due_key(at, account.discord_id));
        (&self.accounts, &self.emails, &self.kv, &self.due)
            .transaction(|(accounts, emails, kv, due)| {
                let current = accounts
                    .get(id)?
                    .map(|v| record::decode_account(&v))
                    .transpose()
                    .map_err(abort)?;
                if current.as_ref() != old {
                    return Ok(false);
                }
                if let Some(owner) = emails.get(account.email.as_bytes())? {
                    if be_u64(&owner).map_err(abort)? != account.discord_id {
                        return Ok(false);
                    }
                }
                if let Some(old) = old {
                    emails.remove(old.email.as_bytes())?;
                }
                accounts.insert(&id, value.clone())?;
                emails.insert(account.email.as_bytes(), &id)?;
                // Newly linked with no state yet: due at once.
                if let (None, None, Some(unread)) = (old, kv.get(&state_key)?, unread) {
                    due.insert(&unread, &[])?;
                }
                Ok(true)
            })
            .map_err(tx_error)
    }

    fn unlink(&self, discord_id: u64) -> Result<Option<Account>, StoreError> {
        let id = discord_id.to_be_bytes();
        let removed = (&self.accounts, &self.emails)
            .transaction(|(accounts, emails)| {
                let Some(old) = accounts.remove(&id)? else {
                    return Ok(None);
                };
                let old: Account =
                    record::decode_account(&old).map_err(ConflictableTransactionError::Abort)?;
                emails.remove(old.email.as_bytes())?;
                Ok(Some(old))
            })
            .map_err(tx_error)?;
        self.drop_notify_state(discord_id)?;
        self.flush()?;
        Ok(removed)
    }

    /// Whether this very entry is in the audit log already.
    fn has_audit(&self, entry: &AuditEntry) -> Result<bool, StoreError> {
        let micros = (entry.at.timestamp_micros().max(0) as u64).to_be_bytes();
        for item in self.audit.scan_prefix(micros) {
            let (_, value) = item?;
            if record::decode::<AuditEntry>("audit", &value)? == *entry {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let seq = self.db.generate_id()?;
        let micros = entry.at.timestamp_micros().max(0) as u64;
        let mut key = [0u8; 16];
        key[..8].copy_from_slice(&micros.to_be_bytes());
        key[8..].copy_from_slice(&seq.to_be_bytes());
        let mut index = [0u8; 24];
        index[..8].copy_from_slice(&entry.discord_user.to_be_bytes());
        index[8..].copy_from_slice(&key);
        let value = record::encode(entry)?;
        (&self.audit, &self.audit_by_user)
            .transaction(|(audit, by_user)| {
                audit.insert(&key, value.clone())?;
                by_user.insert(&index, &[])?;
                Ok::<_, ConflictableTransactionError<StoreError>>(())
            })
            .map_err(tx_error)
    }
}
