//! The bot's own state along its two axes: durable records (sled, embedded and the default, or PostgreSQL) and state shared between instances (this process's memory, or PostgreSQL).
//!
//! This module and its backends are the only code that knows tables, trees
//! and key layouts. The API speaks in the bot's types (Discord ids, emails,
//! [`Account`], [`AuditEntry`]).
//!
//! - Durable records: accounts and the email index, the audit log,
//!   notification state with its due index (who is read when, who wants a
//!   digest: the watcher loads only those due), status cards, team boards,
//!   nudges and reminders ([`nudges`]: one nudge per contract, colleague and
//!   day), and the signees' request messages. The rules (one email one
//!   account, link conflicts, the import plan, the bounded compare-and-swap
//!   of notification state, pruning the audit log in batches) are
//!   [`rules`], over a narrow trait that
//!   [`sled_db`] and [`postgres`] implement with their queries.
//! - Shared state ([`shared`]): pending confirmations, replayed interaction
//!   ids, counting windows (each kept until its own end) and leadership (one
//!   watcher, one gateway). With sled it stays in memory ([`memory`]) and the
//!   roles are always this process's; with PostgreSQL it is rows, the
//!   confirmations sealed under a key derived from `STATE_KEY` ([`keys`]),
//!   and a role is an advisory lock.

mod keys;
mod memory;
mod notify;
mod nudges;
mod postgres;
mod record;
mod rules;
mod shared;
mod sled_db;

pub(crate) use keys::code_key;
pub use notify::{Digest, NewsKind, NotifyState, MAX_MUTED};
pub(crate) use notify::{SeenApprover, SeenContract, SeenSignee};
pub(crate) use nudges::NUDGE_GAP;
pub use nudges::{Claim, Reminder};
pub use postgres::PgOptions;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("the store at {path} is in use by another process (is another comake-bot running?)")]
    Locked { path: PathBuf },
    #[error("the store at {path} cannot be opened: {reason}")]
    Open { path: PathBuf, reason: String },
    #[error("the store holds a damaged record: {0}")]
    Corrupt(String),
    #[error("the store failed: {0}")]
    Io(String),
}

/// Why a link was refused.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("this Comake email is already linked to another Discord account")]
    EmailTaken { owner: u64 },
    #[error("this Discord account is already linked to a Comake user")]
    AlreadyLinked { email: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How an account came to be linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkMethod {
    /// `/comake register` created a new Comake user.
    SelfRegistered,
    /// An admin linked an existing Comake user.
    Admin,
}

/// A Discord account's Comake user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub discord_id: u64,
    /// Normalized: trimmed, lower-case.
    pub email: String,
    pub name: String,
    pub comake_client_id: String,
    pub linked_at: DateTime<Utc>,
    /// The Discord user who made the link (the account itself when self-registered).
    pub linked_by: u64,
    pub method: LinkMethod,
}

/// One state-changing action, for the audit log. It holds no token, secret,
/// signee password or phone number by construction: there is no field for one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub discord_user: u64,
    pub guild: Option<u64>,
    /// What was done, e.g. `contract.request_sign`.
    pub action: String,
    pub contract: Option<String>,
    /// `ok`, `refused: …`, or `error: <error id>`.
    pub outcome: String,
}

/// Normalize an email the way the index compares them.
pub(crate) fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A contract's live status card: a public message in a channel that the
/// watcher edits as the contract moves, until it ends or is unshared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub contract: String,
    /// The sender who shared it (whose reads move it).
    pub owner: u64,
    pub channel: u64,
    pub message: u64,
    /// The language it is written in (the sharer's).
    pub locale: String,
}

/// The request messages the bot set with a contract's signees. Comake
/// takes a message with each signee but never reads it back, and setting
/// one party's signee replaces the whole list: these are re-sent with the
/// others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigneeMessages {
    pub contract: String,
    pub signees: Vec<SignedMessage>,
}

/// One signee the bot set: their party, their email and the message given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedMessage {
    pub party: u32,
    pub email: String,
    pub message: Option<String>,
}

/// A person's team board: a public message in a channel mirroring their
/// Comake dashboard (counts and contract names), edited by the watcher as
/// their box changes, until unshared. One per person per channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    /// Whose contracts it shows (the person who posted it).
    pub owner: u64,
    pub channel: u64,
    pub message: u64,
    /// The language it is written in (the poster's).
    pub locale: String,
    /// The text it was posted with (the watcher edits it only when what it
    /// would show differs).
    pub content: String,
}

/// Where to resume reading the audit log (opaque; from [`Store::audit_page`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCursor(Vec<u8>);

/// A job only one instance does at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The notification watcher.
    Watcher = 1,
    /// The Discord gateway connection (`TRANSPORT=gateway`).
    Gateway = 2,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Watcher => "watcher",
            Role::Gateway => "gateway",
        }
    }
}

/// A role held by this instance until [`Leadership::lost`] resolves.
pub struct Leadership(Option<postgres::PgLeader>);

impl Leadership {
    /// Resolves when the role is lost (never with sled: one process).
    pub async fn lost(&mut self) -> String {
        match &mut self.0 {
            Some(leader) => leader.lost().await,
            None => std::future::pending().await,
        }
    }
}

/// Which backend, with what it needs.
#[derive(Debug, Clone)]
pub enum Database {
    Sled(PathBuf),
    Postgres(PgOptions),
}

/// What a store has done since it was opened (every clone counts into the
/// same figures), for tests and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreCounts {
    /// Reads of accounts and of notification state, and writes of
    /// notification state (a change is a read, then a conditional write).
    pub queries: u64,
    /// Account and notification-state records returned.
    pub records: u64,
    /// Notification states written or removed.
    pub notify_writes: u64,
    /// Statements sent to PostgreSQL (0 with sled).
    pub statements: u64,
}

#[derive(Default)]
struct Counters {
    queries: AtomicU64,
    records: AtomicU64,
    notify_writes: AtomicU64,
}

impl Counters {
    fn query(&self, records: usize) {
        self.queries.fetch_add(1, Ordering::Relaxed);
        self.records.fetch_add(records as u64, Ordering::Relaxed);
    }
}

/// Where the durable records are.
#[derive(Clone)]
enum Durable {
    Sled(sled_db::SledStore),
    Postgres(Arc<postgres::PgStore>),
}

/// The store. Cheap to clone; every clone is the same database.
#[derive(Clone)]
pub struct Store {
    records: Durable,
    shared: shared::Shared,
    counters: Arc<Counters>,
}

/// Call the same method, or rule, on whichever durable backend this is.
macro_rules! either {
    ($self:expr, $b:ident => $call:expr) => {
        match &$self.records {
            Durable::Sled($b) => $call,
            Durable::Postgres(pg) => {
                let $b: &postgres::PgStore = pg;
                $call
            }
        }
    };
}

impl Store {
    /// Open (or create) the sled store at `path`. If another handle holds
    /// it, wait up to 2 s for it to be released, then report it as locked.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Ok(Self {
            records: Durable::Sled(sled_db::SledStore::open(path)?),
            shared: shared::Shared::Memory(Arc::default()),
            counters: Arc::default(),
        })
    }

    /// Connect to PostgreSQL and bring its schema up to date.
    pub async fn connect(options: &PgOptions) -> Result<Self, StoreError> {
        let pg = Arc::new(postgres::PgStore::connect(options).await?);
        Ok(Self {
            records: Durable::Postgres(pg.clone()),
            shared: shared::Shared::Postgres(pg),
            counters: Arc::default(),
        })
    }

    /// Open whichever backend the configuration names.
    pub async fn open_configured(database: &Database) -> Result<Self, StoreError> {
        match database {
            // At start, before anything else runs: opening on this thread
            // keeps sled's records in the allocator arena the bot then
            // reads them from (a blocking-pool thread cost 30 MiB of peak
            // RSS with 100,000 accounts).
            Database::Sled(path) => Self::open(path),
            Database::Postgres(options) => Self::connect(options).await,
        }
    }

    /// What this store has done so far.
    pub fn counts(&self) -> StoreCounts {
        let c = &self.counters;
        StoreCounts {
            queries: c.queries.load(Ordering::Relaxed),
            records: c.records.load(Ordering::Relaxed),
            notify_writes: c.notify_writes.load(Ordering::Relaxed),
            statements: match &self.records {
                Durable::Sled(_) => 0,
                Durable::Postgres(pg) => pg.statements(),
            },
        }
    }

    /// Whether several instances can share this store.
    pub fn is_shared(&self) -> bool {
        matches!(self.shared, shared::Shared::Postgres(_))
    }

    /// Wait until everything written so far is durable.
    pub(crate) async fn flush(&self) -> Result<(), StoreError> {
        match &self.records {
            Durable::Sled(db) => db.flush().await,
            Durable::Postgres(_) => Ok(()),
        }
    }

    // ----- accounts -----

    /// Link a Discord account to a Comake user. With `replace`, an existing
    /// link of this Discord account is replaced (admins); the email must be
    /// free either way.
    pub async fn link(&self, account: Account, replace: bool) -> Result<Account, LinkError> {
        either!(self, b => rules::link(b, account, replace).await)
    }

    /// Remove the Discord account's link (and its notification state);
    /// returns what was removed.
    pub async fn unlink(&self, discord_id: u64) -> Result<Option<Account>, StoreError> {
        either!(self, b => b.unlink(discord_id).await)
    }

    pub async fn account(&self, discord_id: u64) -> Result<Option<Account>, StoreError> {
        let found = either!(self, b => rules::Records::account(b, discord_id).await)?;
        self.counters.query(usize::from(found.is_some()));
        Ok(found)
    }

    /// The account linked to `email`, compared the way the index compares.
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let email = normalize_email(email);
        let found = either!(self, b => b.account_by_email(&email).await)?;
        self.counters.query(usize::from(found.is_some()));
        Ok(found)
    }

    /// Accounts in Discord-id order, starting after `after`.
    pub async fn accounts(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Account>, StoreError> {
        let page = either!(self, b => b.accounts(after, limit).await)?;
        self.counters.query(page.len());
        Ok(page)
    }

    pub async fn account_count(&self) -> Result<usize, StoreError> {
        either!(self, b => b.account_count().await)
    }

    // ----- audit -----

    /// Append to the audit log (durably).
    pub async fn audit(&self, entry: AuditEntry) -> Result<(), StoreError> {
        self.audit_batch(vec![entry]).await
    }

    /// Append several entries to the audit log, durably, at once.
    pub async fn audit_batch(&self, entries: Vec<AuditEntry>) -> Result<(), StoreError> {
        either!(self, b => b.audit_batch(entries).await)
    }

    /// The newest `n` entries, newest first; only `user`'s when given.
    pub async fn audit_newest(
        &self,
        n: usize,
        user: Option<u64>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        either!(self, b => b.audit_newest(n, user).await)
    }

    /// Remove the audit entries from before `cutoff`, `batch` at a time;
    /// how many were removed.
    pub async fn prune_audit(
        &self,
        cutoff: DateTime<Utc>,
        batch: usize,
    ) -> Result<usize, StoreError> {
        either!(self, b => rules::prune_audit(b, cutoff, batch).await)
    }

    /// Up to `limit` audit entries, oldest first, after `cursor`; with the
    /// cursor for the next page (`None` when this one is empty).
    pub async fn audit_page(
        &self,
        cursor: Option<AuditCursor>,
        limit: usize,
    ) -> Result<(Vec<AuditEntry>, Option<AuditCursor>), StoreError> {
        either!(self, b => b.audit_page(cursor, limit).await)
    }

    /// Import accounts and audit entries (a restore from `export`). Accounts
    /// whose email or Discord id is already linked elsewhere (in the store or
    /// earlier in the import) are refused and returned; then nothing at all
    /// is written unless `partial`. An identical account, or an audit entry
    /// already there, is accepted as already there, so importing twice adds
    /// nothing. Durable when it returns.
    pub async fn import(
        &self,
        accounts: Vec<Account>,
        audit: Vec<AuditEntry>,
        partial: bool,
    ) -> Result<Vec<(Account, LinkError)>, StoreError> {
        either!(self, b => rules::import(b, accounts, audit, partial).await)
    }

    /// Whether the store answers a read.
    pub(crate) async fn is_healthy(&self) -> bool {
        either!(self, b => b.is_healthy().await)
    }

    // ----- notification state -----

    /// The user's notification state (`None` before the first read).
    pub async fn notify_state(&self, discord_id: u64) -> Result<Option<NotifyState>, StoreError> {
        let found = either!(self, b => b.notify_state(discord_id).await)?;
        self.counters.query(usize::from(found.is_some()));
        Ok(found)
    }

    /// Up to `limit` linked people whose read is due by `until` (never read
    /// first, then earliest first), with their state (`None`: never read).
    /// Read by an index: no one else is read.
    pub async fn due_people(
        &self,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(Account, Option<NotifyState>)>, StoreError> {
        let due = either!(self, b => b.due_people(until, limit).await)?;
        let states = due.iter().filter(|(_, s)| s.is_some()).count();
        self.counters.query(due.len() + states);
        Ok(due)
    }

    /// Everyone linked who wants a digest, with their state.
    pub async fn digest_people(&self) -> Result<Vec<(Account, NotifyState)>, StoreError> {
        let people = either!(self, b => b.digest_people().await)?;
        self.counters.query(people.len() * 2);
        Ok(people)
    }

    /// Change the user's notification state atomically (compare-and-swap,
    /// retried on a concurrent change), durably. `change` sees the state as
    /// it is (`None`: there is none) and returns the new one, or `None` to
    /// leave it as it is. Returns the state written, if any.
    pub async fn update_notify_state<F>(
        &self,
        discord_id: u64,
        change: F,
    ) -> Result<Option<NotifyState>, StoreError>
    where
        F: FnMut(Option<NotifyState>) -> Option<NotifyState> + Send + 'static,
    {
        let written = either!(self, b => rules::update_notify_state(b, discord_id, change).await)?;
        self.counters.query(1);
        if written.is_some() {
            self.counters.query(0);
            self.counters.notify_writes.fetch_add(1, Ordering::Relaxed);
        }
        Ok(written)
    }

    /// Remove the user's notification state, durably.
    pub async fn forget_notify_state(&self, discord_id: u64) -> Result<(), StoreError> {
        either!(self, b => b.forget_notify_state(discord_id).await)?;
        self.counters.query(0);
        self.counters.notify_writes.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    // ----- short-lived shared state -----

    /// Hold `payload` for `user` under `nonce` until `expires_at`, in place
    /// of anything held there before.
    pub async fn hold(
        &self,
        nonce: &str,
        user: u64,
        payload: &[u8],
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.shared
            .hold(nonce, user, payload, expires_at, now)
            .await
    }

    /// Take what is held under `nonce` if `user` holds it and it has not
    /// expired. Only the first caller, on any instance, gets it.
    pub async fn take_held(
        &self,
        nonce: &str,
        user: u64,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        self.shared.take_held(nonce, user, now).await
    }

    /// Whether interaction `id` is seen for the first time (and now
    /// remembered until `expires_at`); `false` for a replay.
    pub async fn first_seen(
        &self,
        id: u64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.shared.first_seen(id, now, expires_at).await
    }

    /// Count one more under `key` in its fixed `window` (which starts at
    /// the first count after the last one ended); how many the window now
    /// holds across every instance, and when it started. The window is kept
    /// until its end, whatever [`Store::sweep`] is given.
    pub async fn count(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window: Duration,
    ) -> Result<(u32, DateTime<Utc>), StoreError> {
        self.shared.count(key, now, window).await
    }

    /// Whether `user` holds something live under `nonce`.
    pub async fn is_held(
        &self,
        nonce: &str,
        user: u64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.shared.is_held(nonce, user, now).await
    }

    /// Forget what has expired at `now`: confirmations and replay ids past
    /// their expiry, counting windows past their own end (an hour's window
    /// lives its hour). `_window` is no longer consulted: each window
    /// carries its length since [`Store::count`] began keeping it. Returns
    /// how many confirmations are left.
    pub async fn sweep(&self, now: DateTime<Utc>, _window: Duration) -> Result<usize, StoreError> {
        self.shared.sweep(now).await
    }

    /// How many confirmations sled's memory holds (expired or not).
    #[cfg(test)]
    pub(crate) fn held_in_memory(&self) -> usize {
        self.shared.held_in_memory()
    }

    // ----- status cards -----

    /// Keep `card` (in place of any card of the same contract).
    pub async fn put_card(&self, card: Card) -> Result<(), StoreError> {
        either!(self, b => b.put_card(card).await)
    }

    /// The card of `contract`, if it is shared.
    pub async fn card(&self, contract: &str) -> Result<Option<Card>, StoreError> {
        either!(self, b => b.card(contract).await)
    }

    /// Every card kept, by contract.
    pub async fn all_cards(&self) -> Result<Vec<Card>, StoreError> {
        either!(self, b => b.all_cards().await)
    }

    /// Stop keeping the card of `contract`; what was kept.
    pub async fn remove_card(&self, contract: &str) -> Result<Option<Card>, StoreError> {
        either!(self, b => b.remove_card(contract).await)
    }

    // ----- signees' request messages -----

    /// Keep the messages the bot set with `messages.contract`'s signees
    /// (in place of those kept before), durably.
    pub async fn put_signee_messages(&self, messages: SigneeMessages) -> Result<(), StoreError> {
        either!(self, b => b.put_signee_messages(messages).await)
    }

    /// The messages the bot last set with `contract`'s signees.
    pub async fn signee_messages(
        &self,
        contract: &str,
    ) -> Result<Option<SigneeMessages>, StoreError> {
        either!(self, b => b.signee_messages(contract).await)
    }

    /// Stop keeping `contract`'s messages: it was deleted or completed, so
    /// its signees can no longer be set.
    pub async fn forget_signee_messages(&self, contract: &str) -> Result<(), StoreError> {
        either!(self, b => b.forget_signee_messages(contract).await)
    }

    // ----- team boards -----

    /// Keep `board` (in place of the owner's board in the same channel).
    pub async fn put_board(&self, board: Board) -> Result<(), StoreError> {
        either!(self, b => b.put_board(board).await)
    }

    /// `owner`'s board in `channel`, if there is one.
    pub async fn board(&self, owner: u64, channel: u64) -> Result<Option<Board>, StoreError> {
        either!(self, b => b.board(owner, channel).await)
    }

    /// Every board kept.
    pub async fn all_boards(&self) -> Result<Vec<Board>, StoreError> {
        either!(self, b => b.all_boards().await)
    }

    /// Stop keeping `owner`'s board in `channel`; what was kept.
    pub async fn remove_board(
        &self,
        owner: u64,
        channel: u64,
    ) -> Result<Option<Board>, StoreError> {
        either!(self, b => b.remove_board(owner, channel).await)
    }

    // ----- leadership -----

    /// Take `role` if no other instance holds it; `None` when one does.
    pub async fn lead(&self, role: Role) -> Result<Option<Leadership>, StoreError> {
        self.shared.lead(role).await
    }
}
