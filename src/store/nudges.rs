//! Nudges (재촉) and automatic reminders: at most one nudge per contract, colleague and day, claimed atomically in the durable store (sled, or PostgreSQL for every instance at once), and the reminders `/contract request-sign remind_after:` asks for.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use super::{record, Durable, Store, StoreError};

/// The shortest time between two nudges of one colleague about one
/// contract.
pub(crate) const NUDGE_GAP: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// What became of a claim on a nudge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This caller may nudge now; the claim is recorded at this time (give
    /// it to [`Store::release_nudge`] if the nudge did not go out).
    Taken(DateTime<Utc>),
    /// A nudge went out less than a day ago: the next is possible then.
    TooSoon(DateTime<Utc>),
}

/// One automatic reminder: `days` after the signature requests (or after
/// a colleague's turn began), the colleague whose turn it is gets one
/// nudge, if it is still their turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub contract: String,
    /// The sender who asked for it (whose reads see the contract).
    pub sender: u64,
    pub days: u32,
    /// When the requests went out.
    pub since: DateTime<Utc>,
    /// Colleagues (Discord ids) already reminded: one reminder each.
    #[serde(default)]
    pub reminded: Vec<u64>,
}

fn nudge_key(contract: &str, colleague: u64) -> Vec<u8> {
    let mut key = format!("nudge/{contract}/").into_bytes();
    key.extend_from_slice(&colleague.to_be_bytes());
    key
}

fn remind_key(contract: &str) -> Vec<u8> {
    format!("remind/{contract}").into_bytes()
}

fn micros(at: DateTime<Utc>) -> Vec<u8> {
    at.timestamp_micros().to_be_bytes().to_vec()
}

fn from_micros(bytes: &[u8]) -> Option<DateTime<Utc>> {
    let raw: [u8; 8] = bytes.try_into().ok()?;
    DateTime::from_timestamp_micros(i64::from_be_bytes(raw))
}

impl Store {
    /// Claim the one nudge of `colleague` about `contract` that a day
    /// allows, at `now`. Only one caller, on any instance, takes it.
    pub async fn claim_nudge(
        &self,
        contract: &str,
        colleague: u64,
        now: DateTime<Utc>,
    ) -> Result<Claim, StoreError> {
        let now = now.trunc_subsecs(6);
        match &self.records {
            Durable::Sled(db) => {
                let stamp = micros(now);
                let old = db
                    .kv_update(nudge_key(contract, colleague), move |old| {
                        match old.and_then(from_micros) {
                            Some(at) if at + NUDGE_GAP > now => old.map(<[u8]>::to_vec),
                            _ => Some(stamp.clone()),
                        }
                    })
                    .await?;
                Ok(match old.as_deref().and_then(from_micros) {
                    Some(at) if at + NUDGE_GAP > now => Claim::TooSoon(at + NUDGE_GAP),
                    _ => Claim::Taken(now),
                })
            }
            Durable::Postgres(pg) => pg.claim_nudge(contract, colleague, now, NUDGE_GAP).await,
        }
    }

    /// Give back a claim taken at `at` (the nudge did not go out); a later
    /// claim is left alone.
    pub async fn release_nudge(
        &self,
        contract: &str,
        colleague: u64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        match &self.records {
            Durable::Sled(db) => {
                let stamp = micros(at);
                db.kv_update(nudge_key(contract, colleague), move |old| match old {
                    Some(kept) if kept == stamp.as_slice() => None,
                    other => other.map(<[u8]>::to_vec),
                })
                .await?;
                Ok(())
            }
            Durable::Postgres(pg) => pg.release_nudge(contract, colleague, at).await,
        }
    }

    /// Forget the nudges from before `cutoff` (they no longer hold a day
    /// back); how many were forgotten.
    pub async fn prune_nudges(&self, cutoff: DateTime<Utc>) -> Result<usize, StoreError> {
        match &self.records {
            Durable::Sled(db) => {
                let mut gone = 0;
                for (key, value) in db.kv_scan_keyed(b"nudge/")? {
                    if from_micros(&value).is_none_or(|at| at < cutoff) {
                        let old = value.clone();
                        // Only if no new claim came meanwhile.
                        db.kv_update(key, move |now| match now {
                            Some(kept) if kept == old.as_slice() => None,
                            other => other.map(<[u8]>::to_vec),
                        })
                        .await?;
                        gone += 1;
                    }
                }
                Ok(gone)
            }
            Durable::Postgres(pg) => pg.prune_nudges(cutoff).await,
        }
    }

    /// Keep `reminder` (in place of any of the same contract).
    pub async fn put_reminder(&self, reminder: Reminder) -> Result<(), StoreError> {
        match &self.records {
            Durable::Sled(db) => {
                let bytes = record::encode(&reminder)?;
                db.kv_update(remind_key(&reminder.contract), move |_| Some(bytes.clone()))
                    .await?;
                Ok(())
            }
            Durable::Postgres(pg) => pg.put_reminder(&reminder).await,
        }
    }

    /// The reminder of `contract`, if there is one.
    pub async fn reminder(&self, contract: &str) -> Result<Option<Reminder>, StoreError> {
        match &self.records {
            Durable::Sled(db) => db
                .kv_get(&remind_key(contract))?
                .map(|v| record::decode("reminder", &v))
                .transpose(),
            Durable::Postgres(pg) => pg.reminder(contract).await,
        }
    }

    /// Every reminder kept.
    pub async fn reminders(&self) -> Result<Vec<Reminder>, StoreError> {
        match &self.records {
            Durable::Sled(db) => db
                .kv_scan(b"remind/")?
                .iter()
                .map(|v| record::decode("reminder", v))
                .collect(),
            Durable::Postgres(pg) => pg.reminders().await,
        }
    }

    /// Stop keeping the reminder of `contract`.
    pub async fn remove_reminder(&self, contract: &str) -> Result<(), StoreError> {
        match &self.records {
            Durable::Sled(db) => {
                db.kv_update(remind_key(contract), |_| None).await?;
                Ok(())
            }
            Durable::Postgres(pg) => pg.remove_reminder(contract).await,
        }
    }
}
