//! What status cards and team boards share: whether a public message posted for someone may still be kept up to date (its channel still listed, its poster still in a listed server and linked).

use super::Watcher;
use crate::store::Account;

/// What became of a poster since they posted.
pub(super) enum Poster {
    /// Still in a listed server and linked: keep their messages up to date.
    Keeps(Account),
    /// Left the servers or unlinked: their messages stop.
    Gone,
    /// Could not be told now: tried next time.
    Unknown,
}

impl Watcher {
    /// Whether a message may still go on in `channel`: any channel when
    /// `CARD_CHANNEL_IDS` is empty, else one it lists.
    pub(super) fn channel_listed(&self, channel: u64) -> bool {
        let listed = &self.app.config.discord.card_channel_ids;
        listed.is_empty() || listed.contains(&channel)
    }

    /// What Post checked of `owner`, checked again: still a member of a
    /// listed server, still linked (`what` names their messages in the log).
    pub(super) async fn poster(&self, owner: u64, what: &str) -> Poster {
        let guilds = &self.app.config.discord.guild_ids;
        match self.app.members.is_member(owner, guilds).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::info!("the poster of {what} left the company's servers; its updates stop");
                return Poster::Gone;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot check the poster of {what} is still a member; tried next time");
                return Poster::Unknown;
            }
        }
        match self.app.store.account(owner).await {
            Ok(Some(account)) => Poster::Keeps(account),
            Ok(None) => {
                tracing::info!("the poster of {what} is no longer linked; its updates stop");
                Poster::Gone
            }
            Err(e) => {
                tracing::warn!(error = %e, "notifications: cannot read the poster of {what}");
                Poster::Unknown
            }
        }
    }
}
