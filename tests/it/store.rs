//! The sled store on a real directory: durability under SIGKILL, the one-email-one-account rule, audit queries, locking.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use comake_bot::api::store::{Account, LinkMethod, Store, StoreError};

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

// Linking, unlinking, the email rule and the audit log's order are in
// conformance.rs, for both stores; here is what only sled has: a lock file,
// damaged files, and durability across SIGKILL.

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
