//! An issuance event end to end, through the `credence` binary: the coordinator exports an
//! event package; the main workspace's folder is then moved out of reach while the event
//! workspace is opened from the package, issues a roster, revokes one award, is refused
//! anything but issuing, and finishes; back at the office the return merges (every award
//! verifying, tied to its version, a learner awarded in both places reported, the event key
//! retired) and the same return merged again is refused with nothing changed.

mod common;

use common::credence;

use std::path::Path;
use std::process::Output;

const SLUG: &str = "data-visualization-for-decision-makers";
const EVENT_PASSPHRASE: &str = "event night 2026";

fn run(cmd: &mut std::process::Command) -> Output {
    cmd.output().expect("credence runs")
}

fn ok(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "failed: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn refused(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "not refused: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// The demo's coordinator at the event: the event passphrase opens both their signing key
/// there and the event key.
fn at_event(workspace: &Path) -> std::process::Command {
    let mut cmd = credence(workspace);
    cmd.env("CREDENCE_PASSPHRASE", EVENT_PASSPHRASE)
        .env("CREDENCE_ISSUER_PASSPHRASE", EVENT_PASSPHRASE)
        .env("CREDENCE_EVENT_PASSPHRASE", EVENT_PASSPHRASE);
    cmd
}

fn count(workspace: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(workspace).expect("opens");
    conn.query_row(sql, [], |r| r.get(0)).expect("counted")
}

#[test]
fn an_event_exports_issues_offline_and_merges_once() {
    let dir = tempfile::tempdir().expect("dir");
    let office = dir.path().join("office");
    std::fs::create_dir(&office).expect("dir");
    let main = office.join("main.credence");
    ok(&run(credence(&main).arg("demo")));
    let awards_before = count(&main, "SELECT count(*) FROM award");

    // Grace is awarded at the office on the event's day, before the event.
    let today = chrono::Utc::now().date_naive().to_string();
    let office_roster = dir.path().join("office.csv");
    std::fs::write(
        &office_roster,
        format!("name,email,completed_on\nGrace Hopper,grace@example.org,{today}\n"),
    )
    .expect("written");
    ok(&run(credence(&main)
        .args([
            "issue",
            "--credential",
            SLUG,
            "--formats",
            "json",
            "--roster",
        ])
        .arg(&office_roster)
        .arg("--out")
        .arg(dir.path().join("office-files"))));

    let package = dir.path().join("event.zip");
    let out = ok(&run(credence(&main)
        .env("CREDENCE_EVENT_PASSPHRASE", EVENT_PASSPHRASE)
        .args([
            "event",
            "export",
            "--credential",
            SLUG,
            "--name",
            "Bootcamp graduation",
            "--out",
        ])
        .arg(&package)));
    assert!(
        out.contains("Exported the event \"Bootcamp graduation\""),
        "{out}"
    );
    assert!(out.contains("Status entries reserved: 131072"), "{out}");

    // The package holds the event key sealed, never the institution's.
    let bytes = std::fs::read(&package).expect("package");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut image = Vec::new();
    std::io::Read::read_to_end(
        &mut zip.by_name("workspace.credence").expect("image"),
        &mut image,
    )
    .expect("read");
    let institution_key: String = rusqlite::Connection::open(&main)
        .expect("opens")
        .query_row(
            "SELECT public_key FROM issuer_key WHERE event_id IS NULL ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a key");
    assert!(!String::from_utf8_lossy(&image).contains(&institution_key));

    // Away from the office: the main workspace is out of reach.
    let away = dir.path().join("away");
    std::fs::rename(&office, &away).expect("moved");
    let laptop = dir.path().join("laptop");
    let event = laptop.join("event.credence");
    let out = ok(&run(at_event(&event)
        .arg("event")
        .arg("open")
        .arg(&package)));
    assert!(
        out.contains("Opened the event \"Bootcamp graduation\""),
        "{out}"
    );
    assert!(out.contains(SLUG), "{out}");
    let template = laptop.join("event-roster-template.csv");
    let header = std::fs::read_to_string(&template).expect("template");
    let mut roster = header.clone();
    for i in 0..40 {
        roster.push_str(&format!("Learner {i},learner{i}@example.org,,{today},,,\n"));
    }
    roster.push_str(&format!("Grace Hopper,grace@example.org,,{today},,,\n"));
    roster.push_str("Ada Lovelace,ada@example.org,,2026-11-30,,,\n");
    let roster_file = laptop.join("roster.csv");
    std::fs::write(&roster_file, roster).expect("written");
    let files = laptop.join("files");
    let out = ok(&run(at_event(&event)
        .args([
            "issue",
            "--credential",
            SLUG,
            "--formats",
            "json,bundle",
            "--roster",
        ])
        .arg(&roster_file)
        .arg("--out")
        .arg(&files)));
    assert!(out.contains("42"), "{out}");
    ok(&run(at_event(&event).args([
        "revoke",
        "learner0@example.org",
        "--reason",
        "issued in error at the desk",
    ])));
    // Anything but issuing is refused there.
    let e = refused(&run(at_event(&event).args([
        "unit",
        "add",
        "--code",
        "NIGHT",
        "--name",
        "Night school",
        "--kind",
        "department",
    ])));
    assert!(e.contains("event workspace"), "{e}");
    // Every credential the event wrote verifies offline.
    let ada: String = rusqlite::Connection::open(&event)
        .expect("opens")
        .query_row(
            "SELECT id FROM award WHERE learner_email = 'ada@example.org'",
            [],
            |r| r.get(0),
        )
        .expect("Ada's award");
    let credential = files.join(&ada).join("credential.json");
    ok(&run(credence(&event).arg("verify").arg(&credential)));

    let back = laptop.join("return.zip");
    let out = ok(&run(at_event(&event)
        .args(["event", "finish", "--out"])
        .arg(&back)));
    assert!(out.contains("42 awards (1 revoked)"), "{out}");
    let late = laptop.join("late.csv");
    std::fs::write(
        &late,
        format!("{header}Late Comer,late@example.org,,{today},,,\n"),
    )
    .expect("written");
    let e = refused(&run(at_event(&event)
        .args([
            "issue",
            "--credential",
            SLUG,
            "--formats",
            "json",
            "--roster",
        ])
        .arg(&late)
        .arg("--out")
        .arg(&files)));
    assert!(e.contains("finished"), "{e}");

    // Back at the office.
    std::fs::rename(&away, &office).expect("moved back");
    let out = ok(&run(credence(&main).args(["event", "merge"]).arg(&back)));
    assert!(out.contains("42 awards (1 revoked at the event)"), "{out}");
    assert!(out.contains("Grace Hopper <grace@example.org>"), "{out}");
    assert!(out.contains("revoked as superseded"), "{out}");
    assert_eq!(
        count(&main, "SELECT count(*) FROM award"),
        awards_before + 1 + 42
    );
    assert_eq!(
        count(
            &main,
            "SELECT count(*) FROM issuer_key WHERE event_id IS NOT NULL AND retired_at IS NOT NULL"
        ),
        1
    );
    assert_eq!(
        count(&main, "SELECT count(*) FROM award a JOIN issuer_key k ON k.id = a.issuer_key_id WHERE k.event_id IS NOT NULL AND a.version NOT IN (SELECT number FROM microcredential_version v WHERE v.proposal_id = a.proposal_id)"),
        0
    );
    ok(&run(credence(&main).args(["audit", "verify"])));

    // The revocations reach the event's status list, signed by the event key.
    let lists = dir.path().join("status");
    ok(&run(credence(&main)
        .args(["status-list", "export", "--out"])
        .arg(&lists)));
    let out = run(credence(&main)
        .arg("verify")
        .arg("--status-dir")
        .arg(&lists)
        .arg(&credential));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // The same return again: refused, nothing changed.
    let entries = count(&main, "SELECT count(*) FROM audit_log");
    let e = refused(&run(credence(&main).args(["event", "merge"]).arg(&back)));
    assert!(e.contains("already merged"), "{e}");
    assert_eq!(
        count(&main, "SELECT count(*) FROM award"),
        awards_before + 1 + 42
    );
    assert_eq!(count(&main, "SELECT count(*) FROM audit_log"), entries);
}
