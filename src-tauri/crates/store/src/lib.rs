//! Credence's SQLite store: one file per workspace.
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

/// An open workspace file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (or, with [`OpenMode::CreateIfMissing`], creates) a workspace file, refusing
    /// without modifying it any file that is not a Credence workspace this build understands.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        let conn = open::open(path, mode)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes every commit reach the disk before it returns (`synchronous = FULL`), for work
    /// that writes files naming what it committed (a batch's credentials); off, a power cut
    /// may lose the last commits (never corrupt the file).
    pub fn set_durable(&self, durable: bool) -> Result<()> {
        let mode = if durable { "FULL" } else { "NORMAL" };
        self.conn
            .execute_batch(&format!("PRAGMA synchronous = {mode};"))?;
        Ok(())
    }

    /// Runs `f` against the connection for reads, in one (deferred) transaction: its
    /// statements see one state of the file, and take the file's locks once rather than
    /// once each (a chunk of a batch reads a few statements per learner).
    pub fn read<T, E>(&self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(StoreError::from)?;
        let value = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Runs `f` in one transaction, committed only if `f` succeeds.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Transaction) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        let value = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }
}
