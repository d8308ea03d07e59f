//! Setting one party's signee keeps the request messages the bot set with the others (Comake replaces the whole list and never reads messages back); a signee set on the website, whose message the bot cannot know, is refused and explained.

use crate::common;

use comake_bot::comake::wire::{timeline, ContractId, ContractStatus, Endpoint};
use common::discord::{Actor, Harness};
use serde_json::json;

const KIM: u64 = 111_111_111_111_111_111;

/// `/contract signee` for `party`, with a request `message` when given.
async fn set(h: &Harness, id: &ContractId, party: &str, who: (&str, &str), message: Option<&str>) {
    let mut options = vec![
        ("contract", json!(id.as_str())),
        ("party", json!(party)),
        ("name", json!(who.0)),
        ("email", json!(who.1)),
    ];
    if let Some(m) = message {
        options.push(("message", json!(m)));
    }
    let a = h
        .command(&Actor::user(KIM), "contract signee", &options)
        .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
}

/// The request message Comake recorded when the requests went out.
fn sent_message(h: &Harness, id: &ContractId) -> Option<String> {
    h.sim
        .contract(id)
        .unwrap()
        .timeline
        .iter()
        .find(|e| e.action == timeline::SIGN_REQUESTED)
        .and_then(|e| e.message.clone())
}

#[tokio::test]
async fn setting_one_signee_keeps_the_message_given_for_another() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let id = h
        .sim
        .seed_contract(
            "kim@example.com",
            "Lease",
            &["갑", "을"],
            ContractStatus::Saved,
        )
        .unwrap();
    let lee = ("Lee", "lee@example.com");
    set(&h, &id, "0", lee, Some("Please sign by Friday")).await;
    // Setting 을 sends the whole list again: 갑's message goes with it.
    set(&h, &id, "1", ("Park", "park@example.com"), None).await;
    let a = h.send_for_signature(&Actor::user(KIM), id.as_str()).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert_eq!(
        sent_message(&h, &id).as_deref(),
        Some("Please sign by Friday")
    );

    // Also when the last signee is given inline with request-sign.
    let id = h
        .sim
        .seed_contract(
            "kim@example.com",
            "NDA",
            &["갑", "을"],
            ContractStatus::Saved,
        )
        .unwrap();
    set(&h, &id, "0", lee, Some("서명 부탁드립니다")).await;
    let kim = Actor::user(KIM);
    let options = [
        ("contract", json!(id.as_str())),
        ("name", json!("Park")),
        ("email", json!("park@example.com")),
    ];
    let a = h.command(&kim, "contract request-sign", &options).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    let b = h.press(&kim, &a.button("c:")).await;
    assert_eq!(b.outcome.result, "ok", "{}", b.text());
    assert_eq!(sent_message(&h, &id).as_deref(), Some("서명 부탁드립니다"));
}

#[tokio::test]
async fn a_signee_set_on_the_website_is_not_overwritten_blindly() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let id = h
        .sim
        .seed_contract(
            "kim@example.com",
            "Lease",
            &["갑", "을"],
            ContractStatus::Saved,
        )
        .unwrap();
    // 갑's signee, with a message, set on the website.
    let mut lee = common::plain_signee(0, "Lee", "lee@example.com");
    lee.message = Some("written on the website".into());
    h.sim
        .set_signees("kim@example.com", &id, vec![lee])
        .unwrap();
    h.sim.clear_log();
    let options = [
        ("contract", json!(id.as_str())),
        ("party", json!("1")),
        ("name", json!("Park")),
        ("email", json!("park@example.com")),
    ];
    let a = h
        .command(&Actor::user(KIM), "contract signee", &options)
        .await;
    assert_eq!(a.outcome.result, "refused", "{}", a.text());
    assert!(
        a.text().contains("set on the Comake website") && a.text().contains("갑"),
        "{}",
        a.text()
    );
    assert_eq!(h.sim.count(Endpoint::SetSignees), 0, "nothing was replaced");
    let ko = h
        .command(&Actor::user(KIM).ko(), "contract signee", &options)
        .await;
    assert!(ko.text().contains("코메이크 웹사이트"), "{}", ko.text());
    // Setting 갑 itself here is fine: nobody else's message is at stake.
    set(&h, &id, "0", ("Lee", "lee@example.com"), Some("again")).await;
    set(&h, &id, "1", ("Park", "park@example.com"), None).await;
}

/// The messages kept for `id`, as the store has them.
async fn kept(h: &Harness, id: &ContractId) -> Option<Vec<Option<String>>> {
    h.app
        .store
        .signee_messages(id.as_str())
        .await
        .unwrap()
        .map(|m| m.signees.into_iter().map(|s| s.message).collect())
}

#[tokio::test]
async fn deleting_a_contract_forgets_its_messages() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let seed = |name: &str| {
        h.sim
            .seed_contract(
                "kim@example.com",
                name,
                &["갑", "을"],
                ContractStatus::Saved,
            )
            .unwrap()
    };
    let (lease, nda) = (seed("Lease"), seed("NDA"));
    let lee = ("Lee", "lee@example.com");
    set(&h, &lease, "0", lee, Some("Please sign by Friday")).await;
    set(&h, &nda, "0", lee, Some("서명 부탁드립니다")).await;
    assert_eq!(
        kept(&h, &lease).await,
        Some(vec![Some("Please sign by Friday".into())])
    );
    let kim = Actor::user(KIM);
    let asked = h
        .command(
            &kim,
            "contract delete",
            &[("contract", json!(lease.as_str()))],
        )
        .await;
    let done = h.press(&kim, &asked.button("c:ok:")).await;
    assert_eq!(done.outcome.result, "ok", "{}", done.text());
    assert_eq!(
        h.sim.count(Endpoint::DeleteContract),
        1,
        "deleted at Comake"
    );
    assert_eq!(kept(&h, &lease).await, None, "its messages are forgotten");
    assert_eq!(
        kept(&h, &nda).await,
        Some(vec![Some("서명 부탁드립니다".into())]),
        "another contract's are kept"
    );
}

#[tokio::test]
async fn a_receivers_delete_keeps_the_senders_messages() {
    const LEE: u64 = 222_222_222_222_222_222;
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    h.linked(LEE, "lee@example.com").await;
    let id = h
        .sim
        .seed_contract("kim@example.com", "Lease", &["갑"], ContractStatus::Saved)
        .unwrap();
    set(
        &h,
        &id,
        "0",
        ("Lee", "lee@example.com"),
        Some("Please sign by Friday"),
    )
    .await;
    let kim = Actor::user(KIM);
    let a = h.send_for_signature(&kim, id.as_str()).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    // Lee declines: Kim may set the signees again and send it once more.
    h.sim
        .signee_acts(&id, 0, comake_sim::SigneeAction::Reject)
        .unwrap();
    let lee = Actor::user(LEE);
    let asked = h
        .command(&lee, "contract delete", &[("contract", json!(id.as_str()))])
        .await;
    let done = h.press(&lee, &asked.button("c:ok:")).await;
    assert_eq!(done.outcome.result, "ok", "{}", done.text());
    assert_eq!(
        kept(&h, &id).await,
        Some(vec![Some("Please sign by Friday".into())]),
        "a receiver's delete only empties their own box"
    );
}

#[tokio::test]
async fn the_watcher_forgets_the_messages_of_a_completed_contract() {
    let s = crate::notify::setup(&[]).await;
    let (w, nda) = s.kim_after_baseline().await;
    let lease = s.sent_contract("Lease").await;
    for id in [&nda, &lease] {
        s.h.app
            .store
            .put_signee_messages(comake_bot::api::store::SigneeMessages {
                contract: id.to_string(),
                signees: vec![comake_bot::api::store::SignedMessage {
                    party: 0,
                    email: "kim@example.com".into(),
                    message: Some("Please sign by Friday".into()),
                }],
            })
            .await
            .unwrap();
    }
    // Everyone signs the NDA; the lease is still out for signature.
    for party in [0, 1] {
        s.h.sim
            .signee_acts(&nda, party, comake_sim::SigneeAction::Sign)
            .unwrap();
    }
    assert_eq!(
        s.h.sim.contract(&nda).map(|c| c.summary.status),
        Some(ContractStatus::Completed)
    );
    s.read(&w, KIM).await;
    assert_eq!(kept(&s.h, &nda).await, None, "completed: forgotten");
    assert_eq!(
        kept(&s.h, &lease).await,
        Some(vec![Some("Please sign by Friday".into())]),
        "still out for signature: kept"
    );
}
