//! `credence key | committee | route | review | meeting | condition`: the committee's work.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use credence_app::domain::review::{
    Condition, Decision, Membership, Seat, Threshold, ThresholdBase, VoteChoice, VotingRules,
};
use credence_app::domain::Id;
use credence_app::kernel::secret::Passphrase;
use credence_app::review::{MeetingView, ReviewView};
use credence_app::{AppError, Workspace};

use crate::output::json;

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Create the workspace's first signing key, a coordinator's (Ed25519), sealed under a
    /// passphrase: from CREDENCE_PASSPHRASE, or asked for. Everyone after enrols with the
    /// code a coordinator gives them (`credence enrol`).
    Create,
    /// Replace your signing key with a new one: the current passphrase from
    /// CREDENCE_PASSPHRASE (or asked for) opens the old key, which signs for the new one,
    /// sealed under CREDENCE_NEW_PASSPHRASE (or asked for). What the old key signed stays
    /// verified.
    Renew,
    /// Reset a person's signing key when they have forgotten its passphrase (coordinators):
    /// signed with your own key (CREDENCE_PASSPHRASE), kept in the audit log; they then
    /// enrol again with the new code it prints.
    Reset {
        /// The person's email.
        email: String,
        #[arg(long)]
        reason: String,
    },
    /// The institution's issuer keys (which one signs, which are retired).
    Issuer,
    /// Create the first issuer key, or rotate to a new one (coordinators). The current
    /// issuer passphrase comes from CREDENCE_ISSUER_PASSPHRASE or is asked for; set
    /// CREDENCE_NEW_PASSPHRASE to seal every key under a new one. Old keys stay, to sign the
    /// status lists of what they issued.
    Rotate,
    /// Print (or write) the current issuer key's DID document.
    ExportDid {
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SeatArg {
    Chair,
    Voting,
    NonVoting,
    Alternate,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ThresholdArg {
    SimpleMajority,
    TwoThirds,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum BaseArg {
    Present,
    AllVoting,
}

#[derive(Subcommand)]
pub enum CommitteeCommand {
    /// Give a person a seat for a term (coordinators).
    Add {
        /// The member's email.
        email: String,
        #[arg(long, value_enum)]
        seat: SeatArg,
        /// For an alternate: the email of the member they stand in for.
        #[arg(long = "for")]
        alternate_for: Option<String>,
        /// First day of the term (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day of the term (YYYY-MM-DD).
        #[arg(long)]
        to: String,
    },
    /// The members, their seats and terms.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show the voting rules, or change those given (coordinators).
    Rules {
        #[arg(long)]
        quorum: Option<u32>,
        #[arg(long, value_enum)]
        threshold: Option<ThresholdArg>,
        /// Whose number the threshold is taken of.
        #[arg(long, value_enum)]
        base: Option<BaseArg>,
    },
}

#[derive(Subcommand)]
pub enum ReviewCommand {
    /// The rubric reviewers score against; --import replaces it from a JSON file in the
    /// form --json prints (coordinators).
    Rubric {
        #[arg(long)]
        json: bool,
        #[arg(long, value_name = "FILE")]
        import: Option<PathBuf>,
    },
    /// Where a proposal is on its route: steps with their times, who acts now, conditions.
    Show {
        id: Id,
        #[arg(long)]
        json: bool,
    },
    /// Sign off the current step as approved, or --revise to return it to its proposer.
    SignOff {
        id: Id,
        /// Return it for revision instead (the comment is required).
        #[arg(long)]
        revise: bool,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Declare a conflict of interest on a proposal (you are recused from it).
    Conflict {
        id: Id,
        #[arg(long)]
        reason: String,
    },
    /// Assign a committee member to review a proposal (coordinators).
    Assign {
        id: Id,
        #[arg(long)]
        reviewer: String,
        /// As secondary reviewer (primary otherwise).
        #[arg(long)]
        secondary: bool,
    },
    /// Score a proposal you review: KEY=SCORE or KEY=SCORE:COMMENT for each criterion.
    Score {
        id: Id,
        #[arg(long = "score", required = true)]
        scores: Vec<String>,
    },
    /// Comment on a field of a proposal (`general` for the whole), or reply to a comment.
    Comment {
        id: Id,
        #[arg(long, default_value = "general")]
        field: String,
        /// Only the committee sees it (the proposer sees the others).
        #[arg(long)]
        internal: bool,
        #[arg(long)]
        reply_to: Option<Id>,
        text: String,
    },
    /// Change the text of your comment (the earlier text is kept).
    EditComment { id: Id, comment: Id, text: String },
    /// Reviewers, scores and comments you may see.
    Comments {
        id: Id,
        #[arg(long)]
        json: bool,
    },
    /// The review routes and the conditions that choose them; --import adds (id 0) or
    /// replaces routes from a JSON file in the form --json prints (coordinators).
    Routes {
        #[arg(long)]
        json: bool,
        #[arg(long, value_name = "FILE")]
        import: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DecisionArg {
    Approve,
    ApproveWithConditions,
    Revise,
    Table,
    Reject,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum VoteArg {
    For,
    Against,
    Abstain,
}

#[derive(Subcommand)]
pub enum MeetingCommand {
    /// Schedule a meeting (the chair or a coordinator).
    Schedule {
        #[arg(long)]
        title: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: String,
    },
    /// Meetings, newest first.
    List,
    /// A meeting: agenda, attendance, quorum, motions and counts.
    Show {
        id: Id,
        #[arg(long)]
        json: bool,
    },
    /// Set the agenda to these proposals, in this order.
    Agenda { id: Id, proposals: Vec<Id> },
    /// Record who is present (emails of members).
    Attend { id: Id, emails: Vec<String> },
    /// Record a motion on an agenda item.
    Motion {
        id: Id,
        #[command(flatten)]
        motion: MotionArgs,
    },
    /// Between meetings, put a motion to an electronic vote that closes at a deadline.
    Evote {
        #[command(flatten)]
        motion: MotionArgs,
        /// YYYY-MM-DD (the end of that day, UTC) or 2026-12-01T17:00:00Z.
        #[arg(long)]
        deadline: String,
    },
    /// Vote on an open motion (signed with your key).
    Vote {
        motion: Id,
        #[arg(value_enum)]
        choice: VoteArg,
    },
    /// Close a motion: quorum is checked, votes counted, and a carried decision recorded.
    CloseMotion { motion: Id },
    /// Receive an information item (no vote).
    Receive { id: Id, proposal: Id },
    /// Close the meeting; items without an outcome are tabled.
    Close { id: Id },
    /// Write the agenda as PDF.
    AgendaPdf {
        id: Id,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write the minutes as PDF (attendance, quorum, each motion with its counts).
    Minutes {
        id: Id,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// What a motion proposes, and who moves and seconds it.
#[derive(Args)]
pub struct MotionArgs {
    #[arg(long)]
    proposal: Id,
    #[arg(long, value_enum)]
    decision: DecisionArg,
    /// A condition as "TEXT|OWNER-EMAIL|YYYY-MM-DD" (repeat for each).
    #[arg(long = "condition")]
    conditions: Vec<String>,
    /// What must be revised, or why it is rejected.
    #[arg(long, default_value = "")]
    comment: String,
    /// With --decision revise: send it back to this earlier step instead of to Draft.
    #[arg(long)]
    to_step: Option<String>,
    #[arg(long)]
    moved_by: String,
    #[arg(long)]
    seconded_by: String,
}

#[derive(Subcommand)]
pub enum ConditionCommand {
    /// Mark a condition of an approval met (its owner or a coordinator; signed).
    Meet {
        id: Id,
        #[arg(long)]
        note: String,
    },
}

/// The acting person's passphrase asked once on the terminal, for every act of this run.
static ASKED: std::sync::Mutex<Option<Passphrase>> = std::sync::Mutex::new(None);

/// The acting person's passphrase (it signs them in and signs their acts):
/// CREDENCE_PASSPHRASE, or asked once on the terminal.
pub fn passphrase() -> Result<Passphrase, AppError> {
    if let Some(p) = ASKED.lock().unwrap_or_else(|p| p.into_inner()).clone() {
        return Ok(p);
    }
    let p = secret("CREDENCE_PASSPHRASE", "Your passphrase: ", "passphrase")?;
    if std::env::var_os("CREDENCE_PASSPHRASE").is_none() {
        *ASKED.lock().unwrap_or_else(|p| p.into_inner()) = Some(p.clone());
    }
    Ok(p)
}

/// The institution's issuer key passphrase: CREDENCE_ISSUER_PASSPHRASE, or asked for.
pub fn issuer_passphrase() -> Result<Passphrase, AppError> {
    secret(
        "CREDENCE_ISSUER_PASSPHRASE",
        "Issuer key passphrase: ",
        "issuer_passphrase",
    )
}

/// A passphrase from the environment variable `var`, or asked for on the terminal; held in
/// memory that is wiped when it is dropped. Without either, refused, naming the variable.
pub fn secret(var: &str, prompt: &str, field: &str) -> Result<Passphrase, AppError> {
    if let Ok(p) = std::env::var(var) {
        return Ok(Passphrase::new(p));
    }
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(AppError::field(
            field,
            format!("no passphrase: set {var}, or run in a terminal to be asked for it"),
        ));
    }
    rpassword::prompt_password(prompt)
        .map(Passphrase::new)
        .map_err(|e| AppError::field(field, format!("set {var} or run in a terminal ({e})")))
}

/// How the command line signs the acting person in: their passphrase, as [`passphrase`]
/// finds it. A change without one is refused, naming what is missing.
pub fn unlocker() -> credence_app::kernel::signin::Unlocker {
    Box::new(|person| {
        passphrase().map_err(|e| {
            AppError::forbidden(format!(
                "{}'s passphrase is needed to sign this change: {}",
                person.name,
                e.fields
                    .first()
                    .map(|f| f.message.clone())
                    .unwrap_or(e.message)
            ))
        })
    })
}

/// Prints an enrolment code for the coordinator to hand over.
pub fn show_enrolment(e: &credence_app::kernel::signin::Enrolment, email: &str) {
    say!(
        "Enrolment code for {}: {} (until {})",
        e.person_name,
        e.code,
        &e.expires_at[..10]
    );
    say!(
        "They set their passphrase with: credence enrol {email} --code {}",
        e.code
    );
}

fn person_id(ws: &Workspace, email: &str) -> Result<Id, AppError> {
    Ok(ws.person_by_email(email)?.id)
}

pub fn key(ws: &Workspace, by: Option<Id>, command: &KeyCommand) -> Result<(), AppError> {
    match command {
        KeyCommand::Create => {
            let public = ws.create_signing_key(by, &passphrase()?)?;
            say!("Created your signing key {public}");
        }
        KeyCommand::Renew => {
            let current = passphrase()?;
            let new = secret(
                "CREDENCE_NEW_PASSPHRASE",
                "New passphrase: ",
                "new_passphrase",
            )?;
            let public = ws.renew_signing_key(by, &current, &new)?;
            say!("Renewed your signing key: {public} signs from now on");
        }
        KeyCommand::Reset { email, reason } => {
            let whose = ws.person_by_email(email)?;
            let enrolment = ws.reset_signing_key(by, whose.id, reason, &passphrase()?)?;
            say!("Reset {}'s signing key", whose.name);
            show_enrolment(&enrolment, &whose.email);
        }
        KeyCommand::Issuer => {
            let state = ws.issuer_state()?;
            if state.keys.is_empty() {
                say!("No issuer key yet: create one with `credence key rotate`.");
            }
            for k in state.keys {
                say!(
                    "{}  created {}  {}",
                    k.did,
                    &k.created_at[..10.min(k.created_at.len())],
                    if k.current {
                        "signs new credentials".to_string()
                    } else {
                        format!("retired {}", k.retired_at.as_deref().unwrap_or_default())
                    }
                );
            }
        }
        KeyCommand::Rotate => crate::issuing::rotate(ws, by)?,
        KeyCommand::ExportDid { out } => crate::issuing::export_did(ws, out.as_deref())?,
    }
    Ok(())
}

pub fn committee(
    ws: &Workspace,
    by: Option<Id>,
    command: &CommitteeCommand,
) -> Result<(), AppError> {
    match command {
        CommitteeCommand::Add {
            email,
            seat,
            alternate_for,
            from,
            to,
        } => {
            let m = Membership {
                person_id: person_id(ws, email)?,
                seat: match seat {
                    SeatArg::Chair => Seat::Chair,
                    SeatArg::Voting => Seat::Voting,
                    SeatArg::NonVoting => Seat::NonVoting,
                    SeatArg::Alternate => Seat::Alternate,
                },
                alternate_for: alternate_for
                    .as_deref()
                    .map(|e| person_id(ws, e))
                    .transpose()?,
                term_start: from.clone(),
                term_end: to.clone(),
            };
            let v = ws.add_member(by, &m)?;
            say!(
                "Added {} to the committee ({} to {})",
                v.person.name,
                from,
                to
            );
        }
        CommitteeCommand::List { json: as_json } => {
            let members = ws.committee()?;
            if *as_json {
                {
                    json(&members);
                    return Ok(());
                }
            }
            for m in &members {
                say!(
                    "{:<24} {:<10} {} to {}",
                    m.person.name,
                    seat_word(m.membership.seat),
                    m.membership.term_start,
                    m.membership.term_end
                );
            }
        }
        CommitteeCommand::Rules {
            quorum,
            threshold,
            base,
        } => {
            let mut r = ws.voting_rules()?;
            if quorum.is_some() || threshold.is_some() || base.is_some() {
                r = VotingRules {
                    quorum: quorum.unwrap_or(r.quorum),
                    threshold: threshold
                        .map(|t| match t {
                            ThresholdArg::SimpleMajority => Threshold::SimpleMajority,
                            ThresholdArg::TwoThirds => Threshold::TwoThirds,
                        })
                        .unwrap_or(r.threshold),
                    base: base
                        .map(|b| match b {
                            BaseArg::Present => ThresholdBase::Present,
                            BaseArg::AllVoting => ThresholdBase::AllVoting,
                        })
                        .unwrap_or(r.base),
                };
                r = ws.set_voting_rules(by, r)?;
            }
            say!(
                "quorum {} voting members; {} of {}",
                r.quorum,
                match r.threshold {
                    Threshold::SimpleMajority => "more than half",
                    Threshold::TwoThirds => "two thirds",
                },
                match r.base {
                    ThresholdBase::Present => "the voting members present",
                    ThresholdBase::AllVoting => "all voting members",
                }
            );
        }
    }
    Ok(())
}

fn seat_word(s: Seat) -> &'static str {
    match s {
        Seat::Chair => "chair",
        Seat::Voting => "voting",
        Seat::NonVoting => "non-voting",
        Seat::Alternate => "alternate",
    }
}

fn print_review(r: &ReviewView) {
    say!(
        "proposal {}: {} on route {}",
        r.proposal_id,
        r.status.label(),
        r.route.as_deref().unwrap_or("-")
    );
    for s in &r.steps {
        let state = match (&s.left_at, &s.outcome) {
            (Some(_), Some(o)) => o.clone(),
            _ if s.overdue => format!("open, OVERDUE since {}", s.due_on),
            _ => format!("open, due {}", s.due_on),
        };
        say!("  {:<30} {:>3} days  {}", s.name, s.days, state);
    }
    if let Some(c) = &r.current {
        if r.may_act.is_empty() {
            say!("now: {c}, for nobody yet (give someone the role the step names)");
        } else {
            say!("now: {c}, for {}", r.may_act.join(", "));
        }
    }
    for c in &r.conditions {
        let state = match &c.met_at {
            Some(_) => format!("met: {}", c.met_note.as_deref().unwrap_or("")),
            None if c.overdue => format!("OVERDUE (due {})", c.due_on),
            None => format!("due {}", c.due_on),
        };
        say!("condition {}: {} ({}) {}", c.id, c.text, c.owner, state);
    }
    for x in &r.recused {
        say!("recused: {x}");
    }
}

pub fn review(ws: &Workspace, by: Option<Id>, command: &ReviewCommand) -> Result<(), AppError> {
    match command {
        ReviewCommand::Show { id, json: as_json } => {
            let r = ws.review(*id)?;
            if *as_json {
                {
                    json(&r);
                    return Ok(());
                }
            }
            print_review(&r);
        }
        ReviewCommand::SignOff {
            id,
            revise,
            comment,
        } => {
            let r = ws.sign_off(by, *id, !revise, comment, &passphrase()?)?;
            print_review(&r);
        }
        ReviewCommand::Conflict { id, reason } => {
            ws.declare_conflict(by, *id, reason)?;
            say!("Recorded; you are recused from proposal {id}");
        }
        ReviewCommand::Rubric {
            json: as_json,
            import,
        } => {
            let mut r = ws.rubric()?;
            if let Some(file) = import {
                let text = std::fs::read_to_string(file)
                    .map_err(|e| AppError::field("file", format!("{}: {e}", file.display())))?;
                let new: credence_app::domain::review::Rubric = serde_json::from_str(&text)
                    .map_err(|e| {
                        AppError::field("file", format!("{}: not a rubric ({e})", file.display()))
                    })?;
                r = ws.set_rubric(by, &new)?;
            }
            if *as_json {
                json(&r);
                return Ok(());
            }
            say!("scale {} to {}", r.scale_min, r.scale_max);
            for c in &r.criteria {
                say!("{:<12} {}: {}", c.key, c.name, c.description);
            }
        }
        ReviewCommand::Assign {
            id,
            reviewer,
            secondary,
        } => {
            let role = if *secondary {
                credence_app::domain::review::ReviewerRole::Secondary
            } else {
                credence_app::domain::review::ReviewerRole::Primary
            };
            print_deliberation(&ws.assign_reviewer(by, *id, person_id(ws, reviewer)?, role)?);
        }
        ReviewCommand::Score { id, scores } => {
            let scores = scores
                .iter()
                .map(|s| {
                    let (key, rest) = s.split_once('=').ok_or_else(|| {
                        AppError::field(
                            "score",
                            format!("{s:?}: write KEY=SCORE or KEY=SCORE:COMMENT"),
                        )
                    })?;
                    let (score, comment) = rest.split_once(':').unwrap_or((rest, ""));
                    Ok(credence_app::domain::review::Score {
                        criterion: key.trim().into(),
                        score: score.trim().parse().map_err(|_| {
                            AppError::field("score", format!("{s:?}: the score is a whole number"))
                        })?,
                        comment: comment.trim().into(),
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            print_deliberation(&ws.submit_scores(by, *id, &scores)?);
        }
        ReviewCommand::Comment {
            id,
            field,
            internal,
            reply_to,
            text,
        } => {
            let vis = if *internal {
                credence_app::domain::review::Visibility::Committee
            } else {
                credence_app::domain::review::Visibility::Proposer
            };
            print_deliberation(&ws.add_comment(by, *id, field, vis, *reply_to, text)?);
        }
        ReviewCommand::EditComment { id, comment, text } => {
            print_deliberation(&ws.edit_comment(by, *id, *comment, text)?);
        }
        ReviewCommand::Comments { id, json: as_json } => {
            let d = ws.deliberation(by, *id)?;
            if *as_json {
                json(&d);
                return Ok(());
            }
            print_deliberation(&d);
        }
        ReviewCommand::Routes {
            json: as_json,
            import,
        } => {
            if let Some(file) = import {
                let text = std::fs::read_to_string(file)
                    .map_err(|e| AppError::field("file", format!("{}: {e}", file.display())))?;
                let routes: Vec<credence_app::domain::review::Route> = serde_json::from_str(&text)
                    .map_err(|e| {
                        AppError::field(
                            "file",
                            format!("{}: not a list of routes ({e})", file.display()),
                        )
                    })?;
                ws.put_routes(by, &routes)?;
                say!("Saved {} route(s) from {}", routes.len(), file.display());
            }
            let routes = ws.routes()?;
            if *as_json {
                {
                    json(&routes);
                    return Ok(());
                }
            }
            for r in &routes {
                let steps: Vec<&str> = r.steps.iter().map(|s| s.name.as_str()).collect();
                say!("{}: {}", r.name, steps.join(" -> "));
            }
        }
    }
    Ok(())
}

fn print_deliberation(d: &credence_app::review::deliberation::Deliberation) {
    for r in &d.reviewers {
        let role = match r.role {
            credence_app::domain::review::ReviewerRole::Primary => "primary",
            credence_app::domain::review::ReviewerRole::Secondary => "secondary",
        };
        match r.total {
            Some(t) => say!("reviewer {} ({role}): {t} points", r.name),
            None => say!("reviewer {} ({role}): not scored yet", r.name),
        }
    }
    for c in &d.comments {
        let indent = if c.parent_id.is_some() { "    " } else { "" };
        let internal = match c.visibility {
            credence_app::domain::review::Visibility::Committee => " [internal]",
            credence_app::domain::review::Visibility::Proposer => "",
        };
        let edited = if c.earlier.is_empty() {
            String::new()
        } else {
            format!(" (edited; was: {:?})", c.earlier[0].text)
        };
        say!(
            "{indent}comment {} on {}{internal}, {}: {}{edited}",
            c.id,
            c.field,
            c.author,
            c.text
        );
    }
}

fn print_meeting(m: &MeetingView) {
    say!(
        "meeting {}: {} on {} ({})",
        m.id,
        m.title,
        m.held_on,
        m.status.key()
    );
    say!(
        "present: {}",
        if m.present.is_empty() {
            "-".into()
        } else {
            m.present.join(", ")
        }
    );
    say!(
        "quorum: {} of {} voting members present, {} needed: {}",
        m.voting_present,
        m.voting_seats,
        m.rules.quorum,
        if m.quorate { "quorate" } else { "NOT quorate" }
    );
    for (i, a) in m.agenda.iter().enumerate() {
        say!(
            "{}. proposal {} {}{}: {}",
            i + 1,
            a.proposal_id,
            a.title,
            if a.information_only {
                " (information)"
            } else {
                ""
            },
            a.outcome.as_deref().unwrap_or("pending")
        );
    }
    for mo in &m.motions {
        let counts = match &mo.tally {
            Some(t) => format!(
                "{} for, {} against, {} abstaining: {}",
                t.for_,
                t.against,
                t.abstain,
                if t.carried { "carried" } else { "failed" }
            ),
            None => match mo.votes.len() {
                1 => "open, 1 vote".into(),
                n => format!("open, {n} votes"),
            },
        };
        say!(
            "motion {} on proposal {}: {} (moved {}, seconded {}); {counts}",
            mo.id,
            mo.proposal_id,
            mo.decision.label(),
            mo.moved_by,
            mo.seconded_by
        );
    }
}

fn decision(ws: &Workspace, a: &MotionArgs) -> Result<Decision, AppError> {
    let (d, conditions, comment, to_step) = (a.decision, &a.conditions, &a.comment, &a.to_step);
    Ok(match d {
        DecisionArg::Approve => Decision::Approve,
        DecisionArg::ApproveWithConditions => Decision::ApproveWithConditions {
            conditions: conditions
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let parts: Vec<&str> = c.split('|').collect();
                    let [text, owner, due] = parts.as_slice() else {
                        return Err(AppError::field(
                            &format!("condition {}", i + 1),
                            format!("{c:?}: write TEXT|OWNER-EMAIL|YYYY-MM-DD"),
                        ));
                    };
                    Ok(Condition {
                        text: text.trim().to_string(),
                        owner_id: person_id(ws, owner.trim())?,
                        due: due.trim().to_string(),
                    })
                })
                .collect::<Result<_, _>>()?,
        },
        DecisionArg::Revise => Decision::RequestRevisions {
            comment: comment.into(),
            to_step: to_step.clone(),
        },
        DecisionArg::Table => Decision::Table,
        DecisionArg::Reject => Decision::Reject {
            reason: comment.into(),
        },
    })
}

pub fn meeting(ws: &Workspace, by: Option<Id>, command: &MeetingCommand) -> Result<(), AppError> {
    let view = match command {
        MeetingCommand::Schedule { title, date } => ws.schedule_meeting(by, title, date)?,
        MeetingCommand::List => {
            for m in ws.meetings()? {
                say!(
                    "{:<4} {} {:<10} {}",
                    m.id,
                    m.held_on,
                    m.status.key(),
                    m.title
                );
            }
            return Ok(());
        }
        MeetingCommand::Show { id, json: as_json } => {
            let m = ws.meeting(*id)?;
            if *as_json {
                {
                    json(&m);
                    return Ok(());
                }
            }
            m
        }
        MeetingCommand::Agenda { id, proposals } => ws.set_agenda(by, *id, proposals)?,
        MeetingCommand::Attend { id, emails } => {
            let ids = emails
                .iter()
                .map(|e| person_id(ws, e))
                .collect::<Result<Vec<_>, _>>()?;
            ws.record_attendance(by, *id, &ids)?
        }
        MeetingCommand::Motion { id, motion } => ws.move_motion(
            by,
            *id,
            motion.proposal,
            &decision(ws, motion)?,
            person_id(ws, &motion.moved_by)?,
            person_id(ws, &motion.seconded_by)?,
        )?,
        MeetingCommand::Evote { motion, deadline } => ws.open_electronic_vote(
            by,
            motion.proposal,
            &decision(ws, motion)?,
            person_id(ws, &motion.moved_by)?,
            person_id(ws, &motion.seconded_by)?,
            deadline,
        )?,
        MeetingCommand::Vote { motion, choice } => {
            let choice = match choice {
                VoteArg::For => VoteChoice::For,
                VoteArg::Against => VoteChoice::Against,
                VoteArg::Abstain => VoteChoice::Abstain,
            };
            ws.cast_vote(by, *motion, choice, &passphrase()?)?;
            say!("Your vote on motion {motion} is recorded and signed");
            return Ok(());
        }
        MeetingCommand::CloseMotion { motion } => ws.close_motion(by, *motion, &passphrase()?)?,
        MeetingCommand::Receive { id, proposal } => ws.acknowledge_item(by, *id, *proposal)?,
        MeetingCommand::Close { id } => ws.close_meeting(by, *id)?,
        MeetingCommand::AgendaPdf { id, out } => {
            let (_, bytes) = ws.document(credence_app::documents::DocumentKind::Agenda, *id)?;
            write(out, &bytes)?;
            say!("Wrote the agenda of meeting {id} to {}", out.display());
            return Ok(());
        }
        MeetingCommand::Minutes { id, out } => {
            let (_, bytes) = ws.document(credence_app::documents::DocumentKind::Minutes, *id)?;
            write(out, &bytes)?;
            say!("Wrote the minutes of meeting {id} to {}", out.display());
            return Ok(());
        }
    };
    print_meeting(&view);
    Ok(())
}

pub fn write(out: &std::path::Path, bytes: &[u8]) -> Result<(), AppError> {
    credence_app::kernel::exports::write_whole(out, bytes)
        .map_err(|e| AppError::field("out", format!("{}: {e}", out.display())))
}

pub fn condition(
    ws: &Workspace,
    by: Option<Id>,
    command: &ConditionCommand,
) -> Result<(), AppError> {
    match command {
        ConditionCommand::Meet { id, note } => {
            let r = ws.meet_condition(by, *id, note, &passphrase()?)?;
            print_review(&r);
        }
    }
    Ok(())
}
