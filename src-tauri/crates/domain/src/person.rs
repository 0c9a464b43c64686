//! People and the roles they hold in the governance process.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{DomainError, Problems};
use crate::{validate, Id};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Coordinator,
    Proposer,
    UnitApprover,
    CommitteeMember,
    CommitteeChair,
    FinalApprover,
    /// Staff who issue badges at events (from the roster); they cannot revoke.
    Issuer,
    /// Judges claims of prior learning against a microcredential's outcomes, and decides them.
    Assessor,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Coordinator,
        Role::Proposer,
        Role::UnitApprover,
        Role::CommitteeMember,
        Role::CommitteeChair,
        Role::FinalApprover,
        Role::Issuer,
        Role::Assessor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::Proposer => "proposer",
            Role::UnitApprover => "unit_approver",
            Role::CommitteeMember => "committee_member",
            Role::CommitteeChair => "committee_chair",
            Role::FinalApprover => "final_approver",
            Role::Issuer => "issuer",
            Role::Assessor => "assessor",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        let wanted = value.trim().to_lowercase().replace(['-', ' '], "_");
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|r| r.as_str()).collect();
                format!("\"{value}\" is not a role (one of {})", names.join(", "))
            })
    }

    /// Roles that act for a unit and so need one.
    fn needs_unit(self) -> bool {
        matches!(self, Role::Proposer | Role::UnitApprover)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Person {
    #[ts(type = "number")]
    pub id: Id,
    pub name: String,
    pub email: String,
    #[ts(type = "number | null")]
    pub unit_id: Option<Id>,
    pub roles: Vec<Role>,
}

impl Person {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// What the person form sends, for a new person or an edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonInput {
    pub name: String,
    pub email: String,
    #[ts(type = "number | null")]
    pub unit_id: Option<Id>,
    pub roles: Vec<Role>,
}

impl PersonInput {
    /// Checks the fields that need nothing but the input; returns it in normal form
    /// (trimmed, roles sorted and without repeats).
    pub fn validate(&self) -> Result<PersonInput, DomainError> {
        let mut problems = Problems::default();
        let name = validate::required_text(&self.name, 200)
            .map_err(|m| problems.push("name", m))
            .unwrap_or_default();
        let email = validate::email(&self.email)
            .map_err(|m| problems.push("email", m))
            .unwrap_or_default();
        let mut roles = self.roles.clone();
        roles.sort();
        roles.dedup();
        if roles.is_empty() {
            problems.push("roles", "choose at least one role");
        }
        if self.unit_id.is_none() {
            if let Some(role) = roles.iter().find(|r| r.needs_unit()) {
                problems.push(
                    "unit_id",
                    format!(
                        "a person with the role {} must belong to a unit",
                        role.as_str()
                    ),
                );
            }
        }
        problems.into_result()?;
        Ok(PersonInput {
            name,
            email,
            unit_id: self.unit_id,
            roles,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PersonInput {
        PersonInput {
            name: "Ana Díaz".into(),
            email: "ana.diaz@northfield.edu".into(),
            unit_id: Some(2),
            roles: vec![Role::Proposer, Role::Coordinator, Role::Proposer],
        }
    }

    #[test]
    fn roles_are_sorted_without_repeats() {
        assert_eq!(
            input().validate().unwrap().roles,
            [Role::Coordinator, Role::Proposer]
        );
    }

    #[test]
    fn a_proposer_needs_a_unit() {
        let err = PersonInput {
            unit_id: None,
            ..input()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "unit_id: a person with the role proposer must belong to a unit"
        );
    }

    #[test]
    fn a_person_needs_a_name_an_email_and_a_role() {
        let err = PersonInput {
            name: " ".into(),
            email: "ana".into(),
            unit_id: None,
            roles: vec![],
        }
        .validate()
        .unwrap_err();
        let DomainError::Invalid(fields) = err;
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["name", "email", "roles"]);
    }

    #[test]
    fn roles_parse_from_their_names() {
        assert_eq!(Role::parse("Committee chair"), Ok(Role::CommitteeChair));
        assert!(Role::parse("dean").is_err());
    }
}
