//! The reminders job (which also forgets nudges too old to hold a day back): for each contract whose sender asked for `remind_after:<days>`, once that many days have passed since the requests (or since a colleague's turn began), the linked colleague whose turn it is gets one nudge, if it is still their turn; never more than one a day (the nudge's own claim).

use chrono::{DateTime, Utc};

use super::nudge::{nudge, their_turn, waited_on, waiting_since, Nudged};
use super::Watcher;
use crate::comake::ComakeError;
use crate::store::{AuditEntry, Reminder, NUDGE_GAP};

/// How often the job looks at the reminders.
pub(super) const EVERY: chrono::TimeDelta = chrono::TimeDelta::hours(1);
/// Reminders looked at per run (each costs a contract read when due).
const PER_RUN: usize = 200;

impl Watcher {
    /// Send the reminders that are due at `now`; how many nudges went out.
    pub(super) async fn send_reminders(&self, now: DateTime<Utc>) -> usize {
        let reminders = match self.app.store.reminders().await {
            Ok(all) => all,
            Err(e) => {
                tracing::warn!(error = %e, "reminders: cannot load them; tried again later");
                return 0;
            }
        };
        // Nudges from before yesterday hold nothing back any more.
        if let Err(e) = self.app.store.prune_nudges(now - NUDGE_GAP * 2).await {
            tracing::warn!(error = %e, "reminders: old nudges were not pruned");
        }
        // Only those due, the longest due first: the ones not yet due never
        // crowd out the due ones.
        let due_at = |r: &Reminder| r.since + chrono::TimeDelta::days(i64::from(r.days));
        let mut due: Vec<Reminder> = reminders.into_iter().filter(|r| due_at(r) <= now).collect();
        due.sort_by_key(due_at);
        let mut sent = 0;
        for r in due.into_iter().take(PER_RUN) {
            match self.remind(r, now).await {
                Ok(n) => sent += n,
                Err(e) => tracing::warn!(error = %e, "reminders: one failed; tried again later"),
            }
        }
        sent
    }

    /// One reminder: the nudges it sends now, if any; forgotten once its
    /// contract has stopped moving or its sender is no longer linked.
    async fn remind(
        &self,
        mut r: Reminder,
        now: DateTime<Utc>,
    ) -> Result<usize, super::NotifyError> {
        let days = chrono::TimeDelta::days(i64::from(r.days));
        if now < r.since + days {
            return Ok(0);
        }
        let store = &self.app.store;
        let Some(sender) = store.account(r.sender).await? else {
            store.remove_reminder(&r.contract).await?;
            return Ok(0);
        };
        // A sender who left the company's servers nudges no one any more.
        let guilds = &self.app.config.discord.guild_ids;
        match self.app.members.is_member(sender.discord_id, guilds).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::info!("a reminder's sender left the company's servers; it is dropped");
                store.remove_reminder(&r.contract).await?;
                return Ok(0);
            }
            Err(e) => return Err(super::NotifyError::Discord(format!("membership: {e}"))),
        }
        let Some(id) = crate::comake::wire::ContractId::parse(&r.contract) else {
            store.remove_reminder(&r.contract).await?;
            return Ok(0);
        };
        let c = match self.comake.user(&sender.email).get_contract(&id).await {
            Ok(c) => c,
            Err(ComakeError::NotFound(_) | ComakeError::Forbidden(_)) => {
                store.remove_reminder(&r.contract).await?;
                return Ok(0);
            }
            Err(e) => return Err(e.into()),
        };
        if !c.summary.status.is_moving() {
            store.remove_reminder(&r.contract).await?;
            return Ok(0);
        }
        let since = r.since.max(waiting_since(&c));
        if now < since + days {
            // The turn moved on since: due again that many days after it,
            // and not looked at before then.
            if since > r.since {
                r.since = since;
                store.put_reminder(r).await?;
            }
            return Ok(0);
        }
        let mut sent = 0;
        let mut changed = false;
        for who in waited_on(&c) {
            let Some(colleague) = store.account_by_email(&who.email).await? else {
                continue;
            };
            if colleague.discord_id == sender.discord_id
                || r.reminded.contains(&colleague.discord_id)
            {
                continue;
            }
            if their_turn(&self.comake, &colleague, &c).await == Some(false) {
                continue;
            }
            let outcome =
                match nudge(&self.app, &self.http, &sender, &colleague, &who, &c, now).await? {
                    // Today's nudge went out already: tried again tomorrow.
                    Nudged::TooSoon(_) => continue,
                    Nudged::Sent => {
                        sent += 1;
                        "ok (automatic)"
                    }
                    Nudged::Closed => "refused: their DMs are closed",
                    Nudged::Muted => "refused: they muted this contract",
                };
            r.reminded.push(colleague.discord_id);
            changed = true;
            store
                .audit(AuditEntry {
                    at: now,
                    discord_user: sender.discord_id,
                    guild: None,
                    action: "contract.nudge".into(),
                    contract: Some(r.contract.clone()),
                    outcome: outcome.into(),
                })
                .await?;
        }
        if changed {
            store.put_reminder(r).await?;
        }
        Ok(sent)
    }
}
