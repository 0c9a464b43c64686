//! Preferences of whoever uses this workspace on this desktop (on [`crate::sql::Sql`]).

use crate::args;
use crate::sql::Sql;
use crate::Result;

pub fn get(db: &dyn Sql, key: &str) -> Result<Option<String>> {
    db.map_opt(
        "SELECT value FROM preference WHERE key = ?1",
        args![key],
        |r| r.get(0),
    )
}

pub fn set(db: &dyn Sql, key: &str, value: &str) -> Result<()> {
    db.execute(
        "INSERT INTO preference (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = ?2",
        args![key, value],
    )?;
    Ok(())
}
