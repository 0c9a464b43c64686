//! Awarding against a real SQLite file (the demo workspace): issuing from a roster, files
//! that verify, tampering that fails, idempotent rosters, bad rows, revocation through an
//! exported status list, key rotation, the EU elements, and who may do what.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use common::{audit_len, demo, keep_issued, Demo};
use credence_app::certificates::award_files::AwardFormat;
use credence_app::domain::award::{AwardCorrection, LearnerInput};
use credence_app::domain::person::{PersonInput, Role};
use credence_app::issuing::IssuingSettings;
use credence_app::{AuditQuery, ErrorKind};
use credence_store::sql::Engine;
use credence_vc::keys::KdfParams;
use credence_vc::status_list;
use credence_vc::verify::{Outcome, Report};

fn learner(name: &str, email: &str) -> LearnerInput {
    LearnerInput {
        name: name.into(),
        email: email.into(),
        completed_on: "2026-11-02".into(),
        grade: "A".into(),
        evidence_url: "https://portfolio.example.org/work/1".into(),
        evidence_note: "Final dashboard project".into(),
        ..Default::default()
    }
}

/// Unlocks the issuer key and issues the demo's microcredential to `learners`.
fn unlock_and_issue(d: &Demo, learners: &[LearnerInput]) -> credence_app::issuing::IssueReport {
    d.ws.unlock_issuer("demo").unwrap();
    d.ws.issue(d.coordinator, &d.slug, learners).unwrap()
}

/// Issues the demo's microcredential to Ana Lima (the keys unlocked).
fn issue_ana(d: &Demo) -> credence_app::issuing::IssueReport {
    d.ws.issue(
        d.coordinator,
        &d.slug,
        &[learner("Ana Lima", "ana@example.org")],
    )
    .unwrap()
}

fn check<'a>(report: &'a Report, name: &str) -> &'a credence_vc::verify::Check {
    report
        .checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no {name} check in {report:?}"))
}

#[test]
fn issued_files_verify_and_any_changed_byte_fails() {
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let report = issue_ana(&d);
    assert_eq!(report.new_count(), 1);
    let award = &report.rows[0].award;
    let files = d.ws.award_files(&award.id).unwrap();
    // Open Badges types activityEndDate as a DateTime: the completion day, at noon UTC.
    let c: serde_json::Value = serde_json::from_str(&files.json).unwrap();
    assert_eq!(
        c["credentialSubject"]["activityEndDate"],
        "2026-11-02T12:00:00Z"
    );
    keep_issued(&d.ws, "app-issued");
    for (what, bytes) in [
        ("json", files.json.as_bytes().to_vec()),
        ("png", files.png.clone()),
        ("svg", files.svg.clone().unwrap().into_bytes()),
    ] {
        let r = d.ws.verify_credential(&bytes);
        assert!(r.verified(), "{what}: {r:?}");
        assert_eq!(check(&r, "schema").outcome, Outcome::Pass, "{what}");
        assert_eq!(check(&r, "status").outcome, Outcome::Pass, "{what}");
    }
    // The credential is tied to the version it was issued under.
    let credential: serde_json::Value = serde_json::from_str(&files.json).unwrap();
    let achievement = &credential["credentialSubject"]["achievement"];
    assert!(achievement["id"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/achievements/{}/v{}", d.slug, award.version)));
    assert_eq!(achievement["achievementType"], "MicroCredential");

    // One byte changed in each signed text field: the signature check fails, by name.
    for field in [
        "Ana Lima",
        "Data Visualization",
        "Northfield University",
        "MicroCredential",
        "https://portfolio.example.org/work/1",
    ] {
        let pos = files
            .json
            .find(field)
            .unwrap_or_else(|| panic!("{field} is in the credential"));
        let mut bytes = files.json.clone().into_bytes();
        bytes[pos + 1] ^= 0x01;
        let r = d.ws.verify_credential(&bytes);
        assert!(!r.verified(), "changing {field} must fail");
        assert_eq!(check(&r, "signature").outcome, Outcome::Fail, "{field}");
        assert!(
            check(&r, "signature")
                .message
                .contains("changed after signing"),
            "{field}: {}",
            check(&r, "signature").message
        );
    }
    // The same inside the baked PNG.
    let png = files.png.clone();
    let pos = png.windows(8).position(|w| w == b"Ana Lima").unwrap();
    let mut tampered = png;
    tampered[pos] = b'E';
    let r = d.ws.verify_credential(&tampered);
    assert!(!r.verified());
}

#[test]
fn the_same_roster_twice_issues_nothing_new() {
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let roster = "name,email,completed_on,grade\n\
                  Ana Lima,ana@example.org,2026-11-02,A\n\
                  Ben Okafor,BEN@example.org,2026-11-02,\n";
    let first = d.ws.issue_roster(d.coordinator, &d.slug, roster).unwrap();
    assert_eq!(first.new_count(), 2);
    let entries = audit_len(&d.ws, None);
    let again = d.ws.issue_roster(d.coordinator, &d.slug, roster).unwrap();
    assert_eq!(again.new_count(), 0);
    assert_eq!(again.rows[1].award.id, first.rows[1].award.id);
    assert_eq!(
        audit_len(&d.ws, None),
        entries,
        "nothing recorded the second time"
    );
    // Another completion date is another award.
    let later = roster.replace("2026-11-02,A", "2026-11-09,A");
    assert_eq!(
        d.ws.issue_roster(d.coordinator, &d.slug, &later)
            .unwrap()
            .new_count(),
        1
    );
}

#[test]
fn a_bad_row_issues_nothing_and_each_problem_is_named() {
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let before = d.ws.awards("", 1000).unwrap().len();
    let entries = audit_len(&d.ws, None);
    let roster = "name,email,completed_on\n\
                  Ana Lima,ana@example.org,2026-11-02\n\
                  Ben Okafor,not-an-email,2026-11-02\n\
                  ,cy@example.org,02/11/2026\n\
                  Ana Again,ana@example.org,2026-11-02\n";
    let e =
        d.ws.issue_roster(d.coordinator, &d.slug, roster)
            .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid);
    let named: Vec<String> = e.fields.iter().map(|f| f.field.clone()).collect();
    assert_eq!(
        named,
        [
            "row 3: email",
            "row 4: name",
            "row 4: completed_on",
            "row 5: email"
        ],
        "{:?}",
        e.fields
    );
    assert_eq!(d.ws.awards("", 1000).unwrap().len(), before);
    assert_eq!(audit_len(&d.ws, None), entries);
    // A header without email, or with an unknown column, is refused by name.
    let e =
        d.ws.issue_roster(d.coordinator, &d.slug, "name,mail\nAna,ana@example.org\n")
            .unwrap_err();
    assert!(
        e.fields[0].message.contains("missing: email")
            && e.fields[0].message.contains("not recognized: mail")
    );
}

#[test]
fn a_revoked_credential_verifies_as_revoked_against_the_exported_list() {
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let report = issue_ana(&d);
    let award = report.rows[0].award.clone();
    let files = d.ws.award_files(&award.id).unwrap();
    d.ws.revoke(
        d.coordinator,
        std::slice::from_ref(&award.credential_id),
        "Academic misconduct finding",
    )
    .unwrap();
    // Revoking twice is refused by name.
    let e =
        d.ws.revoke(
            d.coordinator,
            std::slice::from_ref(&award.credential_id),
            "again",
        )
        .unwrap_err();
    assert!(e.fields[0].message.contains("already revoked"));
    keep_issued(&d.ws, "app-revoked");

    let lists = d.ws.status_list_credentials().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, credential) in &lists {
        // Each list is itself a signed credential that verifies.
        status_list::from_credential(credential).unwrap();
        std::fs::write(
            dir.path().join(name),
            serde_json::to_vec(credential).unwrap(),
        )
        .unwrap();
    }
    let file = dir.path().join("badge.png");
    std::fs::write(&file, &files.png).unwrap();
    let r = credence_app::issuing::verification::verify_file(&file, Some(dir.path()));
    assert!(!r.verified());
    assert_eq!(
        check(&r, "status").message,
        "it has been revoked by its issuer"
    );
    // The workspace's own lists say the same.
    assert_eq!(
        check(&d.ws.verify_credential(&files.png), "status").outcome,
        Outcome::Fail
    );

    d.ws.reinstate(
        d.coordinator,
        std::slice::from_ref(&award.id),
        "Finding overturned on appeal",
    )
    .unwrap();
    for (name, credential) in &d.ws.status_list_credentials().unwrap() {
        std::fs::write(
            dir.path().join(name),
            serde_json::to_vec(credential).unwrap(),
        )
        .unwrap();
    }
    let r = credence_app::issuing::verification::verify_file(&file, Some(dir.path()));
    assert!(r.verified(), "{r:?}");
}

#[test]
fn rotation_signs_new_credentials_with_a_new_key_and_keeps_the_old_list_signed() {
    let d = demo();
    let before = d.ws.issuer_state().unwrap();
    let old_did = before.keys[0].did.clone();
    let entries = audit_len(&d.ws, None);
    let e =
        d.ws.rotate_issuer_key(d.coordinator, "wrong", None)
            .unwrap_err();
    assert_eq!(e.fields[0].field, "passphrase");
    assert_eq!(
        audit_len(&d.ws, None),
        entries,
        "a refused rotation changes nothing"
    );

    let new =
        d.ws.rotate_issuer_key_with(
            d.coordinator,
            "demo",
            Some("a longer passphrase"),
            KdfParams::MIN,
        )
        .unwrap();
    assert_ne!(new.did, old_did);
    let state = d.ws.issuer_state().unwrap();
    assert_eq!(state.keys.len(), 2);
    assert!(state
        .keys
        .iter()
        .any(|k| k.did == old_did && k.retired_at.is_some()));
    let report = issue_ana(&d);
    assert_eq!(report.rows[0].award.issuer_did, new.did);
    let lists = d.ws.status_list_credentials().unwrap();
    assert_eq!(lists.len(), 2, "one list per key");
    let issuers: Vec<&str> = lists
        .iter()
        .map(|(_, c)| c["issuer"].as_str().unwrap())
        .collect();
    assert!(issuers.contains(&old_did.as_str()) && issuers.contains(&new.did.as_str()));
    keep_issued(&d.ws, "app-rotated");
    // Every key now opens with the new passphrase only.
    d.ws.lock_issuer();
    assert!(d.ws.unlock_issuer("demo").is_err());
    d.ws.unlock_issuer("a longer passphrase").unwrap();

    // The DID document names the current key, and no private material leaves anywhere.
    let doc = d.ws.issuer_did_document().unwrap();
    assert_eq!(doc["id"], new.did);
    let everything = serde_json::to_string(
        &d.ws
            .audit(
                None,
                &AuditQuery {
                    entity: None,
                    entity_id: None,
                    before_seq: None,
                    limit: Some(1000),
                },
            )
            .unwrap(),
    )
    .unwrap()
        + &doc.to_string()
        + &format!("{e:?}");
    let sealed: Vec<String> = common::around_credence(d.ws.path(), |db| {
        db.map(
            "SELECT sealed FROM issuer_key",
            credence_store::args![],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(sealed.len(), 2);
    for s in sealed {
        let s: serde_json::Value = serde_json::from_str(&s).unwrap();
        for part in ["ciphertext", "nonce", "salt"] {
            let secret = s[part].as_str().unwrap();
            assert!(!everything.contains(secret), "the key's {part} leaked");
        }
    }
}

/// A member of issuing staff (not a coordinator), enrolled with the demo's passphrase.
fn add_event_staff(d: &Demo) -> i64 {
    common::add_person(
        &d.ws,
        d.coordinator,
        &PersonInput {
            name: "Event Staff".into(),
            email: "staff@northfield.edu".into(),
            unit_id: None,
            roles: vec![Role::Issuer],
        },
        "northfield demo",
    )
    .id
}

#[test]
fn locked_keys_and_the_wrong_people_are_refused() {
    let d = demo();
    let one = [learner("Ana Lima", "ana@example.org")];
    let e = d.ws.issue(d.coordinator, &d.slug, &one).unwrap_err();
    assert!(
        e.message.contains("unlock") || e.fields[0].message.contains("unlock"),
        "{e:?}"
    );
    assert!(d.ws.unlock_issuer("wrong").is_err());

    let staff = add_event_staff(&d);
    let proposer = d.ws.person_by_email("priya.raman@northfield.edu").unwrap();
    d.ws.unlock_issuer("demo").unwrap();
    let e = d.ws.issue(Some(proposer.id), &d.slug, &one).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    // Acting as someone else locks the keys; the staff member signs in and unlocks them.
    d.ws.sign_in(staff, "northfield demo").unwrap();
    d.ws.unlock_issuer("demo").unwrap();
    let report = d.ws.issue(Some(staff), &d.slug, &one).unwrap();
    let e =
        d.ws.revoke(Some(staff), &[report.rows[0].award.id.clone()], "no")
            .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "issuing staff do not revoke");
    let e = d.ws.issue(Some(staff), "no-such-badge", &one).unwrap_err();
    assert_eq!(e.fields[0].field, "credential");
}

#[test]
fn the_issuer_keys_and_the_acting_persons_key_open_together() {
    let d = demo();
    let one = [learner("Ana Lima", "ana@example.org")];
    let staff = add_event_staff(&d);
    d.ws.sign_out();
    // A wrong issuer passphrase is the error reported, though the person's key opens.
    let e = d.ws.unlock_issuer_as(Some(staff), "wrong").unwrap_err();
    assert_eq!(e.fields[0].field, "passphrase", "{e:?}");
    assert!(
        d.ws.issue(Some(staff), &d.slug, &one).is_err(),
        "still locked"
    );
    // The person's key that does not open is reported too, and nothing is unlocked.
    d.ws.sign_out();
    d.ws.set_unlocker(Some(Box::new(|_| {
        Ok(credence_app::kernel::secret::Passphrase::new(
            "a guess".into(),
        ))
    })));
    let e = d.ws.unlock_issuer_as(Some(staff), "demo").unwrap_err();
    assert!(format!("{e:?}").contains("does not open"), "{e:?}");
    assert!(d.ws.signed_in_person().unwrap().is_none());
    assert!(
        d.ws.issue(Some(staff), &d.slug, &one).is_err(),
        "still locked"
    );
    // Both open: the staff member is signed in, the issuer keys stay unlocked, and the
    // award is theirs (another person signed in before is replaced, not left holding them).
    d.ws.sign_in(d.coordinator.unwrap(), "northfield demo")
        .unwrap();
    d.ws.set_unlocker(Some(Box::new(|_| {
        Ok(credence_app::kernel::secret::Passphrase::new(
            "northfield demo".into(),
        ))
    })));
    d.ws.unlock_issuer_as(Some(staff), "demo").unwrap();
    assert_eq!(d.ws.signed_in_person().unwrap().unwrap().id, staff);
    let report = d.ws.issue(Some(staff), &d.slug, &one).unwrap();
    assert_eq!(report.rows.len(), 1);
    assert!(report.rows[0].new);
}

#[test]
fn the_eu_elements_are_required_when_the_institution_opts_in() {
    let d = demo();
    let mut settings = d.ws.issuing_settings().unwrap();
    settings.eu_recommendation = true;
    d.ws.set_issuing_settings(d.coordinator, &settings).unwrap();
    d.ws.unlock_issuer("demo").unwrap();
    // The demo's microcredential gives every element, so the credential carries them, in
    // the inline EU context, and still verifies (and matches the Open Badges schema).
    let report = issue_ana(&d);
    let files = d.ws.award_files(&report.rows[0].award.id).unwrap();
    let c: serde_json::Value = serde_json::from_str(&files.json).unwrap();
    let a = &c["credentialSubject"]["achievement"];
    assert!(a["euLearningOutcome"]
        .as_array()
        .is_some_and(|o| !o.is_empty()));
    assert!(a["euQualityAssurance"].is_string() && a["euParticipationForm"].is_string());
    assert_eq!(c["@context"].as_array().unwrap().len(), 4);
    assert_eq!(c["issuer"]["address"]["addressCountryCode"], "US");
    let r = d.ws.verify_credential(files.json.as_bytes());
    assert!(r.verified(), "{r:?}");
    keep_issued(&d.ws, "app-eu");
    let e =
        d.ws.set_issuing_settings(
            d.coordinator,
            &IssuingSettings {
                base_url: Some("ftp://nope".into()),
                cryptosuite: "rsa".into(),
                eu_recommendation: false,
                verify_url: None,
                linkedin_organization_id: Some("northfield-university".into()),
                expiry_notice_days: 0,
            },
        )
        .unwrap_err();
    let named: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        named,
        [
            "base_url",
            "linkedin_organization_id",
            "expiry_notice_days",
            "cryptosuite"
        ]
    );
}

#[test]
fn credentials_signed_with_eddsa_jcs_2022_verify() {
    let d = demo();
    let mut settings = d.ws.issuing_settings().unwrap();
    settings.cryptosuite = "eddsa-jcs-2022".into();
    d.ws.set_issuing_settings(d.coordinator, &settings).unwrap();
    d.ws.unlock_issuer("demo").unwrap();
    let report = issue_ana(&d);
    let files = d.ws.award_files(&report.rows[0].award.id).unwrap();
    let r = d.ws.verify_credential(&files.png);
    assert!(r.verified(), "{r:?}");
    assert!(
        check(&r, "signature").message.contains("eddsa-jcs-2022"),
        "{r:?}"
    );
    keep_issued(&d.ws, "app-jcs");
}

#[test]
fn a_large_roster_signed_on_every_core_keeps_roster_order_and_unique_status_indices() {
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    // Some learners already hold the award: they come back in their place, not re-signed.
    let early: Vec<LearnerInput> = (0..3)
        .map(|i| learner(&format!("Learner {i}"), &format!("l{i}@example.org")))
        .collect();
    d.ws.issue(d.coordinator, &d.slug, &early).unwrap();
    let roster: Vec<LearnerInput> = (0..300)
        .map(|i| learner(&format!("Learner {i}"), &format!("l{i}@example.org")))
        .collect();
    let report = d.ws.issue(d.coordinator, &d.slug, &roster).unwrap();
    assert_eq!(report.rows.len(), 300);
    assert_eq!(report.new_count(), 297);
    for (i, row) in report.rows.iter().enumerate() {
        assert_eq!(
            row.award.learner_name,
            format!("Learner {i}"),
            "roster order"
        );
        assert_eq!(row.new, i >= 3);
    }
    // Every credential verifies and names its own status index.
    let mut writer = d.ws.award_writer(&[AwardFormat::Json]).unwrap();
    let mut indices = std::collections::HashSet::new();
    for row in report.rows.iter().filter(|r| r.new) {
        let bytes = &writer.files(&row.award).unwrap()[0].bytes;
        assert!(d.ws.verify_credential(bytes).verified());
        let c: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        let entry = c["credentialStatus"]["id"].as_str().unwrap().to_string();
        assert!(indices.insert(entry), "a status index given twice");
    }
    assert!(d.ws.verify_audit().unwrap().holds());
}

/// Bulk revocation from a file (a CSV of ids or emails): all or none, each problem named by
/// its row; then every award listed revoked with the one reason, each audited.
#[test]
fn a_list_of_awards_is_revoked_all_or_none() {
    let d = demo();
    let report = unlock_and_issue(
        &d,
        &[
            learner("Ada Obi", "ada.obi@example.org"),
            learner("Bo Lin", "bo.lin@example.org"),
        ],
    );
    let bo = report.rows[1].award.credential_id.clone();
    let before = audit_len(&d.ws, Some("award"));
    // One name is nobody's: nothing is revoked, and the row is named.
    let bad = format!("email\nada.obi@example.org\nnobody@example.org\n{bo}\n");
    let err =
        d.ws.revoke_listed(d.coordinator, &bad, "Cohort cancelled")
            .unwrap_err();
    assert_eq!(err.fields.len(), 1, "{err:?}");
    assert_eq!(err.fields[0].field, "row 3: nobody@example.org");
    assert!(d
        .ws
        .awards("", 500)
        .unwrap()
        .iter()
        .all(|a| a.revoked_at.is_none() || !a.learner_email.ends_with("obi@example.org")));
    assert_eq!(audit_len(&d.ws, Some("award")), before);
    // A plain list, one per line (an email and a credential id): both revoked.
    let revoked =
        d.ws.revoke_listed(
            d.coordinator,
            &format!("ada.obi@example.org\n{bo}\n"),
            "Cohort cancelled",
        )
        .unwrap();
    assert_eq!(revoked.len(), 2);
    for a in d.ws.awards("example.org", 500).unwrap() {
        if a.learner_email == "ada.obi@example.org" || a.learner_email == "bo.lin@example.org" {
            assert_eq!(a.revoked_reason.as_deref(), Some("Cohort cancelled"));
        }
    }
    assert_eq!(audit_len(&d.ws, Some("award")), before + 2);
}

/// A correction is one act: the misspelled award revoked as superseded and linked to a new
/// one for the same learner, date and version, whose credential carries the right name.
#[test]
fn a_misspelled_name_is_corrected_by_a_new_award_that_supersedes_the_old() {
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let report =
        d.ws.issue(
            d.coordinator,
            &d.slug,
            &[learner("Zoe Angstrom", "zoe.a@example.org")],
        )
        .unwrap();
    let old = report.rows[0].award.clone();
    let fixed = AwardCorrection {
        name: Some("Zoë Ångström".into()),
        ..Default::default()
    };
    let new =
        d.ws.correct_award(d.coordinator, &old.id, &fixed, "Name misspelled")
            .unwrap();
    assert_eq!(new.learner_name, "Zoë Ångström");
    assert_eq!(
        (new.version, new.completed_on.as_str()),
        (old.version, old.completed_on.as_str())
    );
    assert_eq!(new.supersedes.as_deref(), Some(old.id.as_str()));
    let old_now = d.ws.award(&old.id).unwrap();
    assert_eq!(old_now.superseded_by.as_deref(), Some(new.id.as_str()));
    assert_eq!(
        old_now.revoked_reason.as_deref(),
        Some("superseded: Name misspelled")
    );
    assert_eq!(
        d.ws.award(&new.id).unwrap().supersedes.as_deref(),
        Some(old.id.as_str())
    );
    // The new credential names the learner rightly and verifies; the old one is revoked.
    let pdf = d.ws.award_certificate(&new.id).unwrap();
    let verdict = d.ws.verify_credential(&pdf);
    assert!(verdict.verified(), "{verdict:?}");
    assert!(common::pdf_text(&pdf).contains("Zoë Ångström"));
    assert!(d.ws.award_certificate(&old.id).is_err());
    // Audited as one act, the chain holding.
    let entries =
        d.ws.audit(
            None,
            &AuditQuery {
                entity: Some("award".into()),
                entity_id: Some(old.id.clone()),
                before_seq: None,
                limit: Some(10),
            },
        )
        .unwrap();
    assert!(entries.iter().any(|e| e.action == "correct"), "{entries:?}");
    assert!(d.ws.verify_audit().unwrap().holds());
    // The old one stays revoked and is corrected once; a correction must change something.
    let err =
        d.ws.reinstate(d.coordinator, std::slice::from_ref(&old.id), "Oops")
            .unwrap_err();
    assert!(
        err.fields[0].message.contains("was corrected by award"),
        "{err:?}"
    );
    let err =
        d.ws.correct_award(d.coordinator, &old.id, &fixed, "Again")
            .unwrap_err();
    assert_eq!(err.fields[0].field, "award");
    let err =
        d.ws.correct_award(d.coordinator, &new.id, &fixed, "Nothing")
            .unwrap_err();
    assert_eq!(err.fields[0].field, "name");
    // A wrong date is corrected the same way.
    let later = AwardCorrection {
        completed_on: Some("2026-01-15".into()),
        ..Default::default()
    };
    let dated =
        d.ws.correct_award(d.coordinator, &new.id, &later, "Wrong completion date")
            .unwrap();
    assert_eq!(dated.completed_on, "2026-01-15");
}

/// A roster of `n` learners with no completion dates.
fn undated_roster(n: usize) -> Vec<LearnerInput> {
    (0..n)
        .map(|i| LearnerInput {
            name: format!("Learner {i}"),
            email: format!("learner{i}@example.org"),
            ..Default::default()
        })
        .collect()
}

/// Learners checked for a batch.
fn checked(learners: &[LearnerInput]) -> credence_app::issuing::CheckedLearners {
    credence_app::issuing::checked_learners(learners.to_vec()).expect("checked")
}

#[test]
fn a_roster_batch_commits_in_chunks_cancels_resumes_and_closes() {
    use credence_app::issuing::batch::{BatchState, CHUNK};
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let roster = undated_roster(CHUNK * 2 + 50);
    let (batch, found) =
        d.ws.start_batch(d.coordinator, &d.slug, checked(&roster))
            .unwrap();
    assert!(!found);
    assert_eq!(
        (batch.total as usize, batch.done, batch.state),
        (roster.len(), 0, BatchState::Running)
    );
    assert!(batch.may_resume && !batch.may_cancel && !batch.active);

    // Cancelled after its first chunk: the chunk stays issued; the window could read
    // (and list the batch as running here) between chunks.
    let mut seen = Vec::new();
    let stopped =
        d.ws.run_batch(d.coordinator, &batch.id, &mut |b, rows| {
            seen.push((b.done, rows.len(), rows.iter().all(|r| r.new)));
            let listed = d.ws.batches()?;
            assert!(listed[0].active && listed[0].may_cancel && !listed[0].may_resume);
            assert_eq!(d.ws.awards("learner", 1000)?.len(), b.done as usize);
            d.ws.cancel_batch(d.coordinator, &b.id)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, [(CHUNK as u32, CHUNK, true)]);
    assert_eq!(
        (stopped.state, stopped.done, stopped.issued),
        (BatchState::Cancelled, CHUNK as u32, CHUNK as u32)
    );
    assert!(stopped.may_resume && stopped.may_close && !stopped.active);

    // The same roster again finds it and goes on from the first learner not issued; the
    // completion date stays the day it started.
    let (again, found) =
        d.ws.start_batch(d.coordinator, &d.slug, checked(&roster))
            .unwrap();
    assert!(found);
    assert_eq!(again.id, batch.id);
    let mut chunks = 0;
    let done =
        d.ws.run_batch(d.coordinator, &batch.id, &mut |_, _| {
            chunks += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(chunks, 2);
    assert_eq!(
        (done.state, done.done as usize, done.issued as usize),
        (BatchState::Finished, roster.len(), roster.len())
    );
    assert!(!done.may_resume && !done.may_close);
    let rows = d.ws.batch_rows(&batch.id, 0, roster.len()).unwrap();
    assert_eq!(rows.len(), roster.len());
    assert!(rows
        .iter()
        .all(|r| r.new && r.award.completed_on == batch.started_on));
    let actions: Vec<String> =
        d.ws.audit(
            d.coordinator,
            &AuditQuery {
                entity: Some("issue_batch".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["finish", "resume", "cancel", "start"]);
    // Its files saved, a folder per award with its certificate, and the manifest.
    let saved = tempfile::tempdir().unwrap();
    d.ws.save_batch_files(
        &batch.id,
        saved.path(),
        &[AwardFormat::Json, AwardFormat::Pdf],
    )
    .unwrap();
    let manifest = std::fs::read_to_string(saved.path().join("manifest.csv")).unwrap();
    assert_eq!(manifest.lines().count(), roster.len() + 1);
    let first = &rows[0].award.id;
    assert!(manifest.contains(&format!(
        "{first}/credential.json;{first}/certificate.pdf,yes"
    )));
    let pdf = std::fs::read(saved.path().join(first).join("certificate.pdf")).unwrap();
    assert!(d.ws.verify_credential(&pdf).verified());
    // Finished, the roster given again issues nothing and reports the same batch.
    let (same, found) =
        d.ws.start_batch(d.coordinator, &d.slug, checked(&roster))
            .unwrap();
    assert!(found && same.id == batch.id);
    let same =
        d.ws.run_batch(d.coordinator, &same.id, &mut |_, _| panic!("no chunk"))
            .unwrap();
    assert_eq!(same.state, BatchState::Finished);
    assert!(d.ws.verify_audit().unwrap().holds());

    // A progress error stops the run with the chunk committed; closed, the batch runs no
    // more, and the roster given again starts a new batch that issues the rest.
    let other = undated_roster(CHUNK * 2 + 1);
    let other: Vec<LearnerInput> = other
        .into_iter()
        .map(|l| LearnerInput {
            email: l.email.replace("learner", "other"),
            ..l
        })
        .collect();
    let (second, _) =
        d.ws.start_batch(d.coordinator, &d.slug, checked(&other))
            .unwrap();
    let e =
        d.ws.run_batch(d.coordinator, &second.id, &mut |_, _| {
            Err(credence_app::AppError::field("out", "the disk is full"))
        })
        .unwrap_err();
    assert_eq!(e.fields[0].message, "the disk is full");
    let second = d.ws.batch(&second.id).unwrap();
    assert_eq!(
        (second.state, second.done),
        (BatchState::Running, CHUNK as u32)
    );
    let closed = d.ws.close_batch(d.coordinator, &second.id).unwrap();
    assert_eq!(closed.state, BatchState::Closed);
    assert!(d
        .ws
        .run_batch(d.coordinator, &second.id, &mut |_, _| Ok(()))
        .is_err());
    let (third, found) =
        d.ws.start_batch(d.coordinator, &d.slug, checked(&other))
            .unwrap();
    assert!(!found && third.id != second.id);
    let third =
        d.ws.run_batch(d.coordinator, &third.id, &mut |_, _| Ok(()))
            .unwrap();
    assert_eq!(
        (third.done as usize, third.issued as usize),
        (other.len(), other.len() - CHUNK)
    );
}

#[test]
fn a_batch_checks_every_row_first_and_only_issuers_run_one() {
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let mut roster = undated_roster(3);
    roster[2].email = "not an email".into();
    let e = credence_app::issuing::checked_learners(roster).unwrap_err();
    assert_eq!(e.fields[0].field, "row 4: email");
    assert!(d.ws.batches().unwrap().is_empty());
    let proposer = d.ws.person_by_email("priya.raman@northfield.edu").unwrap();
    let e =
        d.ws.start_batch(Some(proposer.id), &d.slug, checked(&undated_roster(2)))
            .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
}

#[test]
fn a_batchs_complete_files_are_recorded_as_they_are_synced() {
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let (batch, _) =
        d.ws.start_batch(d.coordinator, &d.slug, checked(&undated_roster(5)))
            .unwrap();
    let files_done = || d.ws.batch_files_done(&batch.id, "out", "json").unwrap();
    // The workspace free, each chunk's files are recorded as they are synced.
    let mut record = d.ws.batch_files_record(&batch.id, "out", "json", 0);
    record.synced(2).unwrap();
    assert_eq!(files_done(), 2);
    record.synced(5).unwrap();
    assert_eq!(files_done(), 5);
    record.finish().unwrap();
    assert_eq!(files_done(), 5);
    assert_eq!(
        d.ws.batch_files_done(&batch.id, "elsewhere", "json")
            .unwrap(),
        0
    );
}

#[test]
fn a_manifest_from_a_runs_rows_is_the_one_read_back() {
    // Some learners held their award before the batch: their rows are not new.
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let roster = undated_roster(230);
    d.ws.issue(d.coordinator, &d.slug, &roster[100..103])
        .unwrap();
    let (batch, _) =
        d.ws.start_batch(d.coordinator, &d.slug, checked(&roster))
            .unwrap();
    let mut rows = Vec::new();
    d.ws.run_batch(d.coordinator, &batch.id, &mut |_, chunk| {
        rows.extend(chunk);
        Ok(())
    })
    .unwrap();
    assert_eq!(rows.iter().filter(|r| !r.new).count(), 3);
    let writer = d.ws.award_writer(&AwardFormat::BUNDLE).unwrap();
    let (kept, read) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    d.ws.write_batch_manifest_from(&batch.id, &rows, kept.path(), &writer)
        .unwrap();
    d.ws.write_batch_manifest(&batch.id, read.path(), &writer)
        .unwrap();
    for name in ["manifest.csv", "mail-merge.csv"] {
        let kept = std::fs::read_to_string(kept.path().join(name)).unwrap();
        assert_eq!(
            kept,
            std::fs::read_to_string(read.path().join(name)).unwrap()
        );
        assert_eq!(kept.lines().count(), 231, "{name}");
    }
    // Rows that are not the whole roster (a resumed run's) are read back instead.
    let part = tempfile::tempdir().unwrap();
    d.ws.write_batch_manifest_from(&batch.id, &rows[200..], part.path(), &writer)
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(part.path().join("manifest.csv")).unwrap(),
        std::fs::read_to_string(read.path().join("manifest.csv")).unwrap()
    );
}

#[test]
fn a_learner_bundle_holds_their_page_their_files_and_one_zip_of_them() {
    use std::io::Read as _;
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let roster = [learner("Ελένη Νικολάου", "eleni@example.org")];
    let (batch, _) =
        d.ws.start_batch(d.coordinator, &d.slug, checked(&roster))
            .unwrap();
    d.ws.run_batch(d.coordinator, &batch.id, &mut |_, _| Ok(()))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    d.ws.save_batch_files(&batch.id, out.path(), &AwardFormat::BUNDLE)
        .unwrap();
    let award = &d.ws.batch_rows(&batch.id, 0, 1).unwrap()[0].award;
    let folder = out.path().join(&award.id);

    let page = std::fs::read_to_string(folder.join("index.html")).unwrap();
    assert!(page.contains("Awarded to <strong dir=\"auto\">Ελένη Νικολάου</strong>"));
    assert!(page.contains(&format!("<code>{}</code>", award.credential_id)));
    // LinkedIn's "Add to profile": the certification, the demo's organization id, the month.
    let linkedin = format!(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;name={}&amp;organizationId=90412873&amp;issueYear={}&amp;issueMonth={}",
        award.microcredential.replace(' ', "%20"),
        &award.issued_at[0..4],
        award.issued_at[5..7].parse::<u32>().unwrap()
    );
    assert!(page.contains(&linkedin), "{page}");
    for name in [
        "credential.json",
        "badge.png",
        "badge.svg",
        "certificate.pdf",
        "bundle.zip",
    ] {
        assert!(
            page.contains(&format!("href=\"{name}\" download")),
            "{name}"
        );
        assert!(folder.join(name).is_file(), "{name}");
    }

    // The ZIP: every file, its own page linking what is beside it (not the ZIP), and a
    // credential that verifies.
    let bytes = std::fs::read(folder.join("bundle.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "badge.png",
            "badge.svg",
            "certificate.pdf",
            "credential.json",
            "index.html"
        ]
    );
    let mut inner = String::new();
    zip.by_name("index.html")
        .unwrap()
        .read_to_string(&mut inner)
        .unwrap();
    assert!(inner.contains("href=\"certificate.pdf\"") && !inner.contains("bundle.zip"));
    let mut credential = Vec::new();
    zip.by_name("credential.json")
        .unwrap()
        .read_to_end(&mut credential)
        .unwrap();
    assert_eq!(
        credential,
        std::fs::read(folder.join("credential.json")).unwrap()
    );
    assert!(d.ws.verify_credential(&credential).verified());

    // The mailer's list: the learner, their page and ZIP, and no verification page (the demo
    // has none).
    let mail = std::fs::read_to_string(out.path().join("mail-merge.csv")).unwrap();
    assert_eq!(
        mail,
        format!(
            "name,email,bundle,zip,verification_url\nΕλένη Νικολάου,eleni@example.org,{0}/index.html,{0}/bundle.zip,\n",
            award.id
        )
    );

    // A revoked award gives no page, no ZIP and no certificate to hand out.
    d.ws.revoke(
        d.coordinator,
        std::slice::from_ref(&award.id),
        "Issued in error",
    )
    .unwrap();
    let revoked = d.ws.award(&award.id).unwrap();
    let files =
        d.ws.award_writer(&AwardFormat::BUNDLE)
            .unwrap()
            .files(&revoked)
            .unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.name).collect();
    assert_eq!(names, ["credential.json", "badge.png", "badge.svg"]);
}

#[test]
fn awards_are_written_as_each_platforms_bulk_file_and_read_back() {
    use credence_app::domain::formats::platforms::Platform;
    use credence_app::domain::formats::roster;
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let roster_in = [
        learner("José García Márquez", "jose@example.org"),
        learner("=HYPERLINK(\"http://evil.example\") Doe", "doe@example.org"),
    ];
    let (batch, _) =
        d.ws.start_batch(d.coordinator, &d.slug, checked(&roster_in))
            .unwrap();
    d.ws.run_batch(d.coordinator, &batch.id, &mut |_, _| Ok(()))
        .unwrap();

    let credly =
        d.ws.batch_platform_csv(Platform::Credly, &batch.id, "tmpl-7")
            .unwrap();
    assert_eq!(credly.rows, 2);
    assert!(credly.name.starts_with("credly-bulk-issue-"));
    let mut lines = credly.csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Badge Template ID,Recipient Email,Issued to First Name,Issued to Last Name,Issued at,Expiration Date,Evidence Name,Evidence URL"
    );
    assert!(credly.csv.contains("tmpl-7,jose@example.org,José García,Márquez,11/02/26,,Final dashboard project,https://portfolio.example.org/work/1"));
    // A name a spreadsheet would run as a formula is written as text.
    assert!(credly.csv.contains("'=HYPERLINK"), "{}", credly.csv);
    // Credence reads the platforms' files, its own output included.
    let back = roster::parse_csv(&credly.csv, &[]).unwrap();
    assert_eq!(back.source, roster::Source::Credly);
    assert_eq!(back.learners[0].name, "José García Márquez");
    assert_eq!(back.learners[0].completed_on, "2026-11-02");

    for platform in [Platform::CanvasCredentials, Platform::Accredible] {
        let file =
            d.ws.platform_csv(platform, &d.slug, Some(&batch.id), "")
                .unwrap();
        let back = roster::parse_csv(&file.csv, &[]).unwrap();
        assert_eq!(back.learners.len(), 2, "{platform:?}");
        assert_eq!(back.learners[0].email, "jose@example.org");
    }
    // Revoked awards are left out; a batch of another microcredential is refused by name.
    let jose = d.ws.find_award("jose@example.org").unwrap();
    d.ws.revoke(d.coordinator, &[jose.id], "Withdrew").unwrap();
    let after =
        d.ws.platform_csv(Platform::Accredible, &d.slug, Some(&batch.id), "")
            .unwrap();
    assert_eq!(after.rows, 1);
    let e =
        d.ws.platform_csv(
            Platform::Credly,
            "spreadsheet-modelling-basics",
            Some(&batch.id),
            "",
        )
        .unwrap_err();
    assert_eq!(e.fields[0].field, "batch");
}

/// A microcredential whose credentials expire: each award keeps its expiry, and "Things to do"
/// shows the coordinator the awards about to expire, as many days ahead as the setting says.
#[test]
fn awards_about_to_expire_show_in_things_to_do_as_far_ahead_as_the_setting_says() {
    let d = demo();
    // The version in effect says its credentials are valid for 12 months (as an approved
    // change would have it).
    common::around_credence(d.ws.path(), |db| {
        let set = match db.engine() {
            Engine::Sqlite => "json_set(content_json, '$.expiry_months', 12)",
            Engine::Postgres => {
                "CAST(jsonb_set(CAST(content_json AS jsonb), '{expiry_months}', '12') AS TEXT)"
            }
        };
        db.execute(
            &format!(
                "UPDATE microcredential_version SET content_json = {set}
                 WHERE proposal_id = (SELECT proposal_id FROM microcredential WHERE slug = ?1)"
            ),
            credence_store::args![d.slug],
        )
        .unwrap()
    });
    d.ws.unlock_issuer("demo").unwrap();
    let award = issue_ana(&d).rows[0].award.clone();
    let json = d.ws.award_files(&award.id).unwrap().json;
    let credential: serde_json::Value = serde_json::from_str(&json).unwrap();
    let until = credential["validUntil"].as_str().unwrap().to_string();
    let kept: String = common::around_credence(d.ws.path(), |db| {
        db.map_one(
            "SELECT valid_until FROM award WHERE id = ?1",
            credence_store::args![award.id],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(kept, until);

    // (The demo's spreadsheets award about to expire is another microcredential's task.)
    let expiring = |ws: &credence_app::Workspace| {
        ws.inbox(d.coordinator)
            .unwrap()
            .tasks
            .into_iter()
            .filter(|t| t.kind == credence_app::review::TaskKind::ExpiringAwards)
            .filter(|t| t.proposal_id == award.proposal_id)
            .collect::<Vec<_>>()
    };
    // Twelve months away: not within the default 60 days.
    assert!(expiring(&d.ws).is_empty());
    let mut settings = d.ws.issuing_settings().unwrap();
    settings.expiry_notice_days = 365;
    d.ws.set_issuing_settings(d.coordinator, &settings).unwrap();
    assert_eq!(d.ws.issuing_settings().unwrap().expiry_notice_days, 365);
    // As time passes, the expiry comes within the notice (300 days from now).
    let soon = (chrono::Utc::now() + chrono::Duration::days(300))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    common::around_credence(d.ws.path(), |db| {
        db.execute(
            "UPDATE award SET valid_until = ?2 WHERE id = ?1",
            credence_store::args![award.id, soon],
        )
        .unwrap()
    });
    let tasks = expiring(&d.ws);
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    assert!(
        tasks[0]
            .detail
            .starts_with("1 award expires within 365 days"),
        "{}",
        tasks[0].detail
    );
    // Revoked, it is nobody's task.
    d.ws.revoke(
        d.coordinator,
        std::slice::from_ref(&award.id),
        "issued in error",
    )
    .unwrap();
    assert!(expiring(&d.ws).is_empty());
    // Out of range.
    settings.expiry_notice_days = 0;
    let e =
        d.ws.set_issuing_settings(d.coordinator, &settings)
            .unwrap_err();
    assert_eq!(e.fields[0].field, "expiry_notice_days");
}

/// The demo's spreadsheets microcredential certifies for 12 months from the day earned, and
/// Kofi Boateng's award is about to expire: the coordinator sees it in "Things to do" and
/// renews it, under the version in effect today, valid for a new year; the earlier one stays
/// valid until its own expiry, and the two are linked in the list and the audit log.
#[test]
fn an_award_about_to_expire_is_renewed_under_the_version_in_effect() {
    use credence_app::review::TaskKind;
    let d = demo();
    let expiring = |ws: &credence_app::Workspace| {
        ws.inbox(d.coordinator)
            .unwrap()
            .tasks
            .into_iter()
            .filter(|t| t.kind == TaskKind::ExpiringAwards)
            .map(|t| (t.title, t.detail))
            .collect::<Vec<_>>()
    };
    let tasks = expiring(&d.ws);
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    assert_eq!(tasks[0].0, "Spreadsheet Modelling Basics");
    assert!(
        tasks[0].1.starts_with("1 award expires within 60 days"),
        "{}",
        tasks[0].1
    );

    let old = d.ws.find_award("kofi.boateng@example.org").unwrap();
    assert_eq!(old.version, 1);
    assert!(old.renewable);
    // Valid for 12 months from the day earned, not from the day issued.
    let earned = chrono::NaiveDate::parse_from_str(&old.completed_on, "%Y-%m-%d").unwrap();
    let year_on = |d: chrono::NaiveDate| {
        format!(
            "{}T00:00:00Z",
            d.checked_add_months(chrono::Months::new(12)).unwrap()
        )
    };
    assert_eq!(old.valid_until.as_deref(), Some(year_on(earned).as_str()));

    // Locked keys, a day not after the one renewed, someone without the issuing right, and
    // an award that does not expire: refused, nothing changed.
    let e = d.ws.renew_award(d.coordinator, &old.id, None).unwrap_err();
    assert!(e.message.contains("unlock"), "{e:?}");
    d.ws.unlock_issuer("demo").unwrap();
    let e =
        d.ws.renew_award(d.coordinator, &old.id, Some(&old.completed_on))
            .unwrap_err();
    assert_eq!(e.fields[0].field, "completed_on");
    let proposer = d.ws.person_by_email("priya.raman@northfield.edu").unwrap();
    let e =
        d.ws.renew_award(Some(proposer.id), &old.id, None)
            .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    d.ws.sign_in(d.coordinator.unwrap(), "northfield demo")
        .unwrap();
    d.ws.unlock_issuer("demo").unwrap();
    let forever = d.ws.find_award("zoe.angstrom@example.org").unwrap();
    assert!(!forever.renewable);
    let e =
        d.ws.renew_award(d.coordinator, &forever.id, None)
            .unwrap_err();
    assert!(e.fields[0].message.contains("does not expire"), "{e:?}");
    let before = audit_len(&d.ws, Some("award"));

    let new = d.ws.renew_award(d.coordinator, &old.id, None).unwrap();
    // Under version 2, in effect today; a year from today; linked both ways.
    assert_eq!(new.version, 2);
    assert_eq!(
        (new.learner_name.as_str(), new.learner_email.as_str()),
        (old.learner_name.as_str(), old.learner_email.as_str())
    );
    let today = chrono::Utc::now().date_naive();
    assert_eq!(new.completed_on, today.to_string());
    assert_eq!(new.valid_until.as_deref(), Some(year_on(today).as_str()));
    assert_eq!(new.renewal_of.as_deref(), Some(old.id.as_str()));
    let listed = d.ws.award(&new.id).unwrap();
    assert_eq!(listed.renewal_of.as_deref(), Some(old.id.as_str()));
    assert!(listed.renewable, "the renewal expires in its turn");
    let was = d.ws.award(&old.id).unwrap();
    assert_eq!(was.renewed_by.as_deref(), Some(new.id.as_str()));
    assert!(
        was.revoked_at.is_none(),
        "the earlier one stays valid until it expires"
    );
    assert!(!was.renewable);
    // The credential says so and verifies.
    let json = d.ws.award_files(&new.id).unwrap().json;
    let credential: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(credential["validUntil"], year_on(today));
    assert!(d.ws.verify_credential(json.as_bytes()).verified());
    // Issued and renewed: two entries, the renewal naming the new award.
    assert_eq!(audit_len(&d.ws, Some("award")), before + 2);
    let renewal =
        d.ws.audit(
            None,
            &AuditQuery {
                entity: Some("award".into()),
                entity_id: Some(old.id.clone()),
                before_seq: None,
                limit: None,
            },
        )
        .unwrap()
        .into_iter()
        .find(|e| e.action == "renew")
        .unwrap();
    assert_eq!(renewal.after.unwrap()["renewed_by"], new.id.as_str());
    // Nobody's task any more; renewed once, it is not renewed again.
    assert!(expiring(&d.ws).is_empty(), "{:?}", expiring(&d.ws));
    let e = d.ws.renew_award(d.coordinator, &old.id, None).unwrap_err();
    assert!(e.fields[0].message.contains("already renewed"), "{e:?}");

    // The renewal revoked (issued in error), the earlier award is to renew again.
    d.ws.revoke(
        d.coordinator,
        std::slice::from_ref(&new.id),
        "issued in error",
    )
    .unwrap();
    assert!(d.ws.award(&old.id).unwrap().renewable);
    assert_eq!(expiring(&d.ws).len(), 1);
    assert!(d.ws.verify_audit().unwrap().holds());
}

/// The badge image is stored once (migration 0019), not inside each award's credential, and
/// every credential reads back byte for byte as it was signed, learners' non-ASCII names
/// before the image among them.
#[test]
fn a_badge_image_is_stored_once_and_each_credential_reads_back_as_signed() {
    let d = demo();
    let report = unlock_and_issue(
        &d,
        &[
            learner("Ana Lima", "ana@example.org"),
            learner("Zoë Ångström-Łukasz", "zoe@example.org"),
            learner("Nguyễn Thị Minh Khai", "minh@example.org"),
        ],
    );
    assert_eq!(report.new_count(), 3);
    for row in &report.rows {
        let signed = row.credential_json.as_deref().unwrap();
        let image = serde_json::from_str::<serde_json::Value>(signed).unwrap()["credentialSubject"]
            ["achievement"]["image"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(image.starts_with("data:image/") && image.len() > 1024);
        let (stored, hash, images): (String, Option<String>, i64) =
            common::around_credence(d.ws.path(), |db| {
                db.map_one(
                    "SELECT credential_json, image_hash,
                            (SELECT count(*) FROM credential_image WHERE data_uri = ?2)
                     FROM award WHERE id = ?1",
                    credence_store::args![row.award.id, image],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .unwrap()
            });
        assert!(hash.is_some(), "{}", row.award.learner_name);
        assert!(!stored.contains(&image));
        assert!(stored.len() + image.len() == signed.len());
        assert_eq!(images, 1, "the image is kept once");
        let files = d.ws.award_files(&row.award.id).unwrap();
        assert_eq!(files.json, signed, "{}", row.award.learner_name);
        assert!(d.ws.verify_credential(files.json.as_bytes()).verified());
    }
}
