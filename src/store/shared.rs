//! The store's second axis: state shared between instances (pending confirmations, replayed interaction ids, counting windows, leadership), in this process's memory with sled or in PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::memory::Memory;
use super::postgres::PgStore;
use super::{Leadership, Role, StoreError};

/// Where the shared state lives.
#[derive(Clone)]
pub(super) enum Shared {
    /// One process: nothing to share, nothing written to disk.
    Memory(Arc<Memory>),
    /// Rows every instance sees; confirmations sealed.
    Postgres(Arc<PgStore>),
}

impl Shared {
    pub(super) async fn hold(
        &self,
        nonce: &str,
        user: u64,
        payload: &[u8],
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        match self {
            Shared::Memory(m) => {
                m.hold(nonce, user, payload, expires_at, now);
                Ok(())
            }
            Shared::Postgres(pg) => pg.hold(nonce, user, payload, expires_at).await,
        }
    }

    pub(super) async fn take_held(
        &self,
        nonce: &str,
        user: u64,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        match self {
            Shared::Memory(m) => Ok(m.take_held(nonce, user, now)),
            Shared::Postgres(pg) => pg.take_held(nonce, user, now).await,
        }
    }

    pub(super) async fn is_held(
        &self,
        nonce: &str,
        user: u64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        match self {
            Shared::Memory(m) => Ok(m.is_held(nonce, user, now)),
            Shared::Postgres(pg) => pg.is_held(nonce, user, now).await,
        }
    }

    pub(super) async fn first_seen(
        &self,
        id: u64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        match self {
            Shared::Memory(m) => Ok(m.first_seen(id, now, expires_at)),
            Shared::Postgres(pg) => pg.first_seen(id, now, expires_at).await,
        }
    }

    pub(super) async fn count(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window: Duration,
    ) -> Result<(u32, DateTime<Utc>), StoreError> {
        match self {
            Shared::Memory(m) => Ok(m.count(key, now, window)),
            Shared::Postgres(pg) => pg.count(key, now, window).await,
        }
    }

    /// Forget what has expired, each counting window at its own end; how
    /// many confirmations are left.
    pub(super) async fn sweep(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        match self {
            Shared::Memory(m) => Ok(m.sweep(now)),
            Shared::Postgres(pg) => pg.sweep(now).await,
        }
    }

    pub(super) async fn lead(&self, role: Role) -> Result<Option<Leadership>, StoreError> {
        match self {
            Shared::Memory(_) => Ok(Some(Leadership(None))),
            Shared::Postgres(pg) => Ok(pg.lead(role).await?.map(|l| Leadership(Some(l)))),
        }
    }

    /// How many confirmations memory holds (expired or not).
    #[cfg(test)]
    pub(super) fn held_in_memory(&self) -> usize {
        match self {
            Shared::Memory(m) => m.held_len(),
            Shared::Postgres(_) => 0,
        }
    }
}
