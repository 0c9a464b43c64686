//! A TrueType font with only some glyphs' outlines: what a certificate drawn from a sheet's
//! template embeds. The template's fonts carry every glyph a learner's name or date may
//! need; a certificate uses a few dozen of them, and the rest were half of every PDF's
//! bytes. Glyphs keep their ids (the others are left empty, as a space is), so the
//! template's codes, widths and ToUnicode map stay true.

use std::collections::BTreeSet;

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The sum of `data` as big-endian 32-bit words, the last one padded with zeros.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, word| {
        let mut w = [0u8; 4];
        w[..word.len()].copy_from_slice(word);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// The glyphs composite glyph `outline` is made of.
fn components(outline: &[u8]) -> Option<Vec<u16>> {
    const WORDS: u16 = 0x0001;
    const SCALE: u16 = 0x0008;
    const MORE: u16 = 0x0020;
    const XY_SCALE: u16 = 0x0040;
    const TWO_BY_TWO: u16 = 0x0080;
    let mut out = Vec::new();
    let mut at = 10;
    loop {
        let flags = u16_at(outline, at)?;
        out.push(u16_at(outline, at + 2)?);
        at += 4 + if flags & WORDS != 0 { 4 } else { 2 };
        at += if flags & SCALE != 0 {
            2
        } else if flags & XY_SCALE != 0 {
            4
        } else if flags & TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE == 0 {
            return Some(out);
        }
    }
}

/// A template's font ready to be copied with some glyphs' outlines: the tables every copy
/// shares and the outlines are compressed once (at the best level, each piece ending on a
/// full flush, so it refers to nothing before it); each copy stores its table directory,
/// compresses its `head` and `loca`, and splices in the pieces it keeps.
pub(crate) struct SparseFont {
    whole: Vec<u8>,
    /// Each table's tag, offset and length in `whole`, in the directory's order.
    tables: Vec<([u8; 4], usize, usize)>,
    head: usize,
    loca: usize,
    glyf: usize,
    glyphs: usize,
    long: bool,
    /// The shared tables, each padded to four bytes, in the directory's order: as they
    /// stand in every copy, raw and compressed, with their checksums' sum.
    shared: Vec<u8>,
    shared_deflated: Vec<u8>,
    shared_sum: u32,
    /// The glyphs every copy keeps (those of the sheet's own text, .notdef, their parts).
    always: Vec<bool>,
    /// The outlines compressed once: each run of glyphs every copy keeps as one piece,
    /// by its first glyph; each other glyph alone (`None` where it has no outline).
    runs: Vec<Option<(usize, Vec<u8>)>>,
    alone: Vec<Option<Vec<u8>>>,
}

impl std::fmt::Debug for SparseFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SparseFont")
            .field("bytes", &self.whole.len())
            .finish_non_exhaustive()
    }
}

/// `data` compressed alone at the best level, as a raw deflate piece ending on a full flush.
pub(crate) fn deflate_alone(data: &[u8]) -> Option<Vec<u8>> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut out = Vec::new();
    deflate_into(&mut c, data, flate2::FlushCompress::Full, &mut out)?;
    Some(out)
}

/// A stored deflate block of `data` (at most 65,535 bytes), the last one where `last`.
fn stored_block(out: &mut Vec<u8>, data: &[u8], last: bool) -> Option<()> {
    let len = u16::try_from(data.len()).ok()?;
    out.push(u8::from(last));
    out.extend(len.to_le_bytes());
    out.extend((!len).to_le_bytes());
    out.extend_from_slice(data);
    Some(())
}

/// `data` as raw deflate at the fast level, ending with `flush`, referring to nothing before
/// it: by this thread's compressor, reset (made once: making one per piece, its tables
/// allocated and cleared, costs more than a small piece's compression).
pub(crate) fn deflate_fresh(
    data: &[u8],
    flush: flate2::FlushCompress,
    out: &mut Vec<u8>,
) -> Option<()> {
    thread_local! {
        static RAW: std::cell::RefCell<flate2::Compress> =
            std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::fast(), false));
    }
    RAW.with(|c| {
        let mut c = c.borrow_mut();
        c.reset();
        deflate_into(&mut c, data, flush, out)
    })
}

/// `data` as raw deflate through `c`, ending with `flush`.
fn deflate_into(
    c: &mut flate2::Compress,
    data: &[u8],
    flush: flate2::FlushCompress,
    out: &mut Vec<u8>,
) -> Option<()> {
    let start = c.total_in();
    loop {
        out.reserve(data.len() / 2 + 1024);
        let read = usize::try_from(c.total_in() - start).ok()?;
        let before = out.len();
        let status = c.compress_vec(data.get(read..)?, out, flush).ok()?;
        let done_reading = usize::try_from(c.total_in() - start).ok()? == data.len();
        // Finished when all is read and the output did not fill (zlib's rule for flushes).
        if done_reading
            && (status == flate2::Status::StreamEnd
                || (flush != flate2::FlushCompress::Finish && out.len() < out.capacity()))
        {
            return Some(());
        }
        if out.len() == before && !done_reading && out.len() < out.capacity() {
            return None;
        }
    }
}

impl SparseFont {
    /// `font` prepared, every copy keeping `always`; `None` where it is not a TrueType
    /// file as expected (it is then embedded whole).
    pub(crate) fn new(font: Vec<u8>, always: &BTreeSet<u16>) -> Option<Self> {
        let count = usize::from(u16_at(&font, 4)?);
        let mut tables = Vec::with_capacity(count);
        for i in 0..count {
            let record = 12 + 16 * i;
            let tag: [u8; 4] = font.get(record..record + 4)?.try_into().ok()?;
            let offset = u32_at(&font, record + 8)? as usize;
            let length = u32_at(&font, record + 12)? as usize;
            font.get(offset..offset.checked_add(length)?)?;
            tables.push((tag, offset, length));
        }
        let find = |tag: &[u8; 4]| tables.iter().position(|t| &t.0 == tag);
        let (head, loca, glyf, maxp) = (
            find(b"head")?,
            find(b"loca")?,
            find(b"glyf")?,
            find(b"maxp")?,
        );
        let table = |i: usize| font.get(tables[i].1..tables[i].1 + tables[i].2);
        let glyphs = usize::from(u16_at(table(maxp)?, 4)?);
        let long = u16_at(table(head)?, 50)? != 0;
        let mut shared = Vec::new();
        let mut shared_sum = 0u32;
        for i in 0..tables.len() {
            if [head, loca, glyf].contains(&i) {
                continue;
            }
            let data = table(i)?;
            shared_sum = shared_sum.wrapping_add(checksum(data));
            shared.extend_from_slice(data);
            shared.resize(shared.len().div_ceil(4) * 4, 0);
        }
        let shared_deflated = deflate_alone(&shared)?;
        let mut font = Self {
            whole: font,
            tables,
            head,
            loca,
            glyf,
            glyphs,
            long,
            shared,
            shared_deflated,
            shared_sum,
            always: Vec::new(),
            runs: Vec::new(),
            alone: Vec::new(),
        };
        // Proven once here: every glyph's outline is where `loca` says.
        for g in 0..glyphs {
            font.outline(g)?;
        }
        let kept = font.closure(always)?;
        font.always = (0..glyphs)
            .map(|g| u16::try_from(g).is_ok_and(|g| kept.contains(&g)))
            .collect();
        font.runs = vec![None; glyphs];
        font.alone = vec![None; glyphs];
        let mut g = 0;
        while g < glyphs {
            if font.always[g] {
                let first = g;
                let mut data = Vec::new();
                while g < glyphs && font.always[g] {
                    data.extend_from_slice(font.outline(g)?);
                    g += 1;
                }
                font.runs[first] = Some((g, deflate_alone(&data)?));
            } else {
                let outline = font.outline(g)?;
                if !outline.is_empty() {
                    font.alone[g] = Some(deflate_alone(outline)?);
                }
                g += 1;
            }
        }
        Some(font)
    }

    /// `keep` (those within the font), .notdef and, through composites, every glyph they
    /// are drawn from.
    fn closure(&self, keep: &BTreeSet<u16>) -> Option<BTreeSet<u16>> {
        let mut wanted: BTreeSet<u16> = keep
            .iter()
            .copied()
            .filter(|g| usize::from(*g) < self.glyphs)
            .collect();
        wanted.insert(0);
        let mut pending: Vec<u16> = wanted.iter().copied().collect();
        while let Some(g) = pending.pop() {
            let data = self.outline(usize::from(g))?;
            if data.len() >= 10 && (u16_at(data, 0)? as i16) < 0 {
                for part in components(data)? {
                    if usize::from(part) < self.glyphs && wanted.insert(part) {
                        pending.push(part);
                    }
                }
            }
        }
        Some(wanted)
    }

    fn table(&self, i: usize) -> &[u8] {
        let (_, offset, length) = self.tables[i];
        &self.whole[offset..offset + length]
    }

    fn offset(&self, g: usize) -> Option<usize> {
        let loca = self.table(self.loca);
        if self.long {
            Some(u32_at(loca, 4 * g)? as usize)
        } else {
            Some(usize::from(u16_at(loca, 2 * g)?) * 2)
        }
    }

    fn outline(&self, g: usize) -> Option<&[u8]> {
        self.table(self.glyf)
            .get(self.offset(g)?..self.offset(g + 1)?)
    }

    /// The font with the outlines of every glyph but `keep`, those every copy keeps,
    /// .notdef and the parts of kept composites emptied, zlib-compressed; and its length
    /// uncompressed.
    pub(crate) fn compressed(&self, keep: &BTreeSet<u16>) -> Option<(Vec<u8>, usize)> {
        let extra: BTreeSet<u16> = keep
            .iter()
            .copied()
            .filter(|g| !self.always.get(usize::from(*g)).copied().unwrap_or(true))
            .collect();
        let extra = self.closure(&extra)?;
        let wanted =
            |g: usize| self.always[g] || u16::try_from(g).is_ok_and(|g| extra.contains(&g));
        let mut glyf = Vec::new();
        let mut loca = Vec::with_capacity((self.glyphs + 1) * if self.long { 4 } else { 2 });
        let long = self.long;
        let push_offset = |loca: &mut Vec<u8>, at: usize| -> Option<()> {
            if long {
                loca.extend(u32::try_from(at).ok()?.to_be_bytes());
            } else {
                loca.extend(u16::try_from(at / 2).ok()?.to_be_bytes());
            }
            Some(())
        };
        for g in 0..self.glyphs {
            push_offset(&mut loca, glyf.len())?;
            if wanted(g) {
                // Each outline's length is even (short offsets count words), so the next
                // one starts where the table's format can point.
                glyf.extend_from_slice(self.outline(g)?);
            }
        }
        push_offset(&mut loca, glyf.len())?;
        // checkSumAdjustment is summed with it at zero.
        let mut head = self.table(self.head).to_vec();
        head.get_mut(8..12)?.copy_from_slice(&[0; 4]);

        // The directory, in tag order as before; the data: the shared tables, then head,
        // loca and glyf.
        let mut directory = self.whole.get(..12)?.to_vec();
        let mut at = 12 + 16 * self.tables.len() + self.shared.len();
        let mut own_at = [0usize; 3];
        for (i, len) in [head.len(), loca.len(), glyf.len()].into_iter().enumerate() {
            own_at[i] = at;
            at += len.div_ceil(4) * 4;
        }
        let mut shared_at = 12 + 16 * self.tables.len();
        for (i, (tag, _, length)) in self.tables.iter().enumerate() {
            let (data, offset): (&[u8], usize) = if i == self.head {
                (&head, own_at[0])
            } else if i == self.loca {
                (&loca, own_at[1])
            } else if i == self.glyf {
                (&glyf, own_at[2])
            } else {
                let offset = shared_at;
                shared_at += length.div_ceil(4) * 4;
                (self.table(i), offset)
            };
            directory.extend_from_slice(tag);
            directory.extend(checksum(data).to_be_bytes());
            directory.extend(u32::try_from(offset).ok()?.to_be_bytes());
            directory.extend(u32::try_from(data.len()).ok()?.to_be_bytes());
        }
        let mut own = Vec::with_capacity(head.len() + loca.len() + 8);
        for data in [&head, &loca] {
            own.extend_from_slice(data);
            own.resize(own.len().div_ceil(4) * 4, 0);
        }
        let glyf_padding = glyf.len().div_ceil(4) * 4 - glyf.len();
        let sum = checksum(&directory)
            .wrapping_add(self.shared_sum)
            .wrapping_add(checksum(&own))
            .wrapping_add(checksum(&glyf));
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(sum);
        own.get_mut(8..12)?
            .copy_from_slice(&adjustment.to_be_bytes());

        let mut out = Vec::with_capacity(self.shared_deflated.len() + glyf.len() + 4096);
        // zlib's header: deflate, 32 KB window, default level.
        out.extend_from_slice(&[0x78, 0x9c]);
        // The directory as a stored block (a few hundred bytes of offsets and sums), the
        // shared tables, head and loca, then the outlines as compressed once.
        stored_block(&mut out, &directory, false)?;
        out.extend_from_slice(&self.shared_deflated);
        deflate_fresh(&own, flate2::FlushCompress::Full, &mut out)?;
        let mut g = 0;
        while g < self.glyphs {
            if let Some((end, piece)) = &self.runs[g] {
                out.extend_from_slice(piece);
                g = *end;
                continue;
            }
            if let (true, Some(piece)) = (wanted(g), &self.alone[g]) {
                out.extend_from_slice(piece);
            }
            g += 1;
        }
        stored_block(&mut out, &[0; 3][..glyf_padding], true)?;
        let mut adler = adler2::Adler32::new();
        adler.write_slice(&directory);
        adler.write_slice(&self.shared);
        adler.write_slice(&own);
        adler.write_slice(&glyf);
        adler.write_slice(&[0; 3][..glyf_padding]);
        out.extend(adler.checksum().to_be_bytes());
        Some((
            out,
            directory.len() + self.shared.len() + own.len() + glyf.len() + glyf_padding,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DejaVu Sans Bold, every glyph but those of "Adé" emptied: those draw as before
    /// ("é" with the "e" it is made of), the others are empty, the ids and metrics the same.
    #[test]
    fn kept_glyphs_draw_as_before_and_the_others_are_empty() {
        let whole = &crate::fonts::Face::Dejavu(crate::fonts::Key::SansBold)
            .font()
            .expect("bundled")
            .bytes;
        let face = ttf_parser::Face::parse(whole, 0).expect("parses");
        let gid = |c| face.glyph_index(c).expect("has it").0;
        // "A" as the sheet's own text, kept by every copy; this copy's "dé".
        let prepared = SparseFont::new(whole.to_vec(), &[gid('A')].into()).expect("prepared");
        let (deflated, length) = prepared
            .compressed(&[gid('d'), gid('é')].into())
            .expect("sparse");
        let keep: BTreeSet<u16> = [gid('A'), gid('d'), gid('é'), gid('e')].into();
        let mut small = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::ZlibDecoder::new(deflated.as_slice()),
            &mut small,
        )
        .expect("a whole zlib stream (its checksum checked)");
        assert_eq!(small.len(), length);
        assert!(
            small.len() < whole.len() / 3,
            "{} of {}",
            small.len(),
            whole.len()
        );
        let sparse_face = ttf_parser::Face::parse(&small, 0).expect("the sparse font parses");
        assert_eq!(sparse_face.number_of_glyphs(), face.number_of_glyphs());
        let outline = |f: &ttf_parser::Face<'_>, g: u16| {
            struct Path(String);
            impl ttf_parser::OutlineBuilder for Path {
                fn move_to(&mut self, x: f32, y: f32) {
                    self.0 += &format!("M{x} {y}");
                }
                fn line_to(&mut self, x: f32, y: f32) {
                    self.0 += &format!("L{x} {y}");
                }
                fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
                    self.0 += &format!("Q{x1} {y1} {x} {y}");
                }
                fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
                    self.0 += &format!("C{x1} {y1} {x2} {y2} {x} {y}");
                }
                fn close(&mut self) {
                    self.0 += "Z";
                }
            }
            let mut path = Path(String::new());
            f.outline_glyph(ttf_parser::GlyphId(g), &mut path);
            path.0
        };
        for g in &keep {
            let drawn = outline(&face, *g);
            assert!(!drawn.is_empty());
            assert_eq!(outline(&sparse_face, *g), drawn, "glyph {g}");
            assert_eq!(
                sparse_face.glyph_hor_advance(ttf_parser::GlyphId(*g)),
                face.glyph_hor_advance(ttf_parser::GlyphId(*g))
            );
        }
        assert!(outline(&sparse_face, gid('Z')).is_empty());
        // The whole file's checksum, as the head table's adjustment makes it.
        assert_eq!(checksum(&small), 0xB1B0_AFBA);
    }

    #[test]
    fn what_is_not_a_truetype_font_is_left_alone() {
        assert!(SparseFont::new(b"not a font".to_vec(), &BTreeSet::new()).is_none());
        assert!(SparseFont::new(vec![0; 12], &BTreeSet::new()).is_none());
    }
}
