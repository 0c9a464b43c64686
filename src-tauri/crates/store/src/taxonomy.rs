//! Taxonomy terms, skills, pathways and the policy set (on [`crate::sql::Sql`]).

use crate::args;
use crate::sql::{Columns, Sql};
use crate::{Result, StoreError};
use credence_domain::policy::PolicySet;
use credence_domain::taxonomy::{BadgeShape, Facet, Pathway, PathwayPart, Skill, StackRule, Term};
use credence_domain::Id;

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

fn term(r: &dyn Columns) -> Result<Term> {
    let facet: String = r.get(0)?;
    let shape: Option<String> = r.get(6)?;
    Ok(Term {
        facet: enum_from(&facet)?,
        code: r.get(1)?,
        label: r.get(2)?,
        rank: r.get(3)?,
        retired: r.get(4)?,
        colour: r.get(5)?,
        shape: shape.map(|s| enum_from::<BadgeShape>(&s)).transpose()?,
        participation_award: r.get(7)?,
        credit_bearing: r.get(8)?,
    })
}

const TERM_COLUMNS: &str =
    "facet, code, label, rank, retired, colour, shape, participation_award, credit_bearing";

/// Every term, by facet then rank.
pub fn terms(db: &dyn Sql) -> Result<Vec<Term>> {
    db.map(
        &format!("SELECT {TERM_COLUMNS} FROM taxonomy_term ORDER BY facet, rank, code"),
        args![],
        term,
    )
}

pub fn term_by_code(db: &dyn Sql, facet: Facet, code: &str) -> Result<Option<Term>> {
    db.map_opt(
        &format!("SELECT {TERM_COLUMNS} FROM taxonomy_term WHERE facet = ?1 AND code = ?2"),
        args![enum_str(&facet)?, code],
        term,
    )
}

/// Inserts or replaces a term (by facet and code).
pub fn put_term(db: &dyn Sql, t: &Term) -> Result<()> {
    db.execute(
        "INSERT INTO taxonomy_term (facet, code, label, rank, retired, colour, shape,
                                    participation_award, credit_bearing)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (facet, code) DO UPDATE SET label = ?3, rank = ?4, retired = ?5,
             colour = ?6, shape = ?7, participation_award = ?8, credit_bearing = ?9",
        args![
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

pub fn skills(db: &dyn Sql) -> Result<Vec<Skill>> {
    db.map(
        "SELECT framework, code, name, description, url FROM skill ORDER BY framework, name",
        args![],
        |r| {
            Ok(Skill {
                framework: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                description: r.get(3)?,
                url: r.get(4)?,
            })
        },
    )
}

/// Inserts or replaces a skill (by framework and code).
pub fn put_skill(db: &dyn Sql, s: &Skill) -> Result<()> {
    db.execute(
        "INSERT INTO skill (framework, code, name, description, url) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (framework, code) DO UPDATE SET name = ?3, description = ?4, url = ?5",
        args![s.framework, s.code, s.name, s.description, s.url],
    )?;
    Ok(())
}

/// The stored policy set, if one was ever saved.
pub fn policy(db: &dyn Sql) -> Result<Option<PolicySet>> {
    let json: Option<String> = db.map_opt(
        "SELECT rules_json FROM policy_set WHERE id = 1",
        args![],
        |r| r.get(0),
    )?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| StoreError::Decode(e.to_string())))
        .transpose()
}

pub fn set_policy(db: &dyn Sql, policy: &PolicySet) -> Result<()> {
    let json = serde_json::to_string(policy).map_err(|e| StoreError::Decode(e.to_string()))?;
    db.execute(
        "INSERT INTO policy_set (id, rules_json) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET rules_json = ?1",
        args![json],
    )?;
    Ok(())
}

/// Every pathway with its parts.
pub fn pathways(db: &dyn Sql) -> Result<Vec<Pathway>> {
    let heads = db.map(
        "SELECT id, name, rule_json FROM pathway ORDER BY name",
        args![],
        |r| Ok((r.get::<Id>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)),
    )?;
    let mut out = Vec::new();
    for (id, name, rule) in heads {
        let parts = db.map(
            "SELECT kind, target_id FROM pathway_part WHERE pathway_id = ?1 ORDER BY position",
            args![id],
            |r| {
                let target: Id = r.get(1)?;
                Ok(if r.get::<String>(0)? == "pathway" {
                    PathwayPart::Pathway(target)
                } else {
                    PathwayPart::Credential(target)
                })
            },
        )?;
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
pub fn put_pathway(db: &dyn Sql, p: &Pathway) -> Result<Id> {
    let rule = serde_json::to_string(&p.rule).map_err(|e| StoreError::Decode(e.to_string()))?;
    let id = if p.id == 0 {
        db.map_one(
            "INSERT INTO pathway (name, rule_json) VALUES (?1, ?2) RETURNING id",
            args![p.name, rule],
            |r| r.get(0),
        )?
    } else {
        db.execute(
            "UPDATE pathway SET name = ?1, rule_json = ?2 WHERE id = ?3",
            args![p.name, rule, p.id],
        )?;
        db.execute(
            "DELETE FROM pathway_part WHERE pathway_id = ?1",
            args![p.id],
        )?;
        p.id
    };
    for (position, part) in p.parts.iter().enumerate() {
        let (kind, target) = match part {
            PathwayPart::Credential(t) => ("credential", *t),
            PathwayPart::Pathway(t) => ("pathway", *t),
        };
        db.execute(
            "INSERT INTO pathway_part (pathway_id, position, kind, target_id)
         VALUES (?1, ?2, ?3, ?4)",
            args![id, position as i64, kind, target],
        )?;
    }
    Ok(id)
}
