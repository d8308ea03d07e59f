//! Browsing: `/contract list` (a tab, or one box of it) and `/contract pending`, with their Previous / Next buttons; a whole tab is read by one bounded helper.

use crate::args;
use crate::comake::wire::{
    ApproverStatus, BoxFilter, BoxTab, Contract, ContractStatus, ContractSummary, RequestType,
    Role, SigneeStatus,
};
use crate::comake::{ComakeError, UserClient};
use crate::text;

use super::super::button::ButtonId;
use super::super::{discord_time, page_count, reply, Component, Ctx, HandlerResult, Reply, Style};
use super::guard::linked;
use super::nudge::{with_nudges, PENDING_BUTTONS};
use super::{action, MIN_BUDGET, NAME_BUDGET, PAGE_SIZE};

/// `/contract list`, and its Previous / Next buttons.
pub(crate) async fn list(ctx: &Ctx<'_>) -> HandlerResult {
    let tab = ctx
        .inv
        .str("status")
        .and_then(BoxTab::parse)
        .unwrap_or_default();
    let filter = ctx
        .inv
        .str("box")
        .and_then(BoxFilter::parse)
        .unwrap_or_default();
    let page = ctx.inv.int("page").unwrap_or(1);
    list_page(ctx, tab, filter, page).await
}

/// One page of `tab` in box `filter`: Comake pages the whole box; a
/// narrower box is filtered here from up to [`READ_PAGES`] reads of
/// [`READ_SIZE`] contracts (the list has no box parameter).
pub(crate) async fn list_page(
    ctx: &Ctx<'_>,
    tab: BoxTab,
    filter: BoxFilter,
    page: i64,
) -> HandlerResult {
    let (_, user) = linked(ctx).await?;
    let page = u32::try_from(page)
        .ok()
        .filter(|p| *p >= 1)
        .ok_or_else(|| ctx.refuse("invalid-page", &[]))?;
    let (contracts, total, truncated) = if filter == BoxFilter::All {
        let list = user.list_contracts(tab, page, PAGE_SIZE).await?;
        (list.contracts, list.total, false)
    } else {
        let (held, truncated) = read_tab(&user, tab, |c| filter.holds(c)).await?;
        let total = held.len() as u64;
        let start = (page as usize - 1).saturating_mul(PAGE_SIZE as usize);
        let shown = held
            .into_iter()
            .skip(start)
            .take(PAGE_SIZE as usize)
            .collect();
        (shown, total, truncated)
    };
    let tab_label = ctx.t(&format!("tab-{}", tab.as_str()), &[]);
    let tab_label = if filter == BoxFilter::All {
        tab_label
    } else {
        ctx.t(
            "list-in-box",
            &args!["tab" => tab_label, "box" => ctx.t(&format!("box-{}", filter.as_str()), &[])],
        )
    };
    if total == 0 {
        return Ok(Reply::text(ctx.t("list-empty", &args!["tab" => tab_label])));
    }
    let pages = page_count(total, u64::from(PAGE_SIZE));
    if u64::from(page) > pages {
        return Err(ctx.refuse("invalid-page", &[]));
    }
    let header = ctx.t(
        "list-header",
        &args!["tab" => tab_label, "page" => page, "pages" => pages, "total" => total],
    );
    // Every contract of the page is shown: names are shortened to fit.
    let build = |budget: usize| {
        let mut lines = vec![header.clone()];
        for c in &contracts {
            // Comake's own words on the state, unless they only repeat it.
            let note = ctx.labels().status_note(c.status, &c.status_text);
            let mut line = ctx.t(
                if note.is_some() {
                    "list-line"
                } else {
                    "list-line-plain"
                },
                &args![
                    "name" => text::inert_max(&c.name, budget),
                    "state" => ctx.state_label(c.status),
                    "text" => note.map(|n| text::inert_max(n, budget)).unwrap_or_default(),
                    "when" => discord_time(c.updated_at, 'R'),
                ],
            );
            if c.role == Role::Receiver {
                line.push(' ');
                line.push_str(&ctx.t("list-received", &[]));
            }
            lines.push(format!("• {line}"));
        }
        if truncated {
            lines.push(ctx.t("pending-more-on-web", &[]));
        }
        lines.join("\n")
    };
    let content = reply::fit(NAME_BUDGET, MIN_BUDGET, build).unwrap_or_else(|| build(MIN_BUDGET));
    let row = paging(ctx, page, pages, |page| ButtonId::Page {
        tab,
        filter,
        page,
    });
    Ok(Reply::text(content).row(row))
}

/// Previous and Next for page `page` of `pages`, with `id` making a page's
/// button id.
fn paging(ctx: &Ctx<'_>, page: u32, pages: u64, id: impl Fn(u32) -> ButtonId) -> Vec<Component> {
    let mut row = Vec::new();
    if page > 1 {
        row.push(action(
            ctx.t("button-previous", &[]),
            id(page - 1).to_string(),
            Style::Secondary,
        ));
    }
    if u64::from(page) < pages {
        row.push(action(
            ctx.t("button-next", &[]),
            id(page + 1).to_string(),
            Style::Secondary,
        ));
    }
    row
}

/// Contracts read per list request, and list requests at most per tab,
/// where a command needs a whole tab rather than one of Comake's pages (a
/// narrower box of `/contract list`, and `/contract pending`).
const READ_SIZE: u32 = 100;
const READ_PAGES: u32 = 3;
/// Entries a page of `/contract pending` shows (each sent one costs a read
/// of its signees).
const PENDING_PAGE: usize = 8;

/// Up to [`READ_PAGES`] pages of `tab`, the contracts `keep` holds, and
/// whether some were left unread (more are on the website).
async fn read_tab(
    user: &UserClient,
    tab: BoxTab,
    keep: impl Fn(&ContractSummary) -> bool,
) -> Result<(Vec<ContractSummary>, bool), ComakeError> {
    let mut held = Vec::new();
    for p in 1..=READ_PAGES {
        let list = user.list_contracts(tab, p, READ_SIZE).await?;
        let got = list.contracts.len();
        held.extend(list.contracts.into_iter().filter(|c| keep(c)));
        if u64::from(p) * u64::from(READ_SIZE) >= list.total || got == 0 {
            return Ok((held, false));
        }
    }
    Ok((held, true))
}

/// `/contract pending`: what waits, split as Comake's dashboard does into
/// approval waiting (결재 대기중) and signature waiting (서명 대기중). In
/// each, the person's sent contracts longest waiting first, each with whom
/// it waits for and since when; then the ones waiting on the person.
pub(crate) async fn pending(ctx: &Ctx<'_>) -> HandlerResult {
    pending_page(ctx, ctx.inv.int("page").unwrap_or(1)).await
}

/// Which of the dashboard's two counts something waiting is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Waits {
    Approval,
    Signature,
}

/// What `c` waits for: a received one by what is asked of the person
/// (`requestType`), anything else by its state.
fn waits_for(c: &ContractSummary) -> Waits {
    match (c.role, c.request_type) {
        (Role::Receiver, Some(RequestType::Approval)) => Waits::Approval,
        (Role::Receiver, Some(RequestType::Sign)) => Waits::Signature,
        _ if c.status == ContractStatus::Approving => Waits::Approval,
        _ => Waits::Signature,
    }
}

pub(crate) async fn pending_page(ctx: &Ctx<'_>, page: i64) -> HandlerResult {
    let (_, user) = linked(ctx).await?;
    let page = usize::try_from(page)
        .ok()
        .filter(|p| *p >= 1)
        .ok_or_else(|| ctx.refuse("invalid-page", &[]))?;
    // Everything in motion, from the tabs that hold it (approval is in
    // "preparing", signing in "signing"); bounded in requests.
    let mut moving = Vec::new();
    let mut truncated = false;
    for tab in [BoxTab::Signing, BoxTab::Preparing] {
        let (held, more) = read_tab(&user, tab, |c| c.status.is_moving()).await?;
        moving.extend(held);
        truncated |= more;
    }
    // Longest waiting first: the least recently moved.
    moving.sort_by(|a, b| a.updated_at.cmp(&b.updated_at).then(a.id.cmp(&b.id)));
    // Of those sent to them, only the ones whose next step is theirs.
    // (When Comake does not say whose turn it is, every one is listed.)
    moving.retain(|c| c.role == Role::Sender || c.my_turn != Some(false));
    // In order: approval, then signature; in each, sent, then on them.
    let order = |c: &ContractSummary| (waits_for(c) == Waits::Signature, c.role != Role::Sender);
    moving.sort_by_key(order);
    let count = |w: Waits| moving.iter().filter(|c| waits_for(c) == w).count() as u64;
    let (approval, signature) = (count(Waits::Approval), count(Waits::Signature));
    let mine = moving.iter().filter(|c| c.role != Role::Sender).count() as u64;
    let total = moving.len();
    if total == 0 {
        return Ok(Reply::text(ctx.t("pending-none", &[])));
    }
    let pages = page_count(total as u64, PENDING_PAGE as u64);
    if page as u64 > pages {
        return Err(ctx.refuse("invalid-page", &[]));
    }
    let start = (page - 1) * PENDING_PAGE;
    let shown: Vec<&ContractSummary> = moving.iter().skip(start).take(PENDING_PAGE).collect();
    // Whom they wait for, for the sent ones on this page.
    let mut waiting_for: Vec<Vec<String>> = Vec::new();
    let mut details = Vec::new();
    for c in &shown {
        if c.role != Role::Sender {
            waiting_for.push(Vec::new());
            continue;
        }
        let detail = user.get_contract(&c.id).await?;
        details.push(detail.clone());
        // In approval, those it waits for are the approvers, not signees.
        waiting_for.push(if c.status == ContractStatus::Approving {
            detail
                .approvers
                .iter()
                .filter(|a| a.status == ApproverStatus::Waiting)
                .map(|a| a.name.clone())
                .collect()
        } else {
            detail
                .signees
                .iter()
                .filter(|s| s.status != SigneeStatus::Signed)
                .map(|s| s.name.clone())
                .collect()
        });
    }
    let header = ctx.t(
        "pending-split-header",
        &args![
            "page" => page as u64,
            "pages" => pages,
            "approval" => approval,
            "signature" => signature,
            "mine" => mine,
        ],
    );
    let build = |budget: usize| {
        let mut lines = vec![header.clone()];
        let mut group = None;
        for (c, names) in shown.iter().zip(&waiting_for) {
            let waits = waits_for(c);
            if group != Some(waits) {
                group = Some(waits);
                lines.push(ctx.t(
                    match waits {
                        Waits::Approval => "pending-group-approval",
                        Waits::Signature => "pending-group-signature",
                    },
                    &[],
                ));
            }
            let since = discord_time(c.updated_at, 'R');
            let name = text::inert_max(&c.name, budget);
            let line = if c.role == Role::Sender {
                let who = if names.is_empty() {
                    ctx.t("pending-approval", &[])
                } else {
                    let names = names
                        .iter()
                        .map(|n| text::inert_max(n, budget))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let id = if c.status == ContractStatus::Approving {
                        "pending-not-approved"
                    } else {
                        "pending-not-signed"
                    };
                    ctx.t(id, &args!["names" => names])
                };
                ctx.t(
                    "pending-sent-line",
                    &args!["name" => name, "state" => ctx.state_label(c.status), "who" => who, "since" => since],
                )
            } else {
                let asked = match waits {
                    Waits::Approval => "approval",
                    Waits::Signature => "signature",
                };
                ctx.t(
                    "pending-mine-line",
                    &args!["name" => name, "asked" => asked, "since" => since],
                )
            };
            lines.push(format!("• {line}"));
        }
        if truncated {
            lines.push(ctx.t("pending-more-on-web", &[]));
        }
        lines.join("\n")
    };
    let content = reply::fit(NAME_BUDGET, MIN_BUDGET, build).unwrap_or_else(|| build(MIN_BUDGET));
    let page = u32::try_from(page).unwrap_or(u32::MAX);
    let row = paging(ctx, page, pages, |page| ButtonId::Pending { page });
    // A Nudge button for each linked colleague whose turn it is.
    let details: Vec<&Contract> = details.iter().collect();
    with_nudges(
        ctx,
        Reply::text(content).row(row),
        &details,
        true,
        PENDING_BUTTONS,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The most Comake requests one `/contract pending` (or one of its
    /// pages) makes, besides a sign-in when the person's token has
    /// expired: the list pages of its two tabs, and one detail read per
    /// row shown. The README states it.
    #[test]
    fn pending_costs_what_the_readme_says() {
        let most = 2 * READ_PAGES as usize + PENDING_PAGE;
        let readme = include_str!("../../../README.md");
        assert!(
            readme.contains(&format!("at most {most} Comake requests")),
            "the README does not state the bound of {most}"
        );
    }
}
