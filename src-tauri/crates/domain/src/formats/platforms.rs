//! Awards written as the bulk-issue files of other badge platforms, for institutions that
//! publish there too: Credly's bulk issue CSV, Canvas Credentials' (Badgr) bulk award CSV and
//! Accredible's spreadsheet, in the columns and date forms each documents, so the file
//! uploads there as it is (and `roster` reads it back). The cells are escaped against formula
//! injection where the CSV is written (`credence_app::kernel::exports::csv_table`).

/// A platform whose bulk file Credence writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Credly,
    CanvasCredentials,
    Accredible,
}

impl Platform {
    /// `credly`, `canvas` (or `canvas-credentials`, `badgr`), `accredible`.
    pub fn parse(text: &str) -> Option<Platform> {
        Some(match text.trim().to_lowercase().as_str() {
            "credly" => Platform::Credly,
            "canvas" | "canvas-credentials" | "badgr" => Platform::CanvasCredentials,
            "accredible" => Platform::Accredible,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Platform::Credly => "Credly",
            Platform::CanvasCredentials => "Canvas Credentials",
            Platform::Accredible => "Accredible",
        }
    }

    /// The file name a download is offered under.
    pub fn file_stem(self) -> &'static str {
        match self {
            Platform::Credly => "credly-bulk-issue",
            Platform::CanvasCredentials => "canvas-credentials-bulk-award",
            Platform::Accredible => "accredible-credentials",
        }
    }

    /// The header row, as the platform's own template names its columns.
    pub fn header(self) -> &'static [&'static str] {
        match self {
            Platform::Credly => &[
                "Badge Template ID",
                "Recipient Email",
                "Issued to First Name",
                "Issued to Last Name",
                "Issued at",
                "Expiration Date",
                "Evidence Name",
                "Evidence URL",
            ],
            Platform::CanvasCredentials => &[
                "Badge Class ID",
                "Identifier",
                "First Name",
                "Last Name",
                "Narrative",
                "Evidence Narrative",
                "Evidence URL",
                "Issue Date",
                "Expiration Date",
            ],
            Platform::Accredible => &[
                "Recipient Name",
                "Recipient Email",
                "Issued on",
                "Expiry Date",
                "Grade",
                "Credential ID",
            ],
        }
    }

    /// An award's row, in `header`'s columns. `badge_id` is the platform's id of the badge
    /// (Credly's template id, Canvas Credentials' badge class id), where the person gave it.
    pub fn row(self, award: &ExportedAward, badge_id: &str) -> Vec<String> {
        let (first, last) = split_name(&award.name);
        let us = |date: &str, year4: bool| us_date(date, year4);
        let expires = award.expires_on.as_deref().unwrap_or("");
        match self {
            Platform::Credly => vec![
                badge_id.to_string(),
                award.email.clone(),
                first,
                last,
                us(&award.completed_on, false),
                us(expires, false),
                if award.evidence_url.is_empty() {
                    String::new()
                } else {
                    non_empty(&award.evidence_note, "Evidence")
                },
                award.evidence_url.clone(),
            ],
            Platform::CanvasCredentials => vec![
                badge_id.to_string(),
                award.email.clone(),
                first,
                last,
                String::new(),
                award.evidence_note.clone(),
                award.evidence_url.clone(),
                us(&award.completed_on, true),
                us(expires, true),
            ],
            Platform::Accredible => vec![
                award.name.clone(),
                award.email.clone(),
                us(&award.completed_on, false),
                us(expires, false),
                award.grade.clone(),
                award.credential_id.clone(),
            ],
        }
    }
}

/// An award as the platforms' files need it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportedAward {
    pub name: String,
    pub email: String,
    /// YYYY-MM-DD.
    pub completed_on: String,
    /// YYYY-MM-DD, where the credential expires.
    pub expires_on: Option<String>,
    pub grade: String,
    pub evidence_url: String,
    pub evidence_note: String,
    pub credential_id: String,
}

fn non_empty(text: &str, otherwise: &str) -> String {
    if text.trim().is_empty() {
        otherwise.to_string()
    } else {
        text.to_string()
    }
}

/// A name as the platforms' first and last name columns take it: the last word is the last
/// name, the rest the first (a single name is a first name only).
pub fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(char::is_whitespace) {
        Some((first, last)) => (first.trim().to_string(), last.to_string()),
        None => (name.to_string(), String::new()),
    }
}

/// `YYYY-MM-DD` as month/day/year (`06/30/26`, or `06/30/2026`), as the platforms read dates;
/// empty stays empty.
fn us_date(iso: &str, four_digit_year: bool) -> String {
    let d = iso.get(0..10).unwrap_or(iso);
    match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
        Ok(date) if four_digit_year => date.format("%m/%d/%Y").to_string(),
        Ok(date) => date.format("%m/%d/%y").to_string(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn award() -> ExportedAward {
        ExportedAward {
            name: "José García Márquez".into(),
            email: "jose@example.org".into(),
            completed_on: "2026-11-02".into(),
            expires_on: Some("2028-11-02T23:59:59Z".into()),
            grade: "A".into(),
            evidence_url: "https://portfolio.example.org/jose".into(),
            evidence_note: String::new(),
            credential_id: "urn:uuid:1".into(),
        }
    }

    #[test]
    fn each_platform_gets_its_columns_and_date_form() {
        let credly = Platform::Credly.row(&award(), "tmpl-1");
        assert_eq!(
            credly,
            [
                "tmpl-1",
                "jose@example.org",
                "José García",
                "Márquez",
                "11/02/26",
                "11/02/28",
                "Evidence",
                "https://portfolio.example.org/jose"
            ]
        );
        let canvas = Platform::CanvasCredentials.row(&award(), "");
        assert_eq!(canvas[7], "11/02/2026");
        assert_eq!(canvas.len(), Platform::CanvasCredentials.header().len());
        let accredible = Platform::Accredible.row(&award(), "");
        assert_eq!(
            accredible[..3],
            ["José García Márquez", "jose@example.org", "11/02/26"]
        );
        assert_eq!(
            split_name("Madonna"),
            ("Madonna".to_string(), String::new())
        );
        assert_eq!(Platform::parse("Badgr"), Some(Platform::CanvasCredentials));
        assert_eq!(Platform::parse("linkedin"), None);
    }
}
