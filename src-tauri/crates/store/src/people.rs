//! People and their roles.

use credence_domain::person::{Person, PersonInput, Role};
use credence_domain::Id;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{Result, StoreError};

fn roles_of(conn: &Connection, id: Id) -> Result<Vec<Role>> {
    let mut stmt = conn.prepare_cached("SELECT role FROM person_role WHERE person_id = ?1")?;
    let names = stmt.query_map([id], |r| r.get::<_, String>(0))?;
    let mut roles = names
        .map(|n| Role::parse(&n?).map_err(StoreError::Decode))
        .collect::<Result<Vec<_>>>()?;
    roles.sort();
    Ok(roles)
}

fn with_roles(
    conn: &Connection,
    rows: Vec<(Id, String, String, Option<Id>)>,
) -> Result<Vec<Person>> {
    rows.into_iter()
        .map(|(id, name, email, unit_id)| {
            Ok(Person {
                roles: roles_of(conn, id)?,
                id,
                name,
                email,
                unit_id,
            })
        })
        .collect()
}

pub fn list(conn: &Connection) -> Result<Vec<Person>> {
    let mut stmt = conn.prepare("SELECT id, name, email, unit_id FROM person ORDER BY name, id")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    with_roles(conn, rows)
}

pub fn get(conn: &Connection, id: Id) -> Result<Option<Person>> {
    let row = conn
        .query_row(
            "SELECT id, name, email, unit_id FROM person WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    Ok(with_roles(conn, row.into_iter().collect())?.pop())
}

/// The id of the person with this email (case-insensitive), other than `except`.
pub fn id_by_email(conn: &Connection, email: &str, except: Option<Id>) -> Result<Option<Id>> {
    Ok(conn
        .query_row(
            "SELECT id FROM person WHERE lower(email) = lower(?1) AND id IS NOT ?2",
            params![email, except],
            |r| r.get(0),
        )
        .optional()?)
}

/// Whether anyone holds `role`.
pub fn anyone_has(conn: &Connection, role: Role) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM person_role WHERE role = ?1)",
        [role.as_str()],
        |r| r.get(0),
    )?)
}

pub fn insert(conn: &Connection, p: &PersonInput) -> Result<Id> {
    conn.execute(
        "INSERT INTO person (name, email, unit_id) VALUES (?1, ?2, ?3)",
        params![p.name, p.email, p.unit_id],
    )?;
    let id = conn.last_insert_rowid();
    set_roles(conn, id, &p.roles)?;
    Ok(id)
}

pub fn update(conn: &Connection, id: Id, p: &PersonInput) -> Result<()> {
    conn.execute(
        "UPDATE person SET name = ?1, email = ?2, unit_id = ?3 WHERE id = ?4",
        params![p.name, p.email, p.unit_id, id],
    )?;
    set_roles(conn, id, &p.roles)
}

fn set_roles(conn: &Connection, id: Id, roles: &[Role]) -> Result<()> {
    conn.execute("DELETE FROM person_role WHERE person_id = ?1", [id])?;
    let mut stmt =
        conn.prepare_cached("INSERT INTO person_role (person_id, role) VALUES (?1, ?2)")?;
    for role in roles {
        stmt.execute(params![id, role.as_str()])?;
    }
    Ok(())
}
