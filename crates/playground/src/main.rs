//! `cargo run -p comake-playground`: the real comake-bot in a browser page, with the Comake simulator as Comake and a Discord stand-in as Discord.
//!
//! # Layout
//! - `world`: the simulator, the stand-in, the mail sink, the bot binary
//!   (a child process over HTTP interactions) and the seeded company.
//! - `interact`: interactions built and signed as Discord does.
//! - `chat`: the messages people see, built from the bot's answers and REST calls.
//! - `spec`: Discord's OpenAPI spec as validators of every body.
//! - `smtp`: the mail sink behind the mail panel.
//! - `web`: the page and its JSON routes; `ids`: ids as strings for it.

mod chat;
mod ids;
mod interact;
mod smtp;
mod spec;
mod web;
mod world;

use std::net::SocketAddr;
use std::sync::Arc;

/// Where the page is served unless `PLAYGROUND_ADDR` says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:8088";

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("comake-playground: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let addr: SocketAddr = std::env::var("PLAYGROUND_ADDR")
        .unwrap_or_else(|_| DEFAULT_ADDR.to_owned())
        .parse()
        .map_err(|e| format!("PLAYGROUND_ADDR is not an address like 127.0.0.1:8088: {e}"))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr} (set PLAYGROUND_ADDR): {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let spec = tokio::task::spawn_blocking(spec::Spec::load);
    let world = world::World::start().await?;
    world.seed_comake().await?;
    let spec = spec.await.map_err(|e| format!("loading the spec: {e}"))??;
    let chat = chat::Chat::new(spec);
    chat.spawn_follower(world.fake.clone());
    interact::link_colleagues(&world, &chat).await?;
    let shared = Arc::new(web::Shared { world, chat });
    println!("Playground: http://{addr}");
    let (stop, stopping) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        stopped().await;
        let _ = stop.send(true);
    });
    let (mut a, mut b) = (stopping.clone(), stopping);
    let serve =
        axum::serve(listener, web::router(shared.clone())).with_graceful_shutdown(async move {
            let _ = a.wait_for(|s| *s).await;
        });
    // Open pages keep polling: give them three seconds, then stop anyway.
    let grace = async move {
        let _ = b.wait_for(|s| *s).await;
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    };
    let served = tokio::select! {
        r = serve => r.map_err(|e| format!("the page stopped: {e}")),
        _ = grace => Ok(()),
    };
    // Dropping the world stops the bot (kill on drop) and removes its store.
    drop(shared);
    served
}

/// Ctrl-C or SIGTERM: stop, so the bot child and its temporary store go too.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
