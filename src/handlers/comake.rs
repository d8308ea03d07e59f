//! `/comake`: link your own Discord account to a new Comake user, see the link, remove it.

use chrono::Utc;

use crate::args;
use crate::comake::wire::RegisterClientRequest;
use crate::comake::ComakeError;
use crate::config::Registration;
use crate::store::{Account, LinkError, LinkMethod};
use crate::validate;

use super::{discord_time, fv, plain, Ctx, HandlerResult, Reply};

/// `/comake register`: create a new Comake user and link it. Never claims an
/// existing Comake account: that takes an admin.
pub async fn register(ctx: &Ctx<'_>) -> HandlerResult {
    let app = ctx.app;
    if app.config.registration == Registration::Admin {
        return Err(ctx.refuse("register-disabled", &[]));
    }
    let email = validate::email(ctx.inv.str("email").unwrap_or_default())
        .ok_or_else(|| ctx.refuse("invalid-email", &[]))?;
    let name = validate::name(ctx.inv.str("name").unwrap_or_default())
        .ok_or_else(|| ctx.refuse("invalid-name", &[]))?;
    let phone = match ctx.inv.str("phone") {
        None => None,
        Some(raw) => Some(validate::phone(raw).ok_or_else(|| ctx.refuse("invalid-phone", &[]))?),
    };
    let domains = &app.config.allowed_email_domains;
    let domain = email.rsplit('@').next().unwrap_or_default();
    if !domains.is_empty() && !domains.iter().any(|d| d == domain) {
        let list = domains
            .iter()
            .map(|d| format!("@{d}"))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(ctx.refuse("invalid-domain", &args!["domains" => list]));
    }
    if let Some(existing) = app
        .store
        .account(ctx.inv.user)
        .map_err(|e| ctx.store_failure(e))?
    {
        return Err(ctx.refuse("register-already-linked", &args!["email" => existing.email]));
    }
    if app
        .store
        .account_by_email(&email)
        .map_err(|e| ctx.store_failure(e))?
        .is_some()
    {
        return Err(ctx.refuse("register-email-linked", &[]));
    }
    let request = RegisterClientRequest {
        email: email.clone(),
        name: name.clone(),
        phone,
    };
    let client = match app.comake.register_client(&request).await {
        Ok(client) => client,
        Err(ComakeError::Conflict(_)) => {
            ctx.audit("account.register", None, "refused: email exists in Comake");
            return Err(ctx.refuse("register-email-exists", &[]));
        }
        Err(ComakeError::InvalidInput(_)) => return Err(ctx.refuse("invalid-email", &[])),
        Err(e) => return Err(ctx.comake_failure(e)),
    };
    let account = Account {
        discord_id: ctx.inv.user,
        email: client.email.clone(),
        name: client.name.clone(),
        comake_client_id: client.id.0.clone(),
        linked_at: Utc::now(),
        linked_by: ctx.inv.user,
        method: LinkMethod::SelfRegistered,
    };
    match app.store.link(account, false).await {
        Ok(_) => {}
        Err(LinkError::EmailTaken { .. }) => return Err(ctx.refuse("register-email-linked", &[])),
        Err(LinkError::AlreadyLinked { email }) => {
            return Err(ctx.refuse("register-already-linked", &args!["email" => email]))
        }
        Err(LinkError::Store(e)) => return Err(ctx.store_failure(e)),
    }
    ctx.audit("account.register", None, "ok");
    Ok(Reply::text(ctx.t(
        "register-done",
        &args!["name" => plain(&client.name), "email" => plain(&client.email)],
    )))
}

/// How a link was made, as the message files select on it.
pub(super) fn method_key(method: LinkMethod) -> &'static str {
    match method {
        LinkMethod::Admin => "admin",
        LinkMethod::SelfRegistered => "self",
    }
}

/// `/comake whoami`.
pub async fn whoami(ctx: &Ctx<'_>) -> HandlerResult {
    let account = ctx.account()?;
    let method = method_key(account.method);
    Ok(Reply::text(ctx.t(
        "whoami-linked",
        &[
            ("name", fv(plain(&account.name))),
            ("email", fv(plain(&account.email))),
            ("since", fv(discord_time(account.linked_at, 'D'))),
            ("method", fv(method)),
            ("by", fv(account.linked_by.to_string())),
        ],
    )))
}

/// `/comake unlink`: removes only our mapping; Comake keeps the account.
pub async fn unlink(ctx: &Ctx<'_>) -> HandlerResult {
    let removed = ctx
        .app
        .store
        .unlink(ctx.inv.user)
        .await
        .map_err(|e| ctx.store_failure(e))?;
    ctx.app.contracts.forget(ctx.inv.user);
    match removed {
        Some(account) => {
            ctx.audit("account.unlink", None, "ok");
            Ok(Reply::text(ctx.t(
                "unlink-done",
                &args!["email" => plain(&account.email)],
            )))
        }
        None => Ok(Reply::text(ctx.t("unlink-none", &[]))),
    }
}

/// `/comake notifications`: DMs about the user's contracts, on or off.
pub async fn notifications(ctx: &Ctx<'_>) -> HandlerResult {
    ctx.account()?;
    let enabled = ctx.inv.bool("enabled").unwrap_or(true);
    crate::notify::set_enabled(ctx.app, ctx.inv.user, enabled)
        .await
        .map_err(|e| ctx.store_failure(e))?;
    ctx.audit(
        if enabled {
            "notifications.on"
        } else {
            "notifications.off"
        },
        None,
        "ok",
    );
    Ok(Reply::text(ctx.t(
        if enabled {
            "notify-enabled"
        } else {
            "notify-disabled"
        },
        &[],
    )))
}

/// The "how do I sign" button on a DM about a contract waiting for the
/// user's signature. It explains; it never hands out a link.
pub async fn how_to_sign(ctx: &Ctx<'_>) -> HandlerResult {
    let id = ctx.inv.custom_id.rsplit(':').next().unwrap_or_default();
    let name = ctx
        .app
        .store
        .notify_state(ctx.inv.user)
        .ok()
        .flatten()
        .and_then(|s| s.contracts.get(id).map(|c| c.name.clone()))
        .unwrap_or_default();
    Ok(Reply::text(
        ctx.t("dm-how-to-sign", &args!["name" => plain(&name)]),
    ))
}
