//! Termination: a case that asks to end a microcredential, with the impact Credence computes
//! when it is made; decided on its route, it puts the microcredential in teach-out (awards
//! still allowed until the teach-out's last day) and retired after it. Every award it made
//! stays valid; the record is archived, never deleted.

use credence_domain::case::{self, CaseKind, TerminationDetails};
use credence_domain::lifecycle::LifecycleEvent;
use credence_domain::proposal::{ProposalEvent, ProposalStatus};
use credence_domain::Id;
use credence_store::cases as store;
use credence_store::proposals::{self as repo, StoredProposal};
use credence_store::sql::Sql;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{find, in_effect, transition};
use crate::kernel::clock::today;
use crate::kernel::{record, Need};
use crate::proposals::load;
use crate::{AppError, ErrorKind, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// Days back that count as "recent" awards in an impact report.
pub const RECENT_DAYS: u64 = 90;

/// What ending a microcredential touches, computed by Credence when the termination is
/// requested (and kept with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TerminationImpact {
    /// Pathways that include it, directly or through another pathway (by name).
    pub pathways: Vec<String>,
    /// Awards issued (all stay valid), of them revoked, and issued in the last
    /// [`RECENT_DAYS`] days.
    #[ts(type = "number")]
    pub awards: i64,
    #[ts(type = "number")]
    pub revoked: i64,
    #[ts(type = "number")]
    pub recent_awards: i64,
    pub last_awarded_on: Option<String>,
    /// Other cases about it still open (a change request, say), as "case N (kind, status)".
    pub open_cases: Vec<String>,
}

/// A termination request as its page and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TerminationView {
    #[ts(type = "number")]
    pub case_id: Id,
    pub status: ProposalStatus,
    pub microcredential: String,
    pub title: String,
    pub details: TerminationDetails,
    pub impact: TerminationImpact,
}

fn impact(conn: &dyn Sql, m: Id) -> Result<TerminationImpact> {
    let since = (chrono::Utc::now().date_naive() - chrono::Days::new(RECENT_DAYS)).to_string();
    let (awards, revoked, recent_awards, last_awarded_on) =
        credence_store::issuing::award_counts(conn, m, &since)?;
    let open_cases = store::of_microcredential(conn, m)?
        .into_iter()
        .filter(|c| !c.status.is_final())
        .map(|c| format!("case {} ({}, {})", c.id, c.kind.label(), c.status.label()))
        .collect();
    Ok(TerminationImpact {
        pathways: super::pathways_holding(conn, m)?,
        awards,
        revoked,
        recent_awards,
        last_awarded_on,
        open_cases,
    })
}

type Request = (StoredProposal, TerminationDetails, TerminationImpact);

fn request(conn: &dyn Sql, case: Id) -> Result<Request> {
    let p = load(conn, case)?;
    let row = store::termination(conn, case)?.filter(|_| p.kind == CaseKind::Termination);
    let (details, impact) = row.ok_or_else(|| {
        AppError::field(
            "case",
            format!(
                "case {case} is not a termination request (see `credence cases --kind termination`)"
            ),
        )
    })?;
    let impact = serde_json::from_value(impact)
        .map_err(|e| AppError::new(ErrorKind::Internal, format!("termination {case}: {e}")))?;
    Ok((p, details, impact))
}

fn termination_view(conn: &dyn Sql, case: Id) -> Result<TerminationView> {
    let (p, details, impact) = request(conn, case)?;
    let m = p.microcredential_id.unwrap_or_default();
    Ok(TerminationView {
        case_id: case,
        status: p.status,
        microcredential: credence_store::issuing::slug_of(conn, m)?.unwrap_or_default(),
        title: p.content.title,
        details,
        impact,
    })
}

/// The effect of an approved termination: the microcredential enters teach-out until the
/// day the request set (and reads as retired from the day after).
pub(crate) fn take_effect(
    tx: &dyn Sql,
    actor: &credence_store::audit::Actor,
    p: &StoredProposal,
) -> Result<serde_json::Value> {
    let (p, details, _) = request(tx, p.id)?;
    let m = p.microcredential_id.unwrap_or_default();
    let life = find(tx, &m.to_string())?;
    transition(
        tx,
        actor,
        &life,
        &LifecycleEvent::BeginTeachOut {
            until: details.teach_out_until.clone(),
        },
    )?;
    Ok(serde_json::json!({"microcredential": m, "teach_out_until": details.teach_out_until}))
}

/// Opens a termination request in `tx` (see `Workspace::request_termination`; `details`
/// already checked). Returns the case.
pub(crate) fn request_in(
    tx: &dyn Sql,
    actor: &credence_store::audit::Actor,
    microcredential: &str,
    details: &TerminationDetails,
) -> Result<Id> {
    let life = find(tx, microcredential)?;
    let m = life.proposal_id;
    let view = super::view(tx, life.clone(), actor.id)?;
    if !view.may_request_termination {
        return Err(super::cannot_open(&view, CaseKind::Termination));
    }
    let impact = impact(tx, m)?;
    let (_, content) = in_effect(tx, m)?;
    let case = repo::insert_case(tx, CaseKind::Termination, Some(m), &content, actor.id)?;
    let impact_json = serde_json::to_value(&impact)
        .map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
    store::insert_termination(tx, case, details, &impact_json)?;
    // Nothing to draft: the request is submitted as it is made (its content frozen
    // as the case's first version, like a submitted proposal's).
    let next = ProposalStatus::Draft.apply(&ProposalEvent::Submit)?;
    repo::set_status(tx, case, next, Some(actor.id))?;
    record(
        tx,
        actor,
        "proposal",
        &case.to_string(),
        "request_termination",
        None::<()>,
        Some(
            &serde_json::json!({"kind": "termination", "microcredential": view.slug, "details": details, "impact": impact, "status": next}),
        ),
    )?;
    Ok(case)
}

impl Workspace {
    /// Requests a microcredential's termination (its unit's proposers and coordinators):
    /// a case, submitted at once, carrying the reason, the dates and the impact report.
    pub fn request_termination(
        &self,
        by: Option<Id>,
        microcredential: &str,
        details: &TerminationDetails,
    ) -> Result<TerminationView> {
        let details = TerminationDetails {
            reason: details.reason.trim().to_string(),
            last_intake_on: details
                .last_intake_on
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(String::from),
            teach_out_until: details.teach_out_until.trim().to_string(),
        };
        case::check_termination(&details, &today())?;
        self.write(by, Need::Person, |tx, actor| {
            let case = request_in(tx, actor, microcredential, &details)?;
            termination_view(tx, case)
        })
    }

    pub fn termination_request(&self, case: Id) -> Result<TerminationView> {
        self.read(|c| termination_view(c, case))
    }

    /// What terminating a microcredential would touch now, before anyone requests it.
    pub fn termination_impact(&self, microcredential: &str) -> Result<TerminationImpact> {
        self.read(|c| {
            let life = find(c, microcredential)?;
            impact(c, life.proposal_id)
        })
    }
}
