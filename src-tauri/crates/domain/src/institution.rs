//! The institution profile: the body that awards credentials and becomes the badge issuer.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{DomainError, Problems};
use crate::validate;

/// Largest logo accepted, in bytes. Logos are embedded in every badge and certificate.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;
/// Largest logo side, in pixels.
pub const MAX_LOGO_SIDE: u32 = 4096;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Institution {
    pub name: String,
    /// ISO 3166-1 alpha-2 code (`US`, `NZ`, `DE`).
    pub country: String,
    /// The country's English short name, for display.
    pub country_name: String,
    pub url: Option<String>,
    pub email: Option<String>,
    pub logo: Option<LogoFacts>,
}

/// What the institution profile form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InstitutionInput {
    pub name: String,
    pub country: String,
    pub url: Option<String>,
    pub email: Option<String>,
}

/// An institution profile whose every field has passed validation, in normal form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidInstitution {
    pub name: String,
    pub country: String,
    pub url: Option<String>,
    pub email: Option<String>,
}

impl InstitutionInput {
    pub fn validate(&self) -> Result<ValidInstitution, DomainError> {
        let mut problems = Problems::default();
        let name = validate::required_text(&self.name, 200)
            .map_err(|m| problems.push("name", m))
            .unwrap_or_default();
        let country = country_code(&self.country)
            .map_err(|m| problems.push("country", m))
            .unwrap_or_default();
        let url = optional(&self.url, validate::web_url).map_err(|m| problems.push("url", m));
        let email = optional(&self.email, validate::email).map_err(|m| problems.push("email", m));
        problems.into_result()?;
        Ok(ValidInstitution {
            name,
            country,
            url: url.unwrap_or_default(),
            email: email.unwrap_or_default(),
        })
    }
}

fn optional(
    value: &Option<String>,
    check: fn(&str) -> Result<String, String>,
) -> Result<Option<String>, String> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => check(v).map(Some),
    }
}

/// Normalizes and checks an ISO 3166-1 alpha-2 country code.
pub fn country_code(value: &str) -> Result<String, String> {
    let code = value.trim().to_uppercase();
    if code.is_empty() {
        return Err("must not be empty".into());
    }
    isocountry::CountryCode::for_alpha2(&code)
        .map(|_| code.clone())
        .map_err(|_| {
            format!(
                "\"{}\" is not an ISO 3166 two-letter country code (e.g. US, NZ, DE)",
                value.trim()
            )
        })
}

/// The English short name of a valid country code, or the code itself.
pub fn country_name(code: &str) -> String {
    isocountry::CountryCode::for_alpha2(code)
        .map(|c| c.name().to_string())
        .unwrap_or_else(|_| code.to_string())
}

/// Every country a workspace may name, for pickers: (code, name), sorted by name.
pub fn countries() -> Vec<Country> {
    let mut all: Vec<Country> = isocountry::CountryCode::iter()
        .map(|c| Country {
            code: c.alpha2().to_string(),
            name: c.name().to_string(),
        })
        .collect();
    all.sort_by(|a, b| a.name.cmp(&b.name));
    all
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Country {
    pub code: String,
    pub name: String,
}

/// What a logo is, once its bytes have been decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LogoFacts {
    pub mime: String,
    pub width: u32,
    pub height: u32,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Decodes a logo fully (not just its header) so a truncated or disguised file is refused;
/// its size is read from the header first, so a decompression bomb is never decoded.
pub fn check_logo(bytes: &[u8]) -> Result<LogoFacts, DomainError> {
    let facts = crate::certificate::check_image(bytes, "logo", MAX_LOGO_BYTES, MAX_LOGO_SIDE)?;
    let mime = match facts.format {
        image::ImageFormat::Jpeg => "image/jpeg",
        _ => "image/png",
    };
    Ok(LogoFacts {
        mime: mime.into(),
        width: facts.width,
        height: facts.height,
        bytes: bytes.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> InstitutionInput {
        InstitutionInput {
            name: " Northfield University ".into(),
            country: "us".into(),
            url: Some("https://northfield.edu".into()),
            email: Some("badges@northfield.edu".into()),
        }
    }

    fn fields(err: DomainError) -> Vec<String> {
        let DomainError::Invalid(f) = err;
        f.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn a_complete_profile_is_normalized() {
        let valid = input().validate().unwrap();
        assert_eq!(valid.name, "Northfield University");
        assert_eq!(valid.country, "US");
        assert_eq!(valid.url.as_deref(), Some("https://northfield.edu/"));
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let bad = InstitutionInput {
            name: "".into(),
            country: "USA".into(),
            url: Some("northfield.edu".into()),
            email: Some("badges".into()),
        };
        assert_eq!(
            fields(bad.validate().unwrap_err()),
            ["name", "country", "url", "email"]
        );
    }

    #[test]
    fn blank_optional_fields_are_absent() {
        let mut i = input();
        i.url = Some("  ".into());
        i.email = None;
        let valid = i.validate().unwrap();
        assert_eq!((valid.url, valid.email), (None, None));
    }

    #[test]
    fn a_logo_must_be_a_whole_image() {
        let mut png = Vec::new();
        image::RgbaImage::new(8, 4)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let facts = check_logo(&png).unwrap();
        assert_eq!(
            (facts.mime.as_str(), facts.width, facts.height),
            ("image/png", 8, 4)
        );

        assert!(check_logo(b"hello, not an image").is_err());
        assert!(
            check_logo(&png[..png.len() / 2]).is_err(),
            "a truncated PNG is refused"
        );
        assert!(check_logo(&vec![0u8; MAX_LOGO_BYTES + 1]).is_err());
        assert!(check_logo(&[]).is_err());
    }

    #[test]
    fn countries_are_listed_by_name() {
        let all = countries();
        assert!(all.len() > 240);
        assert!(all
            .iter()
            .any(|c| c.code == "NZ" && c.name == "New Zealand"));
    }
}
