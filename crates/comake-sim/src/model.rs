//! The simulator's company: users, contracts and the rules of the state table, free of HTTP.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use comake::wire::*;

/// A refusal, as Comake would send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }
    fn invalid(message: impl Into<String>) -> Self {
        Self::new(422, "invalid_field", message)
    }
    fn not_found(what: &str) -> Self {
        Self::new(404, "not_found", format!("no such {what}"))
    }
    fn forbidden() -> Self {
        Self::new(403, "forbidden", "this user may not change this contract")
    }
    fn state(status: ContractStatus, what: &str) -> Self {
        Self::new(
            409,
            "invalid_state",
            format!("cannot {what} a contract in state {}", status.as_str()),
        )
    }
}

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

#[derive(Debug, Clone)]
struct SimSignee {
    party: u32,
    name: String,
    email: String,
    phone: Option<String>,
    kakao: bool,
    has_password: bool,
    status: SigneeStatus,
    /// The request message the sender wrote for this signee.
    message: Option<String>,
}

#[derive(Debug, Clone)]
struct SimContract {
    id: ContractId,
    name: String,
    owner: String,
    labels: HashMap<String, String>,
    status: ContractStatus,
    parties: Vec<Party>,
    signees: Vec<SimSignee>,
    timeline: Vec<TimelineEvent>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    /// Requests were sent at least once: signees now see it as received.
    sent: bool,
    trashed_by: HashSet<String>,
    /// The approval line, in order (empty: none was asked for).
    approvers: Vec<Approver>,
    /// Signees sign in party order: a signee's turn comes when every
    /// party before theirs has signed.
    sequential: bool,
}

/// One company's users and contracts.
#[derive(Debug, Default)]
pub struct Company {
    users: HashMap<String, Client>,
    contracts: HashMap<ContractId, SimContract>,
    next_id: u64,
    /// A strictly increasing clock so that list order is stable in tests.
    last_time: Option<DateTime<Utc>>,
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The simulator applies the same email rule as the bot.
pub fn plausible_email(email: &str) -> bool {
    // Enough for a simulator: one `@`, something on both sides, a dotted
    // domain, no spaces.
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
}

impl Company {
    fn now(&mut self) -> DateTime<Utc> {
        let mut now = Utc::now();
        if let Some(last) = self.last_time {
            if now <= last {
                now = last + chrono::Duration::milliseconds(1);
            }
        }
        self.last_time = Some(now);
        now
    }

    fn new_id(&mut self) -> String {
        self.next_id += 1;
        format!("{:08x}{:016x}", 0x6500_0000u32, self.next_id)
    }

    pub fn user(&self, email: &str) -> Option<&Client> {
        self.users.get(&normalize_email(email))
    }

    pub fn register(
        &mut self,
        email: &str,
        name: &str,
        phone: Option<String>,
    ) -> Result<Client, ApiError> {
        let key = normalize_email(email);
        if !plausible_email(&key) {
            return Err(ApiError::invalid("email is not a valid address"));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ApiError::invalid("name must be 1 to 100 characters"));
        }
        if self.users.contains_key(&key) {
            return Err(ApiError::new(
                409,
                "client_exists",
                "a user with this email already exists",
            ));
        }
        let client = Client {
            id: ClientId(self.new_id()),
            email: key.clone(),
            name: name.to_owned(),
            phone,
        };
        self.users.insert(key, client.clone());
        Ok(client)
    }

    /// Create a contract as if its owner had uploaded and saved it on the web page.
    pub fn create_contract(
        &mut self,
        owner: &str,
        name: &str,
        parties: &[&str],
        status: ContractStatus,
    ) -> Result<ContractId, ApiError> {
        let owner = normalize_email(owner);
        if !self.users.contains_key(&owner) {
            return Err(ApiError::not_found("client"));
        }
        if parties.is_empty() {
            return Err(ApiError::invalid("a contract needs at least one party"));
        }
        let id = ContractId::parse(&self.new_id()).ok_or_else(|| ApiError::invalid("bad id"))?;
        let now = self.now();
        let contract = SimContract {
            id: id.clone(),
            name: name.to_owned(),
            owner: owner.clone(),
            labels: HashMap::new(),
            status,
            parties: parties
                .iter()
                .enumerate()
                .map(|(i, p)| Party {
                    index: i as u32,
                    name: (*p).to_owned(),
                })
                .collect(),
            signees: Vec::new(),
            timeline: vec![TimelineEvent {
                at: now,
                actor: owner,
                action: "created".into(),
                message: None,
            }],
            created_at: now,
            updated_at: now,
            sent: matches!(status, ContractStatus::Signing | ContractStatus::Completed),
            trashed_by: HashSet::new(),
            approvers: Vec::new(),
            sequential: false,
        };
        self.contracts.insert(id.clone(), contract);
        Ok(id)
    }

    fn visible_to<'a>(&'a self, c: &'a SimContract, user: &str) -> Option<Role> {
        if c.trashed_by.contains(user) {
            return None;
        }
        if c.owner == user {
            Some(Role::Sender)
        } else if (c.sent && c.signees.iter().any(|s| s.email == user))
            || c.approvers.iter().any(|a| a.email == user)
        {
            Some(Role::Receiver)
        } else {
            None
        }
    }

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

    fn lookup(&self, user: &str, id: &ContractId) -> Result<(&SimContract, Role), ApiError> {
        let c = self
            .contracts
            .get(id)
            .filter(|c| !c.trashed_by.contains(user))
            .ok_or_else(|| ApiError::not_found("contract"))?;
        let role = self.visible_to(c, user).ok_or_else(ApiError::forbidden)?;
        Ok((c, role))
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

    fn owned_mut(&mut self, user: &str, id: &ContractId) -> Result<&mut SimContract, ApiError> {
        self.lookup(user, id)?;
        let c = self
            .contracts
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("contract"))?;
        if c.owner != user {
            return Err(ApiError::forbidden());
        }
        Ok(c)
    }

    pub fn rename(
        &mut self,
        user: &str,
        id: &ContractId,
        name: &str,
    ) -> Result<Contract, ApiError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ApiError::invalid("name must be 1 to 100 characters"));
        }
        let (_, role) = self.lookup(user, id)?;
        let now = self.now();
        let c = self
            .contracts
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("contract"))?;
        // The name is the user's own label; the other party keeps theirs.
        if role == Role::Sender {
            c.name = name.to_owned();
        } else {
            c.labels.insert(user.to_owned(), name.to_owned());
        }
        c.updated_at = now;
        self.get(user, id)
    }

    pub fn delete(&mut self, user: &str, id: &ContractId) -> Result<(), ApiError> {
        let (c, _) = self.lookup(user, id)?;
        if !c.status.can_delete() {
            return Err(ApiError::state(c.status, "delete"));
        }
        if let Some(c) = self.contracts.get_mut(id) {
            c.trashed_by.insert(user.to_owned());
        }
        Ok(())
    }

    pub fn set_signees(
        &mut self,
        user: &str,
        id: &ContractId,
        signees: Vec<SigneeInput>,
    ) -> Result<Contract, ApiError> {
        let now = self.now();
        let c = self.owned_mut(user, id)?;
        if !c.status.can_request_sign() {
            return Err(ApiError::state(c.status, "set signees of"));
        }
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
        c.updated_at = now;
        c.timeline.push(TimelineEvent {
            at: now,
            actor: user.to_owned(),
            action: "signees_set".into(),
            message: None,
        });
        self.get(user, id)
    }

    pub fn request_sign(&mut self, user: &str, id: &ContractId) -> Result<Contract, ApiError> {
        let now = self.now();
        let c = self.owned_mut(user, id)?;
        if !c.status.can_request_sign() {
            return Err(ApiError::state(c.status, "request signatures on"));
        }
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
        c.updated_at = now;
        c.timeline.push(TimelineEvent {
            at: now,
            actor: user.to_owned(),
            action: "sign_requested".into(),
            // The guide's request message, as the timeline shows it.
            message: c.signees.iter().find_map(|s| s.message.clone()),
        });
        self.get(user, id)
    }

    /// The owner asks the approval line `approvers` (name, email) to
    /// approve, in that order.
    pub fn request_approval(
        &mut self,
        user: &str,
        id: &ContractId,
        approvers: &[(&str, &str)],
    ) -> Result<Contract, ApiError> {
        let now = self.now();
        let c = self.owned_mut(user, id)?;
        if !matches!(
            c.status,
            ContractStatus::Saved
                | ContractStatus::ApprovalCancelled
                | ContractStatus::ApprovalRejected
        ) || approvers.is_empty()
        {
            return Err(ApiError::state(c.status, "request approval of"));
        }
        c.approvers = approvers
            .iter()
            .enumerate()
            .map(|(i, (name, email))| Approver {
                order: i as u32 + 1,
                name: (*name).to_owned(),
                email: normalize_email(email),
                status: ApproverStatus::Waiting,
            })
            .collect();
        c.status = ContractStatus::Approving;
        c.updated_at = now;
        c.timeline.push(TimelineEvent {
            at: now,
            actor: user.to_owned(),
            action: "approval_requested".into(),
            message: None,
        });
        self.get(user, id)
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
            (false, _) => (ContractStatus::ApprovalRejected, "approval_rejected"),
            (true, true) => (ContractStatus::Approved, "approved"),
            (true, false) => (ContractStatus::Approving, "approved_step"),
        };
        c.status = status;
        c.updated_at = now;
        c.timeline.push(TimelineEvent {
            at: now,
            actor,
            action: action.into(),
            message: reason.map(str::to_owned),
        });
        let owner = c.owner.clone();
        self.get(&owner, id)
    }

    /// Contract `id`, which someone other than its owner acts on (`verb`),
    /// if it is in `status`.
    fn acted_on(
        &mut self,
        id: &ContractId,
        status: ContractStatus,
        verb: &str,
    ) -> Result<&mut SimContract, ApiError> {
        let c = self
            .contracts
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("contract"))?;
        if c.status != status {
            return Err(ApiError::state(c.status, verb));
        }
        Ok(c)
    }

    /// The owner withdraws the approval request (on the website).
    pub fn cancel_approval(&mut self, user: &str, id: &ContractId) -> Result<Contract, ApiError> {
        let now = self.now();
        let c = self.owned_mut(user, id)?;
        if c.status != ContractStatus::Approving {
            return Err(ApiError::state(c.status, "cancel the approval of"));
        }
        c.status = ContractStatus::ApprovalCancelled;
        c.updated_at = now;
        c.timeline.push(TimelineEvent {
            at: now,
            actor: user.to_owned(),
            action: "approval_cancelled".into(),
            message: None,
        });
        self.get(user, id)
    }

    /// Make signees sign in party order (or not).
    pub fn set_sequential(&mut self, id: &ContractId, sequential: bool) -> Result<(), ApiError> {
        let c = self
            .contracts
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("contract"))?;
        c.sequential = sequential;
        Ok(())
    }

    pub fn cancel_sign(
        &mut self,
        user: &str,
        id: &ContractId,
        reason: Option<String>,
    ) -> Result<Contract, ApiError> {
        let now = self.now();
        let c = self.owned_mut(user, id)?;
        if !c.status.can_cancel_sign() {
            return Err(ApiError::state(c.status, "cancel signing of"));
        }
        c.status = ContractStatus::SignCancelled;
        c.updated_at = now;
        c.timeline.push(TimelineEvent {
            at: now,
            actor: user.to_owned(),
            action: "sign_cancelled".into(),
            message: reason,
        });
        self.get(user, id)
    }

    /// A signee acts on the signing page.
    pub fn signee_acts(
        &mut self,
        id: &ContractId,
        party: u32,
        action: SigneeAction,
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
            SigneeAction::View => (SigneeStatus::Viewed, "viewed"),
            SigneeAction::Sign => (SigneeStatus::Signed, "signed"),
            SigneeAction::Reject => (SigneeStatus::Rejected, "rejected"),
        };
        if s.status == SigneeStatus::Signed {
            return Err(ApiError::new(
                409,
                "already_signed",
                "the signee has signed",
            ));
        }
        s.status = status;
        c.timeline.push(TimelineEvent {
            at: now,
            actor: actor.clone(),
            action: verb.into(),
            message: None,
        });
        match action {
            SigneeAction::Reject => c.status = ContractStatus::SignRejected,
            SigneeAction::Sign if c.signees.iter().all(|s| s.status == SigneeStatus::Signed) => {
                c.status = ContractStatus::Completed;
                c.timeline.push(TimelineEvent {
                    at: now,
                    actor,
                    action: "completed".into(),
                    message: None,
                });
            }
            _ => {}
        }
        c.updated_at = now;
        let owner = c.owner.clone();
        self.get(&owner, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company() -> (Company, ContractId) {
        let mut co = Company::default();
        co.register("a@x.com", "Kim", None).unwrap();
        co.register("b@x.com", "Lee", None).unwrap();
        let id = co
            .create_contract("a@x.com", "NDA", &["갑", "을"], ContractStatus::Saved)
            .unwrap();
        (co, id)
    }

    fn signee(party: u32, email: &str) -> SigneeInput {
        SigneeInput {
            party,
            name: format!("P{party}"),
            email: email.into(),
            phone: None,
            kakao: false,
            password: None,
            message: None,
        }
    }

    #[test]
    fn signing_flow_follows_the_state_table() {
        let (mut co, id) = company();
        assert_eq!(co.request_sign("a@x.com", &id).unwrap_err().status, 409);
        co.set_signees(
            "a@x.com",
            &id,
            vec![signee(0, "a@x.com"), signee(1, "b@x.com")],
        )
        .unwrap();
        // Not sent yet: the other party does not see it.
        assert_eq!(co.get("b@x.com", &id).unwrap_err().status, 403);
        let c = co.request_sign("a@x.com", &id).unwrap();
        assert_eq!(c.summary.status, ContractStatus::Signing);
        assert_eq!(co.get("b@x.com", &id).unwrap().summary.role, Role::Receiver);
        assert_eq!(co.delete("a@x.com", &id).unwrap_err().status, 409);
        assert_eq!(co.request_sign("a@x.com", &id).unwrap_err().status, 409);
        assert_eq!(co.request_sign("b@x.com", &id).unwrap_err().status, 403);
        co.signee_acts(&id, 0, SigneeAction::Sign).unwrap();
        let c = co.signee_acts(&id, 1, SigneeAction::Sign).unwrap();
        assert_eq!(c.summary.status, ContractStatus::Completed);
        co.delete("a@x.com", &id).unwrap();
        assert_eq!(co.get("a@x.com", &id).unwrap_err().status, 404);
        // The receiver still has it.
        assert!(co.get("b@x.com", &id).is_ok());
    }

    #[test]
    fn bad_signees_are_refused() {
        let (mut co, id) = company();
        for bad in [
            vec![signee(5, "a@x.com")],
            vec![signee(0, "a@x.com"), signee(0, "b@x.com")],
            vec![signee(0, "not-an-email")],
        ] {
            assert_eq!(co.set_signees("a@x.com", &id, bad).unwrap_err().status, 422);
        }
    }

    #[test]
    fn list_pages_and_filters() {
        let (mut co, _) = company();
        for i in 0..5 {
            co.create_contract(
                "a@x.com",
                &format!("c{i}"),
                &["갑"],
                ContractStatus::Completed,
            )
            .unwrap();
        }
        let page = co.list("a@x.com", BoxTab::Completed, 2, 2).unwrap();
        assert_eq!(page.total, 5);
        assert_eq!(
            page.contracts
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["c2", "c1"]
        );
        assert_eq!(
            co.list("a@x.com", BoxTab::Preparing, 1, 20).unwrap().total,
            1
        );
        assert_eq!(
            co.list("a@x.com", BoxTab::All, 0, 20).unwrap_err().status,
            422
        );
        assert_eq!(
            co.list("a@x.com", BoxTab::All, 1, 101).unwrap_err().status,
            422
        );
    }
}
