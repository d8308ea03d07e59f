//! Section 8: notifications at company scale: the simulated week of `notify_model`, the fixed watcher against the adaptive one, at two caps.

use std::time::{Duration, Instant};

use comake_bot::api::notify::schedule::Policy;
use serde_json::{json, Value};

use crate::notify_model::{self, Kind, Outcome};

pub(crate) fn section() -> Value {
    let started = Instant::now();
    let week = notify_model::Workload::generate(5_000, 7, 20261128);
    let policy = Policy {
        active: Duration::from_secs(60),
        max_idle: Duration::from_secs(3600),
    };
    println!(
        "\n8. Notifications: 5,000 linked people, a simulated week \
         (10% send a day to 1-3 signees, half linked; 2% receive from outside)"
    );
    println!(
        "   {:<24} {:>9} {:>9} {:>8}  {:>22}  {:>22}  {:>22}  {:>6} {:>5}",
        "watcher",
        "reqs/h",
        "reqs/evt",
        "events",
        "sent out p50/p95/max s",
        "between p50/p95/max s",
        "outside p50/p95/max s",
        "missed",
        "dups"
    );
    let mut rows = Vec::new();
    for rps in [20u32, 5] {
        let fixed = notify_model::fixed(&week, rps, Duration::from_secs(300));
        let adaptive = notify_model::adaptive(&week, rps, policy);
        for (name, o) in [
            (format!("fixed 300 s, {rps} rps"), &fixed),
            (format!("adaptive, {rps} rps"), &adaptive),
        ] {
            rows.push(row(&name, rps, o));
        }
        let ratio =
            adaptive.requests as f64 / adaptive.hours / (fixed.requests as f64 / fixed.hours);
        println!("   at {rps} rps: adaptive / fixed Comake requests per hour = {ratio:.3}");
        rows.push(json!({
            "max_rps": rps,
            "adaptive_over_fixed_requests": (ratio * 1000.0).round() / 1000.0,
        }));
    }
    println!("   (model run in {:.1} s)", started.elapsed().as_secs_f64());
    Value::Array(rows)
}

/// One watcher's line of the table, printed, and its figures.
fn row(name: &str, rps: u32, o: &Outcome) -> Value {
    let per_hour = o.requests as f64 / o.hours;
    let per_event = o.requests as f64 / o.announced.max(1) as f64;
    let triple = |k: Kind| {
        format!(
            "{:.0}/{:.0}/{:.0}",
            o.percentile(k, 0.5),
            o.percentile(k, 0.95),
            o.percentile(k, 1.0)
        )
    };
    println!(
        "   {name:<24} {:>9.0} {:>9.2} {:>8}  {:>22}  {:>22}  {:>22}  {:>6} {:>5}",
        per_hour,
        per_event,
        o.announced,
        triple(Kind::SentOut),
        triple(Kind::Between),
        triple(Kind::FromOutside),
        o.missed,
        o.duplicates
    );
    let kind = |k: Kind| {
        json!({
            "p50_s": o.percentile(k, 0.5).round(),
            "p95_s": o.percentile(k, 0.95).round(),
            "max_s": o.percentile(k, 1.0).round(),
        })
    };
    json!({
        "watcher": name,
        "max_rps": rps,
        "requests_per_hour": per_hour.round(),
        "requests_per_event": (per_event * 100.0).round() / 100.0,
        "events": o.announced,
        "missed": o.missed,
        "duplicates": o.duplicates,
        "sent_by_linked_people": kind(Kind::SentOut),
        "between_linked_people": kind(Kind::Between),
        "from_outside": kind(Kind::FromOutside),
    })
}
