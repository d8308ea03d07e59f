//! The HTTP interactions endpoint: signature checks before anything is read, and the same handlers end to end, in-process and as the real binary.

use crate::common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use comake_bot::api::discord::{self, interactions};
use comake_bot::comake::wire::ContractStatus;
use common::discord::{command_payload, validate_callback, validate_edit, Actor, Harness};
use common::fake_discord::{FakeDiscord, APP_ID};
use ed25519_dalek::{Signer, SigningKey};

use serde_json::{json, Value};

use common::bot::{hex, key, public_key_hex};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// POST a body with the given signature headers (None: leave one out).
async fn post(
    addr: SocketAddr,
    body: &[u8],
    timestamp: Option<i64>,
    sign_with: Option<&SigningKey>,
) -> (u16, Value) {
    let client = reqwest::Client::new();
    let mut req = client
        .post(format!("http://{addr}/interactions"))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(ts) = timestamp {
        req = req.header("x-signature-timestamp", ts.to_string());
        if let Some(k) = sign_with {
            let mut msg = ts.to_string().into_bytes();
            msg.extend_from_slice(body);
            req = req.header("x-signature-ed25519", hex(&k.sign(&msg).to_bytes()));
        }
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let body = resp.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

struct Endpoint {
    h: Harness,
    fake: FakeDiscord,
    addr: SocketAddr,
}

async fn endpoint() -> Endpoint {
    let fake = FakeDiscord::start().await;
    let proxy = fake.proxy_url();
    let pk = public_key_hex();
    let h = Harness::with_env(&[
        ("DISCORD_TOKEN", "fake-bot-token"),
        ("DISCORD_HTTP_PROXY", &proxy),
        ("DISCORD_APPLICATION_ID", APP_ID),
        ("DISCORD_PUBLIC_KEY", &pk),
    ])
    .await;
    let http = Arc::new(discord::http(&h.app.config.discord).unwrap());
    let verifier =
        serenity::interactions_endpoint::Verifier::try_new(key().verifying_key().to_bytes())
            .unwrap();
    let router = interactions::router(h.app.clone(), http, verifier);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(interactions::serve(
        listener,
        router,
        std::future::pending(),
    ));
    Endpoint { h, fake, addr }
}

/// A connection that sends the start of a request, then one byte a second
/// (of the headers, or of a body it announced), until dropped.
async fn slow_client(addr: SocketAddr, in_body: bool) -> tokio::task::JoinHandle<()> {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::spawn(async move {
        // Signature headers of the right shape (not valid ones): they pass
        // the first look and hold a request slot while the body trickles.
        let start = if in_body {
            format!(
                "POST /interactions HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\nx-signature-ed25519: {}\r\nx-signature-timestamp: {}\r\n\r\n",
                "ab".repeat(64),
                now()
            )
        } else {
            "POST /interactions HTTP/1.1\r\n".to_owned()
        };
        if stream.write_all(start.as_bytes()).await.is_err() {
            return;
        }
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if stream.write_all(b"x").await.is_err() {
                return;
            }
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_do_not_stop_interactions_being_served() {
    let e = endpoint().await;
    e.h.linked(111, "kim@example.com").await;
    let mut slow = Vec::new();
    for _ in 0..200 {
        slow.push(slow_client(e.addr, false).await);
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let started = std::time::Instant::now();
    let body = command_payload(&Actor::user(111), "comake whoami", &[], None).to_string();
    let (status, first) = post(e.addr, body.as_bytes(), Some(now()), Some(&key())).await;
    assert_eq!(status, 200, "{first}");
    assert!(first["data"]["content"].as_str().unwrap().contains("kim"));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    for s in slow {
        s.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_beyond_the_cap_get_503_and_slow_bodies_time_out() {
    let e = endpoint().await;
    let mut slow = Vec::new();
    for _ in 0..interactions::MAX_REQUESTS {
        slow.push(slow_client(e.addr, true).await);
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let body = command_payload(&Actor::user(111), "comake whoami", &[], None).to_string();
    let (status, _) = post(e.addr, body.as_bytes(), Some(now()), Some(&key())).await;
    assert_eq!(status, 503, "every request slot is held by a slow body");
    // The slow bodies time out, and the endpoint serves again.
    tokio::time::sleep(interactions::BODY_TIMEOUT).await;
    let body = command_payload(&Actor::user(111), "comake whoami", &[], None).to_string();
    let (status, _) = post(e.addr, body.as_bytes(), Some(now()), Some(&key())).await;
    assert_eq!(status, 200);
    for s in slow {
        s.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_interaction_runs_once() {
    let e = endpoint().await;
    e.h.linked(111, "kim@example.com").await;
    let body = command_payload(
        &Actor::user(111),
        "comake notifications",
        &[("enabled", json!(false))],
        None,
    )
    .to_string();
    let ts = now();
    let (status, first) = post(e.addr, body.as_bytes(), Some(ts), Some(&key())).await;
    assert_eq!(status, 200, "{first}");
    let (status, again) = post(e.addr, body.as_bytes(), Some(ts), Some(&key())).await;
    assert_eq!(status, 409, "the replay was served: {again}");
    assert_eq!(again, Value::Null, "the replayer reads nothing");
    let audit = e.h.app.store.audit_newest(10, Some(111)).await.unwrap();
    assert_eq!(audit.len(), 1, "{audit:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_does_not_wait_for_slow_clients() {
    let e = endpoint().await;
    let http = Arc::new(discord::http(&e.h.app.config.discord).unwrap());
    let verifier =
        serenity::interactions_endpoint::Verifier::try_new(key().verifying_key().to_bytes())
            .unwrap();
    let router = interactions::router(e.h.app.clone(), http, verifier);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(interactions::serve(listener, router, async {
        let _ = stopped.await;
    }));
    let mut slow = Vec::new();
    for i in 0..20 {
        slow.push(slow_client(addr, i % 2 == 0).await);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = std::time::Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stopped despite slow clients")
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    for s in slow {
        s.abort();
    }
}

#[tokio::test]
async fn a_signed_ping_gets_a_pong() {
    let e = endpoint().await;
    let body = json!({"id": "1", "application_id": APP_ID, "type": 1, "token": "t", "version": 1})
        .to_string();
    let (status, reply) = post(e.addr, body.as_bytes(), Some(now()), Some(&key())).await;
    assert_eq!((status, reply), (200, json!({"type": 1})));
}

#[tokio::test]
async fn forged_stale_and_oversized_requests_are_refused_before_anything_runs() {
    let e = endpoint().await;
    e.h.linked(111, "kim@example.com").await;
    let body = command_payload(&Actor::user(111), "contract new", &[], None).to_string();
    let body = body.as_bytes();
    let stranger = SigningKey::from_bytes(&[9u8; 32]);
    assert_eq!(post(e.addr, body, None, None).await.0, 401, "unsigned");
    assert_eq!(
        post(e.addr, body, Some(now()), None).await.0,
        401,
        "no signature header"
    );
    assert_eq!(
        post(e.addr, body, Some(now()), Some(&stranger)).await.0,
        401,
        "wrongly signed"
    );
    assert_eq!(
        post(e.addr, body, Some(now() - 6 * 60), Some(&key()))
            .await
            .0,
        401,
        "six minutes old"
    );
    assert_eq!(
        post(e.addr, body, Some(now() + 6 * 60), Some(&key()))
            .await
            .0,
        401,
        "from the future"
    );
    // A valid signature over a different body does not carry over.
    let mut tampered = body.to_vec();
    tampered.extend_from_slice(b" ");
    let ts = now();
    let mut msg = ts.to_string().into_bytes();
    msg.extend_from_slice(body);
    let sig = hex(&key().sign(&msg).to_bytes());
    let resp = reqwest::Client::new()
        .post(format!("http://{}/interactions", e.addr))
        .header("x-signature-timestamp", ts.to_string())
        .header("x-signature-ed25519", sig)
        .body(tampered)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401, "tampered body");
    let huge = vec![b' '; interactions::MAX_BODY + 1];
    assert_eq!(
        post(e.addr, &huge, Some(now()), Some(&key())).await.0,
        413,
        "over 1 MiB"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        e.h.sim.requests().is_empty(),
        "Comake was called: {:?}",
        e.h.sim.requests()
    );
    assert!(
        e.fake.calls().is_empty(),
        "Discord was called: {:?}",
        e.fake.calls()
    );
    assert!(e
        .h
        .app
        .store
        .audit_newest(10, None)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn contract_new_and_list_over_http() {
    let e = endpoint().await;
    e.h.linked(111, "kim@example.com").await;
    e.h.sim
        .seed_contract(
            "kim@example.com",
            "Office lease",
            &["갑"],
            ContractStatus::Saved,
        )
        .unwrap();
    let kim = Actor::user(111);

    let body = command_payload(&kim, "contract new", &[], None).to_string();
    let (status, first) = post(e.addr, body.as_bytes(), Some(now()), Some(&key())).await;
    assert_eq!(status, 200);
    validate_callback(&first);
    assert_eq!(first, json!({"type": 5, "data": {"flags": 64}}));
    let edits = e.fake.edits(1).await;
    let edit = edits.first().expect("the link arrives as an edit");
    validate_edit(edit);
    let content = edit["content"].as_str().unwrap();
    let tokens: Vec<String> =
        e.h.sim
            .issued_tokens()
            .into_iter()
            .filter(|t| content.contains(t.as_str()))
            .collect();
    assert_eq!(tokens.len(), 1, "{content}");
    assert_eq!(edit["flags"].as_u64().unwrap() & 4, 4);

    let body = command_payload(&kim, "contract list", &[], None).to_string();
    let (status, first) = post(e.addr, body.as_bytes(), Some(now()), Some(&key())).await;
    assert_eq!((status, first["type"].as_u64()), (200, Some(5)));
    let edits = e.fake.edits(2).await;
    let edit = edits.get(1).expect("the list arrives as an edit");
    validate_edit(edit);
    assert!(
        edit["content"].as_str().unwrap().contains("Office lease"),
        "{edit}"
    );
    // Only the first response went back as the HTTP body: no callback over REST.
    assert!(!e.fake.calls().iter().any(|c| c.path.ends_with("/callback")));
}

#[tokio::test]
async fn a_quick_command_answers_in_the_http_body() {
    let e = endpoint().await;
    let body = command_payload(&Actor::user(111).ko(), "comake whoami", &[], None).to_string();
    let (status, first) = post(e.addr, body.as_bytes(), Some(now()), Some(&key())).await;
    assert_eq!(status, 200);
    validate_callback(&first);
    assert_eq!(first["type"], 4);
    assert_eq!(first["data"]["flags"], 64);
    assert!(first["data"]["content"]
        .as_str()
        .unwrap()
        .contains("/코메이크-관리 등록"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_binary_serves_a_command_end_to_end() {
    let sim = common::sim().await;
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let smtp = common::smtp::SmtpServer::start();
    let mut vars = common::bot::env(&sim, &fake, dir.path());
    vars.extend(common::bot::smtp_env(&smtp));
    let mut bot = common::bot::Bot::start(&vars, dir.path()).await;
    // It registered the commands at start.
    assert!(fake
        .calls()
        .iter()
        .any(|c| c.method == "PUT" && c.path.ends_with("/commands")));
    let body = command_payload(
        &Actor::user(111),
        "comake register",
        &[
            ("email", json!("new@example.com")),
            ("name", json!("New Person")),
        ],
        None,
    );
    common::bot::register_over_http(bot.addr, &fake, &smtp, &body).await;
    let edits = fake.edits(2).await;
    let edit = edits.last().expect("an edit");
    validate_edit(edit);
    assert!(
        edit["content"].as_str().unwrap().contains("New Person"),
        "{edit}"
    );
    assert_eq!(
        sim.count(comake_bot::comake::wire::Endpoint::RegisterClient),
        1
    );
    bot.terminate();
    assert!(bot.wait(Duration::from_secs(20)).await.success());
}
