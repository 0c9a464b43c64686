//! Content-addressed files (see `migrations/0003_attachments.sql`), on [`crate::sql::Sql`].

use crate::args;
use crate::sql::Sql;
use crate::Result;

/// Stores bytes under their hash; storing the same bytes again changes nothing.
pub fn put(db: &dyn Sql, sha256: &str, media_type: &str, bytes: &[u8], at: &str) -> Result<()> {
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    db.execute(
        "INSERT INTO blob (sha256, media_type, size, bytes, added_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (sha256) DO NOTHING",
        args![sha256, media_type, size, bytes, at],
    )?;
    Ok(())
}

/// The media type and bytes of a stored file.
pub fn get(db: &dyn Sql, sha256: &str) -> Result<Option<(String, Vec<u8>)>> {
    db.map_opt(
        "SELECT media_type, bytes FROM blob WHERE sha256 = ?1",
        args![sha256],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

pub fn exists(db: &dyn Sql, sha256: &str) -> Result<bool> {
    Ok(db
        .map_opt(
            "SELECT 1 FROM blob WHERE sha256 = ?1",
            args![sha256],
            |_| Ok(()),
        )?
        .is_some())
}
