//! What a person starting the bot reads when its configuration is incomplete: every problem at once, each with where to get the value.

use super::{load_dotenv, settings, Config, ConfigError, Settings};

impl Config {
    /// The configuration the bot runs with (`run`, `check`,
    /// `register-commands`), from `.env` and the process environment: on
    /// failure, every missing or invalid variable at once, in the order
    /// `.env.example` lists them.
    pub fn for_the_bot() -> Result<Self, Vec<ConfigError>> {
        load_dotenv();
        Self::for_the_bot_from(|name| std::env::var(name).ok())
    }

    /// The same from the variables `lookup` gives. The bot token is
    /// required here: the bot cannot run without it.
    pub fn for_the_bot_from(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, Vec<ConfigError>> {
        let (settings, mut problems) = Settings::from_lookup_all(lookup);
        let no_token = !settings.has_discord_token();
        let parsed = Self::from_settings_all(settings);
        if let Err(more) = &parsed {
            problems.extend(more.iter().cloned());
        }
        if no_token {
            problems.push(ConfigError::Required {
                var: "DISCORD_TOKEN",
                why: "the bot signs in to Discord with it",
            });
        }
        if problems.is_empty() {
            return parsed.map_err(|_| problems);
        }
        problems.sort_by_key(|p| settings::position(p.var()));
        problems.dedup_by(|a, b| a.var() == b.var());
        Err(problems)
    }
}

/// Where the value of `var` comes from, for the variables a first run is
/// likely to miss.
fn where_to_get(var: &str) -> Option<&'static str> {
    Some(match var {
        "COMAKE_API_KEY" | "COMAKE_API_SECRET" => {
            "Comake issues the API KEY and SECRET to your company once it has approved the \
             company for its OPEN API (ask Comake; see the OPEN API page of Comake's user guide)"
        }
        "DISCORD_TOKEN" => {
            "Discord developer portal (https://discord.com/developers/applications) > your \
             application > Bot > Reset Token"
        }
        "DISCORD_GUILD_IDS" => {
            "in Discord, turn on Developer Mode (User Settings > Advanced), then right-click \
             your server's icon > Copy Server ID"
        }
        "DISCORD_PUBLIC_KEY" | "DISCORD_APPLICATION_ID" => {
            "Discord developer portal > your application > General Information"
        }
        "INTERACTIONS_ADDR" => {
            "the address and port to serve on, e.g. 0.0.0.0:8080; the portal's Interactions \
             Endpoint URL must reach it"
        }
        "STATE_KEY" => "make one with: openssl rand -base64 32",
        "METRICS_TOKEN" => "any long random string, e.g. from: openssl rand -hex 32",
        "DATABASE_URL" => "postgres://user:password@host:5432/database of your PostgreSQL",
        "SMTP_URL" | "SMTP_FROM" => "your mail provider's SMTP settings (or leave both unset)",
        _ => return None,
    })
}

/// The text `run`, `check` and `register-commands` print when the
/// configuration is not complete: each problem on its own line with where
/// to get the value, then what to do next. No value is repeated (it may be
/// a secret): only names.
pub fn report(problems: &[ConfigError]) -> String {
    let mut out = format!(
        "config: FAILED: {} {} to be set or fixed:\n",
        problems.len(),
        if problems.len() == 1 {
            "variable needs"
        } else {
            "variables need"
        }
    );
    for p in problems {
        out.push_str(&format!("  • {p}\n"));
        if let Some(hint) = where_to_get(p.var()) {
            out.push_str(&format!("      where to get it: {hint}\n"));
        }
    }
    out.push_str(
        "\nCopy .env.example to .env (every variable is described there), fill these in, \
         and run `cargo run --release -- check`.\n\
         To try the bot first without any account: cargo run -p comake-playground\n",
    );
    out
}
