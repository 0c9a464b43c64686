//! Open Badges 2.0 assertions from a previous platform, repackaged (issue 18, part 3): each
//! file read offline (JSON, JWS, baked PNG or SVG), checked as far as it can be without a
//! network (a signed assertion's signature with the issuer's key where the key is among the
//! files; a hosted one reported as unchecked), its hashed recipient matched to a learner of a
//! list, its badge to a microcredential (or, where asked, to a retired "archived"
//! microcredential made from the badge class, once per badge), and re-issued as an Open Badges
//! 3.0 credential signed by the institution, whose evidence names the original (never
//! presented as the original issuer's signature). The originals are kept in the workspace. A
//! report says what was imported, and what was skipped and why.

use std::collections::HashMap;

use credence_domain::award::{HowEarned, Learner, LearnerInput};
use credence_domain::proposal::ProposalContent;
use credence_domain::Id;
use credence_store::issuing as store;
use credence_vc::ob2::{self, BadgeClass, SignatureCheck, Verification};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{awarded_language, locked, may_issue, Awarding, CREDENTIAL_IMAGE_PX};
use crate::kernel::{record, refuse, Need};
use crate::proposals::attachments::IncomingFile;
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// The evidence genre (and name) of an award made from an imported assertion.
pub const IMPORT_GENRE: &str = "Imported Open Badges 2.0 assertion";

pub use credence_vc::ob2::MAX_FILE_BYTES;

/// The most files one import reads.
pub const MAX_FILES: usize = 10_000;

/// One file of an import: what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Ob2Row {
    pub file: String,
    pub learner: Option<String>,
    pub microcredential: Option<String>,
    /// The badge it awards (the badge class's id, else its name), as a map names it.
    pub badge: Option<String>,
    /// Its badge matched no microcredential: a map entry would import it.
    pub unmatched: bool,
    /// What could be checked of it offline.
    pub checked: String,
    /// The award made from it.
    pub award_id: Option<String>,
    /// Why it was not imported.
    pub skipped: Option<String>,
}

/// A badge with no microcredential, imported as a retired ("archived") microcredential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ArchivedBadge {
    /// The badge class's id, else its name.
    pub badge: String,
    pub slug: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Ob2ImportReport {
    /// One per assertion file, in the order given.
    pub rows: Vec<Ob2Row>,
    /// The archived microcredentials this import made.
    pub archived: Vec<ArchivedBadge>,
    pub imported: u32,
    pub skipped: u32,
    /// Issuer keys and badge classes read from the files.
    pub documents: u32,
}

/// The slug an assertion waits under while its badge's archived microcredential is made.
const ARCHIVE: &str = "archive:";

/// A badge with no microcredential, to be imported as an archived one: made in the import's
/// transaction (`New`), or made by an earlier import (`Made`).
enum Archive {
    New {
        content: ProposalContent,
        language: String,
        badge_png: Vec<u8>,
        effective_from: String,
        issuer: String,
    },
    Made(Awarding),
}

/// The texts of an archived microcredential, from its badge class: its name, description and
/// criteria (an outcome per line of the criteria; the badge's name where it has none).
pub(crate) fn archived_content(class: &BadgeClass, contact_email: &str) -> ProposalContent {
    let outcomes: Vec<String> = class
        .criteria
        .as_deref()
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim().trim_start_matches(['-', '*', '•']).trim())
        .filter(|l| !l.is_empty())
        .map(|l| l.chars().take(500).collect())
        .collect();
    ProposalContent {
        title: class.name.chars().take(200).collect(),
        description: class.description.clone().unwrap_or_else(|| {
            format!(
                "Awarded as the Open Badges 2.0 badge \"{}\" before Credence.",
                class.name
            )
        }),
        contact_email: contact_email.to_string(),
        outcomes: if outcomes.is_empty() {
            vec![format!("Met the criteria of the badge \"{}\".", class.name)]
        } else {
            outcomes
        },
        ..ProposalContent::default()
    }
}

/// An assertion ready to issue.
struct Ready {
    row: usize,
    slug: String,
    learner: Learner,
    assertion_id: Option<String>,
    sha256: String,
    bytes: Vec<u8>,
}

impl Workspace {
    /// Imports Open Badges 2.0 assertions (see the module). `learners_csv` names the learners
    /// (`name,email`) whose hashed emails the assertions carry; `map` ties a badge (its id or
    /// name) to a microcredential's slug where their names differ; with `archive_unmatched`, a
    /// badge neither names is imported as a retired microcredential of its own, made from its
    /// badge class (or found again, made by an earlier import). Coordinators, with the issuer
    /// keys unlocked; the awards and archived microcredentials made all in one transaction.
    pub fn import_ob2(
        &self,
        by: Option<Id>,
        files: &[IncomingFile],
        learners_csv: &str,
        map: &[(String, String)],
        archive_unmatched: bool,
    ) -> Result<Ob2ImportReport> {
        if files.len() > MAX_FILES {
            return Err(AppError::field(
                "files",
                format!("at most {MAX_FILES} files are imported at once"),
            ));
        }
        let learners = super::parse_roster(learners_csv).map_err(|e| {
            AppError::field("learners", format!("the learners list: {}", e.message))
        })?;
        let learners = super::check_learners(&learners)?;
        // Keys and badge classes first: the assertions refer to them.
        let mut keys = Vec::new();
        let mut classes: HashMap<String, BadgeClass> = HashMap::new();
        let mut documents = 0;
        let mut assertions = Vec::new();
        for f in files {
            if let Some(key) = ob2::read_key(&f.bytes) {
                keys.push(key);
                documents += 1;
            } else if let Some(class) = ob2::read_badge_class(&f.bytes) {
                classes.insert(class.id.clone().unwrap_or_default(), class);
                documents += 1;
            } else {
                assertions.push(f);
            }
        }
        let (institution, contact_email) = self
            .status()?
            .institution
            .map(|i| (i.name, i.email))
            .unwrap_or_default();
        // The badges to archive: each with its class and the earliest day it was awarded.
        let mut to_archive: HashMap<String, (BadgeClass, String)> = HashMap::new();
        let microcredentials = self.microcredentials()?;
        // Badges an earlier import archived keep going to their archived microcredential.
        let archived_list = self.read(|c| Ok(store::ob2_badges(c)?))?;
        let archived_before: HashMap<String, String> = archived_list
            .iter()
            .map(|(key, slug, _)| (key.clone(), slug.clone()))
            .collect();
        let mapped = |badge_id: Option<&str>, name: Option<&str>| -> Option<String> {
            map.iter()
                .find(|(k, _)| Some(k.as_str()) == badge_id || Some(k.as_str()) == name)
                .map(|(_, slug)| slug.clone())
                .or_else(|| {
                    badge_id
                        .or(name)
                        .and_then(|key| archived_before.get(key).cloned())
                })
                .or_else(|| {
                    let name = name?.trim();
                    microcredentials
                        .iter()
                        .find(|m| m.title.trim().eq_ignore_ascii_case(name))
                        .map(|m| m.slug.clone())
                })
        };
        let today = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let mut rows = Vec::new();
        let mut ready: Vec<Ready> = Vec::new();
        for f in assertions {
            let mut row = Ob2Row {
                file: f.name.clone(),
                learner: None,
                microcredential: None,
                badge: None,
                unmatched: false,
                checked: String::new(),
                award_id: None,
                skipped: None,
            };
            let outcome = (|| -> std::result::Result<Ready, String> {
                let a = ob2::read(&f.bytes).map_err(|e| format!("not read: {e}"))?;
                row.checked = match &a.verification {
                    Verification::Hosted => {
                        "hosted: not checked (a hosted assertion is checked online)".to_string()
                    }
                    Verification::Signed { .. } => match ob2::check_signature(&a, &keys) {
                        SignatureCheck::Verified => "signed: the signature verifies".to_string(),
                        SignatureCheck::KeyMissing(key) => format!(
                            "signed: not checked (the issuer's key {key} is not among the files)"
                        ),
                        SignatureCheck::Failed(why) => return Err(format!("signed, but {why}")),
                    },
                };
                if a.revoked {
                    return Err("the assertion says it was revoked".into());
                }
                if let Some(expires) = a.expires.as_deref().filter(|e| *e < today.as_str()) {
                    return Err(format!(
                        "it expired on {}",
                        expires.get(..10).unwrap_or(expires)
                    ));
                }
                let learner = learners
                    .iter()
                    .find(|l| a.recipient.is_email(&l.email))
                    .ok_or_else(|| {
                        if a.recipient.kind == "email" {
                            "its recipient is none of the learners listed (add them to the learners list)".to_string()
                        } else {
                            format!("its recipient is a {}, not an email", a.recipient.kind)
                        }
                    })?;
                row.learner = Some(format!("{} <{}>", learner.name, learner.email));
                let class = a
                    .badge
                    .clone()
                    .or_else(|| a.badge_id.as_ref().and_then(|id| classes.get(id).cloned()));
                let name = a
                    .badge_name
                    .clone()
                    .or_else(|| class.as_ref().map(|c| c.name.clone()));
                row.badge = a.badge_id.clone().or_else(|| name.clone());
                let issued = a.issued_on.get(..10).unwrap_or(&a.issued_on).to_string();
                let slug = match mapped(a.badge_id.as_deref(), name.as_deref()) {
                    Some(slug) => {
                        row.microcredential = Some(slug.clone());
                        slug
                    }
                    None if archive_unmatched => {
                        let class = class.ok_or_else(|| {
                            format!(
                                "its badge class {} is not among the files, so it cannot be archived (add the badge class's file)",
                                a.badge_id.as_deref().unwrap_or("without an id")
                            )
                        })?;
                        let key = class.id.clone().unwrap_or_else(|| class.name.clone());
                        let entry = to_archive
                            .entry(key.clone())
                            .or_insert_with(|| (class, issued.clone()));
                        if issued < entry.1 {
                            entry.1.clone_from(&issued);
                        }
                        format!("{ARCHIVE}{key}")
                    }
                    None => {
                        row.unmatched = true;
                        return Err(format!(
                            "no active microcredential is called \"{}\" (map the badge {} to one, or archive it)",
                            name.as_deref().unwrap_or("?"),
                            a.badge_id.as_deref().unwrap_or("without an id")
                        ));
                    }
                };
                let issuer = a.issuer_name.clone().unwrap_or_else(|| "its issuer".into());
                let mut learner = super::check_learners(&[LearnerInput {
                    name: learner.name.clone(),
                    email: learner.email.clone(),
                    completed_on: issued.clone(),
                    ..Default::default()
                }])
                .map_err(|e| {
                    format!(
                        "its date: {}",
                        e.fields
                            .first()
                            .map_or(e.message.clone(), |f| f.message.clone())
                    )
                })?;
                let mut learner = learner.remove(0);
                learner.how_earned = Some(HowEarned {
                    id: a.id.clone().filter(|id| id.starts_with("http")),
                    genre: IMPORT_GENRE.into(),
                    narrative: format!(
                        "Imported from an Open Badges 2.0 assertion issued by {issuer} on {issued} ({}). {institution} keeps the original; this credential is signed by {institution}, not by the original issuer.",
                        row.checked
                    ),
                });
                Ok(Ready {
                    row: 0,
                    slug,
                    learner,
                    assertion_id: a.id.clone(),
                    sha256: credence_domain::attachment::sha256_hex(&f.bytes),
                    bytes: f.bytes.clone(),
                })
            })();
            match outcome {
                Ok(mut r) => {
                    // The same assertion twice, or the same learner and day twice.
                    let twice = ready.iter().find(|o| {
                        (o.assertion_id.is_some() && o.assertion_id == r.assertion_id)
                            || (o.slug == r.slug
                                && o.learner.email == r.learner.email
                                && o.learner.completed_on == r.learner.completed_on)
                    });
                    if let Some(o) = twice {
                        row.skipped =
                            Some(format!("the same award as {}", rows_file(&rows, o.row)));
                    } else {
                        r.row = rows.len();
                        ready.push(r);
                    }
                }
                Err(why) => row.skipped = Some(why),
            }
            rows.push(row);
        }
        if !ready.is_empty() && self.unlocked().is_none() {
            return Err(locked());
        }
        // One awarding per microcredential, read before the write; an archived one's badge
        // drawn before it too.
        let mut archives: HashMap<String, Archive> = HashMap::new();
        for r in &ready {
            let Some(key) = r.slug.strip_prefix(ARCHIVE) else {
                continue;
            };
            if archives.contains_key(key) {
                continue;
            }
            let (class, earliest) = &to_archive[key];
            let archive = match self.read(|c| Ok(store::ob2_badge(c, key)?))? {
                Some(made) => Archive::Made(self.awarding_archived(made)?),
                None => {
                    let content =
                        archived_content(class, contact_email.as_deref().unwrap_or_default());
                    let language = self.read(|c| awarded_language(c, &content))?;
                    let badge_png = self
                        .badge_files(&content.localized(&language), CREDENTIAL_IMAGE_PX)?
                        .png;
                    Archive::New {
                        content,
                        language,
                        badge_png,
                        effective_from: earliest.clone(),
                        issuer: class
                            .issuer_name
                            .clone()
                            .unwrap_or_else(|| "its issuer".into()),
                    }
                }
            };
            archives.insert(key.to_string(), archive);
        }
        let mut awardings = HashMap::new();
        for r in &ready {
            if awardings.contains_key(&r.slug) || r.slug.starts_with(ARCHIVE) {
                continue;
            }
            if let Some((_, _, id)) = archived_list.iter().find(|(_, slug, _)| *slug == r.slug) {
                awardings.insert(r.slug.clone(), self.awarding_archived(*id)?);
                continue;
            }
            let awarding = self.awarding(&r.slug).map_err(|e| {
                refuse(
                    "map",
                    format!(
                        "{}: {}",
                        r.slug,
                        e.fields
                            .first()
                            .map_or(e.message.clone(), |f| f.message.clone())
                    ),
                )
            })?;
            awardings.insert(r.slug.clone(), awarding);
        }
        let at = crate::kernel::clock::now();
        let rows = self.write(by, Need::Coordinator, |tx, actor| {
            may_issue(tx, actor)?;
            if credence_store::events::held(tx)?.is_some() {
                return Err(refuse(
                    "files",
                    "an event workspace issues from its rosters only; import earlier badges at the office",
                ));
            }
            let mut rows = rows.clone();
            let mut archives = archives;
            let mut archived = Vec::new();
            for r in &ready {
                // An archived microcredential is made (once) when its first assertion is
                // imported, in this same transaction.
                if let Some(key) = r.slug.strip_prefix(ARCHIVE) {
                    if let Some(Archive::New {
                        content,
                        language,
                        badge_png,
                        effective_from,
                        issuer,
                    }) = archives.remove(key)
                    {
                        let reason = format!(
                            "imported from Open Badges 2.0 ({issuer}: {key}); awarded before Credence"
                        );
                        let (id, slug) = crate::lifecycle::archive_imported(
                            tx,
                            actor.id,
                            &content,
                            &effective_from,
                            &reason,
                        )?;
                        store::insert_ob2_badge(tx, key, id, &at)?;
                        record(
                            tx,
                            actor,
                            "microcredential",
                            &id.to_string(),
                            "archive_ob2",
                            None::<()>,
                            Some(&serde_json::json!({
                                "badge": key,
                                "slug": slug,
                                "title": content.title,
                                "effective_from": effective_from,
                                "reason": reason,
                            })),
                        )?;
                        archived.push(ArchivedBadge {
                            badge: key.to_string(),
                            slug: slug.clone(),
                            title: content.title.clone(),
                        });
                        let awarding = Awarding {
                            proposal_id: id,
                            title: content.title.clone(),
                            slug,
                            version: 1,
                            languages: content.languages(),
                            content: content.localized(&language),
                            language,
                            badge_png,
                        };
                        archives.insert(key.to_string(), Archive::Made(awarding));
                    }
                }
                if let Some(id) = &r.assertion_id {
                    if let Some(award) = store::ob2_imported(tx, id)? {
                        rows[r.row].skipped = Some(format!("imported already as award {award}"));
                        continue;
                    }
                }
                let awarding = match r.slug.strip_prefix(ARCHIVE) {
                    Some(key) => match archives.get(key) {
                        Some(Archive::Made(a)) => a,
                        _ => {
                            return Err(AppError::new(
                                crate::ErrorKind::Internal,
                                format!("the archived microcredential of {key} was not made"),
                            ))
                        }
                    },
                    None => &awardings[&r.slug],
                };
                let report = self.sign_and_store(
                    tx,
                    actor,
                    awarding,
                    std::slice::from_ref(&r.learner),
                    None,
                )?;
                let Some(issued) = report.rows.into_iter().next() else {
                    continue;
                };
                if !issued.new {
                    rows[r.row].skipped = Some(format!(
                        "the learner already holds it for that day (award {})",
                        issued.award.id
                    ));
                    continue;
                }
                credence_store::blobs::put(
                    tx,
                    &r.sha256,
                    "application/octet-stream",
                    &r.bytes,
                    &at,
                )?;
                store::insert_ob2_import(
                    tx,
                    &issued.award.id,
                    r.assertion_id.as_deref(),
                    &rows[r.row].file,
                    &r.sha256,
                    &rows[r.row].checked,
                    &at,
                )?;
                record(
                    tx,
                    actor,
                    "award",
                    &issued.award.id,
                    "import_ob2",
                    None::<()>,
                    Some(&serde_json::json!({
                        "assertion": r.assertion_id,
                        "file": rows[r.row].file,
                        "sha256": r.sha256,
                        "checked": rows[r.row].checked,
                    })),
                )?;
                rows[r.row].microcredential = Some(awarding.slug.clone());
                rows[r.row].award_id = Some(issued.award.id);
            }
            Ok((rows, archived))
        })?;
        let (rows, archived) = rows;
        let imported = rows.iter().filter(|r| r.award_id.is_some()).count() as u32;
        Ok(Ob2ImportReport {
            archived,
            imported,
            skipped: rows.len() as u32 - imported,
            documents,
            rows,
        })
    }
}

fn rows_file(rows: &[Ob2Row], i: usize) -> String {
    rows.get(i).map(|r| r.file.clone()).unwrap_or_default()
}
