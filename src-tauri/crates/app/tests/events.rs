//! Issuance events against real files: what an event workspace holds and refuses, returns
//! that are tampered with, signed by another key or from another workspace (refused, nothing
//! changed), and the kept event log that `audit verify` checks after the merge.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::path::Path;

use common::{demo, keep_issued, Demo};
use credence_app::domain::award::LearnerInput;
use credence_app::domain::unit::{UnitInput, UnitKind};
use credence_app::{OpenMode, Workspace};
use credence_vc::keys::KdfParams;

const EVENT: &str = "graduation night";

fn message(e: credence_app::AppError) -> String {
    format!(
        "{} {}",
        e.message,
        e.fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; ")
    )
}

fn export(d: &Demo, out: &Path) -> credence_app::issuing::events::EventExported {
    d.ws.export_event_with(
        d.coordinator,
        std::slice::from_ref(&d.slug),
        "Workshop series",
        "demo",
        EVENT,
        out,
        KdfParams::MIN,
    )
    .unwrap()
}

fn learner(name: &str, email: &str) -> LearnerInput {
    LearnerInput {
        name: name.into(),
        email: email.into(),
        completed_on: "2026-11-28".into(),
        ..Default::default()
    }
}

/// The event workspace opened from `package` at `path`, signed in and unlocked.
fn at_event(package: &Path, path: &Path) -> (Workspace, Option<i64>) {
    Workspace::open_event(package, path).unwrap();
    let ws = Workspace::open(path, OpenMode::MustExist).unwrap();
    let me = ws.acting_person().unwrap().unwrap();
    ws.sign_in(me.id, EVENT).unwrap();
    ws.unlock_issuer(EVENT).unwrap();
    (ws, Some(me.id))
}

fn count(path: &Path, sql: &str) -> i64 {
    common::around_credence(path, |db| {
        db.map_one(sql, credence_store::args![], |r| r.get(0))
            .unwrap()
    })
}

#[test]
fn the_event_workspace_holds_what_the_event_needs_and_only_issues() {
    let d = demo();
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("event.zip");
    let exported = export(&d, &package);
    assert_eq!(exported.event.microcredentials[0].slug, d.slug);
    assert_eq!(exported.event.reserved, 131_072);

    let path = dir.path().join("laptop").join("event.credence");
    let (ws, me) = at_event(&package, &path);
    // One person (the coordinator who exported it), one key (the event's), one list, no
    // awards, no other microcredential, and a log of its own that holds.
    for (sql, n) in [
        ("SELECT count(*) FROM person", 1),
        ("SELECT count(*) FROM issuer_key", 1),
        ("SELECT count(*) FROM status_list", 1),
        ("SELECT count(*) FROM award", 0),
        ("SELECT count(*) FROM microcredential", 1),
        ("SELECT count(*) FROM committee_member", 0),
        ("SELECT count(*) FROM meeting", 0),
    ] {
        assert_eq!(count(&path, sql), n, "{sql}");
    }
    assert!(ws.verify_audit().unwrap().holds());
    assert_eq!(
        ws.issuer_state().unwrap().keys[0].did,
        exported.event.key_did
    );

    let report = ws
        .issue(
            me,
            &d.slug,
            &[
                learner("Ana Lima", "ana@example.org"),
                learner("Kwame Mensah", "kwame@example.org"),
            ],
        )
        .unwrap();
    assert_eq!(report.new_count(), 2);
    let files = ws.award_files(&report.rows[0].award.id).unwrap();
    let credential: serde_json::Value = serde_json::from_str(&files.json).unwrap();
    assert_eq!(credential["issuer"]["id"], exported.event.key_did.as_str());
    assert!(credential["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap()
        .ends_with(
            &exported
                .event
                .status_list
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        ));
    ws.revoke(me, &["kwame@example.org".into()], "wrong learner")
        .unwrap();

    // Nothing else changes there.
    let refused = message(
        ws.create_unit(
            me,
            &UnitInput {
                code: "NIGHT".into(),
                name: "Night school".into(),
                kind: UnitKind::Department,
                parent_id: None,
            },
        )
        .unwrap_err(),
    );
    assert!(refused.contains("event workspace"), "{refused}");
    let refused = message(ws.rotate_issuer_key(me, EVENT, None).unwrap_err());
    assert!(refused.contains("event workspace"), "{refused}");
    // A package opens only into a new file.
    let again = message(Workspace::open_event(&package, &path).unwrap_err());
    assert!(again.contains("already exists"), "{again}");
}

#[test]
fn exporting_needs_the_issuer_passphrase_and_another_for_the_event() {
    let d = demo();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("event.zip");
    let try_export = |issuer: &str, event: &str| {
        message(
            d.ws.export_event_with(
                d.coordinator,
                std::slice::from_ref(&d.slug),
                "",
                issuer,
                event,
                &out,
                KdfParams::MIN,
            )
            .unwrap_err(),
        )
    };
    assert!(try_export("wrong", EVENT).contains("issuer_passphrase"));
    assert!(try_export("demo", "short").contains("event_passphrase"));
    let e = message(
        d.ws.export_event_with(
            d.coordinator,
            &["no-such-thing".into()],
            "",
            "demo",
            EVENT,
            &out,
            KdfParams::MIN,
        )
        .unwrap_err(),
    );
    assert!(e.contains("no-such-thing"), "{e}");
    assert!(!out.exists());
    assert!(d.ws.events().unwrap().is_empty());
}

/// Rewrites `return.json` in a return package with `change`, signed again by `key` (or the
/// old signature kept, where `None`).
fn tamper(
    from: &Path,
    to: &Path,
    change: impl Fn(&mut serde_json::Value),
    key: Option<&ed25519_dalek::SigningKey>,
) {
    use ed25519_dalek::Signer as _;
    use sha2::Digest as _;
    use std::io::Read as _;
    let bytes = std::fs::read(from).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut json = Vec::new();
    zip.by_name("return.json")
        .unwrap()
        .read_to_end(&mut json)
        .unwrap();
    let mut sig = Vec::new();
    zip.by_name("signature.json")
        .unwrap()
        .read_to_end(&mut sig)
        .unwrap();
    let mut payload: serde_json::Value = serde_json::from_slice(&json).unwrap();
    change(&mut payload);
    let json = serde_json::to_vec(&payload).unwrap();
    let mut signature: serde_json::Value = serde_json::from_slice(&sig).unwrap();
    if let Some(key) = key {
        let sha = hex::encode(sha2::Sha256::digest(&json));
        signature["signature"] = hex::encode(key.sign(sha.as_bytes()).to_bytes()).into();
        signature["sha256"] = sha.into();
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [
        ("return.json", json),
        ("signature.json", serde_json::to_vec(&signature).unwrap()),
    ] {
        out.start_file(name, options).unwrap();
        std::io::Write::write_all(&mut out, &bytes).unwrap();
    }
    std::fs::write(to, out.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn a_return_merges_once_and_a_tampered_one_changes_nothing() {
    let d = demo();
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("event.zip");
    export(&d, &package);
    let path = dir.path().join("event.credence");
    let (ws, me) = at_event(&package, &path);
    let roster: Vec<LearnerInput> = (0..30)
        .map(|i| learner(&format!("Learner {i}"), &format!("l{i}@example.org")))
        .collect();
    ws.issue(me, &d.slug, &roster).unwrap();
    let back = dir.path().join("return.zip");
    let finished = ws.finish_event(me, EVENT, &back).unwrap();
    assert_eq!(finished.awards, 30);
    let e = message(
        ws.finish_event(me, "not the passphrase", &back)
            .unwrap_err(),
    );
    assert!(e.contains("passphrase"), "{e}");

    let main = d.ws.path().to_path_buf();
    let awards = count(&main, "SELECT count(*) FROM award");
    let entries = count(&main, "SELECT count(*) FROM audit_log");
    let unchanged = || {
        assert_eq!(count(&main, "SELECT count(*) FROM award"), awards);
        assert_eq!(count(&main, "SELECT count(*) FROM audit_log"), entries);
    };
    // A learner's name changed after the event signed the return.
    let changed = dir.path().join("changed.zip");
    tamper(
        &back,
        &changed,
        |p| p["awards"][3]["learner_name"] = "Mallory".into(),
        None,
    );
    let e = message(d.ws.merge_event(d.coordinator, &changed).unwrap_err());
    assert!(e.contains("damaged"), "{e}");
    unchanged();
    // The same change signed again by some other key.
    let other = credence_vc::keys::generate().unwrap();
    tamper(
        &back,
        &changed,
        |p| p["awards"][3]["learner_name"] = "Mallory".into(),
        Some(&other),
    );
    let e = message(d.ws.merge_event(d.coordinator, &changed).unwrap_err());
    assert!(e.contains("not signed by the event's key"), "{e}");
    unchanged();
    // The return of an event another workspace exported.
    let stranger = demo();
    let e = message(
        stranger
            .ws
            .merge_event(stranger.coordinator, &back)
            .unwrap_err(),
    );
    assert!(e.contains("did not export"), "{e}");

    let report = d.ws.merge_event(d.coordinator, &back).unwrap();
    assert_eq!(report.awards, 30);
    assert!(report.both_places.is_empty());
    assert!(d.ws.verify_audit().unwrap().holds());
    let e = message(d.ws.merge_event(d.coordinator, &back).unwrap_err());
    assert!(e.contains("already merged"), "{e}");
    let event = &d.ws.events().unwrap()[0];
    assert!(event.merged_at.is_some());
    assert_eq!(event.merge.as_ref().unwrap().awards, 30);
    // The event key is retired and the institution's signs on; both verify.
    d.ws.unlock_issuer("demo").unwrap();
    let state = d.ws.issuer_state().unwrap();
    let current = state.keys.iter().find(|k| k.current).unwrap();
    assert_ne!(current.did, event.key_did);
    let merged: Vec<_> =
        d.ws.awards("Learner", 100)
            .unwrap()
            .into_iter()
            .filter(|a| a.learner_name.starts_with("Learner "))
            .collect();
    assert_eq!(merged.len(), 30);
    for award in merged {
        let json = d.ws.award_files(&award.id).unwrap().json;
        assert!(
            d.ws.verify_credential(json.as_bytes()).verified(),
            "{}",
            award.learner_name
        );
    }
    keep_issued(&d.ws, "event-merged");

    // The event's log kept one signature per act (the 30 awards were one act), on its last
    // entry; taken away, the act's entries are named unsigned.
    let mut original = None;
    let unsigned = common::around_credence(&main, |db| {
        let kept: Vec<(i64, String)> = db
            .map(
                "SELECT seq, entry_json FROM event_entry ORDER BY seq",
                credence_store::args![],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let signed = |json: &str| {
            serde_json::from_str::<serde_json::Value>(json).unwrap()["signature"].is_string()
        };
        assert!(kept.iter().filter(|(_, j)| signed(j)).count() < kept.len() / 2);
        let (seq, json) = kept.last().unwrap();
        assert!(signed(json));
        let mut entry: serde_json::Value = serde_json::from_str(json).unwrap();
        entry["signature"] = serde_json::Value::Null;
        entry["public_key"] = serde_json::Value::Null;
        db.execute(
            "UPDATE event_entry SET entry_json = ?2 WHERE seq = ?1",
            credence_store::args![*seq, entry.to_string()],
        )
        .unwrap();
        original = Some((*seq, json.clone()));
        // The first entry of the last act: the one after the last signed before it.
        kept.iter()
            .rev()
            .skip(1)
            .find(|(_, j)| signed(j))
            .map_or(kept[0].0, |(s, _)| s + 1)
    });
    let report = d.ws.verify_audit().unwrap();
    assert!(
        report
            .statement_problems
            .iter()
            .any(|p| p.contains(&format!(
                "the event's audit entry {unsigned} is not signed by the event key"
            ))),
        "{report:?}"
    );
    let (seq, json) = original.unwrap();
    common::around_credence(&main, |db| {
        db.execute(
            "UPDATE event_entry SET entry_json = ?2 WHERE seq = ?1",
            credence_store::args![seq, json],
        )
        .unwrap()
    });
    assert!(d.ws.verify_audit().unwrap().holds());

    // A kept event entry changed afterwards is caught.
    common::around_credence(&main, |db| {
        db.execute(
            "UPDATE event_entry SET entry_json = replace(entry_json, 'Learner 3', 'Mallory')
             WHERE seq = (SELECT max(seq) FROM event_entry WHERE entry_json LIKE '%Learner 3%')",
            credence_store::args![],
        )
        .unwrap()
    });
    let report = d.ws.verify_audit().unwrap();
    assert!(!report.holds());
    assert!(
        report
            .statement_problems
            .iter()
            .any(|p| p.contains("Workshop series")),
        "{report:?}"
    );
}
