//! Issuing a roster as a batch: a job with an id, committed in chunks of `CHUNK` learners
//! (each chunk one transaction: status indices, signed credentials, awards, audit entries
//! and the batch's progress together), so a window reading the workspace waits for one chunk
//! at most, and a process killed at any moment loses nothing: running the batch again (the
//! same roster given again finds it) goes on from the first chunk not committed.
//!
//! Idempotency is by (microcredential, learner, completion date), with a blank completion
//! date fixed to the day the batch started: a batch resumed the next day issues the same
//! awards, not new ones. The microcredential version and language are fixed at the start too.

use std::collections::HashMap;

use credence_domain::award::{Award, LearnerInput};
use credence_domain::Id;
use credence_store::batches::{self, BatchRow};
use credence_store::issuing as store;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::{
    check_learners_on, internal, locked, may_issue, Awarding, CheckedLearners, IssuedRow, Planned,
};
use crate::kernel::{record, refuse, Need};
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// Learners a chunk of a batch issues in one transaction.
pub const CHUNK: usize = 200;

/// Where a batch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BatchState {
    /// Started and not finished: running now, or stopped by a crash (then resumable).
    Running,
    /// Stopped by someone before the end; resumable.
    Cancelled,
    Finished,
    /// Stopped and set aside: the awards it issued stay, the rest is not issued.
    Closed,
}

impl BatchState {
    fn parse(text: &str) -> Self {
        match text {
            "cancelled" => Self::Cancelled,
            "finished" => Self::Finished,
            "closed" => Self::Closed,
            _ => Self::Running,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Cancelled => "cancelled",
            Self::Finished => "finished",
            Self::Closed => "closed",
        }
    }
}

/// A roster batch as people see it, with what the acting person may do with it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Batch {
    pub id: String,
    pub proposal_id: Id,
    pub microcredential: String,
    pub version: i64,
    pub language: String,
    /// Learners on the roster, and how many of them (in roster order) are issued so far.
    pub total: u32,
    pub done: u32,
    /// Awards this batch issued (learners who already held the award are not counted).
    pub issued: u32,
    pub state: BatchState,
    /// The completion date of every learner whose row gave none: the day it started.
    pub started_on: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// Running in this process now.
    pub active: bool,
    pub may_resume: bool,
    pub may_cancel: bool,
    pub may_close: bool,
}

/// A batch's stored row and its learners, read once.
pub(crate) struct BatchRoster {
    pub(crate) row: BatchRow,
    pub(crate) learners: Vec<LearnerInput>,
}

/// How many of a batch's rows have their files complete and synced, recorded when the
/// workspace is free rather than after waiting for the chunk the batch is committing (the
/// files threads would wait behind it, and the batch behind them), and at most
/// [`FilesRecord::UNRECORDED`] rows late (a run killed then writes their files again).
pub struct FilesRecord<'a> {
    ws: &'a Workspace,
    id: &'a str,
    out_dir: &'a str,
    formats: &'a str,
    recorded: u32,
    synced: u32,
}

impl FilesRecord<'_> {
    /// Rows whose files may go unrecorded for a while: four chunks.
    pub const UNRECORDED: u32 = 4 * CHUNK as u32;

    /// The files of the first `done` rows are complete and synced.
    pub fn synced(&mut self, done: u32) -> Result<()> {
        self.synced = done;
        if done.saturating_sub(self.recorded) >= Self::UNRECORDED {
            self.ws
                .set_batch_files(self.id, self.out_dir, self.formats, done)?;
            self.recorded = done;
        } else if self
            .ws
            .try_write_bookkeeping(|tx| {
                record_files(tx, self.id, self.out_dir, self.formats, done)
            })?
            .is_some()
        {
            self.recorded = done;
        }
        Ok(())
    }

    /// Records what is synced and not yet recorded, waiting for the workspace.
    pub fn finish(self) -> Result<()> {
        if self.recorded < self.synced {
            self.ws
                .set_batch_files(self.id, self.out_dir, self.formats, self.synced)?;
        }
        Ok(())
    }
}

/// Where a batch's files went, in which formats, and how many rows' files are complete.
fn record_files(
    tx: &dyn credence_store::sql::Sql,
    id: &str,
    out_dir: &str,
    formats: &str,
    files_done: u32,
) -> Result<()> {
    Ok(batches::set_files(
        tx,
        id,
        out_dir,
        formats,
        files_done.into(),
    )?)
}

/// A roster's learners as given, in JSON, and its SHA-256: how the same roster given again
/// finds its batch.
fn digest(learners: &[LearnerInput]) -> Result<(String, String)> {
    let text = serde_json::to_string(learners).map_err(internal)?;
    let digest = hex::encode(Sha256::digest(text.as_bytes()));
    Ok((text, digest))
}

/// The learners of a batch just started, as checked on the day it started: its first run
/// takes them rather than reading and checking them again.
struct StartedLearners {
    started_on: chrono::NaiveDate,
    valid: Vec<credence_domain::award::Learner>,
}

impl Workspace {
    /// Starts a batch issuing `learners` (checked: checked again only where that was on
    /// another day), or finds the batch this same roster started before (not closed): the
    /// caller then runs it (`run_batch`), which goes on where it stopped, or reports it
    /// finished. Returns the batch and whether it was found rather than started.
    /// Coordinators and issuing staff.
    pub fn start_batch(
        &self,
        by: Option<Id>,
        microcredential: &str,
        learners: CheckedLearners,
    ) -> Result<(Batch, bool)> {
        let started_on = chrono::Utc::now().date_naive();
        let (learners, valid) = learners.on(started_on)?.into_parts();
        let (given_json, digest) = digest(&learners)?;
        let awarding = self.awarding(microcredential)?;
        let (id, found) = self.write(by, Need::Person, |tx, actor| {
            may_issue(tx, actor)?;
            if let Some(open) = batches::latest_of(tx, awarding.proposal_id, &digest)? {
                return Ok((open.id, true));
            }
            // Blank completion dates are the day the batch started, from now on.
            let blank = |l: &LearnerInput| l.completed_on.trim().is_empty();
            let filled_json = if learners.iter().any(blank) {
                let filled: Vec<LearnerInput> = learners
                    .iter()
                    .map(|l| LearnerInput {
                        completed_on: if blank(l) {
                            started_on.to_string()
                        } else {
                            l.completed_on.clone()
                        },
                        ..l.clone()
                    })
                    .collect();
                std::borrow::Cow::Owned(serde_json::to_string(&filled).map_err(internal)?)
            } else {
                std::borrow::Cow::Borrowed(given_json.as_str())
            };
            let id = credence_vc::credential::new_urn_uuid()
                .map_err(internal)?
                .trim_start_matches("urn:uuid:")
                .to_string();
            batches::insert(
                tx,
                &batches::NewBatch {
                    id: &id,
                    proposal_id: awarding.proposal_id,
                    version: awarding.version,
                    language: &awarding.language,
                    roster_digest: &digest,
                    learners_json: &filled_json,
                    total: i64::try_from(learners.len()).unwrap_or(i64::MAX),
                    started_on: &started_on.to_string(),
                    started_at: &crate::kernel::clock::now(),
                    started_by: actor.id,
                },
            )?;
            record(
                tx,
                actor,
                "issue_batch",
                &id,
                "start",
                None::<()>,
                Some(&serde_json::json!({
                    "microcredential": awarding.slug,
                    "version": awarding.version,
                    "language": awarding.language,
                    "learners": learners.len(),
                    "started_on": started_on.to_string(),
                })),
            )?;
            Ok((id, false))
        })?;
        if !found {
            self.jobs
                .prepare(&id, StartedLearners { started_on, valid });
        }
        Ok((self.batch(&id)?, found))
    }

    /// A batch by its id.
    pub fn batch(&self, id: &str) -> Result<Batch> {
        let row = self.read(|c| Ok(batches::get(c, id)?))?;
        let row = row.ok_or_else(|| AppError::not_found(format!("there is no batch {id}")))?;
        let may = self.may_issue_now()?;
        Ok(self.batch_view(row, may))
    }

    /// Batches not finished (running, stopped by a crash, or cancelled) and the ten newest
    /// others, newest first.
    pub fn batches(&self) -> Result<Vec<Batch>> {
        let rows = self.read(|c| Ok(batches::list(c, 10)?))?;
        let may = self.may_issue_now()?;
        Ok(rows.into_iter().map(|r| self.batch_view(r, may)).collect())
    }

    /// Whether the acting person may issue (so may run, cancel and close batches).
    fn may_issue_now(&self) -> Result<bool> {
        let Some(by) = self.acting_id()? else {
            return Ok(false);
        };
        self.read(|c| {
            let me = credence_store::people::get(c, by)?;
            Ok(me.is_some_and(|p| {
                p.has_role(credence_domain::person::Role::Coordinator)
                    || p.has_role(credence_domain::person::Role::Issuer)
            }))
        })
    }

    fn batch_view(&self, r: BatchRow, may: bool) -> Batch {
        let state = BatchState::parse(&r.state);
        let active = self.jobs.is_running(&r.id);
        let open = matches!(state, BatchState::Running | BatchState::Cancelled);
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Batch {
            may_resume: may && open && !active,
            may_cancel: may && active,
            may_close: may && open && !active,
            id: r.id,
            proposal_id: r.proposal_id,
            microcredential: r.title,
            version: r.version,
            language: r.language,
            total: count(r.total),
            done: count(r.done),
            issued: count(r.issued),
            state,
            started_on: r.started_on,
            started_at: r.started_at,
            finished_at: r.finished_at,
            active,
        }
    }

    /// Runs a batch from its first learner not yet issued to the end, a chunk of `CHUNK`
    /// learners per transaction, calling `progress` after each chunk is committed with the
    /// batch as it stands and the chunk's rows (new awards, each with its signed credential,
    /// and those the learners already held), handed over for the caller to keep or pass on
    /// without copying; an error from `progress` stops the run (what was committed stays). Stops early,
    /// cancelled and resumable, when `cancel_batch` asks. A finished batch returns at once.
    /// The issuer keys must be unlocked.
    pub fn run_batch(
        &self,
        by: Option<Id>,
        id: &str,
        progress: &mut dyn FnMut(&Batch, Vec<IssuedRow>) -> Result<()>,
    ) -> Result<Batch> {
        let run = self.jobs.start(id)?;
        let row = self
            .read(|c| Ok(batches::get(c, id)?))?
            .ok_or_else(|| AppError::not_found(format!("there is no batch {id}")))?;
        match BatchState::parse(&row.state) {
            BatchState::Finished => {
                drop(run);
                return self.batch(id);
            }
            BatchState::Closed => {
                return Err(refuse(
                    "batch",
                    "this batch was closed; give the roster again to start a new one",
                ))
            }
            BatchState::Running | BatchState::Cancelled => {}
        }
        let started_on =
            chrono::NaiveDate::parse_from_str(&row.started_on, "%Y-%m-%d").map_err(internal)?;
        // The learners as checked when this process started the batch, else as stored.
        let valid = match self.jobs.take_prepared::<StartedLearners>(id) {
            Some(started) if started.started_on == started_on => started.valid,
            _ => check_learners_on(&self.batch_learners(&row)?, started_on)?,
        };
        let awarding = self.batch_awarding(&row)?;
        if self.unlocked().is_none() {
            return Err(locked());
        }
        let resumed = row.done > 0 || row.state == "cancelled";
        self.write(by, Need::Person, |tx, actor| {
            may_issue(tx, actor)?;
            if resumed {
                batches::set_state(tx, id, BatchState::Running.as_str(), None)?;
                record(
                    tx,
                    actor,
                    "issue_batch",
                    id,
                    "resume",
                    None::<()>,
                    Some(&serde_json::json!({ "done": row.done, "learners": row.total })),
                )?;
            }
            Ok(())
        })?;
        // What the batch commits reaches the disk before files are written that name it.
        self.set_durable(true)?;
        let outcome = self.run_chunks(by, &run, &row, &awarding, &valid, progress);
        let _ = self.set_durable(false);
        drop(run);
        outcome?;
        self.batch(id)
    }

    fn run_chunks(
        &self,
        by: Option<Id>,
        run: &crate::kernel::jobs::Run<'_>,
        row: &BatchRow,
        awarding: &Awarding,
        valid: &[credence_domain::award::Learner],
        progress: &mut dyn FnMut(&Batch, Vec<IssuedRow>) -> Result<()>,
    ) -> Result<()> {
        let id = row.id.as_str();
        let done = usize::try_from(row.done).unwrap_or(0).min(valid.len());
        if done < valid.len() && self.pipeline(by, run, id, awarding, valid, done, progress)? {
            return Ok(());
        }
        self.write(by, Need::Person, |tx, actor| {
            // Counted on the awards' batch index, with the batch's row.
            let issued =
                batches::get(tx, id)?.map_or(0, |b| usize::try_from(b.issued).unwrap_or(0));
            batches::set_state(
                tx,
                id,
                BatchState::Finished.as_str(),
                Some(&crate::kernel::clock::now()),
            )?;
            record(
                tx,
                actor,
                "issue_batch",
                id,
                "finish",
                None::<()>,
                Some(&serde_json::json!({
                    "learners": valid.len(),
                    "issued": issued,
                    "already_held": valid.len().saturating_sub(issued),
                })),
            )
        })
    }

    /// Issues `valid[done..]` a chunk at a time, each chunk stored in its own transaction,
    /// calling `progress` after each commit. A chunk's credentials are signed (on every core,
    /// reading nothing) while the two chunks before are stored and committed: its learners
    /// and status entries are planned in the transaction two chunks before. Returns whether
    /// it stopped because it was cancelled (recorded).
    #[allow(clippy::too_many_arguments)]
    fn pipeline(
        &self,
        by: Option<Id>,
        run: &crate::kernel::jobs::Run<'_>,
        id: &str,
        awarding: &Awarding,
        valid: &[credence_domain::award::Learner],
        mut done: usize,
        progress: &mut dyn FnMut(&Batch, Vec<IssuedRow>) -> Result<()>,
    ) -> Result<bool> {
        let signing = self.read(|c| self.signing(c, awarding))?;
        let signing = &signing;
        let chunk = |from: usize| from..(from + CHUNK).min(valid.len());
        std::thread::scope(|scope| {
            let sign = |range: std::ops::Range<usize>, planned: Planned| {
                scope.spawn(move || {
                    let signed = signing.sign(&valid[range], &planned)?;
                    Ok::<_, AppError>((planned, signed))
                })
            };
            // Two chunks are signed ahead of the one being stored, so the cores have signing
            // to do while this thread waits for the disk.
            let mut pending = std::collections::VecDeque::new();
            let mut planned_to = done;
            let planned = self.write(by, Need::Person, |tx, actor| {
                may_issue(tx, actor)?;
                let mut planned = Vec::new();
                for range in [chunk(done), chunk(chunk(done).end)] {
                    if !range.is_empty() {
                        planned.push((range.clone(), signing.plan(tx, awarding, &valid[range])?));
                    }
                }
                Ok(planned)
            })?;
            for (range, planned) in planned {
                planned_to = range.end;
                pending.push_back(sign(range, planned));
            }
            // What `progress` is shown, read once and kept up to date chunk by chunk (read
            // again each time, its count of issued awards read them all).
            let mut view = self.batch(id)?;
            while let Some(signing_now) = pending.pop_front() {
                let (planned, signed) = signing_now
                    .join()
                    .map_err(|_| internal("a signing thread failed"))??;
                let range = chunk(done);
                if run.cancelled() {
                    // What was signed for this chunk is not stored; its status entries stay
                    // unused.
                    self.write(by, Need::Person, |tx, actor| {
                        batches::set_state(tx, id, BatchState::Cancelled.as_str(), None)?;
                        record(
                            tx,
                            actor,
                            "issue_batch",
                            id,
                            "cancel",
                            None::<()>,
                            Some(&serde_json::json!({ "done": done, "learners": valid.len() })),
                        )
                    })?;
                    return Ok(true);
                }
                if self.unlocked().is_none() {
                    return Err(locked());
                }
                let next = chunk(planned_to);
                let rows = self.write(by, Need::Person, |tx, actor| {
                    may_issue(tx, actor)?;
                    // Another seat may have closed it meanwhile.
                    let state = batches::state(tx, id)?.map(|s| BatchState::parse(&s));
                    if state == Some(BatchState::Closed) {
                        return Err(refuse("batch", "this batch was closed meanwhile"));
                    }
                    if !next.is_empty() {
                        let planned = signing.plan(tx, awarding, &valid[next.clone()])?;
                        planned_to = next.end;
                        pending.push_back(sign(next, planned));
                    }
                    let report = signing.store(
                        tx,
                        actor,
                        awarding,
                        &valid[range.clone()],
                        planned,
                        signed,
                        Some(id),
                    )?;
                    batches::set_done(tx, id, i64::try_from(range.end).unwrap_or(i64::MAX))?;
                    Ok(report.rows)
                })?;
                done = range.end;
                view.done = u32::try_from(done).unwrap_or(u32::MAX);
                let new = rows.iter().filter(|r| r.new).count();
                view.issued = view
                    .issued
                    .saturating_add(u32::try_from(new).unwrap_or(u32::MAX));
                progress(&view, rows)?;
            }
            Ok(false)
        })
    }

    /// Asks a batch running in this process to stop after the chunk it is committing; a
    /// batch left running by a process that stopped is marked cancelled at once.
    pub fn cancel_batch(&self, by: Option<Id>, id: &str) -> Result<Batch> {
        if !self.jobs.cancel(id) {
            self.set_batch_state(by, id, BatchState::Cancelled, "cancel")?;
        }
        self.batch(id)
    }

    /// Sets aside a batch that is not running: the awards it issued stay; the rest of the
    /// roster is not issued (giving the roster again starts a new batch).
    pub fn close_batch(&self, by: Option<Id>, id: &str) -> Result<Batch> {
        if self.jobs.is_running(id) {
            return Err(refuse("batch", "cancel the batch first; it is running"));
        }
        self.set_batch_state(by, id, BatchState::Closed, "close")?;
        self.batch(id)
    }

    fn set_batch_state(
        &self,
        by: Option<Id>,
        id: &str,
        state: BatchState,
        action: &str,
    ) -> Result<()> {
        self.write(by, Need::Person, |tx, actor| {
            may_issue(tx, actor)?;
            let row = batches::get(tx, id)?
                .ok_or_else(|| AppError::not_found(format!("there is no batch {id}")))?;
            if !matches!(row.state.as_str(), "running" | "cancelled") {
                return Err(refuse("batch", format!("this batch is {}", row.state)));
            }
            let at = (state == BatchState::Closed).then(crate::kernel::clock::now);
            batches::set_state(tx, id, state.as_str(), at.as_deref())?;
            record(
                tx,
                actor,
                "issue_batch",
                id,
                action,
                None::<()>,
                Some(&serde_json::json!({ "done": row.done, "learners": row.total })),
            )
        })
    }

    /// The batch's roster rows `from..to` with the award each learner holds for it (`new`
    /// where this batch issued it); rows not issued yet, or whose award was since corrected
    /// to another date, are left out.
    pub fn batch_rows(&self, id: &str, from: usize, to: usize) -> Result<Vec<IssuedRow>> {
        let roster = self.batch_roster(id)?;
        self.roster_rows(&roster, from, to)
    }

    /// A batch as stored, with its learners read once (for work that goes through them a
    /// chunk at a time: `roster_rows`).
    pub(crate) fn batch_roster(&self, id: &str) -> Result<BatchRoster> {
        let row = self
            .read(|c| Ok(batches::get(c, id)?))?
            .ok_or_else(|| AppError::not_found(format!("there is no batch {id}")))?;
        let learners = self.batch_learners(&row)?;
        Ok(BatchRoster { row, learners })
    }

    /// The rows `from..to` of a batch's roster with their awards, as `batch_rows` says.
    pub(crate) fn roster_rows(
        &self,
        roster: &BatchRoster,
        from: usize,
        to: usize,
    ) -> Result<Vec<IssuedRow>> {
        let to = to.min(roster.learners.len());
        let from = from.min(to);
        self.read(|c| {
            // For much of the roster (its manifest), the batch's own awards in one statement;
            // a learner who held theirs before the batch (or whose award it issued was since
            // corrected) is looked up alone, as every learner of a chunk is.
            let mut own: HashMap<(String, String), Award> =
                if (to - from) * 4 >= roster.learners.len() {
                    store::live_awards_of_batch(c, &roster.row.id)?
                        .into_iter()
                        .map(|a| ((a.learner_email.clone(), a.completed_on.clone()), a))
                        .collect()
                } else {
                    HashMap::new()
                };
            let mut out = Vec::with_capacity(to - from);
            for learner in &roster.learners[from..to] {
                let email = learner.email.trim().to_lowercase();
                let date = learner.completed_on.trim();
                if let Some(award) = own.remove(&(email.clone(), date.to_string())) {
                    out.push(IssuedRow {
                        award,
                        new: true,
                        credential_json: None,
                    });
                } else if let Some((award, batch)) =
                    batches::award_and_batch_of(c, roster.row.proposal_id, &email, date)?
                {
                    let new = batch.as_deref() == Some(roster.row.id.as_str());
                    out.push(IssuedRow {
                        award,
                        new,
                        credential_json: None,
                    });
                }
            }
            Ok(out)
        })
    }

    /// Records where the command line wrote the batch's files, in which formats, and that the
    /// files of its first `files_done` rows are complete there and synced to the disk.
    pub fn set_batch_files(
        &self,
        id: &str,
        out_dir: &str,
        formats: &str,
        files_done: u32,
    ) -> Result<()> {
        self.write_bookkeeping(|tx| record_files(tx, id, out_dir, formats, files_done))
    }

    /// What records, for a thread syncing a batch's files chunk by chunk, how many rows'
    /// files are complete in `out_dir` in `formats`, from `files_done` (those complete when
    /// it starts).
    pub fn batch_files_record<'a>(
        &'a self,
        id: &'a str,
        out_dir: &'a str,
        formats: &'a str,
        files_done: u32,
    ) -> FilesRecord<'a> {
        FilesRecord {
            ws: self,
            id,
            out_dir,
            formats,
            recorded: files_done,
            synced: files_done,
        }
    }

    /// How many of the batch's rows have complete files in `out_dir` in `formats` (none
    /// where its files were written elsewhere or in other formats).
    pub fn batch_files_done(&self, id: &str, out_dir: &str, formats: &str) -> Result<u32> {
        let row = self
            .read(|c| Ok(batches::get(c, id)?))?
            .ok_or_else(|| AppError::not_found(format!("there is no batch {id}")))?;
        let same =
            row.out_dir.as_deref() == Some(out_dir) && row.formats.as_deref() == Some(formats);
        Ok(if same {
            u32::try_from(row.files_done).unwrap_or(0)
        } else {
            0
        })
    }

    fn batch_learners(&self, row: &BatchRow) -> Result<Vec<LearnerInput>> {
        let json = self
            .read(|c| Ok(batches::learners_json(c, &row.id)?))?
            .unwrap_or_default();
        serde_json::from_str(&json).map_err(internal)
    }

    /// The awarding a batch fixed when it started: its version, in its language; refused
    /// where the microcredential may no longer be awarded (suspended, retired).
    fn batch_awarding(&self, row: &BatchRow) -> Result<Awarding> {
        let slug = self.read(|c| {
            crate::lifecycle::check_awardable(c, row.proposal_id)?;
            Ok(store::slug_of(c, row.proposal_id)?.unwrap_or_default())
        })?;
        let content = self.version_content(row.proposal_id, row.version)?;
        self.awarding_in(
            row.proposal_id,
            row.title.clone(),
            slug,
            row.version,
            &content,
            &row.language,
        )
    }
}
