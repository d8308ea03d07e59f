//! Actions waiting for their Confirm or Send button: each can be taken once, by the person who asked, within 15 minutes, on whichever instance the press lands.
//!
//! They are held by the store: in this process's memory with sled (never on
//! disk: a pending request may hold a signee password), and in PostgreSQL
//! sealed with `STATE_KEY` when instances share a database, deleted on use
//! or expiry. After a restart with sled the buttons answer "expired", which
//! is safe: nothing is ever sent twice.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::comake::wire::{ContractId, Signee, SigneeInput};
use crate::store::{Store, StoreError};

/// How long a confirmation stays valid.
pub(crate) const TTL: Duration = Duration::from_secs(15 * 60);

/// One signee as a preview showed it (without the password itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    pub(crate) party: u32,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) phone: Option<String>,
    pub(crate) kakao: bool,
    pub(crate) password: bool,
}

impl From<&SigneeInput> for Shown {
    fn from(s: &SigneeInput) -> Self {
        Self {
            party: s.party,
            name: s.name.clone(),
            email: s.email.clone(),
            phone: s.phone.clone(),
            kakao: s.kakao,
            password: s.password.is_some(),
        }
    }
}

impl From<&Signee> for Shown {
    fn from(s: &Signee) -> Self {
        Self {
            party: s.party,
            name: s.name.clone(),
            email: s.email.clone(),
            phone: s.phone.clone(),
            kakao: s.kakao,
            password: s.has_password,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Pending {
    Delete {
        id: ContractId,
    },
    CancelSign {
        id: ContractId,
        reason: Option<String>,
    },
    /// Unlink the person's own Discord account from its Comake user
    /// (`email` is the one they were shown).
    Unlink {
        email: String,
    },
    /// Send signature requests, first setting the signee `inline` typed
    /// with the command when given; `shown` is what the preview listed, so
    /// Send acts only if the contract would still get exactly that.
    RequestSign {
        id: ContractId,
        inline: Option<SigneeInput>,
        shown: Vec<Shown>,
        /// Nudge the colleague whose turn it is after this many days.
        #[serde(default)]
        remind_after: Option<u32>,
    },
}

/// The pending actions, kept by the store.
#[derive(Clone)]
pub struct Confirmations {
    store: Store,
}

impl Confirmations {
    pub(crate) fn new(store: Store) -> Self {
        Self { store }
    }

    /// Remember `action` for `user`; returns the nonce for the buttons.
    pub async fn add(&self, user: u64, action: Pending) -> Result<String, StoreError> {
        let nonce = format!(
            "{:016x}{:016x}",
            rand::random::<u64>(),
            rand::random::<u64>()
        );
        let payload = serde_json::to_vec(&action)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode a confirmation: {e}")))?;
        let now = super::now();
        let expires = now + chrono::Duration::from_std(TTL).unwrap_or_default();
        self.store
            .hold(&nonce, user, &payload, expires, now)
            .await?;
        Ok(nonce)
    }

    /// Take the action for `nonce` if `user` asked for it and it has not
    /// expired. Only the first caller gets it.
    pub async fn take(&self, nonce: &str, user: u64) -> Result<Option<Pending>, StoreError> {
        let Some(payload) = self.store.take_held(nonce, user, super::now()).await? else {
            return Ok(None);
        };
        serde_json::from_slice(&payload)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("a confirmation: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn taken_once_by_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let c = Confirmations::new(Store::open(dir.path().join("s")).unwrap());
        let id = ContractId::parse("abc").unwrap();
        let nonce = c.add(1, Pending::Delete { id }).await.unwrap();
        assert!(c.take(&nonce, 2).await.unwrap().is_none(), "someone else");
        assert!(c.take(&nonce, 1).await.unwrap().is_some());
        assert!(c.take(&nonce, 1).await.unwrap().is_none(), "twice");
        assert!(c.take("nonsense", 1).await.unwrap().is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_password_goes_the_moment_its_confirmation_expires() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("s")).unwrap();
        let c = Confirmations::new(store.clone());
        let id = ContractId::parse("abc").unwrap();
        let inline = SigneeInput {
            party: 1,
            name: "Lee".into(),
            email: "lee@example.com".into(),
            phone: None,
            kakao: false,
            password: Some(secrecy::SecretString::from("pw".to_owned())),
            message: None,
        };
        let pending = Pending::RequestSign {
            id,
            inline: Some(inline),
            shown: Vec::new(),
            remind_after: None,
        };
        c.add(1, pending).await.unwrap();
        tokio::time::sleep(TTL - Duration::from_secs(1)).await;
        assert_eq!(store.held_in_memory(), 1);
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(store.held_in_memory(), 0, "no sweep was needed");
    }
}
