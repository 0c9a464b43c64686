//! `credence change ...`, `credence terminate` and `credence retire`: the cases after a
//! microcredential exists. Each is a thin translation to a use case in `credence-app`.

use clap::Subcommand;
use credence_app::domain::case::{ChangeDetails, TerminationDetails};
use credence_app::domain::diff::ChangeLevel;
use credence_app::{AppError, Workspace};

use crate::output;

#[derive(Subcommand)]
pub enum ChangeCommand {
    /// Start a change request for an active microcredential: a draft holding its newest
    /// version, edited with `proposal edit CASE --file` (its unit's proposers and
    /// coordinators).
    Start { slug: String },
    /// A change request: its details, its level and what changed.
    Show {
        case: i64,
        #[arg(long)]
        json: bool,
    },
    /// What the change request changes against the version it started from, field by field
    /// (list items added, removed or reworded), and its level under the triage rules.
    Diff {
        case: i64,
        #[arg(long)]
        json: bool,
    },
    /// Say why, from which term, and how learners are told (fields not given are kept).
    Set {
        case: i64,
        #[arg(long)]
        rationale: Option<String>,
        /// An academic term's code (see `calendar list`): the new version takes effect on its
        /// first day.
        #[arg(long)]
        term: Option<String>,
        /// How learners already enrolled will be told.
        #[arg(long)]
        notice: Option<String>,
    },
    /// Set the level it goes forward at (coordinators): raising needs no reason, lowering
    /// below the triage rules' does.
    Level {
        case: i64,
        /// minor or major.
        level: String,
        #[arg(long)]
        reason: Option<String>,
    },
}

pub fn change(ws: &Workspace, by: Option<i64>, command: &ChangeCommand) -> Result<(), AppError> {
    match command {
        ChangeCommand::Start { slug } => {
            let view = ws.start_change(by, slug)?;
            say!(
                "Started change request {} for {} (from version {})",
                view.case_id,
                view.microcredential,
                view.base_version
            );
            say!(
                "Edit it with: credence proposal edit {} --file FIELDS.json",
                view.case_id
            );
        }
        ChangeCommand::Show { case, json } => output::change(&ws.change_request(by, *case)?, *json),
        ChangeCommand::Diff { case, json } => {
            let view = ws.change_request(by, *case)?;
            if *json {
                output::json(&view.diff);
            } else {
                say!(
                    "change request {}: {} version {} to the draft",
                    view.case_id,
                    view.microcredential,
                    view.base_version
                );
                output::diff_lines(&view.diff);
            }
        }
        ChangeCommand::Set {
            case,
            rationale,
            term,
            notice,
        } => {
            let before = ws.change_request(by, *case)?.details;
            let details = ChangeDetails {
                rationale: rationale.clone().unwrap_or(before.rationale),
                effective_term: term
                    .as_ref()
                    .map(|t| t.trim().to_uppercase())
                    .or(before.effective_term),
                learner_notice: notice.clone().unwrap_or(before.learner_notice),
            };
            output::change(&ws.set_change_details(by, *case, &details)?, false);
        }
        ChangeCommand::Level {
            case,
            level,
            reason,
        } => {
            let level = match level.as_str() {
                "minor" => ChangeLevel::Minor,
                "major" => ChangeLevel::Major,
                other => {
                    return Err(AppError::field(
                        "level",
                        format!("\"{other}\" is not a change level (minor, major)"),
                    ))
                }
            };
            output::change(
                &ws.set_change_level(by, *case, level, reason.as_deref())?,
                false,
            );
        }
    }
    Ok(())
}

pub fn terminate(
    ws: &Workspace,
    by: Option<i64>,
    slug: &str,
    details: TerminationDetails,
) -> Result<(), AppError> {
    let view = ws.request_termination(by, slug, &details)?;
    say!(
        "Termination request {} for {} submitted; accept it onto its route with: credence proposal accept {}",
        view.case_id,
        view.microcredential,
        view.case_id
    );
    output::termination(&view);
    Ok(())
}
