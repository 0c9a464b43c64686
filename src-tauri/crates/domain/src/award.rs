//! Awarding a microcredential: a learner row (typed in the window or read from a roster
//! CSV), its validation, and the award as a front end lists it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{validate, FieldError, Id};

/// One learner to award, as typed or as read from a roster row. Every field is text, so a
/// roster's problems can be named field by field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct LearnerInput {
    pub name: String,
    pub email: String,
    /// The learner's own DID, where they gave one.
    pub learner_did: String,
    /// `YYYY-MM-DD`; today where empty.
    pub completed_on: String,
    pub grade: String,
    pub evidence_url: String,
    pub evidence_note: String,
}

/// What a correction of an issued award changes; each field not given keeps its value (the
/// grade and evidence always do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AwardCorrection {
    pub name: Option<String>,
    pub email: Option<String>,
    /// `YYYY-MM-DD`.
    pub completed_on: Option<String>,
}

/// A learner row that passed every check, in normal form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learner {
    pub name: String,
    /// Lower-cased.
    pub email: String,
    pub learner_did: Option<String>,
    pub completed_on: NaiveDate,
    pub grade: Option<String>,
    pub evidence_url: Option<String>,
    pub evidence_note: Option<String>,
}

/// An absolute `http(s)` URL without spaces.
fn web_url(value: &str) -> Result<String, String> {
    let ok = (value.starts_with("https://") || value.starts_with("http://"))
        && value.len() > "https://".len()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"');
    if ok {
        Ok(value.to_string())
    } else {
        Err(format!(
            "\"{value}\" is not a web address (expected https://...)"
        ))
    }
}

impl LearnerInput {
    /// Checks the row; `today` is the latest allowed completion date.
    pub fn validate(&self, today: NaiveDate) -> Result<Learner, Vec<FieldError>> {
        let mut problems = Vec::new();
        let mut push =
            |field: &str, message: String| problems.push(FieldError::new(field, message));
        let name = validate::required_text(&self.name, 200)
            .map_err(|m| push("name", m))
            .unwrap_or_default();
        let email = validate::email(&self.email)
            .map(|e| e.to_lowercase())
            .map_err(|m| push("email", m))
            .unwrap_or_default();
        let did = self.learner_did.trim();
        let learner_did = if did.is_empty() {
            None
        } else if did.starts_with("did:")
            && did.split(':').count() >= 3
            && did.len() <= 2000
            && !did
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        {
            Some(did.to_string())
        } else {
            push(
                "learner_did",
                format!("\"{did}\" is not a DID (expected did:method:identifier)"),
            );
            None
        };
        let date = self.completed_on.trim();
        let completed_on = if date.is_empty() {
            today
        } else {
            match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
                Ok(d) if d > today => {
                    push(
                        "completed_on",
                        format!("{date} is in the future; a learner cannot have completed yet"),
                    );
                    today
                }
                Ok(d) => d,
                Err(_) => {
                    push(
                        "completed_on",
                        format!("\"{date}\" is not a date (expected YYYY-MM-DD)"),
                    );
                    today
                }
            }
        };
        let grade = validate::optional_text(&self.grade, 50)
            .map_err(|m| push("grade", m))
            .unwrap_or_default();
        let evidence_url = match self.evidence_url.trim() {
            "" => None,
            url => web_url(url).map_err(|m| push("evidence_url", m)).ok(),
        };
        let evidence_note = validate::optional_text(&self.evidence_note, 2000)
            .map_err(|m| push("evidence_note", m))
            .unwrap_or_default();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Learner {
            name,
            email,
            learner_did,
            completed_on,
            grade,
            evidence_url,
            evidence_note,
        })
    }
}

/// An active microcredential, ready for awarding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Microcredential {
    #[ts(type = "number")]
    pub proposal_id: Id,
    pub slug: String,
    pub title: String,
    pub version: i64,
}

/// An issued award, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Award {
    pub id: String,
    #[ts(type = "number")]
    pub proposal_id: Id,
    pub microcredential: String,
    /// The microcredential version the award was issued under.
    pub version: i64,
    pub learner_name: String,
    pub learner_email: String,
    pub completed_on: String,
    pub credential_id: String,
    pub issuer_did: String,
    pub issued_at: String,
    pub revoked_at: Option<String>,
    pub revoked_reason: Option<String>,
    /// The award that corrected this one (this one then revoked as superseded).
    pub superseded_by: Option<String>,
    /// The award this one corrected.
    pub supersedes: Option<String>,
}

/// How many days ahead "Things to do" shows the awards about to expire, unless the
/// institution set another.
pub const DEFAULT_EXPIRY_NOTICE_DAYS: u32 = 60;

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn a_good_row_is_normalized() {
        let row = LearnerInput {
            name: " Zoë Ångström ".into(),
            email: "Zoe@Example.EDU".into(),
            completed_on: "2026-11-20".into(),
            ..Default::default()
        };
        let learner = row.validate(today()).expect("valid");
        assert_eq!(learner.name, "Zoë Ångström");
        assert_eq!(learner.email, "zoe@example.edu");
        assert_eq!(learner.completed_on.to_string(), "2026-11-20");
    }

    #[test]
    fn each_bad_field_is_named() {
        let row = LearnerInput {
            name: String::new(),
            email: "not an email".into(),
            learner_did: "did-nope".into(),
            completed_on: "2027-01-01".into(),
            evidence_url: "ftp://x".into(),
            ..Default::default()
        };
        let fields: Vec<String> = row
            .validate(today())
            .expect_err("invalid")
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(
            fields,
            [
                "name",
                "email",
                "learner_did",
                "completed_on",
                "evidence_url"
            ]
        );
    }
}
