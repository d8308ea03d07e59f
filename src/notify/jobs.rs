//! The watcher's scheduled jobs, declared in one list: [`Watcher::tick`](super::Watcher::tick) runs each one that is due, the service's loop only calls `tick`, and the tests go through the same loop, so a job left out of the list is a job that fails its test.

/// One scheduled job of the watcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// Reload who is read when, and who wants a digest, from the store
    /// (every 30 s; hints are taken by the reads at once).
    Schedule,
    /// Read each person's contract box when it is due, and DM what moved.
    Reads,
    /// Keep each shared status card in step with its contract, every
    /// `NOTIFY_INTERVAL_SECS`, whatever its sharer's DM settings.
    Cards,
    /// Send the daily and weekly digests at 09:00 in `DIGEST_TIMEZONE`.
    Digests,
    /// Keep each team board in step with its poster's contract box, every
    /// `NOTIFY_INTERVAL_SECS`, edited only when its text changes.
    Boards,
    /// Every hour: the automatic nudges `/contract request-sign
    /// remind_after:` asked for, once they are due.
    Reminders,
}

/// Every job, in the order a tick runs them.
pub(super) const JOBS: [Job; 6] = [
    Job::Schedule,
    Job::Reads,
    Job::Cards,
    Job::Digests,
    Job::Boards,
    Job::Reminders,
];

impl Job {
    /// The job's name, for the log and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Job::Schedule => "schedule",
            Job::Reads => "reads",
            Job::Cards => "cards",
            Job::Digests => "digests",
            Job::Boards => "boards",
            Job::Reminders => "reminders",
        }
    }
}
