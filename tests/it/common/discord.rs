//! Discord-side fixtures: the OpenAPI spec as validators, real interaction payloads, a recording responder, and a harness around the handlers.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use comake_bot::api::app::App;
use comake_bot::api::config::Config;
use comake_bot::api::discord::invocation;
use comake_bot::api::handlers::{dispatch, DeliveryError, Invocation, Outcome, Responder};
use comake_bot::api::store::{Account, LinkMethod, Store};
use comake_bot::comake::Comake;
use comake_sim::ComakeSim;
use serde_json::{json, Value};
use serenity::all::Interaction;

/// Discord's own OpenAPI spec, kept under tests/ with its license.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/discord-api-spec/openapi.json"
        ))
        .expect("the spec is in tests/discord-api-spec");
        serde_json::from_str(&text).expect("the spec is JSON")
    })
}

/// A validator for a schema of the spec, given as a JSON Schema fragment
/// that may `$ref` into `#/components/schemas/…`.
pub fn validator(fragment: Value) -> jsonschema::Validator {
    let mut schema = fragment;
    schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    schema["components"] = spec()["components"].clone();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .expect("the spec's schema compiles")
}

/// The request body schema of an operation of the spec.
pub fn request_schema(path: &str, method: &str) -> Value {
    spec()["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"].clone()
}

pub fn assert_valid(v: &jsonschema::Validator, body: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match Discord's spec: {errors:#?}\n{body:#}"
    );
}

struct Validators {
    callback: jsonschema::Validator,
    edit: jsonschema::Validator,
    followup: jsonschema::Validator,
}

fn validators() -> &'static Validators {
    static V: OnceLock<Validators> = OnceLock::new();
    V.get_or_init(|| Validators {
        callback: validator(request_schema(
            "/interactions/{interaction_id}/{interaction_token}/callback",
            "post",
        )),
        edit: validator(request_schema(
            "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
            "patch",
        )),
        followup: validator(request_schema(
            "/webhooks/{webhook_id}/{webhook_token}",
            "post",
        )),
    })
}

pub fn validate_callback(body: &Value) {
    assert_valid(&validators().callback, body, "an interaction callback");
}

pub fn validate_edit(body: &Value) {
    assert_valid(&validators().edit, body, "an edit of the original response");
}

/// What the bot sent back for one interaction.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    Callback(Value),
    Edit(Value),
    Followup(Value),
    /// A public message posted in a channel (a status card).
    Posted(u64, Value),
}

/// The message id the recorder gives posted messages.
pub const POSTED_ID: u64 = 880_000_000_000_000_001;

/// A responder that checks every body against Discord's spec and keeps it.
#[derive(Default, Clone)]
pub struct Recorder {
    pub sent: Arc<Mutex<Vec<Sent>>>,
    /// Refuse every edit, as Discord does a body it will not take.
    pub refuse_edits: bool,
}

impl Responder for Recorder {
    async fn callback(&self, body: Value) -> Result<(), DeliveryError> {
        validate_callback(&body);
        self.sent.lock().unwrap().push(Sent::Callback(body));
        Ok(())
    }

    async fn edit_original(&self, body: Value) -> Result<(), DeliveryError> {
        validate_edit(&body);
        self.sent.lock().unwrap().push(Sent::Edit(body));
        if self.refuse_edits {
            return Err(DeliveryError("400 Invalid Form Body (code 50035)".into()));
        }
        Ok(())
    }

    async fn followup(&self, body: Value) -> Result<(), DeliveryError> {
        assert_valid(&validators().followup, &body, "a follow-up");
        self.sent.lock().unwrap().push(Sent::Followup(body));
        Ok(())
    }

    async fn post(&self, channel: u64, body: Value) -> Result<u64, DeliveryError> {
        let v = validator(request_schema("/channels/{channel_id}/messages", "post"));
        assert_valid(&v, &body, "a channel message");
        self.sent.lock().unwrap().push(Sent::Posted(channel, body));
        Ok(POSTED_ID)
    }
}

/// The responses to one interaction.
#[derive(Debug)]
pub struct Answer {
    pub sent: Vec<Sent>,
    pub outcome: Outcome,
}

impl Answer {
    /// The message the person finally sees: the last callback's data or edit.
    pub fn message(&self) -> Value {
        for s in self.sent.iter().rev() {
            match s {
                Sent::Edit(body) => return body.clone(),
                Sent::Callback(body) if body["type"] == 4 || body["type"] == 7 => {
                    return body["data"].clone()
                }
                _ => {}
            }
        }
        panic!("no message was sent: {:?}", self.sent)
    }

    pub fn text(&self) -> String {
        self.message()["content"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The first callback (the acknowledgement or the message).
    pub fn first(&self) -> &Value {
        match self.sent.first() {
            Some(Sent::Callback(body)) => body,
            other => panic!("the first response was not a callback: {other:?}"),
        }
    }

    /// Whether the person alone sees the answer.
    pub fn ephemeral(&self) -> bool {
        let first = self.first();
        let flags = first["data"]["flags"].as_u64().unwrap_or(0);
        match first["type"].as_u64() {
            // A button's update keeps the (ephemeral) message it is on.
            Some(6) | Some(7) => true,
            _ => flags & 64 != 0,
        }
    }

    pub fn buttons(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(rows) = self.message()["components"].as_array() {
            for row in rows {
                for b in row["components"].as_array().into_iter().flatten() {
                    let id = b["custom_id"]
                        .as_str()
                        .or(b["url"].as_str())
                        .unwrap_or_default();
                    out.push((
                        b["label"].as_str().unwrap_or_default().to_owned(),
                        id.to_owned(),
                    ));
                }
            }
        }
        out
    }

    /// The custom id of the button whose id starts with `prefix`.
    pub fn button(&self, prefix: &str) -> String {
        self.buttons()
            .into_iter()
            .map(|(_, id)| id)
            .find(|id| id.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix} button in {:?}", self.buttons()))
    }

    /// What was posted in channels (status cards).
    pub fn posted(&self) -> Vec<(u64, Value)> {
        self.sent
            .iter()
            .filter_map(|s| match s {
                Sent::Posted(c, b) => Some((*c, b.clone())),
                _ => None,
            })
            .collect()
    }

    /// Every body sent, as text (to search for tokens).
    pub fn all_text(&self) -> String {
        self.sent
            .iter()
            .map(|s| match s {
                Sent::Callback(b) | Sent::Edit(b) | Sent::Followup(b) | Sent::Posted(_, b) => {
                    b.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn choices(&self) -> Vec<(String, String)> {
        self.first()["data"]["choices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_owned(),
                    c["value"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
}

pub const GUILD: u64 = 900_000_000_000_000_001;
pub const ADMIN_PERMS: &str = "32";
/// View Channel and Send Messages: a member who may write in the channel.
pub const MEMBER_PERMS: &str = "3072";
/// View Channel only: a member who may read the channel but not write.
pub const READ_ONLY_PERMS: &str = "1024";

/// Who is acting and how.
#[derive(Clone)]
pub struct Actor {
    pub id: u64,
    pub locale: &'static str,
    pub permissions: &'static str,
    pub guild: Option<u64>,
    pub roles: &'static [u64],
}

impl Actor {
    pub fn user(id: u64) -> Self {
        Self {
            id,
            locale: "en-US",
            permissions: MEMBER_PERMS,
            guild: Some(GUILD),
            roles: &[],
        }
    }
    pub fn ko(mut self) -> Self {
        self.locale = "ko";
        self
    }
    pub fn admin(mut self) -> Self {
        self.permissions = ADMIN_PERMS;
        self
    }
    /// A member who may only read the channel.
    pub fn read_only(mut self) -> Self {
        self.permissions = READ_ONLY_PERMS;
        self
    }
}

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1_000_000);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
}

fn user_json(id: u64) -> Value {
    json!({"id": id.to_string(), "username": format!("user{id}"), "discriminator": "0", "global_name": format!("User {id}"), "avatar": null})
}

/// The fields every interaction payload has, as Discord sends them.
fn base(actor: &Actor, kind: u8) -> Value {
    let id = next_id();
    let mut v = json!({
        "id": id.to_string(),
        "application_id": "424242424242424242",
        "type": kind,
        "token": format!("interaction-token-{id}"),
        "version": 1,
        "locale": actor.locale,
        "channel_id": "700000000000000001",
        "channel": {"id": "700000000000000001", "type": 0},
        "app_permissions": "2248473465835073",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD.to_string()},
        "attachment_size_limit": 10485760,
    });
    match actor.guild {
        Some(g) => {
            v["guild_id"] = json!(g.to_string());
            v["guild_locale"] = json!("en-US");
            v["context"] = json!(0);
            v["member"] = json!({
                "user": user_json(actor.id),
                "roles": actor.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
                "joined_at": "2024-01-01T00:00:00.000000+00:00",
                "deaf": false,
                "mute": false,
                "flags": 0,
                "pending": false,
                "permissions": actor.permissions,
            });
        }
        None => {
            v["context"] = json!(1);
            v["user"] = user_json(actor.id);
        }
    }
    v
}

/// Options as Discord sends them, from `("name", value)` pairs; a value of
/// the form `{"user": id}` is a user option (add `"outside": true` for a
/// user who is not a member of the guild).
fn options_json(options: &[(&str, Value)], focused: Option<&str>) -> Vec<Value> {
    options
        .iter()
        .map(|(name, value)| {
            let (kind, value) = match value {
                Value::String(_) => (3, value.clone()),
                Value::Bool(_) => (5, value.clone()),
                Value::Number(_) => (4, value.clone()),
                Value::Object(o) if o.contains_key("user") => (6, json!(o["user"].to_string())),
                other => panic!("unsupported option value {other}"),
            };
            let mut o = json!({"name": name, "type": kind, "value": value});
            if focused == Some(*name) {
                o["focused"] = json!(true);
            }
            o
        })
        .collect()
}

/// A slash command (type 2) or autocomplete (type 4) payload.
pub fn command_payload(
    actor: &Actor,
    command: &str,
    options: &[(&str, Value)],
    focused: Option<&str>,
) -> Value {
    let (group, sub) = command.split_once(' ').expect("group subcommand");
    let mut v = base(actor, if focused.is_some() { 4 } else { 2 });
    v["data"] = json!({
        "id": "555000000000000001",
        "name": group,
        "type": 1,
        "options": [{"name": sub, "type": 1, "options": options_json(options, focused)}],
    });
    // Discord resolves user options: every user, and members of the guild
    // as members.
    let (mut users, mut members) = (serde_json::Map::new(), serde_json::Map::new());
    for (_, value) in options {
        let Some(id) = value.get("user").and_then(Value::as_u64) else {
            continue;
        };
        users.insert(id.to_string(), user_json(id));
        if actor.guild.is_some() && value.get("outside") != Some(&json!(true)) {
            members.insert(
                id.to_string(),
                json!({"roles": [], "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0, "pending": false, "permissions": "0"}),
            );
        }
    }
    if !users.is_empty() {
        v["data"]["resolved"] = json!({"users": users, "members": members});
    }
    v
}

/// A submitted modal (type 5) with text inputs `(id, value)`, opened from a
/// button on an ephemeral message of ours.
pub fn modal_payload(actor: &Actor, custom_id: &str, inputs: &[(&str, &str)]) -> Value {
    let mut v = base(actor, 5);
    let rows: Vec<Value> = inputs
        .iter()
        .map(|(id, value)| json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]}))
        .collect();
    v["data"] = json!({"custom_id": custom_id, "components": rows});
    let mut message = super::fake_discord::message_json(&json!({"content": ""}));
    message["id"] = json!(next_id().to_string());
    message["flags"] = json!(64);
    v["message"] = message;
    v
}

/// A button press (type 3) on an ephemeral message of ours.
pub fn button_payload(actor: &Actor, custom_id: &str) -> Value {
    let mut v = base(actor, 3);
    v["data"] = json!({"custom_id": custom_id, "component_type": 2});
    let mut message = super::fake_discord::message_json(&json!({"content": ""}));
    message["id"] = json!(next_id().to_string());
    message["flags"] = json!(64);
    v["message"] = message;
    v
}

/// A button press in channel `channel` (a thread when `thread`).
pub fn button_in(actor: &Actor, custom_id: &str, channel: u64, thread: bool) -> Value {
    let mut v = button_payload(actor, custom_id);
    v["channel_id"] = json!(channel.to_string());
    v["channel"] = json!({"id": channel.to_string(), "type": if thread { 11 } else { 0 }});
    v
}

/// The custom ids of a message's buttons.
pub fn custom_ids(message: &Value) -> Vec<String> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_owned))
        .collect()
}

/// The handlers in front of a simulator and a temporary store.
pub struct Harness {
    pub sim: ComakeSim,
    pub app: Arc<App>,
    pub dir: tempfile::TempDir,
    /// The mail server, for a harness made with [`Harness::with_smtp`].
    pub smtp: Option<super::smtp::SmtpServer>,
}

impl Harness {
    pub async fn new() -> Self {
        Self::with_env(&[]).await
    }

    /// With a real SMTP server on 127.0.0.1, so self-registration is on.
    pub async fn with_smtp(extra: &[(&str, &str)]) -> Self {
        let smtp = super::smtp::SmtpServer::start();
        let url = smtp.url();
        let mut vars = vec![
            ("SMTP_URL", url.as_str()),
            ("SMTP_FROM", "Comake bot <bot@example.com>"),
        ];
        vars.extend_from_slice(extra);
        let mut h = Self::with_env(&vars).await;
        h.smtp = Some(smtp);
        h
    }

    pub async fn with_env(extra: &[(&str, &str)]) -> Self {
        let sim = super::sim().await;
        let dir = tempfile::tempdir().unwrap();
        let mut vars: HashMap<String, String> = HashMap::new();
        vars.insert("COMAKE_API_URL".into(), sim.api_url().to_string());
        vars.insert("COMAKE_WEB_URL".into(), sim.web_url().to_string());
        vars.insert("COMAKE_API_KEY".into(), sim.options().api_key.clone());
        vars.insert("COMAKE_API_SECRET".into(), sim.options().api_secret.clone());
        vars.insert("COMAKE_TIMEOUT_SECS".into(), "3".into());
        vars.insert("DISCORD_GUILD_IDS".into(), GUILD.to_string());
        vars.insert(
            "DATABASE_PATH".into(),
            dir.path().join("store").to_string_lossy().into_owned(),
        );
        for (k, v) in extra {
            vars.insert((*k).into(), (*v).into());
        }
        let config = Config::from_lookup(move |k| vars.get(k).cloned()).unwrap();
        let store = Store::open_configured(&config.database).await.unwrap();
        let comake = Comake::new(config.comake.clone()).unwrap();
        let app = App::new(config, comake, store).unwrap();
        Self {
            sim,
            app,
            dir,
            smtp: None,
        }
    }

    pub fn smtp(&self) -> &super::smtp::SmtpServer {
        self.smtp.as_ref().expect("a harness with SMTP")
    }

    /// Submit a modal with `inputs`.
    pub async fn submit(&self, actor: &Actor, custom_id: &str, inputs: &[(&str, &str)]) -> Answer {
        self.run_payload(modal_payload(actor, custom_id, inputs))
            .await
    }

    /// `/comake register` then the code from the mail, through the modal.
    pub async fn register(&self, actor: &Actor, email: &str, name: &str) -> Answer {
        let before = self.smtp().mails_to(email, 0).await.len();
        let a = self
            .command(
                actor,
                "comake register",
                &[("email", json!(email)), ("name", json!(name))],
            )
            .await;
        assert_eq!(a.outcome.result, "ok", "{}", a.text());
        let mails = self.smtp().mails_to(email, before + 1).await;
        let code = mails.last().expect("the code mail arrived").code();
        self.submit(actor, "v:submit", &[("code", &code)]).await
    }

    /// A Comake user, linked to Discord user `id`.
    pub async fn linked(&self, id: u64, email: &str) -> Account {
        let client = self.sim.add_user(email, &format!("User {id}")).unwrap();
        self.app
            .store
            .link(
                Account {
                    discord_id: id,
                    email: email.into(),
                    name: client.name,
                    comake_client_id: client.id.0,
                    linked_at: chrono::Utc::now(),
                    linked_by: id,
                    method: LinkMethod::SelfRegistered,
                },
                false,
            )
            .await
            .unwrap()
    }

    pub async fn run_payload(&self, payload: Value) -> Answer {
        self.run_with(payload, Recorder::default()).await
    }

    /// Run `payload` through `recorder`.
    pub async fn run_with(&self, payload: Value, recorder: Recorder) -> Answer {
        let interaction: Interaction = serde_json::from_value(payload.clone())
            .unwrap_or_else(|e| panic!("serenity rejects the fixture: {e}\n{payload:#}"));
        let inv: Invocation = invocation(&interaction).expect("an interaction we serve");
        let outcome = dispatch(&self.app, &inv, &recorder).await;
        let sent = recorder.sent.lock().unwrap().clone();
        Answer { sent, outcome }
    }

    pub async fn command(&self, actor: &Actor, command: &str, options: &[(&str, Value)]) -> Answer {
        self.run_payload(command_payload(actor, command, options, None))
            .await
    }

    pub async fn autocomplete(
        &self,
        actor: &Actor,
        command: &str,
        options: &[(&str, Value)],
        focused: &str,
    ) -> Answer {
        self.run_payload(command_payload(actor, command, options, Some(focused)))
            .await
    }

    pub async fn press(&self, actor: &Actor, custom_id: &str) -> Answer {
        self.run_payload(button_payload(actor, custom_id)).await
    }

    /// `/contract signee` for one party.
    pub async fn set_signee(
        &self,
        actor: &Actor,
        contract: &str,
        party: &str,
        name: &str,
        email: &str,
    ) -> Answer {
        let options = [
            ("contract", json!(contract)),
            ("party", json!(party)),
            ("name", json!(name)),
            ("email", json!(email)),
        ];
        self.command(actor, "contract signee", &options).await
    }

    /// `/contract request-sign`, then Send.
    pub async fn send_for_signature(&self, actor: &Actor, contract: &str) -> Answer {
        let preview = self
            .command(
                actor,
                "contract request-sign",
                &[("contract", json!(contract))],
            )
            .await;
        self.press(actor, &preview.button("c:ok:")).await
    }
}
