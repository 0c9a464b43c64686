//! Organizational units: colleges, departments and co-curricular offices, in a tree.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{DomainError, FieldError, Problems};
use crate::{validate, Id};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    College,
    School,
    Department,
    CoCurricularOffice,
    AdministrativeOffice,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [
        UnitKind::College,
        UnitKind::School,
        UnitKind::Department,
        UnitKind::CoCurricularOffice,
        UnitKind::AdministrativeOffice,
    ];

    /// The stable name used in storage, the CLI and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::College => "college",
            UnitKind::School => "school",
            UnitKind::Department => "department",
            UnitKind::CoCurricularOffice => "co_curricular_office",
            UnitKind::AdministrativeOffice => "administrative_office",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        let wanted = value.trim().to_lowercase().replace(['-', ' '], "_");
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == wanted)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|k| k.as_str()).collect();
                format!(
                    "\"{value}\" is not a unit kind (one of {})",
                    names.join(", ")
                )
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Unit {
    #[ts(type = "number")]
    pub id: Id,
    /// Short unique code, upper case (`ENG`, `CS`, `CAREER`).
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    #[ts(type = "number | null")]
    pub parent_id: Option<Id>,
}

/// What the unit form sends, for a new unit or an edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnitInput {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    #[ts(type = "number | null")]
    pub parent_id: Option<Id>,
}

impl UnitInput {
    /// Checks the fields that need nothing but the input; returns it in normal form.
    pub fn validate(&self) -> Result<UnitInput, DomainError> {
        let mut problems = Problems::default();
        let code = unit_code(&self.code)
            .map_err(|m| problems.push("code", m))
            .unwrap_or_default();
        let name = validate::required_text(&self.name, 200)
            .map_err(|m| problems.push("name", m))
            .unwrap_or_default();
        problems.into_result()?;
        Ok(UnitInput {
            code,
            name,
            kind: self.kind,
            parent_id: self.parent_id,
        })
    }
}

fn unit_code(value: &str) -> Result<String, String> {
    let code = value.trim().to_uppercase();
    if code.is_empty() {
        return Err("must not be empty".into());
    }
    if code.len() > 16
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "\"{}\" is not a unit code (up to 16 letters, digits, - or _)",
            value.trim()
        ));
    }
    Ok(code)
}

/// A unit as the tree check sees it.
#[derive(Debug, Clone)]
pub struct TreeNode {
    pub code: String,
    pub parent_id: Option<Id>,
}

/// Refuses a parent that does not exist or that would make the unit its own ancestor.
/// `unit_id` is `None` for a unit not yet stored (which cannot close a loop).
pub fn check_parent(
    unit_id: Option<Id>,
    own_code: &str,
    parent_id: Option<Id>,
    tree: &HashMap<Id, TreeNode>,
) -> Result<(), DomainError> {
    let Some(mut current) = parent_id else {
        return Ok(());
    };
    let refuse = |m: String| Err(DomainError::Invalid(vec![FieldError::new("parent_id", m)]));
    if !tree.contains_key(&current) {
        return refuse(format!("there is no unit with id {current}"));
    }
    let mut chain = vec![own_code.to_string()];
    // A stored tree has no loops, so the walk ends within tree.len() steps.
    for _ in 0..=tree.len() {
        let Some(node) = tree.get(&current) else {
            return Ok(());
        };
        chain.push(node.code.clone());
        if Some(current) == unit_id {
            return refuse(format!(
                "the parent chain would loop: {}",
                chain.join(" → ")
            ));
        }
        match node.parent_id {
            Some(next) => current = next,
            None => return Ok(()),
        }
    }
    refuse("the parent chain of the stored units already loops".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> HashMap<Id, TreeNode> {
        // 1 ENG (root) <- 2 CS <- 3 AI
        [(1, "ENG", None), (2, "CS", Some(1)), (3, "AI", Some(2))]
            .into_iter()
            .map(|(id, code, parent_id)| {
                (
                    id,
                    TreeNode {
                        code: code.into(),
                        parent_id,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn a_parent_below_the_unit_is_a_loop_named_in_full() {
        let err = check_parent(Some(1), "ENG", Some(3), &tree()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "parent_id: the parent chain would loop: ENG → AI → CS → ENG"
        );
    }

    #[test]
    fn a_unit_cannot_be_its_own_parent() {
        assert!(check_parent(Some(2), "CS", Some(2), &tree()).is_err());
    }

    #[test]
    fn moving_a_unit_elsewhere_in_the_tree_is_fine() {
        assert!(check_parent(Some(3), "AI", Some(1), &tree()).is_ok());
        assert!(check_parent(None, "NEW", Some(3), &tree()).is_ok());
        assert!(check_parent(Some(2), "CS", None, &tree()).is_ok());
    }

    #[test]
    fn a_missing_parent_is_named() {
        let err = check_parent(None, "NEW", Some(99), &tree()).unwrap_err();
        assert_eq!(err.to_string(), "parent_id: there is no unit with id 99");
    }

    #[test]
    fn codes_are_upper_cased_and_checked() {
        let input = UnitInput {
            code: " cs ".into(),
            name: "Computer Science".into(),
            kind: UnitKind::Department,
            parent_id: None,
        };
        assert_eq!(input.validate().unwrap().code, "CS");
        let bad = UnitInput {
            code: "C S!".into(),
            ..input
        };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn kinds_parse_from_their_names() {
        assert_eq!(
            UnitKind::parse("Co-curricular office"),
            Ok(UnitKind::CoCurricularOffice)
        );
        assert!(UnitKind::parse("club").is_err());
    }
}
