//! What the notification watcher remembers per user: whether to notify, and the last state seen of each contract.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::comake::wire::{ContractStatus, Role, SigneeStatus};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyState {
    /// The user wants DMs (on by default).
    pub enabled: bool,
    /// Discord refused a DM (50007); not retried until they use a command.
    pub unreachable: bool,
    /// A first, silent read has been recorded.
    pub baseline: bool,
    /// The locale of the user's last interaction, for DMs.
    pub locale: String,
    /// Contract id → what was last seen of it.
    pub contracts: BTreeMap<String, SeenContract>,
    /// Bumped whenever the person turns notifications on or off: a read
    /// that started before does not write over the new setting.
    #[serde(default)]
    pub generation: u64,
}

impl NotifyState {
    /// A new state with a random generation, so a read that started
    /// before a state was removed and made again never matches it.
    pub fn fresh() -> Self {
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
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenContract {
    pub name: String,
    pub status: ContractStatus,
    pub role: Role,
    pub updated_at: DateTime<Utc>,
    /// Known only for contracts the user sent that were out for signature.
    pub signees: Vec<SeenSignee>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenSignee {
    pub party: u32,
    pub name: String,
    pub status: SigneeStatus,
}
