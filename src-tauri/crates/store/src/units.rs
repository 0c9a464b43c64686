//! Organizational units (on [`crate::sql::Sql`], so they run on SQLite and PostgreSQL alike).

use std::collections::HashMap;

use credence_domain::unit::{TreeNode, Unit, UnitInput, UnitKind};
use credence_domain::Id;

use crate::args;
use crate::sql::{Columns, Sql};
use crate::{Result, StoreError};

const COLUMNS: &str = "id, code, name, kind, parent_id";

fn from_row(r: &dyn Columns) -> Result<Unit> {
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
    let sql = format!("SELECT {COLUMNS} FROM unit ORDER BY name, code");
    db.map(&sql, args![], from_row)
}

pub fn get(db: &dyn Sql, id: Id) -> Result<Option<Unit>> {
    let sql = format!("SELECT {COLUMNS} FROM unit WHERE id = ?1");
    db.map_opt(&sql, args![id], from_row)
}

/// The id of the unit with this code, other than `except`.
pub fn id_by_code(db: &dyn Sql, code: &str, except: Option<Id>) -> Result<Option<Id>> {
    db.map_opt(
        "SELECT id FROM unit WHERE code = ?1 AND id IS DISTINCT FROM ?2",
        args![code, except],
        |r| r.get(0),
    )
}

/// Every unit's code and parent, for the loop check.
pub fn tree(db: &dyn Sql) -> Result<HashMap<Id, TreeNode>> {
    let mut tree = HashMap::new();
    db.each("SELECT id, code, parent_id FROM unit", args![], &mut |r| {
        let node = TreeNode {
            code: r.get(1)?,
            parent_id: r.get(2)?,
        };
        tree.insert(r.get(0)?, node);
        Ok(())
    })?;
    Ok(tree)
}

pub fn insert(db: &dyn Sql, u: &UnitInput) -> Result<Id> {
    db.map_one(
        "INSERT INTO unit (code, name, kind, parent_id) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        args![u.code, u.name, u.kind.as_str(), u.parent_id],
        |r| r.get(0),
    )
}

pub fn update(db: &dyn Sql, id: Id, u: &UnitInput) -> Result<()> {
    db.execute(
        "UPDATE unit SET code = ?1, name = ?2, kind = ?3, parent_id = ?4 WHERE id = ?5",
        args![u.code, u.name, u.kind.as_str(), u.parent_id, id],
    )?;
    Ok(())
}
