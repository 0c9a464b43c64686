//! Cases after a microcredential exists, against the demo workspace: a minor change through
//! the coordinator's short route to version 2 in effect now, a major change to version 3
//! waiting for its term while issuing keeps using version 2, and a termination to teach-out
//! and retired. Awards keep the version they were issued under, and still verify.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use credence_app::certificates::award_files::AwardFormat;
use credence_app::domain::award::LearnerInput;
use credence_app::domain::case::{CaseKind, ChangeDetails, TerminationDetails};
use credence_app::domain::diff::{ChangeKind, ChangeLevel};
use credence_app::domain::lifecycle::MicrocredentialStatus;
use credence_app::domain::proposal::{ProposalEvent, ProposalStatus};
use credence_app::domain::review::{Decision, VoteChoice};
use credence_app::proposals::ProposalQuery;
use credence_app::ErrorKind;

const PASS: &str = "northfield demo";

fn id(d: &common::Demo, who: &str) -> Option<i64> {
    Some(
        d.ws.person_by_email(&format!("{who}@northfield.edu"))
            .unwrap()
            .id,
    )
}

fn learner(name: &str, email: &str) -> Vec<LearnerInput> {
    vec![LearnerInput {
        name: name.into(),
        email: email.into(),
        completed_on: chrono::Utc::now().date_naive().to_string(),
        ..Default::default()
    }]
}

/// Issues as the coordinator: signed in, then the issuer key opened (it locks whenever
/// someone else signs in).
fn issue(
    d: &common::Demo,
    name: &str,
    email: &str,
) -> Result<credence_app::issuing::IssueReport, credence_app::AppError> {
    d.ws.sign_in(d.coordinator.unwrap(), PASS).unwrap();
    d.ws.unlock_issuer("demo").unwrap();
    d.ws.issue(d.coordinator, &d.slug, &learner(name, email))
}

/// The committee's step: a meeting with a quorum, the item acknowledged (information) or
/// approved by a vote. Returns the meeting.
fn committee(d: &common::Demo, case: i64, information_only: bool) -> i64 {
    let chair = id(d, "robert.lindqvist");
    let day = chrono::Utc::now().date_naive().to_string();
    let m =
        d.ws.schedule_meeting(chair, "Extra meeting", &day)
            .unwrap()
            .id;
    d.ws.set_agenda(chair, m, &[case]).unwrap();
    // (Chen Wei is of the microcredential's unit, so recused.)
    let voters = [
        "fatima.benali",
        "olivia.mensah",
        "mateo.garcia",
        "arjun.mehta",
    ];
    let mut present: Vec<i64> = voters.iter().map(|v| id(d, v).unwrap()).collect();
    present.push(chair.unwrap());
    d.ws.record_attendance(chair, m, &present).unwrap();
    if information_only {
        d.ws.acknowledge_item(chair, m, case).unwrap();
    } else {
        let motion =
            d.ws.move_motion(
                chair,
                m,
                case,
                &Decision::Approve,
                id(d, "fatima.benali").unwrap(),
                id(d, "olivia.mensah").unwrap(),
            )
            .unwrap()
            .motions
            .last()
            .unwrap()
            .id;
        for v in voters {
            d.ws.cast_vote(id(d, v), motion, VoteChoice::For, PASS)
                .unwrap();
        }
        d.ws.close_motion(chair, motion, PASS).unwrap();
    }
    d.ws.close_meeting(chair, m).unwrap();
    m
}

fn term_codes(d: &common::Demo) -> (String, String) {
    let today = chrono::Utc::now().date_naive().to_string();
    let terms = d.ws.calendar().unwrap();
    let current = terms
        .iter()
        .find(|t| t.starts_on <= today && today <= t.ends_on)
        .or_else(|| terms.iter().find(|t| t.starts_on > today))
        .unwrap();
    let later = terms
        .iter()
        .find(|t| t.starts_on > today && t.starts_on > current.starts_on)
        .unwrap();
    (current.code.clone(), later.code.clone())
}

#[test]
fn a_minor_change_and_a_major_change_become_versions_and_awards_keep_theirs() {
    let d = common::demo();
    let (current_term, later_term) = term_codes(&d);
    let mc = d.ws.microcredential(d.coordinator, &d.slug).unwrap();
    assert!(mc.may_start_change && mc.may_request_termination);
    // A committee member who is not of its unit starts nothing.
    let chen = id(&d, "chen.wei");
    assert!(
        !d.ws
            .microcredential(chen, &d.slug)
            .unwrap()
            .may_start_change
    );
    let e = d.ws.start_change(chen, &d.slug).unwrap_err();
    assert!(
        e.fields[0].message.contains("proposers and coordinators"),
        "{e:?}"
    );

    // ----- a minor change: the description, by a proposer of its unit -----
    let priya = id(&d, "priya.raman");
    let change = d.ws.start_change(priya, &d.slug).unwrap();
    assert_eq!((change.base_version, change.next_version), (1, 2));
    assert_eq!(change.level, None);
    assert!(change.may_edit && !change.may_set_level);
    let view = d.ws.change_request(d.coordinator, change.case_id).unwrap();
    assert!(view.may_edit && view.may_set_level);
    // One open change at a time.
    let e = d.ws.start_change(d.coordinator, &d.slug).unwrap_err();
    assert!(
        e.fields[0]
            .message
            .contains(&format!("change request {} is open", change.case_id)),
        "{e:?}"
    );
    let case = d.ws.proposal(change.case_id).unwrap();
    assert_eq!(case.kind, CaseKind::Change);
    assert_eq!(case.microcredential_id, Some(mc.proposal_id));
    let mut content = case.content.clone();
    content.description = format!("{} Now with a module on dashboards.", content.description);
    d.ws.save_draft(priya, change.case_id, &content).unwrap();
    let view = d.ws.change_request(priya, change.case_id).unwrap();
    assert_eq!(view.level, Some(ChangeLevel::Minor));
    assert_eq!(view.diff.changes[0].field, "description");

    // Submitting needs the details; each missing one is named and nothing is written.
    let before = common::audit_len(&d.ws, None);
    let e =
        d.ws.move_proposal(priya, change.case_id, &ProposalEvent::Submit)
            .unwrap_err();
    let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["rationale", "effective_term", "learner_notice"]);
    assert_eq!(common::audit_len(&d.ws, None), before);
    let e =
        d.ws.set_change_details(
            priya,
            change.case_id,
            &ChangeDetails {
                rationale: "x".into(),
                effective_term: Some("NOPE".into()),
                learner_notice: "x".into(),
            },
        )
        .unwrap_err();
    assert_eq!(e.fields[0].field, "effective_term");
    assert!(e.fields[0].message.contains(&current_term), "{e:?}");
    d.ws.set_change_details(
        priya,
        change.case_id,
        &ChangeDetails {
            rationale: "Learners asked where dashboards fit".into(),
            effective_term: Some(current_term.clone()),
            learner_notice: "The course page says so".into(),
        },
    )
    .unwrap();
    d.ws.move_proposal(priya, change.case_id, &ProposalEvent::Submit)
        .unwrap();
    d.ws.move_proposal(
        d.coordinator,
        change.case_id,
        &ProposalEvent::AcceptAsComplete,
    )
    .unwrap();
    // The short route: the coordinator's approval, then the committee for information.
    let review = d.ws.review(change.case_id).unwrap();
    assert_eq!(review.route.as_deref(), Some("Minor change"));
    d.ws.sign_off(d.coordinator, change.case_id, true, "", PASS)
        .unwrap();
    // Until the route ends, issuing uses version 1.
    let a = issue(&d, "Ana Lima", "ana@example.org").unwrap();
    let _ = committee(&d, change.case_id, true);
    assert_eq!(
        d.ws.proposal(change.case_id).unwrap().status,
        ProposalStatus::Active
    );
    let mc = d.ws.microcredential(d.coordinator, &d.slug).unwrap();
    assert_eq!(mc.version, 2);
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(mc.versions[1].effective_from, today);
    assert_eq!(mc.versions[1].case, change.case_id);
    let b = issue(&d, "Bo Chen", "bo@example.org").unwrap();

    // ----- a major change: an outcome added, for a later term -----
    let major = d.ws.start_change(priya, &d.slug).unwrap();
    assert_eq!((major.base_version, major.next_version), (2, 3));
    let mut content = d.ws.proposal(major.case_id).unwrap().content;
    assert!(content.description.contains("dashboards"));
    content
        .outcomes
        .push("Critique a dashboard for misleading scales".into());
    d.ws.save_draft(priya, major.case_id, &content).unwrap();
    let view = d.ws.change_request(d.coordinator, major.case_id).unwrap();
    assert_eq!(view.level, Some(ChangeLevel::Major));
    assert!(view
        .diff
        .changes
        .iter()
        .any(|c| c.field == "outcomes" && c.kind == ChangeKind::Added));
    // Lowering the level needs a reason; raising back needs none.
    let e =
        d.ws.set_change_level(d.coordinator, major.case_id, ChangeLevel::Minor, None)
            .unwrap_err();
    assert_eq!(e.fields[0].field, "reason");
    let e =
        d.ws.set_change_level(chen, major.case_id, ChangeLevel::Minor, Some("x"))
            .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    d.ws.set_change_details(
        priya,
        major.case_id,
        &ChangeDetails {
            rationale: "Employers asked for critique".into(),
            effective_term: Some(later_term.clone()),
            learner_notice: "Email to the current cohort".into(),
        },
    )
    .unwrap();
    d.ws.move_proposal(priya, major.case_id, &ProposalEvent::Submit)
        .unwrap();
    d.ws.move_proposal(
        d.coordinator,
        major.case_id,
        &ProposalEvent::AcceptAsComplete,
    )
    .unwrap();
    // A major change takes the route its content picks (this one is non-credit).
    assert_eq!(
        d.ws.review(major.case_id).unwrap().route.as_deref(),
        Some("Non-credit")
    );
    d.ws.sign_off(id(&d, "sofia.rossi"), major.case_id, true, "", PASS)
        .unwrap();
    let meeting = committee(&d, major.case_id, true);
    // The agenda puts the redline before the committee.
    let agenda = common::pdf_text(&d.ws.agenda_pdf(meeting).unwrap());
    assert!(
        agenda.contains("Change request: Data Visualization"),
        "{agenda}"
    );
    assert!(agenda.contains("(a major change)"), "{agenda}");
    assert!(agenda.contains("Employers asked for critique"), "{agenda}");
    assert!(
        agenda.contains("Critique a dashboard for misleading scales"),
        "{agenda}"
    );
    let mc = d.ws.microcredential(d.coordinator, &d.slug).unwrap();
    let later_start =
        d.ws.calendar()
            .unwrap()
            .into_iter()
            .find(|t| t.code == later_term)
            .unwrap()
            .starts_on;
    assert_eq!(mc.versions.len(), 3);
    assert_eq!(mc.versions[2].effective_from, later_start);
    // Version 3 waits for its term: issuing uses version 2 meanwhile.
    assert_eq!(mc.version, 2);
    let c = issue(&d, "Cy Diaz", "cy@example.org").unwrap();

    // Each award keeps its version, and every credential verifies.
    let awards = d.ws.awards("", 100).unwrap();
    let version_of = |report: &credence_app::issuing::IssueReport| report.rows[0].award.version;
    assert_eq!((version_of(&a), version_of(&b), version_of(&c)), (1, 2, 2));
    let mut writer = d.ws.award_writer(&[AwardFormat::Json]).unwrap();
    for award in &awards {
        if award.revoked_at.is_none() {
            let files = writer.files(award).unwrap();
            let report = d.ws.verify_credential(&files[0].bytes);
            assert!(report.verified(), "{}: {report:?}", award.learner_name);
        }
    }
    let mc = d.ws.microcredential(d.coordinator, &d.slug).unwrap();
    assert_eq!(
        mc.versions.iter().map(|v| v.awards).collect::<Vec<_>>(),
        [8, 2, 0]
    );
    // The cases list filters by kind.
    let changes =
        d.ws.proposals(&ProposalQuery {
            kind: Some(CaseKind::Change),
            ..Default::default()
        })
        .unwrap();
    // (The demo has two changes of its own, to another microcredential.)
    let ours: Vec<i64> = changes
        .rows
        .iter()
        .filter(|r| r.title == "Data Visualization for Decision Makers")
        .map(|r| r.id)
        .collect();
    assert_eq!(ours.len(), 2);
    assert!(changes.rows.iter().all(|r| r.kind == CaseKind::Change));
    assert!(d.ws.verify_audit().unwrap().holds());
}

#[test]
fn a_new_title_is_another_microcredential_and_is_not_submitted_as_a_change() {
    let d = common::demo();
    let change = d.ws.start_change(d.coordinator, &d.slug).unwrap();
    let mut content = d.ws.proposal(change.case_id).unwrap().content;
    content.title = "Dashboards for Decision Makers".into();
    d.ws.save_draft(d.coordinator, change.case_id, &content)
        .unwrap();
    let view = d.ws.change_request(d.coordinator, change.case_id).unwrap();
    assert_eq!(view.level, Some(ChangeLevel::NewMicrocredential));
    let (term, _) = term_codes(&d);
    d.ws.set_change_details(
        d.coordinator,
        change.case_id,
        &ChangeDetails {
            rationale: "A better name".into(),
            effective_term: Some(term),
            learner_notice: "None needed".into(),
        },
    )
    .unwrap();
    let e =
        d.ws.move_proposal(d.coordinator, change.case_id, &ProposalEvent::Submit)
            .unwrap_err();
    assert_eq!(e.fields[0].field, "title");
    assert!(e.fields[0].message.contains("propose a new one"), "{e:?}");
}

#[test]
fn a_termination_runs_its_route_to_teach_out_then_retired_and_awards_stay_valid() {
    let d = common::demo();
    let today = chrono::Utc::now().date_naive();
    let until = (today + chrono::Days::new(60)).to_string();

    // Bad requests are named and change nothing.
    let before = common::audit_len(&d.ws, None);
    let e =
        d.ws.request_termination(
            d.coordinator,
            &d.slug,
            &TerminationDetails {
                reason: " ".into(),
                last_intake_on: None,
                teach_out_until: "soon".into(),
            },
        )
        .unwrap_err();
    let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["reason", "teach_out_until"]);
    assert_eq!(common::audit_len(&d.ws, None), before);

    let priya = id(&d, "priya.raman");
    let t =
        d.ws.request_termination(
            priya,
            &d.slug,
            &TerminationDetails {
                reason: "Replaced by the analytics certificate".into(),
                last_intake_on: None,
                teach_out_until: until.clone(),
            },
        )
        .unwrap();
    // The impact report: the demo's awards (all stay valid), one revoked.
    assert_eq!((t.impact.awards, t.impact.revoked), (7, 1));
    assert_eq!(t.status, ProposalStatus::Submitted);
    let e =
        d.ws.request_termination(
            d.coordinator,
            &d.slug,
            &TerminationDetails {
                reason: "again".into(),
                last_intake_on: None,
                teach_out_until: until.clone(),
            },
        )
        .unwrap_err();
    assert!(e.fields[0].message.contains("is open"), "{e:?}");

    d.ws.move_proposal(d.coordinator, t.case_id, &ProposalEvent::AcceptAsComplete)
        .unwrap();
    assert_eq!(
        d.ws.review(t.case_id).unwrap().route.as_deref(),
        Some("Termination")
    );
    d.ws.sign_off(id(&d, "sofia.rossi"), t.case_id, true, "", PASS)
        .unwrap();
    let meeting = committee(&d, t.case_id, false);
    // The agenda and the decision letter carry the request and its impact.
    for text in [
        common::pdf_text(&d.ws.agenda_pdf(meeting).unwrap()),
        common::pdf_text(&d.ws.decision_letter_pdf(t.case_id).unwrap()),
    ] {
        assert!(
            text.contains("Replaced by the analytics certificate"),
            "{text}"
        );
        assert!(
            text.contains("7 awards issued, all staying valid"),
            "{text}"
        );
    }
    let mc = d.ws.microcredential(d.coordinator, &d.slug).unwrap();
    assert_eq!(mc.status, MicrocredentialStatus::TeachOut);
    assert_eq!(mc.teach_out_until.as_deref(), Some(until.as_str()));
    assert!(!mc.may_start_change);
    // Learners already enrolled are still awarded during the teach-out.
    issue(&d, "Ana Lima", "ana@example.org").unwrap();

    // Ending it early is a coordinator's act, and only for a teach-out; then retired.
    let e = d.ws.end_teach_out(id(&d, "chen.wei"), &d.slug).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    let mc = d.ws.end_teach_out(d.coordinator, &d.slug).unwrap();
    assert_eq!(mc.status, MicrocredentialStatus::Retired);
    let e = d.ws.end_teach_out(d.coordinator, &d.slug).unwrap_err();
    assert!(e.fields[0].message.contains("is retired"), "{e:?}");
    let e = issue(&d, "Bo Chen", "bo@example.org").unwrap_err();
    assert_eq!(
        e.fields[0].message,
        format!(
            "\"Data Visualization for Decision Makers\" is retired since {today}; it cannot be awarded"
        )
    );
    // The record stays, with every award, and every credential still verifies.
    let mut writer = d.ws.award_writer(&[AwardFormat::Json]).unwrap();
    let awards = d.ws.awards("", 100).unwrap();
    let ours = awards
        .iter()
        .filter(|a| a.proposal_id == mc.proposal_id)
        .count();
    assert_eq!(ours, 8);
    for award in awards.iter().filter(|a| a.revoked_at.is_none()) {
        let files = writer.files(award).unwrap();
        assert!(d.ws.verify_credential(&files[0].bytes).verified());
    }
    assert!(d.ws.verify_audit().unwrap().holds());
}

#[test]
fn a_periodic_review_that_requires_a_change_or_a_sunset_opens_that_case() {
    use credence_app::domain::lifecycle::ReviewOutcome;
    let d = common::demo();
    // A sunset whose teach-out has passed is refused whole: no review recorded, no case.
    let before = common::audit_len(&d.ws, None);
    let e =
        d.ws.record_review_outcome(
            d.coordinator,
            &d.slug,
            "Enrolment has fallen away",
            &ReviewOutcome::Sunset {
                teach_out_until: "2020-01-01".into(),
                last_intake_on: None,
            },
        )
        .unwrap_err();
    assert_eq!(e.fields[0].field, "teach_out_until");
    assert_eq!(common::audit_len(&d.ws, None), before);

    // A change required needs the day it is due by, after today: refused whole without.
    for due in ["", "2020-01-01"] {
        let e =
            d.ws.record_review_outcome(
                d.coordinator,
                &d.slug,
                "Outcome 2 no longer matches industry practice",
                &ReviewOutcome::ChangeRequired { due_on: due.into() },
            )
            .unwrap_err();
        assert_eq!(e.fields[0].field, "due_on", "{e:?}");
        assert_eq!(common::audit_len(&d.ws, None), before);
    }
    let due_on = (chrono::Utc::now().date_naive() + chrono::Days::new(120)).to_string();
    let done =
        d.ws.record_review_outcome(
            d.coordinator,
            &d.slug,
            "Outcome 2 no longer matches industry practice",
            &ReviewOutcome::ChangeRequired {
                due_on: due_on.clone(),
            },
        )
        .unwrap();
    let case = done.case.unwrap();
    // Due as a condition of the review: on the change request, and in Things to do for the
    // coordinator and the microcredential's unit until it is decided.
    assert_eq!(
        d.ws.change_request(d.coordinator, case).unwrap().due_on,
        Some(due_on.clone())
    );
    let due_task =
        |who| {
            d.ws.inbox(who).unwrap().tasks.into_iter().find(|t| {
                t.kind == credence_app::review::TaskKind::ChangeDue && t.proposal_id == case
            })
        };
    let task = due_task(d.coordinator).unwrap();
    assert_eq!(
        (task.due_on.as_deref(), task.overdue),
        (Some(due_on.as_str()), false)
    );
    let priya =
        d.ws.person_by_email("priya.raman@northfield.edu")
            .unwrap()
            .id;
    assert!(due_task(Some(priya)).is_some());
    let chair =
        d.ws.person_by_email("robert.lindqvist@northfield.edu")
            .unwrap()
            .id;
    assert!(due_task(Some(chair)).is_none());
    assert!(!done.microcredential.review_due);
    assert_eq!(done.microcredential.open_cases[0].id, case);
    let change = d.ws.change_request(d.coordinator, case).unwrap();
    assert_eq!(
        change.details.rationale,
        "Periodic review: Outcome 2 no longer matches industry practice"
    );
    assert_eq!(change.status, ProposalStatus::Draft);
    // Reviewed today, its next review is a cycle away; a later finding is recorded too.
    let renewed =
        d.ws.record_review_outcome(d.coordinator, &d.slug, "Again", &ReviewOutcome::Renewed)
            .unwrap();
    assert_eq!(renewed.case, None);

    let done =
        d.ws.record_review_outcome(
            d.coordinator,
            &d.slug,
            "Replaced by the new certificate",
            &ReviewOutcome::Sunset {
                teach_out_until: "2040-06-30".into(),
                last_intake_on: None,
            },
        )
        .unwrap();
    let t = d.ws.termination_request(done.case.unwrap()).unwrap();
    assert_eq!(
        t.details.reason,
        "Periodic review: Replaced by the new certificate"
    );
    assert_eq!(t.status, ProposalStatus::Submitted);
    assert!(d.ws.verify_audit().unwrap().holds());
}
