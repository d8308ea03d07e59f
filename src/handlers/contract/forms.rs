//! **Set signees** (서명자 지정): the button on `/contract show`, on the request-sign preview while parties lack a signee and on the next-steps DM; one button per party, each opening a form (name, email, phone, message) that goes through the same code as `/contract signee`.

use crate::args;
use crate::comake::wire::{Contract, ContractId};
use crate::text;
use crate::validate;

use super::super::action::Action;
use super::super::button::{ButtonId, SIGNEE_FORM_NAME};
use super::super::reply::{Input, Modal};
use super::super::{party_name, Component, Ctx, Failure, HandlerResult, Reply, Style};
use super::guard::{guard, linked, name_of, resolve};
use super::{action, signing};

/// Party buttons offered at most (four rows of five): a contract with more
/// parties sets its signees with `/contract signee`.
const MAX_PARTIES: usize = 20;
/// Characters of a party's name on its button.
const LABEL_BUDGET: usize = 40;

/// The **Set signees** button of `c`, when its state allows setting them
/// and the person sent it: with one party it opens that party's form at
/// once, otherwise it lists the parties.
pub(crate) fn set_button(ctx: &Ctx<'_>, c: &Contract) -> Option<Component> {
    let s = &c.summary;
    if !Action::RequestSign.allowed(s.status, s.role) || c.parties.is_empty() {
        return None;
    }
    let id = match c.parties.as_slice() {
        [one] => ButtonId::signee_form(one.index, &s.id, &one.name),
        _ => ButtonId::SetSignees(s.id.clone()),
    };
    Some(action(
        ctx.t("button-set-signees", &[]),
        id.to_string(),
        Style::Secondary,
    ))
}

/// One button per party of `c` in `parties`, labelled with its name.
fn party_rows(ctx: &Ctx<'_>, c: &Contract, parties: &[u32]) -> Vec<Vec<Component>> {
    let buttons: Vec<Component> = c
        .parties
        .iter()
        .filter(|p| parties.contains(&p.index))
        .take(MAX_PARTIES)
        .map(|p| {
            action(
                ctx.t(
                    "signee-form-button",
                    // A label shows no markdown: plain, not escaped.
                    &args!["party" => text::label(&party_name(ctx, p), LABEL_BUDGET)],
                ),
                ButtonId::signee_form(p.index, &c.summary.id, &p.name).to_string(),
                Style::Primary,
            )
        })
        .collect();
    buttons.chunks(5).map(<[Component]>::to_vec).collect()
}

/// The request-sign preview while parties lack a signee: who is missing,
/// and a button each that opens their form. `None` when none is missing
/// (or more than the buttons can hold: the refusal then says what to do).
pub(super) fn missing_parties(ctx: &Ctx<'_>, c: &Contract) -> Result<Option<Reply>, Failure> {
    guard(ctx, c, Action::RequestSign)?;
    let missing: Vec<_> = c
        .parties
        .iter()
        .filter(|p| !c.signees.iter().any(|s| s.party == p.index))
        .collect();
    if missing.is_empty() || missing.len() > MAX_PARTIES {
        return Ok(None);
    }
    let names = missing
        .iter()
        .map(|p| text::inert_max(&party_name(ctx, p), 40))
        .collect::<Vec<_>>()
        .join(", ");
    let indices: Vec<u32> = missing.iter().map(|p| p.index).collect();
    let mut reply = Reply::text(ctx.t(
        "request-missing-pick",
        &args!["name" => name_of(c), "parties" => names],
    ));
    for row in party_rows(ctx, c, &indices) {
        reply = reply.row(row);
    }
    Ok(Some(reply))
}

/// **Set signees** on a contract with several parties: each party with its
/// signee now, and a button each.
pub(crate) async fn choose(ctx: &Ctx<'_>, id: &ContractId) -> HandlerResult {
    let (_, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, Some(id.as_str())).await?;
    guard(ctx, &c, Action::RequestSign)?;
    if c.parties.len() > MAX_PARTIES {
        return Err(ctx.refuse(
            "signee-form-too-many",
            &args!["count" => c.parties.len() as i64],
        ));
    }
    let lines: Vec<String> = c
        .parties
        .iter()
        .map(|p| {
            let party = text::inert_max(&party_name(ctx, p), LABEL_BUDGET);
            match c.signees.iter().find(|s| s.party == p.index) {
                Some(s) => ctx.t(
                    "signee-form-line",
                    &args!["party" => party, "signee" => text::inert_max(&s.name, LABEL_BUDGET)],
                ),
                None => ctx.t("signee-form-line-open", &args!["party" => party]),
            }
        })
        .map(|l| format!("• {l}"))
        .collect();
    let all: Vec<u32> = c.parties.iter().map(|p| p.index).collect();
    let mut reply = Reply::text(format!(
        "{}\n{}",
        ctx.t("signee-form-choose", &args!["name" => name_of(&c)]),
        lines.join("\n")
    ));
    for row in party_rows(ctx, &c, &all) {
        reply = reply.row(row);
    }
    Ok(reply)
}

/// A party's button: the form, at once (a form must be the first answer,
/// so nothing is read from Comake first; the submit checks everything).
/// Its title names the party as the button did (`name`, carried by the
/// button's id), or as "Party 2" (as the button names a party without a
/// name) when the id had no room for it.
pub(crate) async fn open(ctx: &Ctx<'_>, party: u32, id: &ContractId, name: &str) -> HandlerResult {
    ctx.account().await?;
    let input = |id: &str, label: &str, max: u16, required: bool, long: bool| Input {
        id: id.to_owned(),
        label: ctx.t(label, &[]),
        min_length: u16::from(required),
        max_length: max,
        required,
        long,
    };
    Ok(Reply {
        modal: Some(Modal {
            custom_id: ButtonId::SigneeSave {
                party,
                id: id.clone(),
            }
            .to_string(),
            title: ctx.t(
                "signee-form-title",
                &args!["party" => text::or_fallback(&text::label(name, SIGNEE_FORM_NAME), || {
                    ctx.t("party-fallback", &args!["n" => i64::from(party) + 1])
                })],
            ),
            inputs: vec![
                input("name", "signee-form-name", 100, true, false),
                input("email", "signee-form-email", 254, true, false),
                input("phone", "signee-form-phone", 20, false, false),
                input(
                    "message",
                    "signee-form-message",
                    validate::MAX_MESSAGE as u16,
                    false,
                    true,
                ),
            ],
        }),
        ..Reply::default()
    })
}

/// The submitted form: the same checks and the same call as
/// `/contract signee`, then the next step.
pub(crate) async fn save(ctx: &Ctx<'_>, party: u32, id: &ContractId) -> HandlerResult {
    let (account, user) = linked(ctx).await?;
    let c = resolve(ctx, &user, Some(id.as_str())).await?;
    guard(ctx, &c, Action::RequestSign)?;
    let party = c
        .parties
        .iter()
        .find(|p| p.index == party)
        .ok_or_else(|| ctx.refuse("signee-unknown-party", &args!["name" => name_of(&c)]))?
        .clone();
    let done = signing::set_one(ctx, &account, &user, &c, &party).await?;
    let mut next = vec![action(
        ctx.t("dm-button-request", &[]),
        ButtonId::Act(Action::RequestSign, c.summary.id.clone()).to_string(),
        Style::Primary,
    )];
    if c.parties.len() > 1 {
        next.push(action(
            ctx.t("button-set-signees", &[]),
            ButtonId::SetSignees(c.summary.id.clone()).to_string(),
            Style::Secondary,
        ));
    }
    Ok(done.row(next))
}
