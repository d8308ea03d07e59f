//! Section 10: load on PostgreSQL: two bot processes on one database, 200 people issuing commands over the HTTP interactions endpoint for 60 s while the watcher runs and contracts move; errors, duplicate DMs and latency over the Comake floor.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use comake_bot::comake::wire::{ContractId, ContractStatus, SigneeInput};
use comake_bot::comake::Comake;
use comake_sim::{ComakeSim, SigneeAction};
use discord_stand_in::{FakeDiscord, InteractionSigner, APP_ID};
use serde_json::{json, Value};
use tokio::sync::oneshot;

use crate::postgres::{base_url, postgres_store};
use crate::support::{account, ms, percentile, ratio};

/// People issuing commands.
const PEOPLE: u64 = 200;
/// How long they do.
const RUN: Duration = Duration::from_secs(60);
/// Comake's latency per request: a warm `/contract list` is one request.
const FLOOR: Duration = Duration::from_millis(20);
/// A person's mean pause between commands (each waits for its answer).
const PAUSE: Duration = Duration::from_secs(1);
/// People whose contract moves during the run (their DMs are counted).
const MOVING: u64 = 20;
/// An answer later than this counts as an error.
const ANSWER_LIMIT: Duration = Duration::from_secs(10);
const ID0: u64 = 40_000_000;
const GUILD: u64 = 900_000_000_000_000_001;
const SEED: [u8; 32] = [7u8; 32];

fn email(i: u64) -> String {
    format!("load{i}@example.com")
}

/// A signed `/contract list` from `user` with a fresh interaction id.
fn list_payload(user: u64, id: u64) -> Value {
    json!({
        "id": id.to_string(),
        "application_id": APP_ID,
        "type": 2,
        "token": format!("load-token-{id}"),
        "version": 1,
        "locale": "en-US",
        "guild_id": GUILD.to_string(),
        "guild_locale": "en-US",
        "context": 0,
        "channel_id": "700000000000000001",
        "channel": {"id": "700000000000000001", "type": 0},
        "app_permissions": "2248473465835073",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD.to_string()},
        "attachment_size_limit": 10485760,
        "member": {
            "user": {"id": user.to_string(), "username": format!("user{user}"),
                     "discriminator": "0", "global_name": null, "avatar": null},
            "roles": [], "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "deaf": false, "mute": false, "flags": 0, "pending": false,
            "permissions": "3072",
        },
        "data": {"id": "555000000000000001", "name": "contract", "type": 1,
                 "options": [{"name": "list", "type": 1, "options": []}]},
    })
}

/// A bot process in http mode.
struct Bot {
    _child: tokio::process::Child,
    addr: std::net::SocketAddr,
    log: std::path::PathBuf,
}

fn free_addr() -> std::net::SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

impl Bot {
    async fn start(env: &[(&str, String)], dir: &std::path::Path, n: usize) -> Self {
        let addr = free_addr();
        let log = dir.join(format!("bot{n}.log"));
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_comake-bot"))
            .current_dir(dir)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .env("TRANSPORT", "http")
            .env("INTERACTIONS_ADDR", addr.to_string())
            .env("HEALTH_ADDR", free_addr().to_string())
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .kill_on_drop(true)
            .spawn()
            .expect("the bot binary");
        let deadline = Instant::now() + Duration::from_secs(30);
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            assert!(Instant::now() < deadline, "bot {n} never listened");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self {
            _child: child,
            addr,
            log,
        }
    }

    /// The ERROR lines of its log.
    fn errors(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("ERROR"))
            .map(str::to_owned)
            .collect()
    }
}

/// Answers awaited, by interaction token; a watcher of the fake Discord's
/// log fulfils them with the time each edit arrived there (the stand-in
/// stamps every call), so how often it looks does not change the figures.
type Waiting = Arc<Mutex<HashMap<String, oneshot::Sender<Instant>>>>;

fn watch_answers(fake: Arc<FakeDiscord>, waiting: Waiting) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut seen = 0;
        loop {
            let calls = fake.calls_since(seen);
            seen += calls.len();
            for call in calls.iter().filter(|c| c.method == "PATCH") {
                let token = call.path.split('/').find(|p| p.starts_with("load-token-"));
                if let Some(tx) = token.and_then(|t| waiting.lock().unwrap().remove(t)) {
                    let _ = tx.send(call.at);
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
}

/// One command through `bot`: its latency to the answer, or why not.
async fn command(
    signer: &InteractionSigner,
    bot: std::net::SocketAddr,
    waiting: &Waiting,
    user: u64,
    id: u64,
) -> Result<Duration, String> {
    let payload = list_payload(user, id);
    let (tx, rx) = oneshot::channel();
    waiting
        .lock()
        .unwrap()
        .insert(format!("load-token-{id}"), tx);
    let sent = Instant::now();
    let (status, first) = signer
        .post(bot, &payload)
        .await
        .map_err(|e| e.to_string())?;
    if status != 200 || first["type"] != 5 {
        return Err(format!("status {status}: {first}"));
    }
    match tokio::time::timeout(ANSWER_LIMIT, rx).await {
        Ok(Ok(at)) => Ok(at - sent),
        _ => Err("no answer".into()),
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores, {cpu}, {}", std::env::consts::ARCH)
}

/// The section's figures, or `None` without `TEST_DATABASE_URL`.
pub(crate) async fn section(sim: &ComakeSim, dir: &std::path::Path) -> Option<Value> {
    let Some(base) = base_url() else {
        println!("\n10. Load on PostgreSQL: skipped (set TEST_DATABASE_URL)");
        return None;
    };
    let (store, url) = postgres_store(&base).await;
    let fake = Arc::new(FakeDiscord::start().await);
    let signer = InteractionSigner::from_seed(SEED);
    let accounts: Vec<_> = (0..PEOPLE)
        .map(|i| {
            let _ = sim.add_user(&email(i), &format!("Person {i}"));
            account(ID0 + i, &email(i))
        })
        .collect();
    assert!(store
        .import(accounts, Vec::new(), false)
        .await
        .unwrap()
        .is_empty());
    // Person i's contract, out for signature to person i+1.
    let comake = Comake::new(crate::support::config(sim, dir).comake).expect("comake");
    let mut moving: Vec<ContractId> = Vec::new();
    for i in 0..MOVING {
        let id = sim
            .seed_contract(
                &email(i),
                &format!("Load {i}"),
                &["갑", "을"],
                ContractStatus::Saved,
            )
            .unwrap();
        let signee = |party: u32, who: u64| SigneeInput {
            party,
            name: format!("Person {who}"),
            email: email(who),
            phone: None,
            kakao: false,
            password: None,
            message: None,
        };
        sim.set_signees(&email(i), &id, vec![signee(0, i), signee(1, i + 1)])
            .unwrap();
        comake.user(&email(i)).request_sign(&id).await.unwrap();
        moving.push(id);
    }
    let env: Vec<(&str, String)> = vec![
        ("COMAKE_API_URL", sim.api_url().to_string()),
        ("COMAKE_WEB_URL", sim.web_url().to_string()),
        ("COMAKE_API_KEY", sim.options().api_key.clone()),
        ("COMAKE_API_SECRET", sim.options().api_secret.clone()),
        ("DISCORD_TOKEN", "fake-bot-token-0123456789".into()),
        ("DISCORD_HTTP_PROXY", fake.proxy_url()),
        ("DISCORD_PUBLIC_KEY", signer.public_key_hex()),
        ("DISCORD_APPLICATION_ID", APP_ID.into()),
        ("DISCORD_GUILD_IDS", GUILD.to_string()),
        ("DATABASE_URL", url),
        (
            "STATE_KEY",
            "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=".into(),
        ),
        ("NOTIFY_INTERVAL_SECS", "5".into()),
        ("NOTIFY_MAX_RPS", "100".into()),
        ("COMMANDS_PER_MINUTE", "1000".into()),
    ];
    let bots = [
        Bot::start(&env, dir, 0).await,
        Bot::start(&env, dir, 1).await,
    ];
    let waiting: Waiting = Arc::default();
    let watcher = watch_answers(fake.clone(), waiting.clone());
    let next_id = Arc::new(std::sync::atomic::AtomicU64::new(5_000_000_000));
    let id = || next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // Warm: each person once through each instance (logins, first reads),
    // and time for the watcher's silent first reads.
    for user in 0..PEOPLE {
        for bot in &bots {
            command(&signer, bot.addr, &waiting, ID0 + user, id())
                .await
                .expect("a warm-up command");
        }
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    let dm_calls_before = fake.calls().len();
    sim.set_latency(FLOOR);
    let started = Instant::now();
    let deadline = started + RUN;
    let mut people = tokio::task::JoinSet::new();
    for user in 0..PEOPLE {
        let (signer, waiting, next_id) = (
            InteractionSigner::from_seed(SEED),
            waiting.clone(),
            next_id.clone(),
        );
        let addrs = [bots[0].addr, bots[1].addr];
        people.spawn(async move {
            let mut times = Vec::new();
            let mut errors = Vec::new();
            let mut n = user as usize;
            // Spread the first commands over the first pause.
            let offset = PAUSE.as_millis() as u64 * user / PEOPLE;
            tokio::time::sleep(Duration::from_millis(offset)).await;
            while Instant::now() < deadline {
                let interaction = next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                match command(&signer, addrs[n % 2], &waiting, ID0 + user, interaction).await {
                    Ok(t) => times.push(t),
                    Err(e) => errors.push(e),
                }
                n += 1;
                let pause =
                    PAUSE.as_millis() as u64 / 2 + rand::random::<u64>() % PAUSE.as_millis() as u64;
                tokio::time::sleep(Duration::from_millis(pause)).await;
            }
            (times, errors)
        });
    }
    // Contracts move while they work: viewed at 20 s, signed at 40 s.
    for (at, action) in [(20, SigneeAction::View), (40, SigneeAction::Sign)] {
        tokio::time::sleep_until((started + Duration::from_secs(at)).into()).await;
        for id in &moving {
            sim.signee_acts(id, 1, action).unwrap();
        }
    }
    let (mut times, mut errors) = (Vec::new(), Vec::new());
    while let Some(done) = people.join_next().await {
        let (t, e) = done.unwrap();
        times.extend(t);
        errors.extend(e);
    }
    // The watcher's last reads (every 5 s for contracts in motion).
    tokio::time::sleep(Duration::from_secs(12)).await;
    sim.set_latency(Duration::ZERO);
    watcher.abort();
    let log_lines: Vec<String> = bots.iter().flat_map(Bot::errors).collect();
    let log_errors = log_lines.len();
    let dms: Vec<(String, String)> = fake
        .calls_since(dm_calls_before)
        .into_iter()
        .filter(|c| {
            c.method == "POST" && c.path.contains("/channels/") && c.path.ends_with("/messages")
        })
        .map(|c| (c.path, c.body.to_string()))
        .collect();
    let distinct: HashSet<&(String, String)> = dms.iter().collect();
    let duplicates = dms.len() - distinct.len();
    times.sort();
    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    let date = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
    let machine = machine();
    println!(
        "\n10. Load on PostgreSQL ({machine}; {date}): two instances, {PEOPLE} people, {}s of \
         /contract list over HTTP (a pause of about {} s each), watcher on, {MOVING} contracts moving",
        RUN.as_secs(),
        PAUSE.as_secs()
    );
    println!(
        "   {} commands, {} errors ({} ERROR lines in the logs), {} DMs, {duplicates} duplicate; \
         p50 {} ms ({}x the {} ms floor), p99 {} ms ({}x floor)",
        times.len(),
        errors.len(),
        log_errors,
        dms.len(),
        ms(p50),
        ratio(p50, FLOOR),
        FLOOR.as_millis(),
        ms(p99),
        ratio(p99, FLOOR),
    );
    if let Some(first) = errors.first() {
        println!("   first error: {first}");
    }
    if let Some(first) = log_lines.first() {
        println!("   first ERROR line: {first}");
    }
    drop(bots);
    Some(json!({
        "machine": machine,
        "date": date,
        "instances": 2,
        "people": PEOPLE,
        "seconds": RUN.as_secs(),
        "commands": times.len(),
        "errors": errors.len(),
        "error_lines_in_logs": log_errors,
        "dms": dms.len(),
        "duplicate_dms": duplicates,
        "floor_ms": FLOOR.as_millis() as u64,
        "p50_ms": ms(p50),
        "p99_ms": ms(p99),
        "p50_over_floor": ratio(p50, FLOOR),
        "p99_over_floor": ratio(p99, FLOOR),
        "note": "each person sends /contract list through the two instances in turn, \
                 signed, and waits for the answer's edit at the fake Discord; a pause \
                 of 0.5-1.5 s between commands",
    }))
}
