//! Leadership through PostgreSQL: a role is a session advisory lock held on a connection of its own, with TCP keepalives both ways so a lost host lets go within 25 s.
//!
//! The lock belongs to the server session, so the connection must reach
//! PostgreSQL directly or through a session-mode pooler: PgBouncer's
//! transaction pooling would share the session, and with it the lock.

use std::time::Duration;

use super::{db, tls, unavailable, PgStore, CONNECT_TIMEOUT};
use crate::store::{Role, StoreError};

/// Silence on the lock connection before the first keepalive probe.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(10);
/// Between unanswered probes.
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(5);
/// Unanswered probes before the connection is given up.
const KEEPALIVE_RETRIES: u32 = 3;
/// How often the holder checks that its connection still answers.
const CHECK_EVERY: Duration = Duration::from_secs(5);

/// The lock connection's configuration: the pool's, with keepalives that
/// notice a dead server within 25 s (10 s of silence, then 3 probes 5 s
/// apart).
fn lock_config(base: &tokio_postgres::Config) -> tokio_postgres::Config {
    let mut config = base.clone();
    config
        .keepalives(true)
        .keepalives_idle(KEEPALIVE_IDLE)
        .keepalives_interval(KEEPALIVE_INTERVAL)
        .keepalives_retries(KEEPALIVE_RETRIES);
    config
}

/// The same keepalives on the server's side of the connection, so the
/// server drops a vanished holder's session, and its lock, as soon.
fn server_keepalives() -> String {
    format!(
        "SET tcp_keepalives_idle = {}; SET tcp_keepalives_interval = {}; \
         SET tcp_keepalives_count = {}",
        KEEPALIVE_IDLE.as_secs(),
        KEEPALIVE_INTERVAL.as_secs(),
        KEEPALIVE_RETRIES
    )
}

impl PgStore {
    /// Try to take `role`'s advisory lock on a connection of its own; the
    /// lock lives exactly as long as that connection.
    pub(crate) async fn lead(&self, role: Role) -> Result<Option<PgLeader>, StoreError> {
        let (client, connection) =
            tokio::time::timeout(CONNECT_TIMEOUT, lock_config(&self.config).connect(tls()?))
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
        let leader = PgLeader {
            client,
            lost: lost_rx,
            task,
        };
        leader
            .client
            .batch_execute(&server_keepalives())
            .await
            .map_err(db)?;
        let key = self.lock_base.wrapping_add(role as i64);
        let got: bool = leader
            .client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
            .await
            .map_err(db)?
            .get(0);
        Ok(got.then_some(leader))
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
                () = tokio::time::sleep(CHECK_EVERY) => {
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

/// A stable 64-bit key for the schema's advisory locks (FNV-1a).
pub(super) fn lock_key(schema: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in schema.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // Room for the roles above it.
    (hash & !0xff) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How long either side takes at most to find the other gone, and the
    /// server to free the lock of a host that vanished.
    const DEAD_PEER_BOUND: Duration = Duration::from_secs(25);

    #[test]
    fn the_lock_connection_notices_a_dead_peer_within_the_bound() {
        let base: tokio_postgres::Config = "postgres://u@db.internal/x".parse().unwrap();
        let config = lock_config(&base);
        assert!(config.get_keepalives());
        let worst = config.get_keepalives_idle()
            + config.get_keepalives_interval().unwrap() * config.get_keepalives_retries().unwrap();
        assert_eq!(worst, DEAD_PEER_BOUND);
        assert!(DEAD_PEER_BOUND <= Duration::from_secs(30));
        assert_eq!(config.get_hosts(), base.get_hosts(), "the same server");
    }

    /// The server side holds the same keepalives on the lock's session.
    #[tokio::test]
    #[cfg_attr(
        not(pg_tests),
        ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
    )]
    async fn the_server_side_of_the_lock_connection_keeps_alive_too() {
        let url = std::env::var("TEST_DATABASE_URL").unwrap();
        let base: tokio_postgres::Config = url.parse().unwrap();
        let (client, connection) = lock_config(&base)
            .connect(tokio_postgres::NoTls)
            .await
            .unwrap();
        let task = tokio::spawn(connection);
        client.batch_execute(&server_keepalives()).await.unwrap();
        for (setting, value) in [
            ("tcp_keepalives_idle", "10"),
            ("tcp_keepalives_interval", "5"),
            ("tcp_keepalives_count", "3"),
        ] {
            let shown: String = client
                .query_one(&format!("SHOW {setting}"), &[])
                .await
                .unwrap()
                .get(0);
            assert_eq!(shown, value, "{setting}");
        }
        task.abort();
    }
}
