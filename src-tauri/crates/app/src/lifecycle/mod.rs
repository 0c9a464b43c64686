//! The microcredential after approval, as its own record: its status (Active, Suspended,
//! Teach-out, Retired), its versions (each with the case that approved it and the date it
//! took effect) and when it is next due for review. This module is the one place a
//! microcredential's status changes, and it names the effect of each change: activation
//! assigns the slug and records version 1; suspending closes issuing, resuming reopens it.
//! Review acts call it; it never calls back into review. What a decided case does is named
//! in [`case_decided`]: a new microcredential's activation, a change's next version
//! ([`change`]), a termination's teach-out ([`termination`]). A case is submitted, accepted
//! (entering its review route, `route`), returned or withdrawn in `case`.

mod case;
pub mod change;
pub(crate) mod route;
pub mod termination;

use credence_domain::case::CaseKind;
use credence_domain::lifecycle::{LifecycleEvent, MicrocredentialStatus, ReviewOutcome};
use credence_domain::person::Role;
use credence_domain::proposal::{ProposalContent, ProposalStatus};
use credence_domain::Id;
use credence_store::audit::Actor;
use credence_store::issuing as store;
use credence_store::{people, sql::Sql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kernel::clock::{now, today};
use crate::kernel::{record, Need};
use crate::{AppError, ErrorKind, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// One microcredential as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MicrocredentialSummary {
    pub slug: String,
    pub title: String,
    pub status: MicrocredentialStatus,
    /// The version in effect now.
    #[ts(type = "number")]
    pub version: i64,
}

/// A version of a microcredential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VersionView {
    #[ts(type = "number")]
    pub number: i64,
    /// The day it took effect (YYYY-MM-DD).
    pub effective_from: String,
    /// The case whose decision approved it.
    #[ts(type = "number")]
    pub case: Id,
    /// Awards issued under it (revoked ones included).
    #[ts(type = "number")]
    pub awards: i64,
    /// The one awards are issued under today (the last one, once retired).
    pub in_effect: bool,
    /// Approved, waiting for its effective date.
    pub pending: bool,
}

/// A microcredential's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MicrocredentialView {
    #[ts(type = "number")]
    pub proposal_id: Id,
    pub slug: String,
    pub title: String,
    pub status: MicrocredentialStatus,
    /// When the status began (YYYY-MM-DD).
    pub status_since: Option<String>,
    /// Why (a suspension's reason).
    pub status_reason: Option<String>,
    pub teach_out_until: Option<String>,
    #[ts(type = "number")]
    pub version: i64,
    pub versions: Vec<VersionView>,
    /// The current version's effective date (or the last review, if later) plus its review
    /// cycle, when it has one.
    pub next_review_due: Option<String>,
    /// The day the last periodic review renewed it.
    pub last_reviewed_on: Option<String>,
    /// Whether the periodic review is due (its date has come).
    pub review_due: bool,
    /// What a periodic review looks at, computed from the awards.
    pub figures: ReviewFigures,
    /// Every case about it, oldest first: the proposal that created it, its change and
    /// termination requests.
    pub cases: Vec<CaseLine>,
    /// Those still open.
    pub open_cases: Vec<CaseLine>,
    /// Pathways that include it, directly or through another pathway (by name); a retired
    /// microcredential stays in them, shown retired.
    pub pathways: Vec<String>,
    /// What the person asking may do now (the backend decides).
    pub may_start_change: bool,
    pub may_request_termination: bool,
    /// A coordinator may end a teach-out early.
    pub may_end_teach_out: bool,
    pub may_suspend: bool,
    pub may_resume: bool,
    pub may_record_review: bool,
}

/// A periodic review recorded: the microcredential after it, and the case it opened (a
/// change or a termination request), if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewRecorded {
    pub microcredential: MicrocredentialView,
    #[ts(type = "number | null")]
    pub case: Option<Id>,
}

/// A case about a microcredential, as its timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseLine {
    #[ts(type = "number")]
    pub id: Id,
    pub kind: CaseKind,
    pub status: ProposalStatus,
    pub title: String,
    pub created_at: String,
    /// Not yet decided and applied, rejected or withdrawn.
    pub open: bool,
}

/// What a periodic review looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewFigures {
    /// Awards issued per calendar year (revoked ones included), oldest first.
    pub awards_per_year: Vec<YearCount>,
    /// Revocations by reason, most frequent first.
    pub revocations: Vec<ReasonCount>,
    /// Versions that took effect since the last review (all of them, before a first).
    #[ts(type = "number")]
    pub versions_since_review: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct YearCount {
    pub year: String,
    #[ts(type = "number")]
    pub awards: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReasonCount {
    pub reason: String,
    #[ts(type = "number")]
    pub count: i64,
}

/// A microcredential's periodic review, as `review-cycle list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewCycle {
    pub slug: String,
    pub title: String,
    pub status: MicrocredentialStatus,
    pub last_reviewed_on: Option<String>,
    pub next_review_due: Option<String>,
    pub due: bool,
}

/// The status today: a teach-out whose last day has passed reads as retired.
pub(crate) fn status_of(row: &store::LifeRow) -> Result<MicrocredentialStatus> {
    let stored = MicrocredentialStatus::parse(&row.status).ok_or_else(|| {
        AppError::new(
            ErrorKind::Internal,
            format!(
                "microcredential {} has an unknown status {:?}",
                row.slug, row.status
            ),
        )
    })?;
    Ok(stored.on(row.teach_out_until.as_deref(), &today()))
}

/// Since when `row` has had the status `status_of` gives it.
fn status_since(row: &store::LifeRow, status: MicrocredentialStatus) -> Option<String> {
    if status == MicrocredentialStatus::Retired && row.status != status.key() {
        // Retired by the end of its teach-out: the day after.
        let until = row.teach_out_until.as_deref()?;
        let day = chrono::NaiveDate::parse_from_str(until, "%Y-%m-%d").ok()?;
        return Some((day + chrono::Days::new(1)).to_string());
    }
    row.status_since.clone()
}

/// The version in effect today (the latest whose day has come; before any has, the first)
/// and its frozen content.
pub(crate) fn in_effect(conn: &dyn Sql, microcredential: Id) -> Result<(i64, ProposalContent)> {
    let versions = store::versions(conn, microcredential)?;
    let day = today();
    let v = versions
        .iter()
        .rev()
        .find(|v| v.effective_from <= day)
        .or(versions.first())
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::Internal,
                format!("microcredential {microcredential} has no version"),
            )
        })?;
    Ok((v.number, version_content(conn, microcredential, v)?))
}

/// A version's content: frozen with it, or (for a version an earlier build recorded without
/// it) its case's history.
pub(crate) fn version_content(
    conn: &dyn Sql,
    microcredential: Id,
    v: &store::VersionRow,
) -> Result<ProposalContent> {
    if let Some(c) = store::version_content(conn, microcredential, v.number)? {
        return Ok(c);
    }
    Ok(
        credence_store::proposals::version(conn, v.case_id, v.number)?
            .map(|(_, c)| c)
            .or(credence_store::proposals::get(conn, v.case_id)?.map(|p| p.content))
            .unwrap_or_default(),
    )
}

fn find(conn: &dyn Sql, microcredential: &str) -> Result<store::LifeRow> {
    let id = match store::proposal_by_slug(conn, microcredential)? {
        Some(id) => Some(id),
        None => microcredential.parse::<Id>().ok(),
    };
    id.map(|id| store::life(conn, id))
        .transpose()?
        .flatten()
        .ok_or_else(|| {
            AppError::field(
                "microcredential",
                format!(
                    "there is no microcredential \"{microcredential}\" (see microcredential list)"
                ),
            )
        })
}

/// The effect of a case whose route has ended in approval, by its kind, for its audit entry.
pub(crate) fn case_decided(
    tx: &dyn Sql,
    actor: &Actor,
    p: &credence_store::proposals::StoredProposal,
) -> Result<serde_json::Value> {
    match p.kind {
        CaseKind::New => {
            activate(tx, p.id, &p.content, p.version)?;
            Ok(serde_json::json!({"microcredential": p.id, "version": p.version}))
        }
        CaseKind::Change => change::take_effect(tx, p),
        CaseKind::Termination => termination::take_effect(tx, actor, p),
    }
}

/// Why a change or termination request cannot be opened for `view` now (its `may_…` flag
/// was false): one is open already, the microcredential is past it, or the person asking
/// does not speak for it.
pub(crate) fn cannot_open(view: &MicrocredentialView, kind: CaseKind) -> AppError {
    let open = view
        .open_cases
        .iter()
        .find(|c| c.kind == kind)
        .map(|c| c.id);
    let live = matches!(
        view.status,
        MicrocredentialStatus::Active | MicrocredentialStatus::Suspended
    );
    let (done, why) = match (kind, open) {
        (CaseKind::Change, Some(id)) => ("changed", format!("change request {id} is open for it")),
        (_, Some(id)) => ("terminated", format!("termination request {id} is open")),
        (CaseKind::Change, None) if live => (
            "changed",
            "only its unit's proposers and coordinators start changes".into(),
        ),
        (_, None) if live => (
            "terminated",
            "only its unit's proposers and coordinators request its termination".into(),
        ),
        (CaseKind::Change, None) => ("changed", format!("it is {}", view.status.label())),
        (_, None) => ("terminated", format!("it is {}", view.status.label())),
    };
    AppError::field(
        "microcredential",
        format!("\"{}\" cannot be {done} now: {why}", view.title),
    )
}

/// The route a case takes: its kind's (and for a change, its level's).
pub(crate) fn route_case(
    conn: &dyn Sql,
    p: &credence_store::proposals::StoredProposal,
) -> Result<credence_domain::case::RouteCase> {
    use credence_domain::case::RouteCase;
    Ok(match p.kind {
        CaseKind::New => RouteCase::New,
        CaseKind::Change => change::route_case(conn, p)?,
        CaseKind::Termination => RouteCase::Termination,
    })
}

/// The effects of a proposal's activation: its slug, version `version` in effect from today,
/// approved by the proposal's own case, and the status Active.
pub(crate) fn activate(
    tx: &dyn Sql,
    proposal: Id,
    content: &ProposalContent,
    version: i64,
) -> Result<()> {
    assign_slug(tx, proposal, &content.title)?;
    store::insert_version(tx, proposal, version, &today(), proposal, content)?;
    store::set_life(
        tx,
        proposal,
        MicrocredentialStatus::Active.key(),
        &today(),
        None,
        None,
    )?;
    Ok(())
}

/// A microcredential that existed before Credence, made retired from the start (an Open
/// Badges 2.0 badge class with no microcredential of its own): a case approved by no route,
/// its one version in effect from `effective_from` (the day its earliest award was made), no
/// longer awarded, `reason` saying where it came from. Its slug is returned.
pub(crate) fn archive_imported(
    tx: &dyn Sql,
    by: Option<Id>,
    content: &ProposalContent,
    effective_from: &str,
    reason: &str,
) -> Result<(Id, String)> {
    let id = credence_store::proposals::insert(tx, content, by)?;
    credence_store::proposals::set_status(tx, id, ProposalStatus::Active, Some(by))?;
    assign_slug(tx, id, &content.title)?;
    store::insert_version(tx, id, 1, effective_from, id, content)?;
    store::set_life(
        tx,
        id,
        MicrocredentialStatus::Retired.key(),
        &today(),
        Some(reason),
        None,
    )?;
    let slug = store::slug_of(tx, id)?.unwrap_or_default();
    Ok((id, slug))
}

/// Refuses awarding a microcredential that is not active or in teach-out, saying why and
/// since when.
pub(crate) fn check_awardable(conn: &dyn Sql, proposal: Id) -> Result<()> {
    let Some(row) = store::life(conn, proposal)? else {
        return Ok(());
    };
    let status = status_of(&row)?;
    if status.may_award() {
        return Ok(());
    }
    let since = status_since(&row, status);
    let since = since.as_deref().unwrap_or("an earlier day");
    let why = row
        .status_reason
        .as_deref()
        .map(|r| format!(": {r}"))
        .unwrap_or_default();
    Err(AppError::field(
        "credential",
        format!(
            "\"{}\" is {} since {since}{why}; it cannot be awarded",
            row.title,
            status.label()
        ),
    ))
}

/// The pathways that include a microcredential, directly or through another pathway (by
/// name, in the order they were made).
pub(crate) fn pathways_holding(conn: &dyn Sql, m: Id) -> Result<Vec<String>> {
    use credence_domain::taxonomy::PathwayPart;
    // Pathways that hold it, then those that hold those, until none is added.
    let all = credence_store::taxonomy::pathways(conn)?;
    let mut holding: Vec<&credence_domain::taxonomy::Pathway> = Vec::new();
    loop {
        let before = holding.len();
        for p in &all {
            let holds = p.parts.iter().any(|part| match part {
                PathwayPart::Credential(id) => *id == m,
                PathwayPart::Pathway(id) => holding.iter().any(|h| h.id == *id),
            });
            if holds && !holding.iter().any(|h| h.id == p.id) {
                holding.push(p);
            }
        }
        if holding.len() == before {
            break;
        }
    }
    Ok(holding.into_iter().map(|p| p.name.clone()).collect())
}

fn view(conn: &dyn Sql, row: store::LifeRow, by: Option<Id>) -> Result<MicrocredentialView> {
    let status = status_of(&row)?;
    let awards: std::collections::HashMap<i64, i64> =
        store::awards_per_version(conn, row.proposal_id)?
            .into_iter()
            .collect();
    let stored = store::versions(conn, row.proposal_id)?;
    let (number, content) = in_effect(conn, row.proposal_id)?;
    let day = today();
    let versions: Vec<VersionView> = stored
        .iter()
        .map(|v| VersionView {
            awards: awards.get(&v.number).copied().unwrap_or(0),
            number: v.number,
            effective_from: v.effective_from.clone(),
            case: v.case_id,
            in_effect: v.number == number,
            pending: v.effective_from > day,
        })
        .collect();
    let current = versions.iter().find(|v| v.number == number);
    // A retired microcredential is reviewed no more.
    let (next_review_due, review_due) = current.map_or((None, false), |v| {
        review_dates(
            status,
            &v.effective_from,
            row.last_reviewed_on.as_deref(),
            content.review_cycle_years,
        )
    });
    let cases: Vec<CaseLine> = credence_store::cases::of_microcredential(conn, row.proposal_id)?
        .into_iter()
        .map(|c| CaseLine {
            id: c.id,
            kind: c.kind,
            open: !c.status.is_final(),
            status: c.status,
            title: c.title,
            created_at: c.created_at,
        })
        .collect();
    let open_of = |k: CaseKind| cases.iter().any(|c| c.kind == k && c.open);
    let actor = by.map(|id| people::get(conn, id)).transpose()?.flatten();
    let coordinator = actor
        .as_ref()
        .is_some_and(|p| p.has_role(Role::Coordinator));
    let speaks = actor
        .as_ref()
        .is_some_and(|p| crate::proposals::speaks_for(p, None, content.unit_id));
    let live = matches!(
        status,
        MicrocredentialStatus::Active | MicrocredentialStatus::Suspended
    );
    let may_start_change = speaks && live && !open_of(CaseKind::Change);
    let may_request_termination = speaks && live && !open_of(CaseKind::Termination);
    let (years, reasons) = store::award_figures(conn, row.proposal_id)?;
    let figures = ReviewFigures {
        awards_per_year: years
            .into_iter()
            .map(|(year, awards)| YearCount { year, awards })
            .collect(),
        revocations: reasons
            .into_iter()
            .map(|(reason, count)| ReasonCount { reason, count })
            .collect(),
        versions_since_review: versions
            .iter()
            .filter(|v| {
                row.last_reviewed_on
                    .as_deref()
                    .is_none_or(|r| v.effective_from.as_str() > r)
            })
            .count() as i64,
    };
    let since = status_since(&row, status);
    Ok(MicrocredentialView {
        proposal_id: row.proposal_id,
        version: current.map(|v| v.number).unwrap_or(0),
        slug: row.slug,
        title: row.title,
        may_suspend: coordinator && status == MicrocredentialStatus::Active,
        may_resume: coordinator && status == MicrocredentialStatus::Suspended,
        may_record_review: coordinator
            && status != MicrocredentialStatus::Retired
            && next_review_due.is_some(),
        last_reviewed_on: row.last_reviewed_on.clone(),
        review_due,
        figures,
        status,
        status_since: since,
        status_reason: row.status_reason,
        teach_out_until: row.teach_out_until,
        versions,
        next_review_due,
        open_cases: cases.iter().filter(|c| c.open).cloned().collect(),
        cases,
        pathways: pathways_holding(conn, row.proposal_id)?,
        may_start_change,
        may_request_termination,
        may_end_teach_out: coordinator && status == MicrocredentialStatus::TeachOut,
    })
}

pub(crate) fn transition(
    tx: &dyn Sql,
    actor: &Actor,
    row: &store::LifeRow,
    event: &LifecycleEvent,
) -> Result<()> {
    let before = status_of(row)?;
    let after = before.apply(event)?;
    let (reason, until) = match event {
        LifecycleEvent::Suspend { reason } => (Some(reason.trim()), None),
        LifecycleEvent::BeginTeachOut { until } => (None, Some(until.as_str())),
        LifecycleEvent::Resume | LifecycleEvent::Retire => (None, None),
    };
    store::set_life(tx, row.proposal_id, after.key(), &today(), reason, until)?;
    record(
        tx,
        actor,
        "microcredential",
        &row.proposal_id.to_string(),
        match event {
            LifecycleEvent::Suspend { .. } => "suspend",
            LifecycleEvent::Resume => "resume",
            LifecycleEvent::BeginTeachOut { .. } => "teach_out",
            LifecycleEvent::Retire => "retire",
        },
        Some(
            &serde_json::json!({"status": before, "since": row.status_since, "reason": row.status_reason}),
        ),
        Some(
            &serde_json::json!({"status": after, "since": today(), "reason": reason, "teach_out_until": until, "at": now()}),
        ),
    )
}

/// What lists of every microcredential show of one: its status, the version in effect and
/// its review dates.
pub(crate) struct Brief {
    pub row: store::LifeRow,
    pub status: MicrocredentialStatus,
    pub version: i64,
    pub next_review_due: Option<String>,
    pub review_due: bool,
}

/// The next review's day (none once retired, or with no cycle) and whether it has come.
fn review_dates(
    status: MicrocredentialStatus,
    effective_from: &str,
    last_reviewed_on: Option<&str>,
    cycle_years: Option<u32>,
) -> (Option<String>, bool) {
    if status == MicrocredentialStatus::Retired {
        return (None, false);
    }
    let next =
        credence_domain::lifecycle::next_review(effective_from, last_reviewed_on, cycle_years);
    let due = next.as_deref().is_some_and(|d| d <= today().as_str());
    (next, due)
}

/// Every microcredential in brief, by title: two queries whatever their number (on a
/// server each query is a round trip, so lists never ask one microcredential at a time).
/// With `due_only`, only those whose periodic review may have come: a cycle is a whole
/// number of years, so one that took effect, or was last reviewed, within the last year
/// cannot be due and is not read (the dates of the rest are worked out exactly).
pub(crate) fn briefs(conn: &dyn Sql, due_only: bool) -> Result<Vec<Brief>> {
    let day = today();
    // A year back, and two days' margin for month ends (29 February plus a year).
    let year_ago = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_sub_months(chrono::Months::new(12)))
        .map(|d| (d + chrono::Days::new(2)).to_string());
    let bound = year_ago.as_deref().filter(|_| due_only);
    let mut current: std::collections::HashMap<Id, store::InEffect> =
        store::versions_in_effect(conn, &day, bound)?
            .into_iter()
            .map(|v| (v.proposal_id, v))
            .collect();
    let lives = match bound {
        // Nothing took effect long enough ago: nothing can be due.
        Some(_) if current.is_empty() => Vec::new(),
        Some(b) => store::lives_reviewed_by(conn, b)?,
        None => store::lives(conn)?,
    };
    let mut out = Vec::new();
    for row in lives {
        let Some(in_effect) = current.remove(&row.proposal_id) else {
            // Only a list of candidates leaves some out; every microcredential has a version.
            if bound.is_some() {
                continue;
            }
            return Err(AppError::new(
                ErrorKind::Internal,
                format!("microcredential {} has no version", row.proposal_id),
            ));
        };
        let status = status_of(&row)?;
        let v = in_effect.version;
        // A version an earlier build recorded without its content: its case's history.
        let cycle_years = match in_effect.review_cycle_years {
            Some(years) => years,
            None => version_content(conn, row.proposal_id, &v)?.review_cycle_years,
        };
        let (next_review_due, review_due) = review_dates(
            status,
            &v.effective_from,
            row.last_reviewed_on.as_deref(),
            cycle_years,
        );
        out.push(Brief {
            row,
            status,
            version: v.number,
            next_review_due,
            review_due,
        });
    }
    Ok(out)
}

/// Each microcredential's periodic review, soonest first (those without a cycle last);
/// `due_only` keeps those whose date has come.
pub(crate) fn review_cycles(
    conn: &dyn Sql,
    due_only: bool,
) -> Result<Vec<(store::LifeRow, ReviewCycle)>> {
    let mut out = Vec::new();
    for b in briefs(conn, due_only)? {
        if b.status == MicrocredentialStatus::Retired || (due_only && !b.review_due) {
            continue;
        }
        out.push((
            b.row.clone(),
            ReviewCycle {
                slug: b.row.slug,
                title: b.row.title,
                status: b.status,
                last_reviewed_on: b.row.last_reviewed_on,
                next_review_due: b.next_review_due,
                due: b.review_due,
            },
        ));
    }
    out.sort_by(|a, b| {
        (a.1.next_review_due.is_none(), &a.1.next_review_due)
            .cmp(&(b.1.next_review_due.is_none(), &b.1.next_review_due))
    });
    Ok(out)
}

impl Workspace {
    /// Each microcredential's periodic review, soonest first; `due_only` keeps those due.
    pub fn review_cycles(&self, due_only: bool) -> Result<Vec<ReviewCycle>> {
        self.read(|c| {
            Ok(review_cycles(c, due_only)?
                .into_iter()
                .map(|(_, r)| r)
                .collect())
        })
    }

    /// Records a periodic review whose outcome is Renewed (coordinators): the next review
    /// falls one cycle from today. The figures the review looked at are kept in the audit
    /// entry with the note.
    pub fn record_review(
        &self,
        by: Option<Id>,
        microcredential: &str,
        note: &str,
    ) -> Result<MicrocredentialView> {
        Ok(self
            .record_review_outcome(by, microcredential, note, &ReviewOutcome::Renewed)?
            .microcredential)
    }

    /// Records a periodic review (coordinators) and what it decided, in one write: Renewed,
    /// Change required (a change request opened, its rationale the review's finding) or
    /// Sunset (a termination request opened, its reason the finding). Either way the review
    /// is done today; the figures it looked at are kept in the audit entry with the note.
    pub fn record_review_outcome(
        &self,
        by: Option<Id>,
        microcredential: &str,
        note: &str,
        outcome: &ReviewOutcome,
    ) -> Result<ReviewRecorded> {
        let note = note.trim();
        if note.is_empty() {
            return Err(AppError::field("note", "say what the review found"));
        }
        let finding = format!("Periodic review: {note}");
        outcome.check(&today())?;
        if let ReviewOutcome::Sunset {
            teach_out_until,
            last_intake_on,
        } = outcome
        {
            credence_domain::case::check_termination(
                &credence_domain::case::TerminationDetails {
                    reason: finding.clone(),
                    last_intake_on: last_intake_on.clone(),
                    teach_out_until: teach_out_until.clone(),
                },
                &today(),
            )?;
        }
        self.write(by, Need::Coordinator, |tx, actor| {
            let row = find(tx, microcredential)?;
            let before = view(tx, row.clone(), actor.id)?;
            if !before.may_record_review {
                return Err(AppError::field(
                    "microcredential",
                    format!(
                        "\"{}\" has no periodic review to record ({}, {})",
                        before.title,
                        before.status.label(),
                        if before.next_review_due.is_some() { "a review cycle set" } else { "no review cycle set" }
                    ),
                ));
            }
            store::set_reviewed(tx, row.proposal_id, &today())?;
            record(
                tx,
                actor,
                "microcredential",
                &row.proposal_id.to_string(),
                &format!("review_{}", outcome.key()),
                Some(&serde_json::json!({"last_reviewed_on": before.last_reviewed_on, "next_review_due": before.next_review_due})),
                Some(&serde_json::json!({"outcome": outcome, "note": note, "reviewed_on": today(), "figures": before.figures})),
            )?;
            let slug = row.proposal_id.to_string();
            let case = match outcome {
                ReviewOutcome::Renewed => None,
                ReviewOutcome::ChangeRequired { due_on } => {
                    Some(change::start(tx, actor, &slug, Some(&finding), Some(due_on))?)
                }
                ReviewOutcome::Sunset {
                    teach_out_until,
                    last_intake_on,
                } => Some(termination::request_in(
                    tx,
                    actor,
                    &slug,
                    &credence_domain::case::TerminationDetails {
                        reason: finding.clone(),
                        last_intake_on: last_intake_on.clone(),
                        teach_out_until: teach_out_until.clone(),
                    },
                )?),
            };
            Ok(ReviewRecorded {
                microcredential: view(tx, find(tx, &slug)?, actor.id)?,
                case,
            })
        })
    }

    /// The demo's history: a microcredential's version `number` took effect `days` ago
    /// (audited as demo data), so a periodic review can have come due and awards can have
    /// been made under an earlier version.
    pub(crate) fn backdate_demo_version(
        &self,
        by: Option<Id>,
        microcredential: &str,
        number: i64,
        days: u64,
    ) -> Result<()> {
        self.write(by, Need::Coordinator, |tx, actor| {
            let row = find(tx, microcredential)?;
            let on = (chrono::Utc::now().date_naive() - chrono::Days::new(days)).to_string();
            store::set_version_effective(tx, row.proposal_id, number, &on)?;
            record(
                tx,
                actor,
                "demo",
                "microcredential",
                "backdate",
                None::<()>,
                Some(&serde_json::json!({"microcredential": row.slug, "version": number, "effective_from": on})),
            )
        })
    }

    /// Every microcredential with its status and the version in effect.
    pub fn microcredential_list(&self) -> Result<Vec<MicrocredentialSummary>> {
        self.read(|c| {
            Ok(briefs(c, false)?
                .into_iter()
                .map(|b| MicrocredentialSummary {
                    slug: b.row.slug,
                    title: b.row.title,
                    status: b.status,
                    version: b.version,
                })
                .collect())
        })
    }

    /// One microcredential (by slug or id), as `by` may act on it.
    pub fn microcredential(
        &self,
        by: Option<Id>,
        microcredential: &str,
    ) -> Result<MicrocredentialView> {
        self.read(|c| {
            let row = find(c, microcredential)?;
            view(c, row, by)
        })
    }

    /// Pauses issuing (coordinators), with the reason every refusal will give.
    pub fn suspend(
        &self,
        by: Option<Id>,
        microcredential: &str,
        reason: &str,
    ) -> Result<MicrocredentialView> {
        self.lifecycle(
            by,
            microcredential,
            LifecycleEvent::Suspend {
                reason: reason.into(),
            },
        )
    }

    /// Ends a teach-out early (coordinators), when every enrolled learner has finished:
    /// retired from today. A microcredential is only retired after a decided termination.
    pub fn end_teach_out(
        &self,
        by: Option<Id>,
        microcredential: &str,
    ) -> Result<MicrocredentialView> {
        self.write(by, Need::Coordinator, |tx, actor| {
            let row = find(tx, microcredential)?;
            let status = status_of(&row)?;
            if status != MicrocredentialStatus::TeachOut {
                return Err(AppError::field(
                    "microcredential",
                    format!(
                        "\"{}\" is {}: only a teach-out is ended early (a microcredential is retired by a decided termination request)",
                        row.title,
                        status.label()
                    ),
                ));
            }
            transition(tx, actor, &row, &LifecycleEvent::Retire)?;
            view(tx, find(tx, &row.proposal_id.to_string())?, actor.id)
        })
    }

    /// Issues again after a suspension (coordinators).
    pub fn resume(&self, by: Option<Id>, microcredential: &str) -> Result<MicrocredentialView> {
        self.lifecycle(by, microcredential, LifecycleEvent::Resume)
    }

    fn lifecycle(
        &self,
        by: Option<Id>,
        microcredential: &str,
        event: LifecycleEvent,
    ) -> Result<MicrocredentialView> {
        self.write(by, Need::Coordinator, |tx, actor| {
            let row = find(tx, microcredential)?;
            transition(tx, actor, &row, &event)?;
            let row = find(tx, &row.proposal_id.to_string())?;
            view(tx, row, actor.id)
        })
    }
}

fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.chars().take(60).collect();
    match slug.trim_end_matches('-') {
        "" => "microcredential".into(),
        trimmed => trimmed.to_string(),
    }
}

/// Gives an activated proposal its slug (the title's, made unique), once.
pub(crate) fn assign_slug(tx: &dyn Sql, proposal: Id, title: &str) -> Result<()> {
    if credence_store::issuing::slug_of(tx, proposal)?.is_some() {
        return Ok(());
    }
    let base = slugify(title);
    let mut slug = base.clone();
    let mut n = 2;
    while credence_store::issuing::slug_taken(tx, &slug)? {
        slug = format!("{base}-{n}");
        n += 1;
    }
    credence_store::issuing::insert_slug(tx, proposal, &slug)?;
    Ok(())
}
