//! The command handlers: transport-independent. A handler takes an [`Invocation`] and the shared [`App`] and returns a [`Reply`]; [`dispatch`] delivers it through a [`Responder`].
//!
//! `commands/<group>.json` pairs with `<group>.rs` (or the `contract/`
//! folder) here; [`ROUTES`] is the one registry from command names to
//! handlers, with an "unknown" fallback, and a test proves it serves exactly
//! the commands and options of the JSON. [`button_route`] is the same for a
//! button: its id is parsed once, and the route says whether it works in a
//! DM, whether it defers, and its guard. This file holds only those tables;
//! the shared state is in `crate::app`, the interaction model in
//! `invocation.rs`, the handler context in `context.rs`, and the pipeline in
//! `dispatch.rs`.

pub(crate) mod autocomplete;
pub(crate) mod comake;
pub mod comake_admin;
pub mod contract;
mod notifications;

mod context;
mod dispatch;
mod invocation;

// The layers below, under the names the handlers have always used.
pub(crate) use crate::app::{confirm, verify, App};
pub(crate) use crate::i18n::fv;
pub(crate) use crate::{action, button, reply};
pub(crate) use context::*;
pub use dispatch::{dispatch, Outcome};
pub use invocation::*;

pub(crate) use reply::{Component, Reply, Style};

/// Handlers, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handler {
    Register,
    Whoami,
    Unlink,
    Notifications,
    Help,
    New,
    Edit,
    List,
    Pending,
    Unshare,
    Show,
    Rename,
    Delete,
    Signee,
    RequestSign,
    CancelSign,
    Board,
    AdminLink,
    AdminRegister,
    AdminUnlink,
    AdminList,
    AdminAudit,
}

/// One command of the surface: its name, the options it reads, whether it
/// calls Comake (and so defers first), and its handler.
pub struct Route {
    pub command: &'static str,
    pub options: &'static [&'static str],
    pub(crate) defer: bool,
    pub(crate) handler: Handler,
}

const CONTRACT_SIGNEE: &[&str] = &[
    "member", "me", "name", "email", "phone", "kakao", "password", "message",
];

/// The registry: every command the handlers serve.
pub const ROUTES: &[Route] = &[
    Route {
        command: "comake register",
        options: &["email", "name", "phone"],
        defer: true,
        handler: Handler::Register,
    },
    Route {
        command: "comake whoami",
        options: &[],
        defer: false,
        handler: Handler::Whoami,
    },
    Route {
        command: "comake help",
        options: &[],
        defer: false,
        handler: Handler::Help,
    },
    Route {
        command: "comake unlink",
        options: &[],
        defer: false,
        handler: Handler::Unlink,
    },
    Route {
        command: "comake notifications",
        options: &["enabled", "digest", "off", "on"],
        defer: false,
        handler: Handler::Notifications,
    },
    Route {
        command: "contract new",
        options: &[],
        defer: true,
        handler: Handler::New,
    },
    Route {
        command: "contract edit",
        options: &["contract"],
        defer: true,
        handler: Handler::Edit,
    },
    Route {
        command: "contract list",
        options: &["status", "box", "page"],
        defer: true,
        handler: Handler::List,
    },
    Route {
        command: "contract pending",
        options: &["page"],
        defer: true,
        handler: Handler::Pending,
    },
    Route {
        command: "contract unshare",
        options: &["contract"],
        defer: true,
        handler: Handler::Unshare,
    },
    Route {
        command: "contract show",
        options: &["contract"],
        defer: true,
        handler: Handler::Show,
    },
    Route {
        command: "contract rename",
        options: &["contract", "name"],
        defer: true,
        handler: Handler::Rename,
    },
    Route {
        command: "contract delete",
        options: &["contract"],
        defer: true,
        handler: Handler::Delete,
    },
    Route {
        command: "contract signee",
        options: &[
            "contract", "party", "member", "me", "name", "email", "phone", "kakao", "password",
            "message",
        ],
        defer: true,
        handler: Handler::Signee,
    },
    Route {
        command: "contract request-sign",
        options: &[
            "contract",
            "member",
            "me",
            "name",
            "email",
            "phone",
            "kakao",
            "password",
            "message",
            "remind_after",
        ],
        defer: true,
        handler: Handler::RequestSign,
    },
    Route {
        command: "contract cancel-sign",
        options: &["contract", "reason"],
        defer: true,
        handler: Handler::CancelSign,
    },
    Route {
        command: "contract board",
        options: &[],
        defer: true,
        handler: Handler::Board,
    },
    Route {
        command: "comake-admin link",
        options: &["user", "email"],
        defer: true,
        handler: Handler::AdminLink,
    },
    Route {
        command: "comake-admin register",
        options: &["user", "email", "name", "phone"],
        defer: true,
        handler: Handler::AdminRegister,
    },
    Route {
        command: "comake-admin unlink",
        options: &["user"],
        defer: false,
        handler: Handler::AdminUnlink,
    },
    Route {
        command: "comake-admin list",
        options: &["page"],
        defer: false,
        handler: Handler::AdminList,
    },
    Route {
        command: "comake-admin audit",
        options: &["user"],
        defer: false,
        handler: Handler::AdminAudit,
    },
];

/// The options `/contract request-sign` takes for an inline signee.
pub(crate) fn inline_signee_options() -> &'static [&'static str] {
    CONTRACT_SIGNEE
}

pub(crate) fn route(command: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.command == command)
}

/// How a button is served, by its kind: where it works, whether it defers,
/// and the guard it passes before any store or Comake work. A press is
/// parsed into its [`button::ButtonId`] once, where it arrives (in
/// `dispatch.rs`), and carried from there.
pub(crate) struct ButtonRoute {
    /// Served in a DM too: the buttons of our own notification DMs, and the
    /// confirmation one of them opens.
    pub(crate) in_dm: bool,
    /// It calls Comake, so it is acknowledged first; otherwise it is
    /// answered at once (a form must be the first response).
    pub(crate) defer: bool,
    /// Checked before the per-user limit and any other work.
    pub(crate) guard: Option<Guard>,
    /// Its answer is a new private message, and the message it is on
    /// stays as it was (a Nudge on a list leaves the list and its other
    /// buttons); otherwise the answer replaces that message.
    pub(crate) keeps: bool,
}

/// A check on the interaction alone; `Err` is the message that explains
/// the refusal.
pub(crate) type Guard = fn(&Ctx<'_>) -> Result<(), &'static str>;

/// The button routes: every kind of [`button::ButtonId`].
pub(crate) fn button_route(b: &button::ButtonId) -> ButtonRoute {
    use button::ButtonId as B;
    let route = |in_dm, defer, guard| ButtonRoute {
        in_dm,
        defer,
        guard,
        keeps: false,
    };
    match b {
        B::HowToSign(_) | B::Mute(_) | B::Unmute(_) => route(true, false, None),
        B::Act(action::Action::RequestSign, _) => route(true, true, None),
        B::Confirm { dm, .. } => route(*dm, true, None),
        B::Share(_) | B::Post(_) => route(false, true, Some(contract::share_guard)),
        B::KeepPrivate | B::EnterCode => route(false, false, None),
        // Also on the digest, a DM; the handler checks the presser is the
        // contract's sender. The list or contract it is on stays, with its
        // other Nudge buttons.
        B::Nudge { .. } => ButtonRoute {
            keeps: true,
            ..route(true, true, None)
        },
        B::Act(..) | B::Page { .. } | B::Pending { .. } | B::Unshare(_) => route(false, true, None),
        // Set signees works on the next-steps DM too; the form opens at once.
        B::SetSignees(_) | B::SigneeSave { .. } | B::ShowContract(_) => route(true, true, None),
        B::SigneeForm { .. } => route(true, false, None),
        B::BoardPost => route(false, true, Some(contract::board_guard)),
        B::BoardStop => route(false, true, None),
    }
}

/// Run the handler of button `b`.
pub(super) async fn press<R: Responder>(
    ctx: &Ctx<'_>,
    responder: &R,
    b: &button::ButtonId,
) -> HandlerResult {
    use button::ButtonId as B;
    match b {
        B::HowToSign(id) => comake::how_to_sign(ctx, id).await,
        B::EnterCode => comake::enter_code(ctx).await,
        B::Mute(id) => notifications::mute(ctx, id).await,
        B::Unmute(id) => notifications::unmute(ctx, id).await,
        B::Act(a, id) => contract::act(ctx, *a, id).await,
        B::Confirm { ok, nonce, .. } => contract::confirmed(ctx, *ok, nonce).await,
        B::Page { tab, filter, page } => {
            contract::list_page(ctx, *tab, *filter, i64::from(*page)).await
        }
        B::Pending { page } => contract::pending_page(ctx, i64::from(*page)).await,
        B::Share(id) => contract::preview_card(ctx, id).await,
        B::Post(id) => contract::post_card(ctx, responder, id).await,
        B::KeepPrivate => Ok(Reply::text(ctx.t("card-not-posted", &[]))),
        B::Unshare(id) => contract::unshare_card(ctx, id.as_str()).await,
        B::SetSignees(id) => contract::choose_party(ctx, id).await,
        B::SigneeForm { party, id, name } => contract::open_form(ctx, *party, id, name).await,
        B::SigneeSave { party, id } => contract::save_form(ctx, *party, id).await,
        B::ShowContract(id) => contract::show_id(ctx, id).await,
        B::BoardPost => contract::post_board(ctx, responder).await,
        B::BoardStop => contract::stop_board(ctx).await,
        B::Nudge {
            contract,
            colleague,
        } => contract::nudge(ctx, contract, *colleague).await,
    }
}

pub(super) async fn run(ctx: &Ctx<'_>, handler: Handler) -> HandlerResult {
    match handler {
        Handler::Register => comake::register(ctx).await,
        Handler::Whoami => comake::whoami(ctx).await,
        Handler::Unlink => comake::unlink(ctx).await,
        Handler::Notifications => notifications::notifications(ctx).await,
        Handler::Help => comake::help(ctx),
        Handler::New => contract::new(ctx).await,
        Handler::Edit => contract::edit(ctx).await,
        Handler::List => contract::list(ctx).await,
        Handler::Pending => contract::pending(ctx).await,
        Handler::Unshare => contract::unshare(ctx).await,
        Handler::Show => contract::show(ctx).await,
        Handler::Rename => contract::rename(ctx).await,
        Handler::Delete => contract::delete(ctx).await,
        Handler::Signee => contract::signee(ctx).await,
        Handler::RequestSign => contract::request_sign(ctx).await,
        Handler::CancelSign => contract::cancel_sign(ctx).await,
        Handler::Board => contract::board(ctx).await,
        Handler::AdminLink => comake_admin::link(ctx).await,
        Handler::AdminRegister => comake_admin::register(ctx).await,
        Handler::AdminUnlink => comake_admin::unlink(ctx).await,
        Handler::AdminList => comake_admin::list(ctx).await,
        Handler::AdminAudit => comake_admin::audit(ctx).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_ids_are_short_and_distinct() {
        let a = error_id();
        assert_eq!(a.len(), 8);
        assert_ne!(a, error_id());
    }
}
