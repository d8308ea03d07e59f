//! The sled store on a real directory: durability under SIGKILL, the one-email-one-account rule, audit queries, locking.

use crate::common::StoreExt as _;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use comake_bot::store::{Account, AuditEntry, LinkError, LinkMethod, Store, StoreError};

fn account(discord_id: u64, email: &str) -> Account {
    Account {
        discord_id,
        email: email.to_owned(),
        name: format!("user {discord_id}"),
        comake_client_id: format!("c{discord_id}"),
        linked_at: Utc::now(),
        linked_by: discord_id,
        method: LinkMethod::SelfRegistered,
    }
}

const CHILD_ENV: &str = "COMAKE_BOT_CRASH_CHILD_DB";

/// The child of the crash test: links accounts as fast as it can and prints
/// each id once `link` has returned. Does nothing unless the parent set the
/// variable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let start: u64 = std::env::var("COMAKE_BOT_CRASH_CHILD_START")
        .unwrap()
        .parse()
        .unwrap();
    let store = Store::open(&path).unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    // A few concurrent linkers, as in the bot.
    for lane in 0..4u64 {
        let store = store.clone();
        tasks.spawn(async move {
            for i in 0..100_000u64 {
                let id = start + i * 4 + lane;
                store
                    .link(account(id, &format!("user{id}@example.com")), false)
                    .await
                    .unwrap();
                println!("{id}");
            }
        });
    }
    while tasks.join_next().await.is_some() {}
}

#[test]
fn every_acknowledged_link_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let exe = std::env::current_exe().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut acknowledged: Vec<u64> = Vec::new();
    let mut rounds = 0;
    while rounds < 20 && Instant::now() < deadline {
        let start = 1 + rounds as u64 * 1_000_000;
        let mut child = Command::new(&exe)
            .args([
                "store::crash_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .env("COMAKE_BOT_CRASH_CHILD_START", start.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Ok(id) = line.trim().parse::<u64>() {
                    if tx.send(id).is_err() {
                        break;
                    }
                }
            }
        });
        // Kill at a random moment while the child is linking: after a random
        // number of acknowledged links, plus a random few milliseconds.
        let wanted = 1 + rand::random::<usize>() % 200;
        let mut seen = 0;
        while seen < wanted {
            match rx.recv_timeout(Duration::from_secs(10)) {
                Ok(id) => {
                    acknowledged.push(id);
                    seen += 1;
                }
                Err(_) => break,
            }
        }
        std::thread::sleep(Duration::from_micros(rand::random::<u64>() % 20_000));
        // SIGKILL: no destructor, no flush.
        child.kill().unwrap();
        child.wait().unwrap();
        reader.join().unwrap();
        acknowledged.extend(rx.try_iter());
        assert!(seen > 0, "round {rounds}: the child acknowledged nothing");

        let store = Store::open(&path).unwrap();
        let check = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        check.block_on(async {
            for id in &acknowledged {
                let acc =
                    store.account(*id).await.unwrap().unwrap_or_else(|| {
                        panic!("round {rounds}: acknowledged link {id} was lost")
                    });
                let by_email = store.account_by_email(&acc.email).await.unwrap();
                assert_eq!(by_email.map(|a| a.discord_id), Some(*id));
            }
            // The index and the accounts agree both ways.
            let all = store.accounts(None, usize::MAX).await.unwrap();
            for a in &all {
                assert_eq!(
                    store
                        .account_by_email(&a.email)
                        .await
                        .unwrap()
                        .map(|b| b.discord_id),
                    Some(a.discord_id)
                );
            }
        });
        drop(store);
        rounds += 1;
    }
    assert!(rounds >= 20, "only {rounds} rounds in the time allowed");
    assert!(
        acknowledged.len() >= 20,
        "the child acknowledged too few links ({}) to test anything",
        acknowledged.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_email_links_to_one_discord_account() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("s")).unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for user in 1..=100u64 {
        let store = store.clone();
        // The same email, written differently.
        let email = if user % 2 == 0 {
            "  Shared@Example.com "
        } else {
            "shared@example.com"
        };
        tasks.spawn(async move { store.link(account(user, email), false).await });
    }
    let mut ok = 0;
    let mut taken = 0;
    while let Some(result) = tasks.join_next().await {
        match result.unwrap() {
            Ok(_) => ok += 1,
            Err(LinkError::EmailTaken { .. }) => taken += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!((ok, taken), (1, 99));
    assert_eq!(store.account_count().await.unwrap(), 1);
}

#[tokio::test]
async fn unlink_frees_the_email_and_relinking_works() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("s")).unwrap();
    store.link(account(1, "a@x.com"), false).await.unwrap();
    assert!(matches!(
        store.link(account(1, "b@x.com"), false).await,
        Err(LinkError::AlreadyLinked { ref email }) if email == "a@x.com"
    ));
    let removed = store.unlink(1).await.unwrap().unwrap();
    assert_eq!(removed.email, "a@x.com");
    assert!(store.account(1).await.unwrap().is_none());
    assert!(store.account_by_email("a@x.com").await.unwrap().is_none());
    assert!(store.unlink(1).await.unwrap().is_none());
    // The email is free for someone else, and user 1 can link again.
    store.link(account(2, "A@x.com"), false).await.unwrap();
    store.link(account(1, "c@x.com"), false).await.unwrap();
    // An admin's replace moves user 1 to another email and frees the old one.
    store.link(account(1, "d@x.com"), true).await.unwrap();
    assert!(store.account_by_email("c@x.com").await.unwrap().is_none());
    assert_eq!(
        store
            .account_by_email("d@x.com")
            .await
            .unwrap()
            .unwrap()
            .discord_id,
        1
    );
    // Paging in id order.
    let page = store.accounts(None, 1).await.unwrap();
    assert_eq!(page[0].discord_id, 1);
    let page = store.accounts(Some(1), 10).await.unwrap();
    assert_eq!(page.iter().map(|a| a.discord_id).collect::<Vec<_>>(), [2]);
}

#[tokio::test]
async fn audit_is_newest_first_and_filters_by_user() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("s")).unwrap();
    let base = Utc::now();
    for i in 0..30i64 {
        store
            .audit(AuditEntry {
                at: base + chrono::Duration::milliseconds(i),
                discord_user: (i % 3) as u64 + 1,
                guild: Some(7),
                action: format!("action{i}"),
                contract: None,
                outcome: "ok".into(),
            })
            .await
            .unwrap();
    }
    let newest = store.audit_newest(5, None).await.unwrap();
    let names: Vec<_> = newest.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        names,
        ["action29", "action28", "action27", "action26", "action25"]
    );
    let mine = store.audit_newest(3, Some(2)).await.unwrap();
    let names: Vec<_> = mine.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(names, ["action28", "action25", "action22"]);
    assert!(mine.iter().all(|e| e.discord_user == 2));
    assert_eq!(store.audit_newest(100, Some(99)).await.unwrap().len(), 0);
    // It survives a reopen.
    drop(store);
    let store = Store::open(dir.path().join("s")).unwrap();
    assert_eq!(store.audit_len().await, 30);
}

#[test]
fn a_locked_store_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s");
    let _first = Store::open(&path).unwrap();
    match Store::open(&path) {
        Err(e @ StoreError::Locked { .. }) => {
            let text = e.to_string();
            assert!(text.contains(path.to_str().unwrap()), "{text}");
            assert!(text.contains("another"), "{text}");
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("opened a store another handle holds"),
    }
}

#[test]
fn a_damaged_store_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s");
    {
        let _ = Store::open(&path).unwrap();
    }
    // Overwrite every file sled wrote with garbage.
    for entry in walk(&path) {
        std::fs::write(&entry, vec![0xA5u8; 4096]).unwrap();
    }
    match Store::open(&path) {
        Err(e) => assert!(e.to_string().contains(path.to_str().unwrap()), "{e}"),
        Ok(_) => panic!("a garbage store opened"),
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
