//! Every variable the bot reads, declared once with clap: name, type, range, default and whether its value is secret; and the environment fed to it.

use std::path::PathBuf;

use secrecy::SecretString;

use super::{is_loopback_name, load_dotenv, public_key, ConfigError, LogFormat};
use crate::store::{Database, PgOptions};

/// Every variable the bot reads, declared once: its name, type, range and
/// default. clap parses and types them; `Settings::from_lookup` feeds it
/// the environment, with a blank value (as `.env.example` leaves them)
/// meaning unset.
#[derive(clap::Parser, Debug, Default)]
#[command(no_binary_name = true, disable_help_flag = true)]
pub struct Settings {
    #[arg(long, env = "COMAKE_API_KEY", hide_env_values = true)]
    pub(super) comake_api_key: Option<String>,
    #[arg(long, env = "COMAKE_API_SECRET", hide_env_values = true)]
    pub(super) comake_api_secret: Option<String>,
    #[arg(long, env = "COMAKE_API_URL", default_value = "https://comake.ai/api")]
    pub(super) comake_api_url: String,
    #[arg(long, env = "COMAKE_WEB_URL", default_value = "https://comake.ai")]
    pub(super) comake_web_url: String,
    #[arg(long, env = "COMAKE_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub(super) comake_timeout_secs: u64,
    #[arg(long, env = "DISCORD_TOKEN", hide_env_values = true)]
    pub(super) discord_token: Option<String>,
    #[arg(long, env = "DISCORD_GUILD_IDS", value_parser = id_list)]
    pub(super) discord_guild_ids: Option<IdList>,
    #[arg(long, env = "ADMIN_ROLE_IDS", value_parser = id_list)]
    pub(super) admin_role_ids: Option<IdList>,
    #[arg(long, env = "CARD_CHANNEL_IDS", value_parser = id_list)]
    pub(super) card_channel_ids: Option<IdList>,
    #[arg(long, env = "ADMIN_SELF_LINK", default_value_t = false, action = clap::ArgAction::Set)]
    pub(super) admin_self_link: bool,
    #[arg(long, env = "DISCORD_HTTP_PROXY")]
    pub(super) discord_http_proxy: Option<String>,
    #[arg(
        long,
        env = "TRANSPORT",
        value_enum,
        ignore_case = true,
        default_value = "gateway"
    )]
    pub(super) transport: TransportKind,
    #[arg(long, env = "INTERACTIONS_ADDR")]
    pub(super) interactions_addr: Option<std::net::SocketAddr>,
    #[arg(long, env = "DISCORD_PUBLIC_KEY", value_parser = public_key)]
    pub(super) discord_public_key: Option<[u8; 32]>,
    #[arg(long, env = "DISCORD_APPLICATION_ID")]
    pub(super) discord_application_id: Option<u64>,
    #[arg(long, env = "REGISTRATION", value_enum, ignore_case = true)]
    pub(super) registration: Option<RegistrationKind>,
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub(super) smtp_url: Option<String>,
    #[arg(long, env = "SMTP_FROM")]
    pub(super) smtp_from: Option<String>,
    #[arg(long, env = "ALLOWED_EMAIL_DOMAINS", value_parser = domain_list)]
    pub(super) allowed_email_domains: Option<DomainList>,
    #[arg(long, env = "COMMANDS_PER_MINUTE", default_value_t = 20,
          value_parser = positive)]
    pub(super) commands_per_minute: u32,
    #[arg(long, env = "NOTIFY_INTERVAL_SECS", default_value_t = 60)]
    pub(super) notify_interval_secs: u64,
    #[arg(long, env = "NOTIFY_MAX_IDLE_SECS", default_value_t = 1080, value_parser = positive)]
    pub(super) notify_max_idle_secs: u32,
    #[arg(long, env = "DIGEST_TIMEZONE", default_value = "Asia/Seoul", value_parser = timezone)]
    pub(super) digest_timezone: chrono_tz::Tz,
    #[arg(long, env = "DIGEST_STALE_DAYS", default_value_t = 3, value_parser = positive)]
    pub(super) digest_stale_days: u32,
    #[arg(long, env = "NOTIFY_MAX_RPS", default_value_t = 5,
          value_parser = positive)]
    pub(super) notify_max_rps: u32,
    #[arg(long, env = "DATABASE_PATH", default_value = "./data/comake-bot.sled")]
    pub(super) database_path: PathBuf,
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub(super) database_url: Option<String>,
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 10, value_parser = positive)]
    pub(super) database_max_connections: u32,
    #[arg(long, env = "STATE_KEY", hide_env_values = true)]
    pub(super) state_key: Option<String>,
    #[arg(long, env = "HEALTH_ADDR")]
    pub(super) health_addr: Option<std::net::SocketAddr>,
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true)]
    pub(super) metrics_token: Option<String>,
    #[arg(long, env = "AUDIT_RETENTION_DAYS", default_value_t = 400,
          value_parser = positive)]
    pub(super) audit_retention_days: u32,
    #[arg(
        long,
        env = "LOG_FORMAT",
        value_enum,
        ignore_case = true,
        default_value = "text"
    )]
    pub(super) log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, Default, clap::ValueEnum)]
pub(super) enum TransportKind {
    #[default]
    Gateway,
    Http,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(super) enum RegistrationKind {
    Open,
    Admin,
}

/// An IANA time zone name, such as Asia/Seoul.
fn timezone(raw: &str) -> Result<chrono_tz::Tz, String> {
    raw.parse()
        .map_err(|_| "not a time zone name like Asia/Seoul or Europe/Berlin".to_owned())
}

/// A whole number of at least 1.
fn positive(raw: &str) -> Result<u32, String> {
    match raw.parse::<u32>().map_err(|e| e.to_string())? {
        0 => Err("must be at least 1".into()),
        n => Ok(n),
    }
}

/// Comma-separated Discord ids (blanks between commas are ignored).
#[derive(Debug, Clone, Default)]
pub(super) struct IdList(pub(super) Vec<u64>);

fn id_list(raw: &str) -> Result<IdList, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|e| format!("{s:?}: {e}")))
        .collect::<Result<_, _>>()
        .map(IdList)
}

/// Comma-separated e-mail domains, lower-case and in ASCII (IDNA), the way
/// emails are compared.
#[derive(Debug, Clone, Default)]
pub(super) struct DomainList(pub(super) Vec<String>);

fn domain_list(raw: &str) -> Result<DomainList, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|d| {
            let d = d.trim_start_matches('@').to_lowercase();
            idna::domain_to_ascii(&d).map_err(|_| format!("{d:?} is not a domain"))
        })
        .collect::<Result<_, _>>()
        .map(DomainList)
}

impl Settings {
    /// The process environment (after `.env`).
    pub fn from_env() -> Result<Self, ConfigError> {
        load_dotenv();
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The variables `lookup` gives, typed. clap's own reading of the
    /// process environment is switched off so that `lookup` is the only
    /// source (tests pass a map).
    pub(crate) fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let (settings, mut problems) = Self::from_lookup_all(lookup);
        match problems.is_empty() {
            true => Ok(settings),
            false => Err(problems.remove(0)),
        }
    }

    /// The same, reading on past a bad value: the settings without the
    /// variables clap refused (as if unset), and every one of those, so a
    /// first run names them all at once.
    pub(crate) fn from_lookup_all(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> (Self, Vec<ConfigError>) {
        use clap::{CommandFactory, FromArgMatches};
        let command = Self::command();
        let mut args = Vec::new();
        for arg in command.get_arguments() {
            let (Some(var), Some(long)) = (arg.get_env(), arg.get_long()) else {
                continue;
            };
            let value = var.to_str().and_then(&lookup);
            if let Some(value) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
                args.push((long.to_owned(), format!("--{long}={value}")));
            }
        }
        let mut problems = Vec::new();
        // Each round drops one refused variable: at most one round more
        // than there are variables.
        for _ in 0..=args.len() {
            let command = Self::command().mut_args(|arg| arg.env(None));
            let parsed = command
                .try_get_matches_from(args.iter().map(|(_, a)| a))
                .and_then(|m| Self::from_arg_matches(&m));
            let err = match parsed {
                Ok(settings) => return (settings, problems),
                Err(err) => err,
            };
            let (problem, long) = invalid(&Self::command(), &err);
            problems.push(problem);
            match args
                .iter()
                .position(|(l, _)| Some(l.as_str()) == long.as_deref())
            {
                Some(i) => {
                    args.remove(i);
                }
                None => break,
            }
        }
        (Self::default_values(), problems)
    }

    /// Every variable at its default, as if none were set.
    fn default_values() -> Self {
        use clap::{CommandFactory, FromArgMatches};
        let command = Self::command().mut_args(|arg| arg.env(None));
        command
            .try_get_matches_from(Vec::<String>::new())
            .ok()
            .and_then(|m| Self::from_arg_matches(&m).ok())
            .unwrap_or_default()
    }

    /// Whether the Discord bot token is set (needed to run, not to export).
    pub(crate) fn has_discord_token(&self) -> bool {
        self.discord_token.is_some()
    }

    /// `HEALTH_ADDR`, for `healthcheck`.
    pub fn health_addr(&self) -> Option<std::net::SocketAddr> {
        self.health_addr
    }

    /// Which store: PostgreSQL when `DATABASE_URL` is set (with
    /// `STATE_KEY`), otherwise sled at `DATABASE_PATH`.
    pub fn database(&self) -> Result<Database, ConfigError> {
        let Some(url) = &self.database_url else {
            return Ok(Database::Sled(self.database_path.clone()));
        };
        // Parse errors from the driver could echo the URL: say only what is wrong.
        let parsed: tokio_postgres::Config = url.parse().map_err(|_| {
            ConfigError::invalid(
                "DATABASE_URL",
                "must be postgres://user:password@host:5432/database",
            )
        })?;
        let local = parsed.get_hosts().iter().all(|h| match h {
            tokio_postgres::config::Host::Tcp(name) => is_loopback_name(name),
            tokio_postgres::config::Host::Unix(_) => true,
        });
        if !local && parsed.get_ssl_mode() != tokio_postgres::config::SslMode::Require {
            return Err(ConfigError::invalid(
                "DATABASE_URL",
                "the password and every record would cross the network in clear: add \
                 ?sslmode=require (plain connections only to a loopback host or a socket)",
            ));
        }
        let key = self.state_key.as_deref().ok_or(ConfigError::Required {
            var: "STATE_KEY",
            why: "with DATABASE_URL, pending confirmations (which may hold a signee password) \
                  are sealed in the database with it; make one with openssl rand -base64 32",
        })?;
        use base64::Engine as _;
        let key = base64::engine::general_purpose::STANDARD
            .decode(key)
            .ok()
            .filter(|k| k.len() == 32)
            .ok_or_else(|| {
                ConfigError::invalid(
                    "STATE_KEY",
                    "must be 32 random bytes in base64 (openssl rand -base64 32)",
                )
            })?;
        Ok(Database::Postgres(PgOptions {
            url: SecretString::from(url.clone()),
            max_connections: self.database_max_connections as usize,
            state_key: std::sync::Arc::new(secrecy::SecretVec::new(key)),
        }))
    }
}

/// Where variable `var` stands among those `Settings` reads (the order of
/// `.env.example`); unknown names last.
pub(super) fn position(var: &str) -> usize {
    use clap::CommandFactory;
    Settings::command()
        .get_arguments()
        .position(|a| a.get_env().and_then(|v| v.to_str()) == Some(var))
        .unwrap_or(usize::MAX)
}

/// A clap error as [`ConfigError::Invalid`], naming the variable and never
/// repeating the value (it may be a secret).
fn invalid(command: &clap::Command, err: &clap::Error) -> (ConfigError, Option<String>) {
    use clap::error::{ContextKind, ContextValue};
    let arg = match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => s.clone(),
        _ => String::new(),
    };
    let long = arg
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_start_matches("--");
    let known = command
        .get_arguments()
        .find(|a| a.get_long() == Some(long))
        .and_then(|a| a.get_env())
        .and_then(|v| v.to_str());
    let var = known.unwrap_or("the environment").to_owned();
    let reason = match (
        std::error::Error::source(err),
        err.get(ContextKind::ValidValue),
    ) {
        (Some(source), _) => source.to_string(),
        (None, Some(ContextValue::Strings(valid))) => {
            format!("expected one of {}", valid.join(", "))
        }
        _ => err.kind().to_string(),
    };
    let long = known.map(|_| long.to_owned());
    (ConfigError::Invalid { var, reason }, long)
}
