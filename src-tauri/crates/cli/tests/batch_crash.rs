//! A roster batch killed (SIGKILL) at several points and resumed by running the same command
//! again: exactly one award per learner, every credential file complete and verifying, every
//! status index given once, the manifest matching the workspace, the file intact.

mod common;

use common::credence;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const LEARNERS: usize = 2_000;
const SLUG: &str = "data-visualization-for-decision-makers";

fn issue(workspace: &Path, roster: &Path, out: &Path) -> Child {
    credence(workspace)
        .args([
            "issue",
            "--credential",
            SLUG,
            "--formats",
            "json,png",
            "--roster",
        ])
        .arg(roster)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("credence starts")
}

/// Rows of the batch committed so far, read beside the running process (none before the
/// batch is recorded).
fn done(workspace: &Path) -> i64 {
    let Ok(conn) = rusqlite::Connection::open_with_flags(
        workspace,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    ) else {
        return 0;
    };
    let _ = conn.busy_timeout(Duration::from_secs(5));
    conn.query_row("SELECT coalesce(max(done), 0) FROM issue_batch", [], |r| {
        r.get(0)
    })
    .unwrap_or(0)
}

/// Starts the command and kills it once `at_least` rows are committed (0: as soon as the
/// batch exists or the process has run `after`); returns whether it was killed before it
/// finished by itself.
fn kill_when(workspace: &Path, roster: &Path, out: &Path, at_least: i64, after: Duration) -> bool {
    let mut child = issue(workspace, roster, out);
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("waited") {
            assert!(status.success(), "the run failed by itself: {status}");
            return false;
        }
        let reached = if at_least > 0 {
            done(workspace) >= at_least
        } else {
            start.elapsed() >= after
        };
        if reached {
            child.kill().expect("killed");
            child.wait().expect("reaped");
            return true;
        }
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "the batch never got there"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_batch_killed_at_several_points_resumes_to_exactly_one_award_per_learner() {
    let dir = tempfile::tempdir().expect("a folder");
    let workspace = dir.path().join("w.credence");
    let roster = dir.path().join("roster.csv");
    let out = dir.path().join("out");
    let made = credence(&workspace).arg("demo").output().expect("demo");
    assert!(made.status.success(), "{made:?}");
    // No completion dates: the batch fixes them to the day it started.
    let mut text = String::from("name,email\n");
    for i in 0..LEARNERS {
        text.push_str(&format!("Learner {i},learner{i}@example.org\n"));
    }
    std::fs::write(&roster, text).expect("roster written");

    // Killed while the passphrase is opened or the first chunk signs, then a chunk in, then
    // deep in, each kill landing wherever the process is (signing, committing, writing files).
    let mut kills = 0;
    kills += usize::from(kill_when(
        &workspace,
        &roster,
        &out,
        0,
        Duration::from_millis(700),
    ));
    for at in [1, 600, 1_300] {
        kills += usize::from(kill_when(&workspace, &roster, &out, at, Duration::ZERO));
    }
    assert!(
        kills >= 3,
        "only {kills} runs were killed before they finished"
    );
    let last = issue(&workspace, &roster, &out)
        .wait_with_output()
        .expect("resumed");
    assert!(last.status.success(), "{last:?}");
    let said = String::from_utf8_lossy(&last.stdout);
    assert!(said.contains("Issued"), "{said}");

    let conn = rusqlite::Connection::open(&workspace).expect("opened");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(
        count("SELECT count(*) FROM award WHERE learner_email LIKE 'learner%@example.org'"),
        LEARNERS as i64
    );
    assert_eq!(
        count("SELECT count(DISTINCT learner_email) FROM award WHERE batch_id IS NOT NULL"),
        LEARNERS as i64
    );
    assert_eq!(
        count("SELECT count(*) FROM (SELECT DISTINCT status_list_id, status_index FROM award)"),
        count("SELECT count(*) FROM award")
    );
    assert_eq!(count("SELECT count(*) FROM issue_batch"), 1);
    let (state, done): (String, i64) = conn
        .query_row("SELECT state, done FROM issue_batch", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("the batch");
    assert_eq!((state.as_str(), done), ("finished", LEARNERS as i64));
    // One completion date for all: the day the batch started, kept across the runs.
    assert_eq!(
        count("SELECT count(DISTINCT completed_on) FROM award WHERE batch_id IS NOT NULL"),
        1
    );
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("checked");
    assert_eq!(integrity, "ok");

    // The manifest names every award of the workspace's batch, once, with both files.
    let awards: HashSet<String> = conn
        .prepare("SELECT id FROM award WHERE batch_id IS NOT NULL")
        .expect("query")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("ids");
    let manifest = std::fs::read_to_string(out.join("manifest.csv")).expect("manifest");
    let mut listed = HashSet::new();
    for line in manifest.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        assert!(listed.insert(cells[0].to_string()), "{} twice", cells[0]);
        assert_eq!(
            cells[4],
            format!("{0}/credential.json;{0}/badge.png", cells[0]),
            "{line}"
        );
    }
    assert_eq!(listed, awards);
    // Every file complete: no temporary file left, and every credential (the JSON and the
    // one baked in the PNG) verifies.
    let mut folders = 0;
    for entry in std::fs::read_dir(&out).expect("listed") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            folders += 1;
            for file in std::fs::read_dir(&path).expect("listed") {
                let name = file.expect("entry").file_name();
                let name = name.to_string_lossy();
                assert!(
                    name == "credential.json" || name == "badge.png",
                    "{name} in {}",
                    path.display()
                );
            }
        }
    }
    assert_eq!(folders, LEARNERS);
    let verified = credence(&workspace)
        .arg("verify")
        .arg(&out)
        .output()
        .expect("verify");
    let report = String::from_utf8_lossy(&verified.stdout);
    assert!(verified.status.success(), "{report}");
    assert_eq!(
        report.lines().filter(|l| l.contains(": verified")).count(),
        2 * LEARNERS
    );
}
