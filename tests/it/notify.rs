//! Notifications: the watcher against the simulator and a fake Discord REST on 127.0.0.1.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use comake_bot::api::app::App;
use comake_bot::api::discord;
use comake_bot::api::notify::{Job, Tick, Watcher};
use comake_bot::api::store::Account;
use comake_bot::comake::wire::{ContractId, ContractStatus, Endpoint};
use comake_bot::comake::Comake;
use comake_sim::SigneeAction;
use common::discord::{assert_valid, request_schema, validator, Actor, Harness};
use common::fake_discord::FakeDiscord;
use serde_json::{json, Value};

pub(crate) const KIM: u64 = 111_111_111_111_111_111;
pub(crate) const LEE: u64 = 222_222_222_222_222_222;

pub(crate) struct Setup {
    pub(crate) h: Harness,
    pub(crate) fake: FakeDiscord,
}

pub(crate) async fn setup(extra: &[(&str, &str)]) -> Setup {
    let fake = FakeDiscord::start().await;
    let proxy = fake.proxy_url();
    let mut env = vec![
        ("DISCORD_TOKEN", "fake-bot-token"),
        ("DISCORD_HTTP_PROXY", proxy.as_str()),
    ];
    env.extend_from_slice(extra);
    let h = Harness::with_env(&env).await;
    Setup { h, fake }
}

impl Setup {
    pub(crate) fn watcher(&self) -> Arc<Watcher> {
        self.watcher_for(self.h.app.clone())
    }

    fn watcher_for(&self, app: Arc<App>) -> Arc<Watcher> {
        let http = Arc::new(discord::http(&app.config.discord).unwrap());
        Watcher::new(app, http)
    }

    /// DM bodies sent so far to `user`.
    pub(crate) fn dms(&self, user: u64) -> Vec<Value> {
        let channel = format!("/api/v10/channels/9{}/messages", &user.to_string()[1..]);
        self.fake
            .calls()
            .into_iter()
            .filter(|c| c.path == channel)
            .map(|c| c.body)
            .collect()
    }

    /// One tick of the watcher's own loop, now.
    pub(crate) async fn tick(&self, w: &Arc<Watcher>) -> Tick {
        w.tick(comake_bot::now()).await
    }

    /// Time passes as the watcher's loop would sleep, until `user`'s read
    /// is due; then its ticks run, until one reads them (a few at most).
    /// Returns the DMs they got meanwhile.
    pub(crate) async fn read(&self, w: &Arc<Watcher>, user: u64) -> usize {
        let before = self.dms(user).len();
        for _ in 0..6 {
            let due = self
                .h
                .app
                .store
                .notify_state(user)
                .await
                .unwrap()
                .and_then(|s| s.next_read);
            if let Some(wait) = due.and_then(|t| (t - comake_bot::now()).to_std().ok()) {
                travel(wait).await;
            }
            let tick = self.tick(w).await;
            if tick.reads.read.contains(&user) {
                return self.dms(user).len() - before;
            }
            // Not read (a read that failed is retried later, as the loop
            // would): sleep as the loop would, until its next job.
            if let Ok(wait) = (tick.next - comake_bot::now()).to_std() {
                travel(wait).await;
            }
        }
        panic!("{user} was never read");
    }

    /// Kim, linked, with "NDA" out for signature, after a first (silent) read.
    pub(crate) async fn kim_after_baseline(&self) -> (Arc<Watcher>, ContractId) {
        self.h.linked(KIM, "kim@example.com").await;
        let w = self.watcher();
        let nda = self.sent_contract("NDA").await;
        assert_eq!(self.read(&w, KIM).await, 0, "the first read is silent");
        (w, nda)
    }

    /// Kim and Lee linked, after Lee's first (silent) read.
    pub(crate) async fn lee_after_baseline(&self) -> Arc<Watcher> {
        self.h.linked(KIM, "kim@example.com").await;
        self.h.linked(LEE, "lee@example.com").await;
        let w = self.watcher();
        assert_eq!(self.read(&w, LEE).await, 0, "the first read is silent");
        w
    }

    /// A tick reading Kim (due at once after a command of theirs) that is
    /// still waiting on a slow Comake when this returns (Comake is fast
    /// again for whatever comes next).
    pub(crate) async fn slow_read(&self, w: &Arc<Watcher>) -> tokio::task::JoinHandle<Tick> {
        self.h
            .command(&Actor::user(KIM), "comake whoami", &[])
            .await;
        self.h.sim.set_latency(Duration::from_millis(400));
        let read = tokio::spawn({
            let w = w.clone();
            async move { w.tick(comake_bot::now()).await }
        });
        tokio::time::sleep(Duration::from_millis(150)).await;
        self.h.sim.set_latency(Duration::ZERO);
        read
    }

    /// A contract of Kim's out for signature to Kim (party 0) and Lee (party 1).
    pub(crate) async fn sent_contract(&self, name: &str) -> ContractId {
        let id = self
            .h
            .sim
            .seed_contract(
                "kim@example.com",
                name,
                &["갑", "을"],
                ContractStatus::Saved,
            )
            .unwrap();
        let kim = self.h.app.comake.user("kim@example.com");
        let signee = common::plain_signee;
        kim.set_signees(
            &id,
            vec![
                signee(0, "Kim", "kim@example.com"),
                signee(1, "Lee", "lee@example.com"),
            ],
        )
        .await
        .unwrap();
        kim.request_sign(&id).await.unwrap();
        id
    }
}

pub(crate) fn check_dm(s: &Setup, body: &Value) {
    let v = validator(request_schema("/channels/{channel_id}/messages", "post"));
    assert_valid(&v, body, "a DM");
    let text = body.to_string();
    for token in s.h.sim.issued_tokens() {
        assert!(!text.contains(&token), "a DM holds a token");
    }
    assert!(!text.contains("token="), "a DM holds a link with a token");
    assert!(
        !text.contains("@example.com"),
        "a DM holds an email: {text}"
    );
    // No phone-like run of digits in what a person reads (Discord
    // timestamps aside; contract ids in button ids are not shown).
    let labels: Vec<&str> = body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .filter_map(|c| c["label"].as_str())
        .collect();
    let mut plain = format!(
        "{} {}",
        body["content"].as_str().unwrap_or_default(),
        labels.join(" ")
    );
    while let Some(start) = plain.find("<t:") {
        let end = plain[start..]
            .find('>')
            .map_or(plain.len(), |e| start + e + 1);
        plain.replace_range(start..end, "");
    }
    let digits_run = plain
        .split(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | ' ' | '.')))
        .map(|run| run.chars().filter(char::is_ascii_digit).count())
        .max()
        .unwrap_or(0);
    assert!(digits_run < 9, "a DM holds a phone-like number: {text}");
}

#[tokio::test]
async fn the_owner_hears_once_about_each_move() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let w = s.watcher();
    let nda = s.sent_contract("NDA").await;
    let lease = s.sent_contract("Lease").await;

    assert_eq!(
        s.read(&w, KIM).await,
        0,
        "the first read is a silent baseline"
    );
    assert!(s.dms(KIM).is_empty());

    s.h.sim.signee_acts(&nda, 0, SigneeAction::Sign).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    assert_eq!(s.read(&w, KIM).await, 0, "nothing new");
    let dms = s.dms(KIM);
    assert_eq!(dms.len(), 1);
    assert!(
        dms[0]["content"]
            .as_str()
            .unwrap()
            .contains("**Kim** signed **NDA**"),
        "{}",
        dms[0]
    );
    check_dm(&s, &dms[0]);

    s.h.sim
        .signee_acts(&lease, 1, SigneeAction::Reject)
        .unwrap();
    s.read(&w, KIM).await;
    let dms = s.dms(KIM);
    assert_eq!(dms.len(), 2);
    assert!(
        dms[1]["content"]
            .as_str()
            .unwrap()
            .contains("**Lee** declined to sign **Lease**"),
        "{}",
        dms[1]
    );

    s.h.sim.signee_acts(&nda, 1, SigneeAction::Sign).unwrap();
    s.read(&w, KIM).await;
    s.read(&w, KIM).await;
    let dms = s.dms(KIM);
    assert_eq!(dms.len(), 3, "completing is one DM");
    let text = dms[2]["content"].as_str().unwrap();
    assert!(
        text.contains("Everyone has signed **NDA**") && !text.contains("signed **NDA**.\n"),
        "{text}"
    );
    for dm in &dms {
        check_dm(&s, dm);
    }
}

#[tokio::test]
async fn opted_out_users_hear_nothing_and_opting_in_starts_afresh() {
    let s = setup(&[]).await;
    let (w, nda) = s.kim_after_baseline().await;
    let a =
        s.h.command(
            &Actor::user(KIM),
            "comake notifications",
            &[("enabled", json!(false))],
        )
        .await;
    assert!(a.text().contains("off"), "{}", a.text());
    s.h.sim.clear_log();
    s.h.sim.signee_acts(&nda, 0, SigneeAction::Sign).unwrap();
    travel(Duration::from_secs(3600)).await;
    assert_eq!(s.tick(&w).await.reads.users, 0, "an opted-out user is read");
    assert!(s.dms(KIM).is_empty());
    assert!(
        s.h.sim.requests().is_empty(),
        "an opted-out user's box was read"
    );
    let a =
        s.h.command(
            &Actor::user(KIM).ko(),
            "comake notifications",
            &[("enabled", json!(true))],
        )
        .await;
    assert!(a.text().contains("켰습니다"), "{}", a.text());
    assert_eq!(s.read(&w, KIM).await, 0, "old changes are not announced");
    s.h.sim.signee_acts(&nda, 1, SigneeAction::View).unwrap();
    s.read(&w, KIM).await;
    let dms = s.dms(KIM);
    assert_eq!(dms.len(), 1);
    // In Korean: the last command came from a Korean client.
    assert!(
        dms[0]["content"].as_str().unwrap().contains("열람했습니다"),
        "{}",
        dms[0]
    );
}

#[tokio::test]
async fn looking_at_the_settings_or_turning_on_what_is_on_loses_nothing() {
    let s = setup(&[]).await;
    let (w, nda) = s.kim_after_baseline().await;
    s.h.sim.signee_acts(&nda, 1, SigneeAction::View).unwrap();
    // Kim looks at the settings, then turns on what is already on.
    let a =
        s.h.command(&Actor::user(KIM).ko(), "comake notifications", &[])
            .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert!(
        a.text().contains("실시간 DM: 켜짐") && a.text().contains("요약: 꺼짐"),
        "{}",
        a.text()
    );
    s.h.command(
        &Actor::user(KIM),
        "comake notifications",
        &[("enabled", json!(true))],
    )
    .await;
    // Lee's view, from before either command, is still told.
    assert_eq!(s.read(&w, KIM).await, 1);
    let dm = &s.dms(KIM)[0];
    assert!(dm["content"].as_str().unwrap().contains("Lee"), "{dm}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opt_out_or_unlink_during_a_read_holds_and_no_dm_follows() {
    let s = setup(&[]).await;
    let (w, nda) = s.kim_after_baseline().await;
    s.h.sim.signee_acts(&nda, 0, SigneeAction::Sign).unwrap();
    // Comake is slow: the read is in flight while Kim opts out.
    let read = s.slow_read(&w).await;
    let a =
        s.h.command(
            &Actor::user(KIM),
            "comake notifications",
            &[("enabled", json!(false))],
        )
        .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert_eq!(read.await.unwrap().reads.dms, 0, "no DM after opting out");
    assert!(s.dms(KIM).is_empty());
    let state = s.h.app.store.notify_state(KIM).await.unwrap().unwrap();
    assert!(!state.enabled, "the opt-out was undone");

    // The same for an unlink: no DM, and the state is not recreated.
    s.h.command(
        &Actor::user(KIM),
        "comake notifications",
        &[("enabled", json!(true))],
    )
    .await;
    // The command made Kim's read due; this tick is their new baseline.
    assert_eq!(s.tick(&w).await.reads.read, [KIM]);
    s.h.sim.signee_acts(&nda, 1, SigneeAction::View).unwrap();
    let read = s.slow_read(&w).await;
    let asked = s.h.command(&Actor::user(KIM), "comake unlink", &[]).await;
    s.h.press(&Actor::user(KIM), &asked.button("c:ok:")).await;
    assert!(s.h.app.store.account(KIM).await.unwrap().is_none());
    assert_eq!(read.await.unwrap().reads.dms, 0);
    assert!(s.dms(KIM).is_empty(), "a DM reached an unlinked user");
    assert!(s.h.app.store.notify_state(KIM).await.unwrap().is_none());
}

#[tokio::test]
async fn thirty_contracts_waiting_at_once_are_all_announced() {
    let s = setup(&[]).await;
    let w = s.lee_after_baseline().await;
    let mut ids = Vec::new();
    for i in 0..30 {
        let name = format!("{i:02} {}", "계약서".repeat(40));
        ids.push(s.sent_contract(&name).await);
    }
    let sent = s.read(&w, LEE).await;
    let dms = s.dms(LEE);
    assert_eq!(dms.len(), sent);
    assert!(dms.len() >= 2, "30 long names need more than one DM");
    let mut buttons = Vec::new();
    for dm in &dms {
        check_dm(&s, dm);
        assert!(dm["content"].as_str().unwrap().chars().count() <= 2000);
        assert_eq!(dm["flags"], 4, "link previews are suppressed");
        for row in dm["components"].as_array().unwrap() {
            for b in row["components"].as_array().unwrap() {
                buttons.push(b["custom_id"].as_str().unwrap().to_owned());
            }
        }
    }
    let text: String = dms.iter().map(|d| d["content"].as_str().unwrap()).collect();
    for i in 0..30 {
        assert!(
            text.contains(&format!("{i:02} 계약서")),
            "contract {i} was not announced"
        );
    }
    for id in &ids {
        assert!(
            buttons.contains(&format!("n:sign:{id}")),
            "no button for {id}"
        );
    }
    // Nothing is announced twice.
    assert_eq!(s.read(&w, LEE).await, 0);
}

#[tokio::test]
async fn a_dm_about_a_contract_named_like_a_link_carries_no_link() {
    let s = setup(&[]).await;
    let w = s.lee_after_baseline().await;
    s.sent_contract("긴급: https://comake-secure.example/login \u{202E}fdp.exe")
        .await;
    assert_eq!(s.read(&w, LEE).await, 1);
    let dm = s.dms(LEE).remove(0);
    check_dm(&s, &dm);
    let content = dm["content"].as_str().unwrap();
    assert!(!crate::common::has_live_link(content), "{content}");
    assert!(!content.contains('\u{202E}'), "{content}");
    assert!(
        content.contains("secure.example"),
        "the name is still shown: {content}"
    );
    assert_eq!(dm["flags"], 4, "link previews suppressed");
}

#[tokio::test]
async fn a_receiver_hears_a_contract_is_waiting_and_the_button_explains() {
    let s = setup(&[]).await;
    let w = s.lee_after_baseline().await;
    let id = s.sent_contract("Office lease").await;
    assert_eq!(s.read(&w, LEE).await, 1);
    assert_eq!(s.read(&w, LEE).await, 0);
    let dms = s.dms(LEE);
    assert_eq!(dms.len(), 1);
    assert!(
        dms[0]["content"]
            .as_str()
            .unwrap()
            .contains("**Office lease** is waiting for your signature"),
        "{}",
        dms[0]
    );
    check_dm(&s, &dms[0]);
    let button = dms[0]["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(button, format!("n:sign:{id}"));
    let dm_actor = Actor {
        guild: None,
        ..Actor::user(LEE)
    };
    let a = s.h.press(&dm_actor, &button).await;
    assert_eq!(a.first()["type"], 4, "a new private message, the DM stays");
    assert!(a.ephemeral());
    let text = a.text();
    assert!(
        text.contains("Office lease") && text.contains("email"),
        "{text}"
    );
    assert!(s
        .h
        .sim
        .issued_tokens()
        .iter()
        .all(|t| !a.all_text().contains(t.as_str())));
}

#[tokio::test]
async fn a_receiver_hears_how_it_ends_complete_or_withdrawn() {
    let s = setup(&[]).await;
    let w = s.lee_after_baseline().await;
    let done = s.sent_contract("Office lease").await;
    let dropped = s.sent_contract("Parking").await;
    assert_eq!(s.read(&w, LEE).await, 1, "both waiting, in one DM");
    // Everyone signs the lease; Kim withdraws the parking request.
    s.h.sim.signee_acts(&done, 0, SigneeAction::Sign).unwrap();
    s.h.sim.signee_acts(&done, 1, SigneeAction::Sign).unwrap();
    s.h.app
        .comake
        .user("kim@example.com")
        .cancel_sign(&dropped, None)
        .await
        .unwrap();
    assert_eq!(s.read(&w, LEE).await, 1);
    let dm = s.dms(LEE).pop().unwrap();
    check_dm(&s, &dm);
    let text = dm["content"].as_str().unwrap();
    assert!(
        text.contains("Everyone has signed **Office lease**"),
        "{text}"
    );
    assert!(
        text.contains("**Parking** was withdrawn") && text.contains("nothing for you to do"),
        "{text}"
    );
    assert_eq!(s.read(&w, LEE).await, 0, "told once");
}

#[tokio::test]
async fn a_decline_is_told_with_the_signees_reason_masked_and_inert() {
    let s = setup(&[]).await;
    let (w, nda) = s.kim_after_baseline().await;
    s.h.sim
        .signee_declines(
            &nda,
            1,
            Some("Wrong **date**, call me on 010-9876-5432 or lee@example.com"),
        )
        .unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let dm = &s.dms(KIM)[0];
    check_dm(&s, dm);
    let text = dm["content"].as_str().unwrap();
    assert!(
        text.contains("**Lee** declined to sign **NDA**: “Wrong"),
        "{text}"
    );
    assert!(
        !text.contains("**date**") && text.contains(r"\[number\]"),
        "{text}"
    );
}

#[tokio::test]
async fn a_restart_neither_repeats_nor_loses_anything() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let nda = s.sent_contract("NDA").await;
    let fresh_app = || {
        App::new(
            s.h.app.config.clone(),
            Comake::new(s.h.app.config.comake.clone()).unwrap(),
            s.h.app.store.clone(),
        )
        .unwrap()
    };
    s.read(&s.watcher_for(fresh_app()), KIM).await;
    s.h.sim.signee_acts(&nda, 0, SigneeAction::Sign).unwrap();
    s.read(&s.watcher_for(fresh_app()), KIM).await;
    assert_eq!(s.dms(KIM).len(), 1);
    // The bot restarts: nothing is announced again...
    assert_eq!(s.read(&s.watcher_for(fresh_app()), KIM).await, 0);
    // ...and what happened while it was down is announced once.
    s.h.sim.signee_acts(&nda, 1, SigneeAction::View).unwrap();
    let after = s.watcher_for(fresh_app());
    assert_eq!(s.read(&after, KIM).await, 1);
    assert_eq!(s.read(&after, KIM).await, 0);
    assert_eq!(s.dms(KIM).len(), 2);
}

#[tokio::test]
async fn closed_dms_stop_notifications_until_the_user_comes_back() {
    let s = setup(&[]).await;
    let (w, nda) = s.kim_after_baseline().await;
    s.fake.fail_dms_with(Some(50007));
    s.h.sim.signee_acts(&nda, 0, SigneeAction::View).unwrap();
    assert_eq!(s.read(&w, KIM).await, 0);
    let attempts = || {
        s.fake
            .calls()
            .iter()
            .filter(|c| c.path.ends_with("/users/@me/channels"))
            .count()
    };
    assert_eq!(attempts(), 1);
    s.h.sim.signee_acts(&nda, 0, SigneeAction::Sign).unwrap();
    travel(Duration::from_secs(3600)).await;
    let stats = s.tick(&w).await.reads;
    assert_eq!(stats.users, 0, "an unreachable user is not read");
    assert_eq!(attempts(), 1, "no further DM attempts");
    // They use a command: reachable again.
    s.fake.fail_dms_with(None);
    s.h.command(&Actor::user(KIM), "comake whoami", &[]).await;
    s.h.sim.signee_acts(&nda, 1, SigneeAction::Sign).unwrap();
    assert_eq!(s.tick(&w).await.reads.dms, 1);
    assert_eq!(s.dms(KIM).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_users_never_burst_past_the_cap() {
    let s = setup(&[("NOTIFY_MAX_RPS", "50")]).await;
    let users = 1000u64;
    let mut accounts = Vec::new();
    for i in 0..users {
        let email = format!("user{i}@example.com");
        s.h.sim.add_user(&email, "U").unwrap();
        accounts.push(Account {
            discord_id: 10_000 + i,
            email,
            name: "U".into(),
            comake_client_id: String::new(),
            linked_at: chrono::Utc::now(),
            linked_by: 0,
            method: comake_bot::api::store::LinkMethod::Admin,
        });
    }
    s.h.app
        .store
        .import(accounts, Vec::new(), false)
        .await
        .unwrap();
    // Most users have a cached clientToken from earlier commands; the last
    // 100 do not, so the cycle logs them in, and those logins count too.
    let warm = s.h.app.comake.clone();
    for i in 0..users - 100 {
        warm.user(&format!("user{i}@example.com"))
            .fresh_token()
            .await
            .unwrap();
    }
    s.h.sim.clear_log();
    let stats = s.tick(&s.watcher()).await.reads;
    assert_eq!((stats.users, stats.reads, stats.failures), (1000, 1000, 0));
    let log = s.h.sim.requests();
    let count = |ep: Endpoint| log.iter().filter(|r| r.endpoint == Some(ep.name())).count();
    assert_eq!(count(Endpoint::ListContracts), 1000);
    assert_eq!(count(Endpoint::LoginClient), 100);
    let mut at: Vec<u64> = log.iter().map(|r| r.at_ms).collect();
    at.sort_unstable();
    let mut worst = 0;
    for (i, start) in at.iter().enumerate() {
        let in_window = at[i..].iter().take_while(|t| **t < start + 1000).count();
        worst = worst.max(in_window);
    }
    eprintln!("worst one-second window: {worst} requests");
    assert!(worst <= 50, "{worst} Comake requests in one second");
    // Loose, for a busy CI machine: only that the cap, not something
    // slower, paces the cycle.
    assert!(
        worst >= 25,
        "the cap is not used ({worst}/s): the cycle is needlessly slow"
    );
}

// ----- the adaptive schedule -----

/// Seconds from now to `user`'s next read (negative: due already).
async fn next_read_in(s: &Setup, user: u64) -> i64 {
    let state = s.h.app.store.notify_state(user).await.unwrap().unwrap();
    (state.next_read.expect("a next read") - comake_bot::now()).num_seconds()
}

#[tokio::test]
async fn people_in_motion_are_read_every_interval_and_the_rest_back_off() {
    let s = setup(&[
        ("NOTIFY_INTERVAL_SECS", "60"),
        ("NOTIFY_MAX_IDLE_SECS", "600"),
    ])
    .await;
    s.h.linked(KIM, "kim@example.com").await;
    let w = s.watcher();
    // Nothing in motion: the wait doubles, up to the token's hour split
    // evenly in waits of at most NOTIFY_MAX_IDLE_SECS (3,480 s / 6).
    let mut waits = Vec::new();
    for _ in 0..6 {
        s.read(&w, KIM).await;
        waits.push(next_read_in(&s, KIM).await);
    }
    let near = |got: i64, want: i64| (want - 3..=want).contains(&got);
    for (got, want) in waits.iter().zip([60, 120, 240, 480, 580, 580]) {
        assert!(near(*got, want), "waits {waits:?}");
    }
    // A contract out for signature: every minute again.
    s.sent_contract("NDA").await;
    s.read(&w, KIM).await;
    let wait = next_read_in(&s, KIM).await;
    assert!(near(wait, 60), "{wait}");
}

#[tokio::test]
async fn a_command_or_a_request_to_a_linked_email_makes_the_read_due_now() {
    let s = setup(&[("NOTIFY_INTERVAL_SECS", "60")]).await;
    s.h.linked(KIM, "kim@example.com").await;
    s.h.linked(LEE, "lee@example.com").await;
    let w = s.watcher();
    // Both read once: nobody is due for a while.
    assert_eq!(s.tick(&w).await.reads.reads, 2);
    assert_eq!(s.tick(&w).await.reads.users, 0, "read again at once");
    assert!(next_read_in(&s, LEE).await > 30);
    // Kim runs a command: Kim's read is due now, Lee's is not.
    s.h.command(&Actor::user(KIM), "comake whoami", &[]).await;
    assert!(next_read_in(&s, KIM).await <= 0);
    assert!(next_read_in(&s, LEE).await > 30);
    let stats = s.tick(&w).await.reads;
    assert_eq!(stats.read, [KIM]);
    // Kim asks Lee (a linked person) to sign: Lee is read next.
    let id =
        s.h.sim
            .seed_contract(
                "kim@example.com",
                "NDA",
                &["갑", "을"],
                ContractStatus::Saved,
            )
            .unwrap();
    let kim_client = s.h.app.comake.user("kim@example.com");
    kim_client
        .set_signees(
            &id,
            vec![
                common::plain_signee(0, "Kim", "kim@example.com"),
                common::plain_signee(1, "Lee", "lee@example.com"),
            ],
        )
        .await
        .unwrap();
    let a = kim_on(&s, "contract request-sign", &id).await;
    s.h.press(&Actor::user(KIM), &a.button("c:ok:")).await;
    assert!(next_read_in(&s, LEE).await <= 0, "Lee is not read next");
    let stats = s.tick(&w).await.reads;
    assert_eq!(stats.reads, 2, "Kim (a command) and Lee (a request)");
    assert_eq!(s.dms(LEE).len(), 1, "Lee hears the request is waiting");
}

#[tokio::test]
async fn the_schedule_survives_a_restart() {
    let s = setup(&[("NOTIFY_INTERVAL_SECS", "60")]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let w = s.watcher();
    assert_eq!(s.tick(&w).await.reads.reads, 1);
    // Restarted: a new app and watcher on the same store find Kim not due
    // yet, while someone never read is read at once.
    s.h.linked(LEE, "lee@example.com").await;
    let fresh = App::new(
        s.h.app.config.clone(),
        Comake::new(s.h.app.config.comake.clone()).unwrap(),
        s.h.app.store.clone(),
    )
    .unwrap();
    let stats = s.tick(&s.watcher_for(fresh)).await.reads;
    assert_eq!(stats.read, [LEE], "only Lee");
}

// ----- approvals and turns -----

/// Kim's saved contract `name` with both signees set, in approval by Boss.
async fn in_approval(s: &Setup, name: &str) -> ContractId {
    let id =
        s.h.sim
            .seed_contract(
                "kim@example.com",
                name,
                &["갑", "을"],
                ContractStatus::Saved,
            )
            .unwrap();
    s.h.sim
        .set_signees(
            "kim@example.com",
            &id,
            vec![
                common::plain_signee(0, "Kim", "kim@example.com"),
                common::plain_signee(1, "Lee", "lee@example.com"),
            ],
        )
        .unwrap();
    s.h.sim
        .request_approval("kim@example.com", &id, &[("Boss", "boss@example.com")])
        .unwrap();
    id
}

#[tokio::test]
async fn an_approval_reaches_the_sender_with_a_request_signatures_button() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let id = in_approval(&s, "Lease").await;
    let w = s.watcher();
    assert_eq!(s.read(&w, KIM).await, 0, "the baseline is silent");
    s.h.sim.approver_acts(&id, true, None).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let dms = s.dms(KIM);
    check_dm(&s, &dms[0]);
    assert!(
        dms[0]["content"].as_str().unwrap().contains("approved"),
        "{}",
        dms[0]
    );
    let button = common::discord::custom_ids(&dms[0])
        .into_iter()
        .find(|c| c.starts_with("a:request:"))
        .expect("a Request signatures button");
    // It opens the same preview as /contract request-sign.
    // Pressed in the DM (no server): a new private message, the DM stays.
    let in_dm = Actor {
        guild: None,
        ..Actor::user(KIM)
    };
    let preview = s.h.press(&in_dm, &button).await;
    assert_eq!(
        preview.first()["type"],
        5,
        "a new message, not an update of the DM"
    );
    assert!(preview.text().contains("Lee"), "{}", preview.text());
    // Its Send, double-clicked in the DM, sends once.
    let send = preview.button("d:ok:");
    let (x, y) = tokio::join!(s.h.press(&in_dm, &send), s.h.press(&in_dm, &send));
    assert_eq!(
        s.h.sim.count(Endpoint::RequestSign),
        1,
        "{} / {}",
        x.text(),
        y.text()
    );
    // Other contract buttons stay refused in a DM.
    let edit = s.h.press(&in_dm, &format!("a:edit:{id}")).await;
    assert_eq!(edit.outcome.result, "refused");
}

#[tokio::test]
async fn a_rejected_or_withdrawn_approval_is_told_with_its_reason() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let rejected = in_approval(&s, "Lease").await;
    let withdrawn = in_approval(&s, "Loan").await;
    let w = s.watcher();
    s.read(&w, KIM).await;
    s.h.sim
        .approver_acts(
            &rejected,
            false,
            Some("Wrong **amount**, see https://evil.example or call 010-1234-5678, boss@example.com"),
        )
        .unwrap();
    s.h.sim
        .cancel_approval("kim@example.com", &withdrawn)
        .unwrap();
    assert_eq!(s.read(&w, KIM).await, 1, "one DM with both");
    let dm = &s.dms(KIM)[0];
    check_dm(&s, dm);
    let text = dm["content"].as_str().unwrap();
    assert!(
        text.contains("rejected") && text.contains("Wrong"),
        "{text}"
    );
    assert!(
        !crate::common::has_live_link(text) && !text.contains("**amount**"),
        "{text}"
    );
    assert!(
        text.contains("withdrawn") && text.contains("Loan"),
        "{text}"
    );
    // /contract show's hint for a rejected approval is its own.
    let a = kim_on(&s, "contract request-sign", &rejected).await;
    assert!(a.text().contains("approver rejected"), "{}", a.text());
}

#[tokio::test]
async fn waiting_is_announced_when_it_is_the_persons_turn_and_not_before() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    s.h.sim.add_user("choi@example.com", "Choi").unwrap();
    let w = s.watcher();
    s.read(&w, KIM).await;
    // Choi asks Lee, then Kim, to sign in that order.
    let id =
        s.h.sim
            .seed_contract(
                "choi@example.com",
                "Sequential",
                &["갑", "을"],
                ContractStatus::Saved,
            )
            .unwrap();
    s.h.sim.set_sequential(&id, true).unwrap();
    s.h.sim
        .set_signees(
            "choi@example.com",
            &id,
            vec![
                common::plain_signee(0, "Lee", "lee@example.com"),
                common::plain_signee(1, "Kim", "kim@example.com"),
            ],
        )
        .unwrap();
    s.h.app
        .comake
        .user("choi@example.com")
        .request_sign(&id)
        .await
        .unwrap();
    assert_eq!(s.read(&w, KIM).await, 0, "not Kim's turn yet");
    s.h.sim.signee_acts(&id, 0, SigneeAction::Sign).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let dm = &s.dms(KIM)[0];
    assert!(
        dm["content"].as_str().unwrap().contains("Your turn"),
        "{dm}"
    );
    // An approval asked of Kim says so, with no signing button (only
    // the contract's Mute).
    let theirs =
        s.h.sim
            .seed_contract("choi@example.com", "Budget", &["갑"], ContractStatus::Saved)
            .unwrap();
    s.h.sim
        .request_approval("choi@example.com", &theirs, &[("Kim", "kim@example.com")])
        .unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let dm = &s.dms(KIM)[1];
    check_dm(&s, dm);
    assert!(dm["content"].as_str().unwrap().contains("approval"), "{dm}");
    assert_eq!(
        common::discord::custom_ids(dm),
        [format!("n:mute:{theirs}")],
        "{dm}"
    );
}

// ----- the digest -----

/// Move tokio's clock (and the bot's with it) forward by `by`.
pub(crate) async fn travel(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

/// The next 09:00 in Seoul on the bot's clock.
pub(crate) fn next_nine_in_seoul() -> chrono::DateTime<chrono::Utc> {
    let seoul: chrono_tz::Tz = "Asia/Seoul".parse().unwrap();
    let now = comake_bot::now();
    let local = now.with_timezone(&seoul);
    let mut nine = chrono::TimeZone::from_local_datetime(
        &seoul,
        &local.date_naive().and_hms_opt(9, 0, 0).unwrap(),
    )
    .unwrap()
    .with_timezone(&chrono::Utc);
    if nine <= now {
        nine += chrono::Duration::days(1);
    }
    nine
}

#[tokio::test]
async fn a_digest_only_person_gets_the_digest_and_no_real_time_dm() {
    let s = setup(&[("DIGEST_STALE_DAYS", "1")]).await;
    let (w, nda) = s.kim_after_baseline().await;
    let a =
        s.h.command(
            &Actor::user(KIM),
            "comake notifications",
            &[("enabled", json!(false)), ("digest", json!("daily"))],
        )
        .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    // The answer says both: real-time DMs off, and the digest on.
    assert!(
        a.text().contains("off") && a.text().contains("09:00"),
        "{}",
        a.text()
    );
    // Lee views it: a real-time DM would say so; Kim asked for none.
    s.h.sim.signee_acts(&nda, 1, SigneeAction::View).unwrap();
    // The loop runs on into the second morning after (the contract has
    // then waited more than a day), sleeping as `tick` says.
    let until = next_nine_in_seoul() + chrono::Duration::days(1) + chrono::Duration::seconds(1);
    let mut digests = 0;
    for _ in 0..1_000 {
        let now = comake_bot::now();
        if now >= until {
            break;
        }
        let tick = w.tick(now).await;
        digests += tick.digests;
        // Long steps (the 30 s reloads need not all run): ten minutes
        // at most, as far as the next job due at least.
        let wake = tick
            .next
            .max(now + chrono::Duration::minutes(10))
            .min(until);
        travel((wake - now).to_std().unwrap()).await;
    }
    assert!(comake_bot::now() >= until, "the loop did not get there");
    digests += s.tick(&w).await.digests;
    let dms = s.dms(KIM);
    // The first morning nothing has waited a day yet: no DM.
    assert_eq!(digests, 1, "{dms:?}");
    assert_eq!(dms.len(), 1, "{dms:?}");
    let text = dms[0]["content"].as_str().unwrap();
    assert!(text.contains("digest") && text.contains("NDA"), "{text}");
    assert!(!text.contains("viewed"), "a real-time DM: {text}");
}

#[tokio::test]
async fn a_digest_comes_once_at_nine_in_its_zone() {
    let s = setup(&[
        ("DIGEST_TIMEZONE", "Asia/Seoul"),
        ("DIGEST_STALE_DAYS", "1"),
    ])
    .await;
    s.h.linked(KIM, "kim@example.com").await;
    s.sent_contract("Kim's NDA").await;
    s.h.sim.add_user("choi@example.com", "Choi").unwrap();
    let kim_signs = [("Kim", "kim@example.com")];
    let h = &s.h;
    common::sent_for_signature(
        &h.sim,
        &h.app.comake,
        "choi@example.com",
        "Choi's lease",
        &kim_signs,
    )
    .await;
    // Two days on, Kim's contract has waited on others for more than a day.
    travel(Duration::from_secs(2 * 86_400)).await;
    let a =
        s.h.command(
            &Actor::user(KIM),
            "comake notifications",
            &[("digest", json!("daily"))],
        )
        .await;
    assert!(
        a.text().contains("09:00") && a.text().contains("Asia/Seoul"),
        "{}",
        a.text()
    );
    let w = s.watcher();
    s.tick(&w).await;
    let dms_before = s.dms(KIM).len();
    // A minute before the next 09:00 in Seoul: nothing yet.
    let nine = next_nine_in_seoul();
    travel(
        (nine - comake_bot::now() - chrono::Duration::seconds(60))
            .to_std()
            .unwrap(),
    )
    .await;
    let before = s.tick(&w).await;
    assert_eq!(before.digests, 0, "before 09:00");
    // The loop would sleep until the digests are due: 09:00 exactly.
    assert!(before.next <= nine, "{} > {nine}", before.next);
    travel(Duration::from_secs(120)).await;
    let at_nine = s.tick(&w).await;
    assert!(at_nine.ran.contains(&Job::Digests), "{:?}", at_nine.ran);
    assert_eq!(at_nine.digests, 1, "at 09:00");
    let dms = s.dms(KIM);
    let digest = &dms[dms_before];
    check_dm(&s, digest);
    let text = digest["content"].as_str().unwrap();
    assert!(
        text.contains("Kim's NDA") && text.contains("Choi's lease"),
        "{text}"
    );
    assert_eq!(s.tick(&w).await.digests, 0, "once a day");
}

/// Kim runs `command` on contract `id`.
async fn kim_on(s: &Setup, command: &str, id: &ContractId) -> common::discord::Answer {
    s.h.command(
        &Actor::user(KIM),
        command,
        &[("contract", json!(id.as_str()))],
    )
    .await
}

// ----- live status cards -----

const CHANNEL: u64 = 700_000_000_000_000_001;

/// Edits of the posted card so far.
fn card_edits(s: &Setup) -> Vec<Value> {
    let path = format!(
        "/api/v10/channels/{CHANNEL}/messages/{}",
        common::discord::POSTED_ID
    );
    s.fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "PATCH" && c.path == path)
        .map(|c| c.body)
        .collect()
}

/// Kim shares `id`'s card from `/contract show`.
pub(crate) async fn share(s: &Setup, id: &ContractId) -> common::discord::Answer {
    let kim = Actor::user(KIM);
    let shown =
        s.h.command(&kim, "contract show", &[("contract", json!(id.as_str()))])
            .await;
    let asked = s.h.press(&kim, &shown.button("s:share:")).await;
    s.h.press(&kim, &asked.button("s:post:")).await
}

fn check_card(body: &Value) {
    let v = validator(request_schema("/channels/{channel_id}/messages", "post"));
    assert_valid(&v, body, "a status card");
    let text = body["content"].as_str().unwrap_or_default();
    assert!(
        !text.contains("@example.com"),
        "an email on a public card: {text}"
    );
    assert!(!crate::common::has_live_link(text), "{text}");
    assert_ne!(
        body["flags"].as_u64().unwrap_or(0) & 64,
        64,
        "a card is public"
    );
}

#[tokio::test]
async fn a_status_card_is_posted_followed_and_frozen_at_completion() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let id = s.sent_contract("Office lease").await;
    // A double click posts one card.
    let shown = kim_on(&s, "contract show", &id).await;
    let kim = Actor::user(KIM);
    let asked = s.h.press(&kim, &shown.button("s:share:")).await;
    // The question shows what will be public: Lee, outside the company
    // here, masked.
    assert!(asked.text().contains(r"L\*\*\*"), "{}", asked.text());
    let button = asked.button("s:post:");
    let (a, b) = tokio::join!(s.h.press(&kim, &button), s.h.press(&kim, &button));
    assert_eq!(a.posted().len() + b.posted().len(), 1, "two cards");
    let a = if a.posted().is_empty() { b } else { a };
    assert!(a.text().contains("status card"), "{}", a.text());
    let posted = a.posted();
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].0, CHANNEL);
    check_card(&posted[0].1);
    // Kim is a linked colleague and shows in full; Lee is not linked here,
    // someone outside the company, and shows masked.
    let text = posted[0].1["content"].as_str().unwrap();
    assert!(
        text.contains("Office lease") && text.contains("Kim") && text.contains(r"L\*\*\*"),
        "{text}"
    );
    assert!(
        !text.contains("Lee"),
        "an outside signee's name is public: {text}"
    );
    // /contract show now offers Unshare instead.
    let shown = kim_on(&s, "contract show", &id).await;
    assert!(shown.button("s:stop:").starts_with("s:stop:"));

    let w = s.watcher();
    s.read(&w, KIM).await;
    let before = card_edits(&s).len();
    s.h.sim.signee_acts(&id, 1, SigneeAction::Sign).unwrap();
    s.read(&w, KIM).await;
    let edits = card_edits(&s);
    assert_eq!(edits.len(), before + 1, "one edit for one move");
    check_card(edits.last().unwrap());
    assert!(edits.last().unwrap()["content"]
        .as_str()
        .unwrap()
        .contains("signed"));
    // Completed: a last edit, then the card is frozen.
    s.h.sim.signee_acts(&id, 0, SigneeAction::Sign).unwrap();
    s.read(&w, KIM).await;
    let edits = card_edits(&s);
    let last = edits.last().unwrap()["content"].as_str().unwrap();
    assert!(last.contains("final: no longer updated"), "{last}");
    // It says who shared it (a mention, which pings nobody) and when the
    // contract last changed.
    assert!(
        last.contains(&format!("Shared by <@{KIM}>")) && last.contains("last change <t:"),
        "{last}"
    );
    assert_eq!(
        edits.last().unwrap()["allowed_mentions"]["parse"],
        json!([])
    );
    assert!(s.h.app.store.card(id.as_str()).await.unwrap().is_none());
    let frozen = edits.len();
    s.read(&w, KIM).await;
    assert_eq!(card_edits(&s).len(), frozen, "no edits after the end");
}

#[tokio::test]
async fn a_card_follows_its_contract_with_the_sharers_dms_off() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    s.h.linked(LEE, "lee@example.com").await;
    let id = s.sent_contract("Office lease").await;
    let a = share(&s, &id).await;
    assert_eq!(a.posted().len(), 1, "{}", a.text());
    // Both are linked colleagues: both names in full.
    let text = a.posted()[0].1["content"].as_str().unwrap().to_owned();
    assert!(text.contains("Kim") && text.contains("Lee"), "{text}");
    s.h.command(
        &Actor::user(KIM),
        "comake notifications",
        &[("enabled", json!(false))],
    )
    .await;
    let w = s.watcher();
    let first = s.tick(&w).await;
    assert!(first.ran.contains(&Job::Cards), "{:?}", first.ran);
    let before = card_edits(&s).len();
    s.h.sim.signee_acts(&id, 1, SigneeAction::Sign).unwrap();
    // The cards job comes round again within an interval.
    travel(Duration::from_secs(60)).await;
    let tick = s.tick(&w).await;
    assert_eq!(tick.card_edits, 1, "{:?}", tick.ran);
    assert_eq!(tick.reads.reads, 0, "Kim's box is read for the card only");
    let edits = card_edits(&s);
    assert_eq!(edits.len(), before + 1);
    check_card(edits.last().unwrap());
    assert!(s.dms(KIM).is_empty(), "a DM with notifications off");
}

#[tokio::test]
async fn a_card_stops_when_its_sharer_leaves_the_company_servers() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let id = s.sent_contract("Office lease").await;
    assert_eq!(share(&s, &id).await.posted().len(), 1);
    let w = s.watcher();
    s.h.app
        .members
        .connect(Arc::new(discord::http(&s.h.app.config.discord).unwrap()));
    s.tick(&w).await;
    let before = card_edits(&s).len();
    // Kim leaves (or is removed from) the server; the contract moves; the
    // membership Discord told a round ago is remembered five minutes.
    s.fake.remove_member(KIM);
    s.h.sim.signee_acts(&id, 1, SigneeAction::Sign).unwrap();
    travel(Duration::from_secs(5 * 60 + 1)).await;
    let tick = s.tick(&w).await;
    assert!(tick.ran.contains(&Job::Cards), "{:?}", tick.ran);
    assert_eq!(tick.card_edits, 0);
    assert_eq!(
        card_edits(&s).len(),
        before,
        "a card moved for someone gone"
    );
    assert!(s.h.app.store.card(id.as_str()).await.unwrap().is_none());
}

#[tokio::test]
async fn unshare_a_deleted_card_and_a_closed_channel_stop_it() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let w = s.watcher();
    // Unshared: no more edits.
    let first = s.sent_contract("First").await;
    share(&s, &first).await;
    s.read(&w, KIM).await;
    let a = kim_on(&s, "contract unshare", &first).await;
    assert!(a.text().contains("no longer updated"), "{}", a.text());
    let edits = card_edits(&s).len();
    s.h.sim.signee_acts(&first, 1, SigneeAction::View).unwrap();
    s.read(&w, KIM).await;
    assert_eq!(card_edits(&s).len(), edits);
    // Its message deleted: one failed edit, then nothing more.
    let second = s.sent_contract("Second").await;
    share(&s, &second).await;
    s.read(&w, KIM).await;
    s.fake.set_messages_gone(true);
    s.h.sim.signee_acts(&second, 1, SigneeAction::View).unwrap();
    s.read(&w, KIM).await;
    assert!(s.h.app.store.card(second.as_str()).await.unwrap().is_none());
    let edits = card_edits(&s).len();
    s.h.sim.signee_acts(&second, 1, SigneeAction::Sign).unwrap();
    s.read(&w, KIM).await;
    assert_eq!(card_edits(&s).len(), edits, "no error loop");
    // A channel the bot cannot post in: a private refusal, nothing posted.
    let third = s.sent_contract("Third").await;
    let shown = kim_on(&s, "contract show", &third).await;
    let mut press = common::discord::button_payload(&Actor::user(KIM), &shown.button("s:share:"));
    press["app_permissions"] = json!("0");
    let a = s.h.run_with(press, Default::default()).await;
    assert!(a.text().contains("can't post"), "{}", a.text());
    assert!(a.posted().is_empty());
}

#[tokio::test]
async fn a_card_of_ten_long_named_parties_fits_and_keeps_every_party() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let long = |i: usize| format!("{i:02}{}", "가".repeat(498));
    let parties: Vec<String> = (0..10).map(long).collect();
    let refs: Vec<&str> = parties.iter().map(String::as_str).collect();
    let id =
        s.h.sim
            .seed_contract(
                "kim@example.com",
                &format!("https://x.example/{}", "나".repeat(480)),
                &refs,
                ContractStatus::Saved,
            )
            .unwrap();
    let signees = (0..10u32)
        .map(|p| {
            common::plain_signee(
                p,
                &format!("**{}", long(p as usize)),
                &format!("s{p}@example.com"),
            )
        })
        .collect();
    s.h.sim
        .set_signees("kim@example.com", &id, signees)
        .unwrap();
    s.h.app
        .comake
        .user("kim@example.com")
        .request_sign(&id)
        .await
        .unwrap();
    let a = share(&s, &id).await;
    let posted = a.posted();
    assert_eq!(posted.len(), 1, "{}", a.text());
    check_card(&posted[0].1);
    let text = posted[0].1["content"].as_str().unwrap();
    assert!(text.chars().count() <= 2000, "{}", text.chars().count());
    for i in 0..10 {
        assert!(
            text.contains(&format!("{i:02}가")),
            "party {i} is missing: {text}"
        );
    }
    assert!(
        !text.contains("**0"),
        "markdown from a name is live: {text}"
    );
}

// ----- the schedule's cost -----

/// The watcher's "schedule over budget" counter, as /metrics shows it.
fn over_budget_count() -> f64 {
    let handle = comake_bot::api::observe::metrics().expect("the metrics recorder");
    handle
        .render()
        .lines()
        .find_map(|l| l.strip_prefix("comake_bot_notify_over_budget_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn quiet_reads_reuse_each_client_token_and_the_read_that_logs_in_waits_longest() {
    let s = setup(&[
        ("NOTIFY_INTERVAL_SECS", "60"),
        ("NOTIFY_MAX_IDLE_SECS", "1080"),
    ])
    .await;
    s.h.linked(KIM, "kim@example.com").await;
    let w = s.watcher();
    // (the wait after a read, whether the read after it logged in)
    let mut reads = Vec::new();
    let mut logins = s.h.sim.count(Endpoint::LoginClient);
    let mut wait = None;
    for _ in 0..20 {
        s.read(&w, KIM).await;
        let now = s.h.sim.count(Endpoint::LoginClient);
        if let Some(wait) = wait {
            reads.push((wait, now > logins));
        }
        logins = now;
        wait = Some(next_read_in(&s, KIM).await);
    }
    // Past the doubling (60 ... 480 s), every wait is the cadence (870 s:
    // the token's 3,480 s in four) or, when the next read needs a new
    // token anyway, the whole NOTIFY_MAX_IDLE_SECS; a read after the
    // cadence never logs in, one after the long wait always does.
    let cadence: Vec<_> = reads.iter().skip(5).collect();
    let near = |got: i64, want: i64| (want - 3..=want).contains(&got);
    for (wait, logged_in) in &cadence {
        if near(*wait, 870) {
            assert!(!logged_in, "{reads:?}");
        } else {
            assert!(near(*wait, 1080) && *logged_in, "{reads:?}");
        }
    }
    let long = cadence.iter().filter(|(w, _)| near(*w, 1080)).count();
    assert!(long >= 2, "{reads:?}");
    // Five reads on each token: one in five logs in.
    let logged = cadence.iter().filter(|(_, l)| *l).count();
    assert!(logged * 5 <= cadence.len() + 4, "{reads:?}");
}

#[tokio::test]
async fn a_schedule_needing_more_than_notify_max_rps_is_reported() {
    // Every second while a contract Kim sent is out for signature: one
    // request a second, more than NOTIFY_MAX_RPS=1 lets out (1 / 1.1).
    let s = setup(&[("NOTIFY_INTERVAL_SECS", "1"), ("NOTIFY_MAX_RPS", "1")]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let nda = s.sent_contract("NDA").await;
    let w = s.watcher();
    let before = over_budget_count();
    let tick = s.tick(&w).await;
    assert_eq!(tick.reads.read, [KIM]);
    assert!(!tick.fit.fits(), "{:?}", tick.fit);
    assert!(
        tick.fit.needed_rps > 1.0 && tick.fit.capacity_rps < 1.0,
        "{:?}",
        tick.fit
    );
    assert!(over_budget_count() > before, "counted on /metrics");
    // The contract is signed: Kim's wait doubles, and the schedule fits.
    s.h.sim.signee_acts(&nda, 0, SigneeAction::Sign).unwrap();
    s.h.sim.signee_acts(&nda, 1, SigneeAction::Sign).unwrap();
    let mut fit = None;
    for _ in 0..8 {
        travel(Duration::from_secs(1)).await;
        let tick = s.tick(&w).await;
        if tick.reads.read.contains(&KIM) {
            fit = Some(tick.fit);
            break;
        }
    }
    let fit = fit.expect("Kim was read again");
    assert!(fit.fits(), "{fit:?}");
    assert!(fit.needed_rps < 0.6, "{fit:?}");
}

#[tokio::test]
async fn the_same_schedule_fits_a_higher_notify_max_rps() {
    let s = setup(&[("NOTIFY_INTERVAL_SECS", "1"), ("NOTIFY_MAX_RPS", "2")]).await;
    s.h.linked(KIM, "kim@example.com").await;
    s.sent_contract("NDA").await;
    let w = s.watcher();
    let tick = s.tick(&w).await;
    assert_eq!(tick.reads.read, [KIM]);
    assert!(tick.fit.fits(), "{:?}", tick.fit);
    assert!(tick.fit.needed_rps > 1.0, "{:?}", tick.fit);
}

#[tokio::test]
async fn the_schedules_cost_counts_everyone_read_not_only_those_due_soon() {
    // Waits of two minutes: longer than the 30 s the due list looks ahead.
    let s = setup(&[("NOTIFY_INTERVAL_SECS", "120")]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let w = s.watcher();
    let tick = s.tick(&w).await;
    assert_eq!(tick.reads.read, [KIM]);
    let one = tick.fit.needed_rps;
    assert!(one > 0.0, "{:?}", tick.fit);
    // Past the next reload, Lee is linked and read; Kim's next read is
    // still more than 30 s away, and her cost still counts.
    travel(Duration::from_secs(31)).await;
    s.h.linked(LEE, "lee@example.com").await;
    let tick = s.tick(&w).await;
    assert!(tick.ran.contains(&Job::Schedule), "{:?}", tick.ran);
    assert_eq!(tick.reads.read, [LEE]);
    assert!(
        (tick.fit.needed_rps - 2.0 * one).abs() < one / 100.0,
        "Kim's and Lee's first waits: {} (one alone: {one})",
        tick.fit.needed_rps
    );
    // Unlinked, Kim is read no more: once her read falls in a reload's
    // window, her cost goes.
    s.h.app.store.unlink(KIM).await.unwrap();
    let mut last = None;
    for _ in 0..8 {
        travel(Duration::from_secs(30)).await;
        let tick = s.tick(&w).await;
        if tick.reads.read.contains(&LEE) {
            last = Some(tick.fit);
            break;
        }
    }
    let fit = last.expect("Lee was read again");
    assert!(fit.needed_rps < 1.5 * one, "{fit:?}");
}

#[tokio::test]
async fn a_signature_before_the_contract_was_first_read_is_still_told() {
    let s = setup(&[]).await;
    let (w, _nda) = s.kim_after_baseline().await;
    // Sent and signed by Lee between two reads: the watcher first sees it
    // with Lee's signature already on it.
    let id = s.sent_contract("Offer").await;
    s.h.sim.signee_acts(&id, 1, SigneeAction::Sign).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let dm = s.dms(KIM).pop().unwrap();
    let content = dm["content"].as_str().unwrap();
    assert!(content.contains("**Lee** signed **Offer**"), "{content}");
    // Told once.
    assert_eq!(s.read(&w, KIM).await, 0);
}
