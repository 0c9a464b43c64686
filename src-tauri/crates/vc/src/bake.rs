//! Baking a credential into a badge image, and reading it back (Open Badges 3.0, "Baking").
//!
//! PNG: one uncompressed `iTXt` chunk with the keyword `openbadgecredential`, before `IEND`.
//! SVG: `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"` on the root element and one
//! `<openbadges:credential>` element holding the JSON in CDATA.

use crate::VcError;

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
const KEYWORD: &[u8] = b"openbadgecredential";
const SVG_NS: &str = "https://purl.imsglobal.org/ob/v3p0";

fn malformed(what: &str) -> VcError {
    VcError::Malformed(what.into())
}

/// One PNG chunk: its type and its data.
type Chunk<'a> = ([u8; 4], &'a [u8]);

/// The chunks of a PNG, checked for length and CRC.
pub(crate) fn png_chunks(png: &[u8]) -> Result<Vec<Chunk<'_>>, VcError> {
    let mut rest = png
        .strip_prefix(PNG_SIGNATURE)
        .ok_or_else(|| malformed("the file is not a PNG image"))?;
    let mut chunks = Vec::new();
    while !rest.is_empty() {
        if rest.len() < 12 {
            return Err(malformed("the PNG image is truncated"));
        }
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if rest.len() < 12 + len {
            return Err(malformed("the PNG image is truncated"));
        }
        let kind = [rest[4], rest[5], rest[6], rest[7]];
        let data = &rest[8..8 + len];
        let crc =
            u32::from_be_bytes([rest[8 + len], rest[9 + len], rest[10 + len], rest[11 + len]]);
        let mut h = crc32fast::Hasher::new();
        h.update(&kind);
        h.update(data);
        if h.finalize() != crc {
            return Err(malformed(
                "the PNG image is damaged (a chunk's checksum does not match)",
            ));
        }
        chunks.push((kind, data));
        rest = &rest[12 + len..];
        if &kind == b"IEND" {
            break;
        }
    }
    if chunks.last().map(|(k, _)| k) != Some(b"IEND") {
        return Err(malformed("the PNG image has no end (IEND)"));
    }
    Ok(chunks)
}

fn is_credential_chunk(kind: &[u8; 4], data: &[u8]) -> bool {
    kind == b"iTXt" && data.starts_with(KEYWORD) && data.get(KEYWORD.len()) == Some(&0)
}

fn write_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut h = crc32fast::Hasher::new();
    h.update(kind);
    h.update(data);
    out.extend_from_slice(&h.finalize().to_be_bytes());
}

/// A copy of `png` carrying `credential_json`, replacing any credential it already carried.
pub fn bake_png(png: &[u8], credential_json: &str) -> Result<Vec<u8>, VcError> {
    let chunks = png_chunks(png)?;
    let mut out = PNG_SIGNATURE.to_vec();
    for (kind, data) in chunks {
        if is_credential_chunk(&kind, data) {
            continue;
        }
        if &kind == b"IEND" {
            // keyword, NUL, compression flag 0, method 0, empty language, NUL, empty
            // translated keyword, NUL, then the text.
            let mut itxt = KEYWORD.to_vec();
            itxt.extend_from_slice(&[0, 0, 0, 0, 0]);
            itxt.extend_from_slice(credential_json.as_bytes());
            write_chunk(&mut out, b"iTXt", &itxt);
        }
        write_chunk(&mut out, &kind, data);
    }
    Ok(out)
}

/// The credential JSON baked into a PNG.
pub fn unbake_png(png: &[u8]) -> Result<String, VcError> {
    let chunks = png_chunks(png)?;
    let mut found = chunks.iter().filter(|(k, d)| is_credential_chunk(k, d));
    let (_, data) = found
        .next()
        .ok_or_else(|| malformed("the PNG image carries no Open Badges credential"))?;
    if found.next().is_some() {
        return Err(malformed("the PNG image carries more than one credential"));
    }
    let rest = &data[KEYWORD.len() + 1..];
    let (&flag, rest) = rest
        .split_first()
        .ok_or_else(|| malformed("the credential chunk is truncated"))?;
    if flag != 0 {
        return Err(malformed(
            "the credential chunk is compressed; Open Badges requires it uncompressed",
        ));
    }
    // Skip the compression method, then the language tag and translated keyword (NUL-ended).
    let rest = rest
        .get(1..)
        .ok_or_else(|| malformed("the credential chunk is truncated"))?;
    let mut parts = rest.splitn(3, |b| *b == 0);
    let (_lang, _translated, text) = (parts.next(), parts.next(), parts.next());
    let text = text.ok_or_else(|| malformed("the credential chunk is truncated"))?;
    String::from_utf8(text.to_vec())
        .map_err(|_| malformed("the baked credential is not UTF-8 text"))
}

/// A copy of `svg` carrying `credential_json`, replacing any credential it already carried.
pub fn bake_svg(svg: &str, credential_json: &str) -> Result<String, VcError> {
    let svg = remove_svg_credential(svg)?;
    let start = svg
        .find("<svg")
        .ok_or_else(|| malformed("the file is not an SVG image (no <svg> element)"))?;
    let open_end = start
        + tag_end(&svg[start..]).ok_or_else(|| malformed("the SVG root element is not closed"))?;
    let mut root = svg[start..open_end].to_string();
    let self_closing = root.ends_with('/');
    if self_closing {
        root.pop();
    }
    if !root.contains("xmlns:openbadges=") {
        root.push_str(&format!(" xmlns:openbadges=\"{SVG_NS}\""));
    }
    let element = format!(
        "<openbadges:credential><![CDATA[{}]]></openbadges:credential>",
        cdata_text(credential_json)
    );
    let body = if self_closing {
        format!("{root}>{element}</svg>")
    } else {
        format!("{root}>{element}")
    };
    Ok(format!("{}{body}{}", &svg[..start], &svg[open_end + 1..]))
}

/// The JSON as CDATA content. A character XML forbids (U+FFFE, U+FFFF; JSON already escapes
/// control characters) can only stand inside a JSON string, so it is written as its `\uXXXX`
/// escape: the JSON value, and so the signature, is unchanged. `]]>` splits the section.
fn cdata_text(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if xml_allowed(c) {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out.replace("]]>", "]]]]><![CDATA[>")
}

/// XML 1.0's `Char` production.
fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The index of the `>` that closes the tag starting `text`, skipping quoted attributes.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

const OPEN: &str = "<openbadges:credential";
const CLOSE: &str = "</openbadges:credential>";

/// The first credential element at or after `from`: where it starts, where it ends (just
/// past its closing tag), and the JSON its CDATA sections hold. The sections are read one by
/// one, so a closing tag written inside the JSON (a learner named
/// `</openbadges:credential>`) is text, not the end of the element.
fn credential_element(svg: &str, from: usize) -> Option<Result<(usize, usize, String), VcError>> {
    let start = from + svg[from..].find(OPEN)?;
    Some(read_element(svg, start).map(|(end, text)| (start, end, text)))
}

fn read_element(svg: &str, start: usize) -> Result<(usize, String), VcError> {
    let after = &svg[start..];
    let open = tag_end(after).ok_or_else(|| malformed("the credential element is not closed"))?;
    let mut pos = start + open + 1;
    let mut text = String::new();
    loop {
        let rest = &svg[pos..];
        let trimmed = rest.trim_start();
        pos += rest.len() - trimmed.len();
        if let Some(body) = trimmed.strip_prefix("<![CDATA[") {
            let close = body
                .find("]]>")
                .ok_or_else(|| malformed("the CDATA section is not closed"))?;
            text.push_str(&body[..close]);
            pos += "<![CDATA[".len() + close + 3;
        } else if trimmed.starts_with(CLOSE) {
            return Ok((pos + CLOSE.len(), text));
        } else if trimmed.is_empty() {
            return Err(malformed("the credential element is not closed"));
        } else {
            return Err(malformed("the credential element does not hold CDATA"));
        }
    }
}

fn remove_svg_credential(svg: &str) -> Result<String, VcError> {
    let mut out = svg.to_string();
    while let Some(found) = credential_element(&out, 0) {
        let (start, end, _) = found?;
        out.replace_range(start..end, "");
    }
    Ok(out)
}

/// The credential JSON baked into an SVG.
pub fn unbake_svg(svg: &str) -> Result<String, VcError> {
    let (_, end, text) = credential_element(svg, 0)
        .ok_or_else(|| malformed("the SVG image carries no Open Badges credential"))??;
    if svg[end..].contains(OPEN) {
        return Err(malformed("the SVG image carries more than one credential"));
    }
    Ok(text)
}

/// The most any one stream of a PDF may inflate to while it loads.
const MAX_PDF_STREAM_BYTES: usize = 4 * 1024 * 1024;
/// The most object and cross-reference streams a PDF may have (Credence writes none).
const MAX_PDF_PACKED_STREAMS: usize = 32;

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// Reads the credential attached to a Credence certificate PDF: the embedded file named
/// `credential.json` (PDF/A-3 associated file). lopdf parses untrusted bytes; a panic in
/// it is caught and reported as a malformed file.
pub fn unbake_pdf(pdf: &[u8]) -> Result<String, VcError> {
    let bad = |m: String| VcError::Malformed(format!("the PDF {m}"));
    // Object and cross-reference streams are inflated while the file loads: each is bounded,
    // and so is their number, so a small file cannot expand into gigabytes.
    let packed = count(pdf, b"/ObjStm") + count(pdf, b"/XRef");
    if packed > MAX_PDF_PACKED_STREAMS {
        return Err(bad(format!(
            "packs its objects into {packed} streams; a certificate has at most {MAX_PDF_PACKED_STREAMS}"
        )));
    }
    let options = lopdf::LoadOptions::with_max_decompressed_size(MAX_PDF_STREAM_BYTES);
    let doc = std::panic::catch_unwind(|| lopdf::Document::load_mem_with_options(pdf, options))
        .map_err(|_| bad("cannot be read".into()))?
        .map_err(|e| bad(format!("cannot be read ({e})")))?;
    let names = doc
        .catalog()
        .and_then(|c| c.get(b"Names"))
        .and_then(|o| doc.dereference(o).map(|(_, o)| o))
        .and_then(lopdf::Object::as_dict)
        .and_then(|d| d.get(b"EmbeddedFiles"))
        .and_then(|o| doc.dereference(o).map(|(_, o)| o))
        .and_then(lopdf::Object::as_dict)
        .and_then(|d| d.get(b"Names"))
        .and_then(|o| doc.dereference(o).map(|(_, o)| o))
        .and_then(lopdf::Object::as_array)
        .map_err(|_| bad("carries no credential (no attached files)".into()))?;
    for pair in names.chunks(2) {
        let [name, spec] = pair else { continue };
        if name.as_str().ok() != Some(b"credential.json".as_slice()) {
            continue;
        }
        let stream = doc
            .dereference(spec)
            .map(|(_, o)| o)
            .and_then(lopdf::Object::as_dict)
            .and_then(|d| d.get(b"EF"))
            .and_then(|o| doc.dereference(o).map(|(_, o)| o))
            .and_then(lopdf::Object::as_dict)
            .and_then(|d| d.get(b"F"))
            .and_then(|o| doc.dereference(o).map(|(_, o)| o))
            .and_then(lopdf::Object::as_stream)
            .map_err(|e| bad(format!("has a damaged credential.json ({e})")))?;
        let too_large = || bad("carries a credential.json too large to be a credential".into());
        let bytes = match std::panic::catch_unwind(|| {
            stream.decompressed_content_with_limit(crate::verify::MAX_INPUT_BYTES)
        }) {
            Err(_) => return Err(bad("has a damaged credential.json".into())),
            Ok(Ok(bytes)) => bytes,
            Ok(Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            }))) => return Err(too_large()),
            // Not compressed (or with a filter lopdf does not apply): the bytes as stored.
            Ok(Err(_)) => stream.content.clone(),
        };
        if bytes.len() > crate::verify::MAX_INPUT_BYTES {
            return Err(too_large());
        }
        return String::from_utf8(bytes)
            .map_err(|_| bad("carries a credential.json that is not text".into()));
    }
    Err(bad("carries no credential.json".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1x1 PNG written by hand: signature, IHDR, IDAT, IEND.
    fn tiny_png() -> Vec<u8> {
        let mut out = PNG_SIGNATURE.to_vec();
        write_chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
        write_chunk(
            &mut out,
            b"IDAT",
            &[0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0, 1],
        );
        write_chunk(&mut out, b"IEND", &[]);
        out
    }

    #[test]
    fn a_png_carries_exactly_one_credential_and_gives_it_back() {
        let json = r#"{"id":"urn:uuid:1","name":"Ünïcode ✓"}"#;
        let baked = bake_png(&tiny_png(), json).unwrap_or_default();
        assert_eq!(unbake_png(&baked).ok().as_deref(), Some(json));
        let rebaked = bake_png(&baked, "{}").unwrap_or_default();
        assert_eq!(unbake_png(&rebaked).ok().as_deref(), Some("{}"));
        assert!(unbake_png(&tiny_png()).is_err());
    }

    #[test]
    fn a_damaged_png_is_refused() {
        let mut baked = bake_png(&tiny_png(), "{}").unwrap_or_default();
        let n = baked.len();
        baked[n - 20] ^= 1;
        assert!(unbake_png(&baked).is_err());
        assert!(unbake_png(&baked[..n - 5]).is_err());
        assert!(unbake_png(b"GIF89a").is_err());
    }

    #[test]
    fn an_svg_carries_the_credential_in_cdata_even_when_the_json_contains_its_end() {
        let svg = r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" data-x="a>b"><circle r="1"/></svg>"#;
        let json = r#"{"narrative":"a]]>b"}"#;
        let baked = bake_svg(svg, json).unwrap_or_default();
        assert!(baked.contains(r#"xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0""#));
        assert!(baked.contains(r#"data-x="a>b""#));
        assert_eq!(unbake_svg(&baked).ok().as_deref(), Some(json));
        let rebaked = bake_svg(&baked, "{}").unwrap_or_default();
        assert_eq!(rebaked.matches("<openbadges:credential>").count(), 1);
        assert!(bake_svg("<html/>", json).is_err());
    }

    /// A PDF whose attached `credential.json` is `json`, deflated.
    fn pdf_carrying(json: &[u8]) -> Vec<u8> {
        use lopdf::{dictionary, Document, Object, Stream};
        use std::io::Write as _;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(json).unwrap_or_default();
        let deflated = z.finish().unwrap_or_default();
        let mut doc = Document::with_version("1.7");
        let file = doc.add_object(Stream::new(
            dictionary! {"Type" => "EmbeddedFile", "Filter" => "FlateDecode"},
            deflated,
        ));
        let spec = doc.add_object(dictionary! {
            "Type" => "Filespec",
            "F" => Object::string_literal("credential.json"),
            "EF" => dictionary! {"F" => file},
        });
        let names = doc.add_object(dictionary! {
            "EmbeddedFiles" => dictionary! {
                "Names" => vec![Object::string_literal("credential.json"), spec.into()],
            },
        });
        let pages = doc.add_object(dictionary! {"Type" => "Pages", "Kids" => vec![], "Count" => 0});
        let catalog =
            doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages, "Names" => names});
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap_or_default();
        out
    }

    #[test]
    fn a_pdf_whose_attachment_inflates_past_the_limit_is_refused() {
        assert_eq!(
            unbake_pdf(&pdf_carrying(br#"{"id":"urn:uuid:1"}"#))
                .ok()
                .as_deref(),
            Some(r#"{"id":"urn:uuid:1"}"#)
        );
        // 64 MB of spaces deflate to about 64 KB.
        let bomb = pdf_carrying(&vec![b' '; 64 * 1024 * 1024]);
        assert!(bomb.len() < 200 * 1024, "{}", bomb.len());
        let e = unbake_pdf(&bomb)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("too large to be a credential"), "{e}");
        // So many packed streams is not a certificate, whatever they hold.
        let packed = [b"%PDF-1.7\n".as_slice(), &b"<</Type/ObjStm>>".repeat(40)].concat();
        let e = unbake_pdf(&packed)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("packs its objects into 40 streams"), "{e}");
    }

    #[test]
    fn a_name_holding_the_closing_tag_or_characters_xml_forbids_bakes_and_unbakes_intact() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>"#;
        let value = serde_json::json!({
            "name": "Eve </openbadges:credential><script>x</script> ]]> \u{FFFF}\u{FFFE} end",
            "other": "<![CDATA[ nested ]]>",
        });
        let json = serde_json::to_string(&value).unwrap_or_default();
        let baked = bake_svg(svg, &json).unwrap_or_default();
        // Still well-formed XML, carrying one credential element...
        let doc = roxmltree::Document::parse(&baked);
        assert!(doc.is_ok(), "{doc:?}\n{baked}");
        assert_eq!(baked.matches("<circle").count(), 1);
        // ...whose JSON is the same value (the forbidden characters as escapes).
        let back = unbake_svg(&baked).unwrap_or_default();
        let parsed: serde_json::Value = serde_json::from_str(&back).unwrap_or_default();
        assert_eq!(parsed, value);
        // Baking again replaces it whole.
        let rebaked = bake_svg(&baked, "{}").unwrap_or_default();
        assert_eq!(unbake_svg(&rebaked).ok().as_deref(), Some("{}"));
        assert!(!rebaked.contains("Eve"));
    }
}
