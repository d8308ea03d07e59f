//! The shared backend: PostgreSQL, for several instances on one database. Migrations ship in the binary and run at start under an advisory lock.
//!
//! Records are the same versioned JSON as sled's ([`super::record`]);
//! pending confirmations are sealed with AES-256-GCM under `STATE_KEY`.

use std::collections::HashMap;
use std::time::Duration;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use secrecy::{ExposeSecret, SecretString};
use tokio_postgres::error::SqlState;
use tokio_postgres::Row;

use super::{
    normalize_email, record, Account, AuditCursor, AuditEntry, Card, LinkError, NotifyState, Role,
    StoreError,
};

/// The schema, in order; each runs once, recorded in `schema_migrations`.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("postgres/0001_init.sql")),
    (2, include_str!("postgres/0002_cards.sql")),
];

/// How long to wait for a connection (from the pool, or a new one).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A bounded number of tries for an optimistic update that keeps losing.
const CAS_TRIES: usize = 64;

/// What the PostgreSQL backend needs.
#[derive(Clone)]
pub struct PgOptions {
    /// `postgres://user:pass@host/db`: holds a password, so a secret.
    pub url: SecretString,
    pub max_connections: usize,
    /// 32 bytes that seal pending confirmations.
    pub state_key: std::sync::Arc<secrecy::SecretVec<u8>>,
}

impl std::fmt::Debug for PgOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgOptions")
            .field("url", &"[redacted]")
            .field("max_connections", &self.max_connections)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub(crate) struct PgStore {
    pool: Pool,
    config: tokio_postgres::Config,
    cipher: Aes256Gcm,
    /// Advisory-lock keys, derived from the schema so that two deployments
    /// (or two tests) sharing one database do not share leaders.
    lock_base: i64,
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn db(e: tokio_postgres::Error) -> StoreError {
    // Never the query's parameters: only what PostgreSQL said.
    match e.as_db_error() {
        Some(d) => StoreError::Io(format!("{}: {}", d.code().code(), d.message())),
        None => unavailable(e),
    }
}

fn id(discord_id: u64) -> i64 {
    discord_id as i64
}

/// TLS for `sslmode=require` (and `prefer`), with the web's root
/// certificates, through ring as every other TLS client here.
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, StoreError> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| StoreError::Io(format!("TLS setup: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

impl PgStore {
    /// Connect, apply the migrations this build knows, and check the key.
    pub(crate) async fn connect(options: &PgOptions) -> Result<Self, StoreError> {
        let mut config: tokio_postgres::Config =
            options
                .url
                .expose_secret()
                .parse()
                .map_err(|_| StoreError::Open {
                    path: "DATABASE_URL".into(),
                    reason: "not a postgres:// URL".into(),
                })?;
        config.connect_timeout(CONNECT_TIMEOUT);
        // TLS when asked for (the configuration insists on it for any host
        // but a loopback one or a socket); "prefer" would try TLS against a
        // local server's self-signed certificate and fail.
        if config.get_ssl_mode() != tokio_postgres::config::SslMode::Require {
            config.ssl_mode(tokio_postgres::config::SslMode::Disable);
        }
        config.keepalives_idle(Duration::from_secs(30));
        config.application_name("comake-bot");
        let key: [u8; 32] = options
            .state_key
            .expose_secret()
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::Open {
                path: "STATE_KEY".into(),
                reason: "must be 32 bytes, base64".into(),
            })?;
        let cipher = Aes256Gcm::new(&key.into());
        let manager = Manager::from_config(
            config.clone(),
            tls()?,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.max_connections.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(CONNECT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(unavailable)?;
        let mut store = Self {
            pool,
            config,
            cipher,
            lock_base: 0,
        };
        store.migrate().await?;
        let client = store.client().await?;
        let schema: String = client
            .query_one("SELECT current_schema()::text", &[])
            .await
            .map_err(db)?
            .get(0);
        store.lock_base = lock_key(&schema);
        Ok(store)
    }

    async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        self.pool.get().await.map_err(unavailable)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        // One instance migrates; the others wait here, then find it done.
        tx.execute("SELECT pg_advisory_xact_lock(7236501)", &[])
            .await
            .map_err(db)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)",
        )
        .await
        .map_err(db)?;
        let done: Vec<i32> = tx
            .query("SELECT version FROM schema_migrations", &[])
            .await
            .map_err(db)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if let Some(newer) = done
            .iter()
            .find(|v| !MIGRATIONS.iter().any(|(m, _)| m == *v))
        {
            return Err(StoreError::Corrupt(format!(
                "the database has schema version {newer}, newer than this build knows"
            )));
        }
        for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| !done.contains(v)) {
            tx.batch_execute(sql).await.map_err(db)?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[version],
            )
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    // ----- accounts -----

    pub(crate) async fn link(
        &self,
        mut account: Account,
        replace: bool,
    ) -> Result<Account, LinkError> {
        account.email = normalize_email(&account.email);
        let value = record::encode(&account)?;
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let owner = tx
            .query_opt(
                "SELECT discord_id FROM accounts WHERE email = $1 FOR UPDATE",
                &[&account.email],
            )
            .await
            .map_err(db)?
            .map(|r| r.get::<_, i64>(0) as u64);
        if let Some(owner) = owner.filter(|o| *o != account.discord_id) {
            return Err(LinkError::EmailTaken { owner });
        }
        let old = tx
            .query_opt(
                "SELECT record FROM accounts WHERE discord_id = $1 FOR UPDATE",
                &[&id(account.discord_id)],
            )
            .await
            .map_err(db)?;
        if let Some(old) = old {
            let old: Account = record::decode("account", old.get(0))?;
            if !replace {
                return Err(LinkError::AlreadyLinked { email: old.email });
            }
            tx.execute(
                "UPDATE accounts SET email = $2, record = $3 WHERE discord_id = $1",
                &[&id(account.discord_id), &account.email, &value],
            )
            .await
            .map_err(|e| self.link_conflict(e))?;
        } else {
            tx.execute(
                "INSERT INTO accounts (discord_id, email, record) VALUES ($1, $2, $3)",
                &[&id(account.discord_id), &account.email, &value],
            )
            .await
            .map_err(|e| self.link_conflict(e))?;
        }
        match tx.commit().await {
            Ok(()) => Ok(account),
            Err(e) => Err(self.link_conflict(e)),
        }
    }

    /// Two instances linking at once: the unique constraints decide, and
    /// the loser is told who won.
    fn link_conflict(&self, e: tokio_postgres::Error) -> LinkError {
        match e.as_db_error() {
            Some(d) if d.code() == &SqlState::UNIQUE_VIOLATION => {
                if d.constraint() == Some("accounts_pkey") {
                    LinkError::AlreadyLinked {
                        email: String::new(),
                    }
                } else {
                    LinkError::EmailTaken { owner: 0 }
                }
            }
            _ => LinkError::Store(db(e)),
        }
    }

    pub(crate) async fn unlink(&self, discord_id: u64) -> Result<Option<Account>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let old = tx
            .query_opt(
                "DELETE FROM accounts WHERE discord_id = $1 RETURNING record",
                &[&id(discord_id)],
            )
            .await
            .map_err(db)?;
        tx.execute(
            "DELETE FROM notify_state WHERE discord_id = $1",
            &[&id(discord_id)],
        )
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        old.map(|r| record::decode("account", r.get(0))).transpose()
    }

    pub(crate) async fn account(&self, discord_id: u64) -> Result<Option<Account>, StoreError> {
        self.client()
            .await?
            .query_opt(
                "SELECT record FROM accounts WHERE discord_id = $1",
                &[&id(discord_id)],
            )
            .await
            .map_err(db)?
            .map(|r| record::decode("account", r.get(0)))
            .transpose()
    }

    pub(crate) async fn account_by_email(
        &self,
        email: &str,
    ) -> Result<Option<Account>, StoreError> {
        self.client()
            .await?
            .query_opt(
                "SELECT record FROM accounts WHERE email = $1",
                &[&normalize_email(email)],
            )
            .await
            .map_err(db)?
            .map(|r| record::decode("account", r.get(0)))
            .transpose()
    }

    pub(crate) async fn accounts(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Account>, StoreError> {
        if after == Some(u64::MAX) {
            return Ok(Vec::new());
        }
        let after = after.map_or(-1, id);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.client()
            .await?
            .query(
                "SELECT record FROM accounts WHERE discord_id > $1 ORDER BY discord_id LIMIT $2",
                &[&after, &limit],
            )
            .await
            .map_err(db)?
            .iter()
            .map(|r| record::decode("account", r.get(0)))
            .collect()
    }

    pub(crate) async fn account_count(&self) -> Result<usize, StoreError> {
        let n: i64 = self
            .client()
            .await?
            .query_one("SELECT count(*) FROM accounts", &[])
            .await
            .map_err(db)?
            .get(0);
        Ok(usize::try_from(n).unwrap_or_default())
    }

    // ----- audit -----

    pub(crate) async fn audit_batch(&self, entries: Vec<AuditEntry>) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        for entry in &entries {
            append_audit(&tx, entry).await?;
        }
        tx.commit().await.map_err(db)
    }

    pub(crate) async fn audit_newest(
        &self,
        n: usize,
        user: Option<u64>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        let client = self.client().await?;
        let rows = match user {
            None => {
                client
                    .query(
                        "SELECT record FROM audit ORDER BY at DESC, seq DESC LIMIT $1",
                        &[&n],
                    )
                    .await
            }
            Some(user) => {
                client
                    .query(
                        "SELECT record FROM audit WHERE discord_user = $1 \
                     ORDER BY at DESC, seq DESC LIMIT $2",
                        &[&id(user), &n],
                    )
                    .await
            }
        }
        .map_err(db)?;
        rows.iter()
            .map(|r| record::decode("audit", r.get(0)))
            .collect()
    }

    pub(crate) async fn prune_audit(
        &self,
        cutoff: DateTime<Utc>,
        batch: usize,
    ) -> Result<usize, StoreError> {
        let batch = i64::try_from(batch.max(1)).unwrap_or(i64::MAX);
        let mut removed = 0;
        loop {
            let n = self
                .client()
                .await?
                .execute(
                    "DELETE FROM audit WHERE seq IN \
                     (SELECT seq FROM audit WHERE at < $1 ORDER BY at, seq LIMIT $2)",
                    &[&cutoff, &batch],
                )
                .await
                .map_err(db)?;
            removed += usize::try_from(n).unwrap_or_default();
            if (n as i64) < batch {
                return Ok(removed);
            }
        }
    }

    pub(crate) async fn audit_page(
        &self,
        cursor: Option<AuditCursor>,
        limit: usize,
    ) -> Result<(Vec<AuditEntry>, Option<AuditCursor>), StoreError> {
        let (at, seq) = match cursor.as_ref().map(|c| c.0.as_slice()) {
            Some(bytes) if bytes.len() == 16 => {
                let micros = i64::from_be_bytes(bytes[..8].try_into().unwrap_or_default());
                let seq = i64::from_be_bytes(bytes[8..].try_into().unwrap_or_default());
                (
                    DateTime::from_timestamp_micros(micros).unwrap_or_default(),
                    seq,
                )
            }
            // Year 1: before any entry, and within PostgreSQL's range.
            _ => (
                DateTime::from_timestamp(-62_135_596_800, 0).unwrap_or_default(),
                -1,
            ),
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .client()
            .await?
            .query(
                "SELECT record, at, seq FROM audit WHERE (at, seq) > ($1, $2) \
                 ORDER BY at, seq LIMIT $3",
                &[&at, &seq, &limit],
            )
            .await
            .map_err(db)?;
        let mut out = Vec::with_capacity(rows.len());
        let mut next = None;
        for row in &rows {
            out.push(record::decode("audit", row.get(0))?);
            let at: DateTime<Utc> = row.get(1);
            let seq: i64 = row.get(2);
            let mut key = at.timestamp_micros().to_be_bytes().to_vec();
            key.extend_from_slice(&seq.to_be_bytes());
            next = Some(AuditCursor(key));
        }
        Ok((out, next))
    }

    pub(crate) async fn import(
        &self,
        accounts: Vec<Account>,
        audit: Vec<AuditEntry>,
        partial: bool,
    ) -> Result<Vec<(Account, LinkError)>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        // The same rules as linking, checked against the database and the
        // import itself, before anything is written.
        let mut by_id: HashMap<u64, Account> = HashMap::new();
        let mut by_email: HashMap<String, u64> = HashMap::new();
        let (mut write, mut refused) = (Vec::new(), Vec::new());
        for mut account in accounts {
            account.email = normalize_email(&account.email);
            let discord_id = account.discord_id;
            let existing = match by_id.get(&discord_id) {
                Some(a) => Some(a.clone()),
                None => tx
                    .query_opt(
                        "SELECT record FROM accounts WHERE discord_id = $1",
                        &[&id(discord_id)],
                    )
                    .await
                    .map_err(db)?
                    .map(|r| record::decode::<Account>("account", r.get(0)))
                    .transpose()?,
            };
            match existing {
                Some(a) if a == account => continue,
                Some(a) => {
                    refused.push((account, LinkError::AlreadyLinked { email: a.email }));
                    continue;
                }
                None => {}
            }
            let owner = match by_email.get(&account.email) {
                Some(owner) => Some(*owner),
                None => tx
                    .query_opt(
                        "SELECT discord_id FROM accounts WHERE email = $1",
                        &[&account.email],
                    )
                    .await
                    .map_err(db)?
                    .map(|r| r.get::<_, i64>(0) as u64),
            };
            if let Some(owner) = owner.filter(|o| *o != discord_id) {
                refused.push((account, LinkError::EmailTaken { owner }));
                continue;
            }
            by_email.insert(account.email.clone(), discord_id);
            by_id.insert(discord_id, account.clone());
            write.push(account);
        }
        if !refused.is_empty() && !partial {
            return Ok(refused);
        }
        for account in &write {
            tx.execute(
                "INSERT INTO accounts (discord_id, email, record) VALUES ($1, $2, $3)",
                &[
                    &id(account.discord_id),
                    &account.email,
                    &record::encode(account)?,
                ],
            )
            .await
            .map_err(db)?;
        }
        for entry in &audit {
            let value = record::encode(entry)?;
            let there = tx
                .query_opt(
                    "SELECT 1 FROM audit WHERE at = $1 AND discord_user = $2 AND record = $3",
                    &[&entry.at, &id(entry.discord_user), &value],
                )
                .await
                .map_err(db)?;
            if there.is_none() {
                append_audit(&tx, entry).await?;
            }
        }
        tx.commit().await.map_err(db)?;
        Ok(refused)
    }

    pub(crate) async fn is_healthy(&self) -> bool {
        match tokio::time::timeout(CONNECT_TIMEOUT, self.client()).await {
            Ok(Ok(client)) => client.query_one("SELECT 1", &[]).await.is_ok(),
            _ => false,
        }
    }

    // ----- notification state -----

    pub(crate) async fn notify_state(
        &self,
        discord_id: u64,
    ) -> Result<Option<NotifyState>, StoreError> {
        self.client()
            .await?
            .query_opt(
                "SELECT record FROM notify_state WHERE discord_id = $1",
                &[&id(discord_id)],
            )
            .await
            .map_err(db)?
            .map(|r| record::decode("notification state", r.get(0)))
            .transpose()
    }

    /// Compare-and-swap on the record's bytes, retried a bounded number of
    /// times when another instance changed it in between.
    pub(crate) async fn update_notify_state<F>(
        &self,
        discord_id: u64,
        mut change: F,
    ) -> Result<Option<NotifyState>, StoreError>
    where
        F: FnMut(Option<NotifyState>) -> Option<NotifyState> + Send + 'static,
    {
        let client = self.client().await?;
        for _ in 0..CAS_TRIES {
            let old: Option<Vec<u8>> = client
                .query_opt(
                    "SELECT record FROM notify_state WHERE discord_id = $1",
                    &[&id(discord_id)],
                )
                .await
                .map_err(db)?
                .map(|r| r.get(0));
            let current = old
                .as_deref()
                .map(|v| record::decode("notification state", v))
                .transpose()?;
            let Some(new) = change(current) else {
                return Ok(None);
            };
            let value = record::encode(&new)?;
            let written = match &old {
                Some(old) => client
                    .execute(
                        "UPDATE notify_state SET record = $2 WHERE discord_id = $1 AND record = $3",
                        &[&id(discord_id), &value, old],
                    )
                    .await,
                None => {
                    client
                        .execute(
                            "INSERT INTO notify_state (discord_id, record) VALUES ($1, $2) \
                         ON CONFLICT (discord_id) DO NOTHING",
                            &[&id(discord_id), &value],
                        )
                        .await
                }
            }
            .map_err(db)?;
            if written == 1 {
                return Ok(Some(new));
            }
        }
        Err(StoreError::Io(
            "the notification state kept changing under us".into(),
        ))
    }

    pub(crate) async fn forget_notify_state(&self, discord_id: u64) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute(
                "DELETE FROM notify_state WHERE discord_id = $1",
                &[&id(discord_id)],
            )
            .await
            .map_err(db)?;
        Ok(())
    }

    // ----- status cards -----

    pub(crate) async fn put_card(&self, card: Card) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO cards (contract, owner, record) VALUES ($1, $2, $3) \
                 ON CONFLICT (contract) DO UPDATE SET owner = EXCLUDED.owner, record = EXCLUDED.record",
                &[&card.contract, &id(card.owner), &record::encode(&card)?],
            )
            .await
            .map_err(db)?;
        Ok(())
    }

    pub(crate) async fn card(&self, contract: &str) -> Result<Option<Card>, StoreError> {
        self.client()
            .await?
            .query_opt("SELECT record FROM cards WHERE contract = $1", &[&contract])
            .await
            .map_err(db)?
            .map(|r| record::decode("card", r.get(0)))
            .transpose()
    }

    pub(crate) async fn all_cards(&self) -> Result<Vec<Card>, StoreError> {
        self.client()
            .await?
            .query("SELECT record FROM cards ORDER BY contract", &[])
            .await
            .map_err(db)?
            .iter()
            .map(|r| record::decode("card", r.get(0)))
            .collect()
    }

    pub(crate) async fn cards_of(&self, owner: u64) -> Result<Vec<Card>, StoreError> {
        self.client()
            .await?
            .query(
                "SELECT record FROM cards WHERE owner = $1 ORDER BY contract",
                &[&id(owner)],
            )
            .await
            .map_err(db)?
            .iter()
            .map(|r| record::decode("card", r.get(0)))
            .collect()
    }

    pub(crate) async fn remove_card(&self, contract: &str) -> Result<Option<Card>, StoreError> {
        self.client()
            .await?
            .query_opt(
                "DELETE FROM cards WHERE contract = $1 RETURNING record",
                &[&contract],
            )
            .await
            .map_err(db)?
            .map(|r| record::decode("card", r.get(0)))
            .transpose()
    }

    // ----- short-lived shared state -----

    fn seal(&self, nonce: &str, user: u64, plain: &[u8]) -> Result<Vec<u8>, StoreError> {
        let iv: [u8; 12] = rand::random();
        let aad = format!("{nonce}/{user}");
        let mut out = iv.to_vec();
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&iv),
                Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Io("cannot seal a confirmation".into()))?;
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    fn open_sealed(&self, nonce: &str, user: u64, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        let aad = format!("{nonce}/{user}");
        let (iv, body) = sealed
            .split_at_checked(12)
            .ok_or_else(|| StoreError::Corrupt("a sealed confirmation is too short".into()))?;
        self.cipher
            .decrypt(
                Nonce::from_slice(iv),
                Payload {
                    msg: body,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| {
                StoreError::Corrupt(
                    "a confirmation does not open with STATE_KEY (was the key changed?)".into(),
                )
            })
    }

    pub(crate) async fn hold(
        &self,
        nonce: &str,
        user: u64,
        payload: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sealed = self.seal(nonce, user, payload)?;
        self.client()
            .await?
            .execute(
                "INSERT INTO pending (nonce, discord_user, sealed, expires_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (nonce) DO UPDATE SET discord_user = EXCLUDED.discord_user, \
                 sealed = EXCLUDED.sealed, expires_at = EXCLUDED.expires_at",
                &[&nonce, &id(user), &sealed, &expires_at],
            )
            .await
            .map_err(db)?;
        Ok(())
    }

    pub(crate) async fn take_held(
        &self,
        nonce: &str,
        user: u64,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let client = self.client().await?;
        // Expired rows go whoever asks; a live row only to its owner, once.
        client
            .execute(
                "DELETE FROM pending WHERE nonce = $1 AND expires_at <= $2",
                &[&nonce, &now],
            )
            .await
            .map_err(db)?;
        let row: Option<Row> = client
            .query_opt(
                "DELETE FROM pending WHERE nonce = $1 AND discord_user = $2 RETURNING sealed",
                &[&nonce, &id(user)],
            )
            .await
            .map_err(db)?;
        row.map(|r| self.open_sealed(nonce, user, r.get(0)))
            .transpose()
    }

    pub(crate) async fn is_held(
        &self,
        nonce: &str,
        user: u64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        Ok(self
            .client()
            .await?
            .query_opt(
                "SELECT 1 FROM pending WHERE nonce = $1 AND discord_user = $2 AND expires_at > $3",
                &[&nonce, &id(user), &now],
            )
            .await
            .map_err(db)?
            .is_some())
    }

    pub(crate) async fn first_seen(
        &self,
        interaction: u64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "INSERT INTO replays (interaction_id, expires_at) VALUES ($1, $2) \
                 ON CONFLICT (interaction_id) DO UPDATE SET expires_at = EXCLUDED.expires_at \
                 WHERE replays.expires_at <= $3 RETURNING 1",
                &[&id(interaction), &expires_at, &now],
            )
            .await
            .map_err(db)?;
        Ok(row.is_some())
    }

    pub(crate) async fn count(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window: Duration,
    ) -> Result<(u32, DateTime<Utc>), StoreError> {
        let stale = now - chrono::Duration::from_std(window).unwrap_or_default();
        let row = self
            .client()
            .await?
            .query_one(
                "INSERT INTO windows (key, window_start, count) VALUES ($1, $2, 1) \
                 ON CONFLICT (key) DO UPDATE SET \
                 count = CASE WHEN windows.window_start <= $3 THEN 1 \
                         ELSE windows.count + 1 END, \
                 window_start = CASE WHEN windows.window_start <= $3 \
                         THEN EXCLUDED.window_start ELSE windows.window_start END \
                 RETURNING count, window_start",
                &[&key, &now, &stale],
            )
            .await
            .map_err(db)?;
        let n: i32 = row.get(0);
        Ok((u32::try_from(n).unwrap_or(u32::MAX), row.get(1)))
    }

    /// Delete what has expired; how many confirmations are left.
    pub(crate) async fn sweep(
        &self,
        now: DateTime<Utc>,
        window: Duration,
    ) -> Result<usize, StoreError> {
        let client = self.client().await?;
        let stale = now - chrono::Duration::from_std(window).unwrap_or_default();
        client
            .execute("DELETE FROM pending WHERE expires_at <= $1", &[&now])
            .await
            .map_err(db)?;
        client
            .execute("DELETE FROM replays WHERE expires_at <= $1", &[&now])
            .await
            .map_err(db)?;
        client
            .execute("DELETE FROM windows WHERE window_start <= $1", &[&stale])
            .await
            .map_err(db)?;
        let n: i64 = client
            .query_one("SELECT count(*) FROM pending", &[])
            .await
            .map_err(db)?
            .get(0);
        Ok(usize::try_from(n).unwrap_or_default())
    }

    // ----- leadership -----

    /// Try to take `role`'s advisory lock on a connection of its own; the
    /// lock lives exactly as long as that connection.
    pub(crate) async fn lead(&self, role: Role) -> Result<Option<PgLeader>, StoreError> {
        let (client, connection) =
            tokio::time::timeout(CONNECT_TIMEOUT, self.config.connect(tls()?))
                .await
                .map_err(|_| unavailable("connecting timed out"))?
                .map_err(db)?;
        let (lost_tx, lost_rx) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let why = match connection.await {
                Ok(()) => "closed".to_owned(),
                Err(e) => e.to_string(),
            };
            let _ = lost_tx.send(why);
        });
        let key = self.lock_base.wrapping_add(role as i64);
        let got: bool = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
            .await
            .map_err(db)?
            .get(0);
        if !got {
            task.abort();
            return Ok(None);
        }
        Ok(Some(PgLeader {
            client,
            lost: lost_rx,
            task,
        }))
    }
}

/// A held advisory lock: dropping it closes its connection, which lets go.
pub(crate) struct PgLeader {
    client: tokio_postgres::Client,
    lost: tokio::sync::oneshot::Receiver<String>,
    task: tokio::task::JoinHandle<()>,
}

impl PgLeader {
    /// Resolves when the lock's connection is gone (and with it the lock),
    /// or a periodic check finds it dead.
    pub(crate) async fn lost(&mut self) -> String {
        loop {
            tokio::select! {
                why = &mut self.lost => return why.unwrap_or_else(|_| "closed".into()),
                () = tokio::time::sleep(Duration::from_secs(5)) => {
                    let check = tokio::time::timeout(
                        CONNECT_TIMEOUT,
                        self.client.query_one("SELECT 1", &[]),
                    )
                    .await;
                    if !matches!(check, Ok(Ok(_))) {
                        return "the lock's connection stopped answering".into();
                    }
                }
            }
        }
    }
}

impl Drop for PgLeader {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn append_audit(
    tx: &deadpool_postgres::Transaction<'_>,
    entry: &AuditEntry,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO audit (at, discord_user, record) VALUES ($1, $2, $3)",
        &[&entry.at, &id(entry.discord_user), &record::encode(entry)?],
    )
    .await
    .map_err(db)?;
    Ok(())
}

/// A stable 64-bit key for the schema's advisory locks (FNV-1a).
fn lock_key(schema: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in schema.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // Room for the roles above it.
    (hash & !0xff) as i64
}
