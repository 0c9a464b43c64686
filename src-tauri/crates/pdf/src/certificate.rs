//! The award certificate: one page laid out from a template, drawn twice from the same
//! list of marks: as PDF (printpdf, fonts subset, the signed credential attached) and as
//! SVG (glyph outlines from the same fonts), so the window's live preview is exactly what
//! prints.
//!
//! Text never leaves its box: each line first shrinks (down to a floor), then wraps (up to
//! a line limit), then ends with "…". Optional blocks that cannot fit are shortened
//! (learning outcomes: "and N more"), and when even the fixed blocks crowd the page, the
//! whole layout scales down step by step.

use std::fmt::Write as _;
use std::sync::OnceLock;

use base64::Engine as _;
use credence_domain::certificate::{
    parse_colour, Orientation, TemplateInput, Typeface, MAX_IMAGE_SIDE,
};
use printpdf::{
    Color, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfPage, Point, Polygon, PolygonRing, Pt,
    Rgb, WindingOrder,
};

use crate::archive::Placed;
use crate::fonts::{self, Cjk, PT_PER_MM};
use crate::shape::{self, Line, Style};
use crate::{archive, name_chars, Attachment, Meta, PdfError};

mod template;
pub use template::{template, Template};

/// A decoded image, ready for both back ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// PNG bytes (for the SVG preview).
    pub png: Vec<u8>,
    /// RGBA pixels.
    pub rgba: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// The pixels as PDF image streams, compressed once however many certificates use
    /// them (compressing images was most of a certificate's cost).
    packed: OnceLock<Packed>,
}

/// An image's colour and alpha planes, Flate-compressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Packed {
    pub rgb: Vec<u8>,
    /// `None` where every pixel is opaque.
    pub alpha: Option<Vec<u8>>,
}

fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

impl Picture {
    /// Decodes PNG or JPEG bytes and scales them down to fit `max_w` x `max_h` pixels
    /// (print resolution for the size they appear at). `what` names the image in errors.
    pub fn decode(bytes: &[u8], what: &str, max_w: u32, max_h: u32) -> Result<Self, PdfError> {
        let refuse = |message: String| PdfError::Image {
            what: what.to_string(),
            message,
        };
        let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| refuse(e.to_string()))?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_IMAGE_SIDE);
        limits.max_image_height = Some(MAX_IMAGE_SIDE);
        limits.max_alloc = Some(512 * 1024 * 1024);
        reader.limits(limits);
        let img = reader
            .decode()
            .map_err(|e| refuse(format!("it is not a readable PNG or JPEG image ({e})")))?;
        let img = if img.width() > max_w || img.height() > max_h {
            img.resize(max_w, max_h, image::imageops::FilterType::Triangle)
        } else {
            img
        };
        let rgba = img.to_rgba8();
        let (width, height) = rgba.dimensions();
        let mut png = Vec::new();
        rgba.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|e| refuse(e.to_string()))?;
        Ok(Self {
            png,
            rgba: rgba.into_raw(),
            width,
            height,
            packed: OnceLock::new(),
        })
    }

    pub(crate) fn packed(&self) -> &Packed {
        self.packed.get_or_init(|| {
            let rgb: Vec<u8> = self
                .rgba
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            let alpha: Vec<u8> = self.rgba.chunks_exact(4).map(|p| p[3]).collect();
            Packed {
                rgb: deflate(&rgb),
                alpha: alpha.iter().any(|a| *a != 255).then(|| deflate(&alpha)),
            }
        })
    }

    fn aspect(&self) -> f32 {
        self.width.max(1) as f32 / self.height.max(1) as f32
    }
}

/// A person signing, with their signature image where there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Signer<'a> {
    pub name: String,
    pub title: String,
    pub signature: Option<&'a Picture>,
}

/// How a reader checks the certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// What the QR code holds (a verification URL, or the credential id and issuer DID).
    pub qr: String,
    /// The same, in short text under the row of signatures.
    pub text: String,
}

/// Everything on one certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate<'a> {
    pub template: &'a TemplateInput,
    pub institution: String,
    pub logo: Option<&'a Picture>,
    pub learner: String,
    pub title: String,
    /// "Digital skills · Intermediate".
    pub category_level: Option<String>,
    /// "6 credits · 150 hours".
    pub credits: Option<String>,
    /// "Awarded 20 November 2026".
    pub date: String,
    pub outcomes: Vec<String>,
    pub signers: Vec<Signer<'a>>,
    pub badge: Option<&'a Picture>,
    /// `None` for a preview before issuing: the block says so instead of a QR code.
    pub verification: Option<Verification>,
    /// In place of the template's completion text (an award by recognition of prior
    /// learning says so).
    pub completion: Option<String>,
    pub meta: Meta,
}

/// The SVG preview and the text it shows (for a screen reader, and for tests).
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub svg: String,
    pub text: Vec<String>,
}

type Rgb8 = [u8; 3];
const INK: Rgb8 = [0x1a, 0x1c, 0x20];
const GREY: Rgb8 = [0x55, 0x5a, 0x62];
const LIGHT: Rgb8 = [0x9a, 0xa0, 0xa8];
/// Line height as a multiple of the type size.
const LEADING: f32 = 1.25;

/// One thing drawn on the page; lengths in mm, `y` measured down from the top.
#[derive(Debug, Clone, PartialEq)]
enum Mark {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        colour: Rgb8,
        line: Line,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Rgb8,
    },
    Frame {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Rgb8,
        pt: f32,
    },
    Image {
        picture: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// A QR code, `size` mm a side with its top left at (`x`, `y`), drawn as one path.
    Qr { x: f32, y: f32, size: f32, code: Qr },
}

/// A QR code's dark modules as runs along its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Qr {
    /// Modules a side.
    n: usize,
    /// (row, first column, length) of each run of dark modules.
    runs: Vec<(u16, u16, u16)>,
}

impl Qr {
    /// The code for `payload` at error correction level M (15% of the code may be lost).
    fn new(payload: &str) -> Result<Self, PdfError> {
        let code = fast_qr::QRBuilder::new(payload.as_bytes())
            .ecl(fast_qr::ECL::M)
            .build()
            .map_err(|e| PdfError::Assemble(format!("the QR code cannot hold its text: {e:?}")))?;
        let n = code.size;
        let dark = |row: usize, col: usize| code.data[row * n + col].value();
        let mut runs = Vec::new();
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if dark(row, col) {
                    let start = col;
                    while col < n && dark(row, col) {
                        col += 1;
                    }
                    // A side is at most 177 modules.
                    runs.push((row as u16, start as u16, (col - start) as u16));
                } else {
                    col += 1;
                }
            }
        }
        Ok(Self { n, runs })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Centre,
}

struct Page<'a> {
    w: f32,
    h: f32,
    marks: Vec<Mark>,
    pictures: Vec<&'a Picture>,
}

/// How one piece of text is set: its largest and smallest size and how many lines it may
/// take.
#[derive(Debug, Clone, Copy)]
struct Fit {
    max: f32,
    min: f32,
    lines: usize,
}

impl Fit {
    const fn new(max: f32, min: f32, lines: usize) -> Self {
        Self { max, min, lines }
    }
}

struct Setter<'c, 'a> {
    c: &'c Certificate<'a>,
    serif: bool,
    /// The forms of Han characters, from the template's language.
    han: Option<Cjk>,
    page: Page<'a>,
}

/// `line` shortened to end with "…" within `width`.
fn ellipsize(line: &str, style: Style, size: f32, width: f32) -> Result<Line, PdfError> {
    let mut out: String = line.to_string();
    loop {
        let candidate = shape::shape(&format!("{}…", out.trim_end()), style)?;
        if out.is_empty() || candidate.width(size) <= width {
            return Ok(candidate);
        }
        out.pop();
    }
}

/// How `text` sets within `width` in `style`: the largest size that fits on one line, else
/// wrapped at the smallest, at most `fit.lines` lines ending with "…".
fn set_uncached(
    text: &str,
    style: Style,
    fit: Fit,
    width: f32,
) -> Result<(f32, Vec<Line>), PdfError> {
    // A text wider than the box even at the smallest size (measured by its words, as `wrap`
    // measures; shaping does not reach across a space, so the whole line is as wide give or
    // take a kerning pair, well inside the 2% allowed) is not shaped whole: it wraps at that
    // size. (A certificate's verification line is one: shaping it whole for nothing was a
    // third of the shaping each certificate did.)
    let words_width = |size: f32| -> Result<f32, PdfError> {
        let space = shape::shape(" ", style)?.width(size);
        let mut w = 0.0;
        for (i, word) in text.split_whitespace().enumerate() {
            w += shape::shape(word, style)?.width(size) + if i > 0 { space } else { 0.0 };
        }
        Ok(w)
    };
    let far_too_wide = text.contains(' ') && words_width(fit.min)? > width * 1.02;
    let mut size = fit.max.max(fit.min);
    if far_too_wide {
        size = fit.min;
    } else {
        let whole = shape::shape(text, style)?;
        while size > fit.min && whole.width(size) > width {
            size = (size - 0.5).max(fit.min);
        }
        if whole.width(size) <= width {
            return Ok((size, vec![whole]));
        }
    }
    let mut lines = shape::wrap(text, style, size, width)?;
    if lines.len() > fit.lines {
        lines.truncate(fit.lines);
        if let Some(last) = lines.last_mut() {
            *last = ellipsize(&last.text, style, size, width)?;
        }
    }
    Ok((size, lines))
}

/// The style the template sets its text in, in `bold` or not.
fn text_style(t: &TemplateInput, bold: bool) -> Style {
    Style {
        serif: t.typeface == Typeface::Serif,
        bold,
        han: t.language.as_deref().and_then(Cjk::for_language),
    }
}

impl<'a> Setter<'_, 'a> {
    fn style(&self, bold: bool) -> Style {
        Style {
            serif: self.serif,
            bold,
            han: self.han,
        }
    }

    /// How `text` sets within `width`: its size and shaped lines. Remembered per thread: a
    /// roster's certificates set the same texts in the same boxes.
    fn set(
        &self,
        text: &str,
        bold: bool,
        fit: Fit,
        width: f32,
    ) -> Result<(f32, Vec<Line>), PdfError> {
        type Key = (String, Style, [u32; 4]);
        thread_local! {
            static MEMO: std::cell::RefCell<shape::Memo<Key, (f32, Vec<Line>)>> =
                std::cell::RefCell::new(shape::Memo::default());
        }
        let style = self.style(bold);
        let key = (
            text.to_string(),
            style,
            [
                fit.max.to_bits(),
                fit.min.to_bits(),
                u32::try_from(fit.lines).unwrap_or(u32::MAX),
                width.to_bits(),
            ],
        );
        if let Some(set) = MEMO.with(|m| m.borrow_mut().get(&key)) {
            return Ok(set);
        }
        let set = set_uncached(text, style, fit, width)?;
        MEMO.with(|m| m.borrow_mut().put(key, set.clone()));
        Ok(set)
    }

    /// The height `text` takes within `width`.
    fn height(&self, text: &str, bold: bool, fit: Fit, width: f32) -> Result<f32, PdfError> {
        if text.trim().is_empty() {
            return Ok(0.0);
        }
        let (size, lines) = self.set(text, bold, fit, width)?;
        Ok(lines.len() as f32 * size * LEADING / PT_PER_MM)
    }

    /// Sets `text` within `width` at (`x`, `y` top), returns the height used.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        text: &str,
        bold: bool,
        fit: Fit,
        colour: Rgb8,
        x: f32,
        y: f32,
        width: f32,
        align: Align,
    ) -> Result<f32, PdfError> {
        if text.trim().is_empty() || width <= 1.0 {
            return Ok(0.0);
        }
        let (size, lines) = self.set(text, bold, fit, width)?;
        let face = &fonts::get(self.style(bold).key())?.face;
        let leading = size * LEADING / PT_PER_MM;
        let ascent = f32::from(face.ascender()) / f32::from(face.units_per_em()) * size / PT_PER_MM;
        let count = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let w = line.width(size);
            let left = match align {
                Align::Left => x,
                Align::Centre => x + (width - w) / 2.0,
            };
            self.page.marks.push(Mark::Text {
                x: left,
                baseline: y + i as f32 * leading + ascent,
                size,
                colour,
                line,
            });
        }
        Ok(count as f32 * leading)
    }

    fn image(&mut self, picture: &'a Picture, x: f32, y: f32, w: f32, h: f32) {
        // Fit inside the box, keeping the aspect ratio, centred.
        let (iw, ih) = if picture.aspect() > w / h {
            (w, w / picture.aspect())
        } else {
            (h * picture.aspect(), h)
        };
        self.page.pictures.push(picture);
        self.page.marks.push(Mark::Image {
            picture: self.page.pictures.len() - 1,
            x: x + (w - iw) / 2.0,
            y: y + (h - ih) / 2.0,
            w: iw,
            h: ih,
        });
    }

    fn rule(&mut self, x: f32, y: f32, w: f32, colour: Rgb8, pt: f32) {
        self.page.marks.push(Mark::Fill {
            x,
            y,
            w,
            h: pt / PT_PER_MM,
            colour,
        });
    }

    fn qr(&mut self, payload: &str, x: f32, y: f32, size: f32) -> Result<(), PdfError> {
        self.page.marks.push(Mark::Qr {
            x,
            y,
            size,
            code: Qr::new(payload)?,
        });
        Ok(())
    }

    /// The row of signatures in `width` from `x`, top `y`; returns its height.
    fn signers(&mut self, x: f32, y: f32, width: f32, scale: f32) -> Result<f32, PdfError> {
        let signers = &self.c.signers;
        if signers.is_empty() {
            return Ok(0.0);
        }
        let each = width / signers.len() as f32;
        let sig_h = 12.0 * scale;
        let mut tallest: f32 = 0.0;
        for (i, s) in signers.iter().enumerate() {
            let left = x + i as f32 * each + 2.0;
            let inner = each - 4.0;
            if let Some(p) = s.signature {
                self.image(p, left, y, inner, sig_h);
            }
            let line_y = y + sig_h + 1.0;
            self.rule(left + inner * 0.1, line_y, inner * 0.8, LIGHT, 0.6);
            let mut h = sig_h + 2.5;
            h += self.text(
                &s.name,
                true,
                Fit::new(9.5 * scale, 6.5, 2),
                INK,
                left,
                y + h,
                inner,
                Align::Centre,
            )?;
            h += self.text(
                &s.title,
                false,
                Fit::new(8.0 * scale, 6.0, 2),
                GREY,
                left,
                y + h,
                inner,
                Align::Centre,
            )?;
            tallest = tallest.max(h);
        }
        Ok(tallest)
    }
}

fn page_size(t: &TemplateInput) -> (f32, f32) {
    let (w, h) = t.paper.size_mm();
    match t.orientation {
        Orientation::Portrait => (w, h),
        Orientation::Landscape => (h, w),
    }
}

/// Every character the certificate would print that no bundled font can draw.
fn undrawable(c: &Certificate<'_>) -> Result<Vec<char>, PdfError> {
    let mut texts: Vec<&str> = vec![
        &c.institution,
        &c.learner,
        &c.title,
        &c.date,
        &c.template.heading,
        c.completion
            .as_deref()
            .unwrap_or(&c.template.completion_text),
    ];
    texts.extend(c.category_level.as_deref());
    texts.extend(c.credits.as_deref());
    texts.extend(c.outcomes.iter().map(String::as_str));
    for s in &c.signers {
        texts.push(&s.name);
        texts.push(&s.title);
    }
    if let Some(v) = &c.verification {
        texts.push(&v.text);
    }
    shape::undrawable(&texts.join("\n"))
}

fn lay_out<'a>(c: &Certificate<'a>, scale: f32) -> Result<(Page<'a>, bool), PdfError> {
    let t = c.template;
    let (w, h) = page_size(t);
    let primary = parse_colour(&t.primary_colour).unwrap_or(INK);
    let accent = parse_colour(&t.accent_colour).unwrap_or(GREY);
    let style = text_style(t, false);
    let mut s = Setter {
        c,
        serif: style.serif,
        han: style.han,
        page: Page {
            w,
            h,
            marks: Vec::new(),
            pictures: Vec::new(),
        },
    };
    // The frame.
    s.page.marks.push(Mark::Frame {
        x: 8.0,
        y: 8.0,
        w: w - 16.0,
        h: h - 16.0,
        colour: primary,
        pt: 2.2,
    });
    s.page.marks.push(Mark::Frame {
        x: 10.5,
        y: 10.5,
        w: w - 21.0,
        h: h - 21.0,
        colour: accent,
        pt: 0.6,
    });
    let margin = 20.0;
    let cw = w - 2.0 * margin;
    let b = t.blocks;

    // ----- the bottom zone, from the page's foot up -----
    let mut bottom = h - margin + 2.0;
    if b.verification {
        let text = match &c.verification {
            Some(v) => v.text.clone(),
            None => {
                "Preview: the QR code and the credential are added when the certificate is issued."
                    .into()
            }
        };
        let fit = Fit::new(7.0, 6.0, 3);
        let used = s.height(&text, false, fit, cw)?;
        bottom -= used;
        s.text(&text, false, fit, GREY, margin, bottom, cw, Align::Centre)?;
        bottom -= 2.0;
    }
    let row_h = 30.0 * scale;
    let badge_w = if b.badge && c.badge.is_some() {
        row_h + 4.0
    } else {
        0.0
    };
    let qr_w = if b.verification { row_h + 4.0 } else { 0.0 };
    let row_top = bottom - row_h;
    if let (true, Some(badge)) = (b.badge, c.badge) {
        s.image(badge, margin, row_top, row_h, row_h);
    }
    if b.verification {
        let x = w - margin - row_h;
        match &c.verification {
            Some(v) => s.qr(&v.qr, x, row_top, row_h)?,
            None => {
                s.page.marks.push(Mark::Frame {
                    x,
                    y: row_top,
                    w: row_h,
                    h: row_h,
                    colour: LIGHT,
                    pt: 0.6,
                });
                s.text(
                    "QR code added at issue",
                    false,
                    Fit::new(7.0, 6.0, 3),
                    GREY,
                    x + 2.0,
                    row_top + row_h / 2.0 - 3.0,
                    row_h - 4.0,
                    Align::Centre,
                )?;
            }
        }
    }
    let mut zone_top = row_top;
    if b.signatories && !c.signers.is_empty() {
        let between = cw - badge_w - qr_w;
        let per = between / c.signers.len() as f32;
        if per >= 34.0 {
            // Signatures share the row with the badge and the code, foot-aligned.
            s.signers(margin + badge_w, row_top + 2.0, between, scale)?;
        } else {
            // Too many for the row: their own row above it.
            let need = 12.0 * scale + 2.5 + 2.0 * 17.5 * scale * LEADING / PT_PER_MM;
            let top = row_top - need - 2.0;
            s.signers(margin, top, cw, scale)?;
            zone_top = top;
        }
    }
    let limit = zone_top - 4.0;

    // ----- the body, from the top down -----
    let body_start = s.page.marks.len();
    let mut y = 20.0;
    if let (true, Some(logo)) = (b.logo, c.logo) {
        let lh = 16.0 * scale;
        s.image(logo, margin, y, cw, lh);
        y += lh + 3.0 * scale;
    }
    let mut facts: Vec<&str> = Vec::new();
    if b.category_level {
        facts.extend(c.category_level.as_deref());
    }
    if b.credits {
        facts.extend(c.credits.as_deref());
    }
    facts.push(&c.date);
    let facts = facts.join(" · ");
    let small = Fit::new(11.0 * scale, 7.5, 2);
    // The centred lines, each with the space after it.
    let body: [(&str, bool, Fit, Rgb8, f32); 7] = [
        (
            &c.institution,
            true,
            Fit::new(13.0 * scale, 8.0, 2),
            primary,
            5.0,
        ),
        (
            &t.heading,
            true,
            Fit::new(28.0 * scale, 12.0, 2),
            primary,
            5.0,
        ),
        (&t.wording.certifies, false, small, GREY, 2.5),
        (&c.learner, true, Fit::new(30.0 * scale, 13.0, 3), INK, 2.5),
        (
            c.completion.as_deref().unwrap_or(&t.completion_text),
            false,
            small,
            GREY,
            2.0,
        ),
        (&c.title, true, Fit::new(20.0 * scale, 10.5, 3), accent, 3.0),
        (&facts, false, Fit::new(10.5 * scale, 7.5, 2), GREY, 0.0),
    ];
    for (text, bold, fit, colour, after) in body {
        y += s.text(text, bold, fit, colour, margin, y, cw, Align::Centre)?;
        y += after * scale;
    }
    let fixed_fits = y <= limit;
    y += 4.0 * scale;

    if b.outcomes && !c.outcomes.is_empty() && fixed_fits {
        let list_w = cw.min(160.0);
        let left = margin + (cw - list_w) / 2.0;
        let item = Fit::new(9.0 * scale, 7.0, 2);
        let leading = item.max * LEADING / PT_PER_MM;
        let heading_h = 10.0 * scale * LEADING / PT_PER_MM + 1.5;
        // Room for the heading, at least one item and the "more" line.
        if y + heading_h + 2.0 * leading <= limit {
            s.rule(left + list_w / 2.0 - 15.0, y, 30.0, accent, 0.8);
            y += 2.5;
            y += s.text(
                &t.wording.outcomes,
                true,
                Fit::new(10.0 * scale, 7.5, 1),
                INK,
                left,
                y,
                list_w,
                Align::Centre,
            )?;
            y += 1.5;
            let shown_max = c.outcomes.len().min(5);
            let mut shown = 0;
            for outcome in c.outcomes.iter().take(shown_max) {
                let lines = shape::wrap(outcome, s.style(false), item.max, list_w - 5.0)?
                    .len()
                    .min(2);
                let more_line = if shown + 1 < c.outcomes.len() {
                    leading
                } else {
                    0.0
                };
                if y + lines as f32 * leading + more_line > limit {
                    break;
                }
                s.text("•", false, item, accent, left, y, 4.0, Align::Left)?;
                y += s.text(
                    outcome,
                    false,
                    item,
                    INK,
                    left + 4.5,
                    y,
                    list_w - 5.0,
                    Align::Left,
                )?;
                shown += 1;
            }
            let rest = c.outcomes.len() - shown;
            if rest > 0 {
                let english = credence_domain::certificate::Wording::default();
                let note = if rest == 1 && t.wording.more_outcomes == english.more_outcomes {
                    "and 1 more learning outcome, listed in the credential".to_string()
                } else {
                    t.wording.more_outcomes.replace("{n}", &rest.to_string())
                };
                y += s.text(
                    &note,
                    false,
                    item,
                    GREY,
                    left + 4.5,
                    y,
                    list_w - 5.0,
                    Align::Left,
                )?;
            }
        }
    }
    // Centre the body in the space it leaves (a portrait page would otherwise gather
    // everything at the top).
    let slack = ((limit - y) / 2.0).clamp(0.0, 35.0);
    for m in &mut s.page.marks[body_start..] {
        match m {
            Mark::Text { baseline, .. } => *baseline += slack,
            Mark::Fill { y, .. }
            | Mark::Frame { y, .. }
            | Mark::Image { y, .. }
            | Mark::Qr { y, .. } => *y += slack,
        }
    }
    Ok((s.page, fixed_fits))
}

/// Lays the certificate out, scaling down until its fixed blocks fit.
fn page<'a>(c: &Certificate<'a>) -> Result<Page<'a>, PdfError> {
    let missing = undrawable(c)?;
    if !missing.is_empty() {
        return Err(PdfError::MissingGlyphs(name_chars(&missing)));
    }
    let mut scale = 1.0;
    loop {
        let (page, fits) = lay_out(c, scale)?;
        if fits || scale <= 0.55 {
            return Ok(page);
        }
        scale -= 0.1;
    }
}

fn colour(c: Rgb8) -> Color {
    Color::Rgb(Rgb {
        r: f32::from(c[0]) / 255.0,
        g: f32::from(c[1]) / 255.0,
        b: f32::from(c[2]) / 255.0,
        icc_profile: None,
    })
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point::new(Mm(x), Mm(y)),
        bezier: false,
    }
}

fn rect(x: f32, y: f32, w: f32, h: f32, mode: PaintMode) -> Op {
    Op::DrawPolygon {
        polygon: Polygon {
            rings: vec![PolygonRing {
                points: vec![
                    point(x, y),
                    point(x + w, y),
                    point(x + w, y + h),
                    point(x, y + h),
                ],
            }],
            mode,
            winding_order: WindingOrder::NonZero,
        },
    }
}

/// The certificate as PDF, with `attachments` (the signed credential) inside.
pub fn pdf(c: &Certificate<'_>, attachments: &[Attachment<'_>]) -> Result<Vec<u8>, PdfError> {
    let page = page(c)?;
    let mut doc = PdfDocument::new(&c.meta.title);
    let mut font_ids = shape::FontIds::default();
    let mut placed = Vec::new();
    let mut ops = Vec::new();
    // Drawn straight into the page's content, after printpdf's operations.
    let mut drawn = String::new();
    let h = page.h;
    for m in &page.marks {
        match m {
            Mark::Text {
                x,
                baseline,
                size,
                colour: col,
                line,
            } => {
                ops.extend(shape::pdf_ops(
                    &mut doc,
                    &mut font_ids,
                    line,
                    Pt::from(Mm(*x)).0,
                    Pt::from(Mm(h - baseline)).0,
                    *size,
                    colour(*col),
                )?);
            }
            Mark::Fill {
                x,
                y,
                w,
                h: rh,
                colour: col,
            } => {
                ops.push(Op::SetFillColor { col: colour(*col) });
                ops.push(rect(*x, h - y - rh, *w, *rh, PaintMode::Fill));
            }
            Mark::Frame {
                x,
                y,
                w,
                h: rh,
                colour: col,
                pt,
            } => {
                ops.push(Op::SetOutlineColor { col: colour(*col) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*pt) });
                ops.push(rect(*x, h - y - rh, *w, *rh, PaintMode::Stroke));
            }
            Mark::Image {
                picture,
                x,
                y,
                w,
                h: ih,
            } => placed.push(Placed {
                picture: page.pictures[*picture],
                x: Pt::from(Mm(*x)).0,
                y: Pt::from(Mm(h - y - ih)).0,
                w: Pt::from(Mm(*w)).0,
                h: Pt::from(Mm(*ih)).0,
            }),
            Mark::Qr { .. } => qr_ops(&mut drawn, m, h),
        }
    }
    let doc = doc.with_pages(vec![PdfPage::new(Mm(page.w), Mm(page.h), ops)]);
    archive::finish(doc, &c.meta, attachments, &placed, &drawn)
}

/// A QR code as one path in module units (the scale flips y, so row r's run is the
/// rectangle from (column, r) one module high); nothing for any other mark.
fn qr_ops(out: &mut String, m: &Mark, page_h: f32) {
    let Mark::Qr { x, y, size, code } = m else {
        return;
    };
    let module = Pt::from(Mm(size / code.n as f32)).0;
    let [r, g, b] = INK.map(|c| f32::from(c) / 255.0);
    let _ = writeln!(
        out,
        "q {r:.4} {g:.4} {b:.4} rg {module:.4} 0 0 {:.4} {:.4} {:.4} cm",
        -module,
        Pt::from(Mm(*x)).0,
        Pt::from(Mm(page_h - y)).0
    );
    // Hundreds of runs a code: their numbers written by hand, not through `fmt`.
    for (row, col, len) in &code.runs {
        for v in [col, row, len] {
            template::milli_num(out, i64::from(*v) * 1000);
            out.push(' ');
        }
        out.push_str("1 re\n");
    }
    out.push_str("f Q\n");
}

/// A short id for a face, unique within one SVG.
fn face_tag(face: fonts::Face) -> String {
    match face {
        fonts::Face::Dejavu(key) => format!("d{}", key as u8),
        fonts::Face::Noto(i) => format!("n{i}"),
        fonts::Face::Cjk => "c".into(),
    }
}

struct Outline(String);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "M{x} {y}");
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "L{x} {y}");
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let _ = write!(self.0, "Q{x1} {y1} {x} {y}");
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let _ = write!(self.0, "C{x1} {y1} {x2} {y2} {x} {y}");
    }
    fn close(&mut self) {
        self.0.push('Z');
    }
}

fn hex(c: Rgb8) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// The certificate as SVG (text drawn as the fonts' own glyph outlines), for the preview.
pub fn svg(c: &Certificate<'_>) -> Result<Preview, PdfError> {
    let page = page(c)?;
    let mut defs = String::new();
    let mut body = String::new();
    let mut glyphs = std::collections::BTreeSet::new();
    let mut text = Vec::new();
    for m in &page.marks {
        match m {
            Mark::Text {
                x,
                baseline,
                size,
                colour,
                line,
            } => {
                text.push(line.text.clone());
                let mm = size / PT_PER_MM;
                let _ = write!(body, r#"<g fill="{}">"#, hex(*colour));
                for g in line.glyphs.iter() {
                    let font = g.face.font()?;
                    let k = mm / font.units_per_em();
                    let id = format!("g{}-{}", face_tag(g.face), g.gid);
                    if glyphs.insert(id.clone()) {
                        let mut outline = Outline(String::new());
                        font.face
                            .outline_glyph(ttf_parser::GlyphId(g.gid), &mut outline);
                        let _ = write!(defs, r#"<path id="{id}" d="{}"/>"#, outline.0);
                    }
                    let stroke = if line.bold && g.face.synthetic_bold() {
                        format!(
                            r#" stroke="{}" stroke-width="{:.1}""#,
                            hex(*colour),
                            shape::SYNTHETIC_BOLD * font.units_per_em()
                        )
                    } else {
                        String::new()
                    };
                    let _ = write!(
                        body,
                        r##"<use href="#{id}"{stroke} transform="translate({:.3} {:.3}) scale({k:.6} {:.6})"/>"##,
                        x + g.x * mm,
                        baseline - g.y * mm,
                        -k
                    );
                }
                body.push_str("</g>");
            }
            Mark::Fill { x, y, w, h, colour } => {
                let _ = write!(
                    body,
                    r#"<rect x="{x:.3}" y="{y:.3}" width="{w:.3}" height="{h:.3}" fill="{}"/>"#,
                    hex(*colour)
                );
            }
            Mark::Frame {
                x,
                y,
                w,
                h,
                colour,
                pt,
            } => {
                let _ = write!(
                    body,
                    r#"<rect x="{x:.3}" y="{y:.3}" width="{w:.3}" height="{h:.3}" fill="none" stroke="{}" stroke-width="{:.3}"/>"#,
                    hex(*colour),
                    pt / PT_PER_MM
                );
            }
            Mark::Image {
                picture,
                x,
                y,
                w,
                h,
            } => {
                let data =
                    base64::engine::general_purpose::STANDARD.encode(&page.pictures[*picture].png);
                let _ = write!(
                    body,
                    r#"<image x="{x:.3}" y="{y:.3}" width="{w:.3}" height="{h:.3}" preserveAspectRatio="none" href="data:image/png;base64,{data}"/>"#
                );
            }
            Mark::Qr { x, y, size, code } => {
                let _ = write!(
                    body,
                    r#"<path fill="{}" transform="translate({x:.3} {y:.3}) scale({:.5})" d=""#,
                    hex(INK),
                    size / code.n as f32
                );
                for (row, col, len) in &code.runs {
                    let _ = write!(body, "M{col} {row}h{len}v1h-{len}z");
                }
                body.push_str(r#""/>"#);
            }
        }
    }
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}mm" height="{h}mm"><rect width="{w}" height="{h}" fill="#ffffff"/><defs>{defs}</defs>{body}</svg>"##,
        w = page.w,
        h = page.h
    );
    Ok(Preview { svg, text })
}

#[cfg(test)]
mod tests {
    use super::*;
    use credence_domain::certificate::Paper;

    #[test]
    fn a_qr_codes_numbers_are_written_as_decimals() {
        for v in [0u16, 7, 10, 99, 100, 4096, u16::MAX] {
            let mut out = String::new();
            template::milli_num(&mut out, i64::from(v) * 1000);
            assert_eq!(out, v.to_string());
        }
    }

    fn crowded<'a>(template: &'a TemplateInput) -> Certificate<'a> {
        let long = "Interdisciplinary Approaches to Sustainable Urban Water Management ".repeat(3);
        Certificate {
            template,
            institution: "The Royal and Ancient University of Northfield-upon-Tyne, Faculty of Continuing and Professional Education".into(),
            logo: None,
            learner: "Maximiliane Wolkenstein-Rodenegg ".repeat(6).trim().into(),
            title: long.trim().into(),
            category_level: Some("Sustainability and environmental management · Advanced professional".into()),
            credits: Some("12 credits · 6 ECTS · 300 hours".into()),
            date: "Awarded 20 November 2026".into(),
            outcomes: (0..20)
                .map(|i| format!("Outcome {i}: analyse, evaluate and communicate complex findings about water systems to many audiences in writing and in person."))
                .collect(),
            signers: (0..5)
                .map(|i| Signer {
                    name: format!("Professor Dr. Bartholomew Featherstonehaugh-Smythe {i}"),
                    title: "Associate Vice-Provost for Academic Innovation and Lifelong Learning".into(),
                    signature: None,
                })
                .collect(),
            badge: None,
            verification: Some(Verification {
                qr: "https://credentials.example.edu/verify?credential=urn%3Auuid%3A1".into(),
                text: "Verify at https://credentials.example.edu/verify ".repeat(4),
            }),
            completion: None,
            meta: Meta {
                title: "t".into(),
                author: "a".into(),
                subject: "s".into(),
                created: 0,
            },
        }
    }

    /// Whatever the template and the text, every mark stays on the page, inside the frame.
    #[test]
    fn crowded_certificates_never_run_off_the_page() {
        for paper in [Paper::A4, Paper::Letter] {
            for orientation in [Orientation::Landscape, Orientation::Portrait] {
                let template = TemplateInput {
                    paper,
                    orientation,
                    heading: "Certificate of Advanced Professional Achievement in Practice".into(),
                    ..TemplateInput::default()
                };
                let c = crowded(&template);
                let page = page(&c).expect("lays out");
                let inside = |x: f32, y: f32| {
                    x >= 10.5 && x <= page.w - 10.5 && y >= 10.5 && y <= page.h - 10.5
                };
                let mut texts = 0;
                for m in &page.marks {
                    match m {
                        Mark::Text {
                            x,
                            baseline,
                            size,
                            line,
                            ..
                        } => {
                            texts += 1;
                            let text = &line.text;
                            let right = x + line.width(*size);
                            assert!(
                                inside(*x, *baseline) && inside(right, *baseline),
                                "{paper:?} {orientation:?}: {text:?} at {x},{baseline} to {right}"
                            );
                        }
                        Mark::Fill { x, y, w, h, .. } | Mark::Image { x, y, w, h, .. } => {
                            assert!(
                                inside(*x, *y) && inside(x + w, y + h),
                                "{paper:?} {orientation:?}: a box at {x},{y}"
                            );
                        }
                        Mark::Qr { x, y, size, .. } => {
                            assert!(
                                inside(*x, *y) && inside(x + size, y + size),
                                "{paper:?} {orientation:?}: the QR code at {x},{y}"
                            );
                        }
                        Mark::Frame { .. } => {}
                    }
                }
                // Text lines do not overlap: no two baselines of overlapping spans closer
                // than the smaller line's size.
                let lines: Vec<(f32, f32, f32, f32)> = page
                    .marks
                    .iter()
                    .filter_map(|m| match m {
                        Mark::Text {
                            x,
                            baseline,
                            size,
                            line,
                            ..
                        } => Some((*x, x + line.width(*size), *baseline, *size / PT_PER_MM)),
                        _ => None,
                    })
                    .collect();
                for (i, a) in lines.iter().enumerate() {
                    for b in &lines[i + 1..] {
                        let side_by_side = a.1 <= b.0 || b.1 <= a.0;
                        assert!(
                            side_by_side || (a.2 - b.2).abs() >= a.3.min(b.3) * 0.9,
                            "{paper:?} {orientation:?}: lines overlap: {a:?} {b:?}"
                        );
                    }
                }
                assert!(texts > 20, "{paper:?} {orientation:?}: {texts} lines");
                // The outcomes were cut to what fits, saying so.
                assert!(page.marks.iter().any(|m| matches!(m, Mark::Text { line, .. } if line.text.contains("more learning outcomes"))));
            }
        }
    }
}
