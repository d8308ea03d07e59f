//! Section 1: the Comake requests each command makes with tokens cached, against the fewest it needs.

use std::collections::BTreeMap;

use comake_bot::api::handlers::{Invocation, OptValue};
use comake_bot::comake::wire::ContractStatus;
use serde_json::{json, Value};

use crate::support::{account, cmd, press, run, s, Bench, Last, KIM};

/// One row: a command's name, the requests it made by endpoint, and the
/// fewest it needs.
struct Row {
    name: &'static str,
    minimum: usize,
    counts: BTreeMap<&'static str, usize>,
}

/// Run `inv` as a transport would and count the Comake requests made while
/// it ran; every row of the table is made here.
async fn measure(
    b: &Bench,
    rows: &mut Vec<Row>,
    name: &'static str,
    minimum: usize,
    inv: Invocation,
) -> Last {
    let before = b.sim.requests().len();
    let last = run(&b.app, inv).await;
    let mut counts = BTreeMap::new();
    for r in &b.sim.requests()[before..] {
        *counts.entry(r.endpoint.unwrap_or("other")).or_default() += 1;
    }
    rows.push(Row {
        name,
        minimum,
        counts,
    });
    last
}

pub(crate) async fn section(b: &Bench) -> Value {
    let sim = &b.sim;
    sim.add_user("kim@example.com", "Kim").unwrap();
    b.store
        .link(account(KIM, "kim@example.com"), false)
        .await
        .unwrap();
    sim.add_user("lee@example.com", "Lee").unwrap();
    let id = sim
        .seed_contract(
            "kim@example.com",
            "NDA",
            &["갑", "을"],
            ContractStatus::Saved,
        )
        .unwrap();
    let cid = || ("contract", s(id.as_str()));
    // Warm the admin and Kim's client token.
    run(&b.app, cmd(KIM, "contract list", &[])).await;

    let mut rows = Vec::new();
    let r = &mut rows;
    measure(b, r, "comake whoami", 0, cmd(KIM, "comake whoami", &[])).await;
    measure(b, r, "contract list", 1, cmd(KIM, "contract list", &[])).await;
    measure(
        b,
        r,
        "contract show",
        1,
        cmd(KIM, "contract show", &[cid()]),
    )
    .await;
    measure(b, r, "contract new", 1, cmd(KIM, "contract new", &[])).await;
    measure(
        b,
        r,
        "contract edit",
        2,
        cmd(KIM, "contract edit", &[cid()]),
    )
    .await;
    let rename = [cid(), ("name", s("NDA v2"))];
    measure(
        b,
        r,
        "contract rename",
        1,
        cmd(KIM, "contract rename", &rename),
    )
    .await;
    let signee = [
        cid(),
        ("party", s("0")),
        ("name", s("Kim")),
        ("email", s("kim@example.com")),
    ];
    measure(
        b,
        r,
        "contract signee",
        2,
        cmd(KIM, "contract signee", &signee),
    )
    .await;
    // The preview sets the one missing signee inline; Send then sets it and
    // sends the requests.
    let inline = [cid(), ("name", s("Lee")), ("email", s("lee@example.com"))];
    let preview = cmd(KIM, "contract request-sign", &inline);
    let send = measure(b, r, "contract request-sign (preview)", 1, preview).await;
    let send = press(KIM, &send.button("c:ok:"));
    measure(
        b,
        r,
        "contract request-sign (Send, setting 1 signee)",
        3,
        send,
    )
    .await;
    let preview = cmd(KIM, "contract cancel-sign", &[cid()]);
    let confirm = measure(b, r, "contract cancel-sign (preview)", 1, preview).await;
    let confirm = press(KIM, &confirm.button("c:ok:"));
    measure(b, r, "contract cancel-sign (Confirm)", 2, confirm).await;
    let preview = cmd(KIM, "contract delete", &[cid()]);
    let confirm = measure(b, r, "contract delete (preview)", 1, preview).await;
    let confirm = press(KIM, &confirm.button("c:ok:"));
    measure(b, r, "contract delete (Confirm)", 2, confirm).await;
    // `/comake register` makes its one Comake request when the mailed
    // code is entered (tests/it count it); the benchmark has no mail.
    let mut link = cmd(
        3,
        "comake-admin link",
        &[("user", OptValue::User(4)), ("email", s("lee@example.com"))],
    );
    // The member being linked is in the server (Discord resolves it).
    link.members = vec![4];
    measure(b, r, "comake-admin link", 1, link).await;

    println!("1. Comake round trips per command, warm (tokens cached)");
    println!("   {:<48} {:>5} {:>5}  requests", "command", "made", "min");
    let mut table = Vec::new();
    for Row {
        name,
        minimum,
        counts,
    } in &rows
    {
        let made: usize = counts.values().sum();
        println!("   {name:<48} {made:>5} {minimum:>5}  {counts:?}");
        table.push(json!({
            "command": name,
            "requests": made,
            "minimum": minimum,
            "by_endpoint": counts,
            "at_minimum": made == *minimum,
        }));
    }
    Value::Array(table)
}
