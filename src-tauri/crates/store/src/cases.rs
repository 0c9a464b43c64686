//! What change and termination requests say beyond their content (the `proposal` row is the
//! case itself; see `proposals`).

use credence_domain::case::{CaseKind, ChangeDetails, TerminationDetails};
use credence_domain::diff::ChangeLevel;
use credence_domain::proposal::ProposalStatus;
use credence_domain::Id;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{Result, StoreError};

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

pub fn insert_change(conn: &Connection, case: Id, base_version: i64) -> Result<()> {
    conn.prepare_cached("INSERT INTO change_request (case_id, base_version) VALUES (?1, ?2)")?
        .execute(params![case, base_version])?;
    Ok(())
}

pub fn change(conn: &Connection, case: Id) -> Result<Option<ChangeRow>> {
    let row = conn
        .prepare_cached(
            "SELECT base_version, rationale, effective_term, learner_notice, level, level_reason,
                    due_on
             FROM change_request WHERE case_id = ?1",
        )?
        .query_row([case], |r| {
            Ok((
                ChangeRow {
                    case_id: case,
                    base_version: r.get(0)?,
                    details: ChangeDetails {
                        rationale: r.get(1)?,
                        effective_term: r.get(2)?,
                        learner_notice: r.get(3)?,
                    },
                    level: None,
                    level_reason: r.get(5)?,
                    due_on: r.get(6)?,
                },
                r.get::<_, Option<String>>(4)?,
            ))
        })
        .optional()?;
    row.map(|(row, level)| {
        Ok(ChangeRow {
            level: level.as_deref().map(level_from).transpose()?,
            ..row
        })
    })
    .transpose()
}

pub fn set_change_details(conn: &Connection, case: Id, d: &ChangeDetails) -> Result<()> {
    conn.prepare_cached(
        "UPDATE change_request SET rationale = ?2, effective_term = ?3, learner_notice = ?4
         WHERE case_id = ?1",
    )?
    .execute(params![
        case,
        d.rationale,
        d.effective_term,
        d.learner_notice
    ])?;
    Ok(())
}

/// The day a change required by a periodic review is due by.
pub fn set_change_due(conn: &Connection, case: Id, due_on: &str) -> Result<()> {
    conn.prepare_cached("UPDATE change_request SET due_on = ?2 WHERE case_id = ?1")?
        .execute(params![case, due_on])?;
    Ok(())
}

/// Open change requests that are due by a date: (case, microcredential, due on).
pub fn changes_due(conn: &Connection) -> Result<Vec<(Id, Id, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.case_id, p.microcredential_id, c.due_on
         FROM change_request c JOIN proposal p ON p.id = c.case_id
         WHERE c.due_on IS NOT NULL
           AND p.status NOT IN ('active', 'rejected', 'withdrawn')
         ORDER BY c.due_on, c.case_id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

pub fn set_change_level(
    conn: &Connection,
    case: Id,
    level: ChangeLevel,
    reason: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE change_request SET level = ?2, level_reason = ?3 WHERE case_id = ?1",
    )?
    .execute(params![case, level_key(level), reason])?;
    Ok(())
}

pub fn insert_termination(
    conn: &Connection,
    case: Id,
    t: &TerminationDetails,
    impact: &serde_json::Value,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO termination_request (case_id, reason, last_intake_on, teach_out_until, impact_json)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        case,
        t.reason,
        t.last_intake_on,
        t.teach_out_until,
        impact.to_string()
    ])?;
    Ok(())
}

/// A termination request and the impact computed when it was made (as stored: JSON).
pub fn termination(
    conn: &Connection,
    case: Id,
) -> Result<Option<(TerminationDetails, serde_json::Value)>> {
    let row: Option<(String, Option<String>, String, String)> = conn
        .prepare_cached(
            "SELECT reason, last_intake_on, teach_out_until, impact_json
             FROM termination_request WHERE case_id = ?1",
        )?
        .query_row([case], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    row.map(|(reason, last_intake_on, teach_out_until, impact)| {
        let impact =
            serde_json::from_str(&impact).map_err(|e| StoreError::Decode(e.to_string()))?;
        Ok((
            TerminationDetails {
                reason,
                last_intake_on,
                teach_out_until,
            },
            impact,
        ))
    })
    .transpose()
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
pub fn of_microcredential(conn: &Connection, microcredential: Id) -> Result<Vec<CaseRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, status, title, created_at FROM proposal
         WHERE microcredential_id = ?1 OR id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([microcredential], |r| {
        Ok((
            r.get::<_, Id>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get(3)?,
            r.get(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind, status, title, created_at) = row?;
        out.push(CaseRow {
            id,
            kind: crate::proposals::kind_from(&kind)?,
            status: crate::proposals::status_from(&status)?,
            title,
            created_at,
        });
    }
    Ok(out)
}
