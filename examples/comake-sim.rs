//! Runs the Comake simulator on its own, for trying the bot without a Comake account.
//!
//! `cargo run --example comake-sim -- --port 8081` then point the bot at it:
//! `COMAKE_API_URL=http://127.0.0.1:8081/api COMAKE_WEB_URL=http://127.0.0.1:8081`
//! with `COMAKE_API_KEY=sim-api-key COMAKE_API_SECRET=sim-api-secret`.

use std::net::SocketAddr;

use clap::Parser;
use comake_sim::{ComakeSim, SimOptions};

#[derive(Parser)]
#[command(about = "A stateful Comake OPEN API simulator on 127.0.0.1")]
struct Args {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8081)]
    port: u16,
    /// The API key the simulated company was given.
    #[arg(long, default_value = "sim-api-key")]
    api_key: String,
    /// The secret that goes with it.
    #[arg(long, default_value = "sim-api-secret")]
    api_secret: String,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().init();
    let args = Args::parse();
    let opts = SimOptions {
        api_key: args.api_key,
        api_secret: args.api_secret,
        ..SimOptions::default()
    };
    let sim = ComakeSim::start_on(SocketAddr::from(([127, 0, 0, 1], args.port)), opts).await?;
    println!(
        "Comake simulator: API {} web {}",
        sim.api_url(),
        sim.web_url()
    );
    println!("Control: POST {}_sim/users {{\"email\",\"name\"}}, POST {}_sim/contracts {{\"owner\",\"name\",\"parties\"}}, GET {}_sim/log", sim.web_url(), sim.web_url(), sim.web_url());
    tokio::signal::ctrl_c().await?;
    Ok(())
}
