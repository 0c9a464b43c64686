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
    /// The language of the title, short title, description and outcomes above (a BCP 47
    /// tag); English where not given.
    pub language: Option<String>,
    /// The same texts in other languages, one per language.
    pub translations: Vec<Translation>,
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

/// A microcredential's texts in another language. Where the main texts give a description
/// or outcomes, a translation gives them too, outcome for outcome (checked before
/// submission), so a certificate or catalog page never mixes two languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct Translation {
    pub language: String,
    pub title: String,
    pub short_title: Option<String>,
    pub description: String,
    pub outcomes: Vec<String>,
}

impl ProposalContent {
    /// The language the main texts are in.
    pub fn primary_language(&self) -> &str {
        self.language.as_deref().unwrap_or(crate::language::DEFAULT)
    }

    /// Every language the texts are given in, the main one first.
    pub fn languages(&self) -> Vec<String> {
        std::iter::once(self.primary_language().to_string())
            .chain(self.translations.iter().map(|t| t.language.clone()))
            .collect()
    }

    /// The language of these texts that best suits `wanted`: the main one unless a
    /// translation suits it better (`None` asks for the main one).
    pub fn language_for(&self, wanted: Option<&str>) -> String {
        let primary = self.primary_language();
        let Some(wanted) = wanted else {
            return primary.to_string();
        };
        if primary == wanted {
            return primary.to_string();
        }
        self.translations
            .iter()
            .find(|t| t.language == wanted)
            .or_else(|| {
                (!crate::language::suits(primary, wanted)).then(|| {
                    self.translations
                        .iter()
                        .find(|t| crate::language::suits(&t.language, wanted))
                })?
            })
            .map_or_else(|| primary.to_string(), |t| t.language.clone())
    }

    /// These contents with the texts of `language` (one of `languages()`) in place of the
    /// main ones, and `language` as their language; unchanged for the main language or one
    /// not given.
    pub fn localized(&self, language: &str) -> ProposalContent {
        let mut out = self.clone();
        if let Some(t) = self.translations.iter().find(|t| t.language == language) {
            out.title = t.title.clone();
            out.short_title = t.short_title.clone();
            out.description = t.description.clone();
            out.outcomes = t.outcomes.clone();
            out.language = Some(t.language.clone());
        }
        out
    }
}

/// What a translation lacks before the proposal can be submitted: (field, message) pairs,
/// fields named `translations[i].title`.
pub fn translation_gaps(c: &ProposalContent) -> Vec<(String, String)> {
    let mut gaps = Vec::new();
    let given = |v: &[String]| v.iter().filter(|o| !o.trim().is_empty()).count();
    let main_outcomes = given(&c.outcomes);
    for (i, t) in c.translations.iter().enumerate() {
        let name = crate::language::native_name(&t.language);
        if t.title.trim().is_empty() {
            gaps.push((
                format!("translations[{i}].title"),
                format!("give the title in {name}"),
            ));
        }
        if !c.description.trim().is_empty() && t.description.trim().is_empty() {
            gaps.push((
                format!("translations[{i}].description"),
                format!("give the description in {name}"),
            ));
        }
        let outcomes = given(&t.outcomes);
        if outcomes != main_outcomes {
            gaps.push((
                format!("translations[{i}].outcomes"),
                format!(
                    "give each of the {main_outcomes} learning outcomes in {name}, one per line (there are {outcomes})"
                ),
            ));
        }
    }
    gaps
}

/// Checks the language tags of `c` and writes them as Open Badges 3.0 requires: errors name
/// `language` or `translations[i].language`.
pub fn normalize_languages(c: &mut ProposalContent) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(tag) = &c.language {
        match crate::language::normalize(tag) {
            Ok(t) => c.language = Some(t),
            Err(m) => errors.push(FieldError::new("language", m)),
        }
    }
    let primary = c.primary_language().to_string();
    let mut seen = vec![primary];
    for (i, t) in c.translations.iter_mut().enumerate() {
        let field = format!("translations[{i}].language");
        match crate::language::normalize(&t.language) {
            Ok(tag) if seen.contains(&tag) => errors.push(FieldError::new(
                field,
                format!(
                    "the texts are already given in {}",
                    crate::language::native_name(&tag)
                ),
            )),
            Ok(tag) => {
                seen.push(tag.clone());
                t.language = tag;
            }
            Err(m) => errors.push(FieldError::new(field, m)),
        }
        if t.title.chars().count() > 200 {
            errors.push(FieldError::new(
                format!("translations[{i}].title"),
                "must be at most 200 characters",
            ));
        }
    }
    errors
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

    fn bilingual() -> ProposalContent {
        ProposalContent {
            title: "Applied Robotics".into(),
            description: "Build robots.".into(),
            outcomes: vec!["Build a robot.".into(), "Program it.".into()],
            translations: vec![Translation {
                language: "fr-CA".into(),
                title: "Robotique appliquée".into(),
                short_title: None,
                description: "Construire des robots.".into(),
                outcomes: vec!["Construire un robot.".into(), "Le programmer.".into()],
            }],
            ..Default::default()
        }
    }

    #[test]
    fn texts_are_chosen_by_language_with_the_main_ones_as_fallback() {
        let c = bilingual();
        assert_eq!(c.languages(), ["en", "fr-CA"]);
        assert_eq!(c.language_for(None), "en");
        assert_eq!(c.language_for(Some("fr-CA")), "fr-CA");
        assert_eq!(c.language_for(Some("fr")), "fr-CA");
        assert_eq!(c.language_for(Some("de")), "en");
        let fr = c.localized("fr-CA");
        assert_eq!(fr.title, "Robotique appliquée");
        assert_eq!(fr.outcomes[1], "Le programmer.");
        assert_eq!(fr.primary_language(), "fr-CA");
        assert_eq!(c.localized("de"), c);
    }

    #[test]
    fn a_translation_gives_every_text_the_main_ones_give() {
        assert!(translation_gaps(&bilingual()).is_empty());
        let mut c = bilingual();
        c.translations[0].title = " ".into();
        c.translations[0].outcomes.pop();
        let gaps: Vec<String> = translation_gaps(&c).into_iter().map(|(f, _)| f).collect();
        assert_eq!(gaps, ["translations[0].title", "translations[0].outcomes"]);
        assert!(translation_gaps(&c)[1]
            .1
            .contains("each of the 2 learning outcomes in Français (CA)"));
    }

    #[test]
    fn language_tags_are_normalized_and_given_once() {
        let mut c = bilingual();
        c.language = Some("EN".into());
        c.translations[0].language = "fr_ca".into();
        assert!(normalize_languages(&mut c).is_empty());
        assert_eq!(
            (c.language.as_deref(), c.translations[0].language.as_str()),
            (Some("en"), "fr-CA")
        );
        c.translations.push(Translation {
            language: "en".into(),
            ..Default::default()
        });
        c.translations.push(Translation {
            language: "klingon".into(),
            ..Default::default()
        });
        let errors = normalize_languages(&mut c);
        assert_eq!(errors.len(), 2);
        assert_eq!(
            format!("{}: {}", errors[0].field, errors[0].message),
            "translations[1].language: the texts are already given in English"
        );
        assert!(format!("{}: {}", errors[1].field, errors[1].message)
            .starts_with("translations[2].language: \"klingon\" is not a language tag"));
    }
}
