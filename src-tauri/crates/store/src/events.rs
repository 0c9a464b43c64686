//! Issuance events: the event record on both sides, the event key, the rows an event
//! workspace is made of, and the event's audit entries kept after a merge (see
//! `migrations/0014_events.sql`).

use crate::args;
use crate::sql::{copy_rows, defer_foreign_keys, Columns, Engine, Sql};
use crate::Result;
use credence_domain::Id;

/// Which side of an event a workspace is on.
pub const EXPORTED: &str = "exported";
pub const HELD: &str = "held";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub id: String,
    pub name: String,
    pub side: String,
    pub issuer_key_id: Id,
    pub status_list_id: Id,
    /// The microcredentials' proposal ids.
    pub microcredentials: Vec<Id>,
    pub exported_at: String,
    pub exported_by: Option<Id>,
    pub package_sha256: Option<String>,
    pub finished_at: Option<String>,
    pub return_sha256: Option<String>,
    pub merged_at: Option<String>,
    pub merged_by: Option<Id>,
    pub merge_report: Option<String>,
}

const COLUMNS: &str = "id, name, side, issuer_key_id, status_list_id, microcredentials,
    exported_at, exported_by, package_sha256, finished_at, return_sha256, merged_at, merged_by,
    merge_report";

fn row(r: &dyn Columns) -> Result<EventRow> {
    let ids: String = r.get(5)?;
    Ok(EventRow {
        id: r.get(0)?,
        name: r.get(1)?,
        side: r.get(2)?,
        issuer_key_id: r.get(3)?,
        status_list_id: r.get(4)?,
        microcredentials: serde_json::from_str(&ids).unwrap_or_default(),
        exported_at: r.get(6)?,
        exported_by: r.get(7)?,
        package_sha256: r.get(8)?,
        finished_at: r.get(9)?,
        return_sha256: r.get(10)?,
        merged_at: r.get(11)?,
        merged_by: r.get(12)?,
        merge_report: r.get(13)?,
    })
}

pub fn insert(db: &dyn Sql, e: &EventRow) -> Result<()> {
    db.execute(
        &format!(
        "INSERT INTO event ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
            ?13, ?14)"
    ),
        args![
            e.id,
            e.name,
            e.side,
            e.issuer_key_id,
            e.status_list_id,
            serde_json::Value::from(e.microcredentials.clone()).to_string(),
            e.exported_at,
            e.exported_by,
            e.package_sha256,
            e.finished_at,
            e.return_sha256,
            e.merged_at,
            e.merged_by,
            e.merge_report
        ],
    )?;
    Ok(())
}

pub fn get(db: &dyn Sql, id: &str) -> Result<Option<EventRow>> {
    db.map_opt(
        &format!("SELECT {COLUMNS} FROM event WHERE id = ?1"),
        args![id],
        row,
    )
}

/// The events this workspace exported, newest first.
pub fn exported(db: &dyn Sql) -> Result<Vec<EventRow>> {
    db.map(
        &format!(
            "SELECT {COLUMNS} FROM event WHERE side = 'exported' ORDER BY exported_at DESC, id"
        ),
        args![],
        row,
    )
}

/// The event this workspace was made for, where it is an event workspace.
pub fn held(db: &dyn Sql) -> Result<Option<EventRow>> {
    db.map_opt(
        &format!("SELECT {COLUMNS} FROM event WHERE side = 'held' LIMIT 1"),
        args![],
        row,
    )
}

pub fn set_package_sha256(db: &dyn Sql, id: &str, sha256: &str) -> Result<()> {
    db.execute(
        "UPDATE event SET package_sha256 = ?2 WHERE id = ?1",
        args![id, sha256],
    )?;
    Ok(())
}

pub fn set_finished(db: &dyn Sql, id: &str, at: &str) -> Result<()> {
    db.execute(
        "UPDATE event SET finished_at = ?2 WHERE id = ?1 AND finished_at IS NULL",
        args![id, at],
    )?;
    Ok(())
}

pub fn set_return_sha256(db: &dyn Sql, id: &str, sha256: &str) -> Result<()> {
    db.execute(
        "UPDATE event SET return_sha256 = ?2 WHERE id = ?1",
        args![id, sha256],
    )?;
    Ok(())
}

/// Records a merge: when, by whom, the return package's digest and what was found.
pub fn set_merged(
    db: &dyn Sql,
    id: &str,
    at: &str,
    by: Option<Id>,
    return_sha256: &str,
    report_json: &str,
) -> Result<()> {
    db.execute(
        "UPDATE event SET merged_at = ?2, merged_by = ?3, return_sha256 = ?4, merge_report = ?5,
             finished_at = COALESCE(finished_at, ?2)
         WHERE id = ?1",
        args![id, at, by, return_sha256, report_json],
    )?;
    Ok(())
}

// ----- the event key -----

/// Adds an event's issuer key beside the institution's own (which stays current), with the
/// id given where the key must keep the number the exporting workspace gave it.
pub fn insert_event_key(
    db: &dyn Sql,
    id: Option<Id>,
    did: &str,
    public_key: &str,
    sealed: &str,
    at: &str,
) -> Result<Id> {
    // A new key takes the next id (an explicit NULL would too on SQLite, not on PostgreSQL).
    match id {
        Some(id) => db.map_one(
            "INSERT INTO issuer_key (id, did, public_key, sealed, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            args![id, did, public_key, sealed, at],
            |r| r.get(0),
        ),
        None => db.map_one(
            "INSERT INTO issuer_key (did, public_key, sealed, created_at)
             VALUES (?1, ?2, ?3, ?4) RETURNING id",
            args![did, public_key, sealed, at],
            |r| r.get(0),
        ),
    }
}

/// Ties a key to its event (in the exporting workspace), once the event row exists.
pub fn set_key_event(db: &dyn Sql, key: Id, event: &str) -> Result<()> {
    db.execute(
        "UPDATE issuer_key SET event_id = ?2 WHERE id = ?1",
        args![key, event],
    )?;
    Ok(())
}

/// Retires a key (an event key after its event is merged).
pub fn retire_key(db: &dyn Sql, key: Id, at: &str) -> Result<()> {
    db.execute(
        "UPDATE issuer_key SET retired_at = ?2 WHERE id = ?1 AND retired_at IS NULL",
        args![key, at],
    )?;
    Ok(())
}

/// Opens a status list of `size` entries for a key, with the id given where it must keep
/// the number the exporting workspace gave it; `next_index` entries already used.
pub fn insert_status_list(
    db: &dyn Sql,
    id: Option<Id>,
    issuer_key: Id,
    size: i64,
    next_index: i64,
) -> Result<Id> {
    match id {
        Some(id) => db.map_one(
            "INSERT INTO status_list (id, issuer_key_id, size, next_index)
             VALUES (?1, ?2, ?3, ?4) RETURNING id",
            args![id, issuer_key, size, next_index],
            |r| r.get(0),
        ),
        None => db.map_one(
            "INSERT INTO status_list (issuer_key_id, size, next_index)
             VALUES (?1, ?2, ?3) RETURNING id",
            args![issuer_key, size, next_index],
            |r| r.get(0),
        ),
    }
}

/// Marks at least `used` entries of a list as used.
pub fn use_status_entries(db: &dyn Sql, list: Id, used: i64) -> Result<()> {
    db.execute(
        "UPDATE status_list
         SET next_index = CASE WHEN next_index < ?2 THEN ?2 ELSE next_index END
         WHERE id = ?1",
        args![list, used],
    )?;
    Ok(())
}

// ----- an event workspace's rows -----

/// The rows of the exporting workspace an event workspace is made of: what issuing,
/// certificates and bundles read for the chosen microcredentials, and nothing else (no
/// other proposal, person, award, key or audit entry). `proposals` are the chosen
/// microcredentials and the cases their versions name.
pub fn copy_for_event(
    from: &dyn Sql,
    to: &dyn Sql,
    microcredentials: &[Id],
    proposals: &[Id],
) -> Result<()> {
    let list = |ids: &[Id]| {
        ids.iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let (mcs, cases) = (list(microcredentials), list(proposals));
    // Rows name each other both ways (a proposal its microcredential and back): checked
    // when the transaction commits.
    defer_foreign_keys(to)?;
    let contains = match from.engine() {
        Engine::Sqlite => "instr",
        Engine::Postgres => "strpos",
    };
    let tables: [(&str, String); 13] = [
        ("institution", String::new()),
        ("unit", String::new()),
        (
            "setting",
            "key NOT LIKE '%\\_from\\_seq' ESCAPE '\\'".into(),
        ),
        ("taxonomy_term", String::new()),
        ("skill", String::new()),
        ("policy_set", String::new()),
        ("academic_term", String::new()),
        ("certificate_template", String::new()),
        ("signature_image", String::new()),
        ("proposal", format!("id IN ({cases})")),
        ("microcredential", format!("proposal_id IN ({mcs})")),
        ("microcredential_version", format!("proposal_id IN ({mcs})")),
        // A custom badge (or any file) the copied texts name by its hash.
        (
            "blob",
            format!(
                "EXISTS (SELECT 1 FROM proposal p WHERE p.id IN ({cases})
                           AND {contains}(p.content_json, blob.sha256) > 0)
                 OR EXISTS (SELECT 1 FROM microcredential_version v
                             WHERE v.proposal_id IN ({mcs})
                               AND {contains}(coalesce(v.content_json, ''), blob.sha256) > 0)"
            ),
        ),
    ];
    for (table, filter) in tables {
        copy_rows(from, to, table, &filter, "")?;
    }
    // Who wrote a proposal is not the event's business, and the person is not copied.
    to.execute("UPDATE proposal SET created_by = NULL", args![])?;
    Ok(())
}

/// Fills a version's frozen content where an earlier build recorded it without one.
pub fn set_version_content(db: &dyn Sql, proposal: Id, number: i64, json: &str) -> Result<()> {
    let cycle = crate::proposals::content_from(json)?
        .review_cycle_years
        .map(i64::from);
    db.execute(
        "UPDATE microcredential_version SET content_json = ?3, review_cycle_years = ?4
         WHERE proposal_id = ?1 AND number = ?2 AND content_json IS NULL",
        args![proposal, number, json, cycle],
    )?;
    Ok(())
}

/// Inserts a person with a given id (the event's coordinator keeps their number).
pub fn insert_person_with_id(
    db: &dyn Sql,
    id: Id,
    name: &str,
    email: &str,
    roles: &[&str],
) -> Result<()> {
    db.execute(
        "INSERT INTO person (id, name, email) VALUES (?1, ?2, ?3)",
        args![id, name, email],
    )?;
    for role in roles {
        db.execute(
            "INSERT INTO person_role (person_id, role) VALUES (?1, ?2)",
            args![id, role],
        )?;
    }
    Ok(())
}

// ----- the event's entries after a merge -----

pub fn insert_entry(db: &dyn Sql, event: &str, seq: i64, entry_json: &str) -> Result<()> {
    db.execute(
        "INSERT INTO event_entry (event_id, seq, entry_json) VALUES (?1, ?2, ?3)",
        args![event, seq, entry_json],
    )?;
    Ok(())
}

/// An event's entries as merged, in order.
pub fn entries(db: &dyn Sql, event: &str) -> Result<Vec<String>> {
    db.map(
        "SELECT entry_json FROM event_entry WHERE event_id = ?1 ORDER BY seq",
        args![event],
        |r| r.get(0),
    )
}

// ----- awards as an event returns them -----

/// An award row whole, as an event's return package carries it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AwardRecord {
    pub id: String,
    pub proposal_id: Id,
    pub version: i64,
    pub learner_name: String,
    pub learner_email: String,
    pub learner_did: Option<String>,
    pub completed_on: String,
    pub grade: Option<String>,
    pub evidence_url: Option<String>,
    pub evidence_note: Option<String>,
    pub credential_id: String,
    pub credential_json: String,
    pub issuer_key_id: Id,
    pub status_list_id: Id,
    pub status_index: i64,
    pub issued_at: String,
    pub issued_by: Option<Id>,
    pub revoked_at: Option<String>,
    pub revoked_reason: Option<String>,
    pub superseded_by: Option<String>,
    /// The award this one renews (absent from returns made before renewals existed).
    #[serde(default)]
    pub renewal_of: Option<String>,
}

/// An award's columns (aliased `a`), the signed credential's last (`CREDENTIAL_COLUMNS`).
const AWARD_RECORD: &str = "a.id, a.proposal_id, a.version, a.learner_name, a.learner_email,
    a.learner_did, a.completed_on, a.grade, a.evidence_url, a.evidence_note, a.credential_id,
    a.issuer_key_id, a.status_list_id, a.status_index, a.issued_at, a.issued_by, a.revoked_at,
    a.revoked_reason, a.superseded_by, a.renewal_of";

/// Every award, in the order issued.
pub fn award_records(db: &dyn Sql) -> Result<Vec<AwardRecord>> {
    db.map(
        &format!(
            "SELECT {AWARD_RECORD}, {} FROM award a ORDER BY a.rowid",
            crate::issuing::CREDENTIAL_COLUMNS
        ),
        args![],
        |r| {
            Ok(AwardRecord {
                id: r.get(0)?,
                proposal_id: r.get(1)?,
                version: r.get(2)?,
                learner_name: r.get(3)?,
                learner_email: r.get(4)?,
                learner_did: r.get(5)?,
                completed_on: r.get(6)?,
                grade: r.get(7)?,
                evidence_url: r.get(8)?,
                evidence_note: r.get(9)?,
                credential_id: r.get(10)?,
                credential_json: crate::issuing::whole_credential(r, 20)?,
                issuer_key_id: r.get(11)?,
                status_list_id: r.get(12)?,
                status_index: r.get(13)?,
                issued_at: r.get(14)?,
                issued_by: r.get(15)?,
                revoked_at: r.get(16)?,
                revoked_reason: r.get(17)?,
                superseded_by: r.get(18)?,
                renewal_of: r.get(19)?,
            })
        },
    )
}

/// Stores an award an event issued. The award it is superseded by (or renews) may come
/// elsewhere in the same transaction: foreign keys are checked at its commit.
pub fn insert_award_record(db: &dyn Sql, a: &AwardRecord) -> Result<()> {
    defer_foreign_keys(db)?;
    let valid_until = crate::issuing::valid_until_of(&a.credential_json);
    crate::issuing::insert_award(
        db,
        &crate::issuing::NewAward {
            id: &a.id,
            proposal_id: a.proposal_id,
            version: a.version,
            learner_name: &a.learner_name,
            learner_email: &a.learner_email,
            learner_did: a.learner_did.as_deref(),
            completed_on: &a.completed_on,
            grade: a.grade.as_deref(),
            evidence_url: a.evidence_url.as_deref(),
            evidence_note: a.evidence_note.as_deref(),
            credential_id: &a.credential_id,
            credential: crate::issuing::StoredCredential::Whole(&a.credential_json),
            // Kept whole: an event's credentials come back one by one, as signed there.
            image: None,
            issuer_key_id: a.issuer_key_id,
            status_list_id: a.status_list_id,
            status_index: a.status_index,
            issued_at: &a.issued_at,
            issued_by: a.issued_by,
            batch_id: None,
            revoked: a.revoked_at.as_deref().zip(a.revoked_reason.as_deref()),
            superseded_by: a.superseded_by.as_deref(),
            valid_until: valid_until.as_deref(),
        },
    )?;
    if let Some(old) = &a.renewal_of {
        crate::issuing::set_renewal_of(db, &a.id, old)?;
    }
    Ok(())
}

/// Whether an award id or credential id is already taken.
pub fn award_taken(db: &dyn Sql, id: &str, credential_id: &str) -> Result<bool> {
    Ok(db
        .map_opt(
            "SELECT 1 FROM award WHERE id = ?1 OR credential_id = ?2 LIMIT 1",
            args![id, credential_id],
            |_| Ok(()),
        )?
        .is_some())
}

/// The live award (not superseded) of a learner for a microcredential, with its completion
/// date and credential id, oldest first.
pub fn live_awards_of(
    db: &dyn Sql,
    proposal: Id,
    email: &str,
) -> Result<Vec<(String, String, String)>> {
    db.map(
        "SELECT id, completed_on, credential_id FROM award
         WHERE proposal_id = ?1 AND learner_email = ?2 AND superseded_by IS NULL
         ORDER BY issued_at",
        args![proposal, email],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

// ----- audit entries as an event returns them -----

/// An audit entry whole, with its signature: what an event's return package carries.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntryRecord {
    #[serde(flatten)]
    pub record: credence_domain::audit::AuditRecord,
    pub hash: String,
    /// The signer's public key (multibase) and the signature (hex), where signed.
    pub public_key: Option<String>,
    pub signature: Option<String>,
}

/// Every audit entry with its signature, oldest first.
pub fn entry_records(db: &dyn crate::sql::Sql) -> Result<Vec<EntryRecord>> {
    let sql = format!(
        "SELECT {}, (SELECT public_key FROM audit_signature s WHERE s.seq = audit_log.seq),
                (SELECT signature FROM audit_signature s WHERE s.seq = audit_log.seq)
         FROM audit_log ORDER BY seq",
        crate::audit::COLUMNS
    );
    db.map(&sql, crate::args![], |r| {
        let (record, hash) = crate::audit::record(r)?;
        Ok(EntryRecord {
            record,
            hash,
            public_key: r.get(11)?,
            signature: r.get(12)?,
        })
    })
}
