//! The academic calendar's terms.

use credence_domain::calendar::AcademicTerm;
use rusqlite::{params, Connection};

use crate::Result;

/// Every term, in date order.
pub fn terms(conn: &Connection) -> Result<Vec<AcademicTerm>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code, name, starts_on, ends_on FROM academic_term ORDER BY starts_on, code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(AcademicTerm {
            code: r.get(0)?,
            name: r.get(1)?,
            starts_on: r.get(2)?,
            ends_on: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces the whole calendar (inside the caller's transaction).
pub fn set_terms(conn: &Connection, terms: &[AcademicTerm]) -> Result<()> {
    conn.execute("DELETE FROM academic_term", [])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO academic_term (code, name, starts_on, ends_on) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for t in terms {
        stmt.execute(params![t.code, t.name, t.starts_on, t.ends_on])?;
    }
    Ok(())
}
