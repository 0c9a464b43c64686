//! Lines of text as the fonts draw them. A line is split into runs by direction (Unicode's
//! bidirectional algorithm, so Arabic and Hebrew read right to left beside Latin names and
//! digits) and by face (the style's DejaVu face where the character is Latin, Greek or
//! Cyrillic, else the Noto face made for the character's script), and each run is shaped
//! (harfrust, HarfBuzz's Rust port): Arabic letters join, Indic clusters form their conjuncts
//! and place their vowel signs, marks sit on their letters. Glyphs come out in visual order
//! with their positions; the line keeps its logical text, which the PDF carries as the
//! line's `ActualText` so it extracts as typed, and each glyph its cluster's text for the
//! font's ToUnicode map.

use printpdf::{
    text::Codepoint, Color, DictItem, FontId, Op, PdfDocument, PdfFontHandle, Pt, TextItem,
    TextMatrix, TextRenderingMode,
};
use unicode_bidi::BidiInfo;
use unicode_script::{Script, UnicodeScript};

use crate::fonts::{Cjk, Face, Key, PT_PER_MM};
use crate::PdfError;

/// The style a line asks for; faces without the weight are emboldened when drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Style {
    pub serif: bool,
    pub bold: bool,
    /// The forms Han characters take where the line itself does not say (by kana or
    /// Hangul): the document's language's. `None`: simplified Chinese forms.
    pub han: Option<Cjk>,
}

impl Style {
    pub fn key(self) -> Key {
        match (self.serif, self.bold) {
            (true, true) => Key::SerifBold,
            (true, false) => Key::SerifRegular,
            (false, true) => Key::SansBold,
            (false, false) => Key::SansRegular,
        }
    }
}

/// One glyph, placed: `x` from the line's start and `y` up from its baseline, in ems.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub face: Face,
    pub gid: u16,
    pub x: f32,
    pub y: f32,
    /// The characters the glyph stands for (for the font's ToUnicode map): one each to a
    /// cluster's glyphs, the last taking the rest; `None` once a cluster's are given out.
    pub text: Option<String>,
}

/// A stretch of a line in one direction: its glyphs (indices into the line's) and its text
/// in logical order.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub glyphs: std::ops::Range<usize>,
    pub rtl: bool,
    pub text: String,
}

/// A shaped line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The line's text in logical (typed) order.
    pub text: String,
    /// Its glyphs, left to right as drawn. Shared, not copied, by the lines a memo gives
    /// out (a certificate's fixed texts are hundreds of glyphs, given out for each one).
    pub glyphs: std::sync::Arc<[Glyph]>,
    /// Its direction runs, left to right as drawn.
    pub runs: std::sync::Arc<[Run]>,
    /// Its advance, in ems.
    pub advance: f32,
    pub bold: bool,
}

impl Line {
    /// Width in mm at `size` points.
    pub fn width(&self, size: f32) -> f32 {
        self.advance * size / PT_PER_MM
    }
}

fn is_cjk(script: Script) -> bool {
    matches!(
        script,
        Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo
    )
}

/// Whose forms the CJK face gives the line's Han: Korean beside Hangul, Japanese beside
/// kana, otherwise the document's language's (`han`), or Chinese (simplified forms).
fn region(text: &str, han: Option<Cjk>) -> Cjk {
    let scripts = || text.chars().map(|c| c.script());
    if scripts().any(|s| s == Script::Hangul) {
        Cjk::Korean
    } else if scripts().any(|s| matches!(s, Script::Hiragana | Script::Katakana)) {
        Cjk::Japanese
    } else {
        han.unwrap_or(Cjk::Chinese)
    }
}

fn covers(face: Face, c: char) -> Result<bool, PdfError> {
    Ok(face.font()?.covers(c))
}

/// Noto Sans, for Latin, Greek and Cyrillic characters DejaVu lacks.
fn noto_latin() -> Option<Face> {
    static FACE: std::sync::OnceLock<Option<Face>> = std::sync::OnceLock::new();
    *FACE.get_or_init(|| Face::for_script("Latin"))
}

/// The face for a character of its own script, or `None` for characters every script
/// shares (spaces, digits, punctuation, combining marks), which follow their neighbours.
fn own_face(c: char, key: Key) -> Result<Option<Face>, PdfError> {
    // ASCII without a lookup: its letters are Latin, which every style of DejaVu has (a test
    // proves it), the rest is shared by every script.
    if c.is_ascii() {
        return Ok(c.is_ascii_alphabetic().then_some(Face::Dejavu(key)));
    }
    let script = c.script();
    let candidates: [Option<Face>; 3] = match script {
        Script::Common | Script::Inherited | Script::Unknown => return Ok(None),
        Script::Latin | Script::Greek | Script::Cyrillic => [
            Some(Face::Dejavu(key)),
            Some(Face::Dejavu(key.sans())),
            noto_latin(),
        ],
        s if is_cjk(s) => [Some(Face::Cjk), None, None],
        s => [Face::for_script(s.full_name()), None, None],
    };
    for face in candidates.into_iter().flatten() {
        if covers(face, c)? {
            return Ok(Some(face));
        }
    }
    Ok(None)
}

/// Any face that has `c`: the style's, the common ones, then every Noto face.
fn any_face(c: char, key: Key) -> Result<Option<Face>, PdfError> {
    let mut faces = vec![Face::Dejavu(key), Face::Dejavu(key.sans())];
    faces.extend(noto_latin());
    faces.push(Face::Cjk);
    for face in faces.into_iter().chain(Face::noto()) {
        if covers(face, c)? {
            return Ok(Some(face));
        }
    }
    Ok(None)
}

/// The face of each character of `text` (`None` where no bundled face has it).
fn faces(text: &str, key: Key) -> Result<Vec<Option<Face>>, PdfError> {
    // Printable ASCII, which every style of DejaVu has (a test proves it): the style's
    // face throughout, as the rules below give it, without asking each character.
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return Ok(vec![Some(Face::Dejavu(key)); text.len()]);
    }
    faces_by_rules(text, key)
}

/// `faces` asked of each character: its own script's face, else its neighbours'.
fn faces_by_rules(text: &str, key: Key) -> Result<Vec<Option<Face>>, PdfError> {
    let chars: Vec<char> = text.chars().collect();
    let mut own = Vec::with_capacity(chars.len());
    for &c in &chars {
        own.push(own_face(c, key)?);
    }
    let mut out = own.clone();
    for i in 0..chars.len() {
        if out[i].is_some() {
            continue;
        }
        let c = chars[i];
        // Shared characters stay in their neighbour's run where that face has them: the
        // previous character's, else the next one of a script of its own.
        let before = if i > 0 { out[i - 1] } else { None };
        let after = own[i + 1..].iter().flatten().next().copied();
        let mut chosen = None;
        for face in [before, after].into_iter().flatten() {
            if c.is_control() || covers(face, c)? {
                chosen = Some(face);
                break;
            }
        }
        if chosen.is_none() {
            chosen = any_face(c, key)?;
        }
        out[i] = chosen;
    }
    Ok(out)
}

/// The faces other than DejaVu that `text` needs, once each.
pub fn fallback_faces(text: &str) -> Result<Vec<Face>, PdfError> {
    let mut out: Vec<Face> = Vec::new();
    for face in faces(text, Key::SansBold)?.into_iter().flatten() {
        if !matches!(face, Face::Dejavu(_)) && !out.contains(&face) {
            out.push(face);
        }
    }
    Ok(out)
}

/// The characters of `text` no bundled face can draw, in order, once each. A character no
/// face has stays without one wherever it stands, so each is asked about once, alone (a
/// certificate asks this of all its text, most of it ASCII, which every style of DejaVu has).
pub fn undrawable(text: &str) -> Result<Vec<char>, PdfError> {
    let mut out: Vec<char> = Vec::new();
    let mut drawable = std::collections::HashSet::new();
    for c in text.chars() {
        if c.is_ascii() || c.is_control() || out.contains(&c) || drawable.contains(&c) {
            continue;
        }
        if any_face(c, Key::SansRegular)?.is_some() {
            drawable.insert(c);
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// Shapes one run of `face` in one direction, appending its glyphs at `pen` (ems).
fn shape_run(
    text: &str,
    face: Face,
    region: Cjk,
    rtl: bool,
    pen: &mut f32,
    glyphs: &mut Vec<Glyph>,
) -> Result<(), PdfError> {
    let font = face.font()?;
    let shaper_font = font.shaper_font()?;
    let shaper = font.shaper_data().shaper(&shaper_font).build();
    let mut buffer = harfrust::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(if rtl {
        harfrust::Direction::RightToLeft
    } else {
        harfrust::Direction::LeftToRight
    });
    if face == Face::Cjk {
        if let Ok(language) = region.language().parse() {
            buffer.set_language(language);
        }
    }
    buffer.guess_segment_properties();
    let shaped = shaper.shape(buffer, harfrust::ShapeOptions::new());
    let em = font.units_per_em();
    // Each cluster's text runs from its start to the next cluster's start.
    let infos = shaped.glyph_infos();
    let mut starts: Vec<usize> = infos.iter().map(|g| g.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    let end_of = |start: usize| {
        starts
            .get(starts.partition_point(|s| *s <= start))
            .copied()
            .unwrap_or(text.len())
    };
    // A cluster's characters go to its glyphs one each, the last glyph taking the rest (a
    // ligature or conjunct drawn as one glyph maps to all of them). Found by lookups, not by
    // scanning the line for each glyph: a certificate's long lines made that most of shaping.
    let mut last: std::collections::HashMap<u32, usize> =
        std::collections::HashMap::with_capacity(starts.len());
    for (i, info) in infos.iter().enumerate() {
        last.insert(info.cluster, i);
    }
    let mut given: std::collections::HashMap<usize, usize> =
        std::collections::HashMap::with_capacity(starts.len());
    for (i, (info, pos)) in infos.iter().zip(shaped.glyph_positions()).enumerate() {
        let start = info.cluster as usize;
        let piece = text.get(start..end_of(start)).unwrap_or_default();
        let taken = given.entry(start).or_insert(0);
        let more_after = last.get(&info.cluster).is_some_and(|l| *l > i);
        let mut rest = piece.chars().skip(*taken);
        let cluster = if more_after {
            rest.next().map(|c| {
                *taken += 1;
                c.to_string()
            })
        } else {
            let rest: String = rest.collect();
            *taken += rest.chars().count();
            (!rest.is_empty()).then_some(rest)
        };
        glyphs.push(Glyph {
            face,
            gid: u16::try_from(info.glyph_id).unwrap_or(0),
            x: *pen + pos.x_offset as f32 / em,
            y: pos.y_offset as f32 / em,
            text: cluster,
        });
        *pen += pos.x_advance as f32 / em;
    }
    Ok(())
}

/// Shapes `text` as one line in `style`. Characters no face has are left out (callers refuse
/// them first, by name, with [`undrawable`]). Lines are remembered per thread (a roster's
/// certificates repeat every text but the learner's name and the credential's id) in two
/// generations of up to `REMEMBERED` each: when the newer fills, the older goes and the
/// lines used since stay, so a long roster's unique texts never push out the ones every
/// certificate shares.
pub fn shape(text: &str, style: Style) -> Result<Line, PdfError> {
    thread_local! {
        static MEMO: std::cell::RefCell<Memo<(String, Style), Line>> =
            std::cell::RefCell::new(Memo::default());
    }
    let key = (text.to_string(), style);
    if let Some(line) = MEMO.with(|m| m.borrow_mut().get(&key)) {
        return Ok(line);
    }
    let line = shape_uncached(text, style)?;
    MEMO.with(|m| m.borrow_mut().put(key, line.clone()));
    Ok(line)
}

/// What a thread remembers of work it repeats, in two generations of up to `REMEMBERED`
/// each: when the newer fills, the older goes and what was used since stays.
pub(crate) struct Memo<K, V> {
    newer: std::collections::HashMap<K, V>,
    older: std::collections::HashMap<K, V>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self {
            newer: std::collections::HashMap::new(),
            older: std::collections::HashMap::new(),
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone, V: Clone> Memo<K, V> {
    pub(crate) fn get(&mut self, key: &K) -> Option<V> {
        if let Some(v) = self.newer.get(key) {
            return Some(v.clone());
        }
        let v = self.older.remove(key)?;
        self.put(key.clone(), v.clone());
        Some(v)
    }

    pub(crate) fn put(&mut self, key: K, value: V) {
        if self.newer.len() >= REMEMBERED {
            self.older = std::mem::take(&mut self.newer);
        }
        self.newer.insert(key, value);
    }
}

/// How many entries a generation of a `Memo` holds.
const REMEMBERED: usize = 1024;

fn shape_uncached(text: &str, style: Style) -> Result<Line, PdfError> {
    // One line: a line break inside it reads as a space.
    let text: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let faces = faces(&text, style.key())?;
    // Whose Han forms matter only to a line the CJK face sets.
    let cjk = if faces.contains(&Some(Face::Cjk)) {
        region(&text, style.han)
    } else {
        style.han.unwrap_or(Cjk::Chinese)
    };
    // Each character's face by its byte offset.
    let mut face_at: Vec<Option<Face>> = vec![None; text.len()];
    for ((i, c), face) in text.char_indices().zip(&faces) {
        for slot in &mut face_at[i..i + c.len_utf8()] {
            *slot = *face;
        }
    }
    let mut glyphs = Vec::new();
    let mut runs_out = Vec::new();
    let mut pen = 0.0;
    let bidi = BidiInfo::new(&text, None);
    for paragraph in &bidi.paragraphs {
        let (levels, runs) = bidi.visual_runs(paragraph, paragraph.range.clone());
        for run in runs {
            let rtl = levels[run.start].is_rtl();
            // Split the run where the face changes, in logical order.
            let mut pieces: Vec<(std::ops::Range<usize>, Option<Face>)> = Vec::new();
            for (i, c) in text[run.clone()].char_indices() {
                let at = run.start + i;
                let face = face_at[at];
                match pieces.last_mut() {
                    Some((range, f)) if *f == face => range.end = at + c.len_utf8(),
                    _ => pieces.push((at..at + c.len_utf8(), face)),
                }
            }
            if rtl {
                pieces.reverse();
            }
            let first = glyphs.len();
            for (range, face) in pieces {
                if let Some(face) = face {
                    shape_run(&text[range], face, cjk, rtl, &mut pen, &mut glyphs)?;
                }
            }
            runs_out.push(Run {
                glyphs: first..glyphs.len(),
                rtl,
                text: text[run].to_string(),
            });
        }
    }
    Ok(Line {
        text,
        glyphs: glyphs.into(),
        runs: runs_out.into(),
        advance: pen,
        bold: style.bold,
    })
}

/// Splits `text` into shaped lines no wider than `max` mm at `size` points, at spaces (a
/// word longer than the line is cut between characters, never before a combining mark).
pub fn wrap(text: &str, style: Style, size: f32, max: f32) -> Result<Vec<Line>, PdfError> {
    // Words are measured alone and a line's width is theirs plus its spaces' (shaping does
    // not reach across a space), so each word is shaped once; each line once more at the end.
    let space = shape(" ", style)?.width(size);
    let width = |s: &str| -> Result<f32, PdfError> { Ok(shape(s, style)?.width(size)) };
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in paragraph.split_whitespace() {
            let word_w = width(word)?;
            let candidate_w = if line.is_empty() {
                word_w
            } else {
                line_w + space + word_w
            };
            if candidate_w <= max {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_w = candidate_w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word_w <= max {
                line = word.to_string();
                line_w = word_w;
                continue;
            }
            // A word wider than the line is cut where it must be (Han and kana have no
            // spaces: this is where their lines break).
            let mut piece = String::new();
            for c in word.chars() {
                let joins = c.script() == Script::Inherited || is_joiner(c);
                piece.push(c);
                if !joins && piece.chars().count() > 1 && width(&piece)? > max {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line_w = width(&piece)?;
            line = piece;
        }
        lines.push(line);
    }
    lines.into_iter().map(|l| shape(&l, style)).collect()
}

/// Characters that belong to the cluster before them (a line never breaks before one).
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
        || matches!(unicode_bidi::bidi_class(c), unicode_bidi::BidiClass::NSM)
}

/// The fonts a PDF document has been given, by face.
#[derive(Default)]
pub struct FontIds(std::collections::BTreeMap<Face, FontId>);

impl FontIds {
    /// The face's font in the document, where it was added.
    pub fn get(&self, face: Face) -> Option<&FontId> {
        self.0.get(&face)
    }

    pub fn id(&mut self, doc: &mut PdfDocument, face: Face) -> Result<FontId, PdfError> {
        if let Some(id) = self.0.get(&face) {
            return Ok(id.clone());
        }
        let id = doc.add_font(&face.font()?.parsed);
        self.0.insert(face, id.clone());
        Ok(id)
    }
}

/// A PDF text string: UTF-16BE with its byte-order mark.
fn pdf_text(s: &str) -> DictItem {
    let mut data = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        data.extend(unit.to_be_bytes());
    }
    DictItem::String {
        data,
        literal: false,
    }
}

/// The operations that draw `line` with its baseline starting at (`x`, `y`) points, at
/// `size` points: a marked span whose `ActualText` is the line as typed, glyph by glyph
/// at their shaped positions (printpdf merges a baseline's glyphs into one `TJ`).
pub fn pdf_ops(
    doc: &mut PdfDocument,
    ids: &mut FontIds,
    line: &Line,
    x: f32,
    y: f32,
    size: f32,
    colour: Color,
) -> Result<Vec<Op>, PdfError> {
    let mut ops = vec![
        Op::StartTextSection,
        Op::SetFillColor {
            col: colour.clone(),
        },
    ];
    let mut current: Option<Face> = None;
    for run in line.runs.iter() {
        // A left-to-right run says what it reads as (marks, conjuncts, clusters drawn as
        // several glyphs); a right-to-left run is drawn in visual order and extractors put
        // it back in logical order from its glyphs' own text, as they do for every other
        // producer's (an ActualText there would be reversed by them).
        if !run.rtl {
            ops.push(Op::BeginMarkedContentWithProperties {
                tag: "Span".into(),
                properties: DictItem::Dict {
                    map: [("ActualText".to_string(), pdf_text(&run.text))].into(),
                },
            });
        }
        for g in line.glyphs.get(run.glyphs.clone()).unwrap_or_default() {
            if current != Some(g.face) {
                current = Some(g.face);
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(ids.id(doc, g.face)?),
                    size: Pt(size),
                });
                let embolden = line.bold && g.face.synthetic_bold();
                if embolden {
                    ops.push(Op::SetOutlineColor {
                        col: colour.clone(),
                    });
                    ops.push(Op::SetOutlineThickness {
                        pt: Pt(size * SYNTHETIC_BOLD),
                    });
                }
                ops.push(Op::SetTextRenderingMode {
                    mode: if embolden {
                        TextRenderingMode::FillStroke
                    } else {
                        TextRenderingMode::Fill
                    },
                });
            }
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(x + g.x * size), Pt(y + g.y * size)),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::GlyphIds(vec![Codepoint {
                    gid: g.gid,
                    offset: 0.0,
                    cid: g.text.clone(),
                }])],
            });
        }
        if !run.rtl {
            ops.push(Op::EndMarkedContent);
        }
    }
    ops.push(Op::EndTextSection);
    Ok(ops)
}

/// The outline stroke that emboldens a face without a bold, as a share of the size (a
/// stroke is drawn on both sides of the outline, so each stem widens by this much).
pub const SYNTHETIC_BOLD: f32 = 0.035;

#[cfg(test)]
mod tests {
    use super::*;

    const SANS: Style = Style {
        serif: false,
        bold: false,
        han: None,
    };

    fn faces_of(line: &Line) -> Vec<String> {
        let mut names: Vec<String> = line.glyphs.iter().map(|g| g.face.name()).collect();
        names.dedup();
        names
    }

    #[test]
    fn latin_stays_in_the_styles_face() {
        let line = shape("Ada Lovelace", SANS).unwrap();
        assert_eq!(faces_of(&line), ["DejaVu Sans"]);
        assert_eq!(line.glyphs.len(), 12);
    }

    #[test]
    fn each_script_finds_its_face() {
        for (name, face) in [
            ("محمد عبد الله", "Noto Sans Arabic"),
            ("דוד כהן", "Noto Sans Hebrew"),
            ("प्रिया शर्मा", "Noto Sans Devanagari"),
            ("สมชาย ใจดี", "Noto Sans Thai"),
            ("王小明", "Noto Sans CJK"),
            ("김민준", "Noto Sans CJK"),
            ("山田 はなこ", "Noto Sans CJK"),
        ] {
            let line = shape(name, SANS).unwrap();
            assert_eq!(faces_of(&line), [face], "{name}");
            assert!(undrawable(name).unwrap().is_empty(), "{name}");
        }
    }

    #[test]
    fn han_takes_the_forms_of_the_region_its_line_is_written_in() {
        // 直 differs between Chinese and Japanese; kana beside it make the line Japanese.
        let chinese = shape("直", SANS).unwrap().glyphs[0].gid;
        let japanese = shape("直子 さん", SANS).unwrap().glyphs[0].gid;
        assert_ne!(chinese, japanese);
    }

    #[test]
    fn han_takes_the_forms_of_the_document_language_where_the_line_does_not_say() {
        let with = |han| Style { han, ..SANS };
        let gid = |text: &str, han| shape(text, with(han)).unwrap().glyphs[0].gid;
        // A kanji-only Japanese name in a Japanese document.
        assert_eq!(gid("直", Some(Cjk::Japanese)), gid("直子 さん", None));
        // 骨 differs between simplified and traditional Chinese.
        assert_ne!(gid("骨", Some(Cjk::Traditional)), gid("骨", None));
        // Kana still decide their own line.
        assert_eq!(
            gid("直子 さん", Some(Cjk::Traditional)),
            gid("直子 さん", None)
        );
        assert_eq!(Cjk::for_language("zh-Hant-TW"), Some(Cjk::Traditional));
        assert_eq!(Cjk::for_language("zh-HK"), Some(Cjk::Traditional));
        assert_eq!(Cjk::for_language("zh-CN"), Some(Cjk::Chinese));
        assert_eq!(Cjk::for_language("ja"), Some(Cjk::Japanese));
        assert_eq!(Cjk::for_language("fr"), None);
    }

    /// The text of each cluster, left to right as drawn.
    fn drawn(text: &str) -> Vec<String> {
        shape(text, SANS)
            .unwrap()
            .glyphs
            .iter()
            .filter_map(|g| g.text.clone())
            .collect()
    }

    #[test]
    fn right_to_left_runs_are_drawn_in_visual_order() {
        // Logical order: mem, then he; drawn right to left, mem is the rightmost glyph.
        assert_eq!(
            drawn("מה"),
            ["ה", "מ"],
            "the first letter typed is drawn last"
        );
        assert_eq!(shape("מה", SANS).unwrap().text, "מה");
        assert_eq!(drawn("דוד כהן"), ["ן", "ה", "כ", " ", "ד", "ו", "ד"]);
    }

    #[test]
    fn arabic_letters_join() {
        // Each letter alone is its isolated form; in a word the shaper picks joined forms,
        // which are other glyphs.
        let isolated: Vec<u16> = "محمد"
            .chars()
            .map(|c| shape(&c.to_string(), SANS).unwrap().glyphs[0].gid)
            .collect();
        let word = shape("محمد", SANS).unwrap();
        let mut joined: Vec<u16> = word.glyphs.iter().map(|g| g.gid).collect();
        joined.reverse();
        assert_eq!(joined.len(), 4);
        assert_ne!(joined, isolated);
    }

    #[test]
    fn devanagari_forms_conjuncts() {
        // "प्र" is three characters that the font draws as fewer glyphs (a conjunct).
        let line = shape("प्र", SANS).unwrap();
        assert!(line.glyphs.len() < 3, "{:?}", line.glyphs);
    }

    #[test]
    fn mixed_directions_keep_latin_digits_left_to_right() {
        let line = shape("Prize 2026 دوره", SANS).unwrap();
        let first = &line.glyphs[0];
        assert_eq!(first.face, Face::Dejavu(Key::SansRegular));
        assert_eq!(first.text.as_deref(), Some("P"));
        let digits: String = line
            .glyphs
            .iter()
            .filter_map(|g| g.text.as_deref())
            .filter(|t| t.chars().all(|c| c.is_ascii_digit()))
            .collect();
        assert_eq!(digits, "2026");
    }

    #[test]
    fn printable_ascii_is_drawn_by_each_style_of_dejavu_as_the_rules_choose() {
        let ascii: String = (' '..='~').collect();
        let texts = [
            ascii.clone(),
            format!("{ascii}{ascii}"),
            "2026 - 11".into(),
            " ".into(),
        ];
        for key in Key::ALL {
            for text in &texts {
                let expected = vec![Some(Face::Dejavu(key)); text.len()];
                assert_eq!(faces_by_rules(text, key).unwrap(), expected, "{key:?}");
                assert_eq!(faces(text, key).unwrap(), expected);
            }
        }
    }

    #[test]
    fn characters_no_face_has_are_named() {
        assert_eq!(
            undrawable("Ada \u{E000}\u{10FFFD}").unwrap(),
            ['\u{E000}', '\u{10FFFD}']
        );
        assert!(undrawable("Nguyễn Thị Ọ́ Adébáyọ̀ Ṣàngó").unwrap().is_empty());
    }
}
