//! What a command costs: Comake round trips, latency over the floor Comake sets, throughput, CPU, memory and the store, against the naive integration, in one run.
//!
//! `cargo bench --bench commands` prints a table and writes the same figures
//! to `target/bench/commands.json`. The simulator runs on its own runtime
//! thread ("sim"), the bot on another ("bot-worker"), so CPU is counted for
//! the bot's threads alone.
//!
//! One file per section, run in this order (each on what the ones before
//! set up): `round_trips` (1), `cold_burst` (2), `latency` (3 and 4),
//! `throughput` (5), `memory` (6, and the child process it measures),
//! `notifications` (8, on the model in `notify_model`), `postgres` (7),
//! `store_scale` (9: store statements an hour at 5,000 and 50,000 people),
//! `load` (10: two instances on PostgreSQL under 200 people for 60 s),
//! `notify_real` (11, the model checked against the real watcher).
//! `support` holds what they share.

mod cold_burst;
mod latency;
mod load;
mod memory;
mod notifications;
mod notify_model;
mod notify_real;
mod postgres;
mod round_trips;
mod store_scale;
mod support;
mod throughput;

use comake_bot::api::store::Store;
use comake_sim::{ComakeSim, SimOptions};
use serde_json::Value;

use support::Bench;

fn main() {
    if std::env::var(memory::CHILD).is_ok() {
        return memory::child();
    }
    // `cargo test --all-targets` runs bench targets too, without `--bench`:
    // the measurements are for an optimized build only.
    if !std::env::args().any(|a| a == "--bench") {
        println!("commands benchmark: run it with `cargo bench --bench commands`");
        return;
    }
    // `cargo bench --bench commands -- store-scale` or `-- load`: section
    // 9 or 10 alone (printed, not written to the JSON file).
    if std::env::args().any(|a| a == "store-scale" || a == "load") {
        return alone();
    }
    // `cargo bench --bench commands -- memory`: section 6 alone (printed,
    // not written to the JSON file).
    let memory_alone = std::env::args().any(|a| a == "memory");
    let sim_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("sim")
        .enable_all()
        .build()
        .expect("sim runtime");
    // `cargo bench --bench commands -- notifications`: sections 8 and 11
    // alone.
    if std::env::args().any(|a| a == "notifications") {
        let mut report = serde_json::Map::new();
        report.insert("notifications".into(), notifications::section());
        report.insert("notify_real".into(), notify_real::section(&sim_rt));
        return write(report, "target/bench/notifications.json");
    }
    let bot_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(16)
        .thread_name(throughput::BOT_THREADS)
        .enable_all()
        .build()
        .expect("bot runtime");
    let sim = sim_rt
        .block_on(ComakeSim::start(SimOptions::default()))
        .expect("simulator");
    let dir = tempfile::tempdir().expect("temp dir");
    let config = support::config(&sim, dir.path());
    let store = Store::open(dir.path().join("store")).expect("store");
    println!("comake-bot benchmark (simulator on 127.0.0.1, store in a temp dir)\n");

    let mut report = bot_rt.block_on(async {
        let app = support::app(&config, &store);
        let bench = Bench {
            sim,
            config,
            store,
            dir,
            app,
        };
        let mut report = serde_json::Map::new();
        let mut add = |key: &str, value: Value| report.insert(key.into(), value);
        if memory_alone {
            add("memory_and_store", memory::section(&bench).await);
            return report;
        }
        add("round_trips_warm", round_trips::section(&bench).await);
        add("cold_burst", cold_burst::section(&bench).await);
        add("latency_over_floor", latency::section(&bench).await);
        add("throughput", throughput::section(&bench).await);
        add("memory_and_store", memory::section(&bench).await);
        add("notifications", notifications::section());
        if let Some(rows) = postgres::section(&bench).await {
            add("postgres_next_to_sled", rows);
        }
        let scale = tokio::task::block_in_place(|| store_scale::section(&bench.sim));
        if let Some(rows) = scale {
            add("store_queries_at_company_scale", rows);
        }
        if let Some(load) = load::section(&bench.sim, bench.dir.path()).await {
            add("load_two_instances_postgres", load);
        }
        report
    });

    if memory_alone {
        return;
    }
    // Its own runtime, on a clock it moves: after the others.
    report.insert("notify_real".into(), notify_real::section(&sim_rt));
    write(report, "target/bench/commands.json");
}

/// Write `report` to `path` (in the workspace) as JSON.
fn write(report: serde_json::Map<String, Value>, path: &str) {
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(
        &out,
        serde_json::to_string_pretty(&Value::Object(report)).unwrap(),
    )
    .unwrap();
    println!("\nwrote {}", out.display());
}

/// Section 9 or 10 alone, on a simulator of its own.
fn alone() {
    let sim_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("sim runtime");
    let sim = sim_rt
        .block_on(ComakeSim::start(SimOptions::default()))
        .expect("simulator");
    if std::env::args().any(|a| a == "store-scale") {
        store_scale::section(&sim);
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let load = rt.block_on(load::section(&sim, dir.path()));
    println!(
        "{}",
        serde_json::to_string_pretty(&load).unwrap_or_default()
    );
}
