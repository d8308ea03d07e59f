//! The HTTP transport: Discord POSTs signed interactions to `/interactions`; the first response goes back as the HTTP body, later ones through the REST API.
//!
//! Every request is verified before anything is parsed or stored: Ed25519
//! over `X-Signature-Timestamp` + body (serenity's verifier), a timestamp
//! within 5 minutes of now, a body of at most 1 MiB.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;
use serenity::all::{Http, Interaction};
use serenity::interactions_endpoint::Verifier;
use tokio::sync::oneshot;

use super::{invocation, DiscordError, RestResponder};
use crate::handlers::{dispatch, reply, App, DeliveryError, Responder};

/// The largest interaction body accepted.
pub const MAX_BODY: usize = 1024 * 1024;
/// How far a request's timestamp may be from now.
pub const MAX_SKEW: Duration = Duration::from_secs(5 * 60);
/// Discord waits 3 s for the first response; answer within this.
const FIRST_RESPONSE: Duration = Duration::from_millis(2800);

/// Parse a hex public key, as the developer portal shows it.
pub fn verifier(public_key_hex: &str) -> Option<Verifier> {
    let hex = public_key_hex.trim();
    if hex.len() != 64 {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Verifier::try_new(key).ok()
}

#[derive(Clone)]
struct Endpoint {
    app: Arc<App>,
    http: Arc<Http>,
    verifier: Verifier,
}

/// Why a request was refused before it was read.
fn check(verifier: &Verifier, headers: &HeaderMap, body: &[u8]) -> Result<(), StatusCode> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(signature), Some(timestamp)) = (
        header("x-signature-ed25519"),
        header("x-signature-timestamp"),
    ) else {
        return Err(StatusCode::UNAUTHORIZED);
    };
    verifier
        .verify(signature, timestamp, body)
        .map_err(|()| StatusCode::UNAUTHORIZED)?;
    let sent: i64 = timestamp.parse().map_err(|_| StatusCode::UNAUTHORIZED)?;
    let skew = (chrono::Utc::now().timestamp() - sent).unsigned_abs();
    if skew > MAX_SKEW.as_secs() {
        return Err(StatusCode::UNAUTHORIZED);
    }
    Ok(())
}

/// The first response becomes the HTTP body; the rest go over REST.
struct HttpResponder {
    first: Mutex<Option<oneshot::Sender<Value>>>,
    rest: RestResponder,
}

impl Responder for HttpResponder {
    async fn callback(&self, body: Value) -> Result<(), DeliveryError> {
        let first = self.first.lock().map(|mut f| f.take()).unwrap_or(None);
        match first {
            Some(tx) => tx
                .send(body)
                .map_err(|_| DeliveryError("the HTTP request was gone".into())),
            None => self.rest.callback(body).await,
        }
    }

    async fn edit_original(&self, body: Value) -> Result<(), DeliveryError> {
        self.rest.edit_original(body).await
    }
}

async fn interactions(State(ep): State<Endpoint>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(status) = check(&ep.verifier, &headers, &body) {
        tracing::warn!(
            status = status.as_u16(),
            "refused an unverified interaction request"
        );
        return status.into_response();
    }
    let interaction: Interaction = match serde_json::from_slice(&body) {
        Ok(i) => i,
        Err(e) => {
            tracing::warn!(error = %e, "a signed interaction we cannot read");
            return StatusCode::BAD_REQUEST.into_response();
        }
    };
    if matches!(interaction, Interaction::Ping(_)) {
        return Json(reply::pong()).into_response();
    }
    let Some(inv) = invocation(&interaction) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let (tx, rx) = oneshot::channel();
    let responder = HttpResponder {
        first: Mutex::new(Some(tx)),
        rest: RestResponder::new(ep.http.clone(), &inv),
    };
    let app = ep.app.clone();
    tokio::spawn(async move {
        let _in_flight = app.in_flight();
        dispatch(&app, &inv, &responder).await;
    });
    match tokio::time::timeout(FIRST_RESPONSE, rx).await {
        Ok(Ok(first)) => Json(first).into_response(),
        _ => {
            tracing::error!("no first response in time");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The router serving `POST /interactions`.
pub fn router(app: Arc<App>, http: Arc<Http>, verifier: Verifier) -> Router {
    Router::new()
        .route("/interactions", post(interactions))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(Endpoint {
            app,
            http,
            verifier,
        })
}

/// Serve interactions on `addr` until `shutdown` completes; then stop taking
/// new ones. Commands are registered first, as over the gateway.
pub async fn run(
    app: Arc<App>,
    http: Http,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DiscordError> {
    let config = &app.config.discord;
    let verifier = config
        .public_key
        .as_deref()
        .and_then(verifier)
        .ok_or_else(|| {
            DiscordError::Api("DISCORD_PUBLIC_KEY is not a valid Ed25519 public key".into())
        })?;
    let http = Arc::new(http);
    super::register_commands(&http, &config.guild_ids).await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| DiscordError::Api(format!("cannot listen on {addr}: {e}")))?;
    tracing::info!(%addr, "serving Discord interactions at POST /interactions");
    app.transport_up.store(true, Ordering::SeqCst);
    let result = axum::serve(listener, router(app.clone(), http, verifier))
        .with_graceful_shutdown(shutdown)
        .await;
    app.transport_up.store(false, Ordering::SeqCst);
    result.map_err(|e| DiscordError::Api(e.to_string()))
}
