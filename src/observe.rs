//! What operators watch: Prometheus metrics through the `metrics` crate, and the `/healthz` and `/metrics` endpoints on `HEALTH_ADDR`.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

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

/// How long `/healthz` reuses the store's last answer.
pub(crate) const STORE_CHECK_TTL: Duration = Duration::from_secs(1);
/// The longest one store check may take before it counts as no answer.
const STORE_CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// The store's last answer to a health check, reused for
/// [`STORE_CHECK_TTL`]: a flood of `/healthz` costs at most one store round
/// trip a second. Checks do not overlap (a caller that arrives during one
/// waits for its answer).
#[derive(Default)]
pub(crate) struct StoreCheck {
    last: tokio::sync::Mutex<Option<(tokio::time::Instant, bool)>>,
}

impl StoreCheck {
    /// The cached answer, or `check`'s when it is older than the TTL.
    pub(crate) async fn healthy<F, Fut>(&self, check: F) -> bool
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = bool>,
    {
        let mut last = self.last.lock().await;
        if let Some((at, healthy)) = *last {
            if at.elapsed() < STORE_CHECK_TTL {
                return healthy;
            }
        }
        let healthy = tokio::time::timeout(STORE_CHECK_TIMEOUT, check())
            .await
            .unwrap_or(false);
        *last = Some((tokio::time::Instant::now(), healthy));
        healthy
    }
}

/// Why the service is not healthy, if it is not; the store's part comes
/// through `store`'s cache.
async fn health(app: &App, store: &StoreCheck) -> Result<(), &'static str> {
    if !store.healthy(|| app.store.is_healthy()).await {
        return Err("the store does not answer");
    }
    if !app.transport_up.load(Ordering::SeqCst) && !app.roles.gateway_standby() {
        return Err("the Discord transport is not up");
    }
    Ok(())
}

/// What the health port's handlers share.
#[derive(Clone)]
struct Health {
    app: Arc<App>,
    store: Arc<StoreCheck>,
}

async fn healthz(State(h): State<Health>) -> impl IntoResponse {
    let roles = h.app.roles.names().join(" ");
    match health(&h.app, &h.store).await {
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
    State(Health { app, .. }): State<Health>,
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

/// The health port takes no request bodies: one that announces a body is
/// answered 413 and its connection closed, so it cannot trickle one in.
async fn no_body(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let headers = request.headers();
    let announced = headers.contains_key(axum::http::header::TRANSFER_ENCODING)
        || headers
            .get(axum::http::header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    if announced {
        metrics::counter!(HTTP_REFUSED, "why" => "body").increment(1);
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            [(axum::http::header::CONNECTION, "close")],
            "this port takes no request body\n",
        )
            .into_response();
    }
    next.run(request).await
}

/// `GET /healthz` and `GET /metrics`.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(prometheus))
        .layer(axum::middleware::from_fn(no_body))
        .with_state(Health {
            app,
            store: Arc::new(StoreCheck::default()),
        })
}

/// What the health port allows: the interactions port's header timeout,
/// and far fewer connections (a scraper and a health check need a few).
pub(crate) const LIMITS: crate::discord::server::Limits = crate::discord::server::Limits {
    port: "health",
    header_timeout: crate::discord::interactions::HEADER_TIMEOUT,
    max_connections: 64,
    drain: Duration::from_secs(1),
};

/// Serve `/healthz` and `/metrics` until `shutdown` completes, on the same
/// hardened server loop as the interactions port.
pub(crate) async fn serve(
    app: Arc<App>,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    metrics();
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "serving /healthz and /metrics");
    serve_on(listener, router(app), shutdown).await;
    Ok(())
}

/// `serve` on a listener already bound.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send,
) {
    crate::discord::server::serve(listener, router, shutdown, LIMITS).await;
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[tokio::test(start_paused = true)]
    async fn healthz_asks_the_store_at_most_once_a_second() {
        let cache = StoreCheck::default();
        let asked = AtomicUsize::new(0);
        let check = || async {
            asked.fetch_add(1, Ordering::SeqCst);
            true
        };
        assert!(cache.healthy(check).await);
        tokio::time::advance(Duration::from_millis(900)).await;
        assert!(cache.healthy(check).await);
        assert_eq!(asked.load(Ordering::SeqCst), 1, "two within a second");
        tokio::time::advance(Duration::from_millis(200)).await;
        assert!(cache.healthy(check).await);
        assert_eq!(asked.load(Ordering::SeqCst), 2, "a second later, again");
        // Concurrent callers share one check; a hung store is no answer.
        tokio::time::advance(STORE_CHECK_TTL).await;
        let hung = || async {
            asked.fetch_add(1, Ordering::SeqCst);
            std::future::pending::<bool>().await
        };
        let (a, b) = tokio::join!(cache.healthy(hung), cache.healthy(hung));
        assert!(!a && !b);
        assert_eq!(asked.load(Ordering::SeqCst), 3);
    }
}
