//! The append-only audit log (this module appends and reads; nothing updates or deletes). Appends happen inside the caller's transaction, so an entry
//! exists exactly when the change it describes does.

use credence_domain::audit::{verify_chain, AuditRecord, ChainReport, GENESIS_HASH};
use credence_domain::Id;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;

use crate::{Result, StoreError};

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: Option<Id>,
    pub name: String,
}

/// A change to record.
pub struct Change<'a> {
    pub entity: &'a str,
    pub entity_id: String,
    pub action: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Appends one entry linked to the last, with the time now (UTC).
pub fn append(conn: &Connection, actor: &Actor, change: Change) -> Result<i64> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS_HASH.to_string()),
    };
    let record = AuditRecord {
        seq,
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        actor_id: actor.id,
        actor_name: actor.name.clone(),
        entity: change.entity.into(),
        entity_id: change.entity_id,
        action: change.action.into(),
        before: change.before.map(|v| v.to_string()),
        after: change.after.map(|v| v.to_string()),
        prev_hash,
    };
    let hash = record.hash();
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor_id, actor_name, entity, entity_id, action,
                                before_json, after_json, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        record.seq,
        record.at,
        record.actor_id,
        record.actor_name,
        record.entity,
        record.entity_id,
        record.action,
        record.before,
        record.after,
        record.prev_hash,
        hash
    ])?;
    Ok(seq)
}

pub(crate) const COLUMNS: &str =
    "seq, at, actor_id, actor_name, entity, entity_id, action, before_json, \
                       after_json, prev_hash, hash";

pub(crate) fn record(r: &Row) -> rusqlite::Result<(AuditRecord, String)> {
    Ok((
        AuditRecord {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor_id: r.get(2)?,
            actor_name: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            action: r.get(6)?,
            before: r.get(7)?,
            after: r.get(8)?,
            prev_hash: r.get(9)?,
        },
        r.get(10)?,
    ))
}

/// Newest first; `entity` (and `entity_id`) narrow it to one kind of record (or one record).
pub fn list(
    conn: &Connection,
    entity: Option<&str>,
    entity_id: Option<&str>,
    limit: u32,
    before_seq: Option<i64>,
) -> Result<Vec<(AuditRecord, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit_log
         WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)
           AND (?3 IS NULL OR seq < ?3)
         ORDER BY seq DESC LIMIT ?4"
    ))?;
    let rows = stmt.query_map(params![entity, entity_id, before_seq, limit], record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Checks the whole chain, streaming it in order.
pub fn verify(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq"))?;
    let rows = stmt.query_map([], record)?;
    verify_chain(rows.map(|r| r.map_err(StoreError::from)))
}

/// Stores the signature of entry `seq` (written in the transaction that appended it).
pub fn insert_signature(
    conn: &Connection,
    seq: i64,
    public_key: &str,
    signature: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_signature (seq, public_key, signature) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![seq, public_key, signature])?;
    Ok(())
}

/// An entry as signature checking reads it: who made it, its stored hash, and its
/// signature if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRow {
    pub seq: i64,
    pub actor_id: Option<Id>,
    pub actor_name: String,
    pub entity: String,
    pub action: String,
    pub hash: String,
    /// `(public key, signature)`.
    pub signature: Option<(String, String)>,
}

/// Every entry from `after_seq` on (exclusive), oldest first, with its signature.
pub fn signed_rows(conn: &Connection, after_seq: i64) -> Result<Vec<SignedRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.seq, a.actor_id, a.actor_name, a.entity, a.action, a.hash, s.public_key, s.signature
         FROM audit_log a LEFT JOIN audit_signature s ON s.seq = a.seq
         WHERE a.seq > ?1 ORDER BY a.seq",
    )?;
    let rows = stmt.query_map([after_seq], |r| {
        let key: Option<String> = r.get(6)?;
        let sig: Option<String> = r.get(7)?;
        Ok(SignedRow {
            seq: r.get(0)?,
            actor_id: r.get(1)?,
            actor_name: r.get(2)?,
            entity: r.get(3)?,
            action: r.get(4)?,
            hash: r.get(5)?,
            signature: key.zip(sig),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `(seq, after_json)` of every entry holding a signed statement, in order.
pub fn signed_entries(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, after_json FROM audit_log
         WHERE instr(after_json, '\"signature\":') > 0 AND instr(after_json, '\"statement\":') > 0
         ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An entry as the checks that walk one kind of record read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub seq: i64,
    pub entity_id: String,
    pub action: String,
    pub after: Option<String>,
}

/// Every entry about one kind of record, oldest first.
pub fn entries_of(conn: &Connection, entity: &str) -> Result<Vec<EntryRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, entity_id, action, after_json FROM audit_log WHERE entity = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([entity], |r| {
        Ok(EntryRow {
            seq: r.get(0)?,
            entity_id: r.get(1)?,
            action: r.get(2)?,
            after: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stored hash of entry `seq`, if the log holds it.
pub fn hash_of(conn: &Connection, seq: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The kinds of record (`entity`) the entries after `seq` are about, each once.
pub fn entities_after(conn: &Connection, seq: i64) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare_cached("SELECT DISTINCT entity FROM audit_log WHERE seq > ?1 ORDER BY entity")?;
    let rows = stmt.query_map([seq], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The number of the newest entry (0 for an empty log).
pub fn last_seq(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM audit_log", [], |r| {
            r.get(0)
        })?,
    )
}
