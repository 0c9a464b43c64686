//! Proposals as CSV, one per row, for coordinators who keep them in spreadsheets. Lists
//! within a cell are separated by `;`, learning outcomes by new lines.

use credence_domain::proposal::{AcademicLevel, ProposalContent, Workload};
use credence_domain::{spreadsheet, DomainError, FieldError, Id};
use credence_store::units;

use crate::{AppError, Workspace};

/// The columns, in the order `export_proposals_csv` writes them.
pub const COLUMNS: [&str; 17] = [
    "title",
    "description",
    "unit",
    "credit_status",
    "category",
    "level",
    "academic_level",
    "outcomes",
    "skills",
    "credits",
    "ects",
    "hours",
    "assessment_types",
    "delivery_mode",
    "participation_form",
    "quality_assurance",
    "review_cycle_years",
];

fn list(cell: &str, separator: char) -> Vec<String> {
    cell.split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn optional(cell: &str) -> Option<String> {
    let t = cell.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn number(cell: &str) -> Result<Option<f64>, String> {
    match cell.trim() {
        "" => Ok(None),
        t => t
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| format!("\"{t}\" is not a number")),
    }
}

fn level_name(l: AcademicLevel) -> &'static str {
    match l {
        AcademicLevel::Undergraduate => "undergraduate",
        AcademicLevel::Graduate => "graduate",
        AcademicLevel::NonDegree => "non_degree",
    }
}

impl Workspace {
    /// Every proposal as CSV (the columns of [`COLUMNS`]).
    pub fn export_proposals_csv(&self) -> Result<String, AppError> {
        let all = self.export_proposals()?;
        let codes: std::collections::HashMap<Id, String> = self
            .read(|c| Ok(units::list(c)?))?
            .into_iter()
            .map(|u| (u.id, u.code))
            .collect();
        let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let rows = all.into_iter().map(|p| {
            [
                p.title,
                p.description,
                p.unit_id
                    .and_then(|id| codes.get(&id).cloned())
                    .unwrap_or_default(),
                p.credit_status.unwrap_or_default(),
                p.category.unwrap_or_default(),
                p.level.unwrap_or_default(),
                p.academic_level
                    .map(level_name)
                    .unwrap_or_default()
                    .to_string(),
                p.outcomes.join("\n"),
                p.skills.join(";"),
                num(p.workload.credits),
                num(p.workload.ects),
                num(p.workload.hours),
                p.assessment_types.join(";"),
                p.delivery_mode.unwrap_or_default(),
                p.participation_form.unwrap_or_default(),
                p.quality_assurance.unwrap_or_default(),
                p.review_cycle_years
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
            ]
        });
        crate::exports::csv_table(&COLUMNS, rows)
    }

    /// Imports proposals from CSV with a header row (any subset of [`COLUMNS`], `title`
    /// required): all rows or none, each problem named by its row and column.
    pub fn import_proposals_csv(&self, by: Option<Id>, text: &str) -> Result<Vec<Id>, AppError> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::Headers)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| AppError::field("file", format!("row 1: {e}")))?
            .clone();
        let unknown: Vec<&str> = headers.iter().filter(|h| !COLUMNS.contains(h)).collect();
        if !unknown.is_empty() || !headers.iter().any(|h| h == "title") {
            return Err(AppError::field(
                "file",
                format!(
                    "row 1: the header must name title and may name {}{}",
                    COLUMNS[1..].join(", "),
                    if unknown.is_empty() {
                        String::new()
                    } else {
                        format!(" (unknown: {})", unknown.join(", "))
                    }
                ),
            ));
        }
        let unit_ids: std::collections::HashMap<String, Id> = self
            .read(|c| Ok(units::list(c)?))?
            .into_iter()
            .map(|u| (u.code, u.id))
            .collect();
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        for (i, record) in reader.records().enumerate() {
            // Numbered as a spreadsheet shows them: the header is row 1.
            let row = i + 2;
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    problems.push(FieldError::new(format!("row {row}"), e.to_string()));
                    continue;
                }
            };
            // Cells come back as `export_proposals_csv` wrote them: formula-safe.
            let cell = |name: &str| {
                headers
                    .iter()
                    .position(|h| h == name)
                    .and_then(|i| record.get(i))
                    .map(spreadsheet::unescape)
                    .unwrap_or("")
            };
            let mut bad = |column: &str, message: String| {
                problems.push(FieldError::new(format!("row {row}: {column}"), message))
            };
            let mut num = |column: &str| {
                number(cell(column)).unwrap_or_else(|m| {
                    bad(column, m);
                    None
                })
            };
            let workload = Workload {
                credits: num("credits"),
                ects: num("ects"),
                hours: num("hours"),
            };
            let review_cycle_years = num("review_cycle_years").map(|y| y as u32);
            let academic_level = match cell("academic_level").trim() {
                "" => None,
                "undergraduate" => Some(AcademicLevel::Undergraduate),
                "graduate" => Some(AcademicLevel::Graduate),
                "non_degree" => Some(AcademicLevel::NonDegree),
                other => {
                    bad(
                        "academic_level",
                        format!("\"{other}\" is not undergraduate, graduate or non_degree"),
                    );
                    None
                }
            };
            let unit_id = match cell("unit").trim() {
                "" => None,
                code => match unit_ids.get(&code.to_uppercase()) {
                    Some(id) => Some(*id),
                    None => {
                        bad("unit", format!("there is no unit with code {code}"));
                        None
                    }
                },
            };
            rows.push((
                row,
                ProposalContent {
                    title: cell("title").trim().to_string(),
                    description: cell("description").trim().to_string(),
                    unit_id,
                    credit_status: optional(cell("credit_status")),
                    category: optional(cell("category")),
                    level: optional(cell("level")),
                    academic_level,
                    outcomes: list(cell("outcomes"), '\n'),
                    skills: list(cell("skills"), ';'),
                    workload,
                    assessment_types: list(cell("assessment_types"), ';'),
                    delivery_mode: optional(cell("delivery_mode")),
                    participation_form: optional(cell("participation_form")),
                    quality_assurance: optional(cell("quality_assurance")),
                    review_cycle_years,
                    ..Default::default()
                },
            ));
        }
        if rows.is_empty() && problems.is_empty() {
            return Err(DomainError::Invalid(vec![FieldError::new(
                "file",
                "the file lists no proposals",
            )])
            .into());
        }
        self.import_rows(by, &rows, problems)
    }
}
