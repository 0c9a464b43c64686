//! The use cases of one open workspace.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use credence_domain::audit::ChainReport;
use credence_domain::institution::{check_logo, Institution, InstitutionInput};
use credence_domain::person::{Person, PersonInput, Role};
use credence_domain::unit::{check_parent, Unit, UnitInput};
use credence_domain::Id;
use credence_store::audit::{Actor, Change};
use credence_store::{audit, institution, people, prefs, units, OpenMode, Store, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::signin::PersonAdded;
use crate::AppError;

type Result<T> = std::result::Result<T, AppError>;

const ACTING_PERSON: &str = "acting_person_id";

/// The name audit entries carry for changes made before anyone is a coordinator.
pub(crate) const SETUP_ACTOR: &str = "workspace setup";

/// An open workspace. Cheap to share behind an `Arc`; calls are serialized on one connection
/// and block, so async callers run them on a blocking thread.
pub struct Workspace {
    store: Mutex<Store>,
    path: PathBuf,
    /// The issuer keys, while unlocked for an issuing session (lock order: this, then store).
    pub(crate) issuer: Mutex<Option<crate::issuing::UnlockedIssuer>>,
    /// The person signed in and their unlocked key (never held while taking another lock).
    signed_in: Mutex<Option<crate::signin::SignedIn>>,
    /// How a front end without sessions finds the acting person's passphrase.
    pub(crate) unlocker: Mutex<Option<crate::signin::Unlocker>>,
}

/// What a front end needs to know to draw itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkspaceStatus {
    pub path: String,
    /// The institution profile, absent until the workspace is set up.
    pub institution: Option<Institution>,
    /// Who is acting: the person signed in (or, in a workspace nobody has a signing key
    /// for yet, the person last chosen).
    pub acting: Option<Person>,
    /// Whether acting needs signing in (someone holds a signing key).
    pub sign_in_required: bool,
    /// Whether anyone holds the coordinator role yet.
    pub has_coordinator: bool,
}

/// The first-launch form: the institution and the coordinator setting it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SetupInput {
    pub institution: InstitutionInput,
    pub coordinator_name: String,
    pub coordinator_email: String,
}

/// Which audit entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditQuery {
    /// `institution`, `unit`, `person`; all kinds when absent.
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Entries older than this one (for paging); newest first.
    #[ts(type = "number | null")]
    pub before_seq: Option<i64>,
    pub limit: Option<u32>,
}

/// One audit entry as the audit screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    #[ts(type = "number | null")]
    pub actor_id: Option<Id>,
    pub actor_name: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub hash: String,
}

impl Workspace {
    pub fn open(path: &Path, mode: OpenMode) -> Result<Workspace> {
        let store = Store::open(path, mode)?;
        Ok(Workspace {
            store: Mutex::new(store),
            path: path.to_path_buf(),
            issuer: Mutex::new(None),
            signed_in: Mutex::new(None),
            unlocker: Mutex::new(None),
        })
    }

    pub(crate) fn signed_in(&self) -> MutexGuard<'_, Option<crate::signin::SignedIn>> {
        self.signed_in.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave a transaction half-done (rusqlite rolls
        // back on drop), so the store behind a poisoned lock is still consistent.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&credence_store::Connection) -> Result<T>,
    ) -> Result<T> {
        self.store().read(f)
    }

    /// One transaction, with the acting person resolved and authorized inside it, and every
    /// audit entry it appends signed by the key of the person signed in as `by`.
    pub(crate) fn write<T>(
        &self,
        by: Option<Id>,
        need: Need,
        f: impl FnOnce(&Transaction, &Actor) -> Result<T>,
    ) -> Result<T> {
        let signer = self.signer_for(by, need)?;
        self.write_signed(by, need, signer, f)
    }

    /// As `write`, with the signing key chosen by the caller (a key made in this very act).
    pub(crate) fn write_signed<T>(
        &self,
        by: Option<Id>,
        need: Need,
        signer: Option<crate::signin::Signer>,
        f: impl FnOnce(&Transaction, &Actor) -> Result<T>,
    ) -> Result<T> {
        self.store().write(|tx| {
            let from = audit::last_seq(tx)?;
            let actor = authorize(tx, by, need)?;
            let out = f(tx, &actor)?;
            crate::signin::sign_entries(tx, from, signer.as_ref())?;
            Ok(out)
        })
    }

    /// Whether acting needs signing in: someone in the workspace holds a signing key.
    pub fn sign_in_required(&self) -> Result<bool> {
        self.read(|c| Ok(credence_store::review::any_key(c)?))
    }

    pub fn status(&self) -> Result<WorkspaceStatus> {
        let required = self.sign_in_required()?;
        let acting = if required {
            self.signed_in_person()?
        } else {
            self.acting_person()?
        };
        self.read(|c| {
            Ok(WorkspaceStatus {
                path: self.path.display().to_string(),
                institution: institution::get(c)?,
                acting,
                sign_in_required: required,
                has_coordinator: people::anyone_has(c, Role::Coordinator)?,
            })
        })
    }

    // ----- setup and the acting person -----

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
        let key = crate::signin::new_key(passphrase, kdf, "passphrase");
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
            crate::signin::register_new_key(tx, &coordinator, &public, &sealed, None)?;
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
            crate::proposals::seed_taxonomy(tx, &actor)?;
            prefs::set(tx, ACTING_PERSON, &id.to_string())?;
            let signer = crate::signin::Signer::new(&coordinator, key);
            crate::signin::sign_entries(tx, from, Some(&signer))?;
            Ok(signer)
        })?;
        self.hold(signer);
        self.status()
    }

    /// Who acts in the window: the person signed in; in a workspace nobody holds a signing key
    /// for yet, the person last chosen.
    pub fn acting_id(&self) -> Result<Option<Id>> {
        if self.sign_in_required()? {
            return Ok(self.signed_in_person()?.map(|p| p.id));
        }
        Ok(self.acting_person()?.map(|p| p.id))
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
            crate::proposals::seed_taxonomy(tx, actor)?;
            Ok(after)
        })
    }

    /// The person last chosen or signed in at this desktop (what the command line acts as
    /// without `--as`).
    pub fn acting_person(&self) -> Result<Option<Person>> {
        self.read(acting)
    }

    /// Chooses who acts in a workspace nobody holds a signing key for yet; once someone
    /// does, acting is signing in ([`Workspace::sign_in`]).
    pub fn set_acting_person(&self, id: Id) -> Result<Person> {
        if self.sign_in_required()? {
            return Err(AppError::forbidden(
                "sign in with your passphrase to act in this workspace",
            ));
        }
        let person = self.read(|c| {
            people::get(c, id)?
                .ok_or_else(|| AppError::not_found(format!("there is no person with id {id}")))
        })?;
        self.remember_acting(id)?;
        Ok(person)
    }

    /// Remembers who acted last at this desktop (a preference, not a change: not audited).
    pub(crate) fn remember_acting(&self, id: Id) -> Result<()> {
        self.store()
            .write(|tx| Ok(prefs::set(tx, ACTING_PERSON, &id.to_string())?))
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

    // ----- institution -----

    pub fn institution(&self) -> Result<Option<Institution>> {
        self.read(|c| Ok(institution::get(c)?))
    }

    pub fn set_institution(&self, by: Option<Id>, input: &InstitutionInput) -> Result<Institution> {
        let valid = input.validate()?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = institution::get(tx)?;
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

    // ----- units -----

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
        let valid = input.validate()?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = units::get(tx, id)?
                .ok_or_else(|| AppError::not_found(format!("there is no unit with id {id}")))?;
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

    // ----- people -----

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
            let enrolment = crate::signin::issue_enrolment(tx, actor, &person)?;
            Ok(PersonAdded { person, enrolment })
        })
    }

    pub fn update_person(&self, by: Option<Id>, id: Id, input: &PersonInput) -> Result<Person> {
        let valid = input.validate()?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = people::get(tx, id)?
                .ok_or_else(|| AppError::not_found(format!("there is no person with id {id}")))?;
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

    // ----- audit -----

    /// Audit entries, newest first, as `viewer` may read them (internal committee
    /// deliberation withheld from everyone else).
    pub fn audit(&self, viewer: Option<Id>, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let limit = q.limit.unwrap_or(200).clamp(1, 1000);
        self.read(|c| {
            let rows = audit::list(
                c,
                q.entity.as_deref(),
                q.entity_id.as_deref(),
                limit,
                q.before_seq,
            )?;
            let mut entries: Vec<AuditEntry> = rows
                .into_iter()
                .map(|(r, hash)| AuditEntry {
                    seq: r.seq,
                    at: r.at,
                    actor_id: r.actor_id,
                    actor_name: r.actor_name,
                    entity: r.entity,
                    entity_id: r.entity_id,
                    action: r.action,
                    before: r.before.and_then(|s| serde_json::from_str(&s).ok()),
                    after: r.after.and_then(|s| serde_json::from_str(&s).ok()),
                    hash,
                })
                .collect();
            crate::deliberation::withhold_internal(c, viewer, &mut entries)?;
            Ok(entries)
        })
    }

    /// The number of the newest audit entry (0 for none): what a window compares to notice
    /// changes, whoever made them (this window, the command line, another program).
    pub fn audit_head(&self) -> Result<i64> {
        self.read(|c| Ok(audit::last_seq(c)?))
    }

    /// The kinds of record changed by the entries after `seq`, each once.
    pub fn changed_after(&self, seq: i64) -> Result<Vec<String>> {
        self.read(|c| Ok(audit::entities_after(c, seq)?))
    }

    /// Checks the whole hash chain and names the first entry that does not hold, then every
    /// signed statement and the votes they record.
    pub fn verify_audit(&self) -> Result<ChainReport> {
        self.read(|c| {
            let mut report = audit::verify(c)?;
            let custody = crate::review::Custody::read(c)?;
            let entries = crate::signin::check_entries(c, &custody)?;
            report.entries_signed = entries.signed;
            report.unsigned_history = entries.unsigned_history;
            if let Some(failure) = entries.first_failure {
                // The earliest entry that does not hold is the one to name.
                if report
                    .first_broken
                    .as_ref()
                    .is_none_or(|b| failure.seq < b.seq)
                {
                    report.first_broken = Some(failure);
                    report.head = None;
                }
            }
            report.key_resets = crate::review::key_resets(c)?;
            let statements = crate::review::verify_statements(c)?;
            report.signatures = statements.checked;
            report.statement_problems = statements.problems;
            Ok(report)
        })
    }

    /// Fills a new workspace with the demo institution, units and people.
    pub fn seed_demo(&self) -> Result<WorkspaceStatus> {
        self.write(None, Need::Setup, crate::demo::seed)?;
        // The demo acts as many people, each signing with their own key; their passphrase
        // is the demo's. Nobody is left signed in.
        let theirs = self
            .unlocker
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        self.set_unlocker(Some(Box::new(|_| {
            Ok(crate::secret::Passphrase::new(
                crate::demo::DEMO_PASSPHRASE.into(),
            ))
        })));
        let seeded = crate::demo::seed_review(self)
            .and_then(|_| crate::demo::seed_issuing(self))
            .and_then(|_| crate::demo::seed_lifecycle(self));
        self.set_unlocker(theirs);
        self.sign_out();
        seeded?;
        // The coordinator is the one to sign in as first.
        if let Some(p) = self
            .people()?
            .into_iter()
            .find(|p| p.has_role(Role::Coordinator))
        {
            self.remember_acting(p.id)?;
        }
        self.status()
    }
}

// ----- authorization -----

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Only while the workspace has no institution.
    Setup,
    /// A coordinator; before anyone is one, the setup actor stands in.
    Coordinator,
    /// Any person of the workspace (what they may do to a record is checked by the use case).
    Person,
}

fn authorize(tx: &Transaction, by: Option<Id>, need: Need) -> Result<Actor> {
    if need == Need::Setup {
        if institution::get(tx)?.is_some() {
            return Err(AppError::new(
                crate::ErrorKind::Workspace,
                "this workspace is already set up; open a new workspace file to start another",
            ));
        }
        return Ok(setup_actor());
    }
    let bootstrap = !people::anyone_has(tx, Role::Coordinator)?;
    if need == Need::Person {
        let id = by.ok_or_else(|| {
            AppError::forbidden(
                "choose who is acting (in the window, or with --as EMAIL on the command line)",
            )
        })?;
        let person = people::get(tx, id)?.ok_or_else(|| {
            AppError::forbidden(format!("the acting person (id {id}) does not exist"))
        })?;
        return Ok(Actor {
            id: Some(person.id),
            name: person.name,
        });
    }
    match by {
        Some(id) => {
            let person = people::get(tx, id)?.ok_or_else(|| {
                AppError::forbidden(format!("the acting person (id {id}) does not exist"))
            })?;
            if !bootstrap && !person.has_role(Role::Coordinator) {
                return Err(AppError::forbidden(format!(
                    "{} is not a coordinator, and only a coordinator may do this",
                    person.name
                )));
            }
            Ok(Actor {
                id: Some(person.id),
                name: person.name,
            })
        }
        None if bootstrap => Ok(setup_actor()),
        None => Err(AppError::forbidden(
            "choose who is acting (in the window, or with --as EMAIL on the command line)",
        )),
    }
}

fn setup_actor() -> Actor {
    Actor {
        id: None,
        name: SETUP_ACTOR.into(),
    }
}

fn acting(c: &credence_store::Connection) -> Result<Option<Person>> {
    let Some(id) = prefs::get(c, ACTING_PERSON)?.and_then(|v| v.parse::<Id>().ok()) else {
        return Ok(None);
    };
    Ok(people::get(c, id)?)
}

fn other_coordinator_exists(tx: &Transaction, except: Id) -> Result<bool> {
    Ok(people::list(tx)?
        .iter()
        .any(|p| p.id != except && p.has_role(Role::Coordinator)))
}

// ----- shared write steps -----

fn internal(what: &str) -> AppError {
    AppError::new(crate::ErrorKind::Internal, what)
}

/// Appends the audit entry for a change, serializing the before and after states.
pub(crate) fn record<B: Serialize, A: Serialize>(
    tx: &Transaction,
    actor: &Actor,
    entity: &str,
    entity_id: &str,
    action: &str,
    before: Option<B>,
    after: Option<A>,
) -> Result<()> {
    audit::append(
        tx,
        actor,
        Change {
            entity,
            entity_id: entity_id.into(),
            action,
            before: before.as_ref().map(to_json).transpose()?,
            after: after.as_ref().map(to_json).transpose()?,
        },
    )?;
    Ok(())
}

fn to_json(v: &impl Serialize) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| internal(&format!("cannot record the change: {e}")))
}

fn check_unit(tx: &Transaction, id: Option<Id>, u: &UnitInput) -> Result<()> {
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

pub(crate) fn insert_unit(tx: &Transaction, actor: &Actor, u: &UnitInput) -> Result<Unit> {
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

fn check_person(tx: &Transaction, id: Option<Id>, p: &PersonInput) -> Result<()> {
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

pub(crate) fn insert_person(tx: &Transaction, actor: &Actor, p: &PersonInput) -> Result<Id> {
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
