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
        max_idle: Duration::from_secs(DEFAULT_MAX_IDLE),
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
    let curve = curve(&week);
    println!("   (model run in {:.1} s)", started.elapsed().as_secs_f64());
    json!({ "watchers": rows, "trade_off": curve })
}

/// `NOTIFY_MAX_IDLE_SECS`'s default, the cheapest point of the curve that
/// meets every target.
const DEFAULT_MAX_IDLE: u64 = 1080;

/// The targets (issue #26): p95 time to DM for contracts sent by linked
/// people, for contracts from outside, and requests per hour against the
/// fixed 300 s watcher's.
const SENT_P95: f64 = 60.0;
const OUTSIDE_P95: f64 = 900.0;
const OF_FIXED: f64 = 0.5;

/// The trade-off at 20 requests a second: Comake requests per hour against
/// the p95 for contracts from outside, one point per `NOTIFY_MAX_IDLE_SECS`;
/// which points meet every target, and the cheapest of them.
fn curve(week: &notify_model::Workload) -> Value {
    let fixed = notify_model::fixed(week, 20, Duration::from_secs(300));
    let fixed_per_hour = fixed.requests as f64 / fixed.hours;
    println!(
        "\n   Trade-off at 20 rps (targets: sent p95 <= {SENT_P95:.0} s, outside p95 <= \
         {OUTSIDE_P95:.0} s, requests < {OF_FIXED} x fixed = {:.0}/h, none missed or twice)",
        fixed_per_hour * OF_FIXED
    );
    println!(
        "   {:>14} {:>11} {:>9} {:>8} {:>12} {:>12} {:>12} {:>6} {:>5}  meets",
        "max idle s",
        "quiet gap s",
        "reqs/h",
        "x fixed",
        "sent p95 s",
        "betw p95 s",
        "outside p95",
        "missed",
        "dups"
    );
    let mut points = Vec::new();
    let mut cheapest: Option<(f64, u64)> = None;
    for max_idle in [
        600u64, 870, 900, 1000, 1080, 1120, 1160, 1200, 1740, 2400, 3600,
    ] {
        let policy = Policy {
            active: Duration::from_secs(60),
            max_idle: Duration::from_secs(max_idle),
        };
        let o = notify_model::adaptive(week, 20, policy);
        let per_hour = o.requests as f64 / o.hours;
        let ratio = per_hour / fixed_per_hour;
        let sent = o.percentile(Kind::SentOut, 0.95);
        let between = o.percentile(Kind::Between, 0.95);
        let outside = o.percentile(Kind::FromOutside, 0.95);
        let meets = sent <= SENT_P95
            && between <= SENT_P95
            && outside <= OUTSIDE_P95
            && ratio < OF_FIXED
            && o.missed == 0
            && o.duplicates == 0;
        if meets && cheapest.is_none_or(|(best, _)| per_hour < best) {
            cheapest = Some((per_hour, max_idle));
        }
        println!(
            "   {max_idle:>14} {:>11} {per_hour:>9.0} {ratio:>8.3} {sent:>12.0} {between:>12.0} \
             {outside:>12.0} {:>6} {:>5}  {}",
            policy.quiet_gap().as_secs(),
            o.missed,
            o.duplicates,
            if meets { "yes" } else { "no" }
        );
        points.push(json!({
            "max_idle_s": max_idle,
            "quiet_gap_s": policy.quiet_gap().as_secs(),
            "requests_per_hour": per_hour.round(),
            "of_fixed": (ratio * 1000.0).round() / 1000.0,
            "sent_p95_s": sent.round(),
            "between_p95_s": between.round(),
            "outside_p95_s": outside.round(),
            "missed": o.missed,
            "duplicates": o.duplicates,
            "meets_targets": meets,
        }));
    }
    let best = cheapest.map(|(_, m)| m);
    match best {
        Some(m) => println!(
            "   cheapest meeting every target: NOTIFY_MAX_IDLE_SECS={m} (the default is {DEFAULT_MAX_IDLE})"
        ),
        None => println!("   no point meets every target"),
    }
    json!({
        "max_rps": 20,
        "fixed_requests_per_hour": fixed_per_hour.round(),
        "points": points,
        "cheapest_meeting_targets_max_idle_s": best,
        "default_max_idle_s": DEFAULT_MAX_IDLE,
    })
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
