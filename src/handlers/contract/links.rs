//! `/contract new` and `/contract edit`: a private link that signs the person in to Comake for an hour.

use crate::args;
use crate::comake::wire::Contract;
use crate::comake::UserClient;
use crate::store::Account;

use super::super::action::Action;
use super::super::{plain, Component, Ctx, HandlerResult, Reply};
use super::guard::{guard, linked, name_of, resolve};

pub(super) fn link_reply(
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

pub(super) async fn edit_link(
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
