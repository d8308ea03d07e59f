//! Nudges (재촉): the Nudge button on `/contract show`, `/contract pending` and the digest, once a day per contract and colleague (on both stores, and across instances on PostgreSQL), and the automatic nudges of `/contract request-sign remind_after:` through the watcher's `tick` over simulated days.

use crate::common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use comake_bot::api::app::App;
use comake_bot::api::config::Config;
use comake_bot::api::discord;
use comake_bot::api::handlers::dispatch;
use comake_bot::api::notify::Watcher;
use comake_bot::api::store::Store;
use comake_bot::comake::wire::{ContractId, ContractStatus};
use comake_bot::comake::Comake;
use comake_sim::SigneeAction;
use common::discord::{Actor, Answer, Harness, Recorder, GUILD};
use common::fake_discord::FakeDiscord;
use serde_json::{json, Value};

const KIM: u64 = 111_111_111_111_111_111;
const LEE: u64 = 222_222_222_222_222_222;
const CHOI: u64 = 333_333_333_333_333_333;

struct Setup {
    h: Harness,
    fake: FakeDiscord,
}

fn env(fake: &FakeDiscord) -> Vec<(String, String)> {
    vec![
        ("DISCORD_TOKEN".into(), "fake-bot-token".into()),
        ("DISCORD_HTTP_PROXY".into(), fake.proxy_url()),
    ]
}

/// The DMs of `app` go to the fake Discord.
fn connect(app: &App) {
    let http = discord::http(&app.config.discord).unwrap();
    app.members.connect(Arc::new(http));
}

async fn setup(extra: &[(&str, &str)]) -> Setup {
    let fake = FakeDiscord::start().await;
    let mut vars = env(&fake);
    vars.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let refs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let h = Harness::with_env(&refs).await;
    connect(&h.app);
    Setup { h, fake }
}

impl Setup {
    /// DM bodies sent so far to `user`.
    fn dms(&self, user: u64) -> Vec<Value> {
        let channel = format!("/api/v10/channels/9{}/messages", &user.to_string()[1..]);
        self.fake
            .calls()
            .into_iter()
            .filter(|c| c.path == channel)
            .map(|c| c.body)
            .collect()
    }

    /// The nudge DMs `user` got (not their other notifications).
    fn nudges(&self, user: u64) -> Vec<String> {
        self.dms(user)
            .iter()
            .filter_map(|b| b["content"].as_str().map(str::to_owned))
            .filter(|t| t.contains("asks you to"))
            .collect()
    }

    /// Kim's "NDA" out for signature to Lee (party 0, linked) and Park
    /// (party 1, outside the company).
    async fn nda(&self) -> ContractId {
        self.h.linked(KIM, "kim@example.com").await;
        self.h.linked(LEE, "lee@example.com").await;
        common::sent_for_signature(
            &self.h.sim,
            &self.h.app.comake,
            "kim@example.com",
            "NDA",
            &[
                ("Lee", "lee@example.com"),
                ("Park Jiwoo", "park@outside.example"),
            ],
        )
        .await
    }

    async fn show(&self, who: u64, id: &ContractId) -> Answer {
        self.h
            .command(
                &Actor::user(who),
                "contract show",
                &[("contract", json!(id.as_str()))],
            )
            .await
    }
}

fn nudge_id(colleague: u64, id: &ContractId) -> String {
    format!("r:{colleague}:{id}")
}

fn nudge_buttons(a: &Answer) -> Vec<(String, String)> {
    a.buttons()
        .into_iter()
        .filter(|(_, id)| id.starts_with("r:"))
        .collect()
}

/// Move tokio's clock (and the bot's with it) forward by `by`.
async fn travel(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

/// The audit outcomes of `contract.nudge` entries of `user`, oldest first.
async fn nudge_audit(store: &Store, user: u64) -> Vec<String> {
    let mut out: Vec<String> = store
        .audit_newest(50, Some(user))
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "contract.nudge")
        .map(|e| e.outcome)
        .collect();
    out.reverse();
    out
}

#[tokio::test]
async fn a_colleague_is_nudged_once_a_day_and_outside_signees_are_pointed_to_the_website() {
    let s = setup(&[]).await;
    let id = s.nda().await;
    let show = s.show(KIM, &id).await;
    // One button: Lee's; Park is outside, masked, and pointed to the website.
    let buttons = nudge_buttons(&show);
    assert_eq!(buttons.len(), 1, "{buttons:?}");
    assert_eq!(buttons[0].1, nudge_id(LEE, &id));
    assert!(buttons[0].0.contains("Lee"), "{buttons:?}");
    let text = show.text();
    assert!(
        text.contains("cannot remind") && text.contains("website"),
        "{text}"
    );
    let note = text.lines().find(|l| l.contains("cannot remind")).unwrap();
    assert!(
        !note.contains("Jiwoo"),
        "an outside signee unmasked: {note}"
    );

    let first = s.h.press(&Actor::user(KIM), &nudge_id(LEE, &id)).await;
    assert_eq!(first.outcome.result, "ok", "{}", first.text());
    assert!(first.ephemeral(), "the sender is told privately");
    assert!(
        first.text().contains("Lee") && first.text().contains("tomorrow"),
        "{}",
        first.text()
    );
    let dms = s.dms(LEE);
    assert_eq!(dms.len(), 1, "{dms:?}");
    let dm = dms[0]["content"].as_str().unwrap();
    // The contract, who asks, how long it has waited, how to sign; no link.
    assert!(
        dm.contains("NDA") && dm.contains(&format!("User {KIM}")),
        "{dm}"
    );
    assert!(
        dm.contains("<t:") && dm.contains("signing link Comake sent you"),
        "{dm}"
    );
    assert!(!dm.contains("http") && !dm.contains("@example.com"), "{dm}");
    assert!(common::discord::custom_ids(&dms[0])
        .iter()
        .any(|c| c.starts_with("n:sign:")));
    // Like every notification DM, the nudge can be muted.
    assert!(common::discord::custom_ids(&dms[0]).contains(&format!("n:mute:{id}")));

    // The second press the same day says when the next is possible.
    let again = s.h.press(&Actor::user(KIM), &nudge_id(LEE, &id)).await;
    assert_eq!(again.outcome.result, "refused", "{}", again.text());
    assert!(
        again.text().contains("already") && again.text().contains(":R>"),
        "{}",
        again.text()
    );
    assert_eq!(s.dms(LEE).len(), 1, "a second nudge went out the same day");

    // A day on, one more: from the digest's button, in a DM.
    travel(Duration::from_secs(86_400 + 1)).await;
    let in_dm = Actor {
        guild: None,
        ..Actor::user(KIM)
    };
    let next_day = s.h.press(&in_dm, &nudge_id(LEE, &id)).await;
    assert_eq!(next_day.outcome.result, "ok", "{}", next_day.text());
    assert_eq!(s.dms(LEE).len(), 2);
    assert_eq!(
        nudge_audit(&s.h.app.store, KIM).await,
        ["ok", "refused: already nudged today", "ok"]
    );
}

#[tokio::test]
async fn a_nudge_follows_the_turn_and_refuses_others_strangers_and_closed_dms() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    s.h.linked(LEE, "lee@example.com").await;
    s.h.linked(CHOI, "choi@example.com").await;
    let id = common::sent_for_signature(
        &s.h.sim,
        &s.h.app.comake,
        "kim@example.com",
        "Lease",
        &[("Lee", "lee@example.com"), ("Choi", "choi@example.com")],
    )
    .await;
    s.h.sim.set_sequential(&id, true).unwrap();
    // In order: Lee first; Choi's turn has not come.
    let ids: Vec<String> = nudge_buttons(&s.show(KIM, &id).await)
        .into_iter()
        .map(|b| b.1)
        .collect();
    assert_eq!(ids, [nudge_id(LEE, &id)]);
    let early = s.h.press(&Actor::user(KIM), &nudge_id(CHOI, &id)).await;
    assert_eq!(early.outcome.result, "refused");
    assert!(
        early.text().contains("not that person's turn"),
        "{}",
        early.text()
    );
    // Only the sender nudges; an id not linked is refused.
    let lee = s.h.press(&Actor::user(LEE), &nudge_id(LEE, &id)).await;
    assert!(lee.text().contains("Only the sender"), "{}", lee.text());
    let stranger = s.h.press(&Actor::user(KIM), &nudge_id(444, &id)).await;
    assert!(
        stranger.text().contains("no longer linked"),
        "{}",
        stranger.text()
    );
    // Closed DMs: said so, and the day's nudge is not spent.
    s.fake.fail_dms_with(Some(50007));
    let closed = s.h.press(&Actor::user(KIM), &nudge_id(LEE, &id)).await;
    assert!(
        closed.text().contains("does not take DMs"),
        "{}",
        closed.text()
    );
    s.fake.fail_dms_with(None);
    let open = s.h.press(&Actor::user(KIM), &nudge_id(LEE, &id)).await;
    assert_eq!(open.outcome.result, "ok", "{}", open.text());
    // Lee signs: now it is Choi's turn, and Lee's button is refused.
    s.h.sim.signee_acts(&id, 0, SigneeAction::Sign).unwrap();
    let ids: Vec<String> = nudge_buttons(&s.show(KIM, &id).await)
        .into_iter()
        .map(|b| b.1)
        .collect();
    assert_eq!(ids, [nudge_id(CHOI, &id)]);
    let late = s.h.press(&Actor::user(KIM), &nudge_id(LEE, &id)).await;
    assert!(
        late.text().contains("not that person's turn"),
        "{}",
        late.text()
    );
    assert!(s.nudges(CHOI).is_empty());
    assert_eq!(s.nudges(LEE).len(), 1);
    assert_eq!(
        nudge_audit(&s.h.app.store, KIM).await,
        [
            "refused: not their turn",
            "refused: not linked",
            "refused: their DMs are closed",
            "ok",
            "refused: not their turn"
        ]
    );
}

#[tokio::test]
async fn an_approver_is_nudged_to_approve_and_pending_offers_nudges_in_both_languages() {
    let s = setup(&[]).await;
    let nda = s.nda().await;
    s.h.linked(CHOI, "boss@example.com").await;
    let id =
        s.h.sim
            .seed_contract("kim@example.com", "Budget", &["갑"], ContractStatus::Saved)
            .unwrap();
    s.h.sim
        .set_signees(
            "kim@example.com",
            &id,
            vec![common::plain_signee(0, "Lee", "lee@example.com")],
        )
        .unwrap();
    s.h.sim
        .request_approval("kim@example.com", &id, &[("Boss", "boss@example.com")])
        .unwrap();
    // `/contract pending` offers both, each button naming its contract.
    let pending =
        s.h.command(&Actor::user(KIM), "contract pending", &[])
            .await;
    let buttons = nudge_buttons(&pending);
    assert!(
        buttons.contains(&("Nudge Lee: NDA".into(), nudge_id(LEE, &nda))),
        "{buttons:?}"
    );
    assert!(
        buttons.contains(&("Nudge Boss: Budget".into(), nudge_id(CHOI, &id))),
        "{buttons:?}"
    );
    let ko =
        s.h.command(&Actor::user(KIM).ko(), "contract pending", &[])
            .await;
    assert!(
        nudge_buttons(&ko)
            .iter()
            .any(|(l, _)| l == "Boss 재촉: Budget"),
        "{:?}",
        ko.buttons()
    );
    let a = s.h.press(&Actor::user(KIM), &nudge_id(CHOI, &id)).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    let dm = s.nudges(CHOI);
    assert_eq!(dm.len(), 1);
    assert!(
        dm[0].contains("approve") && dm[0].contains("Budget"),
        "{}",
        dm[0]
    );
}

/// Run `payload` through the handlers of `app`.
async fn run_on(app: &App, payload: Value) -> Answer {
    let interaction: serenity::all::Interaction = serde_json::from_value(payload).unwrap();
    let inv = discord::invocation(&interaction).expect("an interaction we serve");
    let recorder = Recorder::default();
    let outcome = dispatch(app, &inv, &recorder).await;
    let sent = recorder.sent.lock().unwrap().clone();
    Answer { sent, outcome }
}

/// A second instance of the bot, on the same simulator and store settings.
async fn second_app(h: &Harness, fake: &FakeDiscord, extra: &[(String, String)]) -> Arc<App> {
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert("COMAKE_API_URL".into(), h.sim.api_url().to_string());
    vars.insert("COMAKE_WEB_URL".into(), h.sim.web_url().to_string());
    vars.insert("COMAKE_API_KEY".into(), h.sim.options().api_key.clone());
    vars.insert(
        "COMAKE_API_SECRET".into(),
        h.sim.options().api_secret.clone(),
    );
    vars.insert("DISCORD_GUILD_IDS".into(), GUILD.to_string());
    vars.extend(env(fake));
    vars.extend(extra.iter().cloned());
    let config = Config::from_lookup(move |k| vars.get(k).cloned()).unwrap();
    let store = Store::open_configured(&config.database).await.unwrap();
    let comake = Comake::new(config.comake.clone()).unwrap();
    let app = App::new(config, comake, store).unwrap();
    connect(&app);
    app
}

#[tokio::test]
#[cfg_attr(
    not(pg_tests),
    ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn a_second_instance_on_postgresql_refuses_the_second_nudge() {
    use base64::Engine;
    let schema = common::pg::Schema::new().await;
    let shared = vec![
        ("DATABASE_URL".to_owned(), schema.url()),
        (
            "STATE_KEY".to_owned(),
            base64::engine::general_purpose::STANDARD.encode([9u8; 32]),
        ),
    ];
    let refs: Vec<(&str, &str)> = shared
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let s = setup(&refs).await;
    let id = s.nda().await;
    let other = second_app(&s.h, &s.fake, &shared).await;
    let first = s.h.press(&Actor::user(KIM), &nudge_id(LEE, &id)).await;
    assert_eq!(first.outcome.result, "ok", "{}", first.text());
    let payload = common::discord::button_payload(&Actor::user(KIM), &nudge_id(LEE, &id));
    let on_other = run_on(&other, payload).await;
    assert_eq!(on_other.outcome.result, "refused", "{}", on_other.text());
    assert!(on_other.text().contains("already"), "{}", on_other.text());
    assert_eq!(s.nudges(LEE).len(), 1);
    schema.drop_now().await;
}

/// Kim's "Offer" (Kim signs party 0, Lee party 1), sent with
/// `/contract request-sign remind_after:2` and Send.
async fn sent_with_reminder(s: &Setup) -> ContractId {
    s.h.linked(KIM, "kim@example.com").await;
    s.h.linked(LEE, "lee@example.com").await;
    let id =
        s.h.sim
            .seed_contract(
                "kim@example.com",
                "Offer",
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
    let preview =
        s.h.command(
            &Actor::user(KIM),
            "contract request-sign",
            &[("contract", json!(id.as_str())), ("remind_after", json!(2))],
        )
        .await;
    assert!(preview.text().contains("2 days"), "{}", preview.text());
    let sent = s.h.press(&Actor::user(KIM), &preview.button("c:ok:")).await;
    assert_eq!(sent.outcome.result, "ok", "{}", sent.text());
    assert!(sent.text().contains("gets one nudge"), "{}", sent.text());
    id
}

#[tokio::test]
async fn an_automatic_nudge_comes_once_after_the_days_asked_and_never_twice_a_day() {
    // Paced reads would make five simulated days slow in real time.
    let s = setup(&[("NOTIFY_MAX_RPS", "100")]).await;
    let id = sent_with_reminder(&s).await;
    let w = Watcher::new(
        s.h.app.clone(),
        Arc::new(discord::http(&s.h.app.config.discord).unwrap()),
    );
    let start = comake_bot::now();
    let mut nudged_at = Vec::new();
    for hour in 0..(5 * 24) {
        let before = s.nudges(LEE).len();
        if hour == 47 {
            // Kim nudges Lee by hand an hour before the automatic one.
            let a = s.h.press(&Actor::user(KIM), &nudge_id(LEE, &id)).await;
            assert_eq!(a.outcome.result, "ok", "{}", a.text());
        }
        let tick = w.tick(comake_bot::now()).await;
        if s.nudges(LEE).len() > before {
            assert!(
                tick.reminders > 0 || hour == 47,
                "hour {hour}: {:?}",
                tick.ran
            );
        }
        for _ in before..s.nudges(LEE).len() {
            nudged_at.push(hour);
        }
        travel(Duration::from_secs(3_600)).await;
    }
    // The hand's nudge at 47 h; the automatic one a day later, not at 48 h.
    assert_eq!(nudged_at, [47, 71], "{:?}", s.nudges(LEE));
    let hours = (comake_bot::now() - start).num_hours();
    assert!(hours >= 5 * 24, "{hours}");
    // Kim, the sender and a signee too, is never nudged.
    assert!(s.nudges(KIM).is_empty());
    let audit = nudge_audit(&s.h.app.store, KIM).await;
    assert_eq!(audit, ["ok", "ok (automatic)"]);
    // Once the contract completes, its reminder is forgotten.
    s.h.sim.signee_acts(&id, 0, SigneeAction::Sign).unwrap();
    s.h.sim.signee_acts(&id, 1, SigneeAction::Sign).unwrap();
    assert!(s.h.app.store.reminder(id.as_str()).await.unwrap().is_some());
    travel(Duration::from_secs(3_600)).await;
    w.tick(comake_bot::now()).await;
    assert!(s.h.app.store.reminder(id.as_str()).await.unwrap().is_none());
}

#[tokio::test]
async fn remind_after_out_of_range_is_refused() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let id = common::seed_nda(&s.h.sim, "kim@example.com");
    for (days, lang) in [(0, false), (31, true)] {
        let actor = if lang {
            Actor::user(KIM).ko()
        } else {
            Actor::user(KIM)
        };
        let a =
            s.h.command(
                &actor,
                "contract request-sign",
                &[
                    ("contract", json!(id.as_str())),
                    ("remind_after", json!(days)),
                ],
            )
            .await;
        assert_eq!(a.outcome.result, "refused", "{}", a.text());
        assert!(a.text().contains("30"), "{}", a.text());
    }
}

#[tokio::test]
async fn the_digest_offers_a_nudge_for_each_stale_contracts_colleague_and_it_works_from_the_dm() {
    let s = setup(&[
        ("DIGEST_TIMEZONE", "UTC"),
        ("DIGEST_STALE_DAYS", "1"),
        ("NOTIFY_MAX_RPS", "100"),
    ])
    .await;
    let id = s.nda().await;
    let a =
        s.h.command(
            &Actor::user(KIM),
            "comake notifications",
            &[("enabled", json!(false)), ("digest", json!("daily"))],
        )
        .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    let w = Watcher::new(
        s.h.app.clone(),
        Arc::new(discord::http(&s.h.app.config.discord).unwrap()),
    );
    // Two days of ticks, an hour apart: the second morning's digest lists
    // the NDA as stale, with Lee's Nudge button (Park is outside).
    let mut digests = 0;
    for _ in 0..(2 * 24 + 1) {
        digests += w.tick(comake_bot::now()).await.digests;
        travel(Duration::from_secs(3_600)).await;
    }
    assert!(digests >= 1, "no digest came");
    let digest = s
        .dms(KIM)
        .into_iter()
        .rev()
        .find(|d| {
            common::discord::custom_ids(d)
                .iter()
                .any(|c| c.starts_with("r:"))
        })
        .expect("a digest with a Nudge button");
    let ids: Vec<String> = common::discord::custom_ids(&digest)
        .into_iter()
        .filter(|c| c.starts_with("r:"))
        .collect();
    assert_eq!(ids, [nudge_id(LEE, &id)]);
    let text = digest["content"].as_str().unwrap();
    assert!(
        text.contains("cannot remind") && !text.contains("Jiwoo"),
        "{text}"
    );
    let in_dm = Actor {
        guild: None,
        ..Actor::user(KIM)
    };
    let a = s.h.press(&in_dm, &ids[0]).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert_eq!(s.nudges(LEE).len(), 1);
}

#[tokio::test]
async fn a_colleague_who_muted_the_contract_is_not_nudged() {
    let s = setup(&[]).await;
    let id = s.nda().await;
    let key = id.as_str().to_owned();
    s.h.app
        .store
        .update_notify_state(LEE, move |state| {
            let mut state = state.unwrap_or_default();
            state.muted.insert(key.clone(), "NDA".into());
            Some(state)
        })
        .await
        .unwrap();
    let pressed = s.h.press(&Actor::user(KIM), &nudge_id(LEE, &id)).await;
    assert_eq!(pressed.outcome.result, "refused", "{}", pressed.text());
    assert!(pressed.text().contains("muted"), "{}", pressed.text());
    assert!(s.dms(LEE).is_empty(), "a muted contract's nudge went out");
    // Muting did not use up the day: unmuted, the nudge goes out.
    let key = id.as_str().to_owned();
    s.h.app
        .store
        .update_notify_state(LEE, move |state| {
            let mut state = state?;
            state.muted.remove(&key);
            Some(state)
        })
        .await
        .unwrap();
    let pressed = s.h.press(&Actor::user(KIM), &nudge_id(LEE, &id)).await;
    assert_eq!(pressed.outcome.result, "ok", "{}", pressed.text());
    assert_eq!(s.nudges(LEE).len(), 1);
}

#[tokio::test]
async fn reminders_not_yet_due_never_crowd_out_a_due_one() {
    let s = setup(&[("NOTIFY_MAX_RPS", "100")]).await;
    let id = sent_with_reminder(&s).await;
    // Far more reminders than a run looks at, none of them due for a month,
    // all sorting before the due one.
    let now = comake_bot::now();
    for n in 0..300u32 {
        s.h.app
            .store
            .put_reminder(comake_bot::api::store::Reminder {
                contract: format!("{n:024x}"),
                sender: KIM,
                days: 30,
                since: now,
                reminded: Vec::new(),
            })
            .await
            .unwrap();
    }
    let w = Watcher::new(
        s.h.app.clone(),
        Arc::new(discord::http(&s.h.app.config.discord).unwrap()),
    );
    travel(Duration::from_secs(2 * 86_400 + 3_600)).await;
    let tick = w.tick(comake_bot::now()).await;
    assert_eq!(tick.reminders, 1, "{:?}", tick.ran);
    assert_eq!(s.nudges(LEE).len(), 1);
    assert!(id.as_str() > "000000000000000000000300");
}

#[tokio::test]
async fn the_audit_log_tells_a_refused_nudge_in_words_in_korean() {
    let s = setup(&[]).await;
    let id = s.nda().await;
    for _ in 0..2 {
        s.h.press(&Actor::user(KIM), &nudge_id(LEE, &id)).await;
    }
    let boss = Actor::user(CHOI).admin().ko();
    let a = s.h.command(&boss, "comake-admin audit", &[]).await;
    let text = a.text();
    assert!(text.contains("거절됨 (오늘 이미 재촉함)"), "{text}");
    assert!(!text.contains("already"), "English in Korean: {text}");
}

#[tokio::test]
async fn a_long_contract_name_on_a_nudge_button_shows_it_was_cut() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    s.h.linked(LEE, "lee@example.com").await;
    let long = "Annual budget contract (2-step approval)";
    let id = common::sent_for_signature(
        &s.h.sim,
        &s.h.app.comake,
        "kim@example.com",
        long,
        &[("Lee", "lee@example.com")],
    )
    .await;
    let pending =
        s.h.command(&Actor::user(KIM), "contract pending", &[])
            .await;
    let buttons = nudge_buttons(&pending);
    let (label, _) = buttons
        .iter()
        .find(|(_, b)| *b == nudge_id(LEE, &id))
        .expect("a Nudge button for Lee");
    assert!(
        label.starts_with("Nudge Lee: Annual budget") && label.ends_with('…'),
        "{label}"
    );
    // Pressed, it answers in a new private message: the list it was on
    // stays, with its other buttons (a page button replaces its list).
    let nudged = s.h.press(&Actor::user(KIM), &nudge_id(LEE, &id)).await;
    assert_eq!(nudged.outcome.result, "ok", "{}", nudged.text());
    assert_eq!(nudged.first()["type"], 5, "{}", nudged.first());
    assert_eq!(nudged.first()["data"]["flags"], 64);
}
