//! Organizational units.

use std::collections::HashMap;

use credence_domain::unit::{TreeNode, Unit, UnitInput, UnitKind};
use credence_domain::Id;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::{Result, StoreError};

const COLUMNS: &str = "id, code, name, kind, parent_id";

fn from_row(r: &Row) -> rusqlite::Result<Result<Unit>> {
    let kind: String = r.get(3)?;
    let (id, code, name, parent_id) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(4)?);
    Ok(UnitKind::parse(&kind)
        .map_err(StoreError::Decode)
        .map(|kind| Unit {
            id,
            code,
            name,
            kind,
            parent_id,
        }))
}

pub fn list(conn: &Connection) -> Result<Vec<Unit>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM unit ORDER BY name, code"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.map(|r| r?).collect()
}

pub fn get(conn: &Connection, id: Id) -> Result<Option<Unit>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM unit WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .transpose()
}

/// The id of the unit with this code, other than `except`.
pub fn id_by_code(conn: &Connection, code: &str, except: Option<Id>) -> Result<Option<Id>> {
    Ok(conn
        .query_row(
            "SELECT id FROM unit WHERE code = ?1 AND id IS NOT ?2",
            params![code, except],
            |r| r.get(0),
        )
        .optional()?)
}

/// Every unit's code and parent, for the loop check.
pub fn tree(conn: &Connection) -> Result<HashMap<Id, TreeNode>> {
    let mut stmt = conn.prepare("SELECT id, code, parent_id FROM unit")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            TreeNode {
                code: r.get(1)?,
                parent_id: r.get(2)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert(conn: &Connection, u: &UnitInput) -> Result<Id> {
    conn.execute(
        "INSERT INTO unit (code, name, kind, parent_id) VALUES (?1, ?2, ?3, ?4)",
        params![u.code, u.name, u.kind.as_str(), u.parent_id],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: Id, u: &UnitInput) -> Result<()> {
    conn.execute(
        "UPDATE unit SET code = ?1, name = ?2, kind = ?3, parent_id = ?4 WHERE id = ?5",
        params![u.code, u.name, u.kind.as_str(), u.parent_id, id],
    )?;
    Ok(())
}
