//! The institution's academic calendar: its terms (code, name, first and last day), from
//! which a change's effective term is chosen.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{DomainError, FieldError};

/// One term of the academic calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AcademicTerm {
    /// Short and unique, as the registrar writes it: `FA27`, `2027-S1`.
    pub code: String,
    pub name: String,
    /// The first day (YYYY-MM-DD).
    pub starts_on: String,
    /// The last day (YYYY-MM-DD).
    pub ends_on: String,
}

fn date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Checks a whole calendar: each term's fields, codes unique (case-insensitive, stored in
/// capitals), and no two terms sharing a day. Every problem is named by `terms[i].field`.
/// Returns the terms in date order.
pub fn check_calendar(terms: &[AcademicTerm]) -> Result<Vec<AcademicTerm>, DomainError> {
    let mut errors = Vec::new();
    let mut valid: Vec<(usize, AcademicTerm, chrono::NaiveDate, chrono::NaiveDate)> = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        let field = |f: &str| format!("terms[{i}].{f}");
        let code = t.code.trim().to_uppercase();
        let name = t.name.trim().to_string();
        let mut ok = true;
        if code.is_empty() || code.chars().count() > 20 {
            errors.push(FieldError::new(
                field("code"),
                "give a code of 1 to 20 characters",
            ));
            ok = false;
        } else if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            errors.push(FieldError::new(
                field("code"),
                format!("\"{code}\" may hold only letters, digits, - and _"),
            ));
            ok = false;
        }
        if name.is_empty() {
            errors.push(FieldError::new(field("name"), "must not be empty"));
            ok = false;
        }
        let starts = date(t.starts_on.trim());
        let ends = date(t.ends_on.trim());
        if starts.is_none() {
            errors.push(FieldError::new(
                field("starts_on"),
                format!("\"{}\" is not a date (expected YYYY-MM-DD)", t.starts_on),
            ));
        }
        if ends.is_none() {
            errors.push(FieldError::new(
                field("ends_on"),
                format!("\"{}\" is not a date (expected YYYY-MM-DD)", t.ends_on),
            ));
        }
        let (Some(s), Some(e)) = (starts, ends) else {
            continue;
        };
        if e < s {
            errors.push(FieldError::new(
                field("ends_on"),
                format!("the term ends ({e}) before it starts ({s})"),
            ));
            continue;
        }
        if let Some((j, other, ..)) = valid.iter().find(|(_, o, ..)| o.code == code) {
            errors.push(FieldError::new(
                field("code"),
                format!(
                    "{code} is already the code of term {} ({})",
                    j + 1,
                    other.name
                ),
            ));
            continue;
        }
        if let Some((j, other, ..)) = valid.iter().find(|(_, _, os, oe)| s <= *oe && *os <= e) {
            errors.push(FieldError::new(
                field("starts_on"),
                format!(
                    "{code} ({s} to {e}) overlaps term {} {} ({} to {})",
                    j + 1,
                    other.code,
                    other.starts_on,
                    other.ends_on
                ),
            ));
            continue;
        }
        if ok {
            valid.push((
                i,
                AcademicTerm {
                    code,
                    name,
                    starts_on: s.to_string(),
                    ends_on: e.to_string(),
                },
                s,
                e,
            ));
        }
    }
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    let mut out: Vec<AcademicTerm> = valid.into_iter().map(|(_, t, ..)| t).collect();
    out.sort_by(|a, b| a.starts_on.cmp(&b.starts_on));
    Ok(out)
}

/// The term a day falls in, if any.
pub fn term_on<'a>(terms: &'a [AcademicTerm], day: &str) -> Option<&'a AcademicTerm> {
    terms
        .iter()
        .find(|t| t.starts_on.as_str() <= day && day <= t.ends_on.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(code: &str, name: &str, from: &str, to: &str) -> AcademicTerm {
        AcademicTerm {
            code: code.into(),
            name: name.into(),
            starts_on: from.into(),
            ends_on: to.into(),
        }
    }

    fn fields(r: Result<Vec<AcademicTerm>, DomainError>) -> Vec<(String, String)> {
        match r {
            Err(DomainError::Invalid(f)) => f.into_iter().map(|e| (e.field, e.message)).collect(),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn a_calendar_is_kept_in_date_order_with_codes_in_capitals() {
        let terms = check_calendar(&[
            term("sp28", "Spring 2028", "2028-01-10", "2028-05-05"),
            term(" FA27 ", " Fall 2027 ", "2027-08-23", "2027-12-17"),
        ])
        .unwrap();
        assert_eq!(
            terms[0],
            term("FA27", "Fall 2027", "2027-08-23", "2027-12-17")
        );
        assert_eq!(terms[1].code, "SP28");
        assert_eq!(
            term_on(&terms, "2027-10-01").map(|t| t.code.as_str()),
            Some("FA27")
        );
        assert_eq!(term_on(&terms, "2027-12-25"), None);
        assert!(check_calendar(&[]).unwrap().is_empty());
    }

    #[test]
    fn every_problem_is_named_by_term_and_field() {
        let problems = fields(check_calendar(&[
            term("FA27", "Fall 2027", "2027-08-23", "2027-12-17"),
            term("", "", "23/08/2027", "2027-12-17"),
            term("fa27", "Again", "2028-01-10", "2028-05-05"),
            term("SU28", "Summer", "2027-12-01", "2028-01-05"),
            term("WI28", "Winter", "2028-03-01", "2028-02-01"),
            term("FA 27", "Spaces", "2029-01-01", "2029-02-01"),
        ]));
        assert_eq!(
            problems,
            vec![
                ("terms[1].code".into(), "give a code of 1 to 20 characters".into()),
                ("terms[1].name".into(), "must not be empty".into()),
                (
                    "terms[1].starts_on".into(),
                    "\"23/08/2027\" is not a date (expected YYYY-MM-DD)".into()
                ),
                ("terms[2].code".into(), "FA27 is already the code of term 1 (Fall 2027)".into()),
                (
                    "terms[3].starts_on".into(),
                    "SU28 (2027-12-01 to 2028-01-05) overlaps term 1 FA27 (2027-08-23 to 2027-12-17)"
                        .into()
                ),
                (
                    "terms[4].ends_on".into(),
                    "the term ends (2028-02-01) before it starts (2028-03-01)".into()
                ),
                (
                    "terms[5].code".into(),
                    "\"FA 27\" may hold only letters, digits, - and _".into()
                ),
            ]
        );
    }
}
