//! The comake-bot binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use comake_bot::config::Config;

#[derive(Parser)]
#[command(version, about = "A Discord bot for Comake e-contracts")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the configuration and log in to Comake as admin.
    Check,
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
    match cli.command.unwrap_or(Command::Check) {
        Command::Check => match comake_bot::comake::Comake::new(config.comake) {
            Ok(comake) => match comake.check_admin().await {
                Ok(()) => {
                    println!("comake: OK");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    println!("comake: {e}");
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                println!("comake: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
