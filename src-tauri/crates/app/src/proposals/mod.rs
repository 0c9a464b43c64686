//! A case's content: the policy set and its live check, drafts and their frozen versions,
//! who may author a case, the cases list, and the difference between versions. A case's
//! status moves in `lifecycle` (submitting, accepting, entering its route).

pub mod attachments;
pub mod csv;

use credence_domain::case::CaseKind;
use credence_domain::formats;
use credence_domain::policy::{Finding, PolicyContext, PolicySet, RuleKind, Severity};
use credence_domain::proposal::{
    similarity, ProposalContent, ProposalSort, ProposalStatus, SIMILAR_AT,
};
use credence_domain::taxonomy::Facet;
use credence_domain::{DomainError, FieldError, Id};
use credence_store::audit::Actor;
use credence_store::proposals::{self as repo, ProposalFilter};
use credence_store::{people, sql::Sql, taxonomy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kernel::{record, Need};
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// A proposal with what the window shows beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProposalView {
    #[ts(type = "number")]
    pub id: Id,
    /// A new microcredential's proposal, a change request or a termination request.
    pub kind: CaseKind,
    /// The microcredential a change or termination concerns.
    #[ts(type = "number | null")]
    pub microcredential_id: Option<Id>,
    pub status: ProposalStatus,
    pub content: ProposalContent,
    #[ts(type = "number | null")]
    pub created_by: Option<Id>,
    pub created_at: String,
    pub updated_at: String,
    /// The last frozen version (0: never submitted).
    #[ts(type = "number")]
    pub version: i64,
    /// Whether the proposal has reached an end (active, rejected, withdrawn).
    pub final_state: bool,
}

/// One row of the proposals list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProposalSummary {
    #[ts(type = "number")]
    pub id: Id,
    pub kind: CaseKind,
    pub status: ProposalStatus,
    pub title: String,
    #[ts(type = "number | null")]
    pub unit_id: Option<Id>,
    pub category: Option<String>,
    pub level: Option<String>,
    pub credit_status: Option<String>,
    pub updated_at: String,
    #[ts(type = "number")]
    pub version: i64,
}

/// The differences between two versions of a proposal (`to: None`: the draft being revised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VersionDiff {
    #[ts(type = "number")]
    pub proposal_id: Id,
    #[ts(type = "number")]
    pub from: i64,
    #[ts(type = "number | null")]
    pub to: Option<i64>,
    pub diff: credence_domain::diff::Diff,
}

/// Which proposals to list; every filter runs in SQL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProposalQuery {
    /// Only cases of this kind.
    pub kind: Option<CaseKind>,
    pub status: Option<ProposalStatus>,
    #[ts(type = "number | null")]
    pub unit_id: Option<Id>,
    pub category: Option<String>,
    pub level: Option<String>,
    pub credit_status: Option<String>,
    pub search: Option<String>,
    pub sort: Option<ProposalSort>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProposalPage {
    pub rows: Vec<ProposalSummary>,
    #[ts(type = "number")]
    pub total: u64,
}

/// An existing proposal that looks like the one being drafted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SimilarProposal {
    #[ts(type = "number")]
    pub id: Id,
    pub title: String,
}

/// The live check shown beside the proposal form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProposalCheck {
    pub findings: Vec<Finding>,
    pub similar: Vec<SimilarProposal>,
}

impl ProposalCheck {
    pub fn blocking(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Blocking)
    }
}

fn check_policy(p: &PolicySet) -> std::result::Result<(), DomainError> {
    let mut fields = Vec::new();
    for (i, r) in p.rules.iter().enumerate() {
        let bad = match r.rule {
            RuleKind::CreditRange { min, max } => {
                (min < 0.0 || min > max).then_some("min must be at least 0 and at most max")
            }
            RuleKind::ReviewCycle {
                min_years,
                max_years,
            } => (min_years == 0 || min_years > max_years)
                .then_some("min_years must be at least 1 and at most max_years"),
            RuleKind::MinimumOutcomes { count } => {
                (count == 0).then_some("count must be at least 1")
            }
            _ => None,
        };
        if let Some(m) = bad {
            fields.push(FieldError::new(
                format!("rules[{i}].rule"),
                format!("{}: {m}", r.id),
            ));
        }
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(fields))
    }
}

/// Checks what a save would store and returns it in normal form (language tags as Open
/// Badges writes them).
fn check_content(c: &ProposalContent) -> std::result::Result<ProposalContent, DomainError> {
    let mut c = c.clone();
    let mut fields = credence_domain::proposal::normalize_languages(&mut c);
    if c.title.trim().is_empty() {
        fields.push(FieldError::new("title", "must not be empty"));
    } else if c.title.chars().count() > 200 {
        fields.push(FieldError::new("title", "must be at most 200 characters"));
    }
    for (name, v) in [
        ("workload.credits", c.workload.credits),
        ("workload.ects", c.workload.ects),
        ("workload.hours", c.workload.hours),
    ] {
        if v.is_some_and(|v| !v.is_finite() || v < 0.0) {
            fields.push(FieldError::new(name, "must be a positive number"));
        }
    }
    if fields.is_empty() {
        Ok(c)
    } else {
        Err(DomainError::Invalid(fields))
    }
}

pub(crate) fn evaluate(
    conn: &dyn Sql,
    content: &ProposalContent,
    except: Option<Id>,
) -> Result<ProposalCheck> {
    let terms = taxonomy::terms(conn)?;
    let skills = taxonomy::skills(conn)?;
    let policy = taxonomy::policy(conn)?.unwrap_or_else(PolicySet::shipped);
    let eu_opt_in = false; // The institution setting arrives with the EU elements of credentials.
    let mut findings = policy.evaluate(
        content,
        &PolicyContext {
            terms: &terms,
            skills: &skills,
            eu_opt_in,
        },
    );
    // Not an institution's rule but what a translation is: it never leaves a text out.
    let gaps = credence_domain::proposal::translation_gaps(content);
    let at = findings
        .iter()
        .take_while(|f| f.severity == Severity::Blocking)
        .count();
    findings.splice(
        at..at,
        gaps.into_iter().map(|(field, message)| Finding {
            rule_id: "translations".into(),
            severity: Severity::Blocking,
            field,
            message,
        }),
    );
    // Full-text search finds candidates; word overlap decides which are alike enough.
    // Title words, and the rarest-looking (longest) outcome words: common words would match
    // nearly every proposal and make the check slow without making it better.
    let mut outcome_words: Vec<&str> = content
        .outcomes
        .iter()
        .flat_map(|o| o.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() > 5)
        .collect();
    outcome_words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    outcome_words.dedup();
    outcome_words.truncate(6);
    let text = format!("{} {}", content.title, outcome_words.join(" "));
    // A change request is like its own microcredential and that one's other cases by design.
    let family = match except {
        Some(id) => repo::get(conn, id)?.and_then(|p| p.microcredential_id),
        None => None,
    };
    let mut similar = Vec::new();
    for other in repo::similar(conn, &text, except, 20)? {
        if family.is_some_and(|m| other.id == m || other.microcredential_id == Some(m)) {
            continue;
        }
        if similarity(content, &other.content) >= SIMILAR_AT {
            similar.push(SimilarProposal {
                id: other.id,
                title: other.title,
            });
        }
    }
    similar.truncate(5);
    Ok(ProposalCheck { findings, similar })
}

pub(crate) fn view(p: repo::StoredProposal) -> ProposalView {
    ProposalView {
        id: p.id,
        kind: p.kind,
        microcredential_id: p.microcredential_id,
        status: p.status,
        content: p.content,
        created_by: p.created_by,
        created_at: p.created_at,
        updated_at: p.updated_at,
        version: p.version,
        final_state: p.status.is_final(),
    }
}

pub(crate) fn load(conn: &dyn Sql, id: Id) -> Result<repo::StoredProposal> {
    repo::get(conn, id)?.ok_or_else(|| AppError::not_found(format!("there is no proposal {id}")))
}

/// Whether `person` speaks for a case or a microcredential of `unit` created by `created_by`:
/// its author, a proposer of its unit, or a coordinator. (Who edits, submits or withdraws a
/// case; who starts a change or requests a termination.)
pub(crate) fn speaks_for(
    person: &credence_domain::person::Person,
    created_by: Option<Id>,
    unit: Option<Id>,
) -> bool {
    use credence_domain::person::Role;
    created_by == Some(person.id)
        || (person.has_role(Role::Proposer) && person.unit_id.is_some() && person.unit_id == unit)
        || person.has_role(Role::Coordinator)
}

/// Who may edit, submit or withdraw: its author, a proposer of its unit, or a coordinator.
pub(crate) fn may_author(conn: &dyn Sql, actor: &Actor, p: &repo::StoredProposal) -> Result<()> {
    let person = actor.id.and_then(|id| people::get(conn, id).ok().flatten());
    let Some(person) = person else {
        return Err(AppError::forbidden(
            "choose who is acting before working on proposals",
        ));
    };
    if speaks_for(&person, p.created_by, p.content.unit_id) {
        Ok(())
    } else {
        Err(AppError::forbidden(format!(
            "{} is not a proposer of this proposal's unit",
            person.name
        )))
    }
}

impl Workspace {
    pub fn policy(&self) -> Result<PolicySet> {
        self.read(|c| Ok(taxonomy::policy(c)?.unwrap_or_else(PolicySet::shipped)))
    }

    pub fn set_policy(&self, by: Option<Id>, policy: &PolicySet) -> Result<PolicySet> {
        self.set_policy_over(by, policy, None)
    }

    /// As [`Workspace::set_policy`], over the policies as the page read them (`seen`): if
    /// another seat changed them since, nothing is saved and the refusal names who did.
    pub fn set_policy_over(
        &self,
        by: Option<Id>,
        policy: &PolicySet,
        seen: Option<&PolicySet>,
    ) -> Result<PolicySet> {
        check_policy(policy)?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = taxonomy::policy(tx)?;
            let stored = before.clone().unwrap_or_else(PolicySet::shipped);
            crate::kernel::unchanged_since(tx, "the policies", "policy_set", "1", &stored, seen)?;
            taxonomy::set_policy(tx, policy)?;
            record(tx, actor, "policy_set", "1", "update", before, Some(policy))?;
            Ok(policy.clone())
        })
    }

    /// The live policy and duplication check of a draft (writes nothing).
    pub fn check_proposal(
        &self,
        id: Option<Id>,
        content: &ProposalContent,
    ) -> Result<ProposalCheck> {
        self.read(|c| evaluate(c, content, id))
    }

    pub fn create_proposal(
        &self,
        by: Option<Id>,
        content: &ProposalContent,
    ) -> Result<ProposalView> {
        let content = &check_content(content)?;
        self.write(by, Need::Person, |tx, actor| {
            if let Some(unit) = content.unit_id {
                if credence_store::units::get(tx, unit)?.is_none() {
                    return Err(AppError::field(
                        "unit_id",
                        format!("there is no unit with id {unit}"),
                    ));
                }
            }
            let problems = crate::proposals::attachments::file_problems(tx, content)?;
            if !problems.is_empty() {
                return Err(DomainError::Invalid(problems).into());
            }
            let id = repo::insert(tx, content, actor.id)?;
            let created = load(tx, id)?;
            record(
                tx,
                actor,
                "proposal",
                &id.to_string(),
                "create",
                None::<()>,
                Some(&created.content),
            )?;
            Ok(view(created))
        })
    }

    /// A new draft with only its title; every other field starts empty.
    pub fn new_proposal(&self, by: Option<Id>, title: &str) -> Result<ProposalView> {
        self.create_proposal(
            by,
            &ProposalContent {
                title: title.to_string(),
                ..Default::default()
            },
        )
    }

    /// Saves a draft's content (the form saves as the proposer types).
    pub fn save_draft(
        &self,
        by: Option<Id>,
        id: Id,
        content: &ProposalContent,
    ) -> Result<ProposalView> {
        self.save_draft_over(by, id, content, None)
    }

    /// As [`Workspace::save_draft`], over the draft as it was when `base` (its `updated_at`)
    /// was read: if anyone has saved it since (another seat, another window), nothing is
    /// saved and the refusal names who changed it and when, never overwriting their work.
    pub fn save_draft_over(
        &self,
        by: Option<Id>,
        id: Id,
        content: &ProposalContent,
        base: Option<&str>,
    ) -> Result<ProposalView> {
        let content = &check_content(content)?;
        self.write(by, Need::Person, |tx, actor| {
            let before = load(tx, id)?;
            may_author(tx, actor, &before)?;
            crate::kernel::unchanged_since(
                tx,
                "this proposal",
                "proposal",
                &id.to_string(),
                before.updated_at.as_str(),
                base,
            )?;
            if before.status != ProposalStatus::Draft {
                return Err(AppError::field(
                    "status",
                    format!(
                        "a {} proposal is read-only; only drafts are edited",
                        before.status.label()
                    ),
                ));
            }
            // Attachments and the custom badge change only through their own use cases; a
            // form that was open while a file was attached must not drop it.
            let content = &ProposalContent {
                attachments: before.content.attachments.clone(),
                custom_badge: before.content.custom_badge.clone(),
                ..content.clone()
            };
            if before.content == *content {
                return Ok(view(before));
            }
            repo::update_content(tx, id, content)?;
            record(
                tx,
                actor,
                "proposal",
                &id.to_string(),
                "save_draft",
                Some(&before.content),
                Some(content),
            )?;
            Ok(view(load(tx, id)?))
        })
    }

    pub fn proposal(&self, id: Id) -> Result<ProposalView> {
        self.read(|c| Ok(view(load(c, id)?)))
    }

    /// A frozen version, read-only.
    pub fn proposal_version(&self, id: Id, version: i64) -> Result<ProposalContent> {
        self.read(|c| {
            repo::version(c, id, version)?
                .map(|(_, content)| content)
                .ok_or_else(|| {
                    AppError::not_found(format!("proposal {id} has no version {version}"))
                })
        })
    }

    /// What changed between two versions of a proposal, field by field and item by item,
    /// and how big the change is under the triage rules. Without `from` and `to`: a draft
    /// being revised against its last version, else the last version against the one
    /// before.
    pub fn proposal_diff(&self, id: Id, from: Option<i64>, to: Option<i64>) -> Result<VersionDiff> {
        self.read(|c| {
            let p = load(c, id)?;
            let version = |n: i64| -> Result<ProposalContent> {
                repo::version(c, id, n)?
                    .map(|(_, content)| content)
                    .ok_or_else(|| {
                        AppError::field("version", format!("proposal {id} has no version {n}"))
                    })
            };
            if p.version == 0 {
                return Err(AppError::field(
                    "version",
                    format!("proposal {id} has no version yet: it was never submitted"),
                ));
            }
            let latest = version(p.version)?;
            let (from_n, before, to_n, after) = match (from, to) {
                (None, None) if latest != p.content => (p.version, latest, None, p.content),
                (None, None) if p.version >= 2 => (
                    p.version - 1,
                    version(p.version - 1)?,
                    Some(p.version),
                    latest,
                ),
                (None, None) => (p.version, latest.clone(), Some(p.version), latest),
                (Some(f), None) => (f, version(f)?, None, p.content),
                (f, Some(t)) => {
                    let f = f.unwrap_or(t - 1);
                    (f, version(f)?, Some(t), version(t)?)
                }
            };
            Ok(VersionDiff {
                proposal_id: id,
                from: from_n,
                to: to_n,
                diff: credence_domain::diff::diff(
                    &before,
                    &after,
                    &credence_domain::diff::TriageRules::default(),
                ),
            })
        })
    }

    pub fn proposals(&self, q: &ProposalQuery) -> Result<ProposalPage> {
        let filter = ProposalFilter {
            kind: q.kind,
            status: q.status,
            unit_id: q.unit_id,
            category: q.category.clone(),
            level: q.level.clone(),
            credit_status: q.credit_status.clone(),
            text: q.search.clone().filter(|s| !s.trim().is_empty()),
            sort: q.sort.unwrap_or_default(),
            limit: q.limit.unwrap_or(100).clamp(1, 1000),
            offset: q.offset.unwrap_or(0),
        };
        self.read(|c| {
            let (rows, total) = repo::list(c, &filter)?;
            Ok(ProposalPage {
                total,
                rows: rows
                    .into_iter()
                    .map(|r| ProposalSummary {
                        id: r.id,
                        kind: r.kind,
                        status: r.status,
                        title: r.title,
                        unit_id: r.unit_id,
                        category: r.category,
                        level: r.level,
                        credit_status: r.credit_status,
                        updated_at: r.updated_at,
                        version: r.version,
                    })
                    .collect(),
            })
        })
    }

    /// Imports the JSON that `export_proposals` writes (an array of proposal contents): all
    /// of it, or nothing, with each problem named by its row and field.
    pub fn import_proposals_json(&self, by: Option<Id>, json: &str) -> Result<Vec<Id>> {
        let read = formats::proposals::parse_json(json)?;
        let rows: Vec<(usize, ProposalContent)> =
            read.rows.into_iter().map(|(n, c, _)| (n, c)).collect();
        self.import_rows(by, &rows, read.problems)
    }

    /// Every proposal's content, in the form `import_proposals_json` reads.
    pub fn export_proposals(&self) -> Result<Vec<ProposalContent>> {
        self.read(|c| {
            let (rows, _) = repo::list(
                c,
                &ProposalFilter {
                    limit: u32::MAX,
                    ..Default::default()
                },
            )?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows.into_iter().rev() {
                out.push(load(c, r.id)?.content);
            }
            Ok(out)
        })
    }

    /// Creates every proposal in `contents`, or none: each problem is listed with its row.
    pub fn import_proposals(
        &self,
        by: Option<Id>,
        contents: &[ProposalContent],
    ) -> Result<Vec<Id>> {
        let rows: Vec<(usize, ProposalContent)> = contents
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, c)| (i + 1, c))
            .collect();
        self.import_rows(by, &rows, Vec::new())
    }

    /// Imports numbered rows, adding their problems to those already found; writes nothing
    /// unless there are none at all.
    pub(crate) fn import_rows(
        &self,
        by: Option<Id>,
        contents: &[(usize, ProposalContent)],
        mut problems: Vec<FieldError>,
    ) -> Result<Vec<Id>> {
        let mut normal = Vec::with_capacity(contents.len());
        for (row, c) in contents {
            match check_content(c) {
                Ok(c) => normal.push((*row, c)),
                Err(DomainError::Invalid(fields)) => problems.extend(
                    fields
                        .into_iter()
                        .map(|f| FieldError::new(format!("row {row}: {}", f.field), f.message)),
                ),
            }
        }
        let contents = &normal;
        self.write(by, Need::Person, |tx, actor| {
            let skills = taxonomy::skills(tx)?;
            let terms = taxonomy::terms(tx)?;
            for (row, c) in contents {
                if let Some(unit) = c.unit_id {
                    if credence_store::units::get(tx, unit)?.is_none() {
                        problems.push(FieldError::new(
                            format!("row {row}: unit_id"),
                            format!("there is no unit with id {unit}"),
                        ));
                    }
                }
                problems.extend(
                    crate::proposals::attachments::file_problems(tx, c)?
                        .into_iter()
                        .map(|f| FieldError::new(format!("row {row}: {}", f.field), f.message)),
                );
                for s in &c.skills {
                    let known = s.split_once(':').is_some_and(|(f, code)| {
                        skills.iter().any(|k| k.framework == f && k.code == code)
                    });
                    if !known {
                        problems.push(FieldError::new(
                            format!("row {row}: skills"),
                            format!("there is no skill {s} (framework:code)"),
                        ));
                    }
                }
                for (field, facet, value) in [
                    ("category", Facet::Category, &c.category),
                    ("level", Facet::Level, &c.level),
                    ("credit_status", Facet::CreditStatus, &c.credit_status),
                ] {
                    if let Some(code) = value {
                        if !terms.iter().any(|t| t.facet == facet && &t.code == code) {
                            problems.push(FieldError::new(
                                format!("row {row}: {field}"),
                                format!("there is no {field} \"{code}\" in the taxonomy"),
                            ));
                        }
                    }
                }
            }
            if !problems.is_empty() {
                problems.sort_by_key(|f| {
                    let n: usize = f
                        .field
                        .trim_start_matches("row ")
                        .split(':')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                    n
                });
                return Err(DomainError::Invalid(std::mem::take(&mut problems)).into());
            }
            let mut ids = Vec::new();
            for (_, c) in contents {
                let id = repo::insert(tx, c, actor.id)?;
                record(
                    tx,
                    actor,
                    "proposal",
                    &id.to_string(),
                    "import",
                    None::<()>,
                    Some(c),
                )?;
                ids.push(id);
            }
            Ok(ids)
        })
    }
}
