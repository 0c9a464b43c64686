//! Awarding: the institution's issuer keys, issuing Open Badges 3.0 credentials for an active
//! microcredential version (one learner, or a roster), baking them into the badge image,
//! revocation through bitstring status lists, and verification against the workspace's own
//! lists.
//!
//! Issuer keys are sealed under one issuer passphrase. Unlocking opens every key and keeps
//! them in memory for the issuing session (until `lock_issuer` or the workspace closes); the
//! newest key signs new credentials, and each older key still signs the status list of what
//! it issued.

pub mod batch;
pub mod events;
pub mod ob2_import;
pub mod platforms;
pub mod prior_learning;
pub mod roster_file;
pub mod vc_api;
pub mod verification;

use std::collections::HashMap;
use std::sync::MutexGuard;

use base64::Engine;
use credence_domain::award::{Award, AwardCorrection, Learner, LearnerInput, Microcredential};
use credence_domain::person::Role;
use credence_domain::proposal::{ProposalContent, ProposalStatus};
use credence_domain::taxonomy::Facet;
use credence_domain::{FieldError, Id};
use credence_store::audit::Actor;
use credence_store::issuing as store;
use credence_store::proposals as repo;
use credence_store::{institution, settings, sql::Sql, taxonomy};
use credence_vc::credential::{
    self, Achievement, Address, Alignment, AwardResult, Credential, CredentialSchema, Criteria,
    Evidence, IdentityObject, Image, Profile, Related, StatusEntry, Subject,
};
use credence_vc::keys::{self, KdfParams, SealedKey};
use credence_vc::proof::{self, Cryptosuite, ProofOptions};

/// The cryptosuites a credential can be signed with.
pub use credence_vc::proof::Cryptosuite as Suite;
use credence_vc::status_list::{PublishedList, StatusList, MIN_ENTRIES};
use credence_vc::{did_key, verify, VcError};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kernel::people::actor_person;
use crate::kernel::refuse;
use crate::kernel::signin::UnlockedIssuer;
use crate::kernel::{record, Need};
use crate::{AppError, ErrorKind, Workspace};

type Result<T> = std::result::Result<T, AppError>;

const BASE_URL_KEY: &str = "credential_base_url";
const SUITE_KEY: &str = "credential_cryptosuite";
const EU_KEY: &str = "eu_microcredential";
const VERIFY_URL_KEY: &str = "certificate_verify_url";
const LINKEDIN_KEY: &str = "linkedin_organization_id";
/// The badge image carried inside each credential, in pixels.
const CREDENTIAL_IMAGE_PX: u32 = 256;

pub(crate) fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorKind::Internal, e.to_string())
}

fn vc(e: VcError) -> AppError {
    AppError::new(ErrorKind::Invalid, e.to_string())
}

// ----- settings -----

/// How the institution issues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IssuingSettings {
    /// Where the institution hosts what verifiers look up: status lists at
    /// `<base>/status/<n>.json`, achievements named `<base>/achievements/<slug>/v<n>`.
    pub base_url: Option<String>,
    /// `eddsa-rdfc-2022` (what Open Badges verifiers expect) or `eddsa-jcs-2022`.
    pub cryptosuite: String,
    /// Whether credentials carry the EU Council Recommendation's mandatory elements.
    pub eu_recommendation: bool,
    /// A web page that verifies a credential given `?credential=<id>`; certificates' QR
    /// codes point there when it is set, and carry the credential id and issuer DID
    /// otherwise.
    pub verify_url: Option<String>,
    /// The institution's LinkedIn organization id (the digits of its company page's admin
    /// address), so a learner's "Add to profile" link names the institution as the issuing
    /// organization; without it the link gives the institution's name.
    #[serde(default)]
    pub linkedin_organization_id: Option<String>,
    /// How many days ahead "Things to do" shows the awards about to expire (1 to 365).
    #[serde(default = "default_expiry_notice")]
    pub expiry_notice_days: u32,
}

fn default_expiry_notice() -> u32 {
    credence_domain::award::DEFAULT_EXPIRY_NOTICE_DAYS
}

fn issuing_settings(conn: &dyn Sql) -> Result<IssuingSettings> {
    Ok(IssuingSettings {
        base_url: settings::get(conn, BASE_URL_KEY)?,
        cryptosuite: settings::get(conn, SUITE_KEY)?
            .unwrap_or_else(|| Cryptosuite::EddsaRdfc2022.name().to_string()),
        eu_recommendation: settings::get(conn, EU_KEY)?.as_deref() == Some("true"),
        verify_url: settings::get(conn, VERIFY_URL_KEY)?,
        linkedin_organization_id: settings::get(conn, LINKEDIN_KEY)?,
        expiry_notice_days: settings::get(conn, store::EXPIRY_NOTICE_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(default_expiry_notice),
    })
}

fn check_base_url(value: &str) -> std::result::Result<String, String> {
    let v = value.trim().trim_end_matches('/');
    let ok = (v.starts_with("https://") || v.starts_with("http://"))
        && v.split("://").nth(1).is_some_and(|rest| !rest.is_empty())
        && !v.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '?' | '#')
        });
    if ok {
        Ok(v.to_string())
    } else {
        Err(format!(
            "\"{value}\" is not a web address to host credentials under (expected https://credentials.example.edu)"
        ))
    }
}

// ----- views -----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IssuerKeyView {
    pub did: String,
    pub public_key: String,
    pub created_at: String,
    pub retired_at: Option<String>,
    /// Whether this key signs new credentials.
    pub current: bool,
    /// The issuance event the key was made for (its name), where it was.
    pub event: Option<String>,
}

/// What the Credentials screen shows about signing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IssuerState {
    pub keys: Vec<IssuerKeyView>,
    /// Whether the keys are open for this session.
    pub unlocked: bool,
    pub settings: IssuingSettings,
    /// Whether the acting person may issue (coordinators and issuing staff).
    pub may_issue: bool,
    /// Whether the acting person manages keys, settings and templates (coordinators, except in
    /// an event workspace, which only issues).
    pub may_manage: bool,
    /// Whether the acting person revokes and corrects awards (coordinators).
    pub may_revoke: bool,
}

/// The outcome of issuing to learners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IssueReport {
    /// One per learner, in the order given; `new` is false where the award already existed.
    pub rows: Vec<IssuedRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IssuedRow {
    pub award: Award,
    pub new: bool,
    /// The signed credential, where this run signed it: its files are written straight
    /// after, without reading it back from the workspace.
    #[serde(skip)]
    #[ts(skip)]
    pub credential_json: Option<String>,
}

impl IssueReport {
    pub fn new_count(&self) -> usize {
        self.rows.iter().filter(|r| r.new).count()
    }
}

// ----- helpers -----

fn may_issue(conn: &dyn Sql, actor: &Actor) -> Result<()> {
    let me = actor_person(conn, actor)?;
    if me.has_role(Role::Coordinator) || me.has_role(Role::Issuer) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only the coordinator and issuing staff issue badges",
        ))
    }
}

fn now_z() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn list_url(base: &str, list: Id) -> String {
    format!("{base}/status/{list}.json")
}

/// The list number of a status list URL under `base`.
fn list_of_url(base: &str, url: &str) -> Option<Id> {
    url.strip_prefix(base)?
        .strip_prefix("/status/")?
        .strip_suffix(".json")?
        .parse()
        .ok()
}

/// What an active microcredential version says, ready to put into credentials.
struct Awarding {
    proposal_id: Id,
    /// The microcredential's title, as award lists show it.
    title: String,
    slug: String,
    version: i64,
    /// The texts in `language`.
    content: ProposalContent,
    /// The language awarded in (chosen by the certificate template), and every language
    /// the microcredential's texts are given in, the main one first.
    language: String,
    languages: Vec<String>,
    badge_png: Vec<u8>,
}

/// The language certificates and credentials of `content` are made in: the one the
/// applicable certificate template asks for, where the texts are given in it.
/// A microcredential as it stood at one of its versions, read on `c`.
pub(crate) fn version_content_in(
    c: &dyn Sql,
    proposal: Id,
    version: i64,
) -> Result<ProposalContent> {
    let frozen = store::versions(c, proposal)?
        .into_iter()
        .find(|v| v.number == version)
        .map(|v| crate::lifecycle::version_content(c, proposal, &v))
        .transpose()?;
    Ok(frozen
        .or(repo::version(c, proposal, version)?.map(|(_, content)| content))
        .or(repo::get(c, proposal)?.map(|p| p.content))
        .unwrap_or_default())
}

pub(crate) fn awarded_language(conn: &dyn Sql, content: &ProposalContent) -> Result<String> {
    let templates = credence_store::certificates::templates(conn)?;
    let wanted = credence_domain::certificate::choose(
        &templates,
        content.category.as_deref(),
        content.level.as_deref(),
    )
    .and_then(|t| t.input.language.clone());
    Ok(content.language_for(wanted.as_deref()))
}

/// The language an issued credential's achievement is in (its `inLanguage`), where it says.
pub(crate) fn issued_language(credential_json: &str) -> Option<String> {
    // Only the one member is kept: the rest (the badge image inside is kilobytes) is
    // skipped over, not built into a tree, for every award's files.
    #[derive(Deserialize)]
    struct Signed {
        #[serde(rename = "credentialSubject")]
        subject: Option<Subject>,
    }
    #[derive(Deserialize)]
    struct Subject {
        achievement: Option<Achievement>,
    }
    #[derive(Deserialize)]
    struct Achievement {
        #[serde(rename = "inLanguage")]
        in_language: Option<serde_json::Value>,
    }
    let signed: Signed = serde_json::from_str(credential_json).ok()?;
    match signed.subject?.achievement?.in_language? {
        serde_json::Value::String(language) => Some(language),
        _ => None,
    }
}

/// The award of a learner's email that `wanted` keeps (`None` where there is none), or,
/// where there are several, which (each named by its credential id).
fn one_award_of_email(
    conn: &dyn Sql,
    email: &str,
    wanted: impl Fn(&Award) -> bool,
) -> Result<std::result::Result<Option<Award>, String>> {
    let held: Vec<Award> = store::awards_of_email(conn, &email.to_lowercase())?
        .into_iter()
        .filter(|a| wanted(a))
        .collect();
    Ok(match held.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        many => Err(format!(
            "{email} has {} awards; name one: {}",
            many.len(),
            many.iter()
                .map(|a| a.credential_id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    })
}

/// A reason given for an act on awards, trimmed, or `message` where it is empty or longer
/// than 500 characters.
fn checked_reason<'r>(reason: &'r str, message: &str) -> Result<&'r str> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(refuse("reason", message));
    }
    Ok(reason)
}

/// Where one language edition of a microcredential version's achievement is published,
/// under the issuing base URL: the main language's at `achievements/<slug>/v<n>`, each
/// other's with `-<language>` added.
pub(crate) fn achievement_path(slug: &str, version: i64, language: &str, primary: &str) -> String {
    if language == primary {
        format!("achievements/{slug}/v{version}")
    } else {
        format!("achievements/{slug}/v{version}-{language}")
    }
}

/// The id of that edition: its URL.
fn achievement_id(base: &str, slug: &str, version: i64, language: &str, primary: &str) -> String {
    format!(
        "{base}/{}",
        achievement_path(slug, version, language, primary)
    )
}

impl Workspace {
    fn unlocked(&self) -> MutexGuard<'_, Option<UnlockedIssuer>> {
        self.issuer.lock().unwrap_or_else(|p| p.into_inner())
    }

    // ----- settings -----

    pub fn issuing_settings(&self) -> Result<IssuingSettings> {
        self.read(issuing_settings)
    }

    /// Changes how the institution issues (coordinators; audited).
    pub fn set_issuing_settings(
        &self,
        by: Option<Id>,
        input: &IssuingSettings,
    ) -> Result<IssuingSettings> {
        let mut problems = Vec::new();
        let base_url = match input.base_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(url) => match check_base_url(url) {
                Ok(u) => Some(u),
                Err(m) => {
                    problems.push(FieldError::new("base_url", m));
                    None
                }
            },
        };
        let verify_url = match input.verify_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(url) => match check_base_url(url) {
                Ok(u) => Some(u),
                Err(_) => {
                    problems.push(FieldError::new(
                        "verify_url",
                        format!("\"{url}\" is not a web page address (expected https://credentials.example.edu/verify)"),
                    ));
                    None
                }
            },
        };
        let linkedin = match input.linkedin_organization_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(id) if id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit()) => {
                Some(id.to_string())
            }
            Some(id) => {
                problems.push(FieldError::new(
                    "linkedin_organization_id",
                    format!("\"{id}\" is not a LinkedIn organization id (its digits, as in linkedin.com/company/1234567/admin)"),
                ));
                None
            }
        };
        if !(1..=365).contains(&input.expiry_notice_days) {
            problems.push(FieldError::new(
                "expiry_notice_days",
                "give a number of days from 1 to 365",
            ));
        }
        if Cryptosuite::parse(&input.cryptosuite).is_none() {
            problems.push(FieldError::new(
                "cryptosuite",
                format!(
                    "\"{}\" is not eddsa-rdfc-2022 or eddsa-jcs-2022",
                    input.cryptosuite
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(credence_domain::DomainError::Invalid(problems).into());
        }
        let wanted = IssuingSettings {
            base_url,
            cryptosuite: input.cryptosuite.clone(),
            eu_recommendation: input.eu_recommendation,
            verify_url,
            linkedin_organization_id: linkedin,
            expiry_notice_days: input.expiry_notice_days,
        };
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = issuing_settings(tx)?;
            match &wanted.base_url {
                Some(u) => settings::set(tx, BASE_URL_KEY, u)?,
                None => settings::remove(tx, BASE_URL_KEY)?,
            }
            match &wanted.verify_url {
                Some(u) => settings::set(tx, VERIFY_URL_KEY, u)?,
                None => settings::remove(tx, VERIFY_URL_KEY)?,
            }
            match &wanted.linkedin_organization_id {
                Some(id) => settings::set(tx, LINKEDIN_KEY, id)?,
                None => settings::remove(tx, LINKEDIN_KEY)?,
            }
            settings::set(
                tx,
                store::EXPIRY_NOTICE_KEY,
                &wanted.expiry_notice_days.to_string(),
            )?;
            settings::set(tx, SUITE_KEY, &wanted.cryptosuite)?;
            settings::set(
                tx,
                EU_KEY,
                if wanted.eu_recommendation {
                    "true"
                } else {
                    "false"
                },
            )?;
            record(
                tx,
                actor,
                "setting",
                "issuing",
                "update",
                Some(&before),
                Some(&wanted),
            )?;
            Ok(wanted.clone())
        })
    }

    // ----- keys -----

    pub fn issuer_state(&self) -> Result<IssuerState> {
        let unlocked = self.unlocked().is_some();
        let acting = self.acting_id()?;
        self.read(|c| {
            let person = match acting {
                Some(id) => credence_store::people::get(c, id)?,
                None => None,
            };
            let has = |r: Role| person.as_ref().is_some_and(|p| p.has_role(r));
            let rows = store::issuer_keys(c)?;
            let events = credence_store::events::exported(c)?;
            let current = rows
                .iter()
                .find(|k| k.retired_at.is_none() && k.event_id.is_none())
                .map(|k| k.id);
            Ok(IssuerState {
                keys: rows
                    .into_iter()
                    .map(|k| IssuerKeyView {
                        event: events
                            .iter()
                            .find(|e| e.issuer_key_id == k.id)
                            .map(|e| e.name.clone()),
                        current: Some(k.id) == current,
                        did: k.did,
                        public_key: k.public_key,
                        created_at: k.created_at,
                        retired_at: k.retired_at,
                    })
                    .collect(),
                unlocked,
                settings: issuing_settings(c)?,
                may_issue: has(Role::Coordinator) || has(Role::Issuer),
                may_manage: has(Role::Coordinator) && credence_store::events::held(c)?.is_none(),
                may_revoke: has(Role::Coordinator),
            })
        })
    }

    /// Creates the first issuer key, or rotates: a new key signs from now on, and the old
    /// ones stay (sealed) to sign the status lists of what they issued. Rotating takes the
    /// current passphrase; with `new_passphrase`, every key is sealed again under it.
    /// Coordinators; audited. Leaves the keys unlocked for this session.
    pub fn rotate_issuer_key(
        &self,
        by: Option<Id>,
        passphrase: &str,
        new_passphrase: Option<&str>,
    ) -> Result<IssuerKeyView> {
        if let Some(p) = new_passphrase {
            if p.chars().count() < 8 {
                return Err(refuse("new_passphrase", "use at least 8 characters"));
            }
        }
        let first = self.read(|c| Ok(store::issuer_keys(c)?.is_empty()))?;
        if first && passphrase.chars().count() < 8 {
            return Err(refuse("passphrase", "use at least 8 characters"));
        }
        self.rotate_issuer_key_with(by, passphrase, new_passphrase, KdfParams::DEFAULT)
    }

    /// As `rotate_issuer_key`, with chosen Argon2id costs and no length rule (the demo's
    /// passphrase is `demo`; tests use cheap costs).
    pub fn rotate_issuer_key_with(
        &self,
        by: Option<Id>,
        passphrase: &str,
        new_passphrase: Option<&str>,
        kdf: KdfParams,
    ) -> Result<IssuerKeyView> {
        let rows = self.read(|c| Ok(store::issuer_keys(c)?))?;
        // Every existing key must open: the passphrase proves the right to rotate.
        let mut opened = HashMap::new();
        for k in &rows {
            opened.insert(k.id, open_key(&k.sealed, passphrase)?);
        }
        let seal_with = new_passphrase.unwrap_or(passphrase);
        let key = keys::generate().map_err(internal)?;
        let sealed = seal_json(&key, seal_with, kdf)?;
        let mut resealed = Vec::new();
        if new_passphrase.is_some() {
            for (id, k) in &opened {
                resealed.push((*id, seal_json(k, seal_with, kdf)?));
            }
        }
        let did = did_key::did(&key.verifying_key());
        let public_key = did_key::multibase(&key.verifying_key());
        let at = crate::kernel::clock::now();
        let id = self.write(by, Need::Coordinator, |tx, actor| {
            for (id, s) in &resealed {
                store::reseal_issuer_key(tx, *id, s)?;
            }
            let id = store::insert_issuer_key(tx, &did, &public_key, &sealed, &at)?;
            record(
                tx,
                actor,
                "issuer_key",
                &id.to_string(),
                if rows.is_empty() { "create" } else { "rotate" },
                rows.first().map(|k| serde_json::json!({"did": k.did})),
                Some(&serde_json::json!({"did": did, "resealed": !resealed.is_empty()})),
            )?;
            Ok(id)
        })?;
        opened.insert(id, key);
        *self.unlocked() = Some(UnlockedIssuer { keys: opened });
        Ok(IssuerKeyView {
            did,
            public_key,
            created_at: at,
            retired_at: None,
            current: true,
            event: None,
        })
    }

    /// Opens every issuer key for this session.
    pub fn unlock_issuer(&self, passphrase: &str) -> Result<()> {
        let opened = self.open_issuer_keys(passphrase)?;
        *self.unlocked() = Some(opened);
        Ok(())
    }

    /// As `unlock_issuer`, while `by`'s own key is opened on this thread (their passphrase
    /// found as any change of theirs finds it, unless they are signed in): issuing signs
    /// with both, and each is an Argon2id derivation of tens of milliseconds, so on two
    /// cores they take the time of one. The issuer passphrase's error comes first.
    pub fn unlock_issuer_as(&self, by: Option<Id>, passphrase: &str) -> Result<()> {
        let (issuer, person) = std::thread::scope(|scope| {
            let issuer = scope.spawn(|| self.open_issuer_keys(passphrase));
            let person = self.signer_for(by, Need::Person);
            let issuer = issuer
                .join()
                .unwrap_or_else(|_| Err(internal("opening the issuer keys failed")));
            (issuer, person)
        });
        let issuer = issuer?;
        person?;
        // Held after the person is: signing someone else in locks the issuer keys.
        *self.unlocked() = Some(issuer);
        Ok(())
    }

    fn open_issuer_keys(&self, passphrase: &str) -> Result<UnlockedIssuer> {
        let rows = self.read(|c| Ok(store::issuer_keys(c)?))?;
        if rows.is_empty() {
            return Err(AppError::field(
                "passphrase",
                "there is no issuer key yet; create one first",
            ));
        }
        let mut opened = HashMap::new();
        for k in &rows {
            opened.insert(k.id, open_key(&k.sealed, passphrase)?);
        }
        Ok(UnlockedIssuer { keys: opened })
    }

    /// The current issuer key's DID document (public; for the institution's web site or a
    /// verifier that wants the key written out).
    pub fn issuer_did_document(&self) -> Result<serde_json::Value> {
        let key = self
            .read(|c| Ok(store::current_issuer_key(c)?))?
            .ok_or_else(|| AppError::not_found("there is no issuer key yet"))?;
        let method = format!("{}#{}", key.did, key.public_key);
        Ok(serde_json::json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": key.did,
            "verificationMethod": [{
                "id": method,
                "type": "Multikey",
                "controller": key.did,
                "publicKeyMultibase": key.public_key,
            }],
            "authentication": [method],
            "assertionMethod": [method],
            "capabilityDelegation": [method],
            "capabilityInvocation": [method],
        }))
    }

    // ----- microcredentials and awards -----

    /// Active microcredentials, ready for awarding.
    pub fn microcredentials(&self) -> Result<Vec<Microcredential>> {
        self.read(|c| Ok(store::active_microcredentials(c)?))
    }

    /// Issued awards, newest first; `search` matches learner, email, microcredential or
    /// credential id.
    pub fn awards(&self, search: &str, limit: u32) -> Result<Vec<Award>> {
        self.read(|c| Ok(store::awards(c, search, i64::from(limit.clamp(1, 5000)))?))
    }

    pub fn award(&self, id: &str) -> Result<Award> {
        self.read(|c| {
            store::award(c, id)?
                .ok_or_else(|| AppError::not_found(format!("there is no award {id}")))
        })
    }

    /// The content of an active microcredential's current version (by slug or id).
    pub(crate) fn awarded_content(&self, microcredential: &str) -> Result<ProposalContent> {
        Ok(self.awarding(microcredential)?.content)
    }

    fn awarding(&self, microcredential: &str) -> Result<Awarding> {
        self.awarding_in_language(microcredential, None)
    }

    /// As [`Self::awarding`], in `language` where the version in effect gives its texts in it
    /// (a renewal keeps the language the learner had).
    fn awarding_in_language(
        &self,
        microcredential: &str,
        language: Option<&str>,
    ) -> Result<Awarding> {
        let awarding = self.read(|c| {
            let id = match store::proposal_by_slug(c, microcredential)? {
                Some(id) => id,
                None => microcredential
                    .parse::<Id>()
                    .ok()
                    .filter(|id| store::slug_of(c, *id).ok().flatten().is_some())
                    .ok_or_else(|| {
                        AppError::field(
                            "credential",
                            format!(
                                "there is no active microcredential \"{microcredential}\" (see credential list)"
                            ),
                        )
                    })?,
            };
            let p = crate::proposals::load(c, id)?;
            if p.status != ProposalStatus::Active {
                return Err(AppError::field(
                    "credential",
                    format!("\"{}\" is not active, so it cannot be awarded", p.content.title),
                ));
            }
            crate::lifecycle::check_awardable(c, id)?;
            // The proposal's title is what award lists show (they join the proposal row).
            let title = p.content.title.clone();
            // The version in effect today: a change approved for a later term waits for it.
            let (version, content) = crate::lifecycle::in_effect(c, id)?;
            let slug = store::slug_of(c, id)?.unwrap_or_default();
            let language = match language {
                Some(l) => content.language_for(Some(l)),
                None => awarded_language(c, &content)?,
            };
            Ok((id, title, slug, version, content, language))
        })?;
        let (proposal_id, title, slug, version, content, language) = awarding;
        self.awarding_in(proposal_id, title, slug, version, &content, &language)
    }

    /// The awarding of an archived microcredential (one made from an imported Open Badges 2.0
    /// badge class): its one version, although it is retired, for more of the badge's
    /// imported assertions only.
    fn awarding_archived(&self, proposal: Id) -> Result<Awarding> {
        let (title, slug, content, language) = self.read(|c| {
            let content = version_content_in(c, proposal, 1)?;
            let slug = store::slug_of(c, proposal)?.unwrap_or_default();
            let language = awarded_language(c, &content)?;
            Ok((content.title.clone(), slug, content, language))
        })?;
        self.awarding_in(proposal, title, slug, 1, &content, &language)
    }

    fn awarding_in(
        &self,
        proposal_id: Id,
        title: String,
        slug: String,
        version: i64,
        content: &ProposalContent,
        language: &str,
    ) -> Result<Awarding> {
        let localized = content.localized(language);
        let badge_png = self.badge_files(&localized, CREDENTIAL_IMAGE_PX)?.png;
        Ok(Awarding {
            proposal_id,
            title,
            slug,
            version,
            content: localized,
            language: language.to_string(),
            languages: content.languages(),
            badge_png,
        })
    }

    /// The Open Badges 3.0 `Achievement` of one version of a microcredential in one of its
    /// languages, as the JSON-LD document to publish at its id (the URL every credential
    /// issued under that version in that language names): what the credentials embed, with
    /// the contexts that define its terms.
    pub(crate) fn published_achievement(
        &self,
        proposal_id: Id,
        slug: &str,
        version: i64,
        content: &ProposalContent,
        language: &str,
    ) -> Result<serde_json::Value> {
        let awarding = self.awarding_in(
            proposal_id,
            content.title.clone(),
            slug.to_string(),
            version,
            content,
            language,
        )?;
        self.read(|c| {
            let settings = issuing_settings(c)?;
            let base = settings.base_url.clone().ok_or_else(no_base_url)?;
            let inst = institution::get(c)?.ok_or_else(|| {
                AppError::new(ErrorKind::Workspace, "the workspace has no institution")
            })?;
            let did = store::current_issuer_key(c)?
                .map(|k| k.did)
                .unwrap_or_default();
            let builder = Builder::new(c, &awarding, &settings, &base, &inst, &did)?;
            let mut doc = serde_json::to_value(&builder.achievement).map_err(internal)?;
            if let Some(map) = doc.as_object_mut() {
                let contexts =
                    serde_json::to_value(credential::contexts(builder.eu)).map_err(internal)?;
                map.insert("@context".into(), contexts);
            }
            Ok(doc)
        })
    }

    /// Issues a credential to each learner (all or none, each bad row named). A learner
    /// already awarded this microcredential for the same completion date is not issued
    /// again: that row reports the existing award. Coordinators and issuing staff, with the
    /// issuer keys unlocked.
    pub fn issue(
        &self,
        by: Option<Id>,
        microcredential: &str,
        learners: &[LearnerInput],
    ) -> Result<IssueReport> {
        let valid = check_learners(learners)?;
        let awarding = self.awarding(microcredential)?;
        if self.unlocked().is_none() {
            return Err(locked());
        }
        self.write(by, Need::Person, |tx, actor| {
            may_issue(tx, actor)?;
            self.sign_and_store(tx, actor, &awarding, &valid, None)
        })
    }

    /// Issues one credential that must be new (a correction, a renewal, a recognized claim):
    /// refused, naming `field`, where the learner already holds it for that date.
    fn issue_one(
        &self,
        tx: &dyn Sql,
        actor: &Actor,
        awarding: &Awarding,
        learner: &Learner,
        field: &str,
    ) -> Result<Award> {
        self.sign_and_store(tx, actor, awarding, std::slice::from_ref(learner), None)?
            .rows
            .into_iter()
            .next()
            .filter(|r| r.new)
            .map(|r| r.award)
            .ok_or_else(|| {
                refuse(
                    field,
                    "this learner already holds this microcredential for that date",
                )
            })
    }

    /// Signs a credential for each learner not yet awarded for that completion date and
    /// stores and audits it, in `tx` (the learners checked, `actor` allowed to issue), as
    /// part of `batch` where a batch issues it.
    fn sign_and_store(
        &self,
        tx: &dyn Sql,
        actor: &Actor,
        awarding: &Awarding,
        valid: &[Learner],
        batch: Option<&str>,
    ) -> Result<IssueReport> {
        let signing = self.signing(tx, awarding)?;
        let planned = signing.plan(tx, awarding, valid)?;
        let signed = signing.sign(valid, &planned)?;
        signing.store(tx, actor, awarding, valid, planned, signed, batch)
    }

    /// What signing needs, read in `tx`: the current issuer key (unlocked), the settings,
    /// the institution and the awarding's achievement.
    fn signing(&self, tx: &dyn Sql, awarding: &Awarding) -> Result<Signing> {
        // Taken once `write` has signed `by` in: signing in someone else locks the issuer
        // keys (and needs this lock), so holding it across would deadlock.
        let guard = self.unlocked();
        let unlocked = guard.as_ref().ok_or_else(locked)?;
        let settings = issuing_settings(tx)?;
        let base = settings.base_url.clone().ok_or_else(no_base_url)?;
        let key_row = store::current_issuer_key(tx)?
            .ok_or_else(|| AppError::field("passphrase", "there is no issuer key yet"))?;
        let key = unlocked.keys.get(&key_row.id).cloned().ok_or_else(|| {
            AppError::field("passphrase", "the issuer key changed; unlock it again")
        })?;
        let inst = institution::get(tx)?.ok_or_else(|| {
            AppError::new(ErrorKind::Workspace, "the workspace has no institution")
        })?;
        let builder = Builder::new(tx, awarding, &settings, &base, &inst, &key_row.did)?;
        let suite = Cryptosuite::parse(&settings.cryptosuite).unwrap_or(Cryptosuite::EddsaRdfc2022);
        let image = builder
            .achievement
            .image
            .as_ref()
            .and_then(|image| store::KeptImage::of(&image.id));
        Ok(Signing {
            image,
            builder,
            key,
            verification_method: format!("{}#{}", key_row.did, key_row.public_key),
            key_row,
            base,
            suite,
        })
    }
}

/// What signing a roster's credentials needs, read once: signing itself reads nothing from
/// the workspace, so a batch signs one chunk while it stores the one before.
struct Signing {
    builder: Builder,
    /// The badge image every credential built here carries, as the workspace keeps it
    /// once (where it is long enough to).
    image: Option<store::KeptImage>,
    key: SigningKey,
    key_row: store::IssuerKeyRow,
    verification_method: String,
    base: String,
    suite: Cryptosuite,
}

/// What storing a credential needs of it once signed (beside its JSON).
struct Signed {
    id: String,
    valid_from: String,
    valid_until: Option<String>,
    /// The credential split around its badge image, as the workspace stores it, split on
    /// the signing thread.
    apart: Option<store::ImageApart>,
}

/// A chunk's learners as planned in a transaction: the awards they already hold for their
/// dates, and a status entry for each of the others (row, list, index), in roster order.
struct Planned {
    issued: HashMap<(String, String), Award>,
    fresh: Vec<(usize, Id, i64)>,
}

impl Signing {
    /// Finds what `valid` already hold and allocates status entries for the others, in `tx`
    /// (whose commit makes the entries theirs: an entry is never given twice, and one
    /// whose credential is never stored stays unused).
    fn plan(&self, tx: &dyn Sql, awarding: &Awarding, valid: &[Learner]) -> Result<Planned> {
        // The key may have been replaced by another seat since it was read.
        if store::current_issuer_key(tx)?.map(|k| k.id) != Some(self.key_row.id) {
            return Err(AppError::field(
                "passphrase",
                "the issuer key changed; unlock it again",
            ));
        }
        let issued = held(tx, awarding, valid)?;
        // Status indices are allocated in roster order.
        let unheld: Vec<usize> = valid
            .iter()
            .enumerate()
            .filter(|(_, l)| !issued.contains_key(&(l.email.clone(), l.completed_on.to_string())))
            .map(|(row, _)| row)
            .collect();
        let slots =
            store::allocate_statuses(tx, self.key_row.id, MIN_ENTRIES as i64, unheld.len())?;
        let fresh: Vec<(usize, Id, i64)> = unheld
            .into_iter()
            .zip(slots)
            .map(|(row, (list, index))| (row, list, index))
            .collect();
        // An event workspace issues only from the status list reserved for its event (a list
        // of its own would take a number the institution's workspace may give another).
        if let Some(event) = credence_store::events::held(tx)? {
            if fresh
                .iter()
                .any(|(_, list, _)| *list != event.status_list_id)
            {
                return Err(refuse(
                    "learners",
                    "the status entries reserved for this event are used up; export another event package for the rest",
                ));
            }
        }
        Ok(Planned { issued, fresh })
    }

    /// Builds and signs the planned credentials on every core (each is independent of the
    /// others), in roster order; reads nothing from the workspace.
    fn sign(&self, valid: &[Learner], planned: &Planned) -> Result<Vec<(Signed, String)>> {
        crate::kernel::parallel::map(&planned.fresh, |&(row, list, index)| {
            let mut credential =
                self.builder
                    .build(&valid[row], &list_url(&self.base, list), index)?;
            let options = ProofOptions {
                cryptosuite: self.suite,
                created: credential.valid_from.clone(),
                verification_method: self.verification_method.clone(),
                proof_purpose: "assertionMethod".into(),
            };
            let json =
                proof::sign_credential_json(&mut credential, &self.key, &options).map_err(vc)?;
            let apart = self
                .image
                .as_ref()
                .and_then(|image| store::image_apart(&json, image));
            // The credential (its image among its kilobytes) is dropped here, on every core,
            // not on the thread that stores.
            let Credential {
                id,
                valid_from,
                valid_until,
                ..
            } = credential;
            Ok((
                Signed {
                    id,
                    valid_from,
                    valid_until,
                    apart,
                },
                json,
            ))
        })
    }

    /// Stores and audits the signed credentials in roster order, in `tx`, as part of `batch`
    /// where a batch issues them. A learner who came to hold the award since the plan (from
    /// another seat, between a batch's transactions) keeps that one: the credential signed
    /// for them is not stored, its status entry left unused.
    #[allow(clippy::too_many_arguments)]
    fn store(
        &self,
        tx: &dyn Sql,
        actor: &Actor,
        awarding: &Awarding,
        valid: &[Learner],
        planned: Planned,
        signed: Vec<(Signed, String)>,
        batch: Option<&str>,
    ) -> Result<IssueReport> {
        let Planned { mut issued, fresh } = planned;
        let now_held = held(tx, awarding, valid)?;
        let late: std::collections::HashSet<(String, String)> = now_held
            .keys()
            .filter(|k| !issued.contains_key(*k))
            .cloned()
            .collect();
        issued.extend(now_held);
        let key_row = &self.key_row;
        let issued_at = crate::kernel::clock::now();
        let mut signed = fresh.iter().zip(signed).peekable();
        let mut rows = Vec::new();
        // Each new award's audit entry, appended after them (one look-up of the chain's end).
        let mut recorded = Vec::with_capacity(fresh.len());
        // The awarding's badge image, which every credential built here carries, is stored
        // once; each credential is stored without it.
        let kept = match &self.image {
            Some(image) if !fresh.is_empty() => {
                store::keep_image(tx, image)?;
                Some(image)
            }
            _ => None,
        };
        for (row, learner) in valid.iter().enumerate() {
            let date = learner.completed_on.to_string();
            let planned = signed.next_if(|((r, _, _), _)| *r == row);
            let Some(((_, list, index), (credential, json))) =
                planned.filter(|_| !late.contains(&(learner.email.clone(), date.clone())))
            else {
                if let Some(existing) = issued.get(&(learner.email.clone(), date)) {
                    rows.push(IssuedRow {
                        award: existing.clone(),
                        new: false,
                        credential_json: None,
                    });
                }
                continue;
            };
            let (list, index) = (*list, *index);
            let award_id = credential
                .id
                .strip_prefix("urn:uuid:")
                .unwrap_or(&credential.id)
                .to_string();
            store::insert_award(
                tx,
                &store::NewAward {
                    id: &award_id,
                    proposal_id: awarding.proposal_id,
                    version: awarding.version,
                    learner_name: &learner.name,
                    learner_email: &learner.email,
                    learner_did: learner.learner_did.as_deref(),
                    completed_on: &date,
                    grade: learner.grade.as_deref(),
                    evidence_url: learner.evidence_url.as_deref(),
                    evidence_note: learner.evidence_note.as_deref(),
                    credential_id: &credential.id,
                    credential: match &credential.apart {
                        Some(apart) => store::StoredCredential::Apart(apart),
                        None => store::StoredCredential::Whole(&json),
                    },
                    image: kept,
                    issuer_key_id: key_row.id,
                    status_list_id: list,
                    status_index: index,
                    issued_at: &issued_at,
                    issued_by: actor.id,
                    batch_id: batch,
                    revoked: None,
                    superseded_by: None,
                    valid_until: credential.valid_until.as_deref(),
                },
            )?;
            recorded.push((
                award_id.clone(),
                serde_json::json!({
                    "credential_id": credential.id,
                    "microcredential": awarding.slug,
                    "version": awarding.version,
                    "learner": learner.name,
                    "status": format!("{list}#{index}"),
                }),
            ));
            let award = Award {
                id: award_id,
                proposal_id: awarding.proposal_id,
                microcredential: awarding.title.clone(),
                version: awarding.version,
                learner_name: learner.name.clone(),
                learner_email: learner.email.clone(),
                completed_on: date,
                credential_id: credential.id.clone(),
                issuer_did: key_row.did.clone(),
                issued_at: issued_at.clone(),
                revoked_at: None,
                revoked_reason: None,
                superseded_by: None,
                supersedes: None,
                valid_until: credential.valid_until.clone(),
                renewal_of: None,
                renewed_by: None,
                // A day earned long ago gives a credential already past its validity.
                expired: credential
                    .valid_until
                    .as_deref()
                    .is_some_and(|t| t <= credential.valid_from.as_str()),
                by_recognition: valid[row]
                    .how_earned
                    .as_ref()
                    .is_some_and(|h| h.genre == credence_domain::prior_learning::RECOGNITION_GENRE),
                imported: valid[row]
                    .how_earned
                    .as_ref()
                    .is_some_and(|h| h.genre == ob2_import::IMPORT_GENRE),
                renewable: false,
            }
            .with_renewable();
            rows.push(IssuedRow {
                award,
                new: true,
                credential_json: Some(json),
            });
        }
        crate::kernel::record_all(tx, actor, "award", "issue", recorded)?;
        Ok(IssueReport { rows })
    }
}

/// What each learner already holds for that date (by the learner-and-date index, so a chunk
/// of a long batch reads its own learners, not every award).
fn held(
    tx: &dyn Sql,
    awarding: &Awarding,
    valid: &[Learner],
) -> Result<HashMap<(String, String), Award>> {
    let mut issued = HashMap::new();
    for learner in valid {
        let date = learner.completed_on.to_string();
        if let Some(award) =
            credence_store::batches::award_of(tx, awarding.proposal_id, &learner.email, &date)?
        {
            issued.insert((learner.email.clone(), date), award);
        }
    }
    Ok(issued)
}

impl Workspace {
    /// An award by its id, its credential's id, or the email of a learner who holds one
    /// award that is not revoked.
    pub fn find_award(&self, reference: &str) -> Result<Award> {
        let reference = reference.trim();
        if !reference.contains('@') {
            return self.award(reference);
        }
        self.read(|c| one_award_of_email(c, reference, |a| a.revoked_at.is_none()))?
            .map_err(|several| refuse("award", several))?
            .ok_or_else(|| {
                refuse(
                    "award",
                    format!("{reference} holds no award that is not revoked"),
                )
            })
    }

    /// Corrects an issued award (a misspelled name, a wrong date or email) in one act: a new
    /// credential for the corrected learner, under the same microcredential version, and the
    /// old one revoked as superseded and linked to it; both audited. Coordinators, with the
    /// issuer keys unlocked.
    pub fn correct_award(
        &self,
        by: Option<Id>,
        award: &str,
        change: &AwardCorrection,
        reason: &str,
    ) -> Result<Award> {
        let reason = checked_reason(reason, "say what was wrong, in 1 to 500 characters")?;
        let old = self.find_award(award)?;
        // The learner row it was issued from, with what the correction changes.
        let learner = self
            .read(|c| Ok(store::award_learner(c, &old.id)?))?
            .ok_or_else(|| AppError::not_found(format!("there is no award {award}")))?;
        let pick = |given: &Option<String>, was: String| given.clone().unwrap_or(was);
        let corrected = LearnerInput {
            name: pick(&change.name, learner.name),
            email: pick(&change.email, learner.email),
            completed_on: pick(&change.completed_on, learner.completed_on),
            ..learner
        };
        let valid = check_learners(std::slice::from_ref(&corrected))?;
        if let Some(new) = &old.superseded_by {
            return Err(refuse(
                "award",
                format!("this award was already corrected by award {new}"),
            ));
        }
        if old.revoked_at.is_some() {
            return Err(refuse(
                "award",
                "a revoked award is not corrected; reinstate it first or issue anew",
            ));
        }
        let learner = &valid[0];
        if learner.name == old.learner_name
            && learner.email == old.learner_email
            && learner.completed_on.to_string() == old.completed_on
        {
            return Err(refuse(
                "name",
                "the correction changes nothing: give the right name, email or date",
            ));
        }
        // The version the award was earned under, in the language it was issued in.
        let content = self.award_content(&old)?;
        let (slug, language) = self.read(|c| {
            let slug = store::slug_of(c, old.proposal_id)?.unwrap_or_default();
            let issued = store::credential_json(c, &old.id)?
                .as_deref()
                .and_then(issued_language);
            let language = match issued {
                Some(l) => content.language_for(Some(&l)),
                // Issued before credentials said their language.
                None => awarded_language(c, &content)?,
            };
            Ok((slug, language))
        })?;
        let awarding = self.awarding_in(
            old.proposal_id,
            old.microcredential.clone(),
            slug,
            old.version,
            &content,
            &language,
        )?;
        if self.unlocked().is_none() {
            return Err(locked());
        }
        self.write(by, Need::Coordinator, |tx, actor| {
            // The old one is revoked and leaves the learner-and-date rule first (marked
            // superseded by itself until the new one's id is known), so the new one may take
            // its place: the same learner and date where only the name was wrong.
            let note = format!("superseded: {reason}");
            store::set_revoked(tx, &old.id, Some((&crate::kernel::clock::now(), &note)))?;
            store::set_superseded(tx, &old.id, &old.id)?;
            let new = self.issue_one(tx, actor, &awarding, &valid[0], "completed_on")?;
            store::set_superseded(tx, &old.id, &new.id)?;
            record(
                tx,
                actor,
                "award",
                &old.id,
                "correct",
                Some(&serde_json::json!({
                    "learner": old.learner_name,
                    "email": old.learner_email,
                    "completed_on": old.completed_on,
                })),
                Some(&serde_json::json!({
                    "superseded_by": new.id,
                    "credential_id": new.credential_id,
                    "learner": new.learner_name,
                    "email": new.learner_email,
                    "completed_on": new.completed_on,
                    "reason": reason,
                })),
            )?;
            Ok(Award {
                supersedes: Some(old.id.clone()),
                ..new
            })
        })
    }

    /// Renews an award that expires: a new credential for the same learner under the
    /// microcredential's version in effect today, valid for that version's period from
    /// `completed_on` (the day the learner qualified again; today when not given), linked to
    /// the award it renews. The earlier one is left as it is: authentic, and valid until its
    /// own expiry. Coordinators and issuing staff, with the issuer keys unlocked.
    pub fn renew_award(
        &self,
        by: Option<Id>,
        award: &str,
        completed_on: Option<&str>,
    ) -> Result<Award> {
        let old = self.find_award(award)?;
        if let Some(why) = old.renewal_refusal() {
            return Err(refuse("award", why));
        }
        let (learner, slug, language) = self.read(|c| {
            let learner = store::award_learner(c, &old.id)?
                .ok_or_else(|| AppError::not_found(format!("there is no award {award}")))?;
            let slug = store::slug_of(c, old.proposal_id)?.unwrap_or_default();
            let language = store::credential_json(c, &old.id)?
                .as_deref()
                .and_then(issued_language);
            Ok((learner, slug, language))
        })?;
        // A blank date is today's, as in a roster.
        let renewed = LearnerInput {
            completed_on: completed_on.unwrap_or_default().trim().to_string(),
            ..learner
        };
        let valid = check_learners(std::slice::from_ref(&renewed))?;
        if valid[0].completed_on.to_string() <= old.completed_on {
            return Err(refuse(
                "completed_on",
                format!(
                    "a renewal is earned after the award it renews (completed {}): give the day the learner qualified again",
                    old.completed_on
                ),
            ));
        }
        let awarding = self.awarding_in_language(&slug, language.as_deref())?;
        if awarding.content.expiry_months.is_none() {
            return Err(refuse(
                "award",
                format!(
                    "version {} of {} no longer sets a validity period: its awards do not expire, so issue one instead of renewing",
                    awarding.version, awarding.title
                ),
            ));
        }
        if self.unlocked().is_none() {
            return Err(locked());
        }
        self.write(by, Need::Person, |tx, actor| {
            may_issue(tx, actor)?;
            // Looked at again inside the write: another seat may have renewed it meanwhile.
            let now = store::award(tx, &old.id)?
                .ok_or_else(|| AppError::not_found(format!("there is no award {award}")))?;
            if let Some(why) = now.renewal_refusal() {
                return Err(refuse("award", why));
            }
            let new = self.issue_one(tx, actor, &awarding, &valid[0], "completed_on")?;
            store::set_renewal_of(tx, &new.id, &old.id)?;
            record(
                tx,
                actor,
                "award",
                &old.id,
                "renew",
                Some(&serde_json::json!({
                    "valid_until": old.valid_until,
                    "version": old.version,
                })),
                Some(&serde_json::json!({
                    "renewed_by": new.id,
                    "credential_id": new.credential_id,
                    "version": new.version,
                    "completed_on": new.completed_on,
                    "valid_until": new.valid_until,
                })),
            )?;
            Ok(Award {
                renewal_of: Some(old.id.clone()),
                ..new
            })
        })
    }

    /// Issues from a roster CSV with a header row: `name` and `email` required;
    /// `learner_did`, `completed_on`, `grade`, `evidence_url`, `evidence_note` optional.
    pub fn issue_roster(
        &self,
        by: Option<Id>,
        microcredential: &str,
        csv_text: &str,
    ) -> Result<IssueReport> {
        let learners = parse_roster(csv_text)?;
        self.issue(by, microcredential, &learners)
    }

    /// The microcredential as it stood at the version the award was issued under.
    pub(crate) fn award_content(&self, award: &Award) -> Result<ProposalContent> {
        self.version_content(award.proposal_id, award.version)
    }

    /// A microcredential as it stood at one of its versions.
    pub(crate) fn version_content(&self, proposal: Id, version: i64) -> Result<ProposalContent> {
        self.read(|c| version_content_in(c, proposal, version))
    }

    // ----- revocation -----

    /// Revokes awards (by award or credential id, or a learner's email where they hold one
    /// award), all or none, with a reason (coordinators;
    /// audited). The change reaches verifiers when the status lists are exported again.
    pub fn revoke(&self, by: Option<Id>, ids: &[String], reason: &str) -> Result<Vec<Award>> {
        self.set_revocation(by, ids, reason, true)
    }

    /// Revokes every award a file lists (`formats::award_list`: a CSV column of award ids,
    /// credential ids or emails, or one per line), all or none, with one reason; each
    /// problem named by its row.
    pub fn revoke_listed(&self, by: Option<Id>, file: &str, reason: &str) -> Result<Vec<Award>> {
        let rows = credence_domain::formats::award_list::parse(file)?;
        let ids: Vec<String> = rows.iter().map(|(_, id)| id.clone()).collect();
        self.revoke(by, &ids, reason).map_err(|mut e| {
            for f in &mut e.fields {
                if let Some((row, _)) = rows.iter().find(|(_, id)| id.trim() == f.field) {
                    f.field = format!("row {row}: {}", f.field);
                }
            }
            e
        })
    }

    /// Reinstates revoked awards, with a reason (coordinators; audited).
    pub fn reinstate(&self, by: Option<Id>, ids: &[String], reason: &str) -> Result<Vec<Award>> {
        self.set_revocation(by, ids, reason, false)
    }

    fn set_revocation(
        &self,
        by: Option<Id>,
        ids: &[String],
        reason: &str,
        revoke: bool,
    ) -> Result<Vec<Award>> {
        let reason = checked_reason(reason, "give a reason of 1 to 500 characters")?;
        if ids.is_empty() {
            return Err(refuse("ids", "name at least one credential"));
        }
        self.write(by, Need::Coordinator, |tx, actor| {
            let mut problems = Vec::new();
            let mut found = Vec::new();
            for id in ids {
                let id = id.trim();
                let by_email = if id.contains('@') {
                    match one_award_of_email(tx, id, |_| true)? {
                        Ok(award) => award,
                        Err(several) => {
                            problems.push(FieldError::new(id, several));
                            continue;
                        }
                    }
                } else {
                    store::award(tx, id)?
                };
                match by_email {
                    None => problems.push(FieldError::new(
                        id,
                        "there is no such award, credential or learner",
                    )),
                    Some(a) if revoke && a.revoked_at.is_some() => problems.push(FieldError::new(
                        id,
                        format!(
                            "already revoked ({})",
                            a.revoked_reason.clone().unwrap_or_default()
                        ),
                    )),
                    Some(a) if !revoke && a.revoked_at.is_none() => {
                        problems.push(FieldError::new(id, "is not revoked"))
                    }
                    Some(Award {
                        superseded_by: Some(new),
                        ..
                    }) if !revoke => problems.push(FieldError::new(
                        id,
                        format!("was corrected by award {new}, so it stays revoked"),
                    )),
                    Some(a) => found.push(a),
                }
            }
            if !problems.is_empty() {
                return Err(credence_domain::DomainError::Invalid(problems).into());
            }
            let at = crate::kernel::clock::now();
            let mut out = Vec::new();
            for a in found {
                store::set_revoked(tx, &a.id, revoke.then_some((at.as_str(), reason)))?;
                record(
                    tx,
                    actor,
                    "award",
                    &a.id,
                    if revoke { "revoke" } else { "reinstate" },
                    Some(&serde_json::json!({"revoked_at": a.revoked_at})),
                    Some(&serde_json::json!({"reason": reason, "credential_id": a.credential_id})),
                )?;
                out.push(store::award(tx, &a.id)?.ok_or_else(|| internal("the award vanished"))?);
            }
            Ok(out)
        })
    }

    /// Every status list as a signed `BitstringStatusListCredential`, with the file name to
    /// publish it under (`<n>.json` at `<base>/status/`). Needs the issuer keys unlocked.
    pub fn status_list_credentials(&self) -> Result<Vec<(String, serde_json::Value)>> {
        let (base, lists) = self.read(|c| {
            let base = issuing_settings(c)?.base_url.ok_or_else(no_base_url)?;
            let mut lists = Vec::new();
            for l in store::status_lists(c)? {
                let did = store::list_issuer_did(c, l.id)?.unwrap_or_default();
                let bits = revocation_bits(c, &l)?.map_err(internal)?;
                lists.push((l, did, bits));
            }
            Ok((base, lists))
        })?;
        let guard = self.unlocked();
        let unlocked = guard.as_ref().ok_or_else(locked)?;
        let mut out = Vec::new();
        let now = now_z();
        for (list, did, bits) in lists {
            let url = list_url(&base, list.id);
            let key = unlocked.keys.get(&list.issuer_key_id).ok_or_else(|| {
                AppError::field("passphrase", "the issuer keys changed; unlock them again")
            })?;
            let document = serde_json::json!({
                "@context": [credence_vc::contexts::CREDENTIALS_V2],
                "id": url,
                "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                "issuer": did,
                "validFrom": now,
                "credentialSubject": {
                    "id": format!("{url}#list"),
                    "type": "BitstringStatusList",
                    "statusPurpose": "revocation",
                    "encodedList": bits.encode().map_err(internal)?,
                },
            });
            let options = ProofOptions {
                cryptosuite: Cryptosuite::EddsaRdfc2022,
                created: now.clone(),
                verification_method: did_key::verification_method(&key.verifying_key()),
                proof_purpose: "assertionMethod".into(),
            };
            let signed = proof::sign(&document, key, &options).map_err(vc)?;
            out.push((format!("{}.json", list.id), signed));
        }
        Ok(out)
    }

    /// Verifies a credential file's bytes (JSON, baked PNG or SVG, or later a certificate),
    /// checking revocation against this workspace's own status lists.
    pub fn verify_credential(&self, bytes: &[u8]) -> verify::Report {
        let lookup = |url: &str| -> Option<std::result::Result<PublishedList, VcError>> {
            self.read(|c| {
                let Some(base) = issuing_settings(c)?.base_url else {
                    return Ok(None);
                };
                let Some(list) = list_of_url(&base, url) else {
                    return Ok(None);
                };
                let Some(row) = store::status_list(c, list)? else {
                    return Ok(None);
                };
                let issuer = store::list_issuer_did(c, row.id)?.unwrap_or_default();
                Ok(Some(revocation_bits(c, &row)?.map(|list| PublishedList {
                    id: list_url(&base, row.id),
                    issuer,
                    list,
                })))
            })
            .ok()
            .flatten()
        };
        verify::verify(bytes, chrono::Utc::now(), &lookup)
    }
}

/// Checks every learner row (all of them, each problem named by its row as a spreadsheet
/// numbers it, the header being row 1); the same email twice for one date is a problem too.
/// How a learner's problems are prefixed: "row 3: " in a roster (numbered as a spreadsheet
/// shows it, after the header), nothing for one learner.
pub(crate) fn row_prefix(rows: usize, i: usize) -> String {
    if rows > 1 {
        format!("row {}: ", i + 2)
    } else {
        String::new()
    }
}

pub fn check_learners(learners: &[LearnerInput]) -> Result<Vec<Learner>> {
    check_learners_on(learners, chrono::Utc::now().date_naive())
}

/// Learners as given and as checked (all or none, each bad row named), with the day a blank
/// completion date stood for: made only by checking, so what takes them (`start_batch`)
/// need not check them again.
#[derive(Debug, Clone)]
pub struct CheckedLearners {
    given: Vec<LearnerInput>,
    valid: Vec<Learner>,
    on: chrono::NaiveDate,
}

impl CheckedLearners {
    /// The learners as given.
    pub fn given(&self) -> &[LearnerInput] {
        &self.given
    }

    /// Checked on `day` (again, where they were checked on another).
    pub(crate) fn on(self, day: chrono::NaiveDate) -> Result<Self> {
        if self.on == day {
            return Ok(self);
        }
        let valid = check_learners_on(&self.given, day)?;
        Ok(Self {
            given: self.given,
            valid,
            on: day,
        })
    }

    pub(crate) fn into_parts(self) -> (Vec<LearnerInput>, Vec<Learner>) {
        (self.given, self.valid)
    }
}

/// Checks learners for a batch (as [`check_learners`]), keeping what was given with what
/// the check made of it.
pub fn checked_learners(learners: Vec<LearnerInput>) -> Result<CheckedLearners> {
    let on = chrono::Utc::now().date_naive();
    let valid = check_learners_on(&learners, on)?;
    Ok(CheckedLearners {
        given: learners,
        valid,
        on,
    })
}

/// `check_learners` with a blank completion date meaning `today`.
pub(crate) fn check_learners_on(
    learners: &[LearnerInput],
    today: chrono::NaiveDate,
) -> Result<Vec<Learner>> {
    if learners.is_empty() {
        return Err(AppError::field("learners", "name at least one learner"));
    }
    let mut problems = Vec::new();
    let mut valid = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let prefix = |i: usize| row_prefix(learners.len(), i);
    for (i, row) in learners.iter().enumerate() {
        match row.validate(today) {
            Ok(l) => {
                let key = (l.email.clone(), l.completed_on.to_string());
                if let Some(first) = seen.insert(key, i) {
                    problems.push(FieldError::new(
                        format!("{}email", prefix(i)),
                        format!(
                            "{} is already on row {} with the same completion date",
                            l.email,
                            first + 2
                        ),
                    ));
                }
                valid.push(l);
            }
            Err(fields) => problems.extend(
                fields
                    .into_iter()
                    .map(|f| FieldError::new(format!("{}{}", prefix(i), f.field), f.message)),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(credence_domain::DomainError::Invalid(problems).into());
    }
    Ok(valid)
}

/// The refusal when no credential base URL is set.
fn no_base_url() -> AppError {
    AppError::field(
        "base_url",
        "set the web address credentials are hosted under first (Credentials > How the institution issues, or credence settings --credential-base-url)",
    )
}

/// The refusal when the issuer keys are needed and locked.
fn locked() -> AppError {
    AppError::field(
        "passphrase",
        "unlock the issuer key first (its passphrase, or CREDENCE_ISSUER_PASSPHRASE)",
    )
}

/// A status list's bits as the workspace holds them: set for each revoked award.
fn revocation_bits(
    conn: &dyn Sql,
    list: &store::StatusListRow,
) -> Result<std::result::Result<StatusList, VcError>> {
    let mut bits = StatusList::new(usize::try_from(list.size).unwrap_or(MIN_ENTRIES));
    for i in store::revoked_indexes(conn, list.id)? {
        if let Err(e) = bits.set(usize::try_from(i).unwrap_or(usize::MAX), true) {
            return Ok(Err(e));
        }
    }
    Ok(Ok(bits))
}

fn open_key(sealed_json: &str, passphrase: &str) -> Result<SigningKey> {
    let sealed: SealedKey = serde_json::from_str(sealed_json).map_err(internal)?;
    keys::open(&sealed, passphrase)
        .map_err(|_| AppError::field("passphrase", "the passphrase does not open the issuer key"))
}

fn seal_json(key: &SigningKey, passphrase: &str, kdf: KdfParams) -> Result<String> {
    let sealed =
        keys::seal(key, passphrase, kdf).map_err(|e| refuse("passphrase", e.to_string()))?;
    serde_json::to_string(&sealed).map_err(internal)
}

pub use credence_domain::formats::roster::COLUMNS as ROSTER_COLUMNS;

/// Reads a roster CSV (`credence_domain::formats::roster`): a header row naming `name` and
/// `email` and any of the optional columns; every bad row named.
pub fn parse_roster(text: &str) -> Result<Vec<LearnerInput>> {
    Ok(credence_domain::formats::roster::parse(text)?)
}

/// Builds the credentials of one microcredential version.
struct Builder {
    issuer: Profile,
    achievement: Achievement,
    credits: Option<f64>,
    expiry_months: Option<u32>,
    eu: bool,
}

impl Builder {
    fn new(
        conn: &dyn Sql,
        a: &Awarding,
        settings: &IssuingSettings,
        base: &str,
        inst: &credence_domain::institution::Institution,
        did: &str,
    ) -> Result<Self> {
        let c = &a.content;
        let label = |facet: Facet, code: &Option<String>| -> Result<Option<String>> {
            Ok(match code {
                Some(code) => taxonomy::term_by_code(conn, facet, code)?.map(|t| t.label),
                None => None,
            })
        };
        let category = label(Facet::Category, &c.category)?;
        let level = label(Facet::Level, &c.level)?;
        let skills = taxonomy::skills(conn)?;
        let alignment = c
            .skills
            .iter()
            .filter_map(|r| {
                let (framework, code) = r.split_once(':')?;
                let s = skills
                    .iter()
                    .find(|s| s.framework == framework && s.code == code)?;
                Some(Alignment {
                    types: vec!["Alignment".into()],
                    target_name: s.name.clone(),
                    target_url: s
                        .url
                        .clone()
                        .unwrap_or_else(|| format!("urn:credence:skill:{framework}:{code}")),
                    target_description: (!s.description.is_empty()).then(|| s.description.clone()),
                    target_framework: Some(framework.to_uppercase()),
                    target_code: Some(code.to_string()),
                })
            })
            .collect();
        let primary = a
            .languages
            .first()
            .map_or(a.language.as_str(), String::as_str);
        let mut narrative = String::new();
        if !credence_domain::language::suits("en", &a.language) {
            // The outcomes in their language; the lead-ins below are English.
            for o in c.outcomes.iter().filter(|o| !o.trim().is_empty()) {
                narrative.push_str(&format!("- {o}\n"));
            }
            if narrative.is_empty() {
                narrative = c.description.clone();
            }
        } else if !c.outcomes.is_empty() {
            narrative.push_str("Learners demonstrate these outcomes:\n");
            for o in &c.outcomes {
                narrative.push_str(&format!("- {o}\n"));
            }
        }
        if !c.assessment_types.is_empty() {
            narrative.push_str(&format!(
                "Assessed by: {}.\n",
                c.assessment_types.join(", ")
            ));
        }
        if let Some(t) = &c.award_threshold {
            narrative.push_str(&format!("Awarded when: {t}\n"));
        }
        if narrative.trim().is_empty() {
            narrative = format!("Completion of {}.", c.title);
        }
        let image = Image {
            id: format!(
                "data:image/png;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(&a.badge_png)
            ),
            kind: "Image".into(),
        };
        let mut achievement = Achievement {
            id: achievement_id(base, &a.slug, a.version, &a.language, primary),
            types: vec!["Achievement".into()],
            achievement_type: "MicroCredential".into(),
            name: c.title.clone(),
            description: if c.description.trim().is_empty() {
                c.title.clone()
            } else {
                c.description.clone()
            },
            criteria: Criteria {
                narrative: narrative.trim_end().to_string(),
            },
            image: Some(image),
            alignment,
            credits_available: c.workload.credits,
            field_of_study: category,
            in_language: Some(a.language.clone()),
            related: a
                .languages
                .iter()
                .filter(|l| **l != a.language)
                .map(|l| Related {
                    id: achievement_id(base, &a.slug, a.version, l, primary),
                    types: vec!["Related".into()],
                    in_language: Some(l.clone()),
                    version: Some(format!("v{}", a.version)),
                })
                .collect(),
            version: Some(format!("v{}", a.version)),
            eu_learning_outcome: Vec::new(),
            eu_workload_hours: None,
            eu_ects_credits: None,
            eu_qualification_level: None,
            eu_assessment_type: Vec::new(),
            eu_participation_form: None,
            eu_quality_assurance: None,
        };
        if settings.eu_recommendation {
            let mut missing = Vec::new();
            if c.outcomes.is_empty() {
                missing.push("learning outcomes");
            }
            if c.workload.ects.is_none() && c.workload.hours.is_none() {
                missing.push("workload (ECTS or hours)");
            }
            if level.is_none() {
                missing.push("level");
            }
            if c.assessment_types.is_empty() {
                missing.push("type of assessment");
            }
            let participation = c
                .participation_form
                .clone()
                .or_else(|| c.delivery_mode.clone());
            if participation.is_none() {
                missing.push("form of participation");
            }
            if c.quality_assurance.is_none() {
                missing.push("quality assurance");
            }
            if !missing.is_empty() {
                return Err(AppError::field(
                    "credential",
                    format!(
                        "the institution issues under the EU Council Recommendation, and \"{}\" v{} does not give: {}",
                        c.title,
                        a.version,
                        missing.join(", ")
                    ),
                ));
            }
            achievement.eu_learning_outcome = c.outcomes.clone();
            achievement.eu_workload_hours = c.workload.hours;
            achievement.eu_ects_credits = c.workload.ects;
            achievement.eu_qualification_level = level;
            achievement.eu_assessment_type = c.assessment_types.clone();
            achievement.eu_participation_form = participation;
            achievement.eu_quality_assurance = c.quality_assurance.clone();
        }
        let issuer = Profile {
            id: did.to_string(),
            types: vec!["Profile".into()],
            name: inst.name.clone(),
            url: inst.url.clone(),
            email: inst.email.clone(),
            image: None,
            address: Some(Address {
                types: vec!["Address".into()],
                address_country: inst.country_name.clone(),
                address_country_code: inst.country.clone(),
            }),
        };
        Ok(Self {
            issuer,
            achievement,
            credits: c.workload.credits,
            expiry_months: c.expiry_months,
            eu: settings.eu_recommendation,
        })
    }

    fn build(&self, learner: &Learner, list_url: &str, index: i64) -> Result<Credential> {
        let salt = credential::new_salt().map_err(internal)?;
        let now = chrono::Utc::now();
        let valid_from = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let valid_until =
            credence_domain::award::valid_until(learner.completed_on, self.expiry_months);
        let mut evidence = Vec::new();
        if learner.evidence_url.is_some() || learner.evidence_note.is_some() {
            evidence.push(Evidence {
                id: learner.evidence_url.clone(),
                types: vec!["Evidence".into()],
                name: None,
                genre: None,
                narrative: learner.evidence_note.clone(),
            });
        }
        // How it was earned, where not by completing the microcredential.
        if let Some(how) = &learner.how_earned {
            evidence.push(Evidence {
                id: how.id.clone(),
                types: vec!["Evidence".into()],
                name: Some(how.genre.clone()),
                genre: Some(how.genre.clone()),
                narrative: Some(how.narrative.clone()),
            });
        }
        Ok(Credential {
            context: credential::contexts(self.eu),
            id: credential::new_urn_uuid().map_err(internal)?,
            types: vec!["VerifiableCredential".into(), "OpenBadgeCredential".into()],
            issuer: self.issuer.clone(),
            valid_from,
            valid_until,
            name: self.achievement.name.clone(),
            description: Some(self.achievement.description.clone()),
            credential_subject: Subject {
                id: learner.learner_did.clone(),
                types: vec!["AchievementSubject".into()],
                identifier: vec![
                    IdentityObject {
                        kind: "IdentityObject".into(),
                        hashed: true,
                        identity_hash: credential::identity_hash(&learner.email, &salt),
                        identity_type: "emailAddress".into(),
                        salt: Some(salt),
                    },
                    IdentityObject {
                        kind: "IdentityObject".into(),
                        hashed: false,
                        identity_hash: learner.name.clone(),
                        identity_type: "name".into(),
                        salt: None,
                    },
                ],
                achievement: self.achievement.clone(),
                result: learner
                    .grade
                    .iter()
                    .map(|g| AwardResult {
                        types: vec!["Result".into()],
                        value: g.clone(),
                    })
                    .collect(),
                credits_earned: self.credits,
                activity_end_date: Some(credential::completion_date_time(learner.completed_on)),
            },
            evidence,
            credential_schema: vec![CredentialSchema {
                id: credential::OB_SCHEMA.into(),
                kind: "1EdTechJsonSchemaValidator2019".into(),
            }],
            credential_status: Some(StatusEntry::revocation(
                list_url,
                usize::try_from(index).unwrap_or_default(),
            )),
        })
    }
}
