//! What the CLI's process tests share: the `credence` binary acting in a demo workspace.

use std::path::Path;
use std::process::{Command, Stdio};

/// `credence --workspace WORKSPACE`, as the demo's coordinator with the demo's passphrases.
#[allow(dead_code)] // not every test binary uses it
pub fn credence(workspace: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_credence"));
    cmd.arg("--workspace")
        .arg(workspace)
        .env("CREDENCE_PASSPHRASE", "northfield demo")
        .env("CREDENCE_ISSUER_PASSPHRASE", "demo")
        .env("CREDENCE_ACTOR", "dana.whitfield@northfield.edu")
        .stdin(Stdio::null());
    cmd
}

/// A new database on the test server (`CREDENCE_TEST_POSTGRES`, which `cargo xtask test`
/// starts), by its URL; the server is thrown away after the run, its databases with it.
#[allow(dead_code)] // not every test binary uses it
pub fn new_database(purpose: &str) -> String {
    let admin = std::env::var("CREDENCE_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!(
            "CREDENCE_TEST_POSTGRES names no PostgreSQL server: run the tests with `cargo xtask test`, which starts one"
        )
    });
    let name = format!("credence_cli_{purpose}_{}", std::process::id());
    let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("the test server");
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .expect("dropped");
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("made");
    let (server, _) = admin.rsplit_once('/').expect("a URL naming a database");
    format!("{server}/{name}")
}
