//! The signed interactions served lately, so a replay within the signature window is refused.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// How long an interaction id is remembered: the timestamp window both
/// ways, so a replay is caught for as long as its signature is accepted.
pub(crate) const REPLAY_MEMORY: Duration = Duration::from_secs(2 * 5 * 60 + 60);

/// The ids of the interactions served within [`REPLAY_MEMORY`].
#[derive(Default)]
pub(crate) struct Replays(Mutex<HashMap<u64, Instant>>);

impl Replays {
    /// Whether `id` is new (and now remembered); `false` for a replay.
    pub(crate) fn first(&self, id: u64) -> bool {
        let now = Instant::now();
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() % 1024 == 1023 {
            seen.retain(|_, at| now.duration_since(*at) < REPLAY_MEMORY);
        }
        match seen.get(&id) {
            Some(at) if now.duration_since(*at) < REPLAY_MEMORY => false,
            _ => {
                seen.insert(id, now);
                true
            }
        }
    }

    /// Forget ids older than [`REPLAY_MEMORY`]; how many are left.
    pub(crate) fn sweep(&self) -> usize {
        let now = Instant::now();
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        seen.retain(|_, at| now.duration_since(*at) < REPLAY_MEMORY);
        seen.len()
    }
}
