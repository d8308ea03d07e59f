//! `/contract board`: a person's team board (their Comake dashboard: counts and a few contract names), shown privately first, **Post** makes it public here and the watcher keeps it current; one per person per channel, a new one replacing the old; **Unshare** stops it.

use crate::comake::wire::BoxTab;
use crate::store::Board;

use super::super::button::ButtonId;
use super::super::{reply, Ctx, Failure, HandlerResult, Reply, Responder, Style};
use super::action;
use super::guard::linked;
use super::share::share_guard;

/// Contracts a board counts: the newest, one page (as the watcher reads).
const LIST_LIMIT: u32 = 100;

/// The guard of `/contract board` and Post, before any store or Comake
/// work: the status cards' (a listed server channel where the member and
/// the bot may both post), in the board's words.
pub(crate) fn board_guard(ctx: &Ctx<'_>) -> Result<(), &'static str> {
    share_guard(ctx).map_err(|why| match why {
        "card-no-channel" => "board-no-channel",
        "card-channel-not-listed" => "board-channel-not-listed",
        "card-member-no-permission" => "board-member-no-permission",
        _ => "board-no-permission",
    })
}

/// The board's public message as it would be posted now.
async fn body(ctx: &Ctx<'_>) -> Result<serde_json::Value, Failure> {
    let (_, user) = linked(ctx).await?;
    let list = user.list_contracts(BoxTab::All, 1, LIST_LIMIT).await?;
    Ok(crate::notify::board_body(
        ctx.app,
        ctx.lang,
        ctx.inv.user,
        &list.contracts,
    ))
}

/// `/contract board`: privately, the board exactly as it would be posted,
/// with **Post** and **Never mind**; with **Unshare** when the person has a
/// board here already (Post replaces it).
pub(crate) async fn board(ctx: &Ctx<'_>) -> HandlerResult {
    board_guard(ctx).map_err(|why| ctx.refuse(why, &[]))?;
    let Some(channel) = ctx.inv.channel else {
        return Err(ctx.refuse("board-no-channel", &[]));
    };
    let body = body(ctx).await?;
    let existing = ctx.app.store.board(ctx.inv.user, channel).await?;
    let heading = ctx.t(
        if existing.is_some() {
            "board-preview-replace"
        } else {
            "board-preview"
        },
        &[],
    );
    let board = body["content"].as_str().unwrap_or_default();
    let with_heading = format!("{heading}\n\n{board}");
    let content = if with_heading.chars().count() <= reply::MAX_CONTENT {
        with_heading
    } else {
        board.to_owned()
    };
    let mut row = vec![
        action(
            ctx.t("button-post", &[]),
            ButtonId::BoardPost.to_string(),
            Style::Success,
        ),
        action(
            ctx.t("button-never-mind", &[]),
            ButtonId::KeepPrivate.to_string(),
            Style::Secondary,
        ),
    ];
    if existing.is_some() {
        row.push(action(
            ctx.t("button-unshare", &[]),
            ButtonId::BoardStop.to_string(),
            Style::Danger,
        ));
    }
    Ok(Reply::text(content).row(row))
}

/// **Post**: post the board here, public, in place of the person's board
/// here (which stays as it is, no longer updated).
pub(crate) async fn post_board<R: Responder>(ctx: &Ctx<'_>, responder: &R) -> HandlerResult {
    let Some(channel) = ctx.inv.channel else {
        return Err(ctx.refuse("board-no-channel", &[]));
    };
    ctx.account().await?;
    // A double click (on any instance) posts one board.
    let (presses, _) = ctx
        .app
        .store
        .count(
            &format!("board:{}:{channel}", ctx.inv.user),
            crate::app::now(),
            std::time::Duration::from_secs(60),
        )
        .await?;
    if presses > 1 {
        return Err(ctx.refuse("board-just-posted", &[]));
    }
    let body = body(ctx).await?;
    let content = body["content"].as_str().unwrap_or_default().to_owned();
    let message = match responder.post(channel, body).await {
        Ok(message) => message,
        Err(e) => {
            tracing::warn!(error = %e, "a team board could not be posted");
            return Err(ctx.refuse("board-no-permission", &[]));
        }
    };
    let old = ctx.app.store.board(ctx.inv.user, channel).await?;
    ctx.app
        .store
        .put_board(Board {
            owner: ctx.inv.user,
            channel,
            message,
            locale: ctx.inv.locale.clone(),
            content,
        })
        .await?;
    ctx.audit("contract.board", None, "ok");
    let mut text = ctx.t("board-posted", &[]);
    if old.is_some() {
        text = format!("{text} {}", ctx.t("board-replaced", &[]));
    }
    Ok(Reply::text(text))
}

/// **Unshare** on the board preview: the person's board here stays as it
/// is, no longer updated.
pub(crate) async fn stop_board(ctx: &Ctx<'_>) -> HandlerResult {
    ctx.account().await?;
    let Some(channel) = ctx.inv.channel else {
        return Err(ctx.refuse("board-none", &[]));
    };
    match ctx.app.store.remove_board(ctx.inv.user, channel).await? {
        Some(_) => {
            ctx.audit("contract.board_unshare", None, "ok");
            Ok(Reply::text(ctx.t("board-unshared", &[])))
        }
        None => Err(ctx.refuse("board-none", &[])),
    }
}
