//! Wiring the parts into a running service: logging, start-up, the transports, and a clean shutdown.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tracing_subscriber::filter::{FilterExt, LevelFilter, Targets};
use tracing_subscriber::layer::{self, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

use crate::comake::Comake;
use crate::config::{Config, LogFormat, Transport};
use crate::discord;
use crate::handlers::App;
use crate::observe;
use crate::store::{Role, Store};

/// How long interactions in flight may take to finish at shutdown.
pub(crate) const DRAIN: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Comake(#[from] crate::comake::ComakeError),
    #[error(transparent)]
    Discord(#[from] discord::DiscordError),
    #[error(transparent)]
    App(#[from] crate::app::AppError),
}

/// Libraries that log requests, frames or payloads (which carry the bot
/// token, interaction tokens, signee passwords, phone numbers) below these
/// levels. The caps apply on top of `RUST_LOG`: no filter there, however
/// narrow (`serenity::http=trace`), lifts them.
const LOG_CAPS: &[(&str, LevelFilter)] = &[
    ("serenity", LevelFilter::WARN),
    // Its warnings name routes, and an interaction's route holds its token.
    ("serenity::http", LevelFilter::ERROR),
    // Its parse-failure warning holds the whole event: see GatewayParseFailures.
    ("serenity::gateway::ws", LevelFilter::OFF),
    ("tungstenite", LevelFilter::WARN),
    ("tokio_tungstenite", LevelFilter::WARN),
    ("reqwest", LevelFilter::WARN),
    ("hyper", LevelFilter::WARN),
    ("hyper_util", LevelFilter::WARN),
    ("h2", LevelFilter::WARN),
    ("rustls", LevelFilter::WARN),
    ("lettre", LevelFilter::WARN),
];

/// The caps as a filter.
pub(crate) fn log_caps() -> Targets {
    LOG_CAPS.iter().fold(
        Targets::new().with_default(LevelFilter::TRACE),
        |t, (target, level)| t.with_target(*target, *level),
    )
}

/// serenity warns "Err deserializing text: …; text: {the whole event}" when
/// it cannot read a gateway event. This layer sees only that warning (the
/// caps keep it from the log) and has the event's name and size logged
/// instead, from another thread: an event logged from inside a layer would
/// disturb the filtering of the one being handled.
struct GatewayParseFailures(std::sync::mpsc::SyncSender<(String, usize)>);

impl GatewayParseFailures {
    fn new() -> Self {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(String, usize)>(64);
        let spawned = std::thread::Builder::new()
            .name("log-parse-failures".into())
            .spawn(move || {
                while let Ok((event, bytes)) = rx.recv() {
                    tracing::warn!(
                        target: "comake_bot::discord::gateway",
                        event,
                        bytes,
                        "a gateway event could not be read; it was skipped"
                    );
                }
            });
        if let Err(e) = spawned {
            eprintln!("warning: gateway parse failures will not be logged: {e}");
        }
        Self(tx)
    }
}

/// The message of an event.
#[derive(Default)]
struct Message(String);

impl tracing::field::Visit for Message {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "message" {
            value.clone_into(&mut self.0);
        }
    }
}

/// The name (`"t"`) of a gateway event in `text`, if it has a plausible one.
fn event_name(text: &str) -> Option<&str> {
    let start = text.find("\"t\":\"")? + 5;
    let rest = text.get(start..)?;
    let name = &rest[..rest.find('"')?];
    (!name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'))
    .then_some(name)
}

impl<S: tracing::Subscriber> Layer<S> for GatewayParseFailures {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: layer::Context<'_, S>) {
        let mut message = Message::default();
        event.record(&mut message);
        let text = message.0;
        if !text.starts_with("Err ") {
            return;
        }
        let (name, bytes) = match text.split_once("; text: ") {
            Some((_, payload)) => (event_name(payload).unwrap_or("unknown"), payload.len()),
            None => ("unknown", 0),
        };
        // A full queue drops the line rather than block the gateway.
        let _ = self.0.try_send((name.to_owned(), bytes));
    }
}

/// The log pipeline: `filter` (from `RUST_LOG`) under the [`LOG_CAPS`],
/// as text or JSON, to `writer`.
fn subscriber<W>(
    format: LogFormat,
    filter: tracing_subscriber::EnvFilter,
    writer: W,
) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let fmt = tracing_subscriber::fmt::layer().with_writer(writer);
    let fmt = match format {
        LogFormat::Json => fmt.json().flatten_event(true).boxed(),
        LogFormat::Text => fmt.boxed(),
    };
    let parse_failures = Targets::new().with_target("serenity::gateway::ws", LevelFilter::WARN);
    tracing_subscriber::registry()
        .with(GatewayParseFailures::new().with_filter(parse_failures))
        .with(fmt.with_filter(filter.and(log_caps())))
}

/// Log to stderr, filtered by `RUST_LOG` (default `info`) under the
/// `LOG_CAPS`, as text or JSON.
pub fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = subscriber(format, filter, std::io::stderr).try_init();
}

/// Completes on SIGINT or SIGTERM.
pub(crate) async fn shutdown_signal() {
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
pub(crate) async fn build(config: Config) -> Result<Arc<App>, ServiceError> {
    let store = Store::open_configured(&config.database).await?;
    let comake = Comake::new(config.comake.clone())?;
    Ok(App::new(config, comake, store)?)
}

/// How often a standby asks for a role it does not hold.
const STANDBY_RETRY: Duration = Duration::from_secs(2);

/// Do `work` whenever this instance holds `role`, until `stop`: wait for
/// the role (asking every [`STANDBY_RETRY`]), run `work` until the role is
/// lost (another instance then takes over) or `stop`, and wait again. With
/// sled the role is always this process's. `work` gets its own stop signal;
/// its error ends the service.
async fn while_leading<F, Fut>(
    app: Arc<App>,
    role: Role,
    stop: watch::Receiver<bool>,
    mut work: F,
) -> Result<(), ServiceError>
where
    F: FnMut(watch::Receiver<bool>) -> Result<Fut, ServiceError>,
    Fut: std::future::Future<Output = Result<(), ServiceError>>,
{
    let result = loop {
        if *stop.borrow() {
            break Ok(());
        }
        match app.store.lead(role).await {
            Ok(Some(mut leadership)) => {
                app.roles.set(role, true);
                tracing::info!(role = role.name(), "this instance took the role");
                let (inner_tx, inner_rx) = watch::channel(false);
                let run = match work(inner_rx) {
                    Ok(run) => run,
                    Err(e) => break Err(e),
                };
                tokio::pin!(run);
                let stopping = stop.clone();
                tokio::select! {
                    done = &mut run => {
                        if done.is_err() || *stopping.borrow() {
                            break done;
                        }
                    }
                    why = leadership.lost() => {
                        tracing::warn!(role = role.name(), %why, "this instance lost the role");
                        let _ = inner_tx.send(true);
                        let _ = tokio::time::timeout(Duration::from_secs(5), &mut run).await;
                    }
                    () = stopped(stop.clone()) => {
                        let _ = inner_tx.send(true);
                        break tokio::time::timeout(Duration::from_secs(5), &mut run)
                            .await
                            .unwrap_or(Ok(()));
                    }
                }
                app.roles.set(role, false);
            }
            Ok(None) => app.roles.set(role, false),
            Err(e) => {
                app.roles.set(role, false);
                tracing::warn!(role = role.name(), error = %e, "cannot ask for the role");
            }
        }
        tokio::select! {
            () = tokio::time::sleep(STANDBY_RETRY) => {}
            () = stopped(stop.clone()) => {}
        }
    };
    app.roles.clear(role);
    result
}

/// Completes once `stop` is set.
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|v| *v).await;
}

/// Run the bot until SIGINT or SIGTERM: then stop taking interactions, let
/// those in flight finish (bounded), flush the store.
pub async fn run(config: Config) -> Result<(), ServiceError> {
    let transport = config.discord.transport;
    let app = build(config).await?;
    // Before any transport takes an interaction: DM buttons check
    // membership through it.
    app.members
        .connect(Arc::new(discord::http(&app.config.discord)?));
    observe::metrics();
    tracing::info!(
        accounts = app.store.account_count().await.unwrap_or_default(),
        ?transport,
        shared = app.store.is_shared(),
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
    let upkeep = tokio::spawn(upkeep(app.clone(), stopped(stop_rx.clone())));
    // One watcher among all instances sharing the store.
    let watcher = if app.config.notify_interval.is_zero() {
        None
    } else {
        let watcher_app = app.clone();
        Some(tokio::spawn(while_leading(
            app.clone(),
            Role::Watcher,
            stop_rx.clone(),
            move |stop| {
                let http = Arc::new(discord::http(&watcher_app.config.discord)?);
                let watcher = crate::notify::Watcher::new(watcher_app.clone(), http);
                Ok(async move {
                    watcher.run(stopped(stop)).await;
                    Ok(())
                })
            },
        )))
    };
    let served = match transport {
        // Every instance would get every event: one connects, the others
        // stand by and take over when it goes.
        Transport::Gateway => {
            let gateway_app = app.clone();
            while_leading(app.clone(), Role::Gateway, stop_rx.clone(), move |stop| {
                let http = discord::http(&gateway_app.config.discord)?;
                let app = gateway_app.clone();
                Ok(async move {
                    discord::gateway::run(app, http, stopped(stop))
                        .await
                        .map_err(ServiceError::from)
                })
            })
            .await
        }
        Transport::Http {
            addr, public_key, ..
        } => {
            let http = discord::http(&app.config.discord)?;
            discord::interactions::run(
                app.clone(),
                http,
                addr,
                public_key,
                stopped(stop_rx.clone()),
            )
            .await
            .map_err(ServiceError::from)
        }
    };
    if let Some(watcher) = watcher {
        // It stops at the signal; a read in progress is dropped and done
        // again next time (nothing is recorded before its DM is sent).
        let _ = tokio::time::timeout(Duration::from_secs(6), watcher).await;
    }
    upkeep.abort();
    let stopping = stop(&app).await;
    if let Some(health) = health {
        health.abort();
    }
    served?;
    stopping
}

/// How often the in-memory maps are swept, and the audit log pruned.
const SWEEP_EVERY: Duration = Duration::from_secs(60);
const PRUNE_EVERY: Duration = Duration::from_secs(24 * 60 * 60);
/// Audit entries removed per flush when pruning.
const PRUNE_BATCH: usize = 1000;

/// Housekeeping until `stop`: sweep the in-memory maps every minute, and
/// prune audit entries older than `AUDIT_RETENTION_DAYS` at start and daily.
async fn upkeep(app: Arc<App>, stop: impl std::future::Future<Output = ()>) {
    tokio::pin!(stop);
    let mut sweep = tokio::time::interval(SWEEP_EVERY);
    let mut prune = tokio::time::interval(PRUNE_EVERY);
    loop {
        tokio::select! {
            () = &mut stop => return,
            _ = sweep.tick() => {
                let held = match app.sweep().await {
                    Ok(held) => held,
                    Err(e) => {
                        tracing::warn!(error = %e, "could not sweep the store");
                        continue;
                    }
                };
                for (map, n) in [
                    ("limiters", held.limited_users),
                    ("confirmations", held.confirmations),
                    ("token_cells", held.token_cells),
                    ("autocomplete", held.cached_lists + held.cached_details),
                ] {
                    metrics::gauge!(observe::HELD, "map" => map).set(n as f64);
                }
            }
            _ = prune.tick() => {
                let days = i64::from(app.config.audit_retention_days);
                let cutoff = chrono::Utc::now() - chrono::Duration::days(days);
                match app.store.prune_audit(cutoff, PRUNE_BATCH).await {
                    Ok(0) => {}
                    Ok(n) => {
                        metrics::counter!(observe::AUDIT_PRUNED).increment(n as u64);
                        tracing::info!(removed = n, days, "pruned old audit entries");
                    }
                    Err(e) => tracing::error!(error = %e, "could not prune the audit log"),
                }
            }
        }
    }
}

/// Let interactions in flight finish (bounded), then flush the store.
pub(crate) async fn stop(app: &App) -> Result<(), ServiceError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if let Ok(mut b) = self.0.lock() {
                b.extend_from_slice(buf);
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'w> tracing_subscriber::fmt::MakeWriter<'w> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'w self) -> Buffer {
            self.clone()
        }
    }

    #[test]
    fn caps_hold_whatever_rust_log_says() {
        for rust_log in [
            "trace",
            "trace,serenity::http=trace,tungstenite=trace,serenity=trace",
        ] {
            let buffer = Buffer::default();
            let filter = tracing_subscriber::EnvFilter::new(rust_log);
            let sub = subscriber(LogFormat::Text, filter, buffer.clone());
            tracing::subscriber::with_default(sub, || {
                tracing::debug!(target: "serenity::http::client", "PATCH /webhooks/1/secret-token");
                tracing::trace!(target: "tungstenite::protocol", "frame 73656372");
                tracing::warn!(target: "serenity::gateway::ws", "Err deserializing text: x; text: {{\"t\":\"GUILD_CREATE\",\"d\":\"secret-text\"}}");
                tracing::warn!(target: "serenity::gateway::shard", "a warning we keep");
                tracing::trace!(target: "comake_bot::handlers", "our own trace");
            });
            let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
            assert!(!text.contains("secret"), "{rust_log}: {text}");
            assert!(!text.contains("73656372"), "{rust_log}: {text}");
            assert!(text.contains("a warning we keep"), "{rust_log}: {text}");
            assert!(text.contains("our own trace"), "{rust_log}: {text}");
        }
    }

    #[test]
    fn event_names_are_read_only_when_plausible() {
        assert_eq!(
            event_name(r#"{"t":"GUILD_CREATE","d":1}"#),
            Some("GUILD_CREATE")
        );
        assert_eq!(event_name(r#"{"t":"<script>","d":1}"#), None);
        assert_eq!(event_name(r#"{"d":1}"#), None);
    }
}
