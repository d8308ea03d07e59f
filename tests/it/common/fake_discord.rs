//! The Discord stand-in (crates/discord-stand-in), under the names the tests use.
#![allow(unused_imports)]

pub use discord_stand_in::{guild_json, message_json, FakeDiscord, RestCall, APP_ID};
