//! The reply gallery: every command, button, modal, DM, card and the digest through the real handlers and watcher, in English and Korean, compared with docs/gallery/{en,ko}.md (`GALLERY_UPDATE=1` rewrites them).

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use comake_bot::api::discord;
use comake_bot::api::notify::Watcher;
use comake_bot::api::store::{Account, LinkMethod};
use comake_bot::comake::wire::{ContractId, ContractStatus};
use comake_sim::SigneeAction;
use common::discord::{Actor, Answer, Harness, Sent, POSTED_ID};
use common::fake_discord::FakeDiscord;
use serde_json::{json, Value};

const KIM: u64 = 111_111_111_111_111_111;
const LEE: u64 = 222_222_222_222_222_222;
const PARK: u64 = 333_333_333_333_333_333;
const CHOI: u64 = 444_444_444_444_444_444;
const ADMIN: u64 = 555_555_555_555_555_555;
const CHANNEL: u64 = 700_000_000_000_000_001;

/// Raw codes that must never reach a Korean reader.
const RAW_CODES: &[&str] = &[
    "sign_requested",
    "approval_requested",
    "sign_cancelled",
    "sign_rejected",
    "approval_rejected",
    "approval_cancelled",
    // Timeline actions `/contract show` passes on as they come.
    "signees_set",
];

/// English state words that must not stand bare in a Korean reply.
const STATE_WORDS: &[&str] = &[
    "saved",
    "approving",
    "approved",
    "signing",
    "completed",
    "cancelled",
    "rejected",
    "waiting",
    "viewed",
    "signed",
    "created",
];

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    En,
    Ko,
}

/// The fixed names of one language's gallery.
struct Names {
    kim: &'static str,
    lee: &'static str,
    park: &'static str,
    choi: &'static str,
    admin: &'static str,
    nda: &'static str,
    lease: &'static str,
    loan: &'static str,
    budget: &'static str,
    supply: &'static str,
    draft: &'static str,
}

impl Lang {
    fn names(self) -> Names {
        match self {
            Lang::En => Names {
                kim: "Kim Minji",
                lee: "Lee Seoyeon",
                park: "Park Seojun",
                choi: "Choi Yuna",
                admin: "Jung Admin",
                nda: "NDA",
                lease: "Office lease",
                loan: "Loan",
                budget: "Budget",
                supply: "Supply deal",
                draft: "Draft",
            },
            Lang::Ko => Names {
                kim: "김민지",
                lee: "이서연",
                park: "박서준",
                choi: "최유나",
                admin: "정관리",
                nda: "비밀유지계약",
                lease: "사무실 임대차",
                loan: "금전소비대차",
                budget: "예산안",
                supply: "공급계약",
                draft: "초안",
            },
        }
    }

    fn locale(self) -> &'static str {
        match self {
            Lang::En => "en-US",
            Lang::Ko => "ko",
        }
    }

    fn file(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// (English, Korean) pairs of the gallery's own words.
    fn say(self, en: &'static str, ko: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }
}

/// The gallery being written, with the bot around it.
struct Gallery {
    lang: Lang,
    n: Names,
    h: Harness,
    fake: FakeDiscord,
    commands: Vec<Value>,
    /// The section being written.
    out: String,
    /// Sections written so far (title, text), in order of first use; a
    /// command met again later adds to its own section.
    sections: Vec<(String, String)>,
    title: String,
    /// Contract ids and the names they stand for.
    ids: Vec<(String, String)>,
    /// DMs already written, per user.
    seen_dms: Vec<(u64, usize)>,
    card_edits_seen: usize,
}

impl Gallery {
    async fn new(lang: Lang) -> Self {
        let fake = FakeDiscord::start().await;
        let proxy = fake.proxy_url();
        let h = Harness::with_smtp(&[
            ("DISCORD_TOKEN", "fake-bot-token"),
            ("DISCORD_HTTP_PROXY", proxy.as_str()),
            ("DIGEST_TIMEZONE", "Asia/Seoul"),
            ("DIGEST_STALE_DAYS", "1"),
            // The watcher paces its Comake calls; the simulator needs none.
            ("NOTIFY_MAX_RPS", "100"),
        ])
        .await;
        let commands = ["comake", "contract", "comake-admin"]
            .iter()
            .map(|f| {
                let path = format!("{}/commands/{f}.json", env!("CARGO_MANIFEST_DIR"));
                let text = std::fs::read_to_string(path).expect("commands/*.json");
                serde_json::from_str(&text).expect("a command is JSON")
            })
            .collect();
        Self {
            lang,
            n: lang.names(),
            h,
            fake,
            commands,
            out: String::new(),
            sections: Vec::new(),
            title: String::new(),
            ids: Vec::new(),
            seen_dms: Vec::new(),
            card_edits_seen: 0,
        }
    }

    fn name_of(&self, user: u64) -> &'static str {
        match user {
            KIM => self.n.kim,
            LEE => self.n.lee,
            PARK => self.n.park,
            CHOI => self.n.choi,
            _ => self.n.admin,
        }
    }

    fn actor(&self, user: u64) -> Actor {
        let a = Actor {
            locale: self.lang.locale(),
            ..Actor::user(user)
        };
        if user == ADMIN {
            a.admin()
        } else {
            a
        }
    }

    /// A section for a command, named as the reader types it.
    fn section_cmd(&mut self, command: &str) {
        let title = format!("`{}`", self.shown_command(command, &[]));
        self.section(&title);
    }

    /// Puts the section being written back in its place.
    fn store_current(&mut self) {
        let text = std::mem::take(&mut self.out);
        let done = std::mem::take(&mut self.title);
        match self.sections.iter_mut().find(|(t, _)| *t == done) {
            Some((_, body)) => body.push_str(&text),
            None => self.sections.push((done, text)),
        }
    }

    /// Writes under `title` from now on (after what it already holds).
    fn section(&mut self, title: &str) {
        self.store_current();
        self.title = title.to_owned();
        if let Some(i) = self.sections.iter().position(|(t, _)| t == title) {
            self.out = self.sections.remove(i).1;
            self.sections.insert(i, (title.to_owned(), String::new()));
        }
    }

    /// The whole gallery, section by section.
    fn finish(mut self) -> String {
        self.store_current();
        let mut all = String::new();
        for (title, body) in &self.sections {
            if !title.is_empty() {
                if !all.ends_with("\n\n") {
                    all.push('\n');
                }
                all.push_str(&format!("## {title}\n"));
            }
            all.push_str(body);
        }
        all
    }

    /// A contract of `owner` (email) the simulator seeds, remembered for
    /// placeholders.
    fn seed(&mut self, owner: &str, name: &str, status: ContractStatus) -> ContractId {
        let id = self
            .h
            .sim
            .seed_contract(owner, name, &["갑", "을"], status)
            .expect("the simulator seeds a contract");
        self.ids.push((id.as_str().to_owned(), name.to_owned()));
        id
    }

    /// Kim's contract `name`, out for signature to Kim and Lee.
    async fn sent(&mut self, name: &str) -> ContractId {
        let id = self.seed("kim@example.com", name, ContractStatus::Saved);
        self.signees(&id, "kim@example.com", &[KIM, LEE]);
        self.h
            .app
            .comake
            .user("kim@example.com")
            .request_sign(&id)
            .await
            .expect("sent for signature");
        id
    }

    fn signees(&self, id: &ContractId, owner: &str, who: &[u64]) {
        let list = who
            .iter()
            .enumerate()
            .map(|(i, u)| common::plain_signee(i as u32, self.name_of(*u), email(*u)))
            .collect();
        self.h
            .sim
            .set_signees(owner, id, list)
            .expect("the simulator sets signees");
    }

    /// A Comake user with a fixed name, linked to Discord user `id`.
    async fn link(&self, id: u64) {
        let client = self
            .h
            .sim
            .add_user(email(id), self.name_of(id))
            .expect("a Comake user");
        self.h
            .app
            .store
            .link(
                Account {
                    discord_id: id,
                    email: email(id).into(),
                    name: client.name,
                    comake_client_id: client.id.0,
                    linked_at: chrono::Utc::now(),
                    linked_by: id,
                    method: LinkMethod::SelfRegistered,
                },
                false,
            )
            .await
            .expect("linked");
        self.fake
            .set_member(id, &format!("user{id}"), self.name_of(id));
    }

    /// The command as the person types it, in their language.
    fn shown_command(&self, command: &str, options: &[(&str, Value)]) -> String {
        let (group, sub) = command.split_once(' ').unwrap_or((command, ""));
        let ko = |v: &Value| v["name_localizations"]["ko"].as_str().map(str::to_owned);
        let mut out = String::from("/");
        let root = self.commands.iter().find(|c| c["name"] == group);
        let sub_json = root.and_then(|r| {
            r["options"]
                .as_array()
                .and_then(|o| o.iter().find(|s| s["name"] == sub).cloned())
        });
        let local = |v: Option<&Value>, fallback: &str| match (self.lang, v.and_then(ko)) {
            (Lang::Ko, Some(k)) => k,
            _ => fallback.to_owned(),
        };
        out.push_str(&local(root, group));
        out.push(' ');
        out.push_str(&local(sub_json.as_ref(), sub));
        for (name, value) in options {
            let opt = sub_json.as_ref().and_then(|s| {
                s["options"]
                    .as_array()
                    .and_then(|o| o.iter().find(|x| x["name"] == *name).cloned())
            });
            let shown = match value {
                Value::String(s) if opt.as_ref().is_some_and(|o| o["choices"].is_array()) => {
                    let choice = opt.as_ref().and_then(|o| {
                        o["choices"]
                            .as_array()
                            .and_then(|c| c.iter().find(|c| c["value"] == *s).cloned())
                    });
                    let fallback = choice
                        .as_ref()
                        .and_then(|c| c["name"].as_str())
                        .unwrap_or(s)
                        .to_owned();
                    local(choice.as_ref(), &fallback)
                }
                Value::String(s) => self
                    .ids
                    .iter()
                    .find(|(id, _)| id == s)
                    .map_or(s.clone(), |(_, n)| n.clone()),
                Value::Object(o) => format!(
                    "@{}",
                    self.name_of(o.get("user").and_then(Value::as_u64).unwrap_or(0))
                ),
                other => other.to_string(),
            };
            out.push_str(&format!(" {}:{shown}", local(opt.as_ref(), name)));
        }
        out
    }

    fn does(&mut self, who: u64, what: String) {
        let line = match self.lang {
            Lang::En => format!("\n**{}** {what}\n\n", self.name_of(who)),
            Lang::Ko => format!("\n**{}** 님이 {what}\n\n", self.name_of(who)),
        };
        self.out.push_str(&line);
    }

    async fn cmd(&mut self, who: u64, command: &str, options: &[(&str, Value)]) -> Answer {
        let shown = self.shown_command(command, options);
        let what = match self.lang {
            Lang::En => format!("runs `{shown}`"),
            Lang::Ko => format!("`{shown}` 실행"),
        };
        self.does(who, what);
        let a = Box::pin(self.h.command(&self.actor(who), command, options)).await;
        self.answer(&a);
        a
    }

    /// `who` presses the button of `on` whose id starts with `prefix`.
    async fn press(&mut self, who: u64, on: &Value, prefix: &str) -> Answer {
        self.press_as(self.actor(who), who, on, prefix).await
    }

    /// The same, on a DM (no server).
    async fn press_in_dm(&mut self, who: u64, on: &Value, prefix: &str) -> Answer {
        let actor = Actor {
            guild: None,
            ..self.actor(who)
        };
        self.press_as(actor, who, on, prefix).await
    }

    async fn press_as(&mut self, actor: Actor, who: u64, on: &Value, prefix: &str) -> Answer {
        let (label, id) = buttons_of(on)
            .into_iter()
            .find_map(|b| {
                let id = b["custom_id"].as_str()?;
                id.starts_with(prefix).then(|| {
                    (
                        b["label"].as_str().unwrap_or_default().to_owned(),
                        id.to_owned(),
                    )
                })
            })
            .unwrap_or_else(|| panic!("no {prefix} button on {on}"));
        let what = match self.lang {
            Lang::En => format!("presses [{label}]"),
            Lang::Ko => format!("[{label}] 누름"),
        };
        self.does(who, what);
        let payload = common::discord::button_payload(&actor, &id);
        let a = Box::pin(self.h.run_payload(payload)).await;
        self.answer(&a);
        a
    }

    async fn submit(&mut self, who: u64, custom_id: &str, inputs: &[(&str, &str)], shown: &str) {
        let what = match self.lang {
            Lang::En => format!("fills in the form ({shown}) and submits it"),
            Lang::Ko => format!("양식에 {shown} 입력 후 제출"),
        };
        self.does(who, what);
        let a = Box::pin(self.h.submit(&self.actor(who), custom_id, inputs)).await;
        self.answer(&a);
    }

    /// Writes what the person sees of an answer.
    fn answer(&mut self, a: &Answer) {
        let mut shown = None;
        let mut extra = Vec::new();
        for s in &a.sent {
            match s {
                Sent::Callback(b) if b["type"] == 4 || b["type"] == 7 => {
                    shown = Some(b["data"].clone())
                }
                Sent::Callback(b) if b["type"] == 9 => {
                    extra.push(self.modal(&b["data"]));
                }
                Sent::Callback(_) => {}
                Sent::Edit(b) => shown = Some(b.clone()),
                Sent::Followup(b) => extra.push(self.message(b)),
                Sent::Posted(_, b) => {
                    let head = self.lang.say(
                        "Posted in the channel, for everyone:",
                        "채널에 모두가 보도록 게시됨:",
                    );
                    extra.push(format!("{head}\n\n{}", self.message(b)));
                }
            }
        }
        if let Some(m) = shown {
            let m = self.message(&m);
            self.out.push_str(&m);
        }
        for e in extra {
            self.out.push('\n');
            self.out.push_str(&e);
        }
    }

    fn modal(&self, data: &Value) -> String {
        let title = self.clean(data["title"].as_str().unwrap_or_default());
        let mut out = match self.lang {
            Lang::En => format!("A form opens: **{title}**\n"),
            Lang::Ko => format!("양식이 열림: **{title}**\n"),
        };
        for row in data["components"].as_array().into_iter().flatten() {
            for c in row["components"].as_array().into_iter().flatten() {
                let label = self.clean(c["label"].as_str().unwrap_or_default());
                let hint = self.clean(c["placeholder"].as_str().unwrap_or_default());
                if hint.is_empty() {
                    out.push_str(&format!("- {label}\n"));
                } else {
                    out.push_str(&format!("- {label}: `{hint}`\n"));
                }
            }
        }
        out
    }

    /// A message as a person reads it: its text quoted, then its buttons.
    fn message(&self, body: &Value) -> String {
        let text = self.clean(body["content"].as_str().unwrap_or_default());
        let mut out: String = text
            .lines()
            .map(|l| {
                if l.is_empty() {
                    ">\n".to_owned()
                } else {
                    format!("> {l}\n")
                }
            })
            .collect();
        for row in body["components"].as_array().into_iter().flatten() {
            let line: Vec<String> = row["components"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|b| self.button(b))
                .collect();
            if !line.is_empty() {
                out.push_str(&format!("\n{}\n", line.join(" ")));
            }
        }
        out
    }

    fn button(&self, b: &Value) -> String {
        let label = self.clean(b["label"].as_str().unwrap_or_default());
        let mut notes = Vec::new();
        let style = b["style"].as_u64().unwrap_or(0);
        match style {
            1 => notes.push(self.lang.say("primary", "강조")),
            3 => notes.push(self.lang.say("green", "초록")),
            4 => notes.push(self.lang.say("red", "빨강")),
            _ => {}
        }
        if b["disabled"] == true {
            notes.push(self.lang.say("disabled", "비활성"));
        }
        let label = if style == 5 {
            format!("`[{label} ↗]`")
        } else {
            format!("`[{label}]`")
        };
        if notes.is_empty() {
            label
        } else {
            format!("{label} ({})", notes.join(", "))
        }
    }

    /// Text made the same on every run: times, links, ids and mentions.
    fn clean(&self, text: &str) -> String {
        let mut s = text.to_owned();
        for user in [KIM, LEE, PARK, CHOI, ADMIN] {
            s = s.replace(&format!("<@{user}>"), &format!("@{}", self.name_of(user)));
        }
        let ids: Vec<(String, String)> = self
            .ids
            .iter()
            .map(|(id, name)| {
                let shown = match self.lang {
                    Lang::En => format!("id of {name}"),
                    Lang::Ko => format!("{name}의 id"),
                };
                (id.clone(), shown)
            })
            .collect();
        placeholders(&s, &ids)
    }

    /// Kim posts `id`'s status card, off the record.
    async fn share_quietly(&self, id: &ContractId) {
        let kim = self.actor(KIM);
        let options = [("contract", json!(id.as_str()))];
        let shown = Box::pin(self.h.command(&kim, "contract show", &options)).await;
        let asked = Box::pin(self.h.press(&kim, &shown.button("s:share:"))).await;
        let posted = Box::pin(self.h.press(&kim, &asked.button("s:post:"))).await;
        assert_eq!(posted.posted().len(), 1, "{}", posted.text());
    }

    // ----- the watcher -----

    fn watcher(&self) -> Arc<Watcher> {
        let app = self.h.app.clone();
        let http = Arc::new(discord::http(&app.config.discord).expect("a Discord client"));
        Watcher::new(app, http)
    }

    fn dms(&self, user: u64) -> Vec<Value> {
        let channel = format!("/api/v10/channels/9{}/messages", &user.to_string()[1..]);
        self.fake
            .calls()
            .into_iter()
            .filter(|c| c.path == channel && c.method == "POST")
            .map(|c| c.body)
            .collect()
    }

    /// Time passes until `user`'s read is due, and the watcher reads them.
    async fn read(&self, w: &Arc<Watcher>, user: u64) {
        for _ in 0..4 {
            let due = self
                .h
                .app
                .store
                .notify_state(user)
                .await
                .expect("the store reads")
                .and_then(|s| s.next_read);
            if let Some(wait) = due.and_then(|t| (t - comake_bot::now()).to_std().ok()) {
                travel(wait).await;
            }
            if Box::pin(w.tick(comake_bot::now()))
                .await
                .reads
                .read
                .contains(&user)
            {
                return;
            }
        }
        panic!("{user} was never read");
    }

    /// After `what` happened, the watcher reads `users`; their new DMs
    /// are written under `title`, and returned.
    async fn news(&mut self, w: &Arc<Watcher>, users: &[u64], what: &str) -> Vec<Value> {
        let mut all = Vec::new();
        for &user in users {
            self.read(w, user).await;
            let dms = self.dms(user);
            let seen = self
                .seen_dms
                .iter()
                .find(|(u, _)| *u == user)
                .map_or(0, |(_, n)| *n);
            self.seen_dms.retain(|(u, _)| *u != user);
            self.seen_dms.push((user, dms.len()));
            for dm in &dms[seen.min(dms.len())..] {
                let head = match self.lang {
                    Lang::En => format!("\n*{what}:* **{}** gets a DM\n\n", self.name_of(user)),
                    Lang::Ko => format!("\n*{what}:* **{}** 님이 받는 DM\n\n", self.name_of(user)),
                };
                self.out.push_str(&head);
                let m = self.message(dm);
                self.out.push_str(&m);
                all.push(dm.clone());
            }
        }
        all
    }

    /// New edits of the status card, written under `what`.
    fn card_edits(&mut self, what: &str) {
        let path = format!("/api/v10/channels/{CHANNEL}/messages/{POSTED_ID}");
        let edits: Vec<Value> = self
            .fake
            .calls()
            .into_iter()
            .filter(|c| c.method == "PATCH" && c.path == path)
            .map(|c| c.body)
            .collect();
        for e in &edits[self.card_edits_seen.min(edits.len())..] {
            let head = match self.lang {
                Lang::En => format!("\n*{what}:* the status card now reads\n\n"),
                Lang::Ko => format!("\n*{what}:* 상태 카드가 이렇게 바뀜\n\n"),
            };
            self.out.push_str(&head);
            let m = self.message(e);
            self.out.push_str(&m);
        }
        self.card_edits_seen = edits.len();
    }
}

fn email(user: u64) -> &'static str {
    match user {
        KIM => "kim@example.com",
        LEE => "lee@example.com",
        PARK => "park@example.com",
        CHOI => "choi@example.com",
        _ => "admin@example.com",
    }
}

/// `text` with Discord timestamps, links, the contract `ids` (id, what to
/// show) and dates replaced by placeholders, the same on every run.
fn placeholders(text: &str, ids: &[(String, String)]) -> String {
    let mut s = text.to_owned();
    s = replace_runs(&s, "<t:", |rest| {
        rest.find('>').map(|e| (e + 1, "(time)".into()))
    });
    for scheme in ["http://", "https://"] {
        s = replace_runs(&s, scheme, |rest| {
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '`'))
                .unwrap_or(rest.len());
            Some((end, "(link)".into()))
        });
    }
    for (id, name) in ids {
        s = s.replace(id.as_str(), &format!("({name})"));
    }
    replace_runs(&s, "20", |rest| {
        // A date (2026-12-05), with its time when one follows.
        let b = rest.as_bytes();
        let date = b.len() >= 10
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[7] == b'-'
            && b[5..7].iter().chain(&b[8..10]).all(u8::is_ascii_digit);
        if !date {
            return None;
        }
        let timed = b.len() >= 16
            && matches!(b[10], b' ' | b'T')
            && b[13] == b':'
            && b[11..13].iter().chain(&b[14..16]).all(u8::is_ascii_digit);
        Some(if timed {
            (16, "(date time)".into())
        } else {
            (10, "(date)".into())
        })
    })
}

/// The buttons of a message (a callback's data, an edit or a DM).
fn buttons_of(message: &Value) -> Vec<Value> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// What the person finally sees of an answer (a message or an edit).
fn seen(a: &Answer) -> Value {
    a.message()
}

/// Replaces each run starting with `start` by what `end` says (length
/// after `start`'s position, replacement); `None` keeps it.
fn replace_runs(s: &str, start: &str, end: impl Fn(&str) -> Option<(usize, String)>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(start) {
        out.push_str(&rest[..i]);
        match end(&rest[i..]) {
            Some((len, with)) if rest.is_char_boundary(i + len) => {
                out.push_str(&with);
                rest = &rest[i + len..];
            }
            _ => {
                out.push_str(start);
                rest = &rest[i + start.len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Move tokio's clock (and the bot's with it) forward by `by`.
async fn travel(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

/// The next 09:00 in Seoul on the bot's clock.
fn next_nine_in_seoul() -> chrono::DateTime<chrono::Utc> {
    let seoul = chrono_tz::Asia::Seoul;
    let now = comake_bot::now();
    let nine = now
        .with_timezone(&seoul)
        .date_naive()
        .and_hms_opt(9, 0, 0)
        .and_then(|t| chrono::TimeZone::from_local_datetime(&seoul, &t).single())
        .expect("09:00 exists in Seoul")
        .with_timezone(&chrono::Utc);
    if nine <= now {
        nine + chrono::Duration::days(1)
    } else {
        nine
    }
}

/// The whole gallery of one language.
async fn gallery(lang: Lang) -> String {
    let mut g = Gallery::new(lang).await;
    let (kim, lee, park, choi, admin) = (KIM, LEE, PARK, CHOI, ADMIN);
    let title = lang.say(
        "# Reply gallery (English)\n\nEvery reply of the bot as a person reads it, grouped by command: generated by `tests/it/gallery.rs` against the Comake simulator (`GALLERY_UPDATE=1 cargo test gallery` rewrites it). Buttons are shown as `[Label]`; `↗` marks a link.\n",
        "# 답장 모음 (한국어)\n\n봇의 모든 답장을 사람이 읽는 그대로, 명령어별로 모았습니다. `tests/it/gallery.rs`가 코메이크 시뮬레이터로 만듭니다(`GALLERY_UPDATE=1 cargo test gallery`로 다시 씀). 버튼은 `[이름]`, 링크 버튼은 `↗`로 표시합니다.\n",
    );
    g.out.push_str(title);
    g.link(kim).await;
    g.link(lee).await;
    g.h.sim
        .add_user(email(choi), g.n.choi)
        .expect("a Comake user");

    // ----- /comake -----
    g.section_cmd("comake help");
    g.cmd(kim, "comake help", &[]).await;

    g.section_cmd("comake whoami");
    g.cmd(kim, "comake whoami", &[]).await;
    g.cmd(lee, "comake whoami", &[]).await;
    g.cmd(park, "comake whoami", &[]).await;

    g.section_cmd("comake register");
    let a = g
        .cmd(
            park,
            "comake register",
            &[("email", json!(email(park))), ("name", json!(g.n.park))],
        )
        .await;
    g.press(park, &seen(&a), "v:enter").await;
    let mails = g.h.smtp().mails_to(email(park), 1).await;
    let code = mails.last().expect("the code mail arrived").code();
    let typed = lang.say("the code from the mail", "메일로 받은 코드");
    g.submit(park, "v:submit", &[("code", &code)], typed).await;
    g.cmd(
        kim,
        "comake register",
        &[("email", json!(email(kim))), ("name", json!(g.n.kim))],
    )
    .await;

    g.section_cmd("comake notifications");
    g.cmd(kim, "comake notifications", &[]).await;
    g.cmd(kim, "comake notifications", &[("enabled", json!(false))])
        .await;
    g.cmd(kim, "comake notifications", &[("enabled", json!(true))])
        .await;
    g.cmd(choi, "comake notifications", &[]).await;

    // ----- /contract -----
    let nda = g.seed(email(kim), g.n.nda, ContractStatus::Saved);
    for i in 1..=10 {
        g.seed(
            email(kim),
            &format!("{} {i:02}", g.n.draft),
            ContractStatus::Saved,
        );
    }
    g.section_cmd("contract new");
    g.cmd(kim, "contract new", &[]).await;
    g.cmd(choi, "contract new", &[]).await;

    g.section_cmd("contract edit");
    g.cmd(kim, "contract edit", &[("contract", json!(nda.as_str()))])
        .await;
    g.cmd(lee, "contract edit", &[("contract", json!(nda.as_str()))])
        .await;

    g.section_cmd("contract list");
    let a = g.cmd(kim, "contract list", &[]).await;
    g.press(kim, &seen(&a), "l:").await;
    g.cmd(
        kim,
        "contract list",
        &[("status", json!("preparing")), ("page", json!(9))],
    )
    .await;

    g.section_cmd("contract signee");
    let party = |p: &str| ("party", json!(p));
    g.cmd(
        kim,
        "contract signee",
        &[
            ("contract", json!(nda.as_str())),
            party("갑"),
            ("name", json!(g.n.kim)),
            ("email", json!(email(kim))),
        ],
    )
    .await;
    g.cmd(
        kim,
        "contract signee",
        &[
            ("contract", json!(nda.as_str())),
            party("을"),
            ("name", json!(g.n.lee)),
            ("email", json!(email(lee))),
        ],
    )
    .await;
    g.cmd(
        kim,
        "contract signee",
        &[
            ("contract", json!(nda.as_str())),
            party("병"),
            ("name", json!(g.n.lee)),
            ("email", json!(email(lee))),
        ],
    )
    .await;
    // A signee set on the website: its request message can't be known.
    let web = g.seed(
        email(kim),
        &format!("{} (web)", g.n.nda),
        ContractStatus::Saved,
    );
    g.signees(&web, email(kim), &[LEE]);
    g.cmd(
        kim,
        "contract signee",
        &[
            ("contract", json!(web.as_str())),
            party("을"),
            ("name", json!(g.n.kim)),
            ("email", json!(email(kim))),
        ],
    )
    .await;

    // Signees picked by who they are (on a draft); and a member not linked.
    let picked = g.ids[4].0.clone();
    g.cmd(
        kim,
        "contract signee",
        &[
            ("contract", json!(picked)),
            party("을"),
            ("member", json!({"user": lee})),
        ],
    )
    .await;
    g.cmd(
        kim,
        "contract signee",
        &[
            ("contract", json!(picked)),
            party("갑"),
            ("me", json!(true)),
        ],
    )
    .await;
    g.cmd(
        kim,
        "contract signee",
        &[
            ("contract", json!(picked)),
            party("을"),
            ("member", json!({"user": choi})),
        ],
    )
    .await;

    let w = g.watcher();
    g.read(&w, kim).await;
    g.read(&w, lee).await;

    g.section_cmd("contract request-sign");
    let a = g
        .cmd(
            kim,
            "contract request-sign",
            &[("contract", json!(nda.as_str()))],
        )
        .await;
    g.press(kim, &seen(&a), "c:ok:").await;
    let draft = g.ids[1].0.clone();
    g.cmd(kim, "contract request-sign", &[("contract", json!(draft))])
        .await;
    g.news(
        &w,
        &[lee],
        lang.say("Kim sends it", "김민지 님이 서명 요청"),
    )
    .await;

    g.section_cmd("contract pending");
    let choi_deal = g.seed(email(choi), g.n.supply, ContractStatus::Saved);
    g.signees(&choi_deal, email(choi), &[choi, lee]);
    g.h.app
        .comake
        .user(email(choi))
        .request_sign(&choi_deal)
        .await
        .expect("sent");
    g.cmd(lee, "contract pending", &[]).await;
    let dm = g
        .news(
            &w,
            &[lee],
            lang.say("Choi sends one too", "최유나 님도 서명 요청"),
        )
        .await;
    if let Some(dm) = dm.first() {
        g.press_in_dm(lee, dm, "n:sign:").await;
    }
    g.cmd(park, "contract pending", &[]).await;

    g.section_cmd("contract show");
    let a = g
        .cmd(kim, "contract show", &[("contract", json!(nda.as_str()))])
        .await;
    let asked = g.press(kim, &seen(&a), "s:share:").await;
    g.press(kim, &seen(&asked), "s:no").await;
    let asked = g.press(kim, &seen(&a), "s:share:").await;
    g.press(kim, &seen(&asked), "s:post:").await;
    g.cmd(kim, "contract show", &[("contract", json!(nda.as_str()))])
        .await;
    g.cmd(lee, "contract show", &[("contract", json!(nda.as_str()))])
        .await;
    g.cmd(park, "contract show", &[("contract", json!(nda.as_str()))])
        .await;
    let a = g
        .cmd(kim, "contract show", &[("contract", json!(draft))])
        .await;
    g.press(kim, &seen(&a), "a:edit:").await;

    g.section(lang.say("Notifications and the status card", "알림과 상태 카드"));
    g.h.sim
        .signee_acts(&nda, 1, SigneeAction::View)
        .expect("viewed");
    g.news(
        &w,
        &[kim],
        lang.say("Lee opens the NDA", "이서연 님이 계약을 열어 봄"),
    )
    .await;
    g.card_edits(lang.say("Lee opens the NDA", "이서연 님이 계약을 열어 봄"));
    g.h.sim
        .signee_acts(&nda, 1, SigneeAction::Sign)
        .expect("signed");
    g.news(&w, &[kim], lang.say("Lee signs", "이서연 님이 서명"))
        .await;
    g.card_edits(lang.say("Lee signs", "이서연 님이 서명"));
    g.h.sim
        .signee_acts(&nda, 0, SigneeAction::Sign)
        .expect("signed");
    g.news(
        &w,
        &[kim, lee],
        lang.say("Kim signs too", "김민지 님도 서명"),
    )
    .await;
    g.card_edits(lang.say(
        "Kim signs too: the card's last edit",
        "김민지 님도 서명: 카드의 마지막 수정",
    ));

    let lease = g.sent(g.n.lease).await;
    g.news(
        &w,
        &[kim, lee],
        lang.say("Kim sends the lease", "김민지 님이 임대차 서명 요청"),
    )
    .await;
    g.h.sim
        .signee_acts(&lease, 1, SigneeAction::Reject)
        .expect("rejected");
    g.news(
        &w,
        &[kim],
        lang.say("Lee declines the lease", "이서연 님이 서명 거절"),
    )
    .await;

    // Sequential: Lee first, then Kim: Kim's turn comes.
    let seq = g.seed(email(choi), g.n.loan, ContractStatus::Saved);
    g.h.sim.set_sequential(&seq, true).expect("sequential");
    g.signees(&seq, email(choi), &[lee, kim]);
    g.h.app
        .comake
        .user(email(choi))
        .request_sign(&seq)
        .await
        .expect("sent");
    g.news(
        &w,
        &[kim, lee],
        lang.say(
            "Choi sends a loan, Lee signs first",
            "최유나 님이 순서대로 서명 요청",
        ),
    )
    .await;
    g.h.sim
        .signee_acts(&seq, 0, SigneeAction::Sign)
        .expect("signed");
    g.news(
        &w,
        &[kim],
        lang.say(
            "Lee has signed: Kim's turn",
            "이서연 님 서명 후 김민지 님 차례",
        ),
    )
    .await;

    // Approvals.
    let budget = g.seed(email(choi), g.n.budget, ContractStatus::Saved);
    g.h.sim
        .request_approval(email(choi), &budget, &[(g.n.kim, email(kim))])
        .expect("approval asked");
    g.news(
        &w,
        &[kim],
        lang.say(
            "Choi asks Kim to approve",
            "최유나 님이 김민지 님에게 결재 요청",
        ),
    )
    .await;
    let approved = g.seed(
        email(kim),
        &format!("{} A", g.n.budget),
        ContractStatus::Saved,
    );
    g.signees(&approved, email(kim), &[kim, lee]);
    g.h.sim
        .request_approval(email(kim), &approved, &[(g.n.choi, email(choi))])
        .expect("approval asked");
    let rejected = g.seed(
        email(kim),
        &format!("{} B", g.n.budget),
        ContractStatus::Saved,
    );
    g.h.sim
        .request_approval(email(kim), &rejected, &[(g.n.choi, email(choi))])
        .expect("approval asked");
    let withdrawn = g.seed(
        email(kim),
        &format!("{} C", g.n.budget),
        ContractStatus::Saved,
    );
    g.h.sim
        .request_approval(email(kim), &withdrawn, &[(g.n.choi, email(choi))])
        .expect("approval asked");
    g.news(
        &w,
        &[kim],
        lang.say(
            "Kim asks Choi to approve three",
            "김민지 님이 결재 요청 세 건",
        ),
    )
    .await;
    g.h.sim
        .approver_acts(&approved, true, None)
        .expect("approved");
    let dm = g
        .news(
            &w,
            &[kim],
            lang.say("Choi approves A", "최유나 님이 A 승인"),
        )
        .await;
    if let Some(dm) = dm.first() {
        let preview = g.press_in_dm(kim, dm, "a:request:").await;
        g.press_in_dm(kim, &seen(&preview), "d:ok:").await;
    }
    g.h.sim
        .approver_acts(
            &rejected,
            false,
            Some(lang.say("Wrong amount", "금액이 틀림")),
        )
        .expect("rejected");
    g.news(&w, &[kim], lang.say("Choi rejects B", "최유나 님이 B 반려"))
        .await;
    g.h.sim
        .cancel_approval(email(kim), &withdrawn)
        .expect("withdrawn");
    g.news(
        &w,
        &[kim],
        lang.say(
            "Kim withdraws C on the website",
            "김민지 님이 웹사이트에서 C 결재 요청 철회",
        ),
    )
    .await;

    g.news(
        &w,
        &[kim, lee],
        lang.say("Kim sends A from the DM", "김민지 님이 DM에서 A 서명 요청"),
    )
    .await;

    // ----- approval steps, kinds of news, muted contracts -----
    g.section(lang.say("Notifications and the status card", "알림과 상태 카드"));
    let steps = g.seed(
        email(kim),
        &format!("{} D", g.n.budget),
        ContractStatus::Saved,
    );
    g.signees(&steps, email(kim), &[kim, choi]);
    g.h.sim
        .request_approval(
            email(kim),
            &steps,
            &[(g.n.choi, email(choi)), (g.n.lee, email(lee))],
        )
        .expect("approval asked");
    g.news(
        &w,
        &[kim, lee],
        lang.say(
            "Kim asks Choi, then Lee, to approve D",
            "김민지 님이 최유나, 이서연 님에게 차례로 D 결재 요청",
        ),
    )
    .await;
    g.h.sim.approver_acts(&steps, true, None).expect("approved");
    g.news(
        &w,
        &[kim, lee],
        lang.say("Choi approves D", "최유나 님이 D 승인"),
    )
    .await;
    g.h.sim
        .approver_acts(
            &steps,
            false,
            Some(lang.say("The date is wrong", "날짜가 틀림")),
        )
        .expect("rejected");
    g.news(
        &w,
        &[kim, lee],
        lang.say("Lee rejects D", "이서연 님이 D 반려"),
    )
    .await;

    g.section_cmd("comake notifications");
    g.cmd(kim, "comake notifications", &[("off", json!("viewed"))])
        .await;
    g.cmd(kim, "comake notifications", &[("on", json!("viewed"))])
        .await;
    g.cmd(
        kim,
        "comake notifications",
        &[("off", json!("signed")), ("on", json!("signed"))],
    )
    .await;
    let quiet = g.sent(&format!("{} 4", g.n.lease)).await;
    g.read(&w, kim).await;
    g.h.sim
        .signee_acts(&quiet, 1, SigneeAction::View)
        .expect("viewed");
    let dm = g
        .news(
            &w,
            &[kim],
            lang.say(
                "Lee opens Office lease 4",
                "이서연 님이 사무실 임대차 4 열람",
            ),
        )
        .await;
    if let Some(dm) = dm.first() {
        let muted = g.press_in_dm(kim, dm, "n:mute:").await;
        g.press_in_dm(kim, &seen(&muted), "n:unmute:").await;
        g.press_in_dm(kim, dm, "n:mute:").await;
    }
    let a = g.cmd(kim, "comake notifications", &[]).await;
    g.press(kim, &seen(&a), "n:unmute:").await;

    // ----- the rest of /contract -----
    g.section_cmd("contract list");
    g.cmd(
        kim,
        "contract list",
        &[("status", json!("signing")), ("box", json!("sent"))],
    )
    .await;
    g.section_cmd("contract pending");
    g.cmd(kim, "contract pending", &[]).await;

    g.section_cmd("contract cancel-sign");
    let a = g
        .cmd(
            kim,
            "contract cancel-sign",
            &[
                ("contract", json!(approved.as_str())),
                ("reason", json!(g.n.budget)),
            ],
        )
        .await;
    g.press(kim, &seen(&a), "c:ok:").await;
    g.news(
        &w,
        &[kim, lee],
        lang.say("Kim cancels", "김민지 님이 서명 요청 취소"),
    )
    .await;
    g.cmd(kim, "contract cancel-sign", &[("contract", json!(draft))])
        .await;

    g.section_cmd("contract rename");
    g.cmd(
        kim,
        "contract rename",
        &[
            ("contract", json!(draft)),
            ("name", json!(format!("{} 01", g.n.draft))),
        ],
    )
    .await;
    g.cmd(
        lee,
        "contract rename",
        &[("contract", json!(draft)), ("name", json!("X"))],
    )
    .await;

    g.section_cmd("contract unshare");
    let lease_card = g.sent(&format!("{} 2", g.n.lease)).await;
    let card = json!(lease_card.as_str());
    g.share_quietly(&lease_card).await;
    g.cmd(kim, "contract unshare", &[("contract", card.clone())])
        .await;
    g.cmd(kim, "contract unshare", &[("contract", card.clone())])
        .await;
    let third = g.sent(&format!("{} 3", g.n.lease)).await;
    g.share_quietly(&third).await;
    let card = json!(third.as_str());
    let a = g.cmd(kim, "contract show", &[("contract", card)]).await;
    g.press(kim, &seen(&a), "s:stop:").await;

    g.section_cmd("contract delete");
    let a = g
        .cmd(kim, "contract delete", &[("contract", json!(draft))])
        .await;
    g.press(kim, &seen(&a), "c:no:").await;
    let a = g
        .cmd(kim, "contract delete", &[("contract", json!(draft))])
        .await;
    g.press(kim, &seen(&a), "c:ok:").await;
    let other = g.ids[2].0.clone();
    g.cmd(lee, "contract delete", &[("contract", json!(other))])
        .await;

    // ----- /comake-admin -----
    g.section_cmd("comake-admin link");
    g.cmd(
        admin,
        "comake-admin link",
        &[
            ("user", json!({"user": choi})),
            ("email", json!(email(choi))),
        ],
    )
    .await;
    g.cmd(
        kim,
        "comake-admin link",
        &[
            ("user", json!({"user": choi})),
            ("email", json!(email(choi))),
        ],
    )
    .await;
    g.cmd(
        admin,
        "comake-admin link",
        &[
            ("user", json!({"user": park})),
            ("email", json!("nobody@example.com")),
        ],
    )
    .await;
    g.section_cmd("comake-admin list");
    g.cmd(admin, "comake-admin list", &[]).await;
    g.cmd(kim, "comake-admin list", &[]).await;
    g.section_cmd("comake-admin audit");
    g.cmd(admin, "comake-admin audit", &[]).await;
    g.cmd(
        admin,
        "comake-admin audit",
        &[("user", json!({"user": choi}))],
    )
    .await;
    g.section_cmd("comake-admin unlink");
    let a = g
        .cmd(
            admin,
            "comake-admin unlink",
            &[("user", json!({"user": choi}))],
        )
        .await;
    if buttons_of(&seen(&a)).iter().any(|b| {
        b["custom_id"]
            .as_str()
            .is_some_and(|c| c.starts_with("c:ok:"))
    }) {
        g.press(admin, &seen(&a), "c:ok:").await;
    }
    g.cmd(
        admin,
        "comake-admin unlink",
        &[("user", json!({"user": choi}))],
    )
    .await;

    g.section_cmd("comake-admin register");
    let choi_name = g.n.choi;
    let register = |email: &str| {
        vec![
            ("user", json!({"user": choi})),
            ("email", json!(email)),
            ("name", json!(choi_name)),
        ]
    };
    g.cmd(admin, "comake-admin register", &register(email(choi)))
        .await;
    g.cmd(
        admin,
        "comake-admin register",
        &register("choi.new@example.com"),
    )
    .await;
    g.cmd(
        admin,
        "comake-admin register",
        &register("choi.new@example.com"),
    )
    .await;
    // ----- nudges -----
    g.section(lang.say("Nudges", "재촉"));
    // A minute on: Kim's command budget is fresh again.
    travel(Duration::from_secs(61)).await;
    // From here on the bot's own DMs go out through the fake Discord.
    let http = discord::http(&g.h.app.config.discord).expect("a Discord client");
    g.h.app.members.connect(Arc::new(http));
    let deal = g.seed(
        email(kim),
        lang.say("Service agreement", "용역 계약서"),
        ContractStatus::Saved,
    );
    // Lee is a linked colleague; Choi is no longer linked: outside.
    g.signees(&deal, email(kim), &[lee, choi]);
    let a = g
        .cmd(
            kim,
            "contract request-sign",
            &[
                ("contract", json!(deal.as_str())),
                ("remind_after", json!(3)),
            ],
        )
        .await;
    g.press(kim, &seen(&a), "c:ok:").await;
    let a = g
        .cmd(kim, "contract show", &[("contract", json!(deal.as_str()))])
        .await;
    let before = g.dms(lee).len();
    g.press(kim, &seen(&a), "r:").await;
    for dm in g.dms(lee).get(before..).unwrap_or_default().to_vec() {
        let head = lang.say(
            "\n*Kim Minji nudges:* **Lee Seoyeon** gets a DM\n\n",
            "\n*김민지 님의 재촉:* **이서연** 님이 받는 DM\n\n",
        );
        g.out.push_str(head);
        let m = g.message(&dm);
        g.out.push_str(&m);
    }
    g.seen_dms.retain(|(u, _)| *u != lee);
    g.seen_dms.push((lee, g.dms(lee).len()));
    g.press(kim, &seen(&a), "r:").await;

    // ----- the digest -----
    g.section(lang.say("The daily digest", "매일 요약"));
    g.cmd(kim, "comake notifications", &[("digest", json!("daily"))])
        .await;
    g.cmd(kim, "comake notifications", &[]).await;
    travel(Duration::from_secs(2 * 86_400)).await;
    g.read(&w, kim).await;
    let before = g.dms(kim).len();
    // The loop sleeps until the digests are due: the next 09:00 in Seoul.
    for _ in 0..3 {
        let nine = next_nine_in_seoul();
        let wait = (nine - comake_bot::now() + chrono::Duration::seconds(1)).to_std();
        travel(wait.unwrap_or_default()).await;
        if Box::pin(w.tick(comake_bot::now())).await.digests > 0 {
            break;
        }
    }
    let dms = g.dms(kim);
    let digest = dms.get(before..).and_then(|d| d.last()).cloned();
    let digest = digest.expect("a digest arrived at 09:00");
    let head = lang.say(
        "\n*At 09:00 (Asia/Seoul), two days on:* **Kim Minji** gets a DM\n\n",
        "\n*이틀 뒤 오전 9시(Asia/Seoul):* **김민지** 님이 받는 DM\n\n",
    );
    g.out.push_str(head);
    let m = g.message(&digest);
    g.out.push_str(&m);

    // ----- next steps after a new contract, and the team board -----
    g.section(lang.say("Next steps after a new contract", "새 계약 다음 순서"));
    let service = lang.say("Service agreement", "용역 계약서");
    // Only what comes from here on.
    let told = g.dms(kim).len();
    g.seen_dms.retain(|(u, _)| *u != kim);
    g.seen_dms.push((kim, told));
    let fresh = g.seed(email(kim), service, ContractStatus::Saved);
    let dm = g
        .news(
            &w,
            &[kim],
            lang.say(
                "Kim saves a new contract on the website",
                "김민지 님이 웹사이트에서 새 계약을 저장",
            ),
        )
        .await;
    let dm = dm
        .into_iter()
        .find(|d| {
            buttons_of(d).iter().any(|b| {
                b["custom_id"]
                    .as_str()
                    .is_some_and(|c| c.starts_with("g:show:"))
            })
        })
        .expect("the next-steps DM");
    g.press_in_dm(kim, &dm, "g:show:").await;
    let parties = g.press_in_dm(kim, &dm, "g:pick:").await;
    g.press_in_dm(kim, &seen(&parties), "g:form:1:").await;
    g.submit(
        kim,
        &format!("g:save:1:{fresh}"),
        &[
            ("name", g.n.choi),
            ("email", email(choi)),
            ("phone", ""),
            ("message", ""),
        ],
        lang.say("Choi's name and email", "최유나 님의 이름과 이메일"),
    )
    .await;
    let a = g
        .cmd(
            kim,
            "contract request-sign",
            &[("contract", json!(fresh.as_str()))],
        )
        .await;
    g.press(kim, &seen(&a), "g:form:0:").await;

    g.section_cmd("contract board");
    let a = g.cmd(kim, "contract board", &[]).await;
    g.press(kim, &seen(&a), "b:post").await;
    let path = format!("/api/v10/channels/{CHANNEL}/messages/{POSTED_ID}");
    let edits = |g: &Gallery| {
        g.fake
            .calls()
            .into_iter()
            .filter(|c| c.method == "PATCH" && c.path == path)
            .count()
    };
    let before = edits(&g);
    g.signees(&fresh, email(kim), &[kim, choi]);
    g.h.app
        .comake
        .user(email(kim))
        .request_sign(&fresh)
        .await
        .expect("sent");
    travel(Duration::from_secs(60)).await;
    Box::pin(w.tick(comake_bot::now())).await;
    let edited: Vec<Value> = g
        .fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "PATCH" && c.path == path)
        .skip(before)
        .map(|c| c.body)
        .collect();
    let edit = edited.last().cloned().expect("the board was edited");
    let head = lang.say(
        "\n*Kim sends the service agreement:* the board now reads\n\n",
        "\n*김민지 님이 용역 계약서 서명 요청:* 현황판이 이렇게 바뀜\n\n",
    );
    g.out.push_str(head);
    let m = g.message(&edit);
    g.out.push_str(&m);
    let a = g.cmd(kim, "contract board", &[]).await;
    g.press(kim, &seen(&a), "b:stop").await;

    // ----- /comake unlink, last -----
    g.section_cmd("comake unlink");
    let a = g.cmd(lee, "comake unlink", &[]).await;
    if buttons_of(&seen(&a)).iter().any(|b| {
        b["custom_id"]
            .as_str()
            .is_some_and(|c| c.starts_with("c:ok:"))
    }) {
        g.press(lee, &seen(&a), "c:ok:").await;
    }
    g.cmd(lee, "comake unlink", &[]).await;
    g.finish()
}

/// Lines of the Korean gallery that name an English command or show a raw
/// code or a bare English state word.
fn korean_offences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        // As Discord renders it: markdown escapes (`sign\_requested`) gone.
        let line = raw.replace('\\', "");
        let line = line.as_str();
        let mut why: Vec<&str> = Vec::new();
        for cmd in ["/contract", "/comake"] {
            if line.contains(cmd) {
                why.push(cmd);
            }
        }
        for code in RAW_CODES {
            if line.contains(code) {
                why.push(code);
            }
        }
        let words: Vec<&str> = line
            .split(|c: char| !(c.is_ascii_alphabetic() || c == '_'))
            .collect();
        for word in STATE_WORDS {
            if words.contains(word) {
                why.push(word);
            }
        }
        if !why.is_empty() {
            out.push(format!("ko.md:{}: [{}] {raw}", i + 1, why.join(", ")));
        }
    }
    out
}

/// The first few lines where `want` (the committed file) and `got` differ.
fn short_diff(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut out = Vec::new();
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i), g.get(i));
        if a != b {
            out.push(format!(
                "line {}:\n  - {}\n  + {}",
                i + 1,
                a.unwrap_or(&"(none)"),
                b.unwrap_or(&"(none)")
            ));
        }
        if out.len() == 8 {
            out.push("…".into());
            break;
        }
    }
    out.join("\n")
}

#[tokio::test]
async fn the_reply_gallery_matches_docs_gallery_and_korean_is_korean() {
    let update = std::env::var("GALLERY_UPDATE").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    for lang in [Lang::En, Lang::Ko] {
        let got = Box::pin(gallery(lang)).await;
        let path = format!(
            "{}/docs/gallery/{}.md",
            env!("CARGO_MANIFEST_DIR"),
            lang.file()
        );
        if update {
            std::fs::write(&path, &got).expect("docs/gallery is writable");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if want != got {
            failures.push(format!(
                "docs/gallery/{}.md differs from the bot's replies (GALLERY_UPDATE=1 rewrites it):\n{}",
                lang.file(),
                short_diff(&want, &got)
            ));
        }
        if lang == Lang::Ko {
            let offences = korean_offences(&got);
            if !offences.is_empty() {
                failures.push(format!(
                    "the Korean gallery names English commands or shows raw codes:\n{}",
                    offences.join("\n")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_korean_check_catches_commands_codes_and_state_words() {
    let text = "> 좋아요\n> `/contract show`로 보세요\n> 상태: signing\n> sign_requested\n> 서명 중(signing_x)\n> · sign\\_requested\n";
    let found = korean_offences(text);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found[3].starts_with("ko.md:6:"), "{found:#?}");
    assert!(found[0].starts_with("ko.md:2:"), "{found:#?}");
    assert!(found[2].contains("sign_requested"), "{found:#?}");
}

#[test]
fn a_changed_line_is_named_in_the_short_diff() {
    let diff = short_diff("a\nb\nc\n", "a\nB\nc\nd\n");
    assert_eq!(diff, "line 2:\n  - b\n  + B\nline 4:\n  - (none)\n  + d");
    assert_eq!(short_diff("same\n", "same\n"), "");
}

#[test]
fn times_links_ids_and_dates_become_placeholders() {
    let ids = [("64f0c0ffee".to_owned(), "id of NDA".to_owned())];
    let text = "at <t:1796471247:R>, see https://x.example/c/64f0c0ffee?token=s3cret) on 2026-12-05 11:40 or 2026-12-05; `64f0c0ffee`, 2026 and 09:00 stay";
    assert_eq!(
        placeholders(text, &ids),
        "at (time), see (link)) on (date time) or (date); `(id of NDA)`, 2026 and 09:00 stay"
    );
}
