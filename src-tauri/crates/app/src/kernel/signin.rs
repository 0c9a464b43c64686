//! Who acts: signing in, enrolment codes, the idle lock, and the signature every audit entry
//! carries.
//!
//! Signing in opens a person's sealed signing key with their passphrase and holds it for the
//! session; every change they make is then written with its audit entries signed by that key
//! (Ed25519 over the hash of the act's last entry, which chains every entry before it, so
//! one signature covers the act's entries). One person is signed in at a
//! time: signing in as someone else locks the first, and so does the idle time. A front end
//! that cannot keep a session (the command line) gives the workspace an [`Unlocker`] that
//! finds the acting person's passphrase for each run.
//!
//! A workspace is unsigned until its first signing key is registered (the window's setup
//! registers the coordinator's at once); from that entry on, every entry is signed, and a
//! change that would leave one unsigned is refused.

use std::time::{Duration, Instant};

use credence_domain::audit::BrokenEntry;
use credence_domain::person::{Person, Role};
use credence_domain::Id;
use credence_store::audit::{self, SignedRow};
use credence_store::review as store;
use credence_store::{people, settings, sql::Sql};
use credence_vc::keys::KdfParams;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::kernel::clock::now;
use crate::kernel::keys::Custody;
use crate::kernel::refuse;
use crate::kernel::secret::Passphrase;
use crate::kernel::{record, Need};
use crate::{AppError, ErrorKind, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// Finds the acting person's passphrase when nobody is signed in as them (the command line:
/// an environment variable or a prompt). Its error says what is missing.
pub type Unlocker = Box<dyn Fn(&Person) -> Result<Passphrase> + Send + Sync>;

/// The idle time after which a session locks, unless the institution set another.
pub const DEFAULT_IDLE_MINUTES: u32 = 15;
const IDLE_SETTING: &str = "idle_lock_minutes";
/// How long an enrolment code works.
const ENROLMENT_DAYS: i64 = 14;

/// The key of the person signed in, and when they last acted.
pub(crate) struct SignedIn {
    pub(crate) signer: Signer,
    last_active: Instant,
}

/// An unlocked personal key (wiped from memory when dropped: ed25519-dalek zeroizes).
#[derive(Clone)]
pub(crate) struct Signer {
    pub(crate) person: Id,
    pub(crate) name: String,
    key: SigningKey,
    public: String,
}

impl Signer {
    pub(crate) fn new(person: &Person, key: SigningKey) -> Signer {
        Signer {
            person: person.id,
            name: person.name.clone(),
            public: credence_vc::did_key::multibase(&key.verifying_key()),
            key,
        }
    }
}

/// What the window shows about the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignInOption {
    pub person: Person,
    /// Whether they hold a signing key (and so can sign in); otherwise they enrol first.
    pub has_key: bool,
}

/// A new enrolment code, shown once to the coordinator who asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Enrolment {
    pub person_id: Id,
    pub person_name: String,
    /// The code to hand over (shown only now; the workspace keeps its hash).
    pub code: String,
    pub expires_at: String,
}

/// The idle time after which a session locks, and whether the person asking may change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdleLock {
    pub minutes: u32,
    pub may_change: bool,
}

/// A person just added, with the code they set their passphrase with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonAdded {
    pub person: Person,
    pub enrolment: Enrolment,
}

/// The signature check of the whole log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EntrySignatures {
    pub(crate) signed: u64,
    pub(crate) unsigned_history: u64,
    pub(crate) first_failure: Option<BrokenEntry>,
}

/// The bytes an entry's signature covers: its hash as 64 hex characters.
fn entry_message(hash: &str) -> &[u8] {
    hash.as_bytes()
}

/// The number of the entry that registered the workspace's first signing key: entries
/// before it were made before anyone could sign.
pub(crate) fn first_key_entry(conn: &dyn Sql) -> Result<Option<i64>> {
    Ok(audit::entries_of(conn, "person_key")?
        .into_iter()
        .find(|e| e.action == "create" || e.action == "renew")
        .map(|e| e.seq))
}

/// Signs the entries appended after `from` (one act) with `signer`, who must be each
/// entry's actor: one signature, on the act's last entry, whose hash chains every entry
/// before it, so it covers the whole act (`check_entries`). An entry may stay unsigned only
/// while the workspace has no signing key registered.
pub(crate) fn sign_entries(tx: &dyn Sql, from: i64, signer: Option<&Signer>) -> Result<()> {
    let first_key = first_key_entry(tx)?;
    let cannot_sign = |row: &SignedRow| {
        AppError::forbidden(format!(
            "{} is not signed in, so this change cannot be signed; sign in as them first",
            row.actor_name
        ))
    };
    // The entries no signature covers yet (one made in this act, by `sign_entries` called
    // inside it, covers those before it that are its signer's).
    let mut unsigned: Vec<SignedRow> = Vec::new();
    for row in audit::signed_rows(tx, from)? {
        if first_key.is_none_or(|k| row.seq < k) {
            continue;
        }
        if row.signature.is_some() {
            if let Some(other) = unsigned.iter().find(|r| r.actor_id != row.actor_id) {
                return Err(cannot_sign(other));
            }
            unsigned.clear();
        } else {
            unsigned.push(row);
        }
    }
    let Some(last) = unsigned.last() else {
        return Ok(());
    };
    let s = match signer {
        Some(s) => match unsigned.iter().find(|r| r.actor_id != Some(s.person)) {
            None => s,
            Some(other) => return Err(cannot_sign(other)),
        },
        None => return Err(cannot_sign(&unsigned[0])),
    };
    // A batch's chunk appends hundreds of entries: signing each was a fifth of the thread
    // that stores it.
    let signature = hex::encode(s.key.sign(entry_message(&last.hash)).to_bytes());
    audit::insert_signature(tx, last.seq, &s.public, &signature)?;
    Ok(())
}

/// Checks every entry's signature against the key its maker held then (`custody`). A
/// signature covers its own entry and the unsigned entries just before it (an act: their
/// hashes are chained into the signed one's), which must all be its signer's; an entry whose
/// next signature is someone else's, or that no signature follows, is unsigned. The
/// signatures are checked on every core, each public key decoded once; the first entry that
/// fails is the one named (for a signature that does not hold, the first entry of the act it
/// covers).
pub(crate) fn check_entries(conn: &dyn Sql, custody: &Custody) -> Result<EntrySignatures> {
    let signed_from: i64 = settings::get(conn, "audit_signed_from_seq")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let first_key = first_key_entry(conn)?;
    let mut out = EntrySignatures::default();
    // The entries to account for, the signed ones with the first entry each covers, and the
    // first entry found uncovered.
    let mut checked = Vec::new();
    let mut to_check = Vec::new();
    let mut covers_from = std::collections::HashMap::new();
    let mut pending: Vec<SignedRow> = Vec::new();
    let mut uncovered: Option<BrokenEntry> = None;
    for row in audit::signed_rows(conn, 0)? {
        let history = row.seq <= signed_from || first_key.is_none_or(|k| row.seq < k);
        if history && row.signature.is_none() {
            out.unsigned_history += 1;
            continue;
        }
        checked.push(row.seq);
        if row.signature.is_none() {
            pending.push(row);
            continue;
        }
        if let Some(other) = pending
            .iter()
            .find(|p| p.actor_id.is_none() || p.actor_id != row.actor_id)
        {
            uncovered.get_or_insert_with(|| not_signed(other));
        }
        if let Some(first) = pending.first() {
            covers_from.insert(row.seq, first.seq);
        }
        pending.clear();
        to_check.push(row);
    }
    if let Some(first) = pending.first() {
        uncovered.get_or_insert_with(|| not_signed(first));
    }
    // Each public key decoded once; a weak (small-order) key signs nothing.
    let mut keys: std::collections::HashMap<&str, Option<VerifyingKey>> = Default::default();
    for row in &to_check {
        if let Some((public, _)) = &row.signature {
            keys.entry(public.as_str()).or_insert_with(|| {
                credence_vc::did_key::decode_multibase(public)
                    .ok()
                    .filter(|k| !k.is_weak())
            });
        }
    }
    // Batches of signatures checked together (one multiscalar equation each, about twice as
    // fast as one by one), on every core; a batch that fails is checked one by one to name
    // the entry.
    let batches: Vec<&[SignedRow]> = to_check.chunks(256).collect();
    let failures =
        crate::kernel::parallel::map(&batches, |rows| Ok(check_batch(rows, custody, &keys)))?;
    let failed = failures
        .into_iter()
        .flatten()
        .map(|f| match covers_from.get(&f.seq) {
            Some(&first) => BrokenEntry {
                seq: first,
                reason: format!(
                    "the signature of its act (on entry {}, covering entries {first} to {}) does not hold: {}",
                    f.seq, f.seq, f.reason
                ),
            },
            None => f,
        });
    match failed.chain(uncovered).min_by_key(|f| f.seq) {
        Some(failure) => {
            out.signed = checked.iter().take_while(|&&s| s < failure.seq).count() as u64;
            out.first_failure = Some(failure);
        }
        None => out.signed = checked.len() as u64,
    }
    Ok(out)
}

/// An entry after the first key that no signature of its maker covers.
fn not_signed(row: &SignedRow) -> BrokenEntry {
    BrokenEntry {
        seq: row.seq,
        reason: format!(
            "it is not signed: an entry made by {} must carry their signature, or be followed by one of theirs before anyone else's entry",
            row.actor_name
        ),
    }
}

/// The first entry of `rows` whose signature does not hold, and why.
fn check_batch(
    rows: &[SignedRow],
    custody: &Custody,
    keys: &std::collections::HashMap<&str, Option<VerifyingKey>>,
) -> Option<BrokenEntry> {
    let mut ready = Vec::with_capacity(rows.len());
    let mut first: Option<BrokenEntry> = None;
    for row in rows {
        match prepare(row, custody, keys) {
            Ok(checked) => ready.push((row, checked)),
            Err(reason) => {
                first = Some(BrokenEntry {
                    seq: row.seq,
                    reason,
                });
                break;
            }
        }
    }
    let messages: Vec<&[u8]> = ready.iter().map(|(r, _)| entry_message(&r.hash)).collect();
    let signatures: Vec<ed25519_dalek::Signature> = ready.iter().map(|(_, c)| c.1).collect();
    let verifying: Vec<VerifyingKey> = ready.iter().map(|(_, c)| c.0).collect();
    if ed25519_dalek::verify_batch(&messages, &signatures, &verifying).is_ok() {
        return first;
    }
    for (row, (key, sig)) in &ready {
        if key.verify_strict(entry_message(&row.hash), sig).is_err() {
            return Some(BrokenEntry {
                seq: row.seq,
                reason: format!(
                    "its signature does not match its content: {}'s key did not sign this entry",
                    row.actor_name
                ),
            });
        }
    }
    first
}

/// An entry's key and signature, once its maker held that key then.
fn prepare(
    row: &SignedRow,
    custody: &Custody,
    keys: &std::collections::HashMap<&str, Option<VerifyingKey>>,
) -> std::result::Result<(VerifyingKey, ed25519_dalek::Signature), String> {
    let Some((public, signature)) = &row.signature else {
        return Err(format!(
            "it is not signed: an entry made by {} must carry their signature",
            row.actor_name
        ));
    };
    let Some(actor) = row.actor_id else {
        return Err(format!(
            "it is signed, but names no person to have made it ({})",
            row.actor_name
        ));
    };
    if !custody.held(actor, public, row.seq) {
        return Err(format!(
            "it is signed with a key that was not {}'s at the time",
            row.actor_name
        ));
    }
    let key = keys
        .get(public.as_str())
        .copied()
        .flatten()
        .ok_or("its signing key cannot be read")?;
    let sig = hex::decode(signature)
        .ok()
        .and_then(|b| ed25519_dalek::Signature::from_slice(&b).ok())
        .ok_or("its signature is malformed")?;
    Ok((key, sig))
}

fn code_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(Sha256::digest(
        format!("credence enrolment\n{normal}").as_bytes(),
    ))
}

/// Twelve characters of Crockford's base32 (60 bits), in three groups: `K7QD-3MXA-9TPB`.
fn new_code() -> Result<String> {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes = credence_vc::keys::random::<12>()
        .map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
    let mut code = String::new();
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(ALPHABET[(*b % 32) as usize] as char);
    }
    Ok(code)
}

/// Issues `person` a new enrolment code (any earlier unused one stops working) and records
/// the act; the code itself is never stored or logged.
pub(crate) fn issue_enrolment(
    tx: &dyn Sql,
    actor: &credence_store::audit::Actor,
    person: &Person,
) -> Result<Enrolment> {
    let code = new_code()?;
    let issued = chrono::Utc::now();
    let expires = (issued + chrono::Duration::days(ENROLMENT_DAYS))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let id = store::insert_enrolment(tx, person.id, &code_hash(&code), &now(), &expires)?;
    record(
        tx,
        actor,
        "person_key",
        &person.id.to_string(),
        "enrolment",
        None::<()>,
        Some(&serde_json::json!({"enrolment": id, "expires_at": expires})),
    )?;
    Ok(Enrolment {
        person_id: person.id,
        person_name: person.name.clone(),
        code,
        expires_at: expires,
    })
}

pub(crate) fn new_key(
    passphrase: &str,
    kdf: KdfParams,
    field: &str,
) -> Result<(SigningKey, String, String)> {
    if passphrase.chars().count() < 8 {
        return Err(refuse(field, "use at least 8 characters"));
    }
    let internal = |e: credence_vc::VcError| AppError::new(ErrorKind::Internal, e.to_string());
    let key = credence_vc::keys::generate().map_err(internal)?;
    let sealed = credence_vc::keys::seal(&key, passphrase, kdf).map_err(internal)?;
    let json = serde_json::to_string(&sealed)
        .map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
    Ok((key, sealed.public_key, json))
}

/// Registers `key` as `person`'s (the entry the key itself signs, as proof it is theirs).
pub(crate) fn register_new_key(
    tx: &dyn Sql,
    person: &Person,
    public: &str,
    sealed_json: &str,
    enrolment: Option<Id>,
) -> Result<()> {
    store::insert_key(tx, person.id, public, sealed_json, &now())?;
    let actor = credence_store::audit::Actor {
        id: Some(person.id),
        name: person.name.clone(),
    };
    let mut after = serde_json::json!({"public_key": public});
    if let Some(e) = enrolment {
        after["enrolment"] = e.into();
    }
    record(
        tx,
        &actor,
        "person_key",
        &person.id.to_string(),
        "create",
        None::<()>,
        Some(&after),
    )
}

/// Keys opened for an issuing session: issuer key id -> key. Dropping it wipes the keys.
pub struct UnlockedIssuer {
    pub(crate) keys: std::collections::HashMap<Id, ed25519_dalek::SigningKey>,
}

impl Workspace {
    /// Forgets the opened keys.
    pub fn lock_issuer(&self) {
        *self.issuer.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Opens `person`'s key with their passphrase and makes them the one signed in (locking
    /// whoever was, and the issuer keys they had unlocked).
    pub fn sign_in(&self, person: Id, passphrase: &str) -> Result<Person> {
        let p = self.read(|c| crate::kernel::people::person(c, person))?;
        self.unlock(&p, passphrase)?;
        self.remember_acting(p.id)?;
        Ok(p)
    }

    /// Opens `person`'s key with `passphrase` and holds it as the session's.
    fn unlock(&self, person: &Person, passphrase: &str) -> Result<Signer> {
        let key = self.read(|c| crate::kernel::keys::signing_key(c, person, passphrase))?;
        let signer = Signer::new(person, key);
        self.hold(signer.clone());
        Ok(signer)
    }

    /// The session's signer, unless the idle time has passed: then the session (and the
    /// issuer keys) lock now, and the person whose session it was is returned instead.
    fn session(&self) -> Result<std::result::Result<Option<Signer>, Id>> {
        let idle = self.idle_limit()?;
        let mut guard = self.signed_in();
        match guard.as_ref() {
            Some(s) if s.last_active.elapsed() >= idle => {
                let expired = s.signer.person;
                *guard = None;
                drop(guard);
                self.lock_issuer();
                Ok(Err(expired))
            }
            current => Ok(Ok(current.map(|s| s.signer.clone()))),
        }
    }

    /// Locks the session: the key is dropped (and wiped), and so are unlocked issuer keys.
    pub fn sign_out(&self) {
        *self.signed_in() = None;
        self.lock_issuer();
    }

    /// Who is signed in, unless the idle time has passed (then the session locks now).
    pub fn signed_in_person(&self) -> Result<Option<Person>> {
        match self.session()? {
            Ok(Some(s)) => self.read(|c| Ok(people::get(c, s.person)?)),
            Ok(None) | Err(_) => Ok(None),
        }
    }

    /// Counts as activity of the person signed in (the window calls it on input), so the
    /// session does not lock while they work.
    pub fn touch(&self) {
        if let Some(s) = self.signed_in().as_mut() {
            s.last_active = Instant::now();
        }
    }

    /// Moves the session's last activity back by `d`, as if that much idle time had passed
    /// (for tests of the idle lock; it can only make a session lock sooner).
    pub fn pass_idle_time(&self, d: Duration) {
        if let Some(s) = self.signed_in().as_mut() {
            s.last_active = s.last_active.checked_sub(d).unwrap_or(s.last_active);
        }
    }

    /// Sets the front end's way of finding a passphrase when nobody is signed in.
    pub fn set_unlocker(&self, unlocker: Option<Unlocker>) {
        *self.unlocker.lock().unwrap_or_else(|p| p.into_inner()) = unlocker;
    }

    /// The people of the workspace as the sign-in screen lists them.
    pub fn sign_in_options(&self) -> Result<Vec<SignInOption>> {
        self.read(|c| {
            let holders = store::key_holders(c)?;
            Ok(people::list(c)?
                .into_iter()
                .map(|p| SignInOption {
                    has_key: holders.contains(&p.id),
                    person: p,
                })
                .collect())
        })
    }

    /// Minutes of inactivity after which a session locks.
    pub fn idle_lock_minutes(&self) -> Result<u32> {
        self.read(|c| {
            Ok(settings::get(c, IDLE_SETTING)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(DEFAULT_IDLE_MINUTES))
        })
    }

    /// The idle time, as `by` may act on it (coordinators change it).
    pub fn idle_lock(&self, by: Option<Id>) -> Result<IdleLock> {
        let minutes = self.idle_lock_minutes()?;
        let may_change = match by {
            Some(id) => self
                .read(|c| Ok(people::get(c, id)?))?
                .is_some_and(|p| p.has_role(Role::Coordinator)),
            None => false,
        };
        Ok(IdleLock {
            minutes,
            may_change,
        })
    }

    /// Sets the idle time (1 to 480 minutes; coordinators).
    pub fn set_idle_lock_minutes(&self, by: Option<Id>, minutes: u32) -> Result<u32> {
        if !(1..=480).contains(&minutes) {
            return Err(refuse(
                "idle_lock_minutes",
                "give between 1 and 480 minutes",
            ));
        }
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = settings::get(tx, IDLE_SETTING)?;
            settings::set(tx, IDLE_SETTING, &minutes.to_string())?;
            record(
                tx,
                actor,
                "setting",
                IDLE_SETTING,
                "update",
                before,
                Some(minutes.to_string()),
            )?;
            Ok(minutes)
        })
    }

    fn idle_limit(&self) -> Result<Duration> {
        Ok(Duration::from_secs(
            u64::from(self.idle_lock_minutes()?) * 60,
        ))
    }

    pub(crate) fn hold(&self, signer: Signer) {
        let mut guard = self.signed_in();
        let switching = guard
            .as_ref()
            .is_some_and(|s| s.signer.person != signer.person);
        *guard = Some(SignedIn {
            signer,
            last_active: Instant::now(),
        });
        drop(guard);
        if switching {
            self.lock_issuer();
        }
    }

    /// The key that signs what `by` writes now: `None` while the workspace has no signing
    /// key at all (it is being set up). Refused, naming what is missing, when `by` is not
    /// signed in and no unlocker can sign them in.
    pub(crate) fn signer_for(&self, by: Option<Id>, need: Need) -> Result<Option<Signer>> {
        if need == Need::Setup || !self.read(|c| Ok(store::any_key(c)?))? {
            return Ok(None);
        }
        let Some(id) = by else {
            return Err(AppError::forbidden(
                "sign in to make changes: your passphrase unlocks your signing key",
            ));
        };
        let other = match self.session()? {
            Ok(Some(s)) if s.person == id => {
                self.touch();
                return Ok(Some(s));
            }
            Ok(current) => current.map(|s| s.name),
            Err(expired) => {
                if expired == id && self.unlocker_missing() {
                    return Err(AppError::forbidden(format!(
                        "the session locked after {} minutes without activity; sign in again",
                        self.idle_lock_minutes()?
                    )));
                }
                None
            }
        };
        let person = self.read(|c| crate::kernel::people::person(c, id))?;
        let has_key = self.read(|c| Ok(store::active_key(c, id)?.is_some()))?;
        if !has_key {
            return Err(AppError::forbidden(format!(
                "{} has no signing key yet, so cannot act: they enrol with the code a coordinator gives them",
                person.name
            )));
        }
        let passphrase = {
            let unlocker = self.unlocker.lock().unwrap_or_else(|p| p.into_inner());
            match unlocker.as_ref() {
                Some(find) => find(&person)?,
                None => {
                    return Err(AppError::forbidden(match other {
                        Some(name) => format!(
                        "{name} is signed in; acting as {} needs their passphrase: sign in as them",
                        person.name
                    ),
                        None => format!(
                            "sign in as {} to act: their passphrase unlocks their signing key",
                            person.name
                        ),
                    }))
                }
            }
        };
        self.unlock(&person, &passphrase).map(Some)
    }

    fn unlocker_missing(&self) -> bool {
        self.unlocker
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_none()
    }

    /// A new enrolment code for `person` (coordinators): for someone who lost theirs, or
    /// after their key was reset. Their current key, if any, keeps working until they enrol.
    pub fn new_enrolment(&self, by: Option<Id>, person: Id) -> Result<Enrolment> {
        self.write(by, Need::Coordinator, |tx, actor| {
            let p = crate::kernel::people::person(tx, person)?;
            issue_enrolment(tx, actor, &p)
        })
    }

    /// A person sets their own passphrase with the enrolment code a coordinator gave them:
    /// their new signing key is sealed under it, registered by an entry the key signs, and
    /// they are signed in. The workspace's very first key needs no code.
    pub fn enrol(&self, person: Id, code: Option<&str>, passphrase: &str) -> Result<Person> {
        self.enrol_with(person, code, passphrase, KdfParams::DEFAULT)
    }

    /// As [`Workspace::enrol`], with chosen Argon2id costs (tests and the demo use cheap ones).
    pub fn enrol_with(
        &self,
        person: Id,
        code: Option<&str>,
        passphrase: &str,
        kdf: KdfParams,
    ) -> Result<Person> {
        let (key, public, json) = new_key(passphrase, kdf, "passphrase")?;
        let p = self.read(|c| crate::kernel::people::person(c, person))?;
        let signer = Signer::new(&p, key);
        self.write_signed(Some(person), Need::Person, Some(signer.clone()), |tx, _| {
            let first = !store::any_key(tx)?;
            if store::active_key(tx, p.id)?.is_some() {
                return Err(refuse(
                    "passphrase",
                    format!(
                        "{} has a signing key already; renew it with its current passphrase, or ask a coordinator to reset it",
                        p.name
                    ),
                ));
            }
            let enrolment = if first {
                if !p.has_role(Role::Coordinator) && people::anyone_has(tx, Role::Coordinator)? {
                    return Err(refuse(
                        "person",
                        "the workspace's first signing key is a coordinator's",
                    ));
                }
                None
            } else {
                let wrong = || {
                    refuse(
                        "code",
                        format!(
                            "this is not a valid enrolment code for {}; ask a coordinator for a new one",
                            p.name
                        ),
                    )
                };
                let code = code.filter(|c| !c.trim().is_empty()).ok_or_else(|| {
                    refuse(
                        "code",
                        format!(
                            "{} needs the enrolment code a coordinator gave them to set a passphrase",
                            p.name
                        ),
                    )
                })?;
                let open = store::open_enrolment(tx, p.id)?.ok_or_else(wrong)?;
                if open.code_hash != code_hash(code) {
                    return Err(wrong());
                }
                if open.expires_at < chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true) {
                    return Err(refuse(
                        "code",
                        format!(
                            "this enrolment code expired on {}; ask a coordinator for a new one",
                            &open.expires_at[..10]
                        ),
                    ));
                }
                store::use_enrolment(tx, open.id, &now())?;
                Some(open.id)
            };
            register_new_key(tx, &p, &public, &json, enrolment)
        })?;
        self.hold(signer);
        Ok(p)
    }
}
