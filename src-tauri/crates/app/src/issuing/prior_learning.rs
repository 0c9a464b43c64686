//! Recognition of prior learning (issue 18, part 6): a claim opened with the learner's
//! account and evidence, judged by an assessor outcome by outcome and decided with the
//! assessor's signature, and a recognized claim awarded a credential that says how it was
//! earned (`evidence` of genre "Recognition of prior learning").

use credence_domain::attachment::AttachmentRef;
use credence_domain::award::{Award, LearnerInput};
use credence_domain::person::Role;
use credence_domain::prior_learning::{self as rpl, Assessment, ClaimState};
use credence_domain::{DomainError, Id};
use credence_store::audit::Actor;
use credence_store::prior_learning as store;
use credence_store::sql::Sql;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::internal;
use super::{locked, may_issue, Awarding};
use crate::kernel::keys::{sign, signing_key};
use crate::kernel::people::actor_person;
use crate::kernel::{record, refuse, Need};
use crate::proposals::attachments::{check_incoming, limit, store_file, viewer_copy, IncomingFile};
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// A claim of prior learning as the window and the CLI show it, with what the viewer may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PriorLearningClaim {
    #[ts(type = "number")]
    pub id: Id,
    #[ts(type = "number")]
    pub proposal_id: Id,
    pub microcredential: String,
    pub version: i64,
    pub learner_name: String,
    pub learner_email: String,
    pub statement: String,
    pub evidence: Vec<AttachmentRef>,
    /// The learning outcomes of the version claimed, each to be judged.
    pub outcomes: Vec<String>,
    pub state: ClaimState,
    pub assessment: Option<Assessment>,
    pub assessor: Option<String>,
    pub decided_at: Option<String>,
    pub award_id: Option<String>,
    pub opened_at: String,
    pub opened_by: Option<String>,
    pub may_add_evidence: bool,
    pub may_assess: bool,
    pub may_award: bool,
}

/// The claims, and whether the viewer may open one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PriorLearningState {
    pub may_open: bool,
    pub claims: Vec<PriorLearningClaim>,
}

/// What opening a claim takes: the microcredential (slug or id), the learner and their
/// account of what they learned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClaimInput {
    pub microcredential: String,
    pub learner_name: String,
    pub learner_email: String,
    #[serde(default)]
    pub learner_did: String,
    pub statement: String,
}

/// Who takes claims in and gathers evidence: the coordinator and assessors.
fn may_open(conn: &dyn Sql, actor: &Actor) -> Result<()> {
    let me = actor_person(conn, actor)?;
    if me.has_role(Role::Coordinator) || me.has_role(Role::Assessor) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only the coordinator and assessors take claims of prior learning",
        ))
    }
}

fn claim_row(conn: &dyn Sql, id: Id) -> Result<store::ClaimRow> {
    store::get(conn, id)?
        .ok_or_else(|| AppError::not_found(format!("there is no claim of prior learning {id}")))
}

fn evidence_of(row: &store::ClaimRow) -> Result<Vec<AttachmentRef>> {
    serde_json::from_str(&row.evidence_json).map_err(internal)
}

impl Workspace {
    /// Every claim of prior learning (the open ones first), with what `viewer` may do.
    pub fn prior_learning(&self, viewer: Option<Id>) -> Result<PriorLearningState> {
        self.read(|c| {
            let me = viewer
                .map(|id| crate::kernel::people::person(c, id))
                .transpose()?;
            let has = |r: Role| me.as_ref().is_some_and(|p| p.has_role(r));
            let claims = store::list(c)?
                .into_iter()
                .map(|row| self.claim_view(c, row, me.as_ref()))
                .collect::<Result<_>>()?;
            Ok(PriorLearningState {
                may_open: has(Role::Coordinator) || has(Role::Assessor),
                claims,
            })
        })
    }

    /// One claim, with what `viewer` may do.
    pub fn prior_learning_claim(&self, viewer: Option<Id>, id: Id) -> Result<PriorLearningClaim> {
        self.read(|c| {
            let me = viewer
                .map(|id| crate::kernel::people::person(c, id))
                .transpose()?;
            let row = claim_row(c, id)?;
            self.claim_view(c, row, me.as_ref())
        })
    }

    fn claim_view(
        &self,
        c: &dyn Sql,
        row: store::ClaimRow,
        me: Option<&credence_domain::person::Person>,
    ) -> Result<PriorLearningClaim> {
        let state = ClaimState::parse(&row.state).unwrap_or(ClaimState::Open);
        let outcomes = super::version_content_in(c, row.proposal_id, row.version)?.outcomes;
        let assessment = row
            .assessment_json
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(internal)?;
        let may = rpl::acts(me, state, &row.learner_email, row.award_id.is_some());
        Ok(PriorLearningClaim {
            evidence: evidence_of(&row)?,
            may_add_evidence: may.add_evidence,
            may_assess: may.assess,
            may_award: may.award,
            id: row.id,
            proposal_id: row.proposal_id,
            microcredential: row.microcredential,
            version: row.version,
            learner_name: row.learner_name,
            learner_email: row.learner_email,
            statement: row.statement,
            outcomes,
            state,
            assessment,
            assessor: row.assessor,
            decided_at: row.decided_at,
            award_id: row.award_id,
            opened_at: row.opened_at,
            opened_by: row.opened_by,
        })
    }

    /// Opens a claim of prior learning against the version of an active microcredential in
    /// effect today, with the learner's account and any evidence files (all or none, each
    /// problem named). A learner who holds the microcredential, or has a claim to it open,
    /// is refused. Coordinators and assessors; audited.
    pub fn open_prior_learning(
        &self,
        by: Option<Id>,
        input: &ClaimInput,
        files: &[IncomingFile],
    ) -> Result<PriorLearningClaim> {
        let learner = LearnerInput {
            name: input.learner_name.clone(),
            email: input.learner_email.clone(),
            learner_did: input.learner_did.clone(),
            ..Default::default()
        };
        let statement = rpl::check_statement(&input.statement);
        let learner = match (
            super::check_learners(std::slice::from_ref(&learner)),
            statement,
        ) {
            (Ok(mut l), Ok(s)) => (l.remove(0), s),
            (learner, statement) => {
                let mut problems = Vec::new();
                if let Err(e) = learner {
                    problems.extend(e.fields);
                }
                if let Err(m) = statement {
                    problems.push(credence_domain::FieldError::new("statement", m));
                }
                return Err(DomainError::Invalid(problems).into());
            }
        };
        let (learner, statement) = learner;
        let awarding = self.awarding(&input.microcredential)?;
        let id = self.write(by, Need::Person, |tx, actor| {
            may_open(tx, actor)?;
            let held = credence_store::issuing::awards_of_email(tx, &learner.email)?
                .into_iter()
                .find(|a| {
                    a.proposal_id == awarding.proposal_id && a.revoked_at.is_none() && !a.expired
                });
            if let Some(a) = held {
                return Err(refuse(
                    "learner_email",
                    format!(
                        "{} already holds {} (award {}, completed {})",
                        a.learner_name, awarding.title, a.id, a.completed_on
                    ),
                ));
            }
            if store::list(tx)?.iter().any(|c| {
                c.state == ClaimState::Open.as_str()
                    && c.proposal_id == awarding.proposal_id
                    && c.learner_email == learner.email
            }) {
                return Err(refuse(
                    "learner_email",
                    format!(
                        "{} already has a claim to {} waiting for an assessor",
                        learner.email, awarding.title
                    ),
                ));
            }
            let accepted = check_incoming(files, limit(tx)?, &[], "evidence")?;
            let id = store::insert(
                tx,
                &store::NewClaim {
                    proposal_id: awarding.proposal_id,
                    version: awarding.version,
                    learner_name: &learner.name,
                    learner_email: &learner.email,
                    learner_did: learner.learner_did.as_deref(),
                    statement: &statement,
                    opened_at: &crate::kernel::clock::now(),
                    opened_by: actor.id,
                },
            )?;
            let evidence = store_all(tx, &accepted)?;
            store::set_evidence(tx, id, &serde_json::to_string(&evidence).map_err(internal)?)?;
            record(
                tx,
                actor,
                "prior_learning",
                &id.to_string(),
                "open",
                None::<()>,
                Some(&serde_json::json!({
                    "microcredential": awarding.slug,
                    "version": awarding.version,
                    "learner": learner.name,
                    "email": learner.email,
                    "evidence": evidence,
                })),
            )?;
            Ok(id)
        })?;
        self.prior_learning_claim(by, id)
    }

    /// Adds evidence files to an open claim (all or none). Coordinators and assessors;
    /// audited.
    pub fn add_prior_learning_evidence(
        &self,
        by: Option<Id>,
        id: Id,
        files: &[IncomingFile],
    ) -> Result<PriorLearningClaim> {
        if files.is_empty() {
            return Err(AppError::field("evidence", "choose at least one file"));
        }
        self.write(by, Need::Person, |tx, actor| {
            may_open(tx, actor)?;
            let row = claim_row(tx, id)?;
            if row.state != ClaimState::Open.as_str() {
                return Err(refuse(
                    "evidence",
                    format!(
                        "the claim was {} already: its evidence is kept as decided",
                        row.state
                    ),
                ));
            }
            let before = evidence_of(&row)?;
            let accepted = check_incoming(files, limit(tx)?, &before, "evidence")?;
            let mut after = before.clone();
            after.extend(store_all(tx, &accepted)?);
            store::set_evidence(tx, id, &serde_json::to_string(&after).map_err(internal)?)?;
            record(
                tx,
                actor,
                "prior_learning",
                &id.to_string(),
                "add_evidence",
                Some(&before),
                Some(&after),
            )?;
            Ok(())
        })?;
        self.prior_learning_claim(by, id)
    }

    /// A read-only copy of a claim's evidence file under `dir`, for the system's viewer.
    pub fn prior_learning_evidence_copy(
        &self,
        id: Id,
        sha256: &str,
        dir: &std::path::Path,
    ) -> Result<std::path::PathBuf> {
        let (r, bytes) = self.read(|c| {
            let row = claim_row(c, id)?;
            let r = evidence_of(&row)?
                .into_iter()
                .find(|e| e.sha256 == sha256)
                .ok_or_else(|| {
                    AppError::not_found(format!("claim {id} has no evidence {sha256}"))
                })?;
            let (_, bytes) = credence_store::blobs::get(c, sha256)?.ok_or_else(|| {
                AppError::not_found(format!("the file {} is missing from the workspace", r.name))
            })?;
            Ok((r, bytes))
        })?;
        if credence_domain::attachment::sha256_hex(&bytes) != r.sha256 {
            return Err(AppError::new(
                crate::ErrorKind::Internal,
                format!("the stored copy of {} does not match its hash", r.name),
            ));
        }
        viewer_copy(&r, &bytes, dir)
    }

    /// Decides an open claim: the assessor's judgement of every learning outcome, recognized
    /// only when each is met, declined with reasons; signed with the assessor's own key (the
    /// signed statement names the claim, the version, the learner and the evidence by hash).
    /// Assessors, never on their own claim, with evidence to assess.
    pub fn assess_prior_learning(
        &self,
        by: Option<Id>,
        id: Id,
        assessment: &Assessment,
        passphrase: &str,
    ) -> Result<PriorLearningClaim> {
        self.write(by, Need::Person, |tx, actor| {
            let me = actor_person(tx, actor)?;
            if !me.has_role(Role::Assessor) {
                return Err(AppError::forbidden(
                    "only assessors decide claims of prior learning",
                ));
            }
            let row = claim_row(tx, id)?;
            if row.state != ClaimState::Open.as_str() {
                return Err(refuse(
                    "status",
                    format!(
                        "the claim was {} already (by {})",
                        row.state,
                        row.assessor.as_deref().unwrap_or("someone")
                    ),
                ));
            }
            if me.email.eq_ignore_ascii_case(&row.learner_email) {
                return Err(AppError::forbidden(
                    "an assessor does not decide their own claim",
                ));
            }
            let evidence = evidence_of(&row)?;
            if evidence.is_empty() {
                return Err(refuse(
                    "evidence",
                    "there is no evidence to assess: add the learner's evidence first",
                ));
            }
            let outcomes = super::version_content_in(tx, row.proposal_id, row.version)?.outcomes;
            rpl::check_assessment(&outcomes, assessment).map_err(DomainError::Invalid)?;
            let key = signing_key(tx, &me, passphrase)?;
            let state = if assessment.recognize {
                ClaimState::Recognized
            } else {
                ClaimState::Declined
            };
            let signed = sign(
                &key,
                &me,
                "assess_prior_learning",
                format!("prior_learning:{id}"),
                serde_json::json!({
                    "claim": id,
                    "microcredential": row.proposal_id,
                    "version": row.version,
                    "learner": row.learner_email,
                    "evidence": evidence.iter().map(|e| &e.sha256).collect::<Vec<_>>(),
                    "assessment": assessment,
                }),
            )?;
            let at = crate::kernel::clock::now();
            store::set_decision(
                tx,
                id,
                state.as_str(),
                &serde_json::to_string(assessment).map_err(internal)?,
                me.id,
                &at,
            )?;
            record(
                tx,
                actor,
                "prior_learning",
                &id.to_string(),
                state.as_str(),
                None::<()>,
                Some(&signed),
            )?;
            Ok(())
        })?;
        self.prior_learning_claim(by, id)
    }

    /// Awards a recognized claim: a credential under the version assessed, completed on the
    /// day it was decided, whose evidence says it was earned by recognition of prior learning
    /// (who assessed it, when, against how many outcomes). Coordinators and issuing staff,
    /// with the issuer keys unlocked; once per claim.
    pub fn award_prior_learning(&self, by: Option<Id>, id: Id) -> Result<Award> {
        let row = self.read(|c| claim_row(c, id))?;
        if row.state != ClaimState::Recognized.as_str() {
            return Err(refuse(
                "status",
                format!(
                    "the claim is {}: only a recognized claim is awarded",
                    row.state
                ),
            ));
        }
        if let Some(award) = &row.award_id {
            return Err(refuse(
                "status",
                format!("the claim was awarded already (award {award})"),
            ));
        }
        let decided_on = row
            .decided_at
            .as_deref()
            .and_then(|t| t.get(..10))
            .unwrap_or_default()
            .to_string();
        let content = self.version_content(row.proposal_id, row.version)?;
        let awarding: Awarding = self
            .read(|c| {
                crate::lifecycle::check_awardable(c, row.proposal_id)?;
                let slug =
                    credence_store::issuing::slug_of(c, row.proposal_id)?.unwrap_or_default();
                let language = super::awarded_language(c, &content)?;
                Ok((slug, language))
            })
            .and_then(|(slug, language)| {
                self.awarding_in(
                    row.proposal_id,
                    row.microcredential.clone(),
                    slug,
                    row.version,
                    &content,
                    &language,
                )
            })?;
        let mut learner = super::check_learners(&[LearnerInput {
            name: row.learner_name.clone(),
            email: row.learner_email.clone(),
            learner_did: row.learner_did.clone().unwrap_or_default(),
            completed_on: decided_on.clone(),
            ..Default::default()
        }])?;
        learner[0].how_earned = Some(credence_domain::award::HowEarned {
            id: None,
            genre: rpl::RECOGNITION_GENRE.into(),
            narrative: rpl::recognition_narrative(
                content.outcomes.len(),
                row.assessor.as_deref().unwrap_or("an assessor"),
                &decided_on,
            ),
        });
        if self.unlocked().is_none() {
            return Err(locked());
        }
        self.write(by, Need::Person, |tx, actor| {
            may_issue(tx, actor)?;
            // Looked at again inside the write: another seat may have awarded it meanwhile.
            if let Some(award) = claim_row(tx, id)?.award_id {
                return Err(refuse(
                    "status",
                    format!("the claim was awarded already (award {award})"),
                ));
            }
            let award = self.issue_one(tx, actor, &awarding, &learner[0], "learner_email")?;
            store::set_award(tx, id, &award.id)?;
            record(
                tx,
                actor,
                "prior_learning",
                &id.to_string(),
                "award",
                None::<()>,
                Some(&serde_json::json!({
                    "award": award.id,
                    "credential_id": award.credential_id,
                })),
            )?;
            Ok(award)
        })
    }
}

/// Stores accepted files in the workspace's blobs.
fn store_all(tx: &dyn Sql, accepted: &[(AttachmentRef, &[u8])]) -> Result<Vec<AttachmentRef>> {
    accepted
        .iter()
        .map(|(r, bytes)| store_file(tx, &r.name, &r.media_type, bytes))
        .collect()
}
