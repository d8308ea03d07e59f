//! What people see: channel messages, private replies and DMs, built from the bot's answers and its REST calls, each body checked against Discord's spec.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::{json, Value};

use crate::spec::{Route, Spec};

/// Ephemeral flag of a message.
const EPHEMERAL: u64 = 64;
/// Ids the playground gives messages that Discord would create from an
/// interaction response (the stand-in numbers the ones it creates).
const FIRST_LOCAL_ID: u64 = 600_000_000_000_000_001;
/// How long a REST call about an interaction waits for that interaction's
/// HTTP response to be handled before it is shown anyway.
const RESPONSE_WAIT: Duration = Duration::from_secs(5);

/// One message as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Message {
    #[serde(serialize_with = "crate::ids::ser")]
    pub(crate) id: u64,
    /// The person whose DMs hold it (`None`: the channel).
    #[serde(serialize_with = "crate::ids::ser_opt")]
    pub(crate) dm: Option<u64>,
    /// The only person who sees it (an ephemeral reply).
    #[serde(serialize_with = "crate::ids::ser_opt")]
    pub(crate) only_for: Option<u64>,
    /// Who ran the command it answers, and what they typed.
    #[serde(serialize_with = "crate::ids::ser_opt")]
    pub(crate) by: Option<u64>,
    pub(crate) invoked: Option<String>,
    /// content, components, embeds, flags.
    pub(crate) body: Value,
    /// A deferred reply not edited yet ("is thinking…").
    pub(crate) thinking: bool,
    /// What Discord's spec says is wrong with the bodies behind it.
    pub(crate) warnings: Vec<String>,
    /// Milliseconds since the epoch.
    pub(crate) at: u64,
}

/// Where an interaction came from.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub(crate) person: u64,
    pub(crate) dm: Option<u64>,
    /// The message a component or modal was on.
    pub(crate) message: Option<u64>,
    pub(crate) invoked: Option<String>,
    /// Nobody sees its messages (the playground's own setup).
    pub(crate) hidden: bool,
}

struct Tracked {
    origin: Origin,
    /// The message that `@original` names, once known.
    original: Option<u64>,
    /// Set until the HTTP response was handled.
    awaiting: Option<Instant>,
}

#[derive(Default)]
struct Inner {
    messages: Vec<Message>,
    interactions: HashMap<String, Tracked>,
    dm_channels: HashMap<String, u64>,
    next_local: u64,
    version: u64,
    warnings: Vec<String>,
}

/// The conversation state, shared by the web routes and the REST follower.
#[derive(Clone)]
pub(crate) struct Chat {
    inner: Arc<Mutex<Inner>>,
    spec: Arc<Spec>,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

/// The DM channel id the stand-in gives a recipient.
pub(crate) fn dm_channel(person: u64) -> String {
    let id = person.to_string();
    format!("9{}", id.get(1..).unwrap_or_default())
}

fn merge(body: &mut Value, update: &Value) {
    if let (Some(body), Some(update)) = (body.as_object_mut(), update.as_object()) {
        for (k, v) in update {
            body.insert(k.clone(), v.clone());
        }
    }
}

fn ephemeral(data: &Value) -> bool {
    data["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0
}

/// A view of the state for one person.
#[derive(Serialize)]
pub(crate) struct View {
    pub(crate) version: u64,
    pub(crate) channel: Vec<Message>,
    pub(crate) dms: Vec<Message>,
    pub(crate) warnings: Vec<String>,
}

impl Chat {
    pub(crate) fn new(spec: Spec) -> Self {
        let inner = Inner {
            next_local: FIRST_LOCAL_ID,
            ..Inner::default()
        };
        Self {
            inner: Arc::new(Mutex::new(inner)),
            spec: Arc::new(spec),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn view(&self, person: u64) -> View {
        let inner = self.lock();
        let sees = |m: &&Message| m.only_for.is_none_or(|p| p == person);
        View {
            version: inner.version,
            channel: inner
                .messages
                .iter()
                .filter(|m| m.dm.is_none())
                .filter(sees)
                .cloned()
                .collect(),
            dms: inner
                .messages
                .iter()
                .filter(|m| m.dm == Some(person))
                .cloned()
                .collect(),
            warnings: inner.warnings.clone(),
        }
    }

    pub(crate) fn message(&self, id: u64) -> Option<Message> {
        self.lock().messages.iter().find(|m| m.id == id).cloned()
    }

    /// Note an interaction before it is sent, so REST calls about it find it.
    pub(crate) fn expect(&self, token: &str, origin: Origin) {
        let mut inner = self.lock();
        let original = origin.message;
        inner.interactions.insert(
            token.to_owned(),
            Tracked {
                origin,
                original,
                awaiting: Some(Instant::now()),
            },
        );
        // Keep the map bounded: drop the oldest answered interactions.
        if inner.interactions.len() > 2000 {
            inner.interactions.retain(|_, t| t.awaiting.is_some());
        }
    }

    /// Handle the first response of an interaction (the HTTP body or a
    /// callback through REST). Returns a modal or autocomplete choices for the page.
    pub(crate) fn respond(&self, token: &str, response: &Value) -> Value {
        let warnings = self.spec.check(Route::Callback, response);
        let mut inner = self.lock();
        inner.version += 1;
        warn(&mut inner, &warnings);
        let Some(tracked) = inner.interactions.get_mut(token) else {
            return Value::Null;
        };
        tracked.awaiting = None;
        let origin = tracked.origin.clone();
        let data = &response["data"];
        match response["type"].as_u64() {
            Some(4) | Some(5) => {
                let id = inner.next_local;
                inner.next_local += 1;
                if let Some(t) = inner.interactions.get_mut(token) {
                    t.original = Some(id);
                }
                let thinking = response["type"] == 5;
                let body = if thinking { json!({}) } else { data.clone() };
                let message = new_message(id, &origin, ephemeral(data), body, thinking, warnings);
                inner.messages.push(message);
                Value::Null
            }
            Some(7) => {
                if let Some(m) = origin
                    .message
                    .and_then(|id| inner.messages.iter_mut().find(|m| m.id == id))
                {
                    merge(&mut m.body, data);
                    m.warnings = warnings;
                }
                Value::Null
            }
            Some(8) => json!({"choices": data["choices"].clone()}),
            Some(9) => json!({"modal": data.clone()}),
            _ => Value::Null,
        }
    }

    /// Follow the stand-in's REST log from call `from`; returns where to continue.
    pub(crate) fn follow(&self, calls: &[discord_stand_in::RestCall], from: usize) -> usize {
        let mut done = from;
        for call in calls {
            if !self.apply(call) {
                break;
            }
            done += 1;
        }
        done
    }

    /// Apply one REST call; false when it must wait for its interaction's response.
    fn apply(&self, call: &discord_stand_in::RestCall) -> bool {
        let parts: Vec<&str> = call
            .path
            .trim_start_matches("/api/v10/")
            .split('/')
            .collect();
        match (call.method.as_str(), parts.as_slice()) {
            ("PATCH", ["webhooks", _, token, "messages", "@original"]) => {
                let warnings = self.spec.check(Route::EditOriginal, &call.body);
                let mut inner = self.lock();
                let Some(t) = inner.interactions.get(*token) else {
                    return true;
                };
                if t.original.is_none() && t.awaiting.is_some_and(|at| at.elapsed() < RESPONSE_WAIT)
                {
                    return false;
                }
                let (origin, original) = (t.origin.clone(), t.original);
                inner.version += 1;
                warn(&mut inner, &warnings);
                match original.and_then(|id| inner.messages.iter().position(|m| m.id == id)) {
                    Some(i) => {
                        let m = &mut inner.messages[i];
                        merge(&mut m.body, &call.body);
                        m.thinking = false;
                        m.warnings = warnings;
                    }
                    None => {
                        let id = inner.next_local;
                        inner.next_local += 1;
                        let m = new_message(id, &origin, true, call.body.clone(), false, warnings);
                        inner.messages.push(m);
                    }
                }
                true
            }
            ("POST", ["webhooks", _, token]) => {
                let warnings = self.spec.check(Route::Followup, &call.body);
                let mut inner = self.lock();
                let Some(t) = inner.interactions.get(*token) else {
                    return true;
                };
                if t.awaiting.is_some_and(|at| at.elapsed() < RESPONSE_WAIT) {
                    return false;
                }
                let origin = t.origin.clone();
                let id = call.created.unwrap_or_default();
                inner.version += 1;
                warn(&mut inner, &warnings);
                let m = new_message(
                    id,
                    &origin,
                    ephemeral(&call.body),
                    call.body.clone(),
                    false,
                    warnings,
                );
                inner.messages.push(m);
                true
            }
            ("POST", ["interactions", _, token, "callback"]) => {
                self.respond(token, &call.body);
                true
            }
            ("POST", ["users", "@me", "channels"]) => {
                if let Some(person) = call.body["recipient_id"]
                    .as_str()
                    .and_then(|r| r.parse::<u64>().ok())
                {
                    self.lock().dm_channels.insert(dm_channel(person), person);
                }
                true
            }
            ("POST", ["channels", channel, "messages"]) => {
                let warnings = self.spec.check(Route::PostMessage, &call.body);
                let mut inner = self.lock();
                inner.version += 1;
                warn(&mut inner, &warnings);
                let dm = inner.dm_channels.get(*channel).copied();
                inner.messages.push(Message {
                    id: call.created.unwrap_or_default(),
                    dm,
                    only_for: None,
                    by: None,
                    invoked: None,
                    body: call.body.clone(),
                    thinking: false,
                    warnings,
                    at: now_ms(),
                });
                true
            }
            ("PATCH", ["channels", _, "messages", id]) => {
                let warnings = self.spec.check(Route::EditMessage, &call.body);
                let id = id.parse::<u64>().unwrap_or_default();
                let mut inner = self.lock();
                inner.version += 1;
                warn(&mut inner, &warnings);
                if let Some(m) = inner.messages.iter_mut().find(|m| m.id == id) {
                    merge(&mut m.body, &call.body);
                    m.warnings = warnings;
                }
                true
            }
            _ => true,
        }
    }

    /// Run the follower until the process ends: every 150 ms, the new calls.
    pub(crate) fn spawn_follower(&self, fake: Arc<discord_stand_in::FakeDiscord>) {
        let chat = self.clone();
        tokio::spawn(async move {
            let mut at = 0;
            loop {
                let calls = fake.calls_since(at);
                at = chat.follow(&calls, at);
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
        });
    }
}

fn warn(inner: &mut Inner, warnings: &[String]) {
    inner.warnings.extend(warnings.iter().cloned());
    let excess = inner.warnings.len().saturating_sub(20);
    inner.warnings.drain(..excess);
}

fn new_message(
    id: u64,
    origin: &Origin,
    private: bool,
    body: Value,
    thinking: bool,
    warnings: Vec<String>,
) -> Message {
    // Nobody (person 0) sees the messages of the playground's own setup.
    let only_for = if origin.hidden {
        Some(0)
    } else {
        private.then_some(origin.person)
    };
    Message {
        id,
        dm: origin.dm,
        only_for,
        by: Some(origin.person),
        invoked: origin.invoked.clone(),
        body,
        thinking,
        warnings,
        at: now_ms(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use discord_stand_in::RestCall;

    const KIM: u64 = 100_000_000_000_000_101;
    const LEE: u64 = 100_000_000_000_000_102;

    fn chat() -> Chat {
        Chat::new(Spec::load().expect("the spec compiles"))
    }

    fn call(method: &str, path: &str, body: Value, created: Option<u64>) -> RestCall {
        RestCall {
            method: method.into(),
            path: format!("/api/v10/{path}"),
            body,
            created,
            at: std::time::Instant::now(),
        }
    }

    fn origin(person: u64) -> Origin {
        Origin {
            person,
            dm: None,
            message: None,
            invoked: Some("/contract list".into()),
            hidden: false,
        }
    }

    #[test]
    fn a_deferred_private_reply_is_edited_in_place_and_seen_by_its_person_only() {
        let chat = chat();
        chat.expect("tok", origin(KIM));
        chat.respond("tok", &json!({"type": 5, "data": {"flags": 64}}));
        let thinking = chat.view(KIM).channel;
        assert_eq!(thinking.len(), 1);
        assert!(thinking[0].thinking);
        let edit = call(
            "PATCH",
            "webhooks/424242424242424242/tok/messages/@original",
            json!({"content": "Your contracts"}),
            None,
        );
        assert_eq!(chat.follow(&[edit], 0), 1);
        let seen = chat.view(KIM).channel;
        assert_eq!(seen.len(), 1, "edited, not added");
        assert_eq!(seen[0].body["content"], "Your contracts");
        assert!(!seen[0].thinking);
        assert_eq!(seen[0].only_for, Some(KIM));
        assert!(
            chat.view(LEE).channel.is_empty(),
            "another person sees nothing"
        );
    }

    #[test]
    fn an_edit_that_overtakes_its_response_waits_for_it() {
        let chat = chat();
        chat.expect("tok", origin(KIM));
        let edit = call(
            "PATCH",
            "webhooks/424242424242424242/tok/messages/@original",
            json!({"content": "done"}),
            None,
        );
        assert_eq!(chat.follow(std::slice::from_ref(&edit), 0), 0, "held back");
        chat.respond("tok", &json!({"type": 5, "data": {"flags": 64}}));
        assert_eq!(chat.follow(&[edit], 0), 1);
        let seen = chat.view(KIM).channel;
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].body["content"], "done");
    }

    #[test]
    fn dms_reach_their_person_and_a_card_is_public_and_edited_in_place() {
        let chat = chat();
        let calls = [
            call(
                "POST",
                "users/@me/channels",
                json!({"recipient_id": KIM.to_string()}),
                None,
            ),
            call(
                "POST",
                &format!("channels/{}/messages", dm_channel(KIM)),
                json!({"content": "Jordan signed"}),
                Some(800_000_000_000_000_001),
            ),
            call(
                "POST",
                "channels/700000000000000001/messages",
                json!({"content": "card: signing"}),
                Some(800_000_000_000_000_002),
            ),
            call(
                "PATCH",
                "channels/700000000000000001/messages/800000000000000002",
                json!({"content": "card: completed"}),
                None,
            ),
        ];
        assert_eq!(chat.follow(&calls, 0), 4);
        let kim = chat.view(KIM);
        assert_eq!(kim.dms.len(), 1);
        assert_eq!(kim.dms[0].body["content"], "Jordan signed");
        assert!(chat.view(LEE).dms.is_empty());
        let card = chat.view(LEE).channel;
        assert_eq!(card.len(), 1, "the card, not the DM, is in the channel");
        assert_eq!(card[0].body["content"], "card: completed");
        assert_eq!(card[0].only_for, None);
    }

    #[test]
    fn a_body_that_fails_the_spec_is_flagged_on_its_message_and_on_the_page() {
        let chat = chat();
        let bad = call(
            "POST",
            "channels/700000000000000001/messages",
            json!({"content": "x", "components": [{"type": 1, "components": [
                {"type": 2, "style": 42, "label": "x", "custom_id": "x"}
            ]}]}),
            Some(800_000_000_000_000_003),
        );
        chat.follow(&[bad], 0);
        let view = chat.view(KIM);
        assert!(!view.channel[0].warnings.is_empty());
        assert!(!view.warnings.is_empty());
    }
}
