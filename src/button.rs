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
    /// A party's button: opens its signee form. `name`: the party's name
    /// as Comake gave it, for the form's title only (shortened to fit the
    /// id, possibly empty; it comes back from the client, so nothing but
    /// the title trusts it).
    SigneeForm {
        party: u32,
        id: ContractId,
        name: String,
    },
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
            ButtonId::SigneeForm { party, id, name } if name.is_empty() => {
                write!(f, "g:form:{party}:{id}")
            }
            ButtonId::SigneeForm { party, id, name } => write!(f, "g:form:{party}:{id}:{name}"),
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

/// The longest id Discord takes, in characters; counted here in bytes,
/// which is never fewer.
pub(crate) const MAX_ID_LEN: usize = 100;

impl ButtonId {
    /// Party `party`'s form button on contract `id`, carrying as much of
    /// the party's `name` (made plain, as a title shows it) as fits.
    pub(crate) fn signee_form(party: u32, id: &ContractId, name: &str) -> Self {
        let bare = ButtonId::SigneeForm {
            party,
            id: id.clone(),
            name: String::new(),
        };
        // The id, a `:`, then the name.
        let room = MAX_ID_LEN.saturating_sub(bare.to_string().len() + 1);
        let mut name = crate::text::label(name, SIGNEE_FORM_NAME);
        if name.len() > room {
            let mut cut = String::new();
            for c in name.chars() {
                if cut.len() + c.len_utf8() + '…'.len_utf8() > room {
                    break;
                }
                cut.push(c);
            }
            let cut = cut.trim_end();
            name = if cut.is_empty() {
                String::new()
            } else {
                format!("{cut}…")
            };
        }
        ButtonId::SigneeForm {
            party,
            id: id.clone(),
            name,
        }
    }
}

/// Characters of a party's name in its form's title (Discord allows 45 in
/// all).
pub(crate) const SIGNEE_FORM_NAME: usize = 30;

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
                let mut fields = rest.ok_or(UnknownButton)?.splitn(3, ':');
                let party = fields
                    .next()
                    .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|p| p.parse().ok())
                    .ok_or(UnknownButton)?;
                let id = fields
                    .next()
                    .and_then(ContractId::parse)
                    .ok_or(UnknownButton)?;
                match (verb, fields.next()) {
                    ("form", name) => Ok(ButtonId::SigneeForm {
                        party,
                        id,
                        name: name.unwrap_or_default().to_owned(),
                    }),
                    (_, None) => Ok(ButtonId::SigneeSave { party, id }),
                    _ => Err(UnknownButton),
                }
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
            ButtonId::signee_form(u32::MAX, &id, ""),
            ButtonId::signee_form(u32::MAX, &id, "매수인 (주식회사 코메이크)"),
            ButtonId::signee_form(0, &id, &"갑".repeat(100)),
            ButtonId::signee_form(7, &ContractId::parse("c1").unwrap(), "a:b"),
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
            assert!(text.len() <= MAX_ID_LEN, "{text}");
            assert_eq!(text.parse::<ButtonId>(), Ok(b));
        }
    }

    proptest::proptest! {
        /// Whatever a party is called and however long the contract's id,
        /// its form button's id fits Discord and reads back as written.
        #[test]
        fn any_party_name_fits_its_form_button(
            name in "\\PC{0,80}",
            party in 0u32..,
            len in 1usize..=ContractId::MAX_LEN,
        ) {
            let id = ContractId::parse(&"c".repeat(len)).unwrap();
            let b = ButtonId::signee_form(party, &id, &name);
            let text = b.to_string();
            proptest::prop_assert!(text.len() <= MAX_ID_LEN, "{}", text);
            proptest::prop_assert_eq!(text.parse::<ButtonId>(), Ok(b));
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
            "g:form:",
            "g:form:1",
            "g:form:+1:c1",
            "g:form:x:c1",
            "g:save:1:c1:extra",
        ] {
            assert_eq!(bad.parse::<ButtonId>(), Err(UnknownButton), "{bad:?}");
        }
    }
}
