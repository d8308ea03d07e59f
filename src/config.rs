//! The bot's configuration: read once from the environment (and `.env`), typed, and refused with the variable's name when wrong.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use crate::comake::ComakeConfig;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{0} is not set; see .env.example")]
    Missing(&'static str),
    #[error("{var} is invalid: {reason}")]
    Invalid { var: &'static str, reason: String },
    #[error("{var} is not set: {why}; see .env.example")]
    Required {
        var: &'static str,
        why: &'static str,
    },
}

/// Variables read outside [`Config`] (by libraries).
pub const OTHER_VARIABLES: [&str; 1] = ["RUST_LOG"];

/// How people may link their Discord account to Comake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// `/comake register` mails a one-time code, then creates a new Comake
    /// user (the default when SMTP is configured).
    Open,
    /// Only admins link accounts (the default without SMTP).
    Admin,
}

/// Where the one-time registration codes are mailed from.
#[derive(Clone)]
pub struct SmtpConfig {
    /// `smtps://user:pass@host:465` or `smtp://host:587?tls=required`: it
    /// may hold a password, so it is a secret.
    pub url: SecretString,
    pub from: lettre::message::Mailbox,
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
fn public_key(hex: &str) -> Result<[u8; 32], ConfigError> {
    let invalid = || ConfigError::Invalid {
        var: "DISCORD_PUBLIC_KEY",
        reason: "must be the 64 hex digits shown in the developer portal".into(),
    };
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Everything the bot reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    pub comake: ComakeConfig,
    pub database_path: PathBuf,
    pub discord: DiscordConfig,
    pub registration: Registration,
    /// The mail server for registration codes; `None`: self-registration off.
    pub smtp: Option<SmtpConfig>,
    /// Lower-case domains self-registration is limited to; empty: any.
    pub allowed_email_domains: Vec<String>,
    pub health_addr: Option<std::net::SocketAddr>,
    pub log_format: LogFormat,
    /// Commands one person may run a minute.
    pub commands_per_minute: u32,
    /// How often each opted-in user's contracts are read; zero: never.
    pub notify_interval: Duration,
    /// The most Comake requests a second the watcher makes.
    pub notify_max_rps: u32,
    /// Audit entries older than this many days are pruned daily.
    pub audit_retention_days: u32,
    /// When set, `/metrics` needs `Authorization: Bearer <token>`.
    pub metrics_token: Option<SecretString>,
}

#[derive(Clone)]
pub struct DiscordConfig {
    pub token: Option<SecretString>,
    /// The company's servers: the only ones served (never empty).
    pub guild_ids: Vec<u64>,
    /// When not empty, an admin must also hold one of these roles.
    pub admin_role_ids: Vec<u64>,
    pub http_proxy: Option<Url>,
    pub transport: Transport,
    /// Known up front with the HTTP transport; otherwise asked of Discord.
    pub application_id: Option<u64>,
}

impl std::fmt::Debug for DiscordConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordConfig")
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("guild_ids", &self.guild_ids)
            .field("admin_role_ids", &self.admin_role_ids)
            .field("http_proxy", &self.http_proxy.as_ref().map(Url::as_str))
            .field("transport", &self.transport)
            .field("application_id", &self.application_id)
            .finish()
    }
}

/// Reads variables through a lookup function and remembers which it read.
pub struct Env<F> {
    lookup: F,
    read: Mutex<BTreeSet<&'static str>>,
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    pub fn new(lookup: F) -> Self {
        Self {
            lookup,
            read: Mutex::new(BTreeSet::new()),
        }
    }

    /// The names read so far.
    pub fn names_read(&self) -> BTreeSet<&'static str> {
        self.read.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The value, or `None` when unset or blank.
    pub fn optional(&self, name: &'static str) -> Option<String> {
        if let Ok(mut read) = self.read.lock() {
            read.insert(name);
        }
        (self.lookup)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    pub fn required(&self, name: &'static str) -> Result<String, ConfigError> {
        self.optional(name).ok_or(ConfigError::Missing(name))
    }

    pub fn parsed<T: FromStr>(&self, name: &'static str) -> Result<Option<T>, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        self.optional(name)
            .map(|v| {
                v.parse().map_err(|e: T::Err| ConfigError::Invalid {
                    var: name,
                    reason: e.to_string(),
                })
            })
            .transpose()
    }

    /// A whole number of at least 1, or `default` when unset.
    pub fn positive_or(&self, name: &'static str, default: u32) -> Result<u32, ConfigError> {
        match self.parsed::<u32>(name)? {
            None => Ok(default),
            Some(0) => Err(ConfigError::Invalid {
                var: name,
                reason: "must be at least 1".into(),
            }),
            Some(n) => Ok(n),
        }
    }

    pub fn url_or(&self, name: &'static str, default: &str) -> Result<Url, ConfigError> {
        let raw = self.optional(name).unwrap_or_else(|| default.to_owned());
        let url = Url::parse(&raw).map_err(|e| ConfigError::Invalid {
            var: name,
            reason: e.to_string(),
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
            return Err(ConfigError::Invalid {
                var: name,
                reason: "must be an http:// or https:// URL".into(),
            });
        }
        Ok(url)
    }

    /// An `https://` URL, or `http://` on a loopback host (a simulator or a
    /// proxy on the same machine): credentials never cross a network in clear.
    pub fn secure_url_or(&self, name: &'static str, default: &str) -> Result<Url, ConfigError> {
        let url = self.url_or(name, default)?;
        if url.scheme() != "https" && !is_loopback(&url) {
            return Err(ConfigError::Invalid {
                var: name,
                reason: "must be an https:// URL (http:// only on 127.0.0.1, ::1 or localhost)"
                    .into(),
            });
        }
        Ok(url)
    }

    pub fn secret(&self, name: &'static str) -> Result<SecretString, ConfigError> {
        self.required(name).map(SecretString::from)
    }

    pub fn choice<T: Copy>(
        &self,
        name: &'static str,
        choices: &[(&str, T)],
        default: T,
    ) -> Result<T, ConfigError> {
        match self.optional(name) {
            None => Ok(default),
            Some(v) => choices
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&v))
                .map(|(_, t)| *t)
                .ok_or_else(|| ConfigError::Invalid {
                    var: name,
                    reason: format!(
                        "expected one of {}",
                        choices
                            .iter()
                            .map(|(k, _)| *k)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }),
        }
    }

    pub fn list<T: FromStr>(&self, name: &'static str) -> Result<Vec<T>, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        self.optional(name)
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse().map_err(|e: T::Err| ConfigError::Invalid {
                    var: name,
                    reason: format!("{s:?}: {e}"),
                })
            })
            .collect()
    }
}

/// Whether `url` points at this machine.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        // Schemes the URL standard does not know (smtp) keep IPs as text.
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost")
                || d.trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        None => false,
    }
}

/// `SMTP_URL` and `SMTP_FROM`: both or neither.
fn smtp<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> Result<Option<SmtpConfig>, ConfigError> {
    let (url, from) = match (env.optional("SMTP_URL"), env.optional("SMTP_FROM")) {
        (None, None) => return Ok(None),
        (Some(_), None) => return Err(ConfigError::Missing("SMTP_FROM")),
        (None, Some(_)) => return Err(ConfigError::Missing("SMTP_URL")),
        (Some(url), Some(from)) => (url, from),
    };
    // The URL's own parse error never repeats the URL (it may hold a password).
    let parsed = Url::parse(&url).map_err(|e| ConfigError::Invalid {
        var: "SMTP_URL",
        reason: e.to_string(),
    })?;
    if !matches!(parsed.scheme(), "smtp" | "smtps") || parsed.host().is_none() {
        return Err(ConfigError::Invalid {
            var: "SMTP_URL",
            reason: "must be smtps://user:pass@host:465 or smtp://host:587?tls=required".into(),
        });
    }
    let tls_required = parsed.scheme() == "smtps"
        || parsed
            .query_pairs()
            .any(|(k, v)| k == "tls" && v == "required");
    if !tls_required && !is_loopback(&parsed) {
        return Err(ConfigError::Invalid {
            var: "SMTP_URL",
            reason: "the password and the codes would cross the network in clear: use smtps:// \
                     or smtp://…?tls=required (plain smtp:// only on a loopback host)"
                .into(),
        });
    }
    let from = from.parse().map_err(|e| ConfigError::Invalid {
        var: "SMTP_FROM",
        reason: format!("not a mailbox ({e}); e.g. Comake bot <bot@company.example>"),
    })?;
    Ok(Some(SmtpConfig {
        url: SecretString::from(url),
        from,
    }))
}

/// Load `.env` when present (variables already set win).
pub fn load_dotenv() {
    // A missing .env is normal; a malformed one is worth a warning but the
    // variables may still come from the environment.
    if let Err(e) = dotenvy::dotenv() {
        if !e.not_found() {
            eprintln!("warning: could not read .env: {e}");
        }
    }
}

/// The process environment as an [`Env`].
pub fn process_env() -> Env<fn(&str) -> Option<String>> {
    Env::new(|name| std::env::var(name).ok())
}

/// `DATABASE_PATH`, for the commands that only need the store.
pub fn database_path<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> PathBuf {
    env.optional("DATABASE_PATH")
        .unwrap_or_else(|| "./data/comake-bot.sled".into())
        .into()
}

impl Config {
    /// Load `.env` when present, then read the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        load_dotenv();
        Self::from_lookup(&process_env())
    }

    pub fn from_lookup<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> Result<Self, ConfigError> {
        let timeout_secs: u64 = env.parsed("COMAKE_TIMEOUT_SECS")?.unwrap_or(10);
        if !(1..=300).contains(&timeout_secs) {
            return Err(ConfigError::Invalid {
                var: "COMAKE_TIMEOUT_SECS",
                reason: "must be 1 to 300 seconds".into(),
            });
        }
        let comake = ComakeConfig {
            api_url: env.secure_url_or("COMAKE_API_URL", "https://comake.ai/api")?,
            web_url: env.secure_url_or("COMAKE_WEB_URL", "https://comake.ai")?,
            api_key: env.secret("COMAKE_API_KEY")?,
            api_secret: env.secret("COMAKE_API_SECRET")?,
            timeout: Duration::from_secs(timeout_secs),
        };
        let http_proxy = match env.optional("DISCORD_HTTP_PROXY") {
            None => None,
            Some(_) => Some(env.url_or("DISCORD_HTTP_PROXY", "")?),
        };
        let guild_ids: Vec<u64> = env.list("DISCORD_GUILD_IDS")?;
        if guild_ids.contains(&0) {
            return Err(ConfigError::Invalid {
                var: "DISCORD_GUILD_IDS",
                reason: "0 is not a server id".into(),
            });
        }
        if guild_ids.is_empty() {
            return Err(ConfigError::Required {
                var: "DISCORD_GUILD_IDS",
                why: "the bot holds the company's Comake key, so it serves only the company's own \
                      Discord servers; list their ids, comma-separated",
            });
        }
        let http = env.choice("TRANSPORT", &[("gateway", false), ("http", true)], false)?;
        let addr: Option<std::net::SocketAddr> = env.parsed("INTERACTIONS_ADDR")?;
        let key = env
            .optional("DISCORD_PUBLIC_KEY")
            .map(|hex| public_key(&hex))
            .transpose()?;
        let application_id: Option<u64> = env.parsed("DISCORD_APPLICATION_ID")?;
        let transport = if http {
            Transport::Http {
                addr: addr.ok_or(ConfigError::Missing("INTERACTIONS_ADDR"))?,
                public_key: key.ok_or(ConfigError::Missing("DISCORD_PUBLIC_KEY"))?,
                application_id: application_id
                    .ok_or(ConfigError::Missing("DISCORD_APPLICATION_ID"))?,
            }
        } else {
            Transport::Gateway
        };
        let discord = DiscordConfig {
            token: env.optional("DISCORD_TOKEN").map(SecretString::from),
            guild_ids,
            admin_role_ids: env.list("ADMIN_ROLE_IDS")?,
            http_proxy,
            transport,
            application_id,
        };
        let allowed_email_domains = env
            .list::<String>("ALLOWED_EMAIL_DOMAINS")?
            .into_iter()
            .map(|d| {
                // Emails are compared with their domain in ASCII (IDNA).
                let d = d.trim_start_matches('@').to_lowercase();
                idna::domain_to_ascii(&d).map_err(|_| ConfigError::Invalid {
                    var: "ALLOWED_EMAIL_DOMAINS",
                    reason: format!("{d:?} is not a domain"),
                })
            })
            .collect::<Result<_, _>>()?;
        let smtp = smtp(env)?;
        let registration = env.choice(
            "REGISTRATION",
            &[("open", Registration::Open), ("admin", Registration::Admin)],
            if smtp.is_some() {
                Registration::Open
            } else {
                Registration::Admin
            },
        )?;
        if registration == Registration::Open && smtp.is_none() {
            return Err(ConfigError::Invalid {
                var: "REGISTRATION",
                reason: "open needs SMTP_URL and SMTP_FROM: people prove their email with a \
                         mailed code"
                    .into(),
            });
        }
        Ok(Self {
            comake,
            database_path: database_path(env),
            discord,
            registration,
            smtp,
            allowed_email_domains,
            health_addr: env.parsed("HEALTH_ADDR")?,
            commands_per_minute: env.positive_or("COMMANDS_PER_MINUTE", 20)?,
            notify_interval: Duration::from_secs(
                env.parsed("NOTIFY_INTERVAL_SECS")?.unwrap_or(300),
            ),
            notify_max_rps: env.positive_or("NOTIFY_MAX_RPS", 5)?,
            audit_retention_days: env.positive_or("AUDIT_RETENTION_DAYS", 400)?,
            metrics_token: env.optional("METRICS_TOKEN").map(SecretString::from),
            log_format: env.choice(
                "LOG_FORMAT",
                &[("text", LogFormat::Text), ("json", LogFormat::Json)],
                LogFormat::Text,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> Env<impl Fn(&str) -> Option<String>> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Env::new(move |k| map.get(k).cloned())
    }

    const REQUIRED: [(&str, &str); 3] = [
        ("COMAKE_API_KEY", "k"),
        ("COMAKE_API_SECRET", "s"),
        ("DISCORD_GUILD_IDS", "1"),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Result<Config, ConfigError> {
        let mut vars = REQUIRED.to_vec();
        vars.extend_from_slice(extra);
        Config::from_lookup(&env(&vars))
    }

    #[test]
    fn the_bot_serves_only_listed_guilds() {
        let vars = [("COMAKE_API_KEY", "k"), ("COMAKE_API_SECRET", "s")];
        let err = Config::from_lookup(&env(&vars)).unwrap_err();
        assert!(matches!(
            err,
            ConfigError::Required {
                var: "DISCORD_GUILD_IDS",
                ..
            }
        ));
        assert!(err.to_string().contains("DISCORD_GUILD_IDS"), "{err}");
        assert!(err.to_string().contains("company's own"), "{err}");
        let blank = Config::from_lookup(&env(&[
            ("COMAKE_API_KEY", "k"),
            ("COMAKE_API_SECRET", "s"),
            ("DISCORD_GUILD_IDS", " , "),
        ]));
        assert!(matches!(blank, Err(ConfigError::Required { .. })));
        assert!(matches!(
            with(&[("DISCORD_GUILD_IDS", "1,0")]),
            Err(ConfigError::Invalid {
                var: "DISCORD_GUILD_IDS",
                ..
            })
        ));
        let cfg = with(&[("ALLOWED_EMAIL_DOMAINS", "@회사.한국")]).unwrap();
        assert_eq!(cfg.allowed_email_domains, ["xn--vf4b131b.xn--3e0b707e"]);
        let cfg = with(&[("DISCORD_GUILD_IDS", "1, 2"), ("ADMIN_ROLE_IDS", "7")]).unwrap();
        assert_eq!(cfg.discord.guild_ids, vec![1, 2]);
        assert_eq!(cfg.discord.admin_role_ids, vec![7]);
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
            assert!(Config::from_lookup(&env(&vars)).is_ok(), "{ok}");
        }
        for (var, bad) in [
            ("COMAKE_API_URL", "http://comake.example/api"),
            ("COMAKE_WEB_URL", "http://10.0.0.5"),
            ("COMAKE_WEB_URL", "http://localhost.evil.example"),
        ] {
            let mut vars = REQUIRED.to_vec();
            vars.push((var, bad));
            match Config::from_lookup(&env(&vars)).unwrap_err() {
                ConfigError::Invalid { var: v, .. } => assert_eq!(v, var, "{bad}"),
                other => panic!("{var}={bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn defaults_apply() {
        let cfg = Config::from_lookup(&env(&REQUIRED)).unwrap();
        assert_eq!(cfg.comake.api_url.as_str(), "https://comake.ai/api");
        assert_eq!(cfg.comake.web_url.as_str(), "https://comake.ai/");
        assert_eq!(cfg.comake.timeout, Duration::from_secs(10));
        assert_eq!(cfg.comake.api_key.expose_secret(), "k");
        assert_eq!(cfg.database_path, PathBuf::from("./data/comake-bot.sled"));
        assert_eq!(
            cfg.registration,
            Registration::Admin,
            "no SMTP, no self-service"
        );
        assert_eq!(cfg.discord.transport, Transport::Gateway);
    }

    #[test]
    fn missing_and_malformed_name_the_variable() {
        let err = Config::from_lookup(&env(&[("COMAKE_API_KEY", "k"), ("DISCORD_GUILD_IDS", "1")]))
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
            match Config::from_lookup(&env(&vars)).unwrap_err() {
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
            Config::from_lookup(&env(&vars)).unwrap_err(),
            ConfigError::Missing("INTERACTIONS_ADDR")
        );
        vars.push(("INTERACTIONS_ADDR", "127.0.0.1:8080"));
        assert_eq!(
            Config::from_lookup(&env(&vars)).unwrap_err(),
            ConfigError::Missing("DISCORD_PUBLIC_KEY")
        );
        let key = "ab".repeat(32);
        vars.push(("DISCORD_PUBLIC_KEY", &key));
        assert_eq!(
            Config::from_lookup(&env(&vars)).unwrap_err(),
            ConfigError::Missing("DISCORD_APPLICATION_ID")
        );
        vars.push(("DISCORD_APPLICATION_ID", "42"));
        let cfg = Config::from_lookup(&env(&vars)).unwrap();
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
        let cfg = Config::from_lookup(&env(&vars)).unwrap();
        let dbg = format!("{cfg:?}");
        assert!(!dbg.contains("bot-token-xyz") && !dbg.contains("\"k\"") && !dbg.contains("\"s\""));
    }

    /// Every variable the code reads is documented in `.env.example`.
    #[test]
    fn env_example_documents_every_variable() {
        let example = include_str!("../.env.example");
        let documented: BTreeSet<&str> = example
            .lines()
            .map(|l| l.trim_start_matches('#').trim())
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
            .collect();
        let e = env(&REQUIRED);
        Config::from_lookup(&e).unwrap();
        let mut read = e.names_read();
        read.extend(crate::config::OTHER_VARIABLES);
        let missing: Vec<_> = read.iter().filter(|v| !documented.contains(*v)).collect();
        assert!(missing.is_empty(), "not in .env.example: {missing:?}");
    }
}
