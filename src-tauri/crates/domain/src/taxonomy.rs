//! The badge taxonomy: the facets institutions classify microcredentials by, skills
//! frameworks, and stackable pathways. Terms in use are retired, never deleted.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{DomainError, FieldError};
use crate::Id;

/// The facets, each a list of terms a proposal picks from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    Category,
    Level,
    CreditStatus,
    Audience,
    CredentialForm,
    AssessmentType,
    DeliveryMode,
}

/// The shape a category's badges are drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BadgeShape {
    Circle,
    Shield,
    Hexagon,
    Ribbon,
}

/// One term of a facet. Facet-specific attributes are optional and only meaningful for
/// their facet (a category's colour and shape, a level's rank, a credit status's credit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Term {
    pub facet: Facet,
    /// Stable code, lower case (`academic`, `level-2`, `credit`).
    pub code: String,
    pub label: String,
    /// Order among the facet's terms (levels: 1 basic, 2 intermediate, ...).
    pub rank: i32,
    pub retired: bool,
    /// Category: badge colour as `#rrggbb`.
    pub colour: Option<String>,
    /// Category: badge shape.
    pub shape: Option<BadgeShape>,
    /// Category: an unassessed participation award, which may skip assessment rules.
    pub participation_award: bool,
    /// Credit status: whether it carries academic credit.
    pub credit_bearing: bool,
}

impl Term {
    pub fn new(facet: Facet, code: &str, label: &str, rank: i32) -> Term {
        Term {
            facet,
            code: code.into(),
            label: label.into(),
            rank,
            retired: false,
            colour: None,
            shape: None,
            participation_award: false,
            credit_bearing: false,
        }
    }
}

/// A skill (competency) in a framework (NACE, ESCO, O*NET, the institution's own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Skill {
    pub framework: String,
    pub code: String,
    pub name: String,
    pub description: String,
    pub url: Option<String>,
}

/// NACE's eight career-readiness competencies (2021 revision).
pub fn nace() -> Vec<Skill> {
    [
        ("career-self-development", "Career & Self-Development", "Proactively develop oneself and one's career through continual personal and professional learning."),
        ("communication", "Communication", "Clearly and effectively exchange information, ideas, facts, and perspectives with persons inside and outside of an organization."),
        ("critical-thinking", "Critical Thinking", "Identify and respond to needs based upon an understanding of situational context and logical analysis of relevant information."),
        ("equity-inclusion", "Equity & Inclusion", "Demonstrate the awareness, attitude, knowledge, and skills required to equitably engage and include people from different local and global cultures."),
        ("leadership", "Leadership", "Recognize and capitalize on personal and team strengths to achieve organizational goals."),
        ("professionalism", "Professionalism", "Knowing work environments differ greatly, understand and demonstrate effective work habits, and act in the interest of the larger community and workplace."),
        ("teamwork", "Teamwork", "Build and maintain collaborative relationships to work effectively toward common goals, while appreciating diverse viewpoints and shared responsibilities."),
        ("technology", "Technology", "Understand and leverage technologies ethically to enhance efficiencies, complete tasks, and accomplish goals."),
    ]
    .into_iter()
    .map(|(code, name, description)| Skill {
        framework: "NACE".into(),
        code: code.into(),
        name: name.into(),
        description: description.into(),
        url: Some("https://www.naceweb.org/career-readiness/competencies/career-readiness-defined/".into()),
    })
    .collect()
}

/// How many of a pathway's parts must be earned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "count", rename_all = "snake_case")]
pub enum StackRule {
    All,
    AtLeast(u32),
}

/// A part of a pathway: a microcredential (by proposal id) or another pathway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum PathwayPart {
    Credential(#[ts(type = "number")] Id),
    Pathway(#[ts(type = "number")] Id),
}

/// Credentials (and nested pathways) that stack into a larger credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Pathway {
    #[ts(type = "number")]
    pub id: Id,
    pub name: String,
    pub rule: StackRule,
    pub parts: Vec<PathwayPart>,
}

/// Refuses a pathway whose parts would make it contain itself, naming the loop, and a rule
/// that asks for more parts than there are.
pub fn check_pathway(candidate: &Pathway, others: &[Pathway]) -> Result<(), DomainError> {
    let refuse =
        |field: &str, m: String| Err(DomainError::Invalid(vec![FieldError::new(field, m)]));
    if candidate.parts.is_empty() {
        return refuse("parts", "a pathway needs at least one part".into());
    }
    let unique: HashSet<_> = candidate.parts.iter().collect();
    if unique.len() != candidate.parts.len() {
        return refuse("parts", "a part is listed twice".into());
    }
    if let StackRule::AtLeast(n) = candidate.rule {
        if n == 0 || n as usize > candidate.parts.len() {
            return refuse(
                "rule",
                format!(
                    "\"at least {n}\" must be between 1 and the {} parts",
                    candidate.parts.len()
                ),
            );
        }
    }
    let mut by_id: HashMap<Id, &Pathway> = others.iter().map(|p| (p.id, p)).collect();
    by_id.insert(candidate.id, candidate);
    // Depth-first search from the candidate through nested pathways.
    fn walk(id: Id, by_id: &HashMap<Id, &Pathway>, path: &mut Vec<Id>) -> Result<(), Vec<Id>> {
        if let Some(at) = path.iter().position(|p| *p == id) {
            let mut cycle = path[at..].to_vec();
            cycle.push(id);
            return Err(cycle);
        }
        let Some(pathway) = by_id.get(&id) else {
            return Ok(());
        };
        path.push(id);
        for part in &pathway.parts {
            if let PathwayPart::Pathway(next) = part {
                walk(*next, by_id, path)?;
            }
        }
        path.pop();
        Ok(())
    }
    if let Err(cycle) = walk(candidate.id, &by_id, &mut Vec::new()) {
        let names: Vec<String> = cycle
            .iter()
            .map(|id| {
                by_id
                    .get(id)
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| format!("pathway {id}"))
            })
            .collect();
        return refuse(
            "parts",
            format!(
                "the pathways would stack into themselves: {}",
                names.join(" → ")
            ),
        );
    }
    Ok(())
}

/// Checks a taxonomy term: a code of lower-case letters, digits and `-`, a label, and a
/// colour as `#rrggbb` when it has one.
pub fn check_term(t: &Term) -> Result<(), DomainError> {
    let mut fields = Vec::new();
    let code_ok = !t.code.is_empty()
        && t.code.len() <= 40
        && t.code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !code_ok {
        fields.push(FieldError::new(
            "code",
            format!(
                "\"{}\" is not a term code (lower-case letters, digits and -)",
                t.code
            ),
        ));
    }
    if t.label.trim().is_empty() {
        fields.push(FieldError::new("label", "must not be empty"));
    }
    if let Some(c) = &t.colour {
        let hex_ok =
            c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
        if !hex_ok {
            fields.push(FieldError::new(
                "colour",
                format!("\"{c}\" is not a colour (#rrggbb)"),
            ));
        }
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pathway(id: Id, name: &str, parts: Vec<PathwayPart>) -> Pathway {
        Pathway {
            id,
            name: name.into(),
            rule: StackRule::All,
            parts,
        }
    }

    #[test]
    fn robotics_and_machine_learning_stack_into_ai() {
        let ai = pathway(
            1,
            "Artificial Intelligence",
            vec![PathwayPart::Credential(10), PathwayPart::Credential(11)],
        );
        assert!(check_pathway(&ai, &[]).is_ok());
    }

    #[test]
    fn a_cycle_is_refused_with_its_names() {
        let ai = pathway(
            1,
            "Artificial Intelligence",
            vec![PathwayPart::Credential(10), PathwayPart::Pathway(2)],
        );
        let eng = pathway(2, "Engineering Futures", vec![PathwayPart::Pathway(1)]);
        let err = check_pathway(&eng, &[ai]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "parts: the pathways would stack into themselves: Engineering Futures → Artificial Intelligence → Engineering Futures"
        );
    }

    #[test]
    fn a_rule_asking_for_more_parts_than_exist_is_refused() {
        let mut p = pathway(1, "AI", vec![PathwayPart::Credential(10)]);
        p.rule = StackRule::AtLeast(2);
        assert!(check_pathway(&p, &[]).is_err());
        p.rule = StackRule::AtLeast(1);
        assert!(check_pathway(&p, &[]).is_ok());
    }

    #[test]
    fn nace_has_its_eight_competencies() {
        assert_eq!(nace().len(), 8);
    }
}
