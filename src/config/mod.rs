//! The bot's configuration: read once from the environment (and `.env`), typed, and refused with the variable's name when wrong.

use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use crate::comake::ComakeConfig;
use crate::store::Database;

mod first_run;
mod settings;

pub use first_run::report;

pub use settings::Settings;
use settings::{RegistrationKind, TransportKind};

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{0} is not set; see .env.example")]
    Missing(&'static str),
    #[error("{var} is invalid: {reason}")]
    Invalid { var: String, reason: String },
    #[error("{var} is not set: {why}; see .env.example")]
    Required {
        var: &'static str,
        why: &'static str,
    },
}

impl ConfigError {
    /// The variable it is about.
    pub fn var(&self) -> &str {
        match self {
            Self::Missing(var) | Self::Required { var, .. } => var,
            Self::Invalid { var, .. } => var,
        }
    }

    fn invalid(var: &str, reason: impl std::fmt::Display) -> Self {
        Self::Invalid {
            var: var.to_owned(),
            reason: reason.to_string(),
        }
    }
}

/// How people may link their Discord account to Comake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Registration {
    /// `/comake register` mails a one-time code, then creates a new Comake
    /// user (the default when SMTP is configured).
    Open,
    /// Only admins link accounts (the default without SMTP).
    Admin,
}

/// Where the one-time registration codes are mailed from.
#[derive(Clone)]
pub(crate) struct SmtpConfig {
    /// `smtps://user:pass@host:465` or `smtp://host:587?tls=required`: it
    /// may hold a password, so it is a secret.
    pub(crate) url: SecretString,
    pub(crate) from: lettre::message::Mailbox,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("url", &"[redacted]")
            .field("from", &self.from.to_string())
            .finish()
    }
}

/// Which way Discord delivers interactions, with everything that way
/// needs: an HTTP transport cannot exist without its address, key and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Gateway,
    Http {
        /// Where to serve `POST /interactions`.
        addr: std::net::SocketAddr,
        /// The application's Ed25519 public key (not a secret).
        public_key: [u8; 32],
        application_id: u64,
    },
}

/// The 64 hex digits the developer portal shows, as key bytes.
pub(super) fn public_key(hex: &str) -> Result<[u8; 32], String> {
    let invalid = || "must be the 64 hex digits shown in the developer portal".to_owned();
    if hex.len() != 64 {
        return Err(invalid());
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        let pair = hex.get(2 * i..2 * i + 2).ok_or_else(invalid)?;
        *byte = u8::from_str_radix(pair, 16).map_err(|_| invalid())?;
    }
    Ok(key)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Everything the bot reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    pub comake: ComakeConfig,
    pub database: Database,
    pub discord: DiscordConfig,
    pub(crate) registration: Registration,
    /// The mail server for registration codes; `None`: self-registration off.
    pub(crate) smtp: Option<SmtpConfig>,
    /// Lower-case domains self-registration is limited to; empty: any.
    pub(crate) allowed_email_domains: Vec<String>,
    pub(crate) health_addr: Option<std::net::SocketAddr>,
    pub log_format: LogFormat,
    /// Commands one person may run a minute.
    pub(crate) commands_per_minute: u32,
    /// How often a person with something in motion is read; zero: the
    /// watcher is off.
    pub(crate) notify_interval: Duration,
    /// The longest anyone opted in goes unread.
    pub(crate) notify_max_idle: Duration,
    /// Digests go out at 09:00 in this time zone.
    pub(crate) digest_timezone: chrono_tz::Tz,
    /// A contract waiting on others longer than this is in the digest.
    pub(crate) digest_stale: Duration,
    /// The most Comake requests a second the watcher makes.
    pub(crate) notify_max_rps: u32,
    /// Audit entries older than this many days are pruned daily.
    pub(crate) audit_retention_days: u32,
    /// When set, `/metrics` needs `Authorization: Bearer <token>`.
    pub(crate) metrics_token: Option<SecretString>,
    /// An admin may link their own Discord account (a one-person company).
    pub(crate) admin_self_link: bool,
}

#[derive(Clone)]
pub struct DiscordConfig {
    pub(crate) token: Option<SecretString>,
    /// The company's servers: the only ones served (never empty).
    pub(crate) guild_ids: Vec<u64>,
    /// When not empty, an admin must also hold one of these roles.
    pub(crate) admin_role_ids: Vec<u64>,
    /// When not empty, status cards are posted only in these channels.
    pub(crate) card_channel_ids: Vec<u64>,
    pub(crate) http_proxy: Option<Url>,
    pub transport: Transport,
    /// Known up front with the HTTP transport; otherwise asked of Discord.
    pub(crate) application_id: Option<u64>,
}

impl std::fmt::Debug for DiscordConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordConfig")
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("guild_ids", &self.guild_ids)
            .field("admin_role_ids", &self.admin_role_ids)
            .field("card_channel_ids", &self.card_channel_ids)
            .field("http_proxy", &self.http_proxy.as_ref().map(Url::as_str))
            .field("transport", &self.transport)
            .field("application_id", &self.application_id)
            .finish()
    }
}

/// Whether `url` points at this machine.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        // Schemes the URL standard does not know (smtp) keep IPs as text.
        Some(url::Host::Domain(d)) => is_loopback_name(d),
        None => false,
    }
}

/// `localhost`, or a loopback address written out.
pub(super) fn is_loopback_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("localhost")
        || name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `SMTP_URL` and `SMTP_FROM`: both or neither.
fn smtp(url: Option<&str>, from: Option<&str>) -> Result<Option<SmtpConfig>, ConfigError> {
    let (url, from) = match (url, from) {
        (None, None) => return Ok(None),
        (Some(_), None) => return Err(ConfigError::Missing("SMTP_FROM")),
        (None, Some(_)) => return Err(ConfigError::Missing("SMTP_URL")),
        (Some(url), Some(from)) => (url, from),
    };
    // The URL's own parse error never repeats the URL (it may hold a password).
    let parsed = Url::parse(url).map_err(|e| ConfigError::invalid("SMTP_URL", e))?;
    if !matches!(parsed.scheme(), "smtp" | "smtps") || parsed.host().is_none() {
        return Err(ConfigError::invalid(
            "SMTP_URL",
            "must be smtps://user:pass@host:465 or smtp://host:587?tls=required",
        ));
    }
    let tls_required = parsed.scheme() == "smtps"
        || parsed
            .query_pairs()
            .any(|(k, v)| k == "tls" && v == "required");
    if !tls_required && !is_loopback(&parsed) {
        return Err(ConfigError::invalid(
            "SMTP_URL",
            "the password and the codes would cross the network in clear: use smtps:// \
             or smtp://…?tls=required (plain smtp:// only on a loopback host)",
        ));
    }
    let from = from.parse().map_err(|e| {
        ConfigError::invalid(
            "SMTP_FROM",
            format!("not a mailbox ({e}); e.g. Comake bot <bot@company.example>"),
        )
    })?;
    Ok(Some(SmtpConfig {
        url: SecretString::from(url.to_owned()),
        from,
    }))
}

/// An `http(s)://` URL that can be a base.
fn web_url(var: &'static str, raw: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(raw).map_err(|e| ConfigError::invalid(var, e))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(ConfigError::invalid(
            var,
            "must be an http:// or https:// URL",
        ));
    }
    Ok(url)
}

/// An `https://` URL, or `http://` on a loopback host (a simulator or a
/// proxy on the same machine): credentials never cross a network in clear.
fn secure_url(var: &'static str, raw: &str) -> Result<Url, ConfigError> {
    let url = web_url(var, raw)?;
    if url.scheme() != "https" && !is_loopback(&url) {
        return Err(ConfigError::invalid(
            var,
            "must be an https:// URL (http:// only on 127.0.0.1, ::1 or localhost)",
        ));
    }
    Ok(url)
}

fn secret(var: &'static str, value: Option<String>) -> Result<SecretString, ConfigError> {
    value
        .map(SecretString::from)
        .ok_or(ConfigError::Missing(var))
}

/// Load `.env` when present (variables already set win).
pub(crate) fn load_dotenv() {
    // A missing .env is normal; a malformed one is worth a warning but the
    // variables may still come from the environment.
    if let Err(e) = dotenvy::dotenv() {
        if !e.not_found() {
            eprintln!("warning: could not read .env: {e}");
        }
    }
}

/// `r`'s value, or `None` with its error kept in `problems`.
fn kept<T>(problems: &mut Vec<ConfigError>, r: Result<T, ConfigError>) -> Option<T> {
    r.map_err(|e| problems.push(e)).ok()
}

impl Config {
    /// Load `.env` when present, then read the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_settings(Settings::from_env()?)
    }

    /// The configuration from the variables `lookup` gives.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::from_settings(Settings::from_lookup(lookup)?)
    }

    /// Checks what clap cannot check alone: rules between variables.
    fn from_settings(s: Settings) -> Result<Self, ConfigError> {
        Self::from_settings_all(s).map_err(|mut problems| problems.remove(0))
    }

    /// The same, naming every problem rather than the first (never empty
    /// when `Err`).
    pub(super) fn from_settings_all(s: Settings) -> Result<Self, Vec<ConfigError>> {
        let mut problems = Vec::new();
        let p = &mut problems;
        let database = kept(p, s.database());
        let api_url = kept(p, secure_url("COMAKE_API_URL", &s.comake_api_url));
        let web = kept(p, secure_url("COMAKE_WEB_URL", &s.comake_web_url));
        let api_key = kept(p, secret("COMAKE_API_KEY", s.comake_api_key));
        let api_secret = kept(p, secret("COMAKE_API_SECRET", s.comake_api_secret));
        let http_proxy = kept(
            p,
            s.discord_http_proxy
                .as_deref()
                .map(|raw| web_url("DISCORD_HTTP_PROXY", raw))
                .transpose(),
        );
        let guild_ids = s.discord_guild_ids.unwrap_or_default().0;
        if guild_ids.contains(&0) {
            p.push(ConfigError::invalid(
                "DISCORD_GUILD_IDS",
                "0 is not a server id",
            ));
        } else if guild_ids.is_empty() {
            p.push(ConfigError::Required {
                var: "DISCORD_GUILD_IDS",
                why: "the bot holds the company's Comake key, so it serves only the company's own \
                      Discord servers; list their ids, comma-separated",
            });
        }
        let transport = match s.transport {
            TransportKind::Http => {
                let addr = kept(
                    p,
                    s.interactions_addr
                        .ok_or(ConfigError::Missing("INTERACTIONS_ADDR")),
                );
                let public_key = kept(
                    p,
                    s.discord_public_key
                        .ok_or(ConfigError::Missing("DISCORD_PUBLIC_KEY")),
                );
                let application_id = kept(
                    p,
                    s.discord_application_id
                        .ok_or(ConfigError::Missing("DISCORD_APPLICATION_ID")),
                );
                match (addr, public_key, application_id) {
                    (Some(addr), Some(public_key), Some(application_id)) => Some(Transport::Http {
                        addr,
                        public_key,
                        application_id,
                    }),
                    _ => None,
                }
            }
            TransportKind::Gateway => Some(Transport::Gateway),
        };
        let smtp = kept(p, smtp(s.smtp_url.as_deref(), s.smtp_from.as_deref()));
        let registration = match (s.registration, &smtp) {
            (Some(RegistrationKind::Open), Some(None)) => {
                p.push(ConfigError::invalid(
                    "REGISTRATION",
                    "open needs SMTP_URL and SMTP_FROM: people prove their email with a \
                     mailed code",
                ));
                Registration::Admin
            }
            (Some(RegistrationKind::Open), _) | (None, Some(Some(_))) => Registration::Open,
            (Some(RegistrationKind::Admin), _) | (None, _) => Registration::Admin,
        };
        // /metrics names what the bot does and for how many: beyond
        // loopback it is for the scraper holding the token only.
        if let Some(addr) = s.health_addr {
            if !addr.ip().is_loopback() && s.metrics_token.is_none() {
                p.push(ConfigError::Required {
                    var: "METRICS_TOKEN",
                    why: "HEALTH_ADDR listens beyond loopback, so /metrics needs a bearer \
                          token; set METRICS_TOKEN, or listen on 127.0.0.1",
                });
            }
        }
        let (
            Some(database),
            Some(api_url),
            Some(web),
            Some(api_key),
            Some(api_secret),
            Some(http_proxy),
            Some(transport),
            Some(smtp),
            true,
        ) = (
            database,
            api_url,
            web,
            api_key,
            api_secret,
            http_proxy,
            transport,
            smtp,
            problems.is_empty(),
        )
        else {
            return Err(problems);
        };
        let discord = DiscordConfig {
            token: s.discord_token.map(SecretString::from),
            guild_ids,
            admin_role_ids: s.admin_role_ids.unwrap_or_default().0,
            card_channel_ids: s.card_channel_ids.unwrap_or_default().0,
            http_proxy,
            transport,
            application_id: s.discord_application_id,
        };
        Ok(Self {
            comake: ComakeConfig {
                api_url,
                web_url: web,
                api_key,
                api_secret,
                timeout: Duration::from_secs(s.comake_timeout_secs),
            },
            database,
            discord,
            registration,
            smtp,
            allowed_email_domains: s.allowed_email_domains.unwrap_or_default().0,
            health_addr: s.health_addr,
            commands_per_minute: s.commands_per_minute,
            notify_interval: Duration::from_secs(s.notify_interval_secs),
            notify_max_idle: Duration::from_secs(u64::from(s.notify_max_idle_secs))
                .max(Duration::from_secs(s.notify_interval_secs)),
            digest_timezone: s.digest_timezone,
            digest_stale: Duration::from_secs(u64::from(s.digest_stale_days) * 86_400),
            notify_max_rps: s.notify_max_rps,
            audit_retention_days: s.audit_retention_days,
            metrics_token: s.metrics_token.map(SecretString::from),
            admin_self_link: s.admin_self_link,
            log_format: s.log_format,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    const REQUIRED: [(&str, &str); 3] = [
        ("COMAKE_API_KEY", "k"),
        ("COMAKE_API_SECRET", "s"),
        ("DISCORD_GUILD_IDS", "1"),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Result<Config, ConfigError> {
        let mut vars = REQUIRED.to_vec();
        vars.extend_from_slice(extra);
        Config::from_lookup(env(&vars))
    }

    #[test]
    fn the_bot_serves_only_listed_guilds() {
        let vars = [("COMAKE_API_KEY", "k"), ("COMAKE_API_SECRET", "s")];
        let err = Config::from_lookup(env(&vars)).unwrap_err();
        assert!(matches!(
            err,
            ConfigError::Required {
                var: "DISCORD_GUILD_IDS",
                ..
            }
        ));
        assert!(err.to_string().contains("DISCORD_GUILD_IDS"), "{err}");
        assert!(err.to_string().contains("company's own"), "{err}");
        let blank = Config::from_lookup(env(&[
            ("COMAKE_API_KEY", "k"),
            ("COMAKE_API_SECRET", "s"),
            ("DISCORD_GUILD_IDS", " , "),
        ]));
        assert!(matches!(blank, Err(ConfigError::Required { .. })));
        assert!(matches!(
            with(&[("DISCORD_GUILD_IDS", "1,0")]),
            Err(ConfigError::Invalid { ref var, .. }) if var == "DISCORD_GUILD_IDS"
        ));
        let cfg = with(&[("ALLOWED_EMAIL_DOMAINS", "@회사.한국")]).unwrap();
        assert_eq!(cfg.allowed_email_domains, ["xn--vf4b131b.xn--3e0b707e"]);
        let cfg = with(&[("DISCORD_GUILD_IDS", "1, 2"), ("ADMIN_ROLE_IDS", "7")]).unwrap();
        assert_eq!(cfg.discord.guild_ids, vec![1, 2]);
        assert_eq!(cfg.discord.admin_role_ids, vec![7]);
        assert!(
            cfg.discord.card_channel_ids.is_empty(),
            "unset: any channel"
        );
        let cfg = with(&[("CARD_CHANNEL_IDS", "5,6")]).unwrap();
        assert_eq!(cfg.discord.card_channel_ids, vec![5, 6]);
    }

    #[test]
    fn self_registration_needs_smtp() {
        assert_eq!(with(&[]).unwrap().registration, Registration::Admin);
        match with(&[("REGISTRATION", "open")]).unwrap_err() {
            ConfigError::Invalid { var, reason } => {
                assert_eq!(var, "REGISTRATION");
                assert!(reason.contains("SMTP_URL"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        let smtp = [
            ("SMTP_URL", "smtps://bot:hunter2-pw@mail.example.com:465"),
            ("SMTP_FROM", "Comake <bot@example.com>"),
        ];
        let cfg = with(&smtp).unwrap();
        assert_eq!(cfg.registration, Registration::Open);
        assert!(!format!("{cfg:?}").contains("hunter2-pw"));
        for ok in [
            "smtp://mail.example.com:587?tls=required",
            "smtp://127.0.0.1:2525",
        ] {
            let vars = [("SMTP_URL", ok), smtp[1]];
            assert!(with(&vars).is_ok(), "{ok}");
        }
        let mut admin = smtp.to_vec();
        admin.push(("REGISTRATION", "admin"));
        assert_eq!(with(&admin).unwrap().registration, Registration::Admin);
        assert_eq!(
            with(&smtp[..1]).unwrap_err(),
            ConfigError::Missing("SMTP_FROM")
        );
        for (var, bad) in [
            ("SMTP_URL", "https://mail.example.com"),
            ("SMTP_URL", "smtps://bot:hunter2-pw@"),
            ("SMTP_URL", "smtp://bot:hunter2-pw@mail.example.com:587"),
            (
                "SMTP_URL",
                "smtp://bot:hunter2-pw@mail.example.com:587?tls=opportunistic",
            ),
            ("SMTP_FROM", "not a mailbox"),
        ] {
            let mut vars = smtp.to_vec();
            vars.retain(|(k, _)| *k != var);
            vars.push((var, bad));
            match with(&vars).unwrap_err() {
                ConfigError::Invalid { var: v, reason } => {
                    assert_eq!(v, var);
                    assert!(!reason.contains("hunter2-pw"), "{reason}");
                }
                other => panic!("{var}={bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn comake_urls_are_https_except_on_loopback() {
        for ok in [
            "https://comake.example/api",
            "http://127.0.0.1:9000/api",
            "http://[::1]:9000/api",
            "http://localhost:9000/api",
        ] {
            let mut vars = REQUIRED.to_vec();
            vars.push(("COMAKE_API_URL", ok));
            assert!(Config::from_lookup(env(&vars)).is_ok(), "{ok}");
        }
        for (var, bad) in [
            ("COMAKE_API_URL", "http://comake.example/api"),
            ("COMAKE_WEB_URL", "http://10.0.0.5"),
            ("COMAKE_WEB_URL", "http://localhost.evil.example"),
        ] {
            let mut vars = REQUIRED.to_vec();
            vars.push((var, bad));
            match Config::from_lookup(env(&vars)).unwrap_err() {
                ConfigError::Invalid { var: v, reason } => {
                    assert_eq!(v, var, "{bad}");
                    assert!(!reason.contains(bad), "{reason}");
                }
                other => panic!("{var}={bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn defaults_apply() {
        let cfg = Config::from_lookup(env(&REQUIRED)).unwrap();
        assert_eq!(cfg.comake.api_url.as_str(), "https://comake.ai/api");
        assert_eq!(cfg.comake.web_url.as_str(), "https://comake.ai/");
        assert_eq!(cfg.comake.timeout, Duration::from_secs(10));
        assert_eq!(cfg.comake.api_key.expose_secret(), "k");
        assert!(
            matches!(&cfg.database, Database::Sled(p) if p == &std::path::PathBuf::from("./data/comake-bot.sled"))
        );
        assert_eq!(
            cfg.registration,
            Registration::Admin,
            "no SMTP, no self-service"
        );
        assert_eq!(cfg.discord.transport, Transport::Gateway);
    }

    #[test]
    fn missing_and_malformed_name_the_variable() {
        let err = Config::from_lookup(env(&[("COMAKE_API_KEY", "k"), ("DISCORD_GUILD_IDS", "1")]))
            .unwrap_err();
        assert_eq!(err, ConfigError::Missing("COMAKE_API_SECRET"));
        for (var, bad) in [
            ("COMAKE_TIMEOUT_SECS", "ten"),
            ("COMAKE_TIMEOUT_SECS", "0"),
            ("COMAKE_API_URL", "ftp://x"),
            ("COMAKE_WEB_URL", "not a url"),
            ("DISCORD_GUILD_IDS", "1,two"),
            ("ADMIN_ROLE_IDS", "legal"),
            ("TRANSPORT", "carrier-pigeon"),
            ("HEALTH_ADDR", "nowhere"),
            ("DISCORD_PUBLIC_KEY", "abc"),
            ("COMMANDS_PER_MINUTE", "0"),
            ("NOTIFY_MAX_RPS", "0"),
            ("AUDIT_RETENTION_DAYS", "0"),
        ] {
            let mut vars = REQUIRED.to_vec();
            vars.push((var, bad));
            match Config::from_lookup(env(&vars)).unwrap_err() {
                ConfigError::Invalid { var: v, .. } => assert_eq!(v, var),
                other => panic!("{var}={bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn http_transport_needs_its_variables() {
        let mut vars = REQUIRED.to_vec();
        vars.push(("TRANSPORT", "http"));
        assert_eq!(
            Config::from_lookup(env(&vars)).unwrap_err(),
            ConfigError::Missing("INTERACTIONS_ADDR")
        );
        vars.push(("INTERACTIONS_ADDR", "127.0.0.1:8080"));
        assert_eq!(
            Config::from_lookup(env(&vars)).unwrap_err(),
            ConfigError::Missing("DISCORD_PUBLIC_KEY")
        );
        let key = "ab".repeat(32);
        vars.push(("DISCORD_PUBLIC_KEY", &key));
        assert_eq!(
            Config::from_lookup(env(&vars)).unwrap_err(),
            ConfigError::Missing("DISCORD_APPLICATION_ID")
        );
        vars.push(("DISCORD_APPLICATION_ID", "42"));
        let cfg = Config::from_lookup(env(&vars)).unwrap();
        assert_eq!(
            cfg.discord.transport,
            Transport::Http {
                addr: "127.0.0.1:8080".parse().unwrap(),
                public_key: [0xab; 32],
                application_id: 42,
            }
        );
    }

    #[test]
    fn debug_hides_secrets() {
        let mut vars = REQUIRED.to_vec();
        vars.push(("DISCORD_TOKEN", "bot-token-xyz"));
        let cfg = Config::from_lookup(env(&vars)).unwrap();
        let dbg = format!("{cfg:?}");
        assert!(!dbg.contains("bot-token-xyz") && !dbg.contains("\"k\"") && !dbg.contains("\"s\""));
    }

    /// Every variable the code reads is documented in `.env.example`, and
    /// everything documented there is read.
    #[test]
    fn env_example_documents_every_variable() {
        use clap::CommandFactory;
        let example = include_str!("../../.env.example");
        let documented: std::collections::BTreeSet<&str> = example
            .lines()
            .map(|l| l.trim_start_matches('#').trim())
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
            .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            .collect();
        let command = Settings::command();
        let mut read: std::collections::BTreeSet<String> = command
            .get_arguments()
            .filter_map(|a| a.get_env()?.to_str().map(str::to_owned))
            .collect();
        // Read by libraries, not by `Settings`.
        read.insert("RUST_LOG".to_owned());
        let missing: Vec<_> = read
            .iter()
            .filter(|v| !documented.contains(v.as_str()))
            .collect();
        assert!(missing.is_empty(), "not in .env.example: {missing:?}");
        let unknown: Vec<_> = documented.iter().filter(|v| !read.contains(**v)).collect();
        assert!(
            unknown.is_empty(),
            "in .env.example but never read: {unknown:?}"
        );
    }

    /// Blank values (as `.env.example` leaves them) mean unset, and a bad
    /// value's error never repeats a secret.
    #[test]
    fn blank_means_unset_and_secrets_stay_out_of_errors() {
        let cfg = with(&[
            ("HEALTH_ADDR", " "),
            ("DISCORD_APPLICATION_ID", ""),
            ("ADMIN_ROLE_IDS", ""),
        ])
        .unwrap();
        assert_eq!(cfg.health_addr, None);
        assert!(cfg.discord.admin_role_ids.is_empty());
        let err = with(&[("DISCORD_PUBLIC_KEY", "zz-secret-looking-value")]).unwrap_err();
        assert!(!err.to_string().contains("zz-secret"), "{err}");
        assert!(err.to_string().contains("DISCORD_PUBLIC_KEY"), "{err}");
        let err = with(&[("TRANSPORT", "pigeon")]).unwrap_err();
        assert!(err.to_string().contains("gateway, http"), "{err}");
    }

    #[test]
    fn a_health_port_beyond_loopback_needs_a_metrics_token() {
        for addr in ["0.0.0.0:9090", "10.0.0.5:9090", "[::]:9090"] {
            match with(&[("HEALTH_ADDR", addr)]).unwrap_err() {
                ConfigError::Required { var, .. } => assert_eq!(var, "METRICS_TOKEN", "{addr}"),
                other => panic!("{addr}: {other:?}"),
            }
            let cfg = with(&[("HEALTH_ADDR", addr), ("METRICS_TOKEN", "t0ken")]).unwrap();
            assert_eq!(cfg.health_addr, addr.parse().ok());
        }
        for addr in ["127.0.0.1:9090", "[::1]:9090"] {
            assert!(with(&[("HEALTH_ADDR", addr)]).is_ok(), "{addr}");
        }
    }

    #[test]
    fn admins_link_themselves_only_when_allowed() {
        assert!(!with(&[]).unwrap().admin_self_link);
        assert!(
            with(&[("ADMIN_SELF_LINK", "true")])
                .unwrap()
                .admin_self_link
        );
        assert!(!with(&[("ADMIN_SELF_LINK", "")]).unwrap().admin_self_link);
        match with(&[("ADMIN_SELF_LINK", "yes please")]).unwrap_err() {
            ConfigError::Invalid { var, .. } => assert_eq!(var, "ADMIN_SELF_LINK"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn postgres_needs_a_state_key_and_tls_off_this_machine() {
        let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        let cfg = with(&[
            (
                "DATABASE_URL",
                "postgres://bot:pw-123@127.0.0.1:5432/comake",
            ),
            ("STATE_KEY", key),
        ])
        .unwrap();
        assert!(matches!(cfg.database, Database::Postgres(ref o) if o.max_connections == 10));
        assert!(
            !format!("{cfg:?}").contains("pw-123"),
            "the password in Debug"
        );
        match with(&[("DATABASE_URL", "postgres://bot:pw-123@127.0.0.1/comake")]).unwrap_err() {
            ConfigError::Required { var, why } => {
                assert_eq!(var, "STATE_KEY");
                assert!(why.contains("openssl rand -base64 32"), "{why}");
            }
            other => panic!("{other:?}"),
        }
        for (var, bad) in [
            ("STATE_KEY", "c2hvcnQ="),
            ("STATE_KEY", "not base64!"),
            ("DATABASE_URL", "mysql://bot:pw-123@db/comake"),
            ("DATABASE_URL", "postgres://bot:pw-123@db.internal/comake"),
            ("DATABASE_MAX_CONNECTIONS", "0"),
        ] {
            let mut vars = vec![
                ("DATABASE_URL", "postgres://bot:pw-123@localhost/comake"),
                ("STATE_KEY", key),
            ];
            vars.retain(|(k, _)| *k != var);
            vars.push((var, bad));
            match with(&vars).unwrap_err() {
                ConfigError::Invalid { var: v, reason } => {
                    assert_eq!(v, var, "{bad}");
                    assert!(!reason.contains("pw-123"), "{reason}");
                }
                other => panic!("{var}={bad}: {other:?}"),
            }
        }
        let remote = with(&[
            (
                "DATABASE_URL",
                "postgres://bot:pw-123@db.internal/comake?sslmode=require",
            ),
            ("STATE_KEY", key),
        ]);
        assert!(remote.is_ok(), "{remote:?}");
    }

    #[test]
    fn the_bot_names_every_problem_at_once_in_env_example_order() {
        let problems = Config::for_the_bot_from(env(&[("COMAKE_TIMEOUT_SECS", "0")])).unwrap_err();
        let vars: Vec<&str> = problems.iter().map(ConfigError::var).collect();
        assert_eq!(
            vars,
            [
                "COMAKE_API_KEY",
                "COMAKE_API_SECRET",
                "COMAKE_TIMEOUT_SECS",
                "DISCORD_TOKEN",
                "DISCORD_GUILD_IDS"
            ]
        );
        let text = report(&problems);
        assert!(text.contains("5 variables"), "{text}");
        let mut vars = REQUIRED.to_vec();
        vars.push(("DISCORD_TOKEN", "t"));
        assert!(Config::for_the_bot_from(env(&vars)).is_ok());
    }
}
