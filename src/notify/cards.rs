//! Live status cards: what a card shows, and the watcher's job that keeps each one in step with its contract, whatever its sharer's DM settings.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use serenity::all::{ChannelId, MessageId};

use super::posted::Poster;
use super::{Watcher, LIST_LIMIT, NAME_BUDGET};
use crate::app::App;
use crate::args;
use crate::comake::wire::{BoxTab, Contract, ContractStatus};
use crate::i18n::Lang;
use crate::render::{self, Labels};
use crate::reply;
use crate::store::{normalize_email, Card, StoreError};
use crate::text;

/// What the cards job last saw of each carded contract: when it last
/// changed and its state. Kept in memory: after a restart each card is
/// edited once more, to the same text unless its contract moved.
pub(super) type Seen = HashMap<String, (DateTime<Utc>, ContractStatus)>;

/// `c`'s status card as it would be posted or edited now (see
/// [`render`]): its signees who are linked colleagues looked up first.
pub(crate) async fn card_body(
    app: &App,
    lang: Lang,
    c: &Contract,
    owner: u64,
) -> Result<Value, StoreError> {
    Ok(render_card(app, lang, c, owner, &colleagues(app, c).await?))
}

/// The emails of `c`'s signees that belong to linked colleagues: their
/// names show in full on a card; everyone else's are masked.
async fn colleagues(app: &App, c: &Contract) -> Result<BTreeSet<String>, StoreError> {
    let mut out = BTreeSet::new();
    let emails = c.signees.iter().map(|s| s.email.as_str());
    for raw in emails.chain(c.approvers.iter().map(|a| a.email.as_str())) {
        let email = normalize_email(raw);
        if !email.is_empty() && app.store.account_by_email(&email).await?.is_some() {
            out.insert(email);
        }
    }
    Ok(out)
}

/// A live status card, as a channel message: the contract's name, state,
/// and each party with its signee's progress, a signee outside the company
/// by a masked name (`colleagues` are the linked ones). Nothing else: no
/// email, phone number, link or message text (it is public).
fn render_card(
    app: &App,
    lang: Lang,
    c: &Contract,
    owner: u64,
    colleagues: &BTreeSet<String>,
) -> Value {
    let l = Labels::new(&app.i18n, lang);
    let state = l.state(c.summary.status);
    // Every party is kept: names shrink until the card fits a message.
    let build = |budget: usize| {
        let name = |n: &str| text::inert_max(n, budget);
        let mut lines = vec![l.t(
            "card-header",
            &args!["name" => name(&c.summary.name), "state" => state.clone()],
        )];
        for p in &c.parties {
            let party = l.party(p);
            let line = match c.signees.iter().find(|s| s.party == p.index) {
                Some(s) => {
                    let colleague = colleagues.contains(&normalize_email(&s.email));
                    let shown = if colleague {
                        s.name.clone()
                    } else {
                        render::mask_name(&s.name)
                    };
                    // A party named after its outside signee (a person
                    // signing for themself) is masked too.
                    let named_after = |signee: &str| {
                        let signee = signee.split_whitespace().collect::<String>();
                        !signee.is_empty()
                            && party
                                .split_whitespace()
                                .collect::<String>()
                                .contains(&signee)
                    };
                    let party = if !colleague && named_after(&s.name) {
                        render::mask_name(&party)
                    } else {
                        party
                    };
                    l.t(
                        "card-party",
                        &args![
                            "party" => name(&party),
                            "signee" => name(&shown),
                            "progress" => l.progress(s.status)
                        ],
                    )
                }
                None => l.t("card-party-open", &args!["party" => name(&party)]),
            };
            lines.push(format!("• {line}"));
        }
        // Who shared it (a mention that renders as their name and pings
        // nobody) and when the contract last changed.
        // The approval line, outsiders masked like signees.
        let approvers = l.approval_line(&c.approvers, |a| {
            if colleagues.contains(&normalize_email(&a.email)) {
                name(&a.name)
            } else {
                name(&render::mask_name(&a.name))
            }
        });
        if !approvers.is_empty() {
            lines.push(l.t("approval-line", &[]));
            lines.extend(approvers);
        }
        lines.push(l.t(
            if c.summary.status.has_ended() {
                "card-final"
            } else {
                "card-live"
            },
            &args![
                "owner" => format!("<@{owner}>"),
                "changed" => render::time(c.summary.updated_at, 'R')
            ],
        ));
        lines.join("\n")
    };
    let content = reply::fit(NAME_BUDGET, 8, build).unwrap_or_else(|| build(8));
    json!({
        "content": content,
        "allowed_mentions": {"parse": []},
        "flags": reply::FLAG_SUPPRESS_EMBEDS,
    })
}

/// What became of one card this round.
enum Step {
    /// Edited; `true` when its contract ended and the card is now dropped.
    Edited { ended: bool },
    /// Its message or channel is gone: dropped.
    Gone,
    /// A passing failure: tried again next round.
    Later,
}

impl Watcher {
    /// The status-cards job: each sharer's contracts are listed once (paced
    /// like every read), and each card whose contract moved since it was
    /// last seen gets one detail read and one edit. A card whose contract
    /// ended gets its last edit and is dropped; one whose message or
    /// channel is gone, or whose sharer is no longer linked, is dropped
    /// with one log line. Returns the edits made.
    pub(super) async fn follow_cards(&self, seen: &mut Seen) -> usize {
        let store = &self.app.store;
        let cards = match store.all_cards().await {
            Ok(cards) => cards,
            Err(e) => {
                tracing::warn!(error = %e, "notifications: cannot read the status cards");
                return 0;
            }
        };
        seen.retain(|contract, _| cards.iter().any(|c| &c.contract == contract));
        let mut by_owner: BTreeMap<u64, Vec<Card>> = BTreeMap::new();
        for card in cards {
            by_owner.entry(card.owner).or_default().push(card);
        }
        let mut edits = 0;
        for (owner, cards) in by_owner {
            // What Post checked still holds: the channel is still one cards
            // may go to, and the sharer is still in a listed server.
            let (cards, unlisted): (Vec<Card>, Vec<Card>) = cards
                .into_iter()
                .partition(|c| self.channel_listed(c.channel));
            for card in &unlisted {
                tracing::info!("a status card's channel is no longer listed in CARD_CHANNEL_IDS; its updates stop");
                self.drop_card(card).await;
            }
            if cards.is_empty() {
                continue;
            }
            let account = match self.poster(owner, "a status card").await {
                Poster::Keeps(account) => account,
                Poster::Gone => {
                    for card in &cards {
                        self.drop_card(card).await;
                    }
                    continue;
                }
                Poster::Unknown => continue,
            };
            let user = self.comake.user(&account.email);
            let list = match user.list_contracts(BoxTab::All, 1, LIST_LIMIT).await {
                Ok(list) => list,
                Err(e) => {
                    tracing::warn!(error = %e, "notifications: a sharer's contracts could not be read; tried next time");
                    continue;
                }
            };
            for card in cards {
                let Some(summary) = list
                    .contracts
                    .iter()
                    .find(|c| c.id.as_str() == card.contract)
                else {
                    continue;
                };
                let now = (summary.updated_at, summary.status);
                if seen.get(&card.contract) == Some(&now) {
                    continue;
                }
                match self.edit_card(&user, &card, &summary.id).await {
                    Step::Edited { ended } => {
                        edits += 1;
                        seen.insert(card.contract.clone(), now);
                        if ended {
                            self.drop_card(&card).await;
                        }
                    }
                    Step::Gone => self.drop_card(&card).await,
                    Step::Later => {}
                }
            }
        }
        edits
    }

    /// Read `card`'s contract and edit its message.
    async fn edit_card(
        &self,
        user: &crate::comake::UserClient,
        card: &Card,
        id: &crate::comake::wire::ContractId,
    ) -> Step {
        let detail = match user.get_contract(id).await {
            Ok(detail) => detail,
            Err(e) => {
                tracing::warn!(error = %e, "notifications: a card's contract could not be read; tried next time");
                return Step::Later;
            }
        };
        let lang = Lang::from_locale(&card.locale);
        let body = match card_body(&self.app, lang, &detail, card.owner).await {
            Ok(body) => body,
            Err(e) => {
                tracing::warn!(error = %e, "notifications: cannot tell colleagues on a card; tried next time");
                return Step::Later;
            }
        };
        let edited = self
            .http
            .edit_message(
                ChannelId::new(card.channel.max(1)),
                MessageId::new(card.message.max(1)),
                &body,
                Vec::new(),
            )
            .await;
        match edited {
            Ok(_) => Step::Edited {
                ended: detail.summary.status.has_ended(),
            },
            Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)))
                if matches!(r.status_code.as_u16(), 403 | 404) =>
            {
                tracing::warn!(
                    status = r.status_code.as_u16(),
                    code = r.error.code,
                    "a status card's message is gone or its channel is closed to the bot; its updates stop"
                );
                Step::Gone
            }
            Err(_) => {
                tracing::warn!("a status card could not be edited; tried at the next round");
                Step::Later
            }
        }
    }

    async fn drop_card(&self, card: &Card) {
        if let Err(e) = self.app.store.remove_card(&card.contract).await {
            tracing::warn!(error = %e, "cannot drop a status card");
        }
    }
}
