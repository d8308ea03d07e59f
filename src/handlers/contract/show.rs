//! `/contract show` (parties, signees, recent history, and the buttons the state allows) and `/contract rename`.

use crate::args;
use crate::comake::wire::{
    timeline, BoxTab, Contract, ContractId, Role, SigneeStatus, TimelineEvent,
};
use crate::comake::ComakeError;
use crate::text;
use crate::validate;

use super::super::action::Action;
use super::super::button::ButtonId;
use super::super::{
    discord_time, party_name, plain, reply, Component, Ctx, HandlerResult, Reply, Style,
};
use super::guard::{acted, linked, resolve};
use super::nudge::{with_nudges, SHOW_BUTTONS};
use super::{action, MIN_BUDGET, NAME_BUDGET};

/// Timeline events shown by `/contract show`.
pub(super) const HISTORY: usize = 5;

/// `/contract show`: parties, signees, recent history, and the actions the
/// state allows as buttons.
pub(crate) async fn show(ctx: &Ctx<'_>) -> HandlerResult {
    show_of(ctx, ctx.inv.str("contract")).await
}

/// **Show** on the next-steps DM: `/contract show` of contract `id`.
pub(crate) async fn show_id(ctx: &Ctx<'_>, id: &ContractId) -> HandlerResult {
    show_of(ctx, Some(id.as_str())).await
}

async fn show_of(ctx: &Ctx<'_>, raw: Option<&str>) -> HandlerResult {
    let (account, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, raw).await?;
    let mut reply = render(ctx, &c, &account.email);
    let mut row: Vec<Component> = super::forms::set_button(ctx, &c).into_iter().collect();
    if ctx.inv.guild.is_none() {
        // In a DM (the next-steps DM's Show) only the buttons that work
        // there; a card is shared from a channel.
        let works_in_dm = |b: &Component| match b {
            Component::Button { custom_id, .. } => custom_id
                .parse::<ButtonId>()
                .is_ok_and(|b| super::super::button_route(&b).in_dm),
            Component::Link { .. } => true,
        };
        reply.rows = std::mem::take(&mut reply.rows)
            .into_iter()
            .map(|r| r.into_iter().filter(works_in_dm).collect())
            .filter(|r: &Vec<Component>| !r.is_empty())
            .collect();
        return Ok(reply.row(row));
    }
    if c.summary.role == Role::Sender && c.summary.status.is_moving() {
        reply = with_nudges(ctx, reply, &[&c], false, SHOW_BUTTONS).await?;
    }
    // The sender can share a live status card here, or stop one.
    if c.summary.role == Role::Sender && !c.summary.status.has_ended() {
        let shared = ctx.app.store.card(c.summary.id.as_str()).await?.is_some();
        let (label, id) = if shared {
            ("button-unshare", ButtonId::Unshare(c.summary.id.clone()))
        } else {
            ("button-share", ButtonId::Share(c.summary.id.clone()))
        };
        row.push(action(ctx.t(label, &[]), id.to_string(), Style::Secondary));
    }
    Ok(reply.row(row))
}

pub(super) fn signee_status(ctx: &Ctx<'_>, s: SigneeStatus) -> String {
    ctx.labels().progress(s)
}

/// The message id of a timeline action: one per known action, "other" for
/// the rest (never the raw code), and whether the sender does it (which
/// names an unknown actor).
fn history_id(action: &str) -> (&'static str, bool) {
    match action {
        timeline::CREATED => ("history-created", true),
        timeline::SIGNEES_SET => ("history-signees-set", true),
        timeline::APPROVAL_REQUESTED => ("history-approval-requested", true),
        timeline::APPROVED => ("history-approved", false),
        timeline::APPROVAL_REJECTED => ("history-approval-rejected", false),
        timeline::APPROVAL_CANCELLED => ("history-approval-cancelled", true),
        timeline::SIGN_REQUESTED => ("history-sign-requested", true),
        timeline::VIEWED => ("history-viewed", false),
        timeline::SIGNED => ("history-signed", false),
        timeline::SIGN_REJECTED => ("history-sign-rejected", false),
        timeline::SIGN_CANCELLED => ("history-sign-cancelled", true),
        timeline::COMPLETED => ("history-completed", false),
        timeline::TRASHED => ("history-trashed", true),
        _ => ("history-other", false),
    }
}

/// Who did `e`, by name: the viewer themself, the signee or approver whose
/// email it is, the sender for what only a sender does, or a name
/// Comake gave; never an email address.
fn actor_name(ctx: &Ctx<'_>, c: &Contract, me: &str, e: &TimelineEvent, budget: usize) -> String {
    let actor = e.actor.trim();
    let same = |email: &str| email.trim().eq_ignore_ascii_case(actor);
    if !actor.is_empty() && same(me) {
        return ctx.t("history-actor-me", &[]);
    }
    let known = c
        .signees
        .iter()
        .find(|s| same(&s.email))
        .map(|s| s.name.as_str())
        .or_else(|| {
            c.approvers
                .iter()
                .find(|a| same(&a.email))
                .map(|a| a.name.as_str())
        })
        .filter(|name| !name.trim().is_empty());
    if let Some(name) = known {
        return text::inert_max(name, budget);
    }
    if history_id(&e.action).1 {
        // Only the sender does this: the viewer when they sent it.
        return ctx.t(
            if c.summary.role == Role::Sender {
                "history-actor-me"
            } else {
                "history-actor-sender"
            },
            &[],
        );
    }
    if actor.is_empty() || actor.contains('@') {
        return ctx.t("history-actor-someone", &[]);
    }
    text::inert_max(&text::scrub_contacts(actor), budget)
}

pub(super) fn render(ctx: &Ctx<'_>, c: &Contract, me: &str) -> Reply {
    let s = &c.summary;
    // Every party is kept; names shrink first, then history gives way (and
    // says how much it left out).
    let build = |budget: usize, history: usize| {
        let mut lines = vec![ctx.t(
            "show-header",
            &args![
                "name" => text::inert_max(&s.name, budget),
                "state" => ctx.state_label(s.status),
            ],
        )];
        if let Some(note) = ctx.labels().status_note(s.status, &s.status_text) {
            lines.push(text::inert_max(note, budget));
        }
        // Before any signature request, nobody "sent" it and no signee is
        // "waiting" yet: their progress is left out.
        let unsent = s.status.tab() == BoxTab::Preparing;
        lines.push(ctx.t(
            match (s.role, unsent) {
                (Role::Sender, true) => "show-role-sender-unsent",
                (Role::Sender, false) => "show-role-sender",
                _ => "show-role-receiver",
            },
            &[],
        ));
        lines.push(String::new());
        lines.push(ctx.t("show-parties", &[]));
        for p in &c.parties {
            let signee = match c.signees.iter().find(|x| x.party == p.index) {
                Some(x) => ctx.t(
                    if unsent {
                        "show-signee-unsent"
                    } else {
                        "show-signee"
                    },
                    &args![
                        "name" => text::inert_max(&x.name, budget),
                        "email" => text::inert_max(&x.email, budget),
                        "status" => signee_status(ctx, x.status),
                    ],
                ),
                None => ctx.t("show-no-signee", &[]),
            };
            lines.push(format!(
                "• {}",
                ctx.t(
                    "show-party",
                    &args!["party" => text::inert_max(&party_name(ctx, p), budget), "signee" => signee]
                )
            ));
        }
        // The approval line in order, with whose turn it is.
        let approvers = ctx
            .labels()
            .approval_line(&c.approvers, |a| text::inert_max(&a.name, budget));
        if !approvers.is_empty() {
            lines.push(String::new());
            lines.push(ctx.t("approval-line", &[]));
            lines.extend(approvers);
        }
        if !c.timeline.is_empty() {
            lines.push(String::new());
            lines.push(ctx.t("show-history", &[]));
            for e in c.timeline.iter().rev().take(history) {
                let what = ctx.t(
                    history_id(&e.action).0,
                    &args!["actor" => actor_name(ctx, c, me, e, budget)],
                );
                let event = ctx.t(
                    "show-event",
                    &args!["when" => discord_time(e.at, 'R'), "what" => what],
                );
                // A request message or a decline reason: someone else's
                // words, shown inert and shortened like the names.
                let line = match e.message.as_deref().map(str::trim) {
                    Some(said) if !said.is_empty() => ctx.t(
                        "show-event-said",
                        &args!["event" => event, "message" => text::inert_max(said, budget)],
                    ),
                    _ => event,
                };
                lines.push(format!("• {line}"));
            }
            let left_out = c.timeline.len().saturating_sub(history);
            if left_out > 0 {
                lines.push(ctx.t("show-history-more", &args!["count" => left_out as i64]));
            }
        }
        lines.join("\n")
    };
    let content = (0..=HISTORY)
        .rev()
        .find_map(|history| reply::fit(NAME_BUDGET, MIN_BUDGET, |b| build(b, history)))
        .unwrap_or_else(|| build(MIN_BUDGET, 0));
    let row = Action::ALL
        .into_iter()
        .filter(|a| a.allowed(s.status, s.role))
        .map(|a| {
            let style = match a {
                Action::Edit => Style::Secondary,
                Action::RequestSign => Style::Primary,
                Action::CancelSign | Action::Delete => Style::Danger,
            };
            let id = ButtonId::Act(a, s.id.clone());
            action(ctx.t(a.label(), &[]), id.to_string(), style)
        })
        .collect();
    Reply::text(content).row(row)
}

/// `/contract rename`: the user's own label. One round trip: Comake itself
/// refuses a contract that is not the user's.
pub(crate) async fn rename(ctx: &Ctx<'_>) -> HandlerResult {
    let new_name = validate::name(ctx.inv.str("name").unwrap_or_default())
        .ok_or_else(|| ctx.refuse("invalid-name", &[]))?;
    let (_, user) = linked(ctx).await?;
    let id = ctx
        .inv
        .str("contract")
        .and_then(ContractId::parse)
        .ok_or_else(|| ctx.refuse("invalid-contract", &[]))?;
    match user.rename_contract(&id, &new_name).await {
        Ok(_) => {
            ctx.app.contracts.forget(ctx.inv.user);
            ctx.audit("contract.rename", Some(id.as_str()), "ok");
            Ok(Reply::text(
                ctx.t("rename-done", &args!["name" => plain(&new_name)]),
            ))
        }
        Err(ComakeError::NotFound(_) | ComakeError::Forbidden(_)) => {
            ctx.audit("contract.rename", Some(id.as_str()), "refused: not theirs");
            Err(ctx.refuse("invalid-contract", &[]))
        }
        Err(e) => Err(acted(ctx, "contract.rename", &id, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_action_has_its_own_message_and_the_rest_read_other() {
        let known = [
            timeline::CREATED,
            timeline::SIGNEES_SET,
            timeline::APPROVAL_REQUESTED,
            timeline::APPROVED,
            timeline::APPROVAL_REJECTED,
            timeline::APPROVAL_CANCELLED,
            timeline::SIGN_REQUESTED,
            timeline::VIEWED,
            timeline::SIGNED,
            timeline::SIGN_REJECTED,
            timeline::SIGN_CANCELLED,
            timeline::COMPLETED,
            timeline::TRASHED,
        ];
        let mut ids: Vec<&str> = known.iter().map(|a| history_id(a).0).collect();
        assert!(!ids.contains(&"history-other"), "{ids:?}");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), known.len(), "one message each");
        for odd in ["approved_step", "", "SIGNED", "sign_requested "] {
            assert_eq!(history_id(odd).0, "history-other", "{odd:?}");
        }
        let i18n = crate::i18n::I18n::load().expect("messages load");
        for id in ids.iter().chain(&["history-other"]) {
            for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Ko] {
                let said = i18n.t(lang, id, &args!["actor" => "Lee"]);
                assert_ne!(said, *id, "{id} is missing in {lang:?}");
            }
        }
    }
}
