//! Master data: the institution, its units and people, and the academic calendar; where the
//! workspace file is. Setting up a workspace makes its institution and first coordinator.

pub mod calendar;
pub mod location;
pub mod passwords;

use credence_domain::institution::{check_logo, Institution, InstitutionInput};
use credence_domain::person::{Person, PersonInput, Role};
use credence_domain::unit::{check_parent, Unit, UnitInput};
use credence_domain::Id;
use credence_store::audit::{self, Actor};
use credence_store::{institution, people, prefs, sql::Sql, units};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kernel::signin::PersonAdded;
use crate::kernel::{
    acting, internal, record, unchanged_since, Need, WorkspaceStatus, ACTING_PERSON,
};
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// The first-launch form: the institution and the coordinator setting it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SetupInput {
    pub institution: InstitutionInput,
    pub coordinator_name: String,
    pub coordinator_email: String,
}

fn other_coordinator_exists(tx: &dyn Sql, except: Id) -> Result<bool> {
    Ok(people::list(tx)?
        .iter()
        .any(|p| p.id != except && p.has_role(Role::Coordinator)))
}

fn check_unit(tx: &dyn Sql, id: Option<Id>, u: &UnitInput) -> Result<()> {
    if let Some(other) = units::id_by_code(tx, &u.code, id)? {
        let name = units::get(tx, other)?.map(|o| o.name).unwrap_or_default();
        return Err(AppError::field(
            "code",
            format!("the code {} is already used by {name}", u.code),
        ));
    }
    check_parent(id, &u.code, u.parent_id, &units::tree(tx)?)?;
    Ok(())
}

pub(crate) fn insert_unit(tx: &dyn Sql, actor: &Actor, u: &UnitInput) -> Result<Unit> {
    check_unit(tx, None, u)?;
    let id = units::insert(tx, u)?;
    let unit = units::get(tx, id)?.ok_or_else(|| internal("unit vanished"))?;
    record(
        tx,
        actor,
        "unit",
        &id.to_string(),
        "create",
        None::<()>,
        Some(&unit),
    )?;
    Ok(unit)
}

fn check_person(tx: &dyn Sql, id: Option<Id>, p: &PersonInput) -> Result<()> {
    if let Some(other) = people::id_by_email(tx, &p.email, id)? {
        let name = people::get(tx, other)?.map(|o| o.name).unwrap_or_default();
        return Err(AppError::field(
            "email",
            format!("{} is already the email of {name}", p.email),
        ));
    }
    if let Some(unit_id) = p.unit_id {
        if units::get(tx, unit_id)?.is_none() {
            return Err(AppError::field(
                "unit_id",
                format!("there is no unit with id {unit_id}"),
            ));
        }
    }
    Ok(())
}

pub(crate) fn insert_person(tx: &dyn Sql, actor: &Actor, p: &PersonInput) -> Result<Id> {
    check_person(tx, None, p)?;
    let id = people::insert(tx, p)?;
    let person = people::get(tx, id)?.ok_or_else(|| internal("person vanished"))?;
    record(
        tx,
        actor,
        "person",
        &id.to_string(),
        "create",
        None::<()>,
        Some(&person),
    )?;
    Ok(id)
}

impl Workspace {
    /// Sets up a new workspace: the institution and its first coordinator, whose signing key
    /// (sealed under `passphrase`) is the workspace's first; they are signed in. Refused once
    /// the workspace has an institution.
    pub fn setup(&self, input: &SetupInput, passphrase: &str) -> Result<WorkspaceStatus> {
        self.setup_with(input, passphrase, credence_vc::keys::KdfParams::DEFAULT)
    }

    /// As [`Workspace::setup`], with chosen Argon2id costs (tests and the demo).
    pub fn setup_with(
        &self,
        input: &SetupInput,
        passphrase: &str,
        kdf: credence_vc::keys::KdfParams,
    ) -> Result<WorkspaceStatus> {
        let inst = input.institution.validate();
        let person = PersonInput {
            name: input.coordinator_name.clone(),
            email: input.coordinator_email.clone(),
            unit_id: None,
            roles: vec![Role::Coordinator],
        }
        .validate();
        let mut fields = Vec::new();
        for (prefix, result) in [
            ("institution.", inst.as_ref().err()),
            ("coordinator_", person.as_ref().err()),
        ] {
            if let Some(credence_domain::DomainError::Invalid(f)) = result {
                fields.extend(f.iter().map(|e| credence_domain::FieldError {
                    field: format!("{prefix}{}", e.field),
                    message: e.message.clone(),
                }));
            }
        }
        let key = crate::kernel::signin::new_key(passphrase, kdf, "passphrase");
        if let Err(e) = &key {
            fields.extend(e.fields.iter().cloned());
        }
        let (Ok(inst), Ok(person), Ok((key, public, sealed))) = (inst, person, key) else {
            return Err(credence_domain::DomainError::Invalid(fields).into());
        };
        let signer = self.write(None, Need::Setup, |tx, _| {
            // The coordinator exists from the first entry on, so the log names them throughout;
            // their key, registered next, signs everything after.
            let from = audit::last_seq(tx)?;
            check_person(tx, None, &person)?;
            let id = people::insert(tx, &person)?;
            let actor = Actor {
                id: Some(id),
                name: person.name.clone(),
            };
            let coordinator = people::get(tx, id)?.ok_or_else(|| internal("person vanished"))?;
            record(
                tx,
                &actor,
                "person",
                &id.to_string(),
                "create",
                None::<()>,
                Some(&coordinator),
            )?;
            crate::kernel::signin::register_new_key(tx, &coordinator, &public, &sealed, None)?;
            institution::set(tx, &inst)?;
            record(
                tx,
                &actor,
                "institution",
                "1",
                "create",
                None::<()>,
                institution::get(tx)?,
            )?;
            crate::catalog::seed_taxonomy(tx, &actor)?;
            prefs::set(tx, ACTING_PERSON, &id.to_string())?;
            let signer = crate::kernel::signin::Signer::new(&coordinator, key);
            crate::kernel::signin::sign_entries(tx, from, Some(&signer))?;
            Ok(signer)
        })?;
        self.hold(signer);
        self.status()
    }

    /// Creates the institution profile of a new workspace (the CLI's `init`).
    pub fn init(&self, input: &InstitutionInput) -> Result<Institution> {
        let valid = input.validate()?;
        self.write(None, Need::Setup, |tx, actor| {
            institution::set(tx, &valid)?;
            let after = institution::get(tx)?.ok_or_else(|| internal("institution vanished"))?;
            record(
                tx,
                actor,
                "institution",
                "1",
                "create",
                None::<()>,
                Some(&after),
            )?;
            crate::catalog::seed_taxonomy(tx, actor)?;
            Ok(after)
        })
    }

    /// The unit with this code (case-insensitive).
    pub fn unit_by_code(&self, code: &str) -> Result<Unit> {
        self.read(|c| {
            let code = code.trim().to_uppercase();
            let id = units::id_by_code(c, &code, None)?
                .ok_or_else(|| AppError::not_found(format!("there is no unit with code {code}")))?;
            units::get(c, id)?.ok_or_else(|| AppError::not_found(format!("no unit {id}")))
        })
    }

    /// The person with this email, for front ends that name people by email.
    pub fn person_by_email(&self, email: &str) -> Result<Person> {
        self.read(|c| {
            let id = people::id_by_email(c, email.trim(), None)?.ok_or_else(|| {
                AppError::not_found(format!("there is no person with email {email}"))
            })?;
            people::get(c, id)?.ok_or_else(|| AppError::not_found(format!("no person {id}")))
        })
    }

    pub fn institution(&self) -> Result<Option<Institution>> {
        self.read(|c| Ok(institution::get(c)?))
    }

    pub fn set_institution(&self, by: Option<Id>, input: &InstitutionInput) -> Result<Institution> {
        self.set_institution_over(by, input, None)
    }

    /// As [`Workspace::set_institution`], over the profile as the form read it (`seen`):
    /// if another seat changed it since, nothing is saved and the refusal names them.
    pub fn set_institution_over(
        &self,
        by: Option<Id>,
        input: &InstitutionInput,
        seen: Option<&Institution>,
    ) -> Result<Institution> {
        let valid = input.validate()?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = institution::get(tx)?;
            if let Some(stored) = &before {
                unchanged_since(
                    tx,
                    "the institution's profile",
                    "institution",
                    "1",
                    stored,
                    seen,
                )?;
            }
            institution::set(tx, &valid)?;
            let after = institution::get(tx)?.ok_or_else(|| internal("institution vanished"))?;
            let action = if before.is_some() { "update" } else { "create" };
            record(tx, actor, "institution", "1", action, before, Some(&after))?;
            Ok(after)
        })
    }

    /// Replaces the logo with an image checked by `check_logo`; `None` removes it.
    pub fn set_logo(&self, by: Option<Id>, bytes: Option<&[u8]>) -> Result<Institution> {
        let facts = bytes.map(check_logo).transpose()?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = institution::get(tx)?.ok_or_else(|| {
                AppError::field("logo", "set up the institution profile before its logo")
            })?;
            institution::set_logo(tx, facts.as_ref().zip(bytes))?;
            let after = institution::get(tx)?.ok_or_else(|| internal("institution vanished"))?;
            let action = if facts.is_some() {
                "set_logo"
            } else {
                "remove_logo"
            };
            record(
                tx,
                actor,
                "institution",
                "1",
                action,
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        })
    }

    /// The logo's media type and bytes.
    pub fn logo(&self) -> Result<Option<(String, Vec<u8>)>> {
        self.read(|c| Ok(institution::logo(c)?))
    }

    pub fn units(&self) -> Result<Vec<Unit>> {
        self.read(|c| Ok(units::list(c)?))
    }

    pub fn create_unit(&self, by: Option<Id>, input: &UnitInput) -> Result<Unit> {
        let valid = input.validate()?;
        self.write(by, Need::Coordinator, |tx, actor| {
            insert_unit(tx, actor, &valid)
        })
    }

    pub fn update_unit(&self, by: Option<Id>, id: Id, input: &UnitInput) -> Result<Unit> {
        self.update_unit_over(by, id, input, None)
    }

    /// As [`Workspace::update_unit`], over the unit as the form read it (`seen`): if another
    /// seat changed it since, nothing is saved and the refusal names them.
    pub fn update_unit_over(
        &self,
        by: Option<Id>,
        id: Id,
        input: &UnitInput,
        seen: Option<&Unit>,
    ) -> Result<Unit> {
        let valid = input.validate()?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = units::get(tx, id)?
                .ok_or_else(|| AppError::not_found(format!("there is no unit with id {id}")))?;
            let what = format!("the unit {}", before.code);
            unchanged_since(tx, &what, "unit", &id.to_string(), &before, seen)?;
            check_unit(tx, Some(id), &valid)?;
            units::update(tx, id, &valid)?;
            let after = units::get(tx, id)?.ok_or_else(|| internal("unit vanished"))?;
            record(
                tx,
                actor,
                "unit",
                &id.to_string(),
                "update",
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        })
    }

    pub fn people(&self) -> Result<Vec<Person>> {
        self.read(|c| Ok(people::list(c)?))
    }

    /// Adds a person, with the one-time enrolment code they set their passphrase with.
    pub fn create_person(&self, by: Option<Id>, input: &PersonInput) -> Result<PersonAdded> {
        let valid = input.validate()?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let id = insert_person(tx, actor, &valid)?;
            // The first coordinator of a workspace set up without one acts from now on.
            if actor.id.is_none()
                && valid.roles.contains(&Role::Coordinator)
                && acting(tx)?.is_none()
            {
                prefs::set(tx, ACTING_PERSON, &id.to_string())?;
            }
            let person = people::get(tx, id)?.ok_or_else(|| internal("person vanished"))?;
            let enrolment = crate::kernel::signin::issue_enrolment(tx, actor, &person)?;
            Ok(PersonAdded { person, enrolment })
        })
    }

    pub fn update_person(&self, by: Option<Id>, id: Id, input: &PersonInput) -> Result<Person> {
        self.update_person_over(by, id, input, None)
    }

    /// As [`Workspace::update_person`], over the person as the form read them (`seen`): if
    /// another seat changed them since, nothing is saved and the refusal names who did.
    pub fn update_person_over(
        &self,
        by: Option<Id>,
        id: Id,
        input: &PersonInput,
        seen: Option<&Person>,
    ) -> Result<Person> {
        let valid = input.validate()?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = people::get(tx, id)?
                .ok_or_else(|| AppError::not_found(format!("there is no person with id {id}")))?;
            let what = format!("{}'s record", before.name);
            unchanged_since(tx, &what, "person", &id.to_string(), &before, seen)?;
            check_person(tx, Some(id), &valid)?;
            if before.has_role(Role::Coordinator)
                && !valid.roles.contains(&Role::Coordinator)
                && !other_coordinator_exists(tx, id)?
            {
                return Err(AppError::field(
                    "roles",
                    "this is the only coordinator; name another before removing the role",
                ));
            }
            people::update(tx, id, &valid)?;
            let after = people::get(tx, id)?.ok_or_else(|| internal("person vanished"))?;
            record(
                tx,
                actor,
                "person",
                &id.to_string(),
                "update",
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        })
    }
}
