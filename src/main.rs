//! The comake-bot binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use comake_bot::config::Config;
use comake_bot::service;

#[derive(Parser)]
#[command(version, about = "A Discord bot for Comake e-contracts")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the bot (the default).
    Run,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("configuration: {e}");
            return ExitCode::from(2);
        }
    };
    service::init_tracing(config.log_format);
    match cli.command.unwrap_or(Command::Run) {
        Command::Run => match service::run(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                tracing::error!(error = %e, "comake-bot stopped with an error");
                eprintln!("comake-bot: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
