//! A roster of learners to award: CSV with a header row.

use super::{invalid, reader, too_many, MAX_ROWS};
use crate::award::LearnerInput;
use crate::{DomainError, FieldError};

/// The roster columns, in the order the documentation lists them.
pub const COLUMNS: [&str; 7] = [
    "name",
    "email",
    "learner_did",
    "completed_on",
    "grade",
    "evidence_url",
    "evidence_note",
];

/// Reads a roster CSV: a header row naming `name` and `email` and any of the optional
/// columns; unknown columns are refused (a misspelt `grade` would otherwise be lost).
pub fn parse(text: &str) -> Result<Vec<LearnerInput>, DomainError> {
    let mut reader = reader(text, csv::Trim::All);
    let headers = reader
        .headers()
        .map_err(|e| invalid("roster", format!("row 1: {e}")))?
        .clone();
    let unknown: Vec<&str> = headers.iter().filter(|h| !COLUMNS.contains(h)).collect();
    let missing: Vec<&str> = ["name", "email"]
        .into_iter()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .collect();
    if !unknown.is_empty() || !missing.is_empty() {
        let mut why = Vec::new();
        if !missing.is_empty() {
            why.push(format!("missing: {}", missing.join(", ")));
        }
        if !unknown.is_empty() {
            why.push(format!("unknown: {}", unknown.join(", ")));
        }
        return Err(invalid(
            "roster",
            format!(
                "row 1: the header must name name and email and may name learner_did, completed_on, grade, evidence_url, evidence_note ({})",
                why.join("; ")
            ),
        ));
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        if i >= MAX_ROWS {
            return Err(too_many("roster"));
        }
        match record {
            Ok(r) => {
                let cell = |name: &str| {
                    headers
                        .iter()
                        .position(|h| h == name)
                        .and_then(|i| r.get(i))
                        .unwrap_or("")
                        .to_string()
                };
                rows.push(LearnerInput {
                    name: cell("name"),
                    email: cell("email"),
                    learner_did: cell("learner_did"),
                    completed_on: cell("completed_on"),
                    grade: cell("grade"),
                    evidence_url: cell("evidence_url"),
                    evidence_note: cell("evidence_note"),
                });
            }
            Err(e) => problems.push(FieldError::new(format!("row {}", i + 2), e.to_string())),
        }
    }
    if !problems.is_empty() {
        return Err(DomainError::Invalid(problems));
    }
    if rows.is_empty() {
        return Err(invalid("roster", "the roster has a header but no learners"));
    }
    Ok(rows)
}
