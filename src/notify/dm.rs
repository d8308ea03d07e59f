//! A person's notification DMs: events as lines in their language, packed into as few messages as fit, and sent.

use std::time::Duration;

use serde_json::{json, Value};
use serenity::all::{ChannelId, Http, UserId};

use super::events::Event;
use super::lines::event_line;
use super::{NotifyError, Watcher};
use crate::args;
use crate::button::ButtonId;
use crate::comake::wire::ContractId;
use crate::i18n::{I18n, Lang};
use crate::reply::{self, Component, Reply, Style};
use crate::text;

/// Discord's "Cannot send messages to this user".
const CANNOT_DM: isize = 50007;
/// Characters of a contract's name on its Mute button.
const MUTE_LABEL_NAME: usize = 50;

/// What became of a DM.
pub(super) enum Sent {
    Delivered,
    /// The person's DMs are closed to the bot.
    Unreachable,
}

/// The DMs for `events`, in the user's language: text, the buttons that go
/// with it (how to sign, request signatures) and each contract's Mute
/// button. As many messages as it takes for every event to be shown, each
/// with the indices of its events; `events` are `(contract id, event)`, and one contract's
/// events stay in one message, so it is delivered (and recorded) whole.
pub(crate) fn direct_messages(
    i18n: &I18n,
    lang: Lang,
    events: &[(String, Event)],
) -> Vec<(Reply, Vec<usize>)> {
    let t = |id: &str, args: &[(&str, fluent_bundle::FluentValue<'static>)]| i18n.t(lang, id, args);
    let header = t("dm-header", &[]);
    let footer = t("dm-footer", &[]);
    // Each event's line and buttons; the last event of each contract also
    // carries the contract's Mute button (after the others).
    let shown: Vec<(String, Vec<Component>)> = events
        .iter()
        .enumerate()
        .map(|(i, (id, e))| {
            let (line, button) = event_line(i18n, lang, e);
            let mut buttons: Vec<Component> = button.into_iter().collect();
            if let Event::Created { id, .. } = e {
                buttons = super::next_steps::buttons(i18n, lang, id);
            }
            let last = events.get(i + 1).is_none_or(|(next, _)| next != id);
            if let Some(id) = ContractId::parse(id).filter(|_| last) {
                buttons.push(Component::Button {
                    label: t(
                        "dm-button-mute",
                        &args!["name" => text::label(e.contract(), MUTE_LABEL_NAME)],
                    ),
                    custom_id: ButtonId::Mute(id).to_string(),
                    style: Style::Secondary,
                });
            }
            (line, buttons)
        })
        .collect();
    // One contract's events are consecutive; keep them in one message.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, (contract, _)) in events.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if g.first().is_some_and(|&f| events[f].0 == *contract) => g.push(i),
            _ => groups.push(vec![i]),
        }
    }
    let base = header.chars().count() + footer.chars().count() + 2;
    let cost = |i: usize| shown[i].0.chars().count() + 1;
    let mut messages = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let (mut length, mut buttons) = (base, 0);
    let mut current_alone = false;
    for group in groups {
        let group_length: usize = group.iter().map(|&i| cost(i)).sum();
        let group_buttons: usize = group.iter().map(|&i| shown[i].1.len()).sum();
        // Next steps, a row of buttons that do not name their contract,
        // come in a DM of their own.
        let alone = group
            .iter()
            .any(|&i| matches!(events[i].1, Event::Created { .. }));
        let fits = length + group_length <= reply::MAX_CONTENT
            && buttons + group_buttons <= 25
            && !alone
            && !current_alone;
        if !fits && !current.is_empty() {
            messages.push(dm(&header, &footer, &shown, std::mem::take(&mut current)));
            (length, buttons) = (base, 0);
        }
        // A group too long for one message on its own goes line by line.
        for i in group {
            if length + cost(i) > reply::MAX_CONTENT && !current.is_empty() {
                messages.push(dm(&header, &footer, &shown, std::mem::take(&mut current)));
                (length, buttons) = (base, 0);
            }
            length += cost(i);
            buttons += shown[i].1.len();
            current.push(i);
        }
        current_alone = alone;
    }
    if !current.is_empty() {
        messages.push(dm(&header, &footer, &shown, current));
    }
    messages
}

/// One DM of [`direct_messages`]: the events at `indices`.
fn dm(
    header: &str,
    footer: &str,
    shown: &[(String, Vec<Component>)],
    indices: Vec<usize>,
) -> (Reply, Vec<usize>) {
    let lines: Vec<&str> = indices.iter().map(|&i| shown[i].0.as_str()).collect();
    let buttons: Vec<Component> = indices
        .iter()
        .flat_map(|&i| shown[i].1.iter().cloned())
        .collect();
    let mut reply = Reply::text(format!("{header}\n{}\n{footer}", lines.join("\n")));
    for row in buttons.chunks(5) {
        reply = reply.row(row.to_vec());
    }
    (reply, indices)
}

/// The body of a DM: no ephemeral flag (DMs are private anyway), and link
/// previews suppressed.
pub(crate) fn dm_body(reply: &Reply) -> Value {
    let mut body = reply::edit(reply);
    if let Some(obj) = body.as_object_mut() {
        obj.insert("flags".into(), reply::FLAG_SUPPRESS_EMBEDS.into());
    }
    body
}

impl Watcher {
    pub(super) async fn send(&self, user: u64, message: &Reply) -> Result<Sent, NotifyError> {
        deliver(&self.http, user, message).await
    }
}

/// Send `message` to `user` in a DM through `http`: delivered, or the
/// person's DMs are closed; Discord's rate limit is honoured once.
pub(super) async fn deliver(http: &Http, user: u64, message: &Reply) -> Result<Sent, NotifyError> {
    let body = dm_body(message);
    for attempt in 0..2 {
        let result = async {
            let channel = http
                .create_private_channel(
                    &json!({"recipient_id": UserId::new(user.max(1)).to_string()}),
                )
                .await?;
            http.send_message(ChannelId::new(channel.id.get()), Vec::new(), &body)
                .await
        }
        .await;
        match result {
            Ok(_) => return Ok(Sent::Delivered),
            Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r))) => {
                if r.error.code == CANNOT_DM {
                    return Ok(Sent::Unreachable);
                }
                if r.status_code.as_u16() == 429 && attempt == 0 {
                    // Honour Discord's rate limit once, then give up
                    // until the next cycle.
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
                return Err(NotifyError::Discord(format!(
                    "{} (code {})",
                    r.status_code, r.error.code
                )));
            }
            Err(_) => return Err(NotifyError::Discord("Discord could not be reached".into())),
        }
    }
    Err(NotifyError::Discord("rate limited".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Names as someone outside the company might choose them.
    fn name() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("계약서".to_owned()),
            Just("https://evil.example/login".to_owned()),
            Just("[click](https://evil.example)".to_owned()),
            Just("@everyone <@123> <#456> <@&789>".to_owned()),
            Just("**bold** __u__ `code` ||spoiler|| > quote # h".to_owned()),
            Just("\u{202E}exe.fdp\u{2066}\u{200B}".to_owned()),
            Just("\n\r\t".to_owned()),
            Just(String::new()),
            "[가-힣]{1,40}",
            "[ -~]{1,40}",
        ];
        prop::collection::vec(piece, 0..14)
            .prop_map(|parts| parts.concat().chars().take(500).collect::<String>())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        /// Thirty events about fifteen contracts, whatever their names:
        /// every event is in exactly one DM, one contract's events in one
        /// DM, and every DM fits Discord's limits.
        #[test]
        fn every_event_is_told_once_in_dms_that_fit(
            contract in name(),
            signees in prop::collection::vec(name(), 10),
            lang in prop_oneof![Just(Lang::En), Just(Lang::Ko)],
        ) {
            let i18n = I18n::load().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let events: Vec<(String, Event)> = (0..30)
                .map(|i| (format!("c{}", i / 2), match i % 3 {
                    0 => Event::Signed { contract: contract.clone(), signee: signees[i % 10].clone() },
                    1 => Event::Waiting { id: format!("c{}", i / 2), contract: contract.clone(), approval: false, line: Vec::new() },
                    _ => Event::Completed { contract: contract.clone() },
                }))
                .collect();
            let mut told = vec![0; events.len()];
            let mut home = std::collections::HashMap::new();
            for (n, (reply, indices)) in direct_messages(&i18n, lang, &events).iter().enumerate() {
                let body = dm_body(reply);
                let content = body["content"].as_str().unwrap_or_default();
                prop_assert!(content.chars().count() <= reply::MAX_CONTENT);
                prop_assert!(!content.contains("https://"), "{}", content);
                let rows = body["components"].as_array().cloned().unwrap_or_default();
                prop_assert!(rows.len() <= 5);
                for row in rows {
                    prop_assert!(row["components"].as_array().map_or(0, Vec::len) <= 5);
                }
                for &i in indices {
                    told[i] += 1;
                    let first = *home.entry(events[i].0.clone()).or_insert(n);
                    prop_assert_eq!(first, n, "a contract's events were split over two DMs");
                }
            }
            prop_assert!(told.iter().all(|n| *n == 1), "{:?}", told);
        }
    }
}
