//! The approval moves of the state table: the owner asks an approval line and may withdraw it; each approver in turn approves or rejects.

use comake::wire::*;

use super::Company;
use crate::error::ApiError;

impl Company {
    /// The owner asks the approval line `approvers` (name, email) to
    /// approve, in that order.
    pub fn request_approval(
        &mut self,
        user: &str,
        id: &ContractId,
        approvers: &[(&str, &str)],
    ) -> Result<Contract, ApiError> {
        let allowed = |status| {
            !approvers.is_empty()
                && matches!(
                    status,
                    ContractStatus::Saved
                        | ContractStatus::ApprovalCancelled
                        | ContractStatus::ApprovalRejected
                )
        };
        self.owner_acts(user, id, allowed, "request approval of", |c| {
            c.approvers = approvers
                .iter()
                .enumerate()
                .map(|(i, (name, email))| Approver {
                    order: i as u32 + 1,
                    name: (*name).to_owned(),
                    email: super::normalize_email(email),
                    status: ApproverStatus::Waiting,
                })
                .collect();
            c.status = ContractStatus::Approving;
            Ok((timeline::APPROVAL_REQUESTED, None))
        })
    }

    /// The next approver approves, or rejects with `reason`.
    pub fn approver_acts(
        &mut self,
        id: &ContractId,
        approve: bool,
        reason: Option<&str>,
    ) -> Result<Contract, ApiError> {
        let now = self.now();
        let c = self.acted_on(id, ContractStatus::Approving, "approve")?;
        let a = c
            .approvers
            .iter_mut()
            .filter(|a| a.status == ApproverStatus::Waiting)
            .min_by_key(|a| a.order)
            .ok_or_else(|| ApiError::not_found("approver"))?;
        let actor = a.email.clone();
        a.status = if approve {
            ApproverStatus::Approved
        } else {
            ApproverStatus::Rejected
        };
        let done = c
            .approvers
            .iter()
            .all(|a| a.status == ApproverStatus::Approved);
        let (status, action) = match (approve, done) {
            (false, _) => (
                ContractStatus::ApprovalRejected,
                timeline::APPROVAL_REJECTED,
            ),
            (true, true) => (ContractStatus::Approved, timeline::APPROVED),
            (true, false) => (ContractStatus::Approving, timeline::APPROVED),
        };
        c.status = status;
        c.record(now, actor, (action, reason.map(str::to_owned)));
        let owner = c.owner.clone();
        self.get(&owner, id)
    }

    /// The owner withdraws the approval request (on the website).
    pub fn cancel_approval(&mut self, user: &str, id: &ContractId) -> Result<Contract, ApiError> {
        let approving = |status| status == ContractStatus::Approving;
        self.owner_acts(user, id, approving, "cancel the approval of", |c| {
            c.status = ContractStatus::ApprovalCancelled;
            Ok((timeline::APPROVAL_CANCELLED, None))
        })
    }
}
