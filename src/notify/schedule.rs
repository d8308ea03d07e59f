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

/// What a person's box has in motion, which sets how soon it is read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Motion {
    /// Nothing: the wait doubles up to `max_idle`.
    Quiet,
    /// A contract out for signature or approval waits on them: what moves
    /// it next is mostly their own act, so every [`WAITING_STEPS`] × `active`.
    Waiting,
    /// A contract they sent is out for signature or approval: others act on
    /// it at any moment, so every `active`.
    Sent,
}

/// A box with a contract waiting on its owner is read every this many
/// `active` intervals.
pub const WAITING_STEPS: u32 = 5;

/// The longest quiet wait that still finds the clientToken of the read
/// before usable: a token lives an hour and is refreshed a minute before
/// its end, so a wait a minute shorter than that reuses it, and every
/// second quiet read needs no login (1.5 requests a read instead of 2).
pub const TOKEN_REUSE: Duration = Duration::from_secs(
    crate::comake::token::DEFAULT_LIFETIME.as_secs()
        - 2 * crate::comake::token::REFRESH_MARGIN.as_secs(),
);

impl Motion {
    /// From the contracts' roles and states (`sent`: the person sent it).
    pub fn of(contracts: impl IntoIterator<Item = (bool, ContractStatus)>) -> Motion {
        contracts
            .into_iter()
            .filter(|(_, status)| moving(*status))
            .map(|(sent, _)| if sent { Motion::Sent } else { Motion::Waiting })
            .max()
            .unwrap_or(Motion::Quiet)
    }
}

/// The latest digest time at or before `now`: 09:00 in `zone`, every day
/// (`weekly`: Mondays). `None` when the zone skips that hour that day.
pub fn digest_slot(now: DateTime<Utc>, zone: chrono_tz::Tz, weekly: bool) -> Option<DateTime<Utc>> {
    use chrono::{Datelike, TimeZone};
    let local = now.with_timezone(&zone).date_naive();
    let back = if weekly {
        u64::from(local.weekday().num_days_from_monday())
    } else {
        0
    };
    let step = if weekly { 7 } else { 1 };
    let mut day = local.checked_sub_days(chrono::Days::new(back))?;
    for _ in 0..3 {
        let at = zone
            .from_local_datetime(&day.and_hms_opt(9, 0, 0)?)
            .earliest()?
            .with_timezone(&Utc);
        if at <= now {
            return Some(at);
        }
        day = day.checked_sub_days(chrono::Days::new(step))?;
    }
    None
}

fn chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or_default()
}

impl Policy {
    /// After a read at `now` that found `motion`, with `gap` the last wait:
    /// when to read next, and the wait to remember. A sent contract in
    /// motion: every `active`; one waiting on them: every
    /// [`WAITING_STEPS`] × `active`; otherwise the wait doubles from
    /// `active` up to `max_idle` or [`TOKEN_REUSE`], whichever is shorter.
    /// Never more than `max_idle`.
    pub fn after_read(
        &self,
        now: DateTime<Utc>,
        motion: Motion,
        gap: Duration,
    ) -> (DateTime<Utc>, Duration) {
        let active = self.active.max(Duration::from_secs(1));
        let max_idle = self.max_idle.max(active);
        let next_gap = match motion {
            Motion::Sent => active,
            Motion::Waiting => active.saturating_mul(WAITING_STEPS).min(max_idle),
            Motion::Quiet => {
                (gap.saturating_mul(2)).clamp(active, max_idle.min(TOKEN_REUSE.max(active)))
            }
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
            let (next, g) = policy().after_read(now, Motion::Quiet, gap);
            assert_eq!(next - now, chrono(g));
            gaps.push(g.as_secs());
            gap = g;
        }
        assert_eq!(gaps, [60, 120, 240, 480, 960, 1920, 3480, 3480, 3480]);
        // Something moves: back to every minute at once, or every five
        // while it waits on them.
        assert_eq!(policy().after_read(now, Motion::Sent, gap).1.as_secs(), 60);
        assert_eq!(
            policy().after_read(now, Motion::Waiting, gap).1.as_secs(),
            300
        );
    }

    #[test]
    fn digests_fall_at_nine_in_the_zone_daily_or_on_mondays() {
        let seoul: chrono_tz::Tz = "Asia/Seoul".parse().unwrap();
        // Wednesday 2026-12-02 08:59 in Seoul is 23:59 UTC the day before.
        let before = "2026-12-01T23:59:00Z".parse::<DateTime<Utc>>().unwrap();
        let after = "2026-12-02T00:01:00Z".parse::<DateTime<Utc>>().unwrap();
        let nine = "2026-12-02T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let day = chrono::Duration::days(1);
        assert_eq!(digest_slot(before, seoul, false), Some(nine - day));
        assert_eq!(digest_slot(after, seoul, false), Some(nine));
        // Weekly: the Monday before, 2026-11-30.
        assert_eq!(digest_slot(after, seoul, true), Some(nine - day * 2));
    }

    #[test]
    fn only_signing_and_approval_are_in_motion() {
        assert!(moving(ContractStatus::Signing) && moving(ContractStatus::Approving));
        assert!(!moving(ContractStatus::Completed) && !moving(ContractStatus::Saved));
        use ContractStatus::*;
        assert_eq!(
            Motion::of([(true, Completed), (false, Saved)]),
            Motion::Quiet
        );
        assert_eq!(
            Motion::of([(false, Signing), (true, Completed)]),
            Motion::Waiting
        );
        assert_eq!(
            Motion::of([(false, Signing), (true, Approving)]),
            Motion::Sent
        );
    }
}
