//! Committee review: routes, steps, sign-offs, the committee, meetings, motions, votes,
//! conditions and signing keys (see `migrations/0004_review.sql`).

use crate::args;
use crate::sql::{Columns, Sql};
use credence_domain::review::{Membership, Route, Seat, VoteChoice};
use credence_domain::Id;

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
pub fn routes(db: &dyn Sql) -> Result<Vec<Route>> {
    let rows = db.map(
        "SELECT id, position, json FROM route WHERE replaced_by IS NULL ORDER BY position, id",
        args![],
        route_row,
    )?;
    let mut out = Vec::new();
    for row in rows {
        out.push(route_of(row)?);
    }
    Ok(out)
}

/// Every route, current or replaced: what open steps of in-flight proposals refer to.
pub fn all_routes(db: &dyn Sql) -> Result<Vec<Route>> {
    let rows = db.map(
        "SELECT id, position, json FROM route ORDER BY id",
        args![],
        route_row,
    )?;
    let mut out = Vec::new();
    for row in rows {
        out.push(route_of(row)?);
    }
    Ok(out)
}

fn route_row(r: &dyn Columns) -> Result<(Id, u32, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn route_of((id, position, json): (Id, u32, String)) -> Result<Route> {
    let mut route: Route = decode(&json)?;
    route.id = id;
    route.position = position;
    Ok(route)
}

/// A route by id, current or replaced (proposals keep the route they travelled).
pub fn route(db: &dyn Sql, id: Id) -> Result<Option<Route>> {
    let row = db.map_opt(
        "SELECT id, position, json FROM route WHERE id = ?1",
        args![id],
        route_row,
    )?;
    row.map(route_of).transpose()
}

/// The route that replaced `id` when it was edited in use, if it was.
pub fn replaced_by(db: &dyn Sql, id: Id) -> Result<Option<Id>> {
    Ok(db
        .map_opt(
            "SELECT replaced_by FROM route WHERE id = ?1",
            args![id],
            |r| r.get::<Option<Id>>(0),
        )?
        .flatten())
}

/// Whether any proposal has entered a step of this route.
pub fn route_in_use(db: &dyn Sql, id: Id) -> Result<bool> {
    db.map_one(
        "SELECT EXISTS (SELECT 1 FROM proposal_step WHERE route_id = ?1)",
        args![id],
        |r| r.get(0),
    )
}

/// Saves `r` as a new route replacing route `old` (which stays, for the proposals that
/// travelled it); returns the new id.
pub fn replace_route(db: &dyn Sql, old: Id, r: &Route) -> Result<Id> {
    let id = put_route(db, &Route { id: 0, ..r.clone() })?;
    db.execute(
        "UPDATE route SET replaced_by = ?2 WHERE id = ?1",
        args![old, id],
    )?;
    Ok(id)
}

/// Inserts (id 0) or replaces a route; returns its id.
pub fn put_route(db: &dyn Sql, r: &Route) -> Result<Id> {
    let json = encode(r)?;
    if r.id == 0 {
        db.map_one(
            "INSERT INTO route (position, json) VALUES (?1, ?2) RETURNING id",
            args![r.position, json],
            |r| r.get(0),
        )
    } else {
        db.execute(
            "UPDATE route SET position = ?2, json = ?3 WHERE id = ?1",
            args![r.id, r.position, json],
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

fn step_row(r: &dyn Columns) -> Result<StepRow> {
    Ok(StepRow {
        id: r.get(0)?,
        proposal_id: r.get(1)?,
        route_id: r.get(2)?,
        step_index: r.get::<i64>(3)? as usize,
        name: r.get(4)?,
        entered_at: r.get(5)?,
        due_on: r.get(6)?,
        left_at: r.get(7)?,
        outcome: r.get(8)?,
    })
}

pub fn open_step(db: &dyn Sql, proposal: Id) -> Result<Option<StepRow>> {
    db.map_opt(
        &format!(
            "SELECT {STEP_COLUMNS}
         FROM proposal_step
         WHERE proposal_id = ?1 AND left_at IS NULL
         ORDER BY id DESC LIMIT 1"
        ),
        args![proposal],
        step_row,
    )
}

/// Every step of every proposal (`proposal` = None) or of one, oldest first.
pub fn steps(db: &dyn Sql, proposal: Option<Id>) -> Result<Vec<StepRow>> {
    // Two statements, so the one for a single proposal uses its index.
    let rows = match proposal {
        Some(p) => db.map(
            &format!("SELECT {STEP_COLUMNS} FROM proposal_step WHERE proposal_id = ?1 ORDER BY id"),
            args![p],
            step_row,
        )?,
        None => db.map(
            &format!("SELECT {STEP_COLUMNS} FROM proposal_step ORDER BY id"),
            args![],
            step_row,
        )?,
    };
    Ok(rows)
}

/// The open step of every proposal on a route.
pub fn open_steps(db: &dyn Sql) -> Result<Vec<StepRow>> {
    db.map(
        &format!(
            "SELECT {STEP_COLUMNS} FROM proposal_step WHERE left_at IS NULL ORDER BY due_on, id"
        ),
        args![],
        step_row,
    )
}

/// Open motions in meetings that are not closed.
pub fn open_motions(db: &dyn Sql) -> Result<Vec<MotionRow>> {
    db.map(
        &format!(
            "SELECT {MOTION_COLUMNS} FROM motion WHERE status = 'open'
           AND meeting_id IN (SELECT id FROM meeting WHERE status != 'closed') ORDER BY id"
        ),
        args![],
        motion_row,
    )
}

/// (person, approve) sign-offs of a person, by step.
pub fn signed_steps(db: &dyn Sql, person: Id) -> Result<Vec<Id>> {
    db.map(
        "SELECT step_id FROM sign_off WHERE person_id = ?1",
        args![person],
        |r| r.get(0),
    )
}

/// The open motions a person has voted on (those closed are nobody's task any more; a
/// member of many years has voted on thousands).
pub fn voted_open_motions(db: &dyn Sql, person: Id) -> Result<Vec<Id>> {
    db.map(
        "SELECT v.motion_id FROM vote v JOIN motion m ON m.id = v.motion_id
         WHERE v.person_id = ?1 AND m.status = 'open'",
        args![person],
        |r| r.get(0),
    )
}

pub fn enter_step(db: &dyn Sql, s: &StepRow) -> Result<Id> {
    db.map_one(
        "INSERT INTO proposal_step (proposal_id, route_id, step_index, name, entered_at, due_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        args![
            s.proposal_id,
            s.route_id,
            s.step_index as i64,
            s.name,
            s.entered_at,
            s.due_on
        ],
        |r| r.get(0),
    )
}

pub fn leave_step(db: &dyn Sql, id: Id, at: &str, outcome: &str) -> Result<()> {
    db.execute(
        "UPDATE proposal_step SET left_at = ?2, outcome = ?3 WHERE id = ?1",
        args![id, at, outcome],
    )?;
    Ok(())
}

pub fn insert_sign_off(
    db: &dyn Sql,
    step: Id,
    person: Id,
    approve: bool,
    comment: &str,
    at: &str,
) -> Result<Id> {
    db.map_one(
        "INSERT INTO sign_off (step_id, person_id, approve, comment, at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         RETURNING id",
        args![step, person, approve, comment, at],
        |r| r.get(0),
    )
}

/// (person, approve) of each sign-off recorded at a step.
pub fn sign_offs(db: &dyn Sql, step: Id) -> Result<Vec<(Id, bool)>> {
    db.map(
        "SELECT person_id, approve FROM sign_off WHERE step_id = ?1 ORDER BY id",
        args![step],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

// ----- the committee -----

pub fn members(db: &dyn Sql) -> Result<Vec<(Id, Membership)>> {
    let rows = db.map(
        "SELECT id, person_id, seat, alternate_for, term_start, term_end
         FROM committee_member
         ORDER BY id",
        args![],
        |r| {
            Ok((
                r.get::<Id>(0)?,
                r.get::<Id>(1)?,
                r.get::<String>(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (id, person_id, seat, alternate_for, term_start, term_end) = row;
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

pub fn insert_member(db: &dyn Sql, m: &Membership) -> Result<Id> {
    db.map_one(
        "INSERT INTO committee_member (person_id, seat, alternate_for, term_start, term_end)
         VALUES (?1, ?2, ?3, ?4, ?5)
         RETURNING id",
        args![
            m.person_id,
            word(&m.seat)?,
            m.alternate_for,
            m.term_start,
            m.term_end
        ],
        |r| r.get(0),
    )
}

/// (person, reason) of each member recused from a proposal.
pub fn recusals(db: &dyn Sql, proposal: Id) -> Result<Vec<(Id, String)>> {
    db.map(
        "SELECT person_id, reason FROM recusal WHERE proposal_id = ?1 ORDER BY person_id",
        args![proposal],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

pub fn insert_recusal(db: &dyn Sql, proposal: Id, person: Id, reason: &str) -> Result<bool> {
    Ok(db.execute(
        "INSERT INTO recusal (proposal_id, person_id, reason)
         VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
        args![proposal, person, reason],
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

fn meeting_row(r: &dyn Columns) -> Result<MeetingRow> {
    Ok(MeetingRow {
        id: r.get(0)?,
        title: r.get(1)?,
        held_on: r.get(2)?,
        status: r.get(3)?,
        deadline: r.get(4)?,
    })
}

pub fn insert_meeting(db: &dyn Sql, title: &str, held_on: &str) -> Result<Id> {
    db.map_one(
        "INSERT INTO meeting (title, held_on, status) VALUES (?1, ?2, 'scheduled') RETURNING id",
        args![title, held_on],
        |r| r.get(0),
    )
}

/// An electronic vote: a meeting of one item whose votes close at `deadline`.
pub fn insert_electronic_vote(
    db: &dyn Sql,
    title: &str,
    held_on: &str,
    deadline: &str,
) -> Result<Id> {
    db.map_one(
        "INSERT INTO meeting (title, held_on, status, deadline)
         VALUES (?1, ?2, 'open', ?3)
         RETURNING id",
        args![title, held_on, deadline],
        |r| r.get(0),
    )
}

pub fn meeting(db: &dyn Sql, id: Id) -> Result<Option<MeetingRow>> {
    db.map_opt(
        "SELECT id, title, held_on, status, deadline FROM meeting WHERE id = ?1",
        args![id],
        meeting_row,
    )
}

pub fn meetings(db: &dyn Sql) -> Result<Vec<MeetingRow>> {
    db.map(
        "SELECT id, title, held_on, status, deadline FROM meeting ORDER BY held_on DESC, id DESC",
        args![],
        meeting_row,
    )
}

pub fn set_meeting_status(db: &dyn Sql, id: Id, status: &str) -> Result<()> {
    db.execute(
        "UPDATE meeting SET status = ?2 WHERE id = ?1",
        args![id, status],
    )?;
    Ok(())
}

/// (proposal, outcome) of each agenda item, in order.
pub fn agenda(db: &dyn Sql, meeting: Id) -> Result<Vec<(Id, Option<String>)>> {
    db.map(
        "SELECT proposal_id, outcome FROM agenda_item WHERE meeting_id = ?1 ORDER BY position",
        args![meeting],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Replaces a meeting's agenda with these proposals, in this order (outcomes kept).
pub fn set_agenda(db: &dyn Sql, meeting: Id, proposals: &[Id]) -> Result<()> {
    let kept = agenda(db, meeting)?;
    db.execute(
        "DELETE FROM agenda_item WHERE meeting_id = ?1",
        args![meeting],
    )?;
    for (i, p) in proposals.iter().enumerate() {
        let outcome = kept
            .iter()
            .find(|(k, _)| k == p)
            .and_then(|(_, o)| o.clone());
        db.execute(
            "INSERT INTO agenda_item (meeting_id, position, proposal_id, outcome)
         VALUES (?1, ?2, ?3, ?4)",
            args![meeting, i as i64, p, outcome],
        )?;
    }
    Ok(())
}

pub fn set_item_outcome(db: &dyn Sql, meeting: Id, proposal: Id, outcome: &str) -> Result<()> {
    db.execute(
        "UPDATE agenda_item SET outcome = ?3 WHERE meeting_id = ?1 AND proposal_id = ?2",
        args![meeting, proposal, outcome],
    )?;
    Ok(())
}

pub fn attendance(db: &dyn Sql, meeting: Id) -> Result<Vec<Id>> {
    db.map(
        "SELECT person_id FROM attendance WHERE meeting_id = ?1 ORDER BY person_id",
        args![meeting],
        |r| r.get(0),
    )
}

pub fn set_attendance(db: &dyn Sql, meeting: Id, present: &[Id]) -> Result<()> {
    db.execute(
        "DELETE FROM attendance WHERE meeting_id = ?1",
        args![meeting],
    )?;
    for p in present {
        db.execute(
            "INSERT INTO attendance (meeting_id, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            args![meeting, p],
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

fn motion_row(r: &dyn Columns) -> Result<MotionRow> {
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
    db: &dyn Sql,
    meeting: Id,
    proposal: Id,
    decision_json: &str,
    moved_by: Id,
    seconded_by: Id,
) -> Result<Id> {
    db.map_one(
        "INSERT INTO motion (meeting_id, proposal_id, decision_json, moved_by, seconded_by, status)
         VALUES (?1, ?2, ?3, ?4, ?5, 'open')
         RETURNING id",
        args![meeting, proposal, decision_json, moved_by, seconded_by],
        |r| r.get(0),
    )
}

pub fn motion(db: &dyn Sql, id: Id) -> Result<Option<MotionRow>> {
    db.map_opt(
        &format!("SELECT {MOTION_COLUMNS} FROM motion WHERE id = ?1"),
        args![id],
        motion_row,
    )
}

pub fn motions(db: &dyn Sql, meeting: Id) -> Result<Vec<MotionRow>> {
    db.map(
        &format!("SELECT {MOTION_COLUMNS} FROM motion WHERE meeting_id = ?1 ORDER BY id"),
        args![meeting],
        motion_row,
    )
}

pub fn close_motion(db: &dyn Sql, id: Id, status: &str, tally_json: &str) -> Result<()> {
    db.execute(
        "UPDATE motion SET status = ?2, tally_json = ?3 WHERE id = ?1",
        args![id, status, tally_json],
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
    db: &dyn Sql,
    motion: Id,
    person: Id,
    choice: VoteChoice,
    at: &str,
) -> Result<Id> {
    db.map_one(
        "INSERT INTO vote (motion_id, person_id, choice, at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        args![motion, person, word(&choice)?, at],
        |r| r.get(0),
    )
}

fn vote_row(r: &dyn Columns) -> Result<VoteRow> {
    Ok(VoteRow {
        id: r.get(0)?,
        motion_id: r.get(1)?,
        person_id: r.get(2)?,
        choice: from_word(&r.get::<String>(3)?)?,
        at: r.get(4)?,
    })
}

/// The votes on one motion, or every vote (`motion` = None).
pub fn votes(db: &dyn Sql, motion: Option<Id>) -> Result<Vec<VoteRow>> {
    db.map(
        "SELECT id, motion_id, person_id, choice, at FROM vote
         WHERE motion_id = ?1 OR ?1 IS NULL ORDER BY id",
        args![motion],
        vote_row,
    )
}

/// Every vote on the motions of one meeting, in the order cast (one query for the meeting's
/// view, however many motions it held).
pub fn votes_at_meeting(db: &dyn Sql, meeting: Id) -> Result<Vec<VoteRow>> {
    db.map(
        "SELECT v.id, v.motion_id, v.person_id, v.choice, v.at
         FROM vote v JOIN motion m ON m.id = v.motion_id
         WHERE m.meeting_id = ?1 ORDER BY v.id",
        args![meeting],
        vote_row,
    )
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
    db: &dyn Sql,
    proposal: Id,
    text: &str,
    owner: Id,
    due_on: &str,
) -> Result<Id> {
    db.map_one(
        "INSERT INTO condition (proposal_id, text, owner_id, due_on)
         VALUES (?1, ?2, ?3, ?4)
         RETURNING id",
        args![proposal, text, owner, due_on],
        |r| r.get(0),
    )
}

/// The conditions of one proposal, or of all (`proposal` = None).
pub fn conditions(db: &dyn Sql, proposal: Option<Id>) -> Result<Vec<ConditionRow>> {
    db.map(
        "SELECT id, proposal_id, text, owner_id, due_on, met_at, met_note FROM condition
         WHERE proposal_id = ?1 OR ?1 IS NULL ORDER BY id",
        args![proposal],
        |r| {
            Ok(ConditionRow {
                id: r.get(0)?,
                proposal_id: r.get(1)?,
                text: r.get(2)?,
                owner_id: r.get(3)?,
                due_on: r.get(4)?,
                met_at: r.get(5)?,
                met_note: r.get(6)?,
            })
        },
    )
}

pub fn meet_condition(db: &dyn Sql, id: Id, at: &str, note: &str) -> Result<()> {
    db.execute(
        "UPDATE condition SET met_at = ?2, met_note = ?3 WHERE id = ?1",
        args![id, at, note],
    )?;
    Ok(())
}

// ----- keys -----

/// The sealed key a person signs with now (JSON), if any.
pub fn active_key(db: &dyn Sql, person: Id) -> Result<Option<String>> {
    db.map_opt(
        "SELECT sealed
         FROM person_key
         WHERE person_id = ?1 AND retired_at IS NULL
         ORDER BY id DESC LIMIT 1",
        args![person],
        |r| r.get(0),
    )
}

/// The people who hold an active signing key.
pub fn key_holders(db: &dyn Sql) -> Result<Vec<Id>> {
    db.map(
        "SELECT DISTINCT person_id FROM person_key WHERE retired_at IS NULL ORDER BY person_id",
        args![],
        |r| r.get(0),
    )
}

/// Every public key (multibase) a person has held, with its owner.
pub fn public_keys(db: &dyn Sql) -> Result<Vec<(Id, String)>> {
    db.map(
        "SELECT person_id, public_key FROM person_key ORDER BY id",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

pub fn insert_key(
    db: &dyn Sql,
    person: Id,
    public_key: &str,
    sealed_json: &str,
    at: &str,
) -> Result<()> {
    db.execute(
        "UPDATE person_key SET retired_at = ?2 WHERE person_id = ?1 AND retired_at IS NULL",
        args![person, at],
    )?;
    db.execute(
        "INSERT INTO person_key (person_id, public_key, sealed, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        args![person, public_key, sealed_json, at],
    )?;
    Ok(())
}

/// Retires a person's signing key (a coordinator's reset): they sign nothing until they
/// create a new one. Returns whether there was one.
pub fn retire_keys(db: &dyn Sql, person: Id, at: &str) -> Result<bool> {
    Ok(db.execute(
        "UPDATE person_key SET retired_at = ?2 WHERE person_id = ?1 AND retired_at IS NULL",
        args![person, at],
    )? > 0)
}

/// Sets a step's times (the demo backdates its steps so the service clock has history).
pub fn set_step_times(
    db: &dyn Sql,
    id: Id,
    entered_at: &str,
    due_on: &str,
    left_at: Option<&str>,
) -> Result<()> {
    db.execute(
        "UPDATE proposal_step
         SET entered_at = ?2, due_on = ?3, left_at = COALESCE(?4, left_at)
         WHERE id = ?1",
        args![id, entered_at, due_on, left_at],
    )?;
    Ok(())
}

// ----- reviewers and comments -----

/// (person, role, scores JSON) of each reviewer of a proposal.
pub fn reviewers(db: &dyn Sql, proposal: Id) -> Result<Vec<(Id, String, Option<String>)>> {
    db.map(
        "SELECT person_id, role, scores_json
         FROM reviewer
         WHERE proposal_id = ?1
         ORDER BY role, person_id",
        args![proposal],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// Proposals a person reviews and has not scored yet.
pub fn unscored(db: &dyn Sql, person: Id) -> Result<Vec<Id>> {
    db.map(
        "SELECT proposal_id
         FROM reviewer
         WHERE person_id = ?1 AND scores_json IS NULL
         ORDER BY assigned_at",
        args![person],
        |r| r.get(0),
    )
}

pub fn assign_reviewer(db: &dyn Sql, proposal: Id, person: Id, role: &str, at: &str) -> Result<()> {
    db.execute(
        "INSERT INTO reviewer (proposal_id, person_id, role, assigned_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (proposal_id, person_id) DO UPDATE SET role = ?3",
        args![proposal, person, role, at],
    )?;
    Ok(())
}

pub fn set_scores(
    db: &dyn Sql,
    proposal: Id,
    person: Id,
    scores_json: &str,
    at: &str,
) -> Result<()> {
    db.execute(
        "UPDATE reviewer
         SET scores_json = ?3, scored_at = ?4
         WHERE proposal_id = ?1 AND person_id = ?2",
        args![proposal, person, scores_json, at],
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

pub fn insert_comment(db: &dyn Sql, c: &CommentRow) -> Result<Id> {
    let id: Id = db.map_one(
        "INSERT INTO comment (proposal_id, parent_id, field, visibility, author_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        args![
            c.proposal_id,
            c.parent_id,
            c.field,
            c.visibility,
            c.author_id,
            c.created_at
        ],
        |r| r.get(0),
    )?;
    for (at, text) in &c.texts {
        add_comment_text(db, id, text, at)?;
    }
    Ok(id)
}

pub fn add_comment_text(db: &dyn Sql, comment: Id, text: &str, at: &str) -> Result<()> {
    db.execute(
        "INSERT INTO comment_text (comment_id, version, text, at)
         VALUES (?1,
                 (SELECT COALESCE(MAX(version), 0) + 1 FROM comment_text WHERE comment_id = ?1),
                 ?2, ?3)",
        args![comment, text, at],
    )?;
    Ok(())
}

/// A proposal's comments (or one, `only`), oldest first, each with every text it has had.
/// The proposal a comment is on and its audience (`committee` or `proposer`).
pub fn comment_audience(db: &dyn Sql, comment: Id) -> Result<Option<(Id, String)>> {
    db.map_opt(
        "SELECT proposal_id, visibility FROM comment WHERE id = ?1",
        args![comment],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

pub fn comments(db: &dyn Sql, proposal: Id) -> Result<Vec<CommentRow>> {
    let rows = db.map(
        "SELECT id, proposal_id, parent_id, field, visibility, author_id, created_at FROM comment
         WHERE proposal_id = ?1 ORDER BY id",
        args![proposal],
        |r| {
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
        },
    )?;
    let mut out: Vec<CommentRow> = rows;
    let texts = db.map(
        "SELECT t.comment_id, t.at, t.text FROM comment_text t JOIN comment c ON c.id = t.comment_id
         WHERE c.proposal_id = ?1 ORDER BY t.comment_id, t.version",
        args![proposal],
        |r| Ok((r.get::<Id>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)),
    )?;
    for (id, at, text) in texts {
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
    db: &dyn Sql,
    person: Id,
    code_hash: &str,
    issued_at: &str,
    expires_at: &str,
) -> Result<Id> {
    db.execute(
        "UPDATE enrolment SET used_at = ?2 WHERE person_id = ?1 AND used_at IS NULL",
        args![person, format!("replaced {issued_at}")],
    )?;
    db.map_one(
        "INSERT INTO enrolment (person_id, code_hash, issued_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)
         RETURNING id",
        args![person, code_hash, issued_at, expires_at],
        |r| r.get(0),
    )
}

/// The person's newest enrolment code that is neither used nor replaced.
pub fn open_enrolment(db: &dyn Sql, person: Id) -> Result<Option<EnrolmentRow>> {
    db.map_opt(
        "SELECT id, person_id, code_hash, issued_at, expires_at, used_at FROM enrolment
             WHERE person_id = ?1 AND used_at IS NULL ORDER BY id DESC LIMIT 1",
        args![person],
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
}

/// Marks an enrolment code used.
pub fn use_enrolment(db: &dyn Sql, id: Id, at: &str) -> Result<()> {
    db.execute(
        "UPDATE enrolment SET used_at = ?2 WHERE id = ?1",
        args![id, at],
    )?;
    Ok(())
}

/// Whether any signing key was ever registered in this workspace.
pub fn any_key(db: &dyn Sql) -> Result<bool> {
    db.map_one("SELECT EXISTS (SELECT 1 FROM person_key)", args![], |r| {
        r.get(0)
    })
}
