//! What a contract's state and the person's role allow: the one answer that autocomplete's filters, `show`'s buttons and every handler's guard ask for.

use crate::comake::wire::{ContractStatus, Role};

/// An action on a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Action {
    Edit,
    RequestSign,
    CancelSign,
    Delete,
}

impl Action {
    /// In the order `show` offers them.
    pub(crate) const ALL: [Action; 4] = [
        Action::Edit,
        Action::RequestSign,
        Action::CancelSign,
        Action::Delete,
    ];

    /// Only the contract's sender may take it.
    pub(crate) fn needs_sender(self) -> bool {
        !matches!(self, Action::Delete)
    }

    /// Whether the contract's state allows it (whoever asks).
    pub(crate) fn state_allows(self, status: ContractStatus) -> bool {
        match self {
            Action::Edit => status.can_edit(),
            Action::RequestSign => status.can_request_sign(),
            Action::CancelSign => status.can_cancel_sign(),
            Action::Delete => status.can_delete(),
        }
    }

    /// Whether someone of `role` may take it on a contract in `status`.
    pub(crate) fn allowed(self, status: ContractStatus, role: Role) -> bool {
        (!self.needs_sender() || role == Role::Sender) && self.state_allows(status)
    }

    /// The action a command takes (`None`: it works on any contract).
    pub(crate) fn of_command(command: &str) -> Option<Self> {
        match command {
            "contract edit" => Some(Action::Edit),
            "contract delete" => Some(Action::Delete),
            "contract signee" | "contract request-sign" => Some(Action::RequestSign),
            "contract cancel-sign" => Some(Action::CancelSign),
            _ => None,
        }
    }

    /// Its word in a button id.
    pub(crate) fn verb(self) -> &'static str {
        match self {
            Action::Edit => "edit",
            Action::RequestSign => "request",
            Action::CancelSign => "cancel",
            Action::Delete => "delete",
        }
    }

    pub(crate) fn from_verb(verb: &str) -> Option<Self> {
        Action::ALL.into_iter().find(|a| a.verb() == verb)
    }

    /// The message id of its button's label.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Action::Edit => "button-edit",
            Action::RequestSign => "button-request",
            Action::CancelSign => "button-cancel-sign",
            Action::Delete => "button-delete",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receivers_may_only_delete() {
        for a in Action::ALL {
            assert_eq!(Action::from_verb(a.verb()), Some(a));
            let sender = a.allowed(ContractStatus::Saved, Role::Sender);
            let receiver = a.allowed(ContractStatus::Saved, Role::Receiver);
            assert_eq!(receiver, a == Action::Delete && sender, "{a:?}");
        }
        assert!(Action::CancelSign.allowed(ContractStatus::Signing, Role::Sender));
        assert!(!Action::Delete.allowed(ContractStatus::Signing, Role::Sender));
        assert_eq!(
            Action::of_command("contract signee"),
            Some(Action::RequestSign)
        );
        assert_eq!(Action::of_command("contract show"), None);
    }
}
