//! The bundled typefaces (DejaVu Sans and Serif, regular and bold, with their licence), so
//! every machine prints the same pages offline. Each is parsed once per process; a document
//! embeds only the glyphs it uses (subset).

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::PdfError;

pub static REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
pub static BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
pub static SERIF: &[u8] = include_bytes!("../assets/fonts/DejaVuSerif.ttf");
pub static SERIF_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSerif-Bold.ttf");

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    SansRegular,
    SansBold,
    SerifRegular,
    SerifBold,
}

impl Key {
    pub const ALL: [Key; 4] = [
        Key::SansRegular,
        Key::SansBold,
        Key::SerifRegular,
        Key::SerifBold,
    ];

    fn bytes(self) -> &'static [u8] {
        match self {
            Key::SansRegular => REGULAR,
            Key::SansBold => BOLD,
            Key::SerifRegular => SERIF,
            Key::SerifBold => SERIF_BOLD,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Key::SansRegular => "DejaVu Sans",
            Key::SansBold => "DejaVu Sans Bold",
            Key::SerifRegular => "DejaVu Serif",
            Key::SerifBold => "DejaVu Serif Bold",
        }
    }

    /// The same weight in the sans family (the fallback: it covers the most scripts).
    pub fn sans(self) -> Key {
        match self {
            Key::SansRegular | Key::SerifRegular => Key::SansRegular,
            Key::SansBold | Key::SerifBold => Key::SansBold,
        }
    }
}

pub struct Font {
    pub parsed: ParsedFont,
    pub face: ttf_parser::Face<'static>,
}

type Loaded = Result<Font, PdfError>;

fn load(key: Key) -> Loaded {
    let bytes = key.bytes();
    let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
        .ok_or_else(|| PdfError::Font(key.name().into()))?;
    let face = ttf_parser::Face::parse(bytes, 0)
        .map_err(|e| PdfError::Font(format!("{}: {e}", key.name())))?;
    Ok(Font { parsed, face })
}

/// The font, parsed on first use.
pub fn get(key: Key) -> Result<&'static Font, PdfError> {
    static FONTS: [OnceLock<Loaded>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let slot = &FONTS[key as usize];
    slot.get_or_init(|| load(key))
        .as_ref()
        .map_err(Clone::clone)
}

/// Width in mm of `text` at `size` points.
pub fn width(face: &ttf_parser::Face<'_>, text: &str, size: f32) -> f32 {
    let per_em = f32::from(face.units_per_em());
    let units: f32 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map(f32::from)
                .unwrap_or(0.0)
        })
        .sum();
    units / per_em * size / PT_PER_MM
}

/// The characters of `text` the face has no glyph for.
pub fn missing(face: &ttf_parser::Face<'_>, text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| !c.is_control() && face.glyph_index(*c).is_none())
        .collect()
}

/// Splits `text` into lines no wider than `width` mm (a word longer than the line is cut).
pub fn wrap(face: &ttf_parser::Face<'_>, text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(face, &candidate, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is cut where it must be.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if width(face, &piece, size) > max && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    lines
}

/// The characters of `text` no bundled font can draw (none of the certificate's fonts has
/// them, nor the sans fallback), in order, once each.
pub fn undrawable(text: &str) -> Result<Vec<char>, PdfError> {
    let regular = &get(Key::SansRegular)?.face;
    let bold = &get(Key::SansBold)?.face;
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        let missing =
            !c.is_control() && (regular.glyph_index(c).is_none() || bold.glyph_index(c).is_none());
        if missing && !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}
