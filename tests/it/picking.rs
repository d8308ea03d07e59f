//! Picking signees: `member:` and `me:` fill a signee from a link, and the **Set signees** form sets one through the same code as `/contract signee`.

use crate::common;

use comake_bot::comake::wire::ContractStatus;
use common::discord::{Actor, Harness};
use serde_json::json;

const KIM: u64 = 111_111_111_111_111_111;
const LEE: u64 = 222_222_222_222_222_222;
const PARK: u64 = 333_333_333_333_333_333;

/// The signee Comake now holds for `party` of `id` (what the simulator was
/// sent): `(name, email, phone)`.
fn held(
    h: &Harness,
    id: &comake_bot::comake::wire::ContractId,
    party: u32,
) -> Option<(String, String, Option<String>)> {
    h.sim
        .contract(id)
        .and_then(|c| c.signees.into_iter().find(|s| s.party == party))
        .map(|s| (s.name, s.email, s.phone))
}

#[tokio::test]
async fn member_sends_the_colleagues_linked_email_and_shows_it_masked() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    h.linked(LEE, "lee@example.com").await;
    let kim = Actor::user(KIM);
    let id = common::seed_nda(&h.sim, "kim@example.com");
    let a = h
        .command(
            &kim,
            "contract signee",
            &[
                ("contract", json!(id.as_str())),
                ("party", json!("1")),
                ("member", json!({"user": LEE})),
            ],
        )
        .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert_eq!(
        held(&h, &id, 1),
        Some((format!("User {LEE}"), "lee@example.com".into(), None)),
        "Comake was sent the colleague's linked name and email"
    );
    let text = a.text();
    assert!(text.contains(r"l\*\*\*\@example.com"), "masked: {text}");
    assert!(!text.contains("lee"), "a colleague's email in full: {text}");
    // me:True: the sender's own.
    let a = h
        .command(
            &kim,
            "contract signee",
            &[
                ("contract", json!(id.as_str())),
                ("party", json!("0")),
                ("me", json!(true)),
            ],
        )
        .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert_eq!(
        held(&h, &id, 0).map(|s| s.1),
        Some("kim@example.com".into())
    );
    assert_eq!(
        held(&h, &id, 1).map(|s| s.1),
        Some("lee@example.com".into()),
        "kept"
    );
}

#[tokio::test]
async fn an_unlinked_member_or_two_ways_at_once_is_refused_and_nothing_is_sent() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    h.linked(LEE, "lee@example.com").await;
    let kim = Actor::user(KIM);
    let id = common::seed_nda(&h.sim, "kim@example.com");
    let cases = [
        (json!({"user": PARK}), None, "isn't linked"),
        // A linked user Discord did not resolve as a member of this server.
        (json!({"user": LEE, "outside": true}), None, "isn't linked"),
        (
            json!({"user": LEE}),
            Some(("name", json!("Lee"))),
            "one way",
        ),
        (json!({"user": LEE}), Some(("me", json!(true))), "one way"),
    ];
    for (member, extra, says) in cases {
        let mut options = vec![
            ("contract", json!(id.as_str())),
            ("party", json!("1")),
            ("member", member),
        ];
        options.extend(extra);
        let a = h.command(&kim, "contract signee", &options).await;
        assert_eq!(a.outcome.result, "refused", "{}", a.text());
        assert!(a.text().contains(says), "{}", a.text());
    }
    assert!(held(&h, &id, 1).is_none());
    // In Korean too, naming the Korean options.
    let a = h
        .command(
            &Actor::user(KIM).ko(),
            "contract signee",
            &[
                ("contract", json!(id.as_str())),
                ("party", json!("1")),
                ("member", json!({"user": PARK})),
            ],
        )
        .await;
    assert!(a.text().contains("연결되어 있지 않아"), "{}", a.text());
}

#[tokio::test]
async fn request_sign_with_member_fills_the_one_missing_signee() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    h.linked(LEE, "lee@example.com").await;
    let kim = Actor::user(KIM);
    let id = common::seed_nda(&h.sim, "kim@example.com");
    h.set_signee(&kim, id.as_str(), "0", "Kim", "kim@example.com")
        .await;
    let preview = h
        .command(
            &kim,
            "contract request-sign",
            &[
                ("contract", json!(id.as_str())),
                ("member", json!({"user": LEE})),
            ],
        )
        .await;
    let text = preview.text();
    assert!(text.contains(r"l\*\*\*\@example.com"), "masked: {text}");
    assert!(!text.contains("lee"), "{text}");
    let sent = h.press(&kim, &preview.button("c:ok:")).await;
    assert_eq!(sent.outcome.result, "ok", "{}", sent.text());
    assert_eq!(
        held(&h, &id, 1).map(|s| s.1),
        Some("lee@example.com".into())
    );
    assert_eq!(
        h.sim.contract(&id).map(|c| c.summary.status),
        Some(ContractStatus::Signing)
    );
}

#[tokio::test]
async fn set_signees_on_show_opens_a_form_per_party_that_sets_the_signee() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM);
    let id = common::seed_nda(&h.sim, "kim@example.com");
    let shown = h
        .command(&kim, "contract show", &[("contract", json!(id.as_str()))])
        .await;
    let pick = shown.button("g:pick:");
    assert_eq!(pick, format!("g:pick:{id}"));
    let parties = h.press(&kim, &pick).await;
    let forms: Vec<String> = parties
        .buttons()
        .into_iter()
        .map(|(_, id)| id)
        .filter(|b| b.starts_with("g:form:"))
        .collect();
    // Each carries its party's name, for the form's title.
    assert_eq!(
        forms,
        [format!("g:form:0:{id}:갑"), format!("g:form:1:{id}:을")]
    );
    // The form is the first answer (no deferral), with its four inputs,
    // titled with the party the button named.
    let form = h.press(&kim, &forms[1]).await;
    let body = form.first();
    assert_eq!(body["type"], 9, "{body}");
    assert_eq!(body["data"]["custom_id"], format!("g:save:1:{id}"));
    assert_eq!(body["data"]["title"], "Signee of 을", "{body}");
    // A button id without the name (an older message) still opens the
    // form, by the party's number.
    let bare = h.press(&kim.clone().ko(), &format!("g:form:1:{id}")).await;
    assert_eq!(bare.first()["data"]["title"], "당사자 2의 서명자");
    let inputs: Vec<String> = body["data"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row["components"][0]["custom_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(inputs, ["name", "email", "phone", "message"]);
    assert!(held(&h, &id, 1).is_none(), "opening the form sets nothing");
    let saved = h
        .submit(
            &kim,
            &format!("g:save:1:{id}"),
            &[
                ("name", "Choi"),
                ("email", "choi@outside.example"),
                ("phone", ""),
                ("message", ""),
            ],
        )
        .await;
    assert_eq!(saved.outcome.result, "ok", "{}", saved.text());
    assert_eq!(
        held(&h, &id, 1),
        Some(("Choi".into(), "choi@outside.example".into(), None))
    );
    assert!(saved.text().contains("Choi"), "{}", saved.text());
    assert!(saved.button("a:request:").ends_with(id.as_str()));
    // A bad email in the form is refused like the command's.
    let bad = h
        .submit(
            &kim,
            &format!("g:save:0:{id}"),
            &[
                ("name", "Kim"),
                ("email", "not-an-email"),
                ("phone", ""),
                ("message", ""),
            ],
        )
        .await;
    assert_eq!(bad.outcome.result, "refused", "{}", bad.text());
    assert!(held(&h, &id, 0).is_none());
    // A form id pressed as a button, or someone else's contract, does nothing.
    assert_eq!(
        h.press(&kim, &format!("g:save:0:{id}"))
            .await
            .outcome
            .result,
        "refused"
    );
    h.linked(LEE, "lee@example.com").await;
    let lee = h
        .submit(
            &Actor::user(LEE),
            &format!("g:save:0:{id}"),
            &[
                ("name", "Lee"),
                ("email", "lee@example.com"),
                ("phone", ""),
                ("message", ""),
            ],
        )
        .await;
    assert_eq!(lee.outcome.result, "refused", "{}", lee.text());
    assert!(held(&h, &id, 0).is_none());
}

#[tokio::test]
async fn request_sign_with_parties_missing_offers_their_forms() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM).ko();
    let id = common::seed_nda(&h.sim, "kim@example.com");
    h.set_signee(&kim, id.as_str(), "0", "Kim", "kim@example.com")
        .await;
    let a = h
        .command(
            &kim,
            "contract request-sign",
            &[("contract", json!(id.as_str()))],
        )
        .await;
    let forms: Vec<String> = a
        .buttons()
        .into_iter()
        .map(|(_, b)| b)
        .filter(|b| b.starts_with("g:form:"))
        .collect();
    assert_eq!(
        forms,
        [format!("g:form:1:{id}:을")],
        "only the missing party"
    );
    assert!(a.text().contains("서명자가 없는 당사자"), "{}", a.text());
}

#[tokio::test]
async fn a_partys_name_on_its_button_is_plain_text() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM);
    let id = h
        .sim
        .seed_contract(
            "kim@example.com",
            "Lease",
            &["갑 (Acme)", "을_*B*"],
            ContractStatus::Saved,
        )
        .unwrap();
    let shown = h
        .command(&kim, "contract show", &[("contract", json!(id.as_str()))])
        .await;
    let parties = h.press(&kim, &shown.button("g:pick:")).await;
    let labels: Vec<String> = parties
        .buttons()
        .into_iter()
        .filter(|(_, b)| b.starts_with("g:form:"))
        .map(|(label, _)| label)
        .collect();
    // A button shows no markdown: no escapes in its label.
    assert_eq!(labels, ["Signee: 갑 (Acme)", "Signee: 을_*B*"]);
}
