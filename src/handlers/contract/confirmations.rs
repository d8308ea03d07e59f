//! Confirmations: delete and cancel-sign ask first; Confirm, Send or Never mind then acts once, after reading the contract again.

use crate::args;
use crate::comake::wire::{Contract, ContractStatus, Role};
use crate::validate;

use super::super::action::Action;
use super::super::button::ButtonId;
use super::super::confirm::Pending;
use super::super::{Ctx, HandlerResult, Reply, Style};
use super::action;
use super::guard::{acted, guard, linked, name_of, resolve};
use super::signing::{forget_messages, plan, preview_of, remember_messages};

/// `/contract delete`: confirm first.
pub(crate) async fn delete(ctx: &Ctx<'_>) -> HandlerResult {
    let (_, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, ctx.inv.str("contract")).await?;
    ask_delete(ctx, &c).await
}

pub(super) async fn ask_delete(ctx: &Ctx<'_>, c: &Contract) -> HandlerResult {
    guard(ctx, c, Action::Delete)?;
    let text = ctx.t(
        if crate::comake::wire::DELETE_MOVES_TO_TRASH {
            "delete-confirm-trash"
        } else {
            "delete-confirm"
        },
        &args!["name" => name_of(c)],
    );
    let id = c.summary.id.clone();
    ask(ctx, Pending::Delete { id }, text, "button-confirm").await
}

/// Keep `pending` for its Confirm (or Send) button, and ask with `text`.
pub(crate) async fn ask(
    ctx: &Ctx<'_>,
    pending: Pending,
    text: String,
    confirm_label: &str,
) -> HandlerResult {
    let nonce = ctx.app.confirmations.add(ctx.inv.user, pending).await?;
    Ok(confirm_dialog(ctx, text, &nonce, confirm_label))
}

/// A confirmation button's id (marked as a DM's when shown in one).
pub(super) fn confirm(ctx: &Ctx<'_>, ok: bool, nonce: &str) -> String {
    ButtonId::Confirm {
        ok,
        nonce: nonce.to_owned(),
        dm: ctx.inv.guild.is_none(),
    }
    .to_string()
}

fn confirm_dialog(ctx: &Ctx<'_>, text: String, nonce: &str, confirm_label: &str) -> Reply {
    let style = if confirm_label == "button-send" {
        Style::Success
    } else {
        Style::Danger
    };
    Reply::text(text).row(vec![
        action(ctx.t(confirm_label, &[]), confirm(ctx, true, nonce), style),
        action(
            ctx.t("button-never-mind", &[]),
            confirm(ctx, false, nonce),
            Style::Secondary,
        ),
    ])
}

/// `/contract cancel-sign`: confirm first.
pub(crate) async fn cancel_sign(ctx: &Ctx<'_>) -> HandlerResult {
    let reason = match ctx.inv.str("reason") {
        None => None,
        Some(raw) => Some(
            validate::text(raw, validate::MAX_MESSAGE)
                .ok_or_else(|| ctx.refuse("invalid-reason", &[]))?,
        ),
    };
    let (_, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, ctx.inv.str("contract")).await?;
    ask_cancel(ctx, &c, reason).await
}

pub(super) async fn ask_cancel(
    ctx: &Ctx<'_>,
    c: &Contract,
    reason: Option<String>,
) -> HandlerResult {
    guard(ctx, c, Action::CancelSign)?;
    let text = ctx.t("cancel-confirm", &args!["name" => name_of(c)]);
    let id = c.summary.id.clone();
    ask(
        ctx,
        Pending::CancelSign { id, reason },
        text,
        "button-confirm",
    )
    .await
}

/// Confirm or Never mind. The action is taken once; the contract is read
/// again and the action happens only if its state still allows it.
pub(crate) async fn confirmed(ctx: &Ctx<'_>, ok: bool, nonce: &str) -> HandlerResult {
    let Some(pending) = ctx.app.confirmations.take(nonce, ctx.inv.user).await? else {
        return Ok(Reply::text(ctx.t("confirm-expired", &[])));
    };
    if !ok {
        return Ok(Reply::text(ctx.t("confirm-dismissed", &[])));
    }
    let id = match &pending {
        Pending::Delete { id }
        | Pending::CancelSign { id, .. }
        | Pending::RequestSign { id, .. } => id.clone(),
        // Not about a contract.
        Pending::Unlink { email } => return super::super::comake::unlink_now(ctx, email).await,
    };
    let (_, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, Some(id.as_str())).await?;
    let name = name_of(&c);
    ctx.app.contracts.forget(ctx.inv.user);
    match pending {
        Pending::Delete { .. } => {
            guard(ctx, &c, Action::Delete)?;
            match user.delete_contract(&id).await {
                Ok(()) => {
                    ctx.audit("contract.delete", Some(id.as_str()), "ok");
                    // The sender's delete alone: a receiver's only takes
                    // it out of their own box, and the sender may still set
                    // its signees (after a withdrawal or a decline).
                    if c.summary.role == Role::Sender {
                        forget_messages(ctx, id.as_str()).await;
                    }
                    // Said the way the confirmation asked it.
                    let done = if crate::comake::wire::DELETE_MOVES_TO_TRASH {
                        "delete-done-trash"
                    } else {
                        "delete-done"
                    };
                    Ok(Reply::text(ctx.t(done, &args!["name" => name])))
                }
                Err(e) => Err(acted(ctx, "contract.delete", &id, e)),
            }
        }
        Pending::CancelSign { reason, .. } => {
            guard(ctx, &c, Action::CancelSign)?;
            match user.cancel_sign(&id, reason.as_deref()).await {
                Ok(_) => {
                    ctx.audit("contract.cancel_sign", Some(id.as_str()), "ok");
                    Ok(Reply::text(ctx.t("cancel-done", &args!["name" => name])))
                }
                Err(e) => Err(acted(ctx, "contract.cancel_sign", &id, e)),
            }
        }
        Pending::Unlink { .. } => Err(ctx.internal("unlink reached the contract steps")),
        Pending::RequestSign {
            inline,
            shown,
            remind_after,
            ..
        } => {
            if matches!(
                c.summary.status,
                ContractStatus::Signing | ContractStatus::Completed
            ) {
                return Ok(Reply::text(
                    ctx.t("request-already-sent", &args!["name" => name]),
                ));
            }
            // Send what was shown, or nothing: a signee changed on the
            // website since the preview gets a new preview instead.
            let (set, now) = plan(ctx, &c, inline.clone()).await?;
            if now != shown {
                ctx.audit(
                    "contract.request_sign",
                    Some(id.as_str()),
                    "refused: signees changed",
                );
                return preview_of(
                    ctx,
                    &c,
                    inline,
                    "request-preview-changed",
                    None,
                    remind_after,
                )
                .await;
            }
            if let Some(list) = set {
                if let Err(e) = user.set_signees(&id, list.clone()).await {
                    return Err(acted(ctx, "contract.set_signee", &id, e));
                }
                remember_messages(ctx, id.as_str(), &list).await;
                ctx.audit("contract.set_signee", Some(id.as_str()), "ok");
            }
            match user.request_sign(&id).await {
                Ok(_) => {
                    // A linked signee now has a request waiting: their box
                    // is read next, not at their idle pace.
                    for signee in &shown {
                        crate::notify::hint_email(ctx.app, &signee.email).await;
                    }
                    let mut said = ctx.t("request-sent", &args!["name" => name]);
                    let kept = super::nudge::keep_reminder(ctx, &id, remind_after).await;
                    let outcome = match (remind_after, kept) {
                        (Some(days), true) => {
                            said.push('\n');
                            said.push_str(
                                &ctx.t("request-remind-kept", &args!["days" => i64::from(days)]),
                            );
                            format!("ok (remind after {days} days)")
                        }
                        (Some(_), false) => {
                            said.push('\n');
                            said.push_str(&ctx.t("request-remind-lost", &[]));
                            "ok (the reminder was not kept)".to_owned()
                        }
                        (None, _) => "ok".to_owned(),
                    };
                    ctx.audit("contract.request_sign", Some(id.as_str()), &outcome);
                    Ok(Reply::text(said))
                }
                Err(e) => Err(acted(ctx, "contract.request_sign", &id, e)),
            }
        }
    }
}
