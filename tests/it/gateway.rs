//! End to end over the gateway: the real serenity client against a fake Discord on 127.0.0.1 (REST through DISCORD_HTTP_PROXY, a websocket gateway).

use crate::common;

use std::time::Duration;

use comake_bot::api::discord;
use comake_bot::comake::wire::ContractStatus;
use common::discord::{command_payload, validate_callback, validate_edit, Actor, Harness, GUILD};
use common::fake_discord::{guild_json, FakeDiscord};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_then_a_command_is_answered_through_the_rest_api() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let fake = FakeDiscord::start().await;
    let proxy = fake.proxy_url();
    let h = Harness::with_env(&[
        ("DISCORD_TOKEN", "fake-bot-token"),
        ("DISCORD_HTTP_PROXY", &proxy),
    ])
    .await;
    h.linked(111, "kim@example.com").await;
    h.sim
        .seed_contract(
            "kim@example.com",
            "Office lease",
            &["갑", "을"],
            ContractStatus::Saved,
        )
        .unwrap();

    let http = discord::http(&h.app.config.discord).unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = h.app.clone();
    let bot = tokio::spawn(async move {
        discord::gateway::run(app, http, async {
            let _ = stopped.await;
        })
        .await
    });

    // READY registers the commands from commands/ in the company's server,
    // and clears the global ones.
    let calls = fake
        .wait_for(Duration::from_secs(15), |c| {
            c.iter().filter(|c| c.method == "PUT").count() >= 2
        })
        .await;
    let puts: Vec<_> = calls.iter().filter(|c| c.method == "PUT").collect();
    assert_eq!(puts.len(), 2, "{puts:?}");
    assert_eq!(
        puts[0].path,
        format!("/api/v10/applications/424242424242424242/guilds/{GUILD}/commands")
    );
    assert_eq!(puts[0].body, json!(discord::command_definitions().unwrap()));
    assert_eq!(
        puts[1].path,
        "/api/v10/applications/424242424242424242/commands"
    );
    assert_eq!(puts[1].body, json!([]), "no global commands linger");
    assert!(h.app.transport_up.load(std::sync::atomic::Ordering::SeqCst));

    fake.push_interaction(command_payload(
        &Actor::user(111),
        "contract list",
        &[],
        None,
    ));
    let calls = fake
        .wait_for(Duration::from_secs(15), |c| {
            c.iter().any(|c| c.method == "PATCH")
        })
        .await;
    let callback = calls
        .iter()
        .find(|c| c.path.ends_with("/callback"))
        .expect("a callback");
    validate_callback(&callback.body);
    assert_eq!(callback.body["type"], 5);
    assert_eq!(callback.body["data"]["flags"], 64);
    let edit = calls.iter().find(|c| c.method == "PATCH").expect("an edit");
    assert!(edit
        .path
        .starts_with("/api/v10/webhooks/424242424242424242/interaction-token-"));
    validate_edit(&edit.body);
    assert!(
        edit.body["content"]
            .as_str()
            .unwrap()
            .contains("Office lease"),
        "{}",
        edit.body
    );

    // Added to a server that is not the company's: leave it, once.
    fake.push_event("GUILD_CREATE", guild_json(GUILD));
    fake.push_event("GUILD_CREATE", guild_json(31337));
    fake.push_event("GUILD_CREATE", guild_json(31337));
    let leaves = |c: &[common::fake_discord::RestCall]| {
        c.iter()
            .filter(|c| c.method == "DELETE")
            .map(|c| c.path.clone())
            .collect::<Vec<_>>()
    };
    fake.wait_for(Duration::from_secs(10), |c| !leaves(c).is_empty())
        .await;
    // A later interaction proves every pushed event was handled.
    fake.push_interaction(command_payload(
        &Actor::user(111),
        "comake whoami",
        &[],
        None,
    ));
    fake.wait_for(Duration::from_secs(10), |c| {
        c.iter().filter(|c| c.path.ends_with("/callback")).count() >= 2
    })
    .await;
    assert_eq!(
        leaves(&fake.calls()),
        ["/api/v10/users/@me/guilds/31337"],
        "exactly one leave, never the company's server"
    );

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), bot)
        .await
        .expect("the bot stops")
        .unwrap()
        .unwrap();
    assert!(!h.app.transport_up.load(std::sync::atomic::Ordering::SeqCst));
}
