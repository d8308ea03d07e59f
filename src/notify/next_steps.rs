//! The next-steps DM after a contract is saved: **Set signees**, **Request signatures** and **Show**, buttons that work in a DM for the linked person alone (as every DM button).

use crate::action::Action;
use crate::button::ButtonId;
use crate::comake::wire::ContractId;
use crate::i18n::{I18n, Lang};
use crate::reply::{Component, Style};

/// The next steps' buttons for contract `id` (none for an id that is not
/// one), in `lang`.
pub(super) fn buttons(i18n: &I18n, lang: Lang, id: &str) -> Vec<Component> {
    let Some(id) = ContractId::parse(id) else {
        return Vec::new();
    };
    let button = |label: &str, b: ButtonId, style: Style| Component::Button {
        label: i18n.t(lang, label, &[]),
        custom_id: b.to_string(),
        style,
    };
    vec![
        button(
            "button-set-signees",
            ButtonId::SetSignees(id.clone()),
            Style::Primary,
        ),
        button(
            "dm-button-request",
            ButtonId::Act(Action::RequestSign, id.clone()),
            Style::Secondary,
        ),
        button("button-show", ButtonId::ShowContract(id), Style::Secondary),
    ]
}
