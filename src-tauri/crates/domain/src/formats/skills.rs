//! A skills framework's list: CSV with `code` and `name` columns (and optionally
//! `description` and `url`), any case, in any order.

use super::{invalid, reader, too_many, MAX_ROWS};
use crate::taxonomy::Skill;
use crate::{DomainError, FieldError};

/// The skills of `framework` listed in `text`: all of them, or every problem by its line.
pub fn parse(framework: &str, text: &str) -> Result<Vec<Skill>, DomainError> {
    let framework = framework.trim();
    if framework.is_empty() || framework.contains(':') {
        return Err(invalid(
            "framework",
            "name the framework (no colon), e.g. ESCO",
        ));
    }
    let mut reader = reader(text, csv::Trim::All);
    let headers = reader
        .headers()
        .map_err(|e| invalid("file", format!("line 1: {e}")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(code), Some(name)) = (column("code"), column("name")) else {
        return Err(invalid(
            "file",
            "line 1: the header must name the columns code and name (and may add description, url)",
        ));
    };
    let (description, url) = (column("description"), column("url"));
    let mut skills = Vec::new();
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, record) in reader.records().enumerate() {
        if i >= MAX_ROWS {
            return Err(too_many("file"));
        }
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(FieldError::new(format!("line {line}"), e.to_string()));
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").to_string();
        let (c, n) = (get(Some(code)), get(Some(name)));
        if c.is_empty() || n.is_empty() {
            problems.push(FieldError::new(
                format!("line {line}"),
                "code and name must not be empty",
            ));
            continue;
        }
        if !seen.insert(c.clone()) {
            problems.push(FieldError::new(
                format!("line {line}: code"),
                format!("{c} appears twice"),
            ));
            continue;
        }
        let u = get(url);
        if !(u.is_empty() || u.starts_with("https://") || u.starts_with("http://")) {
            problems.push(FieldError::new(
                format!("line {line}: url"),
                format!("\"{u}\" is not a web address"),
            ));
            continue;
        }
        skills.push(Skill {
            framework: framework.into(),
            code: c,
            name: n,
            description: get(description),
            url: (!u.is_empty()).then_some(u),
        });
    }
    if !problems.is_empty() {
        return Err(DomainError::Invalid(problems));
    }
    if skills.is_empty() {
        return Err(invalid("file", "the file lists no skills"));
    }
    Ok(skills)
}
