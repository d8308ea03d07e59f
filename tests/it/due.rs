//! The watcher at company scale, on both stores: it loads only those due, by the store's due index, reads everyone due exactly once (after a restart too, and across instances on PostgreSQL), and a command that changes nothing writes no notification state.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use comake_bot::api::app::App;
use comake_bot::api::discord;
use comake_bot::api::notify::{Job, Watcher};
use comake_bot::api::store::Store;
use comake_bot::comake::Comake;
use serde_json::json;

use crate::common::discord::{Actor, Harness};
use crate::common::fake_discord::FakeDiscord;
use crate::common::pg::Schema;

const KIM: u64 = 111_111_111_111_111_111;
/// People linked in the tests that count what is read.
const PEOPLE: u64 = 40;

struct Setup {
    h: Harness,
    _fake: FakeDiscord,
    schema: Option<Schema>,
}

async fn setup(pg: bool) -> Setup {
    let fake = FakeDiscord::start().await;
    let proxy = fake.proxy_url();
    let schema = match pg {
        true => Some(Schema::new().await),
        false => None,
    };
    let url = schema.as_ref().map(Schema::url).unwrap_or_default();
    let key = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
    let mut env = vec![
        ("DISCORD_TOKEN", "fake-bot-token"),
        ("DISCORD_HTTP_PROXY", proxy.as_str()),
        // Nothing in motion: read again in ten minutes.
        ("NOTIFY_INTERVAL_SECS", "600"),
        // Unpaced, so every read of a round fits its call budget.
        ("NOTIFY_MAX_RPS", "10000"),
    ];
    if pg {
        env.push(("DATABASE_URL", url.as_str()));
        env.push(("STATE_KEY", key.as_str()));
    }
    let h = Harness::with_env(&env).await;
    assert_eq!(h.app.store.is_shared(), pg);
    Setup {
        h,
        _fake: fake,
        schema,
    }
}

impl Setup {
    /// The watcher of the harness's own app (its commands' hints reach it).
    fn watcher(&self) -> Arc<Watcher> {
        let app = self.h.app.clone();
        let http = Arc::new(discord::http(&app.config.discord).unwrap());
        Watcher::new(app, http)
    }

    /// A watcher of its own app (a restarted instance) on `store`.
    fn watcher_on(&self, store: Store) -> Arc<Watcher> {
        let config = self.h.app.config.clone();
        let app = App::new(config.clone(), Comake::new(config.comake).unwrap(), store).unwrap();
        let http = Arc::new(discord::http(&app.config.discord).unwrap());
        Watcher::new(app, http)
    }

    /// `PEOPLE` linked people (Kim among them); their ids.
    async fn people(&self) -> BTreeSet<u64> {
        let mut ids = BTreeSet::new();
        for i in 0..PEOPLE {
            let id = KIM + i;
            self.h.linked(id, &format!("p{i}@example.com")).await;
            ids.insert(id);
        }
        ids
    }

    async fn done(self) {
        if let Some(schema) = self.schema {
            schema.drop_now().await;
        }
    }
}

/// Move tokio's clock (and the bot's with it) forward by `by`.
async fn travel(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

/// Ticks until none reads anyone; everyone read, in order, repeats kept.
async fn read_all(w: &Arc<Watcher>) -> Vec<u64> {
    let mut read = Vec::new();
    for _ in 0..10 {
        let tick = w.tick(comake_bot::now()).await;
        if tick.reads.users == 0 {
            break;
        }
        read.extend(tick.reads.read);
    }
    read
}

fn once(read: &[u64]) -> BTreeSet<u64> {
    let set: BTreeSet<u64> = read.iter().copied().collect();
    assert_eq!(set.len(), read.len(), "someone was read twice: {read:?}");
    set
}

async fn loading_who_is_due_reads_no_one_else(s: Setup) {
    let everyone = s.people().await;
    let store = s.h.app.store.clone();
    let w = s.watcher_on(store.clone());
    assert_eq!(once(&read_all(&w).await), everyone, "all read once, first");
    // Half a minute on, the list is reloaded: nobody is due before the
    // next reload, and nobody's record is read to find that out.
    travel(Duration::from_secs(31)).await;
    let before = store.counts();
    let tick = w.tick(comake_bot::now()).await;
    assert!(tick.ran.contains(&Job::Schedule), "{:?}", tick.ran);
    assert_eq!(tick.reads.users, 0);
    assert_eq!(store.counts().records, before.records, "records were read");
    // Another instance hints one person (their next read is now): the
    // next reload finds them, and only them.
    let hinted = KIM + 7;
    let now = comake_bot::now();
    store
        .update_notify_state(hinted, move |state| {
            let mut state = state?;
            state.next_read = Some(now);
            Some(state)
        })
        .await
        .unwrap();
    travel(Duration::from_secs(31)).await;
    let before = store.counts();
    let tick = w.tick(comake_bot::now()).await;
    assert!(tick.ran.contains(&Job::Schedule), "{:?}", tick.ran);
    assert_eq!(tick.reads.read, [hinted]);
    let records = store.counts().records - before.records;
    assert!(
        records < PEOPLE,
        "{records} records read to find and read one person of {PEOPLE}"
    );
    s.done().await;
}

async fn everyone_due_is_read_once_after_a_restart(s: Setup) {
    let everyone = s.people().await;
    let store = s.h.app.store.clone();
    assert_eq!(
        once(&read_all(&s.watcher_on(store.clone())).await),
        everyone
    );
    // Restarted before anyone is due: the new watcher reads no one...
    let restarted = s.watcher_on(store.clone());
    assert!(read_all(&restarted).await.is_empty());
    // ...and, once they are due, everyone exactly once; someone linked
    // meanwhile (never read) at once with them.
    let newcomer = KIM + PEOPLE;
    s.h.linked(newcomer, "new@example.com").await;
    travel(Duration::from_secs(601)).await;
    let mut expected = everyone.clone();
    expected.insert(newcomer);
    let again = s.watcher_on(store.clone());
    assert_eq!(once(&read_all(&again).await), expected);
    // Unlinked people drop out of the index.
    // (Nothing in motion: the wait has doubled, to twenty minutes.)
    store.unlink(KIM + 3).await.unwrap();
    travel(Duration::from_secs(1201)).await;
    expected.remove(&(KIM + 3));
    assert_eq!(once(&read_all(&again).await), expected);
    s.done().await;
}

async fn a_command_that_changes_nothing_writes_no_notification_state(s: Setup) {
    s.h.linked(KIM, "kim@example.com").await;
    let store = s.h.app.store.clone();
    let w = s.watcher();
    assert_eq!(read_all(&w).await, [KIM]);
    let writes = || store.counts().notify_writes;
    let kim = Actor::user(KIM);
    // The first command after a read makes Kim due now: a change.
    let before = writes();
    s.h.command(&kim, "contract list", &[]).await;
    assert_eq!(writes(), before + 1, "the read was not made due");
    // Already due, the same language: nothing to write.
    s.h.command(&kim, "contract list", &[]).await;
    s.h.command(&kim, "comake whoami", &[]).await;
    assert_eq!(writes(), before + 1, "a command that changes nothing wrote");
    // Another language is a change.
    s.h.command(&kim.clone().ko(), "comake whoami", &[]).await;
    assert_eq!(writes(), before + 2);
    // Read again, so the next read is ahead. Turning notifications off
    // writes the setting and nothing more (there is no read to bring
    // forward), and a command after that writes nothing.
    assert_eq!(read_all(&w).await, [KIM]);
    let read = writes();
    s.h.command(
        &kim.clone().ko(),
        "comake notifications",
        &[("enabled", json!(false))],
    )
    .await;
    assert_eq!(writes(), read + 1, "more than the setting was written");
    s.h.command(&kim.clone().ko(), "contract list", &[]).await;
    assert_eq!(writes(), read + 1, "a command of someone not read wrote");
    s.done().await;
}

/// On PostgreSQL, instance A's command is read by the watcher of instance
/// B at its next reload, by the index alone.
#[tokio::test]
#[cfg_attr(
    not(pg_tests),
    ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn a_command_on_one_instance_is_read_by_the_others_watcher() {
    let s = setup(true).await;
    let everyone = s.people().await;
    let options = s.schema.as_ref().unwrap().options.clone();
    let other = Store::connect(&options).await.unwrap();
    let w = s.watcher_on(other.clone());
    assert_eq!(once(&read_all(&w).await), everyone);
    s.h.command(&Actor::user(KIM + 5), "contract list", &[])
        .await;
    // B has not heard (no hint crosses instances in memory) until its
    // list is reloaded from the index.
    assert!(read_all(&w).await.is_empty());
    travel(Duration::from_secs(31)).await;
    let before = other.counts().records;
    assert_eq!(read_all(&w).await, [KIM + 5]);
    assert!(other.counts().records - before < PEOPLE);
    s.done().await;
}

/// Each test, once per store.
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sled {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::setup(false).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[cfg_attr(not(pg_tests), ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test")]
                async fn $name() {
                    super::$name(super::setup(true).await).await;
                }
            )*
        }
    };
}

both!(
    loading_who_is_due_reads_no_one_else,
    everyone_due_is_read_once_after_a_restart,
    a_command_that_changes_nothing_writes_no_notification_state,
);

// ----- stores from before the due index -----

/// Version 1 (JSON) records of a store from before the index: Kim due an
/// hour ago, Lee off, Park digest only, Choi unreachable, Jung never read.
/// Records by Discord id.
type Records = Vec<(u64, Vec<u8>)>;

fn old_records() -> (Records, Records) {
    let people = [KIM, KIM + 1, KIM + 2, KIM + 3, KIM + 4];
    let v1 = |value: serde_json::Value| {
        let mut bytes = vec![1u8];
        bytes.extend(serde_json::to_vec(&value).unwrap());
        bytes
    };
    let accounts = people
        .iter()
        .map(|&id| {
            let account = json!({
                "discord_id": id, "email": format!("{id}@example.com"), "name": "N",
                "comake_client_id": "c", "linked_at": "2026-01-01T00:00:00Z",
                "linked_by": id, "method": "admin",
            });
            (id, v1(account))
        })
        .collect();
    let hour_ago = (comake_bot::now() - chrono::Duration::hours(1)).to_rfc3339();
    let base = serde_json::to_value(comake_bot::api::store::NotifyState::default()).unwrap();
    let state = |changes: serde_json::Value| {
        let mut state = base.clone();
        for (k, v) in changes.as_object().unwrap() {
            state[k] = v.clone();
        }
        v1(state)
    };
    let states = vec![
        (KIM, state(json!({"next_read": hour_ago}))),
        (
            KIM + 1,
            state(json!({"enabled": false, "next_read": hour_ago})),
        ),
        (KIM + 2, state(json!({"enabled": false, "digest": "daily"}))),
        (
            KIM + 3,
            state(json!({"unreachable": true, "digest": "daily"})),
        ),
    ];
    (accounts, states)
}

/// What an upgraded store finds due now, and who wants a digest.
async fn found(store: &Store) -> (BTreeSet<u64>, Vec<u64>) {
    let due = store
        .due_people(comake_bot::now(), 100)
        .await
        .unwrap()
        .into_iter()
        .map(|(a, _)| a.discord_id)
        .collect();
    let digests = store
        .digest_people()
        .await
        .unwrap()
        .into_iter()
        .map(|(a, _)| a.discord_id)
        .collect();
    (due, digests)
}

#[tokio::test]
async fn a_sled_store_from_before_the_index_is_indexed_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let (accounts, states) = old_records();
    {
        let db = ::sled::open(&path).unwrap();
        let tree = db.open_tree("accounts").unwrap();
        for (id, record) in accounts {
            tree.insert(id.to_be_bytes(), record).unwrap();
        }
        let kv = db.open_tree("kv").unwrap();
        for (id, record) in states {
            let mut key = b"notify/".to_vec();
            key.extend_from_slice(&id.to_be_bytes());
            kv.insert(key, record).unwrap();
        }
        db.flush().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(found(&store).await, ([KIM, KIM + 4].into(), vec![KIM + 2]));
}

#[tokio::test]
#[cfg_attr(
    not(pg_tests),
    ignore = "needs PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn a_postgres_schema_from_before_the_index_is_migrated() {
    let schema = Schema::new().await;
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let (accounts, states) = old_records();
    let mut sql = format!(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY); {} {} {} \
         INSERT INTO schema_migrations VALUES (1), (2), (3);",
        include_str!("../../src/store/postgres/0001_init.sql"),
        include_str!("../../src/store/postgres/0002_cards.sql"),
        include_str!("../../src/store/postgres/0003_window_ends.sql"),
    );
    for (id, record) in accounts {
        sql += &format!(
            "INSERT INTO accounts VALUES ({id}, '{id}@example.com', '\\x{}');",
            hex(&record)
        );
    }
    for (id, record) in states {
        sql += &format!(
            "INSERT INTO notify_state VALUES ({id}, '\\x{}');",
            hex(&record)
        );
    }
    schema.batch(&sql).await;
    let store = schema.store().await;
    assert_eq!(found(&store).await, ([KIM, KIM + 4].into(), vec![KIM + 2]));
    schema.drop_now().await;
}
