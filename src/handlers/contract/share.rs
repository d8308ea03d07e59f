//! Status cards: **Share in this channel** first shows privately exactly what the card will make public, **Post** posts it once; unsharing stops its updates.

use crate::args;
use crate::comake::wire::{Contract, ContractId};

use super::super::button::ButtonId;
use super::super::{reply, Ctx, Failure, HandlerResult, Reply, Responder, Style};
use super::action;
use super::guard::{linked, name_of, require_sender, resolve};

/// Discord's permission bits that posting a card needs.
const ADMINISTRATOR: u64 = 1 << 3;
const VIEW_CHANNEL: u64 = 1 << 10;
const SEND_MESSAGES: u64 = 1 << 11;
const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;

/// The bits needed to post in this interaction's channel: in a thread Send
/// Messages in Threads, elsewhere Send Messages; when Discord did not say
/// which kind of channel it is, both.
fn post_bits(in_thread: Option<bool>) -> u64 {
    VIEW_CHANNEL
        | match in_thread {
            Some(true) => SEND_MESSAGES_IN_THREADS,
            Some(false) => SEND_MESSAGES,
            None => SEND_MESSAGES | SEND_MESSAGES_IN_THREADS,
        }
}

/// Whether `permissions` (resolved for the channel) allow posting there.
fn may_post(permissions: Option<u64>, in_thread: Option<bool>) -> bool {
    let needed = post_bits(in_thread);
    permissions.is_some_and(|p| p & ADMINISTRATOR != 0 || p & needed == needed)
}

/// The guard of Share and Post, before any store or Comake work: a server
/// channel, listed in `CARD_CHANNEL_IDS` when that is set, where the member
/// may post (the bot never posts for someone where they could not) and so
/// may the bot.
pub(crate) fn share_guard(ctx: &Ctx<'_>) -> Result<(), &'static str> {
    let inv = ctx.inv;
    let (Some(channel), Some(_)) = (inv.channel, inv.guild) else {
        return Err("card-no-channel");
    };
    let listed = &ctx.app.config.discord.card_channel_ids;
    if !listed.is_empty() && !listed.contains(&channel) {
        return Err("card-channel-not-listed");
    }
    if !may_post(inv.permissions, inv.in_thread) {
        return Err("card-member-no-permission");
    }
    if !may_post(inv.app_permissions, inv.in_thread) {
        return Err("card-no-permission");
    }
    Ok(())
}

/// The contract `id` if its card may be shared now: the person's own, sent
/// by them, not ended, and without a card already.
async fn shareable(ctx: &Ctx<'_>, id: &ContractId) -> Result<Contract, Failure> {
    let (_, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, Some(id.as_str())).await?;
    require_sender(ctx, &c)?;
    if c.summary.status.has_ended() {
        return Err(ctx.refuse("card-ended", &args!["name" => name_of(&c)]));
    }
    if ctx.app.store.card(c.summary.id.as_str()).await?.is_some() {
        return Err(ctx.refuse("card-already-shared", &args!["name" => name_of(&c)]));
    }
    Ok(c)
}

/// The card's public text, as it would be posted now.
async fn card_text(ctx: &Ctx<'_>, c: &Contract) -> Result<String, Failure> {
    let body = crate::notify::card_body(ctx.app, ctx.lang, c, ctx.inv.user).await?;
    Ok(body["content"].as_str().unwrap_or_default().to_owned())
}

/// **Share in this channel**: privately, the card exactly as it would be
/// posted, with **Post** and **Never mind**.
pub(crate) async fn preview_card(ctx: &Ctx<'_>, id: &ContractId) -> HandlerResult {
    let c = shareable(ctx, id).await?;
    let card = card_text(ctx, &c).await?;
    let heading = ctx.t("card-preview", &[]);
    // The card is never shortened for the question: a card that fills a
    // message is shown alone, its buttons saying what Post does.
    let with_heading = format!("{heading}\n\n{card}");
    let content = if with_heading.chars().count() <= reply::MAX_CONTENT {
        with_heading
    } else {
        card
    };
    Ok(Reply::text(content).row(vec![
        action(
            ctx.t("button-post", &[]),
            ButtonId::Post(c.summary.id.clone()).to_string(),
            Style::Success,
        ),
        action(
            ctx.t("button-never-mind", &[]),
            ButtonId::KeepPrivate.to_string(),
            Style::Secondary,
        ),
    ]))
}

/// **Post**: post the contract's status card here, public, and keep it so
/// the watcher edits it as the contract moves.
pub(crate) async fn post_card<R: Responder>(
    ctx: &Ctx<'_>,
    responder: &R,
    id: &ContractId,
) -> HandlerResult {
    // The guard let only a server channel through.
    let Some(channel) = ctx.inv.channel else {
        return Err(ctx.refuse("card-no-channel", &[]));
    };
    let c = shareable(ctx, id).await?;
    // A double click (on any instance) posts one card: the first press
    // claims the contract for a minute.
    let (presses, _) = ctx
        .app
        .store
        .count(
            &format!("share:{}", c.summary.id),
            crate::app::now(),
            std::time::Duration::from_secs(60),
        )
        .await?;
    if presses > 1 {
        // A second press of a double click, or a new card within the
        // minute after one was posted (and perhaps unshared).
        return Err(ctx.refuse("card-just-posted", &args!["name" => name_of(&c)]));
    }
    let body = crate::notify::card_body(ctx.app, ctx.lang, &c, ctx.inv.user).await?;
    let message = match responder.post(channel, body).await {
        Ok(message) => message,
        Err(e) => {
            tracing::warn!(error = %e, "a status card could not be posted");
            return Err(ctx.refuse("card-no-permission", &[]));
        }
    };
    let card = crate::store::Card {
        contract: c.summary.id.to_string(),
        owner: ctx.inv.user,
        channel,
        message,
        locale: ctx.inv.locale.clone(),
    };
    ctx.app.store.put_card(card).await?;
    ctx.audit("contract.share", Some(c.summary.id.as_str()), "ok");
    Ok(Reply::text(
        ctx.t("card-shared", &args!["name" => name_of(&c)]),
    ))
}

/// **Unshare** and `/contract unshare`: the card stays as it is, no longer
/// updated.
pub(crate) async fn unshare_card(ctx: &Ctx<'_>, id: &str) -> HandlerResult {
    ctx.account().await?;
    match ctx.app.store.card(id).await? {
        Some(card) if card.owner == ctx.inv.user => {
            ctx.app.store.remove_card(id).await?;
            ctx.audit("contract.unshare", Some(id), "ok");
            Ok(Reply::text(ctx.t("card-unshared", &[])))
        }
        _ => Err(ctx.refuse("card-not-shared", &[])),
    }
}

/// `/contract unshare contract`.
pub(crate) async fn unshare(ctx: &Ctx<'_>) -> HandlerResult {
    let id = ctx
        .inv
        .str("contract")
        .and_then(ContractId::parse)
        .ok_or_else(|| ctx.refuse("card-not-shared", &[]))?;
    unshare_card(ctx, id.as_str()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posting_needs_send_messages_or_in_a_thread_send_in_threads() {
        let view_send = VIEW_CHANNEL | SEND_MESSAGES;
        let view_threads = VIEW_CHANNEL | SEND_MESSAGES_IN_THREADS;
        assert!(may_post(Some(view_send), Some(false)));
        assert!(!may_post(Some(view_send), Some(true)));
        assert!(may_post(Some(view_threads), Some(true)));
        assert!(!may_post(Some(view_threads), Some(false)));
        assert!(!may_post(Some(view_send), None), "unknown: both");
        assert!(may_post(Some(view_send | view_threads), None));
        assert!(!may_post(Some(VIEW_CHANNEL), Some(false)), "read only");
        assert!(!may_post(Some(SEND_MESSAGES), Some(false)), "cannot view");
        assert!(may_post(Some(ADMINISTRATOR), Some(true)));
        assert!(!may_post(None, Some(false)));
    }
}
