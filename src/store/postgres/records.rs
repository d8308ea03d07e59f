//! PostgreSQL's durable records: accounts and their email index (a unique constraint), the audit log, notification state and status cards. Only queries: the rules are [`crate::store::rules`]'s.

use chrono::{DateTime, Utc};

use super::{count, db, id, is_unique_violation, limit, PgStore};
use crate::store::notify::DueIndex;
use crate::store::rules::Records;
use crate::store::{
    record, Account, AuditCursor, AuditEntry, Board, Card, NotifyState, SigneeMessages, StoreError,
};

/// Year 1: before any audit entry, and within PostgreSQL's range.
const YEAR_ONE: i64 = -62_135_596_800;

impl Records for PgStore {
    async fn account(&self, discord_id: u64) -> Result<Option<Account>, StoreError> {
        self.query_opt(
            "SELECT record FROM accounts WHERE discord_id = $1",
            &[&id(discord_id)],
        )
        .await?
        .map(|r| record::decode_account(r.get(0)))
        .transpose()
    }

    async fn email_owner(&self, email: &str) -> Result<Option<u64>, StoreError> {
        Ok(self
            .query_opt(
                "SELECT discord_id FROM accounts WHERE email = $1",
                &[&email],
            )
            .await?
            .map(|r| r.get::<_, i64>(0) as u64))
    }

    async fn swap_account(
        &self,
        account: &Account,
        old: Option<&Account>,
    ) -> Result<bool, StoreError> {
        let value = record::encode_account(account)?;
        // BEGIN, the read, the write, COMMIT.
        self.sent(4);
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let current: Option<Account> = tx
            .query_opt(
                "SELECT record FROM accounts WHERE discord_id = $1 FOR UPDATE",
                &[&id(account.discord_id)],
            )
            .await
            .map_err(db)?
            .map(|r| record::decode_account(r.get(0)))
            .transpose()?;
        if current.as_ref() != old {
            return Ok(false);
        }
        // The unique constraints decide between instances writing at once.
        let sql = match old {
            Some(_) => "UPDATE accounts SET email = $2, record = $3 WHERE discord_id = $1",
            None => {
                "INSERT INTO accounts (discord_id, email, record) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING"
            }
        };
        let written = match tx
            .execute(sql, &[&id(account.discord_id), &account.email, &value])
            .await
        {
            Ok(n) => n,
            Err(e) if is_unique_violation(&e) => return Ok(false),
            Err(e) => return Err(db(e)),
        };
        if written != 1 {
            return Ok(false);
        }
        match tx.commit().await {
            Ok(()) => Ok(true),
            Err(e) if is_unique_violation(&e) => Ok(false),
            Err(e) => Err(db(e)),
        }
    }

    async fn write_import(
        &self,
        accounts: Vec<Account>,
        audit: Vec<AuditEntry>,
    ) -> Result<Vec<Account>, StoreError> {
        self.sent(2 + accounts.len() as u64 + 2 * audit.len() as u64);
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let mut unwritten = Vec::new();
        for account in accounts {
            let written = tx
                .execute(
                    "INSERT INTO accounts (discord_id, email, record) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                    &[
                        &id(account.discord_id),
                        &account.email,
                        &record::encode_account(&account)?,
                    ],
                )
                .await
                .map_err(db)?;
            if written != 1 {
                unwritten.push(account);
            }
        }
        for entry in &audit {
            let value = record::encode(entry)?;
            let there = tx
                .query_opt(
                    "SELECT 1 FROM audit WHERE at = $1 AND discord_user = $2 AND record = $3",
                    &[&entry.at, &id(entry.discord_user), &value],
                )
                .await
                .map_err(db)?;
            if there.is_none() {
                append_audit(&tx, entry).await?;
            }
        }
        tx.commit().await.map_err(db)?;
        Ok(unwritten)
    }

    async fn prune_audit_batch(
        &self,
        cutoff: DateTime<Utc>,
        batch: usize,
    ) -> Result<usize, StoreError> {
        let n = self
            .execute(
                "DELETE FROM audit WHERE seq IN \
                 (SELECT seq FROM audit WHERE at < $1 ORDER BY at, seq LIMIT $2)",
                &[&cutoff, &limit(batch)],
            )
            .await?;
        Ok(count(n))
    }

    async fn notify_record(&self, discord_id: u64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .query_opt(
                "SELECT record FROM notify_state WHERE discord_id = $1",
                &[&id(discord_id)],
            )
            .await?
            .map(|r| r.get(0)))
    }

    async fn swap_notify_record(
        &self,
        discord_id: u64,
        old: Option<Vec<u8>>,
        new: Vec<u8>,
        _was: DueIndex,
        due: DueIndex,
    ) -> Result<bool, StoreError> {
        let written = match &old {
            Some(old) => {
                self.execute(
                    "UPDATE notify_state SET record = $2, wake_at = $4, digest = $5 \
                     WHERE discord_id = $1 AND record = $3",
                    &[&id(discord_id), &new, old, &due.wake, &due.digest],
                )
                .await?
            }
            None => {
                self.execute(
                    "INSERT INTO notify_state (discord_id, record, wake_at, digest) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (discord_id) DO NOTHING",
                    &[&id(discord_id), &new, &due.wake, &due.digest],
                )
                .await?
            }
        };
        Ok(written == 1)
    }
}

impl PgStore {
    // ----- accounts -----

    /// Remove the link and the person's notification state, at once.
    pub(crate) async fn unlink(&self, discord_id: u64) -> Result<Option<Account>, StoreError> {
        self.sent(4);
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let old = tx
            .query_opt(
                "DELETE FROM accounts WHERE discord_id = $1 RETURNING record",
                &[&id(discord_id)],
            )
            .await
            .map_err(db)?;
        tx.execute(
            "DELETE FROM notify_state WHERE discord_id = $1",
            &[&id(discord_id)],
        )
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        old.map(|r| record::decode_account(r.get(0))).transpose()
    }

    /// The account `email` (normalized) is linked to.
    pub(crate) async fn account_by_email(
        &self,
        email: &str,
    ) -> Result<Option<Account>, StoreError> {
        self.query_opt("SELECT record FROM accounts WHERE email = $1", &[&email])
            .await?
            .map(|r| record::decode_account(r.get(0)))
            .transpose()
    }

    pub(crate) async fn accounts(
        &self,
        after: Option<u64>,
        n: usize,
    ) -> Result<Vec<Account>, StoreError> {
        if after == Some(u64::MAX) {
            return Ok(Vec::new());
        }
        self.rows(
            "SELECT record FROM accounts WHERE discord_id > $1 ORDER BY discord_id LIMIT $2",
            &[&after.map_or(-1, id), &limit(n)],
        )
        .await?
        .iter()
        .map(|r| record::decode_account(r.get(0)))
        .collect()
    }

    pub(crate) async fn account_count(&self) -> Result<usize, StoreError> {
        let n: i64 = self
            .query_one("SELECT count(*) FROM accounts", &[])
            .await?
            .get(0);
        Ok(count(n))
    }

    // ----- audit -----

    pub(crate) async fn audit_batch(&self, entries: Vec<AuditEntry>) -> Result<(), StoreError> {
        self.sent(2 + entries.len() as u64);
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        for entry in &entries {
            append_audit(&tx, entry).await?;
        }
        tx.commit().await.map_err(db)
    }

    pub(crate) async fn audit_newest(
        &self,
        n: usize,
        user: Option<u64>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        match user {
            None => {
                self.records(
                    "audit",
                    "SELECT record FROM audit ORDER BY at DESC, seq DESC LIMIT $1",
                    &[&limit(n)],
                )
                .await
            }
            Some(user) => {
                self.records(
                    "audit",
                    "SELECT record FROM audit WHERE discord_user = $1 \
                     ORDER BY at DESC, seq DESC LIMIT $2",
                    &[&id(user), &limit(n)],
                )
                .await
            }
        }
    }

    pub(crate) async fn audit_page(
        &self,
        cursor: Option<AuditCursor>,
        n: usize,
    ) -> Result<(Vec<AuditEntry>, Option<AuditCursor>), StoreError> {
        let after = cursor.and_then(|c| {
            let (micros, seq) = c.0.split_at_checked(8)?;
            Some((
                DateTime::from_timestamp_micros(i64::from_be_bytes(micros.try_into().ok()?))?,
                i64::from_be_bytes(seq.try_into().ok()?),
            ))
        });
        let (at, seq) = after.unwrap_or((
            DateTime::from_timestamp(YEAR_ONE, 0).unwrap_or_default(),
            -1,
        ));
        let rows = self
            .client()
            .await?
            .query(
                "SELECT record, at, seq FROM audit WHERE (at, seq) > ($1, $2) \
                 ORDER BY at, seq LIMIT $3",
                &[&at, &seq, &limit(n)],
            )
            .await
            .map_err(db)?;
        let mut out = Vec::with_capacity(rows.len());
        let mut next = None;
        for row in &rows {
            out.push(record::decode("audit", row.get(0))?);
            let at: DateTime<Utc> = row.get(1);
            let seq: i64 = row.get(2);
            let mut key = at.timestamp_micros().to_be_bytes().to_vec();
            key.extend_from_slice(&seq.to_be_bytes());
            next = Some(AuditCursor(key));
        }
        Ok((out, next))
    }

    // ----- notification state -----

    pub(crate) async fn notify_state(
        &self,
        discord_id: u64,
    ) -> Result<Option<crate::store::NotifyState>, StoreError> {
        self.record(
            "notification state",
            "SELECT record FROM notify_state WHERE discord_id = $1",
            &[&id(discord_id)],
        )
        .await
    }

    /// Up to `limit` linked people whose read is due by `until`, those never
    /// read first, then earliest first, with their state: by the index on
    /// `wake_at`, plus the (few) accounts with no state yet.
    pub(crate) async fn due_people(
        &self,
        until: DateTime<Utc>,
        n: usize,
    ) -> Result<Vec<(Account, Option<NotifyState>)>, StoreError> {
        let rows = self
            .rows(
                "(SELECT a.record, NULL::bytea FROM accounts a WHERE NOT EXISTS \
                   (SELECT 1 FROM notify_state s WHERE s.discord_id = a.discord_id) \
                   ORDER BY a.discord_id LIMIT $2) \
                 UNION ALL \
                 (SELECT a.record, s.record FROM notify_state s \
                   JOIN accounts a ON a.discord_id = s.discord_id \
                   WHERE s.wake_at <= $1 ORDER BY s.wake_at LIMIT $2) \
                 LIMIT $2",
                &[&until, &limit(n)],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let state: Option<&[u8]> = r.get(1);
                Ok((
                    record::decode_account(r.get(0))?,
                    state
                        .map(|s| record::decode("notification state", s))
                        .transpose()?,
                ))
            })
            .collect()
    }

    /// Everyone linked who wants a digest, with their state.
    pub(crate) async fn digest_people(&self) -> Result<Vec<(Account, NotifyState)>, StoreError> {
        let rows = self
            .rows(
                "SELECT a.record, s.record FROM notify_state s \
                 JOIN accounts a ON a.discord_id = s.discord_id WHERE s.digest",
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    record::decode_account(r.get(0))?,
                    record::decode("notification state", r.get(1))?,
                ))
            })
            .collect()
    }

    pub(crate) async fn forget_notify_state(&self, discord_id: u64) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM notify_state WHERE discord_id = $1",
            &[&id(discord_id)],
        )
        .await?;
        Ok(())
    }

    // ----- signees' request messages -----

    pub(crate) async fn put_signee_messages(
        &self,
        messages: SigneeMessages,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO signee_messages (contract, record) VALUES ($1, $2) \
             ON CONFLICT (contract) DO UPDATE SET record = EXCLUDED.record",
            &[&messages.contract, &record::encode(&messages)?],
        )
        .await?;
        Ok(())
    }

    pub(crate) async fn signee_messages(
        &self,
        contract: &str,
    ) -> Result<Option<SigneeMessages>, StoreError> {
        self.record(
            "signee messages",
            "SELECT record FROM signee_messages WHERE contract = $1",
            &[&contract],
        )
        .await
    }

    pub(crate) async fn forget_signee_messages(&self, contract: &str) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM signee_messages WHERE contract = $1",
            &[&contract],
        )
        .await?;
        Ok(())
    }

    // ----- status cards -----

    pub(crate) async fn put_card(&self, card: Card) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO cards (contract, owner, record) VALUES ($1, $2, $3) \
             ON CONFLICT (contract) DO UPDATE SET owner = EXCLUDED.owner, record = EXCLUDED.record",
            &[&card.contract, &id(card.owner), &record::encode(&card)?],
        )
        .await?;
        Ok(())
    }

    pub(crate) async fn card(&self, contract: &str) -> Result<Option<Card>, StoreError> {
        self.record(
            "card",
            "SELECT record FROM cards WHERE contract = $1",
            &[&contract],
        )
        .await
    }

    pub(crate) async fn all_cards(&self) -> Result<Vec<Card>, StoreError> {
        self.records("card", "SELECT record FROM cards ORDER BY contract", &[])
            .await
    }

    pub(crate) async fn remove_card(&self, contract: &str) -> Result<Option<Card>, StoreError> {
        self.record(
            "card",
            "DELETE FROM cards WHERE contract = $1 RETURNING record",
            &[&contract],
        )
        .await
    }

    // ----- team boards -----

    pub(crate) async fn put_board(&self, board: Board) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO boards (owner, channel, record) VALUES ($1, $2, $3) \
             ON CONFLICT (owner, channel) DO UPDATE SET record = EXCLUDED.record",
            &[
                &id(board.owner),
                &id(board.channel),
                &record::encode(&board)?,
            ],
        )
        .await?;
        Ok(())
    }

    pub(crate) async fn board(
        &self,
        owner: u64,
        channel: u64,
    ) -> Result<Option<Board>, StoreError> {
        self.record(
            "board",
            "SELECT record FROM boards WHERE owner = $1 AND channel = $2",
            &[&id(owner), &id(channel)],
        )
        .await
    }

    pub(crate) async fn all_boards(&self) -> Result<Vec<Board>, StoreError> {
        self.records(
            "board",
            "SELECT record FROM boards ORDER BY owner, channel",
            &[],
        )
        .await
    }

    pub(crate) async fn remove_board(
        &self,
        owner: u64,
        channel: u64,
    ) -> Result<Option<Board>, StoreError> {
        self.record(
            "board",
            "DELETE FROM boards WHERE owner = $1 AND channel = $2 RETURNING record",
            &[&id(owner), &id(channel)],
        )
        .await
    }
}

async fn append_audit(
    tx: &deadpool_postgres::Transaction<'_>,
    entry: &AuditEntry,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO audit (at, discord_user, record) VALUES ($1, $2, $3)",
        &[&entry.at, &id(entry.discord_user), &record::encode(entry)?],
    )
    .await
    .map_err(db)?;
    Ok(())
}
