//! Tables Credence writes for other programs to read (manifests, exports). Every cell goes
//! through `spreadsheet::escape`, so a value such as a learner's name can never run as a
//! formula in the spreadsheet that opens the file.

use credence_domain::spreadsheet;

use crate::{AppError, ErrorKind};

/// A CSV file (RFC 4180 quoting, `\n` line ends) of `header` and `rows`, every cell escaped.
pub fn csv_table<R, C>(
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> Result<String, AppError>
where
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let failed =
        |e: csv::Error| AppError::new(ErrorKind::Internal, format!("cannot write CSV: {e}"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header).map_err(failed)?;
    for row in rows {
        let cells: Vec<String> = row
            .into_iter()
            .map(|c| spreadsheet::escape(c.as_ref()).into_owned())
            .collect();
        out.write_record(&cells).map_err(failed)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::new(ErrorKind::Internal, format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes)
        .map_err(|e| AppError::new(ErrorKind::Internal, format!("cannot write CSV: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_is_quoted_and_escaped() {
        let csv = csv_table(
            &["name", "note"],
            [vec!["=cmd|' /C calc'!A0", "a, \"b\""], vec!["Zoë", "-2"]],
        )
        .unwrap();
        assert_eq!(
            csv,
            "name,note\n'=cmd|' /C calc'!A0,\"a, \"\"b\"\"\"\nZoë,'-2\n"
        );
    }
}
