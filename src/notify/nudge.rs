//! A nudge (재촉): whom a contract waits on now, as its sender sees it, and the DM that reminds one colleague of it, at most once a day per contract and colleague (the claim is the store's, shared by every instance); used by the Nudge button and by the reminders job.

use chrono::{DateTime, Utc};
use serenity::all::Http;

use super::dm::{deliver, Sent};
use super::NotifyError;
use crate::app::App;
use crate::args;
use crate::button::ButtonId;
use crate::comake::wire::{timeline, ApproverStatus, Contract, ContractStatus, Role, SigneeStatus};
use crate::comake::Comake;
use crate::i18n::{fv, Lang};
use crate::reply::{Component, Reply, Style};
use crate::store::{Account, Claim};
use crate::text;

/// Characters a name gets in a nudge DM.
const NAME_BUDGET: usize = 100;

/// One person a contract waits on now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Waited {
    pub(crate) email: String,
    pub(crate) name: String,
    /// Asked to approve (an approver), not to sign.
    pub(crate) approval: bool,
}

/// Whom `c` waits on now, from its sender's view: in approval, the first
/// approver of the line still waiting (none once one rejected); in
/// signing, the signees who have not signed with the lowest `order` (when
/// Comake gives no order, every signee is asked at once, so each one who
/// has not signed). Nobody for a contract that is not in motion, or not
/// the viewer's own.
pub(crate) fn waited_on(c: &Contract) -> Vec<Waited> {
    if c.summary.role != Role::Sender {
        return Vec::new();
    }
    match c.summary.status {
        ContractStatus::Approving => {
            if c.approvers
                .iter()
                .any(|a| a.status == ApproverStatus::Rejected)
            {
                return Vec::new();
            }
            c.approvers
                .iter()
                .filter(|a| a.status == ApproverStatus::Waiting)
                .min_by_key(|a| a.order)
                .map(|a| Waited {
                    email: a.email.clone(),
                    name: a.name.clone(),
                    approval: true,
                })
                .into_iter()
                .collect()
        }
        ContractStatus::Signing => {
            let left: Vec<_> = c
                .signees
                .iter()
                .filter(|s| !matches!(s.status, SigneeStatus::Signed | SigneeStatus::Rejected))
                .collect();
            let first = left.iter().filter_map(|s| s.order).min();
            left.into_iter()
                .filter(|s| first.is_none() || s.order.is_none_or(|o| Some(o) == first))
                .map(|s| Waited {
                    email: s.email.clone(),
                    name: s.name.clone(),
                    approval: false,
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Since when `c` has waited on its current step: the latest request,
/// signature or approval on its timeline, else its last change.
pub(crate) fn waiting_since(c: &Contract) -> DateTime<Utc> {
    c.timeline
        .iter()
        .filter(|e| {
            [
                timeline::SIGN_REQUESTED,
                timeline::SIGNED,
                timeline::APPROVAL_REQUESTED,
                timeline::APPROVED,
            ]
            .contains(&e.action.as_str())
        })
        .map(|e| e.at)
        .max()
        .unwrap_or(c.summary.updated_at)
}

/// Whether it is `colleague`'s turn on contract `c` as Comake tells
/// them (`myTurn` of their own view): `None` when it does not say or
/// cannot be read.
pub(crate) async fn their_turn(comake: &Comake, colleague: &Account, c: &Contract) -> Option<bool> {
    let mine = comake.user(&colleague.email);
    match mine.get_contract(&c.summary.id).await {
        Ok(theirs) => theirs.summary.my_turn,
        Err(e) => {
            tracing::debug!(error = %e, "nudge: the colleague's view could not be read");
            None
        }
    }
}

/// Characters a name gets on a Nudge button.
const LABEL_NAME: usize = 30;

/// What the viewer `me` (the sender) can do about `contracts` (their own
/// detail views): a Nudge button for each linked colleague whose turn it
/// is (at most `max`; the contract's name on each when `named`), and the
/// masked names of the people outside the company it waits on, whom the
/// bot cannot remind.
pub(crate) async fn offers(
    app: &App,
    lang: Lang,
    me: u64,
    contracts: &[&Contract],
    named: bool,
    max: usize,
) -> Result<(Vec<Component>, Vec<String>), crate::store::StoreError> {
    // Shortened with "…", so a cut name shows it was cut.
    let short = |s: &str| crate::text::label(s, LABEL_NAME);
    let (mut buttons, mut outside) = (Vec::new(), Vec::new());
    for c in contracts {
        for who in waited_on(c) {
            match app.store.account_by_email(&who.email).await? {
                Some(colleague) if colleague.discord_id == me => {}
                Some(colleague) if buttons.len() < max => {
                    let label = if named {
                        app.i18n.t(
                            lang,
                            "nudge-button-on",
                            &args!["name" => short(&who.name), "contract" => short(&c.summary.name)],
                        )
                    } else {
                        app.i18n
                            .t(lang, "nudge-button", &args!["name" => short(&who.name)])
                    };
                    let id = ButtonId::Nudge {
                        contract: c.summary.id.clone(),
                        colleague: colleague.discord_id,
                    };
                    buttons.push(Component::Button {
                        label,
                        custom_id: id.to_string(),
                        style: Style::Secondary,
                    });
                }
                Some(_) => {}
                None => {
                    let masked = text::inert_max(&crate::render::mask_name(&who.name), 40);
                    if !outside.contains(&masked) {
                        outside.push(masked);
                    }
                }
            }
        }
    }
    Ok((buttons, outside))
}

/// What became of a nudge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nudged {
    Sent,
    /// One went out less than a day ago; the next is possible then.
    TooSoon(DateTime<Utc>),
    /// The colleague's DMs are closed to the bot.
    Closed,
    /// The colleague muted this contract: they asked for no more DMs
    /// about it, and a nudge is one.
    Muted,
}

/// Nudge `colleague` (who is `who` on `c`, whose sender is `sender`): claim
/// the day's nudge, then DM them; a claim whose DM did not go out is given
/// back. The caller has checked that it is their turn.
pub(crate) async fn nudge(
    app: &App,
    http: &Http,
    sender: &Account,
    colleague: &Account,
    who: &Waited,
    c: &Contract,
    now: DateTime<Utc>,
) -> Result<Nudged, NotifyError> {
    let contract = c.summary.id.as_str();
    let state = app.store.notify_state(colleague.discord_id).await?;
    if state
        .as_ref()
        .is_some_and(|s| s.muted.contains_key(contract))
    {
        return Ok(Nudged::Muted);
    }
    let at = match app
        .store
        .claim_nudge(contract, colleague.discord_id, now)
        .await?
    {
        Claim::TooSoon(next) => return Ok(Nudged::TooSoon(next)),
        Claim::Taken(at) => at,
    };
    // Their language as the watcher knows it (English before it does, as
    // the digest).
    let lang = state.map_or(Lang::En, |s| Lang::from_locale(&s.locale));
    let message = body(app, lang, sender, who, c);
    let sent = deliver(http, colleague.discord_id, &message).await;
    let outcome = match sent {
        Ok(Sent::Delivered) => return Ok(Nudged::Sent),
        Ok(Sent::Unreachable) => Ok(Nudged::Closed),
        Err(e) => Err(e),
    };
    if let Err(e) = app
        .store
        .release_nudge(contract, colleague.discord_id, at)
        .await
    {
        tracing::warn!(error = %e, "nudge: a claim whose DM failed could not be given back");
    }
    outcome
}

/// The nudge DM: the contract, who asks, how long it has waited, and how
/// to sign (no link: the signee signs from Comake's own mail or
/// KakaoTalk) or where to approve.
fn body(app: &App, lang: Lang, sender: &Account, who: &Waited, c: &Contract) -> Reply {
    let t =
        |id: &str, args: &[(&str, fluent_bundle::FluentValue<'static>)]| app.i18n.t(lang, id, args);
    let name = text::inert_max(&c.summary.name, NAME_BUDGET);
    let asks = asks_args(sender, &name, waiting_since(c));
    // Like every notification DM, it can be muted.
    let mute = Component::Button {
        label: t(
            "dm-button-mute",
            &args!["name" => text::label(&c.summary.name, LABEL_NAME)],
        ),
        custom_id: ButtonId::Mute(c.summary.id.clone()).to_string(),
        style: Style::Secondary,
    };
    if who.approval {
        return Reply::text(format!(
            "{}\n{}",
            t("nudge-dm-approve", &asks),
            t("dm-waiting-approval", &args!["name" => name]),
        ))
        .row(vec![mute]);
    }
    let help = t("dm-how-to-sign", &args!["name" => name.clone()]);
    let button = Component::Button {
        label: t("dm-button-how", &[("name", fv(c.summary.name.clone()))]),
        custom_id: ButtonId::HowToSign(c.summary.id.clone()).to_string(),
        style: Style::Primary,
    };
    Reply::text(format!("{}\n{help}", t("nudge-dm-sign", &asks))).row(vec![button, mute])
}

fn asks_args(
    sender: &Account,
    name: &str,
    since: DateTime<Utc>,
) -> Vec<(&'static str, fluent_bundle::FluentValue<'static>)> {
    args![
        "sender" => text::inert_max(&sender.name, NAME_BUDGET),
        "name" => name.to_owned(),
        "since" => crate::render::time(since, 'R'),
    ]
    .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comake::wire::{Approver, ContractId, ContractSummary, Signee};

    fn contract(
        status: ContractStatus,
        signees: Vec<Signee>,
        approvers: Vec<Approver>,
    ) -> Contract {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        Contract {
            summary: ContractSummary {
                id: ContractId::parse("c1").expect("an id"),
                name: "NDA".into(),
                status,
                status_text: String::new(),
                role: Role::Sender,
                created_at: at,
                updated_at: at,
                my_turn: None,
                request_type: None,
            },
            parties: Vec::new(),
            signees,
            timeline: Vec::new(),
            approvers,
        }
    }

    fn signee(email: &str, status: SigneeStatus, order: Option<u32>) -> Signee {
        Signee {
            party: 0,
            name: email.into(),
            email: email.into(),
            phone: None,
            kakao: false,
            has_password: false,
            status,
            order,
        }
    }

    fn emails(c: &Contract) -> Vec<String> {
        waited_on(c).into_iter().map(|w| w.email).collect()
    }

    #[test]
    fn whose_turn_follows_the_order_the_approval_line_and_parallel_requests() {
        use SigneeStatus::*;
        // Sequential: the lowest order not yet signed.
        let c = contract(
            ContractStatus::Signing,
            vec![
                signee("a", Signed, Some(0)),
                signee("b", Viewed, Some(1)),
                signee("c", Waiting, Some(2)),
            ],
            vec![],
        );
        assert_eq!(emails(&c), ["b"]);
        // No order: everyone still to sign is asked at once.
        let c = contract(
            ContractStatus::Signing,
            vec![
                signee("a", Signed, None),
                signee("b", Waiting, None),
                signee("c", Viewed, None),
            ],
            vec![],
        );
        assert_eq!(emails(&c), ["b", "c"]);
        // The approval line: the first still waiting; nobody after a rejection.
        let approver = |email: &str, order, status| Approver {
            order,
            name: email.into(),
            email: email.into(),
            status,
        };
        let mut c = contract(
            ContractStatus::Approving,
            vec![signee("s", Waiting, None)],
            vec![
                approver("y", 2, ApproverStatus::Waiting),
                approver("x", 1, ApproverStatus::Approved),
                approver("z", 3, ApproverStatus::Waiting),
            ],
        );
        assert_eq!(emails(&c), ["y"]);
        assert!(waited_on(&c)[0].approval);
        c.approvers[1].status = ApproverStatus::Rejected;
        assert!(emails(&c).is_empty());
        // Not the viewer's own, or not in motion: nobody.
        let mut c = contract(
            ContractStatus::Signing,
            vec![signee("b", Waiting, None)],
            vec![],
        );
        c.summary.role = Role::Receiver;
        assert!(emails(&c).is_empty());
        let c = contract(
            ContractStatus::Completed,
            vec![signee("b", Waiting, None)],
            vec![],
        );
        assert!(emails(&c).is_empty());
    }
}
