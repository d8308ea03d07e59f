//! Build script (kept under tests/ because it only serves the tests): with `TEST_DATABASE_URL` set, or under `CI=true`, the PostgreSQL tests run; otherwise they are reported as ignored, with how to enable them.

fn main() {
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rustc-check-cfg=cfg(pg_tests)");
    let url = std::env::var("TEST_DATABASE_URL").unwrap_or_default();
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    // Under CI a missing URL is not a reason to skip: the tests run and
    // fail, saying what is missing.
    if !url.trim().is_empty() || ci {
        println!("cargo::rustc-cfg=pg_tests");
    }
}
