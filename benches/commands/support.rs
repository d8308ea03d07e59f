//! What every section shares: the bench context, invocations and the responder, the bot's configuration, and the statistics.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use comake_bot::api::app::App;
use comake_bot::api::config::Config;
use comake_bot::api::handlers::{dispatch, DeliveryError, Invocation, Kind, OptValue, Responder};
use comake_bot::api::store::{Account, LinkMethod, Store};
use comake_bot::comake::Comake;
use comake_sim::ComakeSim;
use secrecy::SecretString;
use serde_json::Value;

/// The linked user whose commands section 1 counts, and whom sections 3, 4
/// and 7 time.
pub(crate) const KIM: u64 = 1;
/// The first Discord id of the users section 2 links (`BASE..BASE + 500`);
/// sections 5 and 6 use the first `SENDERS` of them.
pub(crate) const BASE: u64 = 10_000;
/// How many users send commands at once in sections 5 and 6.
pub(crate) const SENDERS: u64 = 100;

/// What the sections measure, built once: they run in order, each on the
/// users and contracts the ones before it set up.
pub(crate) struct Bench {
    pub(crate) sim: ComakeSim,
    pub(crate) config: Config,
    pub(crate) store: Store,
    /// The store's folder, and room for the sections' own stores.
    pub(crate) dir: tempfile::TempDir,
    /// The bot measured warm: its tokens stay cached from command to command.
    pub(crate) app: Arc<App>,
}

impl Bench {
    /// A bot on `store` with nothing cached, as a process that just started.
    pub(crate) fn app_on(&self, store: &Store) -> Arc<App> {
        app(&self.config, store)
    }
}

pub(crate) fn app(config: &Config, store: &Store) -> Arc<App> {
    let comake = Comake::new(config.comake.clone()).expect("comake client");
    App::new(config.clone(), comake, store.clone()).expect("app")
}

/// A responder that keeps the last body (to find buttons) and nothing else.
#[derive(Default)]
pub(crate) struct Last(std::sync::Mutex<Option<Value>>);

impl Responder for Last {
    async fn callback(&self, body: Value) -> Result<(), DeliveryError> {
        *self.0.lock().unwrap() = Some(body);
        Ok(())
    }
    async fn edit_original(&self, body: Value) -> Result<(), DeliveryError> {
        *self.0.lock().unwrap() = Some(body);
        Ok(())
    }
}

impl Last {
    /// The custom id of the last answer's button that starts with `prefix`.
    pub(crate) fn button(&self, prefix: &str) -> String {
        let body = self.0.lock().unwrap().clone().unwrap_or_default();
        let msg = if body["data"].is_object() {
            body["data"].clone()
        } else {
            body
        };
        msg["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["custom_id"].as_str().map(str::to_owned))
            .find(|id| id.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix} button in {msg}"))
    }
}

fn invocation(
    user: u64,
    kind: Kind,
    command: &str,
    options: &[(&str, OptValue)],
    custom_id: &str,
) -> Invocation {
    Invocation {
        kind,
        id: 1,
        token: SecretString::from("bench".to_owned()),
        application_id: 1,
        user,
        guild: Some(1),
        locale: "en-US".into(),
        permissions: Some(32),
        roles: Vec::new(),
        user_name: format!("user{user}"),
        members: Vec::new(),
        channel: Some(1),
        app_permissions: None,
        in_thread: None,
        command: command.into(),
        options: options
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
        focused: None,
        custom_id: custom_id.into(),
    }
}

pub(crate) fn cmd(user: u64, command: &str, options: &[(&str, OptValue)]) -> Invocation {
    invocation(user, Kind::Command, command, options, "")
}

pub(crate) fn press(user: u64, custom_id: &str) -> Invocation {
    invocation(user, Kind::Component, "", &[], custom_id)
}

pub(crate) fn s(v: &str) -> OptValue {
    OptValue::Str(v.into())
}

/// Run `inv` through the bot's pipeline, as a transport would; a command
/// that fails fails the benchmark.
pub(crate) async fn run(app: &App, inv: Invocation) -> Last {
    let last = Last::default();
    let outcome = dispatch(app, &inv, &last).await;
    assert_ne!(
        outcome.result, "error",
        "{} failed in the benchmark",
        outcome.name
    );
    last
}

pub(crate) fn config(sim: &ComakeSim, dir: &std::path::Path) -> Config {
    let vars: BTreeMap<&str, String> = [
        ("COMAKE_API_URL", sim.api_url().to_string()),
        ("COMAKE_WEB_URL", sim.web_url().to_string()),
        ("COMAKE_API_KEY", sim.options().api_key.clone()),
        ("COMAKE_API_SECRET", sim.options().api_secret.clone()),
        ("COMAKE_TIMEOUT_SECS", "30".into()),
        ("COMMANDS_PER_MINUTE", "1000000".into()),
        ("DISCORD_GUILD_IDS", "1".into()),
        (
            "DATABASE_PATH",
            dir.join("store").to_string_lossy().into_owned(),
        ),
    ]
    .into_iter()
    .collect();
    Config::from_lookup(move |k| vars.get(k).cloned()).expect("bench config")
}

pub(crate) fn account(id: u64, email: &str) -> Account {
    Account {
        discord_id: id,
        email: email.into(),
        name: format!("User {id}"),
        comake_client_id: String::new(),
        linked_at: chrono::Utc::now(),
        linked_by: id,
        method: LinkMethod::SelfRegistered,
    }
}

pub(crate) fn email(i: u64) -> String {
    format!("user{i}@example.com")
}

/// The `p` quantile of durations sorted ascending (zero for none).
pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// Milliseconds, to the microsecond.
pub(crate) fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// `a / b`, to three decimals.
pub(crate) fn ratio(a: Duration, b: Duration) -> f64 {
    (a.as_secs_f64() / b.as_secs_f64() * 1000.0).round() / 1000.0
}
