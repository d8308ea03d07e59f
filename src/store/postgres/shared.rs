//! PostgreSQL's share of the state between instances: pending confirmations (sealed), replayed interaction ids and counting windows, each row with its own end.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{count, id, PgStore};
use crate::store::StoreError;

fn chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or_default()
}

impl PgStore {
    pub(crate) async fn hold(
        &self,
        nonce: &str,
        user: u64,
        payload: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sealed = self.sealer.seal(nonce, user, payload)?;
        self.execute(
            "INSERT INTO pending (nonce, discord_user, sealed, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (nonce) DO UPDATE SET discord_user = EXCLUDED.discord_user, \
             sealed = EXCLUDED.sealed, expires_at = EXCLUDED.expires_at",
            &[&nonce, &id(user), &sealed, &expires_at],
        )
        .await?;
        Ok(())
    }

    pub(crate) async fn take_held(
        &self,
        nonce: &str,
        user: u64,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        // Expired rows go whoever asks; a live row only to its owner, once.
        self.execute(
            "DELETE FROM pending WHERE nonce = $1 AND expires_at <= $2",
            &[&nonce, &now],
        )
        .await?;
        self.query_opt(
            "DELETE FROM pending WHERE nonce = $1 AND discord_user = $2 RETURNING sealed",
            &[&nonce, &id(user)],
        )
        .await?
        .map(|r| self.sealer.open(nonce, user, r.get(0)))
        .transpose()
    }

    pub(crate) async fn is_held(
        &self,
        nonce: &str,
        user: u64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        Ok(self
            .query_opt(
                "SELECT 1 FROM pending WHERE nonce = $1 AND discord_user = $2 AND expires_at > $3",
                &[&nonce, &id(user), &now],
            )
            .await?
            .is_some())
    }

    pub(crate) async fn first_seen(
        &self,
        interaction: u64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        Ok(self
            .query_opt(
                "INSERT INTO replays (interaction_id, expires_at) VALUES ($1, $2) \
                 ON CONFLICT (interaction_id) DO UPDATE SET expires_at = EXCLUDED.expires_at \
                 WHERE replays.expires_at <= $3 RETURNING 1",
                &[&id(interaction), &expires_at, &now],
            )
            .await?
            .is_some())
    }

    /// One more in `key`'s window; a window that has run its length starts
    /// again at `now`, and keeps its end for the sweep.
    pub(crate) async fn count(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window: Duration,
    ) -> Result<(u32, DateTime<Utc>), StoreError> {
        let stale = now - chrono(window);
        let ends = now + chrono(window);
        let row = self
            .query_one(
                "INSERT INTO windows (key, window_start, count, ends_at) VALUES ($1, $2, 1, $4) \
                 ON CONFLICT (key) DO UPDATE SET \
                 count = CASE WHEN windows.window_start <= $3 THEN 1 \
                         ELSE windows.count + 1 END, \
                 ends_at = CASE WHEN windows.window_start <= $3 \
                         THEN EXCLUDED.ends_at ELSE windows.ends_at END, \
                 window_start = CASE WHEN windows.window_start <= $3 \
                         THEN EXCLUDED.window_start ELSE windows.window_start END \
                 RETURNING count, window_start",
                &[&key, &now, &stale, &ends],
            )
            .await?;
        let n: i32 = row.get(0);
        Ok((u32::try_from(n).unwrap_or(u32::MAX), row.get(1)))
    }

    /// Delete what has expired, each window at its own end; how many
    /// confirmations are left.
    pub(crate) async fn sweep(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        for sql in [
            "DELETE FROM pending WHERE expires_at <= $1",
            "DELETE FROM replays WHERE expires_at <= $1",
            "DELETE FROM windows WHERE ends_at <= $1",
        ] {
            self.execute(sql, &[&now]).await?;
        }
        let n: i64 = self
            .query_one("SELECT count(*) FROM pending", &[])
            .await?
            .get(0);
        Ok(count(n))
    }
}
