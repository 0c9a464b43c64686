//! A workspace made by an earlier build opens in this one with nothing lost. The fixtures in
//! `tests/fixtures/workspaces/` are the demo as `credence demo` wrote it at schema 6 (commit
//! e9a7a05), at schema 7 (commit 4f903e2), at schema 8 (commit 3efda89, every entry after
//! the first key signed) and at schema 9 (commit 2e5a7a2: the microcredential its own record,
//! an academic calendar, a periodic review due), at schema 10 (the microcredential's life:
//! five in every status) and at schema 11 (commit 1eb895f: one microcredential also in
//! Spanish): proposals at every step, a meeting with signed votes, decisions, an
//! active microcredential, seven awards (one revoked), 188 audit entries (203 at schema 8:
//! the people's enrolments), and signing keys whose passphrase is `northfield demo`. Later
//! fixtures (schema 12 to 19) are named in their tests.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::BTreeMap;

use credence_app::certificates::award_files::AwardFormat;
use credence_app::{OpenMode, Workspace};
use credence_store::SCHEMA_VERSION;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../tests/fixtures/workspaces"
);

/// Every table's rows, as text, in id order: what "nothing lost" compares.
fn contents(path: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    let db =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'proposal_text%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = BTreeMap::new();
    for t in tables {
        let mut stmt = db
            .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY rowid"))
            .unwrap();
        let columns = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut cells = Vec::new();
                for i in 0..columns {
                    let v: rusqlite::types::Value = r.get(i)?;
                    cells.push(format!("{v:?}"));
                }
                Ok(cells.join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        out.insert(t, rows);
    }
    out
}

#[test]
fn the_demo_made_at_schema_6_opens_with_every_row_its_audit_chain_and_its_credentials() {
    opens_intact(6);
}

#[test]
fn the_demo_made_at_schema_7_opens_with_every_row_its_audit_chain_and_its_credentials() {
    opens_intact(7);
}

#[test]
fn the_demo_made_at_schema_8_opens_with_every_row_its_audit_chain_and_its_credentials() {
    opens_intact(8);
}

#[test]
fn the_demo_made_at_schema_9_opens_with_every_row_its_audit_chain_and_its_credentials() {
    opens_intact(9);
}

fn opens_intact(schema: i64) {
    let (_dir, path, before) = copy_of(schema);
    // Entries, and of them those signed by their maker (from schema 8 on).
    let (entries, signed) = match schema {
        ..=7 => (188, 0),
        8 => (203, 77),
        _ => (205, 79),
    };
    assert_eq!(before["audit_log"].len(), entries);

    let ws = Workspace::open(&path, OpenMode::MustExist).unwrap();
    let version: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);

    let after = contents(&path);
    rows_kept(&before, &after);

    // Key custody (from schema 7) and entry signatures (from schema 8) are checked from the
    // migration on; what came before is history.
    let markers = [("key_custody_from_seq", 7), ("audit_signed_from_seq", 8)];
    let added: Vec<&str> = markers
        .iter()
        .filter(|(_, from)| *from > schema)
        .map(|(name, _)| *name)
        .collect();
    assert_eq!(
        after["setting"].len(),
        before["setting"].len() + added.len()
    );
    for name in added {
        assert!(
            after["setting"]
                .iter()
                .any(|r| r.contains(name) && r.contains(&entries.to_string())),
            "{name}"
        );
    }

    // The audit chain and every signed statement hold; the old entries are unsigned history.
    let report = ws.verify_audit().unwrap();
    assert!(report.first_broken.is_none(), "{report:?}");
    assert!(report.statement_problems.is_empty(), "{report:?}");
    assert_eq!(report.checked, entries as u64);
    assert_eq!(report.signatures, 13);
    assert_eq!(
        (report.unsigned_history, report.entries_signed),
        (entries as u64 - signed, signed)
    );

    // The active microcredential is its own record (schema 9): active, at the version it
    // was activated with, effective the day of its activation entry, approved in its case.
    let list = ws.microcredential_list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].status, list[0].version),
        (
            credence_app::domain::lifecycle::MicrocredentialStatus::Active,
            1
        )
    );
    let view = ws.microcredential(None, &list[0].slug).unwrap();
    let activated: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT substr(at, 1, 10) FROM audit_log WHERE action = 'activate'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // (From schema 9 the demo backdates its microcredential so a periodic review is due.)
    if schema < 9 {
        assert_eq!(view.versions[0].effective_from, activated);
        assert_eq!(view.status_since.as_deref(), Some(activated.as_str()));
    }
    assert_eq!(view.versions[0].case, view.proposal_id);
    assert_eq!(view.versions[0].awards, 7);

    // Each proposal's review (its route and steps) still reads.
    let ids: Vec<i64> = rusqlite::Connection::open(&path)
        .unwrap()
        .prepare("SELECT id FROM proposal")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(ids.len() >= 8, "{ids:?}");
    for id in ids {
        let review = ws.review(id).unwrap();
        if !review.steps.is_empty() {
            assert!(review.route.is_some(), "proposal {id}");
        }
    }

    // Every award's credential still verifies (the revoked one as revoked).
    let awards = ws.awards("", 100).unwrap();
    assert_eq!(awards.len(), 7);
    awards_verify(&ws, &awards);

    // The people sign in with the keys they had, and what they do now is signed. (The
    // schema-6 demo sealed its keys with costs below today's floor, which no build opens.)
    if schema < 7 {
        return;
    }
    let dana = ws.person_by_email("dana.whitfield@northfield.edu").unwrap();
    let err = ws
        .set_voting_rules(Some(dana.id), ws.voting_rules().unwrap())
        .unwrap_err();
    assert_eq!(err.kind, credence_app::ErrorKind::Forbidden, "{err:?}");
    ws.sign_in(dana.id, "northfield demo").unwrap();
    ws.set_voting_rules(Some(dana.id), ws.voting_rules().unwrap())
        .unwrap();
    // Cases (schema 10): the routes for minor changes and terminations were added, and a
    // change request starts from the version frozen when it was migrated.
    let routes: Vec<String> = ws.routes().unwrap().into_iter().map(|r| r.name).collect();
    assert!(
        routes.iter().any(|r| r == "Minor change") && routes.iter().any(|r| r == "Termination"),
        "{routes:?}"
    );
    let change = ws.start_change(Some(dana.id), &list[0].slug).unwrap();
    assert_eq!((change.base_version, change.level), (1, None));
    assert_eq!(
        ws.proposal(change.case_id).unwrap().content,
        ws.proposal(view.proposal_id).unwrap().content
    );
    let report = ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    assert_eq!(
        (report.unsigned_history, report.entries_signed),
        (entries as u64 - signed, signed + 2)
    );
}

/// The demo as the schema-10 build made it (issue 13: five microcredentials in every status,
/// one at version 2, cases of every kind): every row kept, the chain and its signatures
/// holding, each microcredential at its status and version, every award verifying.
#[test]
fn the_demo_made_at_schema_10_opens_with_its_microcredentials_cases_and_awards() {
    use credence_app::domain::lifecycle::MicrocredentialStatus::{self, *};
    let (_dir, path, before) = copy_of(10);
    assert_eq!(before["audit_log"].len(), 289);

    let ws = Workspace::open(&path, OpenMode::MustExist).unwrap();
    let after = contents(&path);
    rows_kept(&before, &after);
    // Schema 11: a change request may be due by a date (one a periodic review required);
    // those made before have none.
    let file = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = file
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let dues: Vec<Option<String>> = file
        .prepare("SELECT due_on FROM change_request")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        !dues.is_empty() && dues.iter().all(Option::is_none),
        "{dues:?}"
    );
    let report = ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    assert_eq!(
        (report.checked, report.entries_signed, report.signatures),
        (289, 163, 32)
    );

    // Its teach-out ends on 2027-05-31; from the day after, it reads as retired.
    let teach_out = if chrono::Utc::now().date_naive().to_string().as_str() <= "2027-05-31" {
        TeachOut
    } else {
        Retired
    };
    let list: Vec<(String, MicrocredentialStatus, i64)> = ws
        .microcredential_list()
        .unwrap()
        .into_iter()
        .map(|m| (m.slug, m.status, m.version))
        .collect();
    assert_eq!(
        list,
        [
            ("data-visualization-for-decision-makers".into(), Active, 1),
            ("legacy-systems-maintenance".into(), Retired, 1),
            ("research-data-management".into(), Suspended, 1),
            ("spreadsheet-modelling-basics".into(), Active, 2),
            ("web-accessibility-essentials".into(), teach_out, 1),
        ]
    );
    let two = ws
        .microcredential(None, "spreadsheet-modelling-basics")
        .unwrap();
    assert_eq!(
        two.versions.iter().map(|v| v.number).collect::<Vec<_>>(),
        [1, 2]
    );
    assert!(two.versions.iter().all(|v| v.awards > 0), "{two:?}");

    // Every award's credential still verifies (the revoked as revoked), under either version.
    let awards = ws.awards("", 100).unwrap();
    assert_eq!(awards.len(), 12);
    awards_verify(&ws, &awards);

    // Contents and templates saved before texts had languages read as English, with no
    // others: certificates print in the template's English words, the catalog publishes one
    // edition each.
    let content = ws.proposal(two.proposal_id).unwrap().content;
    assert_eq!(content.languages(), ["en"]);
    let award = awards.iter().find(|a| a.revoked_at.is_none()).unwrap();
    let pdf = ws.award_certificate(&award.id).unwrap();
    assert!(ws.verify_credential(&pdf).verified());
    let site = ws.catalog_site().unwrap();
    assert!(site
        .files
        .iter()
        .all(|f| !f.path.contains("-en") && !f.path.ends_with(".en.html")));
    assert!(site
        .files
        .iter()
        .any(|f| f.path == "credentials/spreadsheet-modelling-basics.html"));

    // People sign in with their keys and go on: a change request, signed.
    let dana = ws.person_by_email("dana.whitfield@northfield.edu").unwrap();
    ws.sign_in(dana.id, "northfield demo").unwrap();
    let change = ws
        .start_change(Some(dana.id), "data-visualization-for-decision-makers")
        .unwrap();
    assert_eq!(change.base_version, 1);
    let report = ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    assert_eq!(report.entries_signed, 164);
}

/// The demo as the schema-11 build made it (the last before corrections; one microcredential
/// also in Spanish): every row kept although the award table is rebuilt (SQLite cannot drop
/// its learner-and-date constraint), the chain holding, every award verifying; then an award
/// of the file corrected for the same learner and date, which the old constraint forbade.
#[test]
fn the_demo_made_at_schema_11_keeps_its_awards_through_the_rebuild_and_corrects_one() {
    let (_dir, path, before) = copy_of(11);
    assert_eq!(before["award"].len(), 12);

    let ws = Workspace::open(&path, OpenMode::MustExist).unwrap();
    rows_kept(&before, &contents(&path));
    let report = ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    assert_eq!(report.checked, 289);
    let awards = ws.awards("", 100).unwrap();
    assert_eq!(awards.len(), 12);
    assert!(awards
        .iter()
        .all(|a| a.superseded_by.is_none() && a.supersedes.is_none()));
    awards_verify(&ws, &awards);
    let spanish = ws
        .microcredential(None, "spreadsheet-modelling-basics")
        .unwrap();
    let content = ws.proposal(spanish.proposal_id).unwrap().content;
    assert_eq!(content.languages(), ["en", "es"]);

    let dana = ws.person_by_email("dana.whitfield@northfield.edu").unwrap();
    ws.sign_in(dana.id, "northfield demo").unwrap();
    ws.unlock_issuer("demo").unwrap();
    let old = awards
        .iter()
        .find(|a| a.revoked_at.is_none() && a.learner_name == "Kofi Boateng")
        .unwrap();
    let fixed = credence_app::domain::award::AwardCorrection {
        name: Some("Kofi A. Boateng".into()),
        ..Default::default()
    };
    let new = ws
        .correct_award(Some(dana.id), &old.id, &fixed, "Middle initial missing")
        .unwrap();
    assert_eq!(
        (new.version, &new.completed_on),
        (old.version, &old.completed_on)
    );
    assert!(ws.verify_audit().unwrap().holds());
}

/// The demo as the schema-12 build made it, with one award corrected: every row kept, the
/// correction still linked both ways, the chain holding; then a roster issued on it as a
/// batch, whose awards name it.
#[test]
fn the_demo_made_at_schema_12_keeps_its_correction_and_issues_a_roster_as_a_batch() {
    let (_dir, path, before) = copy_of(12);
    assert_eq!(before["award"].len(), 13);

    let ws = opened_whole(&path, &before);
    let awards = ws.awards("", 100).unwrap();
    let old = awards
        .iter()
        .find(|a| a.learner_name == "Kofi Boateng")
        .unwrap();
    let new = awards
        .iter()
        .find(|a| a.learner_name == "Kofi A. Boateng")
        .unwrap();
    assert_eq!(old.superseded_by.as_deref(), Some(new.id.as_str()));
    assert_eq!(new.supersedes.as_deref(), Some(old.id.as_str()));
    awards_verify(&ws, &awards);

    let batch = batch_as_dana(
        &ws,
        "spreadsheet-modelling-basics",
        "name,email\nAmara Diallo,amara@example.org\nKofi A. Boateng,kofi.boateng@example.org\n",
    );
    assert_eq!((batch.done, batch.issued), (2, 2));
    assert!(ws.verify_audit().unwrap().holds());
}

/// The demo as the schema-13 build made it, with a roster issued as a batch: every row
/// kept, the batch and its awards intact, the chain holding; then an issuance event
/// exported from it, whose key never becomes the institution's current one.
#[test]
fn the_demo_made_at_schema_13_keeps_its_batch_and_exports_an_event() {
    let (dir, path, before) = copy_of(13);
    assert_eq!(before["award"].len(), 15);
    assert_eq!(before["issue_batch"].len(), 1);

    let ws = opened_whole(&path, &before);
    let awards = ws.awards("", 100).unwrap();
    awards_verify(&ws, &awards);
    let batches = ws.batches().unwrap();
    assert_eq!((batches[0].total, batches[0].issued), (3, 3));

    let dana = ws.person_by_email("dana.whitfield@northfield.edu").unwrap();
    ws.sign_in(dana.id, "northfield demo").unwrap();
    let current = ws.issuer_state().unwrap().keys[0].did.clone();
    let exported = ws
        .export_event_with(
            Some(dana.id),
            &["data-visualization-for-decision-makers".into()],
            "",
            "demo",
            "an event passphrase",
            &dir.path().join("event.zip"),
            credence_vc::keys::KdfParams::MIN,
        )
        .unwrap();
    assert!(exported.event.name.starts_with("Issuance event "));
    let state = ws.issuer_state().unwrap();
    assert_eq!(state.keys.iter().find(|k| k.current).unwrap().did, current);
    assert!(ws.verify_audit().unwrap().holds());
}

/// The demo as the schema-14 build made it, with an issuance event exported, issued on (two
/// learners) and merged: every row kept, the event's awards verifying and its kept audit log
/// checked by `audit verify`, the event key retired and never current.
#[test]
fn the_demo_made_at_schema_14_keeps_its_merged_event() {
    let (_dir, path, before) = copy_of(14);
    assert_eq!(before["award"].len(), 14);
    assert_eq!(before["event"].len(), 1);
    assert_eq!(before["event_entry"].len(), 7);

    let ws = Workspace::open(&path, OpenMode::MustExist).unwrap();
    rows_kept(&before, &contents(&path));
    let report = ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    let awards = ws.awards("", 100).unwrap();
    awards_verify(&ws, &awards);
    let events = ws.events().unwrap();
    assert_eq!(events[0].name, "Spring bootcamp");
    assert_eq!(events[0].merge.as_ref().unwrap().awards, 2);
    let state = ws.issuer_state().unwrap();
    let current = state.keys.iter().find(|k| k.current).unwrap();
    assert_ne!(current.did, events[0].key_did);
    assert!(state
        .keys
        .iter()
        .any(|k| k.event.as_deref() == Some("Spring bootcamp") && k.retired_at.is_some()));
}

/// Migration 0015 reads each award's expiry from its credential: an award at schema 14 whose
/// credential says `validUntil` keeps that time beside it after the migration.
#[test]
fn migration_15_keeps_each_awards_expiry_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.credence");
    std::fs::copy(format!("{FIXTURES}/demo-schema-14.credence"), &path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let id: String = conn
        .query_row(
            "UPDATE award SET credential_json =
                 json_set(credential_json, '$.validUntil', '2027-06-01T00:00:00Z')
             WHERE rowid = (SELECT min(rowid) FROM award) RETURNING id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    Workspace::open(&path, OpenMode::MustExist).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let kept: Vec<(String, Option<String>)> = conn
        .prepare("SELECT id, valid_until FROM award")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (award, until) in kept {
        let want = (award == id).then(|| "2027-06-01T00:00:00Z".to_string());
        assert_eq!(until, want, "{award}");
    }
}

/// The demo made at schema 15, with an award whose credential expires (its microcredential
/// certifying for 24 months): everything kept, the audit holding, and that award renewable
/// in this build, the renewal linked to it.
#[test]
fn the_demo_made_at_schema_15_keeps_its_expiring_award_and_renews_it() {
    let (_dir, path, before) = copy_of(15);
    assert_eq!(before["award"].len(), 15);

    let ws = Workspace::open(&path, OpenMode::MustExist).unwrap();
    rows_kept(&before, &contents(&path));
    let report = ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    let awards = ws.awards("", 100).unwrap();
    awards_verify(&ws, &awards);
    let hana = ws.find_award("hana.kobayashi@example.org").unwrap();
    assert!(hana.valid_until.is_some());
    assert!(hana.renewable && hana.renewal_of.is_none());
    assert!(awards
        .iter()
        .filter(|a| a.id != hana.id)
        .all(|a| !a.renewable));

    let dana = ws.person_by_email("dana.whitfield@northfield.edu").unwrap();
    ws.sign_in(dana.id, "northfield demo").unwrap();
    ws.unlock_issuer("demo").unwrap();
    let renewal = ws.renew_award(Some(dana.id), &hana.id, None).unwrap();
    assert_eq!(renewal.renewal_of.as_deref(), Some(hana.id.as_str()));
    assert_eq!(
        ws.award(&hana.id).unwrap().renewed_by.as_deref(),
        Some(renewal.id.as_str())
    );
    assert!(ws.verify_audit().unwrap().holds());
}

/// The demo made at schema 16, with a renewal, an award by recognition of prior learning and
/// four imported Open Badges 2.0 assertions: everything kept and still what it was.
#[test]
fn the_demo_made_at_schema_16_keeps_its_renewal_prior_learning_and_imports() {
    let (_dir, path, before) = copy_of(16);
    assert_eq!(before["award"].len(), 18);
    assert_eq!(before["prior_learning"].len(), 1);
    assert_eq!(before["ob2_import"].len(), 4);

    let ws = Workspace::open(&path, OpenMode::MustExist).unwrap();
    rows_kept(&before, &contents(&path));
    let report = ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    let awards = ws.awards("", 100).unwrap();
    awards_verify(&ws, &awards);
    assert_eq!(awards.iter().filter(|a| a.imported).count(), 4);
    assert_eq!(awards.iter().filter(|a| a.by_recognition).count(), 1);
    let renewal = awards.iter().find(|a| a.renewal_of.is_some()).unwrap();
    let renewed = ws.award(renewal.renewal_of.as_deref().unwrap()).unwrap();
    assert_eq!(renewed.renewed_by.as_deref(), Some(renewal.id.as_str()));
    let claims = ws.prior_learning(None).unwrap().claims;
    assert_eq!(claims[0].assessor.as_deref(), Some("Chen Wei"));
    assert!(claims[0].award_id.is_some());

    // Migration 0017: the badge the schema-16 import skipped for want of a microcredential
    // is imported now as an archived one.
    let dana = ws.person_by_email("dana.whitfield@northfield.edu").unwrap();
    ws.sign_in(dana.id, "northfield demo").unwrap();
    ws.unlock_issuer("demo").unwrap();
    let ob2 = format!("{FIXTURES}/../ob2");
    let frank = credence_app::proposals::attachments::IncomingFile {
        name: "unknown-frank.json".into(),
        bytes: std::fs::read(format!("{ob2}/unknown-frank.json")).unwrap(),
    };
    let learners = std::fs::read_to_string(format!("{ob2}/learners.csv")).unwrap();
    let report = ws
        .import_ob2(Some(dana.id), &[frank], &learners, &[], true)
        .unwrap();
    assert_eq!(report.imported, 1, "{report:?}");
    assert_eq!(report.archived[0].title, "Underwater Basket Weaving");
    assert!(ws.verify_audit().unwrap().holds());
}

/// The schema-16 demo as this build left it (session 30: migrated to 17, then the OB 2.0
/// fixtures imported with `--archive-unmatched`, so it holds an archived microcredential):
/// for the next migration to be tested on.
#[test]
fn the_demo_made_at_schema_17_keeps_its_archived_badge() {
    use credence_domain::lifecycle::MicrocredentialStatus;
    let (_dir, path, before) = copy_of(17);
    assert_eq!(before["award"].len(), 19);
    assert_eq!(before["ob2_badge"].len(), 1);

    let ws = opened_whole(&path, &before);
    awards_verify(&ws, &ws.awards("", 100).unwrap());
    let m = ws
        .microcredential(None, "underwater-basket-weaving")
        .unwrap();
    assert_eq!(m.status, MicrocredentialStatus::Retired);
    assert_eq!(m.versions[0].effective_from, "2024-06-14");

    // Another assertion of the archived badge goes to it; no second one is made.
    let dana = ws.person_by_email("dana.whitfield@northfield.edu").unwrap();
    ws.sign_in(dana.id, "northfield demo").unwrap();
    ws.unlock_issuer("demo").unwrap();
    let file = credence_app::proposals::attachments::IncomingFile {
        name: "grace.json".into(),
        bytes: std::fs::read(format!("{FIXTURES}/../ob2-later/grace.json")).unwrap(),
    };
    let report = ws
        .import_ob2(
            Some(dana.id),
            &[file],
            "name,email\nGrace Ho,grace.ho@example.org\n",
            &[],
            true,
        )
        .unwrap();
    assert!(report.archived.is_empty());
    assert_eq!(
        report.rows[0].microcredential.as_deref(),
        Some("underwater-basket-weaving")
    );
}

/// Migration 0018: each version's review cycle beside it, read from its frozen content, so
/// lists of every microcredential (the periodic reviews due, "Things to do") give the review
/// dates a microcredential's own page gives. Kept as the schema-18 fixture for the next
/// migration to be tested on (`demo-schema-18.credence`: this one, migrated by this build).
#[test]
fn migration_18_keeps_each_versions_review_cycle_beside_it() {
    let (_dir, path, before) = copy_of(17);
    let ws = opened_whole(&path, &before);
    let cycles = ws.review_cycles(false).unwrap();
    assert!(!cycles.is_empty());
    let mut with_a_date = 0;
    for cycle in &cycles {
        let page = ws.microcredential(None, &cycle.slug).unwrap();
        assert_eq!(
            cycle.next_review_due, page.next_review_due,
            "{}",
            cycle.slug
        );
        assert_eq!(cycle.due, page.review_due, "{}", cycle.slug);
        with_a_date += usize::from(cycle.next_review_due.is_some());
    }
    assert!(
        with_a_date > 0,
        "the demo's microcredentials have review cycles"
    );
    let listed = ws.microcredential_list().unwrap();
    assert_eq!(listed.len(), before["microcredential"].len());
}

/// The schema-17 demo migrated by the build of session 32 (schema 18): it opens whole, and
/// its review dates are read from the column 0018 added.
#[test]
fn the_demo_made_at_schema_18_keeps_its_review_dates() {
    let (_dir, path, before) = copy_of(18);
    let ws = opened_whole(&path, &before);
    let due: Vec<_> = ws.review_cycles(true).unwrap();
    for cycle in &due {
        assert!(ws.microcredential(None, &cycle.slug).unwrap().review_due);
    }
    awards_verify(&ws, &ws.awards("", 100).unwrap());
}

/// Migration 0019: awards stored before keep their credentials whole (and verify); a roster
/// issued after stores its badge image once, each credential read back as signed. Kept as
/// the schema-19 fixture for the next migration (`demo-schema-19.credence`: the schema-18
/// demo migrated by this build).
#[test]
fn migration_19_stores_new_awards_badge_image_once_and_keeps_old_credentials_whole() {
    let (_dir, path, before) = copy_of(18);
    let ws = opened_whole(&path, &before);
    let old = ws.awards("", 100).unwrap();
    assert_eq!(old.len(), before["award"].len());
    awards_verify(&ws, &old);

    let batch = batch_as_dana(
        &ws,
        "data-visualization-for-decision-makers",
        "name,email\nAmara Diallo,amara@example.org\nSiosaia Fifita,siosaia@example.org\n",
    );
    assert_eq!(batch.issued, 2);
    drop(ws);
    let db = rusqlite::Connection::open(&path).unwrap();
    let (kept, apart, images): (i64, i64, i64) = db
        .query_row(
            "SELECT count(*) FILTER (WHERE image_hash IS NULL),
                    count(*) FILTER (WHERE image_hash IS NOT NULL),
                    (SELECT count(*) FROM credential_image)
             FROM award",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(usize::try_from(kept).unwrap(), old.len());
    assert_eq!((apart, images), (2, 1));
    drop(db);
    let ws = Workspace::open(&path, OpenMode::MustExist).unwrap();
    awards_verify(&ws, &ws.awards("", 100).unwrap());
    assert!(ws.verify_audit().unwrap().holds());
}

/// Migration 0020: a batch's learners in a row of their own. The fixture is the schema-19
/// demo on which that build's `credence issue` was killed (SIGKILL) 200 learners into a
/// 3,000-learner batch, its learners kept in the batch's row: this build opens it whole, the
/// same roster given again finds the batch and finishes it (each learner once, each status
/// index once), and a batch started now keeps its learners apart. The schema-19 demo migrated
/// by this build is kept as `demo-schema-20.credence` for the next migration.
#[test]
fn migration_20_finishes_a_batch_the_build_before_left_running() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.credence");
    std::fs::copy(
        format!("{FIXTURES}/demo-schema-19-running-batch.credence"),
        &path,
    )
    .unwrap();
    let before = contents(&path);
    let ws = opened_whole(&path, &before);

    let roster: String = std::iter::once("name,email,completed_on".to_string())
        .chain((0..3000).map(|i| format!("Learner {i},learner{i}@example.org,")))
        .collect::<Vec<_>>()
        .join("\n");
    let dana = ws.person_by_email("dana.whitfield@northfield.edu").unwrap();
    ws.sign_in(dana.id, "northfield demo").unwrap();
    ws.unlock_issuer("demo").unwrap();
    let learners = credence_app::issuing::parse_roster(&roster).unwrap();
    let (batch, found) = ws
        .start_batch(
            Some(dana.id),
            "data-visualization-for-decision-makers",
            credence_app::issuing::checked_learners(learners).unwrap(),
        )
        .unwrap();
    assert!(found, "the roster given again finds the batch it started");
    assert_eq!((batch.total, batch.done), (3000, 200));
    // Started on the day the old build ran it: blank dates are that day, not today.
    assert_eq!(batch.started_on, "2026-12-04");
    let finished = ws
        .run_batch(Some(dana.id), &batch.id, &mut |_, _| Ok(()))
        .unwrap();
    assert_eq!((finished.done, finished.issued), (3000, 3000));
    drop(ws);

    let db = rusqlite::Connection::open(&path).unwrap();
    let (awards, learners_held, indices, dated): (i64, i64, i64, i64) = db
        .query_row(
            "SELECT count(*), count(DISTINCT learner_email),
                    count(DISTINCT status_list_id || ':' || status_index),
                    count(*) FILTER (WHERE completed_on = '2026-12-04')
             FROM award WHERE batch_id = ?1",
            [&batch.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (awards, learners_held, indices, dated),
        (3000, 3000, 3000, 3000)
    );
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(db);

    // A batch started now keeps its learners in their own row, not in the batch's.
    let ws = Workspace::open(&path, OpenMode::MustExist).unwrap();
    let new = batch_as_dana(
        &ws,
        "data-visualization-for-decision-makers",
        "name,email\nAmara Diallo,amara@example.org\n",
    );
    assert_eq!(new.issued, 1);
    awards_verify(&ws, &ws.awards("", 100).unwrap());
    assert!(ws.verify_audit().unwrap().holds());
    drop(ws);
    let db = rusqlite::Connection::open(&path).unwrap();
    let (in_row, apart): (String, String) = db
        .query_row(
            "SELECT b.learners_json, l.learners_json
             FROM issue_batch b JOIN issue_batch_learners l ON l.batch_id = b.id
             WHERE b.id = ?1",
            [&new.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(in_row, "");
    assert!(apart.contains("amara@example.org"), "{apart}");
}

/// A roster issued as a new batch by the demo's coordinator (signed in, the issuer key
/// unlocked), run to its end.
fn batch_as_dana(ws: &Workspace, slug: &str, roster: &str) -> credence_app::issuing::batch::Batch {
    let dana = ws.person_by_email("dana.whitfield@northfield.edu").unwrap();
    ws.sign_in(dana.id, "northfield demo").unwrap();
    ws.unlock_issuer("demo").unwrap();
    let roster = credence_app::issuing::parse_roster(roster).unwrap();
    let roster = credence_app::issuing::checked_learners(roster).unwrap();
    let (batch, found) = ws.start_batch(Some(dana.id), slug, roster).unwrap();
    assert!(!found);
    ws.run_batch(Some(dana.id), &batch.id, &mut |_, _| Ok(()))
        .unwrap()
}

/// A copy of the demo made at `schema`, in a folder of its own (kept while the first value
/// lives), and every row it held before this build opened it.
fn copy_of(
    schema: i64,
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    BTreeMap<String, Vec<String>>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.credence");
    std::fs::copy(format!("{FIXTURES}/demo-schema-{schema}.credence"), &path).unwrap();
    let before = contents(&path);
    (dir, path, before)
}

/// The copy opened by this build (migrated): every row kept, the audit chain holding.
fn opened_whole(path: &std::path::Path, before: &BTreeMap<String, Vec<String>>) -> Workspace {
    let ws = Workspace::open(path, OpenMode::MustExist).unwrap();
    rows_kept(before, &contents(path));
    assert!(ws.verify_audit().unwrap().holds());
    ws
}

/// Every row of every table is still there, unchanged (migrations add, never rewrite).
fn rows_kept(before: &BTreeMap<String, Vec<String>>, after: &BTreeMap<String, Vec<String>>) {
    for (table, rows) in before {
        let now = &after[table];
        assert!(now.len() >= rows.len(), "{table}");
        for (old, new) in rows.iter().zip(now) {
            assert!(new.starts_with(old.as_str()), "{table}: {old} became {new}");
        }
    }
}

/// Each award's credential verifies (a revoked one as revoked).
fn awards_verify(ws: &Workspace, awards: &[credence_app::domain::award::Award]) {
    let mut writer = ws.award_writer(&[AwardFormat::Json]).unwrap();
    for award in awards {
        let files = writer.files(award).unwrap();
        let report = ws.verify_credential(&files[0].bytes);
        if award.revoked_at.is_some() {
            let status = report.checks.iter().find(|c| c.name == "status").unwrap();
            assert!(status.message.contains("revoked"), "{report:?}");
        } else {
            assert!(report.verified(), "{}: {report:?}", award.learner_name);
        }
    }
}
