//! Claims of prior learning (see `migrations/0016_renewals_prior_learning.sql`; on
//! [`crate::sql::Sql`]).

use crate::args;
use crate::sql::{Columns, Sql};
use crate::Result;
use credence_domain::Id;

/// A claim as stored; the evidence and the assessment as their JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRow {
    pub id: Id,
    pub proposal_id: Id,
    pub microcredential: String,
    pub version: i64,
    pub learner_name: String,
    pub learner_email: String,
    pub learner_did: Option<String>,
    pub statement: String,
    pub evidence_json: String,
    pub opened_at: String,
    pub opened_by: Option<String>,
    pub state: String,
    pub assessment_json: Option<String>,
    pub assessor_id: Option<Id>,
    pub assessor: Option<String>,
    pub decided_at: Option<String>,
    pub award_id: Option<String>,
}

/// What a new claim stores.
pub struct NewClaim<'a> {
    pub proposal_id: Id,
    pub version: i64,
    pub learner_name: &'a str,
    pub learner_email: &'a str,
    pub learner_did: Option<&'a str>,
    pub statement: &'a str,
    pub opened_at: &'a str,
    pub opened_by: Option<Id>,
}

pub fn insert(db: &dyn Sql, c: &NewClaim) -> Result<Id> {
    db.map_one(
        "INSERT INTO prior_learning (proposal_id, version, learner_name, learner_email,
             learner_did, statement, opened_at, opened_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT id FROM person WHERE id = ?8))
         RETURNING id",
        args![
            c.proposal_id,
            c.version,
            c.learner_name,
            c.learner_email,
            c.learner_did,
            c.statement,
            c.opened_at,
            c.opened_by
        ],
        |r| r.get(0),
    )
}

const COLUMNS: &str = "c.id, c.proposal_id, p.title, c.version, c.learner_name, c.learner_email,
    c.learner_did, c.statement, c.evidence_json, c.opened_at, o.name, c.state,
    c.assessment_json, c.assessor_id, a.name, c.decided_at, c.award_id";
const FROM: &str = "prior_learning c JOIN proposal p ON p.id = c.proposal_id
    LEFT JOIN person o ON o.id = c.opened_by LEFT JOIN person a ON a.id = c.assessor_id";

fn row(r: &dyn Columns) -> Result<ClaimRow> {
    Ok(ClaimRow {
        id: r.get(0)?,
        proposal_id: r.get(1)?,
        microcredential: r.get(2)?,
        version: r.get(3)?,
        learner_name: r.get(4)?,
        learner_email: r.get(5)?,
        learner_did: r.get(6)?,
        statement: r.get(7)?,
        evidence_json: r.get(8)?,
        opened_at: r.get(9)?,
        opened_by: r.get(10)?,
        state: r.get(11)?,
        assessment_json: r.get(12)?,
        assessor_id: r.get(13)?,
        assessor: r.get(14)?,
        decided_at: r.get(15)?,
        award_id: r.get(16)?,
    })
}

pub fn get(db: &dyn Sql, id: Id) -> Result<Option<ClaimRow>> {
    db.map_opt(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE c.id = ?1"),
        args![id],
        row,
    )
}

/// Every claim, the open ones first, then newest first.
pub fn list(db: &dyn Sql) -> Result<Vec<ClaimRow>> {
    db.map(
        &format!(
            "SELECT {COLUMNS} FROM {FROM}
             ORDER BY c.state = 'open' DESC, c.opened_at DESC, c.id DESC"
        ),
        args![],
        row,
    )
}

/// How many claims wait for an assessor.
pub fn open_count(db: &dyn Sql) -> Result<i64> {
    db.map_one(
        "SELECT count(*) FROM prior_learning WHERE state = 'open'",
        args![],
        |r| r.get(0),
    )
}

pub fn set_evidence(db: &dyn Sql, id: Id, evidence_json: &str) -> Result<()> {
    db.execute(
        "UPDATE prior_learning SET evidence_json = ?2 WHERE id = ?1",
        args![id, evidence_json],
    )?;
    Ok(())
}

pub fn set_decision(
    db: &dyn Sql,
    id: Id,
    state: &str,
    assessment_json: &str,
    assessor: Id,
    at: &str,
) -> Result<()> {
    db.execute(
        "UPDATE prior_learning SET state = ?2, assessment_json = ?3, assessor_id = ?4,
             decided_at = ?5
         WHERE id = ?1",
        args![id, state, assessment_json, assessor, at],
    )?;
    Ok(())
}

pub fn set_award(db: &dyn Sql, id: Id, award: &str) -> Result<()> {
    db.execute(
        "UPDATE prior_learning SET award_id = ?2 WHERE id = ?1",
        args![id, award],
    )?;
    Ok(())
}

/// The claim an award was made for, if it was made by recognition of prior learning.
pub fn claim_of_award(db: &dyn Sql, award: &str) -> Result<Option<Id>> {
    db.map_opt(
        "SELECT id FROM prior_learning WHERE award_id = ?1",
        args![award],
        |r| r.get(0),
    )
}
