//! The real comake-bot binary, started in http mode against the simulator and a fake Discord, with signed requests to drive it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use comake_sim::ComakeSim;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::Value;

use super::fake_discord::{FakeDiscord, APP_ID};

pub fn key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn public_key_hex() -> String {
    hex(key().verifying_key().as_bytes())
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// POST a signed interaction; returns the status and the JSON body.
pub async fn post_signed(addr: SocketAddr, body: &Value) -> (u16, Value) {
    let body = body.to_string();
    let ts = chrono::Utc::now().timestamp().to_string();
    let mut msg = ts.clone().into_bytes();
    msg.extend_from_slice(body.as_bytes());
    let resp = reqwest::Client::new()
        .post(format!("http://{addr}/interactions"))
        .header("x-signature-timestamp", ts)
        .header("x-signature-ed25519", hex(&key().sign(&msg).to_bytes()))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The environment that points the binary at `sim` and `fake`.
pub fn env(sim: &ComakeSim, fake: &FakeDiscord, data: &std::path::Path) -> Vec<(String, String)> {
    [
        ("COMAKE_API_URL", sim.api_url().to_string()),
        ("COMAKE_WEB_URL", sim.web_url().to_string()),
        ("COMAKE_API_KEY", sim.options().api_key.clone()),
        ("COMAKE_API_SECRET", sim.options().api_secret.clone()),
        ("DISCORD_TOKEN", "fake-bot-token-0123456789".into()),
        ("DISCORD_HTTP_PROXY", fake.proxy_url()),
        ("DISCORD_PUBLIC_KEY", public_key_hex()),
        ("DISCORD_APPLICATION_ID", APP_ID.into()),
        ("DISCORD_GUILD_IDS", super::discord::GUILD.to_string()),
        (
            "DATABASE_PATH",
            data.join("store").to_string_lossy().into_owned(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The variables that send registration codes to `smtp`.
pub fn smtp_env(smtp: &super::smtp::SmtpServer) -> Vec<(String, String)> {
    vec![
        ("SMTP_URL".into(), smtp.url()),
        ("SMTP_FROM".into(), "Comake bot <bot@example.com>".into()),
    ]
}

/// `/comake register` over HTTP, then the mailed code through the modal.
/// Returns the interactions' tokens and the code.
pub async fn register_over_http(
    addr: SocketAddr,
    fake: &FakeDiscord,
    smtp: &super::smtp::SmtpServer,
    register: &Value,
) -> (Vec<String>, String) {
    let edits = fake.edits(0).await.len();
    assert_eq!(post_signed(addr, register).await.0, 200);
    fake.edits(edits + 1).await;
    let email = register["data"]["options"][0]["options"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["name"] == "email"))
        .and_then(|o| o["value"].as_str())
        .expect("an email option")
        .to_lowercase();
    let code = smtp
        .mails_to(&email, 1)
        .await
        .last()
        .expect("a code mail")
        .code();
    let actor_id: u64 = register["member"]["user"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let submit = super::discord::modal_payload(
        &super::discord::Actor::user(actor_id),
        "v:submit",
        &[("code", &code)],
    );
    let (status, first) = post_signed(addr, &submit).await;
    assert_eq!(status, 200);
    assert_eq!(first["type"], 6, "{first}");
    fake.edits(edits + 2).await;
    let tokens = [register, &submit]
        .iter()
        .map(|p| p["token"].as_str().unwrap().to_owned())
        .collect();
    (tokens, code)
}

/// Run `comake-bot ARGS` to completion with `env`; returns (success, stdout, stderr).
pub async fn run_once(
    args: &[&str],
    env: &[(String, String)],
    dir: &std::path::Path,
) -> (bool, String, String) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_comake-bot"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .await
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A running bot in http mode.
pub struct Bot {
    pub child: tokio::process::Child,
    pub addr: SocketAddr,
    pub health: SocketAddr,
    pub stderr: PathBuf,
}

impl Bot {
    pub async fn start(env: &[(String, String)], dir: &std::path::Path) -> Self {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let health: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let stderr = dir.join("bot.log");
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_comake-bot"))
            .current_dir(dir)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("TRANSPORT", "http")
            .env("INTERACTIONS_ADDR", addr.to_string())
            .env("HEALTH_ADDR", health.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut bot = Self {
            child,
            addr,
            health,
            stderr,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            assert!(
                Instant::now() < deadline,
                "the bot never listened: {}",
                bot.log()
            );
            assert!(
                bot.child.try_wait().unwrap().is_none(),
                "the bot exited: {}",
                bot.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bot
    }

    /// The bot over the gateway of `fake`; returns once it registered its
    /// commands (it handled READY).
    pub async fn start_gateway(
        env: &[(String, String)],
        dir: &std::path::Path,
        fake: &FakeDiscord,
    ) -> Self {
        let stderr = dir.join("bot.log");
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_comake-bot"))
            .current_dir(dir)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("TRANSPORT", "gateway")
            .env_remove("INTERACTIONS_ADDR")
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let unused: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut bot = Self {
            child,
            addr: unused,
            health: unused,
            stderr,
        };
        let calls = fake
            .wait_for(Duration::from_secs(20), |c| {
                c.iter().filter(|c| c.method == "PUT").count() >= 2
            })
            .await;
        assert!(
            calls.iter().filter(|c| c.method == "PUT").count() >= 2,
            "the bot never registered its commands: {}",
            bot.log()
        );
        assert!(bot.child.try_wait().unwrap().is_none(), "{}", bot.log());
        bot
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Send SIGTERM.
    pub fn terminate(&self) {
        let pid = self.child.id().expect("running");
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Wait (bounded) for the process to exit.
    pub async fn wait(&mut self, limit: Duration) -> std::process::ExitStatus {
        tokio::time::timeout(limit, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("the bot did not exit within {limit:?}: {}", self.log()))
            .unwrap()
    }
}
