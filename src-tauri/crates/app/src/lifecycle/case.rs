//! A case moves by its proposer's and the coordinator's acts: submitted (its content frozen
//! as a version, every blocking policy met; a change also against its microcredential),
//! accepted as complete (which enters its review route), returned to draft, withdrawn.
//! Decisions are review's acts, which call `case_decided`.

use credence_domain::case::CaseKind;
use credence_domain::proposal::ProposalEvent;
use credence_domain::{DomainError, FieldError, Id};
use credence_store::proposals as repo;

use crate::kernel::{record, Need};
use crate::proposals::{evaluate, load, may_author, view, ProposalView};
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

impl Workspace {
    /// Moves a proposal along its route. Submitting is refused while any blocking policy
    /// finding stands; each becomes a field error naming its field.
    pub fn move_proposal(
        &self,
        by: Option<Id>,
        id: Id,
        event: &ProposalEvent,
    ) -> Result<ProposalView> {
        let need = match event {
            ProposalEvent::AcceptAsComplete | ProposalEvent::ReturnToDraft { .. } => {
                Need::Coordinator
            }
            ProposalEvent::Submit | ProposalEvent::Withdraw => Need::Person,
            ProposalEvent::Decide { .. } | ProposalEvent::Activate => {
                return Err(AppError::forbidden(
                    "decisions are recorded by sign-offs and the committee's motions",
                ))
            }
        };
        self.write(by, need, |tx, actor| {
            let before = load(tx, id)?;
            if need == Need::Person {
                may_author(tx, actor, &before)?;
            }
            let next = before.status.apply(event)?;
            if *event == ProposalEvent::Submit {
                if before.kind == CaseKind::Change {
                    super::change::check_submit(tx, &before)?;
                }
                let blocking: Vec<FieldError> = evaluate(tx, &before.content, Some(id))?
                    .blocking()
                    .map(|f| FieldError::new(&f.field, format!("{} ({})", f.message, f.rule_id)))
                    .collect();
                if !blocking.is_empty() {
                    return Err(DomainError::Invalid(blocking).into());
                }
            }
            let freeze = (*event == ProposalEvent::Submit).then_some(actor.id);
            repo::set_status(tx, id, next, freeze)?;
            if *event == ProposalEvent::AcceptAsComplete {
                super::route::enter_route(tx, id)?;
            }
            let action = match event {
                ProposalEvent::Submit => "submit",
                ProposalEvent::AcceptAsComplete => "accept_complete",
                ProposalEvent::ReturnToDraft { .. } => "return_to_draft",
                ProposalEvent::Withdraw => "withdraw",
                ProposalEvent::Decide { .. } => "decide",
                ProposalEvent::Activate => "activate",
            };
            let after = load(tx, id)?;
            record(
                tx,
                actor,
                "proposal",
                &id.to_string(),
                action,
                Some(&serde_json::json!({"status": before.status, "version": before.version})),
                Some(&serde_json::json!({"status": after.status, "version": after.version, "event": event})),
            )?;
            Ok(view(after))
        })
    }
}
