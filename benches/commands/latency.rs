//! Sections 3 and 4: latency over the floor Comake's own latency sets, warm, and against a naive integration that logs in for every command.

use std::time::{Duration, Instant};

use comake_bot::api::handlers::Invocation;
use comake_bot::comake::wire::ContractStatus;
use serde_json::{json, Value};

use crate::support::{cmd, ms, percentile, ratio, run, s, Bench, KIM};

pub(crate) async fn section(b: &Bench) -> Value {
    let sim = &b.sim;
    let latency = Duration::from_millis(20);
    sim.set_latency(latency);
    let show_id = sim
        .seed_contract("kim@example.com", "Lease", &["갑"], ContractStatus::Saved)
        .unwrap();
    let samples = 120;
    // (command, its round trips, the naive integration's round trips)
    let scenarios: [(&str, usize, usize); 3] = [
        ("contract list", 1, 3),
        ("contract show", 1, 3),
        ("contract new", 1, 2),
    ];
    let mut floor_rows = Vec::new();
    println!(
        "\n3-4. Latency over the floor (simulator adds {} ms to every request), \
         {samples} runs each",
        latency.as_millis()
    );
    println!(
        "   {:<14} {:>6} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10} {:>9}",
        "command",
        "floor",
        "p50 ms",
        "p99 ms",
        "p50/flr",
        "p99/flr",
        "naive p50",
        "naive p99",
        "reqs o/n"
    );
    for (name, trips, naive_trips) in scenarios {
        let floor = latency * trips as u32;
        let inv = || -> Invocation {
            match name {
                "contract show" => cmd(KIM, name, &[("contract", s(show_id.as_str()))]),
                _ => cmd(KIM, name, &[]),
            }
        };
        // Ours: warm.
        run(&b.app, inv()).await;
        let mut ours = Vec::new();
        let before = sim.requests().len();
        for _ in 0..samples {
            let t = Instant::now();
            run(&b.app, inv()).await;
            ours.push(t.elapsed());
        }
        let ours_reqs = (sim.requests().len() - before) as f64 / samples as f64;
        // Naive: a client with nothing cached for every command (built
        // before the clock starts), so admin and user log in each time.
        let mut naive = Vec::new();
        let before = sim.requests().len();
        for _ in 0..samples {
            let fresh = b.app_on(&b.store);
            let t = Instant::now();
            run(&fresh, inv()).await;
            naive.push(t.elapsed());
        }
        let naive_reqs = (sim.requests().len() - before) as f64 / samples as f64;
        ours.sort();
        naive.sort();
        let (p50, p99) = (percentile(&ours, 0.5), percentile(&ours, 0.99));
        let (n50, n99) = (percentile(&naive, 0.5), percentile(&naive, 0.99));
        println!(
            "   {name:<14} {:>6} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10} {:>4}/{:<4}",
            ms(floor),
            ms(p50),
            ms(p99),
            ratio(p50, floor),
            ratio(p99, floor),
            ms(n50),
            ms(n99),
            ours_reqs,
            naive_reqs
        );
        floor_rows.push(json!({
            "command": name,
            "round_trips": trips,
            "floor_ms": ms(floor),
            "p50_ms": ms(p50),
            "p99_ms": ms(p99),
            "p50_over_floor": ratio(p50, floor),
            "p99_over_floor": ratio(p99, floor),
            "naive_round_trips": naive_trips,
            "naive_p50_ms": ms(n50),
            "naive_p99_ms": ms(n99),
            "p50_ours_over_naive": ratio(p50, n50),
            "p99_ours_over_naive": ratio(p99, n99),
            "requests_ours": ours_reqs,
            "requests_naive": naive_reqs,
            "requests_ours_over_naive": (ours_reqs / naive_reqs * 1000.0).round() / 1000.0,
        }));
    }
    sim.set_latency(Duration::ZERO);
    Value::Array(floor_rows)
}
