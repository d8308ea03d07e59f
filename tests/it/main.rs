//! The integration tests, in one binary so the crate is linked once: each module drives the bot against real servers on 127.0.0.1 (the Comake simulator, a fake Discord, an SMTP server).

mod common;

mod board;
mod comake_client;
mod commands;
mod conformance;
mod due;
mod gallery;
mod gateway;
mod guide;
mod handlers;
mod instances;
mod interactions;
mod notify;
mod notify_choices;
mod nudges;
mod onboarding;
mod operations;
mod pending;
mod picking;
mod security;
mod signee_messages;
mod store;
