//! Section 2: 500 linked users run `/contract list` at once on a bot with nothing cached: logins, lists and latency.

use std::time::{Duration, Instant};

use comake_bot::comake::wire::Endpoint;
use serde_json::{json, Value};

use crate::support::{account, cmd, email, ms, percentile, run, Bench, BASE};

pub(crate) async fn section(b: &Bench) -> Value {
    let users = 500u64;
    let mut accounts = Vec::new();
    for i in 0..users {
        b.sim.add_user(&email(BASE + i), "U").unwrap();
        accounts.push(account(BASE + i, &email(BASE + i)));
    }
    b.store.import(accounts, Vec::new(), false).await.unwrap();
    let cold = b.app_on(&b.store);
    let before = b.sim.requests().len();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..users {
        let app = cold.clone();
        tasks.spawn(async move {
            let t = Instant::now();
            run(&app, cmd(BASE + i, "contract list", &[])).await;
            t.elapsed()
        });
    }
    let mut lat: Vec<Duration> = Vec::new();
    while let Some(r) = tasks.join_next().await {
        lat.push(r.unwrap());
    }
    let wall = started.elapsed();
    lat.sort();
    let log = &b.sim.requests()[before..];
    let count = |ep: Endpoint| log.iter().filter(|r| r.endpoint == Some(ep.name())).count();
    let burst = json!({
        "users": users,
        "login_admin": count(Endpoint::LoginAdmin),
        "login_client": count(Endpoint::LoginClient),
        "list": count(Endpoint::ListContracts),
        "p50_ms": ms(percentile(&lat, 0.5)),
        "p99_ms": ms(percentile(&lat, 0.99)),
        "wall_ms": ms(wall),
    });
    println!("\n2. Cold burst: {users} linked users run /contract list at once, nothing cached");
    println!(
        "   login-admin {} (target 1), login-client {} (target {users}), \
         list {} (target {users}); p50 {} ms, p99 {} ms, all done in {} ms",
        burst["login_admin"],
        burst["login_client"],
        burst["list"],
        burst["p50_ms"],
        burst["p99_ms"],
        burst["wall_ms"]
    );
    burst
}
