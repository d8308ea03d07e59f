//! What a user sees of the company: a contract's summary and details, whose turn it is, and the list of a box tab.

use comake::wire::*;

use super::{Company, SimContract};
use crate::error::ApiError;

impl Company {
    /// Whether the next step of `c` is `user`'s, and what is asked: the
    /// first approver still waiting, or a signee whose turn it is.
    fn turn(c: &SimContract, user: &str) -> (bool, Option<RequestType>) {
        if c.approvers.iter().any(|a| a.email == user) && !c.signees.iter().any(|s| s.email == user)
        {
            let next = c
                .approvers
                .iter()
                .filter(|a| a.status == ApproverStatus::Waiting)
                .min_by_key(|a| a.order);
            let mine =
                c.status == ContractStatus::Approving && next.is_some_and(|a| a.email == user);
            return (mine, Some(RequestType::Approval));
        }
        let mine = c.status == ContractStatus::Signing
            && c.signees.iter().any(|s| {
                s.email == user
                    && s.status != SigneeStatus::Signed
                    && (!c.sequential
                        || c.signees
                            .iter()
                            .filter(|o| o.party < s.party)
                            .all(|o| o.status == SigneeStatus::Signed))
            });
        (mine, Some(RequestType::Sign))
    }

    fn summary(&self, c: &SimContract, user: &str, role: Role) -> ContractSummary {
        ContractSummary {
            id: c.id.clone(),
            name: c.labels.get(user).unwrap_or(&c.name).clone(),
            status: c.status,
            status_text: self.status_text(c),
            created_at: c.created_at,
            updated_at: c.updated_at,
            my_turn: Some(role == Role::Receiver && Self::turn(c, user).0),
            request_type: if role == Role::Receiver {
                Self::turn(c, user).1
            } else {
                None
            },
            role,
        }
    }

    fn full(&self, c: &SimContract, user: &str, role: Role) -> Contract {
        Contract {
            summary: self.summary(c, user, role),
            parties: c.parties.clone(),
            signees: c
                .signees
                .iter()
                .map(|s| Signee {
                    party: s.party,
                    name: s.name.clone(),
                    email: s.email.clone(),
                    phone: s.phone.clone(),
                    kakao: s.kakao,
                    has_password: s.has_password,
                    status: s.status,
                    order: c.sequential.then_some(s.party),
                })
                .collect(),
            timeline: c.timeline.clone(),
            approvers: c.approvers.clone(),
        }
    }

    fn owner_name(&self, c: &SimContract) -> String {
        self.users
            .get(&c.owner)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| c.owner.clone())
    }

    fn status_text(&self, c: &SimContract) -> String {
        let names = c
            .signees
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        match c.status {
            ContractStatus::Saved => "저장됨".into(),
            ContractStatus::Approving => "결재중".into(),
            ContractStatus::ApprovalCancelled => "결재요청 취소".into(),
            ContractStatus::ApprovalRejected => "결재 반려".into(),
            ContractStatus::Approved => "결재됨".into(),
            ContractStatus::Signing => format!("{}, {names}에게 서명요청", self.owner_name(c)),
            ContractStatus::SignCancelled => "서명요청 취소".into(),
            ContractStatus::SignRejected => {
                let who = c
                    .signees
                    .iter()
                    .find(|s| s.status == SigneeStatus::Rejected)
                    .map(|s| s.name.as_str())
                    .unwrap_or("");
                format!("{who} 서명 반려")
            }
            ContractStatus::Completed => "체결됨".into(),
            ContractStatus::Unknown => String::new(),
        }
    }

    pub fn list(
        &self,
        user: &str,
        tab: BoxTab,
        page: u32,
        limit: u32,
    ) -> Result<ContractList, ApiError> {
        if page == 0 {
            return Err(ApiError::invalid("page starts at 1"));
        }
        if !(1..=LIST_MAX_LIMIT).contains(&limit) {
            return Err(ApiError::invalid("limit must be 1 to 100"));
        }
        let mut rows: Vec<ContractSummary> = self
            .contracts
            .values()
            .filter_map(|c| {
                let role = self.visible_to(c, user)?;
                (tab == BoxTab::All || c.status.tab() == tab).then(|| self.summary(c, user, role))
            })
            .collect();
        rows.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
        let total = rows.len() as u64;
        let start = (page as usize - 1).saturating_mul(limit as usize);
        let contracts = rows.into_iter().skip(start).take(limit as usize).collect();
        Ok(ContractList {
            contracts,
            total,
            page,
            limit,
        })
    }

    /// The contract as its owner sees it (for tests and the control surface).
    pub fn peek(&self, id: &ContractId) -> Option<Contract> {
        let c = self.contracts.get(id)?;
        Some(self.full(c, &c.owner, Role::Sender))
    }

    pub fn get(&self, user: &str, id: &ContractId) -> Result<Contract, ApiError> {
        let (c, role) = self.lookup(user, id)?;
        Ok(self.full(c, user, role))
    }
}
