//! Proposals imported in bulk: the JSON array `credence proposal export` writes, or CSV
//! with one proposal a row (lists within a cell separated by `;`, learning outcomes by new
//! lines; cells as `spreadsheet::escape` wrote them).

use super::{invalid, reader, too_many, MAX_ROWS};
use crate::proposal::{AcademicLevel, ProposalContent, Workload};
use crate::spreadsheet;
use crate::{DomainError, FieldError};

/// The CSV columns, in the order exports write them.
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

/// Rows read from a file, numbered as the person sees them, with the problems found so far
/// (the import adds what only the workspace can tell, then writes all rows or none).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    /// (row number, content, the unit's code from a CSV `unit` column, if any).
    pub rows: Vec<(usize, ProposalContent, Option<String>)>,
    pub problems: Vec<FieldError>,
}

/// Reads the JSON array of proposal contents; a row that does not read is named with its
/// JSON path.
pub fn parse_json(json: &str) -> Result<Rows, DomainError> {
    let values: Vec<serde_json::Value> = serde_json::from_str(json)
        .map_err(|e| invalid("file", format!("not a JSON array of proposals ({e})")))?;
    if values.len() > MAX_ROWS {
        return Err(too_many("file"));
    }
    let mut out = Rows::default();
    for (i, row) in values.into_iter().enumerate() {
        match serde_path_to_error::deserialize::<_, ProposalContent>(row) {
            Ok(c) => out.rows.push((i + 1, c, None)),
            Err(e) => {
                let path = e.path().to_string();
                let field = if path == "." {
                    String::new()
                } else {
                    format!(": {path}")
                };
                out.problems.push(FieldError::new(
                    format!("row {}{field}", i + 1),
                    e.into_inner().to_string(),
                ));
            }
        }
    }
    Ok(out)
}

/// Replaces the fields a JSON object names in `content` (each top-level field as a whole,
/// in the form `credence proposal show --json` prints `content`): a field the content does
/// not have, or a value that does not read, is named.
pub fn apply_fields(content: &ProposalContent, json: &str) -> Result<ProposalContent, DomainError> {
    let patch: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).map_err(|e| {
            invalid(
                "file",
                format!("not a JSON object of proposal fields ({e})"),
            )
        })?;
    let mut value = serde_json::to_value(content)
        .map_err(|e| invalid("file", format!("the draft does not serialize ({e})")))?;
    let fields = value
        .as_object_mut()
        .ok_or_else(|| invalid("file", "the draft is not an object"))?;
    let mut unknown = Vec::new();
    for (name, v) in patch {
        if fields.contains_key(&name) {
            fields.insert(name, v);
        } else {
            unknown.push(FieldError::new(name, "is not a field of a proposal"));
        }
    }
    if !unknown.is_empty() {
        return Err(DomainError::Invalid(unknown));
    }
    serde_path_to_error::deserialize::<_, ProposalContent>(value).map_err(|e| {
        let path = e.path().to_string();
        invalid(&path, e.into_inner().to_string())
    })
}

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

/// The word a CSV cell uses for an academic level.
pub fn level_name(l: AcademicLevel) -> &'static str {
    match l {
        AcademicLevel::Undergraduate => "undergraduate",
        AcademicLevel::Graduate => "graduate",
        AcademicLevel::NonDegree => "non_degree",
    }
}

/// Reads proposals from CSV with a header row (any subset of [`COLUMNS`], `title`
/// required), each problem named by its row and column.
pub fn parse_csv(text: &str) -> Result<Rows, DomainError> {
    let mut reader = reader(text, csv::Trim::Headers);
    let headers = reader
        .headers()
        .map_err(|e| invalid("file", format!("row 1: {e}")))?
        .clone();
    let unknown: Vec<&str> = headers.iter().filter(|h| !COLUMNS.contains(h)).collect();
    if !unknown.is_empty() || !headers.iter().any(|h| h == "title") {
        return Err(invalid(
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
    let mut out = Rows::default();
    for (i, record) in reader.records().enumerate() {
        if i >= MAX_ROWS {
            return Err(too_many("file"));
        }
        // Numbered as a spreadsheet shows them: the header is row 1.
        let row = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.problems
                    .push(FieldError::new(format!("row {row}"), e.to_string()));
                continue;
            }
        };
        // Cells come back as exports wrote them: formula-safe.
        let cell = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .map(spreadsheet::unescape)
                .unwrap_or("")
        };
        let problems = &mut out.problems;
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
        let unit = optional(cell("unit"));
        out.rows.push((
            row,
            ProposalContent {
                title: cell("title").trim().to_string(),
                description: cell("description").trim().to_string(),
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
            unit,
        ));
    }
    if out.rows.is_empty() && out.problems.is_empty() {
        return Err(invalid("file", "the file lists no proposals"));
    }
    Ok(out)
}
