//! Language tags (BCP 47) as Open Badges 3.0 accepts them (`inLanguage`: a language, an
//! optional script, an optional region: `en`, `fr-CA`, `zh-Hant`, `es-419`), and the names
//! the window and the catalog show for them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The language a microcredential's texts are in when its proposer did not say.
pub const DEFAULT: &str = "en";

/// A language the window offers by name (any other well-formed tag is accepted too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Language {
    pub tag: String,
    /// In English: "French".
    pub english: String,
    /// In itself: "Français".
    pub native: String,
}

/// Languages universities commonly publish microcredentials in, by tag.
const KNOWN: &[(&str, &str, &str)] = &[
    ("ar", "Arabic", "العربية"),
    ("bn", "Bengali", "বাংলা"),
    ("ca", "Catalan", "Català"),
    ("cy", "Welsh", "Cymraeg"),
    ("da", "Danish", "Dansk"),
    ("de", "German", "Deutsch"),
    ("el", "Greek", "Ελληνικά"),
    ("en", "English", "English"),
    ("es", "Spanish", "Español"),
    ("fa", "Persian", "فارسی"),
    ("fi", "Finnish", "Suomi"),
    ("fil", "Filipino", "Filipino"),
    ("fr", "French", "Français"),
    ("ga", "Irish", "Gaeilge"),
    ("he", "Hebrew", "עברית"),
    ("hi", "Hindi", "हिन्दी"),
    ("id", "Indonesian", "Bahasa Indonesia"),
    ("it", "Italian", "Italiano"),
    ("ja", "Japanese", "日本語"),
    ("ko", "Korean", "한국어"),
    ("mi", "Māori", "Te Reo Māori"),
    ("ms", "Malay", "Bahasa Melayu"),
    ("nb", "Norwegian Bokmål", "Norsk bokmål"),
    ("nl", "Dutch", "Nederlands"),
    ("pl", "Polish", "Polski"),
    ("pt", "Portuguese", "Português"),
    ("ru", "Russian", "Русский"),
    ("sv", "Swedish", "Svenska"),
    ("sw", "Swahili", "Kiswahili"),
    ("ta", "Tamil", "தமிழ்"),
    ("th", "Thai", "ไทย"),
    ("tr", "Turkish", "Türkçe"),
    ("uk", "Ukrainian", "Українська"),
    ("ur", "Urdu", "اردو"),
    ("vi", "Vietnamese", "Tiếng Việt"),
    ("yo", "Yoruba", "Yorùbá"),
    ("zh-Hans", "Chinese (Simplified)", "中文（简体）"),
    ("zh-Hant", "Chinese (Traditional)", "中文（繁體）"),
];

/// The languages offered by name, in English alphabetical order.
pub fn known() -> Vec<Language> {
    let mut all: Vec<Language> = KNOWN
        .iter()
        .map(|(tag, english, native)| Language {
            tag: tag.to_string(),
            english: english.to_string(),
            native: native.to_string(),
        })
        .collect();
    all.sort_by(|a, b| a.english.cmp(&b.english));
    all
}

/// The name of a language in itself ("Français"), or its tag where it is not a known one.
/// A regional tag takes its language's name with the region: "Français (CA)".
pub fn native_name(tag: &str) -> String {
    if let Some((_, _, native)) = KNOWN.iter().find(|(t, _, _)| *t == tag) {
        return native.to_string();
    }
    let mut parts = tag.splitn(2, '-');
    let base = parts.next().unwrap_or(tag);
    match (KNOWN.iter().find(|(t, _, _)| *t == base), parts.next()) {
        (Some((_, _, native)), Some(rest)) => format!("{native} ({rest})"),
        _ => tag.to_string(),
    }
}

/// `tag` written as Open Badges 3.0 requires (`zh-hant` becomes `zh-Hant`, `en_us` becomes
/// `en-US`), or why it is not a language tag.
pub fn normalize(tag: &str) -> Result<String, String> {
    let refuse = || {
        Err(format!(
            "\"{tag}\" is not a language tag (a language, then an optional script and region: en, fr-CA, zh-Hant)"
        ))
    };
    let trimmed = tag.trim();
    let mut parts = trimmed.split(['-', '_']);
    let language = parts.next().unwrap_or("");
    if !(2..=4).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic()) {
        return refuse();
    }
    let mut out = language.to_ascii_lowercase();
    let mut rest: Vec<&str> = parts.collect();
    if let Some(script) = rest.first().copied() {
        if script.len() == 4 && script.chars().all(|c| c.is_ascii_alphabetic()) {
            out.push('-');
            out.push_str(&script[..1].to_ascii_uppercase());
            out.push_str(&script[1..].to_ascii_lowercase());
            rest.remove(0);
        }
    }
    if let Some(region) = rest.first().copied() {
        let letters = region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic());
        let digits = region.len() == 3 && region.chars().all(|c| c.is_ascii_digit());
        if !(letters || digits) {
            return refuse();
        }
        out.push('-');
        out.push_str(&region.to_ascii_uppercase());
        rest.remove(0);
    }
    if !rest.is_empty() {
        return refuse();
    }
    Ok(out)
}

/// Whether a language is written right to left (by its script, or its language's usual one).
pub fn is_rtl(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let base = parts.next().unwrap_or(tag);
    match parts.next() {
        Some(script) if script.len() == 4 => {
            matches!(script, "Arab" | "Hebr" | "Syrc" | "Thaa" | "Nkoo" | "Adlm")
        }
        _ => matches!(
            base,
            "ar" | "he" | "fa" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb" | "syr"
        ),
    }
}

/// Whether text written for `wanted` suits a reader of `tag`: the same tag, or the same
/// language when one of them names no script or region (`fr` suits `fr-CA`).
pub fn suits(tag: &str, wanted: &str) -> bool {
    let base = |t: &str| t.split('-').next().unwrap_or(t).to_string();
    tag == wanted || ((!tag.contains('-') || !wanted.contains('-')) && base(tag) == base(wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_written_as_open_badges_requires() {
        assert_eq!(normalize("en").unwrap(), "en");
        assert_eq!(normalize(" FR_ca ").unwrap(), "fr-CA");
        assert_eq!(normalize("zh-hant").unwrap(), "zh-Hant");
        assert_eq!(normalize("zh-hant-tw").unwrap(), "zh-Hant-TW");
        assert_eq!(normalize("es-419").unwrap(), "es-419");
        assert_eq!(normalize("fil").unwrap(), "fil");
        for bad in [
            "", "e", "english", "en-", "en-USA", "fr-CA-x", "12", "en US",
        ] {
            assert!(normalize(bad).is_err(), "{bad} accepted");
        }
        assert!(normalize("english").unwrap_err().contains("\"english\""));
    }

    #[test]
    fn every_known_tag_is_already_normal_and_named() {
        for l in known() {
            assert_eq!(normalize(&l.tag).unwrap(), l.tag);
        }
        assert_eq!(native_name("fr"), "Français");
        assert_eq!(native_name("fr-CA"), "Français (CA)");
        assert_eq!(native_name("qya"), "qya");
    }

    #[test]
    fn arabic_and_hebrew_run_right_to_left() {
        assert!(is_rtl("ar") && is_rtl("he-IL") && is_rtl("pa-Arab"));
        assert!(!is_rtl("en") && !is_rtl("zh-Hant") && !is_rtl("az-Latn"));
    }

    #[test]
    fn a_language_suits_its_regions_but_scripts_stay_apart() {
        assert!(suits("fr", "fr-CA"));
        assert!(suits("fr-CA", "fr"));
        assert!(!suits("fr-CA", "fr-BE"));
        assert!(!suits("zh-Hans", "zh-Hant"));
        assert!(!suits("en", "fr"));
    }
}
