//! Autocomplete for `contract` and `party`: the user's own contracts that the command can act on, from a per-user cache of a few seconds, always within Discord's 3 s.

use std::collections::HashMap;
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

/// A value and when it was read.
type Stamped<T> = (Instant, Arc<T>);

#[derive(Default)]
pub struct ContractCache {
    lists: Mutex<HashMap<u64, Stamped<Vec<ContractSummary>>>>,
    details: Mutex<HashMap<(u64, ContractId), Stamped<Contract>>>,
}

impl ContractCache {
    /// Forget what is cached for `user` (after they changed something).
    pub fn forget(&self, user: u64) {
        if let Ok(mut l) = self.lists.lock() {
            l.remove(&user);
        }
        if let Ok(mut d) = self.details.lock() {
            d.retain(|(u, _), _| *u != user);
        }
    }

    fn list(&self, user: u64) -> Option<Arc<Vec<ContractSummary>>> {
        let lists = self.lists.lock().ok()?;
        let (at, list) = lists.get(&user)?;
        (at.elapsed() < CACHE_TTL).then(|| list.clone())
    }

    fn put_list(&self, user: u64, list: Arc<Vec<ContractSummary>>) {
        if let Ok(mut lists) = self.lists.lock() {
            lists.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
            lists.insert(user, (Instant::now(), list));
        }
    }

    fn detail(&self, user: u64, id: &ContractId) -> Option<Arc<Contract>> {
        let details = self.details.lock().ok()?;
        let (at, c) = details.get(&(user, id.clone()))?;
        (at.elapsed() < CACHE_TTL).then(|| c.clone())
    }

    fn put_detail(&self, user: u64, contract: Arc<Contract>) {
        if let Ok(mut details) = self.details.lock() {
            details.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
            details.insert(
                (user, contract.summary.id.clone()),
                (Instant::now(), contract),
            );
        }
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
        let contract = match cache.detail(ctx.inv.user, &id) {
            Some(c) => c,
            None => match user.get_contract(&id).await {
                Ok(c) => {
                    let c = Arc::new(c);
                    cache.put_detail(ctx.inv.user, c.clone());
                    c
                }
                Err(_) => return Vec::new(),
            },
        };
        return contract
            .parties
            .iter()
            .filter(|p| p.name.to_lowercase().contains(&typed))
            .take(25)
            .map(|p| (p.name.clone(), p.index.to_string()))
            .collect();
    }
    let list = match cache.list(ctx.inv.user) {
        Some(list) => list,
        None => match user.list_contracts(BoxTab::All, 1, LIST_LIMIT).await {
            Ok(page) => {
                let list = Arc::new(page.contracts);
                cache.put_list(ctx.inv.user, list.clone());
                list
            }
            Err(e) => {
                tracing::debug!(error = %e, "autocomplete could not list contracts");
                return Vec::new();
            }
        },
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
