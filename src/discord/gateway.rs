//! The gateway transport: serenity's websocket client with only the (unprivileged) GUILDS intent; every interaction goes to the shared handlers, and servers that are not the company's are left.

use std::collections::HashSet;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serenity::all::{
    ClientBuilder, Context, EventHandler, GatewayIntents, Guild, Http, Interaction,
    PingInteraction, Ready, UnavailableGuild,
};
use serenity::async_trait;

use super::{invocation, leave_guild, register_commands, DiscordError, RestResponder};
use crate::handlers::{dispatch, App};

struct Events {
    app: Arc<App>,
    registered: AtomicBool,
    /// Servers we left (or are leaving): each is left once.
    left: Mutex<HashSet<u64>>,
}

impl Events {
    /// Leave `guild` if it is not one of the company's servers.
    async fn guard(&self, http: &Http, guild: u64) {
        if self.app.config.discord.guild_ids.contains(&guild) {
            return;
        }
        let first = self
            .left
            .lock()
            .map(|mut left| left.insert(guild))
            .unwrap_or(false);
        if !first {
            return;
        }
        tracing::warn!(
            guild,
            "the bot is in a server that is not on DISCORD_GUILD_IDS; leaving it"
        );
        metrics::counter!(crate::observe::GUILDS_LEFT).increment(1);
        if let Err(e) = leave_guild(http, guild).await {
            tracing::error!(guild, error = %e, "could not leave the server");
            if let Ok(mut left) = self.left.lock() {
                left.remove(&guild);
            }
        }
    }
}

#[async_trait]
impl EventHandler for Events {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to the Discord gateway");
        self.app.transport_up.store(true, Ordering::SeqCst);
        for guild in &ready.guilds {
            self.guard(&ctx.http, guild.id.get()).await;
        }
        if !self.registered.swap(true, Ordering::SeqCst) {
            if let Err(e) = register_commands(&ctx.http, &self.app.config.discord.guild_ids).await {
                tracing::error!(error = %e, "could not register the commands");
                self.registered.store(false, Ordering::SeqCst);
            }
        }
    }

    /// Sent when the bot left a server (or it became unavailable): a later
    /// invitation to a server we left is handled again.
    async fn guild_delete(&self, _ctx: Context, gone: UnavailableGuild, _full: Option<Guild>) {
        if let Ok(mut left) = self.left.lock() {
            left.remove(&gone.id.get());
        }
    }

    /// Sent for every server at connect and when the bot is added to one.
    async fn guild_create(&self, ctx: Context, guild: Guild, _is_new: Option<bool>) {
        self.guard(&ctx.http, guild.id.get()).await;
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let Some(inv) = invocation(&interaction) else {
            if !matches!(interaction, Interaction::Ping(PingInteraction { .. })) {
                tracing::debug!("ignored an interaction of a kind we do not serve");
            }
            return;
        };
        let responder = RestResponder::new(ctx.http.clone(), &inv);
        let _in_flight = self.app.in_flight();
        dispatch(&self.app, &inv, &responder).await;
    }
}

/// Connect and serve until `shutdown` completes, then close the connection
/// and wait (bounded) for interactions in flight.
pub async fn run(
    app: Arc<App>,
    http: Http,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), DiscordError> {
    let events = Events {
        app: app.clone(),
        registered: AtomicBool::new(false),
        left: Mutex::new(HashSet::new()),
    };
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(events)
        .await
        .map_err(|e| DiscordError::Api(e.to_string()))?;
    let shards = client.shard_manager.clone();
    let stopper = app.clone();
    tokio::select! {
        result = client.start() => {
            app.transport_up.store(false, Ordering::SeqCst);
            result.map_err(|e| DiscordError::Api(e.to_string()))
        }
        () = shutdown => {
            tracing::info!("shutting down: closing the gateway connection");
            stopper.transport_up.store(false, Ordering::SeqCst);
            shards.shutdown_all().await;
            Ok(())
        }
    }
}
