//! The Comake client against the simulator on 127.0.0.1: every endpoint, every error class, tokens, retries, timeouts.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use comake_bot::comake::wire::*;
use comake_bot::comake::{Comake, ComakeError};
use comake_sim::{Failure, SigneeAction};
use secrecy::SecretString;

fn signee(party: u32, name: &str, email: &str) -> SigneeInput {
    SigneeInput {
        party,
        name: name.into(),
        email: email.into(),
        phone: Some("010-1234-5678".into()),
        kakao: true,
        password: Some(SecretString::from("pw-1234".to_owned())),
        message: Some("please sign".into()),
    }
}

#[tokio::test]
async fn every_endpoint_succeeds() {
    let sim = common::sim().await;
    let comake = common::client(&sim);
    comake.check_admin().await.unwrap();

    let kim = comake
        .register_client(&RegisterClientRequest {
            email: "Kim@Example.com".into(),
            name: "김철수".into(),
            phone: Some("01012345678".into()),
        })
        .await
        .unwrap();
    assert_eq!(kim.email, "kim@example.com");
    assert_eq!(kim.name, "김철수");
    sim.add_user("lee@example.com", "이영희").unwrap();

    let id = common::seed_nda(&sim, "kim@example.com");
    let other = sim
        .seed_contract(
            "kim@example.com",
            "Lease",
            &["갑"],
            ContractStatus::Completed,
        )
        .unwrap();
    let user = comake.user("kim@example.com");

    let list = user.list_contracts(BoxTab::All, 1, 20).await.unwrap();
    assert_eq!(list.total, 2);
    assert_eq!(list.contracts[0].id, other, "newest first");
    let list = user.list_contracts(BoxTab::Preparing, 1, 20).await.unwrap();
    assert_eq!(list.contracts.len(), 1);
    assert_eq!(list.contracts[0].status, ContractStatus::Saved);
    assert_eq!(list.contracts[0].role, Role::Sender);

    let c = user.get_contract(&id).await.unwrap();
    assert_eq!(c.parties.len(), 2);
    assert_eq!(c.parties[1].name, "을");

    let c = user.rename_contract(&id, "NDA v2").await.unwrap();
    assert_eq!(c.summary.name, "NDA v2");

    let c = user
        .set_signees(
            &id,
            vec![
                signee(0, "김철수", "kim@example.com"),
                signee(1, "이영희", "lee@example.com"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(c.signees.len(), 2);
    assert!(c.signees[0].has_password && c.signees[0].kakao);

    let c = user.request_sign(&id).await.unwrap();
    assert_eq!(c.summary.status, ContractStatus::Signing);
    assert!(c.summary.status_text.contains("이영희"));
    // The other party now has it as received.
    let lee = comake.user("lee@example.com");
    let got = lee.get_contract(&id).await.unwrap();
    assert_eq!(got.summary.role, Role::Receiver);

    let c = user.cancel_sign(&id, Some("wrong version")).await.unwrap();
    assert_eq!(c.summary.status, ContractStatus::SignCancelled);
    assert_eq!(
        c.timeline.last().and_then(|e| e.message.as_deref()),
        Some("wrong version")
    );

    user.delete_contract(&id).await.unwrap();
    assert!(matches!(
        user.get_contract(&id).await,
        Err(ComakeError::NotFound(_))
    ));

    let link = user.new_contract_link().await.unwrap();
    assert!(link
        .expose()
        .starts_with(&format!("{}contract/upload?token=", sim.web_url())));
    let link = user.edit_contract_link(&other).await.unwrap();
    assert!(link.expose().ends_with(&format!("&contractId={other}")));
}

#[tokio::test]
async fn error_classes_map_from_statuses() {
    let sim = common::sim().await;
    let comake = common::client(&sim);
    sim.add_user("kim@example.com", "Kim").unwrap();
    sim.add_user("lee@example.com", "Lee").unwrap();
    let id = common::seed_nda(&sim, "kim@example.com");
    let kim = comake.user("kim@example.com");
    let lee = comake.user("lee@example.com");

    // 422: invalid field.
    let err = comake
        .register_client(&RegisterClientRequest {
            email: "not-an-email".into(),
            name: "x".into(),
            phone: None,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, ComakeError::InvalidInput(ref r) if r.status == 422),
        "{err}"
    );
    // 409: the email exists.
    let err = comake
        .register_client(&RegisterClientRequest {
            email: "kim@example.com".into(),
            name: "Kim".into(),
            phone: None,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, ComakeError::Conflict(ref r) if r.code == "client_exists"),
        "{err}"
    );
    // 409: wrong state (no signees yet).
    let err = kim.request_sign(&id).await.unwrap_err();
    assert!(matches!(err, ComakeError::Conflict(_)), "{err}");
    assert!(err.changed_nothing());
    // 404: no such contract; no such user.
    let missing = ContractId::parse("ffffffffffffffffffffffff").unwrap();
    assert!(matches!(
        kim.get_contract(&missing).await,
        Err(ComakeError::NotFound(_))
    ));
    assert!(matches!(
        comake.user("nobody@example.com").fresh_token().await,
        Err(ComakeError::NotFound(_))
    ));
    // 403: someone else's contract.
    assert!(matches!(
        lee.get_contract(&id).await,
        Err(ComakeError::Forbidden(_))
    ));
    // 401: a wrong API key.
    let mut cfg = common::client_config(&sim, Duration::from_secs(5));
    cfg.api_key = SecretString::from("wrong".to_owned());
    let bad = Comake::new(cfg).unwrap();
    let err = bad.check_admin().await.unwrap_err();
    assert!(matches!(err, ComakeError::Unauthorized(_)), "{err}");
    // 429 on a write: reported, not retried.
    sim.fail_next(
        Some(Endpoint::RenameContract),
        1,
        Failure::TooManyRequests {
            retry_after_secs: 7,
        },
    );
    let err = kim.rename_contract(&id, "x").await.unwrap_err();
    assert!(
        matches!(err, ComakeError::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(7)),
        "{err}"
    );
    // 5xx: unavailable.
    sim.fail_next(Some(Endpoint::GetContract), 3, Failure::Status(503));
    let err = kim.get_contract(&id).await.unwrap_err();
    assert!(
        matches!(
            err,
            ComakeError::Unavailable {
                status: Some(503),
                ..
            }
        ),
        "{err}"
    );
    // A 200 with the wrong body: the error names the field.
    sim.fail_next(Some(Endpoint::ListContracts), 1, Failure::Status(200));
    let err = kim.list_contracts(BoxTab::All, 1, 10).await.unwrap_err();
    match &err {
        ComakeError::UnexpectedResponse { detail, .. } => {
            assert!(detail.contains("contracts"), "{detail}")
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn an_id_is_percent_encoded_into_the_path() {
    let sim = common::sim().await;
    let comake = common::client(&sim);
    sim.add_user("kim@example.com", "Kim").unwrap();
    // Ids are parsed strictly, so the worst that can reach a path is refused.
    assert!(ContractId::parse("../../bussiness/login-admin").is_none());
    let id = ContractId::parse("abc-_123").unwrap();
    let _ = comake.user("kim@example.com").get_contract(&id).await;
    let log = sim.requests();
    assert_eq!(
        log.last().unwrap().path,
        "/api/contractbox/contracts/abc-_123"
    );
}

#[tokio::test]
async fn fifty_callers_with_an_expired_admin_token_cause_one_admin_login() {
    let sim = common::sim().await;
    let comake = common::client(&sim);
    for i in 0..50 {
        sim.add_user(&format!("u{i}@example.com"), "U").unwrap();
    }
    comake.check_admin().await.unwrap();
    // Comake stops accepting the cached adminToken (its session ended).
    sim.revoke_tokens(None);
    sim.clear_log();
    let calls = (0..50).map(|i| {
        let user = comake.user(&format!("u{i}@example.com"));
        tokio::spawn(async move { user.list_contracts(BoxTab::All, 1, 10).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(sim.count(Endpoint::LoginAdmin), 1);
    let client_logins = sim
        .requests()
        .iter()
        .filter(|r| r.endpoint == Some("login_client") && r.status == 200)
        .count();
    assert_eq!(client_logins, 50);
    assert_eq!(sim.count(Endpoint::ListContracts), 50);
}

#[tokio::test]
async fn an_admin_token_past_its_exp_is_renewed_once() {
    let sim = common::sim().await;
    sim.set_token_lifetimes(Duration::from_secs(1), Duration::from_secs(3600));
    let comake = common::client(&sim);
    for i in 0..50 {
        sim.add_user(&format!("u{i}@example.com"), "U").unwrap();
    }
    comake.check_admin().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    sim.set_token_lifetimes(Duration::from_secs(3600), Duration::from_secs(3600));
    sim.clear_log();
    let calls: Vec<_> = (0..50)
        .map(|i| {
            let user = comake.user(&format!("u{i}@example.com"));
            tokio::spawn(async move { user.list_contracts(BoxTab::All, 1, 10).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(sim.count(Endpoint::LoginAdmin), 1);
    // Nobody sent the expired token: it was renewed before use.
    assert!(sim.requests().iter().all(|r| r.status != 401));
}

#[tokio::test]
async fn fifty_calls_for_one_user_cause_one_client_login() {
    let sim = common::sim().await;
    let comake = common::client(&sim);
    sim.add_user("kim@example.com", "Kim").unwrap();
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let user = comake.user("KIM@example.com ");
            tokio::spawn(async move { user.list_contracts(BoxTab::All, 1, 10).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(sim.count(Endpoint::LoginAdmin), 1);
    assert_eq!(sim.count(Endpoint::LoginClient), 1);
    assert_eq!(sim.count(Endpoint::ListContracts), 50);
}

#[tokio::test]
async fn a_revoked_token_means_one_relogin_and_one_retry() {
    let sim = common::sim().await;
    let comake = common::client(&sim);
    sim.add_user("kim@example.com", "Kim").unwrap();
    let user = comake.user("kim@example.com");
    user.list_contracts(BoxTab::All, 1, 10).await.unwrap();
    sim.revoke_tokens(Some("kim@example.com"));
    sim.clear_log();
    user.list_contracts(BoxTab::All, 1, 10).await.unwrap();
    let seen: Vec<_> = sim
        .requests()
        .iter()
        .map(|r| (r.endpoint.unwrap_or("?"), r.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("list_contracts", 401),
            ("login_client", 200),
            ("list_contracts", 200)
        ]
    );
}

#[tokio::test]
async fn a_persistent_401_ends_after_two_attempts() {
    let sim = common::sim().await;
    let comake = common::client(&sim);
    sim.add_user("kim@example.com", "Kim").unwrap();
    sim.refuse_user("kim@example.com", true);
    let err = comake
        .user("kim@example.com")
        .list_contracts(BoxTab::All, 1, 10)
        .await
        .unwrap_err();
    assert!(matches!(err, ComakeError::Unauthorized(_)), "{err}");
    assert_eq!(sim.count(Endpoint::ListContracts), 2);
    assert_eq!(sim.count(Endpoint::LoginClient), 2);
}

#[tokio::test]
async fn a_500_on_request_sign_is_not_retried() {
    let sim = common::sim().await;
    let comake = common::client(&sim);
    sim.add_user("kim@example.com", "Kim").unwrap();
    let id = sim
        .seed_contract("kim@example.com", "NDA", &["갑"], ContractStatus::Saved)
        .unwrap();
    let user = comake.user("kim@example.com");
    user.set_signees(&id, vec![signee(0, "Kim", "kim@example.com")])
        .await
        .unwrap();
    sim.fail_next(Some(Endpoint::RequestSign), 5, Failure::Status(500));
    let err = user.request_sign(&id).await.unwrap_err();
    assert!(
        matches!(
            err,
            ComakeError::Unavailable {
                status: Some(500),
                ..
            }
        ),
        "{err}"
    );
    assert!(!err.changed_nothing(), "a failed write may have landed");
    assert_eq!(sim.count(Endpoint::RequestSign), 1);
}

#[tokio::test]
async fn reads_are_retried_on_5xx_at_most_three_times() {
    let sim = common::sim().await;
    let comake = common::client(&sim);
    sim.add_user("kim@example.com", "Kim").unwrap();
    let user = comake.user("kim@example.com");
    user.list_contracts(BoxTab::All, 1, 10).await.unwrap();
    sim.clear_log();
    sim.fail_next(Some(Endpoint::ListContracts), 2, Failure::Status(502));
    user.list_contracts(BoxTab::All, 1, 10).await.unwrap();
    assert_eq!(sim.count(Endpoint::ListContracts), 3);
    sim.clear_log();
    sim.fail_next(Some(Endpoint::ListContracts), 10, Failure::Status(502));
    assert!(user.list_contracts(BoxTab::All, 1, 10).await.is_err());
    assert_eq!(sim.count(Endpoint::ListContracts), 3);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out() {
    let sim = common::sim().await;
    let comake = common::client(&sim);
    sim.add_user("kim@example.com", "Kim").unwrap();
    let user = comake.user("kim@example.com");
    user.list_contracts(BoxTab::All, 1, 10).await.unwrap();
    sim.clear_log();
    sim.fail_next(
        Some(Endpoint::ListContracts),
        1,
        Failure::TooManyRequests {
            retry_after_secs: 1,
        },
    );
    user.list_contracts(BoxTab::All, 1, 10).await.unwrap();
    let log = sim.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].status, 429);
    assert_eq!(log[1].status, 200);
    assert!(
        log[1].at.duration_since(log[0].at) >= Duration::from_secs(1),
        "retried before Retry-After"
    );
}

#[tokio::test]
async fn a_hanging_comake_times_out_within_the_budget() {
    let sim = common::sim().await;
    let budget = Duration::from_secs(2);
    let comake = Comake::new(common::client_config(&sim, budget)).unwrap();
    sim.add_user("kim@example.com", "Kim").unwrap();
    let user = comake.user("kim@example.com");
    user.list_contracts(BoxTab::All, 1, 10).await.unwrap();
    sim.fail_next(None, 100, Failure::Hang);
    let started = Instant::now();
    let err = user.list_contracts(BoxTab::All, 1, 10).await.unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(
            err,
            ComakeError::Timeout { .. } | ComakeError::Unavailable { .. }
        ),
        "{err}"
    );
    // Well under two budgets: a retry after the hang would have doubled it.
    assert!(took < budget + Duration::from_millis(1000), "took {took:?}");
}

#[tokio::test]
async fn an_oversized_response_is_cut_off() {
    let sim = common::sim().await;
    let comake = common::client(&sim);
    sim.add_user("kim@example.com", "Kim").unwrap();
    let user = comake.user("kim@example.com");
    user.list_contracts(BoxTab::All, 1, 10).await.unwrap();
    sim.fail_next(
        Some(Endpoint::ListContracts),
        1,
        Failure::Oversized(comake_bot::comake::client::MAX_BODY_BYTES + 1),
    );
    let err = user.list_contracts(BoxTab::All, 1, 10).await.unwrap_err();
    match &err {
        ComakeError::UnexpectedResponse { detail, .. } => {
            assert!(detail.contains("larger"), "{detail}")
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn a_dead_comake_is_reported_as_unavailable() {
    let sim = common::sim().await;
    let cfg = common::client_config(&sim, Duration::from_secs(3));
    drop(sim);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let comake = Comake::new(cfg).unwrap();
    let err = comake.check_admin().await.unwrap_err();
    assert!(
        matches!(
            err,
            ComakeError::Unavailable {
                connect_failed: true,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.changed_nothing());
}

#[tokio::test]
async fn a_link_carries_a_token_issued_after_the_call_started() {
    let sim = common::sim().await;
    let comake = common::client(&sim);
    sim.add_user("kim@example.com", "Kim").unwrap();
    let user = comake.user("kim@example.com");
    user.list_contracts(BoxTab::All, 1, 10).await.unwrap(); // a token is cached
    let issued_before = sim.issued_tokens().len();
    let link = user.new_contract_link().await.unwrap();
    let url = url::Url::parse(link.expose()).unwrap();
    let token = url
        .query_pairs()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let issued = sim.issued_tokens();
    let pos = issued
        .iter()
        .position(|t| *t == token)
        .expect("a simulator token");
    assert!(pos >= issued_before, "the link reused an older token");
    // It is valid for the full hour.
    let exp = comake_bot::comake::token::jwt_expiry(&token).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(exp >= now + 3590);
}

/// A writer that keeps everything logged, for leak checks.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs the trace test alone in a child process of this test binary: the
/// level filter tracing keeps for the whole process is recomputed whenever
/// any thread registers a callsite, so with the other tests running beside
/// it, a stale recomputation could switch this test's trace level off for
/// a moment and lose its lines (seen about one run in three).
#[test]
fn trace_logs_and_errors_never_hold_a_secret() {
    const ALONE: &str = "COMAKE_TRACE_TEST_ALONE";
    if std::env::var_os(ALONE).is_some() {
        return tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(trace_logs_alone());
    }
    let mut child = std::process::Command::new(std::env::current_exe().expect("this binary"))
        .args([
            "--exact",
            "comake_client::trace_logs_and_errors_never_hold_a_secret",
            "--test-threads=1",
        ])
        .env(ALONE, "1")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the test runs in a child");
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited on") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the trace test did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "the trace test failed alone (its output is above)"
    );
}

async fn trace_logs_alone() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = common::sim().await;
    let comake = common::client(&sim);
    let mut texts = Vec::new();
    sim.add_user("kim@example.com", "Kim").unwrap();
    let id = sim
        .seed_contract("kim@example.com", "NDA", &["갑"], ContractStatus::Saved)
        .unwrap();
    let user = comake.user("kim@example.com");
    user.list_contracts(BoxTab::All, 1, 10).await.unwrap();
    texts.push(format!("{:?}", user.new_contract_link().await.unwrap()));
    user.set_signees(&id, vec![signee(0, "Kim", "kim@example.com")])
        .await
        .unwrap();
    sim.revoke_tokens(None);
    user.request_sign(&id).await.unwrap();
    let err = user.request_sign(&id).await.unwrap_err();
    texts.push(format!("{err} {err:?}"));
    sim.fail_next(None, 3, Failure::Status(500));
    let err = user.get_contract(&id).await.unwrap_err();
    texts.push(format!("{err} {err:?}"));
    texts.push(format!("{:?} {:?}", comake.config(), user));
    sim.signee_acts(&id, 0, SigneeAction::Sign).unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("comake request"),
        "nothing was logged at trace"
    );
    let tokens = sim.issued_tokens();
    assert!(tokens.len() >= 4);
    let mut secrets = vec![
        sim.options().api_key.clone(),
        sim.options().api_secret.clone(),
        "pw-1234".to_owned(),
    ];
    secrets.extend(tokens);
    for secret in &secrets {
        assert!(!log.contains(secret.as_str()), "the log holds a secret");
        for t in &texts {
            assert!(
                !t.contains(secret.as_str()),
                "an error or Debug holds a secret: {t}"
            );
        }
        // Nor any sizeable piece of a token (its signature, say).
        let tail = &secret[secret.len().saturating_sub(20)..];
        assert!(!log.contains(tail));
    }
    // The api key as a header value must not leak through hyper's own logs.
    assert!(!log.contains(&format!("Bearer {}", sim.options().api_key)));
}
