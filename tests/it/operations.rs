//! Running the bot: `check`, export and import, health and metrics, SIGTERM, and logs that leak nothing.

use crate::common;
use crate::common::StoreExt as _;

use std::sync::atomic::Ordering;
use std::time::Duration;

use comake_bot::api::store::{AuditEntry, Store};
use comake_bot::api::{discord, observe, tasks};
use comake_bot::comake::wire::{ContractStatus, Endpoint};
use common::bot::{env, post_signed, register_over_http, run_once, smtp_env, Bot};
use common::discord::{command_payload, Actor, Harness};
use common::fake_discord::FakeDiscord;
use common::smtp::SmtpServer;
use serde_json::{json, Value};

#[tokio::test]
async fn check_reports_each_part_and_fails_on_a_wrong_key() {
    let sim = common::sim().await;
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let vars = env(&sim, &fake, dir.path());
    let (ok, out, err) = run_once(&["check"], &vars, dir.path()).await;
    assert!(ok, "{out}{err}");
    for part in ["config: OK", "store: OK", "comake: OK", "discord: OK"] {
        assert!(out.contains(part), "{part} missing from:\n{out}");
    }
    let mut wrong = vars.clone();
    wrong.retain(|(k, _)| k != "COMAKE_API_KEY");
    wrong.push(("COMAKE_API_KEY".into(), "not-our-key".into()));
    let (ok, out, _) = run_once(&["check"], &wrong, dir.path()).await;
    assert!(!ok);
    assert!(out.contains("comake: FAILED"), "{out}");
    assert!(
        out.contains("discord: OK"),
        "the other checks still run: {out}"
    );
    assert!(!out.contains("not-our-key"), "the key was printed");
    let (ok, out, err) = run_once(&["check"], &[], dir.path()).await;
    assert!(!ok);
    assert!(
        format!("{out}{err}").contains("COMAKE_API_KEY"),
        "names the variable: {out}{err}"
    );
    // A bot anyone can invite fails its own line; the others still pass.
    fake.set_bot_public(true);
    let (ok, out, _) = run_once(&["check"], &vars, dir.path()).await;
    assert!(!ok, "{out}");
    assert!(out.contains("public bot: FAILED"), "{out}");
    assert!(out.contains("Public Bot"), "{out}");
    assert!(
        out.contains("comake: OK") && out.contains("discord: OK"),
        "{out}"
    );
}

#[tokio::test]
async fn without_the_company_servers_the_bot_does_not_start() {
    let sim = common::sim().await;
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut vars = env(&sim, &fake, dir.path());
    vars.retain(|(k, _)| k != "DISCORD_GUILD_IDS");
    for command in ["run", "check"] {
        let (ok, out, err) = run_once(&[command], &vars, dir.path()).await;
        assert!(!ok, "{command}: {out}{err}");
        assert!(
            err.contains("DISCORD_GUILD_IDS") && err.contains("company's own"),
            "{command} names the variable and why: {err}"
        );
    }
    // Nothing was registered or served.
    assert!(fake.calls().is_empty(), "{:?}", fake.calls());
}

#[tokio::test]
async fn export_then_import_restores_accounts_and_audit() {
    let h = Harness::new().await;
    for (id, email) in [(1u64, "a@x.com"), (2, "b@x.com"), (3, "c@x.com")] {
        h.linked(id, email).await;
    }
    let base = chrono::Utc::now();
    for i in 0..5 {
        h.app
            .store
            .audit(AuditEntry {
                at: base + chrono::Duration::milliseconds(i),
                discord_user: 1 + (i as u64 % 3),
                guild: Some(9),
                action: format!("contract.rename {i}"),
                contract: Some("abc".into()),
                outcome: "ok".into(),
            })
            .await
            .unwrap();
    }
    let mut buf = Vec::new();
    assert_eq!(tasks::export(&h.app.store, &mut buf).await.unwrap(), (3, 5));
    let text = String::from_utf8(buf).unwrap();
    assert_eq!(text.lines().count(), 8);
    let file = h.dir.path().join("backup.jsonl");
    std::fs::write(&file, &text).unwrap();

    let other = tempfile::tempdir().unwrap();
    let restored = Store::open(other.path().join("s")).unwrap();
    let done = tasks::import(&restored, &file, false).await.unwrap();
    assert_eq!((done.accounts, done.audit, done.refused.len()), (3, 5, 0));
    assert_eq!(
        restored.accounts(None, 10).await.unwrap(),
        h.app.store.accounts(None, 10).await.unwrap()
    );
    assert_eq!(
        restored.audit_newest(10, None).await.unwrap(),
        h.app.store.audit_newest(10, None).await.unwrap()
    );
    assert_eq!(
        restored.audit_newest(10, Some(2)).await.unwrap(),
        h.app.store.audit_newest(10, Some(2)).await.unwrap()
    );
    // Importing the same file again adds nothing.
    let again = tasks::import(&restored, &file, false).await.unwrap();
    assert!(again.refused.is_empty());
    assert_eq!(restored.audit_len().await, 5, "duplicate audit entries");
    assert_eq!(restored.account_count().await.unwrap(), 3);

    // A second store where b@x.com belongs to someone else: that line is
    // refused, and so nothing is imported...
    let third = tempfile::tempdir().unwrap();
    let clash = Store::open(third.path().join("s")).unwrap();
    let mut taken = h.app.store.account(2).await.unwrap().unwrap();
    taken.discord_id = 99;
    clash.link(taken, false).await.unwrap();
    let done = tasks::import(&clash, &file, false).await.unwrap();
    assert_eq!((done.accounts, done.audit), (0, 0));
    assert_eq!(done.refused.len(), 1);
    assert!(done.refused[0].contains("b@x.com"), "{:?}", done.refused);
    assert_eq!(
        clash.account_count().await.unwrap(),
        1,
        "a refused import wrote accounts"
    );
    assert_eq!(
        clash.audit_len().await,
        0,
        "a refused import wrote audit entries"
    );
    // ...unless --partial.
    let done = tasks::import(&clash, &file, true).await.unwrap();
    assert_eq!((done.accounts, done.audit, done.refused.len()), (2, 5, 1));
    assert_eq!(
        clash
            .account_by_email("b@x.com")
            .await
            .unwrap()
            .unwrap()
            .discord_id,
        99
    );
    // Two lines of one file that clash with each other are refused too.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut dup: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    dup["record"]["discord_id"] = json!(77);
    lines.push(dup.to_string());
    let twice = h.dir.path().join("twice.jsonl");
    std::fs::write(&twice, lines.join("\n")).unwrap();
    let fourth = tempfile::tempdir().unwrap();
    let fresh = Store::open(fourth.path().join("s")).unwrap();
    let done = tasks::import(&fresh, &twice, false).await.unwrap();
    assert_eq!(done.refused.len(), 1, "{:?}", done.refused);
    assert_eq!(fresh.account_count().await.unwrap(), 0);
    // An id already linked (same email, another name) is refused like a
    // link would be, before anything is written.
    let mut renamed: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    renamed["record"]["name"] = json!("Someone else");
    let mut new_one: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    new_one["record"]["discord_id"] = json!(4);
    new_one["record"]["email"] = json!("d@x.com");
    let changed = h.dir.path().join("changed.jsonl");
    std::fs::write(&changed, format!("{renamed}\n{new_one}")).unwrap();
    let done = tasks::import(&restored, &changed, false).await.unwrap();
    assert_eq!(done.refused.len(), 1, "{:?}", done.refused);
    assert!(
        restored.account(4).await.unwrap().is_none(),
        "a refused import wrote"
    );
}

/// Every sample of a Prometheus text page, checking each line's form.
fn prometheus_series(text: &str) -> Vec<(String, f64)> {
    let mut series = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if line.starts_with('#') {
            assert!(
                line.starts_with("# TYPE ") || line.starts_with("# HELP "),
                "{line}"
            );
            continue;
        }
        series.push(parse_metric(line).unwrap_or_else(|| panic!("not Prometheus text: {line:?}")));
    }
    series
}

/// A metrics line: `name{labels} value`, or `name value`.
fn parse_metric(line: &str) -> Option<(String, f64)> {
    let (series, value) = line.rsplit_once(' ')?;
    let value: f64 = value.parse().ok()?;
    let name_end = series.find('{').unwrap_or(series.len());
    let name = &series[..name_end];
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    let valid_labels =
        name_end == series.len() || (series.ends_with('}') && series[name_end..].contains('='));
    (valid_name && valid_labels).then(|| (series.to_owned(), value))
}

#[tokio::test]
async fn old_audit_entries_are_pruned_in_batches() {
    let h = Harness::new().await;
    let now = chrono::Utc::now();
    for days in [500i64, 450, 401, 399, 10] {
        for i in 0..3 {
            h.app
                .store
                .audit(AuditEntry {
                    at: now - chrono::Duration::days(days) + chrono::Duration::seconds(i),
                    discord_user: 1 + i as u64,
                    guild: Some(9),
                    action: format!("contract.rename {days}"),
                    contract: None,
                    outcome: "ok".into(),
                })
                .await
                .unwrap();
        }
    }
    let removed = h
        .app
        .store
        .prune_audit(now - chrono::Duration::days(400), 2)
        .await
        .unwrap();
    assert_eq!(removed, 9);
    let (left, _) = h.app.store.audit_page(None, 1000).await.unwrap();
    assert_eq!(left.len(), 6);
    assert!(left
        .iter()
        .all(|e| e.at > now - chrono::Duration::days(400)));
    // The per-user index lost the pruned entries too.
    assert_eq!(
        h.app.store.audit_newest(10, Some(1)).await.unwrap().len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_follows_the_transport_and_metrics_count_commands() {
    observe::metrics();
    let fake = FakeDiscord::start().await;
    let proxy = fake.proxy_url();
    let pk = common::bot::public_key_hex();
    let port = common::bot::free_port();
    let addr = format!("127.0.0.1:{port}");
    let h = Harness::with_env(&[
        ("DISCORD_TOKEN", "fake"),
        ("DISCORD_HTTP_PROXY", &proxy),
        ("DISCORD_APPLICATION_ID", common::fake_discord::APP_ID),
        ("DISCORD_PUBLIC_KEY", &pk),
        ("TRANSPORT", "http"),
        ("INTERACTIONS_ADDR", &addr),
    ])
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let health = listener.local_addr().unwrap();
    let router = observe::router(h.app.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let get = |path: &'static str| async move {
        let r = reqwest::get(format!("http://{health}{path}"))
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    let (status, body) = get("/healthz").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("transport"), "{body}");
    assert!(observe::probe(health).await.is_err());

    // The real HTTP transport comes up.
    let http = discord::http(&h.app.config.discord).unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = h.app.clone();
    let comake_bot::api::config::Transport::Http {
        addr, public_key, ..
    } = h.app.config.discord.transport
    else {
        panic!("the harness was set up for the HTTP transport");
    };
    let served = tokio::spawn(async move {
        discord::interactions::run(app, http, addr, public_key, async {
            let _ = stopped.await;
        })
        .await
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !h.app.transport_up.load(Ordering::SeqCst) {
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(get("/healthz").await.0, 200);
    observe::probe(health).await.unwrap();

    h.linked(5, "e@x.com").await;
    let (status, _) = post_signed(
        format!("127.0.0.1:{port}").parse().unwrap(),
        &command_payload(&Actor::user(5), "comake whoami", &[], None),
    )
    .await;
    assert_eq!(status, 200);
    // The command is counted once its handler has finished, which may be
    // just after the HTTP answer went out: read until it shows, bounded.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let (text, series) = loop {
        let (status, text) = get("/metrics").await;
        assert_eq!(status, 200);
        let series = prometheus_series(&text);
        let whoami = r#"comake_bot_commands_total{command="comake whoami",outcome="ok"}"#;
        if series.iter().any(|(s, v)| s == whoami && *v >= 1.0) {
            break (text, series);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the command was never counted: {text}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let count = |name: &str| series.iter().find(|(s, _)| s == name).map(|(_, v)| *v);
    assert!(
        count("comake_bot_linked_accounts").unwrap_or(0.0) >= 1.0,
        "{text}"
    );
    assert!(
        text.contains("comake_bot_command_duration_seconds_bucket"),
        "{text}"
    );
    stop.send(()).unwrap();
    served.await.unwrap().unwrap();
    assert_eq!(get("/healthz").await.0, 503);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_a_slow_command_finish_then_exits_cleanly() {
    let sim = common::sim().await;
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start();
    let mut vars = env(&sim, &fake, dir.path());
    vars.extend(smtp_env(&smtp));
    let mut bot = Bot::start(&vars, dir.path()).await;
    let register = command_payload(
        &Actor::user(7),
        "comake register",
        &[
            ("email", json!("slow@example.com")),
            ("name", json!("Slow")),
        ],
        None,
    );
    register_over_http(bot.addr, &fake, &smtp, &register).await;
    sim.seed_contract(
        "slow@example.com",
        "Slow deal",
        &["갑"],
        ContractStatus::Saved,
    )
    .unwrap();
    sim.set_latency(Duration::from_millis(1500));
    let (status, first) = post_signed(
        bot.addr,
        &command_payload(&Actor::user(7), "contract list", &[], None),
    )
    .await;
    assert_eq!((status, first["type"].as_u64()), (200, Some(5)));
    // The image's health check: the bot is up and serving.
    let mut health_env = vars.clone();
    health_env.push(("HEALTH_ADDR".into(), bot.health.to_string()));
    let (healthy, out, err) = run_once(&["healthcheck"], &health_env, dir.path()).await;
    assert!(healthy, "{out}{err}");
    bot.terminate();
    let exit = bot.wait(Duration::from_secs(20)).await;
    assert!(exit.success(), "exit {exit:?}: {}", bot.log());
    // Two edits for the registration (code sent, linked), one for the list.
    let edits = fake.edits(3).await;
    assert_eq!(edits.len(), 3, "the slow command was not finished");
    assert!(edits[2]["content"].as_str().unwrap().contains("Slow deal"));
    // The store reopens cleanly with the account in it.
    let store = Store::open(dir.path().join("store")).unwrap();
    assert_eq!(
        store.account(7).await.unwrap().unwrap().email,
        "slow@example.com"
    );
    assert!(bot.log().contains("comake-bot stopped"), "{}", bot.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_json_logs_of_a_full_scenario_leak_nothing() {
    let sim = common::sim().await;
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start();
    let mut vars = env(&sim, &fake, dir.path());
    vars.extend(smtp_env(&smtp));
    vars.push(("RUST_LOG".into(), "trace".into()));
    vars.push(("LOG_FORMAT".into(), "json".into()));
    let mut bot = Bot::start(&vars, dir.path()).await;
    let kim = Actor::user(8);
    let phone = "010-5555-7777";
    let password = "pw-Very-Secret-77";
    let register = command_payload(
        &kim,
        "comake register",
        &[
            ("email", json!("kim@example.com")),
            ("name", json!("Kim")),
            ("phone", json!(phone)),
        ],
        None,
    );
    let (mut interaction_tokens, code) =
        register_over_http(bot.addr, &fake, &smtp, &register).await;
    let steps = [
        command_payload(&kim, "contract new", &[], None),
        command_payload(&kim, "contract list", &[], None),
    ];
    for (done, step) in steps.iter().enumerate() {
        let patches = done + 3;
        interaction_tokens.push(step["token"].as_str().unwrap().to_owned());
        assert_eq!(post_signed(bot.addr, step).await.0, 200);
        fake.edits(patches).await;
    }
    let id = common::seed_nda(&sim, "kim@example.com");
    let signee = signee_with_secrets(&kim, id.as_str(), phone, password);
    interaction_tokens.push(signee["token"].as_str().unwrap().to_owned());
    assert_eq!(post_signed(bot.addr, &signee).await.0, 200);
    fake.edits(5).await;
    let request = command_payload(
        &kim,
        "contract request-sign",
        &[
            ("contract", json!(id.as_str())),
            ("name", json!("Lee")),
            ("email", json!("lee@example.com")),
            ("password", json!(password)),
        ],
        None,
    );
    interaction_tokens.push(request["token"].as_str().unwrap().to_owned());
    assert_eq!(post_signed(bot.addr, &request).await.0, 200);
    fake.edits(6).await;
    assert!(sim.count(Endpoint::SetSignees) >= 1);
    bot.terminate();
    assert!(bot.wait(Duration::from_secs(20)).await.success());

    let log = bot.log();
    assert!(
        log.lines().count() > 20,
        "trace logging produced little: {log}"
    );
    for line in log.lines() {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    }
    assert!(log.contains("interaction handled"));
    let secrets = known_secrets(&sim, phone, password, code, interaction_tokens);
    assert!(
        sim.issued_tokens().len() >= 2,
        "an admin and a client token"
    );
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "the log holds a secret ({} chars)",
            secret.len()
        );
    }
}

/// Every secret a leak test scenario handled: the company's key and
/// secret, the bot token, the signee's password and phone number (as typed
/// and as digits), the registration code, every token the simulator issued
/// and every interaction token.
fn known_secrets(
    sim: &comake_sim::ComakeSim,
    phone: &str,
    password: &str,
    code: String,
    interaction_tokens: Vec<String>,
) -> Vec<String> {
    let mut secrets: Vec<String> = vec![
        sim.options().api_key.clone(),
        sim.options().api_secret.clone(),
        "fake-bot-token-0123456789".into(),
        password.into(),
        phone.into(),
        phone.chars().filter(char::is_ascii_digit).collect(),
        code,
    ];
    secrets.extend(sim.issued_tokens());
    secrets.extend(interaction_tokens);
    secrets
}

/// `/contract signee` for party 0 with a phone number and a password.
fn signee_with_secrets(kim: &Actor, id: &str, phone: &str, password: &str) -> Value {
    command_payload(
        kim,
        "contract signee",
        &[
            ("contract", json!(id)),
            ("party", json!("0")),
            ("name", json!("Kim")),
            ("email", json!("kim@example.com")),
            ("phone", json!(phone)),
            ("password", json!(password)),
        ],
        None,
    )
}

/// Every form a secret could take in a log: as text, as hex (a frame dump),
/// as base64, and as a Rust byte list.
fn secret_forms(secret: &str) -> Vec<String> {
    use base64::Engine;
    let bytes = secret.as_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let list = format!("{bytes:?}");
    vec![
        secret.to_owned(),
        hex.clone(),
        hex.to_uppercase(),
        base64::engine::general_purpose::STANDARD.encode(bytes),
        list.trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned(),
    ]
}

/// The gateway transport at trace level, with filters that try to lift the
/// caps: no secret reaches the log in any form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_trace_logs_leak_nothing_whatever_rust_log_says() {
    for filter in [
        "trace",
        "trace,serenity::http=trace,tungstenite=trace,serenity::gateway::ws=trace",
    ] {
        let sim = common::sim().await;
        let fake = FakeDiscord::start().await;
        let smtp = SmtpServer::start();
        let dir = tempfile::tempdir().unwrap();
        let mut vars = env(&sim, &fake, dir.path());
        vars.extend(smtp_env(&smtp));
        vars.push(("RUST_LOG".into(), filter.into()));
        let mut bot = Bot::start_gateway(&vars, dir.path(), &fake).await;
        let kim = Actor::user(8);
        let phone = "010-5555-7777";
        let password = "pw-Very-Secret-77";
        let mut tokens = Vec::new();
        let mut push = |payload: Value| {
            tokens.push(payload["token"].as_str().unwrap().to_owned());
            fake.push_interaction(payload);
        };
        push(command_payload(
            &kim,
            "comake register",
            &[
                ("email", json!("kim@example.com")),
                ("name", json!("Kim")),
                ("phone", json!(phone)),
            ],
            None,
        ));
        fake.edits(1).await;
        let code = smtp.mails_to("kim@example.com", 1).await[0].code();
        push(common::discord::modal_payload(
            &kim,
            "v:submit",
            &[("code", &code)],
        ));
        fake.edits(2).await;
        push(command_payload(&kim, "contract new", &[], None));
        fake.edits(3).await;
        let id = common::seed_nda(&sim, "kim@example.com");
        push(signee_with_secrets(&kim, id.as_str(), phone, password));
        fake.edits(4).await;
        // A frame serenity cannot read (no sequence number), carrying a
        // secret: the log names the event and its size, never its text.
        let frame = json!({"op": 0, "t": "GUILD_CREATE", "d": {"name": password}});
        fake.push_raw(&frame.to_string());
        push(command_payload(&kim, "contract list", &[], None));
        fake.edits(5).await;
        assert!(sim.count(Endpoint::SetSignees) >= 1);
        bot.terminate();
        assert!(
            bot.wait(Duration::from_secs(20)).await.success(),
            "{}",
            bot.log()
        );

        let log = bot.log();
        assert!(
            log.lines().count() > 20,
            "{filter}: little was logged: {log}"
        );
        assert!(log.contains("interaction handled"), "{filter}");
        assert!(
            log.contains("a gateway event could not be read") && log.contains("GUILD_CREATE"),
            "{filter}: the unreadable event is not named: {log}"
        );
        let secrets = known_secrets(&sim, phone, password, code, tokens);
        for secret in &secrets {
            for form in secret_forms(secret) {
                assert!(
                    !log.contains(&form),
                    "{filter}: the log holds a secret ({} chars) as {form:.12}…",
                    secret.len()
                );
            }
        }
    }
}

#[tokio::test]
async fn metrics_need_the_token_when_one_is_set() {
    observe::metrics();
    let h = Harness::with_env(&[("METRICS_TOKEN", "scrape-secret-42")]).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let health = listener.local_addr().unwrap();
    let router = observe::router(h.app.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = reqwest::Client::new();
    let get = |path: &'static str, token: Option<&'static str>| {
        let mut req = client.get(format!("http://{health}{path}"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(get("/metrics", None).await, 401);
    assert_eq!(get("/metrics", Some("wrong")).await, 401);
    assert_eq!(get("/metrics", Some("scrape-secret-42")).await, 200);
    // /healthz stays open for the container's health check.
    assert_eq!(
        get("/healthz", None).await,
        503,
        "open, and unhealthy with no transport"
    );
}

#[tokio::test]
async fn exports_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let sim = common::sim().await;
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let vars = env(&sim, &fake, dir.path());
    let out = dir.path().join("backup.jsonl");
    // An existing, world-readable file is narrowed too.
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (ok, _, err) = run_once(&["export", out.to_str().unwrap()], &vars, dir.path()).await;
    assert!(ok, "{err}");
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
}
