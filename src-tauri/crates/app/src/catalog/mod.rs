//! The catalog: the taxonomy (facets and their terms, skills frameworks), pathways, badge
//! images; seeded with the shipped taxonomy and policy set when a workspace is set up.

pub mod badge_image;

use credence_domain::formats;
use credence_domain::policy::PolicySet;
use credence_domain::taxonomy::{
    check_pathway, check_term, nace, BadgeShape, Facet, Pathway, PathwayPart, Skill, Term,
};
use credence_domain::Id;
use credence_store::audit::Actor;
use credence_store::proposals as repo;
use credence_store::{sql::Sql, taxonomy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kernel::{record, Need};
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// The taxonomy as the editors and the proposal form need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Taxonomy {
    pub terms: Vec<Term>,
    pub skills: Vec<Skill>,
}

/// The defaults every new workspace starts from; each can be edited or retired.
pub(crate) fn seed_taxonomy(tx: &dyn Sql, actor: &Actor) -> Result<()> {
    let mut terms = Vec::new();
    let category = |code: &str, label: &str, rank, colour: &str, shape, participation| {
        let mut t = Term::new(Facet::Category, code, label, rank);
        t.colour = Some(colour.into());
        t.shape = Some(shape);
        t.participation_award = participation;
        t
    };
    terms.push(category(
        "academic",
        "Academic",
        1,
        "#1c4e9c",
        BadgeShape::Shield,
        false,
    ));
    terms.push(category(
        "student-life",
        "Student Life",
        2,
        "#0f7b5f",
        BadgeShape::Circle,
        false,
    ));
    terms.push(category(
        "professional",
        "Professional Development",
        3,
        "#8a3b9c",
        BadgeShape::Hexagon,
        false,
    ));
    terms.push(category(
        "participation",
        "Participation award",
        4,
        "#8a6d1c",
        BadgeShape::Ribbon,
        true,
    ));
    for (rank, (code, label)) in [
        ("basic", "1 Basic"),
        ("intermediate", "2 Intermediate"),
        ("advanced", "3 Advanced"),
    ]
    .into_iter()
    .enumerate()
    {
        terms.push(Term::new(Facet::Level, code, label, rank as i32 + 1));
    }
    let mut credit = Term::new(Facet::CreditStatus, "credit", "Credit-bearing", 1);
    credit.credit_bearing = true;
    terms.push(credit);
    terms.push(Term::new(
        Facet::CreditStatus,
        "non-credit",
        "Non-credit",
        2,
    ));
    let plain: [(Facet, &[(&str, &str)]); 4] = [
        (
            Facet::Audience,
            &[
                ("students", "Students"),
                ("staff", "Faculty and staff"),
                ("community", "Community"),
            ],
        ),
        (
            Facet::CredentialForm,
            &[
                ("badge", "Digital badge"),
                ("certificate", "Certificate"),
                ("transcript", "Transcript notation"),
            ],
        ),
        (
            Facet::AssessmentType,
            &[
                ("exam", "Exam"),
                ("project", "Project"),
                ("portfolio", "Portfolio"),
                ("simulation", "Simulation"),
                ("observation", "Observation"),
            ],
        ),
        (
            Facet::DeliveryMode,
            &[
                ("online", "Online"),
                ("on-campus", "On campus"),
                ("hybrid", "Hybrid"),
            ],
        ),
    ];
    for (facet, list) in plain {
        for (rank, (code, label)) in list.iter().enumerate() {
            terms.push(Term::new(facet, code, label, rank as i32 + 1));
        }
    }
    for t in &terms {
        taxonomy::put_term(tx, t)?;
    }
    for s in nace() {
        taxonomy::put_skill(tx, &s)?;
    }
    taxonomy::set_policy(tx, &PolicySet::shipped())?;
    record(
        tx,
        actor,
        "taxonomy",
        "defaults",
        "create",
        None::<()>,
        Some(&Taxonomy {
            terms,
            skills: nace(),
        }),
    )?;
    Ok(())
}

impl Workspace {
    pub fn taxonomy(&self) -> Result<Taxonomy> {
        self.read(|c| {
            Ok(Taxonomy {
                terms: taxonomy::terms(c)?,
                skills: taxonomy::skills(c)?,
            })
        })
    }

    /// Adds or edits a term (by facet and code); retiring is editing `retired`.
    pub fn put_term(&self, by: Option<Id>, term: &Term) -> Result<Term> {
        check_term(term)?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = taxonomy::term_by_code(tx, term.facet, &term.code)?;
            taxonomy::put_term(tx, term)?;
            let action = if before.is_some() { "update" } else { "create" };
            record(
                tx,
                actor,
                "taxonomy_term",
                &term.code,
                action,
                before,
                Some(term),
            )?;
            Ok(term.clone())
        })
    }

    /// Imports a skills framework from CSV (header `code,name,description[,url]`): every
    /// row or none, each problem named by its line. Existing skills of the framework with the
    /// same code are updated.
    pub fn import_skills_csv(
        &self,
        by: Option<Id>,
        framework: &str,
        csv_text: &str,
    ) -> Result<usize> {
        let skills = formats::skills::parse(framework, csv_text)?;
        let framework = framework.trim();
        self.write(by, Need::Coordinator, |tx, actor| {
            for s in &skills {
                taxonomy::put_skill(tx, s)?;
            }
            record(
                tx,
                actor,
                "skills",
                framework,
                "import",
                None::<()>,
                Some(&skills),
            )?;
            Ok(skills.len())
        })
    }

    /// Adds or updates every term and skill of an exported taxonomy, in one transaction.
    pub fn import_taxonomy(&self, by: Option<Id>, json: &str) -> Result<usize> {
        let file = formats::taxonomy::parse(json)?;
        let t = Taxonomy {
            terms: file.terms,
            skills: file.skills,
        };
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = Taxonomy {
                terms: taxonomy::terms(tx)?,
                skills: taxonomy::skills(tx)?,
            };
            for term in &t.terms {
                taxonomy::put_term(tx, term)?;
            }
            for s in &t.skills {
                taxonomy::put_skill(tx, s)?;
            }
            record(
                tx,
                actor,
                "taxonomy",
                "import",
                "import",
                Some(&before),
                Some(&t),
            )?;
            Ok(t.terms.len() + t.skills.len())
        })
    }

    pub fn pathways(&self) -> Result<Vec<Pathway>> {
        self.read(|c| Ok(taxonomy::pathways(c)?))
    }

    /// Creates (id 0) or edits a pathway, refusing one that would contain itself.
    pub fn put_pathway(&self, by: Option<Id>, pathway: &Pathway) -> Result<Pathway> {
        if pathway.name.trim().is_empty() {
            return Err(AppError::field("name", "must not be empty"));
        }
        self.write(by, Need::Coordinator, |tx, actor| {
            let others: Vec<Pathway> = taxonomy::pathways(tx)?
                .into_iter()
                .filter(|p| p.id != pathway.id)
                .collect();
            if others.iter().any(|p| p.name == pathway.name.trim()) {
                return Err(AppError::field(
                    "name",
                    format!("a pathway is already called {}", pathway.name.trim()),
                ));
            }
            for part in &pathway.parts {
                let exists = match part {
                    PathwayPart::Credential(id) => repo::get(tx, *id)?.is_some(),
                    PathwayPart::Pathway(id) => others.iter().any(|p| p.id == *id),
                };
                if !exists {
                    return Err(AppError::field("parts", format!("{part:?} does not exist")));
                }
            }
            // A new pathway cannot be referenced yet, so its cycle check uses a placeholder id.
            let mut candidate = pathway.clone();
            candidate.name = pathway.name.trim().to_string();
            if candidate.id == 0 {
                candidate.id = -1;
            }
            check_pathway(&candidate, &others)?;
            let before = others.iter().find(|p| p.id == pathway.id).cloned();
            candidate.id = taxonomy::put_pathway(
                tx,
                &Pathway {
                    id: pathway.id,
                    ..candidate.clone()
                },
            )?;
            let action = if pathway.id == 0 { "create" } else { "update" };
            record(
                tx,
                actor,
                "pathway",
                &candidate.id.to_string(),
                action,
                before,
                Some(&candidate),
            )?;
            Ok(candidate)
        })
    }
}
