//! The life of a microcredential once approved: Active, Suspended (issuing paused, with a
//! reason, reversible), Teach-out (terminated: awards still allowed until the teach-out
//! ends) and Retired (no more awards; the record and every award it made stay). One
//! transition function, [`MicrocredentialStatus::apply`], decides every move.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{DomainError, FieldError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MicrocredentialStatus {
    Active,
    Suspended,
    TeachOut,
    Retired,
}

/// What moves a microcredential from one status to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum LifecycleEvent {
    /// Pause issuing (a coordinator), saying why.
    Suspend { reason: String },
    /// Issue again after a suspension.
    Resume,
    /// A termination was decided: learners already enrolled may still complete and be
    /// awarded until `until` (YYYY-MM-DD).
    BeginTeachOut { until: String },
    /// No more awards: the teach-out ended, or a termination without one.
    Retire,
}

impl MicrocredentialStatus {
    /// The next status after `event`, or why it does not apply now (named by field).
    pub fn apply(self, event: &LifecycleEvent) -> Result<MicrocredentialStatus, DomainError> {
        use LifecycleEvent as E;
        use MicrocredentialStatus as S;
        let refuse =
            |field: &str, m: String| Err(DomainError::Invalid(vec![FieldError::new(field, m)]));
        match (self, event) {
            (S::Active, E::Suspend { reason }) => {
                if reason.trim().is_empty() {
                    refuse("reason", "say why issuing is suspended".into())
                } else {
                    Ok(S::Suspended)
                }
            }
            (S::Suspended, E::Resume) => Ok(S::Active),
            (S::Active | S::Suspended, E::BeginTeachOut { until }) => {
                if chrono::NaiveDate::parse_from_str(until, "%Y-%m-%d").is_err() {
                    refuse(
                        "teach_out_until",
                        format!("\"{until}\" is not a date (expected YYYY-MM-DD)"),
                    )
                } else {
                    Ok(S::TeachOut)
                }
            }
            (S::Active | S::Suspended | S::TeachOut, E::Retire) => Ok(S::Retired),
            (s, e) => refuse(
                "status",
                format!(
                    "a microcredential that is {} cannot be {}",
                    s.label(),
                    e.past_tense()
                ),
            ),
        }
    }

    /// The status on `today`: a teach-out whose last day (`teach_out_until`) has passed is
    /// retired, without anyone having to act on the day.
    pub fn on(self, teach_out_until: Option<&str>, today: &str) -> MicrocredentialStatus {
        match (self, teach_out_until) {
            (MicrocredentialStatus::TeachOut, Some(until)) if until < today => {
                MicrocredentialStatus::Retired
            }
            (s, _) => s,
        }
    }

    /// Whether learners may be awarded it now.
    pub fn may_award(self) -> bool {
        matches!(
            self,
            MicrocredentialStatus::Active | MicrocredentialStatus::TeachOut
        )
    }

    /// As stored and as the command line prints it.
    pub fn key(self) -> &'static str {
        match self {
            MicrocredentialStatus::Active => "active",
            MicrocredentialStatus::Suspended => "suspended",
            MicrocredentialStatus::TeachOut => "teach_out",
            MicrocredentialStatus::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<MicrocredentialStatus> {
        [
            MicrocredentialStatus::Active,
            MicrocredentialStatus::Suspended,
            MicrocredentialStatus::TeachOut,
            MicrocredentialStatus::Retired,
        ]
        .into_iter()
        .find(|v| v.key() == s)
    }

    /// In a sentence.
    pub fn label(self) -> &'static str {
        match self {
            MicrocredentialStatus::Active => "active",
            MicrocredentialStatus::Suspended => "suspended",
            MicrocredentialStatus::TeachOut => "in teach-out",
            MicrocredentialStatus::Retired => "retired",
        }
    }
}

/// What a periodic review decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// Fit for another cycle: the next review falls one cycle from the review.
    Renewed,
    /// It must change: a change request is opened with the review's finding as its
    /// rationale, due (decided) by `due_on`, as a condition of the review.
    ChangeRequired {
        /// YYYY-MM-DD. (Audit entries of earlier builds carry none.)
        #[serde(default)]
        due_on: String,
    },
    /// It should end: a termination request is opened, with the review's finding as its
    /// reason and this teach-out.
    Sunset {
        teach_out_until: String,
        last_intake_on: Option<String>,
    },
}

impl ReviewOutcome {
    pub fn key(&self) -> &'static str {
        match self {
            ReviewOutcome::Renewed => "renewed",
            ReviewOutcome::ChangeRequired { .. } => "change_required",
            ReviewOutcome::Sunset { .. } => "sunset",
        }
    }
}

impl ReviewOutcome {
    /// Refuses what the outcome itself gets wrong, by field: a change required is due on a
    /// real date after `today`.
    pub fn check(&self, today: &str) -> Result<(), DomainError> {
        if let ReviewOutcome::ChangeRequired { due_on } = self {
            let message = if due_on.trim().is_empty() {
                Some("say by when the change must be decided (YYYY-MM-DD)".to_string())
            } else if chrono::NaiveDate::parse_from_str(due_on, "%Y-%m-%d").is_err() {
                Some(format!("\"{due_on}\" is not a date (expected YYYY-MM-DD)"))
            } else if due_on.as_str() <= today {
                Some(format!(
                    "{due_on} has passed; the change is due after today ({today})"
                ))
            } else {
                None
            };
            if let Some(message) = message {
                return Err(DomainError::Invalid(vec![FieldError::new(
                    "due_on", message,
                )]));
            }
        }
        Ok(())
    }
}

/// When a microcredential is next due for periodic review: `cycle_years` (one to three,
/// from its quality-assurance field) after the later of the day its current version took
/// effect and its last review. `None` without a cycle or a readable date.
pub fn next_review(
    effective_from: &str,
    last_reviewed_on: Option<&str>,
    cycle_years: Option<u32>,
) -> Option<String> {
    let years = cycle_years.filter(|y| *y > 0)?;
    let parse = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let from = match last_reviewed_on.and_then(parse) {
        Some(reviewed) => parse(effective_from).map_or(reviewed, |e| e.max(reviewed)),
        None => parse(effective_from)?,
    };
    from.checked_add_months(chrono::Months::new(12 * years))
        .map(|d| d.to_string())
}

impl LifecycleEvent {
    fn past_tense(&self) -> &'static str {
        match self {
            LifecycleEvent::Suspend { .. } => "suspended",
            LifecycleEvent::Resume => "resumed",
            LifecycleEvent::BeginTeachOut { .. } => "put into teach-out",
            LifecycleEvent::Retire => "retired",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LifecycleEvent as E;

    #[test]
    fn a_teach_out_is_retired_the_day_after_it_ends_and_nothing_else_moves_by_date() {
        use MicrocredentialStatus as S;
        let until = Some("2027-06-30");
        assert_eq!(S::TeachOut.on(until, "2027-06-30"), S::TeachOut);
        assert_eq!(S::TeachOut.on(until, "2027-07-01"), S::Retired);
        assert!(!S::TeachOut.on(until, "2027-07-01").may_award());
        assert_eq!(S::TeachOut.on(None, "2099-01-01"), S::TeachOut);
        for s in [S::Active, S::Suspended, S::Retired] {
            assert_eq!(s.on(until, "2099-01-01"), s);
        }
    }
    use MicrocredentialStatus as S;

    fn suspend(reason: &str) -> E {
        E::Suspend {
            reason: reason.into(),
        }
    }

    fn teach_out(until: &str) -> E {
        E::BeginTeachOut {
            until: until.into(),
        }
    }

    fn refused(r: Result<S, DomainError>) -> (String, String) {
        match r {
            Err(DomainError::Invalid(f)) => (f[0].field.clone(), f[0].message.clone()),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn every_allowed_transition() {
        assert_eq!(
            S::Active.apply(&suspend("Lab closed for repairs")),
            Ok(S::Suspended)
        );
        assert_eq!(S::Suspended.apply(&E::Resume), Ok(S::Active));
        assert_eq!(S::Active.apply(&teach_out("2027-06-30")), Ok(S::TeachOut));
        assert_eq!(
            S::Suspended.apply(&teach_out("2027-06-30")),
            Ok(S::TeachOut)
        );
        for s in [S::Active, S::Suspended, S::TeachOut] {
            assert_eq!(s.apply(&E::Retire), Ok(S::Retired), "{s:?}");
        }
    }

    #[test]
    fn every_refused_transition_names_why() {
        assert_eq!(
            refused(S::Active.apply(&suspend("  "))),
            ("reason".into(), "say why issuing is suspended".into())
        );
        assert_eq!(
            refused(S::Active.apply(&teach_out("30/06/2027"))).0,
            "teach_out_until"
        );
        assert_eq!(
            refused(S::Active.apply(&E::Resume)),
            (
                "status".into(),
                "a microcredential that is active cannot be resumed".into()
            )
        );
        assert_eq!(
            refused(S::Suspended.apply(&suspend("again"))).1,
            "a microcredential that is suspended cannot be suspended"
        );
        assert_eq!(
            refused(S::TeachOut.apply(&suspend("why"))).1,
            "a microcredential that is in teach-out cannot be suspended"
        );
        assert_eq!(refused(S::TeachOut.apply(&E::Resume)).0, "status");
        assert_eq!(
            refused(S::TeachOut.apply(&teach_out("2028-01-01"))).0,
            "status"
        );
        for e in [suspend("x"), E::Resume, teach_out("2027-01-01"), E::Retire] {
            assert_eq!(
                refused(S::Retired.apply(&e)).1,
                format!(
                    "a microcredential that is retired cannot be {}",
                    e.past_tense()
                )
            );
        }
    }

    #[test]
    fn the_next_review_counts_from_the_later_of_the_version_and_the_last_review() {
        assert_eq!(
            next_review("2025-09-01", None, Some(2)),
            Some("2027-09-01".into())
        );
        assert_eq!(
            next_review("2025-09-01", Some("2026-03-15"), Some(1)),
            Some("2027-03-15".into())
        );
        // A version newer than the last review restarts the cycle.
        assert_eq!(
            next_review("2026-06-01", Some("2026-03-15"), Some(1)),
            Some("2027-06-01".into())
        );
        assert_eq!(
            next_review("2024-02-29", None, Some(1)),
            Some("2025-02-28".into())
        );
        assert_eq!(next_review("2025-09-01", None, None), None);
        assert_eq!(next_review("2025-09-01", None, Some(0)), None);
        assert_eq!(next_review("not a date", None, Some(1)), None);
    }

    #[test]
    fn only_active_and_teach_out_award() {
        assert!(S::Active.may_award() && S::TeachOut.may_award());
        assert!(!S::Suspended.may_award() && !S::Retired.may_award());
        for s in [S::Active, S::Suspended, S::TeachOut, S::Retired] {
            assert_eq!(S::parse(s.key()), Some(s));
        }
    }

    #[test]
    fn a_change_required_is_due_on_a_date_after_the_review() {
        let due = |d: &str| ReviewOutcome::ChangeRequired { due_on: d.into() };
        assert_eq!(due("2027-03-01").check("2026-12-02"), Ok(()));
        for (d, says) in [
            ("", "say by when"),
            ("next spring", "is not a date"),
            ("2026-12-02", "has passed"),
        ] {
            let Err(DomainError::Invalid(f)) = due(d).check("2026-12-02") else {
                panic!("{d:?} was accepted");
            };
            assert_eq!(f[0].field, "due_on");
            assert!(f[0].message.contains(says), "{d:?}: {}", f[0].message);
        }
        assert_eq!(ReviewOutcome::Renewed.check("2026-12-02"), Ok(()));
        // An outcome written by an earlier build, without a date, still reads.
        let old: ReviewOutcome = serde_json::from_str(r#"{"outcome":"change_required"}"#).unwrap();
        assert_eq!(old, due(""));
    }
}
