//! A roster file as people hand it in: a CSV (Credence's columns, or a Credly, Canvas
//! Credentials or Accredible bulk file) or an XLSX workbook (its first sheet), with any other
//! columns named to fields by hand. Read as hostile: bounded in size before it is parsed, an
//! XLSX's declared contents bounded before they are inflated.

use std::io::Cursor;

use calamine::{Data, Reader as _};
use credence_domain::formats::roster::{self, Field, Roster};
use credence_domain::FieldError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{check_learners, checked_learners, CheckedLearners};
use crate::AppError;

type Result<T> = std::result::Result<T, AppError>;

/// The largest roster file read (a 100,000-learner CSV is about 10 MB).
pub const MAX_BYTES: usize = 50 * 1024 * 1024;
/// The most an XLSX may say its parts inflate to, and the most parts it may have.
const MAX_INFLATED: u64 = 200 * 1024 * 1024;
const MAX_PARTS: usize = 10_000;

fn refused(message: impl Into<String>) -> AppError {
    AppError::field("roster", message)
}

/// Reads `--map COLUMN=FIELD` arguments: the column as the file's header names it, and one
/// of `Field::NAMES`.
pub fn parse_mapping(items: &[String]) -> Result<Vec<(String, Field)>> {
    items
        .iter()
        .map(|item| {
            let (column, field) = item.rsplit_once('=').ok_or_else(|| {
                AppError::field(
                    "map",
                    format!("\"{item}\" is not COLUMN=FIELD (for example \"Student Name=name\")"),
                )
            })?;
            let field = Field::parse(field).ok_or_else(|| {
                AppError::field(
                    "map",
                    format!(
                        "\"{field}\" is not a roster field (one of {})",
                        Field::NAMES
                    ),
                )
            })?;
            Ok((column.trim().to_string(), field))
        })
        .collect()
}

/// Reads a roster file named `name` (for messages and its kind) with `mapping` naming
/// columns by hand.
pub fn read_roster(bytes: &[u8], name: &str, mapping: &[(String, Field)]) -> Result<Roster> {
    let (headers, rows) = read_table(bytes, name)?;
    Ok(roster::parse_table(&headers, rows, mapping)?)
}

/// A roster file as a header and rows of cells.
fn read_table(bytes: &[u8], name: &str) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    if bytes.len() > MAX_BYTES {
        return Err(refused(format!(
            "{name} is {} MB; a roster file may be at most {} MB",
            bytes.len() / (1024 * 1024),
            MAX_BYTES / (1024 * 1024)
        )));
    }
    let lower = name.to_lowercase();
    if lower.ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
        return xlsx_table(bytes, name);
    }
    if lower.ends_with(".xls") || lower.ends_with(".ods") || lower.ends_with(".numbers") {
        return Err(refused(format!(
            "{name}: save the sheet as CSV (UTF-8) or XLSX to issue from it"
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        refused(format!(
            "{name} is not UTF-8 text: save it as \"CSV UTF-8\" (or XLSX) and give it again"
        ))
    })?;
    Ok(roster::csv_table(text)?)
}

/// The first sheet of an XLSX workbook as a header and rows of text; dates as `YYYY-MM-DD`.
fn xlsx_table(bytes: &[u8], name: &str) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let not_xlsx =
        |e: &dyn std::fmt::Display| refused(format!("{name} is not an XLSX workbook ({e})"));
    // What the archive says it holds, before anything is inflated.
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_xlsx(&e))?;
    if archive.len() > MAX_PARTS {
        return Err(refused(format!("{name} has too many parts to be a roster")));
    }
    let mut inflated = 0u64;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(|e| not_xlsx(&e))?;
        inflated = inflated.saturating_add(part.size());
    }
    if inflated > MAX_INFLATED {
        return Err(refused(format!(
            "{name} would inflate to more than {} MB; a roster is far smaller",
            MAX_INFLATED / (1024 * 1024)
        )));
    }
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| not_xlsx(&e))?;
    let sheet = book
        .worksheet_range_at(0)
        .ok_or_else(|| refused(format!("{name} has no sheet")))?
        .map_err(|e| not_xlsx(&e))?;
    let mut rows = sheet
        .rows()
        .map(|row| row.iter().map(cell_text).collect::<Vec<String>>());
    let headers = rows
        .next()
        .ok_or_else(|| refused(format!("{name}'s first sheet is empty")))?;
    let width = headers.len();
    let rows = rows
        .take(credence_domain::formats::MAX_ROWS + 1)
        .map(|mut r| {
            r.resize(width, String::new());
            r
        })
        .collect();
    Ok((headers, rows))
}

/// A cell as text: numbers without a needless ".0", dates as the day.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|t| t.date().to_string())
            .unwrap_or_else(|| d.as_f64().to_string()),
        Data::DateTimeIso(s) => s.get(0..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
    }
}

/// Checks every learner of a roster (as `check_learners`), each problem named by its row
/// and the column the file calls it ("row 3: Recipient Email"), not Credence's field name.
pub fn check_roster(roster: &Roster) -> Result<()> {
    check_learners(&roster.learners)
        .map(|_| ())
        .map_err(|e| in_columns(roster, e))
}

/// The learners of a roster, checked as [`check_roster`] checks them.
fn checked_roster(roster: Roster) -> Result<CheckedLearners> {
    let Roster {
        learners,
        source,
        columns,
    } = roster;
    checked_learners(learners).map_err(|e| {
        let columns = Roster {
            learners: Vec::new(),
            source,
            columns,
        };
        in_columns(&columns, e)
    })
}

/// A check's problems named by the roster's rows and columns.
fn in_columns(roster: &Roster, mut e: AppError) -> AppError {
    e.fields = e
        .fields
        .into_iter()
        .map(|f| {
            // One learner's problems carry no row; in a file it is row 2.
            let (row, field) = f
                .field
                .split_once(": ")
                .unwrap_or(("row 2", f.field.as_str()));
            match roster.column_of(field) {
                Some(column) => FieldError::new(format!("{row}: {column}"), f.message),
                None => f,
            }
        })
        .collect();
    e.message = e
        .fields
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect::<Vec<_>>()
        .join("; ");
    e
}

/// A roster file before anything is issued: what Credence made of its columns, its first
/// rows, and every problem of every row, named by row and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RosterPreview {
    pub file: String,
    /// "Credly bulk issue file", "Credence roster", ...
    pub source: String,
    pub columns: Vec<RosterColumn>,
    /// The first rows as the file gives them.
    pub rows: Vec<Vec<String>>,
    pub learners: u32,
    pub problems: Vec<FieldError>,
    /// The fields a column may be named to.
    pub fields: Vec<String>,
}

/// A column of a roster file and the field it is read into (none: not recognized).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RosterColumn {
    pub header: String,
    pub field: Option<String>,
    /// Named by hand (now or remembered from a file with the same columns).
    pub mapped: bool,
}

/// Rows the preview shows.
const PREVIEW_ROWS: usize = 5;

fn pref_key(headers: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(roster::header_key(headers).as_bytes());
    format!("roster_mapping:{}", hex::encode(&digest[..16]))
}

/// A mapping as the window sends it: (column, field name).
fn mapping_of(pairs: &[(String, String)]) -> Result<Vec<(String, Field)>> {
    pairs
        .iter()
        .map(|(column, field)| {
            Field::parse(field)
                .map(|f| (column.clone(), f))
                .ok_or_else(|| AppError::field("map", format!("\"{field}\" is not a roster field")))
        })
        .collect()
}

impl crate::Workspace {
    /// The mapping remembered for files with these columns, if one was used before.
    fn remembered_mapping(&self, headers: &[String]) -> Result<Vec<(String, String)>> {
        let saved = self.read(|c| Ok(credence_store::prefs::get(c, &pref_key(headers))?))?;
        Ok(saved
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    /// Previews a roster file: `mapping` names columns by hand (none given: the mapping
    /// remembered for files with the same columns, if any).
    pub fn roster_preview(
        &self,
        file: &crate::proposals::attachments::IncomingFile,
        mapping: Option<Vec<(String, String)>>,
    ) -> Result<RosterPreview> {
        let (headers, rows) = read_table(&file.bytes, &file.name)?;
        let pairs = match mapping {
            Some(m) => m,
            None => self.remembered_mapping(&headers)?,
        };
        let mapping = mapping_of(&pairs)?;
        let fields = roster::column_fields(&headers, &mapping);
        let columns = headers
            .iter()
            .zip(&fields)
            .map(|(header, field)| RosterColumn {
                header: header.clone(),
                field: field
                    .and_then(Field::name)
                    .map(str::to_string)
                    .or_else(|| field.map(|_| "ignore".to_string())),
                mapped: pairs
                    .iter()
                    .any(|(c, _)| c.trim().eq_ignore_ascii_case(header.trim())),
            })
            .collect();
        let shown = rows.iter().take(PREVIEW_ROWS).cloned().collect();
        let total = rows.len();
        let (source, problems) = match roster::parse_table(&headers, rows, &mapping) {
            Ok(r) => (
                r.source.label().to_string(),
                check_roster(&r).err().map(|e| e.fields).unwrap_or_default(),
            ),
            Err(e) => {
                let credence_domain::DomainError::Invalid(fields) = e;
                let source = if mapping.is_empty() {
                    roster::recognized_source(&headers)
                } else {
                    roster::Source::Mapped
                };
                (source.label().to_string(), fields)
            }
        };
        Ok(RosterPreview {
            file: file.name.clone(),
            source,
            columns,
            rows: shown,
            learners: u32::try_from(total).unwrap_or(u32::MAX),
            problems,
            fields: Field::NAMES.split(", ").map(str::to_string).collect(),
        })
    }

    /// The checked learners of a roster file read with `mapping`, remembered (when it names
    /// any column) for the next file with the same columns.
    pub fn roster_learners(
        &self,
        file: &crate::proposals::attachments::IncomingFile,
        mapping: &[(String, String)],
    ) -> Result<CheckedLearners> {
        let (headers, rows) = read_table(&file.bytes, &file.name)?;
        let parsed = mapping_of(mapping)?;
        let learners = checked_roster(roster::parse_table(&headers, rows, &parsed)?)?;
        if !mapping.is_empty() {
            let json = serde_json::to_string(mapping).map_err(crate::issuing::internal)?;
            let key = pref_key(&headers);
            self.write_bookkeeping(|tx| Ok(credence_store::prefs::set(tx, &key, &json)?))?;
        }
        Ok(learners)
    }
}

/// The learners of a roster file, checked (for `start_batch`).
pub fn learners_of(
    bytes: &[u8],
    name: &str,
    mapping: &[(String, Field)],
) -> Result<CheckedLearners> {
    let roster = read_roster(bytes, name, mapping)?;
    checked_roster(roster)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(e: AppError) -> String {
        e.fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn an_xlsx_sheet_is_read_with_its_dates_as_days_and_numbers_as_typed() {
        let bytes = include_bytes!("../../../../../tests/fixtures/rosters/accredible.xlsx");
        let roster = read_roster(bytes, "cohort.xlsx", &[]).expect("read");
        assert_eq!(roster.source, roster::Source::Accredible);
        let l = &roster.learners;
        assert_eq!(
            (l[0].name.as_str(), l[0].completed_on.as_str()),
            ("Aroha Ngata", "2026-10-30")
        );
        assert_eq!(
            (l[1].name.as_str(), l[1].grade.as_str()),
            ("Søren Kierkegaard", "95")
        );
    }

    #[test]
    fn hostile_and_foreign_files_are_refused_by_name_before_they_are_inflated() {
        // A workbook whose one part inflates past the bound: refused from what it declares.
        let mut bomb = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        bomb.start_file("xl/worksheets/sheet1.xml", options)
            .expect("part");
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..=(MAX_INFLATED / (1024 * 1024)) {
            std::io::Write::write_all(&mut bomb, &zeros).expect("written");
        }
        let bomb = bomb.finish().expect("zipped").into_inner();
        assert!(bomb.len() < MAX_BYTES);
        let e = message(read_roster(&bomb, "bomb.xlsx", &[]).unwrap_err());
        assert!(
            e.contains("bomb.xlsx would inflate to more than 200 MB"),
            "{e}"
        );
        let e = message(read_roster(b"PK\x03\x04not a zip", "x.xlsx", &[]).unwrap_err());
        assert!(e.contains("x.xlsx is not an XLSX workbook"), "{e}");
        let e =
            message(read_roster(b"name,email\n\xff\xfe,a@x.org\n", "latin1.csv", &[]).unwrap_err());
        assert!(e.contains("latin1.csv is not UTF-8 text"), "{e}");
        let e = message(read_roster(b"", "old.xls", &[]).unwrap_err());
        assert!(e.contains("save the sheet as CSV (UTF-8) or XLSX"), "{e}");
    }

    #[test]
    fn problems_are_named_by_the_column_the_file_calls_them() {
        let roster = read_roster(
            b"Recipient Name,Recipient Email,Issued on\nJames Brown,not-an-email,10/30/26\n",
            "accredible.csv",
            &[],
        )
        .expect("read");
        let e = check_roster(&roster).unwrap_err();
        assert_eq!(e.fields[0].field, "row 2: Recipient Email");
        assert!(
            e.message.starts_with("row 2: Recipient Email: "),
            "{}",
            e.message
        );
        let mapping =
            parse_mapping(&["Student Name=name".into(), "Mail=email".into()]).expect("parsed");
        assert_eq!(mapping[0], ("Student Name".to_string(), Field::Name));
        assert!(parse_mapping(&["Student".into()]).is_err());
    }
}
