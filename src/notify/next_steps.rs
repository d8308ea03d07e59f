//! The next-steps DM after a contract is saved: **Set signees**, **Request signatures** and **Show**, buttons that work in a DM for the linked person alone (as every DM button).

use crate::action::Action;
use crate::button::ButtonId;
use crate::comake::wire::ContractId;
use crate::reply::{Component, Style};

/// The next steps' buttons for contract `id` (none for an id that is not
/// one); `t` is the person's language.
pub(super) fn buttons(
    t: &dyn Fn(&str, &[(&str, fluent_bundle::FluentValue<'static>)]) -> String,
    id: &str,
) -> Vec<Component> {
    let Some(id) = ContractId::parse(id) else {
        return Vec::new();
    };
    let button = |label: &str, b: ButtonId, style: Style| Component::Button {
        label: t(label, &[]),
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
