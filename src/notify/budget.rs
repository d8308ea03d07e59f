//! Whether the reads' schedule fits in `NOTIFY_MAX_RPS`: what each person's next wait costs in Comake requests a second, summed, against what the pacer lets out; reported as metrics, and in the log at most every ten minutes while it does not fit.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use super::schedule;
use crate::metric;

/// The shortest time between two log lines saying the schedule does not fit.
const LOG_EVERY: Duration = Duration::from_secs(600);

/// What the schedule asks of Comake, person by person.
#[derive(Default)]
pub(super) struct Budget {
    /// Requests a second each person's current wait costs, and when that
    /// wait ends (their next read).
    demand: HashMap<u64, (f64, DateTime<Utc>)>,
    /// When the last "does not fit" line was logged.
    logged: Option<Instant>,
}

/// The schedule's cost against the budget, as last checked.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Fit {
    /// Comake requests a second the schedule needs.
    pub needed_rps: f64,
    /// Comake requests a second `NOTIFY_MAX_RPS` lets out.
    pub capacity_rps: f64,
}

impl Fit {
    /// Whether the schedule can be kept within `NOTIFY_MAX_RPS`.
    pub fn fits(&self) -> bool {
        self.needed_rps <= self.capacity_rps
    }
}

impl Budget {
    /// `user` is read next after `gap`, at `next`.
    pub(super) fn record(&mut self, user: u64, gap: Duration, next: DateTime<Utc>) {
        self.demand
            .insert(user, (schedule::request_rate(gap), next));
    }

    /// `user` is not read any more.
    pub(super) fn forget(&mut self, user: u64) {
        self.demand.remove(&user);
    }

    /// Keep only the people `keep` (given each one's next read) says are
    /// still read.
    pub(super) fn retain(&mut self, keep: impl Fn(u64, DateTime<Utc>) -> bool) {
        self.demand.retain(|user, (_, next)| keep(*user, *next));
    }

    /// Sum the schedule's cost, report it, and say (in the log, at most
    /// every [`LOG_EVERY`]) when it exceeds what `max_rps` allows.
    pub(super) fn check(&mut self, max_rps: u32) -> Fit {
        let fit = Fit {
            needed_rps: self.demand.values().map(|(rate, _)| rate).sum(),
            capacity_rps: schedule::capacity(max_rps),
        };
        metrics::gauge!(metric::NOTIFY_NEEDED_RPS).set(fit.needed_rps);
        metrics::gauge!(metric::NOTIFY_CAPACITY_RPS).set(fit.capacity_rps);
        if fit.fits() {
            self.logged = None;
            return fit;
        }
        metrics::counter!(metric::NOTIFY_OVER_BUDGET).increment(1);
        if self.logged.is_none_or(|at| at.elapsed() >= LOG_EVERY) {
            self.logged = Some(Instant::now());
            tracing::warn!(
                people = self.demand.len(),
                needed_rps = %format!("{:.2}", fit.needed_rps),
                capacity_rps = %format!("{:.2}", fit.capacity_rps),
                max_rps,
                "notifications: the read schedule needs more Comake requests a second than \
                 NOTIFY_MAX_RPS allows, so reads come late; raise NOTIFY_MAX_RPS, or \
                 NOTIFY_INTERVAL_SECS and NOTIFY_MAX_IDLE_SECS"
            );
        }
        fit
    }
}
