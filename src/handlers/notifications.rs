//! `/comake notifications` and the buttons that go with it: the settings view (real-time DMs, digest, kinds, muted contracts, status cards), turning each on and off, and Mute / Unmute of one contract.

use crate::args;
use crate::comake::wire::ContractId;
use crate::notify::Muted;
use crate::store::{Digest, NewsKind};
use crate::text;

use super::button::ButtonId;
use super::{Component, Ctx, HandlerResult, Reply, Style};

/// Characters of a contract's name in a sentence.
const NAME: usize = 100;
/// Characters of a contract's name in the settings' lists.
const LIST_NAME: usize = 40;
/// Characters of a contract's name on its Unmute button.
const BUTTON_NAME: usize = 50;
/// Status cards listed by name; the rest are counted.
const CARDS_LISTED: usize = 5;

/// A kind of news in words.
fn kind_name(ctx: &Ctx<'_>, kind: NewsKind) -> String {
    ctx.t(&format!("news-kind-{}", kind.as_str()), &[])
}

/// `/comake notifications` with no option: the settings as they are, with
/// an Unmute button for each muted contract.
async fn settings(ctx: &Ctx<'_>) -> HandlerResult {
    let state = crate::notify::current(ctx.app, ctx.inv.user).await?;
    let zone = ctx.app.config.digest_timezone.name().to_owned();
    let live = ctx.t(
        if state.enabled && !state.unreachable {
            "notify-settings-live-on"
        } else if state.enabled {
            "notify-settings-live-closed"
        } else {
            "notify-settings-live-off"
        },
        &[],
    );
    let digest = ctx.t(
        &format!("notify-settings-digest-{}", state.digest.as_str()),
        &args!["zone" => zone],
    );
    let kinds = if state.kinds_off.is_empty() {
        ctx.t("notify-settings-kinds-all", &[])
    } else {
        let off: Vec<String> = state.kinds_off.iter().map(|k| kind_name(ctx, *k)).collect();
        ctx.t(
            "notify-settings-kinds-off",
            &args!["kinds" => off.join(", ")],
        )
    };
    let muted = if state.muted.is_empty() {
        ctx.t("notify-settings-none", &[])
    } else {
        let names: Vec<String> = state
            .muted
            .values()
            .map(|n| format!("**{}**", text::inert_max(n, LIST_NAME)))
            .collect();
        ctx.t("notify-settings-muted", &args!["names" => names.join(", ")])
    };
    // The person's status cards: which contract, in which channel.
    let mut cards: Vec<_> = ctx
        .app
        .store
        .all_cards()
        .await?
        .into_iter()
        .filter(|c| c.owner == ctx.inv.user)
        .collect();
    cards.sort_by_key(|c| (c.channel, c.message));
    let cards = if cards.is_empty() {
        ctx.t("notify-settings-none", &[])
    } else {
        let mut listed: Vec<String> = cards
            .iter()
            .take(CARDS_LISTED)
            .map(|c| {
                let name = state
                    .contracts
                    .get(&c.contract)
                    .map(|seen| seen.name.clone())
                    .unwrap_or_default();
                let name = text::or_fallback(&name, || ctx.t("notify-settings-card-unnamed", &[]));
                ctx.t(
                    "notify-settings-card",
                    &args![
                        "name" => text::inert_max(&name, LIST_NAME),
                        "channel" => format!("<#{}>", c.channel),
                    ],
                )
            })
            .collect();
        if cards.len() > CARDS_LISTED {
            listed.push(ctx.t(
                "notify-settings-cards-more",
                &args!["count" => (cards.len() - CARDS_LISTED) as u64],
            ));
        }
        listed.join(", ")
    };
    let mut reply = Reply::text(ctx.t(
        "notify-settings",
        &args![
            "live" => live,
            "digest" => digest,
            "kinds" => kinds,
            "muted" => muted,
            "cards" => cards,
        ],
    ));
    let buttons: Vec<Component> = state
        .muted
        .iter()
        .filter_map(|(id, name)| {
            let id = ContractId::parse(id)?;
            Some(Component::Button {
                label: ctx.t(
                    "notify-button-unmute",
                    &args!["name" => text::label(name, BUTTON_NAME)],
                ),
                custom_id: ButtonId::Unmute(id).to_string(),
                style: Style::Secondary,
            })
        })
        .collect();
    for row in buttons.chunks(5).take(5) {
        reply = reply.row(row.to_vec());
    }
    Ok(reply)
}

/// The kind named by option `name`, if given.
fn kind_option(ctx: &Ctx<'_>, name: &str) -> Result<Option<NewsKind>, super::Failure> {
    match ctx.inv.str(name) {
        Some(raw) => NewsKind::parse(raw)
            .map(Some)
            .ok_or_else(|| ctx.refuse("error-unknown-command", &[])),
        None => Ok(None),
    }
}

/// `/comake notifications`: real-time DMs on or off, the digest, and
/// kinds of news off (`off:`) or on again (`on:`); with no option, the
/// settings. Every change asked for is said, in one answer.
pub(crate) async fn notifications(ctx: &Ctx<'_>) -> HandlerResult {
    ctx.account().await?;
    let digest = match ctx.inv.str("digest") {
        Some(raw) => {
            Some(Digest::parse(raw).ok_or_else(|| ctx.refuse("error-unknown-command", &[]))?)
        }
        None => None,
    };
    let enabled = ctx.inv.bool("enabled");
    let off = kind_option(ctx, "off")?;
    let on = kind_option(ctx, "on")?;
    if digest.is_none() && enabled.is_none() && off.is_none() && on.is_none() {
        return settings(ctx).await;
    }
    if off.is_some() && off == on {
        return Err(ctx.refuse("notify-kind-both", &[]));
    }
    let user = ctx.inv.user;
    // Everything changed is said, so that turning real-time DMs off never
    // hides that a digest stays on.
    let mut said = Vec::new();
    if let Some(enabled) = enabled {
        crate::notify::set_enabled(ctx.app, user, enabled).await?;
        ctx.audit(
            if enabled {
                "notifications.on"
            } else {
                "notifications.off"
            },
            None,
            "ok",
        );
        said.push(ctx.t(
            if enabled {
                "notify-enabled"
            } else {
                "notify-disabled"
            },
            &[],
        ));
    }
    if let Some(digest) = digest {
        crate::notify::set_digest(ctx.app, user, digest).await?;
        ctx.audit(
            &format!("notifications.digest_{}", digest.as_str()),
            None,
            "ok",
        );
        let zone = ctx.app.config.digest_timezone.name();
        said.push(ctx.t(
            &format!("notify-digest-{}", digest.as_str()),
            &args!["zone" => zone.to_owned(), "days" => ctx.app.config.digest_stale.as_secs() / 86_400],
        ));
    }
    for (kind, want) in [(off, false), (on, true)] {
        let Some(kind) = kind else {
            continue;
        };
        if crate::notify::set_kind(ctx.app, user, kind, want).await? {
            ctx.audit(
                if want {
                    "notifications.kind_on"
                } else {
                    "notifications.kind_off"
                },
                None,
                "ok",
            );
        }
        said.push(ctx.t(
            if want {
                "notify-kind-on"
            } else {
                "notify-kind-off"
            },
            &args!["kind" => kind_name(ctx, kind)],
        ));
    }
    Ok(Reply::text(said.join("\n")))
}

/// The Mute button of a notification DM: no more DMs (nor digest lines)
/// about this contract, until it is unmuted. Only for the linked person
/// (the dispatch has checked they are still in a listed server); a double
/// click mutes once.
pub(crate) async fn mute(ctx: &Ctx<'_>, id: &ContractId) -> HandlerResult {
    ctx.account().await?;
    let name = match crate::notify::mute(ctx.app, ctx.inv.user, id.as_str()).await? {
        Muted::Now(name) => {
            ctx.audit("notifications.mute", Some(id.as_str()), "ok");
            name
        }
        Muted::Already(name) => name,
        Muted::Unknown => return Err(ctx.refuse("notify-mute-unknown", &[])),
        Muted::Full => {
            return Err(ctx.refuse(
                "notify-mute-full",
                &args!["max" => crate::store::MAX_MUTED as u64],
            ))
        }
    };
    Ok(Reply::text(ctx.t(
        "notify-muted",
        &args!["name" => text::inert_max(&name, NAME)],
    ))
    .row(vec![Component::Button {
        label: ctx.t(
            "notify-button-unmute",
            &args!["name" => text::label(&name, BUTTON_NAME)],
        ),
        custom_id: ButtonId::Unmute(id.clone()).to_string(),
        style: Style::Secondary,
    }]))
}

/// An Unmute button: DMs about the contract again. On the settings (in a
/// server) the settings are shown again, updated; in a DM (the answer to
/// Mute) a line says so.
pub(crate) async fn unmute(ctx: &Ctx<'_>, id: &ContractId) -> HandlerResult {
    ctx.account().await?;
    let unmuted = crate::notify::unmute(ctx.app, ctx.inv.user, id.as_str()).await?;
    if unmuted.is_some() {
        ctx.audit("notifications.unmute", Some(id.as_str()), "ok");
    }
    let said = match &unmuted {
        Some(name) => ctx.t(
            "notify-unmuted",
            &args!["name" => text::inert_max(name, NAME)],
        ),
        None => ctx.t("notify-unmute-none", &[]),
    };
    if ctx.inv.guild.is_none() {
        return Ok(Reply::text(said));
    }
    let mut view = settings(ctx).await?;
    view.content = format!("{said}\n\n{}", view.content);
    Ok(view)
}
