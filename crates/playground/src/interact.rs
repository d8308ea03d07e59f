//! Interactions as Discord builds them: commands, autocomplete, buttons, selects and modal submits from a person on the page, signed and posted to the bot.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::chat::{dm_channel, Chat, Origin};
use crate::world::{person, Person, World, CHANNEL, GUILD};

static NEXT_ID: AtomicU64 = AtomicU64::new(1_300_000_000_000_000_001);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::SeqCst)
}

/// Permissions in the channel: view, send, and Manage Server for the admin.
fn permissions(p: &Person) -> &'static str {
    if p.admin {
        "2248473465835105" // 2248473465835073 | 32
    } else {
        "2248473465835073"
    }
}

fn user_json(p: &Person) -> Value {
    json!({"id": p.id.to_string(), "username": p.username, "discriminator": "0", "global_name": p.name, "avatar": null})
}

/// The fields every interaction carries; `dm`: sent from the person's DMs.
fn base(p: &Person, locale: &str, kind: u8, dm: bool) -> (Value, String) {
    let id = next_id();
    let token = format!("playground-token-{id}");
    let mut v = json!({
        "id": id.to_string(),
        "application_id": discord_stand_in::APP_ID,
        "type": kind,
        "token": token,
        "version": 1,
        "locale": locale,
        "app_permissions": "2248473465835073",
        "entitlements": [],
        "attachment_size_limit": 10485760,
    });
    if dm {
        v["channel_id"] = json!(dm_channel(p.id));
        v["context"] = json!(1);
        v["user"] = user_json(p);
        v["authorizing_integration_owners"] = json!({"1": p.id.to_string()});
    } else {
        v["channel_id"] = json!(CHANNEL.to_string());
        v["guild_id"] = json!(GUILD.to_string());
        v["guild_locale"] = json!("ko");
        v["context"] = json!(0);
        v["authorizing_integration_owners"] = json!({"0": GUILD.to_string()});
        v["member"] = json!({
            "user": user_json(p),
            "roles": [],
            "joined_at": "2026-01-01T00:00:00.000000+00:00",
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": false,
            "permissions": permissions(p),
        });
    }
    (v, token)
}

/// One option as the page sends it.
#[derive(Debug, Deserialize)]
pub(crate) struct OptionValue {
    name: String,
    /// The option type of commands/*.json (3 string, 4 integer, 5 boolean, 6 user …).
    #[serde(rename = "type")]
    kind: u8,
    value: Value,
    #[serde(default)]
    focused: bool,
}

/// A slash command (or its autocomplete) from the page.
#[derive(Debug, Deserialize)]
pub(crate) struct CommandRequest {
    #[serde(deserialize_with = "crate::ids::de")]
    person: u64,
    locale: String,
    /// "group sub", e.g. "contract list".
    command: String,
    /// What the person typed, shown above the reply.
    #[serde(default)]
    typed: String,
    #[serde(default)]
    options: Vec<OptionValue>,
    /// Asks for choices for the focused option instead of running the command.
    #[serde(default)]
    autocomplete: bool,
}

/// A button press or a select choice on a message.
#[derive(Debug, Deserialize)]
pub(crate) struct ComponentRequest {
    #[serde(deserialize_with = "crate::ids::de")]
    person: u64,
    locale: String,
    #[serde(deserialize_with = "crate::ids::de")]
    message: u64,
    custom_id: String,
    component_type: u8,
    #[serde(default)]
    values: Vec<String>,
}

/// A modal's submit.
#[derive(Debug, Deserialize)]
pub(crate) struct ModalRequest {
    #[serde(deserialize_with = "crate::ids::de")]
    person: u64,
    locale: String,
    /// The message whose component opened it, if any.
    #[serde(default, deserialize_with = "crate::ids::de_opt")]
    message: Option<u64>,
    custom_id: String,
    inputs: Vec<(String, String)>,
}

fn locale(raw: &str) -> &'static str {
    if raw == "ko" {
        "ko"
    } else {
        "en-US"
    }
}

/// Send a signed interaction and handle its first response.
async fn send(
    world: &World,
    chat: &Chat,
    payload: Value,
    token: &str,
    origin: Origin,
) -> Result<Value, String> {
    chat.expect(token, origin);
    let (status, body) = world
        .signer
        .post(world.bot.addr, &payload)
        .await
        .map_err(|e| format!("the bot did not answer: {e}"))?;
    if status != 200 {
        return Err(format!("the bot answered HTTP {status}"));
    }
    Ok(chat.respond(token, &body))
}

pub(crate) async fn command(
    world: &World,
    chat: &Chat,
    req: CommandRequest,
    hidden: bool,
) -> Result<Value, String> {
    let p = person(req.person).ok_or("no such person")?;
    let (group, sub) = req
        .command
        .split_once(' ')
        .ok_or("a command is a group and a subcommand")?;
    let focused = req.options.iter().filter(|o| o.focused).count();
    let autocomplete = match (req.autocomplete, focused) {
        (false, 0) => false,
        (true, 1) => true,
        _ => return Err("autocomplete needs exactly one focused option".into()),
    };
    let (mut v, token) = base(
        p,
        locale(&req.locale),
        if autocomplete { 4 } else { 2 },
        false,
    );
    let mut users = Map::new();
    let mut members = Map::new();
    let options: Vec<Value> = req
        .options
        .iter()
        .map(|o| {
            if o.kind == 6 {
                if let Some(u) = o.value.as_str().and_then(|id| id.parse().ok()).and_then(person) {
                    users.insert(u.id.to_string(), user_json(u));
                    members.insert(u.id.to_string(), json!({"roles": [], "joined_at": "2026-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0, "pending": false, "permissions": "0"}));
                }
            }
            let mut j = json!({"name": o.name, "type": o.kind, "value": o.value});
            if o.focused {
                j["focused"] = json!(true);
            }
            j
        })
        .collect();
    v["data"] = json!({
        "id": "555000000000000001",
        "name": group,
        "type": 1,
        "options": [{"name": sub, "type": 1, "options": options}],
    });
    if !users.is_empty() {
        v["data"]["resolved"] = json!({"users": users, "members": members});
    }
    let typed = if req.typed.is_empty() {
        format!("/{}", req.command)
    } else {
        req.typed
    };
    let origin = Origin {
        person: p.id,
        dm: None,
        message: None,
        invoked: (!autocomplete).then_some(typed),
        hidden,
    };
    send(world, chat, v, &token, origin).await
}

/// The message object an interaction on `message` carries.
fn message_json(chat: &Chat, id: u64) -> Result<(Value, Option<u64>), String> {
    let m = chat.message(id).ok_or("no such message")?;
    let mut message = discord_stand_in::message_json(&m.body);
    message["id"] = json!(id.to_string());
    let dm = m.dm;
    message["channel_id"] = json!(match dm {
        Some(p) => dm_channel(p),
        None => CHANNEL.to_string(),
    });
    message["flags"] = json!(if m.only_for.is_some() { 64 } else { 0 });
    for key in ["components", "embeds"] {
        if let Some(v) = m.body.get(key) {
            message[key] = v.clone();
        }
    }
    Ok((message, dm))
}

pub(crate) async fn component(
    world: &World,
    chat: &Chat,
    req: ComponentRequest,
) -> Result<Value, String> {
    let p = person(req.person).ok_or("no such person")?;
    let (message, dm) = message_json(chat, req.message)?;
    let (mut v, token) = base(p, locale(&req.locale), 3, dm.is_some());
    v["data"] = json!({"custom_id": req.custom_id, "component_type": req.component_type});
    if req.component_type == 3 {
        v["data"]["values"] = json!(req.values);
    }
    v["message"] = message;
    let origin = Origin {
        person: p.id,
        dm,
        message: Some(req.message),
        invoked: None,
        hidden: false,
    };
    send(world, chat, v, &token, origin).await
}

pub(crate) async fn modal(world: &World, chat: &Chat, req: ModalRequest) -> Result<Value, String> {
    let p = person(req.person).ok_or("no such person")?;
    let (message, dm) = match req.message {
        Some(id) => {
            let (m, dm) = message_json(chat, id)?;
            (Some(m), dm)
        }
        None => (None, None),
    };
    let (mut v, token) = base(p, locale(&req.locale), 5, dm.is_some());
    let rows: Vec<Value> = req
        .inputs
        .iter()
        .map(|(id, value)| json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]}))
        .collect();
    v["data"] = json!({"custom_id": req.custom_id, "components": rows});
    if let Some(m) = message {
        v["message"] = m;
    }
    let origin = Origin {
        person: p.id,
        dm,
        message: req.message,
        invoked: None,
        hidden: false,
    };
    send(world, chat, v, &token, origin).await
}

/// Link the colleagues who start linked, as the server's owner would with
/// /comake-admin link (the bot tells each of them by mail and DM).
pub(crate) async fn link_colleagues(world: &World, chat: &Chat) -> Result<(), String> {
    let admin = &crate::world::SETUP;
    for p in crate::world::PEOPLE.iter().filter(|p| p.linked) {
        let req = CommandRequest {
            person: admin.id,
            locale: "en-US".into(),
            command: "comake-admin link".into(),
            typed: String::new(),
            autocomplete: false,
            options: vec![
                OptionValue {
                    name: "user".into(),
                    kind: 6,
                    value: json!(p.id.to_string()),
                    focused: false,
                },
                OptionValue {
                    name: "email".into(),
                    kind: 3,
                    value: json!(p.email),
                    focused: false,
                },
            ],
        };
        command(world, chat, req, true).await?;
    }
    Ok(())
}
