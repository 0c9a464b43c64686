//! The committee's printable documents: a meeting's agenda and minutes, and the decision
//! letter to a proposer. What they say is assembled here from the workspace; how they look
//! is `credence-pdf`'s.

pub mod reports;
pub mod website;

use credence_domain::case::CaseKind;
use credence_domain::diff::{ChangeKind, ChangeLevel};
use credence_domain::review::Decision;
use credence_domain::Id;
use credence_pdf::{Block, Meta};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::review::{MeetingView, MotionView};
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

fn pdf_error(e: credence_pdf::PdfError) -> AppError {
    crate::certificates::pdf_error_in("document", e)
}

/// "20 November 2026" from "2026-11-20".
fn long_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso.get(..10).unwrap_or(iso), "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

fn counts(m: &MotionView) -> String {
    match &m.tally {
        Some(t) => format!(
            "{} for, {} against, {} abstaining: {}",
            t.for_,
            t.against,
            t.abstain,
            if t.carried { "carried" } else { "failed" }
        ),
        None => "not put to the vote".into(),
    }
}

fn decision_words(d: &Decision, title: &str) -> String {
    match d {
        Decision::Approve => format!("to approve {title}"),
        Decision::ApproveWithConditions { .. } => format!("to approve {title} with conditions"),
        Decision::RequestRevisions { .. } => format!("to request revisions to {title}"),
        Decision::Table => format!("to table {title}"),
        Decision::Reject { .. } => format!("to reject {title}"),
    }
}

/// The committee's printable documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A meeting's agenda (the id is the meeting's).
    Agenda,
    /// A meeting's minutes.
    Minutes,
    /// The decision letter to a proposer (the id is the proposal's).
    Letter,
    /// The committee's report, as of today (the id is not used).
    Report,
}

impl Workspace {
    /// A document as PDF, with the file name it is saved under.
    pub fn document(&self, kind: DocumentKind, id: Id) -> Result<(String, Vec<u8>)> {
        Ok(match kind {
            DocumentKind::Agenda => (format!("agenda-{id}.pdf"), self.agenda_pdf(id)?),
            DocumentKind::Minutes => (format!("minutes-{id}.pdf"), self.minutes_pdf(id)?),
            DocumentKind::Letter => (
                format!("decision-letter-{id}.pdf"),
                self.decision_letter_pdf(id)?,
            ),
            DocumentKind::Report => (
                format!("report-{}.pdf", crate::kernel::clock::today()),
                self.report_pdf()?,
            ),
        })
    }

    fn institution_name(&self) -> Result<String> {
        Ok(self
            .institution()?
            .map(|i| i.name)
            .unwrap_or_else(|| "Credence".into()))
    }

    fn meta(&self, title: String, subject: &str) -> Result<Meta> {
        Ok(Meta {
            title,
            author: self.institution_name()?,
            subject: subject.into(),
            created: chrono::Utc::now().timestamp(),
        })
    }

    /// What a change or termination request puts before the committee: a change's redline
    /// against the version it changes (each field and list item, before and after) with its
    /// level and details; a termination's reason, dates and impact. Nothing for a new
    /// proposal (its content is the proposal itself).
    fn case_blocks(&self, case: Id) -> Result<Vec<Block>> {
        let p = self.proposal(case)?;
        let mut blocks = Vec::new();
        match p.kind {
            CaseKind::New => {}
            CaseKind::Change => {
                let c = self.change_request(None, case)?;
                let level = match c.level {
                    None => "no change",
                    Some(ChangeLevel::Minor) => "a minor change",
                    Some(ChangeLevel::Major) => "a major change",
                    Some(ChangeLevel::NewMicrocredential) => "a new microcredential",
                };
                blocks.push(Block::Heading(format!(
                    "Change request {}: {} version {} to {} ({level})",
                    c.case_id, c.microcredential, c.base_version, c.next_version
                )));
                let mut facts = vec![("Rationale".into(), c.details.rationale.clone())];
                if let Some(term) = &c.details.effective_term {
                    facts.push((
                        "Effective".into(),
                        match &c.effective_from {
                            Some(from) => format!("{term}, from {}", long_date(from)),
                            None => term.clone(),
                        },
                    ));
                }
                facts.push(("Learners told".into(), c.details.learner_notice.clone()));
                if let Some(reason) = &c.level_reason {
                    facts.push(("Level lowered".into(), reason.clone()));
                }
                blocks.push(Block::Facts(facts));
                blocks.push(Block::Table {
                    widths: vec![1.6, 1.1, 3.0, 3.0],
                    header: vec![
                        "Field".into(),
                        "Change".into(),
                        "Before".into(),
                        "After".into(),
                    ],
                    rows: c
                        .diff
                        .changes
                        .iter()
                        .map(|f| {
                            vec![
                                f.field.clone(),
                                match f.kind {
                                    ChangeKind::Added => "added",
                                    ChangeKind::Removed => "removed",
                                    ChangeKind::Changed => "changed",
                                    ChangeKind::Reworded => "reworded",
                                }
                                .into(),
                                f.before.clone().unwrap_or_default(),
                                f.after.clone().unwrap_or_default(),
                            ]
                        })
                        .collect(),
                });
            }
            CaseKind::Termination => {
                let t = self.termination_request(case)?;
                blocks.push(Block::Heading(format!(
                    "Termination request {}: {}",
                    t.case_id, t.microcredential
                )));
                let mut facts = vec![("Reason".into(), t.details.reason.clone())];
                if let Some(intake) = &t.details.last_intake_on {
                    facts.push(("Last intake".into(), long_date(intake)));
                }
                facts.push((
                    "Teach-out until".into(),
                    long_date(&t.details.teach_out_until),
                ));
                blocks.push(Block::Facts(facts));
                let i = &t.impact;
                let mut impact = vec![
                    format!(
                        "{} awards issued, all staying valid ({} revoked); {} in the last {} days",
                        i.awards,
                        i.revoked,
                        i.recent_awards,
                        crate::lifecycle::termination::RECENT_DAYS
                    ),
                    if i.pathways.is_empty() {
                        "In no pathway".into()
                    } else {
                        format!("In the pathways {}", i.pathways.join(", "))
                    },
                ];
                impact.extend(i.open_cases.iter().map(|c| format!("Open: {c}")));
                blocks.push(Block::List(impact));
            }
        }
        Ok(blocks)
    }

    /// The agenda of a meeting, as PDF.
    pub fn agenda_pdf(&self, meeting: Id) -> Result<Vec<u8>> {
        let m = self.meeting(meeting)?;
        let mut kinds = Vec::new();
        for a in &m.agenda {
            kinds.push(self.proposal(a.proposal_id)?.kind);
        }
        let rows = m
            .agenda
            .iter()
            .zip(&kinds)
            .enumerate()
            .map(|(i, (a, kind))| {
                vec![
                    format!("{}", i + 1),
                    match kind {
                        CaseKind::New => a.title.clone(),
                        CaseKind::Change => format!("Change request: {}", a.title),
                        CaseKind::Termination => format!("Termination: {}", a.title),
                    },
                    a.unit.clone().unwrap_or_default(),
                    if a.information_only {
                        "For information"
                    } else {
                        "For decision"
                    }
                    .into(),
                ]
            })
            .collect();
        let mut blocks = vec![
            Block::Letterhead(self.institution_name()?),
            Block::Title(format!("Agenda: {}", m.title)),
            Block::Facts(vec![
                ("Date".into(), long_date(&m.held_on)),
                (
                    "Quorum".into(),
                    format!("{} voting members", m.rules.quorum),
                ),
            ]),
            Block::Heading("Items".into()),
            Block::Table {
                widths: vec![0.4, 4.0, 2.6, 1.4],
                header: vec!["#".into(), "Case".into(), "Unit".into(), "Item".into()],
                rows,
            },
        ];
        // Changes and terminations carry what the committee is asked about.
        for a in &m.agenda {
            blocks.extend(self.case_blocks(a.proposal_id)?);
        }
        credence_pdf::render(
            &self.meta(format!("Agenda: {}", m.title), "Committee agenda")?,
            &blocks,
        )
        .map_err(pdf_error)
    }

    /// The minutes of a meeting, as PDF: attendance, quorum, each motion with its mover,
    /// seconder, counts and outcome, and each item's outcome.
    pub fn minutes_pdf(&self, meeting: Id) -> Result<Vec<u8>> {
        let m = self.meeting(meeting)?;
        let blocks = minutes_blocks(&self.institution_name()?, &m);
        credence_pdf::render(
            &self.meta(format!("Minutes: {}", m.title), "Committee minutes")?,
            &blocks,
        )
        .map_err(pdf_error)
    }

    /// The letter telling a proposer what the committee decided, as PDF.
    pub fn decision_letter_pdf(&self, proposal: Id) -> Result<Vec<u8>> {
        let p = self.proposal(proposal)?;
        let review = self.review(proposal)?;
        let mut decided: Option<(MeetingView, MotionView)> = None;
        for m in self.meetings()? {
            for mo in &m.motions {
                let carried = mo.tally.is_some_and(|t| t.carried);
                if mo.proposal_id == proposal && carried {
                    let newer = decided.as_ref().is_none_or(|(dm, dmo)| {
                        (m.held_on.as_str(), mo.id) > (dm.held_on.as_str(), dmo.id)
                    });
                    if newer {
                        decided = Some((m.clone(), mo.clone()));
                    }
                }
            }
        }
        let Some((meeting, motion)) = decided else {
            return Err(AppError::not_found(format!(
                "the committee has not decided on proposal {proposal} yet"
            )));
        };
        // The proposal's contact where they are a person here, else whoever created it.
        let people = self.people()?;
        let proposer = people
            .iter()
            .find(|x| {
                !p.content.contact_email.is_empty()
                    && x.email.eq_ignore_ascii_case(&p.content.contact_email)
            })
            .or_else(|| people.iter().find(|x| Some(x.id) == p.created_by))
            .map(|x| x.name.clone())
            .unwrap_or_else(|| "Proposer".into());
        let mut blocks = vec![
            Block::Letterhead(self.institution_name()?),
            Block::Title(format!("Decision on {}", p.content.title)),
            Block::Facts(vec![
                ("To".into(), proposer.clone()),
                ("Meeting".into(), format!("{}, {}", meeting.title, long_date(&meeting.held_on))),
                ("Decision".into(), motion.decision.label().to_string()),
                ("Vote".into(), counts(&motion)),
            ]),
            Block::Paragraph(format!("Dear {proposer},")),
            Block::Paragraph(format!(
                "At its meeting of {}, the committee resolved {}. The motion was moved by {} and seconded by {}; {}.",
                long_date(&meeting.held_on),
                decision_words(&motion.decision, &p.content.title),
                motion.moved_by,
                motion.seconded_by,
                counts(&motion)
            )),
        ];
        match &motion.decision {
            Decision::ApproveWithConditions { .. } => {
                blocks.push(Block::Paragraph(
                    "The approval completes when each condition below is met; please record each in Credence with a note.".into(),
                ));
                blocks.push(Block::Table {
                    widths: vec![4.0, 2.0, 1.4, 2.0],
                    header: vec![
                        "Condition".into(),
                        "Owner".into(),
                        "Due".into(),
                        "Status".into(),
                    ],
                    rows: review
                        .conditions
                        .iter()
                        .map(|c| {
                            vec![
                                c.text.clone(),
                                c.owner.clone(),
                                long_date(&c.due_on),
                                match &c.met_at {
                                    Some(at) => format!("met {}", long_date(at)),
                                    None if c.overdue => "overdue".into(),
                                    None => "open".into(),
                                },
                            ]
                        })
                        .collect(),
                });
            }
            Decision::RequestRevisions { comment, .. } => blocks.push(Block::Paragraph(format!(
                "The committee asks for these revisions: {comment}"
            ))),
            Decision::Reject { reason } => blocks.push(Block::Paragraph(format!(
                "The reason given: {reason}. A new proposal is needed to bring it back."
            ))),
            Decision::Approve | Decision::Table => {}
        }
        blocks.extend(self.case_blocks(proposal)?);
        blocks.push(Block::Paragraph(format!(
            "Status today: {}{}.",
            review.status.label(),
            review
                .current
                .as_ref()
                .map(|c| format!("; next step: {c}"))
                .unwrap_or_default()
        )));
        blocks.push(Block::Space(6.0));
        blocks.push(Block::Paragraph("On behalf of the committee,".into()));
        blocks.push(Block::Paragraph(self.institution_name()?));
        credence_pdf::render(
            &self.meta(
                format!("Decision on {}", p.content.title),
                "Decision letter",
            )?,
            &blocks,
        )
        .map_err(pdf_error)
    }
}

fn minutes_blocks(institution: &str, m: &MeetingView) -> Vec<Block> {
    let mut blocks = vec![
        Block::Letterhead(institution.to_string()),
        Block::Title(format!("Minutes: {}", m.title)),
        Block::Facts(vec![
            ("Date".into(), long_date(&m.held_on)),
            (
                "Present".into(),
                if m.present.is_empty() {
                    "-".into()
                } else {
                    m.present.join(", ")
                },
            ),
            (
                "Absent".into(),
                if m.absent.is_empty() {
                    "-".into()
                } else {
                    m.absent.join(", ")
                },
            ),
            (
                "Quorum".into(),
                format!(
                    "{} of {} voting members present; {} needed: {}",
                    m.voting_present,
                    m.voting_seats,
                    m.rules.quorum,
                    if m.quorate { "quorate" } else { "not quorate" }
                ),
            ),
        ]),
        Block::Heading("Items".into()),
        Block::Table {
            widths: vec![0.4, 4.0, 2.4, 2.2],
            header: vec![
                "#".into(),
                "Proposal".into(),
                "Unit".into(),
                "Outcome".into(),
            ],
            rows: m
                .agenda
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    vec![
                        format!("{}", i + 1),
                        a.title.clone(),
                        a.unit.clone().unwrap_or_default(),
                        a.outcome.clone().unwrap_or_else(|| "pending".into()),
                    ]
                })
                .collect(),
        },
        Block::Heading("Motions".into()),
    ];
    if m.motions.is_empty() {
        blocks.push(Block::Paragraph("No motions were made.".into()));
    }
    for (i, mo) in m.motions.iter().enumerate() {
        blocks.push(Block::Paragraph(format!(
            "Motion {}: {}. Moved by {}, seconded by {}. Vote: {}.",
            i + 1,
            decision_words(&mo.decision, &mo.proposal_title),
            mo.moved_by,
            mo.seconded_by,
            counts(mo)
        )));
        if let Decision::ApproveWithConditions { conditions } = &mo.decision {
            blocks.push(Block::List(
                conditions
                    .iter()
                    .map(|c| format!("Condition: {} (due {})", c.text, long_date(&c.due)))
                    .collect(),
            ));
        }
        if !mo.votes.is_empty() {
            blocks.push(Block::List(
                mo.votes
                    .iter()
                    .map(|v| {
                        format!(
                            "{}: {}",
                            v.voter,
                            match v.choice {
                                credence_domain::review::VoteChoice::For => "for",
                                credence_domain::review::VoteChoice::Against => "against",
                                credence_domain::review::VoteChoice::Abstain => "abstain",
                            }
                        )
                    })
                    .collect(),
            ));
        }
    }
    blocks.push(Block::Paragraph(
        "Each vote above is signed by its member with their own key and can be checked with `credence audit verify`.".into(),
    ));
    blocks
}
