//! A taxonomy file: the JSON of terms and skills that `credence taxonomy export` writes.

use serde::{Deserialize, Serialize};

use super::invalid;
use crate::taxonomy::{check_term, Skill, Term};
use crate::{DomainError, FieldError};

/// The terms and skills a taxonomy file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaxonomyFile {
    pub terms: Vec<Term>,
    pub skills: Vec<Skill>,
}

/// Reads a taxonomy file, naming the JSON path of a malformed value and the term of a bad one.
pub fn parse(json: &str) -> Result<TaxonomyFile, DomainError> {
    let t: TaxonomyFile =
        serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(json))
            .map_err(|e| invalid("file", format!("{}: {}", e.path(), e.inner())))?;
    let mut problems = Vec::new();
    for (i, term) in t.terms.iter().enumerate() {
        if let Err(DomainError::Invalid(fields)) = check_term(term) {
            problems.extend(
                fields
                    .into_iter()
                    .map(|f| FieldError::new(format!("terms[{i}].{}", f.field), f.message)),
            );
        }
    }
    if problems.is_empty() {
        Ok(t)
    } else {
        Err(DomainError::Invalid(problems))
    }
}
