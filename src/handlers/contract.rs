//! `/contract`: links to upload or change a contract, list, show, rename, delete, signees, and sending or withdrawing signature requests; and their buttons.

use crate::args;
use crate::comake::wire::{
    BoxFilter, BoxTab, Contract, ContractId, ContractStatus, ContractSummary, Role, SigneeInput,
    SigneeStatus,
};
use crate::comake::{ComakeError, UserClient};
use crate::store::Account;
use crate::validate;

use super::action::Action;
use super::button::ButtonId;
use super::confirm::{Pending, Shown};
use super::{
    discord_time, fv, page_count, party_name, plain, reply, Component, Ctx, Failure, HandlerResult,
    Reply, Responder, Style,
};
use crate::text;

/// Contracts on one page of `/contract list`.
pub(crate) const PAGE_SIZE: u32 = 10;
/// Characters a name gets in a message when everything fits, and the least
/// it is shortened to.
const NAME_BUDGET: usize = 100;
const MIN_BUDGET: usize = 12;
/// Timeline events shown by `/contract show`.
const HISTORY: usize = 5;

fn action(label: String, custom_id: String, style: Style) -> Component {
    Component::Button {
        label,
        custom_id,
        style,
    }
}

/// The contract named by the `contract` option, if it is one of the user's.
async fn resolve(ctx: &Ctx<'_>, user: &UserClient, raw: Option<&str>) -> Result<Contract, Failure> {
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

fn name_of(c: &Contract) -> String {
    text::inert_max(&c.summary.name, 2 * NAME_BUDGET)
}

/// Whether the person may take `action` on `c` now: the sender's alone,
/// and allowed by its state; otherwise the refusal that explains why.
fn guard(ctx: &Ctx<'_>, c: &Contract, action: Action) -> Result<(), Failure> {
    if action.needs_sender() {
        require_sender(ctx, c)?;
    }
    if action.allowed(c.summary.status, c.summary.role) {
        Ok(())
    } else {
        Err(wrong_state(ctx, c))
    }
}

fn require_sender(ctx: &Ctx<'_>, c: &Contract) -> Result<(), Failure> {
    if c.summary.role == Role::Sender {
        Ok(())
    } else {
        Err(ctx.refuse("not-owner", &args!["name" => name_of(c)]))
    }
}

/// "This contract is out for signature; cancel the signing first."
fn wrong_state(ctx: &Ctx<'_>, c: &Contract) -> Failure {
    let hint = match c.summary.status {
        ContractStatus::Signing => "hint-signing",
        ContractStatus::Approving => "hint-approving",
        ContractStatus::ApprovalRejected => "hint-approval-rejected",
        ContractStatus::Completed => "hint-completed",
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
async fn linked(ctx: &Ctx<'_>) -> Result<(Account, UserClient), Failure> {
    let account = ctx.account().await?;
    let user = ctx.comake_user(&account);
    Ok((account, user))
}

fn link_reply(
    ctx: &Ctx<'_>,
    text: String,
    label: &str,
    url: crate::comake::SecretUrl,
    email: &str,
) -> Reply {
    let warning = ctx.t("link-warning", &args!["email" => plain(email)]);
    let content = format!("{text}\n{warning}\n{}", url.expose());
    Reply {
        content,
        rows: vec![vec![Component::Link {
            label: ctx.t(label, &[]),
            url,
        }]],
        credential: true,
        modal: None,
    }
}

/// `/contract new`: a private link with a freshly issued token.
pub(crate) async fn new(ctx: &Ctx<'_>) -> HandlerResult {
    let (account, user) = linked(ctx).await?;
    let url = user.new_contract_link().await?;
    ctx.audit("contract.link_new", None, "ok");
    Ok(link_reply(
        ctx,
        ctx.t("link-new", &[]),
        "link-button-new",
        url,
        &account.email,
    ))
}

/// `/contract edit`: the same, for one of the user's contracts that can change.
pub(crate) async fn edit(ctx: &Ctx<'_>) -> HandlerResult {
    let (account, user) = linked(ctx).await?;
    let contract = resolve(ctx, &user, ctx.inv.str("contract")).await?;
    edit_link(ctx, &account, &user, &contract).await
}

async fn edit_link(
    ctx: &Ctx<'_>,
    account: &Account,
    user: &UserClient,
    c: &Contract,
) -> HandlerResult {
    guard(ctx, c, Action::Edit)?;
    let url = user.edit_contract_link(&c.summary.id).await?;
    ctx.audit("contract.link_edit", Some(c.summary.id.as_str()), "ok");
    let text = ctx.t("link-edit", &args!["name" => name_of(c)]);
    Ok(link_reply(
        ctx,
        text,
        "link-button-edit",
        url,
        &account.email,
    ))
}

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
/// narrower box is filtered here from up to [`PENDING_LISTS`] reads of
/// [`PENDING_READ`] contracts (the list has no box parameter).
async fn list_page(ctx: &Ctx<'_>, tab: BoxTab, filter: BoxFilter, page: i64) -> HandlerResult {
    let (_, user) = linked(ctx).await?;
    let page = u32::try_from(page)
        .ok()
        .filter(|p| *p >= 1)
        .ok_or_else(|| ctx.refuse("invalid-page", &[]))?;
    let (contracts, total, truncated) = if filter == BoxFilter::All {
        let list = user.list_contracts(tab, page, PAGE_SIZE).await?;
        (list.contracts, list.total, false)
    } else {
        let mut held = Vec::new();
        let mut truncated = false;
        for p in 1..=PENDING_LISTS {
            let list = user.list_contracts(tab, p, PENDING_READ).await?;
            let got = list.contracts.len();
            held.extend(list.contracts.into_iter().filter(|c| filter.holds(c)));
            if u64::from(p) * u64::from(PENDING_READ) >= list.total || got == 0 {
                break;
            }
            truncated = p == PENDING_LISTS;
        }
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
            let mut line = ctx.t(
                "list-line",
                &args![
                    "name" => text::inert_max(&c.name, budget),
                    "state" => ctx.state_label(c.status),
                    "text" => text::inert_max(&c.status_text, budget),
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

/// Contracts read per list request, and list requests at most, for
/// `/contract pending` (which needs every contract in motion, not a page).
const PENDING_READ: u32 = 100;
const PENDING_LISTS: u32 = 3;
/// Entries a page of `/contract pending` shows (each sent one costs a read
/// of its signees).
const PENDING_PAGE: usize = 8;

/// `/contract pending`: the person's sent contracts out for signature or
/// approval, longest waiting first, each with who has not signed yet and
/// since when; then the contracts waiting on them.
pub(crate) async fn pending(ctx: &Ctx<'_>) -> HandlerResult {
    pending_page(ctx, ctx.inv.int("page").unwrap_or(1)).await
}

async fn pending_page(ctx: &Ctx<'_>, page: i64) -> HandlerResult {
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
        for p in 1..=PENDING_LISTS {
            let list = user.list_contracts(tab, p, PENDING_READ).await?;
            let got = list.contracts.len();
            moving.extend(list.contracts.into_iter().filter(|c| c.status.is_moving()));
            if u64::from(p) * u64::from(PENDING_READ) >= list.total || got == 0 {
                break;
            }
            if p == PENDING_LISTS {
                truncated = true;
            }
        }
    }
    // Longest waiting first: the least recently moved.
    moving.sort_by(|a, b| a.updated_at.cmp(&b.updated_at).then(a.id.cmp(&b.id)));
    let (sent, received): (Vec<_>, Vec<_>) =
        moving.into_iter().partition(|c| c.role == Role::Sender);
    // Of those sent to them, the ones whose next step is theirs.
    // (When Comake does not say whose turn it is, every one is listed.)
    let received: Vec<_> = received
        .into_iter()
        .filter(|c| c.my_turn != Some(false))
        .collect();
    let total = sent.len() + received.len();
    if total == 0 {
        return Ok(Reply::text(ctx.t("pending-none", &[])));
    }
    let pages = page_count(total as u64, PENDING_PAGE as u64);
    if page as u64 > pages {
        return Err(ctx.refuse("invalid-page", &[]));
    }
    let start = (page - 1) * PENDING_PAGE;
    let shown: Vec<(bool, &ContractSummary)> = sent
        .iter()
        .map(|c| (true, c))
        .chain(received.iter().map(|c| (false, c)))
        .skip(start)
        .take(PENDING_PAGE)
        .collect();
    // Who has not signed yet, for the sent ones on this page.
    let mut waiting_for: Vec<Vec<String>> = Vec::new();
    for (is_sent, c) in &shown {
        if !*is_sent {
            waiting_for.push(Vec::new());
            continue;
        }
        let detail = user.get_contract(&c.id).await?;
        waiting_for.push(
            detail
                .signees
                .iter()
                .filter(|s| s.status != SigneeStatus::Signed)
                .map(|s| s.name.clone())
                .collect(),
        );
    }
    let header = ctx.t(
        "pending-header",
        &args!["page" => page as u64, "pages" => pages, "sent" => sent.len() as u64, "received" => received.len() as u64],
    );
    let build = |budget: usize| {
        let mut lines = vec![header.clone()];
        let mut section = None;
        for ((is_sent, c), names) in shown.iter().zip(&waiting_for) {
            if section != Some(*is_sent) {
                section = Some(*is_sent);
                lines.push(ctx.t(
                    if *is_sent {
                        "pending-sent"
                    } else {
                        "pending-received"
                    },
                    &[],
                ));
            }
            let since = discord_time(c.updated_at, 'R');
            let name = text::inert_max(&c.name, budget);
            let line = if *is_sent {
                let who = if names.is_empty() {
                    ctx.t("pending-approval", &[])
                } else {
                    names
                        .iter()
                        .map(|n| text::inert_max(n, budget))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                ctx.t(
                    "pending-sent-line",
                    &args!["name" => name, "state" => ctx.state_label(c.status), "who" => who, "since" => since],
                )
            } else {
                ctx.t(
                    "pending-received-line",
                    &args!["name" => name, "since" => since],
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
    Ok(Reply::text(content).row(row))
}

/// `/contract show`: parties, signees, recent history, and the actions the
/// state allows as buttons.
pub(crate) async fn show(ctx: &Ctx<'_>) -> HandlerResult {
    let (_, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, ctx.inv.str("contract")).await?;
    let mut reply = render(ctx, &c);
    // The sender can share a live status card here, or stop one.
    if c.summary.role == Role::Sender && !c.summary.status.has_ended() {
        let shared = ctx.app.store.card(c.summary.id.as_str()).await?.is_some();
        let (label, id) = if shared {
            ("button-unshare", ButtonId::Unshare(c.summary.id.clone()))
        } else {
            ("button-share", ButtonId::Share(c.summary.id.clone()))
        };
        reply = reply.row(vec![action(
            ctx.t(label, &[]),
            id.to_string(),
            Style::Secondary,
        )]);
    }
    Ok(reply)
}

/// Discord's View Channel and Send Messages permission bits.
const VIEW_AND_SEND: u64 = (1 << 10) | (1 << 11);

/// **Share in this channel**: post the contract's status card here, public,
/// and keep it so the watcher edits it as the contract moves.
async fn share<R: Responder>(ctx: &Ctx<'_>, responder: &R, id: &ContractId) -> HandlerResult {
    let (_, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, Some(id.as_str())).await?;
    require_sender(ctx, &c)?;
    if c.summary.status.has_ended() {
        return Err(ctx.refuse("card-ended", &args!["name" => name_of(&c)]));
    }
    let Some(channel) = ctx.inv.channel else {
        return Err(ctx.refuse("card-no-channel", &[]));
    };
    if ctx
        .inv
        .app_permissions
        .is_none_or(|p| p & VIEW_AND_SEND != VIEW_AND_SEND)
    {
        return Err(ctx.refuse("card-no-permission", &[]));
    }
    // A double click (on any instance) posts one card: the first press
    // claims the contract for a minute; a card already kept is not posted
    // again.
    let (presses, _) = ctx
        .app
        .store
        .count(
            &format!("share:{}", c.summary.id),
            crate::app::now(),
            std::time::Duration::from_secs(60),
        )
        .await?;
    if presses > 1 || ctx.app.store.card(c.summary.id.as_str()).await?.is_some() {
        return Err(ctx.refuse("card-already-shared", &args!["name" => name_of(&c)]));
    }
    let lang = crate::i18n::Lang::from_locale(&ctx.inv.locale);
    let colleagues = crate::notify::colleagues(ctx.app, &c).await?;
    let body = crate::notify::card_body(ctx.app, lang, &c, &colleagues);
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
async fn unshare_card(ctx: &Ctx<'_>, id: &str) -> HandlerResult {
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

fn signee_status(ctx: &Ctx<'_>, s: SigneeStatus) -> String {
    ctx.t(crate::i18n::signee_status_id(s), &[])
}

fn render(ctx: &Ctx<'_>, c: &Contract) -> Reply {
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
        if !s.status_text.is_empty() {
            lines.push(text::inert_max(&s.status_text, budget));
        }
        lines.push(ctx.t(
            if s.role == Role::Sender {
                "show-role-sender"
            } else {
                "show-role-receiver"
            },
            &[],
        ));
        lines.push(String::new());
        lines.push(ctx.t("show-parties", &[]));
        for p in &c.parties {
            let signee = match c.signees.iter().find(|x| x.party == p.index) {
                Some(x) => ctx.t(
                    "show-signee",
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
        if !c.timeline.is_empty() {
            lines.push(String::new());
            lines.push(ctx.t("show-history", &[]));
            for e in c.timeline.iter().rev().take(history) {
                let event = ctx.t(
                    "show-event",
                    &args![
                        "when" => discord_time(e.at, 'R'),
                        "actor" => text::inert_max(&e.actor, budget),
                        "action" => text::inert_max(&e.action, budget),
                    ],
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

/// Audit a failed action and turn its error into what the person sees.
fn acted(ctx: &Ctx<'_>, action: &str, id: &ContractId, e: ComakeError) -> Failure {
    let failure = ctx.comake_failure(e);
    let outcome = match &failure {
        Failure::Internal { id, .. } => format!("error: {id}"),
        _ => "refused".to_owned(),
    };
    ctx.audit(action, Some(id.as_str()), &outcome);
    failure
}

/// `/contract delete`: confirm first.
pub(crate) async fn delete(ctx: &Ctx<'_>) -> HandlerResult {
    let (_, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, ctx.inv.str("contract")).await?;
    ask_delete(ctx, &c).await
}

async fn ask_delete(ctx: &Ctx<'_>, c: &Contract) -> HandlerResult {
    guard(ctx, c, Action::Delete)?;
    let nonce = ctx
        .app
        .confirmations
        .add(
            ctx.inv.user,
            Pending::Delete {
                id: c.summary.id.clone(),
            },
        )
        .await?;
    Ok(confirm_dialog(
        ctx,
        ctx.t(
            if crate::comake::wire::DELETE_MOVES_TO_TRASH {
                "delete-confirm-trash"
            } else {
                "delete-confirm"
            },
            &args!["name" => name_of(c)],
        ),
        &nonce,
        "button-confirm",
    ))
}

/// A confirmation button's id (marked as a DM's when shown in one).
fn confirm(ctx: &Ctx<'_>, ok: bool, nonce: &str) -> String {
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

async fn ask_cancel(ctx: &Ctx<'_>, c: &Contract, reason: Option<String>) -> HandlerResult {
    guard(ctx, c, Action::CancelSign)?;
    let nonce = ctx
        .app
        .confirmations
        .add(
            ctx.inv.user,
            Pending::CancelSign {
                id: c.summary.id.clone(),
                reason,
            },
        )
        .await?;
    Ok(confirm_dialog(
        ctx,
        ctx.t("cancel-confirm", &args!["name" => name_of(c)]),
        &nonce,
        "button-confirm",
    ))
}

/// A signee from the command's options, checked. `None` when none was given.
fn signee_from_options(
    ctx: &Ctx<'_>,
    party: u32,
    required: bool,
) -> Result<Option<SigneeInput>, Failure> {
    let inv = ctx.inv;
    let given = super::inline_signee_options()
        .iter()
        .any(|o| inv.opt(o).is_some());
    if !given && !required {
        return Ok(None);
    }
    let (Some(raw_name), Some(raw_email)) = (inv.str("name"), inv.str("email")) else {
        return Err(ctx.refuse("request-inline-incomplete", &[]));
    };
    let name = validate::name(raw_name).ok_or_else(|| ctx.refuse("invalid-name", &[]))?;
    let email = validate::email(raw_email).map_err(|e| ctx.refuse(e.message(), &[]))?;
    let phone = match inv.str("phone") {
        None => None,
        Some(raw) => Some(validate::phone(raw).ok_or_else(|| ctx.refuse("invalid-phone", &[]))?),
    };
    let kakao = inv.bool("kakao").unwrap_or(false);
    if kakao && phone.is_none() {
        return Err(ctx.refuse("invalid-kakao-needs-phone", &[]));
    }
    let password = match inv.str("password") {
        None => None,
        Some(raw) => {
            Some(validate::password(raw).ok_or_else(|| ctx.refuse("invalid-password", &[]))?)
        }
    };
    let message = match inv.str("message") {
        None => None,
        Some(raw) => Some(
            validate::text(raw, validate::MAX_MESSAGE)
                .ok_or_else(|| ctx.refuse("invalid-message", &[]))?,
        ),
    };
    Ok(Some(SigneeInput {
        party,
        name,
        email,
        phone,
        kakao,
        password,
        message,
    }))
}

/// The contract's signee list with `new` in its party's place. The others
/// are kept as Comake reports them; a password set on the website cannot be
/// read back, so a list that would lose one is refused.
fn signees_with(
    ctx: &Ctx<'_>,
    c: &Contract,
    new: SigneeInput,
) -> Result<Vec<SigneeInput>, Failure> {
    let mut list = Vec::new();
    for s in c.signees.iter().filter(|s| s.party != new.party) {
        if s.has_password {
            return Err(ctx.refuse("signee-password-elsewhere", &[]));
        }
        list.push(SigneeInput {
            party: s.party,
            name: s.name.clone(),
            email: s.email.clone(),
            phone: s.phone.clone(),
            kakao: s.kakao,
            password: None,
            message: None,
        });
    }
    list.push(new);
    list.sort_by_key(|s| s.party);
    Ok(list)
}

/// `/contract signee`: set one party's signee, keeping the others.
pub(crate) async fn signee(ctx: &Ctx<'_>) -> HandlerResult {
    let (_, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, ctx.inv.str("contract")).await?;
    guard(ctx, &c, Action::RequestSign)?;
    let raw_party = ctx.inv.str("party").unwrap_or_default().trim();
    // Autocomplete sends the index; accept the party's name typed by hand too.
    let party = c
        .parties
        .iter()
        .find(|p| raw_party.parse::<u32>().ok() == Some(p.index) || p.name == raw_party)
        .ok_or_else(|| ctx.refuse("signee-unknown-party", &args!["name" => name_of(&c)]))?
        .clone();
    let new = signee_from_options(ctx, party.index, true)?
        .ok_or_else(|| ctx.refuse("request-inline-incomplete", &[]))?;
    let (signee_name, signee_email) = (new.name.clone(), new.email.clone());
    let list = signees_with(ctx, &c, new)?;
    let id = c.summary.id.clone();
    match user.set_signees(&id, list).await {
        Ok(_) => {
            ctx.app.contracts.forget(ctx.inv.user);
            ctx.audit("contract.set_signee", Some(id.as_str()), "ok");
            Ok(Reply::text(ctx.t(
                "signee-done",
                &args![
                    "party" => text::inert_max(&party_name(ctx, &party), NAME_BUDGET),
                    "name" => name_of(&c),
                    "signee" => plain(&signee_name),
                    "email" => plain(&signee_email),
                ],
            )))
        }
        Err(e) => Err(acted(ctx, "contract.set_signee", &id, e)),
    }
}

/// `/contract request-sign`: optionally set the one missing signee, then
/// preview every party's signee with a Send button.
pub(crate) async fn request_sign(ctx: &Ctx<'_>) -> HandlerResult {
    let (_, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, ctx.inv.str("contract")).await?;
    preview(ctx, &c, true).await
}

/// What Send would do to `c`: the list to set first (when a signee was
/// typed inline), and every signee who would get a request, as shown.
type Plan = (Option<Vec<SigneeInput>>, Vec<Shown>);

fn plan(ctx: &Ctx<'_>, c: &Contract, inline: Option<SigneeInput>) -> Result<Plan, Failure> {
    guard(ctx, c, Action::RequestSign)?;
    let missing: Vec<_> = c
        .parties
        .iter()
        .filter(|p| !c.signees.iter().any(|s| s.party == p.index))
        .collect();
    let set = match inline {
        Some(new) => match missing.as_slice() {
            [one] if one.index == new.party => Some(signees_with(ctx, c, new)?),
            [] => return Err(ctx.refuse("request-inline-nothing-missing", &[])),
            [_] => return Err(ctx.refuse("request-inline-needs-one", &args!["count" => 1])),
            more => {
                return Err(ctx.refuse(
                    "request-inline-needs-one",
                    &args!["count" => more.len() as i64],
                ))
            }
        },
        None if !missing.is_empty() => {
            let names = missing
                .iter()
                .map(|p| text::inert_max(&party_name(ctx, p), 40))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ctx.refuse("request-missing", &args!["parties" => names]));
        }
        None => None,
    };
    let shown = match &set {
        Some(list) => list.iter().map(Shown::from).collect(),
        None => c.signees.iter().map(Shown::from).collect(),
    };
    Ok((set, shown))
}

async fn preview(ctx: &Ctx<'_>, c: &Contract, from_options: bool) -> HandlerResult {
    let inline = if from_options {
        let first_missing = c
            .parties
            .iter()
            .find(|p| !c.signees.iter().any(|s| s.party == p.index))
            .map_or(0, |p| p.index);
        signee_from_options(ctx, first_missing, false)?
    } else {
        None
    };
    preview_of(ctx, c, inline, "request-preview").await
}

/// The preview of `plan(c, inline)` under the heading `heading`, with its
/// Send button.
async fn preview_of(
    ctx: &Ctx<'_>,
    c: &Contract,
    inline: Option<SigneeInput>,
    heading: &str,
) -> HandlerResult {
    let (set, shown) = plan(ctx, c, inline)?;
    // Every signee who would get a request is listed, or nothing is offered.
    let build = |budget: usize| {
        let lines: Vec<String> = shown
            .iter()
            .map(|s| preview_line(ctx, c, s, budget))
            .map(|l| format!("• {l}"))
            .collect();
        format!(
            "{}\n{}\n{}",
            ctx.t(
                heading,
                &args!["name" => text::inert_max(&c.summary.name, budget)]
            ),
            lines.join("\n"),
            ctx.t("request-preview-footer", &[]),
        )
    };
    let Some(text) = reply::fit(NAME_BUDGET, MIN_BUDGET, build) else {
        return Err(ctx.refuse("request-too-many", &args!["count" => shown.len() as i64]));
    };
    let inline = set.and_then(|list| {
        let missing = c
            .parties
            .iter()
            .find(|p| !c.signees.iter().any(|s| s.party == p.index))?;
        list.into_iter().find(|s| s.party == missing.index)
    });
    let nonce = ctx
        .app
        .confirmations
        .add(
            ctx.inv.user,
            Pending::RequestSign {
                id: c.summary.id.clone(),
                inline,
                shown,
            },
        )
        .await?;
    Ok(confirm_dialog(ctx, text, &nonce, "button-send"))
}

fn preview_line(ctx: &Ctx<'_>, c: &Contract, s: &Shown, budget: usize) -> String {
    let party_name = c
        .parties
        .iter()
        .find(|p| p.index == s.party)
        .map(|p| party_name(ctx, p))
        .unwrap_or_else(|| (s.party + 1).to_string());
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    ctx.t(
        "request-preview-line",
        &[
            ("party", fv(text::inert_max(&party_name, budget))),
            ("signee", fv(text::inert_max(&s.name, budget))),
            ("email", fv(text::inert_max(&s.email, budget))),
            ("kakao", fv(yes_no(s.kakao))),
            ("password", fv(yes_no(s.password))),
        ],
    )
}

/// Every button of `/contract`: confirmations, the actions `/contract show`
/// offers, and list paging.
pub(crate) async fn on_button<R: Responder>(ctx: &Ctx<'_>, responder: &R) -> HandlerResult {
    match ctx.inv.custom_id.parse::<ButtonId>() {
        Ok(ButtonId::Share(id)) => share(ctx, responder, &id).await,
        Ok(ButtonId::Unshare(id)) => unshare_card(ctx, id.as_str()).await,
        Ok(ButtonId::Confirm { ok, nonce, .. }) => confirmed(ctx, ok, &nonce).await,
        Ok(ButtonId::Act(a, id)) => {
            let (account, user) = linked(ctx).await?;
            let c = resolve(ctx, &user, Some(id.as_str())).await?;
            match a {
                Action::Edit => edit_link(ctx, &account, &user, &c).await,
                Action::RequestSign => preview(ctx, &c, false).await,
                Action::CancelSign => ask_cancel(ctx, &c, None).await,
                Action::Delete => ask_delete(ctx, &c).await,
            }
        }
        Ok(ButtonId::Page { tab, filter, page }) => {
            list_page(ctx, tab, filter, i64::from(page)).await
        }
        Ok(ButtonId::Pending { page }) => pending_page(ctx, i64::from(page)).await,
        Ok(ButtonId::HowToSign(_) | ButtonId::EnterCode) | Err(_) => {
            Err(ctx.refuse("error-unknown-command", &[]))
        }
    }
}

/// Confirm or Never mind. The action is taken once; the contract is read
/// again and the action happens only if its state still allows it.
async fn confirmed(ctx: &Ctx<'_>, ok: bool, nonce: &str) -> HandlerResult {
    let Some(pending) = ctx.app.confirmations.take(nonce, ctx.inv.user).await? else {
        return Ok(Reply::text(ctx.t("confirm-expired", &[])));
    };
    if !ok {
        return Ok(Reply::text(ctx.t("confirm-dismissed", &[])));
    }
    let (_, user) = linked(ctx).await?;
    let id = match &pending {
        Pending::Delete { id }
        | Pending::CancelSign { id, .. }
        | Pending::RequestSign { id, .. } => id.clone(),
    };
    let c = resolve(ctx, &user, Some(id.as_str())).await?;
    let name = name_of(&c);
    ctx.app.contracts.forget(ctx.inv.user);
    match pending {
        Pending::Delete { .. } => {
            guard(ctx, &c, Action::Delete)?;
            match user.delete_contract(&id).await {
                Ok(()) => {
                    ctx.audit("contract.delete", Some(id.as_str()), "ok");
                    Ok(Reply::text(ctx.t("delete-done", &args!["name" => name])))
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
        Pending::RequestSign { inline, shown, .. } => {
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
            let (set, now) = plan(ctx, &c, inline.clone())?;
            if now != shown {
                ctx.audit(
                    "contract.request_sign",
                    Some(id.as_str()),
                    "refused: signees changed",
                );
                return preview_of(ctx, &c, inline, "request-preview-changed").await;
            }
            if let Some(list) = set {
                if let Err(e) = user.set_signees(&id, list).await {
                    return Err(acted(ctx, "contract.set_signee", &id, e));
                }
                ctx.audit("contract.set_signee", Some(id.as_str()), "ok");
            }
            match user.request_sign(&id).await {
                Ok(_) => {
                    ctx.audit("contract.request_sign", Some(id.as_str()), "ok");
                    // A linked signee now has a request waiting: their box
                    // is read next, not at their idle pace.
                    for signee in &shown {
                        crate::notify::hint_email(ctx.app, &signee.email).await;
                    }
                    Ok(Reply::text(ctx.t("request-sent", &args!["name" => name])))
                }
                Err(e) => Err(acted(ctx, "contract.request_sign", &id, e)),
            }
        }
    }
}
