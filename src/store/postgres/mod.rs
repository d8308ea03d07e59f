//! PostgreSQL, for several instances on one database: it serves both of the store's axes, the durable records ([`records`]) and the state shared between instances ([`shared`], [`lead`]). Migrations ship in the binary and run at start under an advisory lock.
//!
//! Records are the same versioned JSON as sled's ([`super::record`]);
//! pending confirmations are sealed under a key derived from `STATE_KEY`
//! ([`super::keys`]).

mod lead;
mod nudges;
mod records;
mod shared;

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

pub(crate) use lead::PgLeader;

use super::keys::Sealer;
use super::{record, StoreError};

/// The schema, in order; each runs once, recorded in `schema_migrations`.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("0001_init.sql")),
    (2, include_str!("0002_cards.sql")),
    (3, include_str!("0003_window_ends.sql")),
    (4, include_str!("0004_signee_messages.sql")),
    (5, include_str!("0005_boards.sql")),
    (6, include_str!("0006_nudges.sql")),
    (7, include_str!("0007_due_index.sql")),
];

/// How long to wait for a connection (from the pool, or a new one).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What the PostgreSQL backend needs.
#[derive(Clone)]
pub struct PgOptions {
    /// `postgres://user:pass@host/db`: holds a password, so a secret.
    pub url: SecretString,
    pub max_connections: usize,
    /// 32 bytes from which the keys that seal pending confirmations and
    /// hash registration codes are derived.
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

pub(crate) struct PgStore {
    pool: Pool,
    config: tokio_postgres::Config,
    sealer: Sealer,
    /// Advisory-lock keys, derived from the schema so that two deployments
    /// (or two tests) sharing one database do not share leaders.
    lock_base: i64,
    /// Statements sent through the query helpers (and in transactions).
    statements: std::sync::atomic::AtomicU64,
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

/// Whether a write lost to a unique constraint (another instance got there first).
fn is_unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// A count from PostgreSQL, as a `usize`.
fn count(n: impl TryInto<usize>) -> usize {
    n.try_into().unwrap_or_default()
}

/// A limit for PostgreSQL.
fn limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

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
        let sealer = Sealer::new(options.state_key.expose_secret())?;
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
            sealer,
            lock_base: 0,
            statements: std::sync::atomic::AtomicU64::new(0),
        };
        store.migrate().await?;
        let schema: String = store
            .query_one("SELECT current_schema()::text", &[])
            .await?
            .get(0);
        store.lock_base = lead::lock_key(&schema);
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

    // ----- the query helpers every query goes through -----

    /// Count `n` statements sent (the query helpers count their own).
    fn sent(&self, n: u64) {
        self.statements
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    /// Statements sent since this store was connected.
    pub(crate) fn statements(&self) -> u64 {
        self.statements.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A connection and `sql` prepared on it: once per connection (kept in
    /// the connection's statement cache), so a statement is one round trip
    /// and not two (a prepare, then the execution), and the server parses
    /// and plans it once.
    async fn prepared(
        &self,
        sql: &str,
    ) -> Result<(deadpool_postgres::Client, tokio_postgres::Statement), StoreError> {
        self.sent(1);
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await.map_err(db)?;
        Ok((client, statement))
    }

    async fn rows(&self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, StoreError> {
        let (client, statement) = self.prepared(sql).await?;
        client.query(&statement, params).await.map_err(db)
    }

    async fn query_one(&self, sql: &str, params: Params<'_>) -> Result<Row, StoreError> {
        let (client, statement) = self.prepared(sql).await?;
        client.query_one(&statement, params).await.map_err(db)
    }

    async fn query_opt(&self, sql: &str, params: Params<'_>) -> Result<Option<Row>, StoreError> {
        let (client, statement) = self.prepared(sql).await?;
        client.query_opt(&statement, params).await.map_err(db)
    }

    async fn execute(&self, sql: &str, params: Params<'_>) -> Result<u64, StoreError> {
        let (client, statement) = self.prepared(sql).await?;
        client.execute(&statement, params).await.map_err(db)
    }

    /// The record in the first column of the one row `sql` returns, if any.
    async fn record<T: DeserializeOwned>(
        &self,
        what: &str,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Option<T>, StoreError> {
        self.query_opt(sql, params)
            .await?
            .map(|r| record::decode(what, r.get(0)))
            .transpose()
    }

    /// The records in the first column of the rows `sql` returns.
    async fn records<T: DeserializeOwned>(
        &self,
        what: &str,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Vec<T>, StoreError> {
        self.rows(sql, params)
            .await?
            .iter()
            .map(|r| record::decode(what, r.get(0)))
            .collect()
    }

    pub(crate) async fn is_healthy(&self) -> bool {
        let answer = tokio::time::timeout(CONNECT_TIMEOUT, self.query_one("SELECT 1", &[])).await;
        matches!(answer, Ok(Ok(_)))
    }
}
