//! The digest job: at 09:00 in `DIGEST_TIMEZONE` (weekly: Mondays), each person who asked for one gets a DM of their contracts waiting on others too long (with a Nudge button for each linked colleague whose turn it is) and those waiting on them.

use chrono::{DateTime, Utc};

use super::dm::Sent;
use super::due::DueList;
use super::nudge;
use super::{schedule, NotifyError, Watcher, LIST_LIMIT, NAME_BUDGET};
use crate::args;
use crate::comake::wire::{BoxTab, Contract, ContractSummary, Role};
use crate::i18n::Lang;
use crate::render;
use crate::reply::{self, Reply};
use crate::store::{Account, Digest};
use crate::text;

/// Stale contracts whose detail a digest reads for its Nudge buttons, and
/// the most buttons it shows (four rows of five).
const NUDGE_READS: usize = 4;
const NUDGE_BUTTONS: usize = 20;

/// The next 09:00 in `zone` after `now`, when the digest job is due again
/// (weekly digests fall on one of these too).
pub(super) fn next_slot(now: DateTime<Utc>, zone: chrono_tz::Tz) -> DateTime<Utc> {
    // The slot a day on from the latest, or (in a zone that skipped 09:00
    // that day) an hour on, so the job never spins.
    let day = chrono::Duration::days(1);
    let mut at = schedule::digest_slot(now, zone, false)
        .map_or(now + chrono::Duration::hours(1), |s| s + day);
    // Across a daylight-saving change a day is not 24 hours: find the
    // slot itself.
    for _ in 0..3 {
        match schedule::digest_slot(at, zone, false) {
            Some(slot) if slot > now => return slot,
            _ => at += chrono::Duration::hours(1),
        }
    }
    at
}

impl Watcher {
    /// Send the digests whose 09:00 slot has come: one list read each
    /// (through the paced client), one DM when there is something to say,
    /// and the slot recorded so it is served once. The account is checked
    /// again right before each DM: a person unlinked (or linked to another
    /// Comake user) meanwhile gets nothing. Returns the DMs sent, and
    /// whether any is to be tried again.
    pub(super) async fn send_digests(
        &self,
        due: &mut DueList,
        now: DateTime<Utc>,
    ) -> (usize, bool) {
        let zone = self.app.config.digest_timezone;
        if let Err(e) = due.load_digests(&self.app).await {
            tracing::warn!(error = %e, "notifications: cannot load who wants a digest; tried again later");
            return (0, true);
        }
        let ready: Vec<(DateTime<Utc>, super::due::DigestPlan)> = due
            .digests
            .values()
            .filter_map(|plan| {
                let slot = schedule::digest_slot(now, zone, plan.digest == Digest::Weekly)?;
                plan.last
                    .is_none_or(|l| l < slot)
                    .then(|| (slot, plan.clone()))
            })
            .collect();
        let (mut sent, mut retry) = (0, false);
        for (slot, mut plan) in ready {
            let account = &plan.account;
            let reply = match self.digest(account, now).await {
                Ok(reply) => reply,
                Err(e) => {
                    tracing::warn!(error = %e, "notifications: a digest read failed; tried again later");
                    retry = true;
                    continue;
                }
            };
            if let Some(reply) = reply {
                match self.app.store.account(account.discord_id).await {
                    Ok(now) if now.as_ref() == Some(account) => {}
                    Ok(_) => {
                        // Unlinked or linked anew: no digest of the old mailbox.
                        due.digests.remove(&account.discord_id);
                        continue;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "notifications: cannot check a digest's account; tried again later");
                        retry = true;
                        continue;
                    }
                }
                match self.send(account.discord_id, &reply).await {
                    Ok(Sent::Delivered) => sent += 1,
                    Ok(Sent::Unreachable) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "notifications: a digest was not delivered; tried again later");
                        retry = true;
                        continue;
                    }
                }
            }
            let written = self
                .app
                .store
                .update_notify_state(account.discord_id, move |state| {
                    let mut state = state?;
                    state.last_digest = Some(slot);
                    Some(state)
                })
                .await;
            if let Err(e) = written {
                tracing::warn!(error = %e, "notifications: cannot record a digest");
            }
            plan.last = Some(slot);
            due.digests.insert(plan.account.discord_id, plan);
        }
        (sent, retry)
    }

    /// The digest DM for `account` at `now`, if there is anything in it:
    /// their contracts waiting on others longer than `DIGEST_STALE_DAYS`,
    /// then those waiting on them; muted contracts left out. Kinds turned
    /// off do not shorten it: it tells where contracts stand, not news.
    async fn digest(
        &self,
        account: &Account,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<Reply>, NotifyError> {
        let list = self
            .comake
            .user(&account.email)
            .list_contracts(BoxTab::All, 1, LIST_LIMIT)
            .await?;
        let stale =
            now - chrono::Duration::from_std(self.app.config.digest_stale).unwrap_or_default();
        let state = self
            .app
            .store
            .notify_state(account.discord_id)
            .await?
            .unwrap_or_default();
        let lang = Lang::from_locale(&state.locale);
        let t = |id: &str, args: &[(&str, fluent_bundle::FluentValue<'static>)]| {
            self.app.i18n.t(lang, id, args)
        };
        let mut lines = Vec::new();
        let mut moving: Vec<&ContractSummary> = list
            .contracts
            .iter()
            .filter(|c| c.status.is_moving())
            // A muted contract is left out of the digest too.
            .filter(|c| !state.muted.contains_key(c.id.as_str()))
            .collect();
        moving.sort_by_key(|c| c.updated_at);
        let mut stale_sent = Vec::new();
        for c in &moving {
            let since = render::time(c.updated_at, 'R');
            let name = text::inert_max(&c.name, NAME_BUDGET);
            if c.role == Role::Sender && c.updated_at < stale {
                stale_sent.push(c.id.clone());
                lines.push(format!(
                    "• {}",
                    t("digest-stale", &args!["name" => name, "since" => since])
                ));
            } else if c.role == Role::Receiver && c.my_turn != Some(false) {
                lines.push(format!(
                    "• {}",
                    t("digest-waiting", &args!["name" => name, "since" => since])
                ));
            }
        }
        if lines.is_empty() {
            return Ok(None);
        }
        // Every line fits, or the rest is counted and pointed to.
        let mut content = t("digest-header", &[]);
        let reserve = 120;
        for (i, line) in lines.iter().enumerate() {
            if content.chars().count() + line.chars().count() + 1 + reserve > reply::MAX_CONTENT {
                content.push('\n');
                content.push_str(&t(
                    "digest-more",
                    &args!["count" => (lines.len() - i) as u64],
                ));
                break;
            }
            content.push('\n');
            content.push_str(line);
        }
        // A Nudge button for each linked colleague a stale contract waits
        // on, from the details of the longest waiting few.
        let mut details = Vec::new();
        for id in stale_sent.iter().take(NUDGE_READS) {
            match self.comake.user(&account.email).get_contract(id).await {
                Ok(c) => details.push(c),
                Err(e) => tracing::debug!(error = %e, "digest: a contract's detail was not read"),
            }
        }
        let details: Vec<&Contract> = details.iter().collect();
        let (buttons, outside) = nudge::offers(
            &self.app,
            lang,
            account.discord_id,
            &details,
            true,
            NUDGE_BUTTONS,
        )
        .await?;
        if !outside.is_empty() {
            let note = t(
                "nudge-outside",
                &args!["names" => outside.join(", "), "web" => self.app.config.comake.web_url.to_string()],
            );
            if content.chars().count() + note.chars().count() < reply::MAX_CONTENT {
                content.push('\n');
                content.push_str(&note);
            }
        }
        let mut reply = Reply::text(content);
        for row in buttons.chunks(5) {
            reply = reply.row(row.to_vec());
        }
        Ok(Some(reply))
    }
}
