//! The microcredential after approval, against the demo workspace: its own record with
//! status and versions, suspended (issuing refused, with its reason and since when) and
//! resumed, by coordinators only; awards made before keep verifying.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use credence_app::award_files::AwardFormat;
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
    let d = common::demo();
    let list = d.ws.microcredential_list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].status, MicrocredentialStatus::Active);
    assert_eq!(list[0].version, 1);

    // Its page: version 1, approved in its own proposal's case, with the demo's seven awards;
    // the next review from the version's date and the proposal's review cycle.
    let view = d.ws.microcredential(d.coordinator, &d.slug).unwrap();
    assert_eq!(view.versions.len(), 1);
    assert_eq!(view.versions[0].case, view.proposal_id);
    assert_eq!(view.versions[0].awards, 7);
    let today = chrono::Utc::now().date_naive();
    assert_eq!(view.versions[0].effective_from, today.to_string());
    let cycle =
        d.ws.proposal(view.proposal_id)
            .unwrap()
            .content
            .review_cycle_years
            .unwrap();
    assert_eq!(
        view.next_review_due,
        Some(
            today
                .checked_add_months(chrono::Months::new(12 * cycle))
                .unwrap()
                .to_string()
        )
    );
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
    assert!(d.ws.microcredentials().unwrap().is_empty());
    assert_eq!(
        d.ws.microcredential_list().unwrap()[0].status,
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
