//! What a handler answers with, and the Discord interaction-response JSON it becomes.
//!
//! Every message the bot sends in reply is ephemeral (only the person who
//! ran the command sees it); a reply that holds a credential also has embeds
//! suppressed, so no link preview fetches the URL.

use serde_json::{json, Value};

use crate::comake::SecretUrl;

/// Discord's message flags.
pub(crate) const FLAG_SUPPRESS_EMBEDS: u64 = 1 << 2;
pub(crate) const FLAG_EPHEMERAL: u64 = 1 << 6;
/// Discord's limit on message content.
pub(crate) const MAX_CONTENT: usize = 2000;
/// Discord's limit on a button's label.
const MAX_LABEL: usize = 80;
/// Discord's limit on a link button's URL.
pub(crate) const MAX_URL: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Primary = 1,
    Secondary = 2,
    Success = 3,
    Danger = 4,
}

#[derive(Debug, Clone)]
pub(crate) enum Component {
    /// A button that runs one of our actions.
    Button {
        label: String,
        custom_id: String,
        style: Style,
    },
    /// A button that opens a URL holding a credential.
    Link { label: String, url: SecretUrl },
}

/// A form of text inputs (Discord's modal; at most five inputs).
#[derive(Debug, Clone)]
pub(crate) struct Modal {
    pub(crate) custom_id: String,
    /// At most 45 characters.
    pub(crate) title: String,
    pub(crate) inputs: Vec<Input>,
}

/// One text input of a form.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    /// Its id: the option name the submit carries its value under.
    pub(crate) id: String,
    /// At most 45 characters.
    pub(crate) label: String,
    pub(crate) min_length: u16,
    pub(crate) max_length: u16,
    pub(crate) required: bool,
    /// A paragraph rather than one line.
    pub(crate) long: bool,
}

/// A message for the person who ran the command.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub(crate) content: String,
    pub(crate) rows: Vec<Vec<Component>>,
    /// True when the message holds a link with a token.
    pub(crate) credential: bool,
    /// When set, the answer is this form instead of a message (only as the
    /// first response to a button).
    pub(crate) modal: Option<Modal>,
}

impl Reply {
    pub(crate) fn text(content: impl Into<String>) -> Self {
        Self {
            content: content.into(),
            ..Self::default()
        }
    }

    pub(crate) fn row(mut self, row: Vec<Component>) -> Self {
        if !row.is_empty() {
            self.rows.push(row);
        }
        self
    }

    fn flags(&self, ephemeral: bool) -> u64 {
        let mut flags = 0;
        if ephemeral {
            flags |= FLAG_EPHEMERAL;
        }
        if self.credential {
            flags |= FLAG_SUPPRESS_EMBEDS;
        }
        flags
    }

    /// The message object. `ephemeral` is only set on creation: an edit
    /// keeps the visibility its message was created with.
    fn data(&self, ephemeral: bool) -> Value {
        let components: Vec<Value> = self
            .rows
            .iter()
            .take(5)
            .filter_map(|row| {
                let buttons: Vec<Value> = row.iter().filter_map(component_json).take(5).collect();
                (!buttons.is_empty()).then(|| json!({"type": 1, "components": buttons}))
            })
            .collect();
        if self.content.chars().count() > MAX_CONTENT {
            // Handlers fit their text; this is the last guard, and loud.
            tracing::error!(
                chars = self.content.chars().count(),
                "a reply was too long for Discord and was cut"
            );
        }
        json!({
            "content": truncate(&self.content, MAX_CONTENT),
            "flags": self.flags(ephemeral),
            "components": components,
            "allowed_mentions": {"parse": []},
        })
    }
}

/// A button as Discord takes it; `None` for a link button whose URL is
/// longer than Discord allows (the link is in the text as well).
fn component_json(c: &Component) -> Option<Value> {
    match c {
        Component::Button {
            label,
            custom_id,
            style,
        } => Some(json!({
            "type": 2,
            "style": *style as u8,
            "label": crate::text::label(label, MAX_LABEL),
            "custom_id": custom_id,
        })),
        Component::Link { label, url } => (url.expose().len() <= MAX_URL).then(|| {
            json!({
                "type": 2,
                "style": 5,
                "label": crate::text::label(label, MAX_LABEL),
                "url": url.expose(),
            })
        }),
    }
}

/// The text `build` makes with the largest per-name budget, from `start`
/// down to `min`, that fits a message; `None` when even `min` does not.
pub(crate) fn fit(start: usize, min: usize, build: impl Fn(usize) -> String) -> Option<String> {
    let mut budget = start.max(min);
    loop {
        let text = build(budget);
        if text.chars().count() <= MAX_CONTENT {
            return Some(text);
        }
        if budget <= min {
            return None;
        }
        budget = (budget * 3 / 4).max(min);
    }
}

/// Cut `text` to at most `max` characters, marking the cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Interaction callback: PONG.
pub(crate) fn pong() -> Value {
    json!({"type": 1})
}

/// Interaction callback: an ephemeral message.
pub(crate) fn message(reply: &Reply) -> Value {
    json!({"type": 4, "data": reply.data(true)})
}

/// Interaction callback: "thinking…", privately; the answer comes as an edit.
pub(crate) fn deferred() -> Value {
    json!({"type": 5, "data": {"flags": FLAG_EPHEMERAL}})
}

/// Interaction callback for a button: acknowledged; the message is edited later.
pub(crate) fn deferred_update() -> Value {
    json!({"type": 6})
}

/// Interaction callback for a button: replace the message the button is on.
pub(crate) fn update(reply: &Reply) -> Value {
    json!({"type": 7, "data": reply.data(false)})
}

/// The body of an edit of the original response.
pub(crate) fn edit(reply: &Reply) -> Value {
    reply.data(false)
}

/// Interaction callback: open a modal (a form).
pub(crate) fn modal(reply: &Reply) -> Value {
    let Some(m) = &reply.modal else {
        return message(reply);
    };
    let rows: Vec<Value> = m
        .inputs
        .iter()
        .take(5)
        .map(|i| {
            json!({"type": 1, "components": [{
                "type": 4,
                "custom_id": i.id,
                "style": if i.long { 2 } else { 1 },
                "label": crate::text::label(&i.label, 45),
                "min_length": i.min_length,
                "max_length": i.max_length,
                "required": i.required,
            }]})
        })
        .collect();
    json!({"type": 9, "data": {
        "custom_id": m.custom_id,
        "title": crate::text::label(&m.title, 45),
        "components": rows,
    }})
}

/// The body of a follow-up message: private.
pub(crate) fn followup(reply: &Reply) -> Value {
    reply.data(true)
}

/// Interaction callback: autocomplete choices.
pub(crate) fn choices(choices: &[(String, String)]) -> Value {
    let list: Vec<Value> = choices
        .iter()
        .take(25)
        .map(|(name, value)| {
            json!({"name": crate::text::label(name, 100), "value": truncate(value, 100)})
        })
        .collect();
    json!({"type": 8, "data": {"choices": list}})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_replies_suppress_embeds_and_are_ephemeral() {
        let r = Reply {
            credential: true,
            ..Reply::text("x")
        };
        assert_eq!(message(&r)["data"]["flags"], 68);
        assert_eq!(edit(&r)["flags"], 4);
        assert_eq!(message(&Reply::text("x"))["data"]["flags"], 64);
    }

    #[test]
    fn content_is_capped() {
        let long = "가".repeat(3000);
        let body = message(&Reply::text(long));
        assert_eq!(
            body["data"]["content"].as_str().unwrap().chars().count(),
            MAX_CONTENT
        );
    }

    #[test]
    fn a_url_too_long_for_a_button_stays_in_the_text_only() {
        let web = url::Url::parse("https://comake.example").unwrap();
        let long = crate::comake::links::new_contract_url(
            &web,
            &secrecy::SecretString::from("t".repeat(600)),
        );
        let short = crate::comake::links::new_contract_url(
            &web,
            &secrecy::SecretString::from("t".repeat(20)),
        );
        for (url, buttons) in [(long, 0), (short, 1)] {
            let r = Reply {
                content: url.expose().to_owned(),
                rows: vec![vec![Component::Link {
                    label: "Open".into(),
                    url,
                }]],
                credential: true,
                modal: None,
            };
            let body = edit(&r);
            assert_eq!(body["components"].as_array().unwrap().len(), buttons);
        }
    }
}
