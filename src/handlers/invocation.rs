//! One interaction as the handlers see it, whichever transport carried it, and the trait a transport answers it through.

use std::future::Future;

use secrecy::SecretString;
use serde_json::Value;

/// What kind of interaction arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Command,
    Autocomplete,
    Component,
    /// A submitted modal (the registration code, or a signee form).
    Modal,
}

/// An option's value.
#[derive(Debug, Clone, PartialEq)]
pub enum OptValue {
    Str(String),
    Int(i64),
    Bool(bool),
    User(u64),
}

/// One interaction, as the handlers see it, whichever transport carried it.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub kind: Kind,
    pub id: u64,
    /// The interaction's token: lets whoever holds it answer for 15 minutes.
    pub token: SecretString,
    pub application_id: u64,
    pub user: u64,
    pub guild: Option<u64>,
    pub locale: String,
    /// The member's permissions in this channel, in a guild.
    pub permissions: Option<u64>,
    /// The member's roles, in a guild.
    pub roles: Vec<u64>,
    /// The user's Discord user name (unique handle), for the code mail.
    pub user_name: String,
    /// Users that Discord resolved as members of this guild (a command's
    /// user options): a bare id of someone outside the guild is not here.
    pub members: Vec<u64>,
    /// The channel the interaction came from.
    pub channel: Option<u64>,
    /// The bot's own permissions in that channel (`app_permissions`).
    pub app_permissions: Option<u64>,
    /// Whether that channel is a thread (posting there needs Send Messages
    /// in Threads); `None` when Discord did not say.
    pub in_thread: Option<bool>,
    /// `group subcommand`, for commands and autocomplete.
    pub command: String,
    pub options: Vec<(String, OptValue)>,
    /// The option being typed, for autocomplete.
    pub focused: Option<String>,
    /// The button's or modal's id, for components and modals; a modal's
    /// text inputs are in `options`.
    pub custom_id: String,
}

impl Invocation {
    pub fn opt(&self, name: &str) -> Option<&OptValue> {
        self.options.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        match self.opt(name) {
            Some(OptValue::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.opt(name) {
            Some(OptValue::Int(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.opt(name) {
            Some(OptValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn user_opt(&self, name: &str) -> Option<u64> {
        match self.opt(name) {
            Some(OptValue::User(u)) => Some(*u),
            _ => None,
        }
    }
}

/// Why delivering a response failed.
#[derive(Debug, thiserror::Error)]
#[error("could not deliver the response to Discord: {0}")]
pub struct DeliveryError(pub String);

/// How a transport delivers what a handler answered.
pub trait Responder: Send + Sync {
    /// The interaction callback: the first and required response.
    fn callback(&self, body: Value) -> impl Future<Output = Result<(), DeliveryError>> + Send;
    /// Edit the original response, after a deferral.
    fn edit_original(&self, body: Value) -> impl Future<Output = Result<(), DeliveryError>> + Send;
    /// A new message after the first response (when an edit was refused).
    fn followup(&self, _body: Value) -> impl Future<Output = Result<(), DeliveryError>> + Send {
        async { Err(DeliveryError("this transport sends no follow-ups".into())) }
    }
    /// Post a public message in `channel` (a status card); its message id.
    fn post(
        &self,
        _channel: u64,
        _body: Value,
    ) -> impl Future<Output = Result<u64, DeliveryError>> + Send {
        async {
            Err(DeliveryError(
                "this transport posts no channel messages".into(),
            ))
        }
    }
}
