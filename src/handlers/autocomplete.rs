//! Autocomplete for `contract` and `party`: the user's own contracts that the command can act on, from a per-user cache of a few seconds, always within Discord's 3 s.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::comake::wire::{BoxTab, Contract, ContractId, ContractStatus, ContractSummary, Role};

use super::Ctx;

/// How long a user's contract list is reused while they type.
pub const CACHE_TTL: Duration = Duration::from_secs(5);
/// Autocomplete must answer within 3 s; leave room for the network.
pub const DEADLINE: Duration = Duration::from_millis(2200);
/// Contracts read for autocomplete (one page of Comake's maximum size).
const LIST_LIMIT: u32 = 100;

/// Autocomplete requests one person may make: a burst of 30 keystrokes,
/// then two a second. Beyond it the answer is no choices, not a Comake call.
pub fn quota() -> governor::Quota {
    governor::Quota::per_second(std::num::NonZeroU32::MIN.saturating_add(1))
        .allow_burst(std::num::NonZeroU32::MIN.saturating_add(29))
}

/// Values read from Comake, each reused for [`CACHE_TTL`]; a failed read
/// is remembered as well (`None`), so typing does not retry it per key.
struct Recent<K, V>(Mutex<HashMap<K, Entry<V>>>);

/// When a value was read, and the value (`None`: the read failed).
type Entry<V> = (Instant, Option<Arc<V>>);

impl<K, V> Default for Recent<K, V> {
    fn default() -> Self {
        Self(Mutex::new(HashMap::new()))
    }
}

impl<K: Hash + Eq, V> Recent<K, V> {
    /// `Some(None)`: a failure is remembered.
    fn get(&self, key: &K) -> Option<Option<Arc<V>>> {
        let map = self.0.lock().ok()?;
        let (at, value) = map.get(key)?;
        (at.elapsed() < CACHE_TTL).then(|| value.clone())
    }

    /// The cached value, or the one `read` returns (then cached); `None`
    /// when the read failed now or within [`CACHE_TTL`].
    async fn get_or_read<E: std::fmt::Display>(
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
    fn failed(&self, key: K) {
        if let Ok(mut map) = self.0.lock() {
            map.entry(key).or_insert_with(|| (Instant::now(), None));
        }
    }

    /// Drop what has expired; how many entries are left.
    fn sweep(&self) -> usize {
        self.0
            .lock()
            .map(|mut map| {
                map.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
                map.len()
            })
            .unwrap_or(0)
    }

    fn forget(&self, drop: impl Fn(&K) -> bool) {
        if let Ok(mut map) = self.0.lock() {
            map.retain(|k, _| !drop(k));
        }
    }
}

#[derive(Default)]
pub struct ContractCache {
    lists: Recent<u64, Vec<ContractSummary>>,
    details: Recent<(u64, ContractId), Contract>,
}

impl ContractCache {
    /// Drop expired entries; how many lists and details are left.
    pub fn sweep(&self) -> (usize, usize) {
        (self.lists.sweep(), self.details.sweep())
    }

    /// Forget what is cached for `user` (after they changed something).
    pub fn forget(&self, user: u64) {
        self.lists.forget(|u| *u == user);
        self.details.forget(|(u, _)| *u == user);
    }
}

/// Whether `command` can act on a contract of this state and role (show
/// and rename work on anything in the user's box).
pub fn offers(command: &str, status: ContractStatus, role: Role) -> bool {
    super::action::Action::of_command(command).is_none_or(|a| a.allowed(status, role))
}

/// The choices for the focused option: `(label, value)` pairs, at most 25.
pub async fn complete(ctx: &Ctx<'_>) -> Vec<(String, String)> {
    match tokio::time::timeout(DEADLINE, choices(ctx)).await {
        Ok(choices) => choices,
        Err(_) => {
            // A slow Comake is not asked again on every keystroke.
            ctx.app.contracts.lists.failed(ctx.inv.user);
            tracing::debug!(command = %ctx.inv.command, "autocomplete timed out; no choices");
            Vec::new()
        }
    }
}

async fn choices(ctx: &Ctx<'_>) -> Vec<(String, String)> {
    let Ok(account) = ctx.account() else {
        return Vec::new();
    };
    let focused = ctx.inv.focused.as_deref().unwrap_or("contract");
    let typed = ctx.inv.str(focused).unwrap_or("").trim().to_lowercase();
    let user = ctx.comake_user(&account);
    let cache = &ctx.app.contracts;
    let read = async {
        let page = user.list_contracts(BoxTab::All, 1, LIST_LIMIT).await?;
        Ok::<_, crate::comake::ComakeError>(page.contracts)
    };
    let Some(list) = cache.lists.get_or_read(ctx.inv.user, read).await else {
        return Vec::new();
    };
    if focused == "party" {
        // Only a contract from the user's own list is looked up: an id typed
        // by hand costs no Comake request.
        let Some(id) = ctx
            .inv
            .str("contract")
            .and_then(ContractId::parse)
            .filter(|id| list.iter().any(|c| &c.id == id))
        else {
            return Vec::new();
        };
        let read = user.get_contract(&id);
        let key = (ctx.inv.user, id.clone());
        let Some(contract) = cache.details.get_or_read(key, read).await else {
            return Vec::new();
        };
        return contract
            .parties
            .iter()
            .map(|p| (super::party_name(ctx, p), p.index))
            .filter(|(name, _)| name.to_lowercase().contains(&typed))
            .take(25)
            .map(|(name, index)| (name, index.to_string()))
            .collect();
    }
    list.iter()
        .filter(|c| offers(&ctx.inv.command, c.status, c.role))
        .filter(|c| typed.is_empty() || c.name.to_lowercase().contains(&typed))
        .take(25)
        .map(|c| {
            (
                format!("{} · {}", c.name, ctx.state_label(c.status)),
                c.id.to_string(),
            )
        })
        .collect()
}
