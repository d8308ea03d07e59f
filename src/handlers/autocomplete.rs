//! Autocomplete for `contract` and `party`: the user's own contracts that the command can act on, from a per-user cache of a few seconds, always within Discord's 3 s.

use std::time::Duration;

use crate::comake::wire::{BoxTab, ContractId, ContractStatus, Role};

use super::Ctx;

/// Autocomplete must answer within 3 s; leave room for the network.
pub(crate) const DEADLINE: Duration = Duration::from_millis(2200);
/// Contracts read for autocomplete (one page of Comake's maximum size).
const LIST_LIMIT: u32 = 100;

/// Whether `command` can act on a contract of this state and role (show
/// and rename work on anything in the user's box).
pub(crate) fn offers(command: &str, status: ContractStatus, role: Role) -> bool {
    super::action::Action::of_command(command).is_none_or(|a| a.allowed(status, role))
}

/// The choices for the focused option: `(label, value)` pairs, at most 25.
pub(crate) async fn complete(ctx: &Ctx<'_>) -> Vec<(String, String)> {
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
    let Ok(account) = ctx.account().await else {
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
