//! Section 7: PostgreSQL next to sled: warm `/contract list` over the floor, and durable links, on each store.

use std::sync::Arc;
use std::time::{Duration, Instant};

use comake_bot::api::store::{PgOptions, Store};
use serde_json::{json, Value};

use crate::support::{account, cmd, ms, percentile, ratio, run, Bench, KIM};

/// The section's rows, or `None` (and a line saying so) without
/// `TEST_DATABASE_URL`.
pub(crate) async fn section(b: &Bench) -> Option<Value> {
    let Some(base_url) = base_url() else {
        println!(
            "\n7. PostgreSQL: skipped \
             (set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)"
        );
        return None;
    };
    let (pg, _) = postgres_store(&base_url).await;
    let sled_store = Store::open(b.dir.path().join("store-7")).unwrap();
    let latency = Duration::from_millis(20);
    let samples = 120;
    let mut rows = Vec::new();
    println!(
        "\n7. PostgreSQL next to sled: warm /contract list over the floor \
         ({} ms, one round trip), {samples} runs; durable links",
        latency.as_millis()
    );
    for (kind, store) in [("sled", sled_store), ("postgres", pg)] {
        let app = b.app_on(&store);
        store
            .link(account(KIM, "kim@example.com"), false)
            .await
            .unwrap();
        b.sim.set_latency(latency);
        run(&app, cmd(KIM, "contract list", &[])).await;
        let mut times = Vec::new();
        for _ in 0..samples {
            let t = Instant::now();
            run(&app, cmd(KIM, "contract list", &[])).await;
            times.push(t.elapsed());
        }
        b.sim.set_latency(Duration::ZERO);
        times.sort();
        let floor = latency; // a warm list is one round trip
        let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
        let n = 200u64;
        let t = Instant::now();
        for i in 0..n {
            let mail = format!("pg-seq{i}@example.com");
            store
                .link(account(7_000_000 + i, &mail), false)
                .await
                .unwrap();
        }
        let seq = n as f64 / t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..400u64 {
            let store = store.clone();
            let linked = account(8_000_000 + i, &format!("pg-con{i}@example.com"));
            tasks.spawn(async move { store.link(linked, false).await.map(|_| ()) });
        }
        while let Some(r) = tasks.join_next().await {
            r.unwrap().unwrap();
        }
        let con = 400.0 / t.elapsed().as_secs_f64();
        println!(
            "   {kind:<9} list p50 {:>7} ms ({}x floor), p99 {:>7} ms ({}x floor); \
             durable links {:>6}/s one at a time, {:>6}/s 400 at once",
            ms(p50),
            ratio(p50, floor),
            ms(p99),
            ratio(p99, floor),
            seq.round(),
            con.round()
        );
        rows.push(json!({
            "store": kind,
            "list_p50_ms": ms(p50),
            "list_p99_ms": ms(p99),
            "list_p50_over_floor": ratio(p50, floor),
            "list_p99_over_floor": ratio(p99, floor),
            "durable_links_per_second_sequential": seq.round(),
            "durable_links_per_second_concurrent": con.round(),
        }));
    }
    Some(Value::Array(rows))
}

/// The `TEST_DATABASE_URL` the PostgreSQL sections run on, if set.
pub(crate) fn base_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// A store on a fresh schema of the PostgreSQL at `base`, and its URL.
pub(crate) async fn postgres_store(base: &str) -> (Store, String) {
    let (admin, connection) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .expect("TEST_DATABASE_URL");
    tokio::spawn(connection);
    let schema = format!("bench_{:016x}", rand::random::<u64>());
    admin
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .expect("schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    let options = PgOptions {
        url: secrecy::SecretString::from(url.clone()),
        max_connections: 16,
        state_key: Arc::new(secrecy::SecretVec::new(vec![1u8; 32])),
    };
    let store = Store::connect(&options).await.expect("postgres store");
    (store, url)
}
