//! Issuing batches: a roster issued as a job committed in chunks (see
//! `migrations/0013_batches.sql`). On [`crate::sql::Sql`].

use crate::args;
use crate::sql::{Columns, Sql};
use crate::Result;
use credence_domain::award::Award;
use credence_domain::Id;

/// A batch as stored, without its learners (`learners` reads them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRow {
    pub id: String,
    pub proposal_id: Id,
    pub title: String,
    pub version: i64,
    pub language: String,
    pub roster_digest: String,
    pub total: i64,
    pub done: i64,
    pub state: String,
    pub started_on: String,
    pub started_at: String,
    pub started_by: Option<Id>,
    pub finished_at: Option<String>,
    pub out_dir: Option<String>,
    pub formats: Option<String>,
    pub files_done: i64,
    /// Awards this batch issued (rows already held before it are not counted).
    pub issued: i64,
}

const COLUMNS: &str = "b.id, b.proposal_id, p.title, b.version, b.language, b.roster_digest,
    b.total, b.done, b.state, b.started_on, b.started_at, b.started_by, b.finished_at,
    b.out_dir, b.formats, b.files_done,
    (SELECT count(*) FROM award a WHERE a.batch_id = b.id)";
const FROM: &str = "issue_batch b JOIN proposal p ON p.id = b.proposal_id";

fn row(r: &dyn Columns) -> Result<BatchRow> {
    Ok(BatchRow {
        id: r.get(0)?,
        proposal_id: r.get(1)?,
        title: r.get(2)?,
        version: r.get(3)?,
        language: r.get(4)?,
        roster_digest: r.get(5)?,
        total: r.get(6)?,
        done: r.get(7)?,
        state: r.get(8)?,
        started_on: r.get(9)?,
        started_at: r.get(10)?,
        started_by: r.get(11)?,
        finished_at: r.get(12)?,
        out_dir: r.get(13)?,
        formats: r.get(14)?,
        files_done: r.get(15)?,
        issued: r.get(16)?,
    })
}

/// A batch about to start.
pub struct NewBatch<'a> {
    pub id: &'a str,
    pub proposal_id: Id,
    pub version: i64,
    pub language: &'a str,
    pub roster_digest: &'a str,
    pub learners_json: &'a str,
    pub total: i64,
    pub started_on: &'a str,
    pub started_at: &'a str,
    pub started_by: Option<Id>,
}

/// Stores a new batch, its learners in a row of their own (`issue_batch_learners`): the
/// batch's row is updated at every chunk and would carry them each time.
pub fn insert(db: &dyn Sql, b: &NewBatch) -> Result<()> {
    db.execute(
        "INSERT INTO issue_batch (id, proposal_id, version, language, roster_digest,
            learners_json, total, state, started_on, started_at, started_by)
         VALUES (?1, ?2, ?3, ?4, ?5, '', ?6, 'running', ?7, ?8, ?9)",
        args![
            b.id,
            b.proposal_id,
            b.version,
            b.language,
            b.roster_digest,
            b.total,
            b.started_on,
            b.started_at,
            b.started_by
        ],
    )?;
    db.execute(
        "INSERT INTO issue_batch_learners (batch_id, learners_json) VALUES (?1, ?2)",
        args![b.id, b.learners_json],
    )?;
    Ok(())
}

pub fn get(db: &dyn Sql, id: &str) -> Result<Option<BatchRow>> {
    db.map_opt(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE b.id = ?1"),
        args![id],
        row,
    )
}

/// The newest batch of this microcredential and roster that was not closed: the one the
/// same roster given again resumes (or, finished, reports).
pub fn latest_of(db: &dyn Sql, proposal: Id, digest: &str) -> Result<Option<BatchRow>> {
    db.map_opt(
        &format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE b.proposal_id = ?1 AND b.roster_digest = ?2
               AND b.state <> 'closed'
             ORDER BY b.started_at DESC LIMIT 1"
        ),
        args![proposal, digest],
        row,
    )
}

/// Batches not finished or closed, then the `recent` newest others; newest first.
pub fn list(db: &dyn Sql, recent: i64) -> Result<Vec<BatchRow>> {
    db.map(
        &format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE b.state IN ('running', 'cancelled')
         UNION ALL
         SELECT * FROM (SELECT {COLUMNS} FROM {FROM}
            WHERE b.state IN ('finished', 'closed') ORDER BY b.started_at DESC LIMIT ?1) AS recent
         ORDER BY 11 DESC"
        ),
        args![recent],
        row,
    )
}

/// The batch's learners as checked when it started (JSON of `LearnerInput`s): in their own
/// row, or in the batch's for a batch started before schema 20.
pub fn learners_json(db: &dyn Sql, id: &str) -> Result<Option<String>> {
    db.map_opt(
        "SELECT coalesce(l.learners_json, b.learners_json)
         FROM issue_batch b LEFT JOIN issue_batch_learners l ON l.batch_id = b.id
         WHERE b.id = ?1",
        args![id],
        |r| r.get(0),
    )
}

/// Records that the roster's first `done` rows are issued (never fewer than recorded: two
/// processes may run the same batch).
pub fn set_done(db: &dyn Sql, id: &str, done: i64) -> Result<()> {
    db.execute(
        "UPDATE issue_batch SET done = CASE WHEN done < ?2 THEN ?2 ELSE done END WHERE id = ?1",
        args![id, done],
    )?;
    Ok(())
}

/// The batch's state alone (`get` counts its awards too).
pub fn state(db: &dyn Sql, id: &str) -> Result<Option<String>> {
    db.map_opt(
        "SELECT state FROM issue_batch WHERE id = ?1",
        args![id],
        |r| r.get(0),
    )
}

/// Sets the batch's state (`finished_at` when it is finished or closed).
pub fn set_state(db: &dyn Sql, id: &str, state: &str, at: Option<&str>) -> Result<()> {
    db.execute(
        "UPDATE issue_batch SET state = ?2, finished_at = ?3 WHERE id = ?1",
        args![id, state, at],
    )?;
    Ok(())
}

/// Records where the batch's files go and how many rows' files are complete there.
pub fn set_files(
    db: &dyn Sql,
    id: &str,
    out_dir: &str,
    formats: &str,
    files_done: i64,
) -> Result<()> {
    db.execute(
        "UPDATE issue_batch SET out_dir = ?2, formats = ?3, files_done = ?4 WHERE id = ?1",
        args![id, out_dir, formats, files_done],
    )?;
    Ok(())
}

/// The award a learner holds of a microcredential for a completion date (not superseded).
pub fn award_of(
    db: &dyn Sql,
    proposal: Id,
    email: &str,
    completed_on: &str,
) -> Result<Option<Award>> {
    let id: Option<String> = db.map_opt(
        "SELECT id FROM award WHERE proposal_id = ?1 AND learner_email = ?2
               AND completed_on = ?3 AND superseded_by IS NULL",
        args![proposal, email, completed_on],
        |r| r.get(0),
    )?;
    match id {
        Some(id) => crate::issuing::award(db, &id),
        None => Ok(None),
    }
}

/// As [`award_of`], with the batch that issued the award (if one did).
pub fn award_and_batch_of(
    db: &dyn Sql,
    proposal: Id,
    email: &str,
    completed_on: &str,
) -> Result<Option<(Award, Option<String>)>> {
    let found: Option<(String, Option<String>)> = db.map_opt(
        "SELECT id, batch_id FROM award WHERE proposal_id = ?1 AND learner_email = ?2
               AND completed_on = ?3 AND superseded_by IS NULL",
        args![proposal, email, completed_on],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    match found {
        Some((id, batch)) => Ok(crate::issuing::award_by_id(db, &id)?.map(|a| (a, batch))),
        None => Ok(None),
    }
}
