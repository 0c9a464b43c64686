//! Organizational units (the first repository on [`crate::sql::Sql`], so it runs on SQLite
//! and PostgreSQL alike).

use std::collections::HashMap;

use credence_domain::unit::{TreeNode, Unit, UnitInput, UnitKind};
use credence_domain::Id;

use crate::args;
use crate::sql::{Row, Sql};
use crate::{Result, StoreError};

const COLUMNS: &str = "id, code, name, kind, parent_id";

fn from_row(r: &Row) -> Result<Unit> {
    let kind: String = r.get(3)?;
    Ok(Unit {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        kind: UnitKind::parse(&kind).map_err(StoreError::Decode)?,
        parent_id: r.get(4)?,
    })
}

pub fn list(db: &dyn Sql) -> Result<Vec<Unit>> {
    db.query(
        &format!("SELECT {COLUMNS} FROM unit ORDER BY name, code"),
        args![],
    )?
    .iter()
    .map(from_row)
    .collect()
}

pub fn get(db: &dyn Sql, id: Id) -> Result<Option<Unit>> {
    db.query_opt(
        &format!("SELECT {COLUMNS} FROM unit WHERE id = ?1"),
        args![id],
    )?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The id of the unit with this code, other than `except`.
pub fn id_by_code(db: &dyn Sql, code: &str, except: Option<Id>) -> Result<Option<Id>> {
    db.query_opt(
        "SELECT id FROM unit WHERE code = ?1 AND id IS DISTINCT FROM ?2",
        args![code, except],
    )?
    .map(|r| r.get(0))
    .transpose()
}

/// Every unit's code and parent, for the loop check.
pub fn tree(db: &dyn Sql) -> Result<HashMap<Id, TreeNode>> {
    db.query("SELECT id, code, parent_id FROM unit", args![])?
        .iter()
        .map(|r| {
            Ok((
                r.get(0)?,
                TreeNode {
                    code: r.get(1)?,
                    parent_id: r.get(2)?,
                },
            ))
        })
        .collect()
}

pub fn insert(db: &dyn Sql, u: &UnitInput) -> Result<Id> {
    db.query_one(
        "INSERT INTO unit (code, name, kind, parent_id) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        args![u.code, u.name, u.kind.as_str(), u.parent_id],
    )?
    .get(0)
}

pub fn update(db: &dyn Sql, id: Id, u: &UnitInput) -> Result<()> {
    db.execute(
        "UPDATE unit SET code = ?1, name = ?2, kind = ?3, parent_id = ?4 WHERE id = ?5",
        args![u.code, u.name, u.kind.as_str(), u.parent_id, id],
    )?;
    Ok(())
}
