//! What operators watch: Prometheus metrics through the `metrics` crate, and the `/healthz` and `/metrics` endpoints on `HEALTH_ADDR`.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::app::App;

pub(crate) use crate::metric::*;

const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process's Prometheus recorder, installed on first use.
pub fn metrics() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            Some(handle)
        })
        .as_ref()
}

/// Why the service is not healthy, if it is not.
pub(crate) async fn health(app: &App) -> Result<(), &'static str> {
    if !app.store.is_healthy().await {
        return Err("the store does not answer");
    }
    if !app.transport_up.load(Ordering::SeqCst) && !app.roles.gateway_standby() {
        return Err("the Discord transport is not up");
    }
    Ok(())
}

async fn healthz(State(app): State<Arc<App>>) -> impl IntoResponse {
    let roles = app.roles.names().join(" ");
    match health(&app).await {
        Ok(()) => (StatusCode::OK, format!("ok\nroles: {roles}\n")),
        Err(why) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("unhealthy: {why}\nroles: {roles}\n"),
        ),
    }
}

/// `/metrics`; with `METRICS_TOKEN` set, only for `Authorization: Bearer
/// <token>` (compared in constant time).
async fn prometheus(
    State(app): State<Arc<App>>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    if let Some(token) = &app.config.metrics_token {
        let given = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let expected = secrecy::ExposeSecret::expose_secret(token);
        // ring's HMAC verify compares in constant time.
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"comake-bot metrics token");
        let tag = ring::hmac::sign(&key, expected.as_bytes());
        if ring::hmac::verify(&key, given.as_bytes(), tag.as_ref()).is_err() {
            return (
                StatusCode::UNAUTHORIZED,
                [("www-authenticate", "Bearer")],
                "metrics need the bearer token\n",
            )
                .into_response();
        }
    }
    if let Ok(n) = app.store.account_count().await {
        metrics::gauge!(LINKED_ACCOUNTS).set(n as f64);
    }
    let body = metrics().map(PrometheusHandle::render).unwrap_or_default();
    ([("content-type", "text/plain; version=0.0.4")], body).into_response()
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(prometheus))
        .with_state(app)
}

/// Serve `/healthz` and `/metrics` until `shutdown` completes.
pub(crate) async fn serve(
    app: Arc<App>,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    metrics();
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "serving /healthz and /metrics");
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await
}

/// `comake-bot healthcheck`: ask the local health endpoint. A wildcard
/// listen address is reached on loopback.
pub async fn probe(addr: SocketAddr) -> Result<(), String> {
    let mut target = addr;
    if target.ip().is_unspecified() {
        target.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(3))
        .build()
        .map_err(|e| e.to_string())?;
    let resp = client
        .get(format!("http://{target}/healthz"))
        .send()
        .await
        .map_err(|e| format!("no answer from {target}: {}", e.without_url()))?;
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("{status}: {}", text.trim()))
    }
}
