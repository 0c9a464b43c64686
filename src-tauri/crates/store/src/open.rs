//! Opening a workspace file safely: probe read-only, then migrate in one transaction.

use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::{Result, StoreError};

/// `PRAGMA application_id` of every Credence workspace: "CRED" in ASCII.
pub const APPLICATION_ID: i64 = 0x4352_4544;

/// Ordered migrations; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_foundation.sql"),
    include_str!("../migrations/0002_proposals.sql"),
    include_str!("../migrations/0003_attachments.sql"),
    include_str!("../migrations/0004_review.sql"),
    include_str!("../migrations/0005_issuing.sql"),
    include_str!("../migrations/0006_certificates.sql"),
    include_str!("../migrations/0007_route_versions.sql"),
    include_str!("../migrations/0008_signed_entries.sql"),
    include_str!("../migrations/0009_microcredential_life.sql"),
    include_str!("../migrations/0010_cases.sql"),
    include_str!("../migrations/0011_change_due.sql"),
    include_str!("../migrations/0012_corrections.sql"),
    include_str!("../migrations/0013_batches.sql"),
    include_str!("../migrations/0014_events.sql"),
    include_str!("../migrations/0015_expiry.sql"),
    include_str!("../migrations/0016_renewals_prior_learning.sql"),
    include_str!("../migrations/0017_archived_badges.sql"),
    include_str!("../migrations/0018_version_review_cycle.sql"),
    include_str!("../migrations/0019_credential_images.sql"),
    include_str!("../migrations/0020_batch_learners.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create an empty workspace when no file exists.
    CreateIfMissing,
    /// Refuse when no file exists.
    MustExist,
}

pub(crate) fn open(path: &Path, mode: OpenMode) -> Result<Connection> {
    let exists = path.exists();
    if !exists && mode == OpenMode::MustExist {
        return Err(StoreError::Missing {
            at: path.display().to_string(),
        });
    }
    if exists {
        probe(path)?;
    } else if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| unopenable(path, e))?;
    }
    let conn = Connection::open(path).map_err(|e| unopenable(path, e))?;
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA cache_size = -{CACHE_KIB};"
    ))?;
    // Issuing a roster runs a dozen statements per learner, and every repository on
    // `sql::Sql` goes through this cache: keep them all prepared.
    conn.set_prepared_statement_cache_capacity(256);
    migrate(&conn)?;
    Ok(conn)
}

/// SQLite's page cache of a workspace (KiB), and while a batch commits (`set_durable`).
pub(crate) const CACHE_KIB: u32 = 65_536;
pub(crate) const BATCH_CACHE_KIB: u32 = 16_384;

fn unopenable(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Unopenable {
        at: path.display().to_string(),
        detail: e.to_string(),
    }
}

/// Reads an existing file without writing to it and refuses anything we must not touch.
fn probe(path: &Path) -> Result<()> {
    let not_credence = |why: &str| StoreError::NotCredence {
        at: path.display().to_string(),
        why: why.into(),
    };
    let corrupt = |detail: String| StoreError::Corrupt {
        at: path.display().to_string(),
        detail,
    };
    let mut header = Vec::with_capacity(16);
    std::fs::File::open(path)
        .and_then(|f| f.take(16).read_to_end(&mut header))
        .map_err(|e| unopenable(path, e))?;
    if header.is_empty() {
        return Ok(()); // An empty file is an empty database: it becomes a new workspace.
    }
    if header != b"SQLite format 3\0" {
        return Err(not_credence("it is not an SQLite database"));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| corrupt(e.to_string()))?;
    let pragma = |name: &str| -> Result<i64> {
        conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .map_err(|e| corrupt(e.to_string()))
    };
    let app_id = pragma("application_id")?;
    let version = pragma("user_version")?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(|e| corrupt(e.to_string()))?;
    if app_id != APPLICATION_ID && !(app_id == 0 && tables == 0) {
        return Err(not_credence("it is an SQLite database of another program"));
    }
    if version < 0 {
        return Err(not_credence(&format!(
            "its schema version {version} is not one Credence ever wrote"
        )));
    }
    if version == 0 && tables > 0 {
        return Err(not_credence(
            "it holds tables but no schema version, so no build of Credence wrote it",
        ));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            at: path.display().to_string(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| corrupt(e.to_string()))?;
    if check != "ok" {
        return Err(corrupt(check));
    }
    Ok(())
}

/// Applies pending migrations and stamps the file, all in one transaction.
fn migrate(conn: &Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current >= SCHEMA_VERSION {
        return Ok(());
    }
    // `probe` refused any other version before this connection was opened for writing.
    let Ok(from) = usize::try_from(current) else {
        return Ok(());
    };
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let applied = (|| -> Result<()> {
        for sql in &MIGRATIONS[from..] {
            conn.execute_batch(sql)?;
        }
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
        ))?;
        Ok(())
    })();
    match applied {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            conn.execute_batch("ROLLBACK")?;
            return Err(e);
        }
    }
    Ok(())
}
