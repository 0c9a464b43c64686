//! The bundled typefaces, so every machine prints the same pages offline, in every script a
//! learner's name can be written in: DejaVu Sans and Serif (regular and bold: Latin with its
//! diacritics, Greek, Cyrillic) and, for everything else, Noto Sans regular for each living
//! script and Noto Sans CJK (Han, Japanese, Korean), Brotli-compressed and unpacked on first
//! use. Each face is parsed once per process; a document embeds only the glyphs it uses.
//! Faces without a bold are emboldened by stroking (see `Face::synthetic_bold`).

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
    /// What the shaper needs of the face, built once.
    shaper: harfrust::ShaperData,
    pub(crate) bytes: &'static [u8],
    index: u32,
}

impl Font {
    /// The face as the shaper reads it.
    pub(crate) fn shaper_font(&self) -> Result<harfrust::FontRef<'static>, PdfError> {
        harfrust::FontRef::from_index(self.bytes, self.index)
            .map_err(|e| PdfError::Font(format!("face {}: {e}", self.index)))
    }

    pub(crate) fn shaper_data(&self) -> &harfrust::ShaperData {
        &self.shaper
    }

    pub fn units_per_em(&self) -> f32 {
        f32::from(self.face.units_per_em())
    }

    pub fn covers(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }
}

type Loaded = Result<Font, PdfError>;

fn parse(name: &str, bytes: &'static [u8], index: u32) -> Loaded {
    let parsed = ParsedFont::from_bytes(bytes, index as usize, &mut Vec::new())
        .ok_or_else(|| PdfError::Font(name.into()))?;
    let face = ttf_parser::Face::parse(bytes, index)
        .map_err(|e| PdfError::Font(format!("{name}: {e}")))?;
    let shaper = harfrust::FontRef::from_index(bytes, index)
        .map(|f| harfrust::ShaperData::new(&f))
        .map_err(|e| PdfError::Font(format!("{name}: {e}")))?;
    Ok(Font {
        parsed,
        face,
        shaper,
        bytes,
        index,
    })
}

fn load(key: Key) -> Loaded {
    parse(key.name(), key.bytes(), 0)
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

/// One Noto face per script: (the script it serves, as Unicode names it without underscores;
/// its name; the compressed font).
macro_rules! noto {
    (sans: [$($script:literal),* $(,)?], other: [$(($other:literal, $name:literal, $stem:literal)),* $(,)?]) => {
        &[
            $((
                $script,
                concat!("Noto Sans ", $script),
                include_bytes!(concat!("../assets/fonts/noto/NotoSans", $script, "-Regular.ttf.br")),
            ),)*
            $((
                $other,
                $name,
                include_bytes!(concat!("../assets/fonts/noto/", $stem, "-Regular.ttf.br")),
            ),)*
        ]
    };
}

/// The Noto faces: Noto Sans for each living script but Tibetan (Noto Serif's), and Noto
/// Sans itself for Latin, Greek and Cyrillic characters DejaVu lacks.
static NOTO: &[(&str, &str, &[u8])] = noto! {
    sans: [
        "Adlam", "Arabic", "Armenian", "Balinese", "Bengali", "CanadianAboriginal",
        "Chakma", "Cham", "Cherokee", "Devanagari", "Ethiopic", "Georgian", "Gujarati",
        "GunjalaGondi", "Gurmukhi", "HanifiRohingya", "Hebrew", "Javanese", "Kannada",
        "KayahLi", "Khmer", "Lao", "Lepcha", "Limbu", "Lisu", "Malayalam", "MasaramGondi",
        "MeeteiMayek", "Mongolian", "Myanmar", "NKo", "NewTaiLue", "Newa", "OlChiki",
        "Oriya", "Osage", "Saurashtra", "Sinhala", "SoraSompeng", "Sundanese", "SylotiNagri",
        "Syriac", "TaiLe", "TaiTham", "TaiViet", "Tamil", "Telugu", "Thaana", "Thai",
        "Tifinagh", "Vai", "Wancho", "WarangCiti", "Yi",
    ],
    other: [
        ("Latin", "Noto Sans", "NotoSans"),
        ("Tibetan", "Noto Serif Tibetan", "NotoSerifTibetan"),
    ]
};

static CJK: &[u8] = include_bytes!("../assets/fonts/noto/NotoSansCJK-Regular.ttc.br");

/// One face a line of text is drawn with: a DejaVu face, a Noto face for one script, or Noto
/// Sans CJK (one face of the collection; each region's forms come from its `locl` feature,
/// chosen by the language the shaper is given, so one face serves them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Dejavu(Key),
    Noto(u8),
    Cjk,
}

/// How Han characters are drawn: the region whose forms the CJK face uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cjk {
    Japanese,
    Korean,
    /// Chinese, in the simplified forms (the default where no kana, Hangul or language says
    /// otherwise; traditional characters keep their own shapes, drawn in mainland style).
    Chinese,
    /// Chinese in the traditional forms (Taiwan's standard).
    Traditional,
}

impl Cjk {
    /// The BCP 47 language that selects the region's forms.
    pub fn language(self) -> &'static str {
        match self {
            Cjk::Japanese => "ja",
            Cjk::Korean => "ko",
            Cjk::Chinese => "zh-Hans",
            Cjk::Traditional => "zh-Hant",
        }
    }

    /// The forms a document in `language` (a BCP 47 tag) gives Han characters, or `None`
    /// for a language that is not Chinese, Japanese or Korean.
    pub fn for_language(language: &str) -> Option<Cjk> {
        let mut parts = language.split(['-', '_']).map(str::to_ascii_lowercase);
        let base = parts.next()?;
        let rest: Vec<String> = parts.collect();
        let has = |s: &str| rest.iter().any(|r| r == s);
        match base.as_str() {
            "ja" => Some(Cjk::Japanese),
            "ko" => Some(Cjk::Korean),
            "zh" | "yue" if has("hant") || has("tw") || has("hk") || has("mo") => {
                Some(Cjk::Traditional)
            }
            "yue" => Some(Cjk::Traditional),
            "zh" => Some(Cjk::Chinese),
            _ => None,
        }
    }
}

impl Face {
    pub fn name(self) -> String {
        match self {
            Face::Dejavu(key) => key.name().into(),
            Face::Noto(i) => NOTO
                .get(usize::from(i))
                .map_or("Noto", |(_, name, _)| name)
                .into(),
            Face::Cjk => "Noto Sans CJK".into(),
        }
    }

    /// Whether this face has no bold of its own, so a bold line strokes its outlines.
    pub fn synthetic_bold(self) -> bool {
        !matches!(self, Face::Dejavu(_))
    }

    /// The parsed face (unpacked and parsed on first use).
    pub fn font(self) -> Result<&'static Font, PdfError> {
        match self {
            Face::Dejavu(key) => get(key),
            Face::Noto(i) => {
                static SLOTS: OnceLock<Vec<OnceLock<Loaded>>> = OnceLock::new();
                let slots = SLOTS.get_or_init(|| NOTO.iter().map(|_| OnceLock::new()).collect());
                let (slot, (_, name, packed)) = slots
                    .get(usize::from(i))
                    .zip(NOTO.get(usize::from(i)))
                    .ok_or_else(|| PdfError::Font(format!("no Noto face {i}")))?;
                slot.get_or_init(|| parse(name, unpack(name, packed)?, 0))
                    .as_ref()
                    .map_err(Clone::clone)
            }
            Face::Cjk => {
                static SLOT: OnceLock<Loaded> = OnceLock::new();
                SLOT.get_or_init(|| parse("Noto Sans CJK", unpack("Noto Sans CJK", CJK)?, 0))
                    .as_ref()
                    .map_err(Clone::clone)
            }
        }
    }

    /// The face's font file (unpacked) and its index in it, for other renderers (the badge
    /// images' resvg).
    pub fn data(self) -> Result<(&'static [u8], u32), PdfError> {
        let font = self.font()?;
        Ok((font.bytes, font.index))
    }

    /// The Noto face made for `script` (Unicode's name for it), if one is bundled.
    pub fn for_script(script: &str) -> Option<Face> {
        let wanted: String = script.chars().filter(|c| *c != '_').collect();
        NOTO.iter()
            .position(|(s, _, _)| s.eq_ignore_ascii_case(&wanted))
            .and_then(|i| u8::try_from(i).ok())
            .map(Face::Noto)
    }

    /// Every bundled Noto face but CJK's, in table order.
    pub fn noto() -> impl Iterator<Item = Face> {
        (0..NOTO.len()).filter_map(|i| u8::try_from(i).ok().map(Face::Noto))
    }
}

/// A compressed font, unpacked once for the rest of the process.
fn unpack(name: &str, packed: &[u8]) -> Result<&'static [u8], PdfError> {
    let mut out = Vec::new();
    brotli_decompressor::BrotliDecompress(&mut std::io::Cursor::new(packed), &mut out)
        .map_err(|e| PdfError::Font(format!("{name}: {e}")))?;
    Ok(Box::leak(out.into_boxed_slice()))
}
