//! The microcredential proposal (PROCESS.md, "The proposal", groups 1 to 10) and the start of
//! its route: Draft -> Submitted -> Completeness check -> (the committee route, next).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::attachment::AttachmentRef;
use crate::error::{DomainError, FieldError};
use crate::Id;

/// The academic level a microcredential is offered at (distinct from the taxonomy's badge
/// level, which grades difficulty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AcademicLevel {
    Undergraduate,
    Graduate,
    NonDegree,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PrerequisiteKind {
    BachelorsDegree,
    MastersDegree,
    Course,
    Experience,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Prerequisite {
    pub kind: PrerequisiteKind,
    pub description: String,
}

/// A course or activity that is part of the microcredential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Component {
    pub code: String,
    pub title: String,
    /// The minimum grade to count (`C`, `B-`, `pass`).
    pub minimum_grade: Option<String>,
}

/// Notional workload; a proposal states at least one measure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct Workload {
    pub credits: Option<f64>,
    pub ects: Option<f64>,
    pub hours: Option<f64>,
}

/// Everything a proposer fills in. Taxonomy fields hold term codes; skills hold
/// `framework:code` references. Unknown fields are refused (a typo would otherwise be lost).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct ProposalContent {
    // 1. Identity
    pub title: String,
    /// Shown on the badge image; defaults to the title.
    pub short_title: Option<String>,
    pub description: String,
    #[ts(type = "number | null")]
    pub unit_id: Option<Id>,
    #[ts(type = "Array<number>")]
    pub co_sponsor_unit_ids: Vec<Id>,
    pub partners: Vec<String>,
    pub contact_email: String,
    // 2. Classification
    pub credit_status: Option<String>,
    pub category: Option<String>,
    pub level: Option<String>,
    pub academic_level: Option<AcademicLevel>,
    pub audiences: Vec<String>,
    pub credential_forms: Vec<String>,
    // 3. Learning design
    pub outcomes: Vec<String>,
    pub skills: Vec<String>,
    pub workload: Workload,
    pub components: Vec<Component>,
    // 4. Assessment and award
    pub assessment_types: Vec<String>,
    pub identity_verification: Option<String>,
    pub award_threshold: Option<String>,
    pub evidence: Option<String>,
    pub awarded_by: Option<String>,
    // 5. Access
    pub prerequisites: Vec<Prerequisite>,
    pub delivery_mode: Option<String>,
    pub participation_form: Option<String>,
    // 6. Stacking
    #[ts(type = "Array<number>")]
    pub stacks_into: Vec<Id>,
    // 7. Need
    pub rationale: Option<String>,
    pub industry_partner: Option<String>,
    pub labour_market_evidence: Option<String>,
    // 8. Resources
    pub fees: Option<String>,
    // 9. Quality assurance and lifecycle
    pub quality_assurance: Option<String>,
    pub review_cycle_years: Option<u32>,
    pub expiry_months: Option<u32>,
    pub effective_term: Option<String>,
    pub sunset_date: Option<String>,
    // 10. Attachments, and a badge image of the proposer's own instead of the generated one.
    // Both change only through the attachment use cases; saving a draft keeps them.
    pub attachments: Vec<AttachmentRef>,
    pub custom_badge: Option<AttachmentRef>,
}

/// Where a proposal stands. The committee's steps extend this enum in the next issue; the
/// transition function below is the only place that moves a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Draft,
    Submitted,
    /// Accepted as complete by the coordinator and on its review route (the current step
    /// is kept beside the proposal).
    Complete,
    /// Approved by the committee; conditions or later steps (final sign-off, objection
    /// window) are still open.
    Approved,
    /// An active microcredential, version 1 onward, ready for awarding.
    Active,
    Rejected,
    Withdrawn,
}

/// The order of the proposals list; each is done in SQL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProposalSort {
    /// Most recently changed first.
    #[default]
    Updated,
    /// Least recently changed first.
    UpdatedAsc,
    Title,
    TitleDesc,
    Status,
    /// Highest version first.
    Version,
}

/// What someone does to a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProposalEvent {
    Submit,
    /// The coordinator starts the completeness check and accepts the proposal.
    AcceptAsComplete,
    /// The coordinator returns it to Draft; the comment is mandatory.
    ReturnToDraft {
        comment: String,
    },
    Withdraw,
    /// A step or the committee decided (see `review::Decision`).
    Decide {
        decision: crate::review::Decision,
    },
    /// Every condition met and every step done.
    Activate,
}

impl ProposalStatus {
    /// Whether the proposal has reached an end.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ProposalStatus::Withdrawn | ProposalStatus::Rejected | ProposalStatus::Active
        )
    }

    /// The next status after `event`, or why the event does not apply now.
    pub fn apply(self, event: &ProposalEvent) -> Result<ProposalStatus, DomainError> {
        use ProposalEvent as E;
        use ProposalStatus as S;
        let refuse = |m: String| Err(DomainError::Invalid(vec![FieldError::new("status", m)]));
        match (self, event) {
            (S::Draft, E::Submit) => Ok(S::Submitted),
            (S::Submitted, E::AcceptAsComplete) => Ok(S::Complete),
            (S::Submitted, E::ReturnToDraft { comment }) => {
                if comment.trim().is_empty() {
                    Err(DomainError::Invalid(vec![FieldError::new(
                        "comment",
                        "say what the proposer must complete before returning it",
                    )]))
                } else {
                    Ok(S::Draft)
                }
            }
            (S::Complete | S::Approved, E::Decide { decision }) => {
                crate::review::check_decision(decision)?;
                use crate::review::Decision as D;
                Ok(match decision {
                    D::Approve | D::ApproveWithConditions { .. } => S::Approved,
                    D::RequestRevisions { to_step: None, .. } => S::Draft,
                    // Back to an earlier step of the route: still under review.
                    D::RequestRevisions {
                        to_step: Some(_), ..
                    } => self,
                    D::Table => S::Complete,
                    D::Reject { .. } => S::Rejected,
                })
            }
            (S::Approved, E::Activate) => Ok(S::Active),
            (s, E::Withdraw) if !s.is_final() => Ok(S::Withdrawn),
            (s, e) => refuse(format!(
                "a {} proposal cannot be {}",
                s.label(),
                e.past_tense()
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProposalStatus::Draft => "draft",
            ProposalStatus::Submitted => "submitted",
            ProposalStatus::Complete => "complete",
            ProposalStatus::Approved => "approved",
            ProposalStatus::Active => "active",
            ProposalStatus::Rejected => "rejected",
            ProposalStatus::Withdrawn => "withdrawn",
        }
    }
}

impl ProposalEvent {
    fn past_tense(&self) -> &'static str {
        match self {
            ProposalEvent::Submit => "submitted",
            ProposalEvent::AcceptAsComplete => "accepted as complete",
            ProposalEvent::ReturnToDraft { .. } => "returned to draft",
            ProposalEvent::Withdraw => "withdrawn",
            ProposalEvent::Decide { .. } => "decided",
            ProposalEvent::Activate => "activated",
        }
    }
}

/// The lower-cased words of a text that carry meaning (longer than three letters).
fn words(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 3)
        .map(str::to_lowercase)
        .collect()
}

fn jaccard(a: &std::collections::BTreeSet<String>, b: &std::collections::BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// How alike two proposals are for the duplication check, from 0 to 1: the larger of the
/// word overlap of their titles and of their learning outcomes.
pub fn similarity(a: &ProposalContent, b: &ProposalContent) -> f64 {
    let titles = jaccard(&words(&a.title), &words(&b.title));
    let outcomes = jaccard(&words(&a.outcomes.join(" ")), &words(&b.outcomes.join(" ")));
    titles.max(outcomes)
}

/// Proposals at least this alike are listed as possible duplicates.
pub const SIMILAR_AT: f64 = 0.3;

#[cfg(test)]
mod tests {
    use super::*;
    use ProposalEvent as E;
    use ProposalStatus as S;

    #[test]
    fn the_route_starts_draft_submitted_complete() {
        assert_eq!(S::Draft.apply(&E::Submit).ok(), Some(S::Submitted));
        assert_eq!(
            S::Submitted.apply(&E::AcceptAsComplete).ok(),
            Some(S::Complete)
        );
    }

    #[test]
    fn returning_to_draft_needs_a_comment() {
        let empty = E::ReturnToDraft {
            comment: "  ".into(),
        };
        assert_eq!(
            S::Submitted.apply(&empty).unwrap_err().to_string(),
            "comment: say what the proposer must complete before returning it"
        );
        let said = E::ReturnToDraft {
            comment: "Add the assessment".into(),
        };
        assert_eq!(S::Submitted.apply(&said).ok(), Some(S::Draft));
    }

    #[test]
    fn illegal_moves_are_refused_in_words() {
        assert_eq!(
            S::Draft
                .apply(&E::AcceptAsComplete)
                .unwrap_err()
                .to_string(),
            "status: a draft proposal cannot be accepted as complete"
        );
        assert!(S::Withdrawn.apply(&E::Withdraw).is_err());
        assert!(S::Complete.apply(&E::Submit).is_err());
    }

    #[test]
    fn similarity_compares_titles_and_outcomes_by_words() {
        let p = |title: &str, outcomes: &[&str]| ProposalContent {
            title: title.into(),
            outcomes: outcomes.iter().map(|o| o.to_string()).collect(),
            ..Default::default()
        };
        let robotics = p("Applied Robotics", &["Build a mobile robot."]);
        assert!(similarity(&robotics, &p("Robotics Fundamentals", &[])) >= SIMILAR_AT);
        assert!(
            similarity(&robotics, &p("Mobile Robots", &["Build a mobile robot."])) >= SIMILAR_AT
        );
        assert!(
            similarity(
                &robotics,
                &p("Machine Learning Foundations", &["Apply models."])
            ) < SIMILAR_AT
        );
    }

    #[test]
    fn a_proposal_can_be_withdrawn_until_it_ends() {
        for s in [S::Draft, S::Submitted, S::Complete] {
            assert_eq!(s.apply(&E::Withdraw).ok(), Some(S::Withdrawn));
        }
    }
}
