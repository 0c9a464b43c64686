//! What change and termination requests say beyond their content (the `proposal` row is the
//! case itself; see `proposals`). On [`crate::sql::Sql`].

use crate::args;
use crate::sql::Sql;
use crate::{Result, StoreError};
use credence_domain::case::{CaseKind, ChangeDetails, TerminationDetails};
use credence_domain::diff::ChangeLevel;
use credence_domain::proposal::ProposalStatus;
use credence_domain::Id;

/// A change request's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub case_id: Id,
    /// The version its draft started from.
    pub base_version: i64,
    pub details: ChangeDetails,
    /// The level a coordinator set (none: the triage rules decide).
    pub level: Option<ChangeLevel>,
    pub level_reason: Option<String>,
    /// When a periodic review required the change: the day it is due (decided) by.
    pub due_on: Option<String>,
}

fn level_key(l: ChangeLevel) -> &'static str {
    match l {
        ChangeLevel::Minor => "minor",
        ChangeLevel::Major => "major",
        ChangeLevel::NewMicrocredential => "new_microcredential",
    }
}

fn level_from(s: &str) -> Result<ChangeLevel> {
    [
        ChangeLevel::Minor,
        ChangeLevel::Major,
        ChangeLevel::NewMicrocredential,
    ]
    .into_iter()
    .find(|l| level_key(*l) == s)
    .ok_or_else(|| StoreError::Decode(format!("unknown change level {s:?}")))
}

pub fn insert_change(db: &dyn Sql, case: Id, base_version: i64) -> Result<()> {
    db.execute(
        "INSERT INTO change_request (case_id, base_version) VALUES (?1, ?2)",
        args![case, base_version],
    )?;
    Ok(())
}

pub fn change(db: &dyn Sql, case: Id) -> Result<Option<ChangeRow>> {
    db.map_opt(
        "SELECT base_version, rationale, effective_term, learner_notice, level, level_reason,
                due_on
         FROM change_request WHERE case_id = ?1",
        args![case],
        |r| {
            let level: Option<String> = r.get(4)?;
            Ok(ChangeRow {
                case_id: case,
                base_version: r.get(0)?,
                details: ChangeDetails {
                    rationale: r.get(1)?,
                    effective_term: r.get(2)?,
                    learner_notice: r.get(3)?,
                },
                level: level.as_deref().map(level_from).transpose()?,
                level_reason: r.get(5)?,
                due_on: r.get(6)?,
            })
        },
    )
}

pub fn set_change_details(db: &dyn Sql, case: Id, d: &ChangeDetails) -> Result<()> {
    db.execute(
        "UPDATE change_request SET rationale = ?2, effective_term = ?3, learner_notice = ?4
         WHERE case_id = ?1",
        args![case, d.rationale, d.effective_term, d.learner_notice],
    )?;
    Ok(())
}

/// The day a change required by a periodic review is due by.
pub fn set_change_due(db: &dyn Sql, case: Id, due_on: &str) -> Result<()> {
    db.execute(
        "UPDATE change_request SET due_on = ?2 WHERE case_id = ?1",
        args![case, due_on],
    )?;
    Ok(())
}

/// Open change requests that are due by a date: (case, microcredential, due on).
pub fn changes_due(db: &dyn Sql) -> Result<Vec<(Id, Id, String)>> {
    db.map(
        "SELECT c.case_id, p.microcredential_id, c.due_on
         FROM change_request c JOIN proposal p ON p.id = c.case_id
         WHERE c.due_on IS NOT NULL
           AND p.status NOT IN ('active', 'rejected', 'withdrawn')
         ORDER BY c.due_on, c.case_id",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

pub fn set_change_level(
    db: &dyn Sql,
    case: Id,
    level: ChangeLevel,
    reason: Option<&str>,
) -> Result<()> {
    db.execute(
        "UPDATE change_request SET level = ?2, level_reason = ?3 WHERE case_id = ?1",
        args![case, level_key(level), reason],
    )?;
    Ok(())
}

pub fn insert_termination(
    db: &dyn Sql,
    case: Id,
    t: &TerminationDetails,
    impact: &serde_json::Value,
) -> Result<()> {
    db.execute(
        "INSERT INTO termination_request (case_id, reason, last_intake_on, teach_out_until, impact_json)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        args![
            case,
            t.reason,
            t.last_intake_on,
            t.teach_out_until,
            impact.to_string()
        ],
    )?;
    Ok(())
}

/// A termination request and the impact computed when it was made (as stored: JSON).
pub fn termination(
    db: &dyn Sql,
    case: Id,
) -> Result<Option<(TerminationDetails, serde_json::Value)>> {
    db.map_opt(
        "SELECT reason, last_intake_on, teach_out_until, impact_json
         FROM termination_request WHERE case_id = ?1",
        args![case],
        |r| {
            let impact = serde_json::from_str(&r.get::<String>(3)?)
                .map_err(|e| StoreError::Decode(e.to_string()))?;
            Ok((
                TerminationDetails {
                    reason: r.get(0)?,
                    last_intake_on: r.get(1)?,
                    teach_out_until: r.get(2)?,
                },
                impact,
            ))
        },
    )
}

/// A case about a microcredential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: Id,
    pub kind: CaseKind,
    pub status: ProposalStatus,
    pub title: String,
    pub created_at: String,
}

/// The cases of a microcredential, oldest first: the proposal that created it, then its
/// change and termination requests.
pub fn of_microcredential(db: &dyn Sql, microcredential: Id) -> Result<Vec<CaseRow>> {
    db.map(
        "SELECT id, kind, status, title, created_at FROM proposal
         WHERE microcredential_id = ?1 OR id = ?1 ORDER BY id",
        args![microcredential],
        |r| {
            Ok(CaseRow {
                id: r.get(0)?,
                kind: crate::proposals::kind_from(&r.get::<String>(1)?)?,
                status: crate::proposals::status_from(&r.get::<String>(2)?)?,
                title: r.get(3)?,
                created_at: r.get(4)?,
            })
        },
    )
}
