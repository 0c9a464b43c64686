//! Committee review: routes, steps, sign-offs, the committee, meetings, motions, votes,
//! conditions and signing keys (see `migrations/0004_review.sql`).

use credence_domain::review::{Membership, Route, Seat, VoteChoice};
use credence_domain::Id;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{Result, StoreError};

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| StoreError::Decode(e.to_string()))
}

fn encode<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Decode(e.to_string()))
}

fn word<T: serde::Serialize>(v: &T) -> Result<String> {
    match serde_json::to_value(v).map_err(|e| StoreError::Decode(e.to_string()))? {
        serde_json::Value::String(s) => Ok(s),
        other => Ok(other.to_string()),
    }
}

fn from_word<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.into()))
        .map_err(|_| StoreError::Decode(format!("unknown value {s:?}")))
}

// ----- routes -----

/// The current routes (those no edit has replaced), in the order they are tried.
pub fn routes(conn: &Connection) -> Result<Vec<Route>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, json FROM route WHERE replaced_by IS NULL ORDER BY position, id",
    )?;
    let rows = stmt.query_map([], route_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(route_of(row?)?);
    }
    Ok(out)
}

/// Every route, current or replaced: what open steps of in-flight proposals refer to.
pub fn all_routes(conn: &Connection) -> Result<Vec<Route>> {
    let mut stmt = conn.prepare_cached("SELECT id, position, json FROM route ORDER BY id")?;
    let rows = stmt.query_map([], route_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(route_of(row?)?);
    }
    Ok(out)
}

fn route_row(r: &rusqlite::Row) -> rusqlite::Result<(Id, u32, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn route_of((id, position, json): (Id, u32, String)) -> Result<Route> {
    let mut route: Route = decode(&json)?;
    route.id = id;
    route.position = position;
    Ok(route)
}

/// A route by id, current or replaced (proposals keep the route they travelled).
pub fn route(conn: &Connection, id: Id) -> Result<Option<Route>> {
    let mut stmt = conn.prepare_cached("SELECT id, position, json FROM route WHERE id = ?1")?;
    let row = stmt.query_row([id], route_row).optional()?;
    row.map(route_of).transpose()
}

/// The route that replaced `id` when it was edited in use, if it was.
pub fn replaced_by(conn: &Connection, id: Id) -> Result<Option<Id>> {
    Ok(conn
        .query_row("SELECT replaced_by FROM route WHERE id = ?1", [id], |r| {
            r.get::<_, Option<Id>>(0)
        })
        .optional()?
        .flatten())
}

/// Whether any proposal has entered a step of this route.
pub fn route_in_use(conn: &Connection, id: Id) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM proposal_step WHERE route_id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

/// Saves `r` as a new route replacing route `old` (which stays, for the proposals that
/// travelled it); returns the new id.
pub fn replace_route(conn: &Connection, old: Id, r: &Route) -> Result<Id> {
    let id = put_route(conn, &Route { id: 0, ..r.clone() })?;
    conn.execute(
        "UPDATE route SET replaced_by = ?2 WHERE id = ?1",
        params![old, id],
    )?;
    Ok(id)
}

/// Inserts (id 0) or replaces a route; returns its id.
pub fn put_route(conn: &Connection, r: &Route) -> Result<Id> {
    let json = encode(r)?;
    if r.id == 0 {
        conn.execute(
            "INSERT INTO route (position, json) VALUES (?1, ?2)",
            params![r.position, json],
        )?;
        Ok(conn.last_insert_rowid())
    } else {
        conn.execute(
            "UPDATE route SET position = ?2, json = ?3 WHERE id = ?1",
            params![r.id, r.position, json],
        )?;
        Ok(r.id)
    }
}

// ----- steps -----

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    pub id: Id,
    pub proposal_id: Id,
    pub route_id: Id,
    pub step_index: usize,
    pub name: String,
    pub entered_at: String,
    pub due_on: String,
    pub left_at: Option<String>,
    pub outcome: Option<String>,
}

const STEP_COLUMNS: &str =
    "id, proposal_id, route_id, step_index, name, entered_at, due_on, left_at, outcome";

fn step_row(r: &rusqlite::Row) -> rusqlite::Result<StepRow> {
    Ok(StepRow {
        id: r.get(0)?,
        proposal_id: r.get(1)?,
        route_id: r.get(2)?,
        step_index: r.get::<_, i64>(3)? as usize,
        name: r.get(4)?,
        entered_at: r.get(5)?,
        due_on: r.get(6)?,
        left_at: r.get(7)?,
        outcome: r.get(8)?,
    })
}

pub fn open_step(conn: &Connection, proposal: Id) -> Result<Option<StepRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {STEP_COLUMNS} FROM proposal_step WHERE proposal_id = ?1 AND left_at IS NULL ORDER BY id DESC LIMIT 1"),
            [proposal],
            step_row,
        )
        .optional()?)
}

/// Every step of every proposal (`proposal` = None) or of one, oldest first.
pub fn steps(conn: &Connection, proposal: Option<Id>) -> Result<Vec<StepRow>> {
    // Two statements, so the one for a single proposal uses its index.
    let rows = match proposal {
        Some(p) => conn
            .prepare_cached(&format!(
                "SELECT {STEP_COLUMNS} FROM proposal_step WHERE proposal_id = ?1 ORDER BY id"
            ))?
            .query_map([p], step_row)?
            .collect::<rusqlite::Result<_>>()?,
        None => conn
            .prepare_cached(&format!(
                "SELECT {STEP_COLUMNS} FROM proposal_step ORDER BY id"
            ))?
            .query_map([], step_row)?
            .collect::<rusqlite::Result<_>>()?,
    };
    Ok(rows)
}

/// The open step of every proposal on a route.
pub fn open_steps(conn: &Connection) -> Result<Vec<StepRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {STEP_COLUMNS} FROM proposal_step WHERE left_at IS NULL ORDER BY due_on, id"
    ))?;
    let rows = stmt.query_map([], step_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Open motions in meetings that are not closed.
pub fn open_motions(conn: &Connection) -> Result<Vec<MotionRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {MOTION_COLUMNS} FROM motion WHERE status = 'open'
           AND meeting_id IN (SELECT id FROM meeting WHERE status != 'closed') ORDER BY id"
    ))?;
    let rows = stmt.query_map([], motion_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// (person, approve) sign-offs of a person, by step.
pub fn signed_steps(conn: &Connection, person: Id) -> Result<Vec<Id>> {
    let mut stmt = conn.prepare_cached("SELECT step_id FROM sign_off WHERE person_id = ?1")?;
    let rows = stmt.query_map([person], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The motions a person has voted on.
pub fn voted_motions(conn: &Connection, person: Id) -> Result<Vec<Id>> {
    let mut stmt = conn.prepare_cached("SELECT motion_id FROM vote WHERE person_id = ?1")?;
    let rows = stmt.query_map([person], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn enter_step(conn: &Connection, s: &StepRow) -> Result<Id> {
    conn.execute(
        "INSERT INTO proposal_step (proposal_id, route_id, step_index, name, entered_at, due_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            s.proposal_id,
            s.route_id,
            s.step_index as i64,
            s.name,
            s.entered_at,
            s.due_on
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn leave_step(conn: &Connection, id: Id, at: &str, outcome: &str) -> Result<()> {
    conn.execute(
        "UPDATE proposal_step SET left_at = ?2, outcome = ?3 WHERE id = ?1",
        params![id, at, outcome],
    )?;
    Ok(())
}

pub fn insert_sign_off(
    conn: &Connection,
    step: Id,
    person: Id,
    approve: bool,
    comment: &str,
    at: &str,
) -> Result<Id> {
    conn.execute(
        "INSERT INTO sign_off (step_id, person_id, approve, comment, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![step, person, approve, comment, at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// (person, approve) of each sign-off recorded at a step.
pub fn sign_offs(conn: &Connection, step: Id) -> Result<Vec<(Id, bool)>> {
    let mut stmt = conn
        .prepare_cached("SELECT person_id, approve FROM sign_off WHERE step_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([step], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ----- the committee -----

pub fn members(conn: &Connection) -> Result<Vec<(Id, Membership)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, person_id, seat, alternate_for, term_start, term_end FROM committee_member ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, Id>(0)?,
            r.get::<_, Id>(1)?,
            r.get::<_, String>(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, person_id, seat, alternate_for, term_start, term_end) = row?;
        out.push((
            id,
            Membership {
                person_id,
                seat: from_word::<Seat>(&seat)?,
                alternate_for,
                term_start,
                term_end,
            },
        ));
    }
    Ok(out)
}

pub fn insert_member(conn: &Connection, m: &Membership) -> Result<Id> {
    conn.execute(
        "INSERT INTO committee_member (person_id, seat, alternate_for, term_start, term_end) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![m.person_id, word(&m.seat)?, m.alternate_for, m.term_start, m.term_end],
    )?;
    Ok(conn.last_insert_rowid())
}

/// (person, reason) of each member recused from a proposal.
pub fn recusals(conn: &Connection, proposal: Id) -> Result<Vec<(Id, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT person_id, reason FROM recusal WHERE proposal_id = ?1 ORDER BY person_id",
    )?;
    let rows = stmt.query_map([proposal], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_recusal(conn: &Connection, proposal: Id, person: Id, reason: &str) -> Result<bool> {
    Ok(conn.execute(
        "INSERT INTO recusal (proposal_id, person_id, reason) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![proposal, person, reason],
    )? == 1)
}

// ----- meetings -----

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub id: Id,
    pub title: String,
    pub held_on: String,
    pub status: String,
    /// Set for an electronic vote: votes are taken until then.
    pub deadline: Option<String>,
}

fn meeting_row(r: &rusqlite::Row) -> rusqlite::Result<MeetingRow> {
    Ok(MeetingRow {
        id: r.get(0)?,
        title: r.get(1)?,
        held_on: r.get(2)?,
        status: r.get(3)?,
        deadline: r.get(4)?,
    })
}

pub fn insert_meeting(conn: &Connection, title: &str, held_on: &str) -> Result<Id> {
    conn.execute(
        "INSERT INTO meeting (title, held_on, status) VALUES (?1, ?2, 'scheduled')",
        params![title, held_on],
    )?;
    Ok(conn.last_insert_rowid())
}

/// An electronic vote: a meeting of one item whose votes close at `deadline`.
pub fn insert_electronic_vote(
    conn: &Connection,
    title: &str,
    held_on: &str,
    deadline: &str,
) -> Result<Id> {
    conn.execute(
        "INSERT INTO meeting (title, held_on, status, deadline) VALUES (?1, ?2, 'open', ?3)",
        params![title, held_on, deadline],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn meeting(conn: &Connection, id: Id) -> Result<Option<MeetingRow>> {
    Ok(conn
        .query_row(
            "SELECT id, title, held_on, status, deadline FROM meeting WHERE id = ?1",
            [id],
            meeting_row,
        )
        .optional()?)
}

pub fn meetings(conn: &Connection) -> Result<Vec<MeetingRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, held_on, status, deadline FROM meeting ORDER BY held_on DESC, id DESC",
    )?;
    let rows = stmt.query_map([], meeting_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_meeting_status(conn: &Connection, id: Id, status: &str) -> Result<()> {
    conn.execute(
        "UPDATE meeting SET status = ?2 WHERE id = ?1",
        params![id, status],
    )?;
    Ok(())
}

/// (proposal, outcome) of each agenda item, in order.
pub fn agenda(conn: &Connection, meeting: Id) -> Result<Vec<(Id, Option<String>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT proposal_id, outcome FROM agenda_item WHERE meeting_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([meeting], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces a meeting's agenda with these proposals, in this order (outcomes kept).
pub fn set_agenda(conn: &Connection, meeting: Id, proposals: &[Id]) -> Result<()> {
    let kept = agenda(conn, meeting)?;
    conn.execute("DELETE FROM agenda_item WHERE meeting_id = ?1", [meeting])?;
    for (i, p) in proposals.iter().enumerate() {
        let outcome = kept
            .iter()
            .find(|(k, _)| k == p)
            .and_then(|(_, o)| o.clone());
        conn.execute(
            "INSERT INTO agenda_item (meeting_id, position, proposal_id, outcome) VALUES (?1, ?2, ?3, ?4)",
            params![meeting, i as i64, p, outcome],
        )?;
    }
    Ok(())
}

pub fn set_item_outcome(conn: &Connection, meeting: Id, proposal: Id, outcome: &str) -> Result<()> {
    conn.execute(
        "UPDATE agenda_item SET outcome = ?3 WHERE meeting_id = ?1 AND proposal_id = ?2",
        params![meeting, proposal, outcome],
    )?;
    Ok(())
}

pub fn attendance(conn: &Connection, meeting: Id) -> Result<Vec<Id>> {
    let mut stmt = conn.prepare_cached(
        "SELECT person_id FROM attendance WHERE meeting_id = ?1 ORDER BY person_id",
    )?;
    let rows = stmt.query_map([meeting], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_attendance(conn: &Connection, meeting: Id, present: &[Id]) -> Result<()> {
    conn.execute("DELETE FROM attendance WHERE meeting_id = ?1", [meeting])?;
    for p in present {
        conn.execute(
            "INSERT OR IGNORE INTO attendance (meeting_id, person_id) VALUES (?1, ?2)",
            params![meeting, p],
        )?;
    }
    Ok(())
}

// ----- motions and votes -----

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MotionRow {
    pub id: Id,
    pub meeting_id: Id,
    pub proposal_id: Id,
    pub decision_json: String,
    pub moved_by: Id,
    pub seconded_by: Id,
    pub status: String,
    pub tally_json: Option<String>,
}

fn motion_row(r: &rusqlite::Row) -> rusqlite::Result<MotionRow> {
    Ok(MotionRow {
        id: r.get(0)?,
        meeting_id: r.get(1)?,
        proposal_id: r.get(2)?,
        decision_json: r.get(3)?,
        moved_by: r.get(4)?,
        seconded_by: r.get(5)?,
        status: r.get(6)?,
        tally_json: r.get(7)?,
    })
}

const MOTION_COLUMNS: &str =
    "id, meeting_id, proposal_id, decision_json, moved_by, seconded_by, status, tally_json";

pub fn insert_motion(
    conn: &Connection,
    meeting: Id,
    proposal: Id,
    decision_json: &str,
    moved_by: Id,
    seconded_by: Id,
) -> Result<Id> {
    conn.execute(
        "INSERT INTO motion (meeting_id, proposal_id, decision_json, moved_by, seconded_by, status) VALUES (?1, ?2, ?3, ?4, ?5, 'open')",
        params![meeting, proposal, decision_json, moved_by, seconded_by],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn motion(conn: &Connection, id: Id) -> Result<Option<MotionRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {MOTION_COLUMNS} FROM motion WHERE id = ?1"),
            [id],
            motion_row,
        )
        .optional()?)
}

pub fn motions(conn: &Connection, meeting: Id) -> Result<Vec<MotionRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {MOTION_COLUMNS} FROM motion WHERE meeting_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([meeting], motion_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn close_motion(conn: &Connection, id: Id, status: &str, tally_json: &str) -> Result<()> {
    conn.execute(
        "UPDATE motion SET status = ?2, tally_json = ?3 WHERE id = ?1",
        params![id, status, tally_json],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteRow {
    pub id: Id,
    pub motion_id: Id,
    pub person_id: Id,
    pub choice: VoteChoice,
    pub at: String,
}

pub fn insert_vote(
    conn: &Connection,
    motion: Id,
    person: Id,
    choice: VoteChoice,
    at: &str,
) -> Result<Id> {
    conn.execute(
        "INSERT INTO vote (motion_id, person_id, choice, at) VALUES (?1, ?2, ?3, ?4)",
        params![motion, person, word(&choice)?, at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The votes on one motion, or every vote (`motion` = None).
pub fn votes(conn: &Connection, motion: Option<Id>) -> Result<Vec<VoteRow>> {
    let mut stmt = match motion {
        Some(_) => conn.prepare_cached(
            "SELECT id, motion_id, person_id, choice, at FROM vote WHERE motion_id = ?1 ORDER BY id",
        )?,
        None => conn.prepare_cached(
            "SELECT id, motion_id, person_id, choice, at FROM vote WHERE ?1 IS NULL ORDER BY id",
        )?,
    };
    let rows = stmt.query_map([motion], |r| {
        Ok((
            r.get::<_, Id>(0)?,
            r.get::<_, Id>(1)?,
            r.get::<_, Id>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, motion_id, person_id, choice, at) = row?;
        out.push(VoteRow {
            id,
            motion_id,
            person_id,
            choice: from_word(&choice)?,
            at,
        });
    }
    Ok(out)
}

// ----- conditions -----

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionRow {
    pub id: Id,
    pub proposal_id: Id,
    pub text: String,
    pub owner_id: Id,
    pub due_on: String,
    pub met_at: Option<String>,
    pub met_note: Option<String>,
}

pub fn insert_condition(
    conn: &Connection,
    proposal: Id,
    text: &str,
    owner: Id,
    due_on: &str,
) -> Result<Id> {
    conn.execute(
        "INSERT INTO condition (proposal_id, text, owner_id, due_on) VALUES (?1, ?2, ?3, ?4)",
        params![proposal, text, owner, due_on],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The conditions of one proposal, or of all (`proposal` = None).
pub fn conditions(conn: &Connection, proposal: Option<Id>) -> Result<Vec<ConditionRow>> {
    let mut stmt = match proposal {
        Some(_) => conn.prepare_cached(
            "SELECT id, proposal_id, text, owner_id, due_on, met_at, met_note FROM condition
             WHERE proposal_id = ?1 ORDER BY id",
        )?,
        None => conn.prepare_cached(
            "SELECT id, proposal_id, text, owner_id, due_on, met_at, met_note FROM condition
             WHERE ?1 IS NULL ORDER BY id",
        )?,
    };
    let rows = stmt.query_map([proposal], |r| {
        Ok(ConditionRow {
            id: r.get(0)?,
            proposal_id: r.get(1)?,
            text: r.get(2)?,
            owner_id: r.get(3)?,
            due_on: r.get(4)?,
            met_at: r.get(5)?,
            met_note: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn meet_condition(conn: &Connection, id: Id, at: &str, note: &str) -> Result<()> {
    conn.execute(
        "UPDATE condition SET met_at = ?2, met_note = ?3 WHERE id = ?1",
        params![id, at, note],
    )?;
    Ok(())
}

// ----- keys -----

/// The sealed key a person signs with now (JSON), if any.
pub fn active_key(conn: &Connection, person: Id) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT sealed FROM person_key WHERE person_id = ?1 AND retired_at IS NULL ORDER BY id DESC LIMIT 1",
            [person],
            |r| r.get(0),
        )
        .optional()?)
}

/// The people who hold an active signing key.
pub fn key_holders(conn: &Connection) -> Result<Vec<Id>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT person_id FROM person_key WHERE retired_at IS NULL ORDER BY person_id",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every public key (multibase) a person has held, with its owner.
pub fn public_keys(conn: &Connection) -> Result<Vec<(Id, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT person_id, public_key FROM person_key ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_key(
    conn: &Connection,
    person: Id,
    public_key: &str,
    sealed_json: &str,
    at: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE person_key SET retired_at = ?2 WHERE person_id = ?1 AND retired_at IS NULL",
        params![person, at],
    )?;
    conn.execute(
        "INSERT INTO person_key (person_id, public_key, sealed, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![person, public_key, sealed_json, at],
    )?;
    Ok(())
}

/// Retires a person's signing key (a coordinator's reset): they sign nothing until they
/// create a new one. Returns whether there was one.
pub fn retire_keys(conn: &Connection, person: Id, at: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE person_key SET retired_at = ?2 WHERE person_id = ?1 AND retired_at IS NULL",
        params![person, at],
    )? > 0)
}

/// Sets a step's times (the demo backdates its steps so the service clock has history).
pub fn set_step_times(
    conn: &Connection,
    id: Id,
    entered_at: &str,
    due_on: &str,
    left_at: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE proposal_step SET entered_at = ?2, due_on = ?3, left_at = COALESCE(?4, left_at) WHERE id = ?1",
        params![id, entered_at, due_on, left_at],
    )?;
    Ok(())
}

// ----- reviewers and comments -----

/// (person, role, scores JSON) of each reviewer of a proposal.
pub fn reviewers(conn: &Connection, proposal: Id) -> Result<Vec<(Id, String, Option<String>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT person_id, role, scores_json FROM reviewer WHERE proposal_id = ?1 ORDER BY role, person_id",
    )?;
    let rows = stmt.query_map([proposal], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Proposals a person reviews and has not scored yet.
pub fn unscored(conn: &Connection, person: Id) -> Result<Vec<Id>> {
    let mut stmt = conn.prepare_cached(
        "SELECT proposal_id FROM reviewer WHERE person_id = ?1 AND scores_json IS NULL ORDER BY assigned_at",
    )?;
    let rows = stmt.query_map([person], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn assign_reviewer(
    conn: &Connection,
    proposal: Id,
    person: Id,
    role: &str,
    at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO reviewer (proposal_id, person_id, role, assigned_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (proposal_id, person_id) DO UPDATE SET role = ?3",
        params![proposal, person, role, at],
    )?;
    Ok(())
}

pub fn set_scores(
    conn: &Connection,
    proposal: Id,
    person: Id,
    scores_json: &str,
    at: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE reviewer SET scores_json = ?3, scored_at = ?4 WHERE proposal_id = ?1 AND person_id = ?2",
        params![proposal, person, scores_json, at],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentRow {
    pub id: Id,
    pub proposal_id: Id,
    pub parent_id: Option<Id>,
    pub field: String,
    pub visibility: String,
    pub author_id: Id,
    pub created_at: String,
    /// Every text it has had, oldest first: (at, text).
    pub texts: Vec<(String, String)>,
}

pub fn insert_comment(conn: &Connection, c: &CommentRow) -> Result<Id> {
    conn.execute(
        "INSERT INTO comment (proposal_id, parent_id, field, visibility, author_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            c.proposal_id,
            c.parent_id,
            c.field,
            c.visibility,
            c.author_id,
            c.created_at
        ],
    )?;
    let id = conn.last_insert_rowid();
    for (at, text) in &c.texts {
        add_comment_text(conn, id, text, at)?;
    }
    Ok(id)
}

pub fn add_comment_text(conn: &Connection, comment: Id, text: &str, at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO comment_text (comment_id, version, text, at)
         VALUES (?1, (SELECT COALESCE(MAX(version), 0) + 1 FROM comment_text WHERE comment_id = ?1), ?2, ?3)",
        params![comment, text, at],
    )?;
    Ok(())
}

/// A proposal's comments (or one, `only`), oldest first, each with every text it has had.
/// The proposal a comment is on and its audience (`committee` or `proposer`).
pub fn comment_audience(conn: &Connection, comment: Id) -> Result<Option<(Id, String)>> {
    Ok(conn
        .query_row(
            "SELECT proposal_id, visibility FROM comment WHERE id = ?1",
            [comment],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub fn comments(conn: &Connection, proposal: Id) -> Result<Vec<CommentRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, proposal_id, parent_id, field, visibility, author_id, created_at FROM comment
         WHERE proposal_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([proposal], |r| {
        Ok(CommentRow {
            id: r.get(0)?,
            proposal_id: r.get(1)?,
            parent_id: r.get(2)?,
            field: r.get(3)?,
            visibility: r.get(4)?,
            author_id: r.get(5)?,
            created_at: r.get(6)?,
            texts: Vec::new(),
        })
    })?;
    let mut out: Vec<CommentRow> = rows.collect::<rusqlite::Result<_>>()?;
    let mut texts = conn.prepare_cached(
        "SELECT t.comment_id, t.at, t.text FROM comment_text t JOIN comment c ON c.id = t.comment_id
         WHERE c.proposal_id = ?1 ORDER BY t.comment_id, t.version",
    )?;
    let rows = texts.query_map([proposal], |r| {
        Ok((
            r.get::<_, Id>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (id, at, text) = row?;
        if let Some(c) = out.iter_mut().find(|c| c.id == id) {
            c.texts.push((at, text));
        }
    }
    Ok(out)
}

// ----- enrolment codes -----

/// An enrolment code as stored (only the code's SHA-256).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentRow {
    pub id: Id,
    pub person_id: Id,
    pub code_hash: String,
    pub issued_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
}

/// Records a new enrolment code for `person`; any earlier unused one stops working.
pub fn insert_enrolment(
    conn: &Connection,
    person: Id,
    code_hash: &str,
    issued_at: &str,
    expires_at: &str,
) -> Result<Id> {
    conn.execute(
        "UPDATE enrolment SET used_at = ?2 WHERE person_id = ?1 AND used_at IS NULL",
        params![person, format!("replaced {issued_at}")],
    )?;
    conn.execute(
        "INSERT INTO enrolment (person_id, code_hash, issued_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![person, code_hash, issued_at, expires_at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The person's newest enrolment code that is neither used nor replaced.
pub fn open_enrolment(conn: &Connection, person: Id) -> Result<Option<EnrolmentRow>> {
    Ok(conn
        .query_row(
            "SELECT id, person_id, code_hash, issued_at, expires_at, used_at FROM enrolment
             WHERE person_id = ?1 AND used_at IS NULL ORDER BY id DESC LIMIT 1",
            [person],
            |r| {
                Ok(EnrolmentRow {
                    id: r.get(0)?,
                    person_id: r.get(1)?,
                    code_hash: r.get(2)?,
                    issued_at: r.get(3)?,
                    expires_at: r.get(4)?,
                    used_at: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// Marks an enrolment code used.
pub fn use_enrolment(conn: &Connection, id: Id, at: &str) -> Result<()> {
    conn.execute(
        "UPDATE enrolment SET used_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    Ok(())
}

/// Whether any signing key was ever registered in this workspace.
pub fn any_key(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM person_key)", [], |r| r.get(0))?)
}
