//! Certificate templates and signature images (see `migrations/0006_certificates.sql`).

use credence_domain::certificate::{Template, TemplateInput};
use credence_domain::Id;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{Result, StoreError};

fn template(id: Id, body: &str, updated_at: String) -> Result<Template> {
    let input: TemplateInput = serde_json::from_str(body)
        .map_err(|e| StoreError::Decode(format!("certificate template {id}: {e}")))?;
    Ok(Template {
        id: Some(id),
        input,
        updated_at: Some(updated_at),
    })
}

/// Every stored template, by name.
pub fn templates(conn: &Connection) -> Result<Vec<Template>> {
    let mut stmt =
        conn.prepare("SELECT id, body, updated_at FROM certificate_template ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get(2)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, body, at) = row?;
        out.push(template(id, &body, at)?);
    }
    Ok(out)
}

pub fn template_by_id(conn: &Connection, id: Id) -> Result<Option<Template>> {
    let row = conn
        .query_row(
            "SELECT body, updated_at FROM certificate_template WHERE id = ?1",
            [id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?;
    row.map(|(body, at)| template(id, &body, at)).transpose()
}

/// The template of another id already applying to the same category and level, or
/// carrying the same name.
pub fn clash(conn: &Connection, id: Option<Id>, t: &TemplateInput) -> Result<Option<(Id, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, name FROM certificate_template
             WHERE id IS NOT ?1 AND (name = ?2 OR
                   (coalesce(category, '') = coalesce(?3, '') AND coalesce(level, '') = coalesce(?4, '')))",
            params![id, t.name, t.category, t.level],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Inserts (`id` None) or replaces a template; returns its id.
pub fn save_template(conn: &Connection, id: Option<Id>, t: &TemplateInput, at: &str) -> Result<Id> {
    let body = serde_json::to_string(t).map_err(|e| StoreError::Decode(e.to_string()))?;
    match id {
        Some(id) => {
            conn.execute(
                "UPDATE certificate_template SET name = ?2, category = ?3, level = ?4, body = ?5,
                 updated_at = ?6 WHERE id = ?1",
                params![id, t.name, t.category, t.level, body, at],
            )?;
            Ok(id)
        }
        None => {
            conn.execute(
                "INSERT INTO certificate_template (name, category, level, body, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![t.name, t.category, t.level, body, at],
            )?;
            Ok(conn.last_insert_rowid())
        }
    }
}

pub fn delete_template(conn: &Connection, id: Id) -> Result<bool> {
    Ok(conn.execute("DELETE FROM certificate_template WHERE id = ?1", [id])? > 0)
}

/// Stores a signature image (idempotent).
pub fn put_signature(conn: &Connection, sha256: &str, png: &[u8]) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO signature_image (sha256, png) VALUES (?1, ?2)",
        params![sha256, png],
    )?;
    Ok(())
}

pub fn signature(conn: &Connection, sha256: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row(
            "SELECT png FROM signature_image WHERE sha256 = ?1",
            [sha256],
            |r| r.get(0),
        )
        .optional()?)
}
