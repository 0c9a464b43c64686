//! Committee review (PROCESS.md, "The route of a new proposal", "Committee rules to
//! support"): review routes as data, committee seats with terms, who may vote, quorum, the
//! outcome of a motion, decisions and their conditions, and the statements people sign.
//! Pure: dates come in as ISO `YYYY-MM-DD` strings, nothing here reads a clock.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{DomainError, FieldError};
use crate::person::Role;
use crate::proposal::{AcademicLevel, ProposalContent};
use crate::Id;

// ----- routes -----

/// Who acts at a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepActors {
    /// Anyone holding this role.
    Role { role: Role },
    /// One named person.
    Person {
        #[ts(type = "number")]
        person_id: Id,
    },
    /// Named people, such as the partners consulted (with `All`, each must approve).
    People {
        #[ts(type = "number[]")]
        person_ids: Vec<Id>,
    },
    /// The unit approvers of the proposing unit (its head).
    UnitApprover,
    /// The unit approvers of the unit above the proposing unit (the dean of its college).
    ParentUnitApprover,
}

/// How many of the step's actors must approve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Participation {
    /// One decision recorded (by any one of the actors).
    One,
    /// Every actor must approve.
    All,
    /// At least this percentage of the actors.
    Percent { percent: u8 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepKind {
    /// A sign-off (unit head, dean, final sign-off, a consultation partner).
    SignOff {
        actors: StepActors,
        participation: Participation,
    },
    /// The committee decides at a meeting (or an electronic vote). An information item is
    /// reported to the committee and needs no vote.
    Committee { information_only: bool },
    /// Posted for objections for this many days, then the route moves on.
    ObjectionWindow { days: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RouteStep {
    pub name: String,
    pub kind: StepKind,
    /// Days the step should take (its due date from when the proposal reaches it).
    pub service_days: u32,
}

/// When a route applies; an empty condition matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RouteCondition {
    pub credit_status: Option<String>,
    pub academic_level: Option<AcademicLevel>,
    pub category: Option<String>,
    /// The kind of case (a new proposal, a minor or major change, a termination); none:
    /// any. (Routes stored before cases existed have none.)
    #[serde(default)]
    pub case: Option<crate::case::RouteCase>,
}

impl RouteCondition {
    pub fn matches(&self, c: &ProposalContent, case: crate::case::RouteCase) -> bool {
        self.case.is_none_or(|k| k == case)
            && (self.credit_status.is_none() || self.credit_status == c.credit_status)
            && (self.academic_level.is_none() || self.academic_level == c.academic_level)
            && (self.category.is_none() || self.category == c.category)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Route {
    #[ts(type = "number")]
    pub id: Id,
    pub name: String,
    /// Routes are tried in order of `position`; the first whose condition matches is used.
    pub position: u32,
    pub when: RouteCondition,
    pub steps: Vec<RouteStep>,
}

/// The first route (by position) whose condition matches the proposal.
pub fn choose_route<'a>(
    routes: &'a [Route],
    c: &ProposalContent,
    case: crate::case::RouteCase,
) -> Option<&'a Route> {
    let mut sorted: Vec<&Route> = routes.iter().collect();
    sorted.sort_by_key(|r| (r.position, r.id));
    sorted.into_iter().find(|r| r.when.matches(c, case))
}

pub fn check_route(r: &Route) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    if r.name.trim().is_empty() {
        errors.push(FieldError::new("name", "must not be empty"));
    }
    if r.steps.is_empty() {
        errors.push(FieldError::new("steps", "a route needs at least one step"));
    }
    for (i, s) in r.steps.iter().enumerate() {
        if s.name.trim().is_empty() {
            errors.push(FieldError::new(
                format!("steps[{i}].name"),
                "must not be empty",
            ));
        }
        if let StepKind::SignOff {
            participation: Participation::Percent { percent },
            ..
        } = s.kind
        {
            if percent == 0 || percent > 100 {
                errors.push(FieldError::new(
                    format!("steps[{i}].participation"),
                    "a percentage is between 1 and 100",
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// Whether enough of a step's actors approved: `approvals` of `actors` people.
pub fn participation_met(p: Participation, approvals: usize, actors: usize) -> bool {
    match p {
        Participation::One => approvals >= 1,
        Participation::All => actors > 0 && approvals >= actors,
        Participation::Percent { percent } => {
            actors > 0 && approvals * 100 >= actors * usize::from(percent)
        }
    }
}

// ----- the committee -----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    Chair,
    Voting,
    NonVoting,
    /// Votes only when the member they stand in for is absent.
    Alternate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Membership {
    #[ts(type = "number")]
    pub person_id: Id,
    pub seat: Seat,
    /// For an alternate: the member they stand in for.
    #[ts(type = "number | null")]
    pub alternate_for: Option<Id>,
    pub term_start: String,
    pub term_end: String,
}

impl Membership {
    pub fn serving_on(&self, date: &str) -> bool {
        self.term_start.as_str() <= date && date <= self.term_end.as_str()
    }
}

pub fn check_membership(m: &Membership) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    for (field, d) in [("term_start", &m.term_start), ("term_end", &m.term_end)] {
        if !is_date(d) {
            errors.push(FieldError::new(field, "a date as YYYY-MM-DD"));
        }
    }
    if errors.is_empty() && m.term_end < m.term_start {
        errors.push(FieldError::new(
            "term_end",
            "the term ends before it starts",
        ));
    }
    match (m.seat, m.alternate_for) {
        (Seat::Alternate, None) => errors.push(FieldError::new(
            "alternate_for",
            "an alternate stands in for a named member",
        )),
        (Seat::Alternate, Some(id)) if id == m.person_id => errors.push(FieldError::new(
            "alternate_for",
            "a member cannot be their own alternate",
        )),
        (s, Some(_)) if s != Seat::Alternate => errors.push(FieldError::new(
            "alternate_for",
            "only an alternate stands in for another member",
        )),
        _ => {}
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// `YYYY-MM-DD`, a real calendar date.
pub fn is_date(s: &str) -> bool {
    date(s).is_some()
}

fn date(s: &str) -> Option<chrono::NaiveDate> {
    (s.len() == 10)
        .then(|| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
}

/// Whole days from `a` to `b` (both `YYYY-MM-DD`).
pub fn days_between(a: &str, b: &str) -> Option<i64> {
    Some((date(b)? - date(a)?).num_days())
}

/// Why a person may not vote on an item (`Err` with the reason), or `Ok` when they may.
pub fn may_vote(
    members: &[Membership],
    person: Id,
    date: &str,
    present: &[Id],
    recused: &[Id],
) -> Result<(), String> {
    let Some(m) = members
        .iter()
        .find(|m| m.person_id == person && m.serving_on(date))
    else {
        return Err("is not a committee member serving on that date".into());
    };
    if recused.contains(&person) {
        return Err("is recused from this proposal".into());
    }
    if !present.contains(&person) {
        return Err("is not recorded as present".into());
    }
    match m.seat {
        Seat::Chair | Seat::Voting => Ok(()),
        Seat::NonVoting => {
            Err("holds a non-voting seat; non-voting members comment but do not vote".into())
        }
        Seat::Alternate => {
            let stands_for = m.alternate_for.unwrap_or_default();
            if present.contains(&stands_for) {
                Err("is an alternate, and the member they stand in for is present".into())
            } else if recused.contains(&stands_for) {
                Err("is an alternate for a member recused from this proposal".into())
            } else {
                Ok(())
            }
        }
    }
}

/// The voting members serving on `date` (chair included; alternates are not seats).
pub fn voting_seats(members: &[Membership], date: &str) -> usize {
    members
        .iter()
        .filter(|m| m.serving_on(date) && matches!(m.seat, Seat::Chair | Seat::Voting))
        .count()
}

/// Voting members present, counting an alternate whose member is absent.
pub fn voting_present(members: &[Membership], date: &str, present: &[Id]) -> usize {
    members
        .iter()
        .filter(|m| m.serving_on(date) && present.contains(&m.person_id))
        .filter(|m| match m.seat {
            Seat::Chair | Seat::Voting => true,
            Seat::NonVoting => false,
            Seat::Alternate => m.alternate_for.is_some_and(|f| !present.contains(&f)),
        })
        .count()
}

// ----- votes and outcomes -----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VoteChoice {
    For,
    Against,
    Abstain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    SimpleMajority,
    TwoThirds,
}

/// Whose number the threshold is taken of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdBase {
    /// Voting members present.
    Present,
    /// All voting members of the committee.
    AllVoting,
}

/// The committee's voting rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VotingRules {
    /// Voting members who must be present for business.
    pub quorum: u32,
    pub threshold: Threshold,
    pub base: ThresholdBase,
}

impl Default for VotingRules {
    fn default() -> Self {
        VotingRules {
            quorum: 5,
            threshold: Threshold::SimpleMajority,
            base: ThresholdBase::Present,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Tally {
    pub for_: u32,
    pub against: u32,
    pub abstain: u32,
    /// The number the threshold is taken of.
    pub base: u32,
    pub carried: bool,
}

/// Counts votes and decides whether the motion carried: more than half (or at least two
/// thirds) of the base votes for it. Abstentions count toward the base, not for.
pub fn tally(votes: &[VoteChoice], rules: VotingRules, present: u32, all_voting: u32) -> Tally {
    let count = |c| votes.iter().filter(|v| **v == c).count() as u32;
    let (for_, against, abstain) = (
        count(VoteChoice::For),
        count(VoteChoice::Against),
        count(VoteChoice::Abstain),
    );
    let base = match rules.base {
        ThresholdBase::Present => present,
        ThresholdBase::AllVoting => all_voting,
    };
    let carried = base > 0
        && match rules.threshold {
            Threshold::SimpleMajority => for_ * 2 > base,
            Threshold::TwoThirds => for_ * 3 >= base * 2,
        };
    Tally {
        for_,
        against,
        abstain,
        base,
        carried,
    }
}

// ----- decisions -----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Condition {
    pub text: String,
    #[ts(type = "number")]
    pub owner_id: Id,
    pub due: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    Approve,
    ApproveWithConditions {
        conditions: Vec<Condition>,
    },
    /// Back to Draft (or, with `to_step`, to that earlier step of the route), with what
    /// must change.
    RequestRevisions {
        comment: String,
        #[serde(default)]
        to_step: Option<String>,
    },
    /// To a later meeting.
    Table,
    Reject {
        reason: String,
    },
}

impl Decision {
    pub fn label(&self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::ApproveWithConditions { .. } => "approved with conditions",
            Decision::RequestRevisions { .. } => "revisions requested",
            Decision::Table => "tabled",
            Decision::Reject { .. } => "rejected",
        }
    }
}

pub fn check_decision(d: &Decision) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    match d {
        Decision::ApproveWithConditions { conditions } => {
            if conditions.is_empty() {
                errors.push(FieldError::new(
                    "conditions",
                    "name at least one condition (or approve without conditions)",
                ));
            }
            for (i, c) in conditions.iter().enumerate() {
                if c.text.trim().is_empty() {
                    errors.push(FieldError::new(
                        format!("conditions[{i}].text"),
                        "say what must be done",
                    ));
                }
                if !is_date(&c.due) {
                    errors.push(FieldError::new(
                        format!("conditions[{i}].due"),
                        "a due date as YYYY-MM-DD; open-ended conditions are not accepted",
                    ));
                }
            }
        }
        Decision::RequestRevisions { comment, .. } if comment.trim().is_empty() => {
            errors.push(FieldError::new("comment", "say what must be revised"));
        }
        Decision::Reject { reason } if reason.trim().is_empty() => {
            errors.push(FieldError::new(
                "reason",
                "say why the proposal is rejected",
            ));
        }
        _ => {}
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(errors))
    }
}

// ----- signed statements -----

/// What a person signs: the act, the record it concerns, and its content. Signed as JCS
/// (RFC 8785) bytes with the person's Ed25519 key; stored with the audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Statement {
    /// `vote`, `sign_off`, `decision`, `condition_met`.
    pub act: String,
    /// The record, as `entity:id` (`vote:12`, `proposal:3`).
    pub record: String,
    #[ts(type = "number")]
    pub signer_id: Id,
    pub signer_name: String,
    /// UTC, RFC 3339.
    pub at: String,
    #[ts(type = "unknown")]
    pub content: serde_json::Value,
}

// ----- reviewers, the rubric, comments -----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReviewerRole {
    Primary,
    Secondary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Criterion {
    /// Short stable key (`need`, `outcomes`).
    pub key: String,
    pub name: String,
    pub description: String,
}

/// What reviewers score a proposal on, and the scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Rubric {
    pub criteria: Vec<Criterion>,
    pub scale_min: u8,
    pub scale_max: u8,
}

impl Rubric {
    /// The rubric a workspace starts with (a setting).
    pub fn shipped() -> Rubric {
        let c = |key: &str, name: &str, description: &str| Criterion {
            key: key.into(),
            name: name.into(),
            description: description.into(),
        };
        Rubric {
            criteria: vec![
                c(
                    "need",
                    "Need and demand",
                    "Evidence that learners and employers want it",
                ),
                c(
                    "outcomes",
                    "Learning outcomes",
                    "Clear, assessable, at the stated level",
                ),
                c(
                    "assessment",
                    "Assessment",
                    "Assessment evidences each outcome",
                ),
                c(
                    "stacking",
                    "Stackability",
                    "Fits a pathway or the institution's credentials",
                ),
                c(
                    "resources",
                    "Resources",
                    "Staff, facilities and fees are realistic",
                ),
            ],
            scale_min: 1,
            scale_max: 5,
        }
    }
}

pub fn check_rubric(r: &Rubric) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    if r.criteria.is_empty() {
        errors.push(FieldError::new(
            "criteria",
            "a rubric needs at least one criterion",
        ));
    }
    if r.scale_min >= r.scale_max {
        errors.push(FieldError::new(
            "scale_max",
            "the scale's top must be above its bottom",
        ));
    }
    for (i, c) in r.criteria.iter().enumerate() {
        if c.key.trim().is_empty() || c.name.trim().is_empty() {
            errors.push(FieldError::new(
                format!("criteria[{i}]"),
                "a criterion needs a key and a name",
            ));
        }
        if r.criteria[..i].iter().any(|o| o.key == c.key) {
            errors.push(FieldError::new(
                format!("criteria[{i}].key"),
                format!("{} is used twice", c.key),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// One criterion's score and comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Score {
    pub criterion: String,
    pub score: u8,
    pub comment: String,
}

/// Checks a reviewer's scores against the rubric: every criterion scored once, on the scale.
pub fn check_scores(r: &Rubric, scores: &[Score]) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    for c in &r.criteria {
        match scores.iter().filter(|s| s.criterion == c.key).count() {
            0 => errors.push(FieldError::new(
                format!("scores.{}", c.key),
                format!("score {}", c.name),
            )),
            1 => {}
            _ => errors.push(FieldError::new(format!("scores.{}", c.key), "scored twice")),
        }
    }
    for s in scores {
        if !r.criteria.iter().any(|c| c.key == s.criterion) {
            errors.push(FieldError::new(
                format!("scores.{}", s.criterion),
                "no such criterion in the rubric",
            ));
        } else if s.score < r.scale_min || s.score > r.scale_max {
            errors.push(FieldError::new(
                format!("scores.{}", s.criterion),
                format!("a score from {} to {}", r.scale_min, r.scale_max),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// Who sees a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Reviewers, the committee and coordinators only.
    Committee,
    /// Also the proposer.
    Proposer,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::RouteCase;

    fn seat(id: Id, seat: Seat, alt: Option<Id>) -> Membership {
        Membership {
            person_id: id,
            seat,
            alternate_for: alt,
            term_start: "2026-01-01".into(),
            term_end: "2027-12-31".into(),
        }
    }

    fn committee() -> Vec<Membership> {
        vec![
            seat(1, Seat::Chair, None),
            seat(2, Seat::Voting, None),
            seat(3, Seat::Voting, None),
            seat(4, Seat::NonVoting, None),
            seat(5, Seat::Alternate, Some(2)),
        ]
    }

    #[test]
    fn who_may_vote() {
        let c = committee();
        let day = "2026-11-23";
        assert_eq!(may_vote(&c, 1, day, &[1, 2, 3], &[]), Ok(()));
        assert!(may_vote(&c, 4, day, &[1, 4], &[])
            .unwrap_err()
            .contains("non-voting"));
        assert!(may_vote(&c, 5, day, &[1, 2, 5], &[])
            .unwrap_err()
            .contains("is present"));
        assert_eq!(
            may_vote(&c, 5, day, &[1, 5], &[]),
            Ok(()),
            "alternate for an absent member"
        );
        assert!(may_vote(&c, 3, day, &[1, 3], &[3])
            .unwrap_err()
            .contains("recused"));
        assert!(may_vote(&c, 3, day, &[1], &[])
            .unwrap_err()
            .contains("present"));
        assert!(may_vote(&c, 9, day, &[9], &[])
            .unwrap_err()
            .contains("not a committee member"));
        assert!(may_vote(&c, 1, "2028-01-01", &[1], &[])
            .unwrap_err()
            .contains("serving"));
    }

    #[test]
    fn quorum_counts_alternates_only_for_absent_members() {
        let c = committee();
        assert_eq!(voting_seats(&c, "2026-11-23"), 3);
        assert_eq!(voting_present(&c, "2026-11-23", &[1, 2, 4, 5]), 2);
        assert_eq!(voting_present(&c, "2026-11-23", &[1, 4, 5]), 2);
    }

    #[test]
    fn outcomes_follow_the_threshold() {
        use VoteChoice::*;
        let majority = VotingRules {
            quorum: 3,
            threshold: Threshold::SimpleMajority,
            base: ThresholdBase::Present,
        };
        assert!(tally(&[For, For, Against], majority, 3, 9).carried);
        assert!(
            !tally(&[For, Against, Abstain, Abstain], majority, 4, 9).carried,
            "2 of 4 is not more than half"
        );
        let two_thirds = VotingRules {
            threshold: Threshold::TwoThirds,
            ..majority
        };
        assert!(tally(&[For, For, Against], two_thirds, 3, 9).carried);
        assert!(!tally(&[For, For, Against, Against], two_thirds, 4, 9).carried);
        let of_all = VotingRules {
            base: ThresholdBase::AllVoting,
            ..majority
        };
        let t = tally(&[For, For, For, For], of_all, 4, 9);
        assert_eq!(
            (t.for_, t.base, t.carried),
            (4, 9, false),
            "4 of 9 members is not a majority of all"
        );
    }

    #[test]
    fn routes_are_chosen_by_condition() {
        let step = RouteStep {
            name: "Committee".into(),
            kind: StepKind::Committee {
                information_only: false,
            },
            service_days: 30,
        };
        let routes = vec![
            Route {
                id: 1,
                name: "Credit-bearing".into(),
                position: 1,
                when: RouteCondition {
                    credit_status: Some("credit".into()),
                    ..Default::default()
                },
                steps: vec![step.clone()],
            },
            Route {
                id: 2,
                name: "Everything else".into(),
                position: 2,
                when: RouteCondition::default(),
                steps: vec![step.clone()],
            },
            Route {
                id: 3,
                name: "Minor change".into(),
                position: 0,
                when: RouteCondition {
                    case: Some(RouteCase::MinorChange),
                    ..Default::default()
                },
                steps: vec![step],
            },
        ];
        let credit = ProposalContent {
            credit_status: Some("credit".into()),
            ..Default::default()
        };
        let new = RouteCase::New;
        assert_eq!(choose_route(&routes, &credit, new).map(|r| r.id), Some(1));
        assert_eq!(
            choose_route(&routes, &ProposalContent::default(), new).map(|r| r.id),
            Some(2)
        );
        // A minor change takes its own route; a major one the route its content picks.
        let minor = RouteCase::MinorChange;
        assert_eq!(choose_route(&routes, &credit, minor).map(|r| r.id), Some(3));
        let major = RouteCase::MajorChange;
        assert_eq!(choose_route(&routes, &credit, major).map(|r| r.id), Some(1));
    }

    #[test]
    fn participation_rules() {
        assert!(participation_met(Participation::One, 1, 3));
        assert!(!participation_met(Participation::All, 2, 3));
        assert!(participation_met(Participation::All, 3, 3));
        assert!(participation_met(
            Participation::Percent { percent: 60 },
            2,
            3
        ));
        assert!(!participation_met(
            Participation::Percent { percent: 70 },
            2,
            3
        ));
    }

    #[test]
    fn decisions_need_their_particulars() {
        assert!(check_decision(&Decision::ApproveWithConditions { conditions: vec![] }).is_err());
        let open_ended = Decision::ApproveWithConditions {
            conditions: vec![Condition {
                text: "Add a rubric".into(),
                owner_id: 2,
                due: "someday".into(),
            }],
        };
        let DomainError::Invalid(e) = check_decision(&open_ended).unwrap_err();
        assert_eq!(e[0].field, "conditions[0].due");
        assert!(check_decision(&Decision::RequestRevisions {
            comment: " ".into(),
            to_step: None,
        })
        .is_err());
        assert!(check_decision(&Decision::Approve).is_ok());
    }

    #[test]
    fn scores_must_cover_the_rubric_on_its_scale() {
        let r = Rubric::shipped();
        let all = |score| -> Vec<Score> {
            r.criteria
                .iter()
                .map(|c| Score {
                    criterion: c.key.clone(),
                    score,
                    comment: String::new(),
                })
                .collect()
        };
        assert!(check_scores(&r, &all(4)).is_ok());
        let DomainError::Invalid(e) = check_scores(&r, &all(6)).unwrap_err();
        assert_eq!(e.len(), 5);
        assert!(e[0].message.contains("from 1 to 5"));
        let DomainError::Invalid(e) = check_scores(&r, &all(3)[1..]).unwrap_err();
        assert_eq!(e[0].field, "scores.need");
        assert!(check_rubric(&Rubric {
            scale_min: 5,
            ..Rubric::shipped()
        })
        .is_err());
    }

    #[test]
    fn dates_are_checked_and_counted() {
        assert!(is_date("2026-02-28") && !is_date("2026-02-29") && is_date("2028-02-29"));
        assert!(!is_date("2026-13-01") && !is_date("26-01-01"));
        assert_eq!(days_between("2026-02-27", "2026-03-01"), Some(2));
        assert_eq!(days_between("2025-12-31", "2026-01-01"), Some(1));
    }
}
