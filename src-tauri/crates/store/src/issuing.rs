//! Awarding: issuer keys, microcredential slugs, status lists and awards (see
//! `migrations/0005_issuing.sql`). On [`crate::sql::Sql`].

use std::borrow::Cow;

use crate::args;
use crate::sql::{Columns, Engine, Sql};
use crate::{Result, StoreError};
use credence_domain::award::{Award, LearnerInput, Microcredential};
use credence_domain::Id;

/// An issuer key as stored; `sealed` is the JSON of a `credence_vc::keys::SealedKey`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerKeyRow {
    pub id: Id,
    pub did: String,
    pub public_key: String,
    pub sealed: String,
    pub created_at: String,
    pub retired_at: Option<String>,
    /// The issuance event the key was made for (in the workspace that exported it): such a
    /// key never signs the institution's own credentials.
    pub event_id: Option<String>,
}

fn key_row(r: &dyn Columns) -> Result<IssuerKeyRow> {
    Ok(IssuerKeyRow {
        id: r.get(0)?,
        did: r.get(1)?,
        public_key: r.get(2)?,
        sealed: r.get(3)?,
        created_at: r.get(4)?,
        retired_at: r.get(5)?,
        event_id: r.get(6)?,
    })
}

const KEY_COLUMNS: &str = "id, did, public_key, sealed, created_at, retired_at, event_id";

/// Every issuer key, newest first.
pub fn issuer_keys(db: &dyn Sql) -> Result<Vec<IssuerKeyRow>> {
    db.map(
        &format!("SELECT {KEY_COLUMNS} FROM issuer_key ORDER BY id DESC"),
        args![],
        key_row,
    )
}

/// The key that signs new credentials.
pub fn current_issuer_key(db: &dyn Sql) -> Result<Option<IssuerKeyRow>> {
    db.map_opt(
        &format!(
            "SELECT {KEY_COLUMNS}
         FROM issuer_key
         WHERE retired_at IS NULL AND event_id IS NULL
         ORDER BY id DESC LIMIT 1"
        ),
        args![],
        key_row,
    )
}

/// Adds a key and retires the one it replaces (never an event's); returns the new key's id.
pub fn insert_issuer_key(
    db: &dyn Sql,
    did: &str,
    public_key: &str,
    sealed: &str,
    at: &str,
) -> Result<Id> {
    db.execute(
        "UPDATE issuer_key SET retired_at = ?1 WHERE retired_at IS NULL AND event_id IS NULL",
        args![at],
    )?;
    db.map_one(
        "INSERT INTO issuer_key (did, public_key, sealed, created_at) VALUES (?1, ?2, ?3, ?4)
         RETURNING id",
        args![did, public_key, sealed, at],
        |r| r.get(0),
    )
}

/// Replaces a key's sealed form (re-sealed under a new passphrase).
pub fn reseal_issuer_key(db: &dyn Sql, id: Id, sealed: &str) -> Result<()> {
    db.execute(
        "UPDATE issuer_key SET sealed = ?2 WHERE id = ?1",
        args![id, sealed],
    )?;
    Ok(())
}

// ----- microcredentials -----

/// Microcredentials learners may be awarded now (active or in teach-out), with their slug
/// and current version, by title.
pub fn active_microcredentials(db: &dyn Sql) -> Result<Vec<Microcredential>> {
    db.map(
        "SELECT p.id, m.slug, p.title, p.version FROM proposal p
         JOIN microcredential m ON m.proposal_id = p.id
         WHERE p.status = 'active' AND m.status IN ('active', 'teach_out') ORDER BY p.title, p.id",
        args![],
        |r| {
            Ok(Microcredential {
                proposal_id: r.get(0)?,
                slug: r.get(1)?,
                title: r.get(2)?,
                version: r.get(3)?,
            })
        },
    )
}

pub fn slug_of(db: &dyn Sql, proposal: Id) -> Result<Option<String>> {
    db.map_opt(
        "SELECT slug FROM microcredential WHERE proposal_id = ?1",
        args![proposal],
        |r| r.get(0),
    )
}

pub fn proposal_by_slug(db: &dyn Sql, slug: &str) -> Result<Option<Id>> {
    db.map_opt(
        "SELECT proposal_id FROM microcredential WHERE slug = ?1",
        args![slug],
        |r| r.get(0),
    )
}

pub fn slug_taken(db: &dyn Sql, slug: &str) -> Result<bool> {
    Ok(db
        .map_opt(
            "SELECT 1 FROM microcredential WHERE slug = ?1",
            args![slug],
            |_| Ok(()),
        )?
        .is_some())
}

/// A microcredential's own record: its status, since when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifeRow {
    pub proposal_id: Id,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub status_since: Option<String>,
    pub status_reason: Option<String>,
    pub teach_out_until: Option<String>,
    pub last_reviewed_on: Option<String>,
    /// The unit of the proposal that became it.
    pub unit_id: Option<Id>,
}

const LIFE: &str =
    "SELECT m.proposal_id, m.slug, p.title, m.status, m.status_since, m.status_reason,
            m.teach_out_until, m.last_reviewed_on, p.unit_id
     FROM microcredential m JOIN proposal p ON p.id = m.proposal_id";

fn life_row(r: &dyn Columns) -> Result<LifeRow> {
    Ok(LifeRow {
        proposal_id: r.get(0)?,
        slug: r.get(1)?,
        title: r.get(2)?,
        status: r.get(3)?,
        status_since: r.get(4)?,
        status_reason: r.get(5)?,
        teach_out_until: r.get(6)?,
        last_reviewed_on: r.get(7)?,
        unit_id: r.get(8)?,
    })
}

/// Records the day a periodic review renewed a microcredential.
pub fn set_reviewed(db: &dyn Sql, proposal: Id, on: &str) -> Result<()> {
    db.execute(
        "UPDATE microcredential SET last_reviewed_on = ?2 WHERE proposal_id = ?1",
        args![proposal, on],
    )?;
    Ok(())
}

/// Counts by a label (a year, a reason).
pub type Counts = Vec<(String, i64)>;

/// Awards per calendar year (issued), and revocations by reason, of one microcredential.
pub fn award_figures(db: &dyn Sql, proposal: Id) -> Result<(Counts, Counts)> {
    let years = db.map(
        "SELECT substr(issued_at, 1, 4), COUNT(*) FROM award WHERE proposal_id = ?1
         GROUP BY 1 ORDER BY 1",
        args![proposal],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let reasons = db.map(
        "SELECT COALESCE(revoked_reason, ''), COUNT(*) FROM award
         WHERE proposal_id = ?1 AND revoked_at IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1",
        args![proposal],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((years, reasons))
}

/// Every microcredential, by title.
pub fn lives(db: &dyn Sql) -> Result<Vec<LifeRow>> {
    db.map(&format!("{LIFE} ORDER BY p.title, p.id"), args![], life_row)
}

/// Every microcredential not reviewed after `day` (never reviewed, or last on or before it).
pub fn lives_reviewed_by(db: &dyn Sql, day: &str) -> Result<Vec<LifeRow>> {
    db.map(
        &format!(
            "{LIFE} WHERE m.last_reviewed_on IS NULL OR m.last_reviewed_on <= ?1
             ORDER BY p.title, p.id"
        ),
        args![day],
        life_row,
    )
}

pub fn life(db: &dyn Sql, proposal: Id) -> Result<Option<LifeRow>> {
    db.map_opt(
        &format!("{LIFE} WHERE m.proposal_id = ?1"),
        args![proposal],
        life_row,
    )
}

/// Sets a microcredential's status, since when, why, and the end of its teach-out.
pub fn set_life(
    db: &dyn Sql,
    proposal: Id,
    status: &str,
    since: &str,
    reason: Option<&str>,
    teach_out_until: Option<&str>,
) -> Result<()> {
    db.execute(
        "UPDATE microcredential SET status = ?2, status_since = ?3, status_reason = ?4,
                teach_out_until = ?5 WHERE proposal_id = ?1",
        args![proposal, status, since, reason, teach_out_until],
    )?;
    Ok(())
}

/// A version of a microcredential: its number, when it took effect, and the case whose
/// decision approved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    pub number: i64,
    pub effective_from: String,
    pub case_id: Id,
}

pub fn versions(db: &dyn Sql, proposal: Id) -> Result<Vec<VersionRow>> {
    db.map(
        "SELECT number, effective_from, case_id FROM microcredential_version
         WHERE proposal_id = ?1 ORDER BY number",
        args![proposal],
        |r| {
            Ok(VersionRow {
                number: r.get(0)?,
                effective_from: r.get(1)?,
                case_id: r.get(2)?,
            })
        },
    )
}

/// A microcredential's version in effect, as lists of every microcredential read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InEffect {
    pub proposal_id: Id,
    pub version: VersionRow,
    /// Its review cycle in years as frozen with it; `None` when the build that recorded the
    /// version kept no content (its case's history holds it).
    pub review_cycle_years: Option<Option<u32>>,
}

/// Every microcredential's version in effect on `day` (the latest whose day has come;
/// before any has, the first): one query for every microcredential, its review cycle read
/// from the column beside the frozen content (lists do not fetch and parse thousands of
/// whole proposals).
/// With `from_on_or_before`, only those that took effect on or before that day.
pub fn versions_in_effect(
    db: &dyn Sql,
    day: &str,
    from_on_or_before: Option<&str>,
) -> Result<Vec<InEffect>> {
    let rows: Vec<(Id, VersionRow, Option<i64>, i64)> = db.map(
        "SELECT v.proposal_id, v.number, v.effective_from, v.case_id, v.review_cycle_years,
                CAST(CASE WHEN v.content_json IS NULL THEN 0 ELSE 1 END AS BIGINT)
         FROM microcredential_version v
         WHERE (v.effective_from <= ?2 OR ?2 IS NULL)
           AND v.number = COALESCE(
             (SELECT MAX(w.number) FROM microcredential_version w
              WHERE w.proposal_id = v.proposal_id AND w.effective_from <= ?1),
             (SELECT MIN(w.number) FROM microcredential_version w
              WHERE w.proposal_id = v.proposal_id))",
        args![day, from_on_or_before],
        |r| {
            Ok((
                r.get(0)?,
                VersionRow {
                    number: r.get(1)?,
                    effective_from: r.get(2)?,
                    case_id: r.get(3)?,
                },
                r.get(4)?,
                r.get(5)?,
            ))
        },
    )?;
    Ok(rows
        .into_iter()
        .map(|(proposal_id, version, cycle, recorded)| InEffect {
            proposal_id,
            version,
            review_cycle_years: (recorded == 1).then(|| cycle.and_then(|y| u32::try_from(y).ok())),
        })
        .collect())
}

/// Records a version, frozen with its content.
pub fn insert_version(
    db: &dyn Sql,
    proposal: Id,
    number: i64,
    effective_from: &str,
    case_id: Id,
    content: &credence_domain::proposal::ProposalContent,
) -> Result<()> {
    let json = serde_json::to_string(content).map_err(|e| StoreError::Decode(e.to_string()))?;
    let cycle = content.review_cycle_years.map(i64::from);
    db.execute(
        "INSERT INTO microcredential_version
             (proposal_id, number, effective_from, case_id, content_json, review_cycle_years)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
        args![proposal, number, effective_from, case_id, json, cycle],
    )?;
    Ok(())
}

/// A version's frozen content (read leniently: fields a later build added are ignored, ones
/// it lacks take their defaults).
pub fn version_content(
    db: &dyn Sql,
    proposal: Id,
    number: i64,
) -> Result<Option<credence_domain::proposal::ProposalContent>> {
    let json: Option<Option<String>> = db.map_opt(
        "SELECT content_json FROM microcredential_version WHERE proposal_id = ?1 AND number = ?2",
        args![proposal, number],
        |r| r.get(0),
    )?;
    json.flatten()
        .map(|j| crate::proposals::content_from(&j))
        .transpose()
}

/// How many awards each version of a microcredential has had (revoked ones included).
pub fn awards_per_version(db: &dyn Sql, proposal: Id) -> Result<Vec<(i64, i64)>> {
    db.map(
        "SELECT version, COUNT(*)
         FROM award
         WHERE proposal_id = ?1
         GROUP BY version
         ORDER BY version",
        args![proposal],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Moves a version's effective date (the demo backdates its microcredential's history).
pub fn set_version_effective(
    db: &dyn Sql,
    proposal: Id,
    number: i64,
    effective_from: &str,
) -> Result<()> {
    db.execute(
        "UPDATE microcredential_version
         SET effective_from = ?3
         WHERE proposal_id = ?1 AND number = ?2",
        args![proposal, number, effective_from],
    )?;
    db.execute(
        "UPDATE microcredential SET status_since = ?2 WHERE proposal_id = ?1 AND status = 'active'
           AND NOT EXISTS (SELECT 1 FROM microcredential_version
                            WHERE proposal_id = ?1 AND number < ?3)",
        args![proposal, effective_from, number],
    )?;
    Ok(())
}

pub fn insert_slug(db: &dyn Sql, proposal: Id, slug: &str) -> Result<()> {
    db.execute(
        "INSERT INTO microcredential (proposal_id, slug) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        args![proposal, slug],
    )?;
    Ok(())
}

// ----- status lists -----

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusListRow {
    pub id: Id,
    pub issuer_key_id: Id,
    pub size: i64,
    pub next_index: i64,
}

fn list_row(r: &dyn Columns) -> Result<StatusListRow> {
    Ok(StatusListRow {
        id: r.get(0)?,
        issuer_key_id: r.get(1)?,
        size: r.get(2)?,
        next_index: r.get(3)?,
    })
}

pub fn status_lists(db: &dyn Sql) -> Result<Vec<StatusListRow>> {
    db.map(
        "SELECT id, issuer_key_id, size, next_index FROM status_list ORDER BY id",
        args![],
        list_row,
    )
}

pub fn status_list(db: &dyn Sql, id: Id) -> Result<Option<StatusListRow>> {
    db.map_opt(
        "SELECT id, issuer_key_id, size, next_index FROM status_list WHERE id = ?1",
        args![id],
        list_row,
    )
}

/// The next free entry of the key's newest list that has room, opening a new list of
/// `size` entries when none has. Returns (list id, index).
pub fn allocate_status(db: &dyn Sql, issuer_key: Id, size: i64) -> Result<(Id, i64)> {
    allocate_statuses(db, issuer_key, size, 1)?
        .pop()
        .ok_or_else(|| StoreError::Backend("no status entry was allocated".into()))
}

/// `count` free entries in order, as `allocate_status` would give them one by one: the rest
/// of the key's newest list that has room, then new lists of `size` entries. One statement
/// per list touched, not two per entry.
pub fn allocate_statuses(
    db: &dyn Sql,
    issuer_key: Id,
    size: i64,
    count: usize,
) -> Result<Vec<(Id, i64)>> {
    if size <= 0 {
        return Err(StoreError::Backend(format!(
            "a status list of {size} entries"
        )));
    }
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let open = db.map_opt(
            "SELECT id, issuer_key_id, size, next_index FROM status_list
                 WHERE issuer_key_id = ?1 AND next_index < size ORDER BY id DESC LIMIT 1",
            args![issuer_key],
            list_row,
        )?;
        let list = match open {
            Some(l) => l,
            None => StatusListRow {
                id: db.map_one(
                    "INSERT INTO status_list (issuer_key_id, size) VALUES (?1, ?2) RETURNING id",
                    args![issuer_key, size],
                    |r| r.get(0),
                )?,
                issuer_key_id: issuer_key,
                size,
                next_index: 0,
            },
        };
        let wanted = i64::try_from(count - out.len()).unwrap_or(i64::MAX);
        let take = (list.size - list.next_index).min(wanted);
        db.execute(
            "UPDATE status_list SET next_index = next_index + ?2 WHERE id = ?1",
            args![list.id, take],
        )?;
        out.extend((list.next_index..list.next_index + take).map(|index| (list.id, index)));
    }
    Ok(out)
}

/// The revoked entries of a list.
pub fn revoked_indexes(db: &dyn Sql, list: Id) -> Result<Vec<i64>> {
    db.map(
        "SELECT status_index FROM award WHERE status_list_id = ?1 AND revoked_at IS NOT NULL",
        args![list],
        |r| r.get(0),
    )
}

// ----- awards -----

/// What is stored for a new award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAward<'a> {
    pub id: &'a str,
    pub proposal_id: Id,
    pub version: i64,
    pub learner_name: &'a str,
    pub learner_email: &'a str,
    pub learner_did: Option<&'a str>,
    pub completed_on: &'a str,
    pub grade: Option<&'a str>,
    pub evidence_url: Option<&'a str>,
    pub evidence_note: Option<&'a str>,
    pub credential_id: &'a str,
    pub credential: StoredCredential<'a>,
    /// The badge image the credential carries, kept once (`keep_image`): stored apart from
    /// the credential where its text is found there.
    pub image: Option<&'a KeptImage>,
    pub issuer_key_id: Id,
    pub status_list_id: Id,
    pub status_index: i64,
    pub issued_at: &'a str,
    pub issued_by: Option<Id>,
    /// The batch that issued it, where one did.
    pub batch_id: Option<&'a str>,
    /// Revoked already (an award an event revoked, brought in by a merge).
    pub revoked: Option<(&'a str, &'a str)>,
    /// The award that supersedes it, which may come later in the same transaction (foreign
    /// keys are then deferred by the caller).
    pub superseded_by: Option<&'a str>,
    /// The credential's `validUntil`, where it has one (`valid_until_of`).
    pub valid_until: Option<&'a str>,
}

/// The `validUntil` of a signed credential's JSON, where it has one: only that member is
/// kept, the rest skipped over.
pub fn valid_until_of(credential_json: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Signed {
        #[serde(rename = "validUntil")]
        valid_until: Option<serde_json::Value>,
    }
    match serde_json::from_str::<Signed>(credential_json)
        .ok()?
        .valid_until?
    {
        serde_json::Value::String(until) => Some(until),
        _ => None,
    }
}

/// A badge image kept once in the workspace (migration 0019), for the awards whose
/// credentials carry it: named by [`KeptImage::of`], kept by [`keep_image`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptImage {
    hash: String,
    data_uri: String,
}

/// An image shorter than this stays inside each credential (a link, a tiny picture).
const KEPT_IMAGE_MIN: usize = 1024;

impl KeptImage {
    /// A credential's badge image (a `data:` URI) named by its SHA-256, before it is kept;
    /// `None` for an image too short to be worth keeping apart.
    pub fn of(data_uri: &str) -> Option<KeptImage> {
        (data_uri.len() >= KEPT_IMAGE_MIN).then(|| KeptImage {
            hash: credence_domain::attachment::sha256_hex(data_uri.as_bytes()),
            data_uri: data_uri.to_string(),
        })
    }
}

/// Keeps a credential's badge image once, for [`insert_award`] to store each credential
/// without it.
pub fn keep_image(db: &dyn Sql, image: &KeptImage) -> Result<()> {
    db.execute(
        "INSERT INTO credential_image (hash, data_uri) VALUES (?1, ?2)
         ON CONFLICT (hash) DO NOTHING",
        args![image.hash, image.data_uri],
    )?;
    Ok(())
}

/// A signed credential split around the badge image it carries, made by [`image_apart`]
/// (on any thread: a batch splits its credentials on every core, not on the one storing
/// them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageApart {
    /// The credential without the image, and where the image was.
    rest: String,
    at: usize,
    /// The image's SHA-256: the [`KeptImage`] it was split around.
    image_hash: String,
}

/// A new award's credential as given to [`insert_award`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredCredential<'a> {
    /// As signed; the image kept once ([`NewAward::image`]) is taken out where it is found.
    Whole(&'a str),
    /// Split beforehand around the image kept once, which must be that one.
    Apart(&'a ImageApart),
}

/// The columns a signed credential is read back from (an award aliased `a`): its stored
/// text, where its image was taken out, and that image; [`whole_credential`] joins them.
pub(crate) const CREDENTIAL_COLUMNS: &str = "a.credential_json, a.image_at,
    (SELECT i.data_uri FROM credential_image i WHERE i.hash = a.image_hash)";

/// A signed credential exactly as issued, from [`CREDENTIAL_COLUMNS`] starting at `from`.
pub(crate) fn whole_credential(r: &dyn Columns, from: usize) -> Result<String> {
    let stored: String = r.get(from)?;
    let at: Option<i64> = r.get(from + 1)?;
    let image: Option<String> = r.get(from + 2)?;
    let Some(at) = at else {
        return Ok(stored);
    };
    let at = usize::try_from(at)
        .ok()
        .filter(|at| stored.is_char_boundary(*at));
    match (at, image) {
        (Some(at), Some(image)) => Ok([&stored[..at], image.as_str(), &stored[at..]].concat()),
        _ => Err(StoreError::Decode(
            "an award's credential names a badge image that is not stored with it".into(),
        )),
    }
}

/// Where `long` first occurs in `text`: found by its first few characters, then compared
/// whole (a searcher made for a needle of kilobytes cost more than the insert it served).
fn find_long(text: &str, long: &str) -> Option<usize> {
    let mut head = long.len().min(64);
    while !long.is_char_boundary(head) {
        head -= 1;
    }
    let head = &long[..head];
    let mut from = 0;
    while let Some(found) = text[from..].find(head) {
        let at = from + found;
        if text[at..].starts_with(long) {
            return Some(at);
        }
        from = at + head.len();
    }
    None
}

/// A signed credential split around the badge image `image` it carries, for
/// [`insert_award`] ([`StoredCredential::Apart`]); `None` where it does not carry it.
pub fn image_apart(credential_json: &str, image: &KeptImage) -> Option<ImageApart> {
    let (rest, at) = split_image(credential_json, &image.data_uri)?;
    Some(ImageApart {
        rest,
        at,
        image_hash: image.hash.clone(),
    })
}

fn split_image(credential_json: &str, data_uri: &str) -> Option<(String, usize)> {
    let at = find_long(credential_json, data_uri)?;
    let rest = [
        &credential_json[..at],
        &credential_json[at + data_uri.len()..],
    ]
    .concat();
    Some((rest, at))
}

/// The text stored for a credential, and the image taken out of it (its hash, and where it
/// was), where one was.
type StoredText<'a> = (Cow<'a, str>, Option<(&'a str, usize)>);

/// What [`insert_award`] stores of a credential: without the kept image where it carries it
/// (split here, or beforehand around that same image), else whole.
fn stored_text<'a>(
    credential: StoredCredential<'a>,
    image: Option<&'a KeptImage>,
) -> Result<StoredText<'a>> {
    Ok(match (credential, image) {
        (StoredCredential::Apart(apart), Some(image)) if apart.image_hash == image.hash => (
            Cow::Borrowed(apart.rest.as_str()),
            Some((image.hash.as_str(), apart.at)),
        ),
        (StoredCredential::Apart(_), _) => {
            return Err(StoreError::Decode(
                "a credential was split around another badge image than the one kept".into(),
            ))
        }
        (StoredCredential::Whole(json), Some(image)) => match split_image(json, &image.data_uri) {
            Some((rest, at)) => (Cow::Owned(rest), Some((image.hash.as_str(), at))),
            None => (Cow::Borrowed(json), None),
        },
        (StoredCredential::Whole(json), None) => (Cow::Borrowed(json), None),
    })
}

/// Stores an award; `issued_by` only where that person exists here.
pub fn insert_award(db: &dyn Sql, a: &NewAward) -> Result<()> {
    // The credential without its image where the image is found in it (migration 0019).
    let (credential_json, image) = stored_text(a.credential, a.image)?;
    let image_hash = image.map(|(hash, _)| hash);
    let image_at = image
        .map(|(_, at)| i64::try_from(at))
        .transpose()
        .map_err(|e| StoreError::Decode(e.to_string()))?;
    let credential_json: &str = &credential_json;
    db.execute(
        "INSERT INTO award (id, proposal_id, version, learner_name, learner_email, learner_did,
            completed_on, grade, evidence_url, evidence_note, credential_id, credential_json,
            issuer_key_id, status_list_id, status_index, issued_at, issued_by, batch_id,
            revoked_at, revoked_reason, superseded_by, valid_until, image_hash, image_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                 (SELECT id FROM person WHERE id = ?17), ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
        args![
            a.id,
            a.proposal_id,
            a.version,
            a.learner_name,
            a.learner_email,
            a.learner_did,
            a.completed_on,
            a.grade,
            a.evidence_url,
            a.evidence_note,
            a.credential_id,
            credential_json,
            a.issuer_key_id,
            a.status_list_id,
            a.status_index,
            a.issued_at,
            a.issued_by,
            a.batch_id,
            a.revoked.map(|r| r.0),
            a.revoked.map(|r| r.1),
            a.superseded_by,
            a.valid_until,
            image_hash,
            image_at
        ],
    )?;
    Ok(())
}

/// An award's columns as `award_row` reads them, with the SQL for the current UTC time in
/// the form `valid_until` is stored in (engines spell it differently), and the
/// microcredential's title and the issuer's DID as the query reaches them.
macro_rules! award_columns {
    ($title:literal, $did:literal, $now:literal) => {
        concat!(
            "a.id, a.proposal_id, ",
            $title,
            ", a.version, a.learner_name,
    a.learner_email, a.completed_on, a.credential_id, ",
            $did,
            ", a.issued_at, a.revoked_at,
    a.revoked_reason, a.superseded_by,
    (SELECT s.id FROM award s WHERE s.superseded_by = a.id),
    a.valid_until, a.renewal_of,
    (SELECT r.id FROM award r WHERE r.renewal_of = a.id AND r.revoked_at IS NULL
     ORDER BY r.issued_at DESC LIMIT 1),
    CASE WHEN a.valid_until <= ",
            $now,
            " THEN 1 ELSE 0 END,
    EXISTS (SELECT 1 FROM prior_learning l WHERE l.award_id = a.id),
    EXISTS (SELECT 1 FROM ob2_import o WHERE o.award_id = a.id)"
        )
    };
}

/// The columns read from `AWARD_FROM` (the title and DID joined).
fn award_columns(db: &dyn Sql) -> &'static str {
    match db.engine() {
        Engine::Sqlite => {
            award_columns!("p.title", "k.did", "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')")
        }
        Engine::Postgres => award_columns!(
            "p.title",
            "k.did",
            "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        ),
    }
}

/// The columns read from `award a` alone, the title and DID looked up by their ids: for
/// statements run once per award (a batch's manifest asks one per learner), which SQLite
/// would otherwise plan again on every run, the join's plan depending on the id bound.
fn award_columns_alone(db: &dyn Sql) -> &'static str {
    match db.engine() {
        Engine::Sqlite => award_columns!(
            "(SELECT p.title FROM proposal p WHERE p.id = a.proposal_id)",
            "(SELECT k.did FROM issuer_key k WHERE k.id = a.issuer_key_id)",
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        ),
        Engine::Postgres => award_columns!(
            "(SELECT p.title FROM proposal p WHERE p.id = a.proposal_id)",
            "(SELECT k.did FROM issuer_key k WHERE k.id = a.issuer_key_id)",
            "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        ),
    }
}

const AWARD_FROM: &str = "award a JOIN proposal p ON p.id = a.proposal_id
    JOIN issuer_key k ON k.id = a.issuer_key_id";

fn award_row(r: &dyn Columns) -> Result<Award> {
    Ok(Award {
        id: r.get(0)?,
        proposal_id: r.get(1)?,
        microcredential: r.get(2)?,
        version: r.get(3)?,
        learner_name: r.get(4)?,
        learner_email: r.get(5)?,
        completed_on: r.get(6)?,
        credential_id: r.get(7)?,
        issuer_did: r.get(8)?,
        issued_at: r.get(9)?,
        revoked_at: r.get(10)?,
        revoked_reason: r.get(11)?,
        superseded_by: r.get(12)?,
        supersedes: r.get(13)?,
        valid_until: r.get(14)?,
        renewal_of: r.get(15)?,
        renewed_by: r.get(16)?,
        expired: r.get(17)?,
        by_recognition: r.get(18)?,
        imported: r.get(19)?,
        renewable: false,
    }
    .with_renewable())
}

/// Every award of a learner's (lower-cased) email.
pub fn awards_of_email(db: &dyn Sql, email: &str) -> Result<Vec<Award>> {
    db.map(
        &format!(
            "SELECT {} FROM award a WHERE a.learner_email = ?1 ORDER BY a.issued_at",
            award_columns_alone(db)
        ),
        args![email],
        award_row,
    )
}

/// An award by its id only: one index probe (the `OR` of `award` makes SQLite plan the
/// statement again for each id bound, a tenth of a batch's manifest).
pub fn award_by_id(db: &dyn Sql, id: &str) -> Result<Option<Award>> {
    db.map_opt(
        &format!(
            "SELECT {} FROM award a WHERE a.id = ?1",
            award_columns_alone(db)
        ),
        args![id],
        award_row,
    )
}

/// The awards a batch issued that are not superseded, in one statement (a batch's manifest
/// reads its rows through these, asking one by one only for learners who held theirs before).
pub fn live_awards_of_batch(db: &dyn Sql, batch: &str) -> Result<Vec<Award>> {
    db.map(
        &format!(
            "SELECT {} FROM {AWARD_FROM} WHERE a.batch_id = ?1 AND a.superseded_by IS NULL",
            award_columns(db)
        ),
        args![batch],
        award_row,
    )
}

/// An award by its id or its credential's id.
pub fn award(db: &dyn Sql, id: &str) -> Result<Option<Award>> {
    db.map_opt(
        &format!(
            "SELECT {} FROM award a WHERE a.id = ?1 OR a.credential_id = ?1",
            award_columns_alone(db)
        ),
        args![id],
        award_row,
    )
}

/// The learner row an award was issued from (for a correction to start from).
pub fn award_learner(db: &dyn Sql, award: &str) -> Result<Option<LearnerInput>> {
    db.map_opt(
        "SELECT learner_name, learner_email, learner_did, completed_on, grade, evidence_url,
                    evidence_note FROM award WHERE id = ?1",
        args![award],
        learner_row,
    )
}

/// A learner row from a query's first seven columns: name, email, DID, completion date,
/// grade, evidence URL and note (an absent value read as empty).
fn learner_row(r: &dyn Columns) -> Result<LearnerInput> {
    let text = |i: usize| -> Result<String> { Ok(r.get::<Option<String>>(i)?.unwrap_or_default()) };
    Ok(LearnerInput {
        name: text(0)?,
        email: text(1)?,
        learner_did: text(2)?,
        completed_on: text(3)?,
        grade: text(4)?,
        evidence_url: text(5)?,
        evidence_note: text(6)?,
    })
}

/// What a platform's bulk file needs of each award of a microcredential that is not
/// revoked or superseded (of one batch, where given), oldest first: the learner row, the
/// credential id and the signed credential (for its expiry).
pub fn live_awards_for_export(
    db: &dyn Sql,
    proposal: Id,
    batch: Option<&str>,
) -> Result<Vec<(LearnerInput, String, String)>> {
    db.map(
        &format!(
            "SELECT learner_name, learner_email, learner_did, completed_on, grade, evidence_url,
                evidence_note, credential_id, {CREDENTIAL_COLUMNS}
         FROM award a
         WHERE proposal_id = ?1 AND revoked_at IS NULL AND superseded_by IS NULL
           AND (batch_id = ?2 OR ?2 IS NULL)
         ORDER BY issued_at, rowid"
        ),
        args![proposal, batch],
        |r| Ok((learner_row(r)?, r.get(7)?, whole_credential(r, 8)?)),
    )
}

/// Records that `new` corrects `old` (which the caller revokes in the same transaction).
pub fn set_superseded(db: &dyn Sql, old: &str, new: &str) -> Result<()> {
    db.execute(
        "UPDATE award SET superseded_by = ?2 WHERE id = ?1",
        args![old, new],
    )?;
    Ok(())
}

/// Records that `new` renews `old` (issued in the same transaction).
pub fn set_renewal_of(db: &dyn Sql, new: &str, old: &str) -> Result<()> {
    db.execute(
        "UPDATE award SET renewal_of = ?2 WHERE id = ?1",
        args![new, old],
    )?;
    Ok(())
}

/// The signed credential JSON of an award, exactly as issued.
pub fn credential_json(db: &dyn Sql, award: &str) -> Result<Option<String>> {
    db.map_opt(
        &format!("SELECT {CREDENTIAL_COLUMNS} FROM award a WHERE a.id = ?1"),
        args![award],
        |r| whole_credential(r, 0),
    )
}

/// Awards, newest first, whose learner, email, microcredential or credential id contains
/// `search` (all when empty).
pub fn awards(db: &dyn Sql, search: &str, limit: i64) -> Result<Vec<Award>> {
    // Case-insensitive: SQLite's LIKE is (for ASCII letters), PostgreSQL's ILIKE is.
    let like = match db.engine() {
        Engine::Sqlite => "LIKE",
        Engine::Postgres => "ILIKE",
    };
    let pattern = format!(
        "%{}%",
        search
            .trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    db.map(
        &format!(
            "SELECT {} FROM {AWARD_FROM}
         WHERE ?1 = '%%' OR a.learner_name {like} ?1 ESCAPE '\\'
            OR a.learner_email {like} ?1 ESCAPE '\\' OR p.title {like} ?1 ESCAPE '\\'
            OR a.credential_id {like} ?1 ESCAPE '\\'
         ORDER BY a.issued_at DESC, a.rowid DESC LIMIT ?2",
            award_columns(db)
        ),
        args![pattern, limit],
        award_row,
    )
}

/// Sets (reason given) or clears (None) an award's revocation.
pub fn set_revoked(db: &dyn Sql, award: &str, at_reason: Option<(&str, &str)>) -> Result<()> {
    match at_reason {
        Some((at, reason)) => db.execute(
            "UPDATE award SET revoked_at = ?2, revoked_reason = ?3 WHERE id = ?1",
            args![award, at, reason],
        )?,
        None => db.execute(
            "UPDATE award SET revoked_at = NULL, revoked_reason = NULL WHERE id = ?1",
            args![award],
        )?,
    };
    Ok(())
}

/// The DID of the key a status list belongs to.
pub fn list_issuer_did(db: &dyn Sql, list: Id) -> Result<Option<String>> {
    db.map_opt(
        "SELECT k.did FROM status_list s JOIN issuer_key k ON k.id = s.issuer_key_id
             WHERE s.id = ?1",
        args![list],
        |r| r.get(0),
    )
}

/// A microcredential's awards for a termination's impact: how many, how many revoked, how
/// many issued on or after `since` (YYYY-MM-DD), and the day of the last.
pub fn award_counts(
    db: &dyn Sql,
    proposal: Id,
    since: &str,
) -> Result<(i64, i64, i64, Option<String>)> {
    db.map_one(
        "SELECT COUNT(*), COUNT(revoked_at),
                    COALESCE(SUM(CASE WHEN substr(issued_at, 1, 10) >= ?2 THEN 1 ELSE 0 END), 0),
                    MAX(substr(issued_at, 1, 10))
             FROM award WHERE proposal_id = ?1",
        args![proposal, since],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
}

/// The setting that says how many days ahead "Things to do" shows awards about to expire.
pub const EXPIRY_NOTICE_KEY: &str = "expiry_notice_days";

/// Live awards (neither revoked nor superseded) of one microcredential that expire after
/// `from` and by `until` (RFC 3339 times): how many, and the first of those times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiring {
    pub proposal_id: Id,
    pub title: String,
    pub awards: i64,
    pub first: String,
}

pub fn expiring(db: &dyn Sql, from: &str, until: &str) -> Result<Vec<Expiring>> {
    db.map(
        "SELECT a.proposal_id, p.title, count(*), min(a.valid_until)
         FROM award a JOIN proposal p ON p.id = a.proposal_id
         WHERE a.valid_until > ?1 AND a.valid_until <= ?2
           AND a.revoked_at IS NULL AND a.superseded_by IS NULL
           AND NOT EXISTS (SELECT 1 FROM award r
                           WHERE r.renewal_of = a.id AND r.revoked_at IS NULL)
         GROUP BY a.proposal_id, p.title ORDER BY min(a.valid_until)",
        args![from, until],
        |r| {
            Ok(Expiring {
                proposal_id: r.get(0)?,
                title: r.get(1)?,
                awards: r.get(2)?,
                first: r.get(3)?,
            })
        },
    )
}

// ----- Open Badges 2.0 imports -----

/// Records the assertion an imported award was made from.
pub fn insert_ob2_import(
    db: &dyn Sql,
    award: &str,
    assertion_id: Option<&str>,
    source_name: &str,
    sha256: &str,
    checked: &str,
    at: &str,
) -> Result<()> {
    db.execute(
        "INSERT INTO ob2_import (award_id, assertion_id, source_name, sha256, checked, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        args![award, assertion_id, source_name, sha256, checked, at],
    )?;
    Ok(())
}

/// The award an assertion was imported as, if it was.
/// The archived microcredential an Open Badges 2.0 badge (its id, else its name) became.
pub fn ob2_badge(db: &dyn Sql, badge_key: &str) -> Result<Option<Id>> {
    db.map_opt(
        "SELECT proposal_id FROM ob2_badge WHERE badge_key = ?1",
        args![badge_key],
        |r| r.get(0),
    )
}

/// Every badge archived by an import: its key, its microcredential's slug and id.
pub fn ob2_badges(db: &dyn Sql) -> Result<Vec<(String, String, Id)>> {
    db.map(
        "SELECT b.badge_key, m.slug, m.proposal_id FROM ob2_badge b
           JOIN microcredential m ON m.proposal_id = b.proposal_id ORDER BY b.badge_key",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

pub fn insert_ob2_badge(db: &dyn Sql, badge_key: &str, proposal: Id, at: &str) -> Result<()> {
    db.execute(
        "INSERT INTO ob2_badge (badge_key, proposal_id, created_at) VALUES (?1, ?2, ?3)",
        args![badge_key, proposal, at],
    )?;
    Ok(())
}

pub fn ob2_imported(db: &dyn Sql, assertion_id: &str) -> Result<Option<String>> {
    db.map_opt(
        "SELECT award_id FROM ob2_import WHERE assertion_id = ?1",
        args![assertion_id],
        |r| r.get(0),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_text_is_found_where_it_first_occurs_whole() {
        let long = format!("data:image/png;base64,{}", "QUJD".repeat(100));
        // The image's first characters occur before it, and it occurs twice.
        let text = format!(
            "{{\"a\":\"{}\",\"b\":\"Zoë\",\"image\":\"{long}\",\"c\":\"{long}\"}}",
            &long[..200]
        );
        let at = super::find_long(&text, &long).unwrap();
        assert_eq!(&text[at..at + long.len()], long);
        assert!(text[..at].contains("Zoë"));
        assert_eq!(text[..at].matches(&long[..200]).count(), 1);
        assert_eq!(super::find_long("no image here", &long), None);
        assert_eq!(super::find_long(&long[..300], &long), None);
    }

    #[test]
    fn a_credential_is_stored_without_the_kept_image_split_here_or_around_that_image() {
        use super::{image_apart, stored_text, KeptImage, StoredCredential};
        use std::borrow::Cow;
        let long = format!("data:image/png;base64,{}", "QUJD".repeat(400));
        let other_image = long.replace("QUJD", "REVG");
        let text = format!("{{\"name\":\"Zoë\",\"image\":\"{long}\",\"id\":\"urn:uuid:1\"}}");
        let kept = KeptImage::of(&long).unwrap();
        let (rest, at) = (text.replace(&long, ""), text.find(&long).unwrap());
        // Split here or beforehand: the same text, the image's hash and place.
        let apart = image_apart(&text, &kept).unwrap();
        let (stored, image) = stored_text(StoredCredential::Apart(&apart), Some(&kept)).unwrap();
        assert!(matches!(stored, Cow::Borrowed(_)));
        assert_eq!(
            (stored.as_ref(), image),
            (rest.as_str(), Some((kept.hash.as_str(), at)))
        );
        let (stored, image) = stored_text(StoredCredential::Whole(&text), Some(&kept)).unwrap();
        assert_eq!(
            (stored.as_ref(), image),
            (rest.as_str(), Some((kept.hash.as_str(), at)))
        );
        // Split around another image than the one kept: refused, nothing stored.
        let another = KeptImage::of(&other_image).unwrap();
        assert!(stored_text(StoredCredential::Apart(&apart), Some(&another)).is_err());
        assert!(stored_text(StoredCredential::Apart(&apart), None).is_err());
        // A credential without the kept image, or with no image kept: whole.
        assert!(image_apart(&text, &another).is_none());
        for image in [Some(&another), None] {
            let (stored, taken) = stored_text(StoredCredential::Whole(&text), image).unwrap();
            assert_eq!((stored.as_ref(), taken), (text.as_str(), None));
        }
        assert!(KeptImage::of(&long[..100]).is_none(), "too short to keep");
    }
}
