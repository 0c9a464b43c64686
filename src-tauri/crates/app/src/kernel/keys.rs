//! Personal signing keys: who holds which key when (`Custody`, read from the audit log's
//! key entries), opening a key with its passphrase, signing a statement and checking one; and
//! the use cases that create, renew and reset a key.

use credence_domain::person::{Person, Role};
use credence_domain::review::Statement;
use credence_domain::Id;
use credence_store::audit::Actor;
use credence_store::review as store;
use credence_store::{people, settings, sql::Sql};
use credence_vc::keys::{self, KdfParams, SealedKey};
use ed25519_dalek::{Signer, SigningKey, Verifier};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kernel::clock::now;
use crate::kernel::people::{actor_person, name_of, person};
use crate::kernel::{record, refuse, Need};
use crate::{AppError, ErrorKind, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// Who holds a signing key now, and whether the acting person may reset one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SigningKeys {
    #[ts(type = "number[]")]
    pub holders: Vec<Id>,
    /// Coordinators reset a key whose passphrase is forgotten.
    pub may_reset: bool,
}

/// Makes `public` (sealed as `sealed_json`) the person's key, retiring any before it, and
/// records how it came to be theirs: the audit entry `Custody` reads.
fn register_key(
    tx: &dyn Sql,
    actor: &Actor,
    p: &Person,
    public: &str,
    sealed_json: &str,
    action: &str,
    after: &serde_json::Value,
) -> Result<String> {
    store::insert_key(tx, p.id, public, sealed_json, &now())?;
    record(
        tx,
        actor,
        "person_key",
        &p.id.to_string(),
        action,
        None::<()>,
        Some(after),
    )?;
    Ok(public.to_string())
}

/// Opens the person's signing key with their passphrase.
pub(crate) fn signing_key(conn: &dyn Sql, person: &Person, passphrase: &str) -> Result<SigningKey> {
    let sealed = store::active_key(conn, person.id)?.ok_or_else(|| {
        refuse(
            "passphrase",
            format!(
                "{} has no signing key yet; they enrol with the code a coordinator gives them (credence enrol)",
                person.name
            ),
        )
    })?;
    let sealed = read_sealed(&sealed)?;
    if let Err(e) = sealed.kdf.check() {
        return Err(refuse(
            "passphrase",
            format!("{}'s signing key cannot be opened: {e}", person.name),
        ));
    }
    keys::open(&sealed, passphrase).map_err(|_| {
        refuse(
            "passphrase",
            format!(
                "the passphrase does not open {}'s signing key; nothing was recorded",
                person.name
            ),
        )
    })
}

/// A statement signed by `person`, as stored in the audit entry.
pub(crate) fn sign(
    key: &SigningKey,
    person: &Person,
    act: &str,
    record: String,
    content: serde_json::Value,
) -> Result<serde_json::Value> {
    let statement = Statement {
        act: act.into(),
        record,
        signer_id: person.id,
        signer_name: person.name.clone(),
        at: now(),
        content,
    };
    let bytes = statement_bytes(&statement)?;
    let signature = key.sign(bytes.as_bytes());
    Ok(serde_json::json!({
        "statement": statement,
        "signature": hex::encode(signature.to_bytes()),
        "public_key": credence_vc::did_key::multibase(&key.verifying_key()),
    }))
}

/// Whether `signature` (hex) is `public_key`'s (multibase) over the statement's JCS bytes;
/// the reason when it is not.
pub(crate) fn check_signature(
    statement: &Statement,
    public_key: &str,
    signature: &str,
) -> std::result::Result<(), String> {
    let key = credence_vc::did_key::decode_multibase(public_key).map_err(|e| e.to_string())?;
    let sig = hex::decode(signature)
        .ok()
        .and_then(|b| ed25519_dalek::Signature::from_slice(&b).ok())
        .ok_or("the signature is malformed")?;
    let bytes = statement_bytes(statement).map_err(|e| e.message)?;
    key.verify(bytes.as_bytes(), &sig)
        .map_err(|_| "its signature does not match its content".to_string())
}

/// A sealed key as stored (JSON).
fn read_sealed(json: &str) -> Result<SealedKey> {
    serde_json::from_str(json).map_err(|e| {
        AppError::new(
            ErrorKind::Internal,
            format!("a stored key cannot be read: {e}"),
        )
    })
}

pub(crate) fn statement_bytes(s: &Statement) -> Result<String> {
    let v =
        serde_json::to_value(s).map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
    credence_vc::canon::jcs(&v).map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))
}

/// Who held which signing key when, read from the audit log's key entries: a key counts
/// for a person's statements from the entry that registered it (`create`, or a `renew`
/// signed by their previous key) until the entry that replaced or reset it.
pub(crate) struct Custody {
    /// Per person: (public key, valid from this seq, whether that entry itself counts,
    /// valid up to this seq).
    spans: std::collections::HashMap<Id, Vec<KeySpan>>,
    pub(crate) problems: Vec<String>,
}

struct KeySpan {
    key: String,
    from: i64,
    /// A key registered by `create` signs its own registration entry (proof that it is the
    /// person's); a renewed key signs from the entry after (the old key signs the renewal).
    from_inclusive: bool,
    to: Option<i64>,
}

/// Each coordinator's reset of someone's signing key, as `audit verify` lists them.
pub(crate) fn key_resets(conn: &dyn Sql) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in credence_store::audit::entries_of(conn, "person_key")? {
        if entry.action != "reset" {
            continue;
        }
        let after: serde_json::Value = entry
            .after
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
            .unwrap_or_default();
        let statement = &after["statement"];
        let whose = entry
            .entity_id
            .parse::<Id>()
            .map(|id| name_of(conn, id))
            .unwrap_or_default();
        out.push(format!(
            "entry {}: {} reset {whose}'s signing key on {}: {}",
            entry.seq,
            statement["signer_name"].as_str().unwrap_or("someone"),
            statement["at"]
                .as_str()
                .unwrap_or_default()
                .get(..10)
                .unwrap_or_default(),
            statement["content"]["reason"].as_str().unwrap_or_default()
        ));
    }
    Ok(out)
}

impl Custody {
    pub(crate) fn read(conn: &dyn Sql) -> Result<Custody> {
        let mut c = Custody {
            spans: Default::default(),
            problems: Vec::new(),
        };
        // Earlier builds allowed a second key beside the first: history, not a failure.
        let checked_after: i64 = settings::get(conn, "key_custody_from_seq")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        // Since entries are signed, a key is registered with an enrolment code a coordinator
        // issued (each used once), unless it is the workspace's first key.
        let enrolled_after: i64 = settings::get(conn, "audit_signed_from_seq")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut any_key = false;
        let mut enrolments: std::collections::HashMap<(Id, i64), bool> = Default::default();
        for entry in credence_store::audit::entries_of(conn, "person_key")? {
            let (seq, id, action, after) = (entry.seq, entry.entity_id, entry.action, entry.after);
            let Ok(person) = id.parse::<Id>() else {
                c.problems
                    .push(format!("audit entry {seq}: a key entry names no person"));
                continue;
            };
            let after: serde_json::Value = after
                .as_deref()
                .and_then(|a| serde_json::from_str(a).ok())
                .unwrap_or_default();
            let spans = c.spans.entry(person).or_default();
            let open = spans.iter_mut().find(|s| s.to.is_none());
            let open_before = open.is_some();
            match action.as_str() {
                "enrolment" => {
                    if let Some(e) = after["enrolment"].as_i64() {
                        enrolments.insert((person, e), false);
                    }
                }
                "create" => {
                    if let Some(span) = open {
                        span.to = Some(seq);
                    }
                    if open_before && seq > checked_after {
                        c.problems.push(format!(
                            "audit entry {seq}: a second key was registered for {} while the first was theirs, neither renewed with it nor reset by a coordinator",
                            name_of(conn, person)
                        ));
                    }
                    if any_key && seq > enrolled_after {
                        let code = after["enrolment"]
                            .as_i64()
                            .and_then(|e| enrolments.get_mut(&(person, e)));
                        match code {
                            Some(used) if !*used => *used = true,
                            _ => c.problems.push(format!(
                                "audit entry {seq}: a key was registered for {} without an enrolment code a coordinator issued them",
                                name_of(conn, person)
                            )),
                        }
                    }
                    let key = after["public_key"].as_str().unwrap_or_default().to_string();
                    spans.push(KeySpan {
                        key,
                        from: seq,
                        from_inclusive: true,
                        to: None,
                    });
                    any_key = true;
                }
                "renew" => {
                    let signer = after["public_key"].as_str().unwrap_or_default();
                    match open {
                        Some(span) if span.key == signer => span.to = Some(seq),
                        _ => c.problems.push(format!(
                            "audit entry {seq}: {}'s key was renewed by a statement not signed with their key",
                            name_of(conn, person)
                        )),
                    }
                    let key = after["statement"]["content"]["public_key"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    spans.push(KeySpan {
                        key,
                        from: seq,
                        from_inclusive: false,
                        to: None,
                    });
                    any_key = true;
                }
                "reset" => {
                    if let Some(span) = open {
                        span.to = Some(seq);
                    }
                }
                _ => {}
            }
        }
        // A key in the workspace that no entry registered would be nobody's.
        for (person, key) in store::public_keys(conn)? {
            let known = c
                .spans
                .get(&person)
                .is_some_and(|spans| spans.iter().any(|s| s.key == key));
            if !known {
                c.problems.push(format!(
                    "a signing key of {} ({key}) is in the workspace, but no audit entry registers it",
                    name_of(conn, person)
                ));
            }
        }
        Ok(c)
    }

    /// Whether `key` was `person`'s at entry `seq`.
    pub(crate) fn held(&self, person: Id, key: &str, seq: i64) -> bool {
        self.spans.get(&person).is_some_and(|spans| {
            spans.iter().any(|s| {
                s.key == key
                    && (s.from < seq || (s.from_inclusive && s.from == seq))
                    && s.to.is_none_or(|to| seq <= to)
            })
        })
    }
}

impl Workspace {
    /// Creates the workspace's first signing key, the acting coordinator's, sealed under
    /// their passphrase; everyone after enrols with a code ([`Workspace::enrol`]).
    /// Returns the public key (multibase).
    pub fn create_signing_key(&self, by: Option<Id>, passphrase: &str) -> Result<String> {
        self.create_signing_key_with(by, passphrase, KdfParams::DEFAULT)
    }

    /// As `create_signing_key`, with chosen Argon2id costs (tests and benchmarks use cheap ones).
    /// A person who holds a key already renews it with its passphrase (`renew_signing_key`);
    /// nobody, coordinators included, gives someone a key that replaces theirs.
    pub fn create_signing_key_with(
        &self,
        by: Option<Id>,
        passphrase: &str,
        kdf: KdfParams,
    ) -> Result<String> {
        let id = by.ok_or_else(|| {
            AppError::forbidden(
                "choose who is acting (in the window, or with --as EMAIL on the command line)",
            )
        })?;
        if self.sign_in_required()? {
            let has = self.read(|c| Ok(store::active_key(c, id)?.is_some()))?;
            if !has {
                let name = self.read(|c| Ok(name_of(c, id)))?;
                return Err(refuse(
                    "code",
                    format!(
                        "{name} sets a passphrase with the enrolment code a coordinator gave them (credence enrol)"
                    ),
                ));
            }
        }
        self.enrol_with(id, None, passphrase, kdf)?;
        self.read(|c| {
            let sealed = store::active_key(c, id)?
                .ok_or_else(|| AppError::new(ErrorKind::Internal, "the new key vanished"))?;
            Ok(read_sealed(&sealed)?.public_key)
        })
    }

    /// The people who hold a signing key now, as `by` may act on them.
    pub fn signing_keys(&self, by: Option<Id>) -> Result<SigningKeys> {
        self.read(|c| {
            let may_reset = match by {
                Some(id) => people::get(c, id)?.is_some_and(|p| p.has_role(Role::Coordinator)),
                None => false,
            };
            Ok(SigningKeys {
                holders: store::key_holders(c)?,
                may_reset,
            })
        })
    }

    /// Replaces the acting person's key with a new one under `new_passphrase`. The current
    /// key signs a statement naming the new one, so `audit verify` follows the custody from
    /// key to key.
    pub fn renew_signing_key(
        &self,
        by: Option<Id>,
        passphrase: &str,
        new_passphrase: &str,
    ) -> Result<String> {
        self.renew_signing_key_with(by, passphrase, new_passphrase, KdfParams::DEFAULT)
    }

    pub fn renew_signing_key_with(
        &self,
        by: Option<Id>,
        passphrase: &str,
        new_passphrase: &str,
        kdf: KdfParams,
    ) -> Result<String> {
        let (key, public, sealed) =
            crate::kernel::signin::new_key(new_passphrase, kdf, "new_passphrase")?;
        let (p, public) = self.write(by, Need::Person, |tx, actor| {
            let p = actor_person(tx, actor)?;
            let current = signing_key(tx, &p, passphrase)?;
            let signed = sign(
                &current,
                &p,
                "renew_key",
                format!("person_key:{}", p.id),
                serde_json::json!({"public_key": public}),
            )?;
            let public = register_key(tx, actor, &p, &public, &sealed, "renew", &signed)?;
            Ok((p, public))
        })?;
        // The session goes on with the new key (the old one signed the renewal).
        self.hold(crate::kernel::signin::Signer::new(&p, key));
        Ok(public)
    }

    /// A coordinator resets a person's signing key (a forgotten passphrase): the key is
    /// retired, the act signed with the coordinator's own key and kept in the audit log, and
    /// the person enrols again with the new code returned (for the coordinator to hand over). Statements signed before stay verified.
    pub fn reset_signing_key(
        &self,
        by: Option<Id>,
        person: Id,
        reason: &str,
        passphrase: &str,
    ) -> Result<crate::kernel::signin::Enrolment> {
        if reason.trim().is_empty() {
            return Err(refuse("reason", "say why the key is reset"));
        }
        let enrolment = self.write(by, Need::Coordinator, |tx, actor| {
            let me = actor_person(tx, actor)?;
            let whose = self::person(tx, person)?;
            let Some(sealed) = store::active_key(tx, whose.id)? else {
                return Err(refuse(
                    "person",
                    format!("{} has no signing key to reset", whose.name),
                ));
            };
            let retired = read_sealed(&sealed)?;
            let key = signing_key(tx, &me, passphrase)?;
            let signed = sign(
                &key,
                &me,
                "reset_key",
                format!("person_key:{}", whose.id),
                serde_json::json!({"person": whose.id, "retired_public_key": retired.public_key, "reason": reason.trim()}),
            )?;
            store::retire_keys(tx, whose.id, &now())?;
            record(tx, actor, "person_key", &whose.id.to_string(), "reset", None::<()>, Some(&signed))?;
            crate::kernel::signin::issue_enrolment(tx, actor, &whose)
        })?;
        // If they are signed in here, their session ends with their key.
        if self.signed_in_person()?.is_some_and(|p| p.id == person) {
            self.sign_out();
        }
        Ok(enrolment)
    }
}
