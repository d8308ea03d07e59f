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

/// Values read from Comake, each reused for [`CACHE_TTL`].
struct Recent<K, V>(Mutex<HashMap<K, (Instant, Arc<V>)>>);

impl<K, V> Default for Recent<K, V> {
    fn default() -> Self {
        Self(Mutex::new(HashMap::new()))
    }
}

impl<K: Hash + Eq, V> Recent<K, V> {
    fn get(&self, key: &K) -> Option<Arc<V>> {
        let map = self.0.lock().ok()?;
        let (at, value) = map.get(key)?;
        (at.elapsed() < CACHE_TTL).then(|| value.clone())
    }

    /// The cached value, or the one `read` returns (then cached).
    async fn get_or_read<E>(
        &self,
        key: K,
        read: impl Future<Output = Result<V, E>>,
    ) -> Result<Arc<V>, E> {
        if let Some(value) = self.get(&key) {
            return Ok(value);
        }
        let value = Arc::new(read.await?);
        if let Ok(mut map) = self.0.lock() {
            map.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
            map.insert(key, (Instant::now(), value.clone()));
        }
        Ok(value)
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
    /// Forget what is cached for `user` (after they changed something).
    pub fn forget(&self, user: u64) {
        self.lists.forget(|u| *u == user);
        self.details.forget(|(u, _)| *u == user);
    }
}

/// Whether `command` can act on a contract of this state and role.
pub fn offers(command: &str, status: ContractStatus, role: Role) -> bool {
    let sender = role == Role::Sender;
    match command {
        "contract edit" => sender && status.can_edit(),
        "contract delete" => status.can_delete(),
        "contract signee" | "contract request-sign" => sender && status.can_request_sign(),
        "contract cancel-sign" => sender && status.can_cancel_sign(),
        // show and rename work on anything in the user's box.
        _ => true,
    }
}

/// The choices for the focused option: `(label, value)` pairs, at most 25.
pub async fn complete(ctx: &Ctx<'_>) -> Vec<(String, String)> {
    match tokio::time::timeout(DEADLINE, choices(ctx)).await {
        Ok(choices) => choices,
        Err(_) => {
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
    if focused == "party" {
        let Some(id) = ctx.inv.str("contract").and_then(ContractId::parse) else {
            return Vec::new();
        };
        let read = user.get_contract(&id);
        let Ok(contract) = cache
            .details
            .get_or_read((ctx.inv.user, id.clone()), read)
            .await
        else {
            return Vec::new();
        };
        return contract
            .parties
            .iter()
            .filter(|p| p.name.to_lowercase().contains(&typed))
            .take(25)
            .map(|p| (p.name.clone(), p.index.to_string()))
            .collect();
    }
    let read = async {
        let page = user.list_contracts(BoxTab::All, 1, LIST_LIMIT).await?;
        Ok::<_, crate::comake::ComakeError>(page.contracts)
    };
    let list = match cache.lists.get_or_read(ctx.inv.user, read).await {
        Ok(list) => list,
        Err(e) => {
            tracing::debug!(error = %e, "autocomplete could not list contracts");
            return Vec::new();
        }
    };
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
