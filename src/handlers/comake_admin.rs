//! `/comake-admin`: server managers link members to existing Comake users or create new ones for them, unlink them, list links and read the audit log.

use chrono::Utc;

use crate::args;
use crate::comake::wire::RegisterClientRequest;
use crate::comake::ComakeError;
use crate::i18n::Lang;
use crate::reply::fit;
use crate::store::{Account, LinkError, LinkMethod};
use crate::text::{inert_max, label};
use crate::validate;

use super::{discord_time, page_count, plain, Ctx, Failure, HandlerResult, Reply};

/// Discord permission bits that make someone an admin here.
const ADMINISTRATOR: u64 = 1 << 3;
const MANAGE_GUILD: u64 = 1 << 5;
/// Accounts on one page of `/comake-admin list`.
const PAGE_SIZE: usize = 10;
/// Entries shown by `/comake-admin audit`.
const AUDIT_ENTRIES: usize = 15;
/// The longest an email can be: nothing shorter needs shortening.
const LONGEST_EMAIL: usize = 254;

/// The command's default permissions can be overridden per server, so the
/// member's permissions (and, with `ADMIN_ROLE_IDS`, roles) in the
/// interaction are checked every time. Only listed servers get this far.
fn require_admin(ctx: &Ctx<'_>) -> Result<(), Failure> {
    if ctx.inv.guild.is_none() {
        return Err(ctx.refuse("error-guild-only", &[]));
    }
    let perms = ctx.inv.permissions.unwrap_or(0);
    if perms & (ADMINISTRATOR | MANAGE_GUILD) == 0 {
        return Err(ctx.refuse("error-not-admin", &[]));
    }
    let roles = &ctx.app.config.discord.admin_role_ids;
    if !roles.is_empty() && !ctx.inv.roles.iter().any(|r| roles.contains(r)) {
        return Err(ctx.refuse("error-not-admin-role", &[]));
    }
    Ok(())
}

/// An admin's command about someone: the user from the `user` option.
fn target(ctx: &Ctx<'_>) -> Result<u64, Failure> {
    require_admin(ctx)?;
    ctx.inv
        .user_opt("user")
        .ok_or_else(|| ctx.refuse("error-unknown-command", &[]))
}

/// The same, for giving access: only a member of this server (Discord
/// resolves them as one), never a bare id of someone outside it.
fn member(ctx: &Ctx<'_>) -> Result<u64, Failure> {
    let user = target(ctx)?;
    if !ctx.inv.members.contains(&user) {
        return Err(ctx.refuse("admin-not-member", &args!["user" => user.to_string()]));
    }
    Ok(user)
}

/// What an admin must pass before giving `member` access to an email: a
/// member of this server, not themself (unless ADMIN_SELF_LINK), and an
/// email no other member is linked to. Nothing is asked of Comake yet.
async fn giving_access(ctx: &Ctx<'_>) -> Result<(u64, String), Failure> {
    let member = member(ctx)?;
    // Nobody gives themself access: another admin links an admin, unless
    // ADMIN_SELF_LINK is set (a company of one).
    if member == ctx.inv.user && !ctx.app.config.admin_self_link {
        return Err(ctx.refuse("admin-link-self", &[]));
    }
    let email = validate::email(ctx.inv.str("email").unwrap_or_default())
        .map_err(|e| ctx.refuse(e.message(), &[]))?;
    if let Some(owner) = ctx.app.store.account_by_email(&email).await? {
        if owner.discord_id != member {
            return Err(ctx.refuse(
                "admin-link-taken",
                &args!["owner" => owner.discord_id.to_string()],
            ));
        }
    }
    Ok((member, email))
}

/// `/comake-admin link`: prove the Comake user exists (a login succeeds),
/// then link. A member already linked is moved to the new email.
pub(crate) async fn link(ctx: &Ctx<'_>) -> HandlerResult {
    let (member, email) = giving_access(ctx).await?;
    match ctx.app.comake.user(&email).fresh_token().await {
        Ok(_) => {}
        Err(ComakeError::NotFound(_)) => {
            // What works here: the person registers themself (when codes
            // can be mailed), or the admin creates the user.
            let id = if ctx.self_registration() {
                "admin-link-no-user-open"
            } else {
                "admin-link-no-user-admin"
            };
            return Err(ctx.refuse(id, &[]));
        }
        Err(e) => return Err(e.into()),
    }
    let name = email.split('@').next().unwrap_or_default().to_owned();
    link_and_tell(ctx, member, &email, &name, String::new(), true).await?;
    ctx.audit(
        &format!("admin.link <@{member}>"),
        None,
        &format!("ok ({email})"),
    );
    Ok(Reply::text(ctx.t(
        "admin-link-done",
        &args!["user" => member.to_string(), "name" => plain(&name), "email" => plain(&email)],
    )))
}

/// `/comake-admin register`: create a new Comake user (the guide's own
/// admin step, `register-client`) and link the member to it, so a company
/// without a mail server can onboard people. A member already linked is
/// refused: creating a Comake user cannot be undone from here, so it is
/// done only for someone who needs one.
pub(crate) async fn register(ctx: &Ctx<'_>) -> HandlerResult {
    let (member, email) = giving_access(ctx).await?;
    let name = validate::name(ctx.inv.str("name").unwrap_or_default())
        .ok_or_else(|| ctx.refuse("invalid-name", &[]))?;
    let phone = match ctx.inv.str("phone") {
        None => None,
        Some(raw) => Some(validate::phone(raw).ok_or_else(|| ctx.refuse("invalid-phone", &[]))?),
    };
    if let Some(existing) = ctx.app.store.account(member).await? {
        return Err(ctx.refuse(
            "admin-register-already-linked",
            &args!["user" => member.to_string(), "email" => plain(&existing.email)],
        ));
    }
    let action = format!("admin.register <@{member}>");
    let masked = validate::mask_email(&email);
    let request = RegisterClientRequest {
        email: email.clone(),
        name,
        phone,
    };
    let client = match ctx.app.comake.register_client(&request).await {
        Ok(client) => client,
        Err(ComakeError::Conflict(_)) => {
            ctx.audit(
                &action,
                None,
                &format!("refused: email exists in Comake ({masked})"),
            );
            return Err(ctx.refuse(
                "admin-register-exists",
                &args!["user" => member.to_string(), "email" => plain(&email)],
            ));
        }
        Err(ComakeError::InvalidInput(_)) => {
            return Err(ctx.refuse("admin-register-refused-input", &[]))
        }
        Err(e) => return Err(e.into()),
    };
    // Link only the address that was asked for, whatever Comake answered.
    if validate::email(&client.email).as_deref() != Ok(email.as_str()) {
        ctx.audit(
            &action,
            None,
            &format!("refused: Comake answered another email ({masked})"),
        );
        return Err(ctx.internal("register-client answered with another email"));
    }
    // Never over another link: two admins registering the same member at
    // once (or a retry) link once; the other is told who won.
    if let Err(refused) = link_and_tell(
        ctx,
        member,
        &email,
        &client.name,
        client.id.0.clone(),
        false,
    )
    .await
    {
        ctx.audit(
            &action,
            None,
            &format!("refused after creating the Comake user ({masked})"),
        );
        return Err(refused);
    }
    ctx.audit(&action, None, &format!("ok ({email})"));
    Ok(Reply::text(ctx.t(
        "admin-register-done",
        &args![
            "user" => member.to_string(),
            "name" => plain(&client.name),
            "email" => plain(&email),
        ],
    )))
}

/// Link `member` to the Comake user `email` as an admin's act (in place
/// of their link, with `replace`), then tell both ends.
async fn link_and_tell(
    ctx: &Ctx<'_>,
    member: u64,
    email: &str,
    name: &str,
    client_id: String,
    replace: bool,
) -> Result<(), Failure> {
    let account = Account {
        discord_id: member,
        email: email.to_owned(),
        name: name.to_owned(),
        comake_client_id: client_id,
        linked_at: Utc::now(),
        linked_by: ctx.inv.user,
        method: LinkMethod::Admin,
    };
    match ctx.app.store.link(account, replace).await {
        Ok(_) => {}
        Err(LinkError::EmailTaken { owner }) => {
            return Err(ctx.refuse("admin-link-taken", &args!["owner" => owner.to_string()]))
        }
        Err(LinkError::AlreadyLinked { email: linked }) if !replace => {
            return Err(ctx.refuse(
                "admin-register-raced",
                &args![
                    "user" => member.to_string(),
                    "email" => plain(&linked),
                    "created" => plain(email),
                ],
            ))
        }
        Err(LinkError::AlreadyLinked { .. }) => return Err(ctx.internal("replace refused")),
        Err(LinkError::Store(e)) => return Err(e.into()),
    }
    ctx.app.contracts.forget(member);
    tell_the_linked(ctx, member, email).await;
    Ok(())
}

/// After an admin's link, tell both ends, so a link nobody expected is
/// noticed: a mail to the address (when SMTP is set) naming the Discord
/// user, the admin and the server, and a DM to the person linked. In the
/// person's language when the bot knows it, else the admin's. Neither holds
/// a token or a code; a failure is logged (the email masked) and the link
/// stands.
async fn tell_the_linked(ctx: &Ctx<'_>, member: u64, email: &str) {
    let app = ctx.app;
    let lang = match app.store.notify_state(member).await {
        Ok(Some(state)) => Lang::from_locale(&state.locale),
        _ => ctx.lang,
    };
    let guild = ctx.inv.guild.unwrap_or_default();
    let (name, server) = tokio::join!(
        app.members.name(guild, member),
        app.members.guild_name(guild)
    );
    let name = name.map_or_else(|| member.to_string(), |n| label(&n, 64));
    let server = server.map_or_else(|| guild.to_string(), |n| label(&n, 100));
    let admin = label(&ctx.inv.user_name, 64);
    let mail = async {
        let Some(mailer) = &app.mailer else { return };
        let args = args![
            "user" => format!("{name} ({member})"),
            "admin" => format!("{admin} ({})", ctx.inv.user),
            "server" => server.clone(),
            "email" => email.to_owned(),
        ];
        let subject = app.i18n.t(lang, "admin-link-mail-subject", &args);
        let body = app.i18n.t(lang, "admin-link-mail-body", &args);
        if let Err(e) = mailer.send(email, &subject, body).await {
            tracing::warn!(email = %validate::mask_email(email), error = %e, "the link notice was not mailed");
        }
    };
    let dm = async {
        let text = app.i18n.t(
            lang,
            "admin-link-dm",
            // Their own address, yet masked: a DM holds no contact details.
            &args!["admin" => plain(&admin), "server" => plain(&server), "email" => validate::mask_email(email)],
        );
        let body = crate::notify::dm_body(&Reply::text(text));
        if let Err(e) = app.members.dm(member, &body).await {
            tracing::warn!(error = %e, "the link notice DM was not delivered");
        }
    };
    tokio::join!(mail, dm);
}

/// `/comake-admin unlink`. Taking access away works for anyone, so an admin
/// can unlink someone who has left the server.
pub(crate) async fn unlink(ctx: &Ctx<'_>) -> HandlerResult {
    let member = target(ctx)?;
    let removed = ctx.app.store.unlink(member).await?;
    ctx.app.contracts.forget(member);
    match removed {
        Some(account) => {
            ctx.audit(&format!("admin.unlink <@{member}>"), None, "ok");
            Ok(Reply::text(ctx.t(
                "admin-unlink-done",
                &args!["user" => member.to_string(), "email" => plain(&account.email)],
            )))
        }
        None => Ok(Reply::text(
            ctx.t("admin-unlink-none", &args!["user" => member.to_string()]),
        )),
    }
}

/// `/comake-admin list`.
pub(crate) async fn list(ctx: &Ctx<'_>) -> HandlerResult {
    require_admin(ctx)?;
    let store = &ctx.app.store;
    let total = store.account_count().await? as u64;
    if total == 0 {
        return Ok(Reply::text(ctx.t("admin-list-empty", &[])));
    }
    let pages = page_count(total, PAGE_SIZE as u64);
    let page = ctx.inv.int("page").unwrap_or(1);
    if page < 1 || page as u64 > pages {
        return Err(ctx.refuse("invalid-page", &[]));
    }
    let skip = (page as usize - 1) * PAGE_SIZE;
    let accounts = store.accounts(None, skip + PAGE_SIZE).await?;
    let header = ctx.t(
        "admin-list-header",
        &args!["page" => page, "pages" => pages, "total" => total],
    );
    // Every account of the page is shown: long emails are shortened.
    let build = |budget: usize| {
        let mut lines = vec![header.clone()];
        for a in accounts.iter().skip(skip) {
            lines.push(format!(
                "• {}",
                ctx.t(
                    "admin-list-line",
                    &args![
                        "user" => a.discord_id.to_string(),
                        "email" => inert_max(&a.email, budget),
                        "method" => super::comake::method_key(a.method),
                        "since" => discord_time(a.linked_at, 'D'),
                    ],
                )
            ));
        }
        lines.join("\n")
    };
    Ok(Reply::text(
        fit(LONGEST_EMAIL, 12, build).unwrap_or_else(|| build(12)),
    ))
}

/// `/comake-admin audit`.
pub(crate) async fn audit(ctx: &Ctx<'_>) -> HandlerResult {
    require_admin(ctx)?;
    let entries = ctx
        .app
        .store
        .audit_newest(AUDIT_ENTRIES, ctx.inv.user_opt("user"))
        .await?;
    if entries.is_empty() {
        return Ok(Reply::text(ctx.t("admin-audit-empty", &[])));
    }
    // The newest entries that fit, texts shortened first; the rest is
    // counted, not cut off.
    let build = |budget: usize, shown: usize| {
        let mut lines = vec![ctx.t("admin-audit-header", &[])];
        for e in entries.iter().take(shown) {
            lines.push(audit_line(ctx, e, budget));
        }
        if shown < entries.len() {
            lines.push(ctx.t(
                "admin-audit-more",
                &args!["count" => (entries.len() - shown) as i64],
            ));
        }
        lines.join("\n")
    };
    let content = (1..=entries.len())
        .rev()
        .find_map(|shown| fit(LONGEST_EMAIL, 12, |b| build(b, shown)))
        .unwrap_or_else(|| build(12, 1));
    Ok(Reply::text(content))
}

/// One entry of `/comake-admin audit`, its texts in `budget` characters.
/// Every action the audit log records, by the name it is stored under,
/// with the message that says it in words.
const AUDIT_ACTIONS: &[(&str, &str)] = &[
    ("account.register", "audit-account-register"),
    ("account.unlink", "audit-account-unlink"),
    ("admin.link", "audit-admin-link"),
    ("admin.register", "audit-admin-register"),
    ("admin.unlink", "audit-admin-unlink"),
    ("contract.cancel_sign", "audit-contract-cancel-sign"),
    ("contract.delete", "audit-contract-delete"),
    ("contract.link_edit", "audit-contract-link-edit"),
    ("contract.link_new", "audit-contract-link-new"),
    ("contract.nudge", "audit-contract-nudge"),
    ("contract.rename", "audit-contract-rename"),
    ("contract.request_sign", "audit-contract-request-sign"),
    ("contract.set_signee", "audit-contract-set-signee"),
    ("contract.share", "audit-contract-share"),
    ("contract.unshare", "audit-contract-unshare"),
    ("contract.board", "audit-contract-board"),
    ("contract.board_unshare", "audit-contract-board-unshare"),
    (
        "notifications.digest_daily",
        "audit-notifications-digest-daily",
    ),
    (
        "notifications.digest_weekly",
        "audit-notifications-digest-weekly",
    ),
    ("notifications.digest_off", "audit-notifications-digest-off"),
    ("notifications.kind_off", "audit-notifications-kind-off"),
    ("notifications.kind_on", "audit-notifications-kind-on"),
    ("notifications.mute", "audit-notifications-mute"),
    ("notifications.off", "audit-notifications-off"),
    ("notifications.on", "audit-notifications-on"),
    ("notifications.unmute", "audit-notifications-unmute"),
    ("register.code_expired", "audit-register-code-expired"),
    ("register.code_failed", "audit-register-code-failed"),
    ("register.code_proven", "audit-register-code-proven"),
    ("register.code_sent", "audit-register-code-sent"),
];

/// One audit entry in words: when, who (a mention), what (and whom, as a
/// mention that renders), which contract, and how it went.
fn audit_line(ctx: &Ctx<'_>, e: &crate::store::AuditEntry, budget: usize) -> String {
    let contract = e
        .contract
        .as_deref()
        .map(|c| match crate::comake::wire::ContractId::parse(c) {
            // Ids are letters, digits, - and _: safe in a code span,
            // where escapes would show.
            Some(id) => format!(" `{id}`"),
            None => format!(" {}", inert_max(c, budget)),
        })
        .unwrap_or_default();
    // Stored as `name` or `name <@member>`: the member stays a mention.
    let (name, whom) = e.action.split_once(' ').unwrap_or((e.action.as_str(), ""));
    let whom = match whom
        .trim()
        .strip_prefix("<@")
        .and_then(|w| w.strip_suffix('>'))
    {
        Some(id) if id.parse::<u64>().is_ok() => format!(" <@{id}>"),
        _ => String::new(),
    };
    let action = AUDIT_ACTIONS
        .iter()
        .find(|(stored, _)| *stored == name)
        .map_or_else(|| ctx.t("audit-other", &[]), |(_, id)| ctx.t(id, &[]));
    // `ok`, `ok (detail)`, `refused: detail`, `error: <id>`, a code's
    // outcome, or another word: in words; a known detail in words too, any
    // other (a masked email, an error id) kept as plain text.
    let (outcome_id, rest) = AUDIT_OUTCOMES
        .iter()
        .find_map(|(word, id)| {
            let rest = e.outcome.strip_prefix(word)?;
            (rest.is_empty() || rest.starts_with([' ', ':'])).then_some((*id, rest))
        })
        .unwrap_or(("audit-outcome-other", e.outcome.as_str()));
    let detail = rest.trim_start_matches(':').trim();
    let detail = detail
        .strip_prefix('(')
        .and_then(|d| d.strip_suffix(')'))
        .unwrap_or(detail);
    let detail = AUDIT_DETAILS
        .iter()
        .find_map(|(known, id)| {
            let tail = detail.strip_prefix(known)?;
            (tail.is_empty() || tail.starts_with(" ("))
                .then(|| format!("{}{}", ctx.t(id, &[]), inert_max(tail, budget)))
        })
        .unwrap_or_else(|| inert_max(detail, budget));
    let outcome = if detail.is_empty() {
        ctx.t(outcome_id, &[])
    } else {
        format!("{} ({detail})", ctx.t(outcome_id, &[]))
    };
    format!(
        "• {}",
        ctx.t(
            "admin-audit-line",
            &args![
                "when" => discord_time(e.at, 'f'),
                "user" => e.discord_user.to_string(),
                "action" => format!("{action}{whom}"),
                "contract" => contract,
                "outcome" => outcome,
            ],
        )
    )
}

/// An audit entry's outcome word (as the handlers record it) and its words.
const AUDIT_OUTCOMES: &[(&str, &str)] = &[
    ("ok", "audit-outcome-ok"),
    ("refused", "audit-outcome-refused"),
    ("error", "audit-outcome-error"),
    ("not sent", "audit-outcome-not-sent"),
    ("wrong", "audit-outcome-wrong"),
    ("locked", "audit-outcome-locked"),
    ("expired", "audit-outcome-expired"),
];

/// The details the handlers and the watcher record with an outcome, and
/// their words (a detail not listed is shown as it is: a masked email, an
/// error id).
const AUDIT_DETAILS: &[(&str, &str)] = &[
    ("not theirs", "audit-detail-not-theirs"),
    ("signees changed", "audit-detail-signees-changed"),
    ("they muted this contract", "audit-detail-muted"),
    ("their DMs are closed", "audit-detail-dms-closed"),
    ("already nudged today", "audit-detail-already-nudged"),
    ("not the sender", "audit-detail-not-sender"),
    ("not linked", "audit-detail-not-linked"),
    ("not their turn", "audit-detail-not-their-turn"),
    ("automatic", "audit-detail-automatic"),
    ("email exists in Comake", "audit-detail-email-exists"),
    ("Comake answered another email", "audit-detail-other-email"),
    ("email linked", "audit-detail-email-linked"),
    (
        "after creating the Comake user",
        "audit-detail-created-unlinked",
    ),
    (
        "too many codes for this email",
        "audit-detail-too-many-codes",
    ),
];

#[cfg(test)]
mod audit_words {
    use super::AUDIT_ACTIONS;
    use std::path::Path;

    /// The action names the handlers pass to `audit(`, read from their
    /// source (the first string literal after each call).
    fn recorded(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                recorded(&path, out);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (i, _) in text.match_indices(".audit(") {
                let rest = &text[i..];
                let Some(start) = rest.find('"') else {
                    continue;
                };
                // Only a literal that is the first argument (maybe inside
                // `&format!(`); a variable is skipped.
                let before = rest[".audit(".len()..start].trim();
                if !(before.is_empty() || before == "&format!(") {
                    continue;
                }
                let Some(len) = rest[start + 1..].find('"') else {
                    continue;
                };
                let literal = &rest[start + 1..start + 1 + len];
                let name = literal.split(' ').next().unwrap_or_default();
                // Action names are `area.what`; anything else (this scan's
                // own pattern, say) is not one.
                if !name.contains('.') || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
                    continue;
                }
                if let Some(prefix) = name.strip_suffix("{}") {
                    // `notifications.digest_{}`: each digest setting.
                    for setting in ["daily", "weekly", "off"] {
                        out.push(format!("{prefix}{setting}"));
                    }
                } else {
                    out.push(name.to_owned());
                }
            }
        }
    }

    #[test]
    fn every_recorded_action_has_words() {
        let mut names = Vec::new();
        recorded(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/handlers"),
            &mut names,
        );
        assert!(names.len() > 15, "the scan found {names:?}");
        for name in names {
            assert!(
                AUDIT_ACTIONS.iter().any(|(stored, _)| *stored == name),
                "no words for the audit action {name}"
            );
        }
    }
}
