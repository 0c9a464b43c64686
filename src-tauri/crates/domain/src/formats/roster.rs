//! A roster of learners to award: a table with a header row, from Credence's own CSV or
//! from the bulk-issue files of the badge platforms institutions already use, recognized by
//! their column names: Credly's bulk issue CSV (`Badge Template ID, Recipient Email, First
//! Name, Last Name, Issued at`, dates mm/dd/yy), Canvas Credentials' (Badgr) bulk award CSV
//! (`Badge Class ID, Identifier, First Name, Last Name, Narrative, Evidence Narrative,
//! Evidence URL, Issue Date, Expiration Date`) and Accredible's spreadsheet (`Recipient Name,
//! Recipient Email, Issued on, Grade`). Any other column is named to a field by hand
//! (`Mapping`); a column neither recognized nor mapped is refused, so nothing is lost
//! silently.

use super::{invalid, reader, too_many, MAX_ROWS};
use crate::award::LearnerInput;
use crate::{DomainError, FieldError};

/// The roster columns, in the order the documentation lists them.
pub const COLUMNS: [&str; 7] = [
    "name",
    "email",
    "learner_did",
    "completed_on",
    "grade",
    "evidence_url",
    "evidence_note",
];

/// What a column of a roster holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    FirstName,
    LastName,
    Email,
    LearnerDid,
    CompletedOn,
    Grade,
    EvidenceUrl,
    EvidenceNote,
    /// A platform's own bookkeeping (its badge template id, a locale, a country): read past.
    Ignore,
    /// An expiry date: Credence takes expiry from the microcredential, so a roster row that
    /// gives one is refused rather than issued without it.
    Expiry,
    /// The platform's id of the badge: every row must name the same one.
    BadgeId,
}

impl Field {
    /// The fields a column may be named to by hand, by the names `--map` and the window use.
    const NAMED: [(&'static str, Field); 10] = [
        ("name", Field::Name),
        ("first_name", Field::FirstName),
        ("last_name", Field::LastName),
        ("email", Field::Email),
        ("learner_did", Field::LearnerDid),
        ("completed_on", Field::CompletedOn),
        ("grade", Field::Grade),
        ("evidence_url", Field::EvidenceUrl),
        ("evidence_note", Field::EvidenceNote),
        ("ignore", Field::Ignore),
    ];

    /// The field a `--map COLUMN=FIELD` names.
    pub fn parse(text: &str) -> Option<Field> {
        let text = text.trim();
        Self::NAMED
            .iter()
            .find(|(n, _)| *n == text)
            .map(|(_, f)| *f)
    }

    /// The name `parse` takes for this field (platform-only fields have none).
    pub fn name(self) -> Option<&'static str> {
        Self::NAMED
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
    }

    /// The names `parse` takes, for messages.
    pub const NAMES: &'static str = "name, first_name, last_name, email, learner_did, completed_on, grade, evidence_url, evidence_note, ignore";

    /// The learner field problems with this column are reported under.
    fn learner_field(self) -> Option<&'static str> {
        Some(match self {
            Field::Name | Field::FirstName | Field::LastName => "name",
            Field::Email => "email",
            Field::LearnerDid => "learner_did",
            Field::CompletedOn => "completed_on",
            Field::Grade => "grade",
            Field::EvidenceUrl => "evidence_url",
            Field::EvidenceNote => "evidence_note",
            Field::Ignore | Field::Expiry | Field::BadgeId => return None,
        })
    }
}

/// Columns named to fields by hand: (column as its header gives it, field).
pub type Mapping = [(String, Field)];

/// Where a roster's columns came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Credence,
    Credly,
    CanvasCredentials,
    Accredible,
    /// Columns named by hand (some or all).
    Mapped,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::Credence => "Credence roster",
            Source::Credly => "Credly bulk issue file",
            Source::CanvasCredentials => "Canvas Credentials bulk award file",
            Source::Accredible => "Accredible spreadsheet",
            Source::Mapped => "Roster with columns named by hand",
        }
    }
}

/// A roster read: its learners, where its columns came from, and for each learner field
/// the column it was read from (so a problem is named by the column the person sees).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    pub learners: Vec<LearnerInput>,
    pub source: Source,
    pub columns: Vec<(&'static str, String)>,
}

impl Roster {
    /// The column a learner field was read from, as the file's header names it.
    pub fn column_of(&self, field: &str) -> Option<&str> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.as_str())
    }
}

/// A header as compared: lower case, spaces for underscores, single spaces.
fn normal(header: &str) -> String {
    header
        .trim()
        .to_lowercase()
        .replace('_', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a header names in one of the formats Credence reads.
fn recognized(header: &str) -> Option<Field> {
    Some(match normal(header).as_str() {
        "name" | "recipient name" | "full name" => Field::Name,
        "first name" | "issued to first name" | "recipient first name" => Field::FirstName,
        "last name" | "issued to last name" | "recipient last name" => Field::LastName,
        "email" | "recipient email" | "identifier" | "email address" | "issued to email" => {
            Field::Email
        }
        "learner did" => Field::LearnerDid,
        "completed on" | "issued at" | "issued at date" | "issue date" | "issued on"
        | "issued date" => Field::CompletedOn,
        "grade" => Field::Grade,
        "evidence url" => Field::EvidenceUrl,
        "evidence note"
        | "evidence narrative"
        | "narrative"
        | "evidence description"
        | "id evidence description" => Field::EvidenceNote,
        "expiration date" | "expires at" | "expiry date" | "expires on" => Field::Expiry,
        "badge template id" | "badge class id" => Field::BadgeId,
        "issuer earner id" | "country" | "state or province" | "locale" | "evidence name"
        | "text evidence name" | "text evidence url" | "id evidence title" | "group tag"
        | "credential id" => Field::Ignore,
        _ => return None,
    })
}

/// Which platform's file a header row is.
fn source_of(headers: &[String]) -> Source {
    let has = |name: &str| headers.iter().any(|h| normal(h) == name);
    if has("badge template id") {
        Source::Credly
    } else if has("badge class id") || has("identifier") {
        Source::CanvasCredentials
    } else if has("recipient name") {
        Source::Accredible
    } else {
        Source::Credence
    }
}

/// A completion date as Credence stores it (`YYYY-MM-DD`) from the forms the platforms'
/// files use: ISO (a time after it is dropped), or month/day/year with a two- or four-digit
/// year, as Credly, Canvas Credentials and Accredible document (and US spreadsheets save).
pub fn iso_date(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    let day = t.split(['T', ' ']).next().unwrap_or(t);
    if let Ok(d) = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        return Ok(d.to_string());
    }
    let parts: Vec<&str> = day.split('/').collect();
    if let [m, d, y] = parts[..] {
        let number = |s: &str| {
            s.parse::<u32>()
                .ok()
                .filter(|_| !s.is_empty() && s.len() <= 4)
        };
        if let (Some(m), Some(d), Some(y)) = (number(m), number(d), number(y)) {
            let year = match parts[2].len() {
                2 => 2000 + y,
                4 => y,
                _ => 0,
            };
            if let Some(date) = i32::try_from(year)
                .ok()
                .filter(|y| *y > 0)
                .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, m, d))
            {
                return Ok(date.to_string());
            }
        }
    }
    Err(format!(
        "\"{t}\" is not a date (expected 2026-06-30, or month/day/year as 06/30/26 or 6/30/2026)"
    ))
}

/// What each column holds: named by hand, else recognized, else nothing (a blank header is
/// read past).
pub fn column_fields(headers: &[String], mapping: &Mapping) -> Vec<Option<Field>> {
    headers
        .iter()
        .map(|header| {
            mapping
                .iter()
                .find(|(column, _)| normal(column) == normal(header))
                .map(|(_, f)| *f)
                .or_else(|| recognized(header))
                .or_else(|| header.trim().is_empty().then_some(Field::Ignore))
        })
        .collect()
}

/// A header row as the key its hand-made mapping is remembered under: the columns as
/// compared, in order.
pub fn header_key(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| normal(h))
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// Whether a header row is one Credence reads without help.
pub fn recognized_source(headers: &[String]) -> Source {
    source_of(headers)
}

/// A CSV as a header and rows of cells (each bad row named).
pub fn csv_table(text: &str) -> Result<(Vec<String>, Vec<Vec<String>>), DomainError> {
    let mut reader = reader(text, csv::Trim::All);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| invalid("roster", format!("row 1: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        if i >= MAX_ROWS {
            return Err(too_many("roster"));
        }
        match record {
            Ok(r) => rows.push(r.iter().map(str::to_string).collect()),
            Err(e) => problems.push(FieldError::new(format!("row {}", i + 2), e.to_string())),
        }
    }
    if !problems.is_empty() {
        return Err(DomainError::Invalid(problems));
    }
    Ok((headers, rows))
}

/// Reads a roster CSV: a header row in Credence's columns or one of the platforms' files.
pub fn parse(text: &str) -> Result<Vec<LearnerInput>, DomainError> {
    Ok(parse_csv(text, &[])?.learners)
}

/// Reads a roster CSV with some columns named by hand.
pub fn parse_csv(text: &str, mapping: &Mapping) -> Result<Roster, DomainError> {
    let (headers, rows) = csv_table(text)?;
    parse_table(&headers, rows, mapping)
}

/// Reads a roster from a table (a header and its rows, as a CSV or a spreadsheet gives
/// them), some columns named by hand. Every problem is named by its row (the header is
/// row 1) and its column as the file names it; nothing is read if any row is bad.
pub fn parse_table(
    headers: &[String],
    rows: Vec<Vec<String>>,
    mapping: &Mapping,
) -> Result<Roster, DomainError> {
    if rows.len() > MAX_ROWS {
        return Err(too_many("roster"));
    }
    let mut fields = Vec::with_capacity(headers.len());
    let mut unknown = Vec::new();
    for (header, field) in headers.iter().zip(column_fields(headers, mapping)) {
        match field {
            Some(f) => fields.push(f),
            None => {
                unknown.push(header.as_str());
                fields.push(Field::Ignore);
            }
        }
    }
    for (column, _) in mapping {
        if !headers.iter().any(|h| normal(h) == normal(column)) {
            return Err(invalid(
                "map",
                format!("the roster has no column \"{column}\" to map"),
            ));
        }
    }
    let has = |f: Field| fields.contains(&f);
    let mut missing = Vec::new();
    let named = has(Field::Name) || (has(Field::FirstName) && has(Field::LastName));
    if !named {
        missing.push("name (or first and last name)");
    }
    if !has(Field::Email) {
        missing.push("email");
    }
    if !unknown.is_empty() || !missing.is_empty() {
        let mut why = Vec::new();
        if !missing.is_empty() {
            why.push(format!("missing: {}", missing.join(", ")));
        }
        if !unknown.is_empty() {
            why.push(format!("not recognized: {}", unknown.join(", ")));
        }
        return Err(invalid(
            "roster",
            format!(
                "row 1: the header must name name and email and may name learner_did, completed_on, grade, evidence_url, evidence_note, or be a Credly, Canvas Credentials or Accredible file; name other columns to fields by hand ({})",
                why.join("; ")
            ),
        ));
    }
    let source = if mapping.is_empty() {
        source_of(headers)
    } else {
        Source::Mapped
    };
    let mut columns: Vec<(&'static str, String)> = Vec::new();
    for (header, field) in headers.iter().zip(&fields) {
        if let Some(learner) = field.learner_field() {
            if !columns.iter().any(|(f, _)| *f == learner) {
                columns.push((learner, header.clone()));
            }
        }
    }
    let platform = matches!(
        source,
        Source::Credly | Source::CanvasCredentials | Source::Accredible
    );
    let mut learners = Vec::with_capacity(rows.len());
    let mut problems = Vec::new();
    let mut badge: Option<(usize, String)> = None;
    for (i, row) in rows.iter().enumerate() {
        let at = |field: &str, message: String| {
            FieldError::new(format!("row {}: {field}", i + 2), message)
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            // A spreadsheet's trailing blank rows.
            continue;
        }
        let mut learner = LearnerInput::default();
        let (mut first, mut last) = (String::new(), String::new());
        for ((cell, field), header) in row.iter().zip(&fields).zip(headers) {
            let cell = cell.trim();
            match field {
                Field::Name => learner.name = cell.to_string(),
                Field::FirstName => first = cell.to_string(),
                Field::LastName => last = cell.to_string(),
                Field::Email => learner.email = cell.to_string(),
                Field::LearnerDid => learner.learner_did = cell.to_string(),
                // The platforms document month/day/year; in Credence's own columns (and those
                // named by hand) only YYYY-MM-DD, checked with the rest of the learner, so
                // 02/11/2026 is never read as the wrong one of two days.
                Field::CompletedOn if platform => match iso_date(cell) {
                    Ok(date) => learner.completed_on = date,
                    Err(m) => problems.push(at(header, m)),
                },
                Field::CompletedOn => learner.completed_on = cell.to_string(),
                Field::Grade => learner.grade = cell.to_string(),
                Field::EvidenceUrl => learner.evidence_url = cell.to_string(),
                Field::EvidenceNote => {
                    if learner.evidence_note.is_empty() {
                        learner.evidence_note = cell.to_string();
                    } else if !cell.is_empty() {
                        learner.evidence_note = format!("{}; {cell}", learner.evidence_note);
                    }
                }
                Field::Expiry if !cell.is_empty() => problems.push(at(
                    header,
                    "Credence takes expiry from the microcredential, not the roster: leave it empty".into(),
                )),
                Field::BadgeId if !cell.is_empty() => match &badge {
                    None => badge = Some((i + 2, cell.to_string())),
                    Some((row, id)) if id != cell => problems.push(at(
                        header,
                        format!("\"{cell}\" differs from \"{id}\" on row {row}: a roster gives one microcredential's learners"),
                    )),
                    Some(_) => {}
                },
                Field::Expiry | Field::BadgeId | Field::Ignore => {}
            }
        }
        if learner.name.is_empty() {
            learner.name = format!("{first} {last}").trim().to_string();
        }
        learners.push(learner);
    }
    if !problems.is_empty() {
        return Err(DomainError::Invalid(problems));
    }
    if learners.is_empty() {
        return Err(invalid("roster", "the roster has a header but no learners"));
    }
    Ok(Roster {
        learners,
        source,
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::formats::tests::fields;

    #[test]
    fn the_field_names_listed_are_the_ones_read() {
        let named: Vec<&str> = Field::NAMED.iter().map(|(n, _)| *n).collect();
        assert_eq!(Field::NAMES, named.join(", "));
        for (name, field) in Field::NAMED {
            assert_eq!(
                (Field::parse(name), field.name()),
                (Some(field), Some(name))
            );
        }
        assert_eq!(Field::Expiry.name(), None);
    }

    #[test]
    fn dates_in_the_platforms_forms_become_iso() {
        assert_eq!(iso_date("06/30/26").unwrap(), "2026-06-30");
        assert_eq!(iso_date("6/3/2026").unwrap(), "2026-06-03");
        assert_eq!(iso_date("2026-06-30T10:00:00Z").unwrap(), "2026-06-30");
        assert_eq!(iso_date(" ").unwrap(), "");
        for bad in ["30/06/26", "2026-13-01", "June 30", "1/2/3/4", "1/2/123"] {
            assert!(iso_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_credly_file_is_read_by_its_headers_names_joined_dates_converted() {
        let text = "Badge Template ID,Recipient Email,Issued to First Name,Issuer Earner ID,Issued to Last Name,Issued at,Expiration Date,Country,Evidence URL\n\
            8f2a,ana@example.org,Ana,E1,Lima,11/02/26,,Brazil,https://portfolio.example.org/ana\n";
        let roster = parse_csv(text, &[]).unwrap();
        assert_eq!(roster.source, Source::Credly);
        let ana = &roster.learners[0];
        assert_eq!(
            (
                ana.name.as_str(),
                ana.email.as_str(),
                ana.completed_on.as_str()
            ),
            ("Ana Lima", "ana@example.org", "2026-11-02")
        );
        assert_eq!(ana.evidence_url, "https://portfolio.example.org/ana");
        assert_eq!(roster.column_of("email"), Some("Recipient Email"));
    }

    #[test]
    fn a_bad_row_is_named_by_its_row_and_the_column_the_file_calls_it() {
        let text = "Badge Class ID,Identifier,First Name,Last Name,Issue Date,Expiration Date\n\
            b1,kofi@example.org,Kofi,Boateng,2026-11-02,\n\
            b1,amara@example.org,Amara,Diallo,31/11/2026,\n\
            b2,lee@example.org,Lee,Min,2026-11-02,2027-11-02\n";
        let e = fields(parse_csv(text, &[]).unwrap_err());
        let named: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            named,
            [
                "row 3: Issue Date",
                "row 4: Badge Class ID",
                "row 4: Expiration Date"
            ]
        );
    }

    #[test]
    fn unknown_columns_are_refused_until_named_by_hand() {
        let text = "Student,E-mail,Finished\nAmara Diallo,amara@example.org,2026-11-02\n";
        let e = fields(parse_csv(text, &[]).unwrap_err());
        assert!(
            e[0].1.contains("not recognized: Student, E-mail, Finished"),
            "{e:?}"
        );
        let map = [
            ("Student".to_string(), Field::Name),
            ("e-mail".to_string(), Field::Email),
            ("Finished".to_string(), Field::CompletedOn),
        ];
        let roster = parse_csv(text, &map).unwrap();
        assert_eq!(roster.source, Source::Mapped);
        assert_eq!(roster.learners[0].email, "amara@example.org");
        let wrong = [("Nope".to_string(), Field::Name)];
        assert_eq!(fields(parse_csv(text, &wrong).unwrap_err())[0].0, "map");
    }

    #[test]
    fn an_accredible_sheet_and_credences_own_columns_are_read() {
        let roster = parse_csv(
            "Recipient Name,Recipient Email,Issued on,Grade\nJames Brown,james@example.org,5/31/26,A\n",
            &[],
        )
        .unwrap();
        assert_eq!(roster.source, Source::Accredible);
        assert_eq!(roster.learners[0].completed_on, "2026-05-31");
        assert_eq!(roster.learners[0].grade, "A");
        let own = parse_csv("name,email,completed_on\nA,a@x.org,02/01/2026\n", &[]).unwrap();
        assert_eq!(own.source, Source::Credence);
        // Left as given, for the learner check to refuse: day and month are ambiguous.
        assert_eq!(own.learners[0].completed_on, "02/01/2026");
    }
}
