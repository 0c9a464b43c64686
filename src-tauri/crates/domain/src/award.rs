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
    /// How it was earned, where not by completing the microcredential (recognition of prior
    /// learning, an imported assertion): evidence the credential carries.
    pub how_earned: Option<HowEarned>,
}

/// What a credential says of how it was earned: an `evidence` item of this genre (also its
/// name), with this narrative, and an id where the evidence has an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HowEarned {
    pub id: Option<String>,
    pub genre: String,
    pub narrative: String,
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
            how_earned: None,
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
    /// When the credential stops being valid (its `validUntil`), where it expires.
    pub valid_until: Option<String>,
    /// The earlier award this one renews.
    pub renewal_of: Option<String>,
    /// The award that renews this one (the latest not revoked).
    pub renewed_by: Option<String>,
    /// Whether its validity has ended (as of when it was read).
    pub expired: bool,
    /// Earned by recognition of prior learning, not by completing the microcredential.
    pub by_recognition: bool,
    /// Made from an Open Badges 2.0 assertion imported from another platform.
    pub imported: bool,
    /// Whether it may be renewed: it expires, and is neither revoked nor renewed already
    /// (see [`Award::renewal_refusal`]). Who may renew is the issuing right's.
    pub renewable: bool,
}

impl Award {
    /// Why this award cannot be renewed, if it cannot: one that does not expire has nothing
    /// to renew, a revoked one is reinstated or issued anew, and one already renewed is
    /// renewed through its renewal.
    pub fn renewal_refusal(&self) -> Option<String> {
        if let Some(by) = &self.renewed_by {
            Some(format!("this award was already renewed by award {by}"))
        } else if self.revoked_at.is_some() {
            Some("a revoked award is not renewed; reinstate it, or issue anew".into())
        } else if self.valid_until.is_none() {
            Some("this award does not expire, so there is nothing to renew".into())
        } else {
            None
        }
    }

    /// The award with [`Award::renewable`] set from its other fields.
    pub fn with_renewable(mut self) -> Self {
        self.renewable = self.renewal_refusal().is_none();
        self
    }
}

/// When a credential earned on `completed_on` stops being valid, where its microcredential
/// gives a validity period: that many months after the day it was earned (at midnight UTC
/// starting the day), so a late issue, a correction or a re-issue keeps the same expiry and a
/// renewal starts a new one from the day it was earned again.
pub fn valid_until(completed_on: NaiveDate, months: Option<u32>) -> Option<String> {
    let until = completed_on.checked_add_months(chrono::Months::new(months?))?;
    Some(format!("{}T00:00:00Z", until.format("%Y-%m-%d")))
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
    fn validity_runs_from_the_day_earned() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(
            valid_until(day(2025, 1, 31), Some(12)).as_deref(),
            Some("2026-01-31T00:00:00Z")
        );
        // A month without that day ends on its last.
        assert_eq!(
            valid_until(day(2025, 1, 31), Some(1)).as_deref(),
            Some("2025-02-28T00:00:00Z")
        );
        assert_eq!(valid_until(day(2025, 1, 31), None), None);
    }

    #[test]
    fn an_award_is_renewable_only_while_it_expires_and_stands() {
        let award = Award {
            id: "a".into(),
            proposal_id: 1,
            microcredential: "M".into(),
            version: 1,
            learner_name: "L".into(),
            learner_email: "l@example.org".into(),
            completed_on: "2025-01-01".into(),
            credential_id: "urn:uuid:a".into(),
            issuer_did: "did:key:z".into(),
            issued_at: "2025-01-02T00:00:00Z".into(),
            revoked_at: None,
            revoked_reason: None,
            superseded_by: None,
            supersedes: None,
            valid_until: Some("2026-01-01T00:00:00Z".into()),
            renewal_of: None,
            renewed_by: None,
            expired: false,
            by_recognition: false,
            imported: false,
            renewable: false,
        };
        assert!(award.clone().with_renewable().renewable);
        let never = Award {
            valid_until: None,
            ..award.clone()
        };
        assert!(never.renewal_refusal().unwrap().contains("does not expire"));
        let revoked = Award {
            revoked_at: Some("2025-02-01T00:00:00Z".into()),
            ..award.clone()
        };
        assert!(!revoked.with_renewable().renewable);
        let renewed = Award {
            renewed_by: Some("b".into()),
            ..award
        };
        assert!(renewed
            .renewal_refusal()
            .unwrap()
            .contains("already renewed by award b"));
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
