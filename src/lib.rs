//! # comake-bot
//!
//! A Discord bot that lets a company's people do their Comake e-contract work
//! with slash commands.
//!
//! # Layout
//! - [`config`]: the environment, parsed once into a typed [`config::Config`].
//! - [`comake`]: the Comake OPEN API client (the one outside party we call for contracts).
//! - [`sim`]: a stateful Comake simulator on 127.0.0.1 for tests, benchmarks and trying the bot.
//! - [`store`]: our own state in sled: account links and the audit log, durable on return.

pub mod comake;
pub mod config;
pub mod sim;
pub mod store;
