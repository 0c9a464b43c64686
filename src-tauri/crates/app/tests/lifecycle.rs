//! The microcredential after approval, against the demo workspace: its own record with
//! status and versions, suspended (issuing refused, with its reason and since when) and
//! resumed, by coordinators only; awards made before keep verifying.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use credence_app::certificates::award_files::AwardFormat;
use credence_app::domain::award::LearnerInput;
use credence_app::domain::lifecycle::MicrocredentialStatus;
use credence_app::ErrorKind;

fn ana() -> Vec<LearnerInput> {
    vec![LearnerInput {
        name: "Ana Lima".into(),
        email: "ana@example.org".into(),
        completed_on: "2026-11-02".into(),
        ..Default::default()
    }]
}

#[test]
fn a_suspended_microcredential_refuses_awards_with_its_reason_until_resumed() {
    let before = chrono::Utc::now().date_naive();
    let d = common::demo();
    let list = d.ws.microcredential_list().unwrap();
    // The demo shows every status (and a version 2), by title.
    use MicrocredentialStatus::*;
    let statuses: Vec<(&str, MicrocredentialStatus, i64)> = list
        .iter()
        .map(|m| (m.slug.as_str(), m.status, m.version))
        .collect();
    assert_eq!(
        statuses,
        [
            ("data-visualization-for-decision-makers", Active, 1),
            ("legacy-systems-maintenance", Retired, 1),
            ("research-data-management", Suspended, 1),
            ("spreadsheet-modelling-basics", Active, 2),
            ("web-accessibility-essentials", TeachOut, 1),
        ]
    );

    // Its page: version 1, approved in its own proposal's case, with the demo's seven awards;
    // the next review from the version's date and the proposal's review cycle.
    let view = d.ws.microcredential(d.coordinator, &d.slug).unwrap();
    assert_eq!(view.versions.len(), 1);
    assert_eq!(view.versions[0].case, view.proposal_id);
    assert_eq!(view.versions[0].awards, 7);
    let today = chrono::Utc::now().date_naive();
    let cycle =
        d.ws.proposal(view.proposal_id)
            .unwrap()
            .content
            .review_cycle_years
            .unwrap();
    // The demo has offered it for a review cycle and three weeks: its review is due. (The
    // demo was made today, or yesterday where the test ran across midnight.)
    let offered = |day: chrono::NaiveDate| day - chrono::Days::new(365 * u64::from(cycle) + 21);
    let effective = [before, today]
        .map(offered)
        .into_iter()
        .find(|e| view.versions[0].effective_from == e.to_string())
        .unwrap_or(offered(today));
    assert_eq!(view.versions[0].effective_from, effective.to_string());
    assert_eq!(
        view.next_review_due,
        Some(
            effective
                .checked_add_months(chrono::Months::new(12 * cycle))
                .unwrap()
                .to_string()
        )
    );
    assert!(view.review_due);
    assert!(view.may_suspend && !view.may_resume);

    // Only a coordinator suspends, and only with a reason.
    let chen = d.ws.person_by_email("chen.wei@northfield.edu").unwrap().id;
    let e = d.ws.suspend(Some(chen), &d.slug, "no").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "{e:?}");
    assert!(
        !d.ws
            .microcredential(Some(chen), &d.slug)
            .unwrap()
            .may_suspend
    );
    let e = d.ws.suspend(d.coordinator, &d.slug, " ").unwrap_err();
    assert_eq!(e.fields[0].field, "reason");
    let e = d.ws.resume(d.coordinator, &d.slug).unwrap_err();
    assert_eq!(
        e.fields[0].message,
        "a microcredential that is active cannot be resumed"
    );

    let view =
        d.ws.suspend(d.coordinator, &d.slug, "Lab closed for repairs")
            .unwrap();
    assert_eq!(view.status, MicrocredentialStatus::Suspended);
    assert_eq!(
        view.status_reason.as_deref(),
        Some("Lab closed for repairs")
    );
    assert!(view.may_resume && !view.may_suspend);

    // Issuing is refused, saying why and since when; it leaves the list of what may be
    // awarded; nothing is written.
    d.ws.unlock_issuer("demo").unwrap();
    let before = common::audit_len(&d.ws, None);
    let e = d.ws.issue(d.coordinator, &d.slug, &ana()).unwrap_err();
    assert_eq!(
        e.fields[0].message,
        format!(
            "\"Data Visualization for Decision Makers\" is suspended since {today}: Lab closed for repairs; it cannot be awarded"
        )
    );
    assert_eq!(common::audit_len(&d.ws, None), before);
    assert!(!d
        .ws
        .microcredentials()
        .unwrap()
        .iter()
        .any(|m| m.slug == d.slug));
    assert_eq!(
        d.ws.microcredential(None, &d.slug).unwrap().status,
        MicrocredentialStatus::Suspended
    );

    // Awards made before still verify.
    let mut writer = d.ws.award_writer(&[AwardFormat::Json]).unwrap();
    for award in d.ws.awards("", 100).unwrap() {
        if award.revoked_at.is_none() {
            let files = writer.files(&award).unwrap();
            assert!(d.ws.verify_credential(&files[0].bytes).verified());
        }
    }

    // Resumed, it issues again; both acts are in the audit log, signed.
    d.ws.resume(d.coordinator, &d.slug).unwrap();
    let report = d.ws.issue(d.coordinator, &d.slug, &ana()).unwrap();
    assert_eq!(report.rows.len(), 1);
    let actions: Vec<String> =
        d.ws.audit(
            None,
            &credence_app::AuditQuery {
                entity: Some("microcredential".into()),
                entity_id: Some(view.proposal_id.to_string()),
                ..Default::default()
            },
        )
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["resume", "suspend"]);
    assert!(d.ws.verify_audit().unwrap().holds());
    assert_eq!(
        d.ws.microcredential(d.coordinator, &d.slug)
            .unwrap()
            .versions[0]
            .awards,
        8
    );
}

#[test]
fn an_unknown_microcredential_is_named() {
    let d = common::demo();
    let e = d.ws.microcredential(None, "no-such-thing").unwrap_err();
    assert_eq!(
        e.fields[0].message,
        "there is no microcredential \"no-such-thing\" (see microcredential list)"
    );
}

#[test]
fn a_periodic_review_falls_due_shows_in_things_to_do_and_renewing_sets_the_next() {
    let d = common::demo();
    let view = d.ws.microcredential(d.coordinator, &d.slug).unwrap();
    let cycle =
        d.ws.proposal(view.proposal_id)
            .unwrap()
            .content
            .review_cycle_years
            .unwrap();
    // The demo's review has come due.
    assert!(view.review_due);
    assert_eq!(d.ws.review_cycles(true).unwrap().len(), 1);
    // Every microcredential but the retired one has a review cycle.
    assert_eq!(d.ws.review_cycles(false).unwrap().len(), 4);
    // Its figures: the demo's seven awards this year, the one revocation and its reason.
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(view.figures.awards_per_year.len(), 1);
    assert_eq!(
        (
            view.figures.awards_per_year[0].year.as_str(),
            view.figures.awards_per_year[0].awards
        ),
        (year.as_str(), 7)
    );
    assert_eq!(view.figures.revocations.len(), 1);
    assert_eq!(view.figures.revocations[0].count, 1);
    assert_eq!(view.figures.versions_since_review, 1);

    // As if version 1 had taken effect longer ago still.
    common::around_credence(d.ws.path(), |db| {
        db.execute(
            "UPDATE microcredential_version SET effective_from = '2020-01-15' WHERE proposal_id = ?1",
            credence_store::args![view.proposal_id],
        )
        .unwrap()
    });
    let due = d.ws.review_cycles(true).unwrap();
    assert_eq!(due.len(), 1);
    let expected = chrono::NaiveDate::from_ymd_opt(2020, 1, 15)
        .unwrap()
        .checked_add_months(chrono::Months::new(12 * cycle))
        .unwrap()
        .to_string();
    assert_eq!(due[0].next_review_due.as_deref(), Some(expected.as_str()));
    let task = |by: Option<i64>| {
        d.ws.inbox(by)
            .unwrap()
            .tasks
            .into_iter()
            .find(|t| t.kind == credence_app::review::TaskKind::PeriodicReview)
    };
    let t = task(d.coordinator).expect("the coordinator sees the review due");
    assert!(t.overdue && t.due_on.as_deref() == Some(expected.as_str()));
    let chen = d.ws.person_by_email("chen.wei@northfield.edu").unwrap().id;
    assert!(task(Some(chen)).is_none(), "not Chen's to do");

    // Renewed: by a coordinator, with a note; the next review is one cycle from today.
    assert_eq!(
        d.ws.record_review(d.coordinator, &d.slug, " ")
            .unwrap_err()
            .fields[0]
            .field,
        "note"
    );
    assert_eq!(
        d.ws.record_review(Some(chen), &d.slug, "fine")
            .unwrap_err()
            .kind,
        ErrorKind::Forbidden
    );
    let view =
        d.ws.record_review(
            d.coordinator,
            &d.slug,
            "Enrolment steady; outcomes still current",
        )
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    assert_eq!(view.last_reviewed_on, Some(today.to_string()));
    assert_eq!(
        view.next_review_due,
        Some(
            today
                .checked_add_months(chrono::Months::new(12 * cycle))
                .unwrap()
                .to_string()
        )
    );
    assert!(!view.review_due && view.figures.versions_since_review == 0);
    assert!(task(d.coordinator).is_none());
    let entry = &d
        .ws
        .audit(
            None,
            &credence_app::AuditQuery {
                entity: Some("microcredential".into()),
                ..Default::default()
            },
        )
        .unwrap()[0];
    assert_eq!(entry.action, "review_renewed");
    let after = entry.after.as_ref().unwrap();
    assert_eq!(after["figures"]["awards_per_year"][0]["awards"], 7);
    assert!(d.ws.verify_audit().unwrap().holds());
}

#[test]
fn the_academic_calendar_is_kept_whole_by_coordinators_and_audited() {
    use credence_app::domain::calendar::AcademicTerm;
    let (_dir, _path, ws, dana) = common::new_workspace();
    let term = |code: &str, name: &str, from: &str, to: &str| AcademicTerm {
        code: code.into(),
        name: name.into(),
        starts_on: from.into(),
        ends_on: to.into(),
    };
    let terms = ws
        .set_calendar(
            Some(dana),
            &[
                term("sp28", "Spring 2028", "2028-01-10", "2028-05-05"),
                term("FA27", "Fall 2027", "2027-08-23", "2027-12-17"),
            ],
        )
        .unwrap();
    assert_eq!(
        terms.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(),
        ["FA27", "SP28"]
    );
    // One overlapping term refuses the whole change, named by its field; nothing changes.
    let before = common::audit_len(&ws, None);
    let e = ws
        .add_term(
            Some(dana),
            &term("WI27", "Winter", "2027-12-01", "2028-01-05"),
        )
        .unwrap_err();
    assert_eq!(e.fields[0].field, "starts_on");
    assert!(
        e.fields[0].message.contains("overlaps term 1 FA27"),
        "{e:?}"
    );
    assert_eq!(ws.calendar().unwrap(), terms);
    assert_eq!(common::audit_len(&ws, None), before);
    // Only coordinators keep it.
    let member = common::add_person(
        &ws,
        Some(dana),
        &credence_app::domain::person::PersonInput {
            name: "Chen Wei".into(),
            email: "chen@northfield.edu".into(),
            unit_id: None,
            roles: vec![credence_app::domain::person::Role::CommitteeMember],
        },
        common::PASS,
    );
    assert_eq!(
        ws.remove_term(Some(member.id), "FA27").unwrap_err().kind,
        ErrorKind::Forbidden
    );
    assert_eq!(
        ws.remove_term(Some(dana), "XX99").unwrap_err().fields[0].message,
        "the calendar has no term XX99"
    );
    let left = ws.remove_term(Some(dana), "fa27").unwrap();
    assert_eq!(left.len(), 1);
    let entry = &ws
        .audit(
            None,
            &credence_app::AuditQuery {
                entity: Some("calendar".into()),
                ..Default::default()
            },
        )
        .unwrap()[0];
    assert_eq!(entry.before.as_ref().unwrap().as_array().unwrap().len(), 2);
    assert_eq!(entry.after.as_ref().unwrap()[0]["code"], "SP28");
    assert!(ws.verify_audit().unwrap().holds());
}

#[test]
fn its_page_lists_the_pathways_that_include_it_directly_or_through_another() {
    use credence_app::domain::taxonomy::{Pathway, PathwayPart, StackRule};
    let d = common::demo();
    let view = d.ws.microcredential(d.coordinator, &d.slug).unwrap();
    assert!(view.pathways.is_empty(), "{:?}", view.pathways);
    let inner =
        d.ws.put_pathway(
            d.coordinator,
            &Pathway {
                id: 0,
                name: "Data Literacy".into(),
                rule: StackRule::All,
                parts: vec![PathwayPart::Credential(view.proposal_id)],
            },
        )
        .unwrap();
    d.ws.put_pathway(
        d.coordinator,
        &Pathway {
            id: 0,
            name: "Analytics Leadership".into(),
            rule: StackRule::All,
            parts: vec![PathwayPart::Pathway(inner.id)],
        },
    )
    .unwrap();
    let view = d.ws.microcredential(d.coordinator, &d.slug).unwrap();
    assert_eq!(view.pathways, ["Data Literacy", "Analytics Leadership"]);
    // The termination's impact report names the same pathways.
    let impact = d.ws.termination_impact(&d.slug).unwrap();
    assert_eq!(impact.pathways, view.pathways);
}

/// "Things to do" reads only the microcredentials whose periodic review may have come (none
/// that took effect within the last year can be due); the reviews it finds are exactly those
/// the full list marks due, at the boundary too: one-year cycles whose year ended yesterday,
/// ends today, tomorrow and the day after.
#[test]
fn the_reviews_due_are_exactly_those_the_full_list_marks_due() {
    let d = common::demo();
    let today = chrono::Utc::now().date_naive();
    let year_ago = today.checked_sub_months(chrono::Months::new(12)).unwrap();
    let listed = d.ws.review_cycles(false).unwrap();
    assert_eq!(listed.len(), 4);
    for (offset, cycle) in listed.iter().enumerate() {
        let from = (year_ago + chrono::Days::new(offset as u64) - chrono::Days::new(1)).to_string();
        common::around_credence(d.ws.path(), |db| {
            let of = "(SELECT proposal_id FROM microcredential WHERE slug = ?1)";
            db.execute(
                &format!(
                    "UPDATE microcredential_version SET effective_from = ?2, review_cycle_years = 1
                     WHERE proposal_id = {of}"
                ),
                credence_store::args![cycle.slug.as_str(), from.as_str()],
            )
            .unwrap();
            for years in 2..=9 {
                db.execute(
                    &format!(
                        "UPDATE microcredential_version
                         SET content_json = replace(content_json, ?2, '\"review_cycle_years\":1')
                         WHERE proposal_id = {of}"
                    ),
                    credence_store::args![
                        cycle.slug.as_str(),
                        format!("\"review_cycle_years\":{years}")
                    ],
                )
                .unwrap();
            }
            db.execute(
                "UPDATE microcredential SET last_reviewed_on = NULL WHERE slug = ?1",
                credence_store::args![cycle.slug.as_str()],
            )
            .unwrap();
        });
    }
    let all = d.ws.review_cycles(false).unwrap();
    let marked: Vec<_> = all.iter().filter(|c| c.due).cloned().collect();
    assert_eq!(marked.len(), 2, "{all:?}");
    assert_eq!(d.ws.review_cycles(true).unwrap(), marked);
    // Each page says the same as the lists.
    for cycle in &all {
        let page = d.ws.microcredential(None, &cycle.slug).unwrap();
        assert_eq!(page.next_review_due, cycle.next_review_due);
        assert_eq!(page.review_due, cycle.due);
    }
}
