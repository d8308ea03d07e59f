//! Notifications people control: approval steps and the approval line in DMs, kinds of news turned off and on, one contract muted and unmuted, and the settings that show it all; through the real handlers and the watcher's `tick`.

use std::sync::Arc;

use comake_bot::api::discord;
use comake_bot::comake::wire::{ContractId, ContractStatus};
use comake_sim::SigneeAction;
use serde_json::json;

use crate::common;
use crate::common::discord::{custom_ids, Actor};
use crate::notify::{check_dm, next_nine_in_seoul, setup, share, travel, Setup, KIM, LEE};

/// `user` in a DM (no server).
fn in_dm(user: u64) -> Actor {
    Actor {
        guild: None,
        ..Actor::user(user)
    }
}

/// `owner`'s saved contract `name`, signees the owner and Lee, in approval
/// by `approvers` (name, email) in that order.
fn in_approval(s: &Setup, owner: &str, name: &str, approvers: &[(&str, &str)]) -> ContractId {
    let id =
        s.h.sim
            .seed_contract(owner, name, &["갑", "을"], ContractStatus::Saved)
            .unwrap();
    s.h.sim
        .set_signees(
            owner,
            &id,
            vec![
                common::plain_signee(0, "Owner", owner),
                common::plain_signee(1, "Lee", "lee@example.com"),
            ],
        )
        .unwrap();
    s.h.sim.request_approval(owner, &id, approvers).unwrap();
    id
}

fn content(dm: &serde_json::Value) -> String {
    dm["content"].as_str().unwrap_or_default().to_owned()
}

// ----- approvals -----

#[tokio::test]
async fn an_approvers_turn_dm_lists_the_approval_line_and_who_is_next() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    s.h.sim.add_user("choi@example.com", "Choi").unwrap();
    let w = s.watcher();
    s.read(&w, KIM).await;
    // Choi asks Boss, then Kim, then Park to approve.
    let id = in_approval(
        &s,
        "choi@example.com",
        "Budget",
        &[
            ("Boss", "boss@example.com"),
            ("Kim", "kim@example.com"),
            ("Park", "park@example.com"),
        ],
    );
    assert_eq!(s.read(&w, KIM).await, 0, "Boss is first: not Kim's turn");
    s.h.sim.approver_acts(&id, true, None).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let dm = &s.dms(KIM)[0];
    check_dm(&s, dm);
    let text = content(dm);
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {text}"))
    };
    assert!(at("**Budget** is waiting for your approval") < at("Approval line:"));
    // In order, each approver's state, Kim's turn marked and no one else's.
    assert!(at("1. Boss · approved") < at("2. Kim · waiting ← next"));
    assert!(at("2. Kim · waiting ← next") < at("3. Park · waiting"));
    assert_eq!(text.matches("← next").count(), 1, "{text}");
    // In Korean, with the guide's words.
    s.h.command(&Actor::user(KIM).ko(), "comake whoami", &[])
        .await;
    let theirs = in_approval(
        &s,
        "choi@example.com",
        "예산",
        &[("Kim", "kim@example.com")],
    );
    assert_eq!(s.read(&w, KIM).await, 1);
    let text = content(&s.dms(KIM)[1]);
    assert!(text.contains("결재선:"), "{text}");
    assert!(text.contains("1. Kim · 결재 대기중 ← 다음 차례"), "{text}");
    let _ = theirs;
}

#[tokio::test]
async fn the_sender_hears_each_approval_step_and_which_step_rejected() {
    let s = setup(&[]).await;
    s.h.linked(KIM, "kim@example.com").await;
    let line = [("Boss", "boss@example.com"), ("Park", "park@example.com")];
    let lease = in_approval(&s, "kim@example.com", "Lease", &line);
    let loan = in_approval(&s, "kim@example.com", "Loan", &line);
    let w = s.watcher();
    assert_eq!(s.read(&w, KIM).await, 0, "the baseline is silent");
    // Step 1 of each: told, not only at the end.
    s.h.sim.approver_acts(&lease, true, None).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let dm = &s.dms(KIM)[0];
    check_dm(&s, dm);
    assert!(
        content(dm).contains("**Lease**: approval 1 of 2, approved by **Boss**."),
        "{dm}"
    );
    assert_eq!(s.read(&w, KIM).await, 0, "told once");
    // The last step: approved, with the Request signatures button.
    s.h.sim.approver_acts(&lease, true, None).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let dm = &s.dms(KIM)[1];
    let text = content(dm);
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {text}"))
    };
    assert!(at("**Lease**: approval 2 of 2, approved by **Park**.") < at("**Lease** was approved"));
    assert!(custom_ids(dm).contains(&format!("a:request:{lease}")));
    // In Korean: 결재선 1/2: … 결재 완료; then step 2 rejects, its reason inert
    // and its contacts masked.
    s.h.command(&Actor::user(KIM).ko(), "comake whoami", &[])
        .await;
    s.h.sim.approver_acts(&loan, true, None).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let text = content(&s.dms(KIM)[2]);
    assert!(
        text.contains("**Loan** 결재선 1/2: **Boss** 결재 완료"),
        "{text}"
    );
    s.h.sim
        .approver_acts(
            &loan,
            false,
            Some("Wrong **amount**, call 010-1234-5678 or park@example.com"),
        )
        .unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let dm = &s.dms(KIM)[3];
    check_dm(&s, dm);
    let text = content(dm);
    assert!(
        text.contains("**Loan** 결재선 2/2: **Park** 결재 반려 — “Wrong"),
        "{text}"
    );
    assert!(
        !text.contains("**amount**") && !text.contains("010-1234"),
        "{text}"
    );
}

// ----- kinds of news -----

#[tokio::test]
async fn a_kind_turned_off_is_never_dmed_and_on_again_brings_no_old_news() {
    let s = setup(&[]).await;
    let (w, nda) = s.kim_after_baseline().await;
    let kim = Actor::user(KIM);
    let a =
        s.h.command(&kim, "comake notifications", &[("off", json!("viewed"))])
            .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert!(
        a.text().contains("Off: “Opened by a signee”"),
        "{}",
        a.text()
    );
    // Lee opens NDA: recorded, never told.
    s.h.sim.signee_acts(&nda, 1, SigneeAction::View).unwrap();
    assert_eq!(s.read(&w, KIM).await, 0);
    // The settings say so.
    let a = s.h.command(&kim, "comake notifications", &[]).await;
    assert!(
        a.text().contains("Kinds of DM: all but Opened by a signee"),
        "{}",
        a.text()
    );
    // Other kinds still come.
    s.h.sim.signee_acts(&nda, 0, SigneeAction::View).unwrap();
    s.h.sim.signee_acts(&nda, 1, SigneeAction::Sign).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let text = content(&s.dms(KIM)[0]);
    assert!(text.contains("**Lee** signed **NDA**"), "{text}");
    assert!(!text.contains("opened"), "{text}");
    // On again: what came while it was off is not sent; what comes next is.
    let a =
        s.h.command(&kim, "comake notifications", &[("on", json!("viewed"))])
            .await;
    assert!(
        a.text().contains("On: “Opened by a signee”"),
        "{}",
        a.text()
    );
    let lease = s.sent_contract("Lease").await;
    assert_eq!(s.read(&w, KIM).await, 0, "a new contract is a baseline");
    s.h.sim.signee_acts(&lease, 1, SigneeAction::View).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let text = content(&s.dms(KIM)[1]);
    assert!(text.contains("**Lee** opened **Lease**"), "{text}");
    assert!(!text.contains("NDA"), "old news came back: {text}");
    // One kind cannot be turned off and on at once.
    let a =
        s.h.command(
            &kim,
            "comake notifications",
            &[("off", json!("signed")), ("on", json!("signed"))],
        )
        .await;
    assert_eq!(a.outcome.result, "refused", "{}", a.text());
    let state = s.h.app.store.notify_state(KIM).await.unwrap().unwrap();
    assert!(state.kinds_off.is_empty(), "{:?}", state.kinds_off);
}

#[tokio::test]
async fn my_turn_turned_off_silences_the_request_to_sign() {
    let s = setup(&[]).await;
    let w = s.lee_after_baseline().await;
    let a =
        s.h.command(
            &Actor::user(LEE).ko(),
            "comake notifications",
            &[("off", json!("my_turn"))],
        )
        .await;
    assert!(
        a.text()
            .contains("이제 “내 차례(서명·결재)” 알림은 DM으로 보내지 않습니다"),
        "{}",
        a.text()
    );
    s.sent_contract("Office lease").await;
    assert_eq!(s.read(&w, LEE).await, 0);
    assert!(s.dms(LEE).is_empty());
}

// ----- muting one contract -----

#[tokio::test]
async fn a_muted_contract_gets_no_dm_until_it_is_unmuted_from_the_settings() {
    let s = setup(&[]).await;
    let (w, nda) = s.kim_after_baseline().await;
    let lease = s.sent_contract("Lease").await;
    s.read(&w, KIM).await;
    s.h.sim.signee_acts(&nda, 1, SigneeAction::View).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let dm = &s.dms(KIM)[0];
    check_dm(&s, dm);
    let mute = format!("n:mute:{nda}");
    assert!(custom_ids(dm).contains(&mute), "{dm}");
    // Double-clicked in the DM: muted once, said privately, with Unmute.
    let kim_dm = in_dm(KIM);
    let (x, y) = tokio::join!(s.h.press(&kim_dm, &mute), s.h.press(&kim_dm, &mute));
    for a in [&x, &y] {
        assert_eq!(a.outcome.result, "ok", "{}", a.text());
        assert!(a.text().contains("Muted **NDA**"), "{}", a.text());
        assert!(a.ephemeral());
    }
    assert_eq!(x.button("n:unmute:"), format!("n:unmute:{nda}"));
    let audited = s.h.app.store.audit_newest(20, Some(KIM)).await.unwrap();
    assert_eq!(
        audited
            .iter()
            .filter(|e| e.action == "notifications.mute")
            .count(),
        1,
        "{audited:?}"
    );
    // NDA moves: no DM. Lease moves: a DM, without NDA.
    s.h.sim.signee_acts(&nda, 1, SigneeAction::Sign).unwrap();
    assert_eq!(s.read(&w, KIM).await, 0);
    s.h.sim.signee_acts(&lease, 1, SigneeAction::View).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    assert!(!content(&s.dms(KIM)[1]).contains("NDA"));
    // The settings list it, with its Unmute button; pressed there, the
    // settings come back updated.
    let kim = Actor::user(KIM);
    let settings = s.h.command(&kim, "comake notifications", &[]).await;
    assert!(
        settings.text().contains("Muted contracts: **NDA**"),
        "{}",
        settings.text()
    );
    let unmute = settings.button("n:unmute:");
    assert_eq!(unmute, format!("n:unmute:{nda}"));
    let a = s.h.press(&kim, &unmute).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert!(a.text().contains("**NDA** is unmuted"), "{}", a.text());
    assert!(a.text().contains("Muted contracts: none"), "{}", a.text());
    assert!(a
        .buttons()
        .iter()
        .all(|(_, id)| !id.starts_with("n:unmute:")));
    // What happened while muted is not told; what comes next is.
    s.h.sim.signee_acts(&nda, 0, SigneeAction::View).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let text = content(&s.dms(KIM)[2]);
    assert!(text.contains("**Kim** opened **NDA**"), "{text}");
    assert!(!text.contains("signed"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mute_pressed_while_comake_is_read_holds_and_no_dm_follows() {
    let s = setup(&[]).await;
    let (w, nda) = s.kim_after_baseline().await;
    s.h.sim.signee_acts(&nda, 1, SigneeAction::View).unwrap();
    // Comake is slow: the read is in flight while Kim mutes NDA (from an
    // earlier DM).
    let read = s.slow_read(&w).await;
    let a = s.h.press(&in_dm(KIM), &format!("n:mute:{nda}")).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    let tick = read.await.unwrap();
    assert!(tick.reads.read.contains(&KIM), "{:?}", tick.reads);
    assert!(s.dms(KIM).is_empty(), "{:?}", s.dms(KIM));
    // Recorded as seen all the same: unmuting brings no old news.
    s.h.press(&in_dm(KIM), &format!("n:unmute:{nda}")).await;
    assert_eq!(s.read(&w, KIM).await, 0);
}

#[tokio::test]
async fn a_muted_contract_is_left_out_of_the_digest() {
    let s = setup(&[("DIGEST_STALE_DAYS", "1")]).await;
    let (w, nda) = s.kim_after_baseline().await;
    s.sent_contract("Lease").await;
    s.read(&w, KIM).await;
    let a = s.h.press(&in_dm(KIM), &format!("n:mute:{nda}")).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    s.h.command(
        &Actor::user(KIM),
        "comake notifications",
        &[("enabled", json!(false)), ("digest", json!("daily"))],
    )
    .await;
    // The watcher's loop runs on to the second morning (both have then
    // waited on others more than a day), sleeping as `tick` says.
    let until = next_nine_in_seoul() + chrono::Duration::days(1) + chrono::Duration::seconds(1);
    let mut digests = 0;
    for _ in 0..1_000 {
        let now = comake_bot::now();
        if now >= until {
            break;
        }
        let tick = w.tick(now).await;
        digests += tick.digests;
        let wake = tick
            .next
            .max(now + chrono::Duration::minutes(10))
            .min(until);
        travel((wake - now).to_std().unwrap()).await;
    }
    digests += s.tick(&w).await.digests;
    assert_eq!(digests, 1);
    let text = content(s.dms(KIM).last().unwrap());
    assert!(text.contains("**Lease**"), "{text}");
    assert!(
        !text.contains("NDA"),
        "a muted contract in the digest: {text}"
    );
}

#[tokio::test]
async fn mute_is_for_the_linked_member_only_and_their_own_contracts() {
    let s = setup(&[]).await;
    let (_w, nda) = s.kim_after_baseline().await;
    let mute = format!("n:mute:{nda}");
    // Lee is not linked: refused, nothing written.
    let a = s.h.press(&in_dm(LEE), &mute).await;
    assert_eq!(a.outcome.result, "refused", "{}", a.text());
    assert!(s.h.app.store.notify_state(LEE).await.unwrap().is_none());
    // A contract the watcher never saw of Kim's: nothing to mute.
    let a = s.h.press(&in_dm(KIM), "n:mute:not-kims").await;
    assert_eq!(a.outcome.result, "refused", "{}", a.text());
    // Kim has left every listed server: refused before any work.
    s.h.app
        .members
        .connect(Arc::new(discord::http(&s.h.app.config.discord).unwrap()));
    s.fake.remove_member(KIM);
    let a = s.h.press(&in_dm(KIM), &mute).await;
    assert_eq!(a.outcome.result, "refused", "{}", a.text());
    let state = s.h.app.store.notify_state(KIM).await.unwrap().unwrap();
    assert!(state.muted.is_empty(), "{:?}", state.muted);
}

#[tokio::test]
async fn the_settings_list_the_persons_status_cards() {
    let s = setup(&[]).await;
    let (_w, nda) = s.kim_after_baseline().await;
    assert_eq!(share(&s, &nda).await.posted().len(), 1);
    let a =
        s.h.command(&Actor::user(KIM), "comake notifications", &[])
            .await;
    assert!(
        a.text().contains("Your status cards: **NDA** in <#"),
        "{}",
        a.text()
    );
    // Lee has none.
    s.h.linked(LEE, "lee@example.com").await;
    let a =
        s.h.command(&Actor::user(LEE).ko(), "comake notifications", &[])
            .await;
    assert!(a.text().contains("내 상태 카드: 없음"), "{}", a.text());
}

/// The choices are kept by PostgreSQL as by sled: made through the
/// handlers and the watcher of a bot on PostgreSQL, read back by a new
/// connection (another instance, or after a restart).
#[tokio::test]
#[cfg_attr(
    not(pg_tests),
    ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn kinds_and_mutes_are_kept_on_postgres_too() {
    let schema = common::pg::Schema::new().await;
    let url = schema.url();
    let s = setup(&[
        ("DATABASE_URL", url.as_str()),
        ("STATE_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="),
    ])
    .await;
    assert!(s.h.app.store.is_shared(), "the bot runs on PostgreSQL");
    let (w, nda) = s.kim_after_baseline().await;
    s.h.command(
        &Actor::user(KIM),
        "comake notifications",
        &[("off", json!("viewed"))],
    )
    .await;
    s.h.sim.signee_acts(&nda, 1, SigneeAction::Sign).unwrap();
    assert_eq!(s.read(&w, KIM).await, 1);
    let a = s.h.press(&in_dm(KIM), &format!("n:mute:{nda}")).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    let again = schema.store().await;
    let state = again.notify_state(KIM).await.unwrap().unwrap();
    assert_eq!(
        state
            .kinds_off
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
        ["viewed"]
    );
    assert_eq!(
        state.muted.get(nda.as_str()).map(String::as_str),
        Some("NDA")
    );
    // Muted there, silent here.
    s.h.sim.signee_acts(&nda, 0, SigneeAction::Sign).unwrap();
    assert_eq!(s.read(&w, KIM).await, 0);
    drop(s);
    schema.drop_now().await;
}
