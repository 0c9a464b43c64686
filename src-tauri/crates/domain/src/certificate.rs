//! Certificate templates: how a printed certificate looks, chosen by the microcredential's
//! category and level. The rules (what a valid template is, which template a
//! microcredential gets) live here so the window, the CLI and the renderer agree.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{validate, DomainError, FieldError, Id};

/// Most signatories a certificate carries.
pub const MAX_SIGNATORIES: usize = 5;
/// Largest image file accepted for a signature, bytes.
pub const MAX_SIGNATURE_BYTES: usize = 2 * 1024 * 1024;
/// Largest side of a signature image, pixels (checked before decoding).
pub const MAX_IMAGE_SIDE: u32 = 8000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    /// Width and height in mm, portrait.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    Landscape,
    Portrait,
}

/// The bundled typefaces (embedded and subset into every PDF).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Typeface {
    Sans,
    Serif,
}

/// Which optional blocks a certificate shows. The institution, learner, title and date
/// always show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Blocks {
    pub logo: bool,
    pub category_level: bool,
    pub credits: bool,
    pub outcomes: bool,
    pub signatories: bool,
    pub badge: bool,
    pub verification: bool,
}

impl Default for Blocks {
    fn default() -> Self {
        Self {
            logo: true,
            category_level: true,
            credits: true,
            outcomes: true,
            signatories: true,
            badge: true,
            verification: true,
        }
    }
}

/// One person who signs the certificate. The signature image is stored beside the
/// template (PNG, at most 600x200 pixels); `signature` says whether there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Signatory {
    pub name: String,
    pub title: String,
    /// SHA-256 of the stored signature image, hex; `None` where there is none.
    pub signature: Option<String>,
}

/// What the template editor sends and what is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TemplateInput {
    pub name: String,
    /// Taxonomy term code; `None` matches any category.
    pub category: Option<String>,
    /// Taxonomy term code; `None` matches any level.
    pub level: Option<String>,
    pub paper: Paper,
    pub orientation: Orientation,
    pub typeface: Typeface,
    /// `#rrggbb`: frame, institution, heading.
    pub primary_colour: String,
    /// `#rrggbb`: the microcredential title and rules.
    pub accent_colour: String,
    /// "Certificate of Achievement".
    pub heading: String,
    /// The line between the learner and the title.
    pub completion_text: String,
    pub blocks: Blocks,
    pub signatories: Vec<Signatory>,
    /// The language certificates under this template are printed in (a BCP 47 tag): the
    /// microcredential's texts in that language where it gives them, else its main ones.
    /// `None`: always the main texts. The heading and completion text are written in it.
    #[serde(default)]
    pub language: Option<String>,
    /// The certificate's own words, in the template's language.
    #[serde(default)]
    pub wording: Wording,
}

/// The fixed words of a certificate, so a template in another language prints no English.
/// `{date}` and `{n}` stand for the award date and a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Wording {
    /// "This certifies that", above the learner's name.
    pub certifies: String,
    /// "Awarded {date}": the date is written out in English ("2 December 2026") where the
    /// template's language is English or not given, else as 2026-12-02.
    pub awarded: String,
    /// "{n} credits".
    pub credits: String,
    /// "{n} hours".
    pub hours: String,
    /// "Learning outcomes", over the list.
    pub outcomes: String,
    /// "and {n} more learning outcomes, listed in the credential", where they do not fit.
    pub more_outcomes: String,
    /// The sentence under the signatures saying how to verify the certificate.
    pub verification: String,
    /// In place of the completion text, for an award by recognition of prior learning.
    pub recognized: String,
}

impl Default for Wording {
    fn default() -> Self {
        Self {
            certifies: "This certifies that".into(),
            awarded: "Awarded {date}".into(),
            credits: "{n} credits".into(),
            hours: "{n} hours".into(),
            outcomes: "Learning outcomes".into(),
            more_outcomes: "and {n} more learning outcomes, listed in the credential".into(),
            verification: "The signed credential is attached to this PDF (credential.json); any Open Badges 3.0 verifier checks it, or scan the code.".into(),
            recognized: "was awarded, by recognition of prior learning, the microcredential".into(),
        }
    }
}

impl Wording {
    /// `pattern` with `{n}` as `n` ("1 credit" in the English default's singular).
    pub fn count(pattern: &str, n: &str) -> String {
        let english = Wording::default();
        if n == "1" && (pattern == english.credits || pattern == english.hours) {
            return pattern.replace("{n}", n).trim_end_matches('s').to_string();
        }
        pattern.replace("{n}", n)
    }

    fn validate(&self, push: &mut dyn FnMut(&str, String)) -> Wording {
        let mut text = |field: &str, v: &str, max: usize, needs: Option<&str>| -> String {
            match validate::required_text(v, max) {
                Ok(t) => {
                    if let Some(p) = needs.filter(|p| !t.contains(p)) {
                        push(
                            &format!("wording.{field}"),
                            format!("must contain {p}, where it goes"),
                        );
                    }
                    t
                }
                Err(m) => {
                    push(&format!("wording.{field}"), m);
                    String::new()
                }
            }
        };
        Wording {
            certifies: text("certifies", &self.certifies, 80, None),
            awarded: text("awarded", &self.awarded, 80, Some("{date}")),
            credits: text("credits", &self.credits, 40, Some("{n}")),
            hours: text("hours", &self.hours, 40, Some("{n}")),
            outcomes: text("outcomes", &self.outcomes, 80, None),
            more_outcomes: text("more_outcomes", &self.more_outcomes, 120, Some("{n}")),
            verification: text("verification", &self.verification, 240, None),
            recognized: text("recognized", &self.recognized, 160, None),
        }
    }
}

impl Default for TemplateInput {
    /// The template every microcredential gets until the institution makes its own.
    fn default() -> Self {
        Self {
            name: "Standard".into(),
            category: None,
            level: None,
            paper: Paper::A4,
            orientation: Orientation::Landscape,
            typeface: Typeface::Serif,
            primary_colour: "#1f3a5f".into(),
            accent_colour: "#8a6d1d".into(),
            heading: "Certificate of Achievement".into(),
            completion_text: "has successfully completed the microcredential".into(),
            blocks: Blocks::default(),
            signatories: Vec::new(),
            language: None,
            wording: Wording::default(),
        }
    }
}

/// A stored template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Template {
    /// `None` for the built-in standard template (no template stored matches).
    #[ts(type = "number | null")]
    pub id: Option<Id>,
    pub input: TemplateInput,
    pub updated_at: Option<String>,
}

/// `#rrggbb` to bytes.
pub fn parse_colour(value: &str) -> Option<[u8; 3]> {
    let hex = value.trim().strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

impl TemplateInput {
    /// Checks every field and returns the template in normal form, or every problem named
    /// by field (`signatories[2].name`, `primary_colour`, ...).
    pub fn validate(&self) -> Result<TemplateInput, DomainError> {
        let mut problems = Vec::new();
        let mut push =
            |field: &str, message: String| problems.push(FieldError::new(field, message));
        let name = validate::required_text(&self.name, 80)
            .map_err(|m| push("name", m))
            .unwrap_or_default();
        let code = |field: &str, v: &Option<String>, push: &mut dyn FnMut(&str, String)| match v
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) if s.len() <= 64 && !s.chars().any(char::is_whitespace) => Some(s.to_string()),
            Some(s) => {
                push(field, format!("\"{s}\" is not a taxonomy code"));
                None
            }
        };
        let category = code("category", &self.category, &mut push);
        let level = code("level", &self.level, &mut push);
        let mut colour = |field: &str, v: &str| match parse_colour(v) {
            Some(c) => format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]),
            None => {
                push(field, format!("\"{v}\" is not a colour (expected #rrggbb)"));
                String::new()
            }
        };
        let primary_colour = colour("primary_colour", &self.primary_colour);
        let accent_colour = colour("accent_colour", &self.accent_colour);
        let heading = validate::required_text(&self.heading, 80)
            .map_err(|m| push("heading", m))
            .unwrap_or_default();
        let completion_text = validate::required_text(&self.completion_text, 160)
            .map_err(|m| push("completion_text", m))
            .unwrap_or_default();
        if self.signatories.len() > MAX_SIGNATORIES {
            push(
                "signatories",
                format!(
                    "{} signatories; a certificate has room for at most {MAX_SIGNATORIES}",
                    self.signatories.len()
                ),
            );
        }
        let mut signatories = Vec::new();
        for (i, s) in self.signatories.iter().enumerate() {
            let name = validate::required_text(&s.name, 80)
                .map_err(|m| push(&format!("signatories[{i}].name"), m))
                .unwrap_or_default();
            let title = validate::optional_text(&s.title, 120)
                .map_err(|m| push(&format!("signatories[{i}].title"), m))
                .unwrap_or_default()
                .unwrap_or_default();
            let signature = s.signature.clone().filter(|h| {
                let ok = h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit());
                if !ok {
                    push(
                        &format!("signatories[{i}].signature"),
                        "is not a stored signature image".into(),
                    );
                }
                ok
            });
            signatories.push(Signatory {
                name,
                title,
                signature,
            });
        }
        let language = match self.language.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(tag) => crate::language::normalize(tag)
                .map_err(|m| push("language", m))
                .ok(),
        };
        let wording = self.wording.validate(&mut push);
        if problems.is_empty() {
            Ok(TemplateInput {
                name,
                category,
                level,
                paper: self.paper,
                orientation: self.orientation,
                typeface: self.typeface,
                primary_colour,
                accent_colour,
                heading,
                completion_text,
                blocks: self.blocks,
                signatories,
                language,
                wording,
            })
        } else {
            Err(DomainError::Invalid(problems))
        }
    }

    /// How well this template fits a microcredential: `None` where it does not apply,
    /// higher for more specific templates (category and level, category, level, any).
    pub fn specificity(&self, category: Option<&str>, level: Option<&str>) -> Option<u8> {
        let fits = |want: &Option<String>, have: Option<&str>| match want {
            None => Some(0),
            Some(w) if Some(w.as_str()) == have => Some(1),
            Some(_) => None,
        };
        let c = fits(&self.category, category)?;
        let l = fits(&self.level, level)?;
        Some(c * 2 + l)
    }
}

/// The template a microcredential gets: the most specific stored one that applies, or the
/// built-in standard template.
pub fn choose<'a>(
    templates: &'a [Template],
    category: Option<&str>,
    level: Option<&str>,
) -> Option<&'a Template> {
    templates
        .iter()
        .filter_map(|t| t.input.specificity(category, level).map(|s| (s, t)))
        .max_by_key(|(s, t)| (*s, std::cmp::Reverse(t.id)))
        .map(|(_, t)| t)
}

/// What an image is once its header has been read and its pixels decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFacts {
    pub format: image::ImageFormat,
    pub width: u32,
    pub height: u32,
}

/// Reads an image's size from its header (so a decompression bomb is refused before any
/// pixel is decoded), then decodes it fully (so a truncated or disguised file is refused).
/// Problems are reported against `field`.
pub fn check_image(
    bytes: &[u8],
    field: &str,
    max_bytes: usize,
    max_side: u32,
) -> Result<ImageFacts, DomainError> {
    let refuse = |m: String| DomainError::Invalid(vec![FieldError::new(field, m)]);
    if bytes.is_empty() {
        return Err(refuse("the file is empty".into()));
    }
    if bytes.len() > max_bytes {
        return Err(refuse(format!(
            "the file is {} KB; at most {} KB is accepted",
            bytes.len().div_ceil(1024),
            max_bytes / 1024
        )));
    }
    let format = match image::guess_format(bytes) {
        Ok(f @ (image::ImageFormat::Png | image::ImageFormat::Jpeg)) => f,
        _ => return Err(refuse("the file is not a PNG or JPEG image".into())),
    };
    let reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| refuse(format!("the image cannot be read ({e})")))?;
    if width > max_side || height > max_side {
        return Err(refuse(format!(
            "the image is {width}x{height} pixels; at most {max_side} pixels a side is accepted"
        )));
    }
    image::load_from_memory_with_format(bytes, format)
        .map_err(|e| refuse(format!("the image cannot be read ({e})")))?;
    Ok(ImageFacts {
        format,
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: Id, category: Option<&str>, level: Option<&str>) -> Template {
        Template {
            id: Some(id),
            input: TemplateInput {
                name: format!("t{id}"),
                category: category.map(str::to_string),
                level: level.map(str::to_string),
                ..TemplateInput::default()
            },
            updated_at: None,
        }
    }

    #[test]
    fn the_most_specific_template_applies() {
        let all = vec![
            stored(1, None, None),
            stored(2, Some("digital"), None),
            stored(3, None, Some("advanced")),
            stored(4, Some("digital"), Some("advanced")),
        ];
        let pick = |c: Option<&str>, l: Option<&str>| choose(&all, c, l).and_then(|t| t.id);
        assert_eq!(pick(Some("digital"), Some("advanced")), Some(4));
        assert_eq!(pick(Some("digital"), Some("intro")), Some(2));
        assert_eq!(pick(Some("health"), Some("advanced")), Some(3));
        assert_eq!(pick(Some("health"), None), Some(1));
        assert_eq!(choose(&all[1..2], Some("health"), None), None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let input = TemplateInput {
            name: " ".into(),
            primary_colour: "navy".into(),
            accent_colour: "#12345".into(),
            heading: "x".repeat(81),
            language: Some("French".into()),
            wording: Wording {
                awarded: "Décerné le".into(),
                certifies: " ".into(),
                ..Wording::default()
            },
            signatories: (0..6)
                .map(|i| Signatory {
                    name: if i == 2 {
                        String::new()
                    } else {
                        format!("S{i}")
                    },
                    title: String::new(),
                    signature: (i == 3).then(|| "nope".into()),
                })
                .collect(),
            ..TemplateInput::default()
        };
        let Err(DomainError::Invalid(problems)) = input.validate() else {
            panic!("expected problems");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        for f in [
            "name",
            "primary_colour",
            "accent_colour",
            "heading",
            "signatories",
            "signatories[2].name",
            "signatories[3].signature",
            "language",
            "wording.awarded",
            "wording.certifies",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn colours_are_normalized() {
        let t = TemplateInput {
            primary_colour: "#ABCDEF".into(),
            language: Some("fr_ca".into()),
            ..TemplateInput::default()
        }
        .validate()
        .expect("valid");
        assert_eq!(t.primary_colour, "#abcdef");
        assert_eq!(t.language.as_deref(), Some("fr-CA"));
        assert_eq!(parse_colour("#abcdef"), Some([0xab, 0xcd, 0xef]));
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn a_huge_or_broken_image_is_refused_by_field() {
        // A PNG header claiming 20000x20000 pixels: refused before decoding.
        let mut png = Vec::new();
        image::RgbImage::new(2, 2)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("png");
        png[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = check_image(&png, "signatories[0].signature", 1 << 20, 8000).unwrap_err();
        assert!(err.to_string().contains("20000x20000"), "{err}");
        let err = check_image(b"GIF89a....", "logo", 1 << 20, 8000).unwrap_err();
        assert!(err.to_string().contains("not a PNG or JPEG"), "{err}");
        let err = check_image(&png[..40], "logo", 1 << 20, 8000).unwrap_err();
        assert!(err.to_string().contains("logo"), "{err:?}");
    }
}
