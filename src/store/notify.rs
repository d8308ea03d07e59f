//! What the notification watcher remembers per user: whether to notify, and the last state seen of each contract.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::comake::wire::{ContractStatus, Role, SigneeStatus};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyState {
    /// The user wants DMs (on by default).
    pub enabled: bool,
    /// Discord refused a DM (50007); not retried until they use a command.
    pub(crate) unreachable: bool,
    /// A first, silent read has been recorded.
    pub(crate) baseline: bool,
    /// The locale of the user's last interaction, for DMs.
    pub(crate) locale: String,
    /// Contract id → what was last seen of it.
    pub(crate) contracts: BTreeMap<String, SeenContract>,
    /// Bumped whenever the person turns notifications on or off: a read
    /// that started before does not write over the new setting.
    #[serde(default)]
    pub generation: u64,
    /// When the watcher reads this person next (`None`: at once).
    #[serde(default)]
    pub next_read: Option<DateTime<Utc>>,
    /// The last wait between reads, in seconds, for the back-off.
    #[serde(default)]
    pub(crate) gap_secs: u64,
    /// How often the person wants a digest.
    #[serde(default)]
    pub digest: Digest,
    /// The digest slot last served (or the moment the digest was turned
    /// on, so the first comes at the next slot).
    #[serde(default)]
    pub(crate) last_digest: Option<DateTime<Utc>>,
    /// The kinds of news the person turned off (`/comake notifications
    /// off:`): never DMed, whatever else is on.
    #[serde(default)]
    pub kinds_off: BTreeSet<NewsKind>,
    /// The contracts the person muted (the DM's Mute button): contract id →
    /// its name when muted, for the settings. No DM and no digest line
    /// about them, until unmuted. At most [`MAX_MUTED`].
    #[serde(default)]
    pub muted: BTreeMap<String, String>,
}

/// The most contracts a person can mute at once (their Unmute buttons
/// fit one message).
pub const MAX_MUTED: usize = 20;

/// What a notification DM is about, as a person turns it off and on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NewsKind {
    /// A signee opened a contract I sent.
    Viewed,
    /// A signee signed it.
    Signed,
    /// A signee declined to sign it.
    Declined,
    /// How a contract ended: completed, or its requests withdrawn.
    Completed,
    /// Each step of my contract's approval line: approved, rejected,
    /// withdrawn.
    Approval,
    /// It is my turn to sign or approve.
    MyTurn,
}

impl NewsKind {
    pub const ALL: [NewsKind; 6] = [
        NewsKind::Viewed,
        NewsKind::Signed,
        NewsKind::Declined,
        NewsKind::Completed,
        NewsKind::Approval,
        NewsKind::MyTurn,
    ];

    /// The option value (and the message id's tail).
    pub fn as_str(self) -> &'static str {
        match self {
            NewsKind::Viewed => "viewed",
            NewsKind::Signed => "signed",
            NewsKind::Declined => "declined",
            NewsKind::Completed => "completed",
            NewsKind::Approval => "approval",
            NewsKind::MyTurn => "my_turn",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// `/comake notifications digest:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Digest {
    #[default]
    Off,
    Daily,
    Weekly,
}

impl Digest {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "off" => Some(Digest::Off),
            "daily" => Some(Digest::Daily),
            "weekly" => Some(Digest::Weekly),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Digest::Off => "off",
            Digest::Daily => "daily",
            Digest::Weekly => "weekly",
        }
    }
}

/// What the store keeps beside a notification state so the watcher can
/// load only those due: when it acts on the person next, and whether they
/// want a digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DueIndex {
    /// The next read (`None`: never read, off or DMs closed).
    pub(crate) wake: Option<DateTime<Utc>>,
    pub(crate) digest: bool,
}

impl DueIndex {
    /// A linked person with no state yet: read at once (a silent baseline).
    pub(crate) const UNREAD: DueIndex = DueIndex {
        wake: Some(DateTime::UNIX_EPOCH),
        digest: false,
    };

    /// The index of `state`, or of a linked person with none.
    pub(crate) fn of(state: Option<&NotifyState>) -> Self {
        match state {
            None => Self::UNREAD,
            Some(s) => DueIndex {
                // "At once" is kept as 1970, a time both stores order.
                wake: (s.enabled && !s.unreachable)
                    .then(|| s.next_read.unwrap_or(DateTime::UNIX_EPOCH)),
                digest: s.digest != Digest::Off && !s.unreachable,
            },
        }
    }
}

impl NotifyState {
    /// A new state with a random generation, so a read that started
    /// before a state was removed and made again never matches it.
    pub(crate) fn fresh() -> Self {
        Self {
            generation: rand::random(),
            ..Self::default()
        }
    }
}

impl Default for NotifyState {
    fn default() -> Self {
        Self {
            enabled: true,
            unreachable: false,
            baseline: false,
            locale: String::new(),
            contracts: BTreeMap::new(),
            generation: 0,
            next_read: None,
            gap_secs: 0,
            digest: Digest::Off,
            last_digest: None,
            kinds_off: BTreeSet::new(),
            muted: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SeenContract {
    pub(crate) name: String,
    pub(crate) status: ContractStatus,
    pub(crate) role: Role,
    pub(crate) updated_at: DateTime<Utc>,
    /// Known only for contracts the user sent that were out for signature.
    pub(crate) signees: Vec<SeenSignee>,
    /// Whose turn it is, when Comake says (received contracts).
    #[serde(default)]
    pub(crate) my_turn: Option<bool>,
    /// What a received contract asks of the person.
    #[serde(default)]
    pub(crate) request_type: Option<crate::comake::wire::RequestType>,
    /// The approver's reason, for a contract whose approval was rejected.
    #[serde(default)]
    pub(crate) reason: Option<String>,
    /// The approval line, in order, when the details were read while it
    /// was in approval (a sender's own, or one the person approves in).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) approvers: Vec<SeenApprover>,
}

/// One approver as last seen (no email: only what a DM shows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SeenApprover {
    pub(crate) order: u32,
    pub(crate) name: String,
    pub(crate) status: crate::comake::wire::ApproverStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SeenSignee {
    pub(crate) party: u32,
    pub(crate) name: String,
    pub(crate) status: SigneeStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_written_before_kinds_and_mutes_reads_with_none() {
        let old =
            r#"{"enabled":true,"unreachable":false,"baseline":true,"locale":"ko","contracts":{}}"#;
        let state: NotifyState = serde_json::from_str(old).unwrap();
        assert!(state.kinds_off.is_empty() && state.muted.is_empty());
        let back: NotifyState = serde_json::from_str(
            &serde_json::to_string(&NotifyState {
                kinds_off: [NewsKind::Approval].into(),
                ..state
            })
            .unwrap(),
        )
        .unwrap();
        assert_eq!(back.kinds_off, [NewsKind::Approval].into());
        for kind in NewsKind::ALL {
            assert_eq!(NewsKind::parse(kind.as_str()), Some(kind));
        }
    }
}
