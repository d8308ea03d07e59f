//! The docs a person starts from: the Korean user guide names every command as a Korean client shows it (checked against `commands/`, so it cannot drift), and the README's invite URL asks for the permissions status cards need.

use comake_bot::api::discord::command_definitions;
use serde_json::Value;

/// Every command path as a Korean client shows it: `/그룹 하위명령`.
fn korean_paths() -> Vec<String> {
    let ko = |v: &Value| {
        v["name_localizations"]["ko"]
            .as_str()
            .unwrap_or_else(|| panic!("no Korean name: {}", v["name"]))
            .to_owned()
    };
    let mut paths = Vec::new();
    for def in command_definitions().unwrap() {
        let group = ko(&def);
        let subs: Vec<&Value> = def["options"]
            .as_array()
            .map(|o| o.iter().filter(|o| o["type"] == 1).collect())
            .unwrap_or_default();
        if subs.is_empty() {
            paths.push(format!("/{group}"));
        }
        for sub in subs {
            paths.push(format!("/{group} {}", ko(sub)));
        }
    }
    paths
}

#[test]
fn the_korean_guide_names_every_command() {
    let guide = include_str!("../../docs/guide.ko.md");
    let paths = korean_paths();
    assert!(paths.len() >= 20, "{paths:?}");
    let missing: Vec<_> = paths
        .iter()
        .filter(|p| !guide.contains(&format!("`{p}`")))
        .collect();
    assert!(missing.is_empty(), "docs/guide.ko.md lacks {missing:?}");
    // No English command name reaches the Korean reader.
    for english in ["/contract", "/comake"] {
        assert!(!guide.contains(english), "{english} in the Korean guide");
    }
    let readme = include_str!("../../README.md");
    assert!(readme.contains("(docs/guide.ko.md)"), "the README links it");
}

#[test]
fn the_readme_invite_asks_for_what_cards_need() {
    // What `share.rs` checks before posting a card.
    const VIEW_CHANNEL: u64 = 1 << 10;
    const SEND_MESSAGES: u64 = 1 << 11;
    const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    let readme = include_str!("../../README.md");
    let base = VIEW_CHANNEL | SEND_MESSAGES;
    assert!(
        readme.contains(&format!(
            "scope=bot+applications.commands&permissions={base}"
        )),
        "the invite URL"
    );
    let threads = base | SEND_MESSAGES_IN_THREADS;
    assert!(readme.contains(&format!("permissions={threads}")));
    assert!(readme.contains("cargo run --release -- check"));
}
