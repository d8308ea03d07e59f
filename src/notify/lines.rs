//! One notification event as a DM's line in the person's language, with the button that goes with it.

use super::events::{Event, Step};
use super::NAME_BUDGET;
use crate::action::Action;
use crate::args;
use crate::button::ButtonId;
use crate::comake::wire::{Approver, ContractId};
use crate::i18n::{fv, I18n, Lang};
use crate::render::Labels;
use crate::reply::{Component, Style};
use crate::store::SeenApprover;
use crate::text;

/// `e` as a line ("• …", more lines under it for an approval line) and
/// its own button, if it has one.
pub(super) fn event_line(i18n: &I18n, lang: Lang, e: &Event) -> (String, Option<Component>) {
    let t = |id: &str, args: &[(&str, fluent_bundle::FluentValue<'static>)]| i18n.t(lang, id, args);
    let name = |n: &str| text::inert_max(n, NAME_BUDGET);
    // Someone else's words: contact details masked, inert, shortened.
    let said = |r: &str| text::inert_max(&text::scrub_contacts(r), NAME_BUDGET);
    let step_args = |contract: &str, step: &Step| {
        args![
            "name" => name(contract),
            "n" => i64::from(step.n),
            "of" => i64::from(step.of),
            "approver" => approver_name(i18n, lang, &step.approver, step.n),
        ]
    };
    let mut button = None;
    let line = match e {
        Event::Viewed { contract, signee } => t(
            "dm-viewed",
            &args!["name" => name(contract), "signee" => name(signee)],
        ),
        Event::Signed { contract, signee } => t(
            "dm-signed",
            &args!["name" => name(contract), "signee" => name(signee)],
        ),
        Event::Rejected {
            contract,
            signee,
            reason,
        } => match reason {
            Some(reason) if !reason.trim().is_empty() => t(
                "dm-rejected-reason",
                &args![
                    "name" => name(contract),
                    "signee" => name(signee),
                    "reason" => said(reason)
                ],
            ),
            _ => t(
                "dm-rejected",
                &args!["name" => name(contract), "signee" => name(signee)],
            ),
        },
        Event::Completed { contract } => t("dm-completed", &args!["name" => name(contract)]),
        Event::Cancelled { contract } => t("dm-cancelled", &args!["name" => name(contract)]),
        Event::Withdrawn { contract } => t("dm-withdrawn-mine", &args!["name" => name(contract)]),
        Event::Waiting {
            id,
            contract,
            approval: false,
            ..
        } => {
            button = ContractId::parse(id).map(|id| Component::Button {
                label: t("dm-button-how", &[("name", fv(contract.clone()))]),
                custom_id: ButtonId::HowToSign(id).to_string(),
                style: Style::Primary,
            });
            t("dm-waiting", &args!["name" => name(contract)])
        }
        // Approving needs the approver's password on the website: no
        // button here; the approval line as it stands, whose turn marked.
        Event::Waiting {
            contract,
            approval: true,
            line,
            ..
        } => {
            let first = t("dm-waiting-approval", &args!["name" => name(contract)]);
            let approvers = approval_line(i18n, lang, line);
            if approvers.is_empty() {
                first
            } else {
                let heading = t("dm-approval-line", &[]);
                format!("{first}\n   {heading}\n   {}", approvers.join("\n   "))
            }
        }
        Event::Approved { id, contract } => {
            button = ContractId::parse(id).map(|id| Component::Button {
                label: t("dm-button-request", &[]),
                custom_id: ButtonId::Act(Action::RequestSign, id).to_string(),
                style: Style::Primary,
            });
            t("dm-approved", &args!["name" => name(contract)])
        }
        Event::ApprovalStep { contract, step } => t("dm-approval-step", &step_args(contract, step)),
        Event::ApprovalRejected {
            contract,
            reason,
            step,
        } => {
            let reason = reason.as_deref().filter(|r| !r.trim().is_empty()).map(said);
            match (step, reason) {
                (Some(step), Some(reason)) => {
                    let mut a = step_args(contract, step).to_vec();
                    a.push(("reason", fv(reason)));
                    t("dm-approval-step-rejected-reason", &a)
                }
                (Some(step), None) => t("dm-approval-step-rejected", &step_args(contract, step)),
                (None, Some(reason)) => t(
                    "dm-approval-rejected-reason",
                    &args!["name" => name(contract), "reason" => reason],
                ),
                (None, None) => t("dm-approval-rejected", &args!["name" => name(contract)]),
            }
        }
        Event::ApprovalCancelled { contract } => {
            t("dm-approval-cancelled", &args!["name" => name(contract)])
        }
        Event::Created { contract, .. } => t("dm-created", &args!["name" => name(contract)]),
    };
    (format!("• {line}"), button)
}

/// An approver's name as a DM shows it (colleagues: in full, inert), or
/// "Approver 2" when it shows nothing.
fn approver_name(i18n: &I18n, lang: Lang, raw: &str, n: u32) -> String {
    let shown = text::inert_max(raw, NAME_BUDGET);
    if shown.trim().is_empty() {
        i18n.t(lang, "approver-fallback", &args!["n" => i64::from(n)])
    } else {
        shown
    }
}

/// The approval line as `/contract show` shows it: in order, each
/// approver's state, whose turn it is marked.
fn approval_line(i18n: &I18n, lang: Lang, line: &[SeenApprover]) -> Vec<String> {
    let approvers: Vec<Approver> = line
        .iter()
        .map(|a| Approver {
            order: a.order,
            name: a.name.clone(),
            email: String::new(),
            status: a.status,
        })
        .collect();
    Labels::new(i18n, lang).approval_line(&approvers, |a| text::inert_max(&a.name, NAME_BUDGET))
}
