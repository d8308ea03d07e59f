//! A stateful Comake simulator on 127.0.0.1: the OPEN API, a stand-in upload page, and a control surface for tests.
//!
//! It serves the API under `/api` (every endpoint of `comake-api.md`, with
//! HS256 JWTs, the state table and Comake's error codes), the upload page under
//! `/contract/upload`, and a control surface under `/_sim` (also available as
//! methods on [`ComakeSim`]): seed users and contracts, make a signee act,
//! revoke tokens, inject latency and failures, read the request log.
//!
//! # Layout
//! - `handle`: [`ComakeSim`] and [`SimOptions`]: start, addresses, and the
//!   methods tests drive the simulator by.
//! - `state`: what every route shares (the company, the signing key, the
//!   control settings).
//! - `auth`: issuing and checking tokens.
//! - `faults`: injected latency and [`Failure`]s, and the request log
//!   ([`LoggedRequest`]), applied to `/api` by one middleware.
//! - `api`: the OPEN API's handlers.
//! - `control`: the `/_sim` routes.
//! - `upload`: the stand-in upload page.
//! - `model`: the company and the state table, free of HTTP.
//! - `error`: [`ApiError`], a refusal as Comake sends it.

mod api;
mod auth;
mod control;
mod error;
mod faults;
mod handle;
mod model;
mod state;
mod upload;

pub use error::ApiError;
pub use faults::{Failure, LoggedRequest};
pub use handle::{ComakeSim, SimOptions};
pub use model::{normalize_email, plausible_email, SigneeAction};
