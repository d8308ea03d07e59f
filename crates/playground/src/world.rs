//! The world the bot runs in: the Comake simulator, the Discord stand-in, the mail sink, the bot binary itself, and the seeded company.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use comake::wire::{BoxTab, ContractId, ContractStatus, SigneeInput};
use comake::{Comake, ComakeConfig};
use comake_sim::{ComakeSim, SimOptions};
use discord_stand_in::{FakeDiscord, InteractionSigner, APP_ID};
use secrecy::SecretString;
use serde::Serialize;

use crate::smtp::MailSink;

/// The server the playground's channel is in.
pub(crate) const GUILD: u64 = 900_000_000_000_000_001;
/// The playground's one channel.
pub(crate) const CHANNEL: u64 = 700_000_000_000_000_001;

/// A colleague on the company's Discord server.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Person {
    #[serde(serialize_with = "crate::ids::ser")]
    pub(crate) id: u64,
    pub(crate) name: &'static str,
    pub(crate) username: &'static str,
    pub(crate) email: &'static str,
    pub(crate) admin: bool,
    /// Linked to Comake at start (the others register on the page).
    pub(crate) linked: bool,
}

pub(crate) const PEOPLE: [Person; 3] = [
    Person {
        id: 100_000_000_000_000_101,
        name: "김민지",
        username: "minji",
        email: "minji.kim@acme.example",
        admin: true,
        linked: true,
    },
    Person {
        id: 100_000_000_000_000_102,
        name: "Alex Morgan",
        username: "alex",
        email: "alex.morgan@acme.example",
        admin: false,
        linked: true,
    },
    Person {
        id: 100_000_000_000_000_103,
        name: "박서준",
        username: "seojun",
        email: "seojun.park@acme.example",
        admin: false,
        linked: false,
    },
];

/// The server's owner, who links the colleagues at start (admins cannot
/// link themselves); not in the person switcher.
pub(crate) const SETUP: Person = Person {
    id: 100_000_000_000_000_100,
    name: "Server owner",
    username: "owner",
    email: "owner@acme.example",
    admin: true,
    linked: false,
};

/// The outside signee: no Discord account, signs on Comake's page.
pub(crate) const OUTSIDE: (&str, &str) = ("Jordan Lee", "jordan.lee@partner.example");

pub(crate) fn person(id: u64) -> Option<&'static Person> {
    PEOPLE.iter().chain([&SETUP]).find(|p| p.id == id)
}

/// Everything running, for the web routes.
pub(crate) struct World {
    pub(crate) sim: ComakeSim,
    pub(crate) comake: Comake,
    pub(crate) fake: Arc<FakeDiscord>,
    pub(crate) mail: MailSink,
    pub(crate) signer: InteractionSigner,
    pub(crate) bot: Bot,
}

/// The comake-bot binary, next to this one.
pub(crate) fn bot_binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("COMAKE_BOT_BIN") {
        return Ok(PathBuf::from(path));
    }
    let me = std::env::current_exe().map_err(|e| format!("cannot tell where I run from: {e}"))?;
    let dir = me.parent().ok_or("cannot tell where I run from")?;
    build_bot(dir)?;
    // Binaries sit in target/<profile>/; test executables in target/<profile>/deps/.
    let name = format!("comake-bot{}", std::env::consts::EXE_SUFFIX);
    for candidate in [dir.join(&name), dir.join("..").join(&name)] {
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    Err(format!(
        "the bot binary is not built next to the playground ({}): run `cargo build -p comake-bot` \
         (with --release if you run the playground with --release), or set COMAKE_BOT_BIN",
        dir.join(&name).display()
    ))
}

/// Started by `cargo run` (which sets `CARGO`): build the bot binary first,
/// with the playground's own profile, so that `cargo run -p
/// comake-playground` alone runs the bot as the source is now (a second or
/// so when it is up to date). Started any other way, the binary beside the
/// playground's is used as it is.
fn build_bot(dir: &std::path::Path) -> Result<(), String> {
    let Some(cargo) = std::env::var_os("CARGO") else {
        return Ok(());
    };
    let mut build = std::process::Command::new(cargo);
    build.args([
        "build",
        "--quiet",
        "-p",
        "comake-bot",
        "--bin",
        "comake-bot",
    ]);
    if dir.file_name().is_some_and(|name| name == "release") {
        build.arg("--release");
    }
    let status = build
        .status()
        .map_err(|e| format!("cannot run cargo to build the bot: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("building the bot failed (cargo said why, above)".into())
    }
}

/// The bot as a child process over its HTTP interactions transport.
pub(crate) struct Bot {
    child: std::sync::Mutex<tokio::process::Child>,
    pub(crate) addr: SocketAddr,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Bot {
    pub(crate) fn log(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// Whether the process still runs.
    pub(crate) fn running(&self) -> bool {
        let mut child = self.child.lock().unwrap_or_else(|p| p.into_inner());
        matches!(child.try_wait(), Ok(None))
    }
}

fn free_addr() -> Result<SocketAddr, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}

async fn start_bot(
    binary: &Path,
    sim: &ComakeSim,
    fake: &FakeDiscord,
    mail: &MailSink,
    signer: &InteractionSigner,
) -> Result<Bot, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
    let addr = free_addr()?;
    let log = dir.path().join("bot.log");
    let log_file =
        std::fs::File::create(&log).map_err(|e| format!("cannot write the bot's log: {e}"))?;
    let env = [
        ("COMAKE_API_URL", sim.api_url().to_string()),
        ("COMAKE_WEB_URL", sim.web_url().to_string()),
        ("COMAKE_API_KEY", sim.options().api_key.clone()),
        ("COMAKE_API_SECRET", sim.options().api_secret.clone()),
        ("DISCORD_TOKEN", "playground-bot-token-0123456789".into()),
        ("DISCORD_HTTP_PROXY", fake.proxy_url()),
        ("DISCORD_PUBLIC_KEY", signer.public_key_hex()),
        ("DISCORD_APPLICATION_ID", APP_ID.into()),
        ("DISCORD_GUILD_IDS", GUILD.to_string()),
        (
            "DATABASE_PATH",
            dir.path().join("store").to_string_lossy().into_owned(),
        ),
        ("TRANSPORT", "http".into()),
        ("INTERACTIONS_ADDR", addr.to_string()),
        // The watcher moves DMs and cards within seconds.
        ("NOTIFY_INTERVAL_SECS", "2".into()),
        ("NOTIFY_MAX_IDLE_SECS", "4".into()),
        ("SMTP_URL", mail.url()),
        ("SMTP_FROM", "Comake bot <bot@acme.example>".into()),
        ("REGISTRATION", "open".into()),
    ];
    let mut child = tokio::process::Command::new(binary)
        .current_dir(dir.path())
        .env_clear()
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .envs(std::env::var("PATH").ok().map(|p| ("PATH", p)))
        .stdout(std::process::Stdio::null())
        .stderr(log_file)
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        let exited = !matches!(child.try_wait(), Ok(None));
        if exited || Instant::now() >= deadline {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!(
                "the bot {} :\n{text}",
                if exited { "exited" } else { "never listened" }
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(Bot {
        child: std::sync::Mutex::new(child),
        addr,
        log,
        _dir: dir,
    })
}

impl World {
    pub(crate) async fn start() -> Result<Self, String> {
        let binary = bot_binary()?;
        let (sim, fake, mail, spec_signer) = (
            ComakeSim::start(SimOptions::default())
                .await
                .map_err(|e| format!("the Comake simulator cannot start: {e}"))?,
            FakeDiscord::try_start()
                .await
                .map_err(|e| format!("the Discord stand-in cannot start: {e}"))?,
            MailSink::start().map_err(|e| format!("the mail sink cannot start: {e}"))?,
            InteractionSigner::from_seed(rand_seed()),
        );
        let comake = Comake::new(ComakeConfig {
            api_url: sim.api_url(),
            web_url: sim.web_url(),
            api_key: SecretString::from(sim.options().api_key.clone()),
            api_secret: SecretString::from(sim.options().api_secret.clone()),
            timeout: Duration::from_secs(10),
        })
        .map_err(|e| format!("the Comake client: {e}"))?;
        fake.set_guild_name("Acme Corp");
        for p in PEOPLE.iter().chain([&SETUP]) {
            fake.set_member(p.id, p.username, p.name);
        }
        let bot = start_bot(&binary, &sim, &fake, &mail, &spec_signer).await?;
        Ok(Self {
            sim,
            comake,
            fake: Arc::new(fake),
            mail,
            signer: spec_signer,
            bot,
        })
    }

    /// The company: colleagues in Comake, and contracts in every state.
    pub(crate) async fn seed_comake(&self) -> Result<(), String> {
        let sim = &self.sim;
        let e = |what: &str, err: &dyn std::fmt::Display| format!("seeding {what}: {err}");
        for p in PEOPLE.iter().filter(|p| p.linked) {
            sim.add_user(p.email, p.name)
                .map_err(|x| e("a colleague", &x.message))?;
        }
        let [minji, alex, seojun] = [&PEOPLE[0], &PEOPLE[1], &PEOPLE[2]];
        let outside = SigneeInput {
            party: 1,
            name: OUTSIDE.0.into(),
            email: OUTSIDE.1.into(),
            phone: None,
            kakao: false,
            password: None,
            message: Some("검토 후 서명 부탁드립니다.".into()),
        };
        let us = |name: &str, email: &str| SigneeInput {
            party: 0,
            name: name.into(),
            email: email.into(),
            phone: None,
            kakao: false,
            password: None,
            message: None,
        };
        let seed =
            |owner: &str, name: &str, signees: Vec<SigneeInput>| -> Result<ContractId, String> {
                let id = sim
                    .seed_contract(
                        owner,
                        name,
                        &["갑 (Acme)", "을 (Partner)"],
                        ContractStatus::Saved,
                    )
                    .map_err(|x| e(name, &x.message))?;
                if !signees.is_empty() {
                    sim.set_signees(owner, &id, signees)
                        .map_err(|x| e(name, &x.message))?;
                }
                Ok(id)
            };
        let both = || vec![us(minji.name, minji.email), outside.clone()];
        let send = |owner: &'static str, id: ContractId| async move {
            self.comake
                .user(owner)
                .request_sign(&id)
                .await
                .map(|_| id)
                .map_err(|x| format!("seeding: {x}"))
        };

        // Saved, ready to send.
        seed(minji.email, "비밀유지계약서 (NDA)", both())?;
        // Saved, no signees yet.
        seed(minji.email, "Consulting agreement", Vec::new())?;
        // Out for signature: the outside signee's turn.
        send(
            minji.email,
            seed(minji.email, "Service agreement 2026", both())?,
        )
        .await?;
        // Received: Alex sent it, Minji signs.
        let received = vec![us(minji.name, minji.email), {
            let mut s = outside.clone();
            s.name = alex.name.into();
            s.email = alex.email.into();
            s
        }];
        send(alex.email, seed(alex.email, "Partnership MOU", received)?).await?;
        // Completed.
        let done = send(
            minji.email,
            seed(minji.email, "사무실 임대차 계약", both())?,
        )
        .await?;
        for party in [0, 1] {
            sim.signee_acts(&done, party, comake_sim::SigneeAction::Sign)
                .map_err(|x| e("a completed contract", &x.message))?;
        }
        // Declined by the outside signee.
        let declined = send(minji.email, seed(minji.email, "Supply contract", both())?).await?;
        sim.signee_acts(&declined, 1, comake_sim::SigneeAction::Reject)
            .map_err(|x| e("a declined contract", &x.message))?;
        // Withdrawn by the sender.
        let withdrawn = send(
            minji.email,
            seed(minji.email, "용역 계약서 (철회)", both())?,
        )
        .await?;
        self.comake
            .user(minji.email)
            .cancel_sign(&withdrawn, Some("조건 변경으로 다시 보냅니다"))
            .await
            .map_err(|x| e("a withdrawn contract", &x))?;
        // A two-step approval line: Alex, then 박서준.
        let line = [(alex.name, alex.email), (seojun.name, seojun.email)];
        let approving = seed(
            minji.email,
            "Annual budget contract (2-step approval)",
            both(),
        )?;
        sim.request_approval(minji.email, &approving, &line)
            .map_err(|x| e("an approval line", &x.message))?;
        // Approved, rejected and withdrawn approvals.
        let approved = seed(minji.email, "Equipment lease (approved)", both())?;
        sim.request_approval(minji.email, &approved, &line[..1])
            .and_then(|_| sim.approver_acts(&approved, true, None))
            .map_err(|x| e("an approved contract", &x.message))?;
        let rejected = seed(minji.email, "Marketing agency deal", both())?;
        sim.request_approval(minji.email, &rejected, &line[..1])
            .and_then(|_| sim.approver_acts(&rejected, false, Some("예산 초과입니다")))
            .map_err(|x| e("a rejected approval", &x.message))?;
        let cancelled = seed(minji.email, "Software license (approval withdrawn)", both())?;
        sim.request_approval(minji.email, &cancelled, &line[..1])
            .and_then(|_| sim.cancel_approval(minji.email, &cancelled))
            .map_err(|x| e("a withdrawn approval", &x.message))?;
        Ok(())
    }

    /// Every contract any colleague can see, newest first, for the act-as panel.
    pub(crate) async fn contracts(&self) -> Vec<ContractRow> {
        let mut rows: Vec<ContractRow> = Vec::new();
        for p in &PEOPLE {
            let Ok(list) = self
                .comake
                .user(p.email)
                .list_contracts(BoxTab::All, 1, 100)
                .await
            else {
                continue;
            };
            for c in list.contracts {
                if rows.iter().any(|r| r.id == c.id.as_str()) {
                    continue;
                }
                let Some(full) = self.sim.contract(&c.id) else {
                    continue;
                };
                rows.push(ContractRow {
                    id: c.id.to_string(),
                    name: c.name,
                    status: c.status.as_str(),
                    signees: full
                        .signees
                        .iter()
                        .map(|s| Someone {
                            name: s.name.clone(),
                            status: signee_status(s.status),
                        })
                        .collect(),
                    approvers: full
                        .approvers
                        .iter()
                        .map(|a| Someone {
                            name: a.name.clone(),
                            status: approver_status(a.status),
                        })
                        .collect(),
                });
            }
        }
        rows
    }

    /// The other side acts on a contract: a signee who has not signed
    /// (others before the sender), or the next approver.
    pub(crate) fn act(
        &self,
        id: &str,
        action: &str,
        reason: Option<&str>,
    ) -> Result<String, String> {
        let id = ContractId::parse(id).ok_or("no such contract")?;
        let contract = self.sim.contract(&id).ok_or("no such contract")?;
        let owner = contract
            .timeline
            .first()
            .map(|t| t.actor.clone())
            .unwrap_or_default();
        // The other side: the first signee who has not signed and is not
        // the sender; the sender last.
        let unsigned = || {
            contract
                .signees
                .iter()
                .filter(|s| s.status != comake::wire::SigneeStatus::Signed)
        };
        let signee = unsigned()
            .find(|s| s.email != owner)
            .or_else(|| unsigned().next());
        let approver = contract
            .approvers
            .iter()
            .find(|a| a.status == comake::wire::ApproverStatus::Waiting);
        let signee_acts = |action| {
            let s = signee.ok_or("every signee has signed")?;
            self.sim
                .signee_acts(&id, s.party, action)
                .map(|_| s.name.clone())
                .map_err(|e| e.message)
        };
        let approver_name = approver.map(|a| a.name.clone()).unwrap_or_default();
        let done = match action {
            "view" => format!("{} viewed it", signee_acts(comake_sim::SigneeAction::View)?),
            "sign" => format!("{} signed it", signee_acts(comake_sim::SigneeAction::Sign)?),
            "decline" => {
                let s = signee.ok_or("nobody is left to sign")?;
                let reason = reason.filter(|r| !r.trim().is_empty());
                self.sim
                    .signee_declines(&id, s.party, reason)
                    .map_err(|e| e.message)?;
                format!("{} declined it", s.name)
            }
            "approve" => {
                self.sim
                    .approver_acts(&id, true, None)
                    .map_err(|e| e.message)?;
                format!("{approver_name} approved it")
            }
            "reject" => {
                let reason = reason.filter(|r| !r.trim().is_empty()).unwrap_or("—");
                self.sim
                    .approver_acts(&id, false, Some(reason))
                    .map_err(|e| e.message)?;
                format!("{approver_name} rejected it: {reason}")
            }
            "withdraw" => {
                self.sim
                    .cancel_approval(&owner, &id)
                    .map_err(|e| e.message)?;
                "the sender withdrew the approval request".to_owned()
            }
            _ => return Err("no such action".into()),
        };
        Ok(done)
    }
}

/// A contract in the act-as panel.
#[derive(Debug, Serialize)]
pub(crate) struct ContractRow {
    id: String,
    name: String,
    status: &'static str,
    signees: Vec<Someone>,
    approvers: Vec<Someone>,
}

/// A signee or approver and how far they got (a key the page translates).
#[derive(Debug, Serialize)]
pub(crate) struct Someone {
    name: String,
    status: &'static str,
}

fn signee_status(s: comake::wire::SigneeStatus) -> &'static str {
    use comake::wire::SigneeStatus::*;
    match s {
        Waiting => "waiting",
        Viewed => "viewed",
        Signed => "signed",
        Rejected => "rejected",
        Unknown => "unknown",
    }
}

fn approver_status(s: comake::wire::ApproverStatus) -> &'static str {
    use comake::wire::ApproverStatus::*;
    match s {
        Waiting => "waiting",
        Approved => "approved",
        Rejected => "rejected",
        Unknown => "unknown",
    }
}

/// A fresh signing key per run.
fn rand_seed() -> [u8; 32] {
    rand::random()
}
