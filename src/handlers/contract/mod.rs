//! `/contract`: links to upload or change a contract, browsing, show, status cards, team boards, signees (by command or form) and signature requests, and the confirmations they open; one file per sub-feature.

mod board;
mod browse;
mod confirmations;
mod forms;
mod guard;
mod links;
mod nudge;
mod pick;
mod share;
mod show;
mod signing;

pub(crate) use board::{board, board_guard, post_board, stop_board};
pub(crate) use browse::{list, list_page, pending, pending_page};
pub(crate) use confirmations::{ask, cancel_sign, confirmed, delete};
pub(crate) use forms::{choose as choose_party, open as open_form, save as save_form};
pub(crate) use links::{edit, new};
pub(crate) use nudge::nudge;
pub(crate) use share::{post_card, preview_card, share_guard, unshare, unshare_card};
pub(crate) use show::{rename, show, show_id};
pub(crate) use signing::{request_sign, signee};

use super::action::Action;
use super::{Component, Ctx, HandlerResult, Style};

/// Contracts on one page of `/contract list`.
pub(crate) const PAGE_SIZE: u32 = 10;
/// Characters a name gets in a message when everything fits, and the least
/// it is shortened to.
const NAME_BUDGET: usize = 100;
const MIN_BUDGET: usize = 12;

fn action(label: String, custom_id: String, style: Style) -> Component {
    Component::Button {
        label,
        custom_id,
        style,
    }
}

/// An action button of `/contract show` on contract `id`: read it, check
/// that the person may take the action now, and open its link or its
/// confirmation.
pub(crate) async fn act(
    ctx: &Ctx<'_>,
    a: Action,
    id: &crate::comake::wire::ContractId,
) -> HandlerResult {
    let (account, user) = guard::linked(ctx).await?;
    let c = guard::resolve(ctx, &user, Some(id.as_str())).await?;
    match a {
        Action::Edit => links::edit_link(ctx, &account, &user, &c).await,
        Action::RequestSign => signing::preview(ctx, &account, &c, false).await,
        Action::CancelSign => confirmations::ask_cancel(ctx, &c, None).await,
        Action::Delete => confirmations::ask_delete(ctx, &c).await,
    }
}
