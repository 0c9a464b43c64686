//! The files people hand Credence, read into domain values: rosters, lists of awards,
//! proposal imports (JSON and CSV), skills lists and taxonomies. Pure functions of the text (no store, no IO), so
//! the fuzz targets in `crates/domain/fuzz` exercise exactly what the app runs, and every
//! problem is named by its row (numbered as a spreadsheet shows it) and field.

pub mod award_list;
pub mod platforms;
pub mod proposals;
pub mod roster;
pub mod skills;
pub mod taxonomy;

use crate::{DomainError, FieldError};

/// The most rows any of these files may have: a bound on the memory a hostile file takes.
pub const MAX_ROWS: usize = 100_000;

fn invalid(field: &str, message: impl Into<String>) -> DomainError {
    DomainError::Invalid(vec![FieldError::new(field, message)])
}

/// A CSV reader over `text` (a UTF-8 byte-order mark dropped), cells trimmed or not.
fn reader(text: &str, trim: csv::Trim) -> csv::Reader<&[u8]> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    csv::ReaderBuilder::new()
        .trim(trim)
        .flexible(false)
        .from_reader(text.as_bytes())
}

fn too_many(field: &str) -> DomainError {
    invalid(field, format!("the file has more than {MAX_ROWS} rows"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Each problem of a refusal as (field, message).
    pub(crate) fn fields(e: DomainError) -> Vec<(String, String)> {
        let DomainError::Invalid(f) = e;
        f.into_iter().map(|f| (f.field, f.message)).collect()
    }

    #[test]
    fn fields_given_as_json_replace_the_drafts_and_strangers_are_named() {
        let draft = crate::proposal::ProposalContent {
            title: "Robotics".into(),
            outcomes: vec!["Build a robot".into()],
            ..Default::default()
        };
        let edited = proposals::apply_fields(
            &draft,
            r#"{"outcomes": ["Build a robot", "Program it"], "description": "Hands on"}"#,
        )
        .unwrap();
        assert_eq!(edited.title, "Robotics");
        assert_eq!(edited.outcomes.len(), 2);
        assert_eq!(edited.description, "Hands on");
        let e = proposals::apply_fields(&draft, r#"{"outcome": []}"#).unwrap_err();
        assert_eq!(fields(e)[0].0, "outcome");
        let e = proposals::apply_fields(&draft, r#"{"outcomes": "one"}"#).unwrap_err();
        assert_eq!(fields(e)[0].0, "outcomes");
        let e = proposals::apply_fields(&draft, "[1]").unwrap_err();
        assert_eq!(fields(e)[0].0, "file");
    }

    #[test]
    fn a_roster_is_read_with_its_byte_order_mark_and_each_bad_row_named() {
        let rows = roster::parse("\u{feff}name,email\nAmélie Dupont,amelie@example.org\n").unwrap();
        assert_eq!(rows[0].name, "Amélie Dupont");
        let e = fields(roster::parse("name,grade\nA,B\n").unwrap_err());
        assert!(e[0].1.contains("missing: email"), "{e:?}");
        let e = fields(roster::parse("name,email\nA,a@x\nB,b@x,extra\n").unwrap_err());
        assert_eq!(e[0].0, "row 3", "{e:?}");
        let e = fields(roster::parse("name,email\n").unwrap_err());
        assert!(e[0].1.contains("no learners"));
    }

    #[test]
    fn a_file_of_more_rows_than_the_bound_is_refused_by_name() {
        let big = format!("name,email\n{}", "A,a@x\n".repeat(MAX_ROWS + 1));
        let e = fields(roster::parse(&big).unwrap_err());
        assert!(e[0].1.contains("more than 100000 rows"), "{e:?}");
        let big = format!(
            "code,name\n{}",
            (0..=MAX_ROWS)
                .map(|i| format!("c{i},n\n"))
                .collect::<String>()
        );
        assert!(skills::parse("ESCO", &big).is_err());
    }

    #[test]
    fn proposals_csv_rows_carry_their_unit_code_and_problems_their_row() {
        let read = proposals::parse_csv(
            "title,unit,credits,academic_level\nRobotics,cs,6,graduate\nHistory,,six,doctoral\n",
        )
        .unwrap();
        assert_eq!(read.rows.len(), 2);
        assert_eq!(read.rows[0].2.as_deref(), Some("cs"));
        assert_eq!(read.rows[1].0, 3);
        let problems: Vec<&str> = read.problems.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(problems, ["row 3: credits", "row 3: academic_level"]);
        assert!(proposals::parse_csv("name\nx\n").is_err());
        let json = proposals::parse_json(r#"[{"title": "A"}, {"title": 5}]"#).unwrap();
        assert_eq!(json.rows.len(), 1);
        assert_eq!(json.problems[0].field, "row 2: title");
    }
}
