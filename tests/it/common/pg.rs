//! PostgreSQL for tests: `TEST_DATABASE_URL`, one fresh schema per test, so tests run in parallel on one database.

use std::sync::Arc;

use comake_bot::store::{PgOptions, Store};
use secrecy::SecretString;

/// How to enable the PostgreSQL tests, for ignore reasons and failures.
pub const HOW: &str =
    "set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (.ci/run does)";

/// A schema of its own on `TEST_DATABASE_URL`; dropped by [`Schema::drop_now`].
pub struct Schema {
    pub options: PgOptions,
    admin: tokio_postgres::Client,
    name: String,
}

/// The base URL; a test that needs PostgreSQL and lacks it fails saying how.
pub fn base_url() -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!("these tests need PostgreSQL: {HOW}"),
    }
}

impl Schema {
    pub async fn new() -> Self {
        let base = base_url();
        let (admin, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("cannot reach TEST_DATABASE_URL ({e}); {HOW}"));
        tokio::spawn(connection);
        let name = format!("t_{:016x}", rand::random::<u64>());
        admin
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .await
            .unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{name}");
        let options = PgOptions {
            url: SecretString::from(url),
            max_connections: 8,
            state_key: Arc::new(secrecy::SecretVec::new(vec![7u8; 32])),
        };
        Self {
            options,
            admin,
            name,
        }
    }

    pub async fn store(&self) -> Store {
        Store::connect(&self.options).await.unwrap()
    }

    /// The URL a bot process is given.
    pub fn url(&self) -> String {
        secrecy::ExposeSecret::expose_secret(&self.options.url).clone()
    }

    pub async fn drop_now(self) {
        let _ = self
            .admin
            .batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name))
            .await;
    }
}
