//! Credence's store: the repositories (on [`sql::Sql`]), the [`Store`] over either engine,
//! and the SQLite file backend (PostgreSQL's is `credence_store_postgres`).
//!
//! Architecture invariant: this crate stores and loads; it decides nothing. Validation and
//! authorization happen in `credence-domain` and `credence-app` before a write gets here.
//! Every write goes through [`Store::write`], one transaction, so a failed use case changes
//! nothing.

pub mod audit;
pub mod batches;
pub mod blobs;
pub mod calendar;
pub mod cases;
pub mod certificates;
pub mod copy;
mod error;
pub mod events;
pub mod institution;
pub mod issuing;
mod open;
pub mod people;
pub mod prefs;
pub mod prior_learning;
pub mod proposals;
pub mod reports;
pub mod review;
pub mod settings;
pub mod sql;
pub mod taxonomy;
pub mod units;

use std::path::{Path, PathBuf};

pub use error::StoreError;
pub use open::{OpenMode, APPLICATION_ID, SCHEMA_VERSION};
pub use rusqlite::{Connection, Transaction};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What holds a workspace: a SQLite file ([`SqliteBackend`]) or a PostgreSQL database
/// (`credence_store_postgres`). Transactions run one at a time on it; the work inside is
/// given the transaction as [`sql::Sql`].
pub trait Backend: Send {
    /// Runs `work` in a read transaction: one consistent state of the workspace.
    fn read(&mut self, work: &mut dyn FnMut(&dyn sql::Sql) -> Result<()>) -> Result<()>;
    /// Runs `work` in a write transaction, committed only if it returns `Ok`.
    fn write(&mut self, work: &mut dyn FnMut(&dyn sql::Sql) -> Result<()>) -> Result<()>;
    /// The workspace as a person would write it: a file's path, a server's URL without its
    /// password.
    fn location(&self) -> String;
    /// The file, for a workspace that is one.
    fn path(&self) -> Option<&Path> {
        None
    }
    /// Makes every commit reach the disk before it returns, where that is a choice (a server
    /// always syncs its commits).
    fn set_durable(&mut self, _durable: bool) -> Result<()> {
        Ok(())
    }
}

/// A SQLite workspace file.
pub struct SqliteBackend {
    conn: Connection,
    path: PathBuf,
}

impl Backend for SqliteBackend {
    fn read(&mut self, work: &mut dyn FnMut(&dyn sql::Sql) -> Result<()>) -> Result<()> {
        // Deferred: the file's locks are taken once for every statement of the work.
        let tx = self.conn.unchecked_transaction()?;
        work(&tx)?;
        tx.commit()?;
        Ok(())
    }

    fn write(&mut self, work: &mut dyn FnMut(&dyn sql::Sql) -> Result<()>) -> Result<()> {
        // IMMEDIATE: the file's write lock is taken at the start (waiting up to the busy
        // timeout for another process's write to end), so a write never fails halfway
        // because another process began writing after it began reading.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        work(&tx)?;
        tx.commit()?;
        Ok(())
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn path(&self) -> Option<&Path> {
        Some(&self.path)
    }

    /// `synchronous = FULL`: off, a power cut may lose the last commits (never corrupt the
    /// file). While durable (a batch committing chunk after chunk), the write-ahead log is
    /// copied back into the file every 40 MB instead of SQLite's 4 MB: a batch's commits
    /// rewrite the same index pages, which are then copied (and the file synced) a tenth as
    /// often. The page cache is 16 MB then (64 MB otherwise): a batch writes pages it does
    /// not read again, and each page new to the cache was memory new to the process.
    fn set_durable(&mut self, durable: bool) -> Result<()> {
        let (mode, pages, cache) = if durable {
            ("FULL", 10_000, open::BATCH_CACHE_KIB)
        } else {
            ("NORMAL", 1_000, open::CACHE_KIB)
        };
        self.conn.execute_batch(&format!(
            "PRAGMA synchronous = {mode}; PRAGMA wal_autocheckpoint = {pages};
             PRAGMA cache_size = -{cache};"
        ))?;
        Ok(())
    }
}

/// Copies a workspace file's write-ahead log into the file, on a thread beside a batch: the
/// commits of the connection that writes then rarely stop to copy it themselves (its
/// automatic checkpoint finds the frames copied already), and the last one, at the end of
/// the run on one core, finds little left.
pub struct Checkpointer {
    conn: Connection,
}

impl Checkpointer {
    /// Copies every committed frame no reader still needs (`PASSIVE`: it waits for no
    /// writer or reader, and leaves what it cannot copy for the next time).
    pub fn run(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }
}

/// An open workspace, on either engine.
pub struct Store {
    backend: Box<dyn Backend>,
}

impl Store {
    /// Opens (or, with [`OpenMode::CreateIfMissing`], creates) a workspace file, refusing
    /// without modifying it any file that is not a Credence workspace this build understands.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        let conn = open::open(path, mode)?;
        Ok(Store::on(Box::new(SqliteBackend {
            conn,
            path: path.to_path_buf(),
        })))
    }

    /// A connection of its own to the workspace's file that copies its write-ahead log into
    /// it ([`Checkpointer::run`]); `None` for a workspace that is not a file.
    pub fn checkpointer(&self) -> Result<Option<Checkpointer>> {
        let Some(path) = self.path() else {
            return Ok(None);
        };
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Ok(Some(Checkpointer { conn }))
    }

    /// A store on a backend opened elsewhere (a PostgreSQL database).
    pub fn on(backend: Box<dyn Backend>) -> Store {
        Store { backend }
    }

    /// The workspace's file, for one that is a file.
    pub fn path(&self) -> Option<&Path> {
        self.backend.path()
    }

    /// The workspace as a person would write it (a path, or a URL without its password).
    pub fn location(&self) -> String {
        self.backend.location()
    }

    /// Makes every commit reach the disk before it returns (`durable`), for work that writes
    /// files naming what it committed (a batch's credentials).
    pub fn set_durable(&mut self, durable: bool) -> Result<()> {
        self.backend.set_durable(durable)
    }

    /// Runs `f` in one read transaction: its statements see one state of the workspace.
    pub fn read<T, E>(&mut self, f: impl FnOnce(&dyn sql::Sql) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut f = Some(f);
        let mut out = None;
        let done = self.backend.read(&mut |db| run_once(&mut f, &mut out, db));
        outcome(done, out)
    }

    /// Runs `f` in one transaction, committed only if `f` succeeds.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&dyn sql::Sql) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut f = Some(f);
        let mut out = None;
        let done = self.backend.write(&mut |db| run_once(&mut f, &mut out, db));
        outcome(done, out)
    }
}

/// Runs the caller's work (once) inside a backend's transaction, keeping its own outcome; a
/// failure tells the backend to roll back.
fn run_once<T, E, F>(
    f: &mut Option<F>,
    out: &mut Option<Result<T, E>>,
    db: &dyn sql::Sql,
) -> Result<()>
where
    F: FnOnce(&dyn sql::Sql) -> Result<T, E>,
{
    let Some(work) = f.take() else {
        return Err(StoreError::Backend(
            "a transaction's work was asked to run twice".into(),
        ));
    };
    let result = work(db);
    let failed = result.is_err();
    *out = Some(result);
    if failed {
        Err(StoreError::RolledBack)
    } else {
        Ok(())
    }
}

/// The caller's outcome: its own error if its work failed, else the backend's if the commit
/// failed, else its value.
fn outcome<T, E: From<StoreError>>(done: Result<()>, out: Option<Result<T, E>>) -> Result<T, E> {
    match (out, done) {
        (Some(Err(e)), _) => Err(e),
        (_, Err(e)) => Err(e.into()),
        (Some(Ok(value)), Ok(())) => Ok(value),
        (None, Ok(())) => {
            Err(StoreError::Backend("a transaction ended without its work".into()).into())
        }
    }
}
