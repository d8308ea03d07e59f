//! # comake-bot
//!
//! A Discord bot that lets a company's people do their Comake e-contract work
//! with slash commands.
//!
//! # Layout
//! Every module is private; [`api`] is the small public surface the binary,
//! the integration tests and the benchmark use, so the compiler reports what
//! nothing uses. Layers point down only (a test in this file keeps them so):
//! - the Comake client, [`comake`] (the crate `crates/comake`), and its
//!   simulator (`crates/comake-sim`, a dev-dependency only) know nothing of
//!   the bot;
//! - leaves: `config`, `i18n`, `validate`, `text`, `metric`, `action`,
//!   `button`, `reply`, `render`, `mail`, `store`;
//! - `app`: the shared state;
//! - features: `handlers` (the slash commands) and `notify` (the watcher),
//!   which never imports `handlers`;
//! - the outer ring: `discord` (transports), `observe` (`/healthz`,
//!   `/metrics`), `service` (wiring) and `tasks` (one-shot commands).
//!
//! In a few words each:
//! - `action`: what a contract's state allows.
//! - `app`: configuration, clients, store, caches and limits, built once.
//! - `button`: the bot's button ids, written and read in one place.
//! - [`comake`]: the Comake OPEN API client.
//! - `config`: the environment, parsed once into a typed `Config`.
//! - `discord`: command definitions, interaction conversion, the transports.
//! - `handlers`: the slash commands, independent of how Discord delivers
//!   them; `handlers/contract/` one file per sub-feature.
//! - `i18n`: English and Korean messages (Fluent files in `locales/`).
//! - `mail`: mail over SMTP: registration codes and link notices.
//! - `metric`: the names metrics are reported under.
//! - `notify`: the watcher: a list of jobs (reads and DMs, status cards,
//!   digests) run by one loop.
//! - `observe`: `/healthz` and `/metrics`.
//! - `render`: how a contract reads in any message (labels, names, times).
//! - `reply`: what a handler answers with, as Discord's JSON.
//! - `service`: wiring: logging, start-up, transports, shutdown.
//! - `store`: our own state, durable (sled or PostgreSQL) and shared between
//!   instances (memory or PostgreSQL).
//! - `tasks`: the one-shot commands: check, register-commands, export, import.
//! - `text`: third-party text made inert and shortened to fit.
//! - `validate`: checks on what people type.

/// The Comake OPEN API client (its own crate, `crates/comake`).
pub use comake;

/// The bot's clock: the wall-clock time, moving with tokio's clock.
pub use app::now;

mod action;
mod app;
mod button;
mod config;
mod discord;
mod handlers;
mod i18n;
mod mail;
mod metric;
mod notify;
mod observe;
mod render;
mod reply;
mod service;
mod store;
mod tasks;
mod text;
mod validate;

/// The library's public surface: what the binary (`main.rs`), the
/// integration tests and the benchmark use, under the modules' own names.
/// Everything else is private to the crate, so the compiler reports what
/// nothing uses.
pub mod api {
    /// The shared state.
    pub mod app {
        pub use crate::app::{now, App, Held};
        /// Pending confirmations.
        pub mod confirm {
            pub use crate::app::confirm::Pending;
        }
    }
    /// Configuration.
    pub mod config {
        pub use crate::config::{report, Config, Settings, Transport};
    }
    /// The Discord transports.
    pub mod discord {
        pub use crate::discord::{command_definitions, http, invocation, COMMAND_FILES};
        /// The gateway transport.
        pub mod gateway {
            pub use crate::discord::gateway::run;
        }
        /// The HTTP interactions transport.
        pub mod interactions {
            pub use crate::discord::interactions::{
                router, run, serve, BODY_TIMEOUT, MAX_BODY, MAX_REQUESTS,
            };
        }
    }
    /// The commands, independent of their transport.
    pub mod handlers {
        pub use crate::handlers::{
            dispatch, DeliveryError, Invocation, Kind, OptValue, Outcome, Responder, ROUTES,
        };
    }
    /// The watcher.
    pub mod notify {
        pub use crate::notify::{hint_email, touch, Fit, Job, Tick, Watcher};
        /// The schedule's rules, for the benchmark's model.
        pub mod schedule {
            pub use crate::notify::schedule::{Motion, Policy};
        }
    }
    /// Health and metrics.
    pub mod observe {
        pub use crate::observe::{metrics, probe, router, serve_on};
    }
    /// Running the service.
    pub mod service {
        pub use crate::service::{init_tracing, run};
    }
    /// The store.
    pub mod store {
        pub use crate::store::{
            Account, AuditEntry, Board, Card, Claim, LinkError, LinkMethod, NewsKind, NotifyState,
            PgOptions, Reminder, Role, SignedMessage, SigneeMessages, Store, StoreCounts,
            StoreError,
        };
    }
    /// The one-shot commands.
    pub mod tasks {
        pub use crate::tasks::{check, create_private, export, import, register_commands};
    }
    /// Third-party text made inert.
    pub mod text {
        pub use crate::text::{inert_max, or_fallback};
    }
}

#[cfg(test)]
mod layers {
    use std::collections::BTreeSet;
    use std::path::Path;

    /// The crate modules the Rust files at `path` (a file or a folder) name
    /// as `crate::module`.
    fn named(path: &Path) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if path.is_dir() {
            for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
                out.extend(named(&entry.path()));
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            for (i, _) in text.match_indices("crate::") {
                out.extend(modules_at(&text[i + 7..]));
            }
        }
        out
    }

    /// The modules named right after a `crate::`: one (`crate::a::b`), or
    /// each first name of a group (`crate::{a, b::{c, d}, e}`).
    fn modules_at(rest: &str) -> Vec<String> {
        let ident = |s: &str| -> String {
            s.trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        };
        let Some(group) = rest.strip_prefix('{') else {
            return vec![ident(rest)];
        };
        let (mut out, mut depth, mut start) = (Vec::new(), 0usize, 0);
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    out.push(ident(&group[start..i]));
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.push(ident(&group[start..i]));
                    start = i + 1;
                }
                _ => {}
            }
        }
        out.retain(|m| !m.is_empty());
        out
    }

    #[test]
    fn grouped_imports_are_read() {
        assert_eq!(modules_at("notify::touch;"), ["notify"]);
        assert_eq!(
            modules_at("{action, button::{A, B}, reply,\n handlers::x};"),
            ["action", "button", "reply", "handlers"]
        );
    }

    #[test]
    fn layers_point_down() {
        const OUTER: [&str; 4] = ["discord", "observe", "service", "tasks"];
        let above = |extra: &[&'static str]| -> Vec<&'static str> {
            OUTER.iter().copied().chain(extra.iter().copied()).collect()
        };
        let leaves = [
            "config", "i18n", "validate", "text", "metric", "action", "button", "reply", "render",
            "mail", "store",
        ];
        let mut rules: Vec<(String, Vec<&str>)> = vec![
            ("app".into(), above(&["handlers", "notify"])),
            ("notify".into(), above(&["handlers"])),
            ("handlers".into(), above(&[])),
        ];
        for leaf in leaves {
            rules.push((leaf.into(), above(&["app", "handlers", "notify"])));
        }
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut broken = Vec::new();
        for (module, forbidden) in &rules {
            let dir = src.join(module);
            let path = if dir.is_dir() {
                dir
            } else {
                src.join(format!("{module}.rs"))
            };
            assert!(path.exists(), "{}", path.display());
            for name in named(&path) {
                if forbidden.contains(&name.as_str()) {
                    broken.push(format!("{module} names crate::{name}"));
                }
            }
        }
        assert!(broken.is_empty(), "layers that point up: {broken:?}");
        // The Comake client and its simulator are crates of their own that
        // know nothing of the bot or of Discord.
        let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates");
        for krate in ["comake", "comake-sim"] {
            let manifest =
                std::fs::read_to_string(crates.join(krate).join("Cargo.toml")).unwrap_or_default();
            assert!(manifest.contains("[dependencies]"), "{krate}");
            for outside in ["comake-bot", "serenity"] {
                assert!(!manifest.contains(outside), "{krate} depends on {outside}");
            }
        }
    }
}
