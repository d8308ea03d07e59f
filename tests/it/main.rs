//! The integration tests, in one binary so the crate is linked once: each module drives the bot against real servers on 127.0.0.1 (the Comake simulator, a fake Discord, an SMTP server).

mod common;

mod comake_client;
mod commands;
mod conformance;
mod due;
mod gallery;
mod gateway;
mod handlers;
mod instances;
mod interactions;
mod notify;
mod operations;
mod security;
mod store;
