//! The binary's one-shot commands: `check`, `register-commands`, `export` and `import` (`healthcheck` is [`crate::observe::probe`]).

use std::io::{BufRead, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::comake::Comake;
use crate::config::Config;
use crate::discord;
use crate::store::Database;
use crate::store::{Account, AuditEntry, Store};

/// One line of an export: an account or an audit entry.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub(crate) enum Line {
    Account(Account),
    Audit(AuditEntry),
}

/// `comake-bot check`: one line per check, OK or why not; `true` when all pass.
pub async fn check(config: &Config, out: &mut impl Write) -> bool {
    let mut ok = true;
    let mut line = |name: &str, result: Result<String, String>| {
        let text = match &result {
            Ok(detail) => format!("{name}: OK ({detail})"),
            Err(why) => format!("{name}: FAILED: {why}"),
        };
        let _ = writeln!(out, "{text}");
        ok &= result.is_ok();
    };
    line("config", Ok("every variable parsed".into()));
    let store = match Store::open_configured(&config.database).await {
        Ok(store) => store.account_count().await.map(|n| (n, store.is_shared())),
        Err(e) => Err(e),
    };
    line(
        "store",
        store
            .map(|(n, shared)| match &config.database {
                Database::Sled(path) if !shared => {
                    format!("{n} linked accounts at {}", path.display())
                }
                _ => format!("{n} linked accounts in PostgreSQL"),
            })
            .map_err(|e| e.to_string()),
    );
    let comake = match Comake::new(config.comake.clone()) {
        Ok(c) => c.check_admin().await.map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    line(
        "comake",
        comake.map(|()| format!("logged in as admin at {}", config.comake.api_url)),
    );
    let application = match discord::http(&config.discord) {
        Ok(http) => http
            .get_current_application_info()
            .await
            .map_err(|e| match e {
                serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)) => {
                    format!("Discord answered {}: {}", r.status_code, r.error.message)
                }
                _ => "Discord could not be reached".to_owned(),
            }),
        Err(e) => Err(e.to_string()),
    };
    line(
        "discord",
        application
            .as_ref()
            .map(|app| format!("application {} ({})", app.name, app.id))
            .map_err(Clone::clone),
    );
    line(
        "public bot",
        match &application {
            Ok(app) if app.bot_public => Err("Public Bot is on, so anyone can add the bot to \
                 their own server; untick Public Bot on the developer portal's Bot tab"
                .to_owned()),
            Ok(_) => Ok("off: only the application's owners can add the bot".to_owned()),
            Err(_) => Err("unknown: Discord could not be asked".to_owned()),
        },
    );
    line(
        "guilds",
        Ok(format!(
            "serving only {}",
            config
                .discord
                .guild_ids
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    );
    ok
}

/// `comake-bot register-commands`: push `commands/` to Discord.
pub async fn register_commands(config: &Config) -> Result<(), discord::DiscordError> {
    let http = discord::http(&config.discord)?;
    if http.application_id().is_none() {
        let app = http
            .get_current_application_info()
            .await
            .map_err(|e| discord::DiscordError::Api(e.to_string()))?;
        http.set_application_id(app.id);
    }
    discord::register_commands(&http, &config.discord.guild_ids).await
}

/// Create `path` for an export, readable by its owner only (it lists who is
/// who in Comake): a new file of mode 0600 next to it, renamed over it once
/// written (`finish`), so neither a symlink at `path` nor a reader of an
/// older file ever sees the export.
pub fn create_private(path: &Path) -> std::io::Result<PrivateFile> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&temp)?;
    Ok(PrivateFile {
        file,
        temp,
        path: path.to_owned(),
    })
}

/// An export being written; [`PrivateFile::finish`] puts it in place.
pub struct PrivateFile {
    file: std::fs::File,
    temp: std::path::PathBuf,
    path: std::path::PathBuf,
}

impl PrivateFile {
    pub fn finish(self) -> std::io::Result<()> {
        self.file.sync_all()?;
        std::fs::rename(&self.temp, &self.path)
    }
}

impl Write for PrivateFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Drop for PrivateFile {
    fn drop(&mut self) {
        // Unfinished: leave nothing half-written behind.
        let _ = std::fs::remove_file(&self.temp);
    }
}

/// Records read from the store at a time by `export`.
const EXPORT_PAGE: usize = 500;

/// `comake-bot export`: every account, then every audit entry, as JSON
/// Lines, from either backend, a page at a time.
pub async fn export(store: &Store, out: &mut impl Write) -> Result<(usize, usize), String> {
    let mut accounts = 0;
    let mut after = None;
    loop {
        let page = store
            .accounts(after, EXPORT_PAGE)
            .await
            .map_err(|e| e.to_string())?;
        for account in &page {
            write_line(out, &Line::Account(account.clone()))?;
        }
        accounts += page.len();
        match page.last() {
            Some(last) if page.len() == EXPORT_PAGE => after = Some(last.discord_id),
            _ => break,
        }
    }
    let mut audit = 0;
    let mut cursor = None;
    loop {
        let (page, next) = store
            .audit_page(cursor, EXPORT_PAGE)
            .await
            .map_err(|e| e.to_string())?;
        for entry in &page {
            write_line(out, &Line::Audit(entry.clone()))?;
        }
        audit += page.len();
        if page.len() < EXPORT_PAGE || next.is_none() {
            break;
        }
        cursor = next;
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok((accounts, audit))
}

fn write_line(out: &mut impl Write, line: &Line) -> Result<(), String> {
    serde_json::to_writer(&mut *out, line).map_err(|e| e.to_string())?;
    out.write_all(b"\n").map_err(|e| e.to_string())
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub accounts: usize,
    pub audit: usize,
    /// Accounts refused, with why (the email or Discord id is taken).
    pub refused: Vec<String>,
}

/// `comake-bot import FILE [--partial]`: restore an export. When any account
/// is refused nothing is written, unless `partial`.
pub async fn import(store: &Store, file: &Path, partial: bool) -> Result<Imported, String> {
    let reader = std::io::BufReader::new(
        std::fs::File::open(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?,
    );
    let (mut accounts, mut audit) = (Vec::new(), Vec::new());
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| format!("line {}: {e}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Line>(&line).map_err(|e| format!("line {}: {e}", n + 1))? {
            Line::Account(a) => accounts.push(a),
            Line::Audit(e) => audit.push(e),
        }
    }
    let total = accounts.len();
    let audit_count = audit.len();
    let refused = store
        .import(accounts, audit, partial)
        .await
        .map_err(|e| e.to_string())?;
    let written = partial || refused.is_empty();
    Ok(Imported {
        accounts: if written { total - refused.len() } else { 0 },
        audit: if written { audit_count } else { 0 },
        refused: refused
            .into_iter()
            .map(|(a, e)| format!("<@{}> {}: {e}", a.discord_id, a.email))
            .collect(),
    })
}
