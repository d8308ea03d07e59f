//! Section 9: the store at company scale on PostgreSQL: the store statements of an hour of the real watcher's loop (on tokio's clock, moved forward) at 5,000 and at 50,000 linked people, the same 300 of them read in that hour.

use std::sync::Arc;
use std::time::Duration;

use comake_bot::api::app::App;
use comake_bot::api::config::Config;
use comake_bot::api::discord;
use comake_bot::api::notify::Watcher;
use comake_bot::api::store::NotifyState;
use comake_bot::comake::Comake;
use comake_sim::ComakeSim;
use serde_json::{json, Value};

use crate::postgres::{base_url, postgres_store};
use crate::support::account;

/// The company sizes measured.
const SIZES: [u64; 2] = [5_000, 50_000];
/// People whose read falls in the hour measured (at either size).
const ACTIVE: u64 = 300;
/// The first Discord id of the people linked here.
const ID0: u64 = 30_000_000;
/// How many ticks an hour may take at most (the loop is bounded).
const MAX_TICKS: u32 = 100_000;

/// The section's rows, or `None` (and a line saying so) without
/// `TEST_DATABASE_URL`. Runs on a current-thread runtime of its own, the
/// only kind whose clock can be moved forward.
pub(crate) fn section(sim: &ComakeSim) -> Option<Value> {
    let Some(base) = base_url() else {
        println!("\n9. Store queries at company scale: skipped (set TEST_DATABASE_URL)");
        return None;
    };
    println!(
        "\n9. Store queries at company scale (PostgreSQL): an hour of the watcher's loop, \
         {ACTIVE} people read in it"
    );
    let rows: Vec<Value> = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    let mut rows = Vec::new();
                    for people in SIZES {
                        rows.push(one(sim, &base, people).await);
                    }
                    rows
                })
            })
            .join()
            .expect("section 9")
    });
    Some(Value::Array(rows))
}

fn config(sim: &ComakeSim, url: &str) -> Config {
    let vars: std::collections::BTreeMap<&str, String> = [
        ("COMAKE_API_URL", sim.api_url().to_string()),
        ("COMAKE_WEB_URL", sim.web_url().to_string()),
        ("COMAKE_API_KEY", sim.options().api_key.clone()),
        ("COMAKE_API_SECRET", sim.options().api_secret.clone()),
        ("COMAKE_TIMEOUT_SECS", "30".into()),
        ("DISCORD_GUILD_IDS", "1".into()),
        ("DISCORD_TOKEN", "bench-token".into()),
        // Nothing here sends a DM (the boxes are empty); were one sent, it
        // would go nowhere.
        ("DISCORD_HTTP_PROXY", "http://127.0.0.1:9".into()),
        ("DATABASE_URL", url.into()),
        (
            "STATE_KEY",
            "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=".into(),
        ),
        ("NOTIFY_INTERVAL_SECS", "60".into()),
        ("NOTIFY_MAX_RPS", "1000".into()),
    ]
    .into_iter()
    .collect();
    Config::from_lookup(move |k| vars.get(k).cloned()).expect("bench config")
}

/// Move tokio's clock (and the bot's with it) forward by `by`.
async fn travel(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

async fn one(sim: &ComakeSim, base: &str, people: u64) -> Value {
    let (store, url) = postgres_store(base).await;
    let mut batch = Vec::new();
    for i in 0..people {
        batch.push(account(ID0 + i, &format!("scale{i}@example.com")));
        if batch.len() == 10_000 || i + 1 == people {
            store
                .import(std::mem::take(&mut batch), Vec::new(), false)
                .await
                .unwrap();
        }
    }
    // Everyone has been read before; the active ones are due again in the
    // hour, evenly, the rest after it.
    let now = comake_bot::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..16 {
        let store = store.clone();
        tasks.spawn(async move {
            for i in (worker..people).step_by(16) {
                let secs = if i < ACTIVE {
                    (i * 3600 / ACTIVE) as i64
                } else {
                    7200 + (i % 3600) as i64
                };
                let next = now + chrono::Duration::seconds(secs);
                store
                    .update_notify_state(ID0 + i, move |_| {
                        let mut state = NotifyState::default();
                        state.next_read = Some(next);
                        Some(state)
                    })
                    .await
                    .unwrap();
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    for i in 0..ACTIVE {
        let mail = format!("scale{i}@example.com");
        if sim.add_user(&mail, &format!("User {i}")).is_err() {
            // Already there from the other size.
        }
    }
    let config = config(sim, &url);
    let http = Arc::new(discord::http(&config.discord).expect("http"));
    let comake = Comake::new(config.comake.clone()).expect("comake");
    let app = App::new(config, comake, store.clone()).expect("app");
    let watcher = Watcher::new(app, http);
    let before = store.counts();
    let start = comake_bot::now();
    let end = start + chrono::Duration::hours(1);
    let (mut reads, mut failures, mut ticks) = (0usize, 0usize, 0u32);
    while comake_bot::now() < end && ticks < MAX_TICKS {
        let tick = watcher.tick(comake_bot::now()).await;
        reads += tick.reads.reads;
        failures += tick.reads.failures;
        ticks += 1;
        let left = (end - comake_bot::now()).to_std().unwrap_or_default();
        let wait = (tick.next - comake_bot::now())
            .to_std()
            .unwrap_or_default()
            .max(Duration::from_millis(50))
            .min(left);
        travel(wait).await;
    }
    let after = store.counts();
    let statements = after.statements - before.statements;
    // Before the due index, each 30 s reload read every account (a page of
    // 500 at a time) and every state, one query each: 120 reloads an hour.
    let reload_before = 120 * (people + people / 500 + 1);
    let per_read = statements as f64 / reads.max(1) as f64;
    println!(
        "   {people:>6} linked: {reads} reads ({failures} failed), {statements} store statements \
         an hour ({per_read:.1} a read); the 30 s reload alone cost {reload_before} an hour \
         before the index",
    );
    json!({
        "linked_people": people,
        "reads_per_hour": reads,
        "failed_reads": failures,
        "store_statements_per_hour": statements,
        "statements_per_read": (per_read * 10.0).round() / 10.0,
        "records_read_per_hour": after.records - before.records,
        "reload_statements_per_hour_before_the_index": reload_before,
        "note": "PostgreSQL statements counted in the store layer over an hour of the \
                 watcher's loop on tokio's clock; the same people read at either size",
    })
}
