//! Recognition of prior learning: open a claim with evidence, add evidence, assess it
//! outcome by outcome (signed with your passphrase), award a recognized one.

use std::path::PathBuf;

use clap::Subcommand;
use credence_app::domain::prior_learning::{Assessment, OutcomeJudgement};
use credence_app::domain::Id;
use credence_app::issuing::prior_learning::{ClaimInput, PriorLearningClaim};
use credence_app::{AppError, Workspace};

use crate::review::{issuer_passphrase, passphrase};

#[derive(Subcommand)]
pub enum PriorLearningCommand {
    /// Open a claim to a microcredential (the version in effect today) with the learner's
    /// account and evidence files (coordinators and assessors).
    Open {
        #[arg(long, value_name = "SLUG")]
        credential: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_name = "DID")]
        did: Option<String>,
        /// What the learner learned, where and how.
        #[arg(long)]
        statement: String,
        /// Evidence files (a portfolio, certificates, references); repeat for each.
        #[arg(long, value_name = "FILE")]
        evidence: Vec<PathBuf>,
    },
    /// The claims, open ones first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One claim: the learner's account, the evidence, the outcomes and any decision.
    Show {
        id: Id,
        #[arg(long)]
        json: bool,
    },
    /// Add evidence files to an open claim (all or none).
    Evidence {
        id: Id,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Decide a claim (assessors), signed with your passphrase (CREDENCE_PASSPHRASE): each
    /// learning outcome met or not; recognized only when every one is met.
    Assess {
        id: Id,
        /// The outcomes met, by number (1 is the first), `all` or `none`; the others are not
        /// met.
        #[arg(
            long,
            value_name = "N[,N...]|all|none",
            value_delimiter = ',',
            required = true
        )]
        met: Vec<String>,
        /// What the evidence shows for outcome N; repeat for each.
        #[arg(long = "outcome-note", value_name = "N=TEXT")]
        outcome_notes: Vec<String>,
        /// recognize or decline.
        #[arg(long)]
        decision: String,
        /// The reasons (required to decline).
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Award a recognized claim (coordinators and issuing staff; CREDENCE_ISSUER_PASSPHRASE).
    Award { id: Id },
}

pub fn run(ws: &Workspace, by: Option<Id>, command: &PriorLearningCommand) -> Result<(), AppError> {
    match command {
        PriorLearningCommand::Open {
            credential,
            name,
            email,
            did,
            statement,
            evidence,
        } => {
            let files = evidence
                .iter()
                .map(|p| crate::incoming(p))
                .collect::<Result<Vec<_>, _>>()?;
            let claim = ws.open_prior_learning(
                by,
                &ClaimInput {
                    microcredential: credential.clone(),
                    learner_name: name.clone(),
                    learner_email: email.clone(),
                    learner_did: did.clone().unwrap_or_default(),
                    statement: statement.clone(),
                },
                &files,
            )?;
            say!(
                "Opened claim {} of prior learning: {} <{}> for {} v{} ({} evidence file{}, {} outcomes to assess)",
                claim.id,
                claim.learner_name,
                claim.learner_email,
                claim.microcredential,
                claim.version,
                claim.evidence.len(),
                if claim.evidence.len() == 1 { "" } else { "s" },
                claim.outcomes.len()
            );
        }
        PriorLearningCommand::List { json } => {
            let state = ws.prior_learning(by)?;
            if *json {
                crate::output::json(&state.claims);
            } else {
                for c in &state.claims {
                    say!(
                        "{:>4}  {:<10}  {} <{}>  {} v{}{}",
                        c.id,
                        c.state.as_str(),
                        c.learner_name,
                        c.learner_email,
                        c.microcredential,
                        c.version,
                        c.award_id
                            .as_deref()
                            .map(|a| format!("  awarded {a}"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        PriorLearningCommand::Show { id, json } => {
            let c = ws.prior_learning_claim(by, *id)?;
            if *json {
                crate::output::json(&c);
            } else {
                show(&c);
            }
        }
        PriorLearningCommand::Evidence { id, files } => {
            let files = files
                .iter()
                .map(|p| crate::incoming(p))
                .collect::<Result<Vec<_>, _>>()?;
            let c = ws.add_prior_learning_evidence(by, *id, &files)?;
            say!(
                "Claim {} now holds {} evidence files",
                c.id,
                c.evidence.len()
            );
        }
        PriorLearningCommand::Assess {
            id,
            met,
            outcome_notes,
            decision,
            note,
        } => {
            let claim = ws.prior_learning_claim(by, *id)?;
            let assessment = assessment(&claim, met, outcome_notes, decision, note)?;
            let c = ws.assess_prior_learning(by, *id, &assessment, &passphrase()?)?;
            say!(
                "Claim {} {} by {} (signed)",
                c.id,
                c.state.as_str(),
                c.assessor.as_deref().unwrap_or_default()
            );
        }
        PriorLearningCommand::Award { id } => {
            ws.unlock_issuer(&issuer_passphrase()?)?;
            let award = ws.award_prior_learning(by, *id);
            ws.lock_issuer();
            let award = award?;
            say!(
                "Awarded {} to {} <{}> by recognition of prior learning (award {}); `credence credential export {} --out DIR` writes its files",
                award.microcredential,
                award.learner_name,
                award.learner_email,
                award.id,
                award.id
            );
        }
    }
    Ok(())
}

/// The assessment the options describe, against the claim's outcomes.
fn assessment(
    claim: &PriorLearningClaim,
    met: &[String],
    outcome_notes: &[String],
    decision: &str,
    note: &str,
) -> Result<Assessment, AppError> {
    let n = claim.outcomes.len();
    let number = |text: &str, field: &str| -> Result<usize, AppError> {
        text.trim()
            .parse::<usize>()
            .ok()
            .filter(|i| (1..=n).contains(i))
            .ok_or_else(|| {
                AppError::field(
                    field,
                    format!("\"{text}\" is not an outcome number (1 to {n})"),
                )
            })
    };
    let all = met.iter().any(|m| m.trim() == "all");
    let mut met_numbers = Vec::new();
    if !all {
        for m in met.iter().filter(|m| m.trim() != "none") {
            met_numbers.push(number(m, "met")?);
        }
    }
    let mut notes = vec![String::new(); n];
    for entry in outcome_notes {
        let (k, text) = entry
            .split_once('=')
            .ok_or_else(|| AppError::field("outcome-note", format!("\"{entry}\" is not N=TEXT")))?;
        notes[number(k, "outcome-note")? - 1] = text.to_string();
    }
    let recognize = match decision.trim() {
        "recognize" => true,
        "decline" => false,
        other => {
            return Err(AppError::field(
                "decision",
                format!("\"{other}\" is not a decision (recognize or decline)"),
            ))
        }
    };
    Ok(Assessment {
        judgements: claim
            .outcomes
            .iter()
            .zip(notes)
            .enumerate()
            .map(|(i, (outcome, note))| OutcomeJudgement {
                outcome: outcome.clone(),
                met: all || met_numbers.contains(&(i + 1)),
                note,
            })
            .collect(),
        recognize,
        note: note.to_string(),
    })
}

fn show(c: &PriorLearningClaim) {
    say!(
        "Claim {}: {} <{}> for {} v{}, {}",
        c.id,
        c.learner_name,
        c.learner_email,
        c.microcredential,
        c.version,
        c.state.as_str()
    );
    say!(
        "Opened {} by {}",
        c.opened_at,
        c.opened_by.as_deref().unwrap_or("?")
    );
    say!("Statement: {}", c.statement);
    for e in &c.evidence {
        say!(
            "Evidence: {} ({}, {} bytes, sha256 {})",
            e.name,
            e.media_type,
            e.size,
            e.sha256
        );
    }
    let judged = c.assessment.as_ref().map(|a| &a.judgements);
    for (i, outcome) in c.outcomes.iter().enumerate() {
        let verdict = judged
            .and_then(|j| j.get(i))
            .map(|j| {
                let mark = if j.met { "met" } else { "NOT met" };
                if j.note.is_empty() {
                    format!("  [{mark}]")
                } else {
                    format!("  [{mark}: {}]", j.note)
                }
            })
            .unwrap_or_default();
        say!("Outcome {}: {}{}", i + 1, outcome, verdict);
    }
    if let Some(a) = &c.assessment {
        say!(
            "Decided {} by {}{}",
            c.decided_at.as_deref().unwrap_or_default(),
            c.assessor.as_deref().unwrap_or_default(),
            if a.note.is_empty() {
                String::new()
            } else {
                format!(": {}", a.note)
            }
        );
    }
    if let Some(award) = &c.award_id {
        say!("Awarded: {award}");
    }
}
