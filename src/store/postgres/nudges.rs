//! PostgreSQL's nudges and reminders: one row per contract and colleague holding the last nudge (claimed by one conditional upsert, so two instances cannot both take it), and the reminders as records.

use chrono::{DateTime, TimeDelta, Utc};

use super::{id, PgStore};
use crate::store::nudges::{Claim, Reminder};
use crate::store::{record, StoreError};

impl PgStore {
    pub(crate) async fn claim_nudge(
        &self,
        contract: &str,
        colleague: u64,
        now: DateTime<Utc>,
        gap: TimeDelta,
    ) -> Result<Claim, StoreError> {
        let taken = self
            .query_opt(
                "INSERT INTO nudges (contract, colleague, at) VALUES ($1, $2, $3) \
                 ON CONFLICT (contract, colleague) DO UPDATE SET at = EXCLUDED.at \
                 WHERE nudges.at <= $4 RETURNING at",
                &[&contract, &id(colleague), &now, &(now - gap)],
            )
            .await?;
        if taken.is_some() {
            return Ok(Claim::Taken(now));
        }
        let row = self
            .query_opt(
                "SELECT at FROM nudges WHERE contract = $1 AND colleague = $2",
                &[&contract, &id(colleague)],
            )
            .await?;
        let last: DateTime<Utc> = row.map_or(now, |r| r.get(0));
        Ok(Claim::TooSoon(last + gap))
    }

    pub(crate) async fn release_nudge(
        &self,
        contract: &str,
        colleague: u64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM nudges WHERE contract = $1 AND colleague = $2 AND at = $3",
            &[&contract, &id(colleague), &at],
        )
        .await?;
        Ok(())
    }

    pub(crate) async fn prune_nudges(&self, cutoff: DateTime<Utc>) -> Result<usize, StoreError> {
        let gone = self
            .execute("DELETE FROM nudges WHERE at < $1", &[&cutoff])
            .await?;
        Ok(usize::try_from(gone).unwrap_or(usize::MAX))
    }

    pub(crate) async fn put_reminder(&self, reminder: &Reminder) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO reminders (contract, record) VALUES ($1, $2) \
             ON CONFLICT (contract) DO UPDATE SET record = EXCLUDED.record",
            &[&reminder.contract, &record::encode(reminder)?],
        )
        .await?;
        Ok(())
    }

    pub(crate) async fn reminder(&self, contract: &str) -> Result<Option<Reminder>, StoreError> {
        self.record(
            "reminder",
            "SELECT record FROM reminders WHERE contract = $1",
            &[&contract],
        )
        .await
    }

    pub(crate) async fn reminders(&self) -> Result<Vec<Reminder>, StoreError> {
        self.records(
            "reminder",
            "SELECT record FROM reminders ORDER BY contract",
            &[],
        )
        .await
    }

    pub(crate) async fn remove_reminder(&self, contract: &str) -> Result<(), StoreError> {
        self.execute("DELETE FROM reminders WHERE contract = $1", &[&contract])
            .await?;
        Ok(())
    }
}
