//! Two real bot processes on one PostgreSQL database: what happens through one is seen through the other, a confirmation acts once, and one watcher and one gateway run among them.

use std::time::{Duration, Instant};

use base64::Engine as _;
use comake_bot::comake::wire::{ContractStatus, Endpoint};
use comake_sim::{ComakeSim, SigneeAction};
use serde_json::{json, Value};

use crate::common::bot::{post_signed, register_over_http, Bot};
use crate::common::discord::{button_payload, command_payload, modal_payload, Actor};
use crate::common::fake_discord::FakeDiscord;
use crate::common::pg::Schema;
use crate::common::smtp::SmtpServer;
use crate::common::{self, plain_signee};

const KIM: u64 = 111;

/// The variables of one instance on the shared database.
fn shared_env(
    sim: &ComakeSim,
    fake: &FakeDiscord,
    dir: &std::path::Path,
    schema: &Schema,
    smtp: &SmtpServer,
    extra: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut vars = common::bot::env(sim, fake, dir);
    vars.extend(common::bot::smtp_env(smtp));
    vars.push(("DATABASE_URL".into(), schema.url()));
    vars.push((
        "STATE_KEY".into(),
        base64::engine::general_purpose::STANDARD.encode([9u8; 32]),
    ));
    for (k, v) in extra {
        vars.push(((*k).into(), (*v).into()));
    }
    vars
}

/// `/healthz` of `bot`: the status and the body.
async fn health(bot: &Bot) -> (u16, String) {
    match reqwest::get(format!("http://{}/healthz", bot.health)).await {
        Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
        Err(e) => (0, e.to_string()),
    }
}

/// Wait until `bot`'s `/healthz` names `role`, at most `limit`.
async fn until_role(bot: &Bot, role: &str, limit: Duration) -> String {
    let deadline = Instant::now() + limit;
    loop {
        let (_, body) = health(bot).await;
        if body
            .lines()
            .any(|l| l.starts_with("roles:") && l.contains(role))
            || Instant::now() >= deadline
        {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The message an interaction answered with: at once, or as the edit of a
/// deferred answer.
async fn answer(bot: &Bot, fake: &FakeDiscord, payload: &Value) -> Value {
    let edits = fake.edits(0).await.len();
    let (status, body) = post_signed(bot.addr, payload).await;
    assert_eq!(status, 200, "{body} {}", bot.log());
    if body["type"] == 4 || body["type"] == 7 {
        return body["data"].clone();
    }
    fake.edits(edits + 1)
        .await
        .get(edits)
        .cloned()
        .unwrap_or_else(|| panic!("no answer: {}", bot.log()))
}

/// A log without its colours.
fn plain(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    let mut chars = log.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// DMs sent so far (messages posted to channels).
fn dms(fake: &FakeDiscord) -> usize {
    fake.calls()
        .iter()
        .filter(|c| {
            c.method == "POST" && c.path.contains("/channels/") && c.path.ends_with("/messages")
        })
        .count()
}

async fn register(bot: &Bot, fake: &FakeDiscord, smtp: &SmtpServer, user: u64, email: &str) {
    let body = command_payload(
        &Actor::user(user),
        "comake register",
        &[
            ("email", json!(email)),
            ("name", json!(format!("Person {user}"))),
        ],
        None,
    );
    register_over_http(bot.addr, fake, smtp, &body).await;
}

/// A contract of Kim's with both signees set, and the Send button of its
/// request-sign preview as shown through `bot`.
async fn send_button(
    bot: &Bot,
    fake: &FakeDiscord,
    sim: &ComakeSim,
    name: &str,
) -> (comake_bot::comake::wire::ContractId, String) {
    let id = sim
        .seed_contract(
            "kim@example.com",
            name,
            &["갑", "을"],
            ContractStatus::Saved,
        )
        .unwrap();
    sim.set_signees(
        "kim@example.com",
        &id,
        vec![
            plain_signee(0, "Kim", "kim@example.com"),
            plain_signee(1, "Lee", "lee@example.com"),
        ],
    )
    .unwrap();
    let preview = answer(
        bot,
        fake,
        &command_payload(
            &Actor::user(KIM),
            "contract request-sign",
            &[("contract", json!(id.as_str()))],
            None,
        ),
    )
    .await;
    let send = crate::common::discord::custom_ids(&preview)
        .into_iter()
        .find(|c| c.starts_with("c:ok:"))
        .unwrap_or_else(|| panic!("no Send button: {preview}"));
    (id, send)
}

#[tokio::test]
#[cfg_attr(
    not(pg_tests),
    ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn links_and_confirmations_cross_instances_and_act_once() {
    let sim = common::sim().await;
    let fake = FakeDiscord::start().await;
    let smtp = SmtpServer::start();
    let schema = Schema::new().await;
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let quiet = [("NOTIFY_INTERVAL_SECS", "0")];
    let a = Bot::start(
        &shared_env(&sim, &fake, da.path(), &schema, &smtp, &quiet),
        da.path(),
    )
    .await;
    let b = Bot::start(
        &shared_env(&sim, &fake, db.path(), &schema, &smtp, &quiet),
        db.path(),
    )
    .await;

    // A code asked for through A is entered through B, and the link is
    // seen through both.
    let ask = command_payload(
        &Actor::user(KIM),
        "comake register",
        &[
            ("email", json!("kim@example.com")),
            ("name", json!("Person 111")),
        ],
        None,
    );
    let asked = answer(&a, &fake, &ask).await;
    assert!(asked.to_string().contains("v:enter"), "{asked}");
    let code = smtp.mails_to("kim@example.com", 1).await[0].code();
    let (status, _) = post_signed(
        b.addr,
        &modal_payload(&Actor::user(KIM), "v:submit", &[("code", &code)]),
    )
    .await;
    assert_eq!(status, 200);
    let store = schema.store().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while store.account(KIM).await.unwrap().is_none() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(store.account(KIM).await.unwrap().is_some(), "{}", b.log());
    let whoami = answer(
        &b,
        &fake,
        &command_payload(&Actor::user(KIM), "comake whoami", &[], None),
    )
    .await;
    assert!(whoami.to_string().contains("Person 111"), "{whoami}");

    // A confirmation shown by A works when pressed through B.
    let (first, send) = send_button(&a, &fake, &sim, "NDA one").await;
    answer(&b, &fake, &button_payload(&Actor::user(KIM), &send)).await;
    assert_eq!(sim.count(Endpoint::RequestSign), 1);
    assert_eq!(
        sim.contract(&first).unwrap().summary.status,
        ContractStatus::Signing
    );

    // A double press through A and B at once sends once.
    let (_, send) = send_button(&a, &fake, &sim, "NDA two").await;
    // Two clicks are two interactions (each with its own id).
    let (press_a, press_b) = (
        button_payload(&Actor::user(KIM), &send),
        button_payload(&Actor::user(KIM), &send),
    );
    let (x, y) = tokio::join!(post_signed(a.addr, &press_a), post_signed(b.addr, &press_b));
    assert_eq!((x.0, y.0), (200, 200));
    fake.wait_for(Duration::from_secs(5), |_| {
        sim.count(Endpoint::RequestSign) >= 3
    })
    .await;
    assert_eq!(sim.count(Endpoint::RequestSign), 2, "sent twice");

    // The same email registered through A and B at once links once.
    for (bot, user) in [(&a, 201u64), (&b, 202u64)] {
        let body = command_payload(
            &Actor::user(user),
            "comake register",
            &[
                ("email", json!("same@example.com")),
                ("name", json!("Same")),
            ],
            None,
        );
        let edits = fake.edits(0).await.len();
        assert_eq!(post_signed(bot.addr, &body).await.0, 200);
        fake.edits(edits + 1).await;
        smtp.mails_to("same@example.com", if user == 201 { 1 } else { 2 })
            .await;
    }
    let mails = smtp.mails_to("same@example.com", 2).await;
    let (code_a, code_b) = (mails[0].code(), mails[1].code());
    let submit_a = modal_payload(&Actor::user(201), "v:submit", &[("code", &code_a)]);
    let submit_b = modal_payload(&Actor::user(202), "v:submit", &[("code", &code_b)]);
    let (x, y) = tokio::join!(
        post_signed(a.addr, &submit_a),
        post_signed(b.addr, &submit_b)
    );
    assert_eq!((x.0, y.0), (200, 200));
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut linked = Vec::new();
    while Instant::now() < deadline {
        linked = Vec::new();
        for user in [201, 202] {
            if store.account(user).await.unwrap().is_some() {
                linked.push(user);
            }
        }
        if !linked.is_empty() {
            // Give the loser time to finish, then look again.
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let mut again = Vec::new();
            for user in [201, 202] {
                if store.account(user).await.unwrap().is_some() {
                    again.push(user);
                }
            }
            linked = again;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(linked.len(), 1, "linked: {linked:?}");
    assert_eq!(
        store
            .account_by_email("same@example.com")
            .await
            .unwrap()
            .map(|a| a.discord_id),
        linked.first().copied()
    );
    schema.drop_now().await;
}

#[tokio::test]
#[cfg_attr(
    not(pg_tests),
    ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn the_watcher_moves_to_the_survivor_without_repeats() {
    let sim = common::sim().await;
    let fake = FakeDiscord::start().await;
    let smtp = SmtpServer::start();
    let schema = Schema::new().await;
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let interval = [("NOTIFY_INTERVAL_SECS", "3")];
    let mut a = Bot::start(
        &shared_env(&sim, &fake, da.path(), &schema, &smtp, &interval),
        da.path(),
    )
    .await;
    let body = until_role(&a, "watcher", Duration::from_secs(10)).await;
    assert!(body.contains("watcher"), "{body}");
    let b = Bot::start(
        &shared_env(&sim, &fake, db.path(), &schema, &smtp, &interval),
        db.path(),
    )
    .await;
    let body = until_role(&b, "standby", Duration::from_secs(10)).await;
    assert!(
        body.contains("standby") && !body.contains("watcher"),
        "{body}"
    );

    register(&a, &fake, &smtp, KIM, "kim@example.com").await;
    let (id, send) = send_button(&a, &fake, &sim, "NDA").await;
    answer(&a, &fake, &button_payload(&Actor::user(KIM), &send)).await;
    // The first read of Kim's box is silent; wait for it.
    let deadline = Instant::now() + Duration::from_secs(15);
    while !plain(&a.log()).contains("reads=1") && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        plain(&a.log()).contains("reads=1"),
        "no first read: {}",
        a.log()
    );
    sim.signee_acts(&id, 0, SigneeAction::Sign).unwrap();
    fake.wait_for(Duration::from_secs(10), |_| dms(&fake) >= 1)
        .await;
    assert_eq!(dms(&fake), 1, "{}", a.log());

    // kill -9 the watcher's instance: the survivor sends the next DM
    // within two intervals, and nothing twice.
    a.child.start_kill().unwrap();
    a.wait(Duration::from_secs(10)).await;
    let killed = Instant::now();
    sim.signee_acts(&id, 1, SigneeAction::Sign).unwrap();
    fake.wait_for(Duration::from_secs(20), |_| dms(&fake) >= 2)
        .await;
    assert_eq!(dms(&fake), 2, "{}", b.log());
    assert!(
        killed.elapsed() <= Duration::from_secs(2 * 3 + 2),
        "took {:?}",
        killed.elapsed()
    );
    let body = until_role(&b, "watcher", Duration::from_secs(1)).await;
    assert!(body.contains("watcher"), "{body}");
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(dms(&fake), 2, "a DM was repeated");
    schema.drop_now().await;
}

#[tokio::test]
#[cfg_attr(
    not(pg_tests),
    ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn one_gateway_connection_and_a_standby_takes_over() {
    let sim = common::sim().await;
    let fake = FakeDiscord::start().await;
    let smtp = SmtpServer::start();
    let schema = Schema::new().await;
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let port = |_| format!("127.0.0.1:{}", common::bot::free_port());
    let (ha, hb) = (port(0), port(1));
    let quiet = [("NOTIFY_INTERVAL_SECS", "0")];
    let mut env_a = shared_env(&sim, &fake, da.path(), &schema, &smtp, &quiet);
    env_a.push(("HEALTH_ADDR".into(), ha.clone()));
    let mut env_b = shared_env(&sim, &fake, db.path(), &schema, &smtp, &quiet);
    env_b.push(("HEALTH_ADDR".into(), hb.clone()));
    let mut a = Bot::start_gateway(&env_a, da.path(), &fake).await;
    a.health = ha.parse().unwrap();
    let mut b = Bot::start_gateway(&env_b, db.path(), &fake).await;
    b.health = hb.parse().unwrap();
    let body = until_role(&b, "standby", Duration::from_secs(10)).await;
    assert!(body.starts_with("ok") && body.contains("standby"), "{body}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(fake.gateway_connections(), 1, "{}", b.log());

    a.child.start_kill().unwrap();
    a.wait(Duration::from_secs(10)).await;
    fake.wait_for(Duration::from_secs(15), |_| fake.gateway_connections() >= 2)
        .await;
    assert_eq!(
        fake.gateway_connections(),
        2,
        "the standby never connected: {}",
        b.log()
    );
    let body = until_role(&b, "gateway", Duration::from_secs(10)).await;
    assert!(body.contains("gateway"), "{body}");
    schema.drop_now().await;
}

#[tokio::test]
#[cfg_attr(
    not(pg_tests),
    ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn postgres_down_gives_clear_errors_and_recovers_without_a_restart() {
    let sim = common::sim().await;
    let fake = FakeDiscord::start().await;
    let smtp = SmtpServer::start();
    let server = crate::common::pg::PrivateServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mut vars = common::bot::env(&sim, &fake, dir.path());
    vars.extend(common::bot::smtp_env(&smtp));
    vars.push(("DATABASE_URL".into(), server.url()));
    vars.push((
        "STATE_KEY".into(),
        base64::engine::general_purpose::STANDARD.encode([9u8; 32]),
    ));
    vars.push(("NOTIFY_INTERVAL_SECS".into(), "0".into()));
    let mut bot = Bot::start(&vars, dir.path()).await;
    register(&bot, &fake, &smtp, KIM, "kim@example.com").await;
    let whoami = || command_payload(&Actor::user(KIM), "comake whoami", &[], None);
    assert!(answer(&bot, &fake, &whoami())
        .await
        .to_string()
        .contains("Person 111"));
    assert_eq!(health(&bot).await.0, 200);

    server.down();
    let down = answer(&bot, &fake, &whoami()).await;
    let text = down["content"].as_str().unwrap_or_default().to_owned();
    assert!(text.contains("storage") && text.contains('`'), "{down}");
    assert_eq!(down["flags"], 64, "privately: {down}");
    // /healthz reuses the store's answer for up to a second.
    let deadline = Instant::now() + Duration::from_secs(3);
    while health(&bot).await.0 != 503 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(health(&bot).await.0, 503);

    server.up();
    let deadline = Instant::now() + Duration::from_secs(30);
    while health(&bot).await.0 != 200 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(health(&bot).await.0, 200, "{}", bot.log());
    let back = answer(&bot, &fake, &whoami()).await;
    assert!(back.to_string().contains("Person 111"), "{back}");
    assert!(
        bot.child.try_wait().unwrap().is_none(),
        "the bot restarted or died"
    );
    bot.terminate();
    bot.wait(Duration::from_secs(20)).await;
}
