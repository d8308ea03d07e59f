//! PostgreSQL for tests: `TEST_DATABASE_URL`, one fresh schema per test, so tests run in parallel on one database.

use std::sync::Arc;

use comake_bot::api::store::{PgOptions, Store};
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

    /// Run `sql` in this schema, as it is (to set up an older schema).
    pub async fn batch(&self, sql: &str) {
        self.admin
            .batch_execute(&format!("SET search_path TO {}; {sql}", self.name))
            .await
            .unwrap();
    }

    pub async fn drop_now(self) {
        let _ = self
            .admin
            .batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name))
            .await;
    }
}

/// A PostgreSQL server of the test's own (initdb on a temporary directory,
/// a free port), to stop and start under a running bot.
pub struct PrivateServer {
    dir: tempfile::TempDir,
    pub port: u16,
}

/// Run a PostgreSQL tool as the `postgres` user when we are root (the
/// server refuses to run as root).
fn as_postgres(tool: &str, args: &[&str]) -> std::process::Output {
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let mut command = if root {
        let mut c = std::process::Command::new("runuser");
        c.args(["-u", "postgres", "--", tool]);
        c
    } else {
        std::process::Command::new(tool)
    };
    command
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool} ({e}): PostgreSQL's server tools are needed"))
}

impl PrivateServer {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let _ = std::process::Command::new("chown")
            .args(["postgres:postgres", &dir.path().to_string_lossy()])
            .status();
        let data = dir.path().join("data");
        let out = as_postgres(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        );
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let server = Self {
            dir,
            port: super::bot::free_port(),
        };
        server.up();
        server
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Start (again), waiting until it accepts connections.
    pub fn up(&self) {
        let data = self.dir.path().join("data");
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log");
        let out = as_postgres(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-o",
                &options,
                "-l",
                &log.to_string_lossy(),
                "-w",
                "-t",
                "30",
                "start",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Stop at once, as a crash would (connections are cut).
    pub fn down(&self) {
        let data = self.dir.path().join("data");
        let out = as_postgres(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl stop: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = as_postgres(
            "pg_ctl",
            &["-D", &data.to_string_lossy(), "-m", "immediate", "stop"],
        );
    }
}
