//! Proposals from draft through the completeness check, against a real SQLite file.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use credence_app::domain::diff::{ChangeKind, ChangeLevel};

use credence_app::domain::person::{PersonInput, Role};
use credence_app::domain::proposal::{ProposalContent, ProposalEvent, ProposalStatus, Workload};
use credence_app::domain::unit::{UnitInput, UnitKind};
use credence_app::proposals::ProposalQuery;
use credence_app::{ErrorKind, Workspace};

struct World {
    _dir: tempfile::TempDir,
    ws: Workspace,
    coordinator: i64,
    proposer: i64,
    outsider: i64,
    unit: i64,
}

fn world() -> World {
    let (dir, _, ws, coordinator) = common::new_workspace();
    let by = Some(coordinator);
    let unit = |code: &str| UnitInput {
        code: code.into(),
        name: format!("Department {code}"),
        kind: UnitKind::Department,
        parent_id: None,
    };
    let cs = ws.create_unit(by, &unit("CS")).unwrap().id;
    let me = ws.create_unit(by, &unit("ME")).unwrap().id;
    let person = |email: &str, unit_id| PersonInput {
        name: email.into(),
        email: email.into(),
        unit_id: Some(unit_id),
        roles: vec![Role::Proposer],
    };
    let proposer =
        common::add_person(&ws, by, &person("priya@northfield.edu", cs), common::PASS).id;
    let outsider =
        common::add_person(&ws, by, &person("tomas@northfield.edu", me), common::PASS).id;
    World {
        _dir: dir,
        ws,
        coordinator,
        proposer,
        outsider,
        unit: cs,
    }
}

/// A draft that breaks three blocking rules: credits, review cycle, and assessment.
fn failing_draft(unit: i64) -> ProposalContent {
    ProposalContent {
        title: "Applied Robotics".into(),
        description: "Design, build and program a mobile robot.".into(),
        unit_id: Some(unit),
        credit_status: Some("credit".into()),
        category: Some("academic".into()),
        level: Some("intermediate".into()),
        outcomes: vec![
            "Build a mobile robot.".into(),
            "Program its sensors.".into(),
            "Test it in the field.".into(),
        ],
        workload: Workload {
            credits: Some(3.0),
            ects: None,
            hours: None,
        },
        ..Default::default()
    }
}

fn fix(mut c: ProposalContent) -> ProposalContent {
    c.workload.credits = Some(9.0);
    c.review_cycle_years = Some(2);
    c.assessment_types = vec!["project".into()];
    c
}

#[test]
fn a_proposal_goes_from_draft_to_complete_with_frozen_versions() {
    let w = world();
    let p =
        w.ws.create_proposal(Some(w.proposer), &failing_draft(w.unit))
            .unwrap();
    assert_eq!((p.status, p.version), (ProposalStatus::Draft, 0));

    let err =
        w.ws.move_proposal(Some(w.proposer), p.id, &ProposalEvent::Submit)
            .unwrap_err();
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        ["workload.credits", "assessment_types", "review_cycle_years"]
    );
    assert_eq!(
        w.ws.proposal(p.id).unwrap().status,
        ProposalStatus::Draft,
        "nothing moved"
    );

    w.ws.save_draft(Some(w.proposer), p.id, &fix(failing_draft(w.unit)))
        .unwrap();
    let submitted =
        w.ws.move_proposal(Some(w.proposer), p.id, &ProposalEvent::Submit)
            .unwrap();
    assert_eq!(
        (submitted.status, submitted.version),
        (ProposalStatus::Submitted, 1)
    );
    let err =
        w.ws.save_draft(Some(w.proposer), p.id, &failing_draft(w.unit))
            .unwrap_err();
    assert!(err.message.contains("read-only"), "{}", err.message);

    let no_comment = ProposalEvent::ReturnToDraft {
        comment: " ".into(),
    };
    assert_eq!(
        w.ws.move_proposal(Some(w.coordinator), p.id, &no_comment)
            .unwrap_err()
            .fields[0]
            .field,
        "comment"
    );
    let back = ProposalEvent::ReturnToDraft {
        comment: "Attach the syllabus.".into(),
    };
    w.ws.move_proposal(Some(w.coordinator), p.id, &back)
        .unwrap();
    let mut edited = fix(failing_draft(w.unit));
    edited.description = "Design, build, program and test a mobile robot.".into();
    w.ws.save_draft(Some(w.proposer), p.id, &edited).unwrap();
    // The revision against version 1: only the description, a minor change.
    let d = w.ws.proposal_diff(p.id, None, None).unwrap();
    assert_eq!((d.from, d.to), (1, None));
    assert_eq!(d.diff.level, Some(ChangeLevel::Minor));
    assert_eq!(d.diff.deciding, ["description"]);
    // An outcome reworded and more credits make it major.
    let mut bigger = edited.clone();
    bigger.outcomes[0] = format!(
        "{} and its chassis",
        bigger.outcomes[0].trim_end_matches('.')
    );
    bigger.workload.credits = Some(12.0);
    w.ws.save_draft(Some(w.proposer), p.id, &bigger).unwrap();
    let d = w.ws.proposal_diff(p.id, None, None).unwrap();
    assert_eq!(d.diff.level, Some(ChangeLevel::Major));
    assert_eq!(d.diff.deciding, ["outcomes", "workload.credits"]);
    assert_eq!(d.diff.changes[1].kind, ChangeKind::Reworded);
    w.ws.save_draft(Some(w.proposer), p.id, &edited).unwrap();
    let again =
        w.ws.move_proposal(Some(w.proposer), p.id, &ProposalEvent::Submit)
            .unwrap();
    assert_eq!(again.version, 2);
    let done =
        w.ws.move_proposal(Some(w.coordinator), p.id, &ProposalEvent::AcceptAsComplete)
            .unwrap();
    assert_eq!(done.status, ProposalStatus::Complete);

    assert_eq!(
        w.ws.proposal_version(p.id, 1).unwrap().description,
        "Design, build and program a mobile robot."
    );
    // Resubmitted, the last version against the one before.
    let d = w.ws.proposal_diff(p.id, None, None).unwrap();
    assert_eq!((d.from, d.to), (1, Some(2)));
    assert_eq!(d.diff.changes.len(), 1);
    assert_eq!(
        w.ws.proposal_diff(p.id, Some(1), Some(9))
            .unwrap_err()
            .fields[0]
            .message,
        format!("proposal {} has no version 9", p.id)
    );
    assert_eq!(
        w.ws.proposal_version(p.id, 2).unwrap().description,
        edited.description
    );
    assert!(w.ws.verify_audit().unwrap().holds());
}

#[test]
fn only_the_right_people_move_a_proposal() {
    let w = world();
    let p =
        w.ws.create_proposal(Some(w.proposer), &fix(failing_draft(w.unit)))
            .unwrap();
    let err =
        w.ws.save_draft(Some(w.outsider), p.id, &failing_draft(w.unit))
            .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Forbidden);
    w.ws.move_proposal(Some(w.proposer), p.id, &ProposalEvent::Submit)
        .unwrap();
    let err =
        w.ws.move_proposal(Some(w.proposer), p.id, &ProposalEvent::AcceptAsComplete)
            .unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::Forbidden,
        "a proposer does not accept their own proposal"
    );
    assert_eq!(
        w.ws.move_proposal(Some(w.outsider), p.id, &ProposalEvent::Withdraw)
            .unwrap_err()
            .kind,
        ErrorKind::Forbidden
    );
    assert_eq!(
        w.ws.move_proposal(Some(w.proposer), p.id, &ProposalEvent::Withdraw)
            .unwrap()
            .status,
        ProposalStatus::Withdrawn
    );
}

#[test]
fn the_live_check_lists_similar_proposals_and_findings() {
    let w = world();
    w.ws.create_proposal(Some(w.proposer), &failing_draft(w.unit))
        .unwrap();
    let mut other = failing_draft(w.unit);
    other.title = "Robotics Fundamentals".into();
    other.outcomes = vec!["Build a mobile robot from a kit.".into()];
    let check = w.ws.check_proposal(None, &other).unwrap();
    assert_eq!(
        check.similar.first().map(|s| s.title.as_str()),
        Some("Applied Robotics")
    );
    assert!(check.findings.iter().any(|f| f.rule_id == "credit-range"));
}

#[test]
fn the_list_filters_and_searches_in_sql() {
    let w = world();
    for (i, title) in [
        "Applied Robotics",
        "Machine Learning Foundations",
        "Leadership in Practice",
    ]
    .iter()
    .enumerate()
    {
        let mut c = fix(failing_draft(w.unit));
        c.title = (*title).into();
        c.outcomes = vec![format!("Outcome about {title}")];
        c.category = Some(if i == 2 { "professional" } else { "academic" }.into());
        w.ws.create_proposal(Some(w.proposer), &c).unwrap();
    }
    let q = |q: ProposalQuery| w.ws.proposals(&q).unwrap();
    assert_eq!(q(ProposalQuery::default()).total, 3);
    assert_eq!(
        q(ProposalQuery {
            category: Some("academic".into()),
            ..Default::default()
        })
        .total,
        2
    );
    let found = q(ProposalQuery {
        search: Some("machin".into()),
        ..Default::default()
    });
    assert_eq!(
        found
            .rows
            .iter()
            .map(|r| r.title.as_str())
            .collect::<Vec<_>>(),
        ["Machine Learning Foundations"]
    );
    assert_eq!(
        q(ProposalQuery {
            search: Some("\"unbalanced (quote".into()),
            ..Default::default()
        })
        .total,
        0
    );
    assert_eq!(
        q(ProposalQuery {
            limit: Some(2),
            ..Default::default()
        })
        .rows
        .len(),
        2
    );
    let titles = |sort| -> Vec<String> {
        q(ProposalQuery {
            sort: Some(sort),
            ..Default::default()
        })
        .rows
        .into_iter()
        .map(|r| r.title)
        .collect()
    };
    use credence_app::domain::proposal::ProposalSort;
    assert_eq!(
        titles(ProposalSort::Title),
        [
            "Applied Robotics",
            "Leadership in Practice",
            "Machine Learning Foundations"
        ]
    );
    assert_eq!(
        titles(ProposalSort::TitleDesc),
        [
            "Machine Learning Foundations",
            "Leadership in Practice",
            "Applied Robotics"
        ]
    );
    // Newest change first by default; the first created is last.
    assert_eq!(titles(ProposalSort::Updated)[2], "Applied Robotics");
    assert_eq!(titles(ProposalSort::UpdatedAsc)[0], "Applied Robotics");
}

#[test]
fn an_import_with_bad_rows_imports_nothing_and_names_each_problem() {
    let w = world();
    let good = fix(failing_draft(w.unit));
    let mut no_title = good.clone();
    no_title.title = " ".into();
    let mut bad_refs = good.clone();
    bad_refs.unit_id = Some(999);
    bad_refs.skills = vec!["NACE:juggling".into()];
    bad_refs.category = Some("sports".into());
    let err =
        w.ws.import_proposals(Some(w.coordinator), &[good.clone(), no_title, bad_refs])
            .unwrap_err();
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "row 2: title",
            "row 3: unit_id",
            "row 3: skills",
            "row 3: category"
        ]
    );
    assert_eq!(w.ws.proposals(&ProposalQuery::default()).unwrap().total, 0);
    assert_eq!(
        w.ws.import_proposals(Some(w.coordinator), &[good.clone(), good])
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_new_workspace_starts_with_the_default_taxonomy_and_policies() {
    let w = world();
    let t = w.ws.taxonomy().unwrap();
    assert_eq!(t.skills.len(), 8);
    assert!(t
        .terms
        .iter()
        .any(|t| t.code == "participation" && t.participation_award));
    assert_eq!(w.ws.policy().unwrap().rules.len(), 7);
}

#[test]
fn pathways_stack_credentials_and_refuse_cycles_by_name() {
    use credence_app::domain::taxonomy::{Pathway, PathwayPart, StackRule};
    let w = world();
    let by = Some(w.coordinator);
    let mut robotics = fix(failing_draft(w.unit));
    robotics.title = "Robotics".into();
    let mut ml = fix(failing_draft(w.unit));
    ml.title = "Machine Learning".into();
    let r =
        w.ws.create_proposal(Some(w.proposer), &robotics)
            .unwrap()
            .id;
    let m = w.ws.create_proposal(Some(w.proposer), &ml).unwrap().id;
    let ai =
        w.ws.put_pathway(
            by,
            &Pathway {
                id: 0,
                name: "Artificial Intelligence".into(),
                rule: StackRule::All,
                parts: vec![PathwayPart::Credential(r), PathwayPart::Credential(m)],
            },
        )
        .unwrap();
    let eng =
        w.ws.put_pathway(
            by,
            &Pathway {
                id: 0,
                name: "Engineering Futures".into(),
                rule: StackRule::AtLeast(1),
                parts: vec![PathwayPart::Pathway(ai.id)],
            },
        )
        .unwrap();
    let mut looped = ai.clone();
    looped.parts.push(PathwayPart::Pathway(eng.id));
    let err = w.ws.put_pathway(by, &looped).unwrap_err();
    assert_eq!(
        err.fields[0].message,
        "the pathways would stack into themselves: Artificial Intelligence → Engineering Futures → Artificial Intelligence"
    );
    assert_eq!(
        w.ws.pathways()
            .unwrap()
            .iter()
            .find(|p| p.id == ai.id)
            .unwrap()
            .parts
            .len(),
        2
    );
    assert_eq!(
        w.ws.put_pathway(Some(w.proposer), &ai).unwrap_err().kind,
        ErrorKind::Forbidden
    );
}

#[test]
fn a_csv_export_cannot_run_as_a_formula_and_reads_back_as_written() {
    let w = world();
    let mut c = common::compliant("=HYPERLINK(\"http://evil.example\",\"Open\")", w.unit);
    c.description = "-1+2 is how the module starts".into();
    c.outcomes = vec!["@SUM(A1:A9) explained".into(), "Plain outcome".into()];
    w.ws.create_proposal(Some(w.proposer), &c).unwrap();
    let csv = w.ws.export_proposals_csv().unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:?}"
            );
        }
    }
    assert!(csv.contains("'=HYPERLINK"), "{csv}");

    // Read back (into another workspace with the same unit code), the texts are as typed.
    let other = world();
    let ids = other
        .ws
        .import_proposals_csv(Some(other.proposer), &csv)
        .unwrap();
    let back = other.ws.proposal(ids[0]).unwrap().content;
    assert_eq!(back.title, c.title);
    assert_eq!(back.description, c.description);
    assert_eq!(back.outcomes, c.outcomes);
}

/// Two seats edit one draft (the proposer and the coordinator, each from what they read): the
/// later save over a stale copy is refused naming who saved in between and when, and changes
/// nothing; saved over the fresh copy, it goes through.
#[test]
fn a_save_over_a_draft_someone_else_changed_is_refused_naming_them() {
    let w = world();
    let p =
        w.ws.create_proposal(Some(w.proposer), &failing_draft(w.unit))
            .unwrap();
    // Both open the draft.
    let read_by_proposer = w.ws.proposal(p.id).unwrap();
    let read_by_coordinator = w.ws.proposal(p.id).unwrap();
    // The coordinator saves first.
    let mut theirs = read_by_coordinator.content.clone();
    theirs.description = "Design, build and program a mobile robot, in teams.".into();
    let saved =
        w.ws.save_draft_over(
            Some(w.coordinator),
            p.id,
            &theirs,
            Some(&read_by_coordinator.updated_at),
        )
        .unwrap();
    assert_ne!(saved.updated_at, read_by_proposer.updated_at);
    let entries = common::audit_len(&w.ws, None);

    // The proposer's save, over what they read before that: refused, naming the coordinator.
    let mut mine = read_by_proposer.content.clone();
    mine.title = "Applied Mobile Robotics".into();
    let err =
        w.ws.save_draft_over(
            Some(w.proposer),
            p.id,
            &mine,
            Some(&read_by_proposer.updated_at),
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict, "{err:?}");
    assert!(
        err.message
            .starts_with("Dana Whitfield changed this proposal at ")
            && err.message.contains("nothing of yours was saved"),
        "{}",
        err.message
    );
    let now = w.ws.proposal(p.id).unwrap();
    assert_eq!(now.content, saved.content, "the coordinator's work stands");
    assert_eq!(common::audit_len(&w.ws, None), entries, "nothing recorded");

    // Over the draft as it now is, the proposer's change goes through.
    let mut mine = now.content.clone();
    mine.title = "Applied Mobile Robotics".into();
    let after =
        w.ws.save_draft_over(Some(w.proposer), p.id, &mine, Some(&now.updated_at))
            .unwrap();
    assert_eq!(after.content.title, "Applied Mobile Robotics");
    assert_eq!(
        after.content.description,
        "Design, build and program a mobile robot, in teams."
    );
}
