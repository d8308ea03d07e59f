//! Resolving the contract a command names and the guards before acting on it: linked, the sender's, a state that allows the action; and how a failed action is audited.

use crate::args;
use crate::comake::wire::{Contract, ContractId, ContractStatus, Role};
use crate::comake::{ComakeError, UserClient};
use crate::store::Account;
use crate::text;

use super::super::action::Action;
use super::super::{Ctx, Failure};
use super::NAME_BUDGET;

/// The contract named by the `contract` option, if it is one of the user's.
pub(super) async fn resolve(
    ctx: &Ctx<'_>,
    user: &UserClient,
    raw: Option<&str>,
) -> Result<Contract, Failure> {
    let id = raw
        .and_then(ContractId::parse)
        .ok_or_else(|| ctx.refuse("invalid-contract", &[]))?;
    match user.get_contract(&id).await {
        Ok(c) => Ok(c),
        Err(ComakeError::NotFound(_) | ComakeError::Forbidden(_)) => {
            Err(ctx.refuse("invalid-contract", &[]))
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) fn name_of(c: &Contract) -> String {
    text::inert_max(&c.summary.name, 2 * NAME_BUDGET)
}

/// Whether the person may take `action` on `c` now: the sender's alone,
/// and allowed by its state; otherwise the refusal that explains why.
pub(super) fn guard(ctx: &Ctx<'_>, c: &Contract, action: Action) -> Result<(), Failure> {
    if action.needs_sender() {
        require_sender(ctx, c)?;
    }
    if action.allowed(c.summary.status, c.summary.role) {
        Ok(())
    } else {
        Err(wrong_state(ctx, c, action))
    }
}

pub(super) fn require_sender(ctx: &Ctx<'_>, c: &Contract) -> Result<(), Failure> {
    if c.summary.role == Role::Sender {
        Ok(())
    } else {
        Err(ctx.refuse("not-owner", &args!["name" => name_of(c)]))
    }
}

/// "This contract is out for signature; cancel the signing first.": what
/// its state means for `action`, and what to do instead.
pub(super) fn wrong_state(ctx: &Ctx<'_>, c: &Contract, action: Action) -> Failure {
    let hint = match c.summary.status {
        ContractStatus::Signing => "hint-signing",
        ContractStatus::Approving => "hint-approving",
        ContractStatus::ApprovalRejected => "hint-approval-rejected",
        ContractStatus::Completed => "hint-completed",
        // A state this version does not know: the website explains it.
        ContractStatus::Unknown => "hint-other",
        // Never sent, or its signing already over: nothing to withdraw
        // (the website would not explain more).
        _ if action == Action::CancelSign => "hint-not-out",
        _ => "hint-other",
    };
    ctx.refuse(
        "wrong-state",
        &args![
            "name" => name_of(c),
            "state" => ctx.state_label(c.summary.status),
            "hint" => ctx.t(hint, &[]),
        ],
    )
}

/// Everything that needs a linked account and its Comake client.
pub(super) async fn linked(ctx: &Ctx<'_>) -> Result<(Account, UserClient), Failure> {
    let account = ctx.account().await?;
    let user = ctx.comake_user(&account);
    Ok((account, user))
}

/// Audit a failed action and turn its error into what the person sees.
pub(super) fn acted(ctx: &Ctx<'_>, action: &str, id: &ContractId, e: ComakeError) -> Failure {
    let failure = ctx.comake_failure(e);
    let outcome = match &failure {
        Failure::Internal { id, .. } => format!("error: {id}"),
        _ => "refused".to_owned(),
    };
    ctx.audit(action, Some(id.as_str()), &outcome);
    failure
}
