//! Actions waiting for their Confirm or Send button: each can be taken once, by the person who asked, within 15 minutes.
//!
//! They live in memory on purpose: a pending signature request may hold a
//! signee password, which must not be written to disk. After a restart the
//! buttons answer "expired", which is safe: nothing is ever sent twice.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

// tokio's clock, so tests can move time past the expiry.
use tokio::time::Instant;

use crate::comake::wire::{ContractId, Signee, SigneeInput};

/// How long a confirmation stays valid.
pub(crate) const TTL: Duration = Duration::from_secs(15 * 60);

/// One signee as a preview showed it (without the password itself).
#[derive(Debug, Clone, PartialEq, Eq)]
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

#[derive(Debug, Clone)]
pub enum Pending {
    Delete {
        id: ContractId,
    },
    CancelSign {
        id: ContractId,
        reason: Option<String>,
    },
    /// Send signature requests, first setting the signee `inline` typed
    /// with the command when given; `shown` is what the preview listed, so
    /// Send acts only if the contract would still get exactly that.
    RequestSign {
        id: ContractId,
        inline: Option<SigneeInput>,
        shown: Vec<Shown>,
    },
}

struct Entry {
    user: u64,
    created: Instant,
    action: Pending,
}

#[derive(Default)]
pub struct Confirmations {
    entries: std::sync::Arc<Mutex<HashMap<String, Entry>>>,
}

impl Confirmations {
    /// Remember `action` for `user`; returns the nonce for the buttons.
    pub fn add(&self, user: u64, action: Pending) -> String {
        let nonce = format!("{:016x}", rand::random::<u64>());
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        // The sweeper drops expired ones every minute; between sweeps, a
        // flood is cleared once per thousand, not on every add.
        if entries.len() % 1024 == 1023 {
            entries.retain(|_, e| e.created.elapsed() < TTL);
        }
        let holds_secret =
            matches!(&action, Pending::RequestSign { inline: Some(s), .. } if s.password.is_some());
        entries.insert(
            nonce.clone(),
            Entry {
                user,
                created: Instant::now(),
                action,
            },
        );
        // A signee password goes the moment its confirmation expires, not
        // at the next sweep.
        if holds_secret {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                let (entries, nonce) = (std::sync::Arc::downgrade(&self.entries), nonce.clone());
                runtime.spawn(async move {
                    tokio::time::sleep(TTL).await;
                    if let Some(entries) = entries.upgrade() {
                        let mut entries = entries.lock().unwrap_or_else(|p| p.into_inner());
                        entries.remove(&nonce);
                    }
                });
            }
        }
        nonce
    }

    /// Take the action for `nonce` if `user` asked for it and it has not
    /// expired. Only the first caller gets it.
    pub(crate) fn take(&self, nonce: &str, user: u64) -> Option<Pending> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get(nonce) {
            Some(e) if e.user == user && e.created.elapsed() < TTL => {
                entries.remove(nonce).map(|e| e.action)
            }
            Some(e) if e.created.elapsed() >= TTL => {
                entries.remove(nonce);
                None
            }
            _ => None,
        }
    }

    /// Drop expired confirmations, and with them any signee password they
    /// held; how many are left.
    pub(crate) fn sweep(&self) -> usize {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|_, e| e.created.elapsed() < TTL);
        entries.shrink_to_fit();
        entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taken_once_by_its_owner_only() {
        let c = Confirmations::default();
        let id = ContractId::parse("abc").unwrap();
        let nonce = c.add(1, Pending::Delete { id });
        assert!(c.take(&nonce, 2).is_none(), "someone else");
        assert!(c.take(&nonce, 1).is_some());
        assert!(c.take(&nonce, 1).is_none(), "twice");
        assert!(c.take("nonsense", 1).is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_password_goes_the_moment_its_confirmation_expires() {
        let c = Confirmations::default();
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
        c.add(
            1,
            Pending::RequestSign {
                id,
                inline: Some(inline),
                shown: Vec::new(),
            },
        );
        tokio::time::sleep(TTL - Duration::from_secs(1)).await;
        assert_eq!(c.entries.lock().unwrap().len(), 1);
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(c.entries.lock().unwrap().len(), 0, "no sweep was needed");
    }
}
