//! People on Discord, through its REST API: whether someone is still a member of a listed server (cached a few minutes), their names, and a DM.
//!
//! Only what the service connects can be asked: [`Members::connect`] hands
//! over the REST client at start, before any interaction is taken (every
//! transport needs that client, so a running bot always has one). An `App`
//! built without it (tests, one-shot tasks) answers no interaction from
//! Discord; there the membership check is skipped and no DM is sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde_json::Value;
use serenity::all::{ChannelId, GuildId, Http, UserId};
use tokio::time::Instant;

/// How long a membership answer, yes or no, is reused.
pub(crate) const MEMBERSHIP_TTL: Duration = Duration::from_secs(5 * 60);
/// The most people whose membership is remembered; beyond it the oldest
/// answers are dropped.
const MAX_CACHED: usize = 10_000;
/// One REST lookup may take this long.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a membership could not be told.
#[derive(Debug, thiserror::Error)]
#[error("Discord did not say whether the person is a member: {0}")]
pub struct MemberError(String);

/// Discord REST lookups about people, with the membership cache.
#[derive(Default)]
pub struct Members {
    http: OnceLock<Arc<Http>>,
    cache: Mutex<HashMap<u64, (Instant, bool)>>,
}

/// A failed REST call's status, when Discord answered.
fn status(e: &serenity::Error) -> Option<u16> {
    match e {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)) => {
            Some(r.status_code.as_u16())
        }
        _ => None,
    }
}

impl Members {
    /// Use `http` from now on (the service calls this once, at start).
    pub fn connect(&self, http: Arc<Http>) {
        let _ = self.http.set(http);
    }

    /// The REST client, once connected.
    pub(crate) fn http(&self) -> Option<&Arc<Http>> {
        self.http.get()
    }

    /// Whether `user` is a member of one of `guilds`, from the cache when
    /// it was asked within [`MEMBERSHIP_TTL`], else one REST lookup per
    /// server until one says yes. A lookup that fails otherwise than "not a
    /// member" (404) is an error, and nothing is cached. `Ok(true)` when
    /// there is no REST client (see the module's note).
    pub(crate) async fn is_member(&self, user: u64, guilds: &[u64]) -> Result<bool, MemberError> {
        let Some(http) = self.http() else {
            return Ok(true);
        };
        if let Some(known) = self.cached(user) {
            return Ok(known);
        }
        let mut member = false;
        for &guild in guilds {
            let lookup = http.get_member(GuildId::new(guild.max(1)), UserId::new(user.max(1)));
            match tokio::time::timeout(LOOKUP_TIMEOUT, lookup).await {
                Ok(Ok(_)) => {
                    member = true;
                    break;
                }
                // Not there: unknown member, or a server the bot is no
                // longer in (then Discord says 403 or 404 Unknown Guild).
                Ok(Err(e)) if matches!(status(&e), Some(403 | 404)) => {}
                Ok(Err(e)) => {
                    let why =
                        status(&e).map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"));
                    return Err(MemberError(why));
                }
                Err(_) => return Err(MemberError("timed out".into())),
            }
        }
        self.remember(user, member);
        Ok(member)
    }

    /// The DM-button gate: `Err` is the message id of the refusal, for
    /// someone in none of `guilds`, or when Discord could not say.
    pub(crate) async fn gate(&self, user: u64, guilds: &[u64]) -> Result<(), &'static str> {
        match self.is_member(user, guilds).await {
            Ok(true) => Ok(()),
            Ok(false) => Err("error-dm-not-member"),
            Err(e) => {
                tracing::warn!(error = %e, "cannot check a DM button's presser is still a member");
                Err("error-member-check")
            }
        }
    }

    fn cached(&self, user: u64) -> Option<bool> {
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .get(&user)
            .filter(|(at, _)| at.elapsed() < MEMBERSHIP_TTL)
            .map(|(_, member)| *member)
    }

    fn remember(&self, user: u64, member: bool) {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= MAX_CACHED {
            cache.retain(|_, (at, _)| at.elapsed() < MEMBERSHIP_TTL);
            if cache.len() >= MAX_CACHED {
                cache.clear();
            }
        }
        cache.insert(user, (Instant::now(), member));
    }

    /// How `user` is called in `guild` (their server nickname, display
    /// name or username), when Discord says.
    pub(crate) async fn name(&self, guild: u64, user: u64) -> Option<String> {
        let http = self.http()?;
        let lookup = http.get_member(GuildId::new(guild.max(1)), UserId::new(user.max(1)));
        let member = tokio::time::timeout(LOOKUP_TIMEOUT, lookup)
            .await
            .ok()?
            .ok()?;
        Some(member.display_name().to_owned())
    }

    /// The name of `guild`, when Discord says.
    pub(crate) async fn guild_name(&self, guild: u64) -> Option<String> {
        let http = self.http()?;
        let lookup = http.get_guild(GuildId::new(guild.max(1)));
        let found = tokio::time::timeout(LOOKUP_TIMEOUT, lookup)
            .await
            .ok()?
            .ok()?;
        Some(found.name)
    }

    /// Send `body` (a message) to `user` in a DM. The error says only what
    /// Discord answered (a status and its code), never the body.
    pub(crate) async fn dm(&self, user: u64, body: &Value) -> Result<(), String> {
        let http = self.http().ok_or("no Discord REST client")?;
        let send = async {
            let channel = http
                .create_private_channel(
                    &serde_json::json!({"recipient_id": UserId::new(user.max(1)).to_string()}),
                )
                .await?;
            http.send_message(ChannelId::new(channel.id.get()), Vec::new(), body)
                .await
        };
        match tokio::time::timeout(LOOKUP_TIMEOUT, send).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)))) => {
                Err(format!("{} (code {})", r.status_code, r.error.code))
            }
            Ok(Err(_)) => Err("Discord could not be reached".into()),
            Err(_) => Err("timed out".into()),
        }
    }
}
