//! `/contract pending` split as Comake's dashboard: approval waiting (결재 대기중) and signature waiting (서명 대기중), each with what was sent and what waits on the person.

use crate::common;

use comake_bot::comake::wire::ContractStatus;
use common::discord::{Actor, Harness};

const KIM: u64 = 111_111_111_111_111_111;

#[tokio::test]
async fn pending_splits_approval_waiting_from_signature_waiting() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    h.sim.add_user("choi@example.com", "Choi").unwrap();
    let kim = Actor::user(KIM);
    let (kim_mail, choi) = ("kim@example.com", "choi@example.com");
    // Kim's own: one out for signature, one in approval.
    let lee = [("Lee", "lee@example.com")];
    common::sent_for_signature(&h.sim, &h.app.comake, kim_mail, "Kim signing", &lee).await;
    let approving = h
        .sim
        .seed_contract(kim_mail, "Kim approving", &["갑"], ContractStatus::Saved)
        .unwrap();
    h.sim
        .request_approval(kim_mail, &approving, &[("Park", "park@example.com")])
        .unwrap();
    // On Kim: Choi asks Kim to sign one and to approve another.
    let kim_signs = [("Kim", kim_mail)];
    common::sent_for_signature(&h.sim, &h.app.comake, choi, "Choi asks sign", &kim_signs).await;
    let theirs = h
        .sim
        .seed_contract(choi, "Choi asks approval", &["갑"], ContractStatus::Saved)
        .unwrap();
    h.sim
        .request_approval(choi, &theirs, &[("Kim", kim_mail)])
        .unwrap();

    let a = h.command(&kim, "contract pending", &[]).await;
    let text = a.text();
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing: {text}"))
    };
    // Approval first, then signature; in each, sent by Kim, then on Kim.
    let approval = at("__Waiting for approval__");
    let signature = at("__Waiting for signature__");
    assert!(approval < at("Kim approving"), "{text}");
    assert!(at("Kim approving") < at("Choi asks approval"), "{text}");
    assert!(at("Choi asks approval") < signature, "{text}");
    assert!(signature < at("Kim signing"), "{text}");
    assert!(at("Kim signing") < at("Choi asks sign"), "{text}");
    let line = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        line("Choi asks approval").contains("your approval"),
        "{text}"
    );
    assert!(line("Choi asks sign").contains("your signature"), "{text}");
    assert!(
        line("Kim approving").contains("not yet approved by Park"),
        "{text}"
    );
    assert!(
        line("Kim signing").contains("not yet signed by Lee"),
        "{text}"
    );
    assert!(
        text.contains("2 for approval, 2 for signature; 2 of them on you"),
        "{text}"
    );
    // In Korean, with the dashboard's words.
    let ko = h.command(&kim.clone().ko(), "contract pending", &[]).await;
    let ko = ko.text();
    let at = |needle: &str| ko.find(needle).unwrap_or_else(|| panic!("{needle}: {ko}"));
    assert!(at("__결재 대기중__") < at("__서명 대기중__"), "{ko}");
    assert!(
        ko.contains("내 결재 차례") && ko.contains("내 서명 차례"),
        "{ko}"
    );
}
