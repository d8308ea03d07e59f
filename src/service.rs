//! Wiring the parts into a running service: logging, start-up, the transports, and a clean shutdown.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::comake::Comake;
use crate::config::{Config, LogFormat, Transport};
use crate::discord;
use crate::handlers::App;
use crate::observe;
use crate::store::Store;

/// How long interactions in flight may take to finish at shutdown.
pub const DRAIN: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Comake(#[from] crate::comake::ComakeError),
    #[error(transparent)]
    Discord(#[from] discord::DiscordError),
    #[error(transparent)]
    App(#[from] crate::handlers::AppError),
    #[error("{0}")]
    Other(String),
}

/// Log to stderr, filtered by `RUST_LOG` (default `info`), as text or JSON.
pub fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // serenity records requests (with interaction tokens and bodies) and
    // gateway events in its spans; it may only ever log warnings.
    let filter = match "serenity=warn".parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => filter,
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for SIGTERM");
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

/// Build the shared state: open the store, build the Comake client.
pub fn build(config: Config) -> Result<Arc<App>, ServiceError> {
    let store = Store::open(&config.database_path)?;
    let comake = Comake::new(config.comake.clone())?;
    Ok(App::new(config, comake, store)?)
}

/// Completes once `stop` is set.
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|v| *v).await;
}

/// Run the bot until SIGINT or SIGTERM: then stop taking interactions, let
/// those in flight finish (bounded), flush the store.
pub async fn run(config: Config) -> Result<(), ServiceError> {
    let transport = config.discord.transport;
    let http = discord::http(&config.discord)?;
    let app = build(config)?;
    observe::metrics();
    tracing::info!(
        accounts = app.store.account_count(),
        ?transport,
        "comake-bot starting"
    );
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutdown requested");
        let _ = stop_tx.send(true);
    });
    let health = app.config.health_addr.map(|addr| {
        let (app, stop) = (app.clone(), stopped(stop_rx.clone()));
        tokio::spawn(async move {
            if let Err(e) = observe::serve(app, addr, stop).await {
                tracing::error!(error = %e, %addr, "the health endpoint failed");
            }
        })
    });
    let watcher = if app.config.notify_interval.is_zero() {
        None
    } else {
        let watcher_http = Arc::new(discord::http(&app.config.discord)?);
        let watcher = crate::notify::Watcher::new(app.clone(), watcher_http);
        Some(tokio::spawn(watcher.run(stopped(stop_rx.clone()))))
    };
    let served = match transport {
        Transport::Gateway => {
            discord::gateway::run(app.clone(), http, stopped(stop_rx.clone())).await
        }
        Transport::Http => match app.config.discord.interactions_addr {
            Some(addr) => {
                discord::interactions::run(app.clone(), http, addr, stopped(stop_rx.clone())).await
            }
            None => Err(discord::DiscordError::Api(
                "INTERACTIONS_ADDR is not set".into(),
            )),
        },
    };
    if let Some(watcher) = watcher {
        // It stops at the signal; a read in progress is dropped and done
        // again next time (nothing is recorded before its DM is sent).
        let _ = tokio::time::timeout(Duration::from_secs(5), watcher).await;
    }
    let stopping = stop(&app).await;
    if let Some(health) = health {
        health.abort();
    }
    served?;
    stopping
}

/// Let interactions in flight finish (bounded), then flush the store.
pub async fn stop(app: &App) -> Result<(), ServiceError> {
    if !app.drain(DRAIN).await {
        tracing::warn!(
            in_flight = app.interactions_in_flight(),
            "stopping with interactions still in flight"
        );
    }
    app.store.flush().await?;
    tracing::info!("comake-bot stopped");
    Ok(())
}
