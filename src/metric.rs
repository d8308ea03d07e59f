//! The names the bot reports its metrics under (through the `metrics` facade); `observe` exports them, every layer may name them.

pub(crate) const COMMANDS: &str = "comake_bot_commands_total";
pub(crate) const COMMAND_SECONDS: &str = "comake_bot_command_duration_seconds";
pub(crate) const RATE_LIMITED: &str = "comake_bot_rate_limited_total";
/// Interactions refused at the trust boundary (unlisted server, DM), by why.
pub(crate) const REFUSED: &str = "comake_bot_refused_total";
/// HTTP interaction requests refused before any work, by why (busy, slow,
/// connections, replay).
pub(crate) const HTTP_REFUSED: &str = "comake_bot_http_refused_total";
/// Guilds the bot left because they are not on `DISCORD_GUILD_IDS`.
pub(crate) const GUILDS_LEFT: &str = "comake_bot_guilds_left_total";
pub(crate) const LINKED_ACCOUNTS: &str = "comake_bot_linked_accounts";
pub(crate) const NOTIFICATIONS: &str = "comake_bot_notifications_total";
pub(crate) const NOTIFY_READS: &str = "comake_bot_notify_reads_per_cycle";
pub(crate) const NOTIFY_CYCLE_SECONDS: &str = "comake_bot_notify_cycle_duration_seconds";
/// Entries the in-memory maps hold after the last sweep, by map.
pub(crate) const HELD: &str = "comake_bot_memory_entries";
/// Audit entries pruned for being older than `AUDIT_RETENTION_DAYS`.
pub(crate) const AUDIT_PRUNED: &str = "comake_bot_audit_pruned_total";
/// 1 while this instance holds a one-at-a-time role (`watcher`, `gateway`).
pub(crate) const ROLE: &str = "comake_bot_role";
/// Comake requests a second the watcher's read schedule needs, summed over
/// everyone's current wait.
pub(crate) const NOTIFY_NEEDED_RPS: &str = "comake_bot_notify_needed_requests_per_second";
/// Comake requests a second `NOTIFY_MAX_RPS` lets the watcher make.
pub(crate) const NOTIFY_CAPACITY_RPS: &str = "comake_bot_notify_capacity_requests_per_second";
/// Reads jobs that found the schedule needing more than `NOTIFY_MAX_RPS`.
pub(crate) const NOTIFY_OVER_BUDGET: &str = "comake_bot_notify_over_budget_total";
