//! The report a coordinator shows their provost: cases by kind, status and unit; time to
//! decision and time in each step (the service clock); awards per month per
//! microcredential; revocations and their reasons; periodic reviews due. As one view, as CSV
//! tables (one file each, every cell escaped) and as a PDF.

use credence_domain::case::CaseKind;
use credence_domain::proposal::ProposalStatus;
use credence_pdf::{Block, Meta};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kernel::clock::today;
use crate::kernel::exports::csv_table;
use crate::lifecycle::ReviewCycle;
use crate::review::ServiceClock;
use crate::{AppError, ErrorKind, Workspace};

type Result<T> = std::result::Result<T, AppError>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseCount {
    pub kind: CaseKind,
    pub status: ProposalStatus,
    /// The proposing unit's code (empty: none).
    pub unit: String,
    #[ts(type = "number")]
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MonthAwards {
    pub microcredential: String,
    /// YYYY-MM.
    pub month: String,
    #[ts(type = "number")]
    pub awards: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Revocations {
    pub microcredential: String,
    pub reason: String,
    #[ts(type = "number")]
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Report {
    /// The day it was drawn up (YYYY-MM-DD).
    pub on: String,
    pub cases: Vec<CaseCount>,
    pub clock: ServiceClock,
    pub awards_per_month: Vec<MonthAwards>,
    pub revocations: Vec<Revocations>,
    pub reviews_due: Vec<ReviewCycle>,
}

fn decode<T: serde::de::DeserializeOwned>(what: &str, key: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(key.into())).map_err(|_| {
        AppError::new(
            ErrorKind::Internal,
            format!("the report met an unknown {what} {key:?}"),
        )
    })
}

fn days(d: Option<f64>) -> String {
    d.map(|d| format!("{d:.1}")).unwrap_or_default()
}

impl Workspace {
    /// The coordinator's report, as of today.
    pub fn report(&self) -> Result<Report> {
        let clock = self.service_clock()?;
        let reviews_due = self.review_cycles(true)?;
        self.read(|c| {
            let cases = credence_store::reports::cases(c)?
                .into_iter()
                .map(|(kind, status, unit, count)| {
                    Ok(CaseCount {
                        kind: decode("kind of case", &kind)?,
                        status: decode("status", &status)?,
                        unit,
                        count,
                    })
                })
                .collect::<Result<_>>()?;
            let awards_per_month = credence_store::reports::awards_per_month(c)?
                .into_iter()
                .map(|(microcredential, month, awards)| MonthAwards {
                    microcredential,
                    month,
                    awards,
                })
                .collect();
            let revocations = credence_store::reports::revocations(c)?
                .into_iter()
                .map(|(microcredential, reason, count)| Revocations {
                    microcredential,
                    reason,
                    count,
                })
                .collect();
            Ok(Report {
                on: today(),
                cases,
                clock,
                awards_per_month,
                revocations,
                reviews_due,
            })
        })
    }

    /// The report as CSV tables: (file name, contents), one per section.
    pub fn report_csv(&self) -> Result<Vec<(String, String)>> {
        self.report()?
            .tables()
            .into_iter()
            .map(|t| Ok((format!("{}.csv", t.name), csv_table(&t.columns, t.rows)?)))
            .collect()
    }

    /// The report as a PDF.
    pub fn report_pdf(&self) -> Result<Vec<u8>> {
        let r = self.report()?;
        let institution = self
            .institution()?
            .map(|i| i.name)
            .unwrap_or_else(|| "Credence".into());
        let mut blocks = vec![
            Block::Letterhead(institution.clone()),
            Block::Title("Microcredentials: the committee's report".into()),
            Block::Facts(vec![
                ("As of".into(), r.on.clone()),
                (
                    "Decided".into(),
                    format!(
                        "{} cases; median {} days from entering review to the decision",
                        r.clock.decided,
                        days(r.clock.median_days_to_decision)
                    ),
                ),
            ]),
        ];
        for t in r.tables() {
            blocks.push(Block::Heading(t.title.into()));
            if t.rows.is_empty() {
                blocks.push(Block::Paragraph("None.".into()));
            } else {
                blocks.push(Block::Table {
                    widths: t.widths,
                    header: t.headings.iter().map(|h| h.to_string()).collect(),
                    rows: t.rows,
                });
            }
        }
        credence_pdf::render(
            &Meta {
                title: "Microcredentials: the committee's report".into(),
                author: institution,
                subject: "Report".into(),
                created: chrono::Utc::now().timestamp(),
            },
            &blocks,
        )
        .map_err(|e| crate::certificates::pdf_error_in("report", e))
    }
}

/// One section of the report as a table: its file name (CSV), title, columns (CSV, machine
/// names), headings (PDF and the command line), column widths (PDF) and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub title: &'static str,
    pub columns: Vec<&'static str>,
    pub headings: Vec<&'static str>,
    pub widths: Vec<f32>,
    pub rows: Vec<Vec<String>>,
}

impl Report {
    /// Each section as a table, in the order every form of the report shows them.
    pub fn tables(&self) -> Vec<Table> {
        vec![
            Table {
                name: "cases",
                title: "Cases by kind, status and unit",
                columns: vec!["kind", "status", "unit", "cases"],
                headings: vec!["Kind", "Status", "Unit", "Cases"],
                widths: vec![2.0, 1.6, 1.4, 1.0],
                rows: self
                    .cases
                    .iter()
                    .map(|c| {
                        vec![
                            c.kind.key().to_string(),
                            c.status.label().to_string(),
                            c.unit.clone(),
                            c.count.to_string(),
                        ]
                    })
                    .collect(),
            },
            Table {
                name: "steps",
                title: "Time in each step",
                columns: vec!["step", "completed", "median_days", "open", "overdue"],
                headings: vec!["Step", "Completed", "Median days", "Open", "Overdue"],
                widths: vec![3.0, 1.2, 1.4, 1.0, 1.0],
                rows: self
                    .clock
                    .steps
                    .iter()
                    .map(|s| {
                        vec![
                            s.step.clone(),
                            s.completed.to_string(),
                            days(s.median_days),
                            s.open.to_string(),
                            s.overdue.to_string(),
                        ]
                    })
                    .collect(),
            },
            Table {
                name: "awards-per-month",
                title: "Awards per month",
                columns: vec!["microcredential", "month", "awards"],
                headings: vec!["Microcredential", "Month", "Awards"],
                widths: vec![4.0, 1.4, 1.0],
                rows: self
                    .awards_per_month
                    .iter()
                    .map(|a| {
                        vec![
                            a.microcredential.clone(),
                            a.month.clone(),
                            a.awards.to_string(),
                        ]
                    })
                    .collect(),
            },
            Table {
                name: "revocations",
                title: "Revocations and their reasons",
                columns: vec!["microcredential", "reason", "revocations"],
                headings: vec!["Microcredential", "Reason", "Revoked"],
                widths: vec![2.4, 4.0, 1.0],
                rows: self
                    .revocations
                    .iter()
                    .map(|v| {
                        vec![
                            v.microcredential.clone(),
                            v.reason.clone(),
                            v.count.to_string(),
                        ]
                    })
                    .collect(),
            },
            Table {
                name: "reviews-due",
                title: "Periodic reviews due",
                columns: vec!["microcredential", "status", "last_reviewed", "due"],
                headings: vec!["Microcredential", "Status", "Last reviewed", "Due since"],
                widths: vec![3.0, 1.2, 1.4, 1.4],
                rows: self
                    .reviews_due
                    .iter()
                    .map(|v| {
                        vec![
                            v.slug.clone(),
                            v.status.key().to_string(),
                            v.last_reviewed_on.clone().unwrap_or_default(),
                            v.next_review_due.clone().unwrap_or_default(),
                        ]
                    })
                    .collect(),
            },
        ]
    }
}
