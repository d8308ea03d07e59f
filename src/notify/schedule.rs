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

/// How long a clientToken is reused: a token lives an hour and is replaced
/// a minute before its end; a minute less again leaves room for the reads'
/// own delays, so reads spaced evenly over it all use one token.
pub const TOKEN_REUSE: Duration = Duration::from_secs(
    crate::comake::token::DEFAULT_LIFETIME.as_secs()
        - 2 * crate::comake::token::REFRESH_MARGIN.as_secs(),
);

/// The watcher's requests leave this much slower than `NOTIFY_MAX_RPS`
/// (so network jitter cannot bunch them past it).
pub const PACE_SLOWER: f64 = 1.10;

/// Comake requests a second the watcher can make at `max_rps`.
pub fn capacity(max_rps: u32) -> f64 {
    f64::from(max_rps.max(1)) / PACE_SLOWER
}

/// Comake requests a second that reading one person every `gap` costs: the
/// list, and a login for every read a clientToken cannot serve (reads
/// `gap` apart share one token for [`TOKEN_REUSE`] and a minute).
pub fn request_rate(gap: Duration) -> f64 {
    let gap = gap.as_secs_f64().max(1.0);
    let token = (TOKEN_REUSE + crate::comake::token::REFRESH_MARGIN).as_secs_f64();
    let reads_per_token = (token / gap).floor() + 1.0;
    (1.0 + 1.0 / reads_per_token) / gap
}

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
    /// The quiet cadence: [`TOKEN_REUSE`] divided into the fewest equal
    /// waits of at most `max_idle` (870 s for 900 to 1,159 s, 1,160 s up to
    /// 1,739 s, ...), so each clientToken serves every read its hour allows.
    pub fn quiet_gap(&self) -> Duration {
        let active = self.active.max(Duration::from_secs(1));
        let max_idle = self.max_idle.max(active);
        let reuse = TOKEN_REUSE.as_secs();
        let parts = reuse.div_ceil(max_idle.as_secs().max(1)).max(1);
        Duration::from_secs(reuse / parts).clamp(active, max_idle)
    }

    /// After a read at `now` that found `motion`, with `gap` the last wait
    /// and `token_left` how long the person's clientToken is still used:
    /// when to read next, and the wait to remember.
    ///
    /// A sent contract in motion: every `active`; one waiting on them:
    /// every [`WAITING_STEPS`] × `active`; otherwise the wait doubles from
    /// `active` up to [`Policy::quiet_gap`], and once there, a read that
    /// would need a new clientToken anyway waits the whole `max_idle`
    /// (it costs a login whenever it comes, so it comes as late as allowed:
    /// receipts from outside still wait less than `max_idle`, for fewer
    /// requests than reading every `quiet_gap`). Never more than `max_idle`.
    pub fn after_read(
        &self,
        now: DateTime<Utc>,
        motion: Motion,
        gap: Duration,
        token_left: Option<Duration>,
    ) -> (DateTime<Utc>, Duration) {
        let active = self.active.max(Duration::from_secs(1));
        let max_idle = self.max_idle.max(active);
        let next_gap = match motion {
            Motion::Sent => active,
            Motion::Waiting => active.saturating_mul(WAITING_STEPS).min(max_idle),
            Motion::Quiet => {
                let cadence = self.quiet_gap();
                let next = gap.saturating_mul(2).clamp(active, cadence);
                if next == cadence && token_left.is_some_and(|left| left < cadence) {
                    max_idle
                } else {
                    next
                }
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
            let (next, g) = policy().after_read(now, Motion::Quiet, gap, None);
            assert_eq!(next - now, chrono(g));
            gaps.push(g.as_secs());
            gap = g;
        }
        assert_eq!(gaps, [60, 120, 240, 480, 960, 1920, 3480, 3480, 3480]);
        // Something moves: back to every minute at once, or every five
        // while it waits on them.
        assert_eq!(
            policy()
                .after_read(now, Motion::Sent, gap, None)
                .1
                .as_secs(),
            60
        );
        assert_eq!(
            policy()
                .after_read(now, Motion::Waiting, gap, None)
                .1
                .as_secs(),
            300
        );
    }

    #[test]
    fn quiet_reads_split_a_token_hour_evenly_and_the_login_read_waits_longest() {
        let with = |max_idle: u64| Policy {
            active: Duration::from_secs(60),
            max_idle: Duration::from_secs(max_idle),
        };
        let cadences: Vec<u64> = [600, 900, 1080, 1159, 1160, 1800, 3600]
            .iter()
            .map(|m| with(*m).quiet_gap().as_secs())
            .collect();
        assert_eq!(cadences, [580, 870, 870, 870, 1160, 1740, 3480]);
        // A quiet person at the cadence, a token logged in at the first
        // read (used for 3,540 s): five reads on it, then the sixth, which
        // logs in again, comes after the whole NOTIFY_MAX_IDLE_SECS.
        let policy = with(1080);
        let now = Utc::now();
        let (mut t, mut gap, mut token_at) = (0u64, Duration::from_secs(870), 0u64);
        let mut gaps = Vec::new();
        let mut logins = 0;
        for _ in 0..12 {
            if t - token_at >= 3540 || logins == 0 {
                token_at = t;
                logins += 1;
            }
            let left = Duration::from_secs(3540 - (t - token_at));
            let (next, g) = policy.after_read(now, Motion::Quiet, gap, Some(left));
            assert_eq!(next - now, chrono(g));
            gaps.push(g.as_secs());
            gap = g;
            t += g.as_secs();
        }
        assert_eq!(
            gaps,
            [870, 870, 870, 870, 1080, 870, 870, 870, 870, 1080, 870, 870]
        );
        assert_eq!(logins, 3, "12 reads, 3 logins");
        // Without a token (none cached): the plain cadence.
        assert_eq!(
            policy.after_read(now, Motion::Quiet, gap, None).1.as_secs(),
            870
        );
    }

    #[test]
    fn a_read_costs_its_list_and_its_share_of_a_login() {
        let per_hour = |secs: u64| request_rate(Duration::from_secs(secs)) * 3600.0;
        // Every minute: 60 lists and one login an hour.
        assert!((per_hour(60) - 60.0 * (1.0 + 1.0 / 60.0)).abs() < 1e-6);
        // Every 870 s: five reads on a token, six requests.
        assert!((per_hour(870) - 3600.0 / 870.0 * 1.2).abs() < 1e-6);
        // Every two hours: a login each time.
        assert!((per_hour(7200) - 1.0).abs() < 1e-6);
        assert!((capacity(5) - 5.0 / 1.1).abs() < 1e-9);
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
