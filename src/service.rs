//! Wiring the parts into a running service: logging, start-up, the transports, and a clean shutdown.

use std::sync::Arc;
use std::time::Duration;

use crate::comake::Comake;
use crate::config::{Config, LogFormat, Transport};
use crate::discord;
use crate::handlers::App;
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
    Messages(#[from] crate::i18n::I18nError),
    #[error("{0}")]
    Other(String),
}

/// Log to stderr, filtered by `RUST_LOG` (default `info`), as text or JSON.
pub fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
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

/// Run the bot until SIGINT or SIGTERM.
pub async fn run(config: Config) -> Result<(), ServiceError> {
    let transport = config.discord.transport;
    let http = discord::http(&config.discord)?;
    let app = build(config)?;
    tracing::info!(
        accounts = app.store.account_count(),
        ?transport,
        "comake-bot starting"
    );
    match transport {
        Transport::Gateway => discord::gateway::run(app.clone(), http, shutdown_signal()).await?,
        Transport::Http => {
            let addr = app
                .config
                .discord
                .interactions_addr
                .ok_or_else(|| ServiceError::Other("INTERACTIONS_ADDR is not set".into()))?;
            discord::interactions::run(app.clone(), http, addr, shutdown_signal()).await?
        }
    }
    stop(&app).await
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
