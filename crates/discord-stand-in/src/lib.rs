//! A Discord stand-in for development: the REST routes and gateway the bot talks to, and Discord's interaction signing.
//!
//! The tests (`tests/it`) and the playground (`crates/playground`) share it;
//! the bot itself never depends on it.

// `guild_json` is one large `json!` literal.
#![recursion_limit = "256"]

mod rest;
mod sign;

pub use rest::{guild_json, message_json, FakeDiscord, RestCall, APP_ID, FIRST_MESSAGE_ID};
pub use sign::{hex, InteractionSigner};
