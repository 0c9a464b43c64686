//! Proposals, their frozen versions, and their full-text index.

use crate::args;
use crate::sql::{Engine, Sql};
use credence_domain::case::CaseKind;
use credence_domain::proposal::{ProposalContent, ProposalSort, ProposalStatus};
use credence_domain::Id;
use serde::{Deserialize, Serialize};

use crate::{Result, StoreError};

/// A proposal as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredProposal {
    pub id: Id,
    /// What kind of case it is.
    pub kind: CaseKind,
    /// The microcredential a change or termination concerns.
    pub microcredential_id: Option<Id>,
    pub status: ProposalStatus,
    pub content: ProposalContent,
    pub created_by: Option<Id>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

/// A row of the proposals list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalRow {
    pub id: Id,
    pub kind: CaseKind,
    pub status: ProposalStatus,
    pub title: String,
    pub unit_id: Option<Id>,
    pub category: Option<String>,
    pub level: Option<String>,
    pub credit_status: Option<String>,
    pub updated_at: String,
    pub version: i64,
}

/// Filters for the proposals list, all applied in SQL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProposalFilter {
    pub kind: Option<CaseKind>,
    pub status: Option<ProposalStatus>,
    pub unit_id: Option<Id>,
    pub category: Option<String>,
    pub level: Option<String>,
    pub credit_status: Option<String>,
    /// Full-text search over titles, descriptions and outcomes.
    pub text: Option<String>,
    pub sort: ProposalSort,
    pub limit: u32,
    pub offset: u32,
}

fn status_str(s: ProposalStatus) -> &'static str {
    s.label()
}

pub(crate) fn status_from(s: &str) -> Result<ProposalStatus> {
    serde_json::from_value(serde_json::Value::String(s.into()))
        .map_err(|_| StoreError::Decode(format!("unknown proposal status {s:?}")))
}

pub(crate) fn kind_from(s: &str) -> Result<CaseKind> {
    CaseKind::parse(s).ok_or_else(|| StoreError::Decode(format!("unknown case kind {s:?}")))
}

pub(crate) fn content_from(json: &str) -> Result<ProposalContent> {
    serde_json::from_str(json).map_err(|e| StoreError::Decode(e.to_string()))
}

fn json(content: &ProposalContent) -> Result<String> {
    serde_json::to_string(content).map_err(|e| StoreError::Decode(e.to_string()))
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Keeps a proposal's words searchable: FTS5's row is the proposal's id on SQLite; on
/// PostgreSQL the row names its proposal and the server keeps its tsvector.
fn index(db: &dyn Sql, id: Id, c: &ProposalContent) -> Result<()> {
    let (delete, insert) = match db.engine() {
        Engine::Sqlite => (
            "DELETE FROM proposal_text WHERE rowid = ?1",
            "INSERT INTO proposal_text (rowid, title, description, outcomes)
         VALUES (?1, ?2, ?3, ?4)",
        ),
        Engine::Postgres => (
            "DELETE FROM proposal_text WHERE proposal_id = ?1",
            "INSERT INTO proposal_text (proposal_id, title, description, outcomes)
             VALUES (?1, ?2, ?3, ?4)",
        ),
    };
    db.execute(delete, args![id])?;
    db.execute(
        insert,
        args![id, c.title, c.description, c.outcomes.join("\n")],
    )?;
    Ok(())
}

/// Rebuilds every proposal's search entry from its content (a copied workspace's target,
/// whose engine indexes its own way).
pub fn reindex_all(db: &dyn Sql) -> Result<()> {
    let all = db.map(
        "SELECT id, content_json FROM proposal ORDER BY id",
        args![],
        |r| Ok((r.get::<Id>(0)?, r.get::<String>(1)?)),
    )?;
    db.execute("DELETE FROM proposal_text", args![])?;
    for (id, json) in all {
        index(db, id, &content_from(&json)?)?;
    }
    Ok(())
}

pub fn insert(db: &dyn Sql, c: &ProposalContent, by: Option<Id>) -> Result<Id> {
    insert_case(db, CaseKind::New, None, c, by)
}

/// A new case, in Draft: a proposal, or a change or termination of `microcredential`.
pub fn insert_case(
    db: &dyn Sql,
    kind: CaseKind,
    microcredential: Option<Id>,
    c: &ProposalContent,
    by: Option<Id>,
) -> Result<Id> {
    let at = now();
    let id: Id = db.map_one(
        "INSERT INTO proposal (status, title, unit_id, category, level, credit_status,
                               content_json, created_by, created_at, updated_at,
                               kind, microcredential_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11) RETURNING id",
        args![
            status_str(ProposalStatus::Draft),
            c.title,
            c.unit_id,
            c.category,
            c.level,
            c.credit_status,
            json(c)?,
            by,
            at,
            kind.key(),
            microcredential
        ],
        |r| r.get(0),
    )?;
    index(db, id, c)?;
    Ok(id)
}

pub fn update_content(db: &dyn Sql, id: Id, c: &ProposalContent) -> Result<()> {
    db.execute(
        "UPDATE proposal SET title = ?1, unit_id = ?2, category = ?3, level = ?4,
                credit_status = ?5, content_json = ?6, updated_at = ?7 WHERE id = ?8",
        args![
            c.title,
            c.unit_id,
            c.category,
            c.level,
            c.credit_status,
            json(c)?,
            now(),
            id
        ],
    )?;
    index(db, id, c)
}

/// Moves the proposal to `status`; with `freeze`, also stores its content as the next
/// immutable version.
pub fn set_status(
    db: &dyn Sql,
    id: Id,
    status: ProposalStatus,
    freeze: Option<Option<Id>>,
) -> Result<()> {
    db.execute(
        "UPDATE proposal SET status = ?1, updated_at = ?2 WHERE id = ?3",
        args![status_str(status), now(), id],
    )?;
    if let Some(by) = freeze {
        db.execute(
            "UPDATE proposal SET version = version + 1 WHERE id = ?1",
            args![id],
        )?;
        db.execute(
            "INSERT INTO proposal_version
                 (proposal_id, version, status, content_json, saved_at, saved_by)
             SELECT id, version, status, content_json, updated_at, ?2 FROM proposal WHERE id = ?1",
            args![id, by],
        )?;
    }
    Ok(())
}

const STORED: &str = "SELECT id, status, content_json, created_by, created_at, updated_at, version,
                             kind, microcredential_id
                      FROM proposal";

fn stored(r: &dyn crate::sql::Columns) -> Result<StoredProposal> {
    Ok(StoredProposal {
        id: r.get(0)?,
        status: status_from(&r.get::<String>(1)?)?,
        content: content_from(&r.get::<String>(2)?)?,
        created_by: r.get(3)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
        version: r.get(6)?,
        kind: kind_from(&r.get::<String>(7)?)?,
        microcredential_id: r.get(8)?,
    })
}

pub fn get(db: &dyn Sql, id: Id) -> Result<Option<StoredProposal>> {
    db.map_opt(&format!("{STORED} WHERE id = ?1"), args![id], stored)
}

/// Every proposal with a step of its route open (what "Things to do" looks through), in one
/// query.
pub fn with_open_step(db: &dyn Sql) -> Result<Vec<StoredProposal>> {
    db.map(
        &format!(
            "{STORED} WHERE id IN (SELECT proposal_id FROM proposal_step WHERE left_at IS NULL)
             ORDER BY id"
        ),
        args![],
        stored,
    )
}

/// A frozen version's content.
pub fn version(
    db: &dyn Sql,
    id: Id,
    version: i64,
) -> Result<Option<(ProposalStatus, ProposalContent)>> {
    let row: Option<(String, String)> = db.map_opt(
        "SELECT status, content_json FROM proposal_version WHERE proposal_id = ?1 AND version = ?2",
        args![id, version],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    row.map(|(s, c)| Ok((status_from(&s)?, content_from(&c)?)))
        .transpose()
}

/// Turns free text into a query of prefix terms that must all match, in the engine's own
/// syntax (FTS5's `"word"*`, PostgreSQL's `word:*`), so punctuation cannot break it: only
/// letters and digits reach the query.
fn text_query(engine: Engine, text: &str) -> Option<String> {
    let words = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let terms: Vec<String> = match engine {
        Engine::Sqlite => words.map(|w| format!("\"{w}\"*")).collect(),
        Engine::Postgres => words.map(|w| format!("{w}:*")).collect(),
    };
    let and = match engine {
        Engine::Sqlite => " ",
        Engine::Postgres => " & ",
    };
    (!terms.is_empty()).then(|| terms.join(and))
}

pub fn list(db: &dyn Sql, f: &ProposalFilter) -> Result<(Vec<ProposalRow>, u64)> {
    let engine = db.engine();
    let text = f.text.as_deref().and_then(|t| text_query(engine, t));
    let status = f.status.map(status_str);
    let matching = match engine {
        Engine::Sqlite => "SELECT rowid FROM proposal_text WHERE proposal_text MATCH ?6",
        // The query parsed once, in FROM: in a prepared statement's generic plan, written in
        // the condition, it was parsed again for every row (five times slower at 10,000).
        Engine::Postgres => {
            "SELECT t.proposal_id FROM proposal_text t, to_tsquery('english', ?6) AS q
             WHERE t.document @@ q"
        }
    };
    let filter = format!(
        "FROM proposal p
         WHERE (p.status = ?1 OR ?1 IS NULL) AND (p.unit_id = ?2 OR ?2 IS NULL)
           AND (p.category = ?3 OR ?3 IS NULL) AND (p.level = ?4 OR ?4 IS NULL)
           AND (p.credit_status = ?5 OR ?5 IS NULL)
           AND (p.id IN ({matching}) OR ?6 IS NULL)
           AND (p.kind = ?7 OR ?7 IS NULL)"
    );
    // Titles compare without case: SQLite's NOCASE (its index), PostgreSQL's lower() (its).
    let (title_asc, title_desc) = match engine {
        Engine::Sqlite => (
            "p.title COLLATE NOCASE ASC, p.id ASC",
            "p.title COLLATE NOCASE DESC, p.id DESC",
        ),
        Engine::Postgres => (
            "lower(p.title) ASC, p.id ASC",
            "lower(p.title) DESC, p.id DESC",
        ),
    };
    let limit = f.limit.max(1);
    // Fixed strings only: the order is never built from input.
    let order = match f.sort {
        ProposalSort::Updated => "p.updated_at DESC, p.id DESC",
        ProposalSort::UpdatedAsc => "p.updated_at ASC, p.id ASC",
        ProposalSort::Title => title_asc,
        ProposalSort::TitleDesc => title_desc,
        ProposalSort::Status => "p.status ASC, p.updated_at DESC, p.id DESC",
        ProposalSort::Version => "p.version DESC, p.updated_at DESC, p.id DESC",
    };
    let kind = f.kind.map(CaseKind::key);
    // ?1 to ?7 filter; ?8 and ?9 page (only the list query uses them).
    let args = args![
        status,
        f.unit_id,
        f.category,
        f.level,
        f.credit_status,
        text,
        kind,
        limit,
        f.offset
    ];
    let total: i64 = db.map_one(&format!("SELECT count(*) {filter}"), &args[..7], |r| {
        r.get(0)
    })?;
    let rows = db.map(
        &format!(
            "SELECT p.id, p.status, p.title, p.unit_id, p.category, p.level, p.credit_status,
                p.updated_at, p.version, p.kind {filter}
         ORDER BY {order} LIMIT ?8 OFFSET ?9"
        ),
        args,
        |r| {
            Ok((
                r.get::<Id>(0)?,
                r.get::<String>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get::<String>(9)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (id, s, title, unit_id, category, level, credit_status, updated_at, version, kind) =
            row;
        out.push(ProposalRow {
            id,
            kind: kind_from(&kind)?,
            status: status_from(&s)?,
            title,
            unit_id,
            category,
            level,
            credit_status,
            updated_at,
            version,
        });
    }
    Ok((out, total.max(0) as u64))
}

/// A proposal `similar` found, with what comparing it needs (read in the same query: one
/// round trip, not one per candidate, on a server).
#[derive(Debug, Clone, PartialEq)]
pub struct Similar {
    pub id: Id,
    pub title: String,
    pub microcredential_id: Option<Id>,
    pub content: ProposalContent,
}

/// Proposals whose title, description or outcomes share words with `text`, best match
/// first (bm25, titles weighted highest), other than `except`.
pub fn similar(db: &dyn Sql, text: &str, except: Option<Id>, limit: u32) -> Result<Vec<Similar>> {
    let engine = db.engine();
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 3)
        .map(|w| match engine {
            Engine::Sqlite => format!("\"{w}\""),
            Engine::Postgres => w.to_string(),
        })
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    // Lower scores first. FTS5's bm25 weighs the title 10, the description 2 and the outcomes
    // 1 (and is negative); PostgreSQL's ts_rank weighs A (title) 1, B 0.2 and C 0.1, negated.
    let (sql, or) = match engine {
        Engine::Sqlite => (
            "SELECT p.id, p.title, p.microcredential_id, p.content_json,
                    bm25(proposal_text, 10.0, 2.0, 1.0) AS score
             FROM proposal_text JOIN proposal p ON p.id = proposal_text.rowid
             WHERE proposal_text MATCH ?1 AND p.id IS DISTINCT FROM ?2 AND p.status <> 'withdrawn'
             ORDER BY score LIMIT ?3",
            " OR ",
        ),
        Engine::Postgres => (
            // The query parsed once, in FROM (see `list`).
            "SELECT p.id, p.title, p.microcredential_id, p.content_json,
                    CAST(-ts_rank('{0, 0.1, 0.2, 1.0}', t.document, q) AS DOUBLE PRECISION)
                        AS score
             FROM proposal_text t CROSS JOIN to_tsquery('english', ?1) AS q
                  JOIN proposal p ON p.id = t.proposal_id
             WHERE t.document @@ q AND p.id IS DISTINCT FROM ?2 AND p.status <> 'withdrawn'
             ORDER BY score, p.id LIMIT ?3",
            " | ",
        ),
    };
    db.map(sql, args![words.join(or), except, limit], |r| {
        Ok(Similar {
            id: r.get(0)?,
            title: r.get(1)?,
            microcredential_id: r.get(2)?,
            content: content_from(&r.get::<String>(3)?)?,
        })
    })
}
