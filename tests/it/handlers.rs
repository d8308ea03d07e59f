//! Every command through a recording responder, against the Comake simulator and a temporary sled store. Every body sent is checked against Discord's spec as it is recorded.

use crate::common;

use std::time::Duration;

use comake_bot::comake::wire::{ContractId, ContractStatus, Endpoint};
use comake_sim::{Failure, SigneeAction};
use common::discord::{Actor, Harness};
use serde_json::json;

const KIM: u64 = 111_111_111_111_111_111;
const LEE: u64 = 222_222_222_222_222_222;
const BOSS: u64 = 333_333_333_333_333_333;

/// Kim, linked, with a saved contract of these parties.
async fn kim_with(h: &Harness, name: &str, parties: &[&str]) -> (ContractId, Actor) {
    h.linked(KIM, "kim@example.com").await;
    let id = h
        .sim
        .seed_contract("kim@example.com", name, parties, ContractStatus::Saved)
        .unwrap();
    (id, Actor::user(KIM))
}

fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// Tokens the simulator issued that appear in `text`.
fn tokens_in(h: &Harness, text: &str) -> Vec<String> {
    h.sim
        .issued_tokens()
        .into_iter()
        .filter(|t| text.contains(t.as_str()))
        .collect()
}

// ----- linking -----

/// Kim's registration options.
fn kim_registers(email: &str) -> Vec<(&'static str, serde_json::Value)> {
    vec![
        ("email", json!(email)),
        ("name", json!("김철수")),
        ("phone", json!("010-1234-5678")),
    ]
}

#[tokio::test]
async fn register_mails_a_code_and_only_the_code_links() {
    let h = Harness::with_smtp(&[]).await;
    let kim = Actor::user(KIM);
    let a = h
        .command(&kim, "comake register", &kim_registers("Kim@Example.com"))
        .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert!(a.ephemeral());
    assert!(
        a.text().contains("If kim\\@example.com can receive mail"),
        "{}",
        a.text()
    );
    assert_eq!(a.button("v:"), "v:enter");
    // Nothing reached Comake and nothing is linked before the code.
    assert!(h.sim.requests().is_empty(), "{:?}", h.sim.requests());
    assert!(h.app.store.account(KIM).await.unwrap().is_none());

    let mails = h.smtp().mails_to("kim@example.com", 1).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    let body = mail.body();
    assert!(mail.from.contains("bot@example.com"));
    assert!(
        body.contains(&format!("user{KIM}")),
        "names who asked: {body}"
    );
    assert!(!body.contains("http"), "no link in the mail: {body}");
    assert!(mail
        .data
        .to_ascii_lowercase()
        .contains("content-type: text/plain"));
    let code = mail.code();

    // The button opens a form with one text input.
    let form = h.press(&kim, "v:enter").await;
    assert_eq!(form.first()["type"], 9, "{:?}", form.sent);
    assert_eq!(form.first()["data"]["custom_id"], "v:submit");
    assert_eq!(
        form.first()["data"]["components"][0]["components"][0]["type"],
        4
    );

    let done = h.submit(&kim, "v:submit", &[("code", &code)]).await;
    assert_eq!(done.outcome.result, "ok", "{}", done.text());
    assert_eq!(done.first()["type"], 6, "the form updates its message");
    assert!(done.text().contains("김철수"), "{}", done.text());
    let account = h.app.store.account(KIM).await.unwrap().unwrap();
    assert_eq!(account.email, "kim@example.com");
    assert_eq!(h.sim.count(Endpoint::RegisterClient), 1);

    // The code works once.
    let again = h.submit(&kim, "v:submit", &[("code", &code)]).await;
    assert_eq!(again.outcome.result, "refused");
    assert!(
        again.text().contains("No code is waiting"),
        "{}",
        again.text()
    );

    let audit = h.app.store.audit_newest(10, Some(KIM)).await.unwrap();
    let actions: Vec<&str> = audit.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "register.code_sent",
            "register.code_proven",
            "account.register"
        ]
    );
    let text = format!("{audit:?}");
    assert!(text.contains("k***@example.com"), "{text}");
    for secret in ["kim@example.com", "1234", code.as_str()] {
        assert!(
            !text.contains(secret),
            "the audit log holds {secret}: {text}"
        );
    }
}

#[tokio::test]
async fn the_code_mail_speaks_the_users_language() {
    let h = Harness::with_smtp(&[]).await;
    let a = h
        .command(
            &Actor::user(KIM).ko(),
            "comake register",
            &kim_registers("kim@example.com"),
        )
        .await;
    assert!(has_hangul(&a.text()), "{}", a.text());
    let mail = h.smtp().mails_to("kim@example.com", 1).await.remove(0);
    assert!(has_hangul(&mail.body()), "{}", mail.body());
    assert_eq!(mail.code().len(), 8);
}

#[tokio::test]
async fn five_wrong_codes_lock_the_registration() {
    let h = Harness::with_smtp(&[]).await;
    let kim = Actor::user(KIM);
    h.command(&kim, "comake register", &kim_registers("kim@example.com"))
        .await;
    let code = h.smtp().mails_to("kim@example.com", 1).await[0].code();
    let wrong = if code == "000000" { "999999" } else { "000000" };
    for left in (1..=4).rev() {
        let a = h.submit(&kim, "v:submit", &[("code", wrong)]).await;
        assert_eq!(a.outcome.result, "ok", "{}", a.text());
        assert!(a.text().contains("isn't right"), "{}", a.text());
        assert!(
            a.text().contains(&left.to_string()) || left == 1,
            "{}",
            a.text()
        );
        assert_eq!(a.button("v:"), "v:enter", "another try is offered");
    }
    let a = h.submit(&kim, "v:submit", &[("code", wrong)]).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(a.text().contains("last try"), "{}", a.text());
    // Even the right code no longer works.
    let a = h.submit(&kim, "v:submit", &[("code", &code)]).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(h.app.store.account(KIM).await.unwrap().is_none());
    assert!(h.sim.requests().is_empty());
    let audit = h.app.store.audit_newest(10, Some(KIM)).await.unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "register.code_failed")
            .count(),
        5
    );
    // The form no longer opens.
    let a = h.press(&kim, "v:enter").await;
    assert_eq!(a.outcome.result, "refused");
}

#[tokio::test]
async fn an_expired_code_and_another_users_code_are_refused() {
    let h = Harness::with_smtp(&[]).await;
    let (kim, lee) = (Actor::user(KIM), Actor::user(LEE));
    h.command(&kim, "comake register", &kim_registers("kim@example.com"))
        .await;
    let code = h.smtp().mails_to("kim@example.com", 1).await[0].code();
    // Lee holds Kim's code: it proves nothing for Lee.
    let a = h.submit(&lee, "v:submit", &[("code", &code)]).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(h.app.store.account(LEE).await.unwrap().is_none());

    tokio::time::pause();
    tokio::time::advance(std::time::Duration::from_secs(10 * 60 + 1)).await;
    tokio::time::resume();
    let a = h.submit(&kim, "v:submit", &[("code", &code)]).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(a.text().contains("expired"), "{}", a.text());
    assert!(h.app.store.account(KIM).await.unwrap().is_none());
    assert!(h.sim.requests().is_empty());
    let audit = h.app.store.audit_newest(1, Some(KIM)).await.unwrap();
    assert_eq!(audit[0].action, "register.code_expired");
}

#[tokio::test]
async fn the_first_answer_does_not_tell_which_emails_exist() {
    let h = Harness::with_smtp(&[]).await;
    h.sim.add_user("ceo@example.com", "CEO").unwrap();
    h.linked(LEE, "lee@example.com").await;
    h.smtp().refuse("ghost@example.com");
    h.sim.clear_log();
    let h = &h;
    let answer = |user: u64, email: &str| {
        let email = email.to_owned();
        async move {
            let a = h
                .command(
                    &Actor::user(user),
                    "comake register",
                    &kim_registers(&email),
                )
                .await;
            (
                a.outcome.result,
                a.text().replace(&email.replace('@', "\\@"), "EMAIL"),
                a.buttons(),
            )
        }
    };
    // Four people, so no one reaches the three-codes-an-hour limit.
    let free = answer(KIM, "new@example.com").await;
    let taken = answer(BOSS, "lee@example.com").await;
    let existing = answer(444, "ceo@example.com").await;
    let refused = answer(555, "ghost@example.com").await;
    assert_eq!(free.0, "ok");
    assert!(free.1.contains("EMAIL"), "{}", free.1);
    assert_eq!(free, taken);
    assert_eq!(free, existing);
    assert_eq!(free, refused, "a mailbox the server refuses looks the same");
    assert!(
        h.sim.requests().is_empty(),
        "Comake was asked: {:?}",
        h.sim.requests()
    );
    assert_eq!(h.smtp().mails_to("ceo@example.com", 1).await.len(), 1);
    assert_eq!(h.smtp().mails_to("lee@example.com", 1).await.len(), 1);
}

#[tokio::test]
async fn after_the_code_a_taken_or_existing_email_is_explained() {
    let h = Harness::with_smtp(&[]).await;
    h.sim.add_user("ceo@example.com", "CEO").unwrap();
    h.linked(LEE, "lee@example.com").await;
    h.sim.clear_log();
    let a = h.register(&Actor::user(KIM), "lee@example.com", "Me").await;
    assert_eq!(a.outcome.result, "refused");
    assert!(
        a.text().contains("already linked to another"),
        "{}",
        a.text()
    );
    assert!(h.sim.requests().is_empty(), "refused before Comake");
    let a = h.register(&Actor::user(KIM), "ceo@example.com", "Me").await;
    assert_eq!(a.outcome.result, "refused");
    assert!(a.text().contains("/comake-admin link"), "{}", a.text());
    assert!(h.app.store.account(KIM).await.unwrap().is_none());
    // Linked people are told so before any code is sent.
    let a = h
        .command(
            &Actor::user(LEE),
            "comake register",
            &kim_registers("x@example.com"),
        )
        .await;
    assert!(a.text().contains("already linked"), "{}", a.text());
    assert!(h.smtp().mails_to("x@example.com", 0).await.is_empty());
}

#[tokio::test]
async fn only_the_proven_email_is_linked_whatever_comake_answers() {
    let h = Harness::with_smtp(&[]).await;
    h.sim.answer_register_as(Some("someone-else@example.com"));
    let a = h
        .register(&Actor::user(KIM), "kim@example.com", "Kim")
        .await;
    assert_eq!(a.outcome.result, "error", "{}", a.text());
    assert!(a.outcome.error_id.is_some());
    assert!(a.text().contains("different email"), "{}", a.text());
    assert!(h.app.store.account(KIM).await.unwrap().is_none());
    assert!(h
        .app
        .store
        .account_by_email("someone-else@example.com")
        .await
        .unwrap()
        .is_none());
    let audit = h.app.store.audit_newest(1, Some(KIM)).await.unwrap();
    assert!(audit[0].outcome.contains("another email"), "{:?}", audit[0]);
}

#[tokio::test]
async fn three_codes_an_hour_per_person_and_per_email() {
    let h = Harness::with_smtp(&[]).await;
    for i in 0..3 {
        let a = h
            .command(
                &Actor::user(KIM),
                "comake register",
                &kim_registers(&format!("k{i}@example.com")),
            )
            .await;
        assert_eq!(a.outcome.result, "ok", "{}", a.text());
    }
    let a = h
        .command(
            &Actor::user(KIM),
            "comake register",
            &kim_registers("k9@example.com"),
        )
        .await;
    assert_eq!(a.outcome.result, "refused");
    assert!(a.text().contains("too many codes"), "{}", a.text());
    assert!(h.smtp().mails_to("k9@example.com", 0).await.is_empty());
    for user in [LEE, BOSS] {
        h.command(
            &Actor::user(user),
            "comake register",
            &kim_registers("target@example.com"),
        )
        .await;
    }
    h.command(
        &Actor::user(444),
        "comake register",
        &kim_registers("target@example.com"),
    )
    .await;
    // A fourth person asking for the same email gets the usual answer (it
    // must not tell that others asked), but no mail is sent.
    let a = h
        .command(
            &Actor::user(555),
            "comake register",
            &kim_registers("target@example.com"),
        )
        .await;
    assert_eq!(a.outcome.result, "ok");
    assert!(
        a.text().contains("can receive mail"),
        "per email: {}",
        a.text()
    );
    assert_eq!(h.smtp().mails_to("target@example.com", 3).await.len(), 3);
    let a = h.press(&Actor::user(555), "v:enter").await;
    assert_eq!(a.outcome.result, "refused", "no code is waiting");
}

#[tokio::test]
async fn register_refuses_bad_input_without_mail_or_comake() {
    let h = Harness::with_smtp(&[("ALLOWED_EMAIL_DOMAINS", "example.com")]).await;
    let kim = Actor::user(KIM);
    for (options, expect) in [
        (
            vec![("email", json!("not-an-email")), ("name", json!("Kim"))],
            "email address",
        ),
        (
            vec![
                ("email", json!("[click](https://evil.example)@example.com")),
                ("name", json!("Kim")),
            ],
            "email address",
        ),
        (
            vec![("email", json!("김@example.com")), ("name", json!("Kim"))],
            "before the @",
        ),
        (
            vec![
                ("email", json!("kim@example.com")),
                ("name", json!("x".repeat(101))),
            ],
            "1 to 100",
        ),
        (
            vec![
                ("email", json!("kim@example.com")),
                ("name", json!("Kim")),
                ("phone", json!("12ab")),
            ],
            "8 to 15 digits",
        ),
        (
            vec![("email", json!("kim@gmail.com")), ("name", json!("Kim"))],
            "@example.com",
        ),
    ] {
        let a = h.command(&kim, "comake register", &options).await;
        assert_eq!(a.outcome.result, "refused");
        assert!(a.text().contains(expect), "{expect}: {}", a.text());
    }
    assert!(
        h.sim.requests().is_empty(),
        "Comake was called: {:?}",
        h.sim.requests()
    );
    assert!(h.smtp().mails().is_empty());
    assert!(h.app.store.account(KIM).await.unwrap().is_none());
}

#[tokio::test]
async fn without_smtp_only_admins_link() {
    for h in [
        Harness::new().await,
        Harness::with_smtp(&[("REGISTRATION", "admin")]).await,
    ] {
        let a = h
            .command(
                &Actor::user(KIM).ko(),
                "comake register",
                &[("email", json!("kim@example.com")), ("name", json!("Kim"))],
            )
            .await;
        assert_eq!(a.outcome.result, "refused");
        assert!(
            has_hangul(&a.text()) && a.text().contains("/코메이크-관리 연결"),
            "{}",
            a.text()
        );
        assert!(h.sim.requests().is_empty());
        assert!(h.smtp.as_ref().is_none_or(|s| s.mails().is_empty()));
    }
}

#[tokio::test]
async fn whoami_and_unlink() {
    let h = Harness::new().await;
    let kim = Actor::user(KIM);
    let a = h.command(&kim, "comake whoami", &[]).await;
    assert!(
        a.text().contains("/comake-admin link"),
        "unlinked: {}",
        a.text()
    );
    h.linked(KIM, "kim@example.com").await;
    let a = h.command(&kim, "comake whoami", &[]).await;
    assert!(a.text().contains("kim\\@example.com"), "{}", a.text());
    assert!(a.ephemeral());
    // Unlink asks first, and says an admin must link this user again.
    let ko = kim.clone().ko();
    let a = h.command(&ko, "comake unlink", &[]).await;
    assert!(
        a.text().contains("/코메이크-관리 연결") && a.text().contains("kim\\@example.com"),
        "{}",
        a.text()
    );
    assert!(
        h.app.store.account(KIM).await.unwrap().is_some(),
        "unlinked before asking"
    );
    let no = h.press(&ko, &a.button("c:no:")).await;
    assert!(has_hangul(&no.text()));
    assert!(h.app.store.account(KIM).await.unwrap().is_some());
    let a = h.command(&ko, "comake unlink", &[]).await;
    let ok = a.button("c:ok:");
    let (x, y) = tokio::join!(h.press(&ko, &ok), h.press(&ko, &ok));
    assert!(has_hangul(&x.text()) && has_hangul(&y.text()));
    assert!(h.app.store.account(KIM).await.unwrap().is_none());
    let unlinks = h
        .app
        .store
        .audit_newest(10, Some(KIM))
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "account.unlink")
        .count();
    assert_eq!(unlinks, 1, "a double click unlinks once");
    // Comake was never asked to delete anything.
    assert!(h.sim.requests().is_empty());
}

#[tokio::test]
async fn an_unlinked_user_is_told_how_to_link() {
    // With a mail server, so registering oneself works (without one, see
    // onboarding.rs).
    let h = Harness::with_smtp(&[]).await;
    for cmd in ["contract new", "contract list"] {
        let a = h.command(&Actor::user(KIM), cmd, &[]).await;
        assert_eq!(a.outcome.result, "refused");
        assert!(
            a.text().contains("/comake register") && a.text().contains("/comake-admin link"),
            "{}",
            a.text()
        );
    }
    let a = h.command(&Actor::user(KIM).ko(), "contract new", &[]).await;
    assert!(has_hangul(&a.text()));
}

// ----- links -----

#[tokio::test]
async fn new_gives_a_private_link_with_a_fresh_token() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM);
    h.command(&kim, "contract list", &[]).await; // caches a clientToken
    let before = h.sim.issued_tokens().len();
    let a = h.command(&kim, "contract new", &[]).await;
    assert_eq!(a.outcome.result, "ok");
    // Deferred privately, then edited with embeds suppressed.
    assert_eq!(a.first()["type"], 5);
    assert_eq!(a.first()["data"]["flags"], 64);
    let msg = a.message();
    assert_eq!(
        msg["flags"].as_u64().unwrap() & 4,
        4,
        "embeds are suppressed"
    );
    let text = a.text();
    let found = tokens_in(&h, &text);
    assert_eq!(found.len(), 1, "{text}");
    let pos = h
        .sim
        .issued_tokens()
        .iter()
        .position(|t| *t == found[0])
        .unwrap();
    assert!(pos >= before, "the link reused a cached token");
    let (_, url) = a.buttons().into_iter().next().unwrap();
    assert!(url.starts_with(&format!("{}contract/upload?token=", h.sim.web_url())));
    // The audit log says a link was issued, without the token.
    let audit = h.app.store.audit_newest(1, Some(KIM)).await.unwrap();
    assert_eq!(audit[0].action, "contract.link_new");
    assert!(tokens_in(&h, &format!("{audit:?}")).is_empty());
}

#[tokio::test]
async fn a_refused_answer_is_followed_up_and_its_link_audited_as_failed() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let recorder = common::discord::Recorder {
        refuse_edits: true,
        ..Default::default()
    };
    let payload = common::discord::command_payload(&Actor::user(KIM), "contract new", &[], None);
    let a = h.run_with(payload, recorder).await;
    assert_eq!(a.outcome.result, "error");
    let id = a.outcome.error_id.clone().expect("an error id");
    let followup = a
        .sent
        .iter()
        .find_map(|s| match s {
            common::discord::Sent::Followup(b) => Some(b.clone()),
            _ => None,
        })
        .expect("a follow-up");
    assert_eq!(followup["flags"], 64, "private");
    assert!(
        followup["content"].as_str().unwrap().contains(&id),
        "{followup}"
    );
    assert!(
        tokens_in(&h, &followup.to_string()).is_empty(),
        "no link in the follow-up"
    );
    let audit = h.app.store.audit_newest(1, Some(KIM)).await.unwrap();
    assert_eq!(audit[0].action, "contract.link_new");
    assert!(audit[0].outcome.starts_with("failed"), "{:?}", audit[0]);
}

#[tokio::test]
async fn edit_refuses_a_contract_out_for_signature() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let signing = h
        .sim
        .seed_contract("kim@example.com", "Lease", &["갑"], ContractStatus::Signing)
        .unwrap();
    let saved = h
        .sim
        .seed_contract("kim@example.com", "NDA", &["갑"], ContractStatus::Saved)
        .unwrap();
    let kim = Actor::user(KIM);
    let a = h
        .command(
            &kim,
            "contract edit",
            &[("contract", json!(signing.as_str()))],
        )
        .await;
    assert_eq!(a.outcome.result, "refused");
    assert!(
        a.text().contains("Out for signature") && a.text().contains("/contract cancel-sign"),
        "{}",
        a.text()
    );
    let a = h
        .command(
            &kim.clone().ko(),
            "contract edit",
            &[("contract", json!(signing.as_str()))],
        )
        .await;
    assert!(a.text().contains("체결중"), "{}", a.text());
    let a = h
        .command(
            &kim,
            "contract edit",
            &[("contract", json!(saved.as_str()))],
        )
        .await;
    assert_eq!(a.outcome.result, "ok");
    assert!(a.text().contains(&format!("contractId={saved}")));
    assert_eq!(tokens_in(&h, &a.text()).len(), 1);
    assert!(a.ephemeral() && a.message()["flags"].as_u64().unwrap() & 4 == 4);
}

#[tokio::test]
async fn a_contract_id_must_be_one_of_the_users_own() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    h.linked(LEE, "lee@example.com").await;
    let lees = h
        .sim
        .seed_contract("lee@example.com", "Secret", &["갑"], ContractStatus::Saved)
        .unwrap();
    let kim = Actor::user(KIM);
    for bad in [
        lees.as_str(),
        "ffffffffffffffffffffffff",
        "../../etc",
        "x".repeat(200).as_str(),
    ] {
        let a = h
            .command(&kim, "contract edit", &[("contract", json!(bad))])
            .await;
        assert_eq!(a.outcome.result, "refused", "{bad}");
        assert!(
            a.text().contains("isn't one of your contracts"),
            "{}",
            a.text()
        );
        assert!(tokens_in(&h, &a.all_text()).is_empty());
    }
    // No login was made for Kim's link: only reads happened.
    assert!(h
        .sim
        .requests()
        .iter()
        .all(|r| r.endpoint != Some("login_client") || r.status == 200));
}

// ----- list and show -----

#[tokio::test]
async fn list_pages_through_contracts() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    for i in 0..12 {
        h.sim
            .seed_contract(
                "kim@example.com",
                &format!("Contract {i:02}"),
                &["갑"],
                ContractStatus::Saved,
            )
            .unwrap();
    }
    h.sim
        .seed_contract(
            "kim@example.com",
            "Done deal",
            &["갑"],
            ContractStatus::Completed,
        )
        .unwrap();
    let kim = Actor::user(KIM);
    let a = h.command(&kim, "contract list", &[]).await;
    let text = a.text();
    assert_eq!(
        text.lines().filter(|l| l.starts_with('•')).count(),
        10,
        "{text}"
    );
    assert!(text.contains("Done deal") && text.contains("<t:"), "{text}");
    assert!(text.contains("page 1 of 2"), "{text}");
    let next = a.button("l:");
    assert_eq!(next, "l:all:2");
    let b = h.press(&kim, &next).await;
    assert_eq!(b.first()["type"], 6, "a deferred update");
    assert_eq!(b.text().lines().filter(|l| l.starts_with('•')).count(), 3);
    assert!(b.buttons().iter().any(|(_, id)| id == "l:all:1"));
    let c = h
        .command(&kim, "contract list", &[("status", json!("completed"))])
        .await;
    assert!(
        c.text().contains("Done deal") && !c.text().contains("Contract 01"),
        "{}",
        c.text()
    );
    let k = h
        .command(
            &kim.clone().ko(),
            "contract list",
            &[("status", json!("signing"))],
        )
        .await;
    assert!(has_hangul(&k.text()), "{}", k.text());
    let far = h
        .command(&kim, "contract list", &[("page", json!(9))])
        .await;
    assert_eq!(far.outcome.result, "refused");
}

#[tokio::test]
async fn show_lists_parties_signees_history_and_allowed_actions() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑", "을"]).await;
    h.set_signee(&kim, id.as_str(), "0", "Kim", "kim@example.com")
        .await;
    let a = h
        .command(&kim, "contract show", &[("contract", json!(id.as_str()))])
        .await;
    let text = a.text();
    assert!(
        text.contains("갑: Kim") && text.contains("을: no signee yet"),
        "{text}"
    );
    assert!(text.contains("You set the signees"), "{text}");
    let ids: Vec<String> = a.buttons().into_iter().map(|(_, id)| id).collect();
    assert!(
        ids.contains(&format!("a:edit:{id}"))
            && ids.contains(&format!("a:request:{id}"))
            && ids.contains(&format!("a:delete:{id}"))
    );
    assert!(!ids.iter().any(|i| i.starts_with("a:cancel")));
    // Out for signature: only cancelling is offered.
    let signing = h
        .sim
        .seed_contract("kim@example.com", "Lease", &["갑"], ContractStatus::Signing)
        .unwrap();
    let a = h
        .command(
            &kim,
            "contract show",
            &[("contract", json!(signing.as_str()))],
        )
        .await;
    let ids: Vec<String> = a.buttons().into_iter().map(|(_, id)| id).collect();
    // ...and, for the sender, sharing a status card in the channel.
    assert_eq!(
        ids,
        [format!("a:cancel:{signing}"), format!("s:share:{signing}")]
    );
}

// ----- rename and delete -----

#[tokio::test]
async fn rename_checks_the_name_and_renames() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑"]).await;
    h.sim.clear_log();
    let a = h
        .command(
            &kim,
            "contract rename",
            &[
                ("contract", json!(id.as_str())),
                ("name", json!("가".repeat(101))),
            ],
        )
        .await;
    assert_eq!(a.outcome.result, "refused");
    assert!(h.sim.requests().is_empty());
    let a = h
        .command(
            &kim,
            "contract rename",
            &[
                ("contract", json!(id.as_str())),
                ("name", json!("NDA 2026")),
            ],
        )
        .await;
    assert_eq!(a.outcome.result, "ok");
    assert_eq!(h.sim.contract(&id).unwrap().summary.name, "NDA 2026");
    assert_eq!(
        h.app.store.audit_newest(1, None).await.unwrap()[0].action,
        "contract.rename"
    );
}

#[tokio::test]
async fn a_password_set_on_the_website_points_to_its_request_dialog() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑", "을"]).await;
    let mut with_password = common::plain_signee(0, "Kim", "kim@example.com");
    with_password.password = Some(secrecy::SecretString::from("pw-on-the-web".to_owned()));
    h.sim
        .set_signees("kim@example.com", &id, vec![with_password])
        .unwrap();
    for locale in ["en-US", "ko"] {
        let a = h
            .command(
                &Actor {
                    locale,
                    ..kim.clone()
                },
                "contract signee",
                &[
                    ("contract", json!(id.as_str())),
                    ("party", json!("1")),
                    ("name", json!("Lee")),
                    ("email", json!("lee@example.com")),
                ],
            )
            .await;
        let text = a.text();
        assert!(
            (text.contains("Request signatures") || text.contains("**서명요청**"))
                && !text.contains("/contract edit"),
            "{text}"
        );
    }
    assert_eq!(h.sim.count(Endpoint::SetSignees), 0, "nothing was changed");
}

#[tokio::test]
async fn show_gives_the_request_message_and_the_reason_inert() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑"]).await;
    let mut signee = common::plain_signee(0, "Lee", "lee@example.com");
    signee.message = Some("Please sign by **Friday** <@123>".into());
    h.sim
        .set_signees("kim@example.com", &id, vec![signee])
        .unwrap();
    let client = h.app.comake.user("kim@example.com");
    client.request_sign(&id).await.unwrap();
    client
        .cancel_sign(
            &id,
            Some("wrong terms, see https://evil.example/x @everyone"),
        )
        .await
        .unwrap();
    let a = h
        .command(&kim, "contract show", &[("contract", json!(id.as_str()))])
        .await;
    let text = a.text();
    assert!(
        text.contains("Please sign by") && text.contains("wrong terms"),
        "{text}"
    );
    assert!(!crate::common::has_live_link(&text), "a live link: {text}");
    assert!(
        !text.contains("**Friday**") && !text.contains("<@123>"),
        "{text}"
    );
    assert!(
        !text.contains("@everyone") || text.contains("\\@everyone"),
        "{text}"
    );
}

/// Kim's contract `name` to Lee and Park, sent.
async fn sent_to_lee_and_park(h: &Harness, name: &str) -> ContractId {
    let signees = [("Lee", "lee@example.com"), ("Park", "park@example.com")];
    common::sent_for_signature(&h.sim, &h.app.comake, "kim@example.com", name, &signees).await
}

#[tokio::test]
async fn pending_shows_who_has_not_signed_longest_waiting_first_then_what_waits_on_you() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM);
    sent_to_lee_and_park(&h, "First lease").await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let second = sent_to_lee_and_park(&h, "Second lease").await;
    h.sim.signee_acts(&second, 0, SigneeAction::Sign).unwrap();
    // Choi (outside the company's links) asks Kim to sign.
    h.sim.add_user("choi@example.com", "Choi").unwrap();
    let choi = "choi@example.com";
    let kim_signs = [("Kim", "kim@example.com")];
    common::sent_for_signature(&h.sim, &h.app.comake, choi, "Choi's NDA", &kim_signs).await;
    // One Kim already signed waits on someone else, not on Kim.
    let both = [("Kim", "kim@example.com"), ("Choi", choi)];
    let signed =
        common::sent_for_signature(&h.sim, &h.app.comake, choi, "Signed by Kim", &both).await;
    h.sim.signee_acts(&signed, 0, SigneeAction::Sign).unwrap();
    // A saved one is not waiting on anyone.
    h.sim
        .seed_contract("kim@example.com", "Draft", &["갑"], ContractStatus::Saved)
        .unwrap();

    let a = h.command(&kim, "contract pending", &[]).await;
    let text = a.text();
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing: {text}"))
    };
    assert!(
        at("First lease") < at("Second lease"),
        "longest waiting first: {text}"
    );
    assert!(
        at("Second lease") < at("Choi"),
        "then what waits on Kim: {text}"
    );
    assert!(
        !text.contains("Draft") && !text.contains("Signed by Kim"),
        "{text}"
    );
    let second_line = text.lines().find(|l| l.contains("Second lease")).unwrap();
    assert!(
        second_line.contains("Park") && !second_line.contains("Lee"),
        "{second_line}"
    );
    let first_line = text.lines().find(|l| l.contains("First lease")).unwrap();
    assert!(
        first_line.contains("Park") && first_line.contains("Lee"),
        "{first_line}"
    );
    assert!(a.buttons().is_empty(), "one page: no paging buttons");
    // Korean too.
    let ko = h
        .command(
            &Actor {
                locale: "ko",
                ..kim.clone()
            },
            "contract pending",
            &[],
        )
        .await;
    assert!(ko.text().contains("__서명 대기중__"), "{}", ko.text());
}

#[tokio::test]
async fn list_shows_one_box_sent_received_or_my_turn() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM);
    sent_to_lee_and_park(&h, "Kim's lease").await;
    h.sim.add_user("choi@example.com", "Choi").unwrap();
    let mut theirs = Vec::new();
    let both = [("Kim", "kim@example.com"), ("Choi", "choi@example.com")];
    for name in ["Choi waits", "Choi signed"] {
        let id = common::sent_for_signature(&h.sim, &h.app.comake, "choi@example.com", name, &both)
            .await;
        theirs.push(id);
    }
    // Kim already signed the second: it is no longer Kim's turn.
    h.sim
        .signee_acts(&theirs[1], 0, SigneeAction::Sign)
        .unwrap();
    let list = |b: &'static str| {
        let h = &h;
        let kim = kim.clone();
        async move {
            h.command(&kim, "contract list", &[("box", json!(b))])
                .await
                .text()
        }
    };
    let sent = list("sent").await;
    assert!(
        sent.contains("Kim's lease") && !sent.contains("Choi"),
        "{sent}"
    );
    let received = list("received").await;
    assert!(
        received.contains("Choi waits")
            && received.contains("Choi signed")
            && !received.contains("Kim's lease"),
        "{received}"
    );
    let mine = list("my_turn").await;
    assert!(
        mine.contains("Choi waits") && !mine.contains("Choi signed"),
        "{mine}"
    );
    let all = list("all").await;
    assert!(
        all.contains("Kim's lease") && all.contains("Choi signed"),
        "{all}"
    );
}

#[tokio::test]
async fn pending_pages_like_list() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM);
    for i in 0..10 {
        sent_to_lee_and_park(&h, &format!("Lease {i:02}")).await;
    }
    let a = h.command(&kim, "contract pending", &[]).await;
    assert!(
        a.text().contains("Lease 00") && !a.text().contains("Lease 09"),
        "{}",
        a.text()
    );
    let next = a.button("p:");
    let b = h.press(&kim, &next).await;
    assert!(
        b.text().contains("Lease 09") && !b.text().contains("Lease 00"),
        "{}",
        b.text()
    );
    let c = h
        .command(&kim, "contract pending", &[("page", json!(3))])
        .await;
    assert_eq!(c.outcome.result, "refused", "{}", c.text());
}

#[tokio::test]
async fn delete_asks_first_and_acts_once() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑"]).await;
    let a = h
        .command(&kim, "contract delete", &[("contract", json!(id.as_str()))])
        .await;
    // Comake's trash is an assumption: the person is told what is sure.
    assert!(
        a.text().contains("can't be undone from Discord") && !a.text().contains("trash"),
        "{}",
        a.text()
    );
    assert_eq!(
        h.sim.count(Endpoint::DeleteContract),
        0,
        "nothing before Confirm"
    );
    // Never mind changes nothing.
    let no = h.press(&kim, &a.button("c:no:")).await;
    assert!(no.text().contains("nothing was changed"), "{}", no.text());
    assert_eq!(h.sim.count(Endpoint::DeleteContract), 0);
    let a = h
        .command(&kim, "contract delete", &[("contract", json!(id.as_str()))])
        .await;
    let ok = a.button("c:ok:");
    // Someone else cannot press it.
    let other = h.press(&Actor::user(LEE), &ok).await;
    assert!(other.text().contains("expired"), "{}", other.text());
    let done = h.press(&kim, &ok).await;
    assert_eq!(done.outcome.result, "ok", "{}", done.text());
    assert_eq!(h.sim.count(Endpoint::DeleteContract), 1);
    let again = h.press(&kim, &ok).await;
    assert!(again.text().contains("expired"), "{}", again.text());
    assert_eq!(h.sim.count(Endpoint::DeleteContract), 1);
}

#[tokio::test]
async fn confirm_rechecks_the_state() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑"]).await;
    let a = h
        .command(&kim, "contract delete", &[("contract", json!(id.as_str()))])
        .await;
    // Meanwhile, on the website, it was sent for signature.
    h.set_signee(&kim, id.as_str(), "0", "Kim", "kim@example.com")
        .await;
    let user = h.app.comake.user("kim@example.com");
    user.request_sign(&id).await.unwrap();
    let b = h.press(&kim, &a.button("c:ok:")).await;
    assert_eq!(b.outcome.result, "refused");
    assert!(b.text().contains("Out for signature"), "{}", b.text());
    assert_eq!(h.sim.count(Endpoint::DeleteContract), 0);
}

// ----- signees and signing -----

#[tokio::test]
async fn signee_sets_one_party_and_keeps_the_others() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑", "을"]).await;
    let set = |party: &'static str, name: &'static str, email: &'static str| {
        vec![
            ("contract", json!(id.as_str())),
            ("party", json!(party)),
            ("name", json!(name)),
            ("email", json!(email)),
        ]
    };
    let a = h
        .command(&kim, "contract signee", &set("0", "Kim", "kim@example.com"))
        .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    let mut opts = set("1", "Lee", "lee@example.com");
    opts.push(("phone", json!("+82 10-9876-5432")));
    opts.push(("kakao", json!(true)));
    let a = h.command(&kim, "contract signee", &opts).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    let c = h.sim.contract(&id).unwrap();
    assert_eq!(c.signees.len(), 2);
    assert_eq!(c.signees[0].email, "kim@example.com");
    assert!(c.signees[1].kakao);
    // The reply does not echo the phone number.
    assert!(!a.all_text().contains("9876"));
    h.sim.clear_log();
    for (bad, expect) in [
        (vec![("email", json!("nope"))], "email"),
        (vec![("phone", json!("12"))], "digits"),
        (vec![("password", json!("p".repeat(65)))], "64"),
        (vec![("message", json!("m".repeat(501)))], "500"),
        (vec![("kakao", json!(true))], "phone number"),
    ] {
        let mut opts = set("1", "Lee", "lee@example.com");
        for (k, v) in bad {
            opts.retain(|(n, _)| *n != k);
            opts.push((k, v));
        }
        let a = h.command(&kim, "contract signee", &opts).await;
        assert_eq!(a.outcome.result, "refused", "{expect}");
        assert!(a.text().contains(expect), "{expect}: {}", a.text());
    }
    assert_eq!(
        h.sim.count(Endpoint::SetSignees),
        0,
        "refused input reached Comake"
    );
    let a = h
        .command(&kim, "contract signee", &set("7", "X", "x@example.com"))
        .await;
    assert!(a.text().contains("no such party"), "{}", a.text());
}

#[tokio::test]
async fn request_sign_previews_then_sends_exactly_once() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑", "을"]).await;
    // Two parties lack a signee: an inline one is not enough.
    let a = h
        .command(
            &kim,
            "contract request-sign",
            &[("contract", json!(id.as_str()))],
        )
        .await;
    assert!(a.text().contains("갑, 을"), "{}", a.text());
    h.set_signee(&kim, id.as_str(), "0", "Kim", "kim@example.com")
        .await;
    let a = h
        .command(
            &kim,
            "contract request-sign",
            &[
                ("contract", json!(id.as_str())),
                ("name", json!("Lee")),
                ("email", json!("lee@example.com")),
                ("password", json!("s3cret-pw")),
            ],
        )
        .await;
    let text = a.text();
    assert!(
        text.contains("Kim") && text.contains("Lee") && text.contains("with a password"),
        "{text}"
    );
    assert!(
        !a.all_text().contains("s3cret-pw"),
        "the password was echoed"
    );
    assert_eq!(
        h.sim.count(Endpoint::RequestSign),
        0,
        "nothing sent before Send"
    );
    let send = a.button("c:ok:");
    // A double click: two presses at once.
    let (x, y) = tokio::join!(h.press(&kim, &send), h.press(&kim, &send));
    assert_eq!(h.sim.count(Endpoint::RequestSign), 1, "sent twice");
    assert_eq!(
        h.sim.count(Endpoint::SetSignees),
        2,
        "the inline signee was set once (plus the earlier /contract signee)"
    );
    let texts = [x.text(), y.text()];
    assert!(
        texts.iter().any(|t| t.contains("on their way")),
        "{texts:?}"
    );
    assert_eq!(
        h.sim.contract(&id).unwrap().summary.status,
        ContractStatus::Signing
    );
    // A retry of the whole command now finds it out for signature.
    let again = h
        .command(
            &kim,
            "contract request-sign",
            &[("contract", json!(id.as_str()))],
        )
        .await;
    assert_eq!(again.outcome.result, "refused");
    assert_eq!(h.sim.count(Endpoint::RequestSign), 1);
    let audit = h.app.store.audit_newest(10, Some(KIM)).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "contract.request_sign"));
    assert!(!format!("{audit:?}").contains("s3cret-pw"));
}

#[tokio::test]
async fn send_sends_what_the_preview_showed_or_nothing() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑", "을"]).await;
    h.set_signee(&kim, id.as_str(), "0", "Kim", "kim@example.com")
        .await;
    h.set_signee(&kim, id.as_str(), "1", "Lee", "lee@example.com")
        .await;
    let preview = h
        .command(
            &kim,
            "contract request-sign",
            &[("contract", json!(id.as_str()))],
        )
        .await;
    assert!(preview.text().contains("Lee"), "{}", preview.text());
    // On the website, the sender gives party 을 to Park meanwhile.
    let signee = common::plain_signee;
    h.sim
        .set_signees(
            "kim@example.com",
            &id,
            vec![
                signee(0, "Kim", "kim@example.com"),
                signee(1, "Park", "park@example.com"),
            ],
        )
        .unwrap();
    h.sim.clear_log();
    let a = h.press(&kim, &preview.button("c:ok:")).await;
    assert_eq!(h.sim.count(Endpoint::RequestSign), 0, "nothing is sent");
    assert_eq!(h.sim.count(Endpoint::SetSignees), 0, "nothing is reverted");
    assert!(
        a.text().contains("changed since the preview"),
        "{}",
        a.text()
    );
    assert!(
        a.text().contains("Park") && !a.text().contains("Lee"),
        "{}",
        a.text()
    );
    // The new preview's Send sends to Park.
    let b = h.press(&kim, &a.button("c:ok:")).await;
    assert!(b.text().contains("on their way"), "{}", b.text());
    assert_eq!(h.sim.count(Endpoint::RequestSign), 1);
    let c = h.sim.contract(&id).unwrap();
    assert!(c.signees.iter().any(|s| s.email == "park@example.com"));
}

#[tokio::test]
async fn cancel_sign_confirms_then_withdraws() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑"]).await;
    let a = h
        .command(
            &kim,
            "contract cancel-sign",
            &[("contract", json!(id.as_str()))],
        )
        .await;
    assert_eq!(a.outcome.result, "refused", "not out for signature yet");
    // Said as what it is, not sent to the website to find out why.
    assert!(
        a.text().contains("no signature requests out to withdraw") && !a.text().contains("website"),
        "{}",
        a.text()
    );
    h.set_signee(&kim, id.as_str(), "0", "Kim", "kim@example.com")
        .await;
    h.send_for_signature(&kim, id.as_str()).await;
    let a = h
        .command(
            &kim.clone().ko(),
            "contract cancel-sign",
            &[
                ("contract", json!(id.as_str())),
                ("reason", json!("wrong version")),
            ],
        )
        .await;
    assert!(has_hangul(&a.text()));
    let b = h.press(&kim, &a.button("c:ok:")).await;
    assert_eq!(b.outcome.result, "ok", "{}", b.text());
    let c = h.sim.contract(&id).unwrap();
    assert_eq!(c.summary.status, ContractStatus::SignCancelled);
    assert_eq!(
        c.timeline.last().unwrap().message.as_deref(),
        Some("wrong version")
    );
    // Once more, in Korean: already withdrawn, nothing left to withdraw.
    let a = h
        .command(
            &kim.clone().ko(),
            "contract cancel-sign",
            &[("contract", json!(id.as_str()))],
        )
        .await;
    assert_eq!(a.outcome.result, "refused");
    assert!(
        a.text().contains("서명요청 취소") && a.text().contains("취소할 서명요청이 없습니다"),
        "{}",
        a.text()
    );
}

#[tokio::test]
async fn only_the_sender_may_act_on_a_received_contract() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    h.linked(LEE, "lee@example.com").await;
    let id = common::seed_nda(&h.sim, "kim@example.com");
    let kim = Actor::user(KIM);
    h.set_signee(&kim, id.as_str(), "0", "Kim", "kim@example.com")
        .await;
    h.set_signee(&kim, id.as_str(), "1", "Lee", "lee@example.com")
        .await;
    h.send_for_signature(&kim, id.as_str()).await;
    let lee = Actor::user(LEE);
    let a = h
        .command(&lee, "contract show", &[("contract", json!(id.as_str()))])
        .await;
    assert!(a.text().contains("sent to you"), "{}", a.text());
    let a = h
        .command(
            &lee,
            "contract cancel-sign",
            &[("contract", json!(id.as_str()))],
        )
        .await;
    assert!(a.text().contains("Only the sender"), "{}", a.text());
}

// ----- Comake trouble -----

#[tokio::test]
async fn comake_down_is_explained_with_an_error_id() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑"]).await;
    h.command(&kim, "contract list", &[]).await;
    h.sim.fail_next(None, 10, Failure::Status(503));
    let a = h.command(&kim, "contract list", &[]).await;
    assert_eq!(a.outcome.result, "error");
    let error_id = a.outcome.error_id.clone().unwrap();
    assert!(
        a.text().contains("isn't answering") && a.text().contains(&error_id),
        "{}",
        a.text()
    );
    assert!(
        a.text().contains("Nothing was changed"),
        "a read changed nothing: {}",
        a.text()
    );
    // A write that may have landed says so.
    h.sim.fail_next(None, 0, Failure::Status(503));
    let b = h
        .command(
            &kim.clone().ko(),
            "contract rename",
            &[("contract", json!(id.as_str())), ("name", json!("x"))],
        )
        .await;
    assert!(has_hangul(&b.text()));
    // A hang answers within the budget with the deferral already sent.
    let h2 = Harness::new().await;
    h2.linked(KIM, "kim@example.com").await;
    h2.sim.fail_next(None, 100, Failure::Hang);
    let started = std::time::Instant::now();
    let c = h2.command(&kim, "contract new", &[]).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(c.first()["type"], 5);
    assert_eq!(c.outcome.result, "error");
    assert!(tokens_in(&h2, &c.all_text()).is_empty());
}

// ----- admins -----

/// `/comake-admin link user email` by `admin`.
async fn admin_link(
    h: &Harness,
    admin: &Actor,
    user: serde_json::Value,
    email: &str,
) -> common::discord::Answer {
    let options = [("user", user), ("email", json!(email))];
    h.command(admin, "comake-admin link", &options).await
}

#[tokio::test]
async fn admin_commands_need_manage_server() {
    let h = Harness::new().await;
    h.sim.add_user("lee@example.com", "Lee").unwrap();
    let member = Actor::user(KIM);
    for (cmd, options) in [
        (
            "comake-admin link",
            vec![
                ("user", json!({"user": LEE})),
                ("email", json!("lee@example.com")),
            ],
        ),
        ("comake-admin unlink", vec![("user", json!({"user": LEE}))]),
        ("comake-admin list", vec![]),
        ("comake-admin audit", vec![]),
    ] {
        let a = h.command(&member, cmd, &options).await;
        assert_eq!(a.outcome.result, "refused", "{cmd}");
        assert!(a.text().contains("Manage Server"), "{cmd}: {}", a.text());
    }
    assert!(h.app.store.account(LEE).await.unwrap().is_none());
    assert_eq!(h.sim.count(Endpoint::LoginClient), 0);
}

#[tokio::test]
async fn admins_link_list_audit_and_unlink() {
    let h = Harness::new().await;
    h.sim.add_user("lee@example.com", "Lee").unwrap();
    let boss = Actor::user(BOSS).admin();
    let a = admin_link(&h, &boss, json!({"user": LEE}), "nobody@example.com").await;
    assert!(a.text().contains("no user with that email"), "{}", a.text());
    let a = admin_link(&h, &boss, json!({"user": LEE}), "Lee@Example.com").await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert_eq!(
        h.app.store.account(LEE).await.unwrap().unwrap().email,
        "lee@example.com"
    );
    // The link proved the user exists with a login; that token went nowhere.
    assert!(tokens_in(&h, &a.all_text()).is_empty());
    let a = admin_link(&h, &boss, json!({"user": KIM}), "lee@example.com").await;
    assert!(
        a.text().contains(&format!("<@{LEE}>")),
        "taken: {}",
        a.text()
    );
    let a = h.command(&boss, "comake-admin list", &[]).await;
    assert!(a.text().contains(&format!("<@{LEE}>")), "{}", a.text());
    assert_eq!(
        a.message()["allowed_mentions"],
        json!({"parse": []}),
        "listing people pings nobody"
    );
    let a = h
        .command(&boss.clone().ko(), "comake-admin audit", &[])
        .await;
    // In words, the linked member as a mention that renders (outside any
    // code span), and no stored action name.
    assert!(
        a.text().contains(&format!("· 연결 <@{LEE}>")) && a.text().contains("완료"),
        "{}",
        a.text()
    );
    assert!(!a.text().contains("admin.link"), "{}", a.text());
    let a = h
        .command(
            &boss,
            "comake-admin unlink",
            &[("user", json!({"user": LEE}))],
        )
        .await;
    assert_eq!(a.outcome.result, "ok");
    assert!(h.app.store.account(LEE).await.unwrap().is_none());
    let a = h
        .command(
            &boss,
            "comake-admin audit",
            &[("user", json!({"user": BOSS}))],
        )
        .await;
    assert!(
        a.text().contains(&format!("unlinked <@{LEE}>")) && !a.text().contains("admin.unlink"),
        "{}",
        a.text()
    );
}

#[tokio::test]
async fn admins_act_only_on_members_of_their_server() {
    let h = Harness::new().await;
    h.sim.add_user("lee@example.com", "Lee").unwrap();
    h.linked(KIM, "kim@example.com").await;
    h.sim.clear_log();
    let boss = Actor::user(BOSS).admin();
    let a = admin_link(
        &h,
        &boss,
        json!({"user": LEE, "outside": true}),
        "lee@example.com",
    )
    .await;
    assert_eq!(a.outcome.result, "refused");
    assert!(a.text().contains("isn't a member"), "{}", a.text());
    assert!(h.app.store.account(LEE).await.unwrap().is_none());
    assert!(h.sim.requests().is_empty());
    // Someone who left the server can still be unlinked.
    let a = h
        .command(
            &boss,
            "comake-admin unlink",
            &[("user", json!({"user": KIM, "outside": true}))],
        )
        .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert!(h.app.store.account(KIM).await.unwrap().is_none());
    // A member is linked, and the audit log names the email.
    let a = admin_link(&h, &boss, json!({"user": LEE}), "lee@example.com").await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    let audit = h.app.store.audit_newest(1, Some(BOSS)).await.unwrap();
    assert!(
        audit[0].outcome.contains("lee@example.com"),
        "{:?}",
        audit[0]
    );
}

#[tokio::test]
async fn admin_roles_narrow_who_is_an_admin() {
    const LEGAL: u64 = 777;
    let h = Harness::with_env(&[("ADMIN_ROLE_IDS", "777,778")]).await;
    let manager = Actor::user(BOSS).admin();
    let a = h.command(&manager, "comake-admin list", &[]).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(a.text().contains("admin roles"), "{}", a.text());
    let legal = Actor {
        roles: &[LEGAL],
        ..Actor::user(BOSS).admin()
    };
    let a = h.command(&legal, "comake-admin list", &[]).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    // The role alone is not enough: Manage Server is still needed.
    let role_only = Actor {
        roles: &[LEGAL],
        ..Actor::user(KIM)
    };
    let a = h.command(&role_only, "comake-admin list", &[]).await;
    assert_eq!(a.outcome.result, "refused");
}

// ----- autocomplete -----

#[tokio::test]
async fn autocomplete_offers_only_contracts_the_command_can_act_on() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let saved = h
        .sim
        .seed_contract(
            "kim@example.com",
            "Office lease",
            &["갑", "을"],
            ContractStatus::Saved,
        )
        .unwrap();
    let signing = h
        .sim
        .seed_contract(
            "kim@example.com",
            "Lease renewal",
            &["갑"],
            ContractStatus::Signing,
        )
        .unwrap();
    h.sim
        .seed_contract("kim@example.com", "NDA", &["갑"], ContractStatus::Completed)
        .unwrap();
    let kim = Actor::user(KIM);
    let a = h
        .autocomplete(
            &kim,
            "contract edit",
            &[("contract", json!("LEASE"))],
            "contract",
        )
        .await;
    assert_eq!(a.first()["type"], 8);
    let values: Vec<String> = a.choices().into_iter().map(|(_, v)| v).collect();
    assert_eq!(values, [saved.to_string()]);
    let a = h
        .autocomplete(
            &kim,
            "contract cancel-sign",
            &[("contract", json!(""))],
            "contract",
        )
        .await;
    let values: Vec<String> = a.choices().into_iter().map(|(_, v)| v).collect();
    assert_eq!(values, [signing.to_string()]);
    let a = h
        .autocomplete(
            &kim,
            "contract show",
            &[("contract", json!(""))],
            "contract",
        )
        .await;
    assert_eq!(a.choices().len(), 3);
    // Typing does not call Comake on every key: the list is cached.
    let lists = h.sim.count(Endpoint::ListContracts);
    assert_eq!(lists, 1);
    let a = h
        .autocomplete(
            &kim,
            "contract signee",
            &[("contract", json!(saved.as_str())), ("party", json!("을"))],
            "party",
        )
        .await;
    assert_eq!(a.choices(), [("을".to_owned(), "1".to_owned())]);
}

#[tokio::test]
async fn an_autocomplete_flood_costs_comake_a_handful_of_requests() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑", "을"]).await;
    h.sim.clear_log();
    // 500 requests from one person, contract and party alike, most with ids
    // typed by hand.
    let started = std::time::Instant::now();
    for i in 0..500u32 {
        let a = if i % 2 == 0 {
            h.autocomplete(
                &kim,
                "contract show",
                &[("contract", json!(format!("N{i}")))],
                "contract",
            )
            .await
        } else {
            let contract = if i % 10 == 1 {
                id.to_string()
            } else {
                format!("forged-{i}")
            };
            h.autocomplete(
                &kim,
                "contract signee",
                &[("contract", json!(contract)), ("party", json!(""))],
                "party",
            )
            .await
        };
        assert_eq!(a.outcome.result, "ok");
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let requests = h.sim.requests().len();
    assert!(
        requests <= 5,
        "{requests} Comake requests: {:?}",
        h.sim.requests()
    );
    assert_eq!(
        h.sim.count(Endpoint::GetContract),
        1,
        "only the real contract was looked up"
    );

    // A failing Comake is not asked again on every keystroke either.
    h.linked(LEE, "lee@example.com").await;
    h.sim.clear_log();
    h.sim
        .fail_next(Some(Endpoint::ListContracts), 1000, Failure::Status(500));
    for _ in 0..20 {
        let a = h
            .autocomplete(
                &Actor::user(LEE),
                "contract show",
                &[("contract", json!(""))],
                "contract",
            )
            .await;
        assert!(a.choices().is_empty());
    }
    assert!(
        h.sim.count(Endpoint::ListContracts) <= 3,
        "one read with its retries: {:?}",
        h.sim.requests()
    );
}

#[tokio::test]
async fn autocomplete_answers_in_time_when_comake_is_slow() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    h.sim
        .seed_contract("kim@example.com", "NDA", &["갑"], ContractStatus::Saved)
        .unwrap();
    h.sim.set_latency(Duration::from_secs(4));
    let started = std::time::Instant::now();
    let a = h
        .autocomplete(
            &Actor::user(KIM),
            "contract show",
            &[("contract", json!(""))],
            "contract",
        )
        .await;
    assert!(
        started.elapsed() < Duration::from_millis(2900),
        "took {:?}",
        started.elapsed()
    );
    assert!(a.choices().is_empty());
    // The next keystroke does not ask the slow Comake again.
    let lists = h.sim.count(Endpoint::ListContracts);
    let again = std::time::Instant::now();
    let a = h
        .autocomplete(
            &Actor::user(KIM),
            "contract show",
            &[("contract", json!("N"))],
            "contract",
        )
        .await;
    assert!(a.choices().is_empty());
    assert!(again.elapsed() < Duration::from_millis(500));
    assert_eq!(h.sim.count(Endpoint::ListContracts), lists);
}

// ----- limits and guards -----

#[tokio::test]
async fn a_flood_of_commands_is_slowed_down() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM);
    let mut refused = 0;
    for _ in 0..25 {
        let a = h.command(&kim, "comake whoami", &[]).await;
        if a.outcome.result == "refused" {
            assert!(a.text().contains("bit fast"), "{}", a.text());
            refused += 1;
        }
    }
    assert_eq!(refused, 5);
    // Others are not affected.
    h.linked(LEE, "lee@example.com").await;
    assert_eq!(
        h.command(&Actor::user(LEE), "comake whoami", &[])
            .await
            .outcome
            .result,
        "ok"
    );
}

#[tokio::test]
async fn unlisted_servers_and_dms_are_refused_before_any_work() {
    let h = Harness::new().await;
    let (id, _) = kim_with(&h, "NDA", &["갑", "을"]).await;
    h.sim.clear_log();
    let outside = Actor {
        guild: Some(12345),
        ..Actor::user(KIM).admin()
    };
    let dm = Actor {
        guild: None,
        ..Actor::user(KIM)
    };
    for actor in [&outside, &dm] {
        for (cmd, options) in [
            ("contract new", vec![]),
            ("contract show", vec![("contract", json!(id.to_string()))]),
            ("comake whoami", vec![]),
            ("comake-admin list", vec![]),
            (
                "comake-admin link",
                vec![
                    ("user", json!({"user": LEE})),
                    ("email", json!("kim@example.com")),
                ],
            ),
        ] {
            let a = h.command(actor, cmd, &options).await;
            assert_eq!(a.outcome.result, "refused", "{cmd}");
            assert!(a.ephemeral(), "{cmd}");
            assert!(a.text().contains("company"), "{cmd}: {}", a.text());
        }
        let a = h
            .autocomplete(
                actor,
                "contract show",
                &[("contract", json!(""))],
                "contract",
            )
            .await;
        assert!(a.choices().is_empty());
        let a = h.press(actor, &format!("c:ok:{id}")).await;
        assert_eq!(a.outcome.result, "refused");
        let a = h.submit(actor, "v:submit", &[("code", "123456")]).await;
        assert_eq!(a.outcome.result, "refused");
    }
    assert!(h.sim.requests().is_empty(), "{:?}", h.sim.requests());
    // Nothing was written either: no audit entry, no notification state.
    assert!(h.app.store.audit_newest(5, None).await.unwrap().is_empty());
    assert!(h.app.store.notify_state(KIM).await.unwrap().is_none());
    let a = h
        .command(&Actor::user(KIM).ko(), "comake whoami", &[])
        .await;
    assert_eq!(a.outcome.result, "ok", "the company's server still works");
    // The buttons of our own DMs work in a DM, for linked people only.
    let a = h.press(&dm, &format!("n:sign:{id}")).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    let stranger = Actor {
        guild: None,
        ..Actor::user(LEE)
    };
    let a = h.press(&stranger, &format!("n:sign:{id}")).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(a.text().contains("/comake-admin register"), "{}", a.text());
}

#[tokio::test]
async fn a_signee_acting_shows_in_show() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑"]).await;
    h.set_signee(&kim, id.as_str(), "0", "Kim", "kim@example.com")
        .await;
    h.send_for_signature(&kim, id.as_str()).await;
    h.sim.signee_acts(&id, 0, SigneeAction::Sign).unwrap();
    let a = h
        .command(
            &kim.clone().ko(),
            "contract show",
            &[("contract", json!(id.as_str()))],
        )
        .await;
    assert!(
        a.text().contains("체결됨") && a.text().contains("서명함"),
        "{}",
        a.text()
    );
    let _ = ContractId::parse(id.as_str()).unwrap();
}

/// A responder that keeps nothing (for volume).
struct Quiet;

impl comake_bot::api::handlers::Responder for Quiet {
    async fn callback(
        &self,
        _: serde_json::Value,
    ) -> Result<(), comake_bot::api::handlers::DeliveryError> {
        Ok(())
    }
    async fn edit_original(
        &self,
        _: serde_json::Value,
    ) -> Result<(), comake_bot::api::handlers::DeliveryError> {
        Ok(())
    }
}

#[tokio::test]
async fn memory_is_bounded_after_an_hour_of_strangers() {
    use comake_bot::api::app::confirm::Pending;
    use comake_bot::api::handlers::{dispatch, Invocation, Kind};
    use secrecy::SecretString;
    let h = Harness::new().await;
    let id = ContractId::parse("c-1").unwrap();
    for user in 1..=100_000u64 {
        let inv = Invocation {
            kind: Kind::Command,
            id: user,
            token: SecretString::from(format!("t{user}")),
            application_id: 1,
            user,
            guild: Some(common::discord::GUILD),
            locale: "en-US".into(),
            permissions: Some(0),
            roles: Vec::new(),
            user_name: String::new(),
            members: Vec::new(),
            channel: None,
            app_permissions: None,
            in_thread: None,
            command: "comake whoami".into(),
            options: Vec::new(),
            focused: None,
            custom_id: String::new(),
        };
        dispatch(&h.app, &inv, &Quiet).await;
        h.app
            .confirmations
            .add(user, Pending::Delete { id: id.clone() })
            .await
            .unwrap();
        h.app.comake.user(&format!("u{user}@example.com"));
    }
    let busy = h.app.sweep().await.unwrap();
    assert_eq!(busy.confirmations, 100_000, "{busy:?}");
    tokio::time::pause();
    tokio::time::advance(std::time::Duration::from_secs(3601)).await;
    tokio::time::resume();
    let held = h.app.sweep().await.unwrap();
    assert_eq!(
        held,
        comake_bot::api::app::Held {
            limited_users: 0,
            confirmations: 0,
            token_cells: 0,
            cached_lists: 0,
            cached_details: 0,
        }
    );
}

// ----- message integrity: the ten cases of issue 13 -----

/// `/contract show` of `id` by Kim.
async fn show(h: &Harness, id: &ContractId) -> common::discord::Answer {
    let options = [("contract", json!(id.to_string()))];
    h.command(&Actor::user(KIM), "contract show", &options)
        .await
}

/// Every limit Discord sets on a message we send.
fn assert_fits(message: &serde_json::Value) {
    let content = message["content"].as_str().unwrap_or_default();
    assert!(
        content.chars().count() <= 2000,
        "{} chars",
        content.chars().count()
    );
    assert!(
        !crate::common::has_live_link(content),
        "a live link in: {content}"
    );
    let rows = message["components"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(rows.len() <= 5);
    for row in rows {
        let buttons = row["components"].as_array().unwrap();
        assert!(!buttons.is_empty() && buttons.len() <= 5);
        for b in buttons {
            assert!(b["label"].as_str().unwrap().chars().count() <= 80);
            if let Some(id) = b["custom_id"].as_str() {
                assert!(id.len() <= 100, "{id}");
            }
            if let Some(url) = b["url"].as_str() {
                assert!(url.len() <= 512);
            }
        }
    }
}

/// The first characters of `name` as a message shows it, however short.
fn shown_prefix(name: &str) -> String {
    comake_bot::api::text::inert_max(name, 12)
        .trim_end_matches('…')
        .to_owned()
}

fn long_korean(i: usize, n: usize) -> String {
    format!(
        "{i:02}{}",
        "가나다라마바사아자차"
            .chars()
            .cycle()
            .take(n)
            .collect::<String>()
    )
}

/// Kim's saved contract with these parties, each with a long-named signee.
async fn many_signees(h: &Harness, name: &str, parties: &[String]) -> ContractId {
    h.linked(KIM, "kim@example.com").await;
    let refs: Vec<&str> = parties.iter().map(String::as_str).collect();
    let id = h
        .sim
        .seed_contract("kim@example.com", name, &refs, ContractStatus::Saved)
        .unwrap();
    let signees = (0..parties.len() as u32)
        .map(|p| {
            common::plain_signee(
                p,
                &long_korean(p as usize, 90),
                &format!("signee{p}@example.com"),
            )
        })
        .collect();
    h.sim.set_signees("kim@example.com", &id, signees).unwrap();
    id
}

#[tokio::test]
async fn a_ten_party_preview_lists_every_signee_and_the_send_line() {
    let h = Harness::new().await;
    let parties: Vec<String> = (0..10).map(|i| long_korean(i, 60)).collect();
    let id = many_signees(&h, &long_korean(99, 200), &parties).await;
    let a = h
        .command(
            &Actor::user(KIM),
            "contract request-sign",
            &[("contract", json!(id.to_string()))],
        )
        .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert_fits(&a.message());
    let text = a.text();
    for p in 0..10 {
        assert!(
            text.contains(&shown_prefix(&long_korean(p, 90))),
            "signee {p} missing: {text}"
        );
    }
    assert!(text.contains("Press **Send**"), "{text}");
}

#[tokio::test]
async fn a_list_page_of_long_names_shows_every_contract() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    for i in 0..10 {
        h.sim
            .seed_contract(
                "kim@example.com",
                &long_korean(i, 200),
                &["갑"],
                ContractStatus::Saved,
            )
            .unwrap();
    }
    let a = h.command(&Actor::user(KIM), "contract list", &[]).await;
    assert_fits(&a.message());
    for i in 0..10 {
        assert!(
            a.text().contains(&shown_prefix(&long_korean(i, 200))),
            "contract {i} missing"
        );
    }
}

#[tokio::test]
async fn show_keeps_every_party_and_counts_the_history_left_out() {
    let h = Harness::new().await;
    let parties: Vec<String> = (0..10).map(|i| long_korean(i, 60)).collect();
    let id = many_signees(&h, &long_korean(99, 200), &parties).await;
    let again = h.sim.contract(&id).unwrap().signees;
    for _ in 0..6 {
        let list = again
            .iter()
            .map(|s| common::plain_signee(s.party, &s.name, &s.email))
            .collect();
        h.sim.set_signees("kim@example.com", &id, list).unwrap();
    }
    let a = show(&h, &id).await;
    assert_fits(&a.message());
    let text = a.text();
    for p in &parties {
        assert!(text.contains(&shown_prefix(p)), "party missing: {text}");
    }
    let timeline = h.sim.contract(&id).unwrap().timeline.len();
    assert!(timeline > 5, "{timeline}");
    let listed = text
        .lines()
        .filter(|l| l.starts_with("• ") && l.contains("<t:"))
        .count();
    assert!(listed < timeline);
    {
        assert!(
            text.contains(&format!("{} earlier", timeline - listed)),
            "{timeline} history entries, {listed} shown, and no word of the rest: {text}"
        );
    }
}

#[tokio::test]
async fn names_with_links_and_bidi_tricks_are_shown_inert() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let id = h
        .sim
        .seed_contract(
            "kim@example.com",
            "긴급: https://comake-secure.example/login 계약서\u{202E}exe.fdp\u{200B}",
            &["갑", ""],
            ContractStatus::Saved,
        )
        .unwrap();
    let a = show(&h, &id).await;
    assert_fits(&a.message());
    let text = a.text();
    assert!(
        !text.contains('\u{202E}') && !text.contains('\u{200B}'),
        "{text}"
    );
    assert!(text.contains("계약서exe.fdp"), "{text}");
    assert!(
        text.contains("Party 2"),
        "an empty party name has a fallback: {text}"
    );
    // The empty party name does not break the autocomplete answer.
    let a = h
        .autocomplete(
            &Actor::user(KIM),
            "contract signee",
            &[("contract", json!(id.to_string())), ("party", json!(""))],
            "party",
        )
        .await;
    let choices = a.choices();
    assert_eq!(choices.len(), 2);
    assert!(choices
        .iter()
        .all(|(name, _)| !name.is_empty() && name.chars().count() <= 100));
}

#[test]
fn contract_ids_that_cannot_fit_a_button_are_refused_on_arrival() {
    let long = format!("\"{}\"", "a".repeat(91));
    assert!(serde_json::from_str::<ContractId>(&long).is_err());
    assert!(serde_json::from_str::<ContractId>("\"a/b\"").is_err());
    assert!(serde_json::from_str::<ContractId>("\"665f1c2ab3\"").is_ok());
}

// ----- property: hostile text never breaks a message -----

mod hostile {
    use super::*;
    use comake_bot::api::text::{inert_max, or_fallback};
    use proptest::prelude::*;

    /// Names as someone outside the company might choose them.
    fn name() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("계약서".to_owned()),
            Just("https://evil.example/login".to_owned()),
            Just("[click](https://evil.example)".to_owned()),
            Just("@everyone <@123> <#456> <@&789>".to_owned()),
            Just("**bold** __u__ ~~s~~ `code` ||spoiler|| > quote # h -# sub".to_owned()),
            Just("\u{202E}exe.fdp\u{2066}\u{200B}\u{FEFF}".to_owned()),
            Just("\n\r\t".to_owned()),
            Just(String::new()),
            "[가-힣]{1,40}",
            "[ -~]{1,40}",
        ];
        prop::collection::vec(piece, 0..14)
            .prop_map(|parts| parts.concat().chars().take(500).collect::<String>())
    }

    fn expected(name: &str, fallback: String) -> String {
        inert_max(&or_fallback(name, || fallback), 12)
            .trim_end_matches('…')
            .to_owned()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn every_reply_fits_and_shows_every_entry(
            contract in name(),
            parties in prop::collection::vec(name(), 1..=10),
            signees in prop::collection::vec(name(), 10),
        ) {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let h = Harness::new().await;
                h.linked(KIM, "kim@example.com").await;
                let refs: Vec<&str> = parties.iter().map(String::as_str).collect();
                let id = h
                    .sim
                    .seed_contract("kim@example.com", &contract, &refs, ContractStatus::Saved)
                    .unwrap();
                let list = (0..parties.len() as u32)
                    .map(|p| {
                        common::plain_signee(p, &signees[p as usize], &format!("s{p}@example.com"))
                    })
                    .collect();
                // Comake may refuse an odd signee name; then there are none.
                let with_signees = h.sim.set_signees("kim@example.com", &id, list).is_ok();
                let kim = Actor::user(KIM);
                let contract_opt = [("contract", json!(id.to_string()))];

                let show = h.command(&kim, "contract show", &contract_opt).await;
                assert_eq!(show.outcome.result, "ok", "{}", show.text());
                assert_fits(&show.message());
                for (i, p) in parties.iter().enumerate() {
                    let want = expected(p, format!("Party {}", i + 1));
                    assert!(show.text().contains(&want), "party {i} ({want:?}) missing: {}", show.text());
                }

                let preview = h.command(&kim, "contract request-sign", &contract_opt).await;
                assert_fits(&preview.message());
                if with_signees && preview.outcome.result == "ok" {
                    for (p, signee) in signees.iter().enumerate().take(parties.len()) {
                        let want = expected(signee, String::new());
                        assert!(preview.text().contains(&want), "signee {p} missing");
                    }
                } else if with_signees {
                    assert!(preview.text().contains("more than a Discord message can list"), "{}", preview.text());
                }

                let list = h.command(&kim, "contract list", &[]).await;
                assert_fits(&list.message());
                assert!(list.text().contains(&expected(&contract, String::new())));

                for focused in ["contract", "party"] {
                    let a = h
                        .autocomplete(
                            &kim,
                            "contract signee",
                            &[("contract", json!(id.to_string())), ("party", json!(""))],
                            focused,
                        )
                        .await;
                    let choices = a.choices();
                    assert!(choices.len() <= 25);
                    for (name, value) in choices {
                        assert!((1..=100).contains(&name.chars().count()), "{name:?}");
                        assert!((1..=100).contains(&value.chars().count()));
                    }
                }

            });
        }
    }
}

#[tokio::test]
async fn admin_views_of_long_emails_show_every_account_and_count_the_rest() {
    let h = Harness::new().await;
    let boss = Actor::user(BOSS).admin();
    let long = |i: u64| format!("{}{i}@{}.example.com", "a".repeat(60), "b".repeat(170));
    for i in 0..10u64 {
        h.linked(1000 + i, &long(i)).await;
        for _ in 0..2 {
            h.app
                .store
                .audit(comake_bot::api::store::AuditEntry {
                    at: chrono::Utc::now(),
                    discord_user: 1000 + i,
                    guild: Some(common::discord::GUILD),
                    action: "admin.link <@1>".into(),
                    contract: Some("x".repeat(64)),
                    outcome: format!("ok ({}) https://evil.example", long(i)),
                })
                .await
                .unwrap();
        }
    }
    let list = h.command(&boss, "comake-admin list", &[]).await;
    assert_fits(&list.message());
    for i in 0..10u64 {
        assert!(
            list.text().contains(&format!("<@{}>", 1000 + i)),
            "account {i} missing"
        );
    }
    let audit = h.command(&boss, "comake-admin audit", &[]).await;
    assert_fits(&audit.message());
    let shown = audit.text().lines().filter(|l| l.starts_with("• ")).count();
    assert!(shown >= 1);
    if shown < 15 {
        assert!(
            audit
                .text()
                .contains(&format!("{} older entries", 15 - shown)),
            "{}",
            audit.text()
        );
    }
}

// ----- status cards: Share asks first, and respects the member -----

/// The channel every fixture interaction comes from.
const CHANNEL: u64 = 700_000_000_000_000_001;

/// Kim's `/contract show` of `id`, and its Share button.
async fn share_button(h: &Harness, id: &ContractId) -> String {
    let kim = Actor::user(KIM);
    let shown = h
        .command(&kim, "contract show", &[("contract", json!(id.as_str()))])
        .await;
    shown.button("s:share:")
}

#[tokio::test]
async fn a_party_named_after_its_outside_signee_is_masked_on_a_card() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let id = h
        .sim
        .seed_contract(
            "kim@example.com",
            "Lease",
            &["Kim Corp", "박지수 (개인)"],
            ContractStatus::Saved,
        )
        .unwrap();
    h.sim
        .set_signees(
            "kim@example.com",
            &id,
            vec![
                common::plain_signee(0, "Kim", "kim@example.com"),
                common::plain_signee(1, "박지수", "park@example.com"),
            ],
        )
        .unwrap();
    h.app
        .comake
        .user("kim@example.com")
        .request_sign(&id)
        .await
        .unwrap();
    let asked = h
        .press(&Actor::user(KIM), &share_button(&h, &id).await)
        .await;
    let text = asked.text();
    // The company party and the colleague in full; the person signing for
    // themself masked in both places.
    assert!(text.contains("Kim Corp") && text.contains("Kim,"), "{text}");
    assert!(!text.contains("박지수") && !text.contains("지수"), "{text}");
    assert!(text.contains(r"박\*수"), "{text}");
}

#[tokio::test]
async fn share_shows_privately_what_the_card_makes_public_and_only_post_posts_once() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    h.linked(LEE, "lee@example.com").await;
    let kim = Actor::user(KIM);
    let id = sent_to_lee_and_park(&h, "Office lease").await;
    let share = share_button(&h, &id).await;
    let asked = h.press(&kim, &share).await;
    assert!(asked.posted().is_empty(), "Share alone posts nothing");
    assert!(asked.ephemeral());
    let text = asked.text();
    assert!(text.contains("Everyone who can read the channel"), "{text}");
    // Lee is a linked colleague, in full; Park is outside the company and
    // never agreed to appear in a channel: masked.
    for shown in ["Office lease", "Lee", r"P\*\*\*", "Out for signature"] {
        assert!(text.contains(shown), "{shown} missing: {text}");
    }
    assert!(!text.contains("Park"), "an outside name in public: {text}");
    assert!(
        !text.contains("@example.com"),
        "an email in the preview: {text}"
    );
    let ids: Vec<String> = asked.buttons().into_iter().map(|(_, id)| id).collect();
    assert_eq!(ids, [format!("s:post:{id}"), "s:no".to_owned()]);

    // Never mind: nothing is posted, and Share can be asked again.
    let no = h.press(&kim, "s:no").await;
    assert!(no.posted().is_empty());
    assert!(no.text().contains("nothing was posted"), "{}", no.text());
    assert!(h.app.store.card(id.as_str()).await.unwrap().is_none());

    // Post, clicked twice: one card, exactly the text the preview showed.
    let post = asked.button("s:post:");
    let (a, b) = tokio::join!(h.press(&kim, &post), h.press(&kim, &post));
    let posted: Vec<_> = a.posted().into_iter().chain(b.posted()).collect();
    assert_eq!(posted.len(), 1, "two cards");
    assert_eq!(posted[0].0, CHANNEL);
    let card = posted[0].1["content"].as_str().unwrap();
    assert!(
        text.ends_with(card),
        "the preview was not the card:\n{text}\n---\n{card}"
    );
    assert!(h.app.store.card(id.as_str()).await.unwrap().is_some());
    // A card kept: Share now says so instead of offering Post again.
    let again = h.press(&kim, &format!("s:share:{id}")).await;
    assert!(
        again.text().contains("already has a status card"),
        "{}",
        again.text()
    );
    // Unshared, then shared again at once: the minute's claim says so,
    // rather than telling Kim to unshare what is no longer shared.
    h.command(
        &kim,
        "contract unshare",
        &[("contract", json!(id.as_str()))],
    )
    .await;
    let asked_again = h.press(&kim, &format!("s:share:{id}")).await;
    let too_soon = h.press(&kim, &asked_again.button("s:post:")).await;
    assert!(too_soon.posted().is_empty());
    assert!(
        too_soon.text().contains("less than a minute ago")
            && !too_soon.text().contains("unshare it first"),
        "{}",
        too_soon.text()
    );
    // Korean: the same question, in Korean.
    let ko = h
        .press(
            &Actor::user(KIM).ko(),
            &format!("s:share:{}", sent_to_lee_and_park(&h, "Second").await),
        )
        .await;
    assert!(ko.text().contains("이 채널에 올릴까요"), "{}", ko.text());
}

#[tokio::test]
async fn a_member_who_may_only_read_the_channel_cannot_make_the_bot_post_there() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let id = sent_to_lee_and_park(&h, "Office lease").await;
    let share = share_button(&h, &id).await;
    let reader = Actor::user(KIM).read_only();
    h.sim.clear_log();
    for pressed in [share.clone(), format!("s:post:{id}")] {
        let a = h.press(&reader, &pressed).await;
        assert_eq!(a.outcome.result, "refused", "{pressed}: {}", a.text());
        assert!(
            a.text()
                .contains("can't send messages in this channel yourself"),
            "{}",
            a.text()
        );
        assert!(a.ephemeral());
        assert!(a.posted().is_empty(), "{pressed} posted");
    }
    assert!(h.sim.requests().is_empty(), "Comake was asked first");
    assert!(h.app.store.card(id.as_str()).await.unwrap().is_none());
    let ko = h.press(&reader.clone().ko(), &share).await;
    assert!(has_hangul(&ko.text()), "{}", ko.text());

    // In a thread, Send Messages in Threads is what counts.
    let mut sender = Actor::user(KIM);
    sender.permissions = "3072"; // view and send, not in threads
    let thread = 700_000_000_000_000_009;
    let a = h
        .run_payload(common::discord::button_in(&sender, &share, thread, true))
        .await;
    assert!(a.text().contains("yourself"), "{}", a.text());
    sender.permissions = "274877907968"; // view and send in threads
    let a = h
        .run_payload(common::discord::button_in(&sender, &share, thread, true))
        .await;
    assert!(a.text().contains("Office lease"), "{}", a.text());
    let post = a.button("s:post:");
    let a = h
        .run_payload(common::discord::button_in(&sender, &post, thread, true))
        .await;
    assert_eq!(a.posted().len(), 1, "{}", a.text());
    assert_eq!(a.posted()[0].0, thread);
}

#[tokio::test]
async fn cards_go_only_in_the_channels_card_channel_ids_lists() {
    let listed = 700_000_000_000_000_002;
    let h = Harness::with_env(&[("CARD_CHANNEL_IDS", &listed.to_string())]).await;
    h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM);
    let id = sent_to_lee_and_park(&h, "Office lease").await;
    let share = share_button(&h, &id).await;
    h.sim.clear_log();
    for pressed in [share.clone(), format!("s:post:{id}")] {
        let a = h.press(&kim, &pressed).await;
        assert_eq!(a.outcome.result, "refused", "{}", a.text());
        assert!(
            a.text().contains("can't be posted in this channel"),
            "{}",
            a.text()
        );
        assert!(a.posted().is_empty());
    }
    assert!(h.sim.requests().is_empty(), "Comake was asked first");
    let asked = h
        .run_payload(common::discord::button_in(&kim, &share, listed, false))
        .await;
    let post = asked.button("s:post:");
    let a = h
        .run_payload(common::discord::button_in(&kim, &post, listed, false))
        .await;
    assert_eq!(a.posted().len(), 1, "{}", a.text());
    assert_eq!(a.posted()[0].0, listed);
}

#[tokio::test]
async fn pending_costs_a_bounded_number_of_comake_requests() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM);
    // More out for signature than three list pages hold.
    for i in 0..305 {
        h.sim
            .seed_contract(
                "kim@example.com",
                &format!("Lease {i:03}"),
                &["갑"],
                ContractStatus::Signing,
            )
            .unwrap();
    }
    // Sign in first, so the count below is the command's own reads.
    h.app
        .comake
        .user("kim@example.com")
        .list_contracts(Default::default(), 1, 1)
        .await
        .unwrap();
    for page in [1, 2] {
        h.sim.clear_log();
        let a = h
            .command(&kim, "contract pending", &[("page", json!(page))])
            .await;
        assert!(a.text().contains("Lease"), "{}", a.text());
        assert!(
            a.text().contains("more on the Comake website"),
            "{}",
            a.text()
        );
        let requests = h.sim.requests();
        // As the README says: at most 14 (3 list reads of each tab, one
        // detail read per sent contract on the page).
        assert!(
            requests.len() <= 14,
            "{} requests: {requests:?}",
            requests.len()
        );
        assert_eq!(h.sim.count(Endpoint::ListContracts), 3 + 1, "{requests:?}");
        assert_eq!(h.sim.count(Endpoint::GetContract), 8, "{requests:?}");
    }
}

// ----- Korean first: command names, history in words, asking before sending -----

/// The history section of a `/contract show` answer.
fn history_of(text: &str) -> &str {
    text.split_once("**Recent history**")
        .or_else(|| text.split_once("**최근 기록**"))
        .map(|(_, history)| history)
        .unwrap_or_default()
}

#[tokio::test]
async fn korean_replies_name_commands_as_a_korean_client_shows_them() {
    let h = Harness::new().await;
    // Not linked yet: who links, or creates a user (no mail server here).
    let a = h
        .command(&Actor::user(KIM).ko(), "contract list", &[])
        .await;
    assert!(
        a.text().contains("`/코메이크-관리 등록`") && a.text().contains("`/코메이크-관리 연결`"),
        "{}",
        a.text()
    );
    assert!(!a.text().contains("/comake"), "{}", a.text());
    // Linked, nothing yet: how to upload.
    h.linked(KIM, "kim@example.com").await;
    let kim = Actor::user(KIM).ko();
    let a = h.command(&kim, "contract list", &[]).await;
    assert!(a.text().contains("`/계약 새계약`"), "{}", a.text());
    assert!(!a.text().contains("/contract"), "{}", a.text());
    // Out for signature: the hint names the Korean cancel command.
    let id = h
        .sim
        .seed_contract("kim@example.com", "NDA", &["갑"], ContractStatus::Signing)
        .unwrap();
    let a = h
        .command(&kim, "contract delete", &[("contract", json!(id.as_str()))])
        .await;
    assert!(a.text().contains("`/계약 서명요청취소`"), "{}", a.text());
    assert!(!a.text().contains("/contract"), "{}", a.text());
}

#[tokio::test]
async fn request_preview_asks_before_sending() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑"]).await;
    h.set_signee(&kim, id.as_str(), "0", "Lee", "lee@example.com")
        .await;
    let options = [("contract", json!(id.as_str()))];
    let en = h.command(&kim, "contract request-sign", &options).await;
    let first = en.text().lines().next().unwrap_or_default().to_owned();
    assert!(first.ends_with('?') && first.contains("Send"), "{first}");
    let ko = h
        .command(&kim.clone().ko(), "contract request-sign", &options)
        .await;
    let first = ko.text().lines().next().unwrap_or_default().to_owned();
    assert!(first.ends_with("보낼까요?"), "{first}");
    assert_eq!(h.sim.count(Endpoint::RequestSign), 0, "nothing sent yet");
}

#[tokio::test]
async fn show_history_reads_in_words_with_names() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑", "을"]).await;
    h.set_signee(&kim, id.as_str(), "0", "Lee", "lee@example.com")
        .await;
    h.set_signee(&kim, id.as_str(), "1", "Jung", "jung@example.com")
        .await;
    let sent = h.send_for_signature(&kim, id.as_str()).await;
    assert_eq!(sent.outcome.result, "ok", "{}", sent.text());
    h.sim.signee_acts(&id, 0, SigneeAction::Sign).unwrap();
    h.sim.signee_acts(&id, 1, SigneeAction::Reject).unwrap();
    let options = [("contract", json!(id.as_str()))];
    let a = h.command(&kim, "contract show", &options).await;
    let history = history_of(&a.text()).to_owned();
    for said in [
        "You set the signees",
        "You requested signatures",
        "Lee signed",
        "Jung declined to sign",
    ] {
        assert!(history.contains(said), "{said}: {history}");
    }
    assert!(!history.contains('@'), "an email in {history}");
    assert!(
        !history.contains("sign\\_") && !history.contains("signees\\_"),
        "a raw action in {history}"
    );
    let ko = h
        .command(&kim.clone().ko(), "contract show", &options)
        .await;
    let history = history_of(&ko.text()).to_owned();
    for said in ["나: 서명요청", "Lee: 서명", "Jung: 서명 반려"] {
        assert!(
            history.lines().any(|l| l.ends_with(said)),
            "{said}: {history}"
        );
    }
    assert!(!history.contains('@'), "an email in {history}");

    // An approval line: who approved and who rejected, with the reason.
    let id = h
        .sim
        .seed_contract("kim@example.com", "Lease", &["갑"], ContractStatus::Saved)
        .unwrap();
    h.sim
        .request_approval(
            "kim@example.com",
            &id,
            &[("Park", "park@example.com"), ("Choi", "choi@example.com")],
        )
        .unwrap();
    h.sim.approver_acts(&id, true, None).unwrap();
    h.sim
        .approver_acts(&id, false, Some("Wrong terms"))
        .unwrap();
    let a = h
        .command(&kim, "contract show", &[("contract", json!(id.as_str()))])
        .await;
    let history = history_of(&a.text()).to_owned();
    for said in [
        "You created the contract",
        "You asked for approval",
        "Park approved",
        "Choi rejected the approval: “Wrong terms”",
    ] {
        assert!(history.contains(said), "{said}: {history}");
    }
    assert!(!history.contains('@'), "an email in {history}");
    assert!(
        !history.contains("approval\\_"),
        "a raw action in {history}"
    );
}

#[tokio::test]
async fn list_header_reads_as_english_and_pending_names_approvers_in_approval() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "Lease", &["갑"]).await;
    let a = h.command(&kim, "contract list", &[]).await;
    assert!(
        a.text().starts_with("Your contracts (all), page 1 of 1"),
        "{}",
        a.text()
    );
    // In approval, it waits for its approvers, not for its signees.
    h.set_signee(&kim, id.as_str(), "0", "Lee", "lee@example.com")
        .await;
    h.sim
        .request_approval("kim@example.com", &id, &[("Park", "park@example.com")])
        .unwrap();
    let a = h.command(&kim, "contract pending", &[]).await;
    assert!(
        a.text().contains("not yet approved by Park") && !a.text().contains("not yet signed"),
        "{}",
        a.text()
    );
    let ko = h.command(&kim.clone().ko(), "contract pending", &[]).await;
    assert!(
        ko.text().contains("아직 결재하지 않은 사람: Park") && !ko.text().contains("서명하지 않은"),
        "{}",
        ko.text()
    );
}

#[tokio::test]
async fn help_is_a_short_private_guide_in_the_persons_language_for_anyone() {
    let h = Harness::new().await;
    // Not linked: help still answers (it is how a newcomer starts).
    let ko = h.command(&Actor::user(KIM).ko(), "comake help", &[]).await;
    assert_eq!(ko.outcome.result, "ok", "{}", ko.text());
    assert!(ko.ephemeral());
    let text = ko.text();
    for shown in [
        "/계약 새계약",
        "/계약 서명자",
        "/계약 서명요청",
        "/코메이크 알림",
        "나에게만",
    ] {
        assert!(text.contains(shown), "{shown} missing: {text}");
    }
    assert!(
        !text.contains("/contract") && !text.contains("/comake"),
        "{text}"
    );
    let en = h.command(&Actor::user(KIM), "comake help", &[]).await;
    assert!(
        en.text().contains("/contract request-sign") && en.text().contains("only by you"),
        "{}",
        en.text()
    );
    assert!(en.text().chars().count() <= 2000);
    assert_eq!(h.sim.requests().len(), 0, "help asks Comake nothing");
}

#[tokio::test]
async fn show_and_the_card_list_the_approval_line_with_whose_turn_it_is() {
    let h = Harness::new().await;
    h.linked(KIM, "kim@example.com").await;
    h.linked(BOSS, "boss@example.com").await;
    let id = common::seed_nda(&h.sim, "kim@example.com");
    h.sim
        .request_approval(
            "kim@example.com",
            &id,
            &[("Boss", "boss@example.com"), ("최유나", "choi@example.com")],
        )
        .unwrap();
    h.sim.approver_acts(&id, true, None).unwrap();
    let kim = Actor::user(KIM);
    let contract = [("contract", json!(id.as_str()))];
    let en = h.command(&kim, "contract show", &contract).await;
    assert!(
        en.text().contains("**Approval line**")
            && en.text().contains("1. Boss · approved")
            && en.text().contains("2. 최유나 · waiting ← next"),
        "{}",
        en.text()
    );
    let ko = h
        .command(&kim.clone().ko(), "contract show", &contract)
        .await;
    assert!(
        ko.text().contains("**결재선**")
            && ko.text().contains("2. 최유나 · 결재 대기중 ← 다음 차례"),
        "{}",
        ko.text()
    );
    // On the public card the colleague shows, the approver not linked is masked.
    let asked = h.press(&kim, &share_button(&h, &id).await).await;
    assert!(
        asked.text().contains("1. Boss · approved") && asked.text().contains(r"2. 최\*나"),
        "{}",
        asked.text()
    );
    assert!(!asked.text().contains("최유나"), "{}", asked.text());
}

#[tokio::test]
async fn show_before_any_request_says_it_was_not_sent_and_no_one_is_waiting() {
    let h = Harness::new().await;
    let (id, kim) = kim_with(&h, "NDA", &["갑"]).await;
    h.set_signee(&kim, id.as_str(), "0", "Lee", "lee@example.com")
        .await;
    let show = |who: Actor| {
        let h = &h;
        let id = id.clone();
        async move {
            h.command(&who, "contract show", &[("contract", json!(id.as_str()))])
                .await
                .text()
        }
    };
    let before = show(kim.clone()).await;
    assert!(
        before.contains("hasn't been sent for signature yet")
            && before.contains("Lee (lee\\@example.com)")
            && !before.contains("waiting")
            && !before.contains("You sent"),
        "{before}"
    );
    let ko = show(kim.clone().ko()).await;
    assert!(ko.contains("아직 서명요청 전입니다"), "{ko}");
    h.send_for_signature(&kim, id.as_str()).await;
    let after = show(kim.clone()).await;
    assert!(
        after.contains("You sent this contract") && after.contains("waiting"),
        "{after}"
    );
}
