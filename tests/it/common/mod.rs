//! Shared test fixtures: a simulator on 127.0.0.1 and a client pointed at it.
#![allow(dead_code)]

use std::time::Duration;

use comake_bot::comake::wire::{ContractId, ContractStatus};
use comake_bot::comake::{Comake, ComakeConfig};
use comake_sim::{ComakeSim, SimOptions};
use secrecy::SecretString;

pub async fn sim() -> ComakeSim {
    ComakeSim::start(SimOptions::default())
        .await
        .expect("the simulator starts on 127.0.0.1")
}

pub fn client_config(sim: &ComakeSim, timeout: Duration) -> ComakeConfig {
    ComakeConfig {
        api_url: sim.api_url(),
        web_url: sim.web_url(),
        api_key: SecretString::from(sim.options().api_key.clone()),
        api_secret: SecretString::from(sim.options().api_secret.clone()),
        timeout,
    }
}

pub fn client(sim: &ComakeSim) -> Comake {
    Comake::new(client_config(sim, Duration::from_secs(10))).expect("client builds")
}
/// A signee with a name and an email only.
pub fn plain_signee(party: u32, name: &str, email: &str) -> comake_bot::comake::wire::SigneeInput {
    comake_bot::comake::wire::SigneeInput {
        party,
        name: name.into(),
        email: email.into(),
        phone: None,
        kakao: false,
        password: None,
        message: None,
    }
}

/// `owner`'s contract `name`, one party per signee (name, email), sent
/// for signature through the API.
pub async fn sent_for_signature(
    sim: &ComakeSim,
    comake: &Comake,
    owner: &str,
    name: &str,
    signees: &[(&str, &str)],
) -> ContractId {
    let parties: Vec<String> = (0..signees.len()).map(|i| format!("P{i}")).collect();
    let refs: Vec<&str> = parties.iter().map(String::as_str).collect();
    let id = sim
        .seed_contract(owner, name, &refs, ContractStatus::Saved)
        .expect("the simulator seeds a contract");
    let list = signees
        .iter()
        .enumerate()
        .map(|(i, (n, e))| plain_signee(i as u32, n, e))
        .collect();
    sim.set_signees(owner, &id, list).expect("signees");
    comake.user(owner).request_sign(&id).await.expect("sent");
    id
}

/// A saved two-party contract ("NDA", parties 갑 and 을) of `owner`.
pub fn seed_nda(sim: &ComakeSim, owner: &str) -> ContractId {
    sim.seed_contract(owner, "NDA", &["갑", "을"], ContractStatus::Saved)
        .expect("the simulator seeds a contract")
}

pub mod bot;
pub mod discord;
pub mod fake_discord;
pub mod pg;
pub mod smtp;

/// Whether Discord would turn something in `content` into a link: a
/// scheme's `://` that is not escaped.
pub fn has_live_link(content: &str) -> bool {
    let bytes = content.as_bytes();
    content.match_indices("://").any(|(i, _)| {
        // Escaped as `\://`: the `:` is preceded by a backslash.
        let escaped = i > 0 && bytes[i - 1] == b'\\';
        let scheme = content[..i]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            .count();
        !escaped && scheme > 0
    })
}

/// Reads for tests that the store has no single call for.
pub trait StoreExt {
    /// How many audit entries there are, read page by page.
    async fn audit_len(&self) -> usize;
}

impl StoreExt for comake_bot::api::store::Store {
    async fn audit_len(&self) -> usize {
        let (mut n, mut cursor) = (0, None);
        for _ in 0..100_000 {
            let (page, next) = self.audit_page(cursor, 1000).await.unwrap();
            n += page.len();
            if page.len() < 1000 {
                return n;
            }
            cursor = next;
        }
        panic!("more audit pages than a test makes");
    }
}
