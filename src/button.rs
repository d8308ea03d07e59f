//! The ids of the bot's buttons: one type, written and read in one place (`Display` / `FromStr`), so no handler builds or splits them by hand.

use std::fmt;
use std::str::FromStr;

use crate::comake::wire::{BoxFilter, BoxTab, ContractId};

use super::action::Action;

/// What a button of ours does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ButtonId {
    /// On a notification DM: explains how to sign this contract.
    HowToSign(ContractId),
    /// On `/contract show`: starts this action on the contract.
    Act(Action, ContractId),
    /// Takes (`ok`) or dismisses the pending confirmation `nonce`; `dm`:
    /// shown in a DM (after a DM's button), where it is allowed too.
    Confirm { ok: bool, nonce: String, dm: bool },
    /// A page of `/contract list` (of one box of it).
    Page {
        tab: BoxTab,
        filter: BoxFilter,
        page: u32,
    },
    /// A page of `/contract pending`.
    Pending { page: u32 },
    /// On `/contract show`: show privately what a status card of this
    /// contract would make public here, with Post and Never mind.
    Share(ContractId),
    /// On that preview: post the live status card in this channel.
    Post(ContractId),
    /// On that preview: Never mind (nothing is posted).
    KeepPrivate,
    /// On `/contract show`: stop updating the contract's card.
    Unshare(ContractId),
    /// Opens the registration code form.
    EnterCode,
    /// **Set signees** on a contract with several parties: a button per party.
    SetSignees(ContractId),
    /// A party's button: opens its signee form.
    SigneeForm { party: u32, id: ContractId },
    /// The signee form's own id (a modal's, not a button's): its submit.
    SigneeSave { party: u32, id: ContractId },
    /// On the next-steps DM: `/contract show` of the contract.
    ShowContract(ContractId),
    /// On the board preview: post the person's team board in this channel.
    BoardPost,
    /// On the board preview: stop updating the person's board here.
    BoardStop,
    /// Nudge (재촉) linked colleague `colleague` (a Discord id: never an
    /// email) about `contract`, whose turn it is.
    Nudge {
        contract: ContractId,
        colleague: u64,
    },
    /// On a notification DM: no more DMs about this contract.
    Mute(ContractId),
    /// On `/comake notifications` (and the answer to Mute): DMs about this
    /// contract again.
    Unmute(ContractId),
}

impl fmt::Display for ButtonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ButtonId::HowToSign(id) => write!(f, "n:sign:{id}"),
            ButtonId::Act(action, id) => write!(f, "a:{}:{id}", action.verb()),
            ButtonId::Confirm { ok, nonce, dm } => {
                let kind = if *dm { "d" } else { "c" };
                write!(f, "{kind}:{}:{nonce}", if *ok { "ok" } else { "no" })
            }
            ButtonId::Page {
                tab,
                filter: BoxFilter::All,
                page,
            } => write!(f, "l:{}:{page}", tab.as_str()),
            ButtonId::Page { tab, filter, page } => {
                write!(f, "l:{}:{page}:{}", tab.as_str(), filter.as_str())
            }
            ButtonId::Pending { page } => write!(f, "p:{page}"),
            ButtonId::Share(id) => write!(f, "s:share:{id}"),
            ButtonId::Post(id) => write!(f, "s:post:{id}"),
            ButtonId::KeepPrivate => f.write_str("s:no"),
            ButtonId::Unshare(id) => write!(f, "s:stop:{id}"),
            ButtonId::EnterCode => f.write_str("v:enter"),
            ButtonId::SetSignees(id) => write!(f, "g:pick:{id}"),
            ButtonId::SigneeForm { party, id } => write!(f, "g:form:{party}:{id}"),
            ButtonId::SigneeSave { party, id } => write!(f, "g:save:{party}:{id}"),
            ButtonId::ShowContract(id) => write!(f, "g:show:{id}"),
            ButtonId::BoardPost => f.write_str("b:post"),
            ButtonId::BoardStop => f.write_str("b:stop"),
            ButtonId::Nudge {
                contract,
                colleague,
            } => write!(f, "r:{colleague}:{contract}"),
            ButtonId::Mute(id) => write!(f, "n:mute:{id}"),
            ButtonId::Unmute(id) => write!(f, "n:unmute:{id}"),
        }
    }
}

/// An id that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownButton;

impl FromStr for ButtonId {
    type Err = UnknownButton;

    fn from_str(raw: &str) -> Result<Self, UnknownButton> {
        let mut parts = raw.splitn(3, ':');
        let (kind, verb, rest) = (parts.next(), parts.next(), parts.next());
        let id = || rest.and_then(ContractId::parse).ok_or(UnknownButton);
        match (kind, verb) {
            (Some("n"), Some("sign")) => Ok(ButtonId::HowToSign(id()?)),
            (Some("n"), Some("mute")) => Ok(ButtonId::Mute(id()?)),
            (Some("n"), Some("unmute")) => Ok(ButtonId::Unmute(id()?)),
            (Some("s"), Some("share")) => Ok(ButtonId::Share(id()?)),
            (Some("s"), Some("post")) => Ok(ButtonId::Post(id()?)),
            (Some("s"), Some("no")) if rest.is_none() => Ok(ButtonId::KeepPrivate),
            (Some("s"), Some("stop")) => Ok(ButtonId::Unshare(id()?)),
            (Some("a"), Some(verb)) => {
                let action = Action::from_verb(verb).ok_or(UnknownButton)?;
                Ok(ButtonId::Act(action, id()?))
            }
            (Some(kind @ ("c" | "d")), Some(verb @ ("ok" | "no"))) => {
                let nonce = rest
                    .filter(|n| {
                        (1..=32).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_hexdigit())
                    })
                    .ok_or(UnknownButton)?;
                Ok(ButtonId::Confirm {
                    ok: verb == "ok",
                    nonce: nonce.to_owned(),
                    dm: kind == "d",
                })
            }
            (Some("l"), Some(tab)) => {
                let (page, filter) = match rest.and_then(|r| r.split_once(':')) {
                    Some((page, filter)) => (Some(page), BoxFilter::parse(filter)),
                    None => (rest, Some(BoxFilter::All)),
                };
                Ok(ButtonId::Page {
                    tab: BoxTab::parse(tab).ok_or(UnknownButton)?,
                    filter: filter.ok_or(UnknownButton)?,
                    page: page.and_then(|p| p.parse().ok()).ok_or(UnknownButton)?,
                })
            }
            (Some("v"), Some("enter")) if rest.is_none() => Ok(ButtonId::EnterCode),
            (Some("g"), Some("pick")) => Ok(ButtonId::SetSignees(id()?)),
            (Some("g"), Some("show")) => Ok(ButtonId::ShowContract(id()?)),
            (Some("g"), Some(verb @ ("form" | "save"))) => {
                let (party, id) = rest.and_then(|r| r.split_once(':')).ok_or(UnknownButton)?;
                let party = party.parse().map_err(|_| UnknownButton)?;
                let id = ContractId::parse(id).ok_or(UnknownButton)?;
                Ok(if verb == "form" {
                    ButtonId::SigneeForm { party, id }
                } else {
                    ButtonId::SigneeSave { party, id }
                })
            }
            (Some("b"), Some("post")) if rest.is_none() => Ok(ButtonId::BoardPost),
            (Some("b"), Some("stop")) if rest.is_none() => Ok(ButtonId::BoardStop),
            (Some("r"), Some(colleague)) => Ok(ButtonId::Nudge {
                colleague: colleague
                    .parse()
                    .ok()
                    .filter(|c| *c > 0 && colleague.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or(UnknownButton)?,
                contract: id()?,
            }),
            (Some("p"), Some(page)) if rest.is_none() => Ok(ButtonId::Pending {
                page: page.parse().map_err(|_| UnknownButton)?,
            }),
            _ => Err(UnknownButton),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_reads_back_as_written_and_fits_discord() {
        let id = ContractId::parse(&"x".repeat(ContractId::MAX_LEN)).unwrap();
        let mut all = vec![
            ButtonId::HowToSign(id.clone()),
            ButtonId::Confirm {
                ok: true,
                nonce: "00ff00ff00ff00ff".into(),
                dm: false,
            },
            ButtonId::Confirm {
                ok: false,
                nonce: "1".into(),
                dm: true,
            },
            ButtonId::Page {
                tab: BoxTab::Signing,
                filter: BoxFilter::All,
                page: u32::MAX,
            },
            ButtonId::Page {
                tab: BoxTab::Completed,
                filter: BoxFilter::MyTurn,
                page: 7,
            },
            ButtonId::EnterCode,
            ButtonId::SetSignees(id.clone()),
            ButtonId::SigneeForm {
                party: u32::MAX,
                id: id.clone(),
            },
            ButtonId::SigneeSave {
                party: u32::MAX,
                id: id.clone(),
            },
            ButtonId::ShowContract(id.clone()),
            ButtonId::BoardPost,
            ButtonId::BoardStop,
            ButtonId::Pending { page: u32::MAX },
            ButtonId::Share(id.clone()),
            ButtonId::Post(id.clone()),
            ButtonId::KeepPrivate,
            ButtonId::Unshare(id.clone()),
            ButtonId::Nudge {
                contract: id.clone(),
                colleague: u64::MAX,
            },
            ButtonId::Mute(id.clone()),
            ButtonId::Unmute(id.clone()),
        ];
        all.extend(Action::ALL.map(|a| ButtonId::Act(a, id.clone())));
        all.extend(BoxTab::ALL.map(|tab| ButtonId::Page {
            tab,
            filter: BoxFilter::Sent,
            page: 1,
        }));
        for b in all {
            let text = b.to_string();
            assert!(text.len() <= 100, "{text}");
            assert_eq!(text.parse::<ButtonId>(), Ok(b));
        }
    }

    #[test]
    fn strangers_ids_are_refused() {
        for bad in [
            "",
            "n:sign:",
            "n:sign:a/b",
            "n:mute:",
            "n:unmute:a b",
            "a:fly:abc",
            "c:ok:not-hex",
            "c:maybe:00",
            "l:nowhere:1",
            "l:sent:-1",
            "v:enter:x",
            "s:no:x",
            "s:post:",
            "x:y:z",
            "r:1:",
            "r:abc:c1",
            "r:+1:c1",
            "r:0:c1",
            "r::c1",
        ] {
            assert_eq!(bad.parse::<ButtonId>(), Err(UnknownButton), "{bad:?}");
        }
    }
}
