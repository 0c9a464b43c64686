//! The append-only audit log (this module appends and reads; nothing updates or deletes). Appends happen inside the caller's transaction, so an entry
//! exists exactly when the change it describes does.

use credence_domain::audit::{AuditRecord, ChainCheck, ChainReport, GENESIS_HASH};
use credence_domain::Id;
use serde_json::Value;

use crate::args;
use crate::sql::{Columns, Sql};
use crate::Result;

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
pub fn append(db: &dyn Sql, actor: &Actor, change: Change) -> Result<i64> {
    append_all(db, actor, [change])
}

/// Appends entries in their order, each linked to the one before, all with the time now
/// (UTC): the entries of one act (a chunk of a batch records an entry per award). Returns
/// the last one's `seq` (the last before them where there are none).
pub fn append_all<'a>(
    db: &dyn Sql,
    actor: &Actor,
    changes: impl IntoIterator<Item = Change<'a>>,
) -> Result<i64> {
    let last = db.map_opt(
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        args![],
        |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)),
    )?;
    let (mut seq, mut prev_hash) = last.unwrap_or_else(|| (0, GENESIS_HASH.to_string()));
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    for change in changes {
        let record = AuditRecord {
            seq: seq + 1,
            at: at.clone(),
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
        db.execute(
            "INSERT INTO audit_log (seq, at, actor_id, actor_name, entity, entity_id, action,
                                    before_json, after_json, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            args![
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
            ],
        )?;
        seq = record.seq;
        prev_hash = hash;
    }
    Ok(seq)
}

pub(crate) const COLUMNS: &str =
    "seq, at, actor_id, actor_name, entity, entity_id, action, before_json, \
                       after_json, prev_hash, hash";

/// An entry and its stored hash, from a row of [`COLUMNS`].
pub(crate) fn record(r: &dyn Columns) -> Result<(AuditRecord, String)> {
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
    db: &dyn Sql,
    entity: Option<&str>,
    entity_id: Option<&str>,
    limit: u32,
    before_seq: Option<i64>,
) -> Result<Vec<(AuditRecord, String)>> {
    db.map(
        &format!(
            "SELECT {COLUMNS} FROM audit_log
             WHERE (CAST(?1 AS TEXT) IS NULL OR entity = ?1)
               AND (CAST(?2 AS TEXT) IS NULL OR entity_id = ?2)
               AND (CAST(?3 AS BIGINT) IS NULL OR seq < ?3)
             ORDER BY seq DESC LIMIT ?4"
        ),
        args![entity, entity_id, before_seq, i64::from(limit)],
        record,
    )
}

/// Checks the whole chain, streaming the log in order into the domain's check (the log is
/// never held whole, on either engine).
pub fn verify(db: &dyn Sql) -> Result<ChainReport> {
    let mut check = ChainCheck::default();
    let sql = format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq");
    db.each(&sql, args![], &mut |r| {
        // After a broken entry the rest is read but not looked at (a broken log is rare).
        let (record, hash) = record(r)?;
        check.push(&record, &hash);
        Ok(())
    })?;
    Ok(check.report())
}

/// Stores the signature of entry `seq` (written in the transaction that appended it).
pub fn insert_signature(db: &dyn Sql, seq: i64, public_key: &str, signature: &str) -> Result<()> {
    db.execute(
        "INSERT INTO audit_signature (seq, public_key, signature) VALUES (?1, ?2, ?3)",
        args![seq, public_key, signature],
    )?;
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
pub fn signed_rows(db: &dyn Sql, after_seq: i64) -> Result<Vec<SignedRow>> {
    db.map(
        "SELECT a.seq, a.actor_id, a.actor_name, a.entity, a.action, a.hash, s.public_key, s.signature
         FROM audit_log a LEFT JOIN audit_signature s ON s.seq = a.seq
         WHERE a.seq > ?1 ORDER BY a.seq",
        args![after_seq],
        |r| {
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
        },
    )
}

/// `(seq, after_json)` of every entry holding a signed statement, in order.
pub fn signed_entries(db: &dyn Sql) -> Result<Vec<(i64, String)>> {
    // A substring test, which the engines name differently (SQLite's LIKE folds case and is
    // several times slower over the whole log).
    let find = match db.engine() {
        crate::sql::Engine::Sqlite => "instr",
        crate::sql::Engine::Postgres => "strpos",
    };
    db.map(
        &format!(
            "SELECT seq, after_json FROM audit_log
             WHERE {find}(after_json, '\"signature\":') > 0 AND {find}(after_json, '\"statement\":') > 0
             ORDER BY seq"
        ),
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
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
pub fn entries_of(db: &dyn Sql, entity: &str) -> Result<Vec<EntryRow>> {
    db.map(
        "SELECT seq, entity_id, action, after_json FROM audit_log WHERE entity = ?1 ORDER BY seq",
        args![entity],
        |r| {
            Ok(EntryRow {
                seq: r.get(0)?,
                entity_id: r.get(1)?,
                action: r.get(2)?,
                after: r.get(3)?,
            })
        },
    )
}

/// The stored hash of entry `seq`, if the log holds it.
pub fn hash_of(db: &dyn Sql, seq: i64) -> Result<Option<String>> {
    db.map_opt(
        "SELECT hash FROM audit_log WHERE seq = ?1",
        args![seq],
        |r| r.get(0),
    )
}

/// The kinds of record (`entity`) the entries after `seq` are about, each once.
pub fn entities_after(db: &dyn Sql, seq: i64) -> Result<Vec<String>> {
    db.map(
        "SELECT DISTINCT entity FROM audit_log WHERE seq > ?1 ORDER BY entity",
        args![seq],
        |r| r.get(0),
    )
}

/// Who made the newest entry about a record, and when: `(actor name, at)`.
pub fn last_change(
    db: &dyn Sql,
    entity: &str,
    entity_id: &str,
) -> Result<Option<(String, String)>> {
    db.map_opt(
        "SELECT actor_name, at FROM audit_log WHERE entity = ?1 AND entity_id = ?2
         ORDER BY seq DESC LIMIT 1",
        args![entity, entity_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// The number of the newest entry (0 for an empty log).
pub fn last_seq(db: &dyn Sql) -> Result<i64> {
    db.map_one(
        "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM audit_log",
        args![],
        |r| r.get(0),
    )
}
