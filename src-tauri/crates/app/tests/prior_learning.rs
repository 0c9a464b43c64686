//! Recognition of prior learning against a real SQLite file (the demo workspace): a claim
//! opened with evidence, decided by an assessor outcome by outcome with their signature, and
//! awarded a credential that says how it was earned; who may do each, and what is refused.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use common::{demo, Demo};
use credence_app::domain::person::{PersonInput, Role};
use credence_app::domain::prior_learning::{Assessment, ClaimState, OutcomeJudgement};
use credence_app::issuing::prior_learning::ClaimInput;
use credence_app::proposals::attachments::IncomingFile;
use credence_app::review::TaskKind;
use credence_app::ErrorKind;
use credence_store::sql::Engine;

fn claim(email: &str) -> ClaimInput {
    ClaimInput {
        microcredential: "data-visualization-for-decision-makers".into(),
        learner_name: "Maya Ortiz".into(),
        learner_email: email.into(),
        learner_did: String::new(),
        statement: "Five years building dashboards for the city's planning office.".into(),
    }
}

fn file(name: &str, bytes: &[u8]) -> IncomingFile {
    IncomingFile {
        name: name.into(),
        bytes: bytes.to_vec(),
    }
}

fn judged(outcomes: &[String], met: bool) -> Vec<OutcomeJudgement> {
    outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| OutcomeJudgement {
            outcome: o.clone(),
            met: met || i > 0,
            note: format!("Portfolio item {}", i + 1),
        })
        .collect()
}

/// Grace Okoye, an assessor, enrolled with the passphrase "assessor passphrase".
fn assessor(d: &Demo) -> i64 {
    common::add_person(
        &d.ws,
        d.coordinator,
        &PersonInput {
            name: "Grace Okoye".into(),
            email: "grace.okoye@northfield.edu".into(),
            unit_id: None,
            roles: vec![Role::Assessor],
        },
        "assessor passphrase",
    )
    .id
}

fn tasks(d: &Demo, who: i64) -> Vec<String> {
    d.ws.inbox(Some(who))
        .unwrap()
        .tasks
        .into_iter()
        .filter(|t| t.kind == TaskKind::PriorLearning)
        .map(|t| t.detail)
        .collect()
}

#[test]
fn a_claim_is_assessed_outcome_by_outcome_signed_and_awarded_as_prior_learning() {
    let d = demo();
    let dana = d.coordinator.unwrap();
    let grace = assessor(&d);
    let pdf = file("portfolio.pdf", b"%PDF-1.4 dashboards portfolio");

    // Refused, nothing kept: a program among the evidence, someone who does not take
    // claims, a learner who holds the microcredential already, a blank account.
    let e =
        d.ws.open_prior_learning(
            d.coordinator,
            &claim("maya@example.org"),
            &[pdf.clone(), file("setup.exe", b"MZ\x90\x00")],
        )
        .unwrap_err();
    assert_eq!(e.fields[0].field, "evidence");
    assert!(e.fields[0].message.contains("setup.exe"), "{e:?}");
    let priya = d.ws.person_by_email("priya.raman@northfield.edu").unwrap();
    let e =
        d.ws.open_prior_learning(Some(priya.id), &claim("maya@example.org"), &[])
            .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    d.ws.sign_in(dana, "northfield demo").unwrap();
    let e =
        d.ws.open_prior_learning(d.coordinator, &claim("zoe.angstrom@example.org"), &[])
            .unwrap_err();
    assert!(e.fields[0].message.contains("already holds"), "{e:?}");
    let mut blank = claim("maya@example.org");
    blank.statement = " ".into();
    blank.learner_email = "not an email".into();
    let e =
        d.ws.open_prior_learning(d.coordinator, &blank, &[])
            .unwrap_err();
    let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["email", "statement"]);
    assert!(d
        .ws
        .prior_learning(d.coordinator)
        .unwrap()
        .claims
        .is_empty());

    let opened =
        d.ws.open_prior_learning(d.coordinator, &claim("maya@example.org"), &[pdf])
            .unwrap();
    assert_eq!(opened.state, ClaimState::Open);
    assert_eq!(opened.version, 1);
    assert_eq!(opened.evidence[0].name, "portfolio.pdf");
    assert!(opened.outcomes.len() >= 2);
    assert!(!opened.may_assess, "the coordinator is no assessor");
    let e =
        d.ws.open_prior_learning(d.coordinator, &claim("maya@example.org"), &[])
            .unwrap_err();
    assert!(e.fields[0].message.contains("already has a claim"), "{e:?}");
    assert_eq!(tasks(&d, grace).len(), 1);

    // Only an assessor decides, with every outcome judged and met to recognize it, signed
    // with their own passphrase.
    let all_met = Assessment {
        judgements: judged(&opened.outcomes, true),
        recognize: true,
        note: String::new(),
    };
    let e =
        d.ws.assess_prior_learning(d.coordinator, opened.id, &all_met, "northfield demo")
            .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    d.ws.sign_in(grace, "assessor passphrase").unwrap();
    let one_short = Assessment {
        judgements: judged(&opened.outcomes, false),
        ..all_met.clone()
    };
    let e =
        d.ws.assess_prior_learning(Some(grace), opened.id, &one_short, "assessor passphrase")
            .unwrap_err();
    assert_eq!(e.fields[0].field, "recognize");
    let e =
        d.ws.assess_prior_learning(Some(grace), opened.id, &all_met, "wrong")
            .unwrap_err();
    assert_eq!(e.fields[0].field, "passphrase");
    let more =
        d.ws.add_prior_learning_evidence(
            Some(grace),
            opened.id,
            &[file("reference.txt", b"Her manager's reference.")],
        )
        .unwrap();
    assert_eq!(more.evidence.len(), 2);
    assert!(more.may_assess);
    let decided =
        d.ws.assess_prior_learning(Some(grace), opened.id, &all_met, "assessor passphrase")
            .unwrap();
    assert_eq!(decided.state, ClaimState::Recognized);
    assert_eq!(decided.assessor.as_deref(), Some("Grace Okoye"));
    assert_eq!(decided.assessment.as_ref(), Some(&all_met));
    let e =
        d.ws.assess_prior_learning(Some(grace), opened.id, &all_met, "assessor passphrase")
            .unwrap_err();
    assert_eq!(e.fields[0].field, "status");
    let e =
        d.ws.add_prior_learning_evidence(Some(grace), opened.id, &[file("late.txt", b"late")])
            .unwrap_err();
    assert_eq!(e.fields[0].field, "evidence");
    // The decision is a signed statement `audit verify` checks.
    let report = d.ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    assert!(tasks(&d, grace).is_empty());
    assert_eq!(tasks(&d, dana).len(), 1);

    // Awarded by the coordinator, with the issuer keys unlocked: the credential says how it
    // was earned, and verifies.
    d.ws.sign_in(dana, "northfield demo").unwrap();
    let e =
        d.ws.award_prior_learning(d.coordinator, opened.id)
            .unwrap_err();
    assert!(e.message.contains("unlock"), "{e:?}");
    d.ws.unlock_issuer("demo").unwrap();
    let award = d.ws.award_prior_learning(d.coordinator, opened.id).unwrap();
    assert!(award.by_recognition);
    assert_eq!(award.learner_email, "maya@example.org");
    assert_eq!(
        award.completed_on,
        decided.decided_at.as_deref().unwrap()[..10]
    );
    assert!(d.ws.award(&award.id).unwrap().by_recognition);
    let json = d.ws.award_files(&award.id).unwrap().json;
    let credential: serde_json::Value = serde_json::from_str(&json).unwrap();
    let evidence = &credential["evidence"][0];
    assert_eq!(evidence["genre"], "Recognition of prior learning");
    assert!(evidence["narrative"]
        .as_str()
        .unwrap()
        .contains("assessed by Grace Okoye"));
    assert!(d.ws.verify_credential(json.as_bytes()).verified());
    // Its certificate says how it was earned, not "has successfully completed".
    let pdf = d.ws.award_certificate(&award.id).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("maya.pdf");
    std::fs::write(&path, pdf).unwrap();
    let text = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by the test command");
    let text = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("was awarded, by recognition of prior learning, the microcredential"),
        "{text}"
    );
    assert!(!text.contains("successfully completed"), "{text}");
    let e =
        d.ws.award_prior_learning(d.coordinator, opened.id)
            .unwrap_err();
    assert!(e.fields[0].message.contains("awarded already"), "{e:?}");
    assert!(tasks(&d, dana).is_empty());
    let shown = d.ws.prior_learning_claim(d.coordinator, opened.id).unwrap();
    assert_eq!(shown.award_id.as_deref(), Some(award.id.as_str()));
    assert!(!shown.may_award);

    // Declined, with reasons; a declined claim is not awarded.
    let other =
        d.ws.open_prior_learning(
            d.coordinator,
            &ClaimInput {
                learner_name: "Tom Reyes".into(),
                ..claim("tom@example.org")
            },
            &[file("cv.pdf", b"%PDF-1.4 cv")],
        )
        .unwrap();
    d.ws.sign_in(grace, "assessor passphrase").unwrap();
    let silent = Assessment {
        judgements: judged(&other.outcomes, false),
        recognize: false,
        note: String::new(),
    };
    let e =
        d.ws.assess_prior_learning(Some(grace), other.id, &silent, "assessor passphrase")
            .unwrap_err();
    assert_eq!(e.fields[0].field, "note");
    let declined =
        d.ws.assess_prior_learning(
            Some(grace),
            other.id,
            &Assessment {
                note: "The CV names the tools, but no work shows the first outcome.".into(),
                ..silent
            },
            "assessor passphrase",
        )
        .unwrap();
    assert_eq!(declined.state, ClaimState::Declined);
    d.ws.sign_in(dana, "northfield demo").unwrap();
    d.ws.unlock_issuer("demo").unwrap();
    let e =
        d.ws.award_prior_learning(d.coordinator, other.id)
            .unwrap_err();
    assert!(
        e.fields[0].message.contains("only a recognized claim"),
        "{e:?}"
    );
    assert!(d.ws.verify_audit().unwrap().holds());
}

/// A decision edited outside Credence (declined turned into recognized, in the file) no
/// longer matches what the assessor signed: `audit verify` names the claim.
#[test]
fn a_decision_changed_around_credence_is_caught_by_audit_verify() {
    let d = demo();
    let grace = assessor(&d);
    let opened =
        d.ws.open_prior_learning(
            d.coordinator,
            &claim("maya@example.org"),
            &[file("portfolio.pdf", b"%PDF-1.4 p")],
        )
        .unwrap();
    d.ws.sign_in(grace, "assessor passphrase").unwrap();
    d.ws.assess_prior_learning(
        Some(grace),
        opened.id,
        &Assessment {
            judgements: judged(&opened.outcomes, false),
            recognize: false,
            note: "Not yet".into(),
        },
        "assessor passphrase",
    )
    .unwrap();
    assert!(d.ws.verify_audit().unwrap().holds());
    common::around_credence(d.ws.path(), |db| {
        let set = match db.engine() {
            Engine::Sqlite => "json_set(assessment_json, '$.recognize', json('true'))",
            Engine::Postgres => {
                "CAST(jsonb_set(CAST(assessment_json AS jsonb), '{recognize}', 'true') AS TEXT)"
            }
        };
        db.execute(
            &format!("UPDATE prior_learning SET state = 'recognized', assessment_json = {set}"),
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
            .any(|p| p.starts_with(&format!("claim of prior learning {}", opened.id))),
        "{report:?}"
    );
}
