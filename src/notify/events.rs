//! What changed in a person's contract box between two reads, as events to tell them.

use crate::comake::wire::{
    timeline, ApproverStatus, Contract, ContractStatus, ContractSummary, RequestType, Role,
    SigneeStatus,
};
use crate::store::{NewsKind, SeenApprover, SeenContract, SeenSignee};

/// One step of an approval line: the how-manyth of how many, and whose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub(crate) n: u32,
    pub(crate) of: u32,
    pub(crate) approver: String,
}

/// Something to tell a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    Viewed {
        contract: String,
        signee: String,
    },
    Signed {
        contract: String,
        signee: String,
    },
    /// A signee declined, with their reason when Comake gives one.
    Rejected {
        contract: String,
        signee: String,
        reason: Option<String>,
    },
    Completed {
        contract: String,
    },
    Cancelled {
        contract: String,
    },
    /// A contract sent to the user is waiting for their signature, or
    /// (`approval`) their approval: it is their turn.
    Waiting {
        id: String,
        contract: String,
        approval: bool,
        /// For an approval: the approval line as it stands, when known.
        line: Vec<SeenApprover>,
    },
    /// A request that waited on the user (to sign or approve) was
    /// withdrawn by its sender.
    Withdrawn {
        contract: String,
    },
    /// The approval line approved a contract the user sent.
    Approved {
        id: String,
        contract: String,
    },
    /// One approver of the line approved a contract the user sent, and
    /// the line goes on.
    ApprovalStep {
        contract: String,
        step: Step,
    },
    /// An approver rejected it, with their reason when Comake gives one,
    /// and which step it was when the line is known.
    ApprovalRejected {
        contract: String,
        reason: Option<String>,
        step: Option<Step>,
    },
    /// The approval request was withdrawn.
    ApprovalCancelled {
        contract: String,
    },
    /// A contract the user just saved (after `/contract new`, or on the
    /// website): the next steps, as buttons.
    Created {
        id: String,
        contract: String,
    },
}

impl Event {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Event::Viewed { .. } => "viewed",
            Event::Signed { .. } => "signed",
            Event::Rejected { .. } => "rejected",
            Event::Completed { .. } => "completed",
            Event::Cancelled { .. } => "cancelled",
            Event::Waiting { .. } => "waiting",
            Event::Withdrawn { .. } => "withdrawn",
            Event::Approved { .. } => "approved",
            Event::ApprovalStep { .. } => "approval_step",
            Event::ApprovalRejected { .. } => "approval_rejected",
            Event::ApprovalCancelled { .. } => "approval_cancelled",
            Event::Created { .. } => "created",
        }
    }

    /// The kind of news it is, as a person turns kinds off and on.
    pub(crate) fn news(&self) -> NewsKind {
        match self {
            Event::Viewed { .. } => NewsKind::Viewed,
            Event::Signed { .. } => NewsKind::Signed,
            Event::Rejected { .. } => NewsKind::Declined,
            Event::Completed { .. } | Event::Cancelled { .. } | Event::Withdrawn { .. } => {
                NewsKind::Completed
            }
            // What to do next with one's own new contract is one's turn too.
            Event::Waiting { .. } | Event::Created { .. } => NewsKind::MyTurn,
            Event::Approved { .. }
            | Event::ApprovalStep { .. }
            | Event::ApprovalRejected { .. }
            | Event::ApprovalCancelled { .. } => NewsKind::Approval,
        }
    }

    /// The name of the contract it is about.
    pub(crate) fn contract(&self) -> &str {
        match self {
            Event::Viewed { contract, .. }
            | Event::Signed { contract, .. }
            | Event::Rejected { contract, .. }
            | Event::Completed { contract }
            | Event::Cancelled { contract }
            | Event::Waiting { contract, .. }
            | Event::Withdrawn { contract }
            | Event::Approved { contract, .. }
            | Event::ApprovalStep { contract, .. }
            | Event::ApprovalRejected { contract, .. }
            | Event::ApprovalCancelled { contract }
            | Event::Created { contract, .. } => contract,
        }
    }
}

/// The approval line in order.
fn in_order(line: &[SeenApprover]) -> Vec<&SeenApprover> {
    let mut ordered: Vec<&SeenApprover> = line.iter().collect();
    ordered.sort_by_key(|a| a.order);
    ordered
}

/// The steps of `line` with an approver in `status`, as steps, in order;
/// those `before` already showed so are left out.
fn steps_in(line: &[SeenApprover], before: &[SeenApprover], status: ApproverStatus) -> Vec<Step> {
    let ordered = in_order(line);
    let of = ordered.len() as u32;
    ordered
        .iter()
        .enumerate()
        .filter(|(_, a)| a.status == status)
        .filter(|(_, a)| {
            !before
                .iter()
                .any(|b| b.order == a.order && b.status == status)
        })
        .map(|(i, a)| Step {
            n: i as u32 + 1,
            of,
            approver: a.name.clone(),
        })
        .collect()
}

/// What is worth remembering of a contract, from the list and (for
/// contracts out for signature that the user sent) its details.
pub(crate) fn seen(
    summary: &ContractSummary,
    detail: Option<&Contract>,
    old: Option<&SeenContract>,
) -> SeenContract {
    let signees = match detail {
        Some(c) => c
            .signees
            .iter()
            .map(|s| SeenSignee {
                party: s.party,
                name: s.name.clone(),
                status: s.status,
            })
            .collect(),
        None => old.map(|o| o.signees.clone()).unwrap_or_default(),
    };
    // An approver's reason: the newest approval rejection's message.
    // The reason of whoever stopped it: the newest approval rejection's
    // or decline's message.
    let said = |c: &Contract, action: &str| {
        c.timeline
            .iter()
            .rev()
            .find(|e| e.action == action)
            .and_then(|e| e.message.clone())
    };
    let reason = match detail {
        Some(c) if summary.status == ContractStatus::ApprovalRejected => {
            said(c, timeline::APPROVAL_REJECTED)
        }
        Some(c) if summary.status == ContractStatus::SignRejected => {
            said(c, timeline::SIGN_REJECTED)
        }
        Some(_) => None,
        None => old.and_then(|o| o.reason.clone()),
    };
    let approvers = match detail {
        Some(c) => c
            .approvers
            .iter()
            .map(|a| SeenApprover {
                order: a.order,
                name: a.name.clone(),
                status: a.status,
            })
            .collect(),
        None => old.map(|o| o.approvers.clone()).unwrap_or_default(),
    };
    SeenContract {
        name: summary.name.clone(),
        status: summary.status,
        role: summary.role,
        updated_at: summary.updated_at,
        signees,
        my_turn: summary.my_turn,
        request_type: summary.request_type,
        reason,
        approvers,
    }
}

/// Whether a contract's details are needed to tell what changed, when it
/// changed: the user sent it and it is or just was out for signature, or
/// in approval (each step is told, the last one too); or it just became their turn to
/// approve it (the DM shows the approval line).
pub(crate) fn needs_detail(summary: &ContractSummary, old: Option<&SeenContract>) -> bool {
    let changed = old.is_none_or(|o| o.updated_at != summary.updated_at);
    let relevant = match summary.role {
        Role::Sender => {
            summary.status.details_tell_more()
                || summary.status == ContractStatus::Approving
                || old.is_some_and(|o| {
                    matches!(
                        o.status,
                        ContractStatus::Signing | ContractStatus::Approving
                    ) && o.status != summary.status
                })
        }
        Role::Receiver => {
            summary.request_type == Some(RequestType::Approval)
                && summary.my_turn == Some(true)
                && old.is_none_or(|o| o.my_turn != Some(true))
        }
    };
    relevant && changed
}

/// What changed between `old` and `new` for one contract.
pub(crate) fn changes(id: &str, old: Option<&SeenContract>, new: &SeenContract) -> Vec<Event> {
    let name = new.name.clone();
    let was = old.map(|o| o.status);
    if new.role == Role::Receiver {
        // Their turn: as Comake tells it, or (when it does not) out for
        // signature. Announced when it starts, not before.
        let turn = |c: &SeenContract| c.my_turn.unwrap_or(c.status == ContractStatus::Signing);
        if turn(new) && !old.is_some_and(turn) {
            let approval = new.request_type == Some(RequestType::Approval);
            return vec![Event::Waiting {
                id: id.to_owned(),
                contract: name,
                approval,
                line: if approval {
                    new.approvers.clone()
                } else {
                    Vec::new()
                },
            }];
        }
        // How it ended, for someone in it: complete, or the request that
        // waited on them withdrawn (nothing left for them to do).
        let moved = was.is_some_and(|w| w != new.status);
        return match new.status {
            ContractStatus::Completed if moved => vec![Event::Completed { contract: name }],
            ContractStatus::SignCancelled | ContractStatus::ApprovalCancelled
                if moved && old.is_some_and(turn) =>
            {
                vec![Event::Withdrawn { contract: name }]
            }
            _ => Vec::new(),
        };
    }
    if old.is_none() && new.status == ContractStatus::Saved {
        // Saved since the last read: what to do next. Once: from now on
        // it is seen.
        return vec![Event::Created {
            id: id.to_owned(),
            contract: name,
        }];
    }
    // Approvers who approved since the last read; all of them when the
    // line was not in approval then (a new round starts all waiting).
    let approved_steps = || {
        let before = match old {
            Some(o) if o.status == ContractStatus::Approving => o.approvers.as_slice(),
            _ => &[],
        };
        steps_in(&new.approvers, before, ApproverStatus::Approved)
            .into_iter()
            .map(|step| Event::ApprovalStep {
                contract: name.clone(),
                step,
            })
            .collect::<Vec<_>>()
    };
    if was == Some(new.status) || old.is_none() {
        // Same state: only signees or approvers can have moved. A contract
        // seen for the first time (sent from the website) is announced
        // once it moves.
        match new.status {
            _ if old.is_none() => return Vec::new(),
            ContractStatus::Signing => {}
            ContractStatus::Approving => return approved_steps(),
            _ => return Vec::new(),
        }
    } else {
        match new.status {
            ContractStatus::Completed => return vec![Event::Completed { contract: name }],
            // The last step(s) too, then the line's end, with its button.
            ContractStatus::Approved if was == Some(ContractStatus::Approving) => {
                let mut events = approved_steps();
                events.push(Event::Approved {
                    id: id.to_owned(),
                    contract: name,
                });
                return events;
            }
            ContractStatus::ApprovalRejected => {
                return vec![Event::ApprovalRejected {
                    contract: name,
                    reason: new.reason.clone(),
                    step: steps_in(&new.approvers, &[], ApproverStatus::Rejected)
                        .into_iter()
                        .next(),
                }]
            }
            ContractStatus::Approving => return approved_steps(),
            ContractStatus::ApprovalCancelled if was == Some(ContractStatus::Approving) => {
                return vec![Event::ApprovalCancelled { contract: name }]
            }
            ContractStatus::SignCancelled => return vec![Event::Cancelled { contract: name }],
            ContractStatus::SignRejected => {
                let signee = new
                    .signees
                    .iter()
                    .find(|s| s.status == SigneeStatus::Rejected)
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                return vec![Event::Rejected {
                    contract: name,
                    signee,
                    reason: new.reason.clone(),
                }];
            }
            ContractStatus::Signing => {}
            _ => return Vec::new(),
        }
    }
    let before = |party: u32| {
        old.and_then(|o| o.signees.iter().find(|s| s.party == party))
            .map(|s| s.status)
            .unwrap_or(SigneeStatus::Waiting)
    };
    let mut events = Vec::new();
    for s in &new.signees {
        let prev = before(s.party);
        if prev == s.status {
            continue;
        }
        let (contract, signee) = (name.clone(), s.name.clone());
        match s.status {
            SigneeStatus::Viewed if prev == SigneeStatus::Waiting => {
                events.push(Event::Viewed { contract, signee })
            }
            SigneeStatus::Signed => events.push(Event::Signed { contract, signee }),
            SigneeStatus::Rejected => events.push(Event::Rejected {
                contract,
                signee,
                reason: new.reason.clone(),
            }),
            _ => {}
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn contract(
        status: ContractStatus,
        role: Role,
        signees: &[(u32, SigneeStatus)],
        at: i64,
    ) -> SeenContract {
        SeenContract {
            name: "NDA".into(),
            status,
            role,
            updated_at: Utc::now() + chrono::Duration::seconds(at),
            signees: signees
                .iter()
                .map(|(p, s)| SeenSignee {
                    party: *p,
                    name: format!("P{p}"),
                    status: *s,
                })
                .collect(),
            my_turn: None,
            request_type: None,
            reason: None,
            approvers: Vec::new(),
        }
    }

    use ContractStatus::*;
    use SigneeStatus::*;

    #[test]
    fn signee_moves_are_events() {
        let old = contract(Signing, Role::Sender, &[(0, Waiting), (1, Waiting)], 0);
        let new = contract(Signing, Role::Sender, &[(0, Viewed), (1, Signed)], 1);
        assert_eq!(
            changes("x", Some(&old), &new),
            vec![
                Event::Viewed {
                    contract: "NDA".into(),
                    signee: "P0".into()
                },
                Event::Signed {
                    contract: "NDA".into(),
                    signee: "P1".into()
                },
            ]
        );
        assert!(changes("x", Some(&new), &new).is_empty());
    }

    #[test]
    fn final_states_are_one_event_each() {
        let old = contract(Signing, Role::Sender, &[(0, Signed), (1, Waiting)], 0);
        let done = contract(Completed, Role::Sender, &[(0, Signed), (1, Signed)], 1);
        assert_eq!(
            changes("x", Some(&old), &done),
            vec![Event::Completed {
                contract: "NDA".into()
            }]
        );
        let rejected = contract(SignRejected, Role::Sender, &[(0, Signed), (1, Rejected)], 1);
        assert_eq!(
            changes("x", Some(&old), &rejected),
            vec![Event::Rejected {
                contract: "NDA".into(),
                signee: "P1".into(),
                reason: None,
            }]
        );
        let cancelled = contract(SignCancelled, Role::Sender, &[], 1);
        assert_eq!(
            changes("x", Some(&old), &cancelled),
            vec![Event::Cancelled {
                contract: "NDA".into()
            }]
        );
    }

    #[test]
    fn a_new_saved_contract_is_told_once_with_its_next_steps() {
        let new = contract(Saved, Role::Sender, &[], 0);
        assert_eq!(
            changes("x", None, &new),
            vec![Event::Created {
                id: "x".into(),
                contract: "NDA".into()
            }]
        );
        assert!(changes("x", Some(&new), &new).is_empty(), "once");
        // Seen first when already sent (from the website): nothing.
        assert!(changes("x", None, &contract(Signing, Role::Sender, &[], 0)).is_empty());
    }

    #[test]
    fn receivers_hear_when_it_waits_for_them() {
        let new = contract(Signing, Role::Receiver, &[], 0);
        assert_eq!(
            changes("x", None, &new),
            vec![Event::Waiting {
                id: "x".into(),
                contract: "NDA".into(),
                approval: false,
                line: Vec::new(),
            }]
        );
        assert!(changes("x", Some(&new), &new).is_empty());
        // How it ends is told too: complete, or the request withdrawn.
        let done = contract(Completed, Role::Receiver, &[], 1);
        assert_eq!(
            changes("x", Some(&new), &done),
            vec![Event::Completed {
                contract: "NDA".into()
            }]
        );
        let withdrawn = contract(SignCancelled, Role::Receiver, &[], 1);
        assert_eq!(
            changes("x", Some(&new), &withdrawn),
            vec![Event::Withdrawn {
                contract: "NDA".into()
            }]
        );
        // Seen for the first time already ended: nothing to tell.
        assert!(changes("x", None, &done).is_empty());
        assert!(changes("x", Some(&done), &done).is_empty());
    }

    #[test]
    fn each_approval_step_is_told_once_and_a_rejection_says_which() {
        let line = |states: &[ApproverStatus]| {
            states
                .iter()
                .enumerate()
                .map(|(i, s)| SeenApprover {
                    order: i as u32 + 1,
                    name: format!("A{}", i + 1),
                    status: *s,
                })
                .collect::<Vec<_>>()
        };
        use ApproverStatus as A;
        let with = |status, states: &[ApproverStatus], at| SeenContract {
            approvers: line(states),
            ..contract(status, Role::Sender, &[], at)
        };
        let asked = with(Approving, &[A::Waiting, A::Waiting, A::Waiting], 0);
        let one = with(Approving, &[A::Approved, A::Waiting, A::Waiting], 1);
        let step = |n, approver: &str| Event::ApprovalStep {
            contract: "NDA".into(),
            step: Step {
                n,
                of: 3,
                approver: approver.into(),
            },
        };
        assert_eq!(changes("x", Some(&asked), &one), vec![step(1, "A1")]);
        assert!(changes("x", Some(&one), &one).is_empty(), "told once");
        // Two steps between reads: both, in order.
        let three = with(Approving, &[A::Approved, A::Approved, A::Waiting], 2);
        assert_eq!(
            changes("x", Some(&asked), &three),
            vec![step(1, "A1"), step(2, "A2")]
        );
        // The last step: told, then the line's end.
        let done = with(Approved, &[A::Approved, A::Approved, A::Approved], 3);
        assert_eq!(
            changes("x", Some(&three), &done),
            vec![
                step(3, "A3"),
                Event::Approved {
                    id: "x".into(),
                    contract: "NDA".into()
                }
            ]
        );
        // Asked again after a rejection: only what moved in this round.
        let rejected = with(ApprovalRejected, &[A::Approved, A::Rejected, A::Waiting], 3);
        assert_eq!(
            changes("x", Some(&one), &rejected),
            vec![Event::ApprovalRejected {
                contract: "NDA".into(),
                reason: None,
                step: Some(Step {
                    n: 2,
                    of: 3,
                    approver: "A2".into()
                }),
            }]
        );
        assert!(changes("x", Some(&rejected), &asked).is_empty());
        // The baseline is silent.
        assert!(changes("x", None, &three).is_empty());
    }

    #[test]
    fn an_approvers_turn_carries_the_approval_line() {
        let mut theirs = contract(Approving, Role::Receiver, &[], 0);
        theirs.request_type = Some(RequestType::Approval);
        theirs.my_turn = Some(true);
        theirs.approvers = vec![SeenApprover {
            order: 1,
            name: "Boss".into(),
            status: ApproverStatus::Waiting,
        }];
        match changes("x", None, &theirs).as_slice() {
            [Event::Waiting {
                approval: true,
                line,
                ..
            }] => assert_eq!(line, &theirs.approvers),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn details_are_read_only_when_they_can_tell_something() {
        let summary = |status, role, at: i64| ContractSummary {
            id: crate::comake::wire::ContractId::parse("abc").unwrap(),
            name: "NDA".into(),
            status,
            status_text: String::new(),
            role,
            created_at: Utc::now(),
            updated_at: Utc::now() + chrono::Duration::seconds(at),
            my_turn: None,
            request_type: None,
        };
        let s = summary(Signing, Role::Sender, 5);
        assert!(needs_detail(&s, None));
        let old = seen(&s, None, None);
        assert!(!needs_detail(&s, Some(&old)), "unchanged");
        assert!(!needs_detail(&summary(Saved, Role::Sender, 9), None));
        assert!(!needs_detail(&summary(Signing, Role::Receiver, 9), None));
        assert!(
            needs_detail(&summary(Completed, Role::Sender, 9), Some(&old)),
            "just finished"
        );
    }
}
