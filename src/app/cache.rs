//! What autocomplete read from Comake a moment ago, per user: reused for a few seconds while they type, failures included.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::comake::wire::{Contract, ContractId, ContractSummary};

/// How long a user's contract list is reused while they type.
pub(crate) const CACHE_TTL: Duration = Duration::from_secs(5);

/// Values read from Comake, each reused for [`CACHE_TTL`]; a failed read
/// is remembered as well (`None`), so typing does not retry it per key.
pub(crate) struct Recent<K, V>(Mutex<HashMap<K, Entry<V>>>);

/// When a value was read, and the value (`None`: the read failed).
type Entry<V> = (Instant, Option<Arc<V>>);

impl<K, V> Default for Recent<K, V> {
    fn default() -> Self {
        Self(Mutex::new(HashMap::new()))
    }
}

impl<K: Hash + Eq, V> Recent<K, V> {
    /// `Some(None)`: a failure is remembered.
    pub(crate) fn get(&self, key: &K) -> Option<Option<Arc<V>>> {
        let map = self.0.lock().ok()?;
        let (at, value) = map.get(key)?;
        (at.elapsed() < CACHE_TTL).then(|| value.clone())
    }

    /// The cached value, or the one `read` returns (then cached); `None`
    /// when the read failed now or within [`CACHE_TTL`].
    pub(crate) async fn get_or_read<E: std::fmt::Display>(
        &self,
        key: K,
        read: impl Future<Output = Result<V, E>>,
    ) -> Option<Arc<V>> {
        if let Some(value) = self.get(&key) {
            return value;
        }
        let value = match read.await {
            Ok(v) => Some(Arc::new(v)),
            Err(e) => {
                tracing::debug!(error = %e, "autocomplete could not read from Comake");
                None
            }
        };
        if let Ok(mut map) = self.0.lock() {
            map.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
            map.insert(key, (Instant::now(), value.clone()));
        }
        value
    }

    /// Remember that a read of `key` failed (or took too long).
    pub(crate) fn failed(&self, key: K) {
        if let Ok(mut map) = self.0.lock() {
            map.entry(key).or_insert_with(|| (Instant::now(), None));
        }
    }

    /// Drop what has expired; how many entries are left.
    pub(crate) fn sweep(&self) -> usize {
        self.0
            .lock()
            .map(|mut map| {
                map.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
                map.len()
            })
            .unwrap_or(0)
    }

    pub(crate) fn forget(&self, drop: impl Fn(&K) -> bool) {
        if let Ok(mut map) = self.0.lock() {
            map.retain(|k, _| !drop(k));
        }
    }
}

#[derive(Default)]
pub(crate) struct ContractCache {
    pub(crate) lists: Recent<u64, Vec<ContractSummary>>,
    pub(crate) details: Recent<(u64, ContractId), Contract>,
}

impl ContractCache {
    /// Drop expired entries; how many lists and details are left.
    pub(crate) fn sweep(&self) -> (usize, usize) {
        (self.lists.sweep(), self.details.sweep())
    }

    /// Forget what is cached for `user` (after they changed something).
    pub(crate) fn forget(&self, user: u64) {
        self.lists.forget(|u| *u == user);
        self.details.forget(|(u, _)| *u == user);
    }
}
