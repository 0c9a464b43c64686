//! The coordinator's report on the demo: every section counted from the workspace, written
//! as CSV (one table a section) and as a PDF whose text carries them.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use credence_app::domain::case::CaseKind;
use credence_app::domain::proposal::ProposalStatus;

#[test]
fn the_report_counts_cases_awards_revocations_and_reviews_due() {
    let d = common::demo();
    let r = d.ws.report().unwrap();
    let count = |kind: CaseKind, status: ProposalStatus| -> i64 {
        r.cases
            .iter()
            .filter(|c| c.kind == kind && c.status == status)
            .map(|c| c.count)
            .sum()
    };
    // The demo: 44 new proposals (five of them active microcredentials), a change in effect
    // and one waiting, two terminations decided.
    assert_eq!(count(CaseKind::New, ProposalStatus::Active), 5);
    assert_eq!(count(CaseKind::Change, ProposalStatus::Active), 1);
    assert_eq!(count(CaseKind::Change, ProposalStatus::Submitted), 1);
    assert_eq!(count(CaseKind::Termination, ProposalStatus::Active), 2);
    let all: i64 = r.cases.iter().map(|c| c.count).sum();
    assert_eq!(all, 48);
    let awards: i64 = r.awards_per_month.iter().map(|a| a.awards).sum();
    assert_eq!(awards, 12);
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    assert!(r
        .awards_per_month
        .iter()
        .any(|a| a.microcredential == d.slug && a.month == month && a.awards == 7));
    assert_eq!(r.revocations.len(), 1);
    assert_eq!(r.revocations[0].microcredential, d.slug);
    assert_eq!(r.reviews_due.len(), 1);
    assert_eq!(r.reviews_due[0].slug, d.slug);
    assert!(r.clock.decided > 0);

    // CSV: one file a section, each with its header; a reason reads back as written.
    let files = d.ws.report_csv().unwrap();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "cases.csv",
            "steps.csv",
            "awards-per-month.csv",
            "revocations.csv",
            "reviews-due.csv"
        ]
    );
    assert!(files[0].1.starts_with("kind,status,unit,cases\n"));
    assert!(files[0].1.contains("termination,active,CS,2\n"));
    assert!(files[3]
        .1
        .contains("Issued in error: the learner withdrew before the final assessment."));

    // The PDF carries the same.
    let text = common::pdf_text(&d.ws.report_pdf().unwrap());
    for needle in [
        "Cases by kind, status and unit",
        "Time in each step",
        "Awards per month",
        "spreadsheet-modelling-basics",
        "Periodic reviews due",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
}
