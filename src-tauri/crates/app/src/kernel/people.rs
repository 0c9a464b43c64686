//! The people a use case names: looked up, or refused by name.

use credence_domain::person::Person;
use credence_domain::Id;
use credence_store::audit::Actor;
use credence_store::{people, sql::Sql};

use crate::AppError;

type Result<T> = std::result::Result<T, AppError>;

pub(crate) fn person(conn: &dyn Sql, id: Id) -> Result<Person> {
    people::get(conn, id)?.ok_or_else(|| AppError::not_found(format!("there is no person {id}")))
}

pub(crate) fn name_of(conn: &dyn Sql, id: Id) -> String {
    people::get(conn, id)
        .ok()
        .flatten()
        .map(|p| p.name)
        .unwrap_or_else(|| format!("person {id}"))
}

pub(crate) fn actor_person(conn: &dyn Sql, actor: &Actor) -> Result<Person> {
    let id = actor
        .id
        .ok_or_else(|| AppError::forbidden("choose who is acting before reviewing"))?;
    person(conn, id)
}
