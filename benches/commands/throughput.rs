//! Section 5: commands a second from 100 users on a warm bot with Comake at 0 ms, and the bot's CPU per command.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::{cmd, run, Bench, BASE, SENDERS};

/// The name of the bot runtime's threads, so their CPU can be told apart
/// from the simulator's.
pub(crate) const BOT_THREADS: &str = "bot-worker";

pub(crate) async fn section(b: &Bench) -> Value {
    for i in 0..SENDERS {
        run(&b.app, cmd(BASE + i, "contract list", &[])).await; // warm each user
    }
    let run_for = Duration::from_secs(10);
    let cpu_before = thread_cpu(BOT_THREADS);
    let started = Instant::now();
    let deadline = started + run_for;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..SENDERS {
        let app = b.app.clone();
        tasks.spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                run(&app, cmd(BASE + i, "contract list", &[])).await;
                n += 1;
            }
            n
        });
    }
    let mut done = 0u64;
    while let Some(n) = tasks.join_next().await {
        done += n.unwrap();
    }
    let elapsed = started.elapsed();
    let cpu = thread_cpu(BOT_THREADS).saturating_sub(cpu_before);
    let throughput = json!({
        "users": SENDERS,
        "seconds": elapsed.as_secs_f64(),
        "commands": done,
        "commands_per_second": (done as f64 / elapsed.as_secs_f64()).round(),
        "bot_cpu_us_per_command": (cpu.as_secs_f64() * 1e6 / done.max(1) as f64).round(),
        "note": "CPU of the bot's runtime threads only; the simulator runs on its own thread",
    });
    println!(
        "\n5. Throughput: {SENDERS} users, warm /contract list, simulator at 0 ms for {:.1} s: \
         {} commands, {} commands/s, {} µs of bot CPU per command",
        elapsed.as_secs_f64(),
        done,
        throughput["commands_per_second"],
        throughput["bot_cpu_us_per_command"]
    );
    throughput
}

/// CPU time of this process's threads whose name starts with `prefix`.
fn thread_cpu(prefix: &str) -> Duration {
    let ticks: f64 = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0);
    let mut total = 0u64;
    for entry in std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
    {
        let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
        if !comm.trim().starts_with(prefix) {
            continue;
        }
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // Fields after the ")" that closes the name: state is field 3; utime 14, stime 15.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let utime: u64 = fields.get(11).and_then(|f| f.parse().ok()).unwrap_or(0);
        let stime: u64 = fields.get(12).and_then(|f| f.parse().ok()).unwrap_or(0);
        total += utime + stime;
    }
    Duration::from_secs_f64(total as f64 / ticks)
}
