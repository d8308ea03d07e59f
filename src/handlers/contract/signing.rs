//! Signees and signature requests: `/contract signee`, and `/contract request-sign`'s plan and preview before Send.

use crate::args;
use crate::comake::wire::{Contract, Party, SigneeInput};
use crate::comake::UserClient;
use crate::store::{Account, SignedMessage, SigneeMessages};
use crate::text;
use crate::validate;

use super::super::action::Action;
use super::super::confirm::{Pending, Shown};
use super::super::{fv, party_name, plain, reply, Ctx, Failure, HandlerResult, Reply};
use super::confirmations::ask;
use super::guard::{acted, guard, linked, name_of, resolve};
use super::{forms, pick, MIN_BUDGET, NAME_BUDGET};

/// A signee from the command's options (or the signee form's inputs),
/// checked: `member:`/`me:` or a typed name and email. `None` when none was
/// given; with it, whether the email is a colleague's (shown masked).
pub(super) async fn signee_from_options(
    ctx: &Ctx<'_>,
    me: &Account,
    party: u32,
    required: bool,
) -> Result<Option<(SigneeInput, bool)>, Failure> {
    let inv = ctx.inv;
    // A form's empty optional input arrives as "": not given.
    let given_str = |o: &str| inv.str(o).map(str::trim).filter(|s| !s.is_empty());
    let given = super::super::inline_signee_options()
        .iter()
        .any(|o| match inv.opt(o) {
            Some(super::super::OptValue::Str(_)) => given_str(o).is_some(),
            // `me:False` names no one.
            Some(super::super::OptValue::Bool(false)) if *o == "me" => false,
            Some(_) => true,
            None => false,
        });
    if !given && !required {
        return Ok(None);
    }
    let (name, email, colleague) = match pick::picked(ctx, me).await? {
        Some(p) => (p.name, p.email, p.colleague),
        None => {
            let (Some(raw_name), Some(raw_email)) = (given_str("name"), given_str("email")) else {
                return Err(ctx.refuse("request-inline-incomplete", &[]));
            };
            let name = validate::name(raw_name).ok_or_else(|| ctx.refuse("invalid-name", &[]))?;
            let email = validate::email(raw_email).map_err(|e| ctx.refuse(e.message(), &[]))?;
            (name, email, false)
        }
    };
    let phone = match given_str("phone") {
        None => None,
        Some(raw) => Some(validate::phone(raw).ok_or_else(|| ctx.refuse("invalid-phone", &[]))?),
    };
    let kakao = inv.bool("kakao").unwrap_or(false);
    if kakao && phone.is_none() {
        return Err(ctx.refuse("invalid-kakao-needs-phone", &[]));
    }
    let password = match given_str("password") {
        None => None,
        Some(raw) => {
            Some(validate::password(raw).ok_or_else(|| ctx.refuse("invalid-password", &[]))?)
        }
    };
    let message = match given_str("message") {
        None => None,
        Some(raw) => Some(
            validate::text(raw, validate::MAX_MESSAGE)
                .ok_or_else(|| ctx.refuse("invalid-message", &[]))?,
        ),
    };
    Ok(Some((
        SigneeInput {
            party,
            name,
            email,
            phone,
            kakao,
            password,
            message,
        },
        colleague,
    )))
}

/// The contract's signee list with `new` in its party's place. The others
/// are kept as Comake reports them, each with the request message the bot
/// set with it (`kept`: Comake never reads messages back). A list that
/// would lose something only the website knows is refused: a password set
/// there, or a signee set there, whose message (if any) cannot be read.
pub(super) fn signees_with(
    ctx: &Ctx<'_>,
    c: &Contract,
    new: SigneeInput,
    kept: Option<&SigneeMessages>,
) -> Result<Vec<SigneeInput>, Failure> {
    let mut list = Vec::new();
    for s in c.signees.iter().filter(|s| s.party != new.party) {
        if s.has_password {
            return Err(ctx.refuse("signee-password-elsewhere", &[]));
        }
        let set_here = kept.and_then(|k| {
            k.signees
                .iter()
                .find(|m| m.party == s.party && m.email.eq_ignore_ascii_case(&s.email))
        });
        let Some(set_here) = set_here else {
            let party = c
                .parties
                .iter()
                .find(|p| p.index == s.party)
                .map(|p| party_name(ctx, p))
                .unwrap_or_else(|| (s.party + 1).to_string());
            return Err(ctx.refuse(
                "signee-message-unknown",
                &args![
                    "name" => name_of(c),
                    "party" => text::inert_max(&party, NAME_BUDGET),
                ],
            ));
        };
        list.push(SigneeInput {
            party: s.party,
            name: s.name.clone(),
            email: s.email.clone(),
            phone: s.phone.clone(),
            kakao: s.kakao,
            password: None,
            message: set_here.message.clone(),
        });
    }
    list.push(new);
    list.sort_by_key(|s| s.party);
    Ok(list)
}

/// The messages the bot last set with `c`'s signees.
pub(super) async fn kept_messages(
    ctx: &Ctx<'_>,
    c: &Contract,
) -> Result<Option<SigneeMessages>, Failure> {
    Ok(ctx.app.store.signee_messages(c.summary.id.as_str()).await?)
}

/// Remember the messages of `list`, just set on contract `id`. The list
/// stands at Comake whatever happens here: a failure is logged, and a
/// later change of another party finds no message it can trust and
/// refuses rather than drop one.
pub(super) async fn remember_messages(ctx: &Ctx<'_>, id: &str, list: &[SigneeInput]) {
    let messages = SigneeMessages {
        contract: id.to_owned(),
        signees: list
            .iter()
            .map(|s| SignedMessage {
                party: s.party,
                email: s.email.clone(),
                message: s.message.clone(),
            })
            .collect(),
    };
    if let Err(e) = ctx.app.store.put_signee_messages(messages).await {
        tracing::warn!(contract = %id, error = %e, "the signees' request messages were not kept");
    }
}

/// Stop keeping contract `id`'s messages (deleted, or completed): best
/// effort, a failure is logged.
pub(super) async fn forget_messages(ctx: &Ctx<'_>, id: &str) {
    if let Err(e) = ctx.app.store.forget_signee_messages(id).await {
        tracing::warn!(contract = %id, error = %e, "the signees' request messages were not forgotten");
    }
}

/// `/contract signee`: set one party's signee, keeping the others.
pub(crate) async fn signee(ctx: &Ctx<'_>) -> HandlerResult {
    let (account, user) = linked(ctx).await?;
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
    set_one(ctx, &account, &user, &c, &party).await
}

/// Set `party`'s signee on `c` from the options (or the form), keeping the
/// others: the one way `/contract signee` and the signee form both go.
pub(super) async fn set_one(
    ctx: &Ctx<'_>,
    account: &Account,
    user: &UserClient,
    c: &Contract,
    party: &Party,
) -> HandlerResult {
    let (new, colleague) = signee_from_options(ctx, account, party.index, true)
        .await?
        .ok_or_else(|| ctx.refuse("request-inline-incomplete", &[]))?;
    let (signee_name, signee_email) = (new.name.clone(), new.email.clone());
    let kept = kept_messages(ctx, c).await?;
    let list = signees_with(ctx, c, new, kept.as_ref())?;
    let id = c.summary.id.clone();
    match user.set_signees(&id, list.clone()).await {
        Ok(_) => {
            remember_messages(ctx, id.as_str(), &list).await;
            ctx.app.contracts.forget(ctx.inv.user);
            ctx.audit("contract.set_signee", Some(id.as_str()), "ok");
            let email = if colleague {
                validate::mask_email(&signee_email)
            } else {
                signee_email
            };
            Ok(Reply::text(ctx.t(
                "signee-done",
                &args![
                    "party" => text::inert_max(&party_name(ctx, party), NAME_BUDGET),
                    "name" => name_of(c),
                    "signee" => plain(&signee_name),
                    "email" => plain(&email),
                ],
            )))
        }
        Err(e) => Err(acted(ctx, "contract.set_signee", &id, e)),
    }
}

/// `/contract request-sign`: optionally set the one missing signee, then
/// preview every party's signee with a Send button.
pub(crate) async fn request_sign(ctx: &Ctx<'_>) -> HandlerResult {
    let (account, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, ctx.inv.str("contract")).await?;
    preview(ctx, &account, &c, true).await
}

/// What Send would do to `c`: the list to set first (when a signee was
/// typed inline), and every signee who would get a request, as shown.
pub(super) type Plan = (Option<Vec<SigneeInput>>, Vec<Shown>);

pub(super) async fn plan(
    ctx: &Ctx<'_>,
    c: &Contract,
    inline: Option<SigneeInput>,
) -> Result<Plan, Failure> {
    guard(ctx, c, Action::RequestSign)?;
    let missing: Vec<_> = c
        .parties
        .iter()
        .filter(|p| !c.signees.iter().any(|s| s.party == p.index))
        .collect();
    let set = match inline {
        Some(new) => match missing.as_slice() {
            [one] if one.index == new.party => {
                let kept = kept_messages(ctx, c).await?;
                Some(signees_with(ctx, c, new, kept.as_ref())?)
            }
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

/// Days `remind_after:` allows.
const REMIND_DAYS: std::ops::RangeInclusive<i64> = 1..=30;

pub(super) async fn preview(
    ctx: &Ctx<'_>,
    me: &Account,
    c: &Contract,
    from_options: bool,
) -> HandlerResult {
    let remind_after = match ctx.inv.int("remind_after").filter(|_| from_options) {
        None => None,
        Some(days) if REMIND_DAYS.contains(&days) => u32::try_from(days).ok(),
        Some(_) => return Err(ctx.refuse("invalid-remind-after", &[])),
    };
    let inline = if from_options {
        let first_missing = c
            .parties
            .iter()
            .find(|p| !c.signees.iter().any(|s| s.party == p.index))
            .map_or(0, |p| p.index);
        signee_from_options(ctx, me, first_missing, false).await?
    } else {
        None
    };
    let hidden = inline
        .as_ref()
        .filter(|(_, colleague)| *colleague)
        .map(|(s, _)| s.email.clone());
    let inline = inline.map(|(s, _)| s);
    if inline.is_none() {
        // Parties without a signee: a button each that opens their form.
        if let Some(asked) = forms::missing_parties(ctx, c)? {
            return Ok(asked);
        }
    }
    preview_of(
        ctx,
        c,
        inline,
        "request-preview",
        hidden.as_deref(),
        remind_after,
    )
    .await
}

/// The preview of `plan(c, inline)` under the heading `heading`, with its
/// Send button (and, with `remind_after`, the automatic nudge it sets up).
pub(super) async fn preview_of(
    ctx: &Ctx<'_>,
    c: &Contract,
    inline: Option<SigneeInput>,
    heading: &str,
    hidden: Option<&str>,
    remind_after: Option<u32>,
) -> HandlerResult {
    let (set, shown) = plan(ctx, c, inline).await?;
    // Every signee who would get a request is listed, or nothing is offered.
    let build = |budget: usize| {
        let lines: Vec<String> = shown
            .iter()
            .map(|s| preview_line(ctx, c, s, budget, hidden))
            .map(|l| format!("• {l}"))
            .collect();
        let remind = remind_after.map_or_else(String::new, |days| {
            format!(
                "\n{}",
                ctx.t("request-remind", &args!["days" => i64::from(days)])
            )
        });
        format!(
            "{}\n{}\n{}{remind}",
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
    let pending = Pending::RequestSign {
        id: c.summary.id.clone(),
        inline,
        shown,
        remind_after,
    };
    ask(ctx, pending, text, "button-send").await
}

/// One signee of the preview; `hidden`: a colleague's email picked by
/// `member:`, shown masked.
pub(super) fn preview_line(
    ctx: &Ctx<'_>,
    c: &Contract,
    s: &Shown,
    budget: usize,
    hidden: Option<&str>,
) -> String {
    let party_name = c
        .parties
        .iter()
        .find(|p| p.index == s.party)
        .map(|p| party_name(ctx, p))
        .unwrap_or_else(|| (s.party + 1).to_string());
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let email = match hidden {
        Some(h) if h == s.email => validate::mask_email(&s.email),
        _ => s.email.clone(),
    };
    ctx.t(
        "request-preview-line",
        &[
            ("party", fv(text::inert_max(&party_name, budget))),
            ("signee", fv(text::inert_max(&s.name, budget))),
            ("email", fv(text::inert_max(&email, budget))),
            ("kakao", fv(yes_no(s.kakao))),
            ("password", fv(yes_no(s.password))),
        ],
    )
}
