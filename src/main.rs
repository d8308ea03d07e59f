//! The comake-bot binary: parses the command line and hands over to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use comake_bot::api::config::{self, Config, Settings};
use comake_bot::api::{observe, service, store::Store, tasks};

#[derive(Parser)]
#[command(version, about = "A Discord bot for Comake e-contracts", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the bot (the default).
    Run,
    /// Check the configuration, the store, the Comake login and the Discord token.
    Check,
    /// Push the commands in commands/ to Discord and exit.
    RegisterCommands,
    /// Write the accounts and the audit log as JSON Lines (to FILE, or stdout).
    Export { file: Option<PathBuf> },
    /// Restore accounts and audit entries from an export (all or nothing).
    Import {
        file: PathBuf,
        /// Import what can be, even when some accounts are refused.
        #[arg(long)]
        partial: bool,
    },
    /// Exit 0 when the local /healthz says healthy (for container health checks).
    Healthcheck,
}

/// The configuration the bot needs, or every missing or invalid variable
/// at once (with where to get each) and exit code 2.
fn full_config() -> Result<Config, ExitCode> {
    Config::for_the_bot().map_err(|problems| {
        eprint!("{}", config::report(&problems));
        ExitCode::from(2)
    })
}

async fn open_store() -> Result<Store, ExitCode> {
    let database = Settings::from_env()
        .and_then(|s| s.database())
        .map_err(|e| {
            eprintln!("config: FAILED: {e}");
            ExitCode::from(2)
        })?;
    Store::open_configured(&database).await.map_err(|e| {
        eprintln!("{e}");
        ExitCode::FAILURE
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse().command.unwrap_or(Command::Run)).await {
        Ok(code) | Err(code) => code,
    }
}

async fn run(command: Command) -> Result<ExitCode, ExitCode> {
    match command {
        Command::Run => {
            let config = full_config()?;
            service::init_tracing(config.log_format);
            if let Err(e) = service::run(config).await {
                tracing::error!(error = %e, "comake-bot stopped with an error");
                eprintln!("comake-bot: {e}");
                return Err(ExitCode::FAILURE);
            }
        }
        Command::Check => {
            let config = full_config()?;
            if !tasks::check(&config, &mut std::io::stdout()).await {
                return Err(ExitCode::FAILURE);
            }
        }
        Command::RegisterCommands => {
            let config = full_config()?;
            tasks::register_commands(&config).await.map_err(|e| {
                eprintln!("register-commands: {e}");
                ExitCode::FAILURE
            })?;
            println!("registered the commands in commands/");
        }
        Command::Export { file } => {
            let store = open_store().await?;
            let counts = match file {
                Some(path) => {
                    async {
                        let f = tasks::create_private(&path)
                            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                        let mut out = std::io::BufWriter::new(f);
                        let counts = tasks::export(&store, &mut out).await?;
                        out.into_inner()
                            .map_err(|e| e.to_string())?
                            .finish()
                            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                        Ok(counts)
                    }
                    .await
                }
                None => tasks::export(&store, &mut std::io::stdout().lock()).await,
            };
            let (accounts, audit) = counts.map_err(|e| {
                eprintln!("export: {e}");
                ExitCode::FAILURE
            })?;
            eprintln!("exported {accounts} accounts and {audit} audit entries");
        }
        Command::Import { file, partial } => {
            let store = open_store().await?;
            let done = tasks::import(&store, &file, partial).await.map_err(|e| {
                eprintln!("import: {e}");
                ExitCode::FAILURE
            })?;
            eprintln!(
                "imported {} accounts and {} audit entries",
                done.accounts, done.audit
            );
            for refusal in &done.refused {
                eprintln!("refused: {refusal}");
            }
            if !done.refused.is_empty() && !partial {
                eprintln!(
                    "nothing was imported; fix the file, or use --partial to import the rest"
                );
            }
            if !done.refused.is_empty() {
                return Err(ExitCode::FAILURE);
            }
        }
        Command::Healthcheck => {
            let addr = Settings::from_env()
                .map_err(|e| {
                    eprintln!("healthcheck: {e}");
                    ExitCode::FAILURE
                })?
                .health_addr()
                .ok_or_else(|| {
                    eprintln!("healthcheck: HEALTH_ADDR is not set");
                    ExitCode::FAILURE
                })?;
            if let Err(why) = observe::probe(addr).await {
                eprintln!("unhealthy: {why}");
                return Err(ExitCode::FAILURE);
            }
            println!("healthy");
        }
    }
    Ok(ExitCode::SUCCESS)
}
