//! Several seats writing one workspace at once (issue 16): eight processes, each making
//! audited, signed changes through the real use case, on a PostgreSQL workspace and on a
//! file. Every change is applied or refused with a message (one in ten is a code every seat
//! tries to take, which exactly one may), none is lost, and the audit chain holds.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const SEATS: u64 = 8;
const CHANGES: u64 = 40;
/// One change in ten is a shared code (credence_app::bench::SHARED_EVERY).
const SHARED: u64 = CHANGES / 10;

fn seats(server: Option<&str>) -> Value {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_credence"));
    cmd.args(["bench", "seats", "--json"]).args([
        "--seats",
        &SEATS.to_string(),
        "--changes",
        &CHANGES.to_string(),
    ]);
    if let Some(url) = server {
        cmd.args(["--server", url]);
    }
    let out = cmd.output().expect("ran");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("a JSON report")
}

fn every_change_is_applied_or_refused_and_none_is_lost(report: &Value, engine: &str) {
    let applied = SEATS * CHANGES - (SEATS - 1) * SHARED;
    assert_eq!(report["applied"], applied, "{engine}: {report}");
    assert_eq!(
        report["refused"],
        (SEATS - 1) * SHARED,
        "{engine}: {report}"
    );
    assert_eq!(
        report["units"], applied,
        "{engine}: every applied change is there"
    );
    assert!(
        report["a_refusal"]
            .as_str()
            .unwrap_or("")
            .contains("is already used by"),
        "{engine}: a refusal says why: {report}"
    );
    assert_eq!(report["audit_holds"], true, "{engine}: {report}");
    // Every change has its entry, after the set-up's.
    assert!(
        report["audit_entries"].as_u64().unwrap_or(0) > applied,
        "{engine}: {report}"
    );
}

#[test]
fn eight_seats_change_one_postgresql_workspace_at_once() {
    let url = common::new_database("seats");
    let report = seats(Some(&url));
    every_change_is_applied_or_refused_and_none_is_lost(&report, "PostgreSQL");
    // And the workspace opens as any other afterwards.
    let out = common::credence(Path::new(&url))
        .args(["audit", "verify"])
        .output()
        .expect("ran");
    assert!(out.status.success());
}

#[test]
fn eight_seats_change_one_workspace_file_at_once() {
    let report = seats(None);
    every_change_is_applied_or_refused_and_none_is_lost(&report, "SQLite");
}
