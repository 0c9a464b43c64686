//! Institution policies as data: a policy set of rules, each with parameters and a severity,
//! evaluated live while a proposal is drafted and again on submit. A new kind of rule is a new
//! [`RuleKind`] variant and its arm in [`RuleKind::check`]; nothing else changes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::proposal::{AcademicLevel, PrerequisiteKind, ProposalContent};
use crate::taxonomy::{Facet, Skill, Term};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Stops submission.
    Blocking,
    /// Shown, but the proposal may still be submitted.
    Warning,
}

/// The kinds of rule, with their parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleKind {
    /// Credit-bearing microcredentials carry between `min` and `max` credits.
    CreditRange { min: f64, max: f64 },
    /// Graduate-level microcredentials require a bachelor's degree.
    GraduateNeedsBachelors,
    /// A competency linked or named in the title appears in the learning outcomes.
    CompetencyInOutcomes,
    /// Badges are assessed, unless the category is a participation award.
    AssessedUnlessParticipation,
    /// The EU Council Recommendation's mandatory elements, when the institution opts in.
    EuMandatoryElements,
    /// At least `count` learning outcomes.
    MinimumOutcomes { count: u32 },
    /// A periodic review every `min_years` to `max_years` years.
    ReviewCycle { min_years: u32, max_years: u32 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Rule {
    /// Stable id (`credit-range`), quoted in messages and the audit log.
    pub id: String,
    pub description: String,
    pub severity: Severity,
    pub enabled: bool,
    pub rule: RuleKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PolicySet {
    pub rules: Vec<Rule>,
}

/// One rule that a proposal does not meet, naming the field to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Finding {
    pub rule_id: String,
    pub severity: Severity,
    pub field: String,
    pub message: String,
}

/// What rules need besides the proposal.
pub struct PolicyContext<'a> {
    pub terms: &'a [Term],
    pub skills: &'a [Skill],
    /// Whether the institution follows the EU Council Recommendation on micro-credentials.
    pub eu_opt_in: bool,
}

impl PolicyContext<'_> {
    fn term(&self, facet: Facet, code: Option<&str>) -> Option<&Term> {
        let code = code?;
        self.terms
            .iter()
            .find(|t| t.facet == facet && t.code == code)
    }

    fn skill(&self, reference: &str) -> Option<&Skill> {
        let (framework, code) = reference.split_once(':')?;
        self.skills
            .iter()
            .find(|s| s.framework == framework && s.code == code)
    }
}

fn blank(v: &Option<String>) -> bool {
    v.as_deref().map(str::trim).unwrap_or("").is_empty()
}

fn mentions(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

impl RuleKind {
    /// (field, message) for each way `p` breaks this rule.
    fn check(&self, p: &ProposalContent, ctx: &PolicyContext) -> Vec<(String, String)> {
        let one = |field: &str, message: String| vec![(field.to_string(), message)];
        match self {
            RuleKind::CreditRange { min, max } => {
                let credit = ctx
                    .term(Facet::CreditStatus, p.credit_status.as_deref())
                    .is_some_and(|t| t.credit_bearing);
                match (credit, p.workload.credits) {
                    (false, _) => vec![],
                    (true, None) => one("workload.credits", format!("a credit-bearing microcredential states its credits ({min} to {max})")),
                    (true, Some(c)) if c < *min || c > *max => one(
                        "workload.credits",
                        format!("{c} credits is outside the {min} to {max} credits a credit-bearing microcredential carries"),
                    ),
                    _ => vec![],
                }
            }
            RuleKind::GraduateNeedsBachelors => {
                let graduate = p.academic_level == Some(AcademicLevel::Graduate);
                let has = p.prerequisites.iter().any(|r| {
                    matches!(
                        r.kind,
                        PrerequisiteKind::BachelorsDegree | PrerequisiteKind::MastersDegree
                    )
                });
                if graduate && !has {
                    one("prerequisites", "a graduate-level microcredential requires a bachelor's degree as a prerequisite".into())
                } else {
                    vec![]
                }
            }
            RuleKind::CompetencyInOutcomes => {
                let outcomes = p.outcomes.join("\n");
                let mut named: Vec<&Skill> = p.skills.iter().filter_map(|r| ctx.skill(r)).collect();
                named.extend(ctx.skills.iter().filter(|s| mentions(&p.title, &s.name)));
                let mut seen = std::collections::HashSet::new();
                named.retain(|s| seen.insert((&s.framework, &s.code)));
                named
                    .into_iter()
                    .filter(|s| !mentions(&outcomes, &s.name))
                    .map(|s| {
                        let source = if mentions(&p.title, &s.name) { "the title" } else { "the skills" };
                        (
                            "outcomes".to_string(),
                            format!("the competency \"{}\" is named in {source} but no learning outcome mentions it", s.name),
                        )
                    })
                    .collect()
            }
            RuleKind::AssessedUnlessParticipation => {
                let participation = ctx
                    .term(Facet::Category, p.category.as_deref())
                    .is_some_and(|t| t.participation_award);
                if p.assessment_types.is_empty() && !participation {
                    one("assessment_types", "a badge must be assessed; choose an assessment type (or the participation award category)".into())
                } else {
                    vec![]
                }
            }
            RuleKind::EuMandatoryElements => {
                if !ctx.eu_opt_in {
                    return vec![];
                }
                let mut missing = Vec::new();
                let mut need = |field: &str, absent: bool, what: &str| {
                    if absent {
                        missing.push((
                            field.to_string(),
                            format!("the EU Council Recommendation requires {what}"),
                        ));
                    }
                };
                need("outcomes", p.outcomes.is_empty(), "learning outcomes");
                let w = &p.workload;
                need(
                    "workload.ects",
                    w.ects.is_none() && w.credits.is_none() && w.hours.is_none(),
                    "the notional workload (ECTS where possible)",
                );
                need("level", blank(&p.level), "the level");
                need(
                    "assessment_types",
                    p.assessment_types.is_empty(),
                    "the type of assessment",
                );
                need(
                    "participation_form",
                    blank(&p.participation_form),
                    "the form of participation",
                );
                need(
                    "quality_assurance",
                    blank(&p.quality_assurance),
                    "the type of quality assurance",
                );
                missing
            }
            RuleKind::MinimumOutcomes { count } => {
                let n = p.outcomes.iter().filter(|o| !o.trim().is_empty()).count();
                if n < *count as usize {
                    one(
                        "outcomes",
                        format!("list at least {count} learning outcomes ({n} so far)"),
                    )
                } else {
                    vec![]
                }
            }
            RuleKind::ReviewCycle {
                min_years,
                max_years,
            } => match p.review_cycle_years {
                None => one(
                    "review_cycle_years",
                    format!("set a review cycle of {min_years} to {max_years} years"),
                ),
                Some(y) if y < *min_years || y > *max_years => one(
                    "review_cycle_years",
                    format!(
                        "a review cycle of {y} years is outside {min_years} to {max_years} years"
                    ),
                ),
                Some(_) => vec![],
            },
        }
    }
}

impl PolicySet {
    /// Every finding of every enabled rule, blocking ones first.
    pub fn evaluate(&self, p: &ProposalContent, ctx: &PolicyContext) -> Vec<Finding> {
        let mut findings: Vec<Finding> = self
            .rules
            .iter()
            .filter(|r| r.enabled)
            .flat_map(|r| {
                r.rule
                    .check(p, ctx)
                    .into_iter()
                    .map(|(field, message)| Finding {
                        rule_id: r.id.clone(),
                        severity: r.severity,
                        field,
                        message,
                    })
            })
            .collect();
        findings.sort_by_key(|f| f.severity != Severity::Blocking);
        findings
    }

    /// The rules PROCESS.md describes, with common parameters; each is editable.
    pub fn shipped() -> PolicySet {
        let rule = |id: &str, description: &str, severity, rule| Rule {
            id: id.into(),
            description: description.into(),
            severity,
            enabled: true,
            rule,
        };
        PolicySet {
            rules: vec![
                rule("credit-range", "Credit-bearing microcredentials carry 6 to 12 credits.", Severity::Blocking, RuleKind::CreditRange { min: 6.0, max: 12.0 }),
                rule("graduate-prerequisite", "Graduate-level microcredentials require a bachelor's degree.", Severity::Blocking, RuleKind::GraduateNeedsBachelors),
                rule("competency-in-outcomes", "A competency in the title or skills appears in the learning outcomes.", Severity::Blocking, RuleKind::CompetencyInOutcomes),
                rule("assessed", "Badges are assessed unless they are participation awards.", Severity::Blocking, RuleKind::AssessedUnlessParticipation),
                rule("eu-mandatory", "The EU Council Recommendation's mandatory elements are present (when the institution opts in).", Severity::Blocking, RuleKind::EuMandatoryElements),
                rule("minimum-outcomes", "At least three learning outcomes.", Severity::Warning, RuleKind::MinimumOutcomes { count: 3 }),
                rule("review-cycle", "Reviewed every one to three years.", Severity::Blocking, RuleKind::ReviewCycle { min_years: 1, max_years: 3 }),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proposal::Prerequisite;
    use crate::taxonomy::nace;

    fn terms() -> Vec<Term> {
        let mut credit = Term::new(Facet::CreditStatus, "credit", "Credit-bearing", 1);
        credit.credit_bearing = true;
        let mut participation =
            Term::new(Facet::Category, "participation", "Participation award", 3);
        participation.participation_award = true;
        vec![
            credit,
            Term::new(Facet::CreditStatus, "non-credit", "Non-credit", 2),
            Term::new(Facet::Category, "academic", "Academic", 1),
            participation,
        ]
    }

    /// A proposal that meets every shipped rule, EU elements included.
    fn compliant() -> ProposalContent {
        ProposalContent {
            title: "Teamwork in Engineering Projects".into(),
            description: "Work in engineering teams.".into(),
            credit_status: Some("credit".into()),
            category: Some("academic".into()),
            level: Some("level-2".into()),
            academic_level: Some(AcademicLevel::Graduate),
            outcomes: vec![
                "Practise teamwork in a multidisciplinary project.".into(),
                "Communicate designs in writing.".into(),
                "Apply critical thinking to trade-offs.".into(),
            ],
            skills: vec!["NACE:teamwork".into(), "NACE:critical-thinking".into()],
            workload: crate::proposal::Workload {
                credits: Some(9.0),
                ects: Some(18.0),
                hours: None,
            },
            assessment_types: vec!["project".into()],
            prerequisites: vec![Prerequisite {
                kind: PrerequisiteKind::BachelorsDegree,
                description: "A bachelor's degree in engineering".into(),
            }],
            participation_form: Some("online".into()),
            quality_assurance: Some("Internal programme review".into()),
            review_cycle_years: Some(2),
            ..Default::default()
        }
    }

    fn run(policy: &PolicySet, p: &ProposalContent, eu_opt_in: bool) -> Vec<Finding> {
        let (terms, skills) = (terms(), nace());
        let ctx = PolicyContext {
            terms: &terms,
            skills: &skills,
            eu_opt_in,
        };
        policy.evaluate(p, &ctx)
    }

    fn findings(p: &ProposalContent) -> Vec<(String, String)> {
        run(&PolicySet::shipped(), p, true)
            .into_iter()
            .map(|f| (f.rule_id, f.field))
            .collect()
    }

    fn fires(p: &ProposalContent, rule: &str, field: &str) {
        let all = findings(p);
        assert!(
            all.contains(&(rule.to_string(), field.to_string())),
            "{rule} on {field} expected in {all:?}"
        );
    }

    #[test]
    fn a_compliant_proposal_meets_every_rule() {
        assert_eq!(findings(&compliant()), vec![]);
    }

    #[test]
    fn credit_range_fires_outside_its_range_and_only_for_credit() {
        let mut p = compliant();
        p.workload.credits = Some(3.0);
        fires(&p, "credit-range", "workload.credits");
        p.credit_status = Some("non-credit".into());
        assert_eq!(findings(&p), vec![]);
    }

    #[test]
    fn graduate_prerequisite_fires_without_a_degree() {
        let mut p = compliant();
        p.prerequisites.clear();
        fires(&p, "graduate-prerequisite", "prerequisites");
        p.academic_level = Some(AcademicLevel::Undergraduate);
        assert_eq!(findings(&p), vec![]);
    }

    #[test]
    fn competency_in_outcomes_fires_for_skills_and_title() {
        let mut p = compliant();
        p.skills.push("NACE:leadership".into());
        fires(&p, "competency-in-outcomes", "outcomes");
        let mut p = compliant();
        p.outcomes[0] = "Deliver a multidisciplinary project.".into();
        let messages: Vec<String> = run(&PolicySet::shipped(), &p, true)
            .into_iter()
            .map(|f| f.message)
            .collect();
        assert_eq!(messages, ["the competency \"Teamwork\" is named in the title but no learning outcome mentions it"]);
    }

    #[test]
    fn assessed_fires_unless_participation_award() {
        let mut p = compliant();
        p.assessment_types.clear();
        p.participation_form = Some("online".into());
        fires(&p, "assessed", "assessment_types");
        p.category = Some("participation".into());
        assert!(!findings(&p).iter().any(|(r, _)| r == "assessed"));
    }

    #[test]
    fn eu_mandatory_elements_fire_only_when_opted_in() {
        let mut p = compliant();
        p.quality_assurance = None;
        p.participation_form = None;
        fires(&p, "eu-mandatory", "quality_assurance");
        fires(&p, "eu-mandatory", "participation_form");
        assert_eq!(run(&PolicySet::shipped(), &p, false), vec![]);
    }

    #[test]
    fn minimum_outcomes_warns_and_does_not_block() {
        let mut p = compliant();
        p.outcomes.truncate(2);
        p.outcomes[0] = "Practise teamwork and critical thinking.".into();
        fires(&p, "minimum-outcomes", "outcomes");
        assert!(run(&PolicySet::shipped(), &p, true)
            .iter()
            .all(|f| f.severity == Severity::Warning));
    }

    #[test]
    fn review_cycle_fires_outside_one_to_three_years() {
        for years in [Some(0), Some(5), None] {
            let mut p = compliant();
            p.review_cycle_years = years;
            fires(&p, "review-cycle", "review_cycle_years");
        }
    }

    #[test]
    fn a_disabled_rule_is_silent_and_parameters_are_honoured() {
        let mut p = compliant();
        p.workload.credits = Some(15.0);
        let mut policy = PolicySet::shipped();
        policy.rules[0].rule = RuleKind::CreditRange {
            min: 1.0,
            max: 40.0,
        };
        assert_eq!(run(&policy, &p, true), vec![]);
        policy.rules[0].rule = RuleKind::CreditRange {
            min: 6.0,
            max: 12.0,
        };
        policy.rules[0].enabled = false;
        assert_eq!(run(&policy, &p, true), vec![]);
    }
}
