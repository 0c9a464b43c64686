//! How the committee deliberates on a proposal: reviewers the coordinator assigns, the
//! rubric they score against, and comments anchored to the proposal's fields, threaded,
//! either internal to the committee or visible to the proposer. Comments are never
//! deleted; an edit keeps every earlier text.

use credence_domain::person::{Person, Role};
use credence_domain::review::{self, ReviewerRole, Rubric, Score, Visibility};
use credence_domain::Id;
use credence_store::review as store;
use credence_store::{people, settings, sql::Sql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kernel::clock::{now, today};
use crate::kernel::people::{actor_person, name_of, person};
use crate::kernel::refuse;
use crate::kernel::{record, Need};
use crate::proposals::load;
use crate::review::{member_list, recused};
use crate::{AppError, ErrorKind, Workspace};

type Result<T> = std::result::Result<T, AppError>;

const RUBRIC_KEY: &str = "rubric";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReviewerView {
    #[ts(type = "number")]
    pub person_id: Id,
    pub name: String,
    pub role: ReviewerRole,
    /// Their scores, once given.
    pub scores: Option<Vec<Score>>,
    /// The sum of their scores.
    #[ts(type = "number | null")]
    pub total: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CommentView {
    #[ts(type = "number")]
    pub id: Id,
    #[ts(type = "number | null")]
    pub parent_id: Option<Id>,
    /// The proposal field the comment is about (`general` for the whole proposal).
    pub field: String,
    pub visibility: Visibility,
    pub author: String,
    #[ts(type = "number")]
    pub author_id: Id,
    pub created_at: String,
    /// The text now.
    pub text: String,
    /// Earlier texts, oldest first, each with when it was replaced... or written.
    pub earlier: Vec<EarlierText>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EarlierText {
    pub at: String,
    pub text: String,
}

/// A proposal's deliberation as the acting person may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Deliberation {
    pub rubric: Rubric,
    pub reviewers: Vec<ReviewerView>,
    pub comments: Vec<CommentView>,
    /// Whether the acting person sees internal comments (committee, coordinators, reviewers).
    pub sees_internal: bool,
    /// Whether the acting person assigns reviewers (a coordinator).
    pub may_assign: bool,
}

fn rubric(conn: &dyn Sql) -> Result<Rubric> {
    Ok(settings::get(conn, RUBRIC_KEY)?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_else(Rubric::shipped))
}

fn role_word(r: ReviewerRole) -> &'static str {
    match r {
        ReviewerRole::Primary => "primary",
        ReviewerRole::Secondary => "secondary",
    }
}

fn vis_word(v: Visibility) -> &'static str {
    match v {
        Visibility::Committee => "committee",
        Visibility::Proposer => "proposer",
    }
}

/// Committee members serving today, coordinators, and the people acting on the route see
/// internal comments; everyone else (the proposer) sees those made visible to proposers.
fn sees_internal(conn: &dyn Sql, p: &Person, proposal: Id) -> Result<bool> {
    if p.has_role(Role::Coordinator) || p.has_role(Role::CommitteeChair) {
        return Ok(true);
    }
    let day = today();
    if member_list(conn)?
        .iter()
        .any(|m| m.person_id == p.id && m.serving_on(&day))
    {
        return Ok(true);
    }
    Ok(store::reviewers(conn, proposal)?
        .iter()
        .any(|(r, _, _)| *r == p.id)
        || (p.has_role(Role::UnitApprover) || p.has_role(Role::FinalApprover)))
}

/// Withholds from `entries` what `viewer` may not read: internal comments, rubric scores and
/// reviewer assignments are the committee's (see `sees_internal`), in the audit log as in
/// the review panel. The entry stays, with its actor, time and hash; its record before and
/// after reads "withheld". Without a viewer, everything internal is withheld.
pub(crate) fn withhold_internal(
    conn: &dyn Sql,
    viewer: Option<Id>,
    entries: &mut [crate::AuditEntry],
) -> Result<()> {
    let viewer = match viewer {
        Some(id) => people::get(conn, id)?,
        None => None,
    };
    let mut seen: std::collections::HashMap<Id, bool> = std::collections::HashMap::new();
    for e in entries.iter_mut() {
        let proposal = match (e.entity.as_str(), e.action.as_str()) {
            ("comment", _) => match e.entity_id.parse() {
                Ok(id) => match store::comment_audience(conn, id)? {
                    Some((p, audience)) if audience == vis_word(Visibility::Committee) => Some(p),
                    _ => None,
                },
                Err(_) => None,
            },
            ("proposal", "score" | "assign_reviewer") => e.entity_id.parse().ok(),
            _ => None,
        };
        let Some(proposal) = proposal else { continue };
        let sees = match (&viewer, seen.get(&proposal)) {
            (None, _) => false,
            (Some(_), Some(known)) => *known,
            (Some(v), None) => {
                let known = sees_internal(conn, v, proposal)?;
                seen.insert(proposal, known);
                known
            }
        };
        if !sees {
            let withheld = serde_json::json!({"withheld": "internal to the committee"});
            e.before = e.before.as_ref().map(|_| withheld.clone());
            e.after = e.after.as_ref().map(|_| withheld);
        }
    }
    Ok(())
}

impl Workspace {
    pub fn rubric(&self) -> Result<Rubric> {
        self.read(rubric)
    }

    /// Replaces the rubric (coordinators; audited). Scores already given stay as given.
    pub fn set_rubric(&self, by: Option<Id>, r: &Rubric) -> Result<Rubric> {
        review::check_rubric(r)?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = rubric(tx)?;
            let json = serde_json::to_string(r)
                .map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
            settings::set(tx, RUBRIC_KEY, &json)?;
            record(
                tx,
                actor,
                "setting",
                RUBRIC_KEY,
                "update",
                Some(&before),
                Some(r),
            )?;
            Ok(r.clone())
        })
    }

    /// The coordinator assigns a committee member as primary or secondary reviewer.
    pub fn assign_reviewer(
        &self,
        by: Option<Id>,
        proposal: Id,
        reviewer: Id,
        role: ReviewerRole,
    ) -> Result<Deliberation> {
        self.write(by, Need::Coordinator, |tx, actor| {
            let p = load(tx, proposal)?;
            let who = person(tx, reviewer)?;
            if p.created_by == Some(who.id) {
                return Err(refuse(
                    "reviewer",
                    format!("{} proposed this and cannot review it", who.name),
                ));
            }
            let day = today();
            if !member_list(tx)?
                .iter()
                .any(|m| m.person_id == who.id && m.serving_on(&day))
            {
                return Err(refuse(
                    "reviewer",
                    format!("{} is not a committee member serving today", who.name),
                ));
            }
            if let Some((_, why)) = recused(tx, &p)?.into_iter().find(|(id, _)| *id == who.id) {
                return Err(refuse(
                    "reviewer",
                    format!("{} is recused from this proposal ({why})", who.name),
                ));
            }
            store::assign_reviewer(tx, proposal, who.id, role_word(role), &now())?;
            record(
                tx,
                actor,
                "proposal",
                &proposal.to_string(),
                "assign_reviewer",
                None::<()>,
                Some(&serde_json::json!({"reviewer": who.id, "role": role})),
            )
        })?;
        self.deliberation(by, proposal)
    }

    /// An assigned reviewer scores the proposal on every criterion of the rubric.
    pub fn submit_scores(
        &self,
        by: Option<Id>,
        proposal: Id,
        scores: &[Score],
    ) -> Result<Deliberation> {
        self.write(by, Need::Person, |tx, actor| {
            let me = actor_person(tx, actor)?;
            load(tx, proposal)?;
            if !store::reviewers(tx, proposal)?
                .iter()
                .any(|(r, _, _)| *r == me.id)
            {
                return Err(AppError::forbidden(format!(
                    "{} is not a reviewer of this proposal",
                    me.name
                )));
            }
            review::check_scores(&rubric(tx)?, scores)?;
            let json = serde_json::to_string(scores)
                .map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))?;
            store::set_scores(tx, proposal, me.id, &json, &now())?;
            record(
                tx,
                actor,
                "proposal",
                &proposal.to_string(),
                "score",
                None::<()>,
                Some(&scores),
            )
        })?;
        self.deliberation(by, proposal)
    }

    /// Adds a comment (or a reply) about a field of the proposal. Proposers write only
    /// comments the proposer sees; internal comments are for the committee's side.
    pub fn add_comment(
        &self,
        by: Option<Id>,
        proposal: Id,
        field: &str,
        visibility: Visibility,
        parent: Option<Id>,
        text: &str,
    ) -> Result<Deliberation> {
        if text.trim().is_empty() {
            return Err(refuse("text", "write something"));
        }
        if text.chars().count() > 10_000 {
            return Err(refuse("text", "at most 10,000 characters"));
        }
        self.write(by, Need::Person, |tx, actor| {
            let me = actor_person(tx, actor)?;
            load(tx, proposal)?;
            let internal = sees_internal(tx, &me, proposal)?;
            if visibility == Visibility::Committee && !internal {
                return Err(AppError::forbidden(format!(
                    "{} writes comments the proposer sees; internal comments are the committee's",
                    me.name
                )));
            }
            let (field, visibility) = match parent {
                Some(pid) => {
                    let Some(parent) = store::comments(tx, proposal)?.into_iter().find(|c| c.id == pid) else {
                        return Err(AppError::not_found(format!("proposal {proposal} has no comment {pid}")));
                    };
                    if parent.visibility == "committee" && !internal {
                        return Err(AppError::not_found(format!("proposal {proposal} has no comment {pid}")));
                    }
                    // A reply stays in its thread's field and is seen by whoever saw the thread.
                    let vis = if parent.visibility == "committee" { Visibility::Committee } else { visibility };
                    (parent.field, vis)
                }
                None => (field.trim().to_string(), visibility),
            };
            if field.is_empty() {
                return Err(refuse("field", "say which part of the proposal the comment is about"));
            }
            let at = now();
            let id = store::insert_comment(
                tx,
                &store::CommentRow {
                    id: 0,
                    proposal_id: proposal,
                    parent_id: parent,
                    field: field.clone(),
                    visibility: vis_word(visibility).into(),
                    author_id: me.id,
                    created_at: at.clone(),
                    texts: vec![(at, text.to_string())],
                },
            )?;
            record(tx, actor, "comment", &id.to_string(), "create", None::<()>, Some(&serde_json::json!({"proposal": proposal, "field": field, "visibility": visibility, "parent": parent, "text": text})))
        })?;
        self.deliberation(by, proposal)
    }

    /// The author edits a comment; the earlier text is kept and shown.
    pub fn edit_comment(
        &self,
        by: Option<Id>,
        proposal: Id,
        comment: Id,
        text: &str,
    ) -> Result<Deliberation> {
        if text.trim().is_empty() {
            return Err(refuse(
                "text",
                "write something (comments are never deleted)",
            ));
        }
        self.write(by, Need::Person, |tx, actor| {
            let me = actor_person(tx, actor)?;
            let Some(c) = store::comments(tx, proposal)?
                .into_iter()
                .find(|c| c.id == comment)
            else {
                return Err(AppError::not_found(format!(
                    "proposal {proposal} has no comment {comment}"
                )));
            };
            if c.author_id != me.id {
                return Err(AppError::forbidden(format!(
                    "only {} edits this comment",
                    name_of(tx, c.author_id)
                )));
            }
            let before = c.texts.last().map(|(_, t)| t.clone());
            store::add_comment_text(tx, comment, text, &now())?;
            record(
                tx,
                actor,
                "comment",
                &comment.to_string(),
                "edit",
                Some(&before),
                Some(&text),
            )
        })?;
        self.deliberation(by, proposal)
    }

    /// Reviewers, scores and comments as the acting person may see them.
    pub fn deliberation(&self, by: Option<Id>, proposal: Id) -> Result<Deliberation> {
        self.read(|c| {
            load(c, proposal)?;
            let me = by.map(|id| person(c, id)).transpose()?;
            let internal = match &me {
                Some(me) => sees_internal(c, me, proposal)?,
                None => false,
            };
            let may_assign = me.as_ref().is_some_and(|m| m.has_role(Role::Coordinator));
            let reviewers = if internal {
                store::reviewers(c, proposal)?
                    .into_iter()
                    .map(|(id, role, scores)| {
                        let scores: Option<Vec<Score>> =
                            scores.and_then(|s| serde_json::from_str(&s).ok());
                        ReviewerView {
                            person_id: id,
                            name: name_of(c, id),
                            role: if role == "primary" {
                                ReviewerRole::Primary
                            } else {
                                ReviewerRole::Secondary
                            },
                            total: scores
                                .as_ref()
                                .map(|s| s.iter().map(|x| u32::from(x.score)).sum()),
                            scores,
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let comments = store::comments(c, proposal)?
                .into_iter()
                .filter(|x| internal || x.visibility == "proposer")
                .map(|x| {
                    let mut texts: Vec<EarlierText> = x
                        .texts
                        .iter()
                        .map(|(at, text)| EarlierText {
                            at: at.clone(),
                            text: text.clone(),
                        })
                        .collect();
                    let text = texts.pop().map(|t| t.text).unwrap_or_default();
                    CommentView {
                        id: x.id,
                        parent_id: x.parent_id,
                        field: x.field,
                        visibility: if x.visibility == "committee" {
                            Visibility::Committee
                        } else {
                            Visibility::Proposer
                        },
                        author: name_of(c, x.author_id),
                        author_id: x.author_id,
                        created_at: x.created_at,
                        text,
                        earlier: texts,
                    }
                })
                .collect();
            Ok(Deliberation {
                rubric: rubric(c)?,
                reviewers,
                comments,
                sees_internal: internal,
                may_assign,
            })
        })
    }
}
