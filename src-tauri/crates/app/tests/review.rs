//! Committee review against a real SQLite file: a proposal from completeness through unit
//! and dean sign-off, a meeting with quorum and signed votes, a conditional approval and its
//! conditions, to Active; and every authorization rule refusing, changing nothing.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use credence_app::domain::person::{PersonInput, Role};
use credence_app::domain::proposal::{ProposalEvent, ProposalStatus};
use credence_app::domain::review::{
    Condition, Decision, Membership, Route, Seat, Threshold, ThresholdBase, VoteChoice, VotingRules,
};
use credence_app::domain::unit::{UnitInput, UnitKind};
use credence_app::{AppError, ErrorKind, OpenMode, Workspace};
use credence_store::args;
use credence_vc::keys::KdfParams;

const PASS: &str = "correct horse battery";

struct World {
    _dir: tempfile::TempDir,
    ws: Workspace,
    coordinator: Option<i64>,
    proposer: Option<i64>,
    head: Option<i64>,
    dean: Option<i64>,
    final_approver: Option<i64>,
    chair: Option<i64>,
    voters: Vec<Option<i64>>,
    non_voting: Option<i64>,
    alternate: Option<i64>,
    cs_member: Option<i64>,
    proposal: i64,
    path: std::path::PathBuf,
}

fn world() -> World {
    let (dir, path, ws, coordinator) = common::new_workspace();
    let coordinator = Some(coordinator);
    let unit = |code: &str, kind, parent_id| UnitInput {
        code: code.into(),
        name: code.into(),
        kind,
        parent_id,
    };
    let eng = ws
        .create_unit(coordinator, &unit("ENG", UnitKind::College, None))
        .unwrap()
        .id;
    let cs = ws
        .create_unit(coordinator, &unit("CS", UnitKind::Department, Some(eng)))
        .unwrap()
        .id;
    let hist = ws
        .create_unit(coordinator, &unit("HIST", UnitKind::Department, None))
        .unwrap()
        .id;
    let add = |name: &str, unit_id: i64, roles: Vec<Role>| {
        let person = common::add_person(
            &ws,
            coordinator,
            &PersonInput {
                name: name.into(),
                email: format!("{}@x.edu", name.to_lowercase().replace(' ', ".")),
                unit_id: Some(unit_id),
                roles,
            },
            PASS,
        );
        Some(person.id)
    };
    let proposer = add("Priya Raman", cs, vec![Role::Proposer]);
    let head = add("Hana Head", cs, vec![Role::UnitApprover]);
    let dean = add("Omar Dean", eng, vec![Role::UnitApprover]);
    let final_approver = add("Fiona Final", hist, vec![Role::FinalApprover]);
    let chair = add(
        "Carl Chair",
        hist,
        vec![Role::CommitteeChair, Role::CommitteeMember],
    );
    let voters: Vec<_> = (1..=4)
        .map(|i| add(&format!("Voter {i}"), hist, vec![Role::CommitteeMember]))
        .collect();
    let non_voting = add("Nadia Nonvoting", hist, vec![Role::CommitteeMember]);
    let alternate = add("Alex Alternate", hist, vec![Role::CommitteeMember]);
    let cs_member = add("Cyrus Cs", cs, vec![Role::CommitteeMember]);
    let seat = |p: Option<i64>, seat, alternate_for: Option<Option<i64>>| {
        ws.add_member(
            coordinator,
            &Membership {
                person_id: p.unwrap(),
                seat,
                alternate_for: alternate_for.map(|a| a.unwrap()),
                term_start: "2020-01-01".into(),
                term_end: "2099-12-31".into(),
            },
        )
        .unwrap();
    };
    seat(chair, Seat::Chair, None);
    for v in &voters {
        seat(*v, Seat::Voting, None);
    }
    seat(cs_member, Seat::Voting, None);
    seat(non_voting, Seat::NonVoting, None);
    seat(alternate, Seat::Alternate, Some(voters[0]));
    ws.set_voting_rules(
        coordinator,
        VotingRules {
            quorum: 4,
            threshold: Threshold::SimpleMajority,
            base: ThresholdBase::Present,
        },
    )
    .unwrap();
    let proposal = ws
        .create_proposal(proposer, &common::compliant("Applied Robotics", cs))
        .unwrap()
        .id;
    ws.move_proposal(proposer, proposal, &ProposalEvent::Submit)
        .unwrap();
    ws.move_proposal(coordinator, proposal, &ProposalEvent::AcceptAsComplete)
        .unwrap();
    World {
        _dir: dir,
        ws,
        coordinator,
        proposer,
        head,
        dean,
        final_approver,
        chair,
        voters,
        non_voting,
        alternate,
        cs_member,
        proposal,
        path,
    }
}

fn forbidden(r: Result<impl std::fmt::Debug, AppError>, says: &str) {
    let e = r.unwrap_err();
    let text = format!("{} {:?}", e.message, e.fields);
    assert!(
        text.contains(says),
        "expected a refusal saying {says:?}, got {text}"
    );
}

/// Takes the proposal through both sign-offs, schedules a meeting with it on the agenda and
/// records who is present. Returns the meeting id.
fn to_meeting(w: &World, present: &[Option<i64>]) -> i64 {
    w.ws.sign_off(w.head, w.proposal, true, "", PASS).unwrap();
    w.ws.sign_off(w.dean, w.proposal, true, "", PASS).unwrap();
    let m =
        w.ws.schedule_meeting(w.chair, "November meeting", "2026-11-20")
            .unwrap();
    w.ws.set_agenda(w.chair, m.id, &[w.proposal]).unwrap();
    let present: Vec<i64> = present.iter().map(|p| p.unwrap()).collect();
    w.ws.record_attendance(w.chair, m.id, &present).unwrap();
    m.id
}

/// A meeting with the chair and three voters present, and a motion to approve moved by
/// voter 1 and seconded by voter 2. Returns the meeting and the motion.
fn moved(w: &World) -> (i64, i64) {
    let m = to_meeting(w, &[w.chair, w.voters[0], w.voters[1], w.voters[2]]);
    let view =
        w.ws.move_motion(
            w.chair,
            m,
            w.proposal,
            &Decision::Approve,
            w.voters[0].unwrap(),
            w.voters[1].unwrap(),
        )
        .unwrap();
    (m, view.motions[0].id)
}

fn audit_len(w: &World) -> usize {
    w.ws.audit(
        None,
        &credence_app::AuditQuery {
            entity: None,
            entity_id: None,
            before_seq: None,
            limit: Some(100_000),
        },
    )
    .unwrap()
    .len()
}

#[test]
fn a_proposal_walks_from_sign_offs_through_a_conditional_approval_to_active() {
    let w = world();
    let r = w.ws.review(w.proposal).unwrap();
    assert_eq!(r.route.as_deref(), Some("Credit-bearing"));
    assert_eq!(r.current.as_deref(), Some("Unit head"));
    assert_eq!(r.may_act, ["Hana Head"]);
    assert!(
        r.recused.iter().any(|x| x.starts_with("Cyrus Cs")),
        "{:?}",
        r.recused
    );

    let m = to_meeting(
        &w,
        &[
            w.chair,
            w.voters[1],
            w.voters[2],
            w.voters[3],
            w.non_voting,
            w.alternate,
        ],
    );
    let view = w.ws.meeting(m).unwrap();
    // Voter 1 is absent, so their alternate counts: chair + voters 2..4 + alternate.
    assert_eq!((view.voting_present, view.quorate), (5, true));
    assert!(view.absent.contains(&"Voter 1".to_string()));

    let decision = Decision::ApproveWithConditions {
        conditions: vec![
            Condition {
                text: "Add a grading rubric".into(),
                owner_id: w.proposer.unwrap(),
                due: "2026-12-15".into(),
            },
            Condition {
                text: "Name the lab safety officer".into(),
                owner_id: w.proposer.unwrap(),
                due: "2020-01-01".into(),
            },
        ],
    };
    let view =
        w.ws.move_motion(
            w.chair,
            m,
            w.proposal,
            &decision,
            w.voters[1].unwrap(),
            w.voters[2].unwrap(),
        )
        .unwrap();
    let motion = view.motions[0].id;
    for (who, choice) in [
        (w.chair, VoteChoice::For),
        (w.voters[1], VoteChoice::For),
        (w.voters[2], VoteChoice::For),
        (w.voters[3], VoteChoice::Against),
        (w.alternate, VoteChoice::Abstain),
    ] {
        w.ws.cast_vote(who, motion, choice, PASS).unwrap();
    }
    let view = w.ws.close_motion(w.chair, motion, PASS).unwrap();
    let tally = view.motions[0].tally.unwrap();
    assert_eq!(
        (tally.for_, tally.against, tally.abstain, tally.carried),
        (3, 1, 1, true)
    );
    assert_eq!(
        view.agenda[0].outcome.as_deref(),
        Some("approved with conditions")
    );

    // Approved; the final sign-off is next, and conditions are open (one overdue).
    let r = w.ws.review(w.proposal).unwrap();
    assert_eq!(r.status, ProposalStatus::Approved);
    assert_eq!(r.current.as_deref(), Some("Final sign-off"));
    assert_eq!(r.conditions.iter().filter(|c| c.overdue).count(), 1);
    w.ws.sign_off(w.final_approver, w.proposal, true, "", PASS)
        .unwrap();
    assert_eq!(
        w.ws.review(w.proposal).unwrap().status,
        ProposalStatus::Approved,
        "conditions still open"
    );

    let ids: Vec<i64> = r.conditions.iter().map(|c| c.id).collect();
    w.ws.meet_condition(w.proposer, ids[0], "Rubric attached as rubric.pdf", PASS)
        .unwrap();
    let r =
        w.ws.meet_condition(w.coordinator, ids[1], "Dr. Lee named", PASS)
            .unwrap();
    assert_eq!(r.status, ProposalStatus::Active);
    assert_eq!(w.ws.proposal(w.proposal).unwrap().version, 1);

    // Every signature holds, and the steps were timed.
    let report = w.ws.verify_audit().unwrap();
    assert!(report.holds(), "{report:?}");
    // Two sign-offs, five votes, the decision (on the motion and on the proposal), the final
    // sign-off and two conditions.
    assert_eq!(report.signatures, 2 + 5 + 2 + 1 + 2);
    assert_eq!(r.steps.len(), 4);
    assert!(r.steps.iter().all(|s| s.left_at.is_some()));
    w.ws.close_meeting(w.chair, m).unwrap();

    // The minutes and the letter are PDFs that qpdf accepts and whose text carries the counts.
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("minutes.pdf", w.ws.minutes_pdf(m).unwrap()),
        ("letter.pdf", w.ws.decision_letter_pdf(w.proposal).unwrap()),
        ("agenda.pdf", w.ws.agenda_pdf(m).unwrap()),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let check = std::process::Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "qpdf --check {name}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
        let text = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout).replace('\n', " ");
        assert!(text.contains("Applied Robotics"), "{name}: {text}");
        if name != "agenda.pdf" {
            assert!(
                text.contains("3 for, 1 against, 1 abstaining: carried"),
                "{name}: {text}"
            );
        }
    }
}

#[test]
fn a_tampered_vote_is_named_by_audit_verify() {
    let w = world();
    let (_, motion) = moved(&w);
    w.ws.cast_vote(w.voters[2], motion, VoteChoice::Against, PASS)
        .unwrap();
    assert!(w.ws.verify_audit().unwrap().holds());
    drop(w.ws);
    common::around_credence(&w.path, |db| {
        db.execute("UPDATE vote SET choice = 'for'", args![])
            .unwrap()
    });
    let ws = Workspace::open(&w.path, OpenMode::MustExist).unwrap();
    let report = ws.verify_audit().unwrap();
    assert!(!report.holds());
    assert!(
        report.statement_problems[0].starts_with("vote 1: the stored vote (for by Voter 3"),
        "{report:?}"
    );
}

#[test]
fn each_authorization_rule_refuses_and_records_nothing() {
    let w = world();
    let before = audit_len(&w);
    // Only those the step names act on it; the proposer never approves their own proposal.
    forbidden(
        w.ws.sign_off(w.dean, w.proposal, true, "", PASS),
        "not named by the step Unit head",
    );
    forbidden(
        w.ws.sign_off(w.proposer, w.proposal, true, "", PASS),
        "proposed this",
    );
    forbidden(
        w.ws.sign_off(w.coordinator, w.proposal, true, "", PASS),
        "not named by the step",
    );
    // A wrong passphrase records nothing.
    forbidden(
        w.ws.sign_off(w.head, w.proposal, true, "", "wrong passphrase"),
        "does not open Hana Head's signing key",
    );
    // The committee step is decided at a meeting, not signed off.
    assert_eq!(audit_len(&w), before);

    let m = to_meeting(
        &w,
        &[
            w.chair,
            w.voters[0],
            w.voters[1],
            w.non_voting,
            w.cs_member,
            w.alternate,
        ],
    );
    // Non-voting members, recused members and proposers do not move motions.
    forbidden(
        w.ws.move_motion(
            w.chair,
            m,
            w.proposal,
            &Decision::Approve,
            w.non_voting.unwrap(),
            w.voters[1].unwrap(),
        ),
        "non-voting",
    );
    forbidden(
        w.ws.move_motion(
            w.chair,
            m,
            w.proposal,
            &Decision::Approve,
            w.cs_member.unwrap(),
            w.voters[1].unwrap(),
        ),
        "recused",
    );
    forbidden(
        w.ws.move_motion(
            w.voters[0],
            m,
            w.proposal,
            &Decision::Approve,
            w.voters[0].unwrap(),
            w.voters[1].unwrap(),
        ),
        "neither the chair nor a coordinator",
    );
    let view =
        w.ws.move_motion(
            w.chair,
            m,
            w.proposal,
            &Decision::Approve,
            w.voters[0].unwrap(),
            w.voters[1].unwrap(),
        )
        .unwrap();
    let motion = view.motions[0].id;
    let before = audit_len(&w);
    forbidden(
        w.ws.cast_vote(w.non_voting, motion, VoteChoice::For, PASS),
        "non-voting members comment but do not vote",
    );
    forbidden(
        w.ws.cast_vote(w.cs_member, motion, VoteChoice::For, PASS),
        "recused",
    );
    forbidden(
        w.ws.cast_vote(w.alternate, motion, VoteChoice::For, PASS),
        "the member they stand in for is present",
    );
    forbidden(
        w.ws.cast_vote(w.proposer, motion, VoteChoice::For, PASS),
        "proposed this and cannot vote",
    );
    // The coordinator moves proposals along but votes only as a member (Dana is not one).
    forbidden(
        w.ws.cast_vote(w.coordinator, motion, VoteChoice::For, PASS),
        "not a committee member",
    );
    forbidden(
        w.ws.cast_vote(w.voters[2], motion, VoteChoice::For, PASS),
        "not recorded as present",
    );
    forbidden(
        w.ws.cast_vote(w.voters[0], motion, VoteChoice::For, "nope nope nope"),
        "does not open",
    );
    assert_eq!(audit_len(&w), before, "no refused vote was recorded");
    w.ws.cast_vote(w.voters[0], motion, VoteChoice::For, PASS)
        .unwrap();
    forbidden(
        w.ws.cast_vote(w.voters[0], motion, VoteChoice::Against, PASS),
        "already voted",
    );

    // A member declares a conflict and is recused from then on.
    w.ws.declare_conflict(w.voters[1], w.proposal, "I co-wrote the syllabus")
        .unwrap();
    forbidden(
        w.ws.cast_vote(w.voters[1], motion, VoteChoice::For, PASS),
        "recused",
    );

    // Attendance froze when the motion was moved: its quorum is counted against it.
    let before = audit_len(&w);
    forbidden(
        w.ws.record_attendance(w.chair, m, &[w.chair.unwrap(), w.voters[0].unwrap()]),
        "attendance was frozen when the first motion was moved",
    );
    assert!(!w.ws.meeting(m).unwrap().attendance_open);
    // Quorum is 4 voting members; present: chair, voter 1, voter 2, cs member (alternate's
    // member is present, non-voting does not count) = 4. Raised to 5, nothing is decided.
    let rules = |quorum| VotingRules {
        quorum,
        threshold: Threshold::SimpleMajority,
        base: ThresholdBase::Present,
    };
    w.ws.set_voting_rules(w.coordinator, rules(5)).unwrap();
    let before_close = audit_len(&w);
    forbidden(
        w.ws.close_motion(w.chair, motion, PASS),
        "no quorum: 4 voting members present, 5 needed",
    );
    assert_eq!(audit_len(&w), before_close);
    assert_eq!(before_close, before + 1, "only the rules changed");
    assert_eq!(
        w.ws.proposal(w.proposal).unwrap().status,
        ProposalStatus::Complete
    );
    w.ws.set_voting_rules(w.coordinator, rules(4)).unwrap();

    // After the meeting closes, nothing more is recorded at it.
    w.ws.close_motion(w.chair, motion, PASS).unwrap();
    w.ws.close_meeting(w.chair, m).unwrap();
    forbidden(
        w.ws.cast_vote(w.voters[0], motion, VoteChoice::For, PASS),
        "closed",
    );
    // Decisions cannot be forced through the plain route either.
    let e =
        w.ws.move_proposal(w.coordinator, w.proposal, &ProposalEvent::Activate)
            .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
}

#[test]
fn revisions_return_the_proposal_to_draft_and_tabled_items_wait() {
    let w = world();
    forbidden(
        w.ws.sign_off(w.head, w.proposal, false, " ", PASS),
        "say what must be revised",
    );
    let r =
        w.ws.sign_off(
            w.head,
            w.proposal,
            false,
            "Add the assessment weights.",
            PASS,
        )
        .unwrap();
    assert_eq!(r.status, ProposalStatus::Draft);
    assert!(r.current.is_none());
    // Resubmitted and accepted, it starts the route again.
    w.ws.move_proposal(w.proposer, w.proposal, &ProposalEvent::Submit)
        .unwrap();
    w.ws.move_proposal(w.coordinator, w.proposal, &ProposalEvent::AcceptAsComplete)
        .unwrap();
    let m = to_meeting(&w, &[w.chair, w.voters[0], w.voters[1], w.voters[2]]);
    let next =
        w.ws.schedule_meeting(w.coordinator, "December meeting", "2026-12-18")
            .unwrap();
    let view = w.ws.close_meeting(w.chair, m).unwrap();
    assert_eq!(view.agenda[0].outcome.as_deref(), Some("tabled"));
    // The tabled proposal is still at the committee and moved to the next agenda.
    let next = w.ws.meeting(next.id).unwrap();
    assert_eq!(next.agenda[0].proposal_id, w.proposal);

    // The committee sends it back to the dean rather than to Draft.
    w.ws.record_attendance(
        w.chair,
        next.id,
        &[
            w.chair.unwrap(),
            w.voters[0].unwrap(),
            w.voters[1].unwrap(),
            w.voters[2].unwrap(),
        ],
    )
    .unwrap();
    let back = Decision::RequestRevisions {
        comment: "The dean should confirm the lab budget.".into(),
        to_step: Some("Dean".into()),
    };
    let nowhere = Decision::RequestRevisions {
        comment: "x".into(),
        to_step: Some("Final sign-off".into()),
    };
    let view =
        w.ws.move_motion(
            w.chair,
            next.id,
            w.proposal,
            &nowhere,
            w.voters[0].unwrap(),
            w.voters[1].unwrap(),
        )
        .unwrap();
    let bad = view.motions[0].id;
    for v in [w.chair, w.voters[0], w.voters[1], w.voters[2]] {
        w.ws.cast_vote(v, bad, VoteChoice::For, PASS).unwrap();
    }
    forbidden(
        w.ws.close_motion(w.chair, bad, PASS),
        "not an earlier step of this route (earlier: Unit head, Dean)",
    );
    let view =
        w.ws.move_motion(
            w.chair,
            next.id,
            w.proposal,
            &back,
            w.voters[0].unwrap(),
            w.voters[1].unwrap(),
        )
        .unwrap();
    let motion = view.motions.last().unwrap().id;
    for v in [w.chair, w.voters[0], w.voters[1], w.voters[2]] {
        w.ws.cast_vote(v, motion, VoteChoice::For, PASS).unwrap();
    }
    w.ws.close_motion(w.chair, motion, PASS).unwrap();
    let r = w.ws.review(w.proposal).unwrap();
    assert_eq!(
        (r.status, r.current.as_deref()),
        (ProposalStatus::Complete, Some("Dean"))
    );
}

#[test]
fn an_electronic_vote_refuses_votes_after_its_deadline() {
    let w = world();
    w.ws.sign_off(w.head, w.proposal, true, "", PASS).unwrap();
    w.ws.sign_off(w.dean, w.proposal, true, "", PASS).unwrap();
    forbidden(
        w.ws.open_electronic_vote(
            w.chair,
            w.proposal,
            &Decision::Approve,
            w.voters[0].unwrap(),
            w.voters[1].unwrap(),
            "2020-01-01",
        ),
        "in the future",
    );
    let m =
        w.ws.open_electronic_vote(
            w.chair,
            w.proposal,
            &Decision::Approve,
            w.voters[0].unwrap(),
            w.voters[1].unwrap(),
            "2099-12-31",
        )
        .unwrap();
    assert_eq!(m.deadline.as_deref(), Some("2099-12-31T23:59:59.000Z"));
    let motion = m.motions[0].id;
    for v in [w.chair, w.voters[0], w.voters[1], w.voters[2]] {
        w.ws.cast_vote(v, motion, VoteChoice::For, PASS).unwrap();
    }
    // Before the deadline it closes only once everyone has voted.
    forbidden(
        w.ws.close_motion(w.chair, motion, PASS),
        "runs until 2099-12-31",
    );
    // The deadline passes (moved into the past, as time would).
    common::around_credence(&w.path, |db| {
        db.execute(
            "UPDATE meeting SET deadline = '2020-01-01T00:00:00.000Z'",
            args![],
        )
        .unwrap()
    });
    let before = audit_len(&w);
    forbidden(
        w.ws.cast_vote(w.voters[3], motion, VoteChoice::Against, PASS),
        "votes after the deadline are not counted",
    );
    assert_eq!(audit_len(&w), before);
    let view = w.ws.close_motion(w.chair, motion, PASS).unwrap();
    let tally = view.motions[0].tally.unwrap();
    assert_eq!((tally.for_, tally.base, tally.carried), (4, 4, true));
    assert_eq!(
        view.status,
        credence_app::domain::meeting::MeetingStatus::Closed
    );
    assert_eq!(
        w.ws.proposal(w.proposal).unwrap().status,
        ProposalStatus::Approved
    );
}

#[test]
fn reviewers_score_and_comments_keep_their_history_and_their_audience() {
    use credence_app::domain::review::{ReviewerRole, Score, Visibility};
    let w = world();
    // Only serving, unrecused committee members review; only coordinators assign.
    forbidden(
        w.ws.assign_reviewer(
            w.coordinator,
            w.proposal,
            w.cs_member.unwrap(),
            ReviewerRole::Primary,
        ),
        "recused",
    );
    forbidden(
        w.ws.assign_reviewer(
            w.coordinator,
            w.proposal,
            w.head.unwrap(),
            ReviewerRole::Primary,
        ),
        "not a committee member",
    );
    forbidden(
        w.ws.assign_reviewer(
            w.chair,
            w.proposal,
            w.voters[0].unwrap(),
            ReviewerRole::Primary,
        ),
        "not a coordinator",
    );
    w.ws.assign_reviewer(
        w.coordinator,
        w.proposal,
        w.voters[0].unwrap(),
        ReviewerRole::Primary,
    )
    .unwrap();
    w.ws.assign_reviewer(
        w.coordinator,
        w.proposal,
        w.non_voting.unwrap(),
        ReviewerRole::Secondary,
    )
    .unwrap();
    let inbox = w.ws.inbox(w.voters[0]).unwrap();
    assert!(
        inbox.tasks.iter().any(|t| t.detail.contains("score it")),
        "{inbox:?}"
    );

    let rubric = w.ws.rubric().unwrap();
    let scores: Vec<Score> = rubric
        .criteria
        .iter()
        .map(|c| Score {
            criterion: c.key.clone(),
            score: 4,
            comment: format!("{} is sound", c.name),
        })
        .collect();
    forbidden(
        w.ws.submit_scores(w.voters[1], w.proposal, &scores),
        "not a reviewer",
    );
    forbidden(
        w.ws.submit_scores(w.voters[0], w.proposal, &scores[1..]),
        "Need and demand",
    );
    let d =
        w.ws.submit_scores(w.voters[0], w.proposal, &scores)
            .unwrap();
    assert_eq!(
        d.reviewers
            .iter()
            .find(|r| r.role == ReviewerRole::Primary)
            .unwrap()
            .total,
        Some(20)
    );

    // An internal comment, a comment for the proposer, a reply, and an edit.
    w.ws.add_comment(
        w.voters[0],
        w.proposal,
        "outcomes",
        Visibility::Committee,
        None,
        "Outcome 2 is vague.",
    )
    .unwrap();
    let d =
        w.ws.add_comment(
            w.chair,
            w.proposal,
            "workload.credits",
            Visibility::Proposer,
            None,
            "Is 9 credits right?",
        )
        .unwrap();
    let asked = d
        .comments
        .iter()
        .find(|c| c.field == "workload.credits")
        .unwrap()
        .id;
    w.ws.add_comment(
        w.proposer,
        w.proposal,
        "ignored",
        Visibility::Proposer,
        Some(asked),
        "Yes: three courses.",
    )
    .unwrap();
    forbidden(
        w.ws.add_comment(
            w.proposer,
            w.proposal,
            "outcomes",
            Visibility::Committee,
            None,
            "Let me in",
        ),
        "internal comments are the committee's",
    );
    forbidden(
        w.ws.edit_comment(w.chair, w.proposal, asked + 1, "Changed by someone else"),
        "only Priya Raman edits",
    );
    let d =
        w.ws.edit_comment(
            w.chair,
            w.proposal,
            asked,
            "Is 9 credits right for 120 hours?",
        )
        .unwrap();
    let edited = d.comments.iter().find(|c| c.id == asked).unwrap();
    assert_eq!(edited.text, "Is 9 credits right for 120 hours?");
    assert_eq!(edited.earlier.len(), 1);
    assert_eq!(edited.earlier[0].text, "Is 9 credits right?");

    // The proposer sees the thread meant for them, not the committee's notes or scores.
    let theirs = w.ws.deliberation(w.proposer, w.proposal).unwrap();
    assert!(!theirs.sees_internal);
    assert_eq!(theirs.comments.len(), 2);
    assert!(theirs
        .comments
        .iter()
        .all(|c| c.visibility == Visibility::Proposer));
    assert_eq!(
        theirs.comments[1].field, "workload.credits",
        "a reply stays in its thread's field"
    );
    assert!(theirs.reviewers.is_empty());
    assert_eq!(
        w.ws.deliberation(w.chair, w.proposal)
            .unwrap()
            .comments
            .len(),
        3
    );

    // The audit log withholds the same from the proposer (and from nobody in particular),
    // and shows it to the committee's side.
    let log = |viewer: Option<i64>| {
        let entries =
            w.ws.audit(
                viewer,
                &credence_app::AuditQuery {
                    limit: Some(1000),
                    ..Default::default()
                },
            )
            .unwrap();
        serde_json::to_string(&entries).unwrap()
    };
    for outsider in [w.proposer, None] {
        let seen = log(outsider);
        assert!(!seen.contains("Outcome 2 is vague."), "{outsider:?}");
        assert!(
            !seen.contains("\"criterion\""),
            "scores shown to {outsider:?}"
        );
        assert!(seen.contains("internal to the committee"));
        assert!(
            seen.contains("Is 9 credits right for 120 hours?"),
            "their own thread"
        );
    }
    let chair = log(w.chair);
    assert!(chair.contains("Outcome 2 is vague."));
    assert!(!chair.contains("internal to the committee"));
    assert!(log(w.chair).len() > log(w.proposer).len());
}

#[test]
fn a_consultation_step_waits_for_every_named_partner() {
    use credence_app::domain::review::{Participation, RouteStep, StepActors, StepKind};
    let w = world();
    // Replace the credit-bearing route: partners consulted (all must approve), then the committee.
    let mut route =
        w.ws.routes()
            .unwrap()
            .into_iter()
            .find(|r| r.name == "Credit-bearing")
            .unwrap();
    route.steps = vec![
        RouteStep {
            name: "Consultation".into(),
            kind: StepKind::SignOff {
                actors: StepActors::People {
                    person_ids: vec![w.head.unwrap(), w.final_approver.unwrap()],
                },
                participation: Participation::All,
            },
            service_days: 10,
        },
        route.steps[2].clone(),
    ];
    forbidden(w.ws.put_route(w.chair, &route), "not a coordinator");
    w.ws.put_route(w.coordinator, &route).unwrap();
    // The proposal in the world already started on the old steps; a new one takes the new route.
    let p =
        w.ws.create_proposal(w.proposer, &w.ws.proposal(w.proposal).unwrap().content)
            .unwrap()
            .id;
    w.ws.move_proposal(w.proposer, p, &ProposalEvent::Submit)
        .unwrap();
    w.ws.move_proposal(w.coordinator, p, &ProposalEvent::AcceptAsComplete)
        .unwrap();
    let r = w.ws.sign_off(w.head, p, true, "", PASS).unwrap();
    assert_eq!(
        r.current.as_deref(),
        Some("Consultation"),
        "one of two partners is not enough"
    );
    forbidden(
        w.ws.sign_off(w.head, p, true, "", PASS),
        "already signed off",
    );
    let r = w.ws.sign_off(w.final_approver, p, true, "", PASS).unwrap();
    assert_eq!(r.current.as_deref(), Some("Committee"));
}

#[test]
fn a_recused_members_vote_never_counts() {
    let w = world();
    let (_, motion) = moved(&w);
    w.ws.cast_vote(w.voters[0], motion, VoteChoice::Against, PASS)
        .unwrap();
    w.ws.cast_vote(w.voters[1], motion, VoteChoice::Against, PASS)
        .unwrap();
    w.ws.cast_vote(w.chair, motion, VoteChoice::For, PASS)
        .unwrap();
    w.ws.cast_vote(w.voters[2], motion, VoteChoice::For, PASS)
        .unwrap();
    // Two members declare a conflict after voting: their votes and their seats leave the count.
    w.ws.declare_conflict(w.voters[0], w.proposal, "I co-wrote the syllabus")
        .unwrap();
    w.ws.declare_conflict(w.voters[1], w.proposal, "My spouse teaches it")
        .unwrap();
    let closed = w.ws.close_motion(w.chair, motion, PASS).unwrap();
    let tally = closed.motions[0].tally.unwrap();
    assert_eq!(
        (tally.for_, tally.against, tally.base, tally.carried),
        (2, 0, 2, true),
        "{tally:?}"
    );
}

#[test]
fn a_proposer_on_the_committee_never_moves_or_seconds_their_own_proposal() {
    let w = world();
    // A voting member proposes for another unit, so no unit rule recuses them.
    let cs = w.ws.proposal(w.proposal).unwrap().content.unit_id.unwrap();
    let author = w.voters[3];
    let own =
        w.ws.create_proposal(author, &common::compliant("Digital Archives", cs))
            .unwrap()
            .id;
    w.ws.move_proposal(author, own, &ProposalEvent::Submit)
        .unwrap();
    w.ws.move_proposal(w.coordinator, own, &ProposalEvent::AcceptAsComplete)
        .unwrap();
    w.ws.sign_off(w.head, own, true, "", PASS).unwrap();
    w.ws.sign_off(w.dean, own, true, "", PASS).unwrap();
    let before = audit_len(&w);
    for (moved, seconded) in [(author, w.voters[1]), (w.voters[1], author)] {
        forbidden(
            w.ws.open_electronic_vote(
                w.chair,
                own,
                &Decision::Approve,
                moved.unwrap(),
                seconded.unwrap(),
                "2099-12-31",
            ),
            "Voter 4 proposed this and cannot move or second on it",
        );
    }
    assert_eq!(audit_len(&w), before);
    // At an electronic vote moved by others, the proposer is recused: not a vote, not a seat.
    let m =
        w.ws.open_electronic_vote(
            w.chair,
            own,
            &Decision::Approve,
            w.voters[0].unwrap(),
            w.voters[1].unwrap(),
            "2099-12-31",
        )
        .unwrap();
    forbidden(
        w.ws.cast_vote(author, m.motions[0].id, VoteChoice::For, PASS),
        "proposed this and cannot vote",
    );
    let review = w.ws.review(own).unwrap();
    assert!(
        review.recused.iter().any(|r| r == "Voter 4 (the proposer)"),
        "{:?}",
        review.recused
    );
}

#[test]
fn a_route_in_use_is_revised_as_a_new_version_and_its_proposals_keep_theirs() {
    let w = world();
    // The proposal is at the unit head's step of the credit-bearing route.
    let travelled = w.ws.review(w.proposal).unwrap();
    let route_name = travelled.route.clone().unwrap();
    let mut route =
        w.ws.routes()
            .unwrap()
            .into_iter()
            .find(|r| r.name == route_name)
            .unwrap();
    let old_id = route.id;
    let steps_before = route.steps.len();
    route.name = format!("{route_name} (2027)");
    route.steps.remove(0); // new proposals skip the unit head
    let revised = w.ws.put_route(w.coordinator, &route).unwrap();
    assert_ne!(revised.id, old_id, "a route in use is not edited in place");
    assert_eq!(revised.steps.len(), steps_before - 1);
    // The current routes list the new version only.
    let routes = w.ws.routes().unwrap();
    assert!(routes.iter().any(|r| r.id == revised.id));
    assert!(!routes.iter().any(|r| r.id == old_id));
    // The proposal under way keeps the route it travels, step for step.
    let now = w.ws.review(w.proposal).unwrap();
    assert_eq!(now.route.as_deref(), Some(route_name.as_str()));
    assert_eq!(now.current, travelled.current);
    w.ws.sign_off(w.head, w.proposal, true, "", PASS).unwrap();
    w.ws.sign_off(w.dean, w.proposal, true, "", PASS).unwrap();
    // The old version cannot be changed; the message names its replacement.
    forbidden(
        w.ws.put_route(
            w.coordinator,
            &Route {
                id: old_id,
                ..route.clone()
            },
        ),
        &format!("replaced by route {}", revised.id),
    );
    // A route no proposal has travelled is still edited in place.
    let mut fresh = revised.clone();
    fresh.name = format!("{route_name} (2028)");
    assert_eq!(
        w.ws.put_route(w.coordinator, &fresh).unwrap().id,
        revised.id
    );
}

#[test]
fn a_key_is_replaced_only_with_its_passphrase_or_by_a_coordinators_signed_reset() {
    let w = world();
    let before = audit_len(&w);
    // Nobody gets a second key beside theirs: not by asking for a new one...
    forbidden(
        w.ws.create_signing_key_with(w.chair, "a brand new passphrase", KdfParams::MIN),
        "Carl Chair has a signing key already",
    );
    // ...nor by renewing without the current passphrase.
    forbidden(
        w.ws.renew_signing_key_with(
            w.chair,
            "not the passphrase",
            "a brand new passphrase",
            KdfParams::MIN,
        ),
        "does not open Carl Chair's signing key",
    );
    assert_eq!(audit_len(&w), before);

    const NEW: &str = "a brand new passphrase";
    w.ws.renew_signing_key_with(w.chair, PASS, NEW, KdfParams::MIN)
        .unwrap();
    // From here on the chair's passphrase, and the reset member's, are the new one.
    w.ws.set_unlocker(Some(Box::new(|p| {
        let pass = if p.name == "Carl Chair" || p.name == "Voter 1" {
            NEW
        } else {
            PASS
        };
        Ok(credence_app::kernel::secret::Passphrase::new(pass.into()))
    })));
    // A coordinator resets a member's forgotten key, signing the act with their own key.
    forbidden(
        w.ws.reset_signing_key(w.chair, w.voters[0].unwrap(), "forgotten", NEW),
        "coordinator",
    );
    forbidden(
        w.ws.reset_signing_key(w.coordinator, w.voters[0].unwrap(), " ", PASS),
        "say why",
    );
    let enrolment =
        w.ws.reset_signing_key(
            w.coordinator,
            w.voters[0].unwrap(),
            "Forgot the passphrase",
            PASS,
        )
        .unwrap();
    forbidden(
        w.ws.reset_signing_key(w.coordinator, w.voters[0].unwrap(), "again", PASS),
        "has no signing key to reset",
    );
    // They set a new passphrase with the code the coordinator hands them, and no other.
    forbidden(
        w.ws.enrol_with(
            w.voters[0].unwrap(),
            Some("0000-0000-0000"),
            NEW,
            KdfParams::MIN,
        ),
        "not a valid enrolment code for Voter 1",
    );
    forbidden(
        w.ws.create_signing_key_with(w.voters[0], NEW, KdfParams::MIN),
        "enrolment code",
    );
    w.ws.enrol_with(
        w.voters[0].unwrap(),
        Some(&enrolment.code),
        NEW,
        KdfParams::MIN,
    )
    .unwrap();
    forbidden(
        w.ws.enrol_with(
            w.voters[0].unwrap(),
            Some(&enrolment.code),
            NEW,
            KdfParams::MIN,
        ),
        "has a signing key already",
    );

    // At a meeting, the old passphrases open nothing; the new keys sign.
    let (_, motion) = moved(&w);
    forbidden(
        w.ws.cast_vote(w.chair, motion, VoteChoice::For, PASS),
        "does not open Carl Chair's signing key",
    );
    w.ws.cast_vote(w.chair, motion, VoteChoice::For, NEW)
        .unwrap();
    w.ws.cast_vote(w.voters[0], motion, VoteChoice::For, NEW)
        .unwrap();

    // The custody holds from key to key: the renewal and the reset are signed statements.
    let report = w.ws.verify_audit().unwrap();
    assert!(report.first_broken.is_none(), "{report:?}");
    assert!(report.statement_problems.is_empty(), "{report:?}");
    assert_eq!(
        report.signatures,
        2 + 1 + 1 + 2,
        "sign-offs, renewal, reset, votes"
    );
    // Every later report names the reset: who, whose, when and why.
    assert_eq!(report.key_resets.len(), 1);
    assert!(
        report.key_resets[0].contains("Dana Whitfield reset Voter 1's signing key on ")
            && report.key_resets[0].ends_with(": Forgot the passphrase"),
        "{:?}",
        report.key_resets
    );
}

#[test]
fn a_key_put_in_behind_credences_back_signs_nothing_audit_verify_accepts() {
    let w = world();
    let (_, motion) = moved(&w);
    // Someone with the file gives the chair a key of their own choosing, with plain SQL.
    const FORGED: &str = "the forger's passphrase";
    let key = credence_vc::keys::generate().unwrap();
    let sealed = credence_vc::keys::seal(&key, FORGED, KdfParams::MIN).unwrap();
    common::around_credence(&w.path, |db| {
        db.execute(
            "UPDATE person_key SET retired_at = '2026-01-01T00:00:00Z' WHERE person_id = ?1",
            args![w.chair.unwrap()],
        )
        .unwrap();
        db.execute(
            "INSERT INTO person_key (person_id, public_key, sealed, created_at) VALUES (?1, ?2, ?3, '2026-01-01T00:00:00Z')",
            args![w.chair.unwrap(), sealed.public_key, serde_json::to_string(&sealed).unwrap()],
        )
        .unwrap();
    });
    // The vote goes through (the file is theirs to change), but it is not the chair's.
    w.ws.cast_vote(w.chair, motion, VoteChoice::For, FORGED)
        .unwrap();
    let report = w.ws.verify_audit().unwrap();
    let problems = report.statement_problems.join("\n");
    assert!(
        problems.contains("signed with a key that was not Carl Chair's at the time"),
        "{problems}"
    );
    assert!(
        problems.contains("no audit entry registers it"),
        "{problems}"
    );
}

#[test]
fn a_receipt_of_the_head_proves_the_newest_entries_were_deleted() {
    let w = world();
    w.ws.sign_off(w.head, w.proposal, true, "", PASS).unwrap();
    forbidden(
        w.ws.audit_receipt(w.chair, "wrong passphrase"),
        "does not open",
    );
    let receipt = w.ws.audit_receipt(w.chair, PASS).unwrap();
    let head = w.ws.verify_audit().unwrap().head.unwrap();
    assert_eq!(receipt.statement.content["seq"], head.seq);
    let text = serde_json::to_string(&receipt).unwrap();
    let check = w.ws.check_receipt(&text).unwrap();
    assert!(check.problems.is_empty(), "{check:?}");
    assert!(check.signed_by.starts_with("Carl Chair on "));

    // Work goes on; then someone deletes the newest entries, back to before the receipt.
    w.ws.sign_off(w.dean, w.proposal, true, "", PASS).unwrap();
    assert!(w.ws.check_receipt(&text).unwrap().problems.is_empty());
    common::around_credence(&w.path, |db| {
        for table in ["audit_signature", "audit_log"] {
            db.execute(
                &format!("DELETE FROM {table} WHERE seq >= ?1"),
                args![head.seq - 1],
            )
            .unwrap();
        }
    });
    // The chain alone cannot tell: it still holds, one entry shorter...
    let report = w.ws.verify_audit().unwrap();
    assert!(report.first_broken.is_none());
    // ...but the receipt proves what was there.
    let check = w.ws.check_receipt(&text).unwrap();
    assert_eq!(
        check.problems[0],
        format!(
            "the log ends at entry {}, but Carl Chair signed a receipt for entry {} on {}: entries {} to {} were deleted",
            head.seq - 2,
            head.seq,
            receipt.statement.at,
            head.seq - 1,
            head.seq
        )
    );

    // A receipt changed after signing is refused as such.
    let mut forged = receipt.clone();
    forged.statement.content["seq"] = serde_json::json!(1);
    let check =
        w.ws.check_receipt(&serde_json::to_string(&forged).unwrap())
            .unwrap();
    assert!(
        check
            .problems
            .iter()
            .any(|p| p.contains("signature does not match")),
        "{check:?}"
    );
    forbidden(w.ws.check_receipt("{}"), "not an audit receipt");
}

#[test]
fn a_second_key_an_earlier_build_allowed_is_history_but_one_made_since_is_named() {
    let w = world();
    // What `key create` twice did before this build: a second key beside the first, with
    // its own audit entry (written here as that build wrote it).
    let second = |w: &World| {
        let key = credence_vc::keys::generate().unwrap();
        let sealed = credence_vc::keys::seal(&key, PASS, KdfParams::MIN).unwrap();
        let chair = w.chair.unwrap();
        common::around_credence(&w.path, |db| {
            credence_store::review::insert_key(
                db,
                chair,
                &sealed.public_key,
                &serde_json::to_string(&sealed).unwrap(),
                "2026-06-01T00:00:00Z",
            )
            .unwrap();
            credence_store::audit::append(
                db,
                &credence_store::audit::Actor {
                    id: Some(chair),
                    name: "Carl Chair".into(),
                },
                credence_store::audit::Change {
                    entity: "person_key",
                    entity_id: chair.to_string(),
                    action: "create",
                    before: None,
                    after: Some(serde_json::json!({"public_key": sealed.public_key})),
                },
            )
            .unwrap()
        })
    };
    let seq = second(&w);
    // Made since custody is checked (a new workspace checks from its first entry): named.
    let problems = w.ws.verify_audit().unwrap().statement_problems.join("\n");
    assert!(
        problems.contains(&format!(
            "audit entry {seq}: a second key was registered for Carl Chair"
        )),
        "{problems}"
    );
    // In a workspace migrated from an earlier build, entries up to the migration are history.
    common::around_credence(&w.path, |db| {
        db.execute(
            "UPDATE setting SET value = ?1 WHERE key IN ('key_custody_from_seq', 'audit_signed_from_seq')",
            args![seq.to_string()],
        )
        .unwrap()
    });
    let report = w.ws.verify_audit().unwrap();
    assert!(report.statement_problems.is_empty(), "{report:?}");
}
