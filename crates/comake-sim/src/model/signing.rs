//! The signing moves of the state table: the owner sets signees, requests and cancels signatures; a signee views, signs or rejects.

use std::collections::HashSet;

use comake::wire::*;

use super::{normalize_email, plausible_email, Company, SimSignee};
use crate::error::ApiError;

/// What a signee does on the signing page (driven by the control surface).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigneeAction {
    View,
    Sign,
    Reject,
}

impl SigneeAction {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "view" => Some(Self::View),
            "sign" => Some(Self::Sign),
            "reject" => Some(Self::Reject),
            _ => None,
        }
    }
}

impl Company {
    pub fn set_signees(
        &mut self,
        user: &str,
        id: &ContractId,
        signees: Vec<SigneeInput>,
    ) -> Result<Contract, ApiError> {
        self.owner_acts(
            user,
            id,
            ContractStatus::can_request_sign,
            "set signees of",
            |c| {
                let mut seen = HashSet::new();
                for s in &signees {
                    if !c.parties.iter().any(|p| p.index == s.party) {
                        return Err(ApiError::invalid(format!(
                            "party {} does not exist",
                            s.party
                        )));
                    }
                    if !seen.insert(s.party) {
                        return Err(ApiError::invalid(format!(
                            "party {} has two signees",
                            s.party
                        )));
                    }
                    if !plausible_email(s.email.trim()) {
                        return Err(ApiError::invalid("signee email is not a valid address"));
                    }
                    if s.name.trim().is_empty() {
                        return Err(ApiError::invalid("signee name is empty"));
                    }
                }
                c.signees = signees
                    .into_iter()
                    .map(|s| SimSignee {
                        party: s.party,
                        name: s.name.trim().to_owned(),
                        email: normalize_email(&s.email),
                        phone: s.phone,
                        kakao: s.kakao,
                        message: s.message.filter(|m| !m.trim().is_empty()),
                        has_password: s.password.is_some(),
                        status: SigneeStatus::Waiting,
                    })
                    .collect();
                c.signees.sort_by_key(|s| s.party);
                Ok((timeline::SIGNEES_SET, None))
            },
        )
    }

    pub fn request_sign(&mut self, user: &str, id: &ContractId) -> Result<Contract, ApiError> {
        self.owner_acts(
            user,
            id,
            ContractStatus::can_request_sign,
            "request signatures on",
            |c| {
                if c.parties
                    .iter()
                    .any(|p| !c.signees.iter().any(|s| s.party == p.index))
                {
                    return Err(ApiError::new(
                        409,
                        "signees_missing",
                        "every party needs a signee",
                    ));
                }
                c.status = ContractStatus::Signing;
                c.sent = true;
                for s in &mut c.signees {
                    s.status = SigneeStatus::Waiting;
                }
                // The guide's request message, as the timeline shows it.
                let message = c.signees.iter().find_map(|s| s.message.clone());
                Ok((timeline::SIGN_REQUESTED, message))
            },
        )
    }

    pub fn cancel_sign(
        &mut self,
        user: &str,
        id: &ContractId,
        reason: Option<String>,
    ) -> Result<Contract, ApiError> {
        self.owner_acts(
            user,
            id,
            ContractStatus::can_cancel_sign,
            "cancel signing of",
            |c| {
                c.status = ContractStatus::SignCancelled;
                Ok((timeline::SIGN_CANCELLED, reason))
            },
        )
    }

    /// Make signees sign in party order (or not).
    pub fn set_sequential(&mut self, id: &ContractId, sequential: bool) -> Result<(), ApiError> {
        let c = self.contract_mut(id)?;
        c.sequential = sequential;
        Ok(())
    }

    /// A signee acts on the signing page.
    pub fn signee_acts(
        &mut self,
        id: &ContractId,
        party: u32,
        action: SigneeAction,
    ) -> Result<Contract, ApiError> {
        self.signee_does(id, party, action, None)
    }

    /// A signee declines, with the reason they typed (the timeline's
    /// message, as the website keeps it).
    pub fn signee_declines(
        &mut self,
        id: &ContractId,
        party: u32,
        reason: Option<&str>,
    ) -> Result<Contract, ApiError> {
        self.signee_does(id, party, SigneeAction::Reject, reason.map(str::to_owned))
    }

    fn signee_does(
        &mut self,
        id: &ContractId,
        party: u32,
        action: SigneeAction,
        message: Option<String>,
    ) -> Result<Contract, ApiError> {
        let now = self.now();
        let c = self.acted_on(id, ContractStatus::Signing, "sign")?;
        let s = c
            .signees
            .iter_mut()
            .find(|s| s.party == party)
            .ok_or_else(|| ApiError::not_found("signee"))?;
        let actor = s.email.clone();
        let (status, verb) = match action {
            SigneeAction::View => (SigneeStatus::Viewed, timeline::VIEWED),
            SigneeAction::Sign => (SigneeStatus::Signed, timeline::SIGNED),
            SigneeAction::Reject => (SigneeStatus::Rejected, timeline::SIGN_REJECTED),
        };
        if s.status == SigneeStatus::Signed {
            return Err(ApiError::new(
                409,
                "already_signed",
                "the signee has signed",
            ));
        }
        s.status = status;
        c.record(now, actor.clone(), (verb, message));
        match action {
            SigneeAction::Reject => c.status = ContractStatus::SignRejected,
            SigneeAction::Sign if c.signees.iter().all(|s| s.status == SigneeStatus::Signed) => {
                c.status = ContractStatus::Completed;
                c.record(now, actor, (timeline::COMPLETED, None));
            }
            _ => {}
        }
        let owner = c.owner.clone();
        self.get(&owner, id)
    }
}
