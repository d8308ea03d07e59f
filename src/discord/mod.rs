//! Discord, the other outside party: the command definitions in `commands/`, turning Discord's interactions into [`Invocation`]s, and delivering answers over its REST API.
//!
//! - [`gateway`]: the websocket transport (serenity's client).
//! - [`interactions`]: the HTTP transport (`POST /interactions`).
//! - [`server`]: the HTTP/1 server loop under it and the health port.

pub mod gateway;
pub mod interactions;
pub(crate) mod server;

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use serenity::all::{
    ActionRowComponent, ChannelId, CommandDataOption, CommandDataOptionValue, CommandInteraction,
    ComponentInteraction, GuildId, Http, HttpBuilder, Interaction, InteractionId, ModalInteraction,
};

use crate::config::DiscordConfig;
use crate::handlers::{DeliveryError, Invocation, Kind, OptValue, Responder};

/// The command definitions, one file per top-level command: the single
/// source of truth for the command surface.
pub const COMMAND_FILES: [(&str, &str); 3] = [
    ("comake", include_str!("../../commands/comake.json")),
    ("contract", include_str!("../../commands/contract.json")),
    (
        "comake-admin",
        include_str!("../../commands/comake-admin.json"),
    ),
];

/// The definitions as JSON, ready for a bulk overwrite.
pub fn command_definitions() -> Result<Vec<Value>, serde_json::Error> {
    COMMAND_FILES
        .iter()
        .map(|(_, text)| serde_json::from_str(text))
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("DISCORD_TOKEN is not set; see .env.example")]
    NoToken,
    #[error("the command definitions in commands/ are invalid: {0}")]
    Definitions(#[from] serde_json::Error),
    #[error("Discord refused the request: {0}")]
    Api(String),
}

/// Serenity's REST client, sent to `DISCORD_HTTP_PROXY` when set (which
/// then does the rate limiting).
pub fn http(config: &DiscordConfig) -> Result<Http, DiscordError> {
    let token = config.token.as_ref().ok_or(DiscordError::NoToken)?;
    let mut builder = HttpBuilder::new(token.expose_secret());
    if let Some(proxy) = &config.http_proxy {
        // serenity's own rate limiter would bypass the proxy, and a
        // rate-limit proxy is there to do that job for every process.
        builder = builder
            .proxy(proxy.as_str().trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    if let Some(id) = config.application_id {
        builder = builder.application_id(id.into());
    }
    Ok(builder.build())
}

/// Replace the application's commands with those of `commands/` in each of
/// the company's `guilds` (a bulk overwrite each), and clear the global
/// commands so no stale ones linger in other servers or DMs.
pub(crate) async fn register_commands(http: &Http, guilds: &[u64]) -> Result<(), DiscordError> {
    let definitions = command_definitions()?;
    let api = |e: serenity::Error| DiscordError::Api(delivery_error(e).0);
    for guild in guilds {
        http.create_guild_commands(GuildId::new(*guild), &definitions)
            .await
            .map_err(api)?;
    }
    let none: Vec<Value> = Vec::new();
    http.create_global_commands(&none).await.map_err(api)?;
    tracing::info!(
        commands = definitions.len(),
        guilds = guilds.len(),
        "registered the commands in the company's servers and cleared the global ones"
    );
    Ok(())
}

/// Leave a server that is not the company's (`DELETE /users/@me/guilds/{id}`).
pub(crate) async fn leave_guild(http: &Http, guild: u64) -> Result<(), DiscordError> {
    http.leave_guild(GuildId::new(guild.max(1)))
        .await
        .map_err(|e| DiscordError::Api(delivery_error(e).0))
}

fn flatten(
    options: &[CommandDataOption],
    path: &mut Vec<String>,
    out: &mut Vec<(String, OptValue)>,
    focused: &mut Option<String>,
) {
    for o in options {
        let value = match &o.value {
            CommandDataOptionValue::SubCommand(inner)
            | CommandDataOptionValue::SubCommandGroup(inner) => {
                path.push(o.name.clone());
                flatten(inner, path, out, focused);
                continue;
            }
            CommandDataOptionValue::String(s) => OptValue::Str(s.clone()),
            CommandDataOptionValue::Integer(i) => OptValue::Int(*i),
            CommandDataOptionValue::Boolean(b) => OptValue::Bool(*b),
            CommandDataOptionValue::User(u) => OptValue::User(u.get()),
            CommandDataOptionValue::Autocomplete { value, .. } => {
                *focused = Some(o.name.clone());
                OptValue::Str(value.clone())
            }
            // Our commands have no other option types.
            _ => continue,
        };
        out.push((o.name.clone(), value));
    }
}

/// Whether the interaction's channel is a thread, when Discord sent it.
fn in_thread(channel: Option<&serenity::all::PartialChannel>) -> Option<bool> {
    use serenity::all::ChannelType;
    channel.map(|c| {
        matches!(
            c.kind,
            ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::NewsThread
        )
    })
}

/// The fields every interaction has, whatever its kind.
struct Common<'a> {
    id: serenity::all::InteractionId,
    token: &'a str,
    application_id: serenity::all::ApplicationId,
    user: &'a serenity::all::User,
    guild: Option<GuildId>,
    locale: &'a str,
    member: Option<&'a serenity::all::Member>,
}

impl Common<'_> {
    fn invocation(self, kind: Kind) -> Invocation {
        Invocation {
            kind,
            id: self.id.get(),
            token: SecretString::from(self.token.to_owned()),
            application_id: self.application_id.get(),
            user: self.user.id.get(),
            guild: self.guild.map(GuildId::get),
            locale: self.locale.to_owned(),
            permissions: self.member.and_then(|m| m.permissions).map(|p| p.bits()),
            roles: self
                .member
                .map(|m| m.roles.iter().map(|r| r.get()).collect())
                .unwrap_or_default(),
            user_name: self.user.name.clone(),
            members: Vec::new(),
            channel: None,
            app_permissions: None,
            in_thread: None,
            command: String::new(),
            options: Vec::new(),
            focused: None,
            custom_id: String::new(),
        }
    }
}

fn from_command(c: &CommandInteraction, kind: Kind) -> Invocation {
    let mut path = vec![c.data.name.clone()];
    let mut options = Vec::new();
    let mut focused = None;
    flatten(&c.data.options, &mut path, &mut options, &mut focused);
    let common = Common {
        id: c.id,
        token: &c.token,
        application_id: c.application_id,
        user: &c.user,
        guild: c.guild_id,
        locale: &c.locale,
        member: c.member.as_deref(),
    };
    Invocation {
        command: path.join(" "),
        options,
        focused,
        members: c.data.resolved.members.keys().map(|u| u.get()).collect(),
        channel: Some(c.channel_id.get()),
        app_permissions: c.app_permissions.map(|p| p.bits()),
        in_thread: in_thread(c.channel.as_ref()),
        ..common.invocation(kind)
    }
}

fn from_component(c: &ComponentInteraction) -> Invocation {
    let common = Common {
        id: c.id,
        token: &c.token,
        application_id: c.application_id,
        user: &c.user,
        guild: c.guild_id,
        locale: &c.locale,
        member: c.member.as_ref(),
    };
    Invocation {
        custom_id: c.data.custom_id.clone(),
        channel: Some(c.channel_id.get()),
        app_permissions: c.app_permissions.map(|p| p.bits()),
        in_thread: in_thread(c.channel.as_ref()),
        ..common.invocation(Kind::Component)
    }
}

/// A submitted modal: its text inputs become string options.
fn from_modal(m: &ModalInteraction) -> Invocation {
    let common = Common {
        id: m.id,
        token: &m.token,
        application_id: m.application_id,
        user: &m.user,
        guild: m.guild_id,
        locale: &m.locale,
        member: m.member.as_ref(),
    };
    let options = m
        .data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .filter_map(|c| match c {
            ActionRowComponent::InputText(input) => Some((
                input.custom_id.clone(),
                OptValue::Str(input.value.clone().unwrap_or_default()),
            )),
            _ => None,
        })
        .collect();
    Invocation {
        custom_id: m.data.custom_id.clone(),
        options,
        ..common.invocation(Kind::Modal)
    }
}

/// The handlers' view of an interaction; `None` for kinds we do not serve
/// (PING is answered by the transport).
pub fn invocation(interaction: &Interaction) -> Option<Invocation> {
    match interaction {
        Interaction::Command(c) => Some(from_command(c, Kind::Command)),
        Interaction::Autocomplete(c) => Some(from_command(c, Kind::Autocomplete)),
        Interaction::Component(c) => Some(from_component(c)),
        Interaction::Modal(m) => Some(from_modal(m)),
        _ => None,
    }
}

/// Delivers answers with Discord's REST API: the interaction callback, then
/// edits of the original response.
pub(crate) struct RestResponder {
    http: Arc<Http>,
    interaction: InteractionId,
    token: SecretString,
}

impl RestResponder {
    pub(crate) fn new(http: Arc<Http>, invocation: &Invocation) -> Self {
        Self {
            http,
            interaction: InteractionId::new(invocation.id.max(1)),
            token: invocation.token.clone(),
        }
    }
}

/// serenity's errors can hold the request URL, and an interaction URL holds
/// the interaction token: keep only what is safe to log.
fn delivery_error(e: serenity::Error) -> DeliveryError {
    let text = match &e {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)) => {
            format!(
                "{} {} (code {})",
                r.status_code, r.error.message, r.error.code
            )
        }
        serenity::Error::Http(_) => "HTTP request failed".to_owned(),
        other => other.to_string(),
    };
    DeliveryError(text)
}

impl Responder for RestResponder {
    async fn callback(&self, body: Value) -> Result<(), DeliveryError> {
        self.http
            .create_interaction_response(
                self.interaction,
                self.token.expose_secret(),
                &body,
                Vec::new(),
            )
            .await
            .map_err(delivery_error)
    }

    async fn edit_original(&self, body: Value) -> Result<(), DeliveryError> {
        self.http
            .edit_original_interaction_response(self.token.expose_secret(), &body, Vec::new())
            .await
            .map(|_| ())
            .map_err(delivery_error)
    }

    async fn followup(&self, body: Value) -> Result<(), DeliveryError> {
        self.http
            .create_followup_message(self.token.expose_secret(), &body, Vec::new())
            .await
            .map(|_| ())
            .map_err(delivery_error)
    }

    async fn post(&self, channel: u64, body: Value) -> Result<u64, DeliveryError> {
        self.http
            .send_message(ChannelId::new(channel.max(1)), Vec::new(), &body)
            .await
            .map(|m| m.id.get())
            .map_err(delivery_error)
    }
}
