//! Onboarding: an admin creates a Comake user for a member (`/comake-admin register`), and every "not linked / no such user" refusal names what works in this configuration.

use crate::common;

use std::time::Duration;

use comake_bot::api::store::LinkMethod;
use comake_bot::comake::wire::Endpoint;
use common::discord::{Actor, Answer, Harness};
use serde_json::json;

const KIM: u64 = 111_111_111_111_111_111;
const LEE: u64 = 222_222_222_222_222_222;
const BOSS: u64 = 333_333_333_333_333_333;

/// `/comake-admin register user email name [phone]` by `admin`.
async fn admin_register(
    h: &Harness,
    admin: &Actor,
    user: u64,
    email: &str,
    phone: Option<&str>,
) -> Answer {
    let mut options = vec![
        ("user", json!({ "user": user })),
        ("email", json!(email)),
        ("name", json!("Lee Minho")),
    ];
    if let Some(phone) = phone {
        options.push(("phone", json!(phone)));
    }
    h.command(admin, "comake-admin register", &options).await
}

#[tokio::test]
async fn an_admin_creates_a_comake_user_for_a_member_without_smtp() {
    let h = Harness::new().await;
    let boss = Actor::user(BOSS).admin();
    let a = admin_register(&h, &boss, LEE, "Lee@Example.com", Some("010-4567-8901")).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    assert!(
        a.text().contains(&format!("<@{LEE}>")) && a.text().contains("Lee Minho"),
        "{}",
        a.text()
    );
    assert!(
        !a.all_text().contains("4567"),
        "the phone number is not shown"
    );
    // Comake has the user now, and the member is linked to it by an admin.
    assert!(h.sim.add_user("lee@example.com", "again").is_err());
    let account = h.app.store.account(LEE).await.unwrap().unwrap();
    assert_eq!(account.email, "lee@example.com");
    assert_eq!(account.method, LinkMethod::Admin);
    assert_eq!(account.linked_by, BOSS);
    assert!(!account.comake_client_id.is_empty());
    // The audit log records it (the phone number nowhere), in words.
    let audit = h.app.store.audit_newest(1, Some(BOSS)).await.unwrap();
    assert_eq!(audit[0].action, format!("admin.register <@{LEE}>"));
    assert!(audit[0].outcome.starts_with("ok"), "{:?}", audit[0]);
    assert!(!format!("{audit:?}").contains("4567"));
    let a = h.command(&boss, "comake-admin audit", &[]).await;
    assert!(
        a.text()
            .contains(&format!("created a Comake user for <@{LEE}>")),
        "{}",
        a.text()
    );

    // Someone already linked gets no second Comake user.
    h.sim.clear_log();
    let a = admin_register(&h, &boss, LEE, "lee2@example.com", None).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(a.text().contains("already linked"), "{}", a.text());
    assert_eq!(h.sim.count(Endpoint::RegisterClient), 0);
    // An email linked to someone else is refused before Comake.
    let a = admin_register(&h, &boss, KIM, "lee@example.com", None).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(a.text().contains(&format!("<@{LEE}>")), "{}", a.text());
    assert_eq!(h.sim.count(Endpoint::RegisterClient), 0);
    // An email Comake already knows: explained, with the command that works.
    h.sim.add_user("kim@example.com", "Kim").unwrap();
    let a = admin_register(&h, &boss, KIM, "kim@example.com", None).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(
        a.text().contains("already has a user") && a.text().contains("/comake-admin link"),
        "{}",
        a.text()
    );
    assert!(h.app.store.account(KIM).await.unwrap().is_none());
    let a = admin_register(&h, &boss.clone().ko(), KIM, "kim@example.com", None).await;
    assert!(a.text().contains("`/코메이크-관리 연결`"), "{}", a.text());
    // Bad input is refused before Comake.
    h.sim.clear_log();
    let a = admin_register(&h, &boss, KIM, "kim2@example.com", Some("12")).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(h.sim.requests().is_empty());
}

#[tokio::test]
async fn only_another_admin_registers_a_member() {
    let h = Harness::new().await;
    // Not an admin: refused before Comake.
    let a = admin_register(&h, &Actor::user(KIM), LEE, "lee@example.com", None).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(a.text().contains("Manage Server"), "{}", a.text());
    // Not themself.
    let boss = Actor::user(BOSS).admin();
    let a = admin_register(&h, &boss, BOSS, "boss@example.com", None).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(a.text().contains("another server manager"), "{}", a.text());
    // Not someone outside the server.
    let options = [
        ("user", json!({ "user": LEE, "outside": true })),
        ("email", json!("lee@example.com")),
        ("name", json!("Lee")),
    ];
    let a = h.command(&boss, "comake-admin register", &options).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(h.sim.requests().is_empty(), "{:?}", h.sim.requests());
    assert!(h.app.store.account(BOSS).await.unwrap().is_none());
    // A company of one may.
    let h = Harness::with_env(&[("ADMIN_SELF_LINK", "true")]).await;
    let a = admin_register(&h, &boss, BOSS, "boss@example.com", None).await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
}

#[tokio::test]
async fn a_registration_is_told_by_mail_and_dm() {
    let fake = common::fake_discord::FakeDiscord::start().await;
    let proxy = fake.proxy_url();
    let h = Harness::with_smtp(&[
        ("DISCORD_TOKEN", "fake-bot-token-0123456789"),
        ("DISCORD_HTTP_PROXY", proxy.as_str()),
    ])
    .await;
    let http = comake_bot::api::discord::http(&h.app.config.discord).unwrap();
    h.app.members.connect(std::sync::Arc::new(http));
    let a = admin_register(
        &h,
        &Actor::user(BOSS).admin(),
        LEE,
        "lee@example.com",
        Some("010-4567-8901"),
    )
    .await;
    assert_eq!(a.outcome.result, "ok", "{}", a.text());
    let mail = h.smtp().mails_to("lee@example.com", 1).await;
    let body = mail[0].body();
    assert!(
        body.contains(&format!("user{BOSS}")) && !body.contains("4567"),
        "{body}"
    );
    let dm_channel = format!("/api/v10/channels/9{}/messages", &LEE.to_string()[1..]);
    let calls = fake
        .wait_for(Duration::from_secs(5), |c| {
            c.iter().any(|c| c.path == dm_channel)
        })
        .await;
    let dm = calls
        .iter()
        .find(|c| c.path == dm_channel)
        .expect("a DM to the person linked");
    let text = dm.body["content"].as_str().unwrap_or_default();
    assert!(
        text.contains(&format!("user{BOSS}")) && !text.contains("4567"),
        "{text}"
    );
}

#[tokio::test]
async fn no_such_user_names_what_works_in_this_configuration() {
    // Without a mail server nobody can register themself: the admin command.
    let h = Harness::new().await;
    let boss = Actor::user(BOSS).admin();
    let options = [
        ("user", json!({ "user": LEE })),
        ("email", json!("nobody@example.com")),
    ];
    let a = h.command(&boss, "comake-admin link", &options).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(
        a.text().contains("/comake-admin register") && !a.text().contains("/comake register"),
        "{}",
        a.text()
    );
    let a = h
        .command(&boss.clone().ko(), "comake-admin link", &options)
        .await;
    assert!(
        a.text().contains("`/코메이크-관리 등록`") && !a.text().contains("`/코메이크 가입`"),
        "{}",
        a.text()
    );
    let a = h.command(&Actor::user(KIM), "contract new", &[]).await;
    assert_eq!(a.outcome.result, "refused");
    assert!(
        a.text().contains("/comake-admin register") && !a.text().contains("/comake register"),
        "{}",
        a.text()
    );
    let options = [("email", json!("kim@example.com")), ("name", json!("Kim"))];
    let a = h
        .command(&Actor::user(KIM), "comake register", &options)
        .await;
    assert!(a.text().contains("/comake-admin register"), "{}", a.text());

    // With one, people can: self-registration is named first.
    let h = Harness::with_smtp(&[]).await;
    let options = [
        ("user", json!({ "user": LEE })),
        ("email", json!("nobody@example.com")),
    ];
    let a = h.command(&boss, "comake-admin link", &options).await;
    assert!(a.text().contains("/comake register"), "{}", a.text());
    let a = h.command(&Actor::user(KIM).ko(), "contract new", &[]).await;
    assert!(a.text().contains("`/코메이크 가입`"), "{}", a.text());
}

/// The real binary in an empty directory with an empty environment (no
/// `.env` to find), with `args`; its exit code and what it printed.
async fn first_run(args: &[&str], vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_comake-bot"))
        .args(args)
        .env_clear()
        .envs(vars.iter().copied())
        .current_dir(dir.path())
        .output()
        .await
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

#[tokio::test]
async fn a_first_run_names_every_missing_variable_at_once() {
    for args in [&[][..], &["check"][..]] {
        let (code, text) = first_run(args, &[]).await;
        assert_eq!(code, Some(2), "{args:?}: {text}");
        for (var, source) in [
            ("COMAKE_API_KEY", "approved the company"),
            ("COMAKE_API_SECRET", "Comake"),
            ("DISCORD_TOKEN", "developer portal"),
            ("DISCORD_GUILD_IDS", "Copy Server ID"),
        ] {
            let line = text
                .lines()
                .skip_while(|l| !l.contains(var))
                .take(2)
                .collect::<Vec<_>>()
                .join("\n");
            assert!(line.contains(source), "{var} without {source:?}: {text}");
        }
        assert!(text.contains("cargo run -p comake-playground"), "{text}");
        assert!(text.contains("cargo run --release -- check"), "{text}");
    }
    // Invalid values and rules between variables, in the same one run, and
    // never a value (it may be a secret).
    let (code, text) = first_run(
        &[],
        &[
            ("COMAKE_API_KEY", "key-value-9f8e"),
            ("COMAKE_TIMEOUT_SECS", "ten"),
            ("TRANSPORT", "pigeon"),
            ("DATABASE_URL", "postgres://bot:pw-5150@127.0.0.1/comake"),
        ],
    )
    .await;
    assert_eq!(code, Some(2), "{text}");
    for var in [
        "COMAKE_API_SECRET",
        "COMAKE_TIMEOUT_SECS",
        "TRANSPORT",
        "STATE_KEY",
        "DISCORD_TOKEN",
        "DISCORD_GUILD_IDS",
    ] {
        assert!(text.contains(var), "{var} missing: {text}");
    }
    assert!(text.contains("openssl rand -base64 32"), "{text}");
    assert!(
        !text.contains("key-value-9f8e") && !text.contains("pw-5150"),
        "{text}"
    );
}

#[tokio::test]
async fn two_admins_registering_one_member_at_once_link_once() {
    let h = Harness::new().await;
    let boss = Actor::user(BOSS).admin();
    let other = Actor::user(KIM).admin();
    let (a, b) = tokio::join!(
        admin_register(&h, &boss, LEE, "lee@example.com", None),
        admin_register(&h, &other, LEE, "lee.m@example.com", None),
    );
    let results = [a.outcome.result, b.outcome.result];
    let won = match results {
        ["ok", "refused"] => "lee@example.com",
        ["refused", "ok"] => "lee.m@example.com",
        _ => panic!("{results:?}: {} / {}", a.text(), b.text()),
    };
    // The link that won stays; the other admin is told who holds it.
    let account = h.app.store.account(LEE).await.unwrap().unwrap();
    assert_eq!(account.email, won);
    let refused = if results[0] == "refused" { &a } else { &b };
    assert!(
        refused.text().contains("Meanwhile") && refused.text().contains(&won.replace('@', "\\@")),
        "{}",
        refused.text()
    );
}
