//! What the coordinator's report counts, in SQL (on [`crate::sql::Sql`]).

use crate::args;
use crate::sql::Sql;
use crate::Result;

/// Cases by kind, status and proposing unit (its code; empty for none), most first.
pub fn cases(db: &dyn Sql) -> Result<Vec<(String, String, String, i64)>> {
    db.map(
        "SELECT p.kind, p.status, COALESCE(u.code, ''), COUNT(*)
         FROM proposal p LEFT JOIN unit u ON u.id = p.unit_id
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
}

/// Awards per calendar month (YYYY-MM, by the day issued) per microcredential slug.
pub fn awards_per_month(db: &dyn Sql) -> Result<Vec<(String, String, i64)>> {
    db.map(
        "SELECT m.slug, substr(a.issued_at, 1, 7), COUNT(*)
         FROM award a JOIN microcredential m ON m.proposal_id = a.proposal_id
         GROUP BY 1, 2 ORDER BY 2, 1",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// Revocations by microcredential slug and reason, most first.
pub fn revocations(db: &dyn Sql) -> Result<Vec<(String, String, i64)>> {
    db.map(
        "SELECT m.slug, COALESCE(a.revoked_reason, ''), COUNT(*)
         FROM award a JOIN microcredential m ON m.proposal_id = a.proposal_id
         WHERE a.revoked_at IS NOT NULL
         GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}
