//! The use cases of one open workspace.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use credence_domain::institution::Institution;
use credence_domain::person::{Person, Role};
use credence_domain::Id;
use credence_store::audit::{Actor, Change};
use credence_store::{audit, institution, people, prefs, sql::Sql, OpenMode, Store};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::AppError;

type Result<T> = std::result::Result<T, AppError>;

pub(crate) const ACTING_PERSON: &str = "acting_person_id";

/// The name audit entries carry for changes made before anyone is a coordinator.
pub(crate) const SETUP_ACTOR: &str = "workspace setup";

/// Copies the workspace file's write-ahead log into it ([`Workspace::checkpointer`]).
pub struct Checkpointer(credence_store::Checkpointer);

impl Checkpointer {
    /// Copies what is committed, waiting for no one.
    pub fn run(&self) -> Result<()> {
        Ok(self.0.run()?)
    }
}

/// An open workspace. Cheap to share behind an `Arc`; calls are serialized on one connection
/// and block, so async callers run them on a blocking thread.
pub struct Workspace {
    store: Mutex<Store>,
    /// The file, or the server's URL as given (its password included, to reconnect).
    path: PathBuf,
    /// What to call it: the path, or the URL without its password.
    location: String,
    /// The issuer keys, while unlocked for an issuing session (lock order: this, then store).
    pub(crate) issuer: Mutex<Option<crate::kernel::signin::UnlockedIssuer>>,
    /// The person signed in and their unlocked key (never held while taking another lock).
    signed_in: Mutex<Option<crate::kernel::signin::SignedIn>>,
    /// How a front end without sessions finds the acting person's passphrase.
    pub(crate) unlocker: Mutex<Option<crate::kernel::signin::Unlocker>>,
    /// Long work running in this process (roster batches).
    pub(crate) jobs: crate::kernel::jobs::Jobs,
}

/// The URL of a workspace on a PostgreSQL server, where `path` is one (`postgres://` or
/// `postgresql://`) rather than a file.
pub fn server_url(path: &Path) -> Option<&str> {
    path.to_str()
        .filter(|p| p.starts_with("postgres://") || p.starts_with("postgresql://"))
}

/// A workspace as a person reads its name: a file's path, or a server's URL without its
/// password (what is shown, and what is remembered).
pub fn named(path: &Path) -> String {
    match server_url(path) {
        Some(url) => credence_store_postgres::redacted(url),
        None => path.display().to_string(),
    }
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

impl Workspace {
    /// Opens the workspace a file path or a `postgres://` URL names.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Workspace> {
        let store = match server_url(path) {
            Some(url) => credence_store_postgres::open(url, mode)?,
            None => Store::open(path, mode)?,
        };
        Ok(Workspace {
            location: store.location(),
            store: Mutex::new(store),
            path: path.to_path_buf(),
            issuer: Mutex::new(None),
            signed_in: Mutex::new(None),
            unlocker: Mutex::new(None),
            jobs: crate::kernel::jobs::Jobs::default(),
        })
    }

    pub(crate) fn signed_in(&self) -> MutexGuard<'_, Option<crate::kernel::signin::SignedIn>> {
        self.signed_in.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The file path or server URL the workspace was opened with.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The workspace as a person would name it: its file, or its server's URL without the
    /// password.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Whether the workspace is a file on this computer (not a database on a server).
    pub fn is_file(&self) -> bool {
        server_url(&self.path).is_none()
    }

    /// What copies a workspace file's write-ahead log into it from a thread of its own
    /// (beside a batch); `None` where the workspace is not a file.
    pub fn checkpointer(&self) -> Result<Option<Checkpointer>> {
        Ok(self.store().checkpointer()?.map(Checkpointer))
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave a transaction half-done (rusqlite rolls
        // back on drop), so the store behind a poisoned lock is still consistent.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T> {
        self.store().read(f)
    }

    /// One transaction, with the acting person resolved and authorized inside it, and every
    /// audit entry it appends signed by the key of the person signed in as `by`.
    pub(crate) fn write<T>(
        &self,
        by: Option<Id>,
        need: Need,
        f: impl FnOnce(&dyn Sql, &Actor) -> Result<T>,
    ) -> Result<T> {
        let signer = self.signer_for(by, need)?;
        self.write_signed(by, need, signer, f)
    }

    /// As `write`, with the signing key chosen by the caller (a key made in this very act).
    pub(crate) fn write_signed<T>(
        &self,
        by: Option<Id>,
        need: Need,
        signer: Option<crate::kernel::signin::Signer>,
        f: impl FnOnce(&dyn Sql, &Actor) -> Result<T>,
    ) -> Result<T> {
        self.store().write(|tx| {
            let from = audit::last_seq(tx)?;
            let actor = authorize(tx, by, need)?;
            let out = f(tx, &actor)?;
            event_only(tx, from)?;
            crate::kernel::signin::sign_entries(tx, from, signer.as_ref())?;
            Ok(out)
        })
    }

    /// A write that is no one's act, so neither authorized nor audited: a job's bookkeeping
    /// (which of a batch's files are written), in one transaction.
    pub(crate) fn write_bookkeeping<T>(&self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T> {
        self.store().write(f)
    }

    /// As `write_bookkeeping`, unless the workspace is in another transaction now (a batch
    /// committing a chunk): then nothing is written and `None` is returned, for a later call
    /// to bring the bookkeeping up to date.
    pub(crate) fn try_write_bookkeeping<T>(
        &self,
        f: impl FnOnce(&dyn Sql) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut store = match self.store.try_lock() {
            Ok(store) => store,
            // As `store`: a poisoned lock's store is still consistent.
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Ok(None),
        };
        store.write(f).map(Some)
    }

    /// Every commit synced to the disk before it returns (`durable`), or the default.
    pub(crate) fn set_durable(&self, durable: bool) -> Result<()> {
        Ok(self.store().set_durable(durable)?)
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
                path: self.location.clone(),
                institution: institution::get(c)?,
                acting,
                sign_in_required: required,
                has_coordinator: people::anyone_has(c, Role::Coordinator)?,
            })
        })
    }

    // ----- the acting person -----

    /// Who acts in the window: the person signed in; in a workspace nobody holds a signing key
    /// for yet, the person last chosen.
    pub fn acting_id(&self) -> Result<Option<Id>> {
        if self.sign_in_required()? {
            return Ok(self.signed_in_person()?.map(|p| p.id));
        }
        Ok(self.acting_person()?.map(|p| p.id))
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

    /// The number of the newest audit entry (0 for none): what a window compares to notice
    /// changes, whoever made them (this window, the command line, another program).
    pub fn audit_head(&self) -> Result<i64> {
        self.read(|c| Ok(audit::last_seq(c)?))
    }

    /// The kinds of record changed by the entries after `seq`, each once.
    pub fn changed_after(&self, seq: i64) -> Result<Vec<String>> {
        self.read(|c| Ok(audit::entities_after(c, seq)?))
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

fn authorize(tx: &dyn Sql, by: Option<Id>, need: Need) -> Result<Actor> {
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

/// An event workspace issues and revokes the event's awards and changes nothing else; once
/// finished, nothing at all (its return package holds what it issued). Its making (the
/// first entries of its log) is the exception.
fn event_only(tx: &dyn Sql, from: i64) -> Result<()> {
    if from == 0 {
        return Ok(());
    }
    let Some(event) = credence_store::events::held(tx)? else {
        return Ok(());
    };
    let allowed: &[&str] = if event.finished_at.is_some() {
        &["event"]
    } else {
        &["award", "issue_batch", "event"]
    };
    match audit::entities_after(tx, from)?
        .into_iter()
        .find(|e| !allowed.contains(&e.as_str()))
    {
        None => Ok(()),
        Some(_) if event.finished_at.is_some() => Err(AppError::forbidden(format!(
            "the event \"{}\" is finished: its workspace changes nothing more (its return \
             package holds its awards; merge it in the institution's workspace)",
            event.name
        ))),
        Some(entity) => Err(AppError::forbidden(format!(
            "this is the event workspace of \"{}\": it issues and revokes the event's awards \
             and nothing else (a change of {entity} belongs in the institution's workspace)",
            event.name
        ))),
    }
}

fn setup_actor() -> Actor {
    Actor {
        id: None,
        name: SETUP_ACTOR.into(),
    }
}

pub(crate) fn acting(c: &dyn Sql) -> Result<Option<Person>> {
    let Some(id) = prefs::get(c, ACTING_PERSON)?.and_then(|v| v.parse::<Id>().ok()) else {
        return Ok(None);
    };
    Ok(people::get(c, id)?)
}

// ----- shared write steps -----

pub(crate) fn internal(what: &str) -> AppError {
    AppError::new(crate::ErrorKind::Internal, what)
}

/// Refuses a change made over a stale copy. `seen` is the record as the seat read it before
/// editing (its version: any field another seat changed since makes it differ); if the
/// stored record is no longer that, nothing is saved and the refusal names who changed it
/// last and when. `None` (the CLI, a script) changes whatever is stored.
pub(crate) fn unchanged_since<T: PartialEq + ?Sized>(
    tx: &dyn Sql,
    what: &str,
    entity: &str,
    entity_id: &str,
    stored: &T,
    seen: Option<&T>,
) -> Result<()> {
    if seen.is_none_or(|s| s == stored) {
        return Ok(());
    }
    let (who, at) = audit::last_change(tx, entity, entity_id)?
        .unwrap_or_else(|| ("someone".into(), String::new()));
    let when = if at.is_empty() {
        String::new()
    } else {
        format!(" at {}", crate::kernel::clock::moment(&at))
    };
    Err(AppError::conflict(format!(
        "{who} changed {what}{when} after you opened it; nothing of yours was saved: \
         reload it to see their change, then make yours again"
    )))
}

/// Appends the audit entry for a change, serializing the before and after states.
pub(crate) fn record<B: Serialize, A: Serialize>(
    tx: &dyn Sql,
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

/// Appends the audit entries of one act on many records of a kind, in their order: for each,
/// the record's id and its state after.
pub(crate) fn record_all<A: Serialize>(
    tx: &dyn Sql,
    actor: &Actor,
    entity: &str,
    action: &str,
    afters: impl IntoIterator<Item = (String, A)>,
) -> Result<()> {
    let changes = afters
        .into_iter()
        .map(|(entity_id, after)| {
            Ok(Change {
                entity,
                entity_id,
                action,
                before: None,
                after: Some(to_json(&after)?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    audit::append_all(tx, actor, changes)?;
    Ok(())
}

fn to_json(v: &impl Serialize) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| internal(&format!("cannot record the change: {e}")))
}
