//! Awarding: issuer keys, microcredential slugs, status lists and awards (see
//! `migrations/0005_issuing.sql`).

use credence_domain::award::{Award, LearnerInput, Microcredential};
use credence_domain::Id;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::{Result, StoreError};

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

fn key_row(r: &Row) -> rusqlite::Result<IssuerKeyRow> {
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
pub fn issuer_keys(conn: &Connection) -> Result<Vec<IssuerKeyRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {KEY_COLUMNS} FROM issuer_key ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([], key_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The key that signs new credentials.
pub fn current_issuer_key(conn: &Connection) -> Result<Option<IssuerKeyRow>> {
    Ok(conn.prepare_cached(&format!(
                "SELECT {KEY_COLUMNS} FROM issuer_key WHERE retired_at IS NULL AND event_id IS NULL ORDER BY id DESC LIMIT 1"
            ))?.query_row([], key_row)
        .optional()?)
}

/// Adds a key and retires the one it replaces (never an event's); returns the new key's id.
pub fn insert_issuer_key(
    conn: &Connection,
    did: &str,
    public_key: &str,
    sealed: &str,
    at: &str,
) -> Result<Id> {
    conn.prepare_cached(
        "UPDATE issuer_key SET retired_at = ?1 WHERE retired_at IS NULL AND event_id IS NULL",
    )?
    .execute(params![at])?;
    conn.prepare_cached(
        "INSERT INTO issuer_key (did, public_key, sealed, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![did, public_key, sealed, at])?;
    Ok(conn.last_insert_rowid())
}

/// Replaces a key's sealed form (re-sealed under a new passphrase).
pub fn reseal_issuer_key(conn: &Connection, id: Id, sealed: &str) -> Result<()> {
    conn.prepare_cached("UPDATE issuer_key SET sealed = ?2 WHERE id = ?1")?
        .execute(params![id, sealed])?;
    Ok(())
}

// ----- microcredentials -----

/// Microcredentials learners may be awarded now (active or in teach-out), with their slug
/// and current version, by title.
pub fn active_microcredentials(conn: &Connection) -> Result<Vec<Microcredential>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, m.slug, p.title, p.version FROM proposal p
         JOIN microcredential m ON m.proposal_id = p.id
         WHERE p.status = 'active' AND m.status IN ('active', 'teach_out') ORDER BY p.title, p.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Microcredential {
            proposal_id: r.get(0)?,
            slug: r.get(1)?,
            title: r.get(2)?,
            version: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn slug_of(conn: &Connection, proposal: Id) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT slug FROM microcredential WHERE proposal_id = ?1")?
        .query_row([proposal], |r| r.get(0))
        .optional()?)
}

pub fn proposal_by_slug(conn: &Connection, slug: &str) -> Result<Option<Id>> {
    Ok(conn
        .prepare_cached("SELECT proposal_id FROM microcredential WHERE slug = ?1")?
        .query_row([slug], |r| r.get(0))
        .optional()?)
}

pub fn slug_taken(conn: &Connection, slug: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM microcredential WHERE slug = ?1")?
        .query_row([slug], |_| Ok(()))
        .optional()?
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

fn life_row(r: &rusqlite::Row) -> rusqlite::Result<LifeRow> {
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
pub fn set_reviewed(conn: &Connection, proposal: Id, on: &str) -> Result<()> {
    conn.prepare_cached("UPDATE microcredential SET last_reviewed_on = ?2 WHERE proposal_id = ?1")?
        .execute(params![proposal, on])?;
    Ok(())
}

/// Counts by a label (a year, a reason).
pub type Counts = Vec<(String, i64)>;

/// Awards per calendar year (issued), and revocations by reason, of one microcredential.
pub fn award_figures(conn: &Connection, proposal: Id) -> Result<(Counts, Counts)> {
    let mut stmt = conn.prepare_cached(
        "SELECT substr(issued_at, 1, 4), COUNT(*) FROM award WHERE proposal_id = ?1
         GROUP BY 1 ORDER BY 1",
    )?;
    let years = stmt
        .query_map([proposal], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(revoked_reason, ''), COUNT(*) FROM award
         WHERE proposal_id = ?1 AND revoked_at IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1",
    )?;
    let reasons = stmt
        .query_map([proposal], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((years, reasons))
}

/// Every microcredential, by title.
pub fn lives(conn: &Connection) -> Result<Vec<LifeRow>> {
    let mut stmt = conn.prepare_cached(&format!("{LIFE} ORDER BY p.title, p.id"))?;
    let rows = stmt.query_map([], life_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn life(conn: &Connection, proposal: Id) -> Result<Option<LifeRow>> {
    Ok(conn
        .prepare_cached(&format!("{LIFE} WHERE m.proposal_id = ?1"))?
        .query_row([proposal], life_row)
        .optional()?)
}

/// Sets a microcredential's status, since when, why, and the end of its teach-out.
pub fn set_life(
    conn: &Connection,
    proposal: Id,
    status: &str,
    since: &str,
    reason: Option<&str>,
    teach_out_until: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE microcredential SET status = ?2, status_since = ?3, status_reason = ?4,
                teach_out_until = ?5 WHERE proposal_id = ?1",
    )?
    .execute(params![proposal, status, since, reason, teach_out_until])?;
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

pub fn versions(conn: &Connection, proposal: Id) -> Result<Vec<VersionRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT number, effective_from, case_id FROM microcredential_version
         WHERE proposal_id = ?1 ORDER BY number",
    )?;
    let rows = stmt.query_map([proposal], |r| {
        Ok(VersionRow {
            number: r.get(0)?,
            effective_from: r.get(1)?,
            case_id: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records a version, frozen with its content.
pub fn insert_version(
    conn: &Connection,
    proposal: Id,
    number: i64,
    effective_from: &str,
    case_id: Id,
    content: &credence_domain::proposal::ProposalContent,
) -> Result<()> {
    let json = serde_json::to_string(content).map_err(|e| StoreError::Decode(e.to_string()))?;
    conn.prepare_cached(
        "INSERT OR IGNORE INTO microcredential_version
             (proposal_id, number, effective_from, case_id, content_json)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![proposal, number, effective_from, case_id, json])?;
    Ok(())
}

/// A version's frozen content (read leniently: fields a later build added are ignored, ones
/// it lacks take their defaults).
pub fn version_content(
    conn: &Connection,
    proposal: Id,
    number: i64,
) -> Result<Option<credence_domain::proposal::ProposalContent>> {
    let json: Option<Option<String>> = conn
        .prepare_cached(
            "SELECT content_json FROM microcredential_version WHERE proposal_id = ?1 AND number = ?2",
        )?
        .query_row(params![proposal, number], |r| r.get(0))
        .optional()?;
    json.flatten()
        .map(|j| crate::proposals::content_from(&j))
        .transpose()
}

/// How many awards each version of a microcredential has had (revoked ones included).
pub fn awards_per_version(conn: &Connection, proposal: Id) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT version, COUNT(*) FROM award WHERE proposal_id = ?1 GROUP BY version ORDER BY version",
    )?;
    let rows = stmt.query_map([proposal], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Moves a version's effective date (the demo backdates its microcredential's history).
pub fn set_version_effective(
    conn: &Connection,
    proposal: Id,
    number: i64,
    effective_from: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE microcredential_version SET effective_from = ?3 WHERE proposal_id = ?1 AND number = ?2",
    )?
    .execute(params![proposal, number, effective_from])?;
    conn.prepare_cached(
        "UPDATE microcredential SET status_since = ?2 WHERE proposal_id = ?1 AND status = 'active'
           AND NOT EXISTS (SELECT 1 FROM microcredential_version
                            WHERE proposal_id = ?1 AND number < ?3)",
    )?
    .execute(params![proposal, effective_from, number])?;
    Ok(())
}

pub fn insert_slug(conn: &Connection, proposal: Id, slug: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO microcredential (proposal_id, slug) VALUES (?1, ?2)",
    )?
    .execute(params![proposal, slug])?;
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

fn list_row(r: &Row) -> rusqlite::Result<StatusListRow> {
    Ok(StatusListRow {
        id: r.get(0)?,
        issuer_key_id: r.get(1)?,
        size: r.get(2)?,
        next_index: r.get(3)?,
    })
}

pub fn status_lists(conn: &Connection) -> Result<Vec<StatusListRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, issuer_key_id, size, next_index FROM status_list ORDER BY id",
    )?;
    let rows = stmt.query_map([], list_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn status_list(conn: &Connection, id: Id) -> Result<Option<StatusListRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, issuer_key_id, size, next_index FROM status_list WHERE id = ?1",
        )?
        .query_row([id], list_row)
        .optional()?)
}

/// The next free entry of the key's newest list that has room, opening a new list of
/// `size` entries when none has. Returns (list id, index).
pub fn allocate_status(conn: &Connection, issuer_key: Id, size: i64) -> Result<(Id, i64)> {
    let open = conn
        .prepare_cached(
            "SELECT id, issuer_key_id, size, next_index FROM status_list
             WHERE issuer_key_id = ?1 AND next_index < size ORDER BY id DESC LIMIT 1",
        )?
        .query_row([issuer_key], list_row)
        .optional()?;
    let list = match open {
        Some(l) => l,
        None => {
            conn.prepare_cached("INSERT INTO status_list (issuer_key_id, size) VALUES (?1, ?2)")?
                .execute(params![issuer_key, size])?;
            StatusListRow {
                id: conn.last_insert_rowid(),
                issuer_key_id: issuer_key,
                size,
                next_index: 0,
            }
        }
    };
    conn.prepare_cached("UPDATE status_list SET next_index = next_index + 1 WHERE id = ?1")?
        .execute([list.id])?;
    Ok((list.id, list.next_index))
}

/// The revoked entries of a list.
pub fn revoked_indexes(conn: &Connection, list: Id) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT status_index FROM award WHERE status_list_id = ?1 AND revoked_at IS NOT NULL",
    )?;
    let rows = stmt.query_map([list], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
    pub credential_json: &'a str,
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
}

/// Stores an award; `issued_by` only where that person exists here; its `valid_until` read
/// from the credential.
pub fn insert_award(conn: &Connection, a: &NewAward) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO award (id, proposal_id, version, learner_name, learner_email, learner_did,
            completed_on, grade, evidence_url, evidence_note, credential_id, credential_json,
            issuer_key_id, status_list_id, status_index, issued_at, issued_by, batch_id,
            revoked_at, revoked_reason, superseded_by, valid_until)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                 (SELECT id FROM person WHERE id = ?17), ?18, ?19, ?20, ?21,
                 json_extract(?12, '$.validUntil'))",
    )?
    .execute(params![
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
        a.credential_json,
        a.issuer_key_id,
        a.status_list_id,
        a.status_index,
        a.issued_at,
        a.issued_by,
        a.batch_id,
        a.revoked.map(|r| r.0),
        a.revoked.map(|r| r.1),
        a.superseded_by
    ])?;
    Ok(())
}

const AWARD_COLUMNS: &str = "a.id, a.proposal_id, p.title, a.version, a.learner_name,
    a.learner_email, a.completed_on, a.credential_id, k.did, a.issued_at, a.revoked_at,
    a.revoked_reason, a.superseded_by,
    (SELECT s.id FROM award s WHERE s.superseded_by = a.id),
    a.valid_until, a.renewal_of,
    (SELECT r.id FROM award r WHERE r.renewal_of = a.id AND r.revoked_at IS NULL
     ORDER BY r.issued_at DESC LIMIT 1),
    coalesce(a.valid_until <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0),
    EXISTS (SELECT 1 FROM prior_learning l WHERE l.award_id = a.id),
    EXISTS (SELECT 1 FROM ob2_import o WHERE o.award_id = a.id)";
const AWARD_FROM: &str = "award a JOIN proposal p ON p.id = a.proposal_id
    JOIN issuer_key k ON k.id = a.issuer_key_id";

fn award_row(r: &Row) -> rusqlite::Result<Award> {
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
pub fn awards_of_email(conn: &Connection, email: &str) -> Result<Vec<Award>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {AWARD_COLUMNS} FROM {AWARD_FROM} WHERE a.learner_email = ?1 ORDER BY a.issued_at"
    ))?;
    let rows = stmt.query_map([email], award_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An award by its id or its credential's id.
pub fn award(conn: &Connection, id: &str) -> Result<Option<Award>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {AWARD_COLUMNS} FROM {AWARD_FROM} WHERE a.id = ?1 OR a.credential_id = ?1"
        ))?
        .query_row([id], award_row)
        .optional()?)
}

/// The learner row an award was issued from (for a correction to start from).
pub fn award_learner(conn: &Connection, award: &str) -> Result<Option<LearnerInput>> {
    Ok(conn
        .prepare_cached(
            "SELECT learner_name, learner_email, learner_did, completed_on, grade, evidence_url,
                    evidence_note FROM award WHERE id = ?1",
        )?
        .query_row([award], learner_row)
        .optional()?)
}

/// A learner row from a query's first seven columns: name, email, DID, completion date,
/// grade, evidence URL and note (an absent value read as empty).
fn learner_row(r: &Row) -> rusqlite::Result<LearnerInput> {
    let text = |i: usize| -> rusqlite::Result<String> {
        Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
    };
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
    conn: &Connection,
    proposal: Id,
    batch: Option<&str>,
) -> Result<Vec<(LearnerInput, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT learner_name, learner_email, learner_did, completed_on, grade, evidence_url,
                evidence_note, credential_id, credential_json
         FROM award
         WHERE proposal_id = ?1 AND revoked_at IS NULL AND superseded_by IS NULL
           AND (?2 IS NULL OR batch_id = ?2)
         ORDER BY issued_at, rowid",
    )?;
    let rows = stmt.query_map(params![proposal, batch], |r| {
        Ok((learner_row(r)?, r.get(7)?, r.get(8)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records that `new` corrects `old` (which the caller revokes in the same transaction).
pub fn set_superseded(conn: &Connection, old: &str, new: &str) -> Result<()> {
    conn.prepare_cached("UPDATE award SET superseded_by = ?2 WHERE id = ?1")?
        .execute([old, new])?;
    Ok(())
}

/// Records that `new` renews `old` (issued in the same transaction).
pub fn set_renewal_of(conn: &Connection, new: &str, old: &str) -> Result<()> {
    conn.prepare_cached("UPDATE award SET renewal_of = ?2 WHERE id = ?1")?
        .execute([new, old])?;
    Ok(())
}

/// The signed credential JSON of an award, exactly as issued.
pub fn credential_json(conn: &Connection, award: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT credential_json FROM award WHERE id = ?1")?
        .query_row([award], |r| r.get(0))
        .optional()?)
}

/// Awards, newest first, whose learner, email, microcredential or credential id contains
/// `search` (all when empty).
pub fn awards(conn: &Connection, search: &str, limit: i64) -> Result<Vec<Award>> {
    let pattern = format!(
        "%{}%",
        search
            .trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {AWARD_COLUMNS} FROM {AWARD_FROM}
         WHERE ?1 = '%%' OR a.learner_name LIKE ?1 ESCAPE '\\' OR a.learner_email LIKE ?1 ESCAPE '\\'
            OR p.title LIKE ?1 ESCAPE '\\' OR a.credential_id LIKE ?1 ESCAPE '\\'
         ORDER BY a.issued_at DESC, a.rowid DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![pattern, limit], award_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets (reason given) or clears (None) an award's revocation.
pub fn set_revoked(conn: &Connection, award: &str, at_reason: Option<(&str, &str)>) -> Result<()> {
    match at_reason {
        Some((at, reason)) => conn
            .prepare_cached("UPDATE award SET revoked_at = ?2, revoked_reason = ?3 WHERE id = ?1")?
            .execute(params![award, at, reason])?,
        None => conn
            .prepare_cached(
                "UPDATE award SET revoked_at = NULL, revoked_reason = NULL WHERE id = ?1",
            )?
            .execute([award])?,
    };
    Ok(())
}

/// The DID of the key a status list belongs to.
pub fn list_issuer_did(conn: &Connection, list: Id) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT k.did FROM status_list s JOIN issuer_key k ON k.id = s.issuer_key_id
             WHERE s.id = ?1",
        )?
        .query_row([list], |r| r.get(0))
        .optional()?)
}

/// A microcredential's awards for a termination's impact: how many, how many revoked, how
/// many issued on or after `since` (YYYY-MM-DD), and the day of the last.
pub fn award_counts(
    conn: &Connection,
    proposal: Id,
    since: &str,
) -> Result<(i64, i64, i64, Option<String>)> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*), COUNT(revoked_at),
                    COALESCE(SUM(substr(issued_at, 1, 10) >= ?2), 0),
                    MAX(substr(issued_at, 1, 10))
             FROM award WHERE proposal_id = ?1",
        )?
        .query_row(params![proposal, since], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?)
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

pub fn expiring(conn: &Connection, from: &str, until: &str) -> Result<Vec<Expiring>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.proposal_id, p.title, count(*), min(a.valid_until)
         FROM award a JOIN proposal p ON p.id = a.proposal_id
         WHERE a.valid_until > ?1 AND a.valid_until <= ?2
           AND a.revoked_at IS NULL AND a.superseded_by IS NULL
           AND NOT EXISTS (SELECT 1 FROM award r
                           WHERE r.renewal_of = a.id AND r.revoked_at IS NULL)
         GROUP BY a.proposal_id ORDER BY min(a.valid_until)",
    )?;
    let rows = stmt.query_map(params![from, until], |r| {
        Ok(Expiring {
            proposal_id: r.get(0)?,
            title: r.get(1)?,
            awards: r.get(2)?,
            first: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ----- Open Badges 2.0 imports -----

/// Records the assertion an imported award was made from.
pub fn insert_ob2_import(
    conn: &Connection,
    award: &str,
    assertion_id: Option<&str>,
    source_name: &str,
    sha256: &str,
    checked: &str,
    at: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ob2_import (award_id, assertion_id, source_name, sha256, checked, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        award,
        assertion_id,
        source_name,
        sha256,
        checked,
        at
    ])?;
    Ok(())
}

/// The award an assertion was imported as, if it was.
/// The archived microcredential an Open Badges 2.0 badge (its id, else its name) became.
pub fn ob2_badge(conn: &Connection, badge_key: &str) -> Result<Option<Id>> {
    Ok(conn
        .prepare_cached("SELECT proposal_id FROM ob2_badge WHERE badge_key = ?1")?
        .query_row([badge_key], |r| r.get(0))
        .optional()?)
}

/// Every badge archived by an import: its key, its microcredential's slug and id.
pub fn ob2_badges(conn: &Connection) -> Result<Vec<(String, String, Id)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.badge_key, m.slug, m.proposal_id FROM ob2_badge b
           JOIN microcredential m ON m.proposal_id = b.proposal_id ORDER BY b.badge_key",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_ob2_badge(conn: &Connection, badge_key: &str, proposal: Id, at: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ob2_badge (badge_key, proposal_id, created_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![badge_key, proposal, at])?;
    Ok(())
}

pub fn ob2_imported(conn: &Connection, assertion_id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT award_id FROM ob2_import WHERE assertion_id = ?1")?
        .query_row([assertion_id], |r| r.get(0))
        .optional()?)
}
