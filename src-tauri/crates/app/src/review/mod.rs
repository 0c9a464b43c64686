//! Committee review use cases: the routes' configuration, sign-offs, the committee, meetings, motions
//! and votes, decisions with conditions, and the signed statement behind every vote,
//! sign-off and decision.
//!
//! Every signed act takes the actor's passphrase, opens their sealed Ed25519 key, signs the
//! JCS form of a [`Statement`], and stores statement, signature and public key in the
//! audit entry written in the same transaction. `verify_statements` checks them all again and
//! compares each stored vote with what its voter signed.

pub mod deliberation;

use credence_domain::meeting::{
    ConditionStatus, MeetingEvent, MeetingStatus, MotionEvent, MotionStatus,
};
use credence_domain::person::{Person, Role};
use credence_domain::proposal::{ProposalContent, ProposalEvent, ProposalStatus};
use credence_domain::review::{
    self, Decision, Membership, Participation, Route, RouteStep, Statement, StepActors, StepKind,
    Tally, VoteChoice, VotingRules,
};
use credence_domain::{DomainError, FieldError, Id};
use credence_store::audit::Actor;
use credence_store::proposals as repo;
use credence_store::review as store;
use credence_store::{people, settings, sql::Sql, units};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kernel::clock::add_days;
use crate::kernel::clock::{now, today};
use crate::kernel::keys::{check_signature, sign, signing_key, Custody};
use crate::kernel::people::{actor_person, name_of, person};
use crate::kernel::refuse;
use crate::kernel::{record, Need};
use crate::lifecycle::route::{ensure_routes, enter, enter_route, shipped_routes};
use crate::proposals::load;
use crate::{AppError, ErrorKind, Workspace};
use std::collections::HashMap;

type Result<T> = std::result::Result<T, AppError>;

const RULES_KEY: &str = "voting_rules";

// ----- views -----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StepView {
    pub name: String,
    pub entered_at: String,
    pub due_on: String,
    pub left_at: Option<String>,
    pub outcome: Option<String>,
    /// Open past its due date.
    pub overdue: bool,
    /// Whole days spent in the step (so far, if open).
    #[ts(type = "number")]
    pub days: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConditionView {
    #[ts(type = "number")]
    pub id: Id,
    pub text: String,
    pub owner: String,
    pub due_on: String,
    pub met_at: Option<String>,
    pub met_note: Option<String>,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReviewView {
    #[ts(type = "number")]
    pub proposal_id: Id,
    pub status: ProposalStatus,
    pub route: Option<String>,
    pub steps: Vec<StepView>,
    /// The open step, and who may act on it.
    pub current: Option<String>,
    pub may_act: Vec<String>,
    /// Whether the open step is settled by sign-offs (`sign_off`), not at a meeting.
    pub signs_off: bool,
    pub conditions: Vec<ConditionView>,
    pub recused: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MemberView {
    pub person: Person,
    pub membership: Membership,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct VoteView {
    pub voter: String,
    pub choice: VoteChoice,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MotionView {
    #[ts(type = "number")]
    pub id: Id,
    #[ts(type = "number")]
    pub proposal_id: Id,
    pub proposal_title: String,
    pub decision: Decision,
    pub moved_by: String,
    pub seconded_by: String,
    pub status: MotionStatus,
    pub tally: Option<Tally>,
    pub votes: Vec<VoteView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AgendaItemView {
    #[ts(type = "number")]
    pub proposal_id: Id,
    pub title: String,
    pub unit: Option<String>,
    pub information_only: bool,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MeetingView {
    #[ts(type = "number")]
    pub id: Id,
    pub title: String,
    pub held_on: String,
    pub status: MeetingStatus,
    /// For an electronic vote: votes are taken until then (UTC, RFC 3339).
    pub deadline: Option<String>,
    pub agenda: Vec<AgendaItemView>,
    pub present: Vec<String>,
    /// The same people as `present`, by id.
    #[ts(type = "number[]")]
    pub present_ids: Vec<Id>,
    pub absent: Vec<String>,
    #[ts(type = "number")]
    pub voting_present: u32,
    #[ts(type = "number")]
    pub voting_seats: u32,
    pub rules: VotingRules,
    pub quorate: bool,
    /// Whether attendance may still be recorded: the meeting is not closed and no motion
    /// has been moved at it (attendance freezes with the first motion).
    pub attendance_open: bool,
    pub motions: Vec<MotionView>,
}

// ----- shipped routes -----

// ----- helpers -----

fn rules(conn: &dyn Sql) -> Result<VotingRules> {
    Ok(settings::get(conn, RULES_KEY)?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

/// The acting person, if they chair the committee or coordinate; refused otherwise.
fn chair_or_coordinator(conn: &dyn Sql, actor: &Actor) -> Result<Person> {
    let me = actor_person(conn, actor)?;
    if is_chair_or_coordinator(conn, &me)? {
        Ok(me)
    } else {
        Err(AppError::forbidden(format!(
            "{} is neither the chair nor a coordinator",
            me.name
        )))
    }
}

pub(crate) fn is_chair_or_coordinator(conn: &dyn Sql, p: &Person) -> Result<bool> {
    if p.has_role(Role::Coordinator) || p.has_role(Role::CommitteeChair) {
        return Ok(true);
    }
    let date = today();
    Ok(store::members(conn)?
        .iter()
        .any(|(_, m)| m.person_id == p.id && m.seat == review::Seat::Chair && m.serving_on(&date)))
}

/// The people a sign-off step names, for a proposal.
fn step_actors(
    conn: &dyn Sql,
    actors: &StepActors,
    content: &ProposalContent,
) -> Result<Vec<Person>> {
    actors_among(conn, &people::list(conn)?, actors, content)
}

/// [`step_actors`] among `everyone` (read once for many steps).
fn actors_among(
    conn: &dyn Sql,
    everyone: &[Person],
    actors: &StepActors,
    content: &ProposalContent,
) -> Result<Vec<Person>> {
    Ok(match actors {
        StepActors::Role { role } => everyone
            .iter()
            .filter(|p| p.has_role(*role))
            .cloned()
            .collect(),
        StepActors::Person { person_id } => everyone
            .iter()
            .filter(|p| p.id == *person_id)
            .cloned()
            .collect(),
        StepActors::People { person_ids } => everyone
            .iter()
            .filter(|p| person_ids.contains(&p.id))
            .cloned()
            .collect(),
        StepActors::UnitApprover | StepActors::ParentUnitApprover => {
            let mut unit = content.unit_id;
            if matches!(actors, StepActors::ParentUnitApprover) {
                unit = match unit {
                    Some(u) => units::get(conn, u)?.and_then(|u| u.parent_id),
                    None => None,
                };
            }
            everyone
                .iter()
                .filter(|p| p.has_role(Role::UnitApprover) && unit.is_some() && p.unit_id == unit)
                .cloned()
                .collect()
        }
    })
}

/// Members recused from a proposal: declared conflicts, members of the proposing unit, and
/// the member who proposed it. None of them moves, seconds or votes, and none counts in the
/// base of its vote.
pub(crate) fn recused(conn: &dyn Sql, p: &repo::StoredProposal) -> Result<Vec<(Id, String)>> {
    recused_among(conn, p, &member_list(conn)?, &people::list(conn)?)
}

/// [`recused`] with the committee and the people read once for many proposals.
fn recused_among(
    conn: &dyn Sql,
    p: &repo::StoredProposal,
    members: &[Membership],
    everyone: &[Person],
) -> Result<Vec<(Id, String)>> {
    let mut out = store::recusals(conn, p.id)?;
    for m in members {
        if out.iter().any(|(who, _)| *who == m.person_id) {
            continue;
        }
        if p.created_by == Some(m.person_id) {
            out.push((m.person_id, "the proposer".into()));
            continue;
        }
        let unit = match everyone.iter().find(|e| e.id == m.person_id) {
            Some(member) => member.unit_id,
            None => person(conn, m.person_id)?.unit_id,
        };
        if unit.is_some() && unit == p.content.unit_id {
            out.push((m.person_id, "a member of the proposing unit".into()));
        }
    }
    Ok(out)
}

/// The proposer of a proposal may not move or second a motion on it, even as a member.
fn proposer_may_not_move(conn: &dyn Sql, p: &repo::StoredProposal, who: Id) -> Result<()> {
    if p.created_by == Some(who) {
        return Err(AppError::forbidden(format!(
            "{} proposed this and cannot move or second on it",
            name_of(conn, who)
        )));
    }
    Ok(())
}

fn route_step(tx: &dyn Sql, step: &store::StepRow) -> Result<RouteStep> {
    let route = store::route(tx, step.route_id)?;
    step_in(route.as_slice(), step).cloned()
}

/// The route step a proposal's step is at, among `routes` (read once for many steps).
fn step_in<'a>(routes: &'a [Route], step: &store::StepRow) -> Result<&'a RouteStep> {
    routes
        .iter()
        .find(|r| r.id == step.route_id)
        .and_then(|r| r.steps.get(step.step_index))
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::Internal,
                format!("route {} lost its step {}", step.route_id, step.step_index),
            )
        })
}

// ----- signed statements -----

/// The outcome of checking every signed statement in the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatementReport {
    #[ts(type = "number")]
    pub checked: u64,
    /// One line per statement or record that does not hold.
    pub problems: Vec<String>,
}

/// Checks each signed statement (signature, and that the key belongs to the signer), then
/// compares every stored vote with the statement its voter signed.
pub(crate) fn verify_statements(conn: &dyn Sql) -> Result<StatementReport> {
    let custody = Custody::read(conn)?;
    let mut problems = custody.problems.clone();
    let mut checked = 0u64;
    let mut signed_votes: HashMap<Id, (Id, Id, VoteChoice)> = Default::default();
    let mut signed_claims: HashMap<Id, (Id, serde_json::Value)> = Default::default();
    let entries = credence_store::audit::signed_entries(conn)?;
    // Each statement's signature is checked on every core; what they record is then read in
    // order.
    let results = crate::kernel::parallel::map(&entries, |(seq, after)| {
        Ok((|| -> std::result::Result<Statement, String> {
            let v: serde_json::Value = serde_json::from_str(after).map_err(|e| e.to_string())?;
            let statement: Statement = serde_json::from_value(v["statement"].clone())
                .map_err(|e| format!("the statement cannot be read ({e})"))?;
            let public = v["public_key"].as_str().unwrap_or_default();
            if !custody.held(statement.signer_id, public, *seq) {
                return Err(format!(
                    "signed with a key that was not {}'s at the time",
                    statement.signer_name
                ));
            }
            check_signature(
                &statement,
                public,
                v["signature"].as_str().unwrap_or_default(),
            )?;
            Ok(statement)
        })())
    })?;
    for ((seq, _), problem) in entries.iter().zip(results) {
        let seq = *seq;
        checked += 1;
        match problem {
            Ok(s) => {
                if s.act == "vote" {
                    if let Some(id) = s.record.strip_prefix("vote:").and_then(|i| i.parse().ok()) {
                        let motion = s.content["motion"].as_i64().unwrap_or_default();
                        let choice = serde_json::from_value(s.content["choice"].clone())
                            .unwrap_or(VoteChoice::Abstain);
                        signed_votes.insert(id, (motion, s.signer_id, choice));
                    }
                }
                if s.act == "assess_prior_learning" {
                    if let Some(id) = s
                        .record
                        .strip_prefix("prior_learning:")
                        .and_then(|i| i.parse().ok())
                    {
                        signed_claims.insert(id, (s.signer_id, s.content["assessment"].clone()));
                    }
                }
            }
            Err(why) => problems.push(format!("audit entry {seq}: {why}")),
        }
    }
    for v in store::votes(conn, None)? {
        match signed_votes.get(&v.id) {
            None => problems.push(format!("vote {}: no signed statement records it", v.id)),
            Some((motion, voter, choice)) => {
                if *motion != v.motion_id || *voter != v.person_id || *choice != v.choice {
                    problems.push(format!(
                        "vote {}: the stored vote ({} by {} on motion {}) does not match what {} signed ({} on motion {})",
                        v.id,
                        word(&v.choice),
                        name_of(conn, v.person_id),
                        v.motion_id,
                        name_of(conn, *voter),
                        word(choice),
                        motion
                    ));
                }
            }
        }
    }
    // Each decided claim of prior learning is what its assessor signed.
    for claim in credence_store::prior_learning::list(conn)? {
        let Some(stored) = &claim.assessment_json else {
            continue;
        };
        let stored: serde_json::Value = serde_json::from_str(stored).unwrap_or_default();
        match signed_claims.get(&claim.id) {
            None => problems.push(format!(
                "claim of prior learning {}: no signed statement records its decision",
                claim.id
            )),
            Some((signer, signed)) => {
                let recognized = signed["recognize"].as_bool() == Some(true);
                if claim.assessor_id != Some(*signer)
                    || *signed != stored
                    || (claim.state == "recognized") != recognized
                {
                    problems.push(format!(
                        "claim of prior learning {}: the stored decision ({}) does not match what {} signed",
                        claim.id,
                        claim.state,
                        name_of(conn, *signer)
                    ));
                }
            }
        }
    }
    Ok(StatementReport { checked, problems })
}

fn word(c: &VoteChoice) -> &'static str {
    match c {
        VoteChoice::For => "for",
        VoteChoice::Against => "against",
        VoteChoice::Abstain => "abstain",
    }
}

// ----- moving along the route -----

/// Leaves the open step and enters the next; at the end of the route, an approved proposal
/// whose conditions are all met becomes Active.
fn advance(tx: &dyn Sql, actor: &Actor, proposal: Id, outcome: &str) -> Result<()> {
    let Some(step) = store::open_step(tx, proposal)? else {
        return Ok(());
    };
    store::leave_step(tx, step.id, &now(), outcome)?;
    let route = store::route(tx, step.route_id)?
        .ok_or_else(|| AppError::new(ErrorKind::Internal, "a proposal's route is missing"))?;
    if step.step_index + 1 < route.steps.len() {
        enter(tx, proposal, &route, step.step_index + 1)
    } else {
        try_activate(tx, actor, proposal)
    }
}

fn try_activate(tx: &dyn Sql, actor: &Actor, proposal: Id) -> Result<()> {
    let p = load(tx, proposal)?;
    let open_conditions = store::conditions(tx, Some(proposal))?
        .iter()
        .any(|c| c.met_at.is_none());
    if p.status != ProposalStatus::Approved
        || open_conditions
        || store::open_step(tx, proposal)?.is_some()
    {
        return Ok(());
    }
    let next = p.status.apply(&ProposalEvent::Activate)?;
    repo::set_status(tx, proposal, next, None)?;
    let effect = crate::lifecycle::case_decided(tx, actor, &p)?;
    record(
        tx,
        actor,
        "proposal",
        &proposal.to_string(),
        "activate",
        Some(&serde_json::json!({"status": p.status})),
        Some(
            &serde_json::json!({"status": next, "version": p.version, "kind": p.kind, "effect": effect}),
        ),
    )
}

/// Applies a decision to a proposal at its committee step (or a sign-off's return).
fn apply_decision(
    tx: &dyn Sql,
    actor: &Actor,
    proposal: Id,
    decision: &Decision,
    signed: serde_json::Value,
) -> Result<()> {
    let p = load(tx, proposal)?;
    let next = p.status.apply(&ProposalEvent::Decide {
        decision: decision.clone(),
    })?;
    repo::set_status(tx, proposal, next, None)?;
    record(
        tx,
        actor,
        "proposal",
        &proposal.to_string(),
        "decide",
        Some(&serde_json::json!({"status": p.status})),
        Some(&signed),
    )?;
    if let Decision::ApproveWithConditions { conditions } = decision {
        for c in conditions {
            person(tx, c.owner_id)?;
            store::insert_condition(tx, proposal, &c.text, c.owner_id, &c.due)?;
        }
    }
    match decision {
        Decision::Table => Ok(()),
        Decision::RequestRevisions {
            to_step: Some(name),
            ..
        } => {
            let step = store::open_step(tx, proposal)?
                .ok_or_else(|| refuse("to_step", "the proposal is not at a review step"))?;
            let route = store::route(tx, step.route_id)?.ok_or_else(|| {
                AppError::new(ErrorKind::Internal, "a proposal's route is missing")
            })?;
            let Some(index) = route.steps[..step.step_index]
                .iter()
                .position(|s| &s.name == name)
            else {
                let earlier: Vec<&str> = route.steps[..step.step_index]
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect();
                return Err(refuse(
                    "to_step",
                    format!(
                        "{name} is not an earlier step of this route (earlier: {})",
                        if earlier.is_empty() {
                            "none".to_string()
                        } else {
                            earlier.join(", ")
                        }
                    ),
                ));
            };
            store::leave_step(tx, step.id, &now(), decision.label())?;
            enter(tx, proposal, &route, index)
        }
        Decision::RequestRevisions { .. } | Decision::Reject { .. } => {
            if let Some(step) = store::open_step(tx, proposal)? {
                store::leave_step(tx, step.id, &now(), decision.label())?;
            }
            Ok(())
        }
        Decision::Approve | Decision::ApproveWithConditions { .. } => {
            advance(tx, actor, proposal, decision.label())
        }
    }
}

impl Workspace {
    // ----- keys -----

    pub fn routes(&self) -> Result<Vec<Route>> {
        self.read(|c| {
            let stored = store::routes(c)?;
            Ok(if stored.is_empty() {
                shipped_routes()
            } else {
                stored
            })
        })
    }

    /// Adds (id 0) or replaces a route (coordinators; audited).
    pub fn put_route(&self, by: Option<Id>, route: &Route) -> Result<Route> {
        let mut saved = self.put_routes(by, std::slice::from_ref(route))?;
        saved
            .pop()
            .ok_or_else(|| AppError::not_found("the route vanished"))
    }

    /// Adds (id 0) or replaces several routes: all of them or none, each problem named by
    /// the route's place in the list.
    pub fn put_routes(&self, by: Option<Id>, routes: &[Route]) -> Result<Vec<Route>> {
        let mut problems = Vec::new();
        for (i, r) in routes.iter().enumerate() {
            if let Err(DomainError::Invalid(fields)) = review::check_route(r) {
                let prefix = if routes.len() > 1 {
                    format!("routes[{i}].")
                } else {
                    String::new()
                };
                problems.extend(
                    fields
                        .into_iter()
                        .map(|f| FieldError::new(format!("{prefix}{}", f.field), f.message)),
                );
            }
        }
        if !problems.is_empty() {
            return Err(DomainError::Invalid(problems).into());
        }
        self.write(by, Need::Coordinator, |tx, actor| {
            let existing = ensure_routes(tx)?;
            let mut saved = Vec::new();
            for route in routes {
                let before = existing.iter().find(|r| r.id == route.id);
                if route.id != 0 && before.is_none() {
                    return Err(match store::replaced_by(tx, route.id)? {
                        Some(newer) => refuse(
                            "id",
                            format!(
                                "route {} was replaced by route {newer} when it was changed while in use; change route {newer}",
                                route.id
                            ),
                        ),
                        None => AppError::not_found(format!("there is no route {}", route.id)),
                    });
                }
                // A route proposals have travelled keeps its steps for them: the change is a
                // new version that new proposals take.
                let (id, action) = match before {
                    None => (store::put_route(tx, route)?, "create"),
                    Some(b) if store::route_in_use(tx, b.id)? => {
                        (store::replace_route(tx, b.id, route)?, "revise")
                    }
                    Some(_) => (store::put_route(tx, route)?, "update"),
                };
                let after = store::route(tx, id)?
                    .ok_or_else(|| AppError::not_found("the route vanished"))?;
                record(
                    tx,
                    actor,
                    "route",
                    &id.to_string(),
                    action,
                    before,
                    Some(&after),
                )?;
                saved.push(after);
            }
            Ok(saved)
        })
    }

    pub fn voting_rules(&self) -> Result<VotingRules> {
        self.read(rules)
    }

    pub fn set_voting_rules(&self, by: Option<Id>, r: VotingRules) -> Result<VotingRules> {
        if r.quorum == 0 {
            return Err(refuse(
                "quorum",
                "at least one voting member must be present",
            ));
        }
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = rules(tx)?;
            let json = serde_json::to_string(&r)
                .map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
            settings::set(tx, RULES_KEY, &json)?;
            record(
                tx,
                actor,
                "setting",
                RULES_KEY,
                "update",
                Some(&before),
                Some(&r),
            )?;
            Ok(r)
        })
    }

    // ----- the committee -----

    pub fn committee(&self) -> Result<Vec<MemberView>> {
        self.read(|c| {
            store::members(c)?
                .into_iter()
                .map(|(_, m)| {
                    Ok(MemberView {
                        person: person(c, m.person_id)?,
                        membership: m,
                    })
                })
                .collect()
        })
    }

    pub fn add_member(&self, by: Option<Id>, m: &Membership) -> Result<MemberView> {
        review::check_membership(m)?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let p = person(tx, m.person_id)?;
            if let Some(f) = m.alternate_for {
                if !store::members(tx)?
                    .iter()
                    .any(|(_, x)| x.person_id == f && x.seat != review::Seat::Alternate)
                {
                    return Err(refuse(
                        "alternate_for",
                        format!("{} is not a member with a seat", name_of(tx, f)),
                    ));
                }
            }
            let overlapping = store::members(tx)?.into_iter().any(|(_, x)| {
                x.person_id == m.person_id
                    && x.term_start <= m.term_end
                    && m.term_start <= x.term_end
            });
            if overlapping {
                return Err(refuse(
                    "term_start",
                    format!("{} already has a seat in that period", p.name),
                ));
            }
            let id = store::insert_member(tx, m)?;
            record(
                tx,
                actor,
                "committee_member",
                &id.to_string(),
                "create",
                None::<()>,
                Some(m),
            )?;
            Ok(MemberView {
                person: p,
                membership: m.clone(),
            })
        })
    }

    /// A member declares a conflict of interest on a proposal and is recused from it.
    pub fn declare_conflict(&self, by: Option<Id>, proposal: Id, reason: &str) -> Result<()> {
        if reason.trim().is_empty() {
            return Err(refuse("reason", "say what the conflict is"));
        }
        self.write(by, Need::Person, |tx, actor| {
            let p = actor_person(tx, actor)?;
            load(tx, proposal)?;
            store::insert_recusal(tx, proposal, p.id, reason)?;
            record(
                tx,
                actor,
                "proposal",
                &proposal.to_string(),
                "declare_conflict",
                None::<()>,
                Some(&serde_json::json!({"person": p.id, "reason": reason})),
            )
        })
    }

    // ----- the review view -----

    pub fn review(&self, proposal: Id) -> Result<ReviewView> {
        self.read(|c| {
            let p = load(c, proposal)?;
            let day = today();
            let steps = store::steps(c, Some(proposal))?;
            let route = match steps.first() {
                Some(s) => store::route(c, s.route_id)?.map(|r| r.name),
                None => None,
            };
            let open = steps.iter().find(|s| s.left_at.is_none());
            let open_kind = match open {
                Some(s) => Some(route_step(c, s)?.kind),
                None => None,
            };
            let signs_off = open_kind
                .as_ref()
                .is_some_and(|k| !matches!(k, StepKind::Committee { .. }));
            let may_act = match open_kind {
                Some(kind) => match kind {
                    StepKind::SignOff { actors, .. } => step_actors(c, &actors, &p.content)?
                        .into_iter()
                        .filter(|x| p.created_by != Some(x.id))
                        .map(|x| x.name)
                        .collect(),
                    StepKind::Committee { .. } => vec!["the committee, at a meeting".into()],
                    StepKind::ObjectionWindow { .. } => {
                        vec!["a coordinator, once the window has closed".into()]
                    }
                },
                None => Vec::new(),
            };
            let step_views = steps
                .iter()
                .map(|s| {
                    let end = s
                        .left_at
                        .as_deref()
                        .map(|l| l[..10].to_string())
                        .unwrap_or_else(|| day.clone());
                    StepView {
                        name: s.name.clone(),
                        entered_at: s.entered_at.clone(),
                        due_on: s.due_on.clone(),
                        left_at: s.left_at.clone(),
                        outcome: s.outcome.clone(),
                        overdue: s.left_at.is_none() && s.due_on < day,
                        days: review::days_between(&s.entered_at[..10], &end).unwrap_or(0),
                    }
                })
                .collect();
            let conditions = store::conditions(c, Some(proposal))?
                .into_iter()
                .map(|x| ConditionView {
                    id: x.id,
                    owner: name_of(c, x.owner_id),
                    overdue: x.met_at.is_none() && x.due_on < day,
                    text: x.text,
                    due_on: x.due_on,
                    met_at: x.met_at,
                    met_note: x.met_note,
                })
                .collect();
            let recused = recused(c, &p)?
                .into_iter()
                .map(|(id, why)| format!("{} ({why})", name_of(c, id)))
                .collect();
            Ok(ReviewView {
                proposal_id: proposal,
                status: p.status,
                route,
                steps: step_views,
                current: open.map(|s| s.name.clone()),
                may_act,
                signs_off,
                conditions,
                recused,
            })
        })
    }

    // ----- sign-offs -----

    /// The acting person signs off the proposal's current step (approve), or returns it to
    /// its proposer for revision (with a comment). Signed with their key.
    pub fn sign_off(
        &self,
        by: Option<Id>,
        proposal: Id,
        approve: bool,
        comment: &str,
        passphrase: &str,
    ) -> Result<ReviewView> {
        if !approve && comment.trim().is_empty() {
            return Err(refuse("comment", "say what must be revised"));
        }
        self.write(by, Need::Person, |tx, actor| {
            let me = actor_person(tx, actor)?;
            let p = load(tx, proposal)?;
            let step = store::open_step(tx, proposal)?
                .ok_or_else(|| refuse("status", format!("proposal {proposal} is not at a review step")))?;
            let kind = route_step(tx, &step)?.kind;
            let (actors, participation) = match kind {
                StepKind::SignOff { actors, participation } => {
                    (step_actors(tx, &actors, &p.content)?, participation)
                }
                StepKind::ObjectionWindow { .. } => {
                    if step.due_on > today() {
                        return Err(refuse("status", format!("the objection window runs until {}", step.due_on)));
                    }
                    if !me.has_role(Role::Coordinator) {
                        return Err(AppError::forbidden("a coordinator closes the objection window"));
                    }
                    (vec![me.clone()], Participation::One)
                }
                StepKind::Committee { .. } => {
                    return Err(refuse("status", format!("{} is the committee's; it decides at a meeting", step.name)))
                }
            };
            if p.created_by == Some(me.id) {
                return Err(AppError::forbidden(format!("{} proposed this and cannot approve it", me.name)));
            }
            if !actors.iter().any(|a| a.id == me.id) {
                let names: Vec<String> = actors.iter().map(|a| a.name.clone()).collect();
                return Err(AppError::forbidden(format!(
                    "{} is not named by the step {}; it is for {}",
                    me.name,
                    step.name,
                    if names.is_empty() { "nobody yet (assign the role)".into() } else { names.join(", ") }
                )));
            }
            if store::sign_offs(tx, step.id)?.iter().any(|(who, _)| *who == me.id) {
                return Err(refuse("status", format!("{} already signed off {}", me.name, step.name)));
            }
            let key = signing_key(tx, &me, passphrase)?;
            let id = store::insert_sign_off(tx, step.id, me.id, approve, comment, &now())?;
            let signed = sign(
                &key,
                &me,
                "sign_off",
                format!("sign_off:{id}"),
                serde_json::json!({"proposal": proposal, "step": step.name, "approve": approve, "comment": comment}),
            )?;
            record(tx, actor, "proposal", &proposal.to_string(), "sign_off", None::<()>, Some(&signed))?;
            if !approve {
                let decision = Decision::RequestRevisions {
                    comment: comment.to_string(),
                    to_step: None,
                };
                apply_decision(tx, actor, proposal, &decision, signed)?;
            } else {
                let approvals = store::sign_offs(tx, step.id)?.iter().filter(|(_, a)| *a).count();
                if review::participation_met(participation, approvals, actors.len()) {
                    advance(tx, actor, proposal, "signed off")?;
                }
            }
            Ok(())
        })?;
        self.review(proposal)
    }

    // ----- meetings -----

    pub fn meetings(&self) -> Result<Vec<MeetingView>> {
        let ids: Vec<Id> =
            self.read(|c| Ok(store::meetings(c)?.into_iter().map(|m| m.id).collect()))?;
        ids.into_iter().map(|id| self.meeting(id)).collect()
    }

    pub fn schedule_meeting(
        &self,
        by: Option<Id>,
        title: &str,
        held_on: &str,
    ) -> Result<MeetingView> {
        if title.trim().is_empty() {
            return Err(refuse("title", "must not be empty"));
        }
        if !review::is_date(held_on) {
            return Err(refuse("held_on", "a date as YYYY-MM-DD"));
        }
        let id = self.write(by, Need::Person, |tx, actor| {
            chair_or_coordinator(tx, actor)?;
            let id = store::insert_meeting(tx, title, held_on)?;
            record(
                tx,
                actor,
                "meeting",
                &id.to_string(),
                "create",
                None::<()>,
                Some(&serde_json::json!({"title": title, "held_on": held_on})),
            )?;
            Ok(id)
        })?;
        self.meeting(id)
    }

    /// Sets the agenda, in order: proposals at a committee step (tabled ones included).
    pub fn set_agenda(&self, by: Option<Id>, meeting: Id, proposals: &[Id]) -> Result<MeetingView> {
        self.write(by, Need::Person, |tx, actor| {
            chair_or_coordinator(tx, actor)?;
            let m = open_meeting(tx, meeting)?;
            let mut problems = Vec::new();
            for (i, id) in proposals.iter().enumerate() {
                let at_committee = match store::open_step(tx, *id)? {
                    Some(s) => matches!(route_step(tx, &s)?.kind, StepKind::Committee { .. }),
                    None => false,
                };
                if !at_committee {
                    problems.push(FieldError::new(
                        format!("proposals[{i}]"),
                        format!("proposal {id} is not ready for the committee"),
                    ));
                }
            }
            if !problems.is_empty() {
                return Err(DomainError::Invalid(problems).into());
            }
            let before = store::agenda(tx, meeting)?;
            store::set_agenda(tx, meeting, proposals)?;
            record(
                tx,
                actor,
                "meeting",
                &m.id.to_string(),
                "set_agenda",
                Some(&before.iter().map(|(p, _)| *p).collect::<Vec<_>>()),
                Some(&proposals),
            )
        })?;
        self.meeting(meeting)
    }

    /// Records who is present (the meeting opens).
    pub fn record_attendance(
        &self,
        by: Option<Id>,
        meeting: Id,
        present: &[Id],
    ) -> Result<MeetingView> {
        self.write(by, Need::Person, |tx, actor| {
            chair_or_coordinator(tx, actor)?;
            let m = open_meeting(tx, meeting)?;
            if let Some(first) = store::motions(tx, meeting)?.first() {
                return Err(refuse(
                    "present",
                    format!(
                        "attendance was frozen when the first motion was moved (motion {}): the quorum and votes of the meeting were counted against it",
                        first.id
                    ),
                ));
            }
            let members = store::members(tx)?;
            for p in present {
                if !members
                    .iter()
                    .any(|(_, x)| x.person_id == *p && x.serving_on(&m.held_on))
                {
                    return Err(refuse(
                        "present",
                        format!(
                            "{} is not a committee member serving on {}",
                            name_of(tx, *p),
                            m.held_on
                        ),
                    ));
                }
            }
            store::set_attendance(tx, meeting, present)?;
            let next = meeting_status(&m)?.apply(MeetingEvent::RecordAttendance)?;
            store::set_meeting_status(tx, meeting, next.key())?;
            record(
                tx,
                actor,
                "meeting",
                &meeting.to_string(),
                "attendance",
                None::<()>,
                Some(&present),
            )
        })?;
        self.meeting(meeting)
    }

    /// Records a motion on an agenda item, moved and seconded by members who may vote on it.
    pub fn move_motion(
        &self,
        by: Option<Id>,
        meeting: Id,
        proposal: Id,
        decision: &Decision,
        moved_by: Id,
        seconded_by: Id,
    ) -> Result<MeetingView> {
        review::check_decision(decision)?;
        self.write(by, Need::Person, |tx, actor| {
            chair_or_coordinator(tx, actor)?;
            let m = open_meeting(tx, meeting)?;
            if !store::agenda(tx, meeting)?.iter().any(|(p, _)| *p == proposal) {
                return Err(refuse("proposal", format!("proposal {proposal} is not on this meeting's agenda")));
            }
            if moved_by == seconded_by {
                return Err(refuse("seconded_by", "a motion is seconded by someone other than its mover"));
            }
            let p = load(tx, proposal)?;
            let (members, present) = (member_list(tx)?, store::attendance(tx, meeting)?);
            let recused: Vec<Id> = recused(tx, &p)?.into_iter().map(|(id, _)| id).collect();
            for (field, who) in [("moved_by", moved_by), ("seconded_by", seconded_by)] {
                proposer_may_not_move(tx, &p, who)?;
                review::may_vote(&members, who, &m.held_on, &present, &recused)
                    .map_err(|why| refuse(field, format!("{} {why}", name_of(tx, who))))?;
            }
            let json = serde_json::to_string(decision).map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
            let id = store::insert_motion(tx, meeting, proposal, &json, moved_by, seconded_by)?;
            record(tx, actor, "motion", &id.to_string(), "move", None::<()>, Some(&serde_json::json!({"meeting": meeting, "proposal": proposal, "decision": decision, "moved_by": moved_by, "seconded_by": seconded_by})))
        })?;
        self.meeting(meeting)
    }

    /// The acting member votes on an open motion; signed with their key.
    pub fn cast_vote(
        &self,
        by: Option<Id>,
        motion: Id,
        choice: VoteChoice,
        passphrase: &str,
    ) -> Result<MeetingView> {
        let meeting = self.write(by, Need::Person, |tx, actor| {
            let me = actor_person(tx, actor)?;
            let mo = store::motion(tx, motion)?
                .ok_or_else(|| AppError::not_found(format!("there is no motion {motion}")))?;
            motion_status(&mo)?
                .apply(MotionEvent::Vote)
                .map_err(|_| {
                    refuse(
                        "motion",
                        format!(
                            "motion {motion} is closed ({}); votes are no longer taken",
                            mo.status
                        ),
                    )
                })?;
            let m = open_meeting(tx, mo.meeting_id)?;
            if let Some(deadline) = &m.deadline {
                if now() > *deadline {
                    return Err(refuse(
                        "deadline",
                        format!("the electronic vote closed at {deadline}; votes after the deadline are not counted"),
                    ));
                }
            }
            let p = load(tx, mo.proposal_id)?;
            if p.created_by == Some(me.id) {
                return Err(AppError::forbidden(format!(
                    "{} proposed this and cannot vote on it",
                    me.name
                )));
            }
            let recused: Vec<Id> = recused(tx, &p)?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            review::may_vote(
                &member_list(tx)?,
                me.id,
                &m.held_on,
                &store::attendance(tx, m.id)?,
                &recused,
            )
            .map_err(|why| AppError::forbidden(format!("{} {why}", me.name)))?;
            if store::votes(tx, Some(motion))?
                .iter()
                .any(|v| v.person_id == me.id)
            {
                return Err(refuse(
                    "vote",
                    format!("{} has already voted on motion {motion}", me.name),
                ));
            }
            let key = signing_key(tx, &me, passphrase)?;
            let id = store::insert_vote(tx, motion, me.id, choice, &now())?;
            let signed = sign(
                &key,
                &me,
                "vote",
                format!("vote:{id}"),
                serde_json::json!({"motion": motion, "proposal": mo.proposal_id, "choice": choice}),
            )?;
            record(
                tx,
                actor,
                "vote",
                &id.to_string(),
                "vote",
                None::<()>,
                Some(&signed),
            )?;
            Ok(m.id)
        })?;
        self.meeting(meeting)
    }

    /// Closes a motion: checks quorum, counts the votes against the committee's threshold,
    /// and when it carries records the decision, signed by whoever closes it (the chair or a
    /// coordinator recording for the committee).
    pub fn close_motion(
        &self,
        by: Option<Id>,
        motion: Id,
        passphrase: &str,
    ) -> Result<MeetingView> {
        let meeting = self.write(by, Need::Person, |tx, actor| {
            let me = chair_or_coordinator(tx, actor)?;
            let mo = store::motion(tx, motion)?.ok_or_else(|| AppError::not_found(format!("there is no motion {motion}")))?;
            let status = motion_status(&mo)?;
            // (Whether it carries is counted below; closed already, it is refused here.)
            status
                .apply(MotionEvent::Close { carried: false })
                .map_err(|_| refuse("motion", format!("motion {motion} is already closed")))?;
            let m = open_meeting(tx, mo.meeting_id)?;
            let r = rules(tx)?;
            let members = member_list(tx)?;
            // Members recused from this proposal are not counted in the base of its vote, and
            // a vote cast before its voter was recused (a conflict declared later) never counts.
            let p = load(tx, mo.proposal_id)?;
            let recused: Vec<Id> = recused(tx, &p)?.into_iter().map(|(id, _)| id).collect();
            let votes: Vec<store::VoteRow> = store::votes(tx, Some(motion))?
                .into_iter()
                .filter(|v| !recused.contains(&v.person_id))
                .collect();
            let choices: Vec<VoteChoice> = votes.iter().map(|v| v.choice).collect();
            let eligible: Vec<Membership> = members.iter().filter(|x| !recused.contains(&x.person_id)).cloned().collect();
            let seats = review::voting_seats(&eligible, &m.held_on) as u32;
            let base_present = if let Some(deadline) = &m.deadline {
                // An electronic vote: those who voted are those present.
                let voted = votes.len() as u32;
                if now() < *deadline && voted < seats {
                    return Err(refuse("deadline", format!(
                        "the electronic vote runs until {deadline}; {voted} of {seats} members have voted. Close it then, or once everyone has voted"
                    )));
                }
                if voted < r.quorum {
                    return Err(refuse("quorum", format!("no quorum: {voted} members voted, {} needed; nothing was decided", r.quorum)));
                }
                voted
            } else {
                let present_ids = store::attendance(tx, m.id)?;
                let present = review::voting_present(&members, &m.held_on, &present_ids) as u32;
                if present < r.quorum {
                    return Err(refuse("quorum", format!("no quorum: {present} voting members present, {} needed; nothing was decided", r.quorum)));
                }
                let unrecused: Vec<Id> = present_ids.iter().copied().filter(|x| !recused.contains(x)).collect();
                review::voting_present(&eligible, &m.held_on, &unrecused) as u32
            };
            let tally = review::tally(&choices, r, base_present, seats);
            let decision: Decision = serde_json::from_str(&mo.decision_json).map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
            let key = signing_key(tx, &me, passphrase)?;
            let tally_json = serde_json::to_string(&tally).map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
            let closed = status.apply(MotionEvent::Close { carried: tally.carried })?;
            store::close_motion(tx, motion, closed.key(), &tally_json)?;
            let signed = sign(
                &key,
                &me,
                "decision",
                format!("motion:{motion}"),
                serde_json::json!({"proposal": mo.proposal_id, "meeting": m.id, "decision": decision, "tally": tally, "carried": tally.carried}),
            )?;
            record(tx, actor, "motion", &motion.to_string(), "close", None::<()>, Some(&signed))?;
            if tally.carried {
                store::set_item_outcome(tx, m.id, mo.proposal_id, decision.label())?;
                apply_decision(tx, actor, mo.proposal_id, &decision, signed)?;
            }
            if m.deadline.is_some() {
                if !tally.carried {
                    store::set_item_outcome(tx, m.id, mo.proposal_id, "not carried")?;
                }
                let next = meeting_status(&m)?.apply(MeetingEvent::Close)?;
                store::set_meeting_status(tx, m.id, next.key())?;
            }
            Ok(m.id)
        })?;
        self.meeting(meeting)
    }

    /// Between meetings, the chair (or a coordinator) puts a motion on a proposal at the
    /// committee step to an electronic vote that closes at `deadline` (RFC 3339, or a date
    /// meaning the end of that day, UTC). Every voting member serving today may vote.
    pub fn open_electronic_vote(
        &self,
        by: Option<Id>,
        proposal: Id,
        decision: &Decision,
        moved_by: Id,
        seconded_by: Id,
        deadline: &str,
    ) -> Result<MeetingView> {
        review::check_decision(decision)?;
        let deadline = parse_deadline(deadline)?;
        if deadline <= now() {
            return Err(refuse("deadline", "the deadline must be in the future"));
        }
        let id = self.write(by, Need::Person, |tx, actor| {
            chair_or_coordinator(tx, actor)?;
            let step = store::open_step(tx, proposal)?
                .ok_or_else(|| refuse("proposal", format!("proposal {proposal} is not at a review step")))?;
            if !matches!(route_step(tx, &step)?.kind, StepKind::Committee { information_only: false }) {
                return Err(refuse("proposal", format!("proposal {proposal} is not waiting for the committee's vote")));
            }
            if moved_by == seconded_by {
                return Err(refuse("seconded_by", "a motion is seconded by someone other than its mover"));
            }
            let p = load(tx, proposal)?;
            let day = today();
            let members = member_list(tx)?;
            let serving: Vec<Id> = members.iter().filter(|m| m.serving_on(&day)).map(|m| m.person_id).collect();
            let recused: Vec<Id> = recused(tx, &p)?.into_iter().map(|(id, _)| id).collect();
            for (field, who) in [("moved_by", moved_by), ("seconded_by", seconded_by)] {
                proposer_may_not_move(tx, &p, who)?;
                review::may_vote(&members, who, &day, &serving, &recused)
                    .map_err(|why| refuse(field, format!("{} {why}", name_of(tx, who))))?;
            }
            let m = store::insert_electronic_vote(tx, &format!("Electronic vote: {}", p.content.title), &day, &deadline)?;
            store::set_attendance(tx, m, &serving)?;
            store::set_agenda(tx, m, &[proposal])?;
            let json = serde_json::to_string(decision).map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
            let motion = store::insert_motion(tx, m, proposal, &json, moved_by, seconded_by)?;
            record(tx, actor, "meeting", &m.to_string(), "open_electronic_vote", None::<()>, Some(&serde_json::json!({"proposal": proposal, "deadline": deadline, "motion": motion, "decision": decision})))?;
            Ok(m)
        })?;
        self.meeting(id)
    }

    /// Reports an information item to the committee; it needs no vote and moves on.
    pub fn acknowledge_item(
        &self,
        by: Option<Id>,
        meeting: Id,
        proposal: Id,
    ) -> Result<MeetingView> {
        self.write(by, Need::Person, |tx, actor| {
            chair_or_coordinator(tx, actor)?;
            open_meeting(tx, meeting)?;
            let step = store::open_step(tx, proposal)?
                .ok_or_else(|| refuse("proposal", "not at a review step"))?;
            if !matches!(
                route_step(tx, &step)?.kind,
                StepKind::Committee {
                    information_only: true
                }
            ) {
                return Err(refuse(
                    "proposal",
                    format!(
                        "proposal {proposal} needs the committee's vote, not an acknowledgement"
                    ),
                ));
            }
            store::set_item_outcome(tx, meeting, proposal, "received for information")?;
            let p = load(tx, proposal)?;
            let next = p.status.apply(&ProposalEvent::Decide {
                decision: Decision::Approve,
            })?;
            repo::set_status(tx, proposal, next, None)?;
            record(
                tx,
                actor,
                "proposal",
                &proposal.to_string(),
                "acknowledge",
                Some(&serde_json::json!({"status": p.status})),
                Some(&serde_json::json!({"status": next, "meeting": meeting})),
            )?;
            advance(tx, actor, proposal, "received for information")
        })?;
        self.meeting(meeting)
    }

    /// Closes a meeting: items without an outcome are tabled to the next meeting.
    pub fn close_meeting(&self, by: Option<Id>, meeting: Id) -> Result<MeetingView> {
        self.write(by, Need::Person, |tx, actor| {
            chair_or_coordinator(tx, actor)?;
            let this_meeting = open_meeting(tx, meeting)?;
            for mo in store::motions(tx, meeting)? {
                if motion_status(&mo)? == MotionStatus::Open {
                    return Err(refuse("motions", "close every open motion first"));
                }
            }
            let mut tabled = Vec::new();
            for (p, outcome) in store::agenda(tx, meeting)? {
                if outcome.is_none() {
                    store::set_item_outcome(tx, meeting, p, "tabled")?;
                    tabled.push(p);
                }
            }
            // Tabled items move to the next scheduled meeting, if there is one.
            let this = store::meeting(tx, meeting)?
                .map(|m| m.held_on)
                .unwrap_or_default();
            let next = store::meetings(tx)?
                .into_iter()
                .filter(|m| {
                    m.id != meeting
                        && MeetingStatus::parse(&m.status) == Some(MeetingStatus::Scheduled)
                        && m.deadline.is_none()
                        && m.held_on >= this
                })
                .min_by(|a, b| (a.held_on.as_str(), a.id).cmp(&(b.held_on.as_str(), b.id)));
            if let (Some(next), false) = (next, tabled.is_empty()) {
                let mut agenda: Vec<Id> = store::agenda(tx, next.id)?
                    .into_iter()
                    .map(|(p, _)| p)
                    .collect();
                agenda.extend(
                    tabled
                        .iter()
                        .filter(|p| !agenda.contains(p))
                        .copied()
                        .collect::<Vec<_>>(),
                );
                store::set_agenda(tx, next.id, &agenda)?;
            }
            let next = meeting_status(&this_meeting)?.apply(MeetingEvent::Close)?;
            store::set_meeting_status(tx, meeting, next.key())?;
            record(
                tx,
                actor,
                "meeting",
                &meeting.to_string(),
                "close",
                None::<()>,
                None::<()>,
            )
        })?;
        self.meeting(meeting)
    }

    pub fn meeting(&self, id: Id) -> Result<MeetingView> {
        self.read(|c| {
            let m = store::meeting(c, id)?
                .ok_or_else(|| AppError::not_found(format!("there is no meeting {id}")))?;
            let r = rules(c)?;
            let members = member_list(c)?;
            let present_ids = store::attendance(c, id)?;
            // People, units, routes and votes read once for the whole meeting: on a server
            // every query is a round trip, and a meeting holds dozens of motions.
            let names: HashMap<Id, String> = people::list(c)?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect();
            let name_of = |who: Id| {
                names
                    .get(&who)
                    .cloned()
                    .unwrap_or_else(|| format!("person {who}"))
            };
            let unit_names: HashMap<Id, String> = units::list(c)?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect();
            let routes = store::all_routes(c)?;
            let mut titles: HashMap<Id, String> = HashMap::new();
            let mut agenda = Vec::new();
            for (pid, outcome) in store::agenda(c, id)? {
                let p = load(c, pid)?;
                let information_only = match store::steps(c, Some(pid))?.last() {
                    Some(s) => matches!(
                        step_in(&routes, s)?.kind,
                        StepKind::Committee {
                            information_only: true
                        }
                    ),
                    None => false,
                };
                titles.insert(pid, p.content.title.clone());
                agenda.push(AgendaItemView {
                    proposal_id: pid,
                    title: p.content.title,
                    unit: p.content.unit_id.and_then(|u| unit_names.get(&u).cloned()),
                    information_only,
                    outcome,
                });
            }
            let mut votes: HashMap<Id, Vec<VoteView>> = HashMap::new();
            for v in store::votes_at_meeting(c, id)? {
                votes.entry(v.motion_id).or_default().push(VoteView {
                    voter: name_of(v.person_id),
                    choice: v.choice,
                });
            }
            let mut motions = Vec::new();
            for mo in store::motions(c, id)? {
                let proposal_title = match titles.get(&mo.proposal_id) {
                    Some(t) => t.clone(),
                    None => load(c, mo.proposal_id)?.content.title,
                };
                motions.push(MotionView {
                    id: mo.id,
                    proposal_id: mo.proposal_id,
                    proposal_title,
                    decision: serde_json::from_str(&mo.decision_json)
                        .map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?,
                    moved_by: name_of(mo.moved_by),
                    seconded_by: name_of(mo.seconded_by),
                    status: motion_status(&mo)?,
                    tally: mo.tally_json.and_then(|t| serde_json::from_str(&t).ok()),
                    votes: votes.remove(&mo.id).unwrap_or_default(),
                });
            }
            let serving: Vec<&Membership> = members
                .iter()
                .filter(|x| x.serving_on(&m.held_on))
                .collect();
            let voting_present = review::voting_present(&members, &m.held_on, &present_ids) as u32;
            let status = meeting_status(&m)?;
            let attendance_open = status != MeetingStatus::Closed && motions.is_empty();
            Ok(MeetingView {
                id,
                title: m.title,
                held_on: m.held_on.clone(),
                status,
                deadline: m.deadline.clone(),
                agenda,
                present: present_ids.iter().map(|p| name_of(*p)).collect(),
                present_ids: present_ids.clone(),
                absent: serving
                    .iter()
                    .filter(|x| {
                        !present_ids.contains(&x.person_id) && x.seat != review::Seat::Alternate
                    })
                    .map(|x| name_of(x.person_id))
                    .collect(),
                voting_present,
                voting_seats: review::voting_seats(&members, &m.held_on) as u32,
                quorate: voting_present >= r.quorum,
                rules: r,
                attendance_open,
                motions,
            })
        })
    }

    // ----- conditions -----

    /// Marks a condition met with a note (its owner or a coordinator; signed). When the last
    /// condition is met and no step remains, the microcredential becomes Active.
    pub fn meet_condition(
        &self,
        by: Option<Id>,
        condition: Id,
        note: &str,
        passphrase: &str,
    ) -> Result<ReviewView> {
        if note.trim().is_empty() {
            return Err(refuse("note", "say how the condition was met"));
        }
        let proposal = self.write(by, Need::Person, |tx, actor| {
            let me = actor_person(tx, actor)?;
            let c = store::conditions(tx, None)?
                .into_iter()
                .find(|c| c.id == condition)
                .ok_or_else(|| AppError::not_found(format!("there is no condition {condition}")))?;
            if c.owner_id != me.id && !me.has_role(Role::Coordinator) {
                return Err(AppError::forbidden(format!(
                    "the condition is {}'s to meet",
                    name_of(tx, c.owner_id)
                )));
            }
            let status = if c.met_at.is_some() {
                ConditionStatus::Met
            } else {
                ConditionStatus::Open
            };
            status.meet()?;
            let key = signing_key(tx, &me, passphrase)?;
            store::meet_condition(tx, condition, &now(), note)?;
            let signed = sign(
                &key,
                &me,
                "condition_met",
                format!("condition:{condition}"),
                serde_json::json!({"proposal": c.proposal_id, "condition": c.text, "note": note}),
            )?;
            record(
                tx,
                actor,
                "condition",
                &condition.to_string(),
                "meet",
                None::<()>,
                Some(&signed),
            )?;
            try_activate(tx, actor, c.proposal_id)?;
            Ok(c.proposal_id)
        })?;
        self.review(proposal)
    }

    /// Every signed statement checked again (see [`verify_statements`]).
    pub fn verify_statements(&self) -> Result<StatementReport> {
        self.read(verify_statements)
    }
}

/// A deadline as RFC 3339 UTC; a bare date means the end of that day.
fn parse_deadline(s: &str) -> Result<String> {
    let s = s.trim();
    if review::is_date(s) {
        return Ok(format!("{s}T23:59:59.000Z"));
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| {
            d.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        })
        .map_err(|_| {
            refuse(
                "deadline",
                "a date (YYYY-MM-DD) or a time (2026-12-01T17:00:00Z)",
            )
        })
}

pub(crate) fn member_list(conn: &dyn Sql) -> Result<Vec<Membership>> {
    Ok(store::members(conn)?.into_iter().map(|(_, m)| m).collect())
}

fn open_meeting(conn: &dyn Sql, id: Id) -> Result<store::MeetingRow> {
    let m = store::meeting(conn, id)?
        .ok_or_else(|| AppError::not_found(format!("there is no meeting {id}")))?;
    meeting_status(&m)?
        .apply(MeetingEvent::Record)
        .map_err(|_| {
            refuse(
                "meeting",
                format!("meeting {id} is closed; nothing more is recorded at it"),
            )
        })?;
    Ok(m)
}

fn meeting_status(m: &store::MeetingRow) -> Result<MeetingStatus> {
    MeetingStatus::parse(&m.status).ok_or_else(|| {
        AppError::new(
            ErrorKind::Internal,
            format!("meeting {} has an unknown status {:?}", m.id, m.status),
        )
    })
}

fn motion_status(mo: &store::MotionRow) -> Result<MotionStatus> {
    MotionStatus::parse(&mo.status).ok_or_else(|| {
        AppError::new(
            ErrorKind::Internal,
            format!("motion {} has an unknown status {:?}", mo.id, mo.status),
        )
    })
}

// ----- the inbox and the service clock -----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// A proposal the person was assigned to review and has not scored.
    Review,
    /// A step waits for the person's sign-off.
    SignOff,
    /// An open motion the person may vote on.
    Vote,
    /// A condition the person owns.
    Condition,
    /// A submitted proposal waits for the completeness check (coordinators).
    Completeness,
    /// A step past its due date (coordinators).
    OverdueStep,
    /// A microcredential's periodic review has come due (coordinators, and its unit).
    PeriodicReview,
    /// A change a periodic review required is open, due by a date (coordinators, and its
    /// unit).
    ChangeDue,
    /// Awards of a microcredential expire soon (coordinators).
    ExpiringAwards,
    /// A claim of prior learning waits for an assessor's decision (assessors), or, once
    /// recognized, for its award (coordinators and issuing staff).
    PriorLearning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Task {
    pub kind: TaskKind,
    #[ts(type = "number")]
    pub proposal_id: Id,
    pub title: String,
    pub detail: String,
    pub due_on: Option<String>,
    pub overdue: bool,
    /// The motion, meeting or condition the task is about.
    #[ts(type = "number | null")]
    pub target_id: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Inbox {
    pub tasks: Vec<Task>,
    /// Whether the acting person has a signing key (needed for every signed act).
    pub has_key: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StepTime {
    pub step: String,
    /// Visits completed.
    #[ts(type = "number")]
    pub completed: u32,
    pub median_days: Option<f64>,
    /// Open now / of those overdue.
    #[ts(type = "number")]
    pub open: u32,
    #[ts(type = "number")]
    pub overdue: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ServiceClock {
    pub steps: Vec<StepTime>,
    /// Median days from entering the route to the committee's decision.
    pub median_days_to_decision: Option<f64>,
    #[ts(type = "number")]
    pub decided: u32,
}

fn median(mut v: Vec<i64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
    })
}

fn days(from: &str, to: &str) -> i64 {
    review::days_between(from.get(..10).unwrap_or(from), to.get(..10).unwrap_or(to)).unwrap_or(0)
}

impl Workspace {
    /// Things to do for a person: sign-offs, votes, conditions, and for coordinators the
    /// completeness checks and overdue steps.
    pub fn inbox(&self, by: Option<Id>) -> Result<Inbox> {
        let Some(me) = by else {
            return Ok(Inbox {
                tasks: Vec::new(),
                has_key: false,
            });
        };
        self.read(|c| {
            let me = person(c, me)?;
            let day = today();
            let mut tasks = Vec::new();
            let signed = store::signed_steps(c, me.id)?;
            let routes = store::all_routes(c)?;
            let coordinator = me.has_role(Role::Coordinator);
            let everyone = people::list(c)?;
            // The proposals of every open step, read at once.
            let mut open: HashMap<Id, repo::StoredProposal> = repo::with_open_step(c)?
                .into_iter()
                .map(|p| (p.id, p))
                .collect();
            for s in store::open_steps(c)? {
                let Ok(step) = step_in(&routes, &s) else {
                    continue;
                };
                let overdue = s.due_on < day;
                let mut p = None;
                if let StepKind::SignOff { actors, .. } = &step.kind {
                    let loaded = match open.remove(&s.proposal_id) {
                        Some(p) => p,
                        None => load(c, s.proposal_id)?,
                    };
                    let named = actors_among(c, &everyone, actors, &loaded.content)?
                        .iter()
                        .any(|a| a.id == me.id);
                    if named && loaded.created_by != Some(me.id) && !signed.contains(&s.id) {
                        tasks.push(Task {
                            kind: TaskKind::SignOff,
                            proposal_id: s.proposal_id,
                            title: loaded.content.title.clone(),
                            detail: format!("{}: your sign-off", s.name),
                            due_on: Some(s.due_on.clone()),
                            overdue,
                            target_id: None,
                        });
                    }
                    p = Some(loaded);
                }
                if coordinator && overdue {
                    let title = match p {
                        Some(p) => p.content.title,
                        None => load(c, s.proposal_id)?.content.title,
                    };
                    tasks.push(Task {
                        kind: TaskKind::OverdueStep,
                        proposal_id: s.proposal_id,
                        title,
                        detail: format!("{} was due {}", s.name, s.due_on),
                        due_on: Some(s.due_on.clone()),
                        overdue: true,
                        target_id: None,
                    });
                }
            }
            for pid in store::unscored(c, me.id)? {
                tasks.push(Task {
                    kind: TaskKind::Review,
                    proposal_id: pid,
                    title: load(c, pid)?.content.title,
                    detail: "Assigned to you: score it against the rubric".into(),
                    due_on: None,
                    overdue: false,
                    target_id: None,
                });
            }
            let voted = store::voted_open_motions(c, me.id)?;
            let members = member_list(c)?;
            // Meetings and their attendance read once each, however many motions they hold.
            let mut meetings: HashMap<Id, (store::MeetingRow, Vec<Id>)> = HashMap::new();
            for mo in store::open_motions(c)? {
                if voted.contains(&mo.id) {
                    continue;
                }
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    meetings.entry(mo.meeting_id)
                {
                    let Some(m) = store::meeting(c, mo.meeting_id)? else {
                        continue;
                    };
                    let present = store::attendance(c, m.id)?;
                    slot.insert((m, present));
                }
                let (m, present) = &meetings[&mo.meeting_id];
                let p = load(c, mo.proposal_id)?;
                let recused: Vec<Id> = recused_among(c, &p, &members, &everyone)?
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect();
                if p.created_by != Some(me.id)
                    && review::may_vote(&members, me.id, &m.held_on, present, &recused).is_ok()
                {
                    let decision: Decision = serde_json::from_str(&mo.decision_json)
                        .map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
                    tasks.push(Task {
                        kind: TaskKind::Vote,
                        proposal_id: mo.proposal_id,
                        title: p.content.title,
                        detail: format!("Motion {}: {} ({})", mo.id, decision.label(), m.title),
                        due_on: Some(m.held_on.clone()),
                        overdue: false,
                        target_id: Some(mo.meeting_id),
                    });
                }
            }
            for cnd in store::conditions(c, None)? {
                if cnd.met_at.is_none() && (cnd.owner_id == me.id || coordinator) {
                    tasks.push(Task {
                        kind: TaskKind::Condition,
                        proposal_id: cnd.proposal_id,
                        title: load(c, cnd.proposal_id)?.content.title,
                        detail: cnd.text,
                        overdue: cnd.due_on < day,
                        due_on: Some(cnd.due_on),
                        target_id: Some(cnd.id),
                    });
                }
            }
            if coordinator {
                let (rows, _) = repo::list(
                    c,
                    &repo::ProposalFilter {
                        status: Some(ProposalStatus::Submitted),
                        limit: 500,
                        ..Default::default()
                    },
                )?;
                for r in rows {
                    tasks.push(Task {
                        kind: TaskKind::Completeness,
                        proposal_id: r.id,
                        title: r.title,
                        detail: "Submitted: check it is complete".into(),
                        due_on: None,
                        overdue: false,
                        target_id: None,
                    });
                }
            }
            // A microcredential's upkeep is the coordinator's, and its unit's.
            let unit_role = me.has_role(Role::Proposer) || me.has_role(Role::UnitApprover);
            let keeps = |unit: Option<Id>| {
                coordinator || (unit_role && me.unit_id.is_some() && unit == me.unit_id)
            };
            // Periodic reviews that have come due (looked for only by those who keep some).
            let keeps_any = coordinator || (unit_role && me.unit_id.is_some());
            let due = if keeps_any {
                crate::lifecycle::review_cycles(c, true)?
            } else {
                Vec::new()
            };
            for (row, cycle) in due {
                if keeps(row.unit_id) {
                    tasks.push(Task {
                        kind: TaskKind::PeriodicReview,
                        proposal_id: row.proposal_id,
                        title: cycle.title,
                        detail: "Periodic review due".into(),
                        overdue: cycle
                            .next_review_due
                            .as_deref()
                            .is_some_and(|d| d < today().as_str()),
                        due_on: cycle.next_review_due,
                        target_id: None,
                    });
                }
            }
            // Changes a periodic review required, until decided: a condition of that review.
            for (case, _, due_on) in credence_store::cases::changes_due(c)? {
                let p = load(c, case)?;
                if keeps(p.content.unit_id) {
                    tasks.push(Task {
                        kind: TaskKind::ChangeDue,
                        proposal_id: case,
                        title: p.content.title,
                        detail: format!(
                            "Change required by its periodic review ({})",
                            p.status.label()
                        ),
                        overdue: due_on.as_str() < today().as_str(),
                        due_on: Some(due_on),
                        target_id: None,
                    });
                }
            }
            // Awards about to expire, a microcredential at a time (coordinators, as many days
            // ahead as the issuing settings say): the learners may want to renew.
            if coordinator {
                let days: u32 =
                    credence_store::settings::get(c, credence_store::issuing::EXPIRY_NOTICE_KEY)?
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(credence_domain::award::DEFAULT_EXPIRY_NOTICE_DAYS);
                let now = chrono::Utc::now();
                let at = |t: chrono::DateTime<chrono::Utc>| {
                    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                };
                let until = now + chrono::Duration::days(i64::from(days));
                for e in credence_store::issuing::expiring(c, &at(now), &at(until))? {
                    let first = e.first.get(..10).unwrap_or(&e.first).to_string();
                    tasks.push(Task {
                        kind: TaskKind::ExpiringAwards,
                        proposal_id: e.proposal_id,
                        title: e.title,
                        detail: format!(
                            "{} award{} expire{} within {days} days, the first on {first}",
                            e.awards,
                            if e.awards == 1 { "" } else { "s" },
                            if e.awards == 1 { "s" } else { "" },
                        ),
                        due_on: Some(first),
                        overdue: false,
                        target_id: None,
                    });
                }
            }
            // Claims of prior learning: to decide, then to award (`prior_learning::acts`).
            if me.has_role(Role::Assessor) || coordinator || me.has_role(Role::Issuer) {
                for claim in credence_store::prior_learning::list(c)? {
                    let state = credence_domain::prior_learning::ClaimState::parse(&claim.state)
                        .unwrap_or(credence_domain::prior_learning::ClaimState::Open);
                    let may = credence_domain::prior_learning::acts(
                        Some(&me),
                        state,
                        &claim.learner_email,
                        claim.award_id.is_some(),
                    );
                    let detail = if may.assess {
                        format!(
                            "Assess {}'s prior learning against the outcomes",
                            claim.learner_name
                        )
                    } else if may.award {
                        format!("Recognized: award {} the credential", claim.learner_name)
                    } else {
                        continue;
                    };
                    tasks.push(Task {
                        kind: TaskKind::PriorLearning,
                        proposal_id: claim.proposal_id,
                        title: claim.microcredential,
                        detail,
                        due_on: None,
                        overdue: false,
                        target_id: Some(claim.id),
                    });
                }
            }
            Ok(Inbox {
                tasks,
                has_key: store::active_key(c, me.id)?.is_some(),
            })
        })
    }

    /// Time spent in each step, open and overdue counts, and the median days from entering
    /// the route to the committee's decision.
    pub fn service_clock(&self) -> Result<ServiceClock> {
        self.read(|c| {
            let day = today();
            let steps = store::steps(c, None)?;
            let mut names: Vec<String> = Vec::new();
            for s in &steps {
                if !names.contains(&s.name) {
                    names.push(s.name.clone());
                }
            }
            let out = names
                .iter()
                .map(|name| {
                    let of: Vec<&store::StepRow> =
                        steps.iter().filter(|s| &s.name == name).collect();
                    StepTime {
                        step: name.clone(),
                        completed: of.iter().filter(|s| s.left_at.is_some()).count() as u32,
                        median_days: median(
                            of.iter()
                                .filter_map(|s| {
                                    s.left_at.as_deref().map(|l| days(&s.entered_at, l))
                                })
                                .collect(),
                        ),
                        open: of.iter().filter(|s| s.left_at.is_none()).count() as u32,
                        overdue: of
                            .iter()
                            .filter(|s| s.left_at.is_none() && s.due_on < day)
                            .count() as u32,
                    }
                })
                .collect();
            // From the first step a proposal entered to when a committee step was left.
            let mut to_decision = Vec::new();
            let mut first: HashMap<Id, &str> = Default::default();
            for s in &steps {
                first.entry(s.proposal_id).or_insert(s.entered_at.as_str());
                let decided = s.outcome.as_deref().is_some_and(|o| o != "signed off");
                if decided {
                    if let (Some(start), Some(left)) =
                        (first.get(&s.proposal_id), s.left_at.as_deref())
                    {
                        to_decision.push(days(start, left));
                    }
                }
            }
            Ok(ServiceClock {
                steps: out,
                decided: to_decision.len() as u32,
                median_days_to_decision: median(to_decision),
            })
        })
    }
}

/// A proposal waiting for the committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QueuedProposal {
    #[ts(type = "number")]
    pub proposal_id: Id,
    pub title: String,
    pub information_only: bool,
    /// Tabled at an earlier meeting.
    pub tabled: bool,
}

impl Workspace {
    /// Proposals at a committee step, for building an agenda.
    pub fn committee_queue(&self) -> Result<Vec<QueuedProposal>> {
        self.read(|c| {
            let routes = store::all_routes(c)?;
            let mut out = Vec::new();
            for s in store::open_steps(c)? {
                let kind = routes
                    .iter()
                    .find(|r| r.id == s.route_id)
                    .and_then(|r| r.steps.get(s.step_index))
                    .map(|st| st.kind.clone());
                if let Some(StepKind::Committee { information_only }) = kind {
                    let tabled = store::meetings(c)?.iter().any(|m| {
                        store::agenda(c, m.id)
                            .map(|a| {
                                a.iter().any(|(p, o)| {
                                    *p == s.proposal_id && o.as_deref() == Some("tabled")
                                })
                            })
                            .unwrap_or(false)
                    });
                    out.push(QueuedProposal {
                        proposal_id: s.proposal_id,
                        title: load(c, s.proposal_id)?.content.title,
                        information_only,
                        tabled,
                    });
                }
            }
            Ok(out)
        })
    }
}

impl Workspace {
    /// Demo only: gives steps a history. For each proposal, its steps in order as
    /// (entered, left) days ago; a left of 0 leaves the step open (its due date follows
    /// from its service time, so an old open step is overdue).
    pub(crate) fn backdate_demo_steps(
        &self,
        by: Option<Id>,
        plan: &[(Id, &[(u64, u64)])],
    ) -> Result<()> {
        self.write(by, Need::Coordinator, |tx, actor| {
            let today = chrono::Utc::now();
            for (proposal, times) in plan {
                let steps = store::steps(tx, Some(*proposal))?;
                for (s, (entered, left)) in steps.iter().zip(times.iter()) {
                    let at = |d: u64| {
                        (today - chrono::Duration::days(d as i64))
                            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                    };
                    let days = route_step(tx, s)?.service_days;
                    let entered_on = (today - chrono::Duration::days(*entered as i64))
                        .date_naive()
                        .to_string();
                    let due = add_days(&entered_on, days);
                    let left_at = (s.left_at.is_some() && *left > 0).then(|| at(*left));
                    store::set_step_times(tx, s.id, &at(*entered), &due, left_at.as_deref())?;
                }
            }
            let plan: Vec<(Id, Vec<(u64, u64)>)> =
                plan.iter().map(|(p, t)| (*p, t.to_vec())).collect();
            record(
                tx,
                actor,
                "demo",
                "steps",
                "backdate",
                None::<()>,
                Some(&plan),
            )
        })
    }
}

/// The people a simulated history needs, with their keys already open.
pub(crate) struct Cast {
    pub head: (Person, SigningKey),
    pub dean: (Person, SigningKey),
    pub final_approver: (Person, SigningKey),
    pub chair: (Person, SigningKey),
    /// Voting members present at every meeting (the chair included).
    pub voters: Vec<(Person, SigningKey)>,
}

impl Workspace {
    /// Benchmarks only: opens a person's key once, so a simulated decade does not pay the
    /// passphrase's cost on every act.
    pub(crate) fn open_key(&self, person: Id, passphrase: &str) -> Result<(Person, SigningKey)> {
        self.read(|c| {
            let p = crate::kernel::people::person(c, person)?;
            let key = signing_key(c, &p, passphrase)?;
            Ok((p, key))
        })
    }

    /// Benchmarks only: walks each draft through the whole route in one transaction per
    /// proposal, through the same store calls, signatures and audit entries as the use
    /// cases: submit, accept, two sign-offs, `motions` motions of which the last approves
    /// (each with every voter's signed vote), and the final sign-off, to Active. One meeting
    /// holds up to 25 items. The last `open` proposals stop at their first step.
    pub(crate) fn simulate_reviews(
        &self,
        by: Option<Id>,
        proposals: &[Id],
        cast: &Cast,
        motions: usize,
        open: usize,
    ) -> Result<()> {
        let mut meeting: Option<Id> = None;
        for (i, pid) in proposals.iter().enumerate() {
            let pid = *pid;
            self.write(by, Need::Coordinator, |tx, actor| {
                let p = load(tx, pid)?;
                let submitted = p.status.apply(&ProposalEvent::Submit)?;
                repo::set_status(tx, pid, submitted, Some(actor.id))?;
                record(tx, actor, "proposal", &pid.to_string(), "submit", None::<()>, Some(&serde_json::json!({"status": submitted})))?;
                let complete = submitted.apply(&ProposalEvent::AcceptAsComplete)?;
                repo::set_status(tx, pid, complete, None)?;
                record(tx, actor, "proposal", &pid.to_string(), "accept_complete", None::<()>, Some(&serde_json::json!({"status": complete})))?;
                enter_route(tx, pid)?;
                if i + open >= proposals.len() {
                    return Ok(());
                }
                let sign_step = |who: &(Person, SigningKey)| -> Result<()> {
                    let step = store::open_step(tx, pid)?.ok_or_else(|| AppError::not_found("no open step"))?;
                    let id = store::insert_sign_off(tx, step.id, who.0.id, true, "", &now())?;
                    let signed = sign(&who.1, &who.0, "sign_off", format!("sign_off:{id}"), serde_json::json!({"proposal": pid, "step": step.name, "approve": true, "comment": ""}))?;
                    record(tx, actor, "proposal", &pid.to_string(), "sign_off", None::<()>, Some(&signed))?;
                    advance(tx, actor, pid, "signed off")
                };
                sign_step(&cast.head)?;
                sign_step(&cast.dean)?;
                let m = match meeting {
                    Some(m) if i % 25 != 0 => m,
                    _ => {
                        let m = store::insert_meeting(tx, &format!("Meeting {}", i / 25 + 1), "2026-01-15")?;
                        let present: Vec<Id> = cast.voters.iter().map(|v| v.0.id).collect();
                        store::set_attendance(tx, m, &present)?;
                        meeting = Some(m);
                        m
                    }
                };
                let mut agenda: Vec<Id> = store::agenda(tx, m)?.into_iter().map(|(p, _)| p).collect();
                agenda.push(pid);
                store::set_agenda(tx, m, &agenda)?;
                for k in 0..motions {
                    let decision = if k + 1 == motions { Decision::Approve } else { Decision::Table };
                    let json = serde_json::to_string(&decision).map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
                    let motion = store::insert_motion(tx, m, pid, &json, cast.voters[1].0.id, cast.voters[2].0.id)?;
                    record(tx, actor, "motion", &motion.to_string(), "move", None::<()>, Some(&serde_json::json!({"proposal": pid, "decision": decision})))?;
                    for (voter, key) in &cast.voters {
                        let id = store::insert_vote(tx, motion, voter.id, VoteChoice::For, &now())?;
                        let signed = sign(key, voter, "vote", format!("vote:{id}"), serde_json::json!({"motion": motion, "proposal": pid, "choice": VoteChoice::For}))?;
                        record(tx, actor, "vote", &id.to_string(), "vote", None::<()>, Some(&signed))?;
                    }
                    let n = cast.voters.len() as u32;
                    let tally = Tally { for_: n, against: 0, abstain: 0, base: n, carried: true };
                    let tally_json = serde_json::to_string(&tally).map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
                    let closed = MotionStatus::Open.apply(MotionEvent::Close { carried: true })?;
                    store::close_motion(tx, motion, closed.key(), &tally_json)?;
                    let signed = sign(&cast.chair.1, &cast.chair.0, "decision", format!("motion:{motion}"), serde_json::json!({"proposal": pid, "meeting": m, "decision": decision, "tally": tally, "carried": true}))?;
                    record(tx, actor, "motion", &motion.to_string(), "close", None::<()>, Some(&signed))?;
                    if k + 1 == motions {
                        store::set_item_outcome(tx, m, pid, decision.label())?;
                        apply_decision(tx, actor, pid, &decision, signed)?;
                    }
                }
                sign_step(&cast.final_approver)
            })?;
        }
        Ok(())
    }
}
