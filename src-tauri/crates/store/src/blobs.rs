//! Content-addressed files (see `migrations/0003_attachments.sql`).

use rusqlite::{params, Connection, OptionalExtension};

use crate::Result;

/// Stores bytes under their hash; storing the same bytes again changes nothing.
pub fn put(
    conn: &Connection,
    sha256: &str,
    media_type: &str,
    bytes: &[u8],
    at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO blob (sha256, media_type, size, bytes, added_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (sha256) DO NOTHING",
        params![sha256, media_type, bytes.len() as i64, bytes, at],
    )?;
    Ok(())
}

/// The media type and bytes of a stored file.
pub fn get(conn: &Connection, sha256: &str) -> Result<Option<(String, Vec<u8>)>> {
    Ok(conn
        .query_row(
            "SELECT media_type, bytes FROM blob WHERE sha256 = ?1",
            [sha256],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub fn exists(conn: &Connection, sha256: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM blob WHERE sha256 = ?1", [sha256], |_| Ok(()))
        .optional()?
        .is_some())
}
