//! Certificate templates and signature images (see `migrations/0006_certificates.sql`), on
//! [`crate::sql::Sql`].

use credence_domain::certificate::{Template, TemplateInput};
use credence_domain::Id;

use crate::args;
use crate::sql::Sql;
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
pub fn templates(db: &dyn Sql) -> Result<Vec<Template>> {
    db.map(
        "SELECT id, body, updated_at FROM certificate_template ORDER BY name",
        args![],
        |r| template(r.get(0)?, &r.get::<String>(1)?, r.get(2)?),
    )
}

pub fn template_by_id(db: &dyn Sql, id: Id) -> Result<Option<Template>> {
    db.map_opt(
        "SELECT body, updated_at FROM certificate_template WHERE id = ?1",
        args![id],
        |r| template(id, &r.get::<String>(0)?, r.get(1)?),
    )
}

/// The template of another id already applying to the same category and level, or
/// carrying the same name.
pub fn clash(db: &dyn Sql, id: Option<Id>, t: &TemplateInput) -> Result<Option<(Id, String)>> {
    db.map_opt(
        "SELECT id, name FROM certificate_template
         WHERE id IS DISTINCT FROM ?1 AND (name = ?2 OR
               (coalesce(category, '') = coalesce(?3, '') AND coalesce(level, '') = coalesce(?4, '')))",
        args![id, t.name, t.category, t.level],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Inserts (`id` None) or replaces a template; returns its id.
pub fn save_template(db: &dyn Sql, id: Option<Id>, t: &TemplateInput, at: &str) -> Result<Id> {
    let body = serde_json::to_string(t).map_err(|e| StoreError::Decode(e.to_string()))?;
    match id {
        Some(id) => {
            db.execute(
                "UPDATE certificate_template SET name = ?2, category = ?3, level = ?4, body = ?5,
                 updated_at = ?6 WHERE id = ?1",
                args![id, t.name, t.category, t.level, body, at],
            )?;
            Ok(id)
        }
        None => db.map_one(
            "INSERT INTO certificate_template (name, category, level, body, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            args![t.name, t.category, t.level, body, at],
            |r| r.get(0),
        ),
    }
}

pub fn delete_template(db: &dyn Sql, id: Id) -> Result<bool> {
    Ok(db.execute("DELETE FROM certificate_template WHERE id = ?1", args![id])? > 0)
}

/// Stores a signature image (idempotent).
pub fn put_signature(db: &dyn Sql, sha256: &str, png: &[u8]) -> Result<()> {
    db.execute(
        "INSERT INTO signature_image (sha256, png) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        args![sha256, png],
    )?;
    Ok(())
}

pub fn signature(db: &dyn Sql, sha256: &str) -> Result<Option<Vec<u8>>> {
    db.map_opt(
        "SELECT png FROM signature_image WHERE sha256 = ?1",
        args![sha256],
        |r| r.get(0),
    )
}
