//! The short-lived state that PostgreSQL shares between instances, kept in this process's memory with sled (one process): confirmations, replay ids, counting windows.
//!
//! Nothing here reaches the disk: a pending confirmation may hold a signee
//! password.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

struct Held {
    user: u64,
    payload: Vec<u8>,
    expires_at: DateTime<Utc>,
}

/// A fixed counting window: when it started, when it ends, how many so far.
struct Window {
    start: DateTime<Utc>,
    ends: DateTime<Utc>,
    count: u32,
}

#[derive(Default)]
pub(crate) struct Memory {
    held: Arc<Mutex<HashMap<String, Held>>>,
    replays: Mutex<HashMap<u64, DateTime<Utc>>>,
    windows: Mutex<HashMap<String, Window>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Memory {
    pub(crate) fn hold(
        &self,
        nonce: &str,
        user: u64,
        payload: &[u8],
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) {
        let mut held = lock(&self.held);
        // Between sweeps, a flood is cleared once per thousand adds.
        if held.len() % 1024 == 1023 {
            held.retain(|_, h| h.expires_at > now);
        }
        held.insert(
            nonce.to_owned(),
            Held {
                user,
                payload: payload.to_vec(),
                expires_at,
            },
        );
        // What is held goes the moment it expires, not at the next sweep.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (weak, nonce) = (Arc::downgrade(&self.held), nonce.to_owned());
            let wait = (expires_at - now).to_std().unwrap_or_default();
            runtime.spawn(async move {
                tokio::time::sleep(wait).await;
                if let Some(held) = weak.upgrade() {
                    lock(&held).remove(&nonce);
                }
            });
        }
    }

    pub(crate) fn take_held(&self, nonce: &str, user: u64, now: DateTime<Utc>) -> Option<Vec<u8>> {
        let mut held = lock(&self.held);
        match held.get(nonce) {
            Some(h) if h.expires_at <= now => {
                held.remove(nonce);
                None
            }
            Some(h) if h.user == user => held.remove(nonce).map(|h| h.payload),
            _ => None,
        }
    }

    pub(crate) fn first_seen(
        &self,
        id: u64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> bool {
        let mut seen = lock(&self.replays);
        if seen.len() % 1024 == 1023 {
            seen.retain(|_, until| *until > now);
        }
        match seen.get(&id) {
            Some(until) if *until > now => false,
            _ => {
                seen.insert(id, expires_at);
                true
            }
        }
    }

    pub(crate) fn is_held(&self, nonce: &str, user: u64, now: DateTime<Utc>) -> bool {
        lock(&self.held)
            .get(nonce)
            .is_some_and(|h| h.user == user && h.expires_at > now)
    }

    pub(crate) fn count(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window: Duration,
    ) -> (u32, DateTime<Utc>) {
        let window = chrono::Duration::from_std(window).unwrap_or_default();
        let fresh = || Window {
            start: now,
            ends: now + window,
            count: 0,
        };
        let mut windows = lock(&self.windows);
        let entry = windows.entry(key.to_owned()).or_insert_with(fresh);
        if entry.start <= now - window {
            *entry = fresh();
        }
        entry.count = entry.count.saturating_add(1);
        (entry.count, entry.start)
    }

    #[cfg(test)]
    pub(crate) fn held_len(&self) -> usize {
        lock(&self.held).len()
    }

    /// Forget what has expired, each window at its own end; how many
    /// confirmations are left.
    pub(crate) fn sweep(&self, now: DateTime<Utc>) -> usize {
        let mut held = lock(&self.held);
        held.retain(|_, h| h.expires_at > now);
        held.shrink_to_fit();
        let mut replays = lock(&self.replays);
        replays.retain(|_, until| *until > now);
        let mut windows = lock(&self.windows);
        windows.retain(|_, w| w.ends > now);
        held.len()
    }
}
