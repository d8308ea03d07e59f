//! What a command costs: Comake round trips, latency over the floor Comake sets, throughput, CPU, memory and the store, against the naive integration, in one run.
//!
//! `cargo bench --bench commands` prints a table and writes the same figures
//! to `target/bench/commands.json`. The simulator runs on its own runtime
//! thread ("sim"), the bot on another ("bot-worker"), so CPU is counted for
//! the bot's threads alone.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use comake_bot::app::App;
use comake_bot::comake::wire::{ContractStatus, Endpoint};
use comake_bot::comake::Comake;
use comake_bot::config::Config;
use comake_bot::handlers::{dispatch, DeliveryError, Invocation, Kind, OptValue, Responder};
use comake_bot::store::{Account, LinkMethod, Store};
use comake_sim::{ComakeSim, SimOptions};
use secrecy::SecretString;
use serde_json::{json, Value};

/// A responder that keeps the last body (to find buttons) and nothing else.
#[derive(Default)]
struct Last(std::sync::Mutex<Option<Value>>);

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
    fn button(&self, prefix: &str) -> String {
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

fn cmd(user: u64, command: &str, options: &[(&str, OptValue)]) -> Invocation {
    invocation(user, Kind::Command, command, options, "")
}

fn press(user: u64, custom_id: &str) -> Invocation {
    invocation(user, Kind::Component, "", &[], custom_id)
}

fn s(v: &str) -> OptValue {
    OptValue::Str(v.into())
}

fn config(sim: &ComakeSim, dir: &std::path::Path) -> Config {
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

/// A store on a fresh schema of the PostgreSQL at `base`.
async fn postgres_store(base: &str) -> Store {
    let (admin, connection) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .expect("TEST_DATABASE_URL");
    tokio::spawn(connection);
    let schema = format!("bench_{:016x}", rand::random::<u64>());
    admin
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .expect("schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let options = comake_bot::store::PgOptions {
        url: secrecy::SecretString::from(format!("{base}{sep}options=-c%20search_path%3D{schema}")),
        max_connections: 16,
        state_key: Arc::new(secrecy::SecretVec::new(vec![1u8; 32])),
    };
    Store::connect(&options).await.expect("postgres store")
}

fn account(id: u64, email: &str) -> Account {
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

fn email(i: u64) -> String {
    format!("user{i}@example.com")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// CPU time of this process's threads whose name starts with `prefix`.
fn thread_cpu(prefix: &str) -> Duration {
    let ticks: f64 = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0);
    let mut total = 0u64;
    for entry in std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
    {
        let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
        if !comm.trim().starts_with(prefix) {
            continue;
        }
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // Fields after the ")" that closes the name: state is field 3; utime 14, stime 15.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let utime: u64 = fields.get(11).and_then(|f| f.parse().ok()).unwrap_or(0);
        let stime: u64 = fields.get(12).and_then(|f| f.parse().ok()).unwrap_or(0);
        total += utime + stime;
    }
    Duration::from_secs_f64(total as f64 / ticks)
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Comake requests made while `f` ran, by endpoint.
async fn requests_during<F: std::future::Future<Output = ()>>(
    sim: &ComakeSim,
    f: F,
) -> BTreeMap<&'static str, usize> {
    let before = sim.requests().len();
    f.await;
    let mut counts = BTreeMap::new();
    for r in &sim.requests()[before..] {
        *counts.entry(r.endpoint.unwrap_or("other")).or_default() += 1;
    }
    counts
}

async fn run(app: &App, inv: Invocation) -> Last {
    let last = Last::default();
    let outcome = dispatch(app, &inv, &last).await;
    assert_ne!(
        outcome.result, "error",
        "{} failed in the benchmark",
        outcome.name
    );
    last
}

const CHILD: &str = "COMAKE_BENCH_CHILD";

/// The memory child: a bot process with a big store, serving warm lists.
fn memory_child() {
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
        ("DATABASE_PATH", var("COMAKE_BENCH_STORE")),
    ]
    .into_iter()
    .collect();
    let config = Config::from_lookup(move |k| vars.get(k).cloned()).expect("config");
    let senders: u64 = var("COMAKE_BENCH_SENDERS").parse().unwrap();
    let base: u64 = var("COMAKE_BENCH_BASE").parse().unwrap();
    let report = rt.block_on(async move {
        let store = Store::open_configured(&config.database)
            .await
            .expect("store");
        let total = store.account_count().await.unwrap() as u64;
        let app = Arc::new(
            App::new(
                config.clone(),
                Comake::new(config.comake.clone()).unwrap(),
                store.clone(),
            )
            .unwrap(),
        );
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
        let mut lookups = Vec::with_capacity(20_000);
        for n in 0..20_000u64 {
            let i = senders + (n * 7919) % (total - senders);
            let t = Instant::now();
            let found = store.account(1_000_000 + i).await.unwrap();
            lookups.push(t.elapsed());
            assert!(found.is_some(), "account {i} missing");
        }
        lookups.sort();
        json!({
            "commands": commands,
            "peak_rss_kib": peak_rss_kib(),
            "lookup_p50_us": (percentile(&lookups, 0.5).as_secs_f64() * 1e7).round() / 10.0,
            "lookup_p99_us": (percentile(&lookups, 0.99).as_secs_f64() * 1e7).round() / 10.0,
        })
    });
    println!("{report}");
}

#[path = "commands/notify_model.rs"]
mod notify_model;

/// Section 8: the simulated week, fixed against adaptive, at two caps.
fn notification_workload() -> Value {
    use notify_model::Kind;
    let started = Instant::now();
    let week = notify_model::Workload::generate(5_000, 7, 20261128);
    let policy = comake_bot::notify::schedule::Policy {
        active: Duration::from_secs(60),
        max_idle: Duration::from_secs(3600),
    };
    println!("\n8. Notifications: 5,000 linked people, a simulated week (10% send a day to 1-3 signees, half linked; 2% receive from outside)");
    println!(
        "   {:<24} {:>9} {:>9} {:>8}  {:>22}  {:>22}  {:>22}  {:>6} {:>5}",
        "watcher",
        "reqs/h",
        "reqs/evt",
        "events",
        "sent out p50/p95/max s",
        "between p50/p95/max s",
        "outside p50/p95/max s",
        "missed",
        "dups"
    );
    let mut rows = Vec::new();
    for rps in [20u32, 5] {
        let fixed = notify_model::fixed(&week, rps, Duration::from_secs(300));
        let adaptive = notify_model::adaptive(&week, rps, policy);
        for (name, o) in [
            (format!("fixed 300 s, {rps} rps"), &fixed),
            (format!("adaptive, {rps} rps"), &adaptive),
        ] {
            let per_hour = o.requests as f64 / o.hours;
            let triple = |k: Kind| {
                format!(
                    "{:.0}/{:.0}/{:.0}",
                    o.percentile(k, 0.5),
                    o.percentile(k, 0.95),
                    o.percentile(k, 1.0)
                )
            };
            println!(
                "   {name:<24} {:>9.0} {:>9.2} {:>8}  {:>22}  {:>22}  {:>22}  {:>6} {:>5}",
                per_hour,
                o.requests as f64 / o.announced.max(1) as f64,
                o.announced,
                triple(Kind::SentOut),
                triple(Kind::Between),
                triple(Kind::FromOutside),
                o.missed,
                o.duplicates
            );
            let kind = |k: Kind| json!({"p50_s": o.percentile(k, 0.5).round(), "p95_s": o.percentile(k, 0.95).round(), "max_s": o.percentile(k, 1.0).round()});
            rows.push(json!({
                "watcher": name,
                "max_rps": rps,
                "requests_per_hour": per_hour.round(),
                "requests_per_event": (o.requests as f64 / o.announced.max(1) as f64 * 100.0).round() / 100.0,
                "events": o.announced,
                "missed": o.missed,
                "duplicates": o.duplicates,
                "sent_by_linked_people": kind(Kind::SentOut),
                "between_linked_people": kind(Kind::Between),
                "from_outside": kind(Kind::FromOutside),
            }));
        }
        let ratio =
            adaptive.requests as f64 / adaptive.hours / (fixed.requests as f64 / fixed.hours);
        println!("   at {rps} rps: adaptive / fixed Comake requests per hour = {ratio:.3}");
        rows.push(json!({"max_rps": rps, "adaptive_over_fixed_requests": (ratio * 1000.0).round() / 1000.0}));
    }
    println!("   (model run in {:.1} s)", started.elapsed().as_secs_f64());
    Value::Array(rows)
}

fn main() {
    if std::env::var(CHILD).is_ok() {
        return memory_child();
    }
    // `cargo test --all-targets` runs bench targets too, without `--bench`:
    // the measurements are for an optimized build only.
    if !std::env::args().any(|a| a == "--bench") {
        println!("commands benchmark: run it with `cargo bench --bench commands`");
        return;
    }
    // `cargo bench --bench commands -- notifications`: section 8 alone.
    if std::env::args().any(|a| a == "notifications") {
        notification_workload();
        return;
    }
    let sim_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("sim")
        .enable_all()
        .build()
        .expect("sim runtime");
    let bot_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(16)
        .thread_name("bot-worker")
        .enable_all()
        .build()
        .expect("bot runtime");
    let sim = sim_rt
        .block_on(ComakeSim::start(SimOptions::default()))
        .expect("simulator");
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(&sim, dir.path());
    let store = Store::open(dir.path().join("store")).expect("store");
    let mut report = serde_json::Map::new();
    println!("comake-bot benchmark (simulator on 127.0.0.1, store in a temp dir)\n");

    bot_rt.block_on(async {
        // ----- 1. round trips per command, warm -----
        let app = App::new(config.clone(), Comake::new(config.comake.clone()).unwrap(), store.clone()).unwrap();
        let kim = 1u64;
        sim.add_user("kim@example.com", "Kim").unwrap();
        store.link(account(kim, "kim@example.com"), false).await.unwrap();
        sim.add_user("lee@example.com", "Lee").unwrap();
        let id = sim.seed_contract("kim@example.com", "NDA", &["갑", "을"], ContractStatus::Saved).unwrap();
        let cid = || s(id.as_str());
        // Warm the admin and Kim's client token.
        run(&app, cmd(kim, "contract list", &[])).await;
        let mut rows: Vec<(String, usize, usize, BTreeMap<&'static str, usize>)> = Vec::new();
        let mut measure = |name: &str, minimum: usize, counts: BTreeMap<&'static str, usize>| {
            rows.push((name.to_owned(), counts.values().sum(), minimum, counts));
        };
        measure("comake whoami", 0, requests_during(&sim, async { run(&app, cmd(kim, "comake whoami", &[])).await; }).await);
        measure("contract list", 1, requests_during(&sim, async { run(&app, cmd(kim, "contract list", &[])).await; }).await);
        measure("contract show", 1, requests_during(&sim, async { run(&app, cmd(kim, "contract show", &[("contract", cid())])).await; }).await);
        measure("contract new", 1, requests_during(&sim, async { run(&app, cmd(kim, "contract new", &[])).await; }).await);
        measure("contract edit", 2, requests_during(&sim, async { run(&app, cmd(kim, "contract edit", &[("contract", cid())])).await; }).await);
        measure("contract rename", 1, requests_during(&sim, async { run(&app, cmd(kim, "contract rename", &[("contract", cid()), ("name", s("NDA v2"))])).await; }).await);
        measure(
            "contract signee",
            2,
            requests_during(&sim, async {
                run(&app, cmd(kim, "contract signee", &[("contract", cid()), ("party", s("0")), ("name", s("Kim")), ("email", s("kim@example.com"))])).await;
            })
            .await,
        );
        let preview = run(&app, cmd(kim, "contract request-sign", &[("contract", cid()), ("name", s("Lee")), ("email", s("lee@example.com"))])).await;
        measure("contract request-sign (preview)", 1, BTreeMap::from([("get_contract", 1)]));
        let send = preview.button("c:ok:");
        measure("contract request-sign (Send, setting 1 signee)", 3, requests_during(&sim, async { run(&app, press(kim, &send)).await; }).await);
        let mut cancel_btn = String::new();
        measure(
            "contract cancel-sign (preview)",
            1,
            requests_during(&sim, async {
                cancel_btn = run(&app, cmd(kim, "contract cancel-sign", &[("contract", cid())])).await.button("c:ok:");
            })
            .await,
        );
        measure("contract cancel-sign (Confirm)", 2, requests_during(&sim, async { run(&app, press(kim, &cancel_btn)).await; }).await);
        let mut delete_btn = String::new();
        measure(
            "contract delete (preview)",
            1,
            requests_during(&sim, async {
                delete_btn = run(&app, cmd(kim, "contract delete", &[("contract", cid())])).await.button("c:ok:");
            })
            .await,
        );
        measure("contract delete (Confirm)", 2, requests_during(&sim, async { run(&app, press(kim, &delete_btn)).await; }).await);
        // `/comake register` makes its one Comake request when the mailed
        // code is entered (tests/it count it); the benchmark has no mail.
        measure(
            "comake-admin link",
            1,
            requests_during(&sim, async {
                let mut link = cmd(3, "comake-admin link", &[("user", OptValue::User(4)), ("email", s("lee@example.com"))]);
                // The member being linked is in the server (Discord resolves it).
                link.members = vec![4];
                run(&app, link).await;
            })
            .await,
        );
        println!("1. Comake round trips per command, warm (tokens cached)");
        println!("   {:<48} {:>5} {:>5}  requests", "command", "made", "min");
        let mut rt = Vec::new();
        for (name, made, min, counts) in &rows {
            println!("   {name:<48} {made:>5} {min:>5}  {counts:?}");
            rt.push(json!({"command": name, "requests": made, "minimum": min, "by_endpoint": counts, "at_minimum": made == min}));
        }
        report.insert("round_trips_warm".into(), Value::Array(rt));

        // ----- 2. cold burst -----
        let users = 500u64;
        let base = 10_000u64;
        let mut accounts = Vec::new();
        for i in 0..users {
            sim.add_user(&email(base + i), "U").unwrap();
            accounts.push(account(base + i, &email(base + i)));
        }
        store.import(accounts, Vec::new(), false).await.unwrap();
        let cold = Arc::new(App::new(config.clone(), Comake::new(config.comake.clone()).unwrap(), store.clone()).unwrap());
        let before = sim.requests().len();
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..users {
            let app = cold.clone();
            tasks.spawn(async move {
                let t = Instant::now();
                run(&app, cmd(base + i, "contract list", &[])).await;
                t.elapsed()
            });
        }
        let mut lat: Vec<Duration> = Vec::new();
        while let Some(r) = tasks.join_next().await {
            lat.push(r.unwrap());
        }
        let wall = started.elapsed();
        lat.sort();
        let log = &sim.requests()[before..];
        let count = |ep: Endpoint| log.iter().filter(|r| r.endpoint == Some(ep.name())).count();
        let burst = json!({
            "users": users,
            "login_admin": count(Endpoint::LoginAdmin),
            "login_client": count(Endpoint::LoginClient),
            "list": count(Endpoint::ListContracts),
            "p50_ms": ms(percentile(&lat, 0.5)),
            "p99_ms": ms(percentile(&lat, 0.99)),
            "wall_ms": ms(wall),
        });
        println!("\n2. Cold burst: {users} linked users run /contract list at once, nothing cached");
        println!(
            "   login-admin {} (target 1), login-client {} (target {users}), list {} (target {users}); p50 {} ms, p99 {} ms, all done in {} ms",
            burst["login_admin"], burst["login_client"], burst["list"], burst["p50_ms"], burst["p99_ms"], burst["wall_ms"]
        );
        report.insert("cold_burst".into(), burst);

        // ----- 3 and 4. latency over the floor, ours and naive -----
        let latency = Duration::from_millis(20);
        sim.set_latency(latency);
        let show_id = sim.seed_contract("kim@example.com", "Lease", &["갑"], ContractStatus::Saved).unwrap();
        let samples = 120;
        let scenarios: [(&str, usize, usize); 3] = [("contract list", 1, 3), ("contract show", 1, 3), ("contract new", 1, 2)];
        let mut floor_rows = Vec::new();
        println!("\n3-4. Latency over the floor (simulator adds {} ms to every request), {samples} runs each", latency.as_millis());
        println!("   {:<14} {:>6} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10} {:>9}", "command", "floor", "p50 ms", "p99 ms", "p50/flr", "p99/flr", "naive p50", "naive p99", "reqs o/n");
        for (name, trips, naive_trips) in scenarios {
            let floor = latency * trips as u32;
            let inv = |u| match name {
                "contract show" => cmd(u, name, &[("contract", s(show_id.as_str()))]),
                _ => cmd(u, name, &[]),
            };
            // Ours: warm.
            run(&app, inv(kim)).await;
            let mut ours = Vec::new();
            let before = sim.requests().len();
            for _ in 0..samples {
                let t = Instant::now();
                run(&app, inv(kim)).await;
                ours.push(t.elapsed());
            }
            let ours_reqs = (sim.requests().len() - before) as f64 / samples as f64;
            // Naive: a client with nothing cached for every command (built
            // before the clock starts), so admin and user log in each time.
            let mut naive = Vec::new();
            let before = sim.requests().len();
            for _ in 0..samples {
                let fresh = App::new(config.clone(), Comake::new(config.comake.clone()).unwrap(), store.clone()).unwrap();
                let t = Instant::now();
                run(&fresh, inv(kim)).await;
                naive.push(t.elapsed());
            }
            let naive_reqs = (sim.requests().len() - before) as f64 / samples as f64;
            ours.sort();
            naive.sort();
            let (p50, p99) = (percentile(&ours, 0.5), percentile(&ours, 0.99));
            let (n50, n99) = (percentile(&naive, 0.5), percentile(&naive, 0.99));
            let ratio = |a: Duration, b: Duration| (a.as_secs_f64() / b.as_secs_f64() * 1000.0).round() / 1000.0;
            println!(
                "   {name:<14} {:>6} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10} {:>4}/{:<4}",
                ms(floor), ms(p50), ms(p99), ratio(p50, floor), ratio(p99, floor), ms(n50), ms(n99), ours_reqs, naive_reqs
            );
            floor_rows.push(json!({
                "command": name,
                "round_trips": trips,
                "floor_ms": ms(floor),
                "p50_ms": ms(p50),
                "p99_ms": ms(p99),
                "p50_over_floor": ratio(p50, floor),
                "p99_over_floor": ratio(p99, floor),
                "naive_round_trips": naive_trips,
                "naive_p50_ms": ms(n50),
                "naive_p99_ms": ms(n99),
                "p50_ours_over_naive": ratio(p50, n50),
                "p99_ours_over_naive": ratio(p99, n99),
                "requests_ours": ours_reqs,
                "requests_naive": naive_reqs,
                "requests_ours_over_naive": (ours_reqs / naive_reqs * 1000.0).round() / 1000.0,
            }));
        }
        report.insert("latency_over_floor".into(), Value::Array(floor_rows));
        sim.set_latency(Duration::ZERO);

        // ----- 5. throughput and CPU -----
        let senders = 100u64;
        for i in 0..senders {
            run(&app, cmd(base + i, "contract list", &[])).await; // warm each user
        }
        let run_for = Duration::from_secs(10);
        let cpu_before = thread_cpu("bot-worker");
        let started = Instant::now();
        let deadline = started + run_for;
        let app_shared = Arc::new(app);
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..senders {
            let app = app_shared.clone();
            tasks.spawn(async move {
                let mut n = 0u64;
                while Instant::now() < deadline {
                    run(&app, cmd(base + i, "contract list", &[])).await;
                    n += 1;
                }
                n
            });
        }
        let mut done = 0u64;
        while let Some(n) = tasks.join_next().await {
            done += n.unwrap();
        }
        let elapsed = started.elapsed();
        let cpu = thread_cpu("bot-worker").saturating_sub(cpu_before);
        let throughput = json!({
            "users": senders,
            "seconds": elapsed.as_secs_f64(),
            "commands": done,
            "commands_per_second": (done as f64 / elapsed.as_secs_f64()).round(),
            "bot_cpu_us_per_command": (cpu.as_secs_f64() * 1e6 / done.max(1) as f64).round(),
            "note": "CPU of the bot's runtime threads only; the simulator runs on its own thread",
        });
        println!(
            "\n5. Throughput: {senders} users, warm /contract list, simulator at 0 ms for {:.1} s: {} commands, {} commands/s, {} µs of bot CPU per command",
            elapsed.as_secs_f64(), done, throughput["commands_per_second"], throughput["bot_cpu_us_per_command"]
        );
        report.insert("throughput".into(), throughput);

        // ----- 6. memory and the store -----
        // The bot's memory is measured in a process of its own (this
        // benchmark re-run as a child), so the simulator and the figures kept
        // here do not count: it opens a store of 100,000 linked accounts and
        // serves warm /contract list from 100 users, as in scenario 5.
        let total = 100_000u64;
        let mem_path = dir.path().join("memory-store");
        {
            let big = Store::open(&mem_path).unwrap();
            let mut batch = Vec::new();
            for i in 0..total {
                let (id, mail) = if i < senders { (base + i, email(base + i)) } else { (1_000_000 + i, format!("bulk{i}@example.com")) };
                batch.push(account(id, &mail));
                if batch.len() == 10_000 {
                    big.import(std::mem::take(&mut batch), Vec::new(), false).await.unwrap();
                }
            }
            big.import(batch, Vec::new(), false).await.unwrap();
            assert_eq!(big.account_count().await.unwrap() as u64, total);
        }
        let child = tokio::process::Command::new(std::env::current_exe().unwrap())
            .env(CHILD, "memory")
            .env("COMAKE_BENCH_STORE", &mem_path)
            .env("COMAKE_BENCH_API", sim.api_url().as_str())
            .env("COMAKE_BENCH_WEB", sim.web_url().as_str())
            .env("COMAKE_BENCH_SENDERS", senders.to_string())
            .env("COMAKE_BENCH_BASE", base.to_string())
            .output()
            .await
            .unwrap();
        let child_report: Value = serde_json::from_slice(&child.stdout)
            .unwrap_or_else(|e| panic!("the memory child failed ({e}): {}", String::from_utf8_lossy(&child.stderr)));
        let sequential = 200u64;
        let t = Instant::now();
        for i in 0..sequential {
            store.link(account(5_000_000 + i, &format!("seq{i}@example.com")), false).await.unwrap();
        }
        let seq_rate = sequential as f64 / t.elapsed().as_secs_f64();
        let concurrent = 400u64;
        let t = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..concurrent {
            let store = store.clone();
            tasks.spawn(async move { store.link(account(6_000_000 + i, &format!("con{i}@example.com")), false).await.map(|_| ()) });
        }
        while let Some(r) = tasks.join_next().await {
            r.unwrap().unwrap();
        }
        let con_rate = concurrent as f64 / t.elapsed().as_secs_f64();
        let rss_mib = child_report["peak_rss_kib"].as_f64().unwrap_or(0.0) / 1024.0;
        let memory = json!({
            "accounts": total,
            "commands_served_before_measuring": child_report["commands"],
            "peak_rss_mib": (rss_mib * 10.0).round() / 10.0,
            "peak_rss_over_64_mib_target": (rss_mib / 64.0 * 1000.0).round() / 1000.0,
            "lookup_p50_us": child_report["lookup_p50_us"],
            "lookup_p99_us": child_report["lookup_p99_us"],
            "durable_links_per_second_sequential": seq_rate.round(),
            "durable_links_per_second_concurrent": con_rate.round(),
            "note": "peak RSS (VmHWM) of a bot process holding 100,000 linked accounts after serving warm /contract list from 100 users; lookups in that process",
        });
        println!(
            "\n6. Memory and store: {} accounts, peak RSS {} MiB ({}x the 64 MiB target); lookup p50 {} µs, p99 {} µs; durable links {}/s one at a time, {}/s {concurrent} at once",
            memory["accounts"], memory["peak_rss_mib"], memory["peak_rss_over_64_mib_target"], memory["lookup_p50_us"], memory["lookup_p99_us"],
            memory["durable_links_per_second_sequential"], memory["durable_links_per_second_concurrent"]
        );
        report.insert("memory_and_store".into(), memory);

        // ----- 8. notifications at company scale -----
        report.insert("notifications".into(), notification_workload());

        // ----- 7. PostgreSQL next to sled -----
        match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty()) {
            None => println!("\n7. PostgreSQL: skipped (set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)"),
            Some(base_url) => {
                let pg = postgres_store(&base_url).await;
                let sled_store = Store::open(dir.path().join("store-7")).unwrap();
                let latency = Duration::from_millis(20);
                let samples = 120;
                let mut rows = Vec::new();
                println!("\n7. PostgreSQL next to sled: warm /contract list over the floor ({} ms, one round trip), {samples} runs; durable links", latency.as_millis());
                for (kind, store) in [("sled", sled_store), ("postgres", pg)] {
                    let app = App::new(config.clone(), Comake::new(config.comake.clone()).unwrap(), store.clone()).unwrap();
                    store.link(account(kim, "kim@example.com"), false).await.unwrap();
                    sim.set_latency(latency);
                    run(&app, cmd(kim, "contract list", &[])).await;
                    let mut times = Vec::new();
                    for _ in 0..samples {
                        let t = Instant::now();
                        run(&app, cmd(kim, "contract list", &[])).await;
                        times.push(t.elapsed());
                    }
                    sim.set_latency(Duration::ZERO);
                    times.sort();
                    let floor = latency; // a warm list is one round trip
                    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
                    let over = |d: Duration| ((d.as_secs_f64() / floor.as_secs_f64()) * 1000.0).round() / 1000.0;
                    let n = 200u64;
                    let t = Instant::now();
                    for i in 0..n {
                        store.link(account(7_000_000 + i, &format!("pg-seq{i}@example.com")), false).await.unwrap();
                    }
                    let seq = n as f64 / t.elapsed().as_secs_f64();
                    let t = Instant::now();
                    let mut tasks = tokio::task::JoinSet::new();
                    for i in 0..400u64 {
                        let store = store.clone();
                        tasks.spawn(async move { store.link(account(8_000_000 + i, &format!("pg-con{i}@example.com")), false).await.map(|_| ()) });
                    }
                    while let Some(r) = tasks.join_next().await {
                        r.unwrap().unwrap();
                    }
                    let con = 400.0 / t.elapsed().as_secs_f64();
                    println!(
                        "   {kind:<9} list p50 {:>7} ms ({}x floor), p99 {:>7} ms ({}x floor); durable links {:>6}/s one at a time, {:>6}/s 400 at once",
                        ms(p50), over(p50), ms(p99), over(p99), seq.round(), con.round()
                    );
                    rows.push(json!({
                        "store": kind,
                        "list_p50_ms": ms(p50),
                        "list_p99_ms": ms(p99),
                        "list_p50_over_floor": over(p50),
                        "list_p99_over_floor": over(p99),
                        "durable_links_per_second_sequential": seq.round(),
                        "durable_links_per_second_concurrent": con.round(),
                    }));
                }
                report.insert("postgres_next_to_sled".into(), Value::Array(rows));
            }
        }
    });

    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/commands.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(
        &out,
        serde_json::to_string_pretty(&Value::Object(report)).unwrap(),
    )
    .unwrap();
    println!("\nwrote {}", out.display());
}
