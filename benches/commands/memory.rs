//! Section 6: the bot's peak memory holding 100,000 linked accounts (measured in a child process of its own), account lookups, and durable links.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use comake_bot::api::config::Config;
use comake_bot::api::store::Store;
use comake_sim::SimOptions;
use serde_json::{json, Value};

use crate::support::{account, app, cmd, email, percentile, run, Bench, BASE, SENDERS};

/// Set in the child's environment: this process is the memory child.
pub(crate) const CHILD: &str = "COMAKE_BENCH_CHILD";

pub(crate) async fn section(b: &Bench) -> Value {
    // The bot's memory is measured in a process of its own (this
    // benchmark re-run as a child), so the simulator and the figures kept
    // here do not count: it opens a store of 100,000 linked accounts and
    // serves warm /contract list from 100 users, as in section 5.
    let total = 100_000u64;
    let mem_path = b.dir.path().join("memory-store");
    {
        let big = Store::open(&mem_path).unwrap();
        fill(&big, total).await;
        assert_eq!(big.account_count().await.unwrap() as u64, total);
    }
    let child_report = child_run(
        b,
        &[("COMAKE_BENCH_STORE", mem_path.to_string_lossy().as_ref())],
    )
    .await;
    let store = &b.store;
    let sequential = 200u64;
    let t = Instant::now();
    for i in 0..sequential {
        let mail = format!("seq{i}@example.com");
        store
            .link(account(5_000_000 + i, &mail), false)
            .await
            .unwrap();
    }
    let seq_rate = sequential as f64 / t.elapsed().as_secs_f64();
    let concurrent = 400u64;
    let t = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..concurrent {
        let store = store.clone();
        let linked = account(6_000_000 + i, &format!("con{i}@example.com"));
        tasks.spawn(async move { store.link(linked, false).await.map(|_| ()) });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap().unwrap();
    }
    let con_rate = concurrent as f64 / t.elapsed().as_secs_f64();
    let rss_mib = child_report["peak_rss_kib"].as_f64().unwrap_or(0.0) / 1024.0;
    let postgres = postgres_memory(b, total).await;
    let mut memory = json!({
        "accounts": total,
        "commands_served_before_measuring": child_report["commands"],
        "peak_rss_mib": (rss_mib * 10.0).round() / 10.0,
        "peak_rss_over_64_mib_target": (rss_mib / 64.0 * 1000.0).round() / 1000.0,
        "peak_rss_mib_after_open": kib_to_mib(&child_report["peak_rss_kib_after_open"]),
        "peak_rss_mib_after_commands": kib_to_mib(&child_report["peak_rss_kib_after_commands"]),
        "threads": child_report["threads"],
        "lookup_p50_us": child_report["lookup_p50_us"],
        "lookup_p99_us": child_report["lookup_p99_us"],
        "durable_links_per_second_sequential": seq_rate.round(),
        "durable_links_per_second_concurrent": con_rate.round(),
        "note": "peak RSS (VmHWM) of a bot process holding 100,000 linked accounts \
                 after serving warm /contract list from 100 users; lookups in that process",
    });
    println!(
        "\n6. Memory and store: {} accounts, peak RSS {} MiB ({}x the 64 MiB target; \
         {} MiB after opening the store, {} MiB after the commands); lookup p50 {} µs, p99 {} µs; durable links {}/s one at a time, {}/s {concurrent} at once",
        memory["accounts"],
        memory["peak_rss_mib"],
        memory["peak_rss_over_64_mib_target"],
        memory["peak_rss_mib_after_open"],
        memory["peak_rss_mib_after_commands"],
        memory["lookup_p50_us"],
        memory["lookup_p99_us"],
        memory["durable_links_per_second_sequential"],
        memory["durable_links_per_second_concurrent"]
    );
    if let Some(pg) = postgres {
        let rss_mib = pg["peak_rss_kib"].as_f64().unwrap_or(0.0) / 1024.0;
        println!(
            "   the same on PostgreSQL: peak RSS {:.1} MiB ({:.3}x the target); lookup p50 {} µs, p99 {} µs",
            rss_mib,
            rss_mib / 64.0,
            pg["lookup_p50_us"],
            pg["lookup_p99_us"]
        );
        memory["postgres"] = json!({
            "peak_rss_mib": (rss_mib * 10.0).round() / 10.0,
            "peak_rss_over_64_mib_target": (rss_mib / 64.0 * 1000.0).round() / 1000.0,
            "lookup_p50_us": pg["lookup_p50_us"],
            "lookup_p99_us": pg["lookup_p99_us"],
            "commands_served_before_measuring": pg["commands"],
        });
    }
    memory
}

/// `total` linked accounts into `store`, 10,000 at a time: the section's
/// senders first, then bulk ones (the same on either store).
async fn fill(store: &Store, total: u64) {
    let mut batch = Vec::new();
    for i in 0..total {
        let (id, mail) = if i < SENDERS {
            (BASE + i, email(BASE + i))
        } else {
            (1_000_000 + i, format!("bulk{i}@example.com"))
        };
        batch.push(account(id, &mail));
        if batch.len() == 10_000 || i + 1 == total {
            store
                .import(std::mem::take(&mut batch), Vec::new(), false)
                .await
                .unwrap();
        }
    }
}

/// The memory child's figures on PostgreSQL with `total` accounts (the
/// same ids and emails as on sled), or `None` without `TEST_DATABASE_URL`.
async fn postgres_memory(b: &Bench, total: u64) -> Option<Value> {
    let base = crate::postgres::base_url()?;
    let (pg, url) = crate::postgres::postgres_store(&base).await;
    fill(&pg, total).await;
    Some(child_run(b, &[("COMAKE_BENCH_DATABASE_URL", url.as_str())]).await)
}

/// Run the memory child with `env` naming its store; its report.
async fn child_run(b: &Bench, env: &[(&str, &str)]) -> Value {
    let mut command = tokio::process::Command::new(std::env::current_exe().unwrap());
    command
        .env(CHILD, "memory")
        .env("COMAKE_BENCH_API", b.sim.api_url().as_str())
        .env("COMAKE_BENCH_WEB", b.sim.web_url().as_str())
        .env("COMAKE_BENCH_SENDERS", SENDERS.to_string())
        .env("COMAKE_BENCH_BASE", BASE.to_string());
    for (k, v) in env {
        command.env(k, v);
    }
    let child = command.output().await.unwrap();
    serde_json::from_slice(&child.stdout).unwrap_or_else(|e| {
        panic!(
            "the memory child failed ({e}): {}",
            String::from_utf8_lossy(&child.stderr)
        )
    })
}

/// The memory child: a bot process with a big store, serving warm lists;
/// prints its figures as one JSON line.
pub(crate) fn child() {
    let var = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} is not set"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let vars: BTreeMap<&str, String> = [
        ("COMAKE_API_URL", var("COMAKE_BENCH_API")),
        ("COMAKE_WEB_URL", var("COMAKE_BENCH_WEB")),
        ("COMAKE_API_KEY", SimOptions::default().api_key),
        ("COMAKE_API_SECRET", SimOptions::default().api_secret),
        ("COMMANDS_PER_MINUTE", "1000000".into()),
        ("DISCORD_GUILD_IDS", "1".into()),
    ]
    .into_iter()
    .collect();
    let mut vars = vars;
    match std::env::var("COMAKE_BENCH_DATABASE_URL") {
        Ok(url) => {
            vars.insert("DATABASE_URL", url);
            vars.insert(
                "STATE_KEY",
                "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=".into(),
            );
        }
        Err(_) => {
            vars.insert("DATABASE_PATH", var("COMAKE_BENCH_STORE"));
        }
    }
    let config = Config::from_lookup(move |k| vars.get(k).cloned()).expect("config");
    let senders: u64 = var("COMAKE_BENCH_SENDERS").parse().unwrap();
    let base: u64 = var("COMAKE_BENCH_BASE").parse().unwrap();
    let report = rt.block_on(async move {
        let store = Store::open_configured(&config.database)
            .await
            .expect("store");
        let total = store.account_count().await.unwrap() as u64;
        let peak_after_open = peak_rss_kib();
        let app = app(&config, &store);
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..senders {
            let app = app.clone();
            tasks.spawn(async move {
                let mut n = 0u64;
                while Instant::now() < deadline {
                    run(&app, cmd(base + i, "contract list", &[])).await;
                    n += 1;
                }
                n
            });
        }
        let mut commands = 0;
        while let Some(n) = tasks.join_next().await {
            commands += n.unwrap();
        }
        let peak_after_commands = peak_rss_kib();
        let mut lookups = Vec::with_capacity(20_000);
        for n in 0..20_000u64 {
            let i = senders + (n * 7919) % (total - senders);
            let t = Instant::now();
            let found = store.account(1_000_000 + i).await.unwrap();
            lookups.push(t.elapsed());
            assert!(found.is_some(), "account {i} missing");
        }
        lookups.sort();
        let us = |p: f64| (percentile(&lookups, p).as_secs_f64() * 1e7).round() / 10.0;
        json!({
            "commands": commands,
            "peak_rss_kib": peak_rss_kib(),
            "peak_rss_kib_after_open": peak_after_open,
            "peak_rss_kib_after_commands": peak_after_commands,
            "threads": status_field("Threads:"),
            "lookup_p50_us": us(0.5),
            "lookup_p99_us": us(0.99),
        })
    });
    println!("{report}");
}

/// A KiB figure of the child's report in MiB, to a tenth.
fn kib_to_mib(kib: &Value) -> f64 {
    (kib.as_f64().unwrap_or(0.0) / 1024.0 * 10.0).round() / 10.0
}

fn peak_rss_kib() -> u64 {
    status_field("VmHWM:")
}

/// A number of this process's `/proc/self/status` (0 if unreadable).
fn status_field(name: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
