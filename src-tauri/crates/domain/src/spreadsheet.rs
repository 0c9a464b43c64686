//! Cells of the CSV files Credence writes, made safe to open in a spreadsheet.
//!
//! A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by
//! Excel, LibreOffice and Google Sheets as a formula (or the start of one), so a learner
//! named `=HYPERLINK(...)` would run in the coordinator's spreadsheet. Such a cell is written
//! with a leading apostrophe, which every spreadsheet shows as text and hides. `unescape`
//! undoes exactly that, so Credence reads back what it wrote: the pair is a bijection (a cell
//! that already begins with apostrophes before such a character gains one more).

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn needs_quote(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(TRIGGERS)
}

/// The cell as it is written to a CSV file.
pub fn escape(cell: &str) -> std::borrow::Cow<'_, str> {
    if needs_quote(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The cell as Credence wrote it, from what a CSV file holds.
pub fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_quoted_and_read_back_as_written() {
        for (plain, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1", "'+1"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("Amélie Dupont", "Amélie Dupont"),
            ("O'Brien", "O'Brien"),
            ("'quoted'", "'quoted'"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(escape(plain), written, "{plain:?}");
            assert_eq!(unescape(written), plain, "{written:?}");
        }
    }
}
