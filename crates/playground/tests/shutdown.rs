//! Stopping the playground (SIGTERM, as Ctrl-C or a test harness does) stops the bot it started.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The pids of `pid`'s children, from /proc.
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|c| {
            c.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

/// Whether `pid` still runs (a zombie has stopped).
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let after = stat.rsplit_once(')')?.1.trim_start().chars().next()?;
            Some(after != 'Z' && after != 'X')
        })
        .unwrap_or(false)
}

#[test]
fn sigterm_stops_the_playground_and_the_bot_it_started() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_comake-playground"))
        .env("PLAYGROUND_ADDR", "127.0.0.1:0")
        // cargo test built the bot already; no cargo run inside it.
        .env_remove("CARGO")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the playground starts");
    let stdout = child.stdout.take().expect("its stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let _ = tx.send(lines.next().and_then(Result::ok));
        for _ in lines {}
    });
    let line = rx.recv_timeout(Duration::from_secs(90)).ok().flatten();
    let bots: Vec<u32> = children(child.id())
        .into_iter()
        .filter(|p| {
            std::fs::read_link(format!("/proc/{p}/exe"))
                .is_ok_and(|e| e.to_string_lossy().contains("comake-bot"))
        })
        .collect();
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        line.as_deref()
            .is_some_and(|l| l.starts_with("Playground: http://127.0.0.1:")),
        "{line:?}"
    );
    assert_eq!(bots.len(), 1, "the playground runs one bot");
    assert!(
        status.is_some(),
        "the playground stopped within 15 s of SIGTERM"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while running(bots[0]) {
        assert!(Instant::now() < deadline, "the bot outlived the playground");
        std::thread::sleep(Duration::from_millis(50));
    }
}
