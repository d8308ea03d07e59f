//! The HTTP/1 server loop both listening ports run on (interactions and health): a header timeout, a cap on open connections, and a bounded shutdown.
//!
//! What a request's body may cost is the router's business (the
//! interactions endpoint reads it under its own timeout; the health port
//! takes none); everything before the body is bounded here.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::sync::{watch, Semaphore};

/// What one port allows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Which port, in log lines.
    pub(crate) port: &'static str,
    /// A request's headers must arrive within this.
    pub(crate) header_timeout: Duration,
    /// Open connections; one more is closed at once.
    pub(crate) max_connections: usize,
    /// At shutdown, how long a connection with a request in progress may
    /// take to finish (idle ones close at once).
    pub(crate) drain: Duration,
}

/// Serve `router` on `listener` until `shutdown` completes, within
/// `limits`. At shutdown, idle connections close at once and the others get
/// `limits.drain` to finish: a slow client cannot hold the shutdown.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send,
    limits: Limits,
) {
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut open = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        tracing::warn!(port = limits.port, error = %e, "could not accept a connection");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let Ok(permit) = connections.clone().try_acquire_owned() else {
                    metrics::counter!(crate::metric::HTTP_REFUSED, "why" => "connections").increment(1);
                    continue;
                };
                let service = hyper_util::service::TowerToHyperService::new(router.clone());
                let mut stop = stop_rx.clone();
                open.spawn(async move {
                    let _permit = permit;
                    let conn = hyper::server::conn::http1::Builder::new()
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(limits.header_timeout)
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                    tokio::pin!(conn);
                    tokio::select! {
                        _ = conn.as_mut() => {}
                        () = async { let _ = stop.wait_for(|s| *s).await.map(|_| ()); } => {
                            conn.as_mut().graceful_shutdown();
                            let _ = tokio::time::timeout(limits.drain, conn).await;
                        }
                    }
                });
                // Reap finished connections as we go.
                while open.try_join_next().is_some() {}
            }
            () = &mut shutdown => break,
        }
    }
    let _ = stop_tx.send(true);
    drop(listener);
    let all_closed = async { while open.join_next().await.is_some() {} };
    if tokio::time::timeout(limits.drain + Duration::from_millis(500), all_closed)
        .await
        .is_err()
    {
        open.abort_all();
    }
}
