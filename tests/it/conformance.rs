//! One suite, two backends: every test here runs against sled and against PostgreSQL (`TEST_DATABASE_URL`), so the two behave the same.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use comake_bot::api::store::{
    Account, AuditEntry, LinkError, LinkMethod, NewsKind, NotifyState, Store,
};
use comake_bot::api::tasks;

use crate::common::pg::Schema;

/// A store of either kind, and what to clean up after it.
pub struct Fixture {
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    schema: Option<Schema>,
}

impl Fixture {
    pub async fn sled() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            store: Store::open(dir.path().join("s")).unwrap(),
            _dir: Some(dir),
            schema: None,
        }
    }

    pub async fn postgres() -> Self {
        let schema = Schema::new().await;
        Self {
            store: schema.store().await,
            _dir: None,
            schema: Some(schema),
        }
    }

    /// Another empty store of the same kind.
    async fn sibling(&self) -> Fixture {
        match self.schema {
            Some(_) => Fixture::postgres().await,
            None => Fixture::sled().await,
        }
    }

    /// Another empty store of the other kind.
    async fn other_kind(&self) -> Fixture {
        match self.schema {
            Some(_) => Fixture::sled().await,
            None => Fixture::postgres().await,
        }
    }

    async fn done(self) {
        if let Some(schema) = self.schema {
            schema.drop_now().await;
        }
    }
}

fn account(discord_id: u64, email: &str) -> Account {
    Account {
        discord_id,
        email: email.to_owned(),
        name: format!("user {discord_id}"),
        comake_client_id: format!("c{discord_id}"),
        linked_at: Utc.timestamp_opt(1_700_000_000, 0).unwrap(),
        linked_by: discord_id,
        method: LinkMethod::SelfRegistered,
    }
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
}

fn entry(secs: i64, user: u64, action: &str) -> AuditEntry {
    AuditEntry {
        at: at(secs),
        discord_user: user,
        guild: Some(1),
        action: action.to_owned(),
        contract: None,
        outcome: "ok".into(),
    }
}

async fn links_and_the_email_rule(f: Fixture) {
    let s = &f.store;
    s.link(account(1, " Kim@Example.com "), false)
        .await
        .unwrap();
    assert_eq!(
        s.account_by_email("KIM@example.com")
            .await
            .unwrap()
            .map(|a| a.discord_id),
        Some(1)
    );
    assert!(matches!(
        s.link(account(2, "kim@example.com"), false).await,
        Err(LinkError::EmailTaken { .. })
    ));
    assert!(matches!(
        s.link(account(1, "other@example.com"), false).await,
        Err(LinkError::AlreadyLinked { ref email }) if email == "kim@example.com"
    ));
    // An admin's replace moves the account to the new email and frees the old.
    s.link(account(1, "new@example.com"), true).await.unwrap();
    assert!(s
        .account_by_email("kim@example.com")
        .await
        .unwrap()
        .is_none());
    s.link(account(2, "kim@example.com"), false).await.unwrap();
    assert_eq!(s.account_count().await.unwrap(), 2);
    let page = s.accounts(Some(1), 10).await.unwrap();
    assert_eq!(page.iter().map(|a| a.discord_id).collect::<Vec<_>>(), [2]);
    assert!(s.accounts(Some(u64::MAX), 10).await.unwrap().is_empty());
    f.done().await;
}

async fn one_email_links_once_under_a_race(f: Fixture) {
    let store = f.store.clone();
    let mut tasks = tokio::task::JoinSet::new();
    for id in 1..=20u64 {
        let store = store.clone();
        // The same email, written differently.
        let email = if id % 2 == 0 {
            "  Same@Example.com "
        } else {
            "same@example.com"
        };
        tasks.spawn(async move { store.link(account(id, email), false).await });
    }
    let (mut winner, mut owners) = (Vec::new(), Vec::new());
    while let Some(result) = tasks.join_next().await {
        match result.unwrap() {
            Ok(a) => winner.push(a.discord_id),
            Err(LinkError::EmailTaken { owner }) => owners.push(owner),
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!((winner.len(), owners.len()), (1, 19));
    // Every loser is told who won, on either backend.
    assert!(owners.iter().all(|o| *o == winner[0]), "{owners:?}");
    assert_eq!(store.account_count().await.unwrap(), 1);
    // One Discord account linked twice at once: linked once, and the other
    // is told to which email.
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..10u64 {
        let store = store.clone();
        tasks.spawn(async move {
            store
                .link(account(100, &format!("p{n}@example.com")), false)
                .await
        });
    }
    let (mut linked, mut already) = (Vec::new(), Vec::new());
    while let Some(result) = tasks.join_next().await {
        match result.unwrap() {
            Ok(a) => linked.push(a.email),
            Err(LinkError::AlreadyLinked { email }) => already.push(email),
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!((linked.len(), already.len()), (1, 9));
    assert!(already.iter().all(|e| *e == linked[0]), "{already:?}");
    f.done().await;
}

async fn unlink_forgets_the_link_and_its_state(f: Fixture) {
    let s = &f.store;
    s.link(account(1, "kim@example.com"), false).await.unwrap();
    s.update_notify_state(1, |_| Some(NotifyState::default()))
        .await
        .unwrap();
    assert!(s.notify_state(1).await.unwrap().is_some());
    let gone = s.unlink(1).await.unwrap().unwrap();
    assert_eq!(gone.email, "kim@example.com");
    assert!(s.account(1).await.unwrap().is_none());
    assert!(s.notify_state(1).await.unwrap().is_none());
    assert!(s.unlink(1).await.unwrap().is_none());
    // The email is free again, and the person can link again.
    s.link(account(2, "kim@example.com"), false).await.unwrap();
    s.link(account(1, "kim.new@example.com"), false)
        .await
        .unwrap();
    f.done().await;
}

async fn audit_order_and_paging(f: Fixture) {
    let s = &f.store;
    let entries: Vec<AuditEntry> = (0..30)
        .map(|i| entry(i, 1 + (i as u64 % 3), &format!("action{i}")))
        .collect();
    // Two in the same second keep their insertion order.
    s.audit_batch(entries.clone()).await.unwrap();
    s.audit(entry(29, 1, "action29b")).await.unwrap();
    let newest = s.audit_newest(3, None).await.unwrap();
    let names: Vec<_> = newest.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(names, ["action29b", "action29", "action28"]);
    let mine = s.audit_newest(3, Some(2)).await.unwrap();
    let names: Vec<_> = mine.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(names, ["action28", "action25", "action22"]);
    assert!(mine.iter().all(|e| e.discord_user == 2));
    assert!(s.audit_newest(100, Some(99)).await.unwrap().is_empty());
    // Paging goes through all, oldest first, each once.
    let (mut all, mut cursor) = (Vec::new(), None);
    for _ in 0..20 {
        let (page, next) = s.audit_page(cursor, 7).await.unwrap();
        all.extend(page.iter().map(|e| e.action.clone()));
        if page.len() < 7 {
            break;
        }
        cursor = next;
    }
    let mut expected: Vec<String> = entries.iter().map(|e| e.action.clone()).collect();
    expected.push("action29b".into());
    assert_eq!(all, expected);
    // Pruning removes the oldest, in batches.
    assert_eq!(s.prune_audit(at(10), 4).await.unwrap(), 10);
    assert_eq!(s.audit_page(None, 100).await.unwrap().0.len(), 21);
    f.done().await;
}

async fn notification_state_is_compare_and_swap(f: Fixture) {
    let s = &f.store;
    assert!(s.notify_state(5).await.unwrap().is_none());
    // Concurrent updates each apply once: none is lost.
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let s = s.clone();
        tasks.spawn(async move {
            s.update_notify_state(5, |old| {
                let mut state = old.unwrap_or_default();
                state.generation += 1;
                Some(state)
            })
            .await
            .unwrap()
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
    let state: NotifyState = s.notify_state(5).await.unwrap().unwrap();
    assert_eq!(state.generation, 10);
    s.forget_notify_state(5).await.unwrap();
    assert!(s.notify_state(5).await.unwrap().is_none());
    f.done().await;
}

async fn notification_choices_are_kept(f: Fixture) {
    let s = &f.store;
    s.update_notify_state(9, |_| {
        let mut state = NotifyState::default();
        state.kinds_off.insert(NewsKind::MyTurn);
        state.kinds_off.insert(NewsKind::Viewed);
        state.muted.insert("c1".into(), "NDA “1”".into());
        Some(state)
    })
    .await
    .unwrap();
    let state = s.notify_state(9).await.unwrap().unwrap();
    assert_eq!(
        state.kinds_off.iter().copied().collect::<Vec<_>>(),
        [NewsKind::Viewed, NewsKind::MyTurn]
    );
    assert_eq!(state.muted.get("c1").map(String::as_str), Some("NDA “1”"));
    // A later write (a read merging what it saw) keeps them.
    s.update_notify_state(9, |old| {
        let mut state = old?;
        state.generation += 1;
        Some(state)
    })
    .await
    .unwrap();
    let state = s.notify_state(9).await.unwrap().unwrap();
    assert_eq!(state.kinds_off.len(), 2);
    assert_eq!(state.muted.len(), 1);
    f.done().await;
}

async fn confirmations_are_taken_once(f: Fixture) {
    let s = &f.store;
    let now = at(0);
    let later = at(15 * 60);
    s.hold("n1", 7, b"secret payload", later, now)
        .await
        .unwrap();
    assert_eq!(
        s.take_held("n1", 8, now).await.unwrap(),
        None,
        "someone else"
    );
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let s = s.clone();
        tasks.spawn(async move { s.take_held("n1", 7, at(1)).await.unwrap() });
    }
    let mut got = Vec::new();
    while let Some(r) = tasks.join_next().await {
        got.extend(r.unwrap());
    }
    assert_eq!(
        got,
        vec![b"secret payload".to_vec()],
        "exactly one press acts"
    );
    // Expired: gone for everyone, and swept.
    s.hold("n2", 7, b"x", later, now).await.unwrap();
    assert_eq!(s.take_held("n2", 7, later).await.unwrap(), None);
    s.hold("n3", 7, b"x", later, now).await.unwrap();
    assert_eq!(s.sweep(later, Duration::from_secs(60)).await.unwrap(), 0);
    f.done().await;
}

async fn the_command_window_and_replays_are_counted(f: Fixture) {
    let s = &f.store;
    let minute = Duration::from_secs(60);
    for n in 1..=5 {
        assert_eq!(
            s.count("cmd:9", at(n), minute).await.unwrap(),
            (n as u32, at(1))
        );
    }
    assert_eq!(
        s.count("cmd:10", at(5), minute).await.unwrap().0,
        1,
        "per key"
    );
    assert_eq!(
        s.count("cmd:9", at(62), minute).await.unwrap(),
        (1, at(62)),
        "a new window"
    );
    // What is held can be looked at without taking it, by its owner only.
    s.hold("look", 9, b"x", at(100), at(0)).await.unwrap();
    assert!(s.is_held("look", 9, at(1)).await.unwrap());
    assert!(!s.is_held("look", 8, at(1)).await.unwrap());
    assert!(!s.is_held("look", 9, at(100)).await.unwrap(), "expired");
    // Holding again under the same nonce replaces.
    s.hold("look", 9, b"y", at(200), at(1)).await.unwrap();
    assert_eq!(
        s.take_held("look", 9, at(2)).await.unwrap(),
        Some(b"y".to_vec())
    );
    assert!(s.first_seen(42, at(0), at(660)).await.unwrap());
    assert!(
        !s.first_seen(42, at(10), at(670)).await.unwrap(),
        "a replay"
    );
    assert!(
        s.first_seen(42, at(661), at(1321)).await.unwrap(),
        "remembered long enough only"
    );
    f.done().await;
}

/// The upkeep's sweep runs every minute with the command window (60 s); an
/// hour's window (codes per person and per email) must outlive it.
async fn an_hours_window_outlives_the_minutes_sweep(f: Fixture) {
    let s = &f.store;
    // What the upkeep passes (`COMMAND_WINDOW`), and the codes' window
    // (`RATE_WINDOW`, with `MAX_CODES` = 3).
    let (sweep_window, hour) = (Duration::from_secs(60), Duration::from_secs(3600));
    let max_codes = 3;
    let key = "codes-user:5";
    let mut asked = 0;
    for minute in [0, 10, 20, 30] {
        // The minute's upkeep ran, again and again, since the last request.
        for m in 1..=9 {
            s.sweep(at(60 * (minute - 10 + m)), sweep_window)
                .await
                .unwrap();
        }
        let (n, since) = s.count(key, at(60 * minute), hour).await.unwrap();
        assert_eq!(since, at(0), "one window since the first code");
        asked = n;
    }
    assert_eq!(asked, 4);
    assert!(asked > max_codes, "the 4th code in the hour is refused");
    // A minute's window is still forgotten after its minute, and the
    // hour's after its hour.
    s.count("cmd:5", at(1800), sweep_window).await.unwrap();
    s.sweep(at(3600), sweep_window).await.unwrap();
    assert_eq!(s.count(key, at(3601), hour).await.unwrap(), (1, at(3601)));
    assert_eq!(
        s.count("cmd:5", at(3601), sweep_window).await.unwrap(),
        (1, at(3601))
    );
    f.done().await;
}

async fn export_and_import_move_between_backends(f: Fixture) {
    let s = &f.store;
    for id in 1..=3 {
        s.link(account(id, &format!("u{id}@example.com")), false)
            .await
            .unwrap();
    }
    for i in 0..5 {
        s.audit(entry(i, 1 + i as u64 % 3, &format!("a{i}")))
            .await
            .unwrap();
    }
    let mut buf = Vec::new();
    assert_eq!(tasks::export(s, &mut buf).await.unwrap(), (3, 5));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.jsonl");
    std::fs::write(&file, &buf).unwrap();
    for target in [f.other_kind().await, f.sibling().await] {
        let t = &target.store;
        let done = tasks::import(t, &file, false).await.unwrap();
        assert_eq!((done.accounts, done.audit, done.refused.len()), (3, 5, 0));
        assert_eq!(
            t.accounts(None, 10).await.unwrap(),
            s.accounts(None, 10).await.unwrap()
        );
        assert_eq!(
            t.audit_newest(10, None).await.unwrap(),
            s.audit_newest(10, None).await.unwrap()
        );
        // Twice adds nothing.
        tasks::import(t, &file, false).await.unwrap();
        assert_eq!(t.audit_page(None, 100).await.unwrap().0.len(), 5);
        // And back out, the same lines.
        let mut again = Vec::new();
        tasks::export(t, &mut again).await.unwrap();
        assert_eq!(
            String::from_utf8(again).unwrap(),
            String::from_utf8(buf.clone()).unwrap()
        );
        target.done().await;
    }
    f.done().await;
}

async fn status_cards_are_kept_per_contract(f: Fixture) {
    use comake_bot::api::store::Card;
    let s = &f.store;
    let card = |contract: &str, owner: u64, message: u64| Card {
        contract: contract.to_owned(),
        owner,
        channel: 7,
        message,
        locale: "ko".into(),
    };
    s.put_card(card("a", 1, 10)).await.unwrap();
    s.put_card(card("b", 1, 11)).await.unwrap();
    s.put_card(card("c", 2, 12)).await.unwrap();
    // Sharing again replaces.
    s.put_card(card("a", 1, 13)).await.unwrap();
    assert_eq!(s.card("a").await.unwrap(), Some(card("a", 1, 13)));
    let all: Vec<_> = s
        .all_cards()
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.contract, c.owner))
        .collect();
    assert_eq!(all, [("a".into(), 1), ("b".into(), 1), ("c".into(), 2)]);
    assert_eq!(s.remove_card("a").await.unwrap(), Some(card("a", 1, 13)));
    assert_eq!(s.remove_card("a").await.unwrap(), None);
    assert_eq!(s.all_cards().await.unwrap().len(), 2);
    assert!(s.card("zzz").await.unwrap().is_none());
    f.done().await;
}

async fn signee_messages_are_kept_per_contract(f: Fixture) {
    use comake_bot::api::store::{SignedMessage, SigneeMessages};
    let s = &f.store;
    let kept = |contract: &str, message: Option<&str>| SigneeMessages {
        contract: contract.to_owned(),
        signees: vec![
            SignedMessage {
                party: 0,
                email: "lee@example.com".into(),
                message: message.map(str::to_owned),
            },
            SignedMessage {
                party: 1,
                email: "park@example.com".into(),
                message: None,
            },
        ],
    };
    assert!(s.signee_messages("a").await.unwrap().is_none());
    s.put_signee_messages(kept("a", Some("금요일까지 부탁드립니다")))
        .await
        .unwrap();
    s.put_signee_messages(kept("b", None)).await.unwrap();
    // Setting the signees again replaces what was kept.
    s.put_signee_messages(kept("a", Some("월요일까지")))
        .await
        .unwrap();
    assert_eq!(
        s.signee_messages("a").await.unwrap(),
        Some(kept("a", Some("월요일까지")))
    );
    assert_eq!(s.signee_messages("b").await.unwrap(), Some(kept("b", None)));
    // Forgotten per contract (twice is fine), the others kept.
    s.forget_signee_messages("a").await.unwrap();
    s.forget_signee_messages("a").await.unwrap();
    assert!(s.signee_messages("a").await.unwrap().is_none());
    assert_eq!(s.signee_messages("b").await.unwrap(), Some(kept("b", None)));
}

async fn team_boards_are_kept_per_person_and_channel(f: Fixture) {
    use comake_bot::api::store::Board;
    let s = &f.store;
    let board = |owner: u64, channel: u64, message: u64| Board {
        owner,
        channel,
        message,
        locale: "ko".into(),
        content: format!("board {message}"),
    };
    s.put_board(board(1, 7, 10)).await.unwrap();
    s.put_board(board(1, 8, 11)).await.unwrap();
    s.put_board(board(2, 7, 12)).await.unwrap();
    // A second board of the same person in the same channel replaces.
    s.put_board(board(1, 7, 13)).await.unwrap();
    assert_eq!(s.board(1, 7).await.unwrap(), Some(board(1, 7, 13)));
    let mut all: Vec<_> = s
        .all_boards()
        .await
        .unwrap()
        .into_iter()
        .map(|b| (b.owner, b.channel, b.message))
        .collect();
    all.sort_unstable();
    assert_eq!(all, [(1, 7, 13), (1, 8, 11), (2, 7, 12)]);
    assert_eq!(s.remove_board(1, 7).await.unwrap(), Some(board(1, 7, 13)));
    assert_eq!(s.remove_board(1, 7).await.unwrap(), None);
    assert_eq!(s.all_boards().await.unwrap().len(), 2);
    assert!(s.board(3, 7).await.unwrap().is_none());
}

async fn nudges_are_claimed_once_a_day_and_reminders_kept(f: Fixture) {
    use comake_bot::api::store::{Claim, Reminder};
    let s = &f.store;
    let day = chrono::Duration::days(1);
    // Two claims at once: one is taken, the other told when the next is.
    let (a, b) = tokio::join!(s.claim_nudge("c1", 7, at(0)), s.claim_nudge("c1", 7, at(0)));
    let mut both = [a.unwrap(), b.unwrap()];
    both.sort_by_key(|c| matches!(c, Claim::TooSoon(_)));
    assert_eq!(both, [Claim::Taken(at(0)), Claim::TooSoon(at(0) + day)]);
    // Another colleague, or another contract, is a claim of its own.
    assert_eq!(
        s.claim_nudge("c1", 8, at(5)).await.unwrap(),
        Claim::Taken(at(5))
    );
    assert_eq!(
        s.claim_nudge("c2", 7, at(5)).await.unwrap(),
        Claim::Taken(at(5))
    );
    assert_eq!(
        s.claim_nudge("c1", 7, at(86_399)).await.unwrap(),
        Claim::TooSoon(at(0) + day)
    );
    assert_eq!(
        s.claim_nudge("c1", 7, at(86_400)).await.unwrap(),
        Claim::Taken(at(86_400))
    );
    // A claim given back (its DM did not go out) frees the day; an older
    // stamp does not remove a newer claim.
    s.release_nudge("c1", 7, at(0)).await.unwrap();
    assert!(matches!(
        s.claim_nudge("c1", 7, at(86_401)).await.unwrap(),
        Claim::TooSoon(_)
    ));
    s.release_nudge("c1", 7, at(86_400)).await.unwrap();
    assert_eq!(
        s.claim_nudge("c1", 7, at(86_402)).await.unwrap(),
        Claim::Taken(at(86_402))
    );
    // Pruning forgets what is older than the cutoff, and only that.
    assert_eq!(s.prune_nudges(at(6)).await.unwrap(), 2);
    assert!(matches!(
        s.claim_nudge("c1", 7, at(86_403)).await.unwrap(),
        Claim::TooSoon(_)
    ));
    assert_eq!(
        s.claim_nudge("c1", 8, at(86_403)).await.unwrap(),
        Claim::Taken(at(86_403))
    );

    let reminder = |contract: &str, days| Reminder {
        contract: contract.to_owned(),
        sender: 1,
        days,
        since: at(0),
        reminded: vec![7],
    };
    s.put_reminder(reminder("c1", 2)).await.unwrap();
    s.put_reminder(reminder("c2", 3)).await.unwrap();
    s.put_reminder(reminder("c1", 4)).await.unwrap();
    assert_eq!(s.reminder("c1").await.unwrap(), Some(reminder("c1", 4)));
    assert_eq!(
        s.reminders().await.unwrap(),
        [reminder("c1", 4), reminder("c2", 3)]
    );
    s.remove_reminder("c1").await.unwrap();
    assert_eq!(s.reminders().await.unwrap(), [reminder("c2", 3)]);
    assert!(s.reminder("c1").await.unwrap().is_none());
    f.done().await;
}

/// Each test, once per backend.
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sled {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::Fixture::sled().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[cfg_attr(not(pg_tests), ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test")]
                async fn $name() {
                    super::$name(super::Fixture::postgres().await).await;
                }
            )*
        }
    };
}

both!(
    links_and_the_email_rule,
    one_email_links_once_under_a_race,
    unlink_forgets_the_link_and_its_state,
    audit_order_and_paging,
    notification_state_is_compare_and_swap,
    notification_choices_are_kept,
    confirmations_are_taken_once,
    the_command_window_and_replays_are_counted,
    an_hours_window_outlives_the_minutes_sweep,
    export_and_import_move_between_backends,
    status_cards_are_kept_per_contract,
    signee_messages_are_kept_per_contract,
    team_boards_are_kept_per_person_and_channel,
    nudges_are_claimed_once_a_day_and_reminders_kept,
);

/// A role is held by one store at a time, and free again when its holder goes.
#[tokio::test]
#[cfg_attr(
    not(pg_tests),
    ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn one_leader_per_role_and_a_takeover() {
    use comake_bot::api::store::Role;
    let schema = Schema::new().await;
    let (a, b) = (schema.store().await, schema.store().await);
    let held = a
        .lead(Role::Watcher)
        .await
        .unwrap()
        .expect("the first asks and gets it");
    assert!(
        b.lead(Role::Watcher).await.unwrap().is_none(),
        "one watcher"
    );
    let gateway = b.lead(Role::Gateway).await.unwrap();
    assert!(gateway.is_some(), "roles are separate");
    drop(held);
    let mut taken = None;
    for _ in 0..50 {
        if let Some(l) = b.lead(Role::Watcher).await.unwrap() {
            taken = Some(l);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        taken.is_some(),
        "the standby takes over once the holder is gone"
    );
    schema.drop_now().await;
}

/// A database from before windows kept their end (schema version 2) is
/// upgraded at start: its windows get an end, and counting goes on.
#[tokio::test]
#[cfg_attr(
    not(pg_tests),
    ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn windows_from_before_their_ends_are_migrated() {
    let schema = Schema::new().await;
    schema
        .batch(&format!(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY); {} {} \
             INSERT INTO schema_migrations VALUES (1), (2); \
             INSERT INTO windows (key, window_start, count) \
             VALUES ('codes-user:1', '2023-11-14 22:13:20+00', 3)",
            include_str!("../../src/store/postgres/0001_init.sql"),
            include_str!("../../src/store/postgres/0002_cards.sql"),
        ))
        .await;
    let store = schema.store().await;
    let hour = Duration::from_secs(3600);
    // 2023-11-14 22:13:20 is `at(0)`.
    store.sweep(at(600), Duration::from_secs(60)).await.unwrap();
    assert_eq!(
        store.count("codes-user:1", at(1200), hour).await.unwrap(),
        (4, at(0)),
        "kept through the sweep, and counting on"
    );
    store
        .sweep(at(3600), Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(
        store.count("codes-user:1", at(3601), hour).await.unwrap(),
        (1, at(3601))
    );
    schema.drop_now().await;
}

/// Instances with the same `STATE_KEY` open each other's confirmations (the
/// sealing key is derived the same way on each); another key opens none.
#[tokio::test]
#[cfg_attr(
    not(pg_tests),
    ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn sealed_confirmations_open_with_the_same_state_key_only() {
    use std::sync::Arc;
    let schema = Schema::new().await;
    let (a, b) = (schema.store().await, schema.store().await);
    let mut other = schema.options.clone();
    other.state_key = Arc::new(secrecy::SecretVec::new(vec![8u8; 32]));
    let c = Store::connect(&other).await.unwrap();
    a.hold("n1", 7, b"a password", at(900), at(0))
        .await
        .unwrap();
    assert_eq!(
        b.take_held("n1", 7, at(1)).await.unwrap(),
        Some(b"a password".to_vec())
    );
    a.hold("n2", 7, b"a password", at(900), at(0))
        .await
        .unwrap();
    assert!(c.take_held("n2", 7, at(1)).await.is_err());
    schema.drop_now().await;
}
