//! `/comake`: link your own Discord account to a new Comake user, see the link, remove it (notifications are `notifications.rs`).

use chrono::Utc;

use secrecy::ExposeSecret;

use crate::args;
use crate::comake::wire::RegisterClientRequest;
use crate::comake::ComakeError;
use crate::store::{Account, LinkError, LinkMethod};
use crate::validate;

use super::button::ButtonId;
use super::reply::{Input, Modal};
use super::verify::{self, Check, Start};
use super::{discord_time, fv, plain, Component, Ctx, Failure, HandlerResult, Reply, Style};

/// The code form's id.
pub(crate) const SUBMIT_CODE: &str = "v:submit";
const CODE_INPUT: &str = "code";

/// `/comake register`, step one: mail a one-time code to the email. The
/// answer is the same whatever the email's state (free, taken, or already
/// in Comake): that is said only once the code proves the person owns it.
pub(crate) async fn register(ctx: &Ctx<'_>) -> HandlerResult {
    let app = ctx.app;
    let Some(mailer) = app.mailer.as_ref().filter(|_| ctx.self_registration()) else {
        return Err(ctx.refuse("register-disabled", &[]));
    };
    let email = validate::email(ctx.inv.str("email").unwrap_or_default())
        .map_err(|e| ctx.refuse(e.message(), &[]))?;
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
        return Err(ctx.refuse("invalid-domain", &args!["domains" => plain(&list)]));
    }
    not_linked_yet(ctx).await?;
    let masked = validate::mask_email(&email);
    let phone = phone.map(secrecy::SecretString::from);
    match app
        .verifications
        .start(ctx.inv.user, &email, &name, phone)
        .await?
    {
        Start::UserLimit(wait) => {
            return Err(ctx.refuse(
                "register-too-many",
                &args!["minutes" => wait.as_secs().div_ceil(60).max(1)],
            ))
        }
        // Answered like a sent code: the limit must not tell that someone
        // else asked for this email.
        Start::EmailLimit => ctx.audit(
            "register.code_sent",
            None,
            &format!("not sent: too many codes for this email ({masked})"),
        ),
        Start::Code(code) => {
            let mail_args = args![
                "code" => verify::code_text(&code).to_owned(),
                "user" => ctx.inv.user_name.clone(),
                "minutes" => verify::CODE_TTL.as_secs() / 60,
            ];
            let subject = ctx.t("mail-code-subject", &mail_args);
            let body = ctx.t("mail-code-body", &mail_args);
            // Sent in the background, so neither the answer nor its timing
            // tells whether the mail server took the address.
            let (mailer, to, masked_to) = (mailer.clone(), email.clone(), masked.clone());
            tokio::spawn(async move {
                if let Err(e) = mailer.send(&to, &subject, body).await {
                    let id = super::error_id();
                    tracing::error!(error_id = %id, email = %masked_to, error = %e, "a registration code was not mailed");
                }
            });
            ctx.audit("register.code_sent", None, &format!("ok ({masked})"));
        }
    }
    Ok(code_prompt(
        ctx,
        ctx.t(
            "register-code-sent",
            &args![
                "email" => plain(&email),
                "minutes" => verify::CODE_TTL.as_secs() / 60,
            ],
        ),
    ))
}

/// Registration is for people not linked yet.
async fn not_linked_yet(ctx: &Ctx<'_>) -> Result<(), Failure> {
    match ctx.app.store.account(ctx.inv.user).await {
        Ok(None) => Ok(()),
        Ok(Some(existing)) => Err(ctx.refuse(
            "register-already-linked",
            &args!["email" => plain(&existing.email)],
        )),
        Err(e) => Err(e.into()),
    }
}

/// `text` with the button that opens the code form.
fn code_prompt(ctx: &Ctx<'_>, text: String) -> Reply {
    Reply::text(text).row(vec![Component::Button {
        label: ctx.t("register-enter-code", &[]),
        custom_id: ButtonId::EnterCode.to_string(),
        style: Style::Primary,
    }])
}

/// The **Enter code** button: open the form, if a code is waiting.
pub(crate) async fn enter_code(ctx: &Ctx<'_>) -> HandlerResult {
    if !ctx.app.verifications.waiting(ctx.inv.user).await? {
        return Err(ctx.refuse("register-code-none", &[]));
    }
    Ok(Reply {
        modal: Some(Modal {
            custom_id: SUBMIT_CODE.to_owned(),
            title: ctx.t("register-code-title", &[]),
            inputs: vec![Input {
                id: CODE_INPUT.to_owned(),
                label: ctx.t("register-code-label", &[]),
                min_length: verify::CODE_DIGITS as u16,
                max_length: 20,
                required: true,
                long: false,
            }],
        }),
        ..Reply::default()
    })
}

/// The submitted code form: only the right code, from the person who asked,
/// in time and within the tries, goes on to Comake and the link.
pub(crate) async fn submit_code(ctx: &Ctx<'_>) -> HandlerResult {
    if ctx.inv.custom_id != SUBMIT_CODE {
        return Err(ctx.refuse("error-unknown-command", &[]));
    }
    let typed = ctx.inv.str(CODE_INPUT).unwrap_or_default();
    let pending = match ctx.app.verifications.check(ctx.inv.user, typed).await? {
        Check::Proven(p) => p,
        Check::Wrong { email, left } => {
            let masked = validate::mask_email(&email);
            ctx.audit("register.code_failed", None, &format!("wrong ({masked})"));
            return Ok(code_prompt(
                ctx,
                ctx.t("register-code-wrong", &args!["left" => left]),
            ));
        }
        Check::Locked { email } => {
            let masked = validate::mask_email(&email);
            ctx.audit("register.code_failed", None, &format!("locked ({masked})"));
            return Err(ctx.refuse("register-code-locked", &[]));
        }
        Check::Expired { email } => {
            let masked = validate::mask_email(&email);
            ctx.audit(
                "register.code_expired",
                None,
                &format!("expired ({masked})"),
            );
            return Err(ctx.refuse("register-code-expired", &[]));
        }
        Check::Nothing => return Err(ctx.refuse("register-code-none", &[])),
    };
    let masked = validate::mask_email(&pending.email);
    ctx.audit("register.code_proven", None, &format!("ok ({masked})"));
    link_proven(ctx, pending).await
}

/// The person proved the email: now say what its state is, or create the
/// Comake user and link it.
async fn link_proven(ctx: &Ctx<'_>, pending: verify::Pending) -> HandlerResult {
    let app = ctx.app;
    let email = pending.email;
    let masked = validate::mask_email(&email);
    not_linked_yet(ctx).await?;
    if app.store.account_by_email(&email).await?.is_some() {
        ctx.audit(
            "account.register",
            None,
            &format!("refused: email linked ({masked})"),
        );
        return Err(ctx.refuse("register-email-linked", &[]));
    }
    let request = RegisterClientRequest {
        email: email.clone(),
        name: pending.name,
        phone: pending.phone.map(|p| p.expose_secret().to_owned()),
    };
    let client = match app.comake.register_client(&request).await {
        Ok(client) => client,
        Err(ComakeError::Conflict(_)) => {
            ctx.audit(
                "account.register",
                None,
                &format!("refused: email exists in Comake ({masked})"),
            );
            return Err(ctx.refuse("register-email-exists", &[]));
        }
        Err(ComakeError::InvalidInput(_)) => return Err(ctx.refuse("invalid-email", &[])),
        Err(e) => return Err(e.into()),
    };
    // Link only the address that was proven, whatever Comake answered.
    if validate::email(&client.email).as_deref() != Ok(email.as_str()) {
        ctx.audit(
            "account.register",
            None,
            &format!("refused: Comake answered another email ({masked})"),
        );
        return Err(ctx.internal_as(
            "error-register-mismatch",
            "no",
            "register-client answered with another email than the one requested",
        ));
    }
    let account = Account {
        discord_id: ctx.inv.user,
        email: email.clone(),
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
            return Err(ctx.refuse("register-already-linked", &args!["email" => plain(&email)]))
        }
        Err(LinkError::Store(e)) => return Err(e.into()),
    }
    ctx.audit("account.register", None, &format!("ok ({masked})"));
    Ok(Reply::text(ctx.t(
        "register-done",
        &args!["name" => plain(&client.name), "email" => plain(&email)],
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
pub(crate) async fn whoami(ctx: &Ctx<'_>) -> HandlerResult {
    let account = ctx.account().await?;
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
pub(crate) async fn unlink(ctx: &Ctx<'_>) -> HandlerResult {
    // Asked first: linking this Comake user again takes an admin.
    let Some(account) = ctx.app.store.account(ctx.inv.user).await? else {
        return Ok(Reply::text(ctx.t("unlink-none", &[])));
    };
    let text = ctx.t("unlink-ask", &args!["email" => plain(&account.email)]);
    super::contract::ask(
        ctx,
        crate::app::confirm::Pending::Unlink {
            email: account.email,
        },
        text,
        "button-unlink",
    )
    .await
}

/// **Unlink** pressed: the link goes, if it is still the one that was
/// shown (a re-link meanwhile is left alone).
pub(crate) async fn unlink_now(ctx: &Ctx<'_>, email: &str) -> HandlerResult {
    match ctx.app.store.account(ctx.inv.user).await? {
        Some(account) if account.email == email => {}
        _ => return Ok(Reply::text(ctx.t("unlink-none", &[]))),
    }
    let removed = ctx.app.store.unlink(ctx.inv.user).await?;
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

/// `/comake help`: a short private guide in the person's language, for
/// anyone in a listed server (linked or not).
pub(crate) fn help(ctx: &Ctx<'_>) -> HandlerResult {
    Ok(Reply::text(ctx.t("help", &[])))
}

/// The "how do I sign" button on a DM about a contract waiting for the
/// user's signature. It explains; it never hands out a link.
pub(crate) async fn how_to_sign(
    ctx: &Ctx<'_>,
    id: &crate::comake::wire::ContractId,
) -> HandlerResult {
    ctx.account().await?;
    let name = ctx
        .app
        .store
        .notify_state(ctx.inv.user)
        .await
        .ok()
        .flatten()
        .and_then(|s| s.contracts.get(id.as_str()).map(|c| c.name.clone()))
        .unwrap_or_default();
    Ok(Reply::text(ctx.t(
        "dm-how-to-sign",
        &args!["name" => crate::text::inert_max(&name, 200)],
    )))
}
