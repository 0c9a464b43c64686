//! The last step of every document: metadata both as the Info dictionary and as XMP, the
//! PDF/A-3b identification and sRGB output intent, the file identifier, and any attached
//! files (PDF/A-3's associated files, `AFRelationship`). printpdf lays out the pages; this
//! finishes its object graph with lopdf before saving.

use lopdf::{Dictionary, Object, Stream, StringFormat};
use printpdf::{PdfDocument, PdfSaveOptions};

use crate::certificate::Picture;
use crate::{Meta, PdfError};

/// An image drawn on the first page: its box in points from the page's bottom left.
pub(crate) struct Placed<'a> {
    pub picture: &'a Picture,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// Adds `picture` as an image XObject (its compressed planes reused from the picture, a
/// soft mask where it has transparency) and names it `name` in the page's resources.
pub(crate) fn add_picture(
    pdf: &mut lopdf::Document,
    page: lopdf::ObjectId,
    picture: &Picture,
    name: &str,
) -> Result<(), lopdf::Error> {
    let packed = picture.packed();
    let plane = |cs: &str, data: Vec<u8>| {
        Stream::new(
            Dictionary::from_iter(vec![
                ("Type", Object::Name(b"XObject".to_vec())),
                ("Subtype", Object::Name(b"Image".to_vec())),
                ("Width", Object::Integer(i64::from(picture.width))),
                ("Height", Object::Integer(i64::from(picture.height))),
                ("BitsPerComponent", Object::Integer(8)),
                ("ColorSpace", Object::Name(cs.as_bytes().to_vec())),
                ("Filter", Object::Name(b"FlateDecode".to_vec())),
            ]),
            data,
        )
        .with_compression(false)
    };
    let mut image = plane("DeviceRGB", packed.rgb.clone());
    if let Some(alpha) = &packed.alpha {
        let mask = pdf.add_object(plane("DeviceGray", alpha.clone()));
        image.dict.set("SMask", Object::Reference(mask));
    }
    let id = pdf.add_object(image);
    pdf.add_xobject(page, name.as_bytes(), id)
}

/// The operators drawing the picture named `name` in `placed`'s box.
pub(crate) fn draw_picture(content: &mut String, placed: &Placed<'_>, name: &str) {
    use std::fmt::Write as _;
    let _ = writeln!(
        content,
        "q {:.3} 0 0 {:.3} {:.3} {:.3} cm /{name} Do Q",
        placed.w, placed.h, placed.x, placed.y
    );
}

/// Adds the images as XObjects and a content stream drawing `drawn`, then them, over the
/// page.
fn place_images(
    pdf: &mut lopdf::Document,
    images: &[Placed<'_>],
    drawn: &str,
) -> Result<(), lopdf::Error> {
    let Some(page) = pdf.get_pages().values().next().copied() else {
        return Ok(());
    };
    let mut content = drawn.to_string();
    let mut names: Vec<(*const Picture, String)> = Vec::new();
    for placed in images {
        let key: *const Picture = placed.picture;
        let name = match names.iter().find(|(k, _)| *k == key) {
            Some((_, n)) => n.clone(),
            None => {
                let name = format!("CredenceIm{}", names.len());
                add_picture(pdf, page, placed.picture, &name)?;
                names.push((key, name.clone()));
                name
            }
        };
        draw_picture(&mut content, placed, &name);
    }
    if !content.is_empty() {
        pdf.add_page_contents(page, content.into_bytes())?;
    }
    Ok(())
}

/// A file carried inside the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment<'a> {
    /// File name as a PDF reader lists it (`credential.json`).
    pub name: String,
    /// MIME type (`application/json`).
    pub mime: String,
    pub description: String,
    pub bytes: &'a [u8],
}

fn text(s: &str) -> Object {
    // UTF-16BE with a byte order mark: any script survives.
    let mut bytes = vec![0xfe, 0xff];
    for unit in s.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn xml_escape(s: &str) -> String {
    credence_domain::xml::escape(s, true)
}

fn iso_date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant), proleptic Gregorian.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn xmp(meta: &Meta) -> String {
    let date = iso_date(meta.created);
    format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdfaid:part>3</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<xmp:CreatorTool>Credence</xmp:CreatorTool>
<pdf:Producer>Credence (printpdf)</pdf:Producer>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        title = xml_escape(&meta.title),
        author = xml_escape(&meta.author),
        subject = xml_escape(&meta.subject),
    )
}

fn pdf_date(unix: i64) -> Object {
    let iso = iso_date(unix);
    let digits: String = iso.chars().filter(char::is_ascii_digit).collect();
    Object::String(format!("D:{digits}Z").into_bytes(), StringFormat::Literal)
}

/// A stable 16-byte file identifier from the metadata (FNV-1a, twice).
fn file_id(meta: &Meta) -> Vec<u8> {
    let mut out = Vec::with_capacity(16);
    for seed in [0xcbf2_9ce4_8422_2325u64, 0x6c62_272e_07bb_0142] {
        let mut h = seed;
        for b in meta
            .title
            .bytes()
            .chain(meta.author.bytes())
            .chain(meta.created.to_be_bytes())
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        out.extend(h.to_be_bytes());
    }
    out
}

/// Flate-compresses a stream that has no filter yet, at zlib's fast level. (lopdf's own
/// `compress` uses the best level: three times the time for a certificate 1% smaller, and
/// compressing was most of a certificate's cost.)
pub(crate) fn deflate(stream: &mut Stream) {
    compress_with(stream, zlib);
}

/// `deflate` for an attached credential: the badge image inside it (a `data:` URI of
/// kilobytes, the same in every credential of a roster) compressed once per thread at the
/// best level and spliced between the text before and after it, each compressed alone at the
/// fast level; other files, or a credential without such an image, as `deflate` does.
pub(crate) fn deflate_attachment(stream: &mut Stream) {
    compress_with(stream, |data| zlib_spliced(data).or_else(|| zlib(data)));
}

/// The shortest `data:` URI worth compressing once and splicing in.
const SPLICED_AT_LEAST: usize = 2048;

/// `data` as one zlib stream: the text before its first long `data:` URI, the URI, and the
/// text after, as raw deflate pieces (each ending on a full flush, so none refers to the one
/// before), the URI's taken from this thread's last one when it is the same; `None` where
/// `data` has no such URI.
fn zlib_spliced(data: &[u8]) -> Option<Vec<u8>> {
    use crate::sparse::deflate_fresh;
    use flate2::FlushCompress;
    thread_local! {
        static LAST: std::cell::RefCell<(Vec<u8>, Vec<u8>)> =
            const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    let start = memchr::memmem::find(data, b"\"data:")? + 1;
    let end = start + memchr::memchr(b'"', data.get(start..)?)?;
    let uri = data.get(start..end)?;
    if uri.len() < SPLICED_AT_LEAST {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    // zlib's header: deflate, 32 KB window, default level.
    out.extend_from_slice(&[0x78, 0x9c]);
    deflate_fresh(data.get(..start)?, FlushCompress::Full, &mut out)?;
    LAST.with(|last| -> Option<()> {
        let mut last = last.borrow_mut();
        if last.0 != uri {
            *last = (uri.to_vec(), crate::sparse::deflate_alone(uri)?);
        }
        out.extend_from_slice(&last.1);
        Some(())
    })?;
    deflate_fresh(data.get(end..)?, FlushCompress::Finish, &mut out)?;
    let mut adler = adler2::Adler32::new();
    adler.write_slice(data);
    out.extend(adler.checksum().to_be_bytes());
    Some(out)
}

/// `deflate` at zlib's best level, for a stream compressed once and written many times
/// (a certificate template's fonts).
pub(crate) fn deflate_best(stream: &mut Stream) {
    compress_with(stream, |data| {
        use std::io::Write;
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).ok()?;
        e.finish().ok()
    });
}

/// Replaces a stream that has no filter yet by `compress` of it where that is smaller.
fn compress_with(stream: &mut Stream, compress: impl FnOnce(&[u8]) -> Option<Vec<u8>>) {
    if stream.dict.get(b"Filter").is_ok() {
        return;
    }
    if let Some(compressed) = compress(&stream.content) {
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// `data` zlib-compressed at the fast level, by this thread's compressor (made once: making
/// one per stream, its tables allocated and cleared, was a twentieth of a certificate).
fn zlib(data: &[u8]) -> Option<Vec<u8>> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    thread_local! {
        static COMPRESSOR: std::cell::RefCell<Compress> =
            std::cell::RefCell::new(Compress::new(Compression::fast(), true));
    }
    COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        c.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let read = usize::try_from(c.total_in()).ok()?;
            let status = c
                .compress_vec(data.get(read..)?, &mut out, FlushCompress::Finish)
                .ok()?;
            match status {
                Status::StreamEnd => return Some(out),
                Status::Ok | Status::BufError => out.reserve(out.capacity().max(64)),
            }
        }
    })
}

/// The sRGB output profile as a stream, compressed once for every document.
pub(crate) fn icc_stream() -> Stream {
    static COMPRESSED: std::sync::OnceLock<Stream> = std::sync::OnceLock::new();
    COMPRESSED
        .get_or_init(|| {
            let mut icc = Stream::new(
                Dictionary::from_iter(vec![("N", Object::Integer(3))]),
                crate::icc::srgb().to_vec(),
            );
            deflate(&mut icc);
            icc
        })
        .clone()
}

/// Saves `doc` with `drawn` and the images over its first page, the metadata, the PDF/A-3b
/// markers and the attachments.
pub(crate) fn finish(
    doc: &PdfDocument,
    meta: &Meta,
    attachments: &[Attachment<'_>],
    images: &[Placed<'_>],
    drawn: &str,
) -> Result<Vec<u8>, PdfError> {
    let mut pdf = to_lopdf(doc);
    place_images(&mut pdf, images, drawn).map_err(broken)?;
    complete(pdf, meta, attachments)
}

fn broken(e: lopdf::Error) -> PdfError {
    PdfError::Assemble(e.to_string())
}

/// printpdf's document as lopdf's, as PDF 1.7 (PDF/A-3 is based on it).
pub(crate) fn to_lopdf(doc: &PdfDocument) -> lopdf::Document {
    let mut pdf = printpdf::to_lopdf_doc(doc, &PdfSaveOptions::default(), &mut Vec::new());
    pdf.version = "1.7".into();
    pdf
}

/// What finishing adds to a document beyond its new objects: the entries its catalog,
/// its Info dictionary and its trailer take.
pub(crate) struct Finishing {
    pub catalog: Vec<(&'static str, Object)>,
    pub info: Vec<(&'static str, Object)>,
    pub id: Object,
}

/// The Info keys printpdf writes that a PDF/A document does not keep.
pub(crate) const INFO_DROPPED: [&[u8]; 4] =
    [b"GTS_PDFXVersion", b"Identifier", b"Keywords", b"Trapped"];

/// The metadata (XMP, uncompressed), the PDF/A-3b output intent over the sRGB profile `icc`
/// and the attachments (deflated), each object given its id by `add`.
pub(crate) fn finishing(
    meta: &Meta,
    attachments: &[Attachment<'_>],
    icc: lopdf::ObjectId,
    add: &mut dyn FnMut(Object) -> lopdf::ObjectId,
) -> Finishing {
    let xmp_id = add(Object::Stream(
        Stream::new(
            Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Metadata".to_vec())),
                ("Subtype", Object::Name(b"XML".to_vec())),
            ]),
            xmp(meta).into_bytes(),
        )
        // PDF/A: the metadata stream is not filtered, so tools that do not read PDF find it.
        .with_compression(false),
    ));
    let intent = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", text("sRGB")),
        ("Info", text("sRGB IEC61966-2.1")),
        ("DestOutputProfile", Object::Reference(icc)),
    ]);

    let mut files = Vec::new();
    let mut specs = Vec::new();
    for a in attachments {
        let mut stream = Stream::new(
            Dictionary::from_iter(vec![
                ("Type", Object::Name(b"EmbeddedFile".to_vec())),
                ("Subtype", Object::Name(a.mime.as_bytes().to_vec())),
                (
                    "Params",
                    Object::Dictionary(Dictionary::from_iter(vec![
                        ("Size", Object::Integer(a.bytes.len() as i64)),
                        ("ModDate", pdf_date(meta.created)),
                    ])),
                ),
            ]),
            a.bytes.to_vec(),
        );
        deflate_attachment(&mut stream);
        let file_id = add(Object::Stream(stream));
        let spec = add(Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Filespec".to_vec())),
            (
                "F",
                Object::String(a.name.as_bytes().to_vec(), StringFormat::Literal),
            ),
            ("UF", text(&a.name)),
            ("Desc", text(&a.description)),
            ("AFRelationship", Object::Name(b"Data".to_vec())),
            (
                "EF",
                Object::Dictionary(Dictionary::from_iter(vec![
                    ("F", Object::Reference(file_id)),
                    ("UF", Object::Reference(file_id)),
                ])),
            ),
        ])));
        files.push(Object::String(
            a.name.as_bytes().to_vec(),
            StringFormat::Literal,
        ));
        files.push(Object::Reference(spec));
        specs.push(Object::Reference(spec));
    }

    let mut catalog = vec![
        ("Metadata", Object::Reference(xmp_id)),
        (
            "OutputIntents",
            Object::Array(vec![Object::Dictionary(intent)]),
        ),
        (
            "Lang",
            Object::String(b"en".to_vec(), StringFormat::Literal),
        ),
    ];
    if !specs.is_empty() {
        catalog.push((
            "Names",
            Object::Dictionary(Dictionary::from_iter(vec![(
                "EmbeddedFiles",
                Object::Dictionary(Dictionary::from_iter(vec![("Names", Object::Array(files))])),
            )])),
        ));
        catalog.push(("AF", Object::Array(specs)));
    }
    // The Info dictionary printpdf wrote: the metadata in full Unicode, no PDF/X key.
    let info = vec![
        ("Title", text(&meta.title)),
        ("Author", text(&meta.author)),
        ("Subject", text(&meta.subject)),
        ("Creator", text("Credence")),
        ("Producer", text("Credence (printpdf)")),
        ("CreationDate", pdf_date(meta.created)),
        ("ModDate", pdf_date(meta.created)),
    ];
    let id = Object::String(file_id(meta), StringFormat::Hexadecimal);
    Finishing {
        catalog,
        info,
        id: Object::Array(vec![id.clone(), id]),
    }
}

/// Sets `finishing`'s entries in `info`.
pub(crate) fn finish_info(info: &mut Dictionary, finishing: &Finishing) {
    for key in INFO_DROPPED {
        info.remove(key);
    }
    for (key, value) in &finishing.info {
        info.set(*key, value.clone());
    }
}

/// Saves `pdf` with the metadata, the PDF/A-3b markers and the attachments, compressing
/// every stream not compressed yet.
pub(crate) fn complete(
    mut pdf: lopdf::Document,
    meta: &Meta,
    attachments: &[Attachment<'_>],
) -> Result<Vec<u8>, PdfError> {
    let icc = pdf.add_object(icc_stream());
    let finishing = finishing(meta, attachments, icc, &mut |o| pdf.add_object(o));
    let catalog = pdf.catalog_mut().map_err(broken)?;
    for (key, value) in &finishing.catalog {
        catalog.set(*key, value.clone());
    }
    if let Ok(info_ref) = pdf.trailer.get(b"Info").and_then(Object::as_reference) {
        if let Ok(info) = pdf.get_dictionary_mut(info_ref) {
            finish_info(info, &finishing);
        }
    }
    pdf.trailer.set("ID", finishing.id);

    for object in pdf.objects.values_mut() {
        if let Object::Stream(stream) = object {
            if stream.allows_compression {
                deflate(stream);
            }
        }
    }
    let mut out = Vec::new();
    pdf.save_to(&mut out)
        .map_err(|e| PdfError::Assemble(e.to_string()))?;
    Ok(out)
}

/// An indirect object as lopdf writes it (its writer is its own): `N 0 obj`, the object,
/// `endobj`.
pub(crate) fn write_indirect(out: &mut Vec<u8>, id: u32, object: &Object) {
    let _ = writeln!(out, "{id} 0 obj");
    if needs_separator(object) {
        out.push(b' ');
    }
    write_object(out, object);
    if needs_end_separator(object) {
        out.push(b' ');
    }
    out.extend_from_slice(b"\nendobj\n");
}

/// The cross-reference table of objects 0 to `offsets.len() - 1` (object 0 the head of
/// the free list) and the trailer, as lopdf writes them.
pub(crate) fn write_end(out: &mut Vec<u8>, offsets: &[usize], trailer: &Dictionary) {
    let start = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", offsets.len());
    for offset in offsets.iter().skip(1) {
        let _ = writeln!(out, "{offset:>010} 00000 n ");
    }
    out.extend_from_slice(b"trailer\n");
    write_dictionary(out, trailer);
    let _ = write!(out, "\nstartxref\n{start}\n%%EOF");
}

use std::io::Write as _;

fn needs_separator(object: &Object) -> bool {
    matches!(
        object,
        Object::Null
            | Object::Boolean(_)
            | Object::Integer(_)
            | Object::Real(_)
            | Object::Reference(_)
    )
}

fn needs_end_separator(object: &Object) -> bool {
    needs_separator(object) || matches!(object, Object::Name(_) | Object::Stream(_))
}

fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(true) => out.extend_from_slice(b"true"),
        Object::Boolean(false) => out.extend_from_slice(b"false"),
        Object::Integer(v) => {
            let _ = write!(out, "{v}");
        }
        Object::Real(v) => {
            let _ = write!(out, "{v}");
        }
        Object::Name(name) => write_name(out, name),
        Object::String(bytes, StringFormat::Literal) => write_literal(out, bytes),
        Object::String(bytes, StringFormat::Hexadecimal) => {
            const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
            out.push(b'<');
            for b in bytes {
                out.push(DIGITS[usize::from(b >> 4)]);
                out.push(DIGITS[usize::from(b & 0xf)]);
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 && needs_separator(item) {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dictionary(out, dict),
        Object::Stream(stream) => {
            write_dictionary(out, &stream.dict);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((id, generation)) => {
            let _ = write!(out, "{id} {generation} R");
        }
    }
}

fn write_dictionary(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict {
        write_name(out, key);
        if needs_separator(value) {
            out.push(b' ');
        }
        write_object(out, value);
    }
    out.extend_from_slice(b">>");
}

/// A name, white space, delimiters and bytes outside `!`..`~` as `#XX`.
fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            let _ = write!(out, "#{b:02X}");
        } else {
            out.push(b);
        }
    }
}

/// A literal string: backslashes, carriage returns and unbalanced parentheses escaped.
fn write_literal(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut escaped = Vec::new();
    let mut open = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'(' => open.push(i),
            b')' if open.pop().is_none() => escaped.push(i),
            b'\\' | b'\r' => escaped.push(i),
            _ => {}
        }
    }
    escaped.extend(open);
    out.push(b'(');
    for (i, &b) in bytes.iter().enumerate() {
        if escaped.contains(&i) {
            out.push(b'\\');
            out.push(if b == b'\r' { b'r' } else { b });
        } else {
            out.push(b);
        }
    }
    out.push(b')');
}

#[cfg(test)]
mod tests {
    /// A credential's badge image is compressed once and spliced in: each credential comes
    /// out as one zlib stream of exactly its bytes (the checksum checked), the same image
    /// again or another one; a file without a long `data:` URI is left to `zlib`.
    #[test]
    fn an_attached_credentials_image_is_compressed_once_and_spliced_in() {
        let inflate = |z: &[u8]| {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(z), &mut out)
                .expect("one whole zlib stream");
            out
        };
        let credential = |id: &str, image: &str| {
            format!(
                r#"{{"id":"urn:uuid:{id}","image":{{"id":"data:image/png;base64,{image}","type":"Image"}},"name":"Zoë"}}"#
            )
            .into_bytes()
        };
        let badge: String = (0..6000)
            .map(|i| char::from(b'A' + (i * 7 % 26) as u8))
            .collect();
        let other: String = badge.chars().rev().collect();
        for data in [
            credential("1", &badge),
            credential("2", &badge),
            credential("3", &other),
            credential("4", &badge),
        ] {
            let z = super::zlib_spliced(&data).expect("spliced");
            assert_eq!(inflate(&z), data);
            assert!(z.len() < data.len());
        }
        assert_eq!(super::zlib_spliced(&credential("5", "iVBORw0KGgo")), None);
        assert_eq!(super::zlib_spliced(br#"{"id":"urn:uuid:6"}"#), None);
    }

    /// The template's writer writes what lopdf would: every kind of object, names and
    /// strings that need escaping, the cross-reference table and the trailer.
    #[test]
    fn objects_are_written_byte_for_byte_as_lopdf_writes_them() {
        use lopdf::{Dictionary, Object, Stream, StringFormat};
        let mut doc = lopdf::Document::with_version("1.7");
        // A table, as printpdf's documents have.
        doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
        let stream = doc.add_object(Stream::new(
            Dictionary::from_iter(vec![("Filter", Object::Name(b"FlateDecode".to_vec()))]),
            b"\x00\xffbinary\nendstream? no".to_vec(),
        ));
        let odd = Object::Dictionary(Dictionary::from_iter(vec![
            ("Null", Object::Null),
            ("Yes", Object::Boolean(true)),
            ("No", Object::Boolean(false)),
            ("Int", Object::Integer(-42)),
            ("Real", Object::Real(0.125)),
            ("Name", Object::Name(b"A B#(c)/\xe9".to_vec())),
            (
                "Literal",
                Object::String(b"(un)balanced) \\ \r (open".to_vec(), StringFormat::Literal),
            ),
            (
                "Hex",
                Object::String(vec![0xfe, 0xff, 0, 0x41], StringFormat::Hexadecimal),
            ),
            (
                "Array",
                Object::Array(vec![
                    Object::Integer(1),
                    Object::Reference(stream),
                    Object::Name(b"N".to_vec()),
                    Object::Real(2.5),
                    Object::Array(vec![]),
                ]),
            ),
        ]));
        let odd = doc.add_object(odd);
        let bare = doc.add_object(Object::Integer(7));
        let name = doc.add_object(Object::Name(b"Alone".to_vec()));
        let catalog = doc.add_object(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Odd", Object::Reference(odd)),
            (
                "More",
                Object::Array(vec![Object::Reference(bare), Object::Reference(name)]),
            ),
        ]));
        doc.trailer.set("Root", Object::Reference(catalog));
        let mut theirs = Vec::new();
        doc.save_to(&mut theirs).expect("saved");

        let mut ours = format!("%PDF-{}\n%", doc.version).into_bytes();
        ours.extend_from_slice(&doc.binary_mark);
        ours.push(b'\n');
        let mut offsets = vec![0];
        for (&(id, _), object) in &doc.objects {
            offsets.push(ours.len());
            super::write_indirect(&mut ours, id, object);
        }
        let mut trailer = doc.trailer.clone();
        trailer.set("Size", i64::from(doc.max_id + 1));
        super::write_end(&mut ours, &offsets, &trailer);
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
        assert_eq!(ours, theirs);
    }

    #[test]
    fn dates_are_iso_utc() {
        assert_eq!(super::iso_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso_date(1_795_000_000), "2026-11-18T11:06:40Z");
    }
}
