//! Certificates of one sheet made from a template prepared once: the fonts subset to the
//! sheet's own text and the characters learners' names, dates and credential ids are most
//! often written in, the images, all compressed once; each learner's page is then written
//! straight as PDF operators with those fonts. Subsetting and compressing the fonts was
//! most of a certificate's cost. A page the template cannot draw (a glyph outside its
//! fonts, right-to-left text, a face with CFF outlines) is made the whole way instead, so
//! every certificate prints exactly as before; the template only saves time.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use lopdf::{Object, ObjectId, Stream};
use printpdf::{Mm, PdfDocument, PdfPage, Pt};

use super::{colour, page, Certificate, Mark, Page, Picture, Rgb8, INK};
use crate::archive::{self, Placed};
use crate::fonts::Face;
use crate::shape::{self, Line, SYNTHETIC_BOLD};
use crate::{Attachment, PdfError};

/// The characters beyond a sheet's own text that its fonts carry: printable ASCII (dates,
/// credential ids, issuer DIDs) and the punctuation Credence's wording uses, and in bold
/// (the learner's name) Latin-1 and Latin Extended-A too, which most names written in the
/// Latin script need; with the ligatures the faces form.
fn palette(bold: bool) -> String {
    let mut s: String = (' '..='~').collect();
    if bold {
        s.extend('\u{a0}'..='\u{17f}');
    }
    s.push_str(" – — ‘ ’ “ ” • … · ff fi fl ffi ffl");
    s
}

/// One face of the template: its name in the page's resources and the code each of its
/// glyphs has in the subset font.
#[derive(Debug)]
struct TemplateFont {
    name: String,
    codes: HashMap<u16, u16>,
    /// Each code's advance as the font's `/W` gives it (written exact, from the face's own
    /// advances), in millionths of an em: how far a `TJ` moves past the glyph.
    widths: Vec<i64>,
    /// The font program (`FontFile2`): its object, its dictionary and its bytes, which
    /// each certificate embeds with only the glyphs it draws (`sparse`).
    file: Option<(ObjectId, lopdf::Dictionary, crate::sparse::SparseFont)>,
}

/// What every certificate of one sheet shares, made once.
#[derive(Debug)]
pub struct Template {
    /// The file's header and every object no certificate changes (fonts, images,
    /// resources, the colour profile), compressed and written once.
    fixed: Vec<u8>,
    /// Where each object starts in the file, by id (0 for the catalog, the page and the
    /// Info dictionary, written with each certificate).
    offsets: Vec<usize>,
    /// The objects each certificate writes again: the catalog, the page (its content
    /// added), the Info dictionary (its metadata set).
    catalog: (ObjectId, lopdf::Dictionary),
    page: (ObjectId, lopdf::Dictionary),
    info: Option<(ObjectId, lopdf::Dictionary)>,
    trailer: lopdf::Dictionary,
    /// The sRGB profile the output intent names.
    icc: ObjectId,
    fonts: BTreeMap<Face, TemplateFont>,
    /// Each picture's XObject name, by the address of its pixels.
    images: Vec<(usize, String)>,
}

fn key(p: &Picture) -> usize {
    p.rgba.as_ptr() as usize
}

/// Prepares the template of the certificates `c` stands for: its learner's own parts
/// (name, date, verification text) are left blank or neutral, as the palette covers them.
pub fn template(c: &Certificate<'_>) -> Result<Template, PdfError> {
    let layout = page(c)?;
    let t = c.template;
    let style = |bold| super::text_style(t, bold);
    let mut lines: Vec<Line> = layout
        .marks
        .iter()
        .filter_map(|m| match m {
            Mark::Text { line, .. } => Some(line.clone()),
            _ => None,
        })
        .collect();
    for bold in [false, true] {
        lines.push(shape::shape(&palette(bold), style(bold))?);
        for text in [&t.completion_text, &t.wording.recognized] {
            lines.push(shape::shape(text, style(bold))?);
        }
    }
    let mut doc = PdfDocument::new(&c.meta.title);
    let mut ids = shape::FontIds::default();
    let mut used: BTreeMap<Face, BTreeSet<u16>> = BTreeMap::new();
    let mut ops = Vec::new();
    for line in &lines {
        for g in line.glyphs.iter() {
            used.entry(g.face).or_default().insert(g.gid);
        }
        ops.extend(shape::pdf_ops(
            &mut doc,
            &mut ids,
            line,
            0.0,
            0.0,
            10.0,
            colour(INK),
        )?);
    }
    let doc = doc.with_pages(vec![PdfPage::new(Mm(layout.w), Mm(layout.h), ops)]);
    let mut pdf = archive::to_lopdf(doc);
    let broken = |e: lopdf::Error| PdfError::Assemble(format!("certificate template: {e}"));
    let page_id = first_page(&pdf)?;

    // The faces printpdf embedded, with the codes it gave their glyphs: a TrueType face
    // subset renumbers the glyphs asked for in order, .notdef first (printpdf's
    // `subset_font`); a CFF face's codes are its own CIDs, and is left to the whole way.
    let font_dict = pdf
        .get_dictionary(page_id)
        .and_then(|p| p.get(b"Resources"))
        .and_then(|r| pdf.dereference(r))
        .and_then(|(_, r)| r.as_dict())
        .and_then(|r| r.get(b"Font"))
        .and_then(|f| pdf.dereference(f))
        .and_then(|(_, f)| f.as_dict())
        .map_err(broken)?
        .clone();
    let mut fonts = BTreeMap::new();
    for (face, gids) in used {
        let Some(id) = ids.get(face) else { continue };
        let truetype = face.font()?.face.tables().glyf.is_some();
        if !truetype || !font_dict.has(id.0.as_bytes()) {
            continue;
        }
        let by_code: Vec<u16> = std::iter::once(0)
            .chain(gids.into_iter().filter(|g| *g != 0))
            .collect();
        let codes = by_code
            .iter()
            .enumerate()
            .filter_map(|(code, gid)| Some((*gid, u16::try_from(code).ok()?)))
            .collect();
        let widths = exact_widths(face, &by_code)?;
        set_widths(&mut pdf, &font_dict, &id.0, &widths).map_err(broken)?;
        fonts.insert(
            face,
            TemplateFont {
                name: id.0.clone(),
                codes,
                widths,
                file: None,
            },
        );
    }

    // The page's content goes: each learner's is written in its place.
    if let Ok(contents) = pdf.get_dictionary(page_id).and_then(|p| p.get(b"Contents")) {
        let streams: Vec<ObjectId> = match contents {
            Object::Reference(id) => vec![*id],
            Object::Array(items) => items.iter().filter_map(|o| o.as_reference().ok()).collect(),
            _ => Vec::new(),
        };
        for id in streams {
            pdf.objects.remove(&id);
        }
    }
    pdf.get_dictionary_mut(page_id)
        .map_err(broken)?
        .remove(b"Contents");

    let mut images: Vec<(usize, String)> = Vec::new();
    let pictures = c
        .logo
        .into_iter()
        .chain(c.badge)
        .chain(c.signers.iter().filter_map(|s| s.signature));
    for picture in pictures {
        if images.iter().any(|(k, _)| *k == key(picture)) {
            continue;
        }
        let name = format!("CredenceIm{}", images.len());
        archive::add_picture(&mut pdf, page_id, picture, &name).map_err(broken)?;
        images.push((key(picture), name));
    }
    // Ids from 1 without gaps (the page's content went), so one cross-reference section
    // covers them all.
    pdf.renumber_objects();
    let icc = pdf.add_object(archive::icc_stream());
    // The codes the sheet's own text draws in each face, which every copy keeps.
    let mut sheet: BTreeMap<Face, BTreeSet<u16>> = BTreeMap::new();
    for m in &layout.marks {
        if let Mark::Text { line, .. } = m {
            for g in line.glyphs.iter() {
                if let Some(code) = fonts.get(&g.face).and_then(|f| f.codes.get(&g.gid)) {
                    sheet.entry(g.face).or_default().insert(*code);
                }
            }
        }
    }
    for (face, font) in fonts.iter_mut() {
        let always = sheet.remove(face).unwrap_or_default();
        font.file = font_file(&pdf, &font.name).and_then(|id| {
            let stream = pdf.get_object(id).ok()?.as_stream().ok()?;
            // Not compressed yet (else it stays whole, as written once).
            if stream.dict.has(b"Filter") {
                return None;
            }
            let prepared = crate::sparse::SparseFont::new(stream.content.clone(), &always)?;
            Some((id, stream.dict.clone(), prepared))
        });
    }
    // Every stream written once is compressed now (the sparse fonts, by their copies).
    let sparse: Vec<ObjectId> = fonts
        .values()
        .filter_map(|f| f.file.as_ref().map(|(id, _, _)| *id))
        .collect();
    for (id, object) in pdf.objects.iter_mut() {
        if let Object::Stream(stream) = object {
            if stream.allows_compression && !sparse.contains(id) {
                archive::deflate_best(stream);
            }
        }
    }
    written(pdf, icc, fonts, images)
}

/// The advance of each glyph of `gids` (by code) in millionths of an em, from the face's
/// horizontal metrics: what shaping placed it by, kerning aside.
fn exact_widths(face: Face, gids: &[u16]) -> Result<Vec<i64>, PdfError> {
    let font = face.font()?;
    let em = f64::from(font.face.units_per_em().max(1));
    Ok(gids
        .iter()
        .map(|gid| {
            let advance = font
                .face
                .glyph_hor_advance(ttf_parser::GlyphId(*gid))
                .unwrap_or(0);
            (f64::from(advance) * 1_000_000.0 / em).round() as i64
        })
        .collect())
}

/// Gives the font resource `name` the glyph widths `widths` (millionths of an em, by code)
/// as its `/W`, to three decimals of the thousandths PDF counts in. printpdf rounds them to
/// whole thousandths, and a `TJ` would then need a correction after nearly every glyph.
fn set_widths(
    pdf: &mut lopdf::Document,
    fonts: &lopdf::Dictionary,
    name: &str,
    widths: &[i64],
) -> Result<(), lopdf::Error> {
    let w = Object::Array(vec![
        Object::Integer(0),
        Object::Array(
            widths
                .iter()
                .map(|w| Object::Real(*w as f32 / 1000.0))
                .collect(),
        ),
    ]);
    let missing = || lopdf::Error::DictKey("DescendantFonts".into());
    let font_id = fonts.get(name.as_bytes())?.as_reference()?;
    let descendant = pdf
        .get_dictionary(font_id)?
        .get(b"DescendantFonts")?
        .as_array()?
        .first()
        .ok_or_else(missing)?
        .clone();
    // The descendant font by reference, or inside the font's own dictionary.
    match descendant {
        Object::Reference(id) => pdf.get_dictionary_mut(id)?.set("W", w),
        _ => pdf
            .get_dictionary_mut(font_id)?
            .get_mut(b"DescendantFonts")?
            .as_array_mut()?
            .first_mut()
            .ok_or_else(missing)?
            .as_dict_mut()?
            .set("W", w),
    }
    Ok(())
}

/// The document's first (only) page.
fn first_page(pdf: &lopdf::Document) -> Result<ObjectId, PdfError> {
    pdf.get_pages()
        .values()
        .next()
        .copied()
        .ok_or_else(|| PdfError::Assemble("certificate template: no page".into()))
}

/// The font program of the page's font resource `name`.
fn font_file(pdf: &lopdf::Document, name: &str) -> Option<ObjectId> {
    let page = first_page(pdf).ok()?;
    let deref = |o: &Object| -> Option<lopdf::Dictionary> {
        match o {
            Object::Reference(id) => pdf.get_dictionary(*id).ok().cloned(),
            Object::Dictionary(d) => Some(d.clone()),
            _ => None,
        }
    };
    let resources = deref(pdf.get_dictionary(page).ok()?.get(b"Resources").ok()?)?;
    let fonts = deref(resources.get(b"Font").ok()?)?;
    let font = deref(fonts.get(name.as_bytes()).ok()?)?;
    let descendant = deref(
        font.get(b"DescendantFonts")
            .ok()?
            .as_array()
            .ok()?
            .first()?,
    )?;
    let descriptor = deref(descendant.get(b"FontDescriptor").ok()?)?;
    descriptor.get(b"FontFile2").ok()?.as_reference().ok()
}

/// The template's document written once but for what each certificate changes.
fn written(
    pdf: lopdf::Document,
    icc: ObjectId,
    fonts: BTreeMap<Face, TemplateFont>,
    images: Vec<(usize, String)>,
) -> Result<Template, PdfError> {
    let broken = |e: lopdf::Error| PdfError::Assemble(format!("certificate template: {e}"));
    let page_id = first_page(&pdf)?;
    let catalog_id = pdf
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(broken)?;
    let info_id = pdf.trailer.get(b"Info").and_then(Object::as_reference).ok();
    let dict = |pdf: &lopdf::Document, id| pdf.get_dictionary(id).cloned().map_err(broken);
    let catalog = (catalog_id, dict(&pdf, catalog_id)?);
    let page = (page_id, dict(&pdf, page_id)?);
    let info = match info_id {
        Some(id) => Some((id, dict(&pdf, id)?)),
        None => None,
    };
    let mut fixed = format!("%PDF-{}\n%", pdf.version).into_bytes();
    fixed.extend_from_slice(&pdf.binary_mark);
    fixed.push(b'\n');
    let mut offsets = vec![0; pdf.max_id as usize + 1];
    let per_certificate = |id: u32| {
        id == catalog_id.0
            || id == page_id.0
            || Some(id) == info_id.map(|i| i.0)
            || fonts
                .values()
                .any(|f| f.file.as_ref().is_some_and(|(file, _, _)| file.0 == id))
    };
    for (&(id, _), object) in &pdf.objects {
        if per_certificate(id) {
            continue;
        }
        offsets[id as usize] = fixed.len();
        archive::write_indirect(&mut fixed, id, object);
    }
    Ok(Template {
        fixed,
        offsets,
        catalog,
        page,
        info,
        trailer: pdf.trailer,
        icc,
        fonts,
        images,
    })
}

/// `v` in thousandths, rounded.
fn milli(v: f32) -> i64 {
    (f64::from(v) * 1000.0).round() as i64
}

/// `v` with at most three decimals, as PDF operators take numbers (written by hand: std's
/// float formatting was a tenth of a certificate's time).
fn num(out: &mut String, v: f32) {
    milli_num(out, milli(v));
}

/// `milli` thousandths as a PDF number (a whole number without decimals).
pub(super) fn milli_num(out: &mut String, milli: i64) {
    if milli < 0 {
        out.push('-');
    }
    let m = milli.unsigned_abs();
    let mut digits = [0u8; 24];
    let mut i = digits.len();
    let mut whole = m / 1000;
    loop {
        i -= 1;
        digits[i] = b'0' + (whole % 10) as u8;
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|d| char::from(*d)));
    let frac = m % 1000;
    if frac != 0 {
        out.push('.');
        let three = [frac / 100, frac / 10 % 10, frac % 10];
        let shown = if frac.is_multiple_of(100) {
            1
        } else if frac.is_multiple_of(10) {
            2
        } else {
            3
        };
        out.extend(three[..shown].iter().map(|d| char::from(b'0' + *d as u8)));
    }
}

/// `v` as four hexadecimal digits.
fn hex4(out: &mut String, v: u16) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for shift in [12, 8, 4, 0] {
        out.push(char::from(DIGITS[usize::from((v >> shift) & 0xf)]));
    }
}

fn nums(out: &mut String, values: &[f32], op: &str) {
    for v in values {
        num(out, *v);
        out.push(' ');
    }
    out.push_str(op);
    out.push('\n');
}

fn rgb(c: Rgb8) -> [f32; 3] {
    c.map(|v| f32::from(v) / 255.0)
}

impl Template {
    /// The page's operators and the codes drawn in each face, or `None` where the
    /// template cannot draw it.
    fn content(&self, page: &Page<'_>) -> Option<(String, BTreeMap<Face, BTreeSet<u16>>)> {
        let h = page.h;
        let mut drawn = BTreeMap::new();
        let pt = |mm: f32| Pt::from(Mm(mm)).0;
        let mut out = String::with_capacity(16 * 1024);
        let mut placed = Vec::new();
        for m in &page.marks {
            match m {
                Mark::Text {
                    x,
                    baseline,
                    size,
                    colour,
                    line,
                } => self.text(
                    &mut out,
                    &mut drawn,
                    line,
                    pt(*x),
                    pt(h - baseline),
                    *size,
                    *colour,
                )?,
                Mark::Fill {
                    x,
                    y,
                    w,
                    h: rh,
                    colour,
                } => {
                    nums(&mut out, &rgb(*colour), "rg");
                    nums(&mut out, &[pt(*x), pt(h - y - rh), pt(*w), pt(*rh)], "re f");
                }
                Mark::Frame {
                    x,
                    y,
                    w,
                    h: rh,
                    colour,
                    pt: thickness,
                } => {
                    nums(&mut out, &rgb(*colour), "RG");
                    nums(&mut out, &[*thickness], "w");
                    nums(&mut out, &[pt(*x), pt(h - y - rh), pt(*w), pt(*rh)], "re S");
                }
                Mark::Image {
                    picture,
                    x,
                    y,
                    w,
                    h: ih,
                } => {
                    let picture = page.pictures.get(*picture)?;
                    let name = self
                        .images
                        .iter()
                        .find(|(k, _)| *k == key(picture))
                        .map(|(_, n)| n.as_str())?;
                    placed.push((
                        Placed {
                            picture,
                            x: pt(*x),
                            y: pt(h - y - ih),
                            w: pt(*w),
                            h: pt(*ih),
                        },
                        name,
                    ));
                }
                Mark::Qr { .. } => super::qr_ops(&mut out, m, h),
            }
        }
        for (p, name) in &placed {
            archive::draw_picture(&mut out, p, name);
        }
        Some((out, drawn))
    }

    /// A line of text as `shape::pdf_ops` draws it, each glyph by its code in the
    /// template's fonts.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &self,
        out: &mut String,
        drawn: &mut BTreeMap<Face, BTreeSet<u16>>,
        line: &Line,
        x: f32,
        y: f32,
        size: f32,
        colour: Rgb8,
    ) -> Option<()> {
        let fill = rgb(colour);
        out.push_str("BT\n");
        nums(out, &fill, "rg");
        let mut current: Option<Face> = None;
        // Where the text line matrix stands (`BT` starts it at the origin).
        let mut pen = [0i64; 2];
        for run in line.runs.iter() {
            if run.rtl {
                return None;
            }
            out.push_str("/Span <</ActualText <FEFF");
            for unit in run.text.encode_utf16() {
                hex4(out, unit);
            }
            out.push_str(">>> BDC\n");
            // Each stretch of glyphs in one face on one baseline is one `TJ`: its first
            // glyph placed by `Td`, the others by their widths in the font's `/W` and, where
            // shaping moved them (kerning), a correction. (A `Td` and `Tj` for every glyph
            // made the page's content three times as long, to write and to compress.)
            let glyphs = line.glyphs.get(run.glyphs.clone())?;
            let mut i = 0;
            while let Some(g) = glyphs.get(i) {
                let font = self.fonts.get(&g.face)?;
                if current != Some(g.face) {
                    current = Some(g.face);
                    out.push('/');
                    out.push_str(&font.name);
                    out.push(' ');
                    nums(out, &[size], "Tf");
                    if line.bold && g.face.synthetic_bold() {
                        nums(out, &fill, "RG");
                        nums(out, &[size * SYNTHETIC_BOLD], "w");
                        out.push_str("2 Tr\n");
                    } else {
                        out.push_str("0 Tr\n");
                    }
                }
                // The stretch's first glyph by `Td` from the one before, in thousandths of
                // a point so the steps add up exactly to the positions `Tm` would set.
                let at = [milli(x + g.x * size), milli(y + g.y * size)];
                milli_num(out, at[0] - pen[0]);
                out.push(' ');
                milli_num(out, at[1] - pen[1]);
                pen = at;
                out.push_str(" Td [<");
                let codes = drawn.entry(g.face).or_default();
                // Where the text stands from the stretch's start, in millionths of an em.
                let mut moved: i64 = 0;
                let mut j = i;
                while let Some(next) = glyphs.get(j) {
                    if j > i && (next.face != g.face || next.y != g.y) {
                        break;
                    }
                    let code = *font.codes.get(&next.gid)?;
                    codes.insert(code);
                    let target =
                        ((f64::from(next.x) - f64::from(g.x)) * 1_000_000.0).round() as i64;
                    // Closer than a hundred-thousandth of an em is where it is (the
                    // positions are single-precision).
                    if (target - moved).abs() >= 10 {
                        out.push('>');
                        milli_num(out, moved - target);
                        out.push('<');
                        moved = target;
                    }
                    hex4(out, code);
                    moved += font.widths.get(usize::from(code))?;
                    j += 1;
                }
                out.push_str(">] TJ\n");
                i = j;
            }
            out.push_str("EMC\n");
        }
        out.push_str("ET\n");
        Some(())
    }

    /// Whether the template draws `c`'s page (else `pdf` makes it the whole way).
    pub fn draws(&self, c: &Certificate<'_>) -> Result<bool, PdfError> {
        Ok(self.content(&page(c)?).is_some())
    }

    /// The certificate as PDF with `attachments` inside: from the template where it can
    /// draw the page, else the whole way (`super::pdf`).
    pub fn pdf(
        &self,
        c: &Certificate<'_>,
        attachments: &[Attachment<'_>],
    ) -> Result<Vec<u8>, PdfError> {
        let layout = page(c)?;
        let Some((content, drawn)) = self.content(&layout) else {
            return super::pdf(c, attachments);
        };
        let mut out = Vec::with_capacity(self.fixed.len() + 64 * 1024);
        out.extend_from_slice(&self.fixed);
        let mut offsets = self.offsets.clone();
        let mut write = |out: &mut Vec<u8>, (id, _): ObjectId, object: &Object| {
            let at = id as usize;
            if offsets.len() <= at {
                offsets.resize(at + 1, 0);
            }
            offsets[at] = out.len();
            archive::write_indirect(out, id, object);
        };
        let mut next = (self.offsets.len() as u32, 0);
        let mut added = Vec::new();
        let mut add = |object: Object| {
            let id = next;
            next.0 += 1;
            added.push((id, object));
            id
        };
        let mut stream = Stream::new(lopdf::Dictionary::new(), content.into_bytes());
        archive::deflate(&mut stream);
        let content_id = add(Object::Stream(stream));
        let finishing = archive::finishing(&c.meta, attachments, self.icc, &mut add);
        for (id, object) in &added {
            write(&mut out, *id, object);
        }
        let none = BTreeSet::new();
        for (face, font) in &self.fonts {
            let Some((id, dict, prepared)) = &font.file else {
                continue;
            };
            let (deflated, length) = prepared
                .compressed(drawn.get(face).unwrap_or(&none))
                .ok_or_else(|| PdfError::Assemble("certificate template: a font".into()))?;
            let mut dict = dict.clone();
            dict.set("Length1", length as i64);
            dict.set("Filter", "FlateDecode");
            write(&mut out, *id, &Object::Stream(Stream::new(dict, deflated)));
        }
        let mut page = self.page.1.clone();
        page.set("Contents", Object::Reference(content_id));
        write(&mut out, self.page.0, &Object::Dictionary(page));
        let mut catalog = self.catalog.1.clone();
        for (key, value) in &finishing.catalog {
            catalog.set(*key, value.clone());
        }
        write(&mut out, self.catalog.0, &Object::Dictionary(catalog));
        if let Some((id, info)) = &self.info {
            let mut info = info.clone();
            archive::finish_info(&mut info, &finishing);
            write(&mut out, *id, &Object::Dictionary(info));
        }
        let mut trailer = self.trailer.clone();
        trailer.set("Size", i64::from(next.0));
        trailer.set("ID", finishing.id);
        archive::write_end(&mut out, &offsets, &trailer);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_written_as_pdf_reads_them() {
        let mut out = String::new();
        for v in [0.0, 1.0, -2.5, 12.125, 0.0004, 841.8898, -0.01, 100.1, 3.07] {
            super::num(&mut out, v);
            out.push(' ');
        }
        assert_eq!(out, "0 1 -2.5 12.125 0 841.89 -0.01 100.1 3.07 ");
        let mut hex = String::new();
        super::hex4(&mut hex, 0x0a1f);
        assert_eq!(hex, "0A1F");
    }
}
