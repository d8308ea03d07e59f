//! The security issue's gaps outside the contract handlers: the health port under abuse and beyond loopback, who may link whom (and who hears of it), and DM buttons for former members only refused.

use crate::common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use comake_bot::api::observe;
use common::bot::{free_port, run_once};
use common::discord::{Actor, Answer, Harness};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ----- the health port -----

/// `/healthz` and `/metrics` of `h` on the hardened server, on 127.0.0.1.
async fn health_port(h: &Harness) -> SocketAddr {
    observe::metrics();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = observe::router(h.app.clone());
    tokio::spawn(observe::serve_on(listener, router, std::future::pending()));
    addr
}

/// Read from `stream` until the server closes it; how long that took, or
/// `None` when it was still open after `limit`.
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    let read_all = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(limit, read_all)
        .await
        .ok()
        .map(|()| started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_health_request_is_cut_off() {
    let h = Harness::new().await;
    let addr = health_port(&h).await;
    // Headers one byte a second: cut at the header timeout.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let trickle = tokio::spawn(async move {
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if slow.write_all(b"x").await.is_err() {
                return (slow, true);
            }
        }
        (slow, false)
    });
    // The header timeout is 5 s; a write fails once the server closed.
    let (mut slow, cut) = tokio::time::timeout(Duration::from_secs(12), trickle)
        .await
        .expect("a trickled request was not cut off within 12 s")
        .unwrap();
    assert!(cut);
    assert!(closed_within(&mut slow, Duration::from_secs(1))
        .await
        .is_some());
    // A body announced to the health port is refused at once, and the
    // connection closed: it cannot be trickled in either.
    let mut body = tokio::net::TcpStream::connect(addr).await.unwrap();
    body.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\nx")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(3), body.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the connection stayed open for the body");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // Meanwhile the port still answers.
    let r = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 503, "open, and no transport is up");
}

#[tokio::test]
async fn a_health_port_beyond_loopback_needs_the_metrics_token() {
    let sim = common::sim().await;
    let fake = common::fake_discord::FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut vars = common::bot::env(&sim, &fake, dir.path());
    vars.push(("HEALTH_ADDR".into(), format!("0.0.0.0:{}", free_port())));
    let (ok, out, err) = run_once(&["check"], &vars, dir.path()).await;
    assert!(!ok, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("METRICS_TOKEN"),
        "{out}{err}"
    );

    // With the token, the real binary serves /metrics only to its bearer.
    let port = free_port();
    vars.retain(|(k, _)| k != "HEALTH_ADDR");
    vars.push(("HEALTH_ADDR".into(), format!("0.0.0.0:{port}")));
    vars.push(("METRICS_TOKEN".into(), "scrape-token-0123456789".into()));
    vars.push(("TRANSPORT".into(), "http".into()));
    vars.push((
        "INTERACTIONS_ADDR".into(),
        format!("127.0.0.1:{}", free_port()),
    ));
    let log = dir.path().join("bot.log");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_comake-bot"))
        .current_dir(dir.path())
        .env_clear()
        .envs(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let metrics = format!("http://127.0.0.1:{port}/metrics");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Ok(r) = client.get(&metrics).send().await {
            break r.status().as_u16();
        }
        assert!(
            Instant::now() < deadline,
            "the health port never listened: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        assert!(child.try_wait().unwrap().is_none(), "the bot exited");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(status, 401, "no token");
    let with = client
        .get(&metrics)
        .bearer_auth("scrape-token-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(with.status().as_u16(), 200);
    child.kill().await.unwrap();
}

// ----- who links whom, and who hears of it -----

const KIM: u64 = 111_111_111_111_111_111;
const LEE: u64 = 222_222_222_222_222_222;
const BOSS: u64 = 333_333_333_333_333_333;

/// A harness whose Discord REST client points at `fake` (as the service
/// connects it at start), with `extra` variables and, with `smtp`, mail.
async fn with_discord(
    fake: &common::fake_discord::FakeDiscord,
    smtp: bool,
    extra: &[(&str, &str)],
) -> Harness {
    let proxy = fake.proxy_url();
    let mut vars = vec![
        ("DISCORD_TOKEN", "fake-bot-token-0123456789"),
        ("DISCORD_HTTP_PROXY", proxy.as_str()),
    ];
    vars.extend_from_slice(extra);
    let h = if smtp {
        Harness::with_smtp(&vars).await
    } else {
        Harness::with_env(&vars).await
    };
    let http = comake_bot::api::discord::http(&h.app.config.discord).unwrap();
    h.app.members.connect(std::sync::Arc::new(http));
    h
}

async fn admin_link(h: &Harness, admin: &Actor, user: u64, email: &str) -> Answer {
    let options = [("user", json!({ "user": user })), ("email", json!(email))];
    h.command(admin, "comake-admin link", &options).await
}

#[tokio::test]
async fn an_admin_cannot_link_themself_unless_allowed() {
    let h = Harness::new().await;
    h.sim.add_user("boss@example.com", "Boss").unwrap();
    let boss = Actor::user(BOSS).admin();
    let a = admin_link(&h, &boss, BOSS, "boss@example.com").await;
    assert_eq!(a.outcome.result, "refused", "{}", a.text());
    assert!(a.text().contains("another server manager"), "{}", a.text());
    let a = admin_link(&h, &boss.clone().ko(), BOSS, "boss@example.com").await;
    assert!(a.text().contains("다른 서버 관리자"), "{}", a.text());
    assert!(h.app.store.account(BOSS).await.unwrap().is_none());
    assert!(h.sim.requests().is_empty(), "refused before Comake");
    // Another admin may link them.
    let a = admin_link(&h, &Actor::user(KIM).admin(), BOSS, "boss@example.com").await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());

    // A company of one allows it.
    let h = Harness::with_env(&[("ADMIN_SELF_LINK", "true")]).await;
    h.sim.add_user("boss@example.com", "Boss").unwrap();
    let a = admin_link(&h, &boss, BOSS, "boss@example.com").await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert!(h.app.store.account(BOSS).await.unwrap().is_some());
}

#[tokio::test]
async fn a_link_is_told_to_the_address_by_mail_and_to_the_person_by_dm() {
    let fake = common::fake_discord::FakeDiscord::start().await;
    let h = with_discord(&fake, true, &[]).await;
    h.sim.add_user("lee@example.com", "Lee").unwrap();
    h.sim.add_user("kim@example.com", "Kim").unwrap();
    let a = admin_link(&h, &Actor::user(BOSS).admin(), LEE, "lee@example.com").await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());

    let mail = h.smtp().mails_to("lee@example.com", 1).await;
    let body = mail[0].body();
    for part in [
        &format!("Member {LEE} ({LEE})"), // the Discord user
        &format!("user{BOSS} ({BOSS})"),  // the admin
        "A server",                       // the server
        "lee@example.com",
        "tell your company's administrator", // what to do if unexpected
    ] {
        assert!(body.contains(part), "{part} missing in: {body}");
    }
    // The DM went to Lee, and names the admin and the server.
    let dm_channel = format!("/api/v10/channels/9{}/messages", &LEE.to_string()[1..]);
    let calls = fake
        .wait_for(Duration::from_secs(5), |c| {
            c.iter().any(|c| c.path == dm_channel)
        })
        .await;
    let dm = calls
        .iter()
        .find(|c| c.path == dm_channel)
        .expect("a DM to the person linked");
    let text = dm.body["content"].as_str().unwrap_or_default();
    assert!(
        text.contains(&format!("user{BOSS}")) && text.contains("A server"),
        "{text}"
    );
    // Neither holds a secret: the bot token, a Comake token, a code.
    for secret in ["fake-bot-token", "eyJ", "token="] {
        assert!(!body.contains(secret) && !text.contains(secret), "{secret}");
    }

    // In Korean when the admin writes in Korean (the person's language is
    // not known yet).
    let a = admin_link(&h, &Actor::user(BOSS).admin().ko(), KIM, "kim@example.com").await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    let mail = h.smtp().mails_to("kim@example.com", 1).await;
    assert!(mail[0].body().contains("관리자"), "{}", mail[0].body());
}

// ----- DM buttons: members only -----

#[tokio::test]
async fn a_removed_members_dm_button_is_refused_before_any_work() {
    let fake = common::fake_discord::FakeDiscord::start().await;
    let h = with_discord(&fake, false, &[]).await;
    h.linked(KIM, "kim@example.com").await;
    h.linked(LEE, "lee@example.com").await;
    let id = common::seed_nda(&h.sim, "kim@example.com");
    let in_dm = |user| Actor {
        guild: None,
        ..Actor::user(user)
    };
    // A member's press is served.
    let a = h.press(&in_dm(KIM), &format!("n:sign:{id}")).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    // Lee has left every listed server: refused privately, with nothing
    // asked of Comake and nothing written.
    fake.remove_member(LEE);
    let comake_before = h.sim.requests().len();
    let a = h.press(&in_dm(LEE), &format!("n:sign:{id}")).await;
    assert_eq!(a.outcome.result, "refused", "{}", a.text());
    assert!(a.text().contains("no longer"), "{}", a.text());
    assert_eq!(a.first()["data"]["flags"], 64, "privately");
    assert_eq!(h.sim.requests().len(), comake_before);
    assert!(h
        .app
        .store
        .audit_newest(5, Some(LEE))
        .await
        .unwrap()
        .is_empty());
    // Asked once per listed server; the answer is cached.
    let lookups = |fake: &common::fake_discord::FakeDiscord| {
        fake.calls()
            .iter()
            .filter(|c| c.path.ends_with(&format!("/members/{LEE}")))
            .count()
    };
    assert_eq!(lookups(&fake), 1);
    h.press(&in_dm(LEE), &format!("n:sign:{id}")).await;
    assert_eq!(lookups(&fake), 1, "the negative answer is cached");
}

#[tokio::test]
async fn the_running_bot_checks_membership_for_dm_buttons() {
    let sim = common::sim().await;
    let fake = common::fake_discord::FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let vars = common::bot::env(&sim, &fake, dir.path());
    let mut bot = common::bot::Bot::start(&vars, dir.path()).await;
    fake.remove_member(LEE);
    let press = |user| {
        let actor = Actor {
            guild: None,
            ..Actor::user(user)
        };
        common::discord::button_payload(&actor, "n:sign:contract-1")
    };
    let (status, removed) = common::bot::post_signed(bot.addr, &press(LEE)).await;
    assert_eq!(status, 200);
    let text = removed["data"]["content"].as_str().unwrap_or_default();
    assert!(text.contains("no longer"), "{removed}");
    // A member who is not linked hears how to link instead.
    let (_, member) = common::bot::post_signed(bot.addr, &press(KIM)).await;
    let text = member["data"]["content"].as_str().unwrap_or_default();
    assert!(!text.contains("no longer"), "{member}");
    bot.terminate();
    bot.wait(Duration::from_secs(20)).await;
}
