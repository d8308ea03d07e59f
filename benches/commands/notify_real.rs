//! Section 11: the model checked against the real watcher — its store, its paced client and its schedule — reading 500 linked people in the simulator through a scripted stretch, with tokio's clock moved forward to each next job or scripted act (hours pass in about a minute); Comake requests an hour, time to DM, missed and duplicate DMs, next to the model's prediction for the same script.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use comake_bot::api::app::App;
use comake_bot::api::config::Config;
use comake_bot::api::notify::schedule::Policy;
use comake_bot::api::notify::{self, Watcher};
use comake_bot::api::store::Store;
use comake_bot::comake::wire::{ContractId, ContractStatus, Endpoint, SigneeInput};
use comake_bot::comake::Comake;
use comake_sim::{ComakeSim, SigneeAction, SimOptions};
use discord_stand_in::FakeDiscord;
use serde_json::{json, Value};

use crate::notify_model::{self, Kind, Outcome, Rates, Workload};

/// The people read.
const PEOPLE: usize = 500;
/// The first of their Discord ids (18 digits, as Discord's).
const FIRST_ID: u64 = 100_000_000_000_000_000;
/// The pacer's cap: high enough that the stretch runs in about a minute
/// (the pacer waits in real time), the same for the model.
const MAX_RPS: u32 = 200;
/// The watcher's settings, the defaults.
const INTERVAL: u64 = 60;
const MAX_IDLE: u64 = 1080;
/// Within this the real watcher's figures must agree with the model's.
const TOLERANCE: f64 = 0.15;

/// One act of the script, played at its time.
enum Act {
    /// `sender` sends contract `c`: a command of theirs, and a signature
    /// request to each linked signee (both hints to the watcher).
    Send(usize),
    /// Signee `k` of sent contract `c` signs.
    Sign(usize, usize),
    /// A contract from outside reaches its linked person.
    Arrive(usize),
    /// They sign it.
    SignArrived(usize),
}

/// A change the watcher should announce: to whom, what the DM line holds,
/// its kind, and when it happened (set when played).
struct Expect {
    /// For a contract from outside, which: moot once its recipient signed
    /// it before any read saw it waiting on them.
    outside: Option<usize>,
    user: usize,
    line: String,
    /// What says it too: the last signatures of a contract are announced
    /// as its completion.
    or: Option<String>,
    kind: Kind,
    at: Option<f64>,
    dm_at: Option<f64>,
}

fn id(user: usize) -> u64 {
    FIRST_ID + user as u64
}

fn email(user: usize) -> String {
    format!("person{user}@company.example")
}

/// The DM channel the Discord stand-in opens for `user`.
fn channel(user: u64) -> String {
    format!("/api/v10/channels/9{}/messages", &user.to_string()[1..])
}

fn signee(party: u32, name: &str, email: &str) -> SigneeInput {
    SigneeInput {
        party,
        name: name.into(),
        email: email.into(),
        phone: None,
        kakao: false,
        password: None,
        message: None,
    }
}

pub(crate) fn section(sim_rt: &tokio::runtime::Runtime) -> Value {
    let started = Instant::now();
    let rates = Rates {
        periods: 1,
        period: 4.0 * 3600.0,
        send: 0.12,
        outside: 0.12,
        act_mean: 3600.0,
    };
    let script = Workload::generate_with(PEOPLE, rates, 20261205);
    let policy = Policy {
        active: Duration::from_secs(INTERVAL),
        max_idle: Duration::from_secs(MAX_IDLE),
    };
    let model = notify_model::adaptive(&script, MAX_RPS, policy);
    let sim = sim_rt
        .block_on(ComakeSim::start(SimOptions::default()))
        .expect("simulator");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // Both sides stop by the same rule: once the script is over and every
    // change was told (or was moot), or a day after the model's own bound.
    // Cutting the real run at the model's last moment instead counted a
    // signature made minutes before that moment as missed when the real
    // schedule's next read of its sender fell just after it.
    let real = rt.block_on(play(&sim, &script, script.seconds + 2.0 * 86_400.0));
    println!(
        "\n11. The model against the real watcher: {PEOPLE} people, a {:.1} h script \
         ({} sent, {} from outside), NOTIFY_MAX_RPS={MAX_RPS}, NOTIFY_MAX_IDLE_SECS={MAX_IDLE}; \
         each side runs until every change was told: model {:.1} h, real {:.1} h",
        script.seconds / 3600.0,
        script.sent.len(),
        script.from_outside.len(),
        model.hours,
        real.hours,
    );
    let mut rows = Vec::new();
    let mut worst: f64 = 0.0;
    let mut compare = |what: &str, model: f64, real: f64, floor: f64| {
        let ratio = if model.max(real) < floor {
            1.0
        } else {
            real / model.max(f64::EPSILON)
        };
        worst = worst.max((ratio - 1.0).abs());
        println!("   {what:<34} model {model:>9.1}   real {real:>9.1}   real / model {ratio:>6.3}");
        rows.push(json!({
            "figure": what,
            "model": (model * 10.0).round() / 10.0,
            "real": (real * 10.0).round() / 10.0,
            "ratio": (ratio * 1000.0).round() / 1000.0,
        }));
    };
    compare(
        "Comake requests / hour",
        model.requests as f64 / model.hours,
        real.requests as f64 / real.hours,
        0.0,
    );
    // Latencies under 5 s are a hint's read at once, on both sides: their
    // ratio says nothing.
    for (kind, name) in [
        (Kind::SentOut, "sent out"),
        (Kind::Between, "between linked people"),
        (Kind::FromOutside, "from outside"),
    ] {
        for (p, label) in [(0.5, "p50"), (0.95, "p95")] {
            compare(
                &format!("{name} {label} s"),
                model.percentile(kind, p),
                real.percentile(kind, p),
                5.0,
            );
        }
    }
    println!(
        "   {:<34} model {:>5} / {:<5}    real {:>5} / {:<5}",
        "of them logins / detail reads", model.logins, model.details, real.logins, real.details
    );
    println!(
        "   {:<34} model {:>9}   real {:>9}",
        "reads", model.reads, real.reads
    );
    println!(
        "   {:<34} model {:>9}   real {:>9}",
        "from outside, signed before a read", model.moot, real.moot
    );
    println!(
        "   {:<34} model {:>4} / {:<4}      real {:>4} / {:<4}",
        "missed / duplicate DMs", model.missed, model.duplicates, real.missed, real.duplicates
    );
    let agrees =
        worst <= TOLERANCE && model.missed == real.missed && model.duplicates == real.duplicates;
    println!(
        "   the model {} the real watcher (largest difference {:.1} %, within {:.0} %)",
        if agrees {
            "agrees with"
        } else {
            "DOES NOT agree with"
        },
        worst * 100.0,
        TOLERANCE * 100.0
    );
    println!("   (run in {:.0} s)", started.elapsed().as_secs_f64());
    json!({
        "people": PEOPLE,
        "script_hours": (script.seconds / 360.0).round() / 10.0,
        "simulated_hours": {
            "model": (model.hours * 100.0).round() / 100.0,
            "real": (real.hours * 100.0).round() / 100.0,
        },
        "max_rps": MAX_RPS,
        "figures": rows,
        "logins": { "model": model.logins, "real": real.logins },
        "detail_reads": { "model": model.details, "real": real.details },
        "reads": { "model": model.reads, "real": real.reads },
        "announced": { "model": model.announced, "real": real.announced },
        "signed_by_its_recipient_before_any_read": { "model": model.moot, "real": real.moot },
        "missed": { "model": model.missed, "real": real.missed },
        "duplicates": { "model": model.duplicates, "real": real.duplicates },
        "largest_difference": (worst * 1000.0).round() / 1000.0,
        "agrees_within_15_percent": agrees,
    })
}

/// Move tokio's clock (the bot's and its tokens') forward by `by`.
async fn travel(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

fn config(sim: &ComakeSim, fake: &FakeDiscord, dir: &std::path::Path) -> Config {
    let vars: HashMap<&str, String> = [
        ("COMAKE_API_URL", sim.api_url().to_string()),
        ("COMAKE_WEB_URL", sim.web_url().to_string()),
        ("COMAKE_API_KEY", sim.options().api_key.clone()),
        ("COMAKE_API_SECRET", sim.options().api_secret.clone()),
        ("COMAKE_TIMEOUT_SECS", "30".into()),
        ("DISCORD_GUILD_IDS", "1".into()),
        ("DISCORD_TOKEN", "bench-token".into()),
        ("DISCORD_HTTP_PROXY", fake.proxy_url()),
        ("NOTIFY_INTERVAL_SECS", INTERVAL.to_string()),
        ("NOTIFY_MAX_IDLE_SECS", MAX_IDLE.to_string()),
        ("NOTIFY_MAX_RPS", MAX_RPS.to_string()),
        (
            "DATABASE_PATH",
            dir.join("store").to_string_lossy().into_owned(),
        ),
    ]
    .into_iter()
    .collect();
    Config::from_lookup(move |k| vars.get(k).cloned()).expect("bench config")
}

/// Play `w` against the real watcher until the script is over and every
/// change it made was told (or moot), as the model stops, or at `until`
/// seconds at the latest; what it did, measured as the model measures it.
async fn play(sim: &ComakeSim, w: &Workload, until: f64) -> Outcome {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(sim, &fake, dir.path());
    let store = Store::open(dir.path().join("store")).expect("store");
    let comake = Comake::new(config.comake.clone()).expect("comake client");
    let app: Arc<App> = App::new(config.clone(), comake, store.clone()).expect("app");
    for user in 0..PEOPLE {
        sim.add_user(&email(user), &format!("Person {user}"))
            .expect("user");
        store
            .link(crate::support::account(id(user), &email(user)), false)
            .await
            .expect("link");
    }
    let http = Arc::new(comake_bot::api::discord::http(&app.config.discord).expect("http"));
    let watcher = Watcher::new(app.clone(), http);

    // The script, in time order, and what each act should be announced as.
    let mut acts: Vec<(f64, Act)> = Vec::new();
    let mut expect: Vec<Expect> = Vec::new();
    // Per act: the expectations whose clock it starts.
    let mut starts: HashMap<(usize, u8, usize), Vec<usize>> = HashMap::new();
    for (c, sent) in w.sent.iter().enumerate() {
        acts.push((sent.at, Act::Send(c)));
        for (k, (linked, signs)) in sent.signees.iter().enumerate() {
            acts.push((*signs, Act::Sign(c, k)));
            let kind = if linked.is_some() {
                Kind::Between
            } else {
                Kind::SentOut
            };
            starts.entry((c, 1, k)).or_default().push(expect.len());
            expect.push(Expect {
                outside: None,
                user: sent.sender,
                line: format!("**Signer {c} {k}** signed **Deal {c}**"),
                or: Some(format!("Everyone has signed **Deal {c}**")),
                kind,
                at: None,
                dm_at: None,
            });
            if let Some(signee) = linked {
                starts.entry((c, 0, 0)).or_default().push(expect.len());
                expect.push(Expect {
                    outside: None,
                    user: *signee,
                    line: format!("Your turn: **Deal {c}**"),
                    or: None,
                    kind: Kind::Between,
                    at: None,
                    dm_at: None,
                });
            }
        }
    }
    for (o, arrived) in w.from_outside.iter().enumerate() {
        acts.push((arrived.at, Act::Arrive(o)));
        acts.push((arrived.signs_at, Act::SignArrived(o)));
        starts.entry((o, 2, 0)).or_default().push(expect.len());
        expect.push(Expect {
            outside: Some(o),
            user: arrived.user,
            line: format!("Your turn: **From {o}**"),
            or: None,
            kind: Kind::FromOutside,
            at: None,
            dm_at: None,
        });
    }
    acts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut sent_ids: Vec<Option<ContractId>> = vec![None; w.sent.len()];
    let mut outside_ids: Vec<Option<ContractId>> = vec![None; w.from_outside.len()];
    let outsider = "partner@outside.example";
    sim.add_user(outsider, "Partner").expect("outsider");

    let requests_before = sim.requests().len();
    let logins_before = sim.count(Endpoint::LoginClient);
    let start = comake_bot::now();
    let secs = || (comake_bot::now() - start).num_milliseconds() as f64 / 1000.0;
    let mut next_act = 0;
    let mut seen_calls = 0;
    let mut lines_seen: HashMap<(usize, String), usize> = HashMap::new();
    let by_channel: HashMap<String, usize> = (0..PEOPLE).map(|u| (channel(id(u)), u)).collect();
    let mut duplicates = 0;
    let mut reads = 0u64;
    let mut failures = 0usize;
    let mut signed = vec![false; w.from_outside.len()];
    // Bounded: every turn moves the clock to a job or an act, or both.
    for _ in 0..2_000_000 {
        let t = secs();
        let all_told = next_act == acts.len()
            && expect.iter().all(|e| {
                e.at.is_none() || e.dm_at.is_some() || e.outside.is_some_and(|o| signed[o])
            });
        if t >= until || (t >= w.seconds && all_told) {
            break;
        }
        while next_act < acts.len() && acts[next_act].0 <= t {
            let played = play_act(
                sim,
                &app,
                w,
                &acts[next_act].1,
                &mut sent_ids,
                &mut outside_ids,
                outsider,
            )
            .await;
            if played.1 == 3 {
                signed[played.0] = true;
            }
            for e in starts.get(&played).into_iter().flatten() {
                expect[*e].at = Some(t);
            }
            next_act += 1;
        }
        let tick = watcher.tick(comake_bot::now()).await;
        reads += tick.reads.reads as u64;
        failures += tick.reads.failures;
        let done = secs();
        let calls = fake.calls_since(seen_calls);
        seen_calls += calls.len();
        for call in calls {
            let Some(&user) = by_channel.get(&call.path) else {
                continue;
            };
            let content = call.body["content"].as_str().unwrap_or_default();
            for line in content.lines().filter(|l| l.starts_with('•')) {
                let n = lines_seen.entry((user, line.to_owned())).or_default();
                *n += 1;
                if *n > 1 {
                    duplicates += 1;
                }
            }
            for e in expect.iter_mut().filter(|e| e.user == user) {
                let says = content.contains(&e.line)
                    || e.or.as_ref().is_some_and(|or| content.contains(or));
                if e.at.is_some() && e.dm_at.is_none() && says {
                    e.dm_at = Some(done);
                }
            }
        }
        let next_job = (tick.next - comake_bot::now()).num_milliseconds() as f64 / 1000.0 + done;
        let next = acts
            .get(next_act)
            .map_or(next_job, |a| a.0.min(next_job))
            .min(until);
        // As the watcher's own loop: it sleeps at least 50 ms between ticks.
        let wait = (next - secs()).max(0.05);
        travel(Duration::from_secs_f64(wait)).await;
    }
    let hours = secs() / 3600.0;
    let requests = (sim.requests().len() - requests_before) as u64;
    let logins = (sim.count(Endpoint::LoginClient) - logins_before) as u64;
    let details = sim.count(Endpoint::GetContract) as u64;
    let mut by_endpoint: HashMap<String, usize> = HashMap::new();
    for r in &sim.requests()[requests_before..] {
        *by_endpoint
            .entry(format!("{:?} {}", r.endpoint, r.status))
            .or_default() += 1;
    }
    println!("   real watcher's requests by endpoint: {by_endpoint:?}; failed reads {failures}");
    for e in expect
        .iter()
        .filter(|e| e.at.is_some() && e.dm_at.is_none() && !e.outside.is_some_and(|o| signed[o]))
        .take(3)
    {
        println!("   (missed: person {} \"{}\")", e.user, e.line);
    }
    let mut delays: HashMap<Kind, Vec<f64>> = HashMap::new();
    let mut announced = 0;
    let mut missed = 0;
    let mut moot = 0;
    for e in &expect {
        match (e.at, e.dm_at) {
            (Some(at), Some(dm)) => {
                announced += 1;
                delays.entry(e.kind).or_default().push(dm - at);
            }
            (Some(_), None) if e.outside.is_some_and(|o| signed[o]) => moot += 1,
            (Some(_), None) => missed += 1,
            _ => {}
        }
    }
    for v in delays.values_mut() {
        v.sort_by(f64::total_cmp);
    }
    for kind in [Kind::SentOut, Kind::Between, Kind::FromOutside] {
        delays.entry(kind).or_default();
    }
    Outcome {
        requests,
        logins,
        details,
        reads,
        hours,
        announced,
        moot,
        missed,
        duplicates,
        delays,
    }
}

/// Play one act in the simulator (as the people would on the website, or
/// through the bot's commands: then with the hints the commands give).
/// Returns the key of the expectations it starts.
async fn play_act(
    sim: &ComakeSim,
    app: &App,
    w: &Workload,
    act: &Act,
    sent_ids: &mut [Option<ContractId>],
    outside_ids: &mut [Option<ContractId>],
    outsider: &str,
) -> (usize, u8, usize) {
    match *act {
        Act::Send(c) => {
            let s = &w.sent[c];
            let owner = email(s.sender);
            let parties: Vec<String> = (0..s.signees.len()).map(|k| format!("P{k}")).collect();
            let parties: Vec<&str> = parties.iter().map(String::as_str).collect();
            let id = sim
                .seed_contract(
                    &owner,
                    &format!("Deal {c}"),
                    &parties,
                    ContractStatus::Saved,
                )
                .expect("contract");
            let signees = s
                .signees
                .iter()
                .enumerate()
                .map(|(k, (linked, _))| {
                    let mail = linked.map_or_else(|| format!("s{c}-{k}@outside.example"), email);
                    signee(k as u32, &format!("Signer {c} {k}"), &mail)
                })
                .collect();
            sim.set_signees(&owner, &id, signees).expect("signees");
            sim.request_sign(&owner, &id).expect("request");
            notify::touch(app, id_of(s.sender), "en-US").await;
            for (linked, _) in &s.signees {
                if let Some(signee) = linked {
                    notify::hint_email(app, &email(*signee)).await;
                }
            }
            sent_ids[c] = Some(id);
            (c, 0, 0)
        }
        Act::Sign(c, k) => {
            if let Some(id) = &sent_ids[c] {
                sim.signee_acts(id, k as u32, SigneeAction::Sign)
                    .expect("sign");
            }
            (c, 1, k)
        }
        Act::Arrive(o) => {
            let to = email(w.from_outside[o].user);
            let id = sim
                .seed_contract(
                    outsider,
                    &format!("From {o}"),
                    &["P0"],
                    ContractStatus::Saved,
                )
                .expect("contract");
            sim.set_signees(outsider, &id, vec![signee(0, "Recipient", &to)])
                .expect("signees");
            sim.request_sign(outsider, &id).expect("request");
            outside_ids[o] = Some(id);
            (o, 2, 0)
        }
        Act::SignArrived(o) => {
            if let Some(id) = &outside_ids[o] {
                sim.signee_acts(id, 0, SigneeAction::Sign).expect("sign");
            }
            (o, 3, 0)
        }
    }
}

fn id_of(user: usize) -> u64 {
    id(user)
}
