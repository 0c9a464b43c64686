//! Credence's printable documents: agendas, minutes, decision letters and certificates.
//! One place for the fonts (DejaVu and Noto, bundled with their licences, embedded and
//! subset), shaping and bidirectional text (`shape`), the page layout (A4, a flow of blocks that wraps and breaks pages) and the
//! document metadata (title, author, subject, dates), so every document looks and reads
//! the same.
//!
//! Architecture invariant: no IO and no knowledge of workspaces; a document is a function
//! of its blocks. Text is measured with the font's own advances and wrapped to fit; a
//! character the fonts cannot draw is refused by name rather than printed as a box.

use printpdf::{Color, Line, LinePoint, Mm, Op, PdfDocument, PdfPage, Point, Pt, Rgb};

mod archive;
pub mod certificate;
pub mod fonts;
mod icc;
pub mod shape;
mod sparse;

pub use archive::Attachment;

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum PdfError {
    #[error("the fonts cannot draw {0}; nothing was written")]
    MissingGlyphs(String),
    #[error("a bundled font cannot be read: {0}")]
    Font(String),
    #[error("{what} cannot be used: {message}")]
    Image { what: String, message: String },
    #[error("the PDF could not be assembled: {0}")]
    Assemble(String),
}

/// Names characters for a message: `'王' (U+738B), ...`.
pub fn name_chars(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| format!("{c:?} (U+{:04X})", *c as u32))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who and what the document is (PDF metadata).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub title: String,
    /// The institution.
    pub author: String,
    pub subject: String,
    /// Seconds since the Unix epoch (UTC): creation and modification date.
    pub created: i64,
}

/// What a document is made of, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The institution's name, small, above the title.
    Letterhead(String),
    Title(String),
    Heading(String),
    Paragraph(String),
    /// Label and value pairs, aligned.
    Facts(Vec<(String, String)>),
    /// Column widths are fractions of the text width.
    Table {
        widths: Vec<f32>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A bulleted list.
    List(Vec<String>),
    Space(f32),
}

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 20.0;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;
use fonts::PT_PER_MM;

struct Layout<'d> {
    doc: &'d mut PdfDocument,
    ids: shape::FontIds,
    pages: Vec<Vec<Op>>,
    /// Distance from the top of the page to the next line's top, mm.
    y: f32,
}

fn style(bold: bool) -> shape::Style {
    shape::Style {
        serif: false,
        bold,
        han: None,
    }
}

fn black() -> Color {
    Color::Rgb(Rgb {
        r: 0.1,
        g: 0.1,
        b: 0.12,
        icc_profile: None,
    })
}

fn grey() -> Color {
    Color::Rgb(Rgb {
        r: 0.35,
        g: 0.37,
        b: 0.4,
        icc_profile: None,
    })
}

impl Layout<'_> {
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Makes room for `height` mm, starting a new page when the page is full.
    fn room(&mut self, height: f32) {
        if self.pages.is_empty() || self.y + height > PAGE_H - MARGIN - 8.0 {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn text_at(
        &mut self,
        bold: bool,
        size: f32,
        x: f32,
        text: &str,
        colour: Color,
    ) -> Result<(), PdfError> {
        let line = shape::shape(text, style(bold))?;
        self.line_at(&line, size, x, colour)
    }

    fn line_at(
        &mut self,
        line: &shape::Line,
        size: f32,
        x: f32,
        colour: Color,
    ) -> Result<(), PdfError> {
        let baseline = PAGE_H - self.y - size / PT_PER_MM;
        let ops = shape::pdf_ops(
            self.doc,
            &mut self.ids,
            line,
            Pt::from(Mm(x)).0,
            Pt::from(Mm(baseline)).0,
            size,
            colour,
        )?;
        self.ops().extend(ops);
        Ok(())
    }

    fn rule(&mut self, thickness: f32) {
        let y = PAGE_H - self.y;
        self.ops().extend([
            Op::SetOutlineColor { col: grey() },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point::new(Mm(MARGIN), Mm(y)),
                            bezier: false,
                        },
                        LinePoint {
                            p: Point::new(Mm(PAGE_W - MARGIN), Mm(y)),
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    /// Wrapped lines at `x` within `width`, page-breaking between lines.
    fn lines(
        &mut self,
        bold: bool,
        size: f32,
        x: f32,
        width: f32,
        text: &str,
        colour: Color,
    ) -> Result<(), PdfError> {
        let leading = size * 1.35 / PT_PER_MM;
        for line in shape::wrap(text, style(bold), size, width)? {
            self.room(leading);
            self.line_at(&line, size, x, colour.clone())?;
            self.y += leading;
        }
        Ok(())
    }

    fn block(&mut self, b: &Block) -> Result<(), PdfError> {
        match b {
            Block::Letterhead(name) => {
                self.lines(true, 10.0, MARGIN, TEXT_W, name, grey())?;
                self.y += 1.0;
                self.rule(0.6);
                self.y += 6.0;
            }
            Block::Title(t) => {
                self.lines(true, 18.0, MARGIN, TEXT_W, t, black())?;
                self.y += 4.0;
            }
            Block::Heading(h) => {
                self.room(14.0);
                self.y += 3.0;
                self.lines(true, 12.5, MARGIN, TEXT_W, h, black())?;
                self.y += 1.5;
            }
            Block::Paragraph(p) => {
                self.lines(false, 10.5, MARGIN, TEXT_W, p, black())?;
                self.y += 2.5;
            }
            Block::Facts(pairs) => {
                let label_w = 42.0;
                for (label, value) in pairs {
                    let leading = 10.5 * 1.35 / PT_PER_MM;
                    let lines = shape::wrap(value, style(false), 10.5, TEXT_W - label_w)?;
                    self.room(leading);
                    self.text_at(true, 10.5, MARGIN, label, grey())?;
                    for (i, line) in lines.iter().enumerate() {
                        if i > 0 {
                            self.room(leading);
                        }
                        self.line_at(line, 10.5, MARGIN + label_w, black())?;
                        self.y += leading;
                    }
                }
                self.y += 2.5;
            }
            Block::List(items) => {
                for item in items {
                    let leading = 10.5 * 1.35 / PT_PER_MM;
                    self.room(leading);
                    self.text_at(false, 10.5, MARGIN + 1.0, "•", black())?;
                    self.lines(false, 10.5, MARGIN + 6.0, TEXT_W - 6.0, item, black())?;
                }
                self.y += 2.5;
            }
            Block::Table {
                widths,
                header,
                rows,
            } => {
                let total: f32 = widths.iter().sum::<f32>().max(f32::EPSILON);
                let cols: Vec<f32> = widths.iter().map(|w| w / total * TEXT_W).collect();
                let leading = 9.5 * 1.35 / PT_PER_MM;
                let draw_row = |layout: &mut Self, cells: &[String], bold: bool| {
                    let wrapped = cells
                        .iter()
                        .zip(&cols)
                        .map(|(c, w)| shape::wrap(c, style(bold), 9.5, w - 2.0))
                        .collect::<Result<Vec<_>, _>>()?;
                    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading;
                    layout.room(height + 2.0);
                    let top = layout.y;
                    let mut x = MARGIN;
                    for (lines, w) in wrapped.iter().zip(&cols) {
                        layout.y = top;
                        for line in lines {
                            layout.line_at(line, 9.5, x, black())?;
                            layout.y += leading;
                        }
                        x += w;
                    }
                    layout.y = top + height + 1.0;
                    layout.rule(0.3);
                    layout.y += 1.0;
                    Ok::<(), PdfError>(())
                };
                draw_row(self, header, true)?;
                for r in rows {
                    draw_row(self, r, false)?;
                }
                self.y += 2.5;
            }
            Block::Space(mm) => self.y += mm,
        }
        Ok(())
    }
}

fn block_text(b: &Block) -> String {
    match b {
        Block::Letterhead(t) | Block::Title(t) | Block::Heading(t) | Block::Paragraph(t) => {
            t.clone()
        }
        Block::Facts(p) => p.iter().map(|(a, b)| format!("{a}{b}")).collect(),
        Block::Table { header, rows, .. } => header
            .iter()
            .chain(rows.iter().flatten())
            .cloned()
            .collect(),
        Block::List(items) => items.concat(),
        Block::Space(_) => String::new(),
    }
}

/// Renders blocks into a PDF: A4, fonts embedded and subset, a footer with the title and
/// page numbers, and the metadata of `meta`.
pub fn render(meta: &Meta, blocks: &[Block]) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(&meta.title);
    let texts: Vec<String> = blocks
        .iter()
        .map(block_text)
        .chain([meta.title.clone()])
        .collect();
    let missing = shape::undrawable(&texts.join("\n"))?;
    if !missing.is_empty() {
        return Err(PdfError::MissingGlyphs(name_chars(&missing)));
    }
    let mut layout = Layout {
        doc: &mut doc,
        ids: shape::FontIds::default(),
        pages: Vec::new(),
        y: MARGIN,
    };
    for b in blocks {
        layout.block(b)?;
    }
    let mut pages = std::mem::take(&mut layout.pages);
    if pages.is_empty() {
        pages.push(Vec::new());
    }
    let count = pages.len();
    let mut out = Vec::with_capacity(count);
    for (i, ops) in pages.into_iter().enumerate() {
        layout.pages = vec![ops];
        layout.y = PAGE_H - MARGIN + 4.0;
        layout.text_at(false, 8.0, MARGIN, &meta.title, grey())?;
        let label = shape::shape(&format!("Page {} of {count}", i + 1), style(false))?;
        let w = label.width(8.0);
        layout.line_at(&label, 8.0, PAGE_W - MARGIN - w, grey())?;
        let ops = layout.pages.pop().unwrap_or_default();
        out.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
    }
    archive::finish(doc.with_pages(out), meta, &[], &[], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        Meta {
            title: "Minutes".into(),
            author: "Northfield University".into(),
            subject: "Test".into(),
            created: 1_795_000_000,
        }
    }

    #[test]
    fn long_text_wraps_within_the_width() {
        let text = "word ".repeat(200);
        let lines = shape::wrap(&text, style(false), 10.5, TEXT_W).unwrap();
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| l.width(10.5) <= TEXT_W));
        for long in ["x".repeat(400), "王小明".repeat(60)] {
            let lines = shape::wrap(&long, style(false), 10.5, 50.0).unwrap();
            assert!(lines.len() > 5);
            assert!(lines.iter().all(|l| l.width(10.5) <= 50.0));
        }
    }

    #[test]
    fn a_document_renders_with_its_metadata_and_breaks_pages() {
        let mut blocks = vec![
            Block::Letterhead("Northfield University".into()),
            Block::Title("Minutes".into()),
        ];
        for i in 0..120 {
            blocks.push(Block::Paragraph(format!(
                "Paragraph {i}: Zoë, Ωμέγα, Жанна, Nguyễn."
            )));
        }
        let pdf = render(&meta(), &blocks).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() < 200_000, "fonts are subset: {} bytes", pdf.len());
    }

    #[test]
    fn characters_the_fonts_cannot_draw_are_refused_by_name() {
        // Cuneiform: no bundled face draws it (Noto's historic scripts are not bundled).
        let err = render(&meta(), &[Block::Paragraph("Name: \u{12000}".into())]).unwrap_err();
        assert!(err.to_string().contains("U+12000"), "{err}");
        // Every living script prints.
        let pdf = render(
            &meta(),
            &[Block::Paragraph(
                "王小明 · محمد عبد الله · प्रिया शर्मा".into(),
            )],
        )
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
