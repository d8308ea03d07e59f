//! The HTTP transport: Discord POSTs signed interactions to `/interactions`; the first response goes back as the HTTP body, later ones through the REST API.
//!
//! Every request is verified before anything is parsed or stored: Ed25519
//! over `X-Signature-Timestamp` + body (serenity's verifier), a timestamp
//! within 5 minutes of now, a body of at most 1 MiB. Under abuse: headers
//! and body must arrive within their timeouts, connections and requests in
//! progress are capped (503 beyond), and a signed interaction replayed
//! within the window is answered 409 without any work.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;
use serenity::all::{Http, Interaction};
use serenity::interactions_endpoint::Verifier;
use tokio::sync::{oneshot, Semaphore};

use super::{invocation, DiscordError, RestResponder};
use crate::handlers::{dispatch, reply, App, DeliveryError, Responder};

/// The largest interaction body accepted.
pub const MAX_BODY: usize = 1024 * 1024;
/// How far a request's timestamp may be from now.
pub(crate) const MAX_SKEW: Duration = Duration::from_secs(5 * 60);
/// Discord waits 3 s for the first response; answer within this.
const FIRST_RESPONSE: Duration = Duration::from_millis(2800);
/// A request's headers must arrive within this.
pub(crate) const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// A request's body must arrive within this (Discord sends it at once).
pub const BODY_TIMEOUT: Duration = Duration::from_secs(2);
/// Open connections; one more is closed at once.
pub(crate) const MAX_CONNECTIONS: usize = 1024;
/// Requests being read or answered; one more is answered 503.
pub const MAX_REQUESTS: usize = 128;
#[derive(Clone)]
struct Endpoint {
    app: Arc<App>,
    http: Arc<Http>,
    verifier: Verifier,
    requests: Arc<Semaphore>,
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

    async fn followup(&self, body: Value) -> Result<(), DeliveryError> {
        self.rest.followup(body).await
    }

    async fn post(&self, channel: u64, body: Value) -> Result<u64, DeliveryError> {
        self.rest.post(channel, body).await
    }
}

/// Whether the signature headers are there and of the right shape: a
/// request without them takes no request slot.
fn signed_shape(headers: &HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let signature = header("x-signature-ed25519")
        .is_some_and(|s| s.len() == 128 && s.bytes().all(|b| b.is_ascii_hexdigit()));
    let timestamp = header("x-signature-timestamp")
        .is_some_and(|t| (1..=20).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()));
    signature && timestamp
}

async fn interactions(State(ep): State<Endpoint>, headers: HeaderMap, body: Body) -> Response {
    if !signed_shape(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let Ok(_request) = ep.requests.clone().try_acquire_owned() else {
        metrics::counter!(crate::observe::HTTP_REFUSED, "why" => "busy").increment(1);
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let body = match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_BODY)).await
    {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        Err(_) => {
            metrics::counter!(crate::observe::HTTP_REFUSED, "why" => "slow").increment(1);
            return StatusCode::REQUEST_TIMEOUT.into_response();
        }
    };
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
    match ep.app.first_delivery(interaction.id().get()).await {
        Ok(true) => {}
        Ok(false) => {
            metrics::counter!(crate::observe::HTTP_REFUSED, "why" => "replay").increment(1);
            tracing::warn!("refused a replayed interaction");
            return StatusCode::CONFLICT.into_response();
        }
        Err(e) => {
            // Without the shared replay set a replay cannot be told apart,
            // so nothing is done; the person is told privately why, with
            // an id that finds this line.
            let id = crate::handlers::error_id();
            metrics::counter!(crate::observe::HTTP_REFUSED, "why" => "store").increment(1);
            tracing::error!(error = %e, error_id = %id, "cannot check for a replay: the store is unavailable");
            let text = ep.app.i18n.t(
                crate::i18n::Lang::from_locale(&inv.locale),
                "error-store-down",
                &crate::args!["id" => id],
            );
            return Json(reply::message(&reply::Reply::text(text))).into_response();
        }
    }
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
            requests: Arc::new(Semaphore::new(MAX_REQUESTS)),
        })
}

/// What the interactions port allows before a request's body.
const LIMITS: super::server::Limits = super::server::Limits {
    port: "interactions",
    header_timeout: HEADER_TIMEOUT,
    max_connections: MAX_CONNECTIONS,
    drain: FIRST_RESPONSE,
};

/// Serve `router` on `listener` until `shutdown` completes, with a header
/// timeout and a cap on open connections. At shutdown, idle connections
/// close at once and the others get `FIRST_RESPONSE` to finish: a slow
/// client cannot hold the shutdown.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send,
) {
    super::server::serve(listener, router, shutdown, LIMITS).await;
}

/// Serve interactions on `addr` until `shutdown` completes; then stop taking
/// new ones. Commands are registered first, as over the gateway.
pub async fn run(
    app: Arc<App>,
    http: Http,
    addr: SocketAddr,
    public_key: [u8; 32],
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DiscordError> {
    let config = &app.config.discord;
    let verifier = Verifier::try_new(public_key).map_err(|_| {
        DiscordError::Api("DISCORD_PUBLIC_KEY is not a valid Ed25519 public key".into())
    })?;
    let http = Arc::new(http);
    super::register_commands(&http, &config.guild_ids).await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| DiscordError::Api(format!("cannot listen on {addr}: {e}")))?;
    tracing::info!(%addr, "serving Discord interactions at POST /interactions");
    app.transport_up.store(true, Ordering::SeqCst);
    serve(listener, router(app.clone(), http, verifier), shutdown).await;
    app.transport_up.store(false, Ordering::SeqCst);
    Ok(())
}
