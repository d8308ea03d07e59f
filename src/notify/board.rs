//! Team boards: what a person's board shows (their Comake dashboard: counts and a few contract names), and the watcher's job that edits each board only when what it shows changed.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};
use serenity::all::{ChannelId, MessageId};

use super::posted::Poster;
use super::{Watcher, LIST_LIMIT};
use crate::app::App;
use crate::args;
use crate::comake::wire::{BoxTab, ContractStatus, ContractSummary, RequestType, Role};
use crate::i18n::Lang;
use crate::reply;
use crate::store::Board;
use crate::text;

/// Contract names shown per line; the rest are counted.
const NAMES_PER_LINE: usize = 3;
/// Characters a contract name gets, at most, on a board.
const NAME_BUDGET: usize = 60;

/// What the boards job last put in each board message (owner, channel,
/// message): a board is edited only when its text would change.
pub(super) type Shown = HashMap<(u64, u64, u64), String>;

/// The board's lines, in the order of Comake's dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Line {
    SignMe,
    ApproveMe,
    OutForSignature,
    InApproval,
    Editable,
}

impl Line {
    const ALL: [Line; 5] = [
        Line::SignMe,
        Line::ApproveMe,
        Line::OutForSignature,
        Line::InApproval,
        Line::Editable,
    ];

    fn label(self) -> &'static str {
        match self {
            Line::SignMe => "board-sign-me",
            Line::ApproveMe => "board-approve-me",
            Line::OutForSignature => "board-out",
            Line::InApproval => "board-in-approval",
            Line::Editable => "board-editable",
        }
    }

    /// Whether the line names its contracts. Contracts others sent the
    /// poster are only counted: their names were chosen by someone else
    /// and may say more than the poster means to publish.
    fn names_contracts(self) -> bool {
        !matches!(self, Line::SignMe | Line::ApproveMe)
    }

    /// The line a contract of the person's box is counted on, if any.
    fn of(c: &ContractSummary) -> Option<Line> {
        match c.role {
            Role::Receiver => {
                // Their turn as Comake tells it, or (when it does not) out
                // for signature.
                let turn = c.my_turn.unwrap_or(c.status == ContractStatus::Signing);
                match (turn, c.request_type) {
                    (false, _) => None,
                    (true, Some(RequestType::Approval)) => Some(Line::ApproveMe),
                    (true, _) => Some(Line::SignMe),
                }
            }
            Role::Sender => match c.status {
                ContractStatus::Signing => Some(Line::OutForSignature),
                ContractStatus::Approving => Some(Line::InApproval),
                s if s.can_edit() => Some(Line::Editable),
                _ => None,
            },
        }
    }
}

/// `owner`'s board as it would be posted or edited now, from their newest
/// contracts: per line a count and the newest few contract names (inert,
/// shortened). No person's name, email or link: it is public.
pub(crate) fn board_body(
    app: &App,
    lang: Lang,
    owner: u64,
    contracts: &[ContractSummary],
) -> Value {
    let t = |id: &str, a: &[(&str, fluent_bundle::FluentValue<'static>)]| app.i18n.t(lang, id, a);
    let mut by_line: BTreeMap<Line, Vec<&ContractSummary>> = BTreeMap::new();
    for c in contracts {
        if let Some(line) = Line::of(c) {
            by_line.entry(line).or_default().push(c);
        }
    }
    for list in by_line.values_mut() {
        list.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.id.cmp(&b.id)));
    }
    let build = |budget: usize| {
        let mut lines = vec![t("board-header", &args!["owner" => format!("<@{owner}>")])];
        for line in Line::ALL {
            let list = by_line.get(&line).map(Vec::as_slice).unwrap_or_default();
            let label = t(line.label(), &[]);
            let text = if list.is_empty() {
                t("board-line-none", &args!["label" => label])
            } else if !line.names_contracts() {
                t(
                    "board-line-count",
                    &args!["label" => label, "count" => list.len() as i64],
                )
            } else {
                let names: Vec<String> = list
                    .iter()
                    .take(NAMES_PER_LINE)
                    .map(|c| text::inert_max(&c.name, budget))
                    .collect();
                let more = list.len().saturating_sub(NAMES_PER_LINE);
                let id = if more > 0 {
                    "board-line-more"
                } else {
                    "board-line"
                };
                t(
                    id,
                    &args![
                        "label" => label,
                        "count" => list.len() as i64,
                        "names" => names.join(", "),
                        "more" => more as i64
                    ],
                )
            };
            lines.push(format!("• {text}"));
        }
        lines.push(t("board-footer", &args!["owner" => format!("<@{owner}>")]));
        lines.join("\n")
    };
    let content = reply::fit(NAME_BUDGET, 8, build).unwrap_or_else(|| build(8));
    json!({
        "content": content,
        "allowed_mentions": {"parse": []},
        "flags": reply::FLAG_SUPPRESS_EMBEDS,
    })
}

/// What became of one board this round.
enum Step {
    Edited(String),
    Same,
    /// Its message or channel is gone: dropped.
    Gone,
    /// A passing failure: tried again next round.
    Later,
}

impl Watcher {
    /// The boards job: each poster's box is listed once (paced like every
    /// read) and each of their boards is edited when its text changed. A
    /// board whose channel is no longer listed, whose poster left the
    /// servers or is no longer linked, or whose message is gone, is dropped.
    /// Returns the edits made.
    pub(super) async fn follow_boards(&self, shown: &mut Shown) -> usize {
        let store = &self.app.store;
        let boards = match store.all_boards().await {
            Ok(boards) => boards,
            Err(e) => {
                tracing::warn!(error = %e, "notifications: cannot read the team boards");
                return 0;
            }
        };
        shown.retain(|(o, c, m), _| {
            boards
                .iter()
                .any(|b| (b.owner, b.channel, b.message) == (*o, *c, *m))
        });
        let mut by_owner: BTreeMap<u64, Vec<Board>> = BTreeMap::new();
        for board in boards {
            by_owner.entry(board.owner).or_default().push(board);
        }
        let mut edits = 0;
        for (owner, boards) in by_owner {
            let (boards, unlisted): (Vec<Board>, Vec<Board>) = boards
                .into_iter()
                .partition(|b| self.channel_listed(b.channel));
            for board in &unlisted {
                tracing::info!("a team board's channel is no longer listed in CARD_CHANNEL_IDS; its updates stop");
                self.drop_board(board).await;
            }
            if boards.is_empty() {
                continue;
            }
            let account = match self.poster(owner, "a team board").await {
                Poster::Keeps(account) => account,
                Poster::Gone => {
                    for board in &boards {
                        self.drop_board(board).await;
                    }
                    continue;
                }
                Poster::Unknown => continue,
            };
            let user = self.comake.user(&account.email);
            let list = match user.list_contracts(BoxTab::All, 1, LIST_LIMIT).await {
                Ok(list) => list,
                Err(e) => {
                    tracing::warn!(error = %e, "notifications: a poster's contracts could not be read; tried next time");
                    continue;
                }
            };
            for board in boards {
                let key = (board.owner, board.channel, board.message);
                let last = shown.get(&key).unwrap_or(&board.content).clone();
                match self.edit_board(&board, &list.contracts, &last).await {
                    Step::Edited(content) => {
                        edits += 1;
                        shown.insert(key, content);
                    }
                    Step::Same => {
                        shown.insert(key, last);
                    }
                    Step::Gone => self.drop_board(&board).await,
                    Step::Later => {}
                }
            }
        }
        edits
    }

    /// Edit `board`'s message to show `contracts`, unless it already shows
    /// exactly that (`last`).
    async fn edit_board(&self, board: &Board, contracts: &[ContractSummary], last: &str) -> Step {
        let lang = Lang::from_locale(&board.locale);
        let body = board_body(&self.app, lang, board.owner, contracts);
        let content = body["content"].as_str().unwrap_or_default().to_owned();
        if content == last {
            return Step::Same;
        }
        let edited = self
            .http
            .edit_message(
                ChannelId::new(board.channel.max(1)),
                MessageId::new(board.message.max(1)),
                &body,
                Vec::new(),
            )
            .await;
        match edited {
            Ok(_) => Step::Edited(content),
            Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)))
                if matches!(r.status_code.as_u16(), 403 | 404) =>
            {
                tracing::warn!(
                    status = r.status_code.as_u16(),
                    code = r.error.code,
                    "a team board's message is gone or its channel is closed to the bot; its updates stop"
                );
                Step::Gone
            }
            Err(_) => {
                tracing::warn!("a team board could not be edited; tried at the next round");
                Step::Later
            }
        }
    }

    /// Stop keeping `board`, unless it was replaced by a newer message
    /// meanwhile.
    async fn drop_board(&self, board: &Board) {
        let store = &self.app.store;
        match store.board(board.owner, board.channel).await {
            Ok(Some(now)) if now.message == board.message => {
                if let Err(e) = store.remove_board(board.owner, board.channel).await {
                    tracing::warn!(error = %e, "cannot drop a team board");
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot drop a team board"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comake::wire::ContractId;
    use chrono::Utc;

    fn summary(status: ContractStatus, role: Role, turn: Option<bool>) -> ContractSummary {
        ContractSummary {
            id: ContractId::parse("abc").unwrap(),
            name: "NDA".into(),
            status,
            status_text: String::new(),
            role,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            my_turn: turn,
            request_type: None,
        }
    }

    #[test]
    fn each_contract_counts_on_the_dashboard_line_it_belongs_to() {
        use ContractStatus::*;
        assert_eq!(
            Line::of(&summary(Signing, Role::Receiver, None)),
            Some(Line::SignMe)
        );
        assert_eq!(
            Line::of(&summary(Signing, Role::Receiver, Some(false))),
            None
        );
        let mut approve = summary(Approving, Role::Receiver, Some(true));
        approve.request_type = Some(RequestType::Approval);
        assert_eq!(Line::of(&approve), Some(Line::ApproveMe));
        assert_eq!(
            Line::of(&summary(Signing, Role::Sender, None)),
            Some(Line::OutForSignature)
        );
        assert_eq!(
            Line::of(&summary(Approving, Role::Sender, None)),
            Some(Line::InApproval)
        );
        assert_eq!(
            Line::of(&summary(Saved, Role::Sender, None)),
            Some(Line::Editable)
        );
        assert_eq!(Line::of(&summary(Completed, Role::Sender, None)), None);
    }
}
