//! When to read each person's contract box next: often while something is in motion, right after they act, and otherwise less and less often, up to `NOTIFY_MAX_IDLE_SECS`.
//!
//! Pure: the watcher and the benchmark's simulated week use the same rules.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::comake::wire::ContractStatus;

/// The schedule's two settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Between reads of a person with something in motion
    /// (`NOTIFY_INTERVAL_SECS`).
    pub active: Duration,
    /// The longest anyone goes unread (`NOTIFY_MAX_IDLE_SECS`).
    pub max_idle: Duration,
}

/// Whether a contract in `status` can still move without its owner doing
/// anything: out for signature, or in approval.
pub fn moving(status: ContractStatus) -> bool {
    matches!(status, ContractStatus::Signing | ContractStatus::Approving)
}

fn chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or_default()
}

impl Policy {
    /// After a read at `now` that found something in motion (or not), with
    /// `gap` the last wait: when to read next, and the wait to remember.
    /// In motion: every `active`. Otherwise the wait doubles from `active`
    /// up to `max_idle`.
    pub fn after_read(
        &self,
        now: DateTime<Utc>,
        in_motion: bool,
        gap: Duration,
    ) -> (DateTime<Utc>, Duration) {
        let active = self.active.max(Duration::from_secs(1));
        let max_idle = self.max_idle.max(active);
        let next_gap = if in_motion {
            active
        } else {
            (gap.saturating_mul(2)).clamp(active, max_idle)
        };
        (now + chrono(next_gap), next_gap)
    }

    /// After a read that failed: try again after `active`, keeping the gap.
    pub fn after_failure(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + chrono(self.active.max(Duration::from_secs(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy {
            active: Duration::from_secs(60),
            max_idle: Duration::from_secs(3600),
        }
    }

    #[test]
    fn idle_people_back_off_step_by_step_to_the_cap() {
        let now = Utc::now();
        let mut gap = Duration::ZERO;
        let mut gaps = Vec::new();
        for _ in 0..9 {
            let (next, g) = policy().after_read(now, false, gap);
            assert_eq!(next - now, chrono(g));
            gaps.push(g.as_secs());
            gap = g;
        }
        assert_eq!(gaps, [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        // Something moves: back to every minute at once.
        assert_eq!(policy().after_read(now, true, gap).1.as_secs(), 60);
    }

    #[test]
    fn only_signing_and_approval_are_in_motion() {
        assert!(moving(ContractStatus::Signing) && moving(ContractStatus::Approving));
        assert!(!moving(ContractStatus::Completed) && !moving(ContractStatus::Saved));
    }
}
