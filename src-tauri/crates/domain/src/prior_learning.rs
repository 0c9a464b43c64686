//! Recognition of prior learning: a learner who already has what a microcredential certifies
//! (from work, another course, a portfolio) claims it with evidence; an assessor judges the
//! evidence against each of the microcredential's learning outcomes and decides, signed; a
//! recognized claim is awarded a credential that says how it was earned.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{validate, FieldError};

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    /// Evidence is gathered; waiting for an assessor.
    Open,
    /// Every outcome met: to be (or already) awarded.
    Recognized,
    /// Not recognized, with the assessor's reasons.
    Declined,
}

impl ClaimState {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimState::Open => "open",
            ClaimState::Recognized => "recognized",
            ClaimState::Declined => "declined",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Open, Self::Recognized, Self::Declined]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// The assessor's judgement of one learning outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutcomeJudgement {
    /// The outcome as the microcredential's version states it.
    pub outcome: String,
    pub met: bool,
    /// What in the evidence shows it (or what is missing).
    #[serde(default)]
    pub note: String,
}

/// An assessor's decision on a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Assessment {
    /// One per learning outcome, in the version's order.
    pub judgements: Vec<OutcomeJudgement>,
    pub recognize: bool,
    /// The reasons; required to decline.
    #[serde(default)]
    pub note: String,
}

/// What a person may do with a claim now: add evidence while it is open (coordinators and
/// assessors), decide it while open (an assessor, never on their own claim), award it once
/// recognized and not yet awarded (coordinators and issuing staff). The views and "Things to
/// do" read this; the use cases refuse the same cases with their reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClaimActs {
    pub add_evidence: bool,
    pub assess: bool,
    pub award: bool,
}

pub fn acts(
    person: Option<&crate::person::Person>,
    state: ClaimState,
    learner_email: &str,
    awarded: bool,
) -> ClaimActs {
    use crate::person::Role;
    let Some(p) = person else {
        return ClaimActs::default();
    };
    let own = p.email.eq_ignore_ascii_case(learner_email);
    ClaimActs {
        add_evidence: state == ClaimState::Open
            && (p.has_role(Role::Coordinator) || p.has_role(Role::Assessor)),
        assess: state == ClaimState::Open && p.has_role(Role::Assessor) && !own,
        award: state == ClaimState::Recognized
            && !awarded
            && (p.has_role(Role::Coordinator) || p.has_role(Role::Issuer)),
    }
}

/// What kind of evidence an award by recognition of prior learning carries (the credential's
/// `evidence.genre` and `name`).
pub const RECOGNITION_GENRE: &str = "Recognition of prior learning";

/// Checks an assessment against the version's `outcomes`: each judged once, in order; a
/// claim recognized only when every outcome is met; a decline says why. Errors name
/// `judgements[i]`, `recognize` or `note`.
pub fn check_assessment(outcomes: &[String], a: &Assessment) -> Result<(), Vec<FieldError>> {
    let mut problems = Vec::new();
    if a.judgements.len() != outcomes.len() {
        problems.push(FieldError::new(
            "judgements",
            format!(
                "judge each of the {} learning outcomes (there are {} judgements)",
                outcomes.len(),
                a.judgements.len()
            ),
        ));
    } else {
        for (i, (j, outcome)) in a.judgements.iter().zip(outcomes).enumerate() {
            if j.outcome.trim() != outcome.trim() {
                problems.push(FieldError::new(
                    format!("judgements[{i}]"),
                    format!("outcome {} is \"{outcome}\", not \"{}\"", i + 1, j.outcome),
                ));
            }
            if let Err(m) = validate::optional_text(&j.note, 1000) {
                problems.push(FieldError::new(format!("judgements[{i}].note"), m));
            }
        }
        if a.recognize {
            if let Some((i, j)) = a.judgements.iter().enumerate().find(|(_, j)| !j.met) {
                problems.push(FieldError::new(
                    "recognize",
                    format!(
                        "outcome {} (\"{}\") is not met: prior learning is recognized only when every outcome is",
                        i + 1,
                        j.outcome
                    ),
                ));
            }
        }
    }
    if !a.recognize && a.note.trim().is_empty() {
        problems.push(FieldError::new(
            "note",
            "say why the claim is declined (the learner is told)",
        ));
    }
    if let Err(m) = validate::optional_text(&a.note, 2000) {
        problems.push(FieldError::new("note", m));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The learner's account of what they learned, where and how: 1 to 5,000 characters.
pub fn check_statement(text: &str) -> Result<String, String> {
    validate::required_text(text, 5000)
}

/// What a credential awarded by recognition of prior learning says of it.
pub fn recognition_narrative(outcomes: usize, assessor: &str, decided_on: &str) -> String {
    format!(
        "Awarded by recognition of prior learning: the learner's evidence was assessed by {assessor} on {decided_on} against each of the {outcomes} learning outcomes, and every one was met."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcomes() -> Vec<String> {
        vec!["Plan a survey.".into(), "Fly it safely.".into()]
    }

    fn judged(met: [bool; 2]) -> Vec<OutcomeJudgement> {
        outcomes()
            .into_iter()
            .zip(met)
            .map(|(outcome, met)| OutcomeJudgement {
                outcome,
                met,
                note: String::new(),
            })
            .collect()
    }

    #[test]
    fn recognized_only_when_every_outcome_is_met() {
        let a = Assessment {
            judgements: judged([true, true]),
            recognize: true,
            note: String::new(),
        };
        assert!(check_assessment(&outcomes(), &a).is_ok());
        let a = Assessment {
            judgements: judged([true, false]),
            ..a
        };
        let e = check_assessment(&outcomes(), &a).unwrap_err();
        assert_eq!(e[0].field, "recognize");
        assert!(e[0]
            .message
            .contains("outcome 2 (\"Fly it safely.\") is not met"));
    }

    #[test]
    fn a_decline_says_why_and_every_outcome_is_judged_in_order() {
        let a = Assessment {
            judgements: judged([true, false]),
            recognize: false,
            note: " ".into(),
        };
        assert_eq!(
            check_assessment(&outcomes(), &a).unwrap_err()[0].field,
            "note"
        );
        let mut swapped = judged([true, true]);
        swapped.reverse();
        let a = Assessment {
            judgements: swapped,
            recognize: false,
            note: "Not enough".into(),
        };
        let e = check_assessment(&outcomes(), &a).unwrap_err();
        assert_eq!(e[0].field, "judgements[0]");
        let a = Assessment {
            judgements: judged([true, true])[..1].to_vec(),
            recognize: false,
            note: "Not enough".into(),
        };
        let e = check_assessment(&outcomes(), &a).unwrap_err();
        assert!(e[0].message.starts_with("judge each of the 2"));
    }
}
