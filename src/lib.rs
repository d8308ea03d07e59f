//! # comake-bot
//!
//! A Discord bot that lets a company's people do their Comake e-contract work
//! with slash commands.
//!
//! # Layout
//! - [`config`]: the environment, parsed once into a typed [`config::Config`].
//! - [`discord`]: command definitions, interaction conversion, the gateway transport.
//! - [`i18n`]: English and Korean messages (Fluent files in `locales/`).
//! - [`mail`]: the one-time registration codes, over SMTP.
//! - [`comake`]: the Comake OPEN API client (the one outside party we call for contracts).
//! - [`handlers`]: the slash commands, independent of how Discord delivers them.
//! - [`notify`]: the watcher that DMs people when their contracts move.
//! - [`observe`]: metrics, `/healthz` and `/metrics`.
//! - [`service`]: wiring: logging, start-up, transports, shutdown.
//! - [`sim`]: a stateful Comake simulator on 127.0.0.1 for tests, benchmarks and trying the bot.
//! - [`store`]: our own state in sled: account links and the audit log, durable on return.
//! - [`text`]: third-party text made inert and shortened to fit.
//! - [`tasks`]: the one-shot commands: check, register-commands, export, import.
//! - [`validate`]: checks on what people type.

pub mod comake;
pub mod config;
pub mod discord;
pub mod handlers;
pub mod i18n;
pub mod mail;
pub mod notify;
pub mod observe;
pub mod service;
pub mod sim;
pub mod store;
pub mod tasks;
pub mod text;
pub mod validate;
