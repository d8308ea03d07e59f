//! The team board (`/contract board`, Post, Unshare, the watcher's edits) and the next-steps DM after a contract is saved, against the simulator and a fake Discord REST on 127.0.0.1.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use comake_bot::api::discord;
use comake_bot::api::notify::{Job, Tick, Watcher};
use comake_bot::comake::wire::ContractStatus;
use common::discord::{custom_ids, Actor, Harness, POSTED_ID};
use common::fake_discord::FakeDiscord;
use serde_json::{json, Value};

const KIM: u64 = 111_111_111_111_111_111;
/// The channel interactions come from in the fixtures.
const CHANNEL: u64 = 700_000_000_000_000_001;

struct Setup {
    h: Harness,
    fake: FakeDiscord,
}

async fn setup(extra: &[(&str, &str)]) -> Setup {
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
    fn watcher(&self) -> Arc<Watcher> {
        let http = Arc::new(discord::http(&self.h.app.config.discord).unwrap());
        Watcher::new(self.h.app.clone(), http)
    }

    async fn tick(&self, w: &Arc<Watcher>) -> Tick {
        w.tick(comake_bot::now()).await
    }

    /// The edits of the posted board message so far.
    fn board_edits(&self) -> Vec<Value> {
        let path = format!("/api/v10/channels/{CHANNEL}/messages/{POSTED_ID}");
        self.fake
            .calls()
            .into_iter()
            .filter(|c| c.method == "PATCH" && c.path == path)
            .map(|c| c.body)
            .collect()
    }

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

    /// Time passes until `user`'s read is due; then ticks run until one
    /// reads them. The DMs they got meanwhile.
    async fn read(&self, w: &Arc<Watcher>, user: u64) -> usize {
        let before = self.dms(user).len();
        for _ in 0..4 {
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
            if self.tick(w).await.reads.read.contains(&user) {
                return self.dms(user).len() - before;
            }
        }
        panic!("{user} was never read");
    }
}

/// Move tokio's clock (and the bot's with it) forward by `by`.
async fn travel(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

/// `/contract board`, then Post.
async fn post_board(h: &Harness, actor: &Actor) -> common::discord::Answer {
    let asked = h.command(actor, "contract board", &[]).await;
    assert_eq!(asked.outcome.result, "ok", "{}", asked.text());
    h.press(actor, &asked.button("b:post")).await
}

#[tokio::test]
async fn the_board_shows_privately_first_then_posts_counts_and_names_only() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM);
    common::seed_nda(&s.h.sim, "kim@example.com");
    let signees = [("Lee Outsider", "lee@outside.example")];
    common::sent_for_signature(
        &s.h.sim,
        &s.h.app.comake,
        "kim@example.com",
        "Lease",
        &signees,
    )
    .await;
    // Sent to Kim by someone else: its name was not Kim's to publish.
    s.h.sim.add_user("park@example.com", "Park").unwrap();
    common::sent_for_signature(
        &s.h.sim,
        &s.h.app.comake,
        "park@example.com",
        "Settlement with Hong",
        &[("Kim Minji", "kim@example.com")],
    )
    .await;
    let asked = s.h.command(&kim, "contract board", &[]).await;
    assert!(asked.ephemeral());
    assert!(asked.posted().is_empty(), "nothing public before Post");
    let ids = custom_ids(&asked.message());
    assert_eq!(ids, ["b:post", "s:no"]);
    let posted = s.h.press(&kim, "b:post").await;
    assert_eq!(posted.outcome.result, "ok", "{}", posted.text());
    let public = posted.posted();
    assert_eq!(public.len(), 1);
    let content = public[0].1["content"].as_str().unwrap().to_owned();
    assert!(
        content.contains("Out for signature: **1** · Lease"),
        "{content}"
    );
    assert!(content.contains("Can be changed: **1** · NDA"), "{content}");
    assert!(
        content.contains("Waiting for my signature: **1**\n"),
        "{content}"
    );
    assert!(!content.contains("Settlement"), "{content}");
    assert!(
        !content.contains("Lee"),
        "a person on a public board: {content}"
    );
    assert!(!content.contains("@outside"), "{content}");
    let preview = asked.text();
    assert!(
        preview.contains(&content),
        "the preview shows exactly what is posted"
    );
    // Asked again here: Post replaces it, and Unshare is offered.
    let again = s.h.command(&kim, "contract board", &[]).await;
    assert_eq!(custom_ids(&again.message()), ["b:post", "s:no", "b:stop"]);
    let stopped = s.h.press(&kim, "b:stop").await;
    assert_eq!(stopped.outcome.result, "ok", "{}", stopped.text());
    assert!(s.h.app.store.board(KIM, CHANNEL).await.unwrap().is_none());
    assert_eq!(s.h.press(&kim, "b:stop").await.outcome.result, "refused");
}

#[tokio::test]
async fn the_board_goes_only_where_the_member_may_post() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let reader = Actor::user(KIM).read_only();
    let a = s.h.command(&reader, "contract board", &[]).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(a.text().contains("can't send messages"), "{}", a.text());
    assert_eq!(s.h.press(&reader, "b:post").await.outcome.result, "refused");
    assert!(s.h.app.store.all_boards().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_watcher_edits_the_board_only_when_a_count_changes() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM).ko();
    common::seed_nda(&s.h.sim, "kim@example.com");
    assert_eq!(post_board(&s.h, &kim).await.posted().len(), 1);
    let w = s.watcher();
    let first = s.tick(&w).await;
    assert!(first.ran.contains(&Job::Boards), "{:?}", first.ran);
    assert_eq!(first.board_edits, 0, "it shows what was posted");
    // Another contract saved: the editable count moves.
    s.h.sim
        .seed_contract(
            "kim@example.com",
            "Lease",
            &["갑", "을"],
            ContractStatus::Saved,
        )
        .unwrap();
    travel(Duration::from_secs(60)).await;
    let tick = s.tick(&w).await;
    assert_eq!(tick.board_edits, 1, "{:?}", tick.ran);
    let edits = s.board_edits();
    assert_eq!(edits.len(), 1);
    let content = edits[0]["content"].as_str().unwrap();
    assert!(content.contains("계약 변경 가능: **2건**"), "{content}");
    assert_eq!(edits[0]["allowed_mentions"], json!({"parse": []}));
    // Nothing moved: no edit.
    travel(Duration::from_secs(60)).await;
    assert_eq!(s.tick(&w).await.board_edits, 0);
    assert_eq!(s.board_edits().len(), 1);
    // Its message deleted: the board is dropped.
    s.fake.set_messages_gone(true);
    s.h.sim
        .seed_contract(
            "kim@example.com",
            "Loan",
            &["갑", "을"],
            ContractStatus::Saved,
        )
        .unwrap();
    travel(Duration::from_secs(60)).await;
    s.tick(&w).await;
    assert!(s.h.app.store.board(KIM, CHANNEL).await.unwrap().is_none());
}

#[tokio::test]
async fn a_new_saved_contract_brings_one_next_steps_dm_whose_buttons_work() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let w = s.watcher();
    assert_eq!(s.read(&w, KIM).await, 0, "the first read is silent");
    // Kim runs /contract new and saves the contract on the website.
    s.h.command(&Actor::user(KIM), "contract new", &[]).await;
    let id = common::seed_nda(&s.h.sim, "kim@example.com");
    assert_eq!(s.read(&w, KIM).await, 1);
    assert_eq!(s.read(&w, KIM).await, 0, "once per contract");
    let dm = s.dms(KIM).pop().unwrap();
    let content = dm["content"].as_str().unwrap();
    assert!(content.contains("**NDA** is saved"), "{content}");
    assert!(!content.contains("@example.com"), "{content}");
    assert_eq!(
        custom_ids(&dm),
        [
            format!("g:pick:{id}"),
            format!("a:request:{id}"),
            format!("g:show:{id}"),
            format!("n:mute:{id}")
        ]
    );
    // In the DM: Show, then Set signees, a party's form, and its submit.
    let in_dm = Actor {
        guild: None,
        ..Actor::user(KIM)
    };
    let shown = s.h.press(&in_dm, &format!("g:show:{id}")).await;
    assert_eq!(shown.outcome.result, "ok", "{}", shown.text());
    assert!(shown.text().contains("NDA"));
    let ids = custom_ids(&shown.message());
    assert!(ids.contains(&format!("g:pick:{id}")), "{ids:?}");
    assert!(
        ids.iter()
            .all(|b| !b.starts_with("s:") && !b.starts_with("a:delete")),
        "{ids:?}"
    );
    let parties = s.h.press(&in_dm, &format!("g:pick:{id}")).await;
    assert_eq!(parties.outcome.result, "ok", "{}", parties.text());
    let form = s.h.press(&in_dm, &parties.button("g:form:1:")).await;
    assert_eq!(form.first()["type"], 9);
    let saved =
        s.h.submit(
            &in_dm,
            &format!("g:save:1:{id}"),
            &[
                ("name", "Choi"),
                ("email", "choi@outside.example"),
                ("phone", ""),
                ("message", ""),
            ],
        )
        .await;
    assert_eq!(saved.outcome.result, "ok", "{}", saved.text());
    let held = s.h.sim.contract(&id).unwrap().signees;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].email, "choi@outside.example");
    // The same buttons from someone else, or from another server, do nothing.
    let stranger = Actor {
        guild: Some(1),
        ..Actor::user(KIM)
    };
    assert_eq!(
        s.h.press(&stranger, &format!("g:show:{id}"))
            .await
            .outcome
            .result,
        "refused"
    );
}
