//! The simulator's company: users, contracts and the rules of the state table, free of HTTP.
//!
//! This file holds the records, registration, and finding a contract for a
//! user; `view` renders what a user sees, `signing` and `approval` are the
//! state table's moves.

mod approval;
mod signing;
#[cfg(test)]
mod tests;
mod view;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use comake::wire::*;

use crate::error::ApiError;

pub use signing::SigneeAction;

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

/// A timeline entry to add: the action and the message it carries.
type Step = (&'static str, Option<String>);

impl SimContract {
    /// `actor` did `action` at `at`: the timeline shows it and the contract
    /// counts as updated.
    fn record(&mut self, at: DateTime<Utc>, actor: String, (action, message): Step) {
        self.updated_at = at;
        self.timeline.push(TimelineEvent {
            at,
            actor,
            action: action.into(),
            message,
        });
    }
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
                action: timeline::CREATED.into(),
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

    fn visible_to(&self, c: &SimContract, user: &str) -> Option<Role> {
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

    /// Contract `id` and `user`'s role in it: 404 when there is none (or
    /// `user` deleted it), 403 when `user` may not see it.
    fn lookup(&self, user: &str, id: &ContractId) -> Result<(&SimContract, Role), ApiError> {
        let c = self
            .contracts
            .get(id)
            .filter(|c| !c.trashed_by.contains(user))
            .ok_or_else(|| ApiError::not_found("contract"))?;
        let role = self.visible_to(c, user).ok_or_else(ApiError::forbidden)?;
        Ok((c, role))
    }

    fn contract_mut(&mut self, id: &ContractId) -> Result<&mut SimContract, ApiError> {
        self.contracts
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("contract"))
    }

    fn owned_mut(&mut self, user: &str, id: &ContractId) -> Result<&mut SimContract, ApiError> {
        self.lookup(user, id)?;
        let c = self.contract_mut(id)?;
        if c.owner != user {
            return Err(ApiError::forbidden());
        }
        Ok(c)
    }

    /// The owner `user` acts on contract `id` (`verb`, for the refusal) in
    /// a state `allowed` accepts: `change` makes the move and names the
    /// timeline entry. Answers the contract as the owner now sees it.
    fn owner_acts(
        &mut self,
        user: &str,
        id: &ContractId,
        allowed: impl FnOnce(ContractStatus) -> bool,
        verb: &str,
        change: impl FnOnce(&mut SimContract) -> Result<Step, ApiError>,
    ) -> Result<Contract, ApiError> {
        let now = self.now();
        let c = self.owned_mut(user, id)?;
        if !allowed(c.status) {
            return Err(ApiError::state(c.status, verb));
        }
        let step = change(c)?;
        c.record(now, user.to_owned(), step);
        self.get(user, id)
    }

    /// Contract `id`, which someone other than its owner acts on (`verb`),
    /// if it is in `status`.
    fn acted_on(
        &mut self,
        id: &ContractId,
        status: ContractStatus,
        verb: &str,
    ) -> Result<&mut SimContract, ApiError> {
        let c = self.contract_mut(id)?;
        if c.status != status {
            return Err(ApiError::state(c.status, verb));
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
        let c = self.contract_mut(id)?;
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
}
