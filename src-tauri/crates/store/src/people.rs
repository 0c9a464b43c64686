//! People and their roles (on [`crate::sql::Sql`]: SQLite and PostgreSQL alike).

use credence_domain::person::{Person, PersonInput, Role};
use credence_domain::Id;

use crate::args;
use crate::sql::{Columns, Sql};
use crate::{Result, StoreError};

fn roles_of(db: &dyn Sql, id: Id) -> Result<Vec<Role>> {
    let mut roles = db.map(
        "SELECT role FROM person_role WHERE person_id = ?1",
        args![id],
        |r| Role::parse(&r.get::<String>(0)?).map_err(StoreError::Decode),
    )?;
    roles.sort();
    Ok(roles)
}

/// `(id, name, email, unit_id)` of a row; the roles are read after, on the same connection.
fn row(r: &dyn Columns) -> Result<(Id, String, String, Option<Id>)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn with_roles(db: &dyn Sql, rows: Vec<(Id, String, String, Option<Id>)>) -> Result<Vec<Person>> {
    rows.into_iter()
        .map(|(id, name, email, unit_id)| {
            Ok(Person {
                roles: roles_of(db, id)?,
                id,
                name,
                email,
                unit_id,
            })
        })
        .collect()
}

pub fn list(db: &dyn Sql) -> Result<Vec<Person>> {
    let rows = db.map(
        "SELECT id, name, email, unit_id FROM person ORDER BY name, id",
        args![],
        row,
    )?;
    with_roles(db, rows)
}

pub fn get(db: &dyn Sql, id: Id) -> Result<Option<Person>> {
    let found = db.map_opt(
        "SELECT id, name, email, unit_id FROM person WHERE id = ?1",
        args![id],
        row,
    )?;
    Ok(with_roles(db, found.into_iter().collect())?.pop())
}

/// The id of the person with this email (case-insensitive), other than `except`.
pub fn id_by_email(db: &dyn Sql, email: &str, except: Option<Id>) -> Result<Option<Id>> {
    db.map_opt(
        "SELECT id FROM person WHERE lower(email) = lower(?1) AND id IS DISTINCT FROM ?2",
        args![email, except],
        |r| r.get(0),
    )
}

/// Whether anyone holds `role`.
pub fn anyone_has(db: &dyn Sql, role: Role) -> Result<bool> {
    db.map_one(
        "SELECT EXISTS (SELECT 1 FROM person_role WHERE role = ?1)",
        args![role.as_str()],
        |r| r.get(0),
    )
}

pub fn insert(db: &dyn Sql, p: &PersonInput) -> Result<Id> {
    let id = db.map_one(
        "INSERT INTO person (name, email, unit_id) VALUES (?1, ?2, ?3) RETURNING id",
        args![p.name, p.email, p.unit_id],
        |r| r.get(0),
    )?;
    set_roles(db, id, &p.roles)?;
    Ok(id)
}

pub fn update(db: &dyn Sql, id: Id, p: &PersonInput) -> Result<()> {
    db.execute(
        "UPDATE person SET name = ?1, email = ?2, unit_id = ?3 WHERE id = ?4",
        args![p.name, p.email, p.unit_id, id],
    )?;
    set_roles(db, id, &p.roles)
}

fn set_roles(db: &dyn Sql, id: Id, roles: &[Role]) -> Result<()> {
    db.execute("DELETE FROM person_role WHERE person_id = ?1", args![id])?;
    for role in roles {
        db.execute(
            "INSERT INTO person_role (person_id, role) VALUES (?1, ?2)",
            args![id, role.as_str()],
        )?;
    }
    Ok(())
}
