//! The cases a committee reviews. A case is a new microcredential's proposal, a change
//! request against an active microcredential, or a termination request; each runs a review
//! route and ends in a decision (its status is a [`crate::proposal::ProposalStatus`], moved
//! only by `ProposalStatus::apply`). What a case does once decided is the lifecycle's
//! business: a new proposal becomes a microcredential, a change its next version, a
//! termination its teach-out.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::diff::ChangeLevel;
use crate::{DomainError, FieldError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// A proposal for a new microcredential.
    New,
    /// A change to an active microcredential: its next version.
    Change,
    /// Ending a microcredential: teach-out, then retired.
    Termination,
}

impl CaseKind {
    pub const ALL: [CaseKind; 3] = [CaseKind::New, CaseKind::Change, CaseKind::Termination];

    /// As stored and as the command line prints it.
    pub fn key(self) -> &'static str {
        match self {
            CaseKind::New => "new",
            CaseKind::Change => "change",
            CaseKind::Termination => "termination",
        }
    }

    pub fn parse(s: &str) -> Option<CaseKind> {
        CaseKind::ALL.into_iter().find(|k| k.key() == s)
    }

    /// In a sentence or a column.
    pub fn label(self) -> &'static str {
        match self {
            CaseKind::New => "new microcredential",
            CaseKind::Change => "change request",
            CaseKind::Termination => "termination",
        }
    }
}

/// What a route is chosen for: the case's kind and, for a change, its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RouteCase {
    New,
    MinorChange,
    MajorChange,
    Termination,
}

impl RouteCase {
    pub fn of(kind: CaseKind, level: Option<ChangeLevel>) -> RouteCase {
        match (kind, level) {
            (CaseKind::New, _) => RouteCase::New,
            (CaseKind::Termination, _) => RouteCase::Termination,
            (CaseKind::Change, Some(ChangeLevel::Minor) | None) => RouteCase::MinorChange,
            (CaseKind::Change, Some(_)) => RouteCase::MajorChange,
        }
    }
}

/// The level a change request goes forward at: what the triage rules computed, unless the
/// coordinator set another. Raising needs no reason; lowering does, and is recorded.
pub fn settle_level(
    computed: Option<ChangeLevel>,
    chosen: ChangeLevel,
    reason: Option<&str>,
) -> Result<ChangeLevel, DomainError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    match computed {
        Some(computed) if chosen < computed && reason.is_none() => {
            Err(DomainError::Invalid(vec![FieldError::new(
                "reason",
                format!(
                    "the triage rules make this change {}; say why it is {}",
                    level_label(computed),
                    level_label(chosen)
                ),
            )]))
        }
        _ => Ok(chosen),
    }
}

/// The level in effect: the coordinator's when set, else the rules'.
pub fn effective_level(
    computed: Option<ChangeLevel>,
    chosen: Option<ChangeLevel>,
) -> Option<ChangeLevel> {
    chosen.or(computed)
}

/// What a change request says beyond the content: why, from when, and how learners are told.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChangeDetails {
    pub rationale: String,
    /// An academic term's code; the new version takes effect on its first day.
    pub effective_term: Option<String>,
    /// How learners already enrolled will be told.
    pub learner_notice: String,
}

/// Whether a change request may be submitted: its details complete, its level not one that
/// makes it another microcredential, and something changed.
pub fn check_change_submission(
    details: &ChangeDetails,
    level: Option<ChangeLevel>,
) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    if details.rationale.trim().is_empty() {
        errors.push(FieldError::new("rationale", "say why the change is needed"));
    }
    if details.effective_term.is_none() {
        errors.push(FieldError::new(
            "effective_term",
            "choose the term from which the new version applies",
        ));
    }
    if details.learner_notice.trim().is_empty() {
        errors.push(FieldError::new(
            "learner_notice",
            "say how learners already enrolled will be told",
        ));
    }
    match level {
        None => errors.push(FieldError::new(
            "content",
            "nothing differs from the version in effect",
        )),
        Some(ChangeLevel::NewMicrocredential) => errors.push(FieldError::new(
            "title",
            "a new title makes it another microcredential: propose a new one and request this one's termination",
        )),
        Some(_) => {}
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// What a termination request says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TerminationDetails {
    pub reason: String,
    /// The last day new learners may enrol (YYYY-MM-DD), if there is one.
    pub last_intake_on: Option<String>,
    /// Awards are still allowed until this day (YYYY-MM-DD); retired the day after.
    pub teach_out_until: String,
}

pub fn check_termination(t: &TerminationDetails, today: &str) -> Result<(), DomainError> {
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let mut errors = Vec::new();
    if t.reason.trim().is_empty() {
        errors.push(FieldError::new(
            "reason",
            "say why the microcredential ends",
        ));
    }
    let until = date(&t.teach_out_until);
    if until.is_none() {
        errors.push(FieldError::new(
            "teach_out_until",
            format!(
                "\"{}\" is not a date (expected YYYY-MM-DD)",
                t.teach_out_until
            ),
        ));
    }
    if let Some(intake) = &t.last_intake_on {
        match date(intake) {
            None => errors.push(FieldError::new(
                "last_intake_on",
                format!("\"{intake}\" is not a date (expected YYYY-MM-DD)"),
            )),
            Some(i) if until.is_some_and(|u| i > u) => errors.push(FieldError::new(
                "last_intake_on",
                "the last intake must be on or before the end of the teach-out",
            )),
            _ => {}
        }
    }
    if until.is_some() && t.teach_out_until.as_str() < today {
        errors.push(FieldError::new(
            "teach_out_until",
            format!("{} has passed", t.teach_out_until),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(errors))
    }
}

fn level_label(l: ChangeLevel) -> &'static str {
    match l {
        ChangeLevel::Minor => "minor",
        ChangeLevel::Major => "major",
        ChangeLevel::NewMicrocredential => "a new microcredential",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChangeLevel::*;

    #[test]
    fn raising_a_level_needs_no_reason_and_lowering_one_does() {
        assert_eq!(settle_level(Some(Minor), Major, None).unwrap(), Major);
        let err = settle_level(Some(Major), Minor, Some("  ")).unwrap_err();
        assert!(format!("{err:?}").contains("reason"), "{err:?}");
        assert_eq!(
            settle_level(Some(Major), Minor, Some("typo in an outcome")).unwrap(),
            Minor
        );
        assert_eq!(effective_level(Some(Major), None), Some(Major));
        assert_eq!(effective_level(Some(Major), Some(Minor)), Some(Minor));
    }

    #[test]
    fn a_change_goes_forward_only_complete_and_as_a_change() {
        let details = ChangeDetails {
            rationale: "Employers asked for it".into(),
            effective_term: Some("2027-FA".into()),
            learner_notice: "Email to the current cohort".into(),
        };
        assert!(check_change_submission(&details, Some(Major)).is_ok());
        let fields = |r: Result<(), DomainError>| match r {
            Err(DomainError::Invalid(e)) => e.into_iter().map(|f| f.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields(check_change_submission(&details, None)), ["content"]);
        assert_eq!(
            fields(check_change_submission(&details, Some(NewMicrocredential))),
            ["title"]
        );
        assert_eq!(
            fields(check_change_submission(
                &ChangeDetails::default(),
                Some(Minor)
            )),
            ["rationale", "effective_term", "learner_notice"]
        );
    }

    #[test]
    fn routes_are_chosen_by_kind_and_level() {
        assert_eq!(RouteCase::of(CaseKind::New, None), RouteCase::New);
        assert_eq!(
            RouteCase::of(CaseKind::Change, Some(Minor)),
            RouteCase::MinorChange
        );
        assert_eq!(
            RouteCase::of(CaseKind::Change, Some(Major)),
            RouteCase::MajorChange
        );
        assert_eq!(
            RouteCase::of(CaseKind::Termination, None),
            RouteCase::Termination
        );
        for k in CaseKind::ALL {
            assert_eq!(CaseKind::parse(k.key()), Some(k));
        }
    }

    #[test]
    fn a_termination_needs_a_reason_and_dates_in_order() {
        let ok = TerminationDetails {
            reason: "Replaced by a program".into(),
            last_intake_on: Some("2027-01-31".into()),
            teach_out_until: "2027-12-31".into(),
        };
        assert!(check_termination(&ok, "2026-12-02").is_ok());
        let fields = |t: &TerminationDetails| match check_termination(t, "2026-12-02") {
            Err(DomainError::Invalid(e)) => e.into_iter().map(|f| f.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        let bad = TerminationDetails {
            reason: " ".into(),
            last_intake_on: Some("2028-01-01".into()),
            teach_out_until: "2027-12-31".into(),
        };
        assert_eq!(fields(&bad), ["reason", "last_intake_on"]);
        let past = TerminationDetails {
            teach_out_until: "2026-01-01".into(),
            last_intake_on: None,
            ..ok.clone()
        };
        assert_eq!(fields(&past), ["teach_out_until"]);
        let nonsense = TerminationDetails {
            teach_out_until: "next year".into(),
            last_intake_on: None,
            ..ok
        };
        assert_eq!(fields(&nonsense), ["teach_out_until"]);
    }
}
