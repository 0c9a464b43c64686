//! Proposals as CSV, one per row, for coordinators who keep them in spreadsheets. Lists
//! within a cell are separated by `;`, learning outcomes by new lines.

use credence_domain::formats::proposals::{level_name, parse_csv};
use credence_domain::{FieldError, Id};
use credence_store::units;

use crate::{AppError, Workspace};

pub use credence_domain::formats::proposals::COLUMNS;

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
        crate::kernel::exports::csv_table(&COLUMNS, rows)
    }

    /// Imports proposals from CSV with a header row (any subset of [`COLUMNS`], `title`
    /// required): all rows or none, each problem named by its row and column.
    pub fn import_proposals_csv(&self, by: Option<Id>, text: &str) -> Result<Vec<Id>, AppError> {
        let read = parse_csv(text)?;
        let unit_ids: std::collections::HashMap<String, Id> = self
            .read(|c| Ok(units::list(c)?))?
            .into_iter()
            .map(|u| (u.code, u.id))
            .collect();
        let mut problems = read.problems;
        let mut rows = Vec::with_capacity(read.rows.len());
        for (row, mut content, unit) in read.rows {
            if let Some(code) = unit {
                match unit_ids.get(&code.to_uppercase()) {
                    Some(id) => content.unit_id = Some(*id),
                    None => problems.push(FieldError::new(
                        format!("row {row}: unit"),
                        format!("there is no unit with code {code}"),
                    )),
                }
            }
            rows.push((row, content));
        }
        self.import_rows(by, &rows, problems)
    }
}
