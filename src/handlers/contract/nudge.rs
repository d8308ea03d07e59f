//! The Nudge (재촉) button on `/contract show` and `/contract pending` (the digest's come from the watcher): pressed, everything is checked again (the presser is the contract's sender, the colleague is linked and it is their turn) before the colleague gets the day's one nudge by DM.

use crate::args;
use crate::comake::wire::{Contract, ContractId, Role};
use crate::notify::nudge::{self, Nudged};
use crate::reply::MAX_CONTENT;
use crate::store::Reminder;
use crate::text;

use super::super::{discord_time, Ctx, Failure, HandlerResult, Reply};
use super::guard::{linked, name_of, resolve};

/// Nudge buttons at most on one message: one row on `/contract show`,
/// up to four under `/contract pending`'s paging row.
pub(super) const SHOW_BUTTONS: usize = 5;
pub(super) const PENDING_BUTTONS: usize = 20;

/// `reply` with Nudge buttons for `contracts` (the sender's own detail
/// views) in rows of five, and a line saying whom the bot cannot remind,
/// when it fits.
pub(super) async fn with_nudges(
    ctx: &Ctx<'_>,
    mut reply: Reply,
    contracts: &[&Contract],
    named: bool,
    max: usize,
) -> Result<Reply, Failure> {
    let (buttons, outside) =
        nudge::offers(ctx.app, ctx.lang, ctx.inv.user, contracts, named, max).await?;
    if !outside.is_empty() {
        let note = ctx.t(
            "nudge-outside",
            &args!["names" => outside.join(", "), "web" => ctx.app.config.comake.web_url.to_string()],
        );
        if reply.content.chars().count() + note.chars().count() < MAX_CONTENT {
            reply.content.push('\n');
            reply.content.push_str(&note);
        }
    }
    for row in buttons.chunks(5) {
        reply = reply.row(row.to_vec());
    }
    Ok(reply)
}

/// The Nudge button: DM linked colleague `colleague` about `id` now, if
/// the presser sent it, it is the colleague's turn, and no nudge of them
/// about it went out today. The presser alone is told how it went.
pub(crate) async fn nudge(ctx: &Ctx<'_>, id: &ContractId, colleague: u64) -> HandlerResult {
    let (me, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, Some(id.as_str())).await?;
    let refused = |why: &str, message: Failure| {
        ctx.audit(
            "contract.nudge",
            Some(id.as_str()),
            &format!("refused: {why}"),
        );
        Err(message)
    };
    if c.summary.role != Role::Sender {
        return refused(
            "not the sender",
            ctx.refuse("not-owner", &args!["name" => name_of(&c)]),
        );
    }
    let Some(them) = ctx.app.store.account(colleague).await? else {
        return refused("not linked", ctx.refuse("nudge-not-linked", &[]));
    };
    let waited = nudge::waited_on(&c);
    let who = waited
        .iter()
        .find(|w| crate::store::normalize_email(&w.email) == them.email)
        .filter(|_| them.discord_id != me.discord_id);
    let Some(who) = who else {
        return refused(
            "not their turn",
            ctx.refuse("nudge-not-their-turn", &args!["name" => name_of(&c)]),
        );
    };
    // Comake's own word on it, from their side, when it gives one.
    if nudge::their_turn(&ctx.app.comake, &them, &c).await == Some(false) {
        return refused(
            "not their turn",
            ctx.refuse("nudge-not-their-turn", &args!["name" => name_of(&c)]),
        );
    }
    let Some(http) = ctx.app.members.http() else {
        return Err(ctx.internal("nudge: no Discord REST client"));
    };
    let colleague_name = text::inert_max(&who.name, 100);
    match nudge::nudge(ctx.app, http, &me, &them, who, &c, crate::app::now()).await {
        Ok(Nudged::Sent) => {
            ctx.audit("contract.nudge", Some(id.as_str()), "ok");
            Ok(Reply::text(ctx.t(
                "nudge-sent",
                &args!["who" => colleague_name, "name" => name_of(&c)],
            )))
        }
        Ok(Nudged::TooSoon(next)) => refused(
            "already nudged today",
            ctx.refuse(
                "nudge-too-soon",
                &args!["who" => colleague_name, "next" => discord_time(next, 'R')],
            ),
        ),
        Ok(Nudged::Closed) => refused(
            "their DMs are closed",
            ctx.refuse("nudge-dms-closed", &args!["who" => colleague_name]),
        ),
        Ok(Nudged::Muted) => refused(
            "they muted this contract",
            ctx.refuse(
                "nudge-muted",
                &args!["who" => colleague_name, "name" => name_of(&c)],
            ),
        ),
        Err(crate::notify::NotifyError::Store(e)) => Err(e.into()),
        Err(crate::notify::NotifyError::Comake(e)) => Err(e.into()),
        Err(e) => {
            let failure = ctx.internal(e);
            if let Failure::Internal { id: error, .. } = &failure {
                ctx.audit(
                    "contract.nudge",
                    Some(id.as_str()),
                    &format!("error: {error}"),
                );
            }
            Err(failure)
        }
    }
}

/// After the requests of `id` went out: keep its reminder of `days` (or
/// drop an older one when none was asked for). Whether it was kept.
pub(super) async fn keep_reminder(ctx: &Ctx<'_>, id: &ContractId, days: Option<u32>) -> bool {
    let store = &ctx.app.store;
    let written = match days {
        Some(days) => {
            store
                .put_reminder(Reminder {
                    contract: id.as_str().to_owned(),
                    sender: ctx.inv.user,
                    days,
                    since: crate::app::now(),
                    reminded: Vec::new(),
                })
                .await
        }
        None => store.remove_reminder(id.as_str()).await,
    };
    match written {
        Ok(()) => days.is_some(),
        Err(e) => {
            tracing::error!(error = %e, "a reminder could not be kept");
            false
        }
    }
}
