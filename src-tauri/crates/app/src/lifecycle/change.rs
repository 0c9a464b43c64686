//! Change requests: a case that starts from an active microcredential's newest version, is
//! triaged by rule (which fields changed decide minor or major), runs the route
//! its level picks, and on approval becomes the microcredential's next version, in effect
//! from the first day of its effective term (until then, issuing uses the version before).

use credence_domain::case::{self, CaseKind, ChangeDetails, RouteCase};
use credence_domain::diff::{ChangeLevel, Diff, TriageRules};
use credence_domain::person::Role;
use credence_domain::proposal::{ProposalContent, ProposalStatus};
use credence_domain::Id;
use credence_store::cases as store;
use credence_store::proposals::{self as repo, StoredProposal};
use credence_store::{people, sql::Sql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::find;
use crate::kernel::clock::today;
use crate::kernel::{record, Need};
use crate::proposals::{load, may_author};
use crate::{AppError, ErrorKind, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// A change request as its page, the CLI and the agenda show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChangeView {
    #[ts(type = "number")]
    pub case_id: Id,
    pub status: ProposalStatus,
    /// The microcredential it changes.
    pub microcredential: String,
    pub title: String,
    /// The version its draft started from.
    #[ts(type = "number")]
    pub base_version: i64,
    /// The number it will have once approved.
    #[ts(type = "number")]
    pub next_version: i64,
    pub details: ChangeDetails,
    /// Field by field against the base version, with the level the triage rules give.
    pub diff: Diff,
    /// The level it goes forward at (the coordinator's, when set; else the rules').
    pub level: Option<ChangeLevel>,
    /// Set by a coordinator, with the reason when lowered.
    pub level_set: Option<ChangeLevel>,
    pub level_reason: Option<String>,
    /// The first day of the effective term, when one is chosen.
    pub effective_from: Option<String>,
    /// When a periodic review required the change: the day it is due (decided) by, as a
    /// condition of that review.
    pub due_on: Option<String>,
    /// What the person asking may do now (the backend decides).
    pub may_edit: bool,
    pub may_set_level: bool,
}

fn request(conn: &dyn Sql, case: Id) -> Result<(StoredProposal, store::ChangeRow)> {
    let p = load(conn, case)?;
    let row = store::change(conn, case)?.filter(|_| p.kind == CaseKind::Change);
    let row = row.ok_or_else(|| {
        AppError::field(
            "case",
            format!("case {case} is not a change request (see `credence cases --kind change`)"),
        )
    })?;
    Ok((p, row))
}

fn base(conn: &dyn Sql, p: &StoredProposal, row: &store::ChangeRow) -> Result<ProposalContent> {
    let m = microcredential_of(p)?;
    let v = credence_store::issuing::versions(conn, m)?
        .into_iter()
        .find(|v| v.number == row.base_version)
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::Internal,
                format!("change request {} starts from a missing version", p.id),
            )
        })?;
    super::version_content(conn, m, &v)
}

fn microcredential_of(p: &StoredProposal) -> Result<Id> {
    p.microcredential_id.ok_or_else(|| {
        AppError::new(
            ErrorKind::Internal,
            format!("case {} names no microcredential", p.id),
        )
    })
}

fn term_start(conn: &dyn Sql, code: Option<&str>) -> Result<Option<String>> {
    let Some(code) = code else { return Ok(None) };
    Ok(credence_store::calendar::terms(conn)?
        .into_iter()
        .find(|t| t.code == code)
        .map(|t| t.starts_on))
}

/// The differences from the base version and the level the rules give.
fn triage(conn: &dyn Sql, p: &StoredProposal, row: &store::ChangeRow) -> Result<Diff> {
    Ok(credence_domain::diff::diff(
        &base(conn, p, row)?,
        &p.content,
        &TriageRules::default(),
    ))
}

fn change_view(conn: &dyn Sql, case: Id, by: Option<Id>) -> Result<ChangeView> {
    let (p, row) = request(conn, case)?;
    let m = microcredential_of(&p)?;
    let diff = triage(conn, &p, &row)?;
    let next_version = credence_store::issuing::versions(conn, m)?
        .last()
        .map_or(1, |v| v.number + 1);
    let actor = by.map(|id| people::get(conn, id)).transpose()?.flatten();
    let coordinator = actor
        .as_ref()
        .is_some_and(|a| a.has_role(Role::Coordinator));
    let author = actor
        .as_ref()
        .is_some_and(|a| crate::proposals::speaks_for(a, p.created_by, p.content.unit_id));
    let undecided = matches!(p.status, ProposalStatus::Draft | ProposalStatus::Submitted);
    Ok(ChangeView {
        case_id: case,
        status: p.status,
        microcredential: credence_store::issuing::slug_of(conn, m)?.unwrap_or_default(),
        title: p.content.title.clone(),
        base_version: row.base_version,
        next_version,
        level: case::effective_level(diff.level, row.level),
        level_set: row.level,
        level_reason: row.level_reason,
        due_on: row.due_on,
        effective_from: term_start(conn, row.details.effective_term.as_deref())?,
        details: row.details,
        diff,
        may_edit: author && p.status == ProposalStatus::Draft,
        may_set_level: coordinator && undecided,
    })
}

/// The route a change request takes: its level's.
pub(crate) fn route_case(conn: &dyn Sql, p: &StoredProposal) -> Result<RouteCase> {
    let (p, row) = request(conn, p.id)?;
    let diff = triage(conn, &p, &row)?;
    Ok(RouteCase::of(
        CaseKind::Change,
        case::effective_level(diff.level, row.level),
    ))
}

/// Whether a change request may be submitted: its details complete, something changed, and
/// not so much that it is another microcredential.
pub(crate) fn check_submit(conn: &dyn Sql, p: &StoredProposal) -> Result<()> {
    let (p, row) = request(conn, p.id)?;
    let diff = triage(conn, &p, &row)?;
    case::check_change_submission(&row.details, case::effective_level(diff.level, row.level))?;
    Ok(())
}

/// The effect of an approved change: the microcredential's next version, frozen with the
/// case's content, in effect from its term's first day (today, if that has passed).
pub(crate) fn take_effect(tx: &dyn Sql, p: &StoredProposal) -> Result<serde_json::Value> {
    let (p, row) = request(tx, p.id)?;
    let m = microcredential_of(&p)?;
    let versions = credence_store::issuing::versions(tx, m)?;
    let number = versions.last().map_or(1, |v| v.number + 1);
    // Its term's first day; never before today, nor before the version it follows.
    let from = [
        term_start(tx, row.details.effective_term.as_deref())?,
        Some(today()),
        versions.last().map(|v| v.effective_from.clone()),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or_else(today);
    credence_store::issuing::insert_version(tx, m, number, &from, p.id, &p.content)?;
    Ok(serde_json::json!({
        "microcredential": m,
        "version": number,
        "effective_from": from,
    }))
}

/// Opens a change request in `tx` (see `Workspace::start_change`), with its rationale
/// already given when something (a periodic review) asked for it. Returns the case.
pub(crate) fn start(
    tx: &dyn Sql,
    actor: &credence_store::audit::Actor,
    microcredential: &str,
    rationale: Option<&str>,
    due_on: Option<&str>,
) -> Result<Id> {
    let life = find(tx, microcredential)?;
    let m = life.proposal_id;
    let view = super::view(tx, life.clone(), actor.id)?;
    if !view.may_start_change {
        return Err(super::cannot_open(&view, CaseKind::Change));
    }
    // From the newest version: one approved for a later term included, so a change
    // after it builds on it rather than undoing it.
    let latest = credence_store::issuing::versions(tx, m)?
        .pop()
        .ok_or_else(|| AppError::new(ErrorKind::Internal, "a microcredential without a version"))?;
    let number = latest.number;
    let content = super::version_content(tx, m, &latest)?;
    let case = repo::insert_case(tx, CaseKind::Change, Some(m), &content, actor.id)?;
    store::insert_change(tx, case, number)?;
    record(
        tx,
        actor,
        "proposal",
        &case.to_string(),
        "start_change",
        None::<()>,
        Some(
            &serde_json::json!({"kind": "change", "microcredential": view.slug, "base_version": number, "rationale": rationale, "due_on": due_on}),
        ),
    )?;
    if let Some(due_on) = due_on {
        store::set_change_due(tx, case, due_on)?;
    }
    if let Some(rationale) = rationale {
        store::set_change_details(
            tx,
            case,
            &ChangeDetails {
                rationale: rationale.to_string(),
                ..Default::default()
            },
        )?;
    }
    Ok(case)
}

impl Workspace {
    /// Starts a change request for an active (or suspended) microcredential: a draft whose
    /// content is its newest version. Its unit's proposers and coordinators; one open
    /// change request at a time.
    pub fn start_change(&self, by: Option<Id>, microcredential: &str) -> Result<ChangeView> {
        self.write(by, Need::Person, |tx, actor| {
            let case = start(tx, actor, microcredential, None, None)?;
            change_view(tx, case, actor.id)
        })
    }

    /// A change request: its details, its difference from the version it started from and
    /// its level.
    pub fn change_request(&self, by: Option<Id>, case: Id) -> Result<ChangeView> {
        self.read(|c| change_view(c, case, by))
    }

    /// Saves why, from when and how learners are told (while a draft, by its authors).
    pub fn set_change_details(
        &self,
        by: Option<Id>,
        case: Id,
        details: &ChangeDetails,
    ) -> Result<ChangeView> {
        self.write(by, Need::Person, |tx, actor| {
            let (p, before) = request(tx, case)?;
            may_author(tx, actor, &p)?;
            if p.status != ProposalStatus::Draft {
                return Err(AppError::field(
                    "status",
                    format!(
                        "a {} change request is read-only; only drafts are edited",
                        p.status.label()
                    ),
                ));
            }
            let details = ChangeDetails {
                rationale: details.rationale.trim().to_string(),
                effective_term: details
                    .effective_term
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from),
                learner_notice: details.learner_notice.trim().to_string(),
            };
            if let Some(code) = details.effective_term.as_deref() {
                let terms = credence_store::calendar::terms(tx)?;
                match terms.iter().find(|t| t.code == code) {
                    None => {
                        let known: Vec<&str> = terms.iter().map(|t| t.code.as_str()).collect();
                        return Err(AppError::field(
                            "effective_term",
                            if known.is_empty() {
                                format!("there is no term \"{code}\": the academic calendar is empty (Settings > Academic calendar)")
                            } else {
                                format!("there is no term \"{code}\" (terms: {})", known.join(", "))
                            },
                        ));
                    }
                    Some(t) if t.ends_on < today() => {
                        return Err(AppError::field(
                            "effective_term",
                            format!("{} ended on {}", t.name, t.ends_on),
                        ))
                    }
                    Some(_) => {}
                }
            }
            if details == before.details {
                return change_view(tx, case, actor.id);
            }
            store::set_change_details(tx, case, &details)?;
            record(
                tx,
                actor,
                "proposal",
                &case.to_string(),
                "change_details",
                Some(&before.details),
                Some(&details),
            )?;
            change_view(tx, case, actor.id)
        })
    }

    /// Sets the level a change request goes forward at (coordinators, before it is on its
    /// route): raising it needs no reason, lowering it below the rules' does.
    pub fn set_change_level(
        &self,
        by: Option<Id>,
        case: Id,
        level: ChangeLevel,
        reason: Option<&str>,
    ) -> Result<ChangeView> {
        self.write(by, Need::Coordinator, |tx, actor| {
            let (p, before) = request(tx, case)?;
            if !matches!(p.status, ProposalStatus::Draft | ProposalStatus::Submitted) {
                return Err(AppError::field(
                    "status",
                    format!(
                        "change request {case} is {}: its level was settled when it entered its route",
                        p.status.label()
                    ),
                ));
            }
            let computed = triage(tx, &p, &before)?.level;
            let level = case::settle_level(computed, level, reason)?;
            let reason = reason.map(str::trim).filter(|r| !r.is_empty());
            store::set_change_level(tx, case, level, reason)?;
            record(
                tx,
                actor,
                "proposal",
                &case.to_string(),
                "change_level",
                Some(&serde_json::json!({"computed": computed, "level": before.level, "reason": before.level_reason})),
                Some(&serde_json::json!({"computed": computed, "level": level, "reason": reason})),
            )?;
            change_view(tx, case, actor.id)
        })
    }
}
