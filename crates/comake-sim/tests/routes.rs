//! The simulator's routes over a real socket: the upload page, the order of a client route's checks, and the control surface's failures.

use std::net::SocketAddr;
use std::time::Duration;

use comake::wire::{ContractStatus, Endpoint};
use comake_sim::{ComakeSim, SimOptions};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One HTTP/1.1 request on a connection of its own: the status and the body.
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\
             Content-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.expect("read");
        raw
    };
    let raw = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .expect("the simulator answers within 10 s");
    let text = String::from_utf8(raw).expect("utf-8 response");
    let (head, body) = text.split_once("\r\n\r\n").expect("a response head");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    (status, body.to_owned())
}

fn api_path(ep: Endpoint) -> String {
    format!("/api/{}", ep.segments("").join("/"))
}

/// A clientToken for `email`, through the two logins a client makes.
async fn client_token(sim: &ComakeSim, email: &str) -> String {
    let key = format!("Bearer {}", sim.options().api_key);
    let secret = json!({"secret": sim.options().api_secret}).to_string();
    let (status, body) = http(
        sim.addr(),
        "POST",
        &api_path(Endpoint::LoginAdmin),
        &[
            ("Authorization", &key),
            ("Content-Type", "application/json"),
        ],
        &secret,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let admin: Value = serde_json::from_str(&body).expect("json");
    let admin = format!("Bearer {}", admin["adminToken"].as_str().expect("token"));
    let (status, body) = http(
        sim.addr(),
        "POST",
        &api_path(Endpoint::LoginClient),
        &[
            ("Authorization", &admin),
            ("Content-Type", "application/json"),
        ],
        &json!({"email": email}).to_string(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let client: Value = serde_json::from_str(&body).expect("json");
    client["clientToken"].as_str().expect("token").to_owned()
}

#[tokio::test]
async fn the_upload_page_serves_and_saves_as_the_tokens_user_only() {
    let sim = ComakeSim::start(SimOptions::default())
        .await
        .expect("start");
    sim.add_user("kim@example.com", "Kim").expect("user");
    let token = client_token(&sim, "kim@example.com").await;

    let page = format!("/contract/upload?token={token}");
    let (status, body) = http(sim.addr(), "GET", &page, &[], "").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Signed in as kim@example.com"), "{body}");
    for bad in ["/contract/upload", "/contract/upload?token=forged"] {
        let (status, body) = http(sim.addr(), "GET", bad, &[], "").await;
        assert_eq!((status, body.as_str()), (401, "<p>invalid token</p>"));
    }

    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let saved = format!("token={token}&name=Lease&parties=A%2C+B");
    let (status, body) = http(sim.addr(), "POST", "/contract/upload", &form, &saved).await;
    assert_eq!(status, 200, "{body}");
    let id = body
        .strip_prefix("<p>Saved contract ")
        .and_then(|rest| rest.split('.').next())
        .and_then(comake::wire::ContractId::parse)
        .unwrap_or_else(|| panic!("no contract id in {body}"));
    let contract = sim.contract(&id).expect("the saved contract");
    assert_eq!(contract.summary.name, "Lease");
    assert_eq!(contract.summary.status, ContractStatus::Saved);
    let parties: Vec<&str> = contract.parties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(parties, ["A", "B"]);

    sim.revoke_tokens(Some("kim@example.com"));
    let (status, body) = http(sim.addr(), "POST", "/contract/upload", &form, &saved).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("token revoked"), "{body}");
}

#[tokio::test]
async fn a_client_route_checks_the_token_before_the_body_then_the_caller() {
    let sim = ComakeSim::start(SimOptions::default())
        .await
        .expect("start");
    sim.add_user("kim@example.com", "Kim").expect("user");
    sim.add_user("lee@example.com", "Lee").expect("user");
    let id = sim
        .seed_contract("kim@example.com", "NDA", &["A"], ContractStatus::Saved)
        .expect("contract");
    let path = api_path(Endpoint::RequestSign);
    let json_body = [("Content-Type", "application/json")];

    // No token and a malformed body: the token is refused first.
    let (status, body) = http(sim.addr(), "POST", &path, &json_body, "{").await;
    assert_eq!(status, 401, "{body}");

    let lee = format!("Bearer {}", client_token(&sim, "lee@example.com").await);
    let as_lee = [("Authorization", lee.as_str()), json_body[0]];
    let (status, body) = http(sim.addr(), "POST", &path, &as_lee, "{").await;
    assert_eq!(status, 400, "{body}");
    // A well-formed request for someone else's contract.
    let request = json!({"contractId": id.as_str()}).to_string();
    let (status, body) = http(sim.addr(), "POST", &path, &as_lee, &request).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        sim.contract(&id).expect("contract").summary.status,
        ContractStatus::Saved
    );
}

#[tokio::test]
async fn control_failures_hit_the_named_endpoint_the_given_number_of_times() {
    let sim = ComakeSim::start(SimOptions::default())
        .await
        .expect("start");
    let json_body = [("Content-Type", "application/json")];
    let unknown = json!({"endpoint": "nope", "count": 1, "status": 503}).to_string();
    let (status, _) = http(sim.addr(), "POST", "/_sim/fail", &json_body, &unknown).await;
    assert_eq!(status, 422);
    let neither = json!({"count": 1}).to_string();
    let (status, _) = http(sim.addr(), "POST", "/_sim/fail", &json_body, &neither).await;
    assert_eq!(status, 422);

    let twice = json!({"endpoint": Endpoint::LoginAdmin.name(), "count": 2, "status": 503});
    let (status, _) = http(
        sim.addr(),
        "POST",
        "/_sim/fail",
        &json_body,
        &twice.to_string(),
    )
    .await;
    assert_eq!(status, 204);
    let key = format!("Bearer {}", sim.options().api_key);
    let secret = json!({"secret": sim.options().api_secret}).to_string();
    let login = [("Authorization", key.as_str()), json_body[0]];
    let path = api_path(Endpoint::LoginAdmin);
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(http(sim.addr(), "POST", &path, &login, &secret).await.0);
    }
    assert_eq!(statuses, [503, 503, 200]);
    let logged: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(logged, [503, 503, 200]);
}
