//! Taxonomy terms, skills and the policy set.

use credence_domain::policy::PolicySet;
use credence_domain::taxonomy::{BadgeShape, Facet, Pathway, PathwayPart, Skill, StackRule, Term};
use credence_domain::Id;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::{Result, StoreError};

fn enum_str<T: serde::Serialize>(v: &T) -> Result<String> {
    match serde_json::to_value(v).map_err(|e| StoreError::Decode(e.to_string()))? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(StoreError::Decode(format!("{other} is not a name"))),
    }
}

fn enum_from<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.into()))
        .map_err(|_| StoreError::Decode(format!("unknown value {s:?}")))
}

fn term(r: &Row) -> rusqlite::Result<Result<Term>> {
    let facet: String = r.get(0)?;
    let shape: Option<String> = r.get(6)?;
    let (code, label, rank, retired, colour) =
        (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
    let (participation_award, credit_bearing) = (r.get(7)?, r.get(8)?);
    Ok((|| {
        Ok(Term {
            facet: enum_from(&facet)?,
            code,
            label,
            rank,
            retired,
            colour,
            shape: shape.map(|s| enum_from::<BadgeShape>(&s)).transpose()?,
            participation_award,
            credit_bearing,
        })
    })())
}

const TERM_COLUMNS: &str =
    "facet, code, label, rank, retired, colour, shape, participation_award, credit_bearing";

/// Every term, by facet then rank.
pub fn terms(conn: &Connection) -> Result<Vec<Term>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TERM_COLUMNS} FROM taxonomy_term ORDER BY facet, rank, code"
    ))?;
    let rows = stmt.query_map([], term)?;
    rows.map(|r| r?).collect()
}

pub fn term_by_code(conn: &Connection, facet: Facet, code: &str) -> Result<Option<Term>> {
    conn.query_row(
        &format!("SELECT {TERM_COLUMNS} FROM taxonomy_term WHERE facet = ?1 AND code = ?2"),
        params![enum_str(&facet)?, code],
        term,
    )
    .optional()?
    .transpose()
}

/// Inserts or replaces a term (by facet and code).
pub fn put_term(conn: &Connection, t: &Term) -> Result<()> {
    conn.execute(
        "INSERT INTO taxonomy_term (facet, code, label, rank, retired, colour, shape,
                                    participation_award, credit_bearing)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (facet, code) DO UPDATE SET label = ?3, rank = ?4, retired = ?5,
             colour = ?6, shape = ?7, participation_award = ?8, credit_bearing = ?9",
        params![
            enum_str(&t.facet)?,
            t.code,
            t.label,
            t.rank,
            t.retired,
            t.colour,
            t.shape.as_ref().map(enum_str).transpose()?,
            t.participation_award,
            t.credit_bearing
        ],
    )?;
    Ok(())
}

pub fn skills(conn: &Connection) -> Result<Vec<Skill>> {
    let mut stmt = conn.prepare_cached(
        "SELECT framework, code, name, description, url FROM skill ORDER BY framework, name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Skill {
            framework: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            description: r.get(3)?,
            url: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inserts or replaces a skill (by framework and code).
pub fn put_skill(conn: &Connection, s: &Skill) -> Result<()> {
    conn.execute(
        "INSERT INTO skill (framework, code, name, description, url) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (framework, code) DO UPDATE SET name = ?3, description = ?4, url = ?5",
        params![s.framework, s.code, s.name, s.description, s.url],
    )?;
    Ok(())
}

/// The stored policy set, if one was ever saved.
pub fn policy(conn: &Connection) -> Result<Option<PolicySet>> {
    let json: Option<String> = conn
        .query_row("SELECT rules_json FROM policy_set WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| StoreError::Decode(e.to_string())))
        .transpose()
}

pub fn set_policy(conn: &Connection, policy: &PolicySet) -> Result<()> {
    let json = serde_json::to_string(policy).map_err(|e| StoreError::Decode(e.to_string()))?;
    conn.execute(
        "INSERT INTO policy_set (id, rules_json) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET rules_json = ?1",
        [json],
    )?;
    Ok(())
}

/// Every pathway with its parts.
pub fn pathways(conn: &Connection) -> Result<Vec<Pathway>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, rule_json FROM pathway ORDER BY name")?;
    let heads = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut parts_stmt = conn.prepare_cached(
        "SELECT kind, target_id FROM pathway_part WHERE pathway_id = ?1 ORDER BY position",
    )?;
    let mut out = Vec::new();
    for (id, name, rule) in heads {
        let parts = parts_stmt
            .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Id>(1)?)))?
            .map(|row| {
                let (kind, target) = row?;
                Ok(if kind == "pathway" {
                    PathwayPart::Pathway(target)
                } else {
                    PathwayPart::Credential(target)
                })
            })
            .collect::<Result<Vec<_>>>()?;
        out.push(Pathway {
            id,
            name,
            rule: serde_json::from_str::<StackRule>(&rule)
                .map_err(|e| StoreError::Decode(e.to_string()))?,
            parts,
        });
    }
    Ok(out)
}

/// Stores a pathway; an id of 0 creates it. Returns its id.
pub fn put_pathway(conn: &Connection, p: &Pathway) -> Result<Id> {
    let rule = serde_json::to_string(&p.rule).map_err(|e| StoreError::Decode(e.to_string()))?;
    let id = if p.id == 0 {
        conn.execute(
            "INSERT INTO pathway (name, rule_json) VALUES (?1, ?2)",
            params![p.name, rule],
        )?;
        conn.last_insert_rowid()
    } else {
        conn.execute(
            "UPDATE pathway SET name = ?1, rule_json = ?2 WHERE id = ?3",
            params![p.name, rule, p.id],
        )?;
        conn.execute("DELETE FROM pathway_part WHERE pathway_id = ?1", [p.id])?;
        p.id
    };
    let mut stmt = conn.prepare_cached(
        "INSERT INTO pathway_part (pathway_id, position, kind, target_id) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, part) in p.parts.iter().enumerate() {
        let (kind, target) = match part {
            PathwayPart::Credential(t) => ("credential", *t),
            PathwayPart::Pathway(t) => ("pathway", *t),
        };
        stmt.execute(params![id, position as i64, kind, target])?;
    }
    Ok(id)
}
