//! The sled backend's due index: who the watcher reads when, and who wants a digest, kept beside each notification state (see the tree list in [`super`]), read in key order, and built once for a store from before it.

use chrono::{DateTime, Utc};
use sled::transaction::ConflictableTransactionError;
use sled::Transactional;

use super::{be_u64, tx_error, Inner, SledStore, DUE_INDEX_BUILT};
use crate::store::notify::DueIndex;
use crate::store::{record, Account, NotifyState, StoreError};

/// The `notify_due` key of `discord_id` due at `at`.
pub(super) fn due_key(at: DateTime<Utc>, discord_id: u64) -> [u8; 16] {
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&(at.timestamp_micros().max(0) as u64).to_be_bytes());
    key[8..].copy_from_slice(&discord_id.to_be_bytes());
    key
}

impl SledStore {
    /// Up to `limit` linked people whose read is due by `until`, earliest
    /// first, with their state (`None`: never read): only they are read.
    pub(crate) async fn due_people(
        &self,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(Account, Option<NotifyState>)>, StoreError> {
        let end = due_key(until, u64::MAX);
        let mut out = Vec::new();
        // An entry left by someone no longer linked is skipped and does not
        // count toward `limit`, so such entries never hold the due back.
        for item in self.inner.due.range(..=end.as_slice()) {
            if out.len() >= limit {
                break;
            }
            let (key, _) = item?;
            let id = be_u64(key.get(8..).unwrap_or_default())?;
            if let Some(account) = self.inner.account(id)? {
                out.push((account, self.notify_state(id).await?));
            }
        }
        Ok(out)
    }

    /// Everyone linked who wants a digest, with their state.
    pub(crate) async fn digest_people(&self) -> Result<Vec<(Account, NotifyState)>, StoreError> {
        let mut out = Vec::new();
        for item in self.inner.digests.iter() {
            let (key, _) = item?;
            let id = be_u64(&key)?;
            if let (Some(account), Some(state)) =
                (self.inner.account(id)?, self.notify_state(id).await?)
            {
                out.push((account, state));
            }
        }
        Ok(out)
    }
}

impl Inner {
    /// Remove `discord_id`'s notification state and its due-index entries;
    /// a person still linked is due at once again (not yet flushed).
    pub(super) fn drop_notify_state(&self, discord_id: u64) -> Result<(), StoreError> {
        let key = SledStore::notify_key(discord_id);
        let id = discord_id.to_be_bytes();
        let linked = self.accounts.contains_key(id)?;
        (&self.kv, &self.due, &self.digests)
            .transaction(|(kv, due, digests)| {
                let old = kv
                    .remove(key.as_slice())?
                    .map(|v| record::decode::<NotifyState>("notification state", &v))
                    .transpose()
                    .map_err(ConflictableTransactionError::Abort)?;
                for at in [DueIndex::of(old.as_ref()).wake, DueIndex::UNREAD.wake]
                    .into_iter()
                    .flatten()
                {
                    due.remove(&due_key(at, discord_id))?;
                }
                digests.remove(&id)?;
                if let (true, Some(at)) = (linked, DueIndex::UNREAD.wake) {
                    due.insert(&due_key(at, discord_id), &[])?;
                }
                Ok(())
            })
            .map_err(tx_error)
    }

    /// Build the due index of a store from before it: once, from every
    /// account and its state (idempotent if interrupted: it starts over).
    pub(super) fn build_due_index(&self) -> Result<(), StoreError> {
        if self.kv.contains_key(DUE_INDEX_BUILT)? {
            return Ok(());
        }
        self.due.clear()?;
        self.digests.clear()?;
        for item in self.accounts.iter() {
            let (id, _) = item?;
            let discord_id = be_u64(&id)?;
            let state = self
                .kv
                .get(SledStore::notify_key(discord_id))?
                .map(|v| record::decode::<NotifyState>("notification state", &v))
                .transpose()?;
            let index = DueIndex::of(state.as_ref());
            if let Some(at) = index.wake {
                self.due.insert(due_key(at, discord_id), &[])?;
            }
            if index.digest {
                self.digests.insert(id, &[])?;
            }
        }
        self.kv.insert(DUE_INDEX_BUILT, &b"1"[..])?;
        self.flush()
    }
}
