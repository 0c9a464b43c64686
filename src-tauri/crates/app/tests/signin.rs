//! Who acts: signing in, enrolment, the idle lock, and every audit entry signed by the
//! person who made it, against a real SQLite file.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::time::Duration;

use credence_app::domain::audit::AuditRecord;
use credence_app::domain::person::{PersonInput, Role};
use credence_app::domain::unit::{UnitInput, UnitKind};
use credence_app::{AppError, ErrorKind, Workspace};
use credence_store::args;
use credence_vc::keys::KdfParams;

fn unit(code: &str) -> UnitInput {
    UnitInput {
        code: code.into(),
        name: format!("Unit {code}"),
        kind: UnitKind::Department,
        parent_id: None,
    }
}

fn person(name: &str, roles: &[Role]) -> PersonInput {
    PersonInput {
        name: name.into(),
        email: format!("{}@northfield.edu", name.to_lowercase().replace(' ', ".")),
        unit_id: None,
        roles: roles.to_vec(),
    }
}

fn refused(r: Result<impl std::fmt::Debug, AppError>, says: &str) -> AppError {
    let e = r.unwrap_err();
    let text = format!("{} {:?}", e.message, e.fields);
    assert!(text.contains(says), "expected {says:?}, got {text}");
    e
}

fn entries(ws: &Workspace) -> usize {
    common::audit_len(ws, None)
}

#[test]
fn signed_in_as_one_member_every_act_as_another_is_refused_without_their_passphrase() {
    let (_dir, _path, ws, dana_id) = common::new_workspace();
    let dana = Some(dana_id);
    let member = common::add_person(
        &ws,
        dana,
        &person("Chen Wei", &[Role::CommitteeMember]),
        common::PASS,
    )
    .id;
    // The window: no unlocker; Chen signs in with their own passphrase.
    ws.set_unlocker(None);
    ws.sign_out();
    refused(ws.sign_in(member, "not chen's passphrase"), "does not open");
    ws.sign_in(member, common::PASS).unwrap();
    assert_eq!(ws.signed_in_person().unwrap().unwrap().id, member);
    assert_eq!(ws.acting_id().unwrap(), Some(member));

    let before = entries(&ws);
    // Every act as the coordinator is refused: Chen is signed in, not Dana.
    let e = refused(ws.create_unit(dana, &unit("ENG")), "Chen Wei is signed in");
    assert_eq!(e.kind, ErrorKind::Forbidden);
    refused(
        ws.create_person(dana, &person("Someone", &[Role::CommitteeMember])),
        "acting as Dana Whitfield needs their passphrase",
    );
    refused(ws.set_idle_lock_minutes(dana, 5), "Chen Wei is signed in");
    refused(ws.new_enrolment(dana, member), "Chen Wei is signed in");
    refused(ws.create_unit(None, &unit("ENG")), "sign in");
    // Chen's own acts go through as Chen (and a coordinator's act is still not theirs).
    refused(
        ws.create_unit(Some(member), &unit("ENG")),
        "not a coordinator",
    );
    assert_eq!(entries(&ws), before, "nothing was written");

    // The command line: the passphrase it finds must be the acting person's.
    ws.set_unlocker(Some(Box::new(|_| {
        Ok(credence_app::kernel::secret::Passphrase::new(
            common::PASS.into(),
        ))
    })));
    ws.sign_out();
    ws.set_unlocker(Some(Box::new(|_| {
        Ok(credence_app::kernel::secret::Passphrase::new(
            "a guess at it".into(),
        ))
    })));
    refused(
        ws.create_unit(dana, &unit("ENG")),
        "does not open Dana Whitfield's",
    );
    ws.set_unlocker(Some(Box::new(|p| {
        Err(AppError::forbidden(format!(
            "{}'s passphrase is needed to sign this change: set CREDENCE_PASSPHRASE",
            p.name
        )))
    })));
    refused(
        ws.create_unit(dana, &unit("ENG")),
        "Dana Whitfield's passphrase is needed",
    );
    assert_eq!(entries(&ws), before, "nothing was written");

    // With Dana's own passphrase, Dana acts, and the entry is hers, signed.
    ws.set_unlocker(None);
    ws.sign_in(dana_id, common::PASS).unwrap();
    ws.create_unit(dana, &unit("ENG")).unwrap();
    let report = ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    assert_eq!(
        report.unsigned_history, 1,
        "only the coordinator's creation"
    );
    assert_eq!(report.entries_signed, report.checked - 1);
}

#[test]
fn a_rewritten_old_entry_with_every_hash_recomputed_fails_at_that_entry() {
    let (_dir, path, ws, dana) = common::new_workspace();
    let dana = Some(dana);
    for code in ["ENG", "CS", "ME", "EE"] {
        ws.create_unit(dana, &unit(code)).unwrap();
    }
    assert!(ws.verify_audit().unwrap().holds());
    let target: i64 = 6;

    // A tamperer with the file rewrites who made entry 6 and what it says, then recomputes
    // every hash from there on with SHA-256, so the chain is whole again.
    rewrite_and_rechain(&path, target, "Unit CS", "Unit of Something Else");

    let report = ws.verify_audit().unwrap();
    let broken = report.first_broken.expect("the rewrite is caught");
    assert_eq!(broken.seq, target, "{broken:?}");
    assert!(
        broken
            .reason
            .contains("its signature does not match its content: Dana Whitfield's key did not sign this entry"),
        "{broken:?}"
    );
    assert!(report.head.is_none());
}

/// Rewrites `from` as `to` in entry `seq`'s content, then every hash from there on, as a
/// tamperer with the file and SHA-256 would: the chain is whole again.
fn rewrite_and_rechain(path: &std::path::Path, seq: i64, from: &str, to: &str) {
    common::around_credence(path, |db| {
        db.execute(
            "UPDATE audit_log SET after_json = replace(after_json, ?2, ?3) WHERE seq = ?1",
            args![seq, from, to],
        )
        .unwrap();
        // Every entry, oldest first, as Credence reads them.
        let mut rows: Vec<AuditRecord> =
            credence_store::audit::list(db, None, None, u32::MAX, None)
                .unwrap()
                .into_iter()
                .map(|(record, _)| record)
                .collect();
        rows.reverse();
        let mut prev = credence_app::domain::audit::GENESIS_HASH.to_string();
        for mut r in rows {
            r.prev_hash = prev.clone();
            let hash = r.hash();
            db.execute(
                "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
                args![r.seq, r.prev_hash, hash],
            )
            .unwrap();
            prev = hash;
        }
    });
}

#[test]
fn an_act_carries_one_signature_and_a_change_inside_it_is_named_at_its_first_entry() {
    let (_dir, path, ws, dana) = common::new_workspace();
    ws.create_unit(Some(dana), &unit("ENG")).unwrap();
    // The setup is one act of several entries (from the coordinator's key on: the key, the
    // institution, the taxonomy): one signature, on its last entry; the unit's act, one
    // entry, its own.
    let (first_key, last, signed) = common::around_credence(&path, |db| {
        let one = |sql: &str| -> i64 { db.map_opt(sql, args![], |r| r.get(0)).unwrap().unwrap() };
        let first_key =
            one("SELECT min(seq) FROM audit_log WHERE entity = 'person_key' AND action = 'create'");
        let last = one("SELECT max(seq) FROM audit_log");
        let signed: Vec<i64> = db
            .map(
                "SELECT seq FROM audit_signature ORDER BY seq",
                args![],
                |r| r.get(0),
            )
            .unwrap();
        (first_key, last, signed)
    });
    assert_eq!(signed, [last - 1, last]);
    assert!(
        last - 1 - first_key >= 2,
        "the setup act covers {first_key} to {}",
        last - 1
    );
    let report = ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    assert_eq!(report.entries_signed, (last - first_key + 1) as u64);

    // An entry inside the act rewritten, every hash recomputed: the act's signature no longer
    // holds, and the act is named from its first entry.
    rewrite_and_rechain(&path, first_key + 1, "Northfield", "Southfield");
    let report = ws.verify_audit().unwrap();
    let broken = report.first_broken.expect("the rewrite is caught");
    assert_eq!(broken.seq, first_key, "{broken:?}");
    assert!(
        broken.reason.contains(&format!(
            "the signature of its act (on entry {}, covering entries {first_key} to {})",
            last - 1,
            last - 1
        )),
        "{broken:?}"
    );
}

#[test]
fn an_unsigned_entry_after_the_first_key_is_a_failure_named_at_that_entry() {
    let (_dir, path, ws, dana) = common::new_workspace();
    ws.create_unit(Some(dana), &unit("ENG")).unwrap();
    // An entry appended behind Credence's back, without a signature.
    let seq = common::around_credence(&path, |db| {
        credence_store::audit::append(
            db,
            &credence_store::audit::Actor {
                id: Some(dana),
                name: "Dana Whitfield".into(),
            },
            credence_store::audit::Change {
                entity: "unit",
                entity_id: "99".into(),
                action: "create",
                before: None,
                after: Some(serde_json::json!({"code": "FAKE"})),
            },
        )
        .unwrap()
    });
    let broken = ws.verify_audit().unwrap().first_broken.unwrap();
    assert_eq!(broken.seq, seq);
    assert!(broken.reason.contains("it is not signed"), "{broken:?}");
}

#[test]
fn a_session_locks_when_idle_and_when_someone_else_signs_in_with_the_issuer_keys() {
    let d = common::demo();
    let dana = d.coordinator.unwrap();
    d.ws.set_unlocker(None);
    d.ws.sign_in(dana, "northfield demo").unwrap();
    d.ws.unlock_issuer("demo").unwrap();
    assert!(d.ws.issuer_state().unwrap().unlocked);

    // Signing in as someone else locks Dana's session and the issuer keys she opened.
    let chen = d.ws.person_by_email("chen.wei@northfield.edu").unwrap().id;
    d.ws.sign_in(chen, "northfield demo").unwrap();
    assert!(!d.ws.issuer_state().unwrap().unlocked);

    // Idle past the setting (15 minutes unless set): locked, and a change says why.
    d.ws.sign_in(dana, "northfield demo").unwrap();
    d.ws.unlock_issuer("demo").unwrap();
    assert_eq!(d.ws.idle_lock_minutes().unwrap(), 15);
    // Coordinators change it; the window shows others the setting only.
    assert!(d.ws.idle_lock(Some(dana)).unwrap().may_change);
    assert!(!d.ws.idle_lock(Some(chen)).unwrap().may_change);
    d.ws.pass_idle_time(Duration::from_secs(14 * 60));
    assert!(d.ws.signed_in_person().unwrap().is_some());
    d.ws.touch();
    d.ws.pass_idle_time(Duration::from_secs(14 * 60));
    d.ws.set_idle_lock_minutes(Some(dana), 5).unwrap();
    d.ws.pass_idle_time(Duration::from_secs(5 * 60 + 1));
    refused(
        d.ws.set_idle_lock_minutes(Some(dana), 10),
        "locked after 5 minutes without activity",
    );
    assert!(d.ws.signed_in_person().unwrap().is_none());
    assert!(!d.ws.issuer_state().unwrap().unlocked);
    refused(
        d.ws.set_idle_lock_minutes(Some(dana), 0),
        "between 1 and 480",
    );
}

#[test]
fn an_enrolment_code_works_once_for_its_person_until_it_expires() {
    let (_dir, path, ws, dana) = common::new_workspace();
    let dana = Some(dana);
    let a = ws.create_person(dana, &person("Ana Proposer", &[Role::CommitteeMember]));
    let a = a.unwrap();
    let b = ws
        .create_person(dana, &person("Ben Approver", &[Role::FinalApprover]))
        .unwrap();
    assert_eq!(a.enrolment.code.len(), 14);
    let pass = "ana's own passphrase";
    // Not someone else's code, not none, not a short passphrase.
    refused(
        ws.enrol_with(a.person.id, Some(&b.enrolment.code), pass, KdfParams::MIN),
        "not a valid enrolment code for Ana Proposer",
    );
    refused(
        ws.enrol_with(a.person.id, None, pass, KdfParams::MIN),
        "needs the enrolment code",
    );
    refused(
        ws.enrol_with(
            a.person.id,
            Some(&a.enrolment.code),
            "short",
            KdfParams::MIN,
        ),
        "at least 8 characters",
    );
    // Lower case and without dashes is the same code.
    let typed = a.enrolment.code.to_lowercase().replace('-', "");
    ws.enrol_with(a.person.id, Some(&typed), pass, KdfParams::MIN)
        .unwrap();
    assert_eq!(ws.signed_in_person().unwrap().unwrap().id, a.person.id);
    refused(
        ws.enrol_with(a.person.id, Some(&a.enrolment.code), pass, KdfParams::MIN),
        "has a signing key already",
    );
    // A code past its date is refused; a new one replaces it.
    common::around_credence(&path, |db| {
        db.execute(
            "UPDATE enrolment SET expires_at = '2020-01-01T00:00:00Z' WHERE person_id = ?1",
            args![b.person.id],
        )
        .unwrap()
    });
    refused(
        ws.enrol_with(b.person.id, Some(&b.enrolment.code), pass, KdfParams::MIN),
        "expired on 2020-01-01",
    );
    let again = ws.new_enrolment(dana, b.person.id).unwrap();
    refused(
        ws.enrol_with(b.person.id, Some(&b.enrolment.code), pass, KdfParams::MIN),
        "not a valid enrolment code",
    );
    ws.enrol_with(b.person.id, Some(&again.code), pass, KdfParams::MIN)
        .unwrap();
    // The codes are nowhere in the workspace, only their hashes.
    let text = common::everything_stored(&path);
    assert!(!text.contains(&a.enrolment.code) && !text.contains(&again.code));
    assert!(ws.verify_audit().unwrap().holds());
}

#[test]
fn a_key_registered_without_an_enrolment_code_is_named_by_audit_verify() {
    let (_dir, path, ws, dana) = common::new_workspace();
    let added = ws
        .create_person(Some(dana), &person("Omar Dean", &[Role::FinalApprover]))
        .unwrap();
    // Someone with the file registers a key of their own for Omar, signing the entry with
    // it as a real enrolment would, but with no code a coordinator issued.
    let key = credence_vc::keys::generate().unwrap();
    let sealed = credence_vc::keys::seal(&key, "forged", KdfParams::MIN).unwrap();
    let seq = common::around_credence(&path, |db| {
        credence_store::review::insert_key(
            db,
            added.person.id,
            &sealed.public_key,
            &serde_json::to_string(&sealed).unwrap(),
            "2026-06-01T00:00:00Z",
        )
        .unwrap();
        let seq = credence_store::audit::append(
            db,
            &credence_store::audit::Actor {
                id: Some(added.person.id),
                name: "Omar Dean".into(),
            },
            credence_store::audit::Change {
                entity: "person_key",
                entity_id: added.person.id.to_string(),
                action: "create",
                before: None,
                after: Some(serde_json::json!({"public_key": sealed.public_key})),
            },
        )
        .unwrap();
        let hash = credence_store::audit::hash_of(db, seq).unwrap().unwrap();
        use ed25519_dalek::Signer;
        credence_store::audit::insert_signature(
            db,
            seq,
            &sealed.public_key,
            &hex::encode(key.sign(hash.as_bytes()).to_bytes()),
        )
        .unwrap();
        seq
    });
    let report = ws.verify_audit().unwrap();
    assert!(report.first_broken.is_none(), "the entry itself is signed");
    assert!(
        report
            .statement_problems
            .iter()
            .any(|p| p.contains(&format!(
                "audit entry {seq}: a key was registered for Omar Dean without an enrolment code"
            ))),
        "{report:?}"
    );
}

#[test]
fn the_first_key_is_a_coordinators_and_a_person_without_a_key_cannot_act() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::open(
        &dir.path().join("w.credence"),
        credence_app::OpenMode::CreateIfMissing,
    )
    .unwrap();
    ws.init(&credence_app::domain::institution::InstitutionInput {
        name: "Northfield University".into(),
        country: "US".into(),
        url: None,
        email: None,
    })
    .unwrap();
    // Before anyone holds a key, the workspace is being set up: nothing to sign with.
    let dana = ws
        .create_person(None, &person("Dana Whitfield", &[Role::Coordinator]))
        .unwrap()
        .person
        .id;
    let priya = ws
        .create_person(Some(dana), &person("Priya Raman", &[Role::CommitteeMember]))
        .unwrap()
        .person
        .id;
    assert!(!ws.sign_in_required().unwrap());
    refused(
        ws.create_signing_key_with(Some(priya), common::PASS, KdfParams::MIN),
        "the workspace's first signing key is a coordinator's",
    );
    ws.create_signing_key_with(Some(dana), common::PASS, KdfParams::MIN)
        .unwrap();
    assert!(ws.sign_in_required().unwrap());
    // From now on Priya acts only once she has enrolled.
    refused(
        ws.create_proposal(Some(priya), &common::compliant("Robotics", 1)),
        "Priya Raman has no signing key yet",
    );
    let report = ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    assert!(report.unsigned_history >= 3, "{report:?}");
}
