//! A list of awards to act on together (bulk revocation): a CSV whose `award`, `id`,
//! `credential` or `email` column (the first of these its header names) holds award ids,
//! credential ids or learners' emails; or, where no header names one, a plain list with
//! one per line in the first column (an export of ids, a column pasted from a spreadsheet).

use super::{invalid, reader, too_many, MAX_ROWS};
use crate::{DomainError, FieldError};

/// The header names that say which column holds the awards.
pub const COLUMNS: [&str; 4] = ["award", "id", "credential", "email"];

/// Each award named, with its row as a spreadsheet numbers it; a name given twice is kept
/// once (at its first row).
pub fn parse(text: &str) -> Result<Vec<(usize, String)>, DomainError> {
    let mut csv = reader(text, csv::Trim::All);
    let headers = csv
        .headers()
        .map_err(|e| invalid("file", format!("row 1: {e}")))?
        .clone();
    // `Award ID`, `award_id` and `award` all name the award column.
    let plain = |h: &str| -> String {
        h.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let named = COLUMNS.iter().find_map(|c| {
        headers
            .iter()
            .position(|h| plain(h) == *c || plain(h) == format!("{c}id"))
    });
    let (column, first_row) = match named {
        Some(i) => (i, Vec::new()),
        // No header: the first line is an award too.
        None => (0, vec![(1, headers.get(0).unwrap_or("").to_string())]),
    };
    let mut rows = first_row;
    let mut problems = Vec::new();
    for (i, record) in csv.records().enumerate() {
        if i >= MAX_ROWS {
            return Err(too_many("file"));
        }
        match record {
            Ok(r) => rows.push((i + 2, r.get(column).unwrap_or("").to_string())),
            Err(e) => problems.push(FieldError::new(format!("row {}", i + 2), e.to_string())),
        }
    }
    let mut out: Vec<(usize, String)> = Vec::new();
    for (row, value) in rows {
        if value.is_empty() {
            problems.push(FieldError::new(
                format!("row {row}"),
                "names no award, credential or email",
            ));
        } else if !out.iter().any(|(_, v)| *v == value) {
            out.push((row, value));
        }
    }
    if !problems.is_empty() {
        return Err(DomainError::Invalid(problems));
    }
    if out.is_empty() {
        return Err(invalid("file", "the file names no award"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_named_in_the_header_or_the_first_column_of_a_plain_list() {
        let with_header =
            "name,email\nAda,ada@example.org\nBo,bo@example.org\nAda,ada@example.org\n";
        assert_eq!(
            parse(with_header).unwrap(),
            [(2, "ada@example.org".into()), (3, "bo@example.org".into())]
        );
        let plain = "urn:uuid:1\nurn:uuid:2\n";
        assert_eq!(
            parse(plain).unwrap(),
            [(1, "urn:uuid:1".into()), (2, "urn:uuid:2".into())]
        );
        let award_id = "Award ID,learner\nabc,Ada\n";
        assert_eq!(parse(award_id).unwrap(), [(2, "abc".into())]);
    }

    #[test]
    fn empty_cells_and_empty_files_are_named() {
        let DomainError::Invalid(f) = parse("email\nada@example.org\n \n").unwrap_err();
        // A blank line is no row to a CSV reader; a cell of spaces is an empty one.
        assert_eq!(f[0].field, "row 3");
        assert!(parse("email\n").is_err());
        assert!(parse("").is_err());
    }
}
