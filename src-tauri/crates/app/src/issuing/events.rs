//! Issuance events: awarding on a laptop away from the coordinator's workspace, offline.
//!
//! The coordinator exports an **event package** (`export_event`): a ZIP holding a manifest,
//! a ready event workspace (`workspace.credence`) and a roster template. The event workspace
//! holds the chosen microcredentials at their versions, what their credentials and
//! certificates are made from (institution, taxonomy, settings, templates, signature
//! images, custom badges) and nothing else: no other proposal, person, award or audit entry,
//! and never the institution's issuer key. It holds instead a **dedicated event key**,
//! sealed under the event passphrase, which is also the event coordinator's signing key
//! there, and one status list reserved for the event (its number taken in the exporting
//! workspace, so no index can collide). The exporting workspace records the key as an
//! issuer key of the institution (sealed under the issuer passphrase, so its list can be
//! signed after the event without the event passphrase), never current.
//!
//! On the event laptop, `open_event` makes the event workspace from the package; there
//! `kernel::workspace` refuses every change but issuing, batches and revoking (the event's
//! own awards: it holds no other). `finish_event` closes it and writes the **return
//! package**: every award and audit entry, signed by the event key. `merge_event` checks
//! the return against the key the exporting workspace recorded (signature, the entries'
//! chain and signatures, every credential's proof, every status index inside the event's
//! list), brings the awards in (each tied to its version), keeps the event's entries
//! verbatim, reports learners awarded in both places, retires the event key, and refuses
//! the same event a second time.

use credence_store::sql::Sql;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use credence_domain::person::{Person, Role};
use credence_domain::{FieldError, Id};
use credence_store::events::{self, AwardRecord, EntryRecord, EventRow};
use credence_store::issuing as store;
use credence_store::OpenMode;
use credence_vc::keys::KdfParams;
use credence_vc::status_list::MIN_ENTRIES;
use credence_vc::{did_key, proof};
use ed25519_dalek::{Signature, Signer as _, Verifier as _};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::{internal, list_url, no_base_url, open_key, seal_json};
use crate::kernel::signin::Signer;
use crate::kernel::{record, Need};
use crate::{AppError, ErrorKind, Workspace};

type Result<T> = std::result::Result<T, AppError>;

const PACKAGE_FORMAT: &str = "credence-event-package";
const RETURN_FORMAT: &str = "credence-event-return";
const FORMAT_VERSION: u32 = 1;
const MANIFEST: &str = "credence-event.json";
const IMAGE: &str = "workspace.credence";
const ROSTER_TEMPLATE: &str = "roster-template.csv";
const RETURN: &str = "return.json";
const RETURN_SIGNATURE: &str = "signature.json";
/// The largest package or return file read, and the largest part inflated from one: an
/// event workspace is a few megabytes; a return carries about 12 KB per award, so this holds
/// some 40,000 awards, far more than one event issues, and bounds what a hostile file costs.
const MAX_FILE: u64 = 512 * 1024 * 1024;
const MAX_MANIFEST: u64 = 1024 * 1024;
/// The reason an event's second award of a learner for the same date is revoked with.
const TWICE: &str = "superseded: awarded twice for the same completion";

/// What an event package holds, as its manifest says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    event: EventHead,
    institution: String,
    exported_at: String,
    exported_by: PersonHead,
    key: KeyHead,
    status_list: ListHead,
    microcredentials: Vec<McHead>,
    workspace_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct EventHead {
    id: String,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct PersonHead {
    name: String,
    email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct KeyHead {
    did: String,
    public_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ListHead {
    id: Id,
    url: String,
    size: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct McHead {
    pub slug: String,
    pub title: String,
    pub version: i64,
}

/// What an event's return package says (signed as a whole by the event key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Return {
    format: String,
    version: u32,
    event: EventHead,
    did: String,
    finished_at: String,
    awards: Vec<AwardRecord>,
    entries: Vec<EntryRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ReturnSignature {
    did: String,
    /// SHA-256 of `return.json`, hex.
    sha256: String,
    /// Ed25519 over the bytes of `sha256`, hex.
    signature: String,
}

/// An event package just written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EventExported {
    pub event: EventView,
    pub file: String,
    pub sha256: String,
}

/// An event workspace just made from a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EventOpened {
    pub event: EventView,
    pub workspace: String,
    /// The roster template written beside the workspace.
    pub roster_template: String,
}

/// A return package just written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EventFinished {
    pub event: EventView,
    pub file: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub awards: u64,
    #[ts(type = "number")]
    pub revoked: u64,
    #[ts(type = "number")]
    pub entries: u64,
}

/// An event as either side shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EventView {
    pub id: String,
    pub name: String,
    /// "exported" (this workspace sent it out) or "held" (this is its event workspace).
    pub side: String,
    pub microcredentials: Vec<McHead>,
    pub key_did: String,
    pub status_list: String,
    #[ts(type = "number")]
    pub reserved: i64,
    pub exported_at: String,
    pub exported_by: Option<String>,
    pub finished_at: Option<String>,
    pub merged_at: Option<String>,
    pub merge: Option<MergeReport>,
}

/// What a merge brought in and found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MergeReport {
    pub event_id: String,
    pub event_name: String,
    #[ts(type = "number")]
    pub awards: u64,
    /// Awards the event itself revoked.
    #[ts(type = "number")]
    pub revoked_at_event: u64,
    #[ts(type = "number")]
    pub entries: u64,
    /// Learners who hold an award of the same microcredential from this workspace too.
    pub both_places: Vec<BothPlaces>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BothPlaces {
    pub learner_name: String,
    pub learner_email: String,
    pub microcredential: String,
    pub event_credential_id: String,
    pub event_completed_on: String,
    pub workspace_credential_id: String,
    pub workspace_completed_on: String,
    /// The same completion date: the event's award was revoked as superseded by this
    /// workspace's (a learner holds one award per date).
    pub revoked_as_duplicate: bool,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn refused(field: &str, message: impl Into<String>) -> AppError {
    AppError::field(field, message)
}

/// One named part of a ZIP, refused when missing or when it inflates past `limit`.
fn part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
    file: &str,
) -> Result<Vec<u8>> {
    let entry = archive.by_name(name).map_err(|_| {
        refused(
            "file",
            format!("{file} has no {name}: it is not a Credence event file"),
        )
    })?;
    if entry.size() > limit {
        return Err(refused(
            "file",
            format!("{file}: {name} is larger than this build reads"),
        ));
    }
    let mut bytes = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refused("file", format!("{file}: {name} cannot be read ({e})")))?;
    if bytes.len() as u64 > limit {
        return Err(refused(
            "file",
            format!("{file}: {name} is larger than it says"),
        ));
    }
    Ok(bytes)
}

/// A package or return file's bytes, bounded.
fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    let shown = path.display();
    let meta = std::fs::metadata(path)
        .map_err(|e| refused("file", format!("cannot read {shown}: {e}")))?;
    if meta.len() > MAX_FILE {
        return Err(refused(
            "file",
            format!("{shown} is larger than any event file"),
        ));
    }
    std::fs::read(path).map_err(|e| refused("file", format!("cannot read {shown}: {e}")))
}

fn archive<'a>(bytes: &'a [u8], file: &str) -> Result<zip::ZipArchive<Cursor<&'a [u8]>>> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        refused(
            "file",
            format!("{file} is not a Credence event file (not a ZIP)"),
        )
    })
}

fn view(conn: &dyn Sql, e: &EventRow) -> Result<EventView> {
    let key = store::issuer_keys(conn)?
        .into_iter()
        .find(|k| k.id == e.issuer_key_id);
    let base = super::issuing_settings(conn)?.base_url.unwrap_or_default();
    let list = store::status_list(conn, e.status_list_id)?;
    let mut microcredentials = Vec::new();
    for id in &e.microcredentials {
        let slug = store::slug_of(conn, *id)?.unwrap_or_default();
        let title = credence_store::proposals::get(conn, *id)?
            .map(|p| p.content.title)
            .unwrap_or_default();
        let version = crate::lifecycle::in_effect(conn, *id)
            .map(|(v, _)| v)
            .unwrap_or(0);
        microcredentials.push(McHead {
            slug,
            title,
            version,
        });
    }
    let person = |id: Option<Id>| -> Result<Option<String>> {
        Ok(match id {
            Some(id) => credence_store::people::get(conn, id)?.map(|p| p.name),
            None => None,
        })
    };
    Ok(EventView {
        id: e.id.clone(),
        name: e.name.clone(),
        side: e.side.clone(),
        microcredentials,
        key_did: key.map(|k| k.did).unwrap_or_default(),
        status_list: list_url(&base, e.status_list_id),
        reserved: list.map(|l| l.size).unwrap_or(0),
        exported_at: e.exported_at.clone(),
        exported_by: person(e.exported_by)?,
        finished_at: e.finished_at.clone(),
        merged_at: e.merged_at.clone(),
        merge: e
            .merge_report
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok()),
    })
}

/// The event this workspace was made for, or refused: not an event workspace.
fn held(conn: &dyn Sql) -> Result<EventRow> {
    events::held(conn)?.ok_or_else(|| {
        AppError::new(
            ErrorKind::Workspace,
            "this is not an event workspace (open an event package with `event open` first)",
        )
    })
}

impl Workspace {
    /// The events this workspace exported (newest first), or, in an event workspace, its
    /// one event.
    pub fn events(&self) -> Result<Vec<EventView>> {
        self.read(|c| {
            let rows = match events::held(c)? {
                Some(e) => vec![e],
                None => events::exported(c)?,
            };
            rows.iter().map(|e| view(c, e)).collect()
        })
    }

    /// The event this workspace holds, where it is an event workspace.
    pub fn held_event(&self) -> Result<Option<EventView>> {
        self.read(|c| events::held(c)?.map(|e| view(c, &e)).transpose())
    }

    /// Exports an event package for `microcredentials` (slugs) to `out` (`name` empty: "Issuance
    /// event" and today's date): coordinators, with
    /// the issuer passphrase (which must open the institution's keys, and seals this
    /// workspace's copy of the event key) and the event passphrase (which seals the
    /// package's). One audited write; the file is written before it commits.
    pub fn export_event(
        &self,
        by: Option<Id>,
        microcredentials: &[String],
        name: &str,
        issuer_passphrase: &str,
        event_passphrase: &str,
        out: &Path,
    ) -> Result<EventExported> {
        self.export_event_with(
            by,
            microcredentials,
            name,
            issuer_passphrase,
            event_passphrase,
            out,
            KdfParams::DEFAULT,
        )
    }

    /// As [`Workspace::export_event`], with chosen Argon2id costs (tests).
    #[allow(clippy::too_many_arguments)]
    pub fn export_event_with(
        &self,
        by: Option<Id>,
        microcredentials: &[String],
        name: &str,
        issuer_passphrase: &str,
        event_passphrase: &str,
        out: &Path,
        kdf: KdfParams,
    ) -> Result<EventExported> {
        let default = format!("Issuance event {}", crate::kernel::clock::today());
        let name = match name.trim() {
            "" => default.as_str(),
            n => n,
        };
        if name.chars().count() > 200 {
            return Err(refused("name", "name the event in at most 200 characters"));
        }
        if event_passphrase.chars().count() < 8 {
            return Err(refused("event_passphrase", "use at least 8 characters"));
        }
        if event_passphrase == issuer_passphrase {
            return Err(refused(
                "event_passphrase",
                "choose a passphrase other than the issuer key's: the event laptop must not hold it",
            ));
        }
        let mut chosen: Vec<String> = Vec::new();
        for slug in microcredentials
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            if !chosen.iter().any(|c| c == slug) {
                chosen.push(slug.to_string());
            }
        }
        if chosen.is_empty() {
            return Err(refused("credential", "choose at least one microcredential"));
        }
        let mut heads = Vec::new();
        let mut ids = Vec::new();
        for slug in &chosen {
            let a = self.awarding(slug)?;
            ids.push(a.proposal_id);
            heads.push(McHead {
                slug: a.slug.clone(),
                title: a.title.clone(),
                version: a.version,
            });
        }
        let (settings, keys) =
            self.read(|c| Ok((super::issuing_settings(c)?, store::issuer_keys(c)?)))?;
        let base = settings.base_url.clone().ok_or_else(no_base_url)?;
        if !keys
            .iter()
            .any(|k| k.retired_at.is_none() && k.event_id.is_none())
        {
            return Err(refused(
                "issuer_passphrase",
                "create the institution's issuer key first (Awarding > Issuer key)",
            ));
        }
        // The issuer passphrase proves the right to add a key of the institution.
        for k in &keys {
            open_key(&k.sealed, issuer_passphrase).map_err(|_| {
                refused(
                    "issuer_passphrase",
                    "the issuer passphrase does not open the issuer keys",
                )
            })?;
        }
        let key = credence_vc::keys::generate().map_err(internal)?;
        let sealed_here = seal_json(&key, issuer_passphrase, kdf)?;
        let sealed_event = seal_json(&key, event_passphrase, kdf)?;
        let did = did_key::did(&key.verifying_key());
        let public_key = did_key::multibase(&key.verifying_key());
        let event_id = credence_vc::credential::new_urn_uuid()
            .map_err(internal)?
            .trim_start_matches("urn:uuid:")
            .to_string();
        let at = crate::kernel::clock::now();
        let size = MIN_ENTRIES as i64;

        let exported = self.write(by, Need::Coordinator, |tx, actor| {
            let me_id = actor
                .id
                .ok_or_else(|| AppError::forbidden("a coordinator exports events"))?;
            let me = credence_store::people::get(tx, me_id)?
                .ok_or_else(|| crate::kernel::internal("the coordinator vanished"))?;
            let key_id = events::insert_event_key(tx, None, &did, &public_key, &sealed_here, &at)?;
            let list_id = events::insert_status_list(tx, None, key_id, size, 0)?;
            let row = EventRow {
                id: event_id.clone(),
                name: name.to_string(),
                side: events::EXPORTED.into(),
                issuer_key_id: key_id,
                status_list_id: list_id,
                microcredentials: ids.clone(),
                exported_at: at.clone(),
                exported_by: Some(me_id),
                package_sha256: None,
                finished_at: None,
                return_sha256: None,
                merged_at: None,
                merged_by: None,
                merge_report: None,
            };
            events::insert(tx, &row)?;
            events::set_key_event(tx, key_id, &event_id)?;

            // The versions' cases, for the rows that name them.
            let mut cases: Vec<Id> = ids.clone();
            for id in &ids {
                for v in store::versions(tx, *id)? {
                    if !cases.contains(&v.case_id) {
                        cases.push(v.case_id);
                    }
                }
            }
            let image = build_image(
                tx,
                &ImagePlan {
                    row: &row,
                    me: &me,
                    microcredentials: &ids,
                    cases: &cases,
                    key: &key,
                    public_key: &public_key,
                    did: &did,
                    sealed: &sealed_event,
                    size,
                    at: &at,
                },
                out,
            )?;
            let institution = credence_store::institution::get(tx)?
                .map(|i| i.name)
                .unwrap_or_default();
            let manifest = Manifest {
                format: PACKAGE_FORMAT.into(),
                version: FORMAT_VERSION,
                event: EventHead {
                    id: event_id.clone(),
                    name: name.to_string(),
                },
                institution,
                exported_at: at.clone(),
                exported_by: PersonHead {
                    name: me.name.clone(),
                    email: me.email.clone(),
                },
                key: KeyHead {
                    did: did.clone(),
                    public_key: public_key.clone(),
                },
                status_list: ListHead {
                    id: list_id,
                    url: list_url(&base, list_id),
                    size,
                },
                microcredentials: heads.clone(),
                workspace_sha256: sha256_hex(&image),
            };
            let manifest_json = serde_json::to_vec_pretty(&manifest).map_err(internal)?;
            let template = roster_template();
            let package = crate::kernel::exports::zip_files(&[
                (MANIFEST, &manifest_json),
                (IMAGE, &image),
                (ROSTER_TEMPLATE, template.as_bytes()),
            ])?;
            let sha = sha256_hex(&package);
            events::set_package_sha256(tx, &event_id, &sha)?;
            record(
                tx,
                actor,
                "event",
                &event_id,
                "export",
                None::<()>,
                Some(&serde_json::json!({
                    "name": name,
                    "microcredentials": heads,
                    "key": did,
                    "status_list": list_url(&base, list_id),
                    "reserved": size,
                    "package_sha256": sha,
                })),
            )?;
            crate::kernel::exports::write_whole(out, &package)
                .map_err(|e| refused("out", format!("cannot write {}: {e}", out.display())))?;
            let mut row = row;
            row.package_sha256 = Some(sha.clone());
            Ok((view(tx, &row)?, sha))
        });
        let (event, sha256) = exported?;
        Ok(EventExported {
            event,
            file: out.display().to_string(),
            sha256,
        })
    }

    /// Makes an event workspace at `workspace` (a path that must not exist yet) from the
    /// package at `package`, and writes the roster template beside it.
    pub fn open_event(package: &Path, workspace: &Path) -> Result<EventOpened> {
        let file = package.display().to_string();
        if workspace.exists() {
            return Err(refused(
                "workspace",
                format!(
                    "{} already exists; an event opens into a new workspace file",
                    workspace.display()
                ),
            ));
        }
        let bytes = read_bounded(package)?;
        let mut zip = archive(&bytes, &file)?;
        let manifest: Manifest =
            serde_json::from_slice(&part(&mut zip, MANIFEST, MAX_MANIFEST, &file)?).map_err(
                |e| refused("file", format!("{file}: its manifest cannot be read ({e})")),
            )?;
        if manifest.format != PACKAGE_FORMAT {
            return Err(refused("file", format!("{file} is not an event package")));
        }
        if manifest.version != FORMAT_VERSION {
            return Err(refused(
                "file",
                format!("{file} is an event package of a newer format; update Credence"),
            ));
        }
        let image = part(&mut zip, IMAGE, MAX_FILE, &file)?;
        if sha256_hex(&image) != manifest.workspace_sha256 {
            return Err(refused(
                "file",
                format!("{file} is damaged: its workspace does not match its manifest"),
            ));
        }
        let template = part(&mut zip, ROSTER_TEMPLATE, MAX_MANIFEST, &file)?;
        if let Some(dir) = workspace.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                refused("workspace", format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        crate::kernel::exports::write_whole(workspace, &image).map_err(|e| {
            refused(
                "workspace",
                format!("cannot write {}: {e}", workspace.display()),
            )
        })?;
        let checked = (|| {
            let ws = Workspace::open(workspace, OpenMode::MustExist)?;
            let held = ws.read(|c| {
                let e = held(c)?;
                let key = store::current_issuer_key(c)?;
                Ok((e, key))
            })?;
            match held {
                (e, Some(k))
                    if e.id == manifest.event.id
                        && k.did == manifest.key.did
                        && e.status_list_id == manifest.status_list.id =>
                {
                    Ok(ws
                        .held_event()?
                        .ok_or_else(|| crate::kernel::internal("the event vanished"))?)
                }
                _ => Err(refused(
                    "file",
                    format!("{file} is damaged: its workspace is not the event its manifest names"),
                )),
            }
        })();
        let event = match checked {
            Ok(e) => e,
            Err(e) => {
                let _ = std::fs::remove_file(workspace);
                return Err(e);
            }
        };
        let stem = workspace
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "event".into());
        let roster: PathBuf = workspace.with_file_name(format!("{stem}-roster-template.csv"));
        crate::kernel::exports::write_whole(&roster, &template).map_err(|e| {
            refused(
                "workspace",
                format!("cannot write {}: {e}", roster.display()),
            )
        })?;
        Ok(EventOpened {
            event,
            workspace: workspace.display().to_string(),
            roster_template: roster.display().to_string(),
        })
    }

    /// Closes this event workspace to issuing and writes its return package to `out`,
    /// signed by the event key (opened with `passphrase`). Again after finishing, writes the
    /// same return again.
    pub fn finish_event(
        &self,
        by: Option<Id>,
        passphrase: &str,
        out: &Path,
    ) -> Result<EventFinished> {
        let (event, key_row) = self.read(|c| {
            let e = held(c)?;
            let key = store::issuer_keys(c)?
                .into_iter()
                .find(|k| k.id == e.issuer_key_id)
                .ok_or_else(|| crate::kernel::internal("the event key is missing"))?;
            Ok((e, key))
        })?;
        let key = open_key(&key_row.sealed, passphrase).map_err(|_| {
            refused(
                "passphrase",
                "the event passphrase does not open the event key",
            )
        })?;
        if event.finished_at.is_none() {
            let at = crate::kernel::clock::now();
            self.write(by, Need::Coordinator, |tx, actor| {
                let awards = events::award_records(tx)?;
                events::set_finished(tx, &event.id, &at)?;
                record(
                    tx,
                    actor,
                    "event",
                    &event.id,
                    "finish",
                    None::<()>,
                    Some(&serde_json::json!({
                        "awards": awards.len(),
                        "revoked": awards.iter().filter(|a| a.revoked_at.is_some()).count(),
                    })),
                )
            })?;
        }
        let (event, awards, entries) = self.read(|c| {
            Ok((
                held(c)?,
                events::award_records(c)?,
                events::entry_records(c)?,
            ))
        })?;
        let payload = Return {
            format: RETURN_FORMAT.into(),
            version: FORMAT_VERSION,
            event: EventHead {
                id: event.id.clone(),
                name: event.name.clone(),
            },
            did: key_row.did.clone(),
            finished_at: event.finished_at.clone().unwrap_or_default(),
            awards,
            entries,
        };
        let json = serde_json::to_vec(&payload).map_err(internal)?;
        let sha = sha256_hex(&json);
        let signature = ReturnSignature {
            did: key_row.did.clone(),
            signature: hex::encode(key.sign(sha.as_bytes()).to_bytes()),
            sha256: sha.clone(),
        };
        let signature_json = serde_json::to_vec_pretty(&signature).map_err(internal)?;
        let package = crate::kernel::exports::zip_files(&[
            (RETURN, &json),
            (RETURN_SIGNATURE, &signature_json),
        ])?;
        crate::kernel::exports::write_whole(out, &package)
            .map_err(|e| refused("out", format!("cannot write {}: {e}", out.display())))?;
        self.write_bookkeeping(|tx| Ok(events::set_return_sha256(tx, &event.id, &sha)?))?;
        let view = self.read(|c| view(c, &event))?;
        Ok(EventFinished {
            event: view,
            file: out.display().to_string(),
            sha256: sha,
            awards: payload.awards.len() as u64,
            revoked: payload
                .awards
                .iter()
                .filter(|a| a.revoked_at.is_some())
                .count() as u64,
            entries: payload.entries.len() as u64,
        })
    }

    /// Brings an event's return package into the workspace that exported the event
    /// (coordinators; one audited write; see the module's documentation for the checks).
    pub fn merge_event(&self, by: Option<Id>, file: &Path) -> Result<MergeReport> {
        let bytes = read_bounded(file)?;
        self.merge_event_bytes(by, &file.display().to_string(), &bytes)
    }

    /// As [`Workspace::merge_event`], with the return package's bytes as the window read
    /// them (`shown` names the file in messages).
    pub fn merge_event_bytes(
        &self,
        by: Option<Id>,
        shown: &str,
        bytes: &[u8],
    ) -> Result<MergeReport> {
        if bytes.len() as u64 > MAX_FILE {
            return Err(refused(
                "file",
                format!("{shown} is larger than any event file"),
            ));
        }
        let shown = shown.to_string();
        let mut zip = archive(bytes, &shown)?;
        let signature: ReturnSignature =
            serde_json::from_slice(&part(&mut zip, RETURN_SIGNATURE, MAX_MANIFEST, &shown)?)
                .map_err(|e| {
                    refused(
                        "file",
                        format!("{shown}: its signature cannot be read ({e})"),
                    )
                })?;
        let json = part(&mut zip, RETURN, MAX_FILE, &shown)?;
        let sha = sha256_hex(&json);
        if sha != signature.sha256 {
            return Err(refused(
                "file",
                format!("{shown} is damaged: its contents do not match its signature"),
            ));
        }
        let payload: Return = serde_json::from_slice(&json).map_err(|e| {
            refused(
                "file",
                format!("{shown} cannot be read as an event return ({e})"),
            )
        })?;
        if payload.format != RETURN_FORMAT || payload.version != FORMAT_VERSION {
            return Err(refused(
                "file",
                format!("{shown} is not an event return package this build reads"),
            ));
        }
        let (event, key_row, list) = self.read(|c| {
            let e = events::get(c, &payload.event.id)?
                .filter(|e| e.side == events::EXPORTED)
                .ok_or_else(|| {
                    refused(
                        "file",
                        format!("{shown} is the return of an event this workspace did not export"),
                    )
                })?;
            if let Some(at) = &e.merged_at {
                let who = match e.merged_by {
                    Some(id) => credence_store::people::get(c, id)?.map(|p| p.name),
                    None => None,
                };
                return Err(refused(
                    "file",
                    format!(
                        "the event \"{}\" was already merged on {at}{}; nothing was changed",
                        e.name,
                        who.map(|w| format!(" by {w}")).unwrap_or_default()
                    ),
                ));
            }
            let key = store::issuer_keys(c)?
                .into_iter()
                .find(|k| k.id == e.issuer_key_id)
                .ok_or_else(|| crate::kernel::internal("the event key is missing"))?;
            let list = store::status_list(c, e.status_list_id)?
                .ok_or_else(|| crate::kernel::internal("the event's status list is missing"))?;
            Ok((e, key, list))
        })?;
        // The signature, by the key this workspace made for the event.
        let verifying = did_key::decode_multibase(&key_row.public_key).map_err(internal)?;
        let sig_bytes: [u8; 64] = hex::decode(&signature.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| refused("file", format!("{shown}: its signature is malformed")))?;
        if signature.did != key_row.did
            || payload.did != key_row.did
            || verifying
                .verify(
                    signature.sha256.as_bytes(),
                    &Signature::from_bytes(&sig_bytes),
                )
                .is_err()
        {
            return Err(refused(
                "file",
                format!("{shown} is not signed by the event's key; nothing was merged"),
            ));
        }
        check_entries(&payload.entries, &key_row.public_key, &verifying, &shown)?;
        let versions = self.read(|c| {
            let mut v = HashMap::new();
            for id in &event.microcredentials {
                let numbers: HashSet<i64> = store::versions(c, *id)?
                    .into_iter()
                    .map(|v| v.number)
                    .collect();
                v.insert(*id, numbers);
            }
            Ok(v)
        })?;
        check_awards(
            &payload.awards,
            &event,
            &key_row.did,
            &verifying,
            list.size,
            &versions,
        )?;

        let at = crate::kernel::clock::now();
        let head = payload
            .entries
            .last()
            .map(|e| e.hash.clone())
            .unwrap_or_default();
        self.write(by, Need::Coordinator, |tx, actor| {
            for a in &payload.awards {
                if events::award_taken(tx, &a.id, &a.credential_id)? {
                    return Err(refused(
                        "file",
                        format!(
                            "{shown}: the award {} is already in this workspace; nothing was merged",
                            a.credential_id
                        ),
                    ));
                }
            }
            let titles: HashMap<Id, String> = event
                .microcredentials
                .iter()
                .map(|id| {
                    Ok((
                        *id,
                        credence_store::proposals::get(tx, *id)?
                            .map(|p| p.content.title)
                            .unwrap_or_default(),
                    ))
                })
                .collect::<Result<_>>()?;
            let mut both = Vec::new();
            let mut duplicates = Vec::new();
            for a in payload.awards.iter().filter(|a| a.superseded_by.is_none()) {
                for (held_id, date, credential) in
                    events::live_awards_of(tx, a.proposal_id, &a.learner_email)?
                {
                    let same = date == a.completed_on;
                    if same {
                        duplicates.push((a.id.clone(), held_id.clone(), credential.clone()));
                    }
                    both.push(BothPlaces {
                        learner_name: a.learner_name.clone(),
                        learner_email: a.learner_email.clone(),
                        microcredential: titles.get(&a.proposal_id).cloned().unwrap_or_default(),
                        event_credential_id: a.credential_id.clone(),
                        event_completed_on: a.completed_on.clone(),
                        workspace_credential_id: credential,
                        workspace_completed_on: date,
                        revoked_as_duplicate: same,
                    });
                }
            }
            for a in &payload.awards {
                let mut a = a.clone();
                if let Some((_, held, kept)) = duplicates.iter().find(|(id, _, _)| *id == a.id) {
                    if a.revoked_at.is_none() {
                        a.revoked_at = Some(at.clone());
                        a.revoked_reason = Some(format!("{TWICE}: {kept} stands"));
                    }
                    a.superseded_by = Some(held.clone());
                }
                events::insert_award_record(tx, &a)?;
                record(
                    tx,
                    actor,
                    "award",
                    &a.id,
                    "merge",
                    None::<()>,
                    Some(&serde_json::json!({
                        "credential_id": a.credential_id,
                        "event": event.id,
                        "version": a.version,
                        "learner": a.learner_name,
                        "status": format!("{}#{}", a.status_list_id, a.status_index),
                    })),
                )?;
            }
            for e in &payload.entries {
                events::insert_entry(
                    tx,
                    &event.id,
                    e.record.seq,
                    &serde_json::to_string(e).map_err(internal)?,
                )?;
            }
            let used = payload.awards.iter().map(|a| a.status_index + 1).max().unwrap_or(0);
            events::use_status_entries(tx, event.status_list_id, used)?;
            events::retire_key(tx, event.issuer_key_id, &at)?;
            let report = MergeReport {
                event_id: event.id.clone(),
                event_name: event.name.clone(),
                awards: payload.awards.len() as u64,
                revoked_at_event: payload.awards.iter().filter(|a| a.revoked_at.is_some()).count()
                    as u64,
                entries: payload.entries.len() as u64,
                both_places: both,
            };
            let report_json = serde_json::to_string(&report).map_err(internal)?;
            events::set_merged(tx, &event.id, &at, actor.id, &sha, &report_json)?;
            record(
                tx,
                actor,
                "event",
                &event.id,
                "merge",
                None::<()>,
                Some(&serde_json::json!({
                    "awards": report.awards,
                    "revoked_at_event": report.revoked_at_event,
                    "both_places": report.both_places.len(),
                    "entries": report.entries,
                    "event_log_head": head,
                    "return_sha256": sha,
                    "key_retired": key_row.did,
                })),
            )?;
            Ok(report)
        })
    }
}

/// The audit logs of merged events, kept in this workspace: each a chain signed entry by
/// entry by its event's key, and the very log the merge's own entry (in this workspace's
/// signed chain) names by its head. One line per problem, for `audit verify`.
pub(crate) fn check_merged_logs(conn: &dyn Sql) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let keys = store::issuer_keys(conn)?;
    let merges = credence_store::audit::entries_of(conn, "event")?;
    for e in events::exported(conn)?
        .into_iter()
        .filter(|e| e.merged_at.is_some())
    {
        let what = format!("the audit log kept from the event \"{}\"", e.name);
        let Some(key) = keys.iter().find(|k| k.id == e.issuer_key_id) else {
            problems.push(format!("{what}: its key is missing"));
            continue;
        };
        let entries: Vec<EntryRecord> = match events::entries(conn, &e.id)?
            .iter()
            .map(|j| serde_json::from_str(j))
            .collect::<std::result::Result<_, _>>()
        {
            Ok(v) => v,
            Err(_) => {
                problems.push(format!("{what} cannot be read"));
                continue;
            }
        };
        let verifying = did_key::decode_multibase(&key.public_key).map_err(internal)?;
        if let Err(err) = check_entries(&entries, &key.public_key, &verifying, &what) {
            problems.push(
                err.fields
                    .first()
                    .map_or(err.message.clone(), |f| f.message.clone()),
            );
        }
        let named = merges
            .iter()
            .filter(|m| m.entity_id == e.id && m.action == "merge")
            .filter_map(|m| m.after.as_deref())
            .filter_map(|a| serde_json::from_str::<serde_json::Value>(a).ok())
            .find_map(|a| a["event_log_head"].as_str().map(str::to_string));
        if named.as_deref() != entries.last().map(|l| l.hash.as_str()) {
            problems.push(format!("{what} is not the log that was merged"));
        }
    }
    Ok(problems)
}

/// What the event workspace is made of, beyond the copied rows.
struct ImagePlan<'a> {
    row: &'a EventRow,
    me: &'a Person,
    microcredentials: &'a [Id],
    cases: &'a [Id],
    key: &'a ed25519_dalek::SigningKey,
    public_key: &'a str,
    did: &'a str,
    sealed: &'a str,
    size: i64,
    at: &'a str,
}

/// Makes the event workspace beside `out` from the exporting workspace's rows (read in its
/// transaction `from`), and returns its bytes (the temporary file is removed).
fn build_image(from: &dyn Sql, plan: &ImagePlan, out: &Path) -> Result<Vec<u8>> {
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let path = dir.join(format!(".credence-event-{}.credence", plan.row.id));
    let made = (|| {
        let image = Workspace::open(&path, OpenMode::CreateIfMissing)?;
        let person = Person {
            id: plan.me.id,
            name: plan.me.name.clone(),
            email: plan.me.email.clone(),
            unit_id: None,
            roles: vec![Role::Coordinator, Role::Issuer],
        };
        let signer = Signer::new(&person, plan.key.clone());
        image.write_signed(None, Need::Setup, Some(signer), |tx, _| {
            events::copy_for_event(from, tx, plan.microcredentials, plan.cases)?;
            // Each version's texts frozen in its row (an earlier build left some to the
            // case's history, which is not copied).
            for id in plan.microcredentials {
                for v in store::versions(from, *id)? {
                    let content = crate::lifecycle::version_content(from, *id, &v)?;
                    let json = serde_json::to_string(&content).map_err(internal)?;
                    events::set_version_content(tx, *id, v.number, &json)?;
                }
            }
            events::insert_person_with_id(
                tx,
                person.id,
                &person.name,
                &person.email,
                &[Role::Coordinator.as_str(), Role::Issuer.as_str()],
            )?;
            crate::kernel::signin::register_new_key(
                tx,
                &person,
                plan.public_key,
                plan.sealed,
                None,
            )?;
            let key_id = events::insert_event_key(
                tx,
                Some(plan.row.issuer_key_id),
                plan.did,
                plan.public_key,
                plan.sealed,
                plan.at,
            )?;
            events::insert_status_list(tx, Some(plan.row.status_list_id), key_id, plan.size, 0)?;
            let held = EventRow {
                side: events::HELD.into(),
                exported_by: Some(person.id),
                ..plan.row.clone()
            };
            events::insert(tx, &held)?;
            credence_store::prefs::set(tx, crate::kernel::ACTING_PERSON, &person.id.to_string())?;
            let actor = credence_store::audit::Actor {
                id: Some(person.id),
                name: person.name.clone(),
            };
            record(
                tx,
                &actor,
                "event",
                &held.id,
                "open",
                None::<()>,
                Some(&serde_json::json!({
                    "name": held.name,
                    "key": plan.did,
                    "status_list": held.status_list_id,
                })),
            )?;
            Ok(())
        })?;
        drop(image);
        std::fs::read(&path).map_err(|e| internal(format!("cannot read the event workspace: {e}")))
    })();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    made
}

/// The roster the event fills in: Credence's own columns (a blank completion date is the
/// day the batch starts), one roster per microcredential, as `credence issue --roster` and
/// the window's roster dialog read it.
fn roster_template() -> String {
    format!("{}\n", credence_domain::formats::roster::COLUMNS.join(","))
}

/// The event's audit entries: one chain from the first, each signed by the event key.
fn check_entries(
    entries: &[EntryRecord],
    public_key: &str,
    key: &ed25519_dalek::VerifyingKey,
    file: &str,
) -> Result<()> {
    let chain = credence_domain::audit::verify_chain(
        entries
            .iter()
            .map(|e| Ok::<_, ()>((e.record.clone(), e.hash.clone()))),
    )
    .map_err(|_| crate::kernel::internal("the chain check failed"))?;
    if let Some(b) = chain.first_broken {
        return Err(refused(
            "file",
            format!(
                "{file}: the event's audit log is broken at entry {} ({})",
                b.seq, b.reason
            ),
        ));
    }
    // Each act's last entry carries the signature, which covers the unsigned entries
    // before it (their hashes chained into its own).
    let not_signed = |seq: i64| {
        refused(
            "file",
            format!("{file}: the event's audit entry {seq} is not signed by the event key"),
        )
    };
    let mut covered_from = None;
    for e in entries {
        if e.public_key.is_none() && e.signature.is_none() {
            covered_from.get_or_insert(e.record.seq);
            continue;
        }
        let ok = e.public_key.as_deref() == Some(public_key)
            && e.signature
                .as_deref()
                .and_then(|s| hex::decode(s).ok())
                .and_then(|b| <[u8; 64]>::try_from(b).ok())
                .is_some_and(|b| {
                    key.verify(e.hash.as_bytes(), &Signature::from_bytes(&b))
                        .is_ok()
                });
        if !ok {
            return Err(not_signed(covered_from.unwrap_or(e.record.seq)));
        }
        covered_from = None;
    }
    match covered_from {
        Some(seq) => Err(not_signed(seq)),
        None => Ok(()),
    }
}

/// Every award of the return: the event's key and list, an index inside the reserved
/// block and used once, a microcredential and version of the event, a credential whose id
/// matches and whose proof the event key made.
fn check_awards(
    awards: &[AwardRecord],
    event: &EventRow,
    did: &str,
    key: &ed25519_dalek::VerifyingKey,
    size: i64,
    versions: &HashMap<Id, HashSet<i64>>,
) -> Result<()> {
    let mut problems = Vec::new();
    let mut indexes = HashSet::new();
    let ids: HashSet<&str> = awards.iter().map(|a| a.id.as_str()).collect();
    for (i, a) in awards.iter().enumerate() {
        let field = format!("awards[{i}]");
        let mut bad = |m: String| problems.push(FieldError::new(&field, m));
        if a.issuer_key_id != event.issuer_key_id || a.status_list_id != event.status_list_id {
            bad(format!(
                "{} is not on the event's key and status list",
                a.credential_id
            ));
        }
        if !(0..size).contains(&a.status_index) || !indexes.insert(a.status_index) {
            bad(format!(
                "{} has a status index outside the event's block or used twice",
                a.credential_id
            ));
        }
        match versions.get(&a.proposal_id) {
            Some(v) if v.contains(&a.version) => {}
            _ => bad(format!(
                "{} is not of a microcredential version the event carried",
                a.credential_id
            )),
        }
        if a.superseded_by.as_deref().is_some_and(|s| !ids.contains(s)) {
            bad(format!(
                "{} names a correction the return does not hold",
                a.credential_id
            ));
        }
        if a.renewal_of.as_deref().is_some_and(|s| !ids.contains(s)) {
            bad(format!(
                "{} renews an award the return does not hold",
                a.credential_id
            ));
        }
        if a.revoked_at.is_some() != a.revoked_reason.is_some() {
            bad(format!(
                "{} is revoked without a reason, or the reverse",
                a.credential_id
            ));
        }
        if a.credential_id.strip_prefix("urn:uuid:") != Some(a.id.as_str()) {
            bad(format!("{} does not match its award id", a.credential_id));
        }
    }
    if !problems.is_empty() {
        return Err(credence_domain::DomainError::Invalid(problems).into());
    }
    // The proofs, on every core.
    let failures = crate::kernel::parallel::map(awards, |a| {
        let doc: serde_json::Value = match serde_json::from_str(&a.credential_json) {
            Ok(d) => d,
            Err(_) => return Ok(Some(a.credential_id.clone())),
        };
        let ok = doc["id"].as_str() == Some(a.credential_id.as_str())
            && doc["issuer"]["id"].as_str().or(doc["issuer"].as_str()) == Some(did)
            && proof::verify_with_key(&doc, key).is_ok();
        Ok((!ok).then(|| a.credential_id.clone()))
    })?;
    let failed: Vec<FieldError> = failures
        .into_iter()
        .enumerate()
        .filter_map(|(i, f)| {
            f.map(|id| {
                FieldError::new(
                    format!("awards[{i}]"),
                    format!("{id} does not verify with the event's key"),
                )
            })
        })
        .collect();
    if !failed.is_empty() {
        return Err(credence_domain::DomainError::Invalid(failed).into());
    }
    Ok(())
}
