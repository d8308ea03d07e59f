//! The Comake OPEN API: a typed client with token caching and retries, and the wire names it assumes.
//!
//! - [`wire`]: every path, field and status string the guide does not state.
//! - [`client`]: [`Comake`] (the company's admin side) and [`UserClient`] (one user).
//! - [`token`]: cached tokens, single-flight refresh.
//! - [`retry`]: the pure retry decision.
//! - [`links`]: the web-page URLs that carry a clientToken.
//! - [`error`]: the client's one error type, [`ComakeError`].
//! - [`metrics`]: the names the client reports under (the `metrics` facade).

pub mod client;
pub mod error;
pub mod links;

/// The client's own metric names: it reports through the `metrics` facade
/// and knows nothing of the service that exports them.
pub mod metrics {
    pub const REQUESTS: &str = "comake_bot_comake_requests_total";
    pub const REQUEST_SECONDS: &str = "comake_bot_comake_request_duration_seconds";
    pub const LOGINS: &str = "comake_bot_comake_logins_total";
}
pub mod retry;
pub mod token;
pub mod wire;

pub use client::{Comake, ComakeConfig, Pacer, UserClient};
pub use error::{ComakeError, Refusal};
pub use links::SecretUrl;
