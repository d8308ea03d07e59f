//! The company's state table, tested without HTTP.

use comake::wire::*;

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
