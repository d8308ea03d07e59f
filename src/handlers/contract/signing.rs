//! Signees and signature requests: `/contract signee`, and `/contract request-sign`'s plan and preview before Send.

use crate::args;
use crate::comake::wire::{Contract, SigneeInput};
use crate::text;
use crate::validate;

use super::super::action::Action;
use super::super::confirm::{Pending, Shown};
use super::super::{fv, party_name, plain, reply, Ctx, Failure, HandlerResult, Reply};
use super::confirmations::ask;
use super::guard::{acted, guard, linked, name_of, resolve};
use super::{MIN_BUDGET, NAME_BUDGET};

/// A signee from the command's options, checked. `None` when none was given.
pub(super) fn signee_from_options(
    ctx: &Ctx<'_>,
    party: u32,
    required: bool,
) -> Result<Option<SigneeInput>, Failure> {
    let inv = ctx.inv;
    let given = super::super::inline_signee_options()
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
pub(super) fn signees_with(
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
pub(super) type Plan = (Option<Vec<SigneeInput>>, Vec<Shown>);

pub(super) fn plan(
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

/// Days `remind_after:` allows.
const REMIND_DAYS: std::ops::RangeInclusive<i64> = 1..=30;

pub(super) async fn preview(ctx: &Ctx<'_>, c: &Contract, from_options: bool) -> HandlerResult {
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
        signee_from_options(ctx, first_missing, false)?
    } else {
        None
    };
    preview_of(ctx, c, inline, "request-preview", remind_after).await
}

/// The preview of `plan(c, inline)` under the heading `heading`, with its
/// Send button (and, with `remind_after`, the automatic nudge it sets up).
pub(super) async fn preview_of(
    ctx: &Ctx<'_>,
    c: &Contract,
    inline: Option<SigneeInput>,
    heading: &str,
    remind_after: Option<u32>,
) -> HandlerResult {
    let (set, shown) = plan(ctx, c, inline)?;
    // Every signee who would get a request is listed, or nothing is offered.
    let build = |budget: usize| {
        let lines: Vec<String> = shown
            .iter()
            .map(|s| preview_line(ctx, c, s, budget))
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

pub(super) fn preview_line(ctx: &Ctx<'_>, c: &Contract, s: &Shown, budget: usize) -> String {
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
