//! The gateway transport: serenity's websocket client, no privileged intents; every interaction goes to the shared handlers.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serenity::all::{
    ClientBuilder, Context, EventHandler, GatewayIntents, Http, Interaction, PingInteraction, Ready,
};
use serenity::async_trait;

use super::{invocation, register_commands, DiscordError, RestResponder};
use crate::handlers::{dispatch, App};

struct Events {
    app: Arc<App>,
    registered: AtomicBool,
}

#[async_trait]
impl EventHandler for Events {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to the Discord gateway");
        self.app.transport_up.store(true, Ordering::SeqCst);
        if !self.registered.swap(true, Ordering::SeqCst) {
            if let Err(e) = register_commands(&ctx.http, &self.app.config.discord.guild_ids).await {
                tracing::error!(error = %e, "could not register the commands");
                self.registered.store(false, Ordering::SeqCst);
            }
        }
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
    };
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::empty())
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
