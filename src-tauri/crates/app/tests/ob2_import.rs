//! Open Badges 2.0 assertions from a previous platform, imported into the demo workspace
//! (fixtures: tests/fixtures/ob2, made by its make.py): hosted and signed, JSON, JWS and baked
//! PNG and SVG; a tampered one and one of an unknown badge skipped with their reasons; every
//! credential made verifies and names the original; the same folder again imports nothing.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use common::demo;
use credence_app::issuing::ob2_import::{Ob2ImportReport, Ob2Row, IMPORT_GENRE};
use credence_app::proposals::attachments::IncomingFile;
use credence_app::ErrorKind;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../tests/fixtures/ob2");

fn files(skip: &[&str]) -> Vec<IncomingFile> {
    let mut names: Vec<String> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            [".json", ".jws", ".png", ".svg"]
                .iter()
                .any(|x| n.ends_with(x))
                && !skip.contains(&n.as_str())
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| IncomingFile {
            bytes: std::fs::read(format!("{FIXTURES}/{name}")).unwrap(),
            name,
        })
        .collect()
}

/// The report's row for one file.
fn row_of<'a>(report: &'a Ob2ImportReport, file: &str) -> &'a Ob2Row {
    report.rows.iter().find(|r| r.file == file).unwrap()
}

fn learners() -> String {
    std::fs::read_to_string(format!("{FIXTURES}/learners.csv")).unwrap()
}

#[test]
fn a_folder_of_ob2_assertions_imports_with_a_report_and_every_credential_verifies() {
    let d = demo();
    let all = files(&[]);
    // Coordinators only, and with the issuer keys unlocked.
    let priya = d.ws.person_by_email("priya.raman@northfield.edu").unwrap();
    d.ws.unlock_issuer("demo").unwrap();
    let e =
        d.ws.import_ob2(Some(priya.id), &all, &learners(), &[], false)
            .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    d.ws.sign_in(d.coordinator.unwrap(), "northfield demo")
        .unwrap();
    let e =
        d.ws.import_ob2(d.coordinator, &all, &learners(), &[], false)
            .unwrap_err();
    assert!(e.message.contains("unlock"), "{e:?}");
    d.ws.unlock_issuer("demo").unwrap();
    let e =
        d.ws.import_ob2(d.coordinator, &all, "email\nana@example.org\n", &[], false)
            .unwrap_err();
    assert_eq!(e.fields[0].field, "learners");

    let report =
        d.ws.import_ob2(d.coordinator, &all, &learners(), &[], false)
            .unwrap();
    assert_eq!(report.documents, 2, "the issuer's key and the badge class");
    let row = |file: &str| row_of(&report, file);
    for (file, checked) in [
        ("hosted-ana.json", "hosted: not checked"),
        ("signed-ben.jws", "signed: the signature verifies"),
        ("baked-carla.png", "hosted: not checked"),
        ("baked-dev.svg", "signed: the signature verifies"),
    ] {
        let r = row(file);
        assert!(r.award_id.is_some(), "{r:?}");
        assert!(r.checked.starts_with(checked), "{r:?}");
        assert_eq!(
            r.microcredential.as_deref(),
            Some("data-visualization-for-decision-makers")
        );
    }
    assert!(row("tampered-eve.jws")
        .skipped
        .as_deref()
        .unwrap()
        .contains("the signature does not match"));
    assert!(row("unknown-frank.json")
        .skipped
        .as_deref()
        .unwrap()
        .contains("no active microcredential is called \"Underwater Basket Weaving\""));
    assert_eq!((report.imported, report.skipped), (4, 2));

    // Each credential is the institution's, verifies, keeps the day the original was issued,
    // and names the original as evidence (not as its signature).
    for r in report.rows.iter().filter(|r| r.award_id.is_some()) {
        let id = r.award_id.as_deref().unwrap();
        let award = d.ws.award(id).unwrap();
        assert!(award.imported);
        let json = d.ws.award_files(id).unwrap().json;
        assert!(
            d.ws.verify_credential(json.as_bytes()).verified(),
            "{}",
            r.file
        );
        let credential: serde_json::Value = serde_json::from_str(&json).unwrap();
        let evidence = &credential["evidence"][0];
        assert_eq!(evidence["genre"], IMPORT_GENRE);
        let narrative = evidence["narrative"].as_str().unwrap();
        assert!(
            narrative.contains("not by the original issuer"),
            "{narrative}"
        );
        assert!(
            evidence["id"]
                .as_str()
                .unwrap()
                .starts_with("https://badges.oldplatform.example/assertions/"),
            "{evidence}"
        );
    }
    let ben = d.ws.find_award("ben.okafor@example.org").unwrap();
    assert_eq!(ben.completed_on, "2024-11-02");

    // The same folder again: nothing new.
    let again =
        d.ws.import_ob2(d.coordinator, &all, &learners(), &[], false)
            .unwrap();
    assert_eq!(again.imported, 0);
    assert!(row("hosted-ana.json").award_id.is_some());
    assert!(row_of(&again, "hosted-ana.json")
        .skipped
        .as_deref()
        .unwrap()
        .starts_with("imported already as award"));
    assert!(d.ws.verify_audit().unwrap().holds());
}

#[test]
fn without_the_key_a_signed_assertion_is_imported_as_unchecked_and_a_map_names_the_badge() {
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let some = files(&["issuer-key.json", "hosted-ana.json", "baked-carla.png"]);
    let map = [(
        "https://badges.oldplatform.example/badges/baskets".to_string(),
        "spreadsheet-modelling-basics".to_string(),
    )];
    let report =
        d.ws.import_ob2(d.coordinator, &some, &learners(), &map, false)
            .unwrap();
    let ben = row_of(&report, "signed-ben.jws");
    assert!(
        ben.checked.contains(
            "the issuer's key https://badges.oldplatform.example/keys/1 is not among the files"
        ),
        "{ben:?}"
    );
    assert!(ben.award_id.is_some());
    // Without the key, a changed assertion cannot be told apart: it is imported, unchecked.
    let frank = row_of(&report, "unknown-frank.json");
    assert_eq!(
        frank.microcredential.as_deref(),
        Some("spreadsheet-modelling-basics")
    );
    assert!(frank.award_id.is_some(), "{frank:?}");
    // A learner not in the list is named as the reason.
    let only_ben = "name,email\nBen Okafor,ben.okafor@example.org\n";
    let d2 = demo();
    d2.ws.unlock_issuer("demo").unwrap();
    let report = d2
        .ws
        .import_ob2(d2.coordinator, &files(&[]), only_ben, &[], false)
        .unwrap();
    let ana = row_of(&report, "hosted-ana.json");
    assert!(ana
        .skipped
        .as_deref()
        .unwrap()
        .contains("none of the learners listed"));
}

#[test]
fn a_badge_with_no_microcredential_becomes_an_archived_one_made_once() {
    use credence_domain::award::LearnerInput;
    use credence_domain::lifecycle::MicrocredentialStatus;
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let all = files(&[]);
    let report =
        d.ws.import_ob2(d.coordinator, &all, &learners(), &[], true)
            .unwrap();
    // Frank's badge, "Underwater Basket Weaving", names no microcredential: it becomes one.
    assert_eq!(report.archived.len(), 1, "{:?}", report.archived);
    let archived = &report.archived[0];
    assert_eq!(
        (archived.title.as_str(), archived.badge.as_str()),
        (
            "Underwater Basket Weaving",
            "https://badges.oldplatform.example/badges/baskets"
        )
    );
    let frank = row_of(&report, "unknown-frank.json");
    assert_eq!(
        frank.microcredential.as_deref(),
        Some(archived.slug.as_str())
    );
    assert_eq!(
        (report.imported, report.skipped),
        (5, 1),
        "only the tampered one"
    );

    // Retired from the start, in effect from the day its earliest award was made, and
    // refusing new awards; the imported credential verifies and names the badge's name.
    let m = d.ws.microcredential(d.coordinator, &archived.slug).unwrap();
    assert_eq!(m.status, MicrocredentialStatus::Retired);
    assert!(m
        .status_reason
        .as_deref()
        .unwrap()
        .contains("imported from Open Badges 2.0"));
    assert_eq!(m.versions[0].effective_from, "2024-06-14");
    let award = frank.award_id.as_deref().unwrap();
    let json = d.ws.award_files(award).unwrap().json;
    assert!(d.ws.verify_credential(json.as_bytes()).verified());
    let credential: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        credential["credentialSubject"]["achievement"]["name"],
        "Underwater Basket Weaving"
    );
    let e =
        d.ws.issue(
            d.coordinator,
            &archived.slug,
            &[LearnerInput {
                name: "Gus Doe".into(),
                email: "gus@example.org".into(),
                ..Default::default()
            }],
        )
        .unwrap_err();
    assert!(
        e.message.contains("not active") || e.to_string().contains("retired"),
        "{e:?}"
    );

    // Another assertion of the same badge, imported later, finds the same microcredential.
    let later = vec![IncomingFile {
        name: "grace.json".into(),
        bytes: std::fs::read(format!("{FIXTURES}-later/grace.json")).unwrap(),
    }];
    let report =
        d.ws.import_ob2(
            d.coordinator,
            &later,
            "name,email\nGrace Ho,grace.ho@example.org\n",
            &[],
            true,
        )
        .unwrap();
    assert!(report.archived.is_empty(), "{:?}", report.archived);
    assert_eq!(
        report.rows[0].microcredential.as_deref(),
        Some(archived.slug.as_str()),
        "{:?}",
        report.rows[0]
    );
    assert!(report.rows[0].award_id.is_some());
    assert!(d.ws.verify_audit().unwrap().holds());
}
