//! The academic calendar's terms (on [`crate::sql::Sql`]).

use credence_domain::calendar::AcademicTerm;

use crate::args;
use crate::sql::Sql;
use crate::Result;

/// Every term, in date order.
pub fn terms(db: &dyn Sql) -> Result<Vec<AcademicTerm>> {
    db.map(
        "SELECT code, name, starts_on, ends_on FROM academic_term ORDER BY starts_on, code",
        args![],
        |r| {
            Ok(AcademicTerm {
                code: r.get(0)?,
                name: r.get(1)?,
                starts_on: r.get(2)?,
                ends_on: r.get(3)?,
            })
        },
    )
}

/// Replaces the whole calendar (inside the caller's transaction).
pub fn set_terms(db: &dyn Sql, terms: &[AcademicTerm]) -> Result<()> {
    db.execute("DELETE FROM academic_term", args![])?;
    for t in terms {
        db.execute(
            "INSERT INTO academic_term (code, name, starts_on, ends_on) VALUES (?1, ?2, ?3, ?4)",
            args![t.code, t.name, t.starts_on, t.ends_on],
        )?;
    }
    Ok(())
}
