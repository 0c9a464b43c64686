//! Institution-wide settings, one value per key (on [`crate::sql::Sql`]).

use crate::args;
use crate::sql::Sql;
use crate::Result;

pub fn get(db: &dyn Sql, key: &str) -> Result<Option<String>> {
    db.map_opt(
        "SELECT value FROM setting WHERE key = ?1",
        args![key],
        |r| r.get(0),
    )
}

pub fn set(db: &dyn Sql, key: &str, value: &str) -> Result<()> {
    db.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = ?2",
        args![key, value],
    )?;
    Ok(())
}

pub fn remove(db: &dyn Sql, key: &str) -> Result<()> {
    db.execute("DELETE FROM setting WHERE key = ?1", args![key])?;
    Ok(())
}
