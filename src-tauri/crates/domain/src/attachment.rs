//! Files attached to proposals, and custom badge images: what may be attached (by content,
//! not by name alone), and the SVG sanitizer. Pure: the bytes come in, a verdict goes out.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// A file kept in the workspace, named by the SHA-256 of its bytes. Proposals hold these;
/// the bytes live once in the store however many proposals and versions refer to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttachmentRef {
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    /// The file name as the proposer gave it (no directories).
    pub name: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub size: u64,
}

/// The attachment size limit a new workspace starts with (a setting).
pub const DEFAULT_MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;
/// The largest custom badge image accepted.
pub const MAX_BADGE_BYTES: usize = 512 * 1024;
/// The largest side of a custom PNG badge.
pub const MAX_BADGE_SIDE: u32 = 2048;

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Kinds of document a proposal may carry: (extensions, media type, magic check).
const KINDS: &[(&[&str], &str, Magic)] = &[
    (&["pdf"], "application/pdf", Magic::Prefix(b"%PDF-")),
    (&["png"], "image/png", Magic::Prefix(b"\x89PNG\r\n\x1a\n")),
    (
        &["jpg", "jpeg"],
        "image/jpeg",
        Magic::Prefix(b"\xff\xd8\xff"),
    ),
    (
        &["docx"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Magic::Zip,
    ),
    (
        &["xlsx"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Magic::Zip,
    ),
    (
        &["pptx"],
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        Magic::Zip,
    ),
    (
        &["odt"],
        "application/vnd.oasis.opendocument.text",
        Magic::Zip,
    ),
    (
        &["ods"],
        "application/vnd.oasis.opendocument.spreadsheet",
        Magic::Zip,
    ),
    (
        &["odp"],
        "application/vnd.oasis.opendocument.presentation",
        Magic::Zip,
    ),
    (&["doc"], "application/msword", Magic::Ole),
    (&["xls"], "application/vnd.ms-excel", Magic::Ole),
    (&["txt"], "text/plain", Magic::Text),
    (&["csv"], "text/csv", Magic::Text),
    (&["md"], "text/markdown", Magic::Text),
];

#[derive(Debug, Clone, Copy)]
enum Magic {
    Prefix(&'static [u8]),
    Zip,
    Ole,
    Text,
}

impl Magic {
    fn holds(self, bytes: &[u8]) -> bool {
        match self {
            Magic::Prefix(p) => bytes.starts_with(p),
            Magic::Zip => bytes.starts_with(b"PK\x03\x04"),
            Magic::Ole => bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
            Magic::Text => std::str::from_utf8(bytes).is_ok_and(|s| !s.contains('\0')),
        }
    }
}

/// Starts of programs, which are refused whatever the file is called.
const PROGRAMS: &[&[u8]] = &[
    b"\x7fELF",
    b"MZ",
    b"#!",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
];

/// The accepted kinds, for messages and the file picker.
pub fn accepted_extensions() -> Vec<&'static str> {
    KINDS
        .iter()
        .flat_map(|(exts, _, _)| exts.iter().copied())
        .collect()
}

/// Keeps only the last component of a path and refuses names no file system would show
/// plainly. Returns the cleaned name.
pub fn clean_name(name: &str) -> Result<String, String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if base.is_empty() || base == "." || base == ".." {
        return Err("the file has no name".into());
    }
    if base.chars().any(char::is_control) {
        return Err(format!("the name {base:?} contains control characters"));
    }
    if base.chars().count() > 200 {
        return Err("the file name is longer than 200 characters".into());
    }
    Ok(base.to_string())
}

/// Checks a reference that arrives already made (an imported proposal, a stored one read
/// back): its name must be a bare file name exactly as `clean_name` would leave it (no
/// folder, no `..`, no absolute path, no control characters), and its hash a SHA-256 in
/// lower-case hex. The name is what a copy for the system's viewer is written under.
pub fn check_ref(r: &AttachmentRef) -> Result<(), String> {
    match clean_name(&r.name) {
        Ok(clean) if clean == r.name => {}
        Ok(_) => {
            return Err(format!(
                "the name {:?} holds a folder; an attachment is named by its file name alone",
                r.name
            ))
        }
        Err(m) => return Err(m),
    }
    if r.sha256.len() != 64
        || !r
            .sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(format!(
            "{}: {:?} is not a SHA-256 (64 lower-case hex digits)",
            r.name, r.sha256
        ));
    }
    Ok(())
}

/// Decides what a file is from its name and its bytes, and refuses anything that is not a
/// document kind we accept (programs above all). Returns the media type.
pub fn classify(name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.is_empty() {
        return Err(format!("{name} is empty"));
    }
    if PROGRAMS.iter().any(|p| bytes.starts_with(p)) {
        return Err(format!(
            "{name} is a program or script; programs are never attached"
        ));
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, media, magic)) = KINDS
        .iter()
        .find(|(exts, _, _)| exts.contains(&ext.as_str()))
    else {
        return Err(format!(
            "{name}: files of this type are not accepted; attach one of {}",
            accepted_extensions().join(", ")
        ));
    };
    if !magic.holds(bytes) {
        return Err(format!(
            "{name} is named .{ext} but its content is not a .{ext} file"
        ));
    }
    Ok(media)
}

/// Checks a custom badge image: PNG (decoded whole, at most [`MAX_BADGE_SIDE`] a side) or
/// SVG (sanitized). Returns the media type and the bytes to keep, with what was removed.
pub fn check_badge_image(name: &str, bytes: &[u8]) -> Result<BadgeUpload, String> {
    if bytes.len() > MAX_BADGE_BYTES {
        return Err(format!(
            "{name} is {} KB; a badge image may be at most {} KB",
            bytes.len().div_ceil(1024),
            MAX_BADGE_BYTES / 1024
        ));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        // The size is read from the header before a pixel is decoded: a small file that
        // declares a huge image is refused without inflating it.
        crate::certificate::check_image(bytes, "custom_badge", MAX_BADGE_BYTES, MAX_BADGE_SIDE)
            .map_err(|e| {
                let crate::DomainError::Invalid(f) = e;
                let why = f
                    .into_iter()
                    .map(|f| f.message)
                    .collect::<Vec<_>>()
                    .join("; ");
                format!("{name}: {why}")
            })?;
        return Ok(BadgeUpload {
            media_type: "image/png",
            bytes: bytes.to_vec(),
            removed: Vec::new(),
        });
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| format!("{name} is neither a PNG nor an SVG image"))?;
    let clean = sanitize_svg(text).map_err(|e| format!("{name}: {e}"))?;
    Ok(BadgeUpload {
        media_type: "image/svg+xml",
        bytes: clean.svg.into_bytes(),
        removed: clean.removed,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadgeUpload {
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
    /// What the sanitizer took out, in words.
    pub removed: Vec<String>,
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Drawing elements kept by the sanitizer; everything else (script, foreignObject, style
/// sheets, animation that could set links, elements of other namespaces) goes, subtree and all.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "title",
    "desc",
    "symbol",
    "use",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "pattern",
    "marker",
    "image",
    "filter",
    "feGaussianBlur",
    "feOffset",
    "feBlend",
    "feColorMatrix",
    "feFlood",
    "feComposite",
    "feMerge",
    "feMergeNode",
    "feDropShadow",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanitizedSvg {
    pub svg: String,
    pub removed: Vec<String>,
}

/// Rewrites an SVG keeping only drawing elements and their presentation attributes: no
/// scripts, no event handlers, no style sheets, and no reference outside the file (links
/// stay only when they point inside it, `#id`, or embed a PNG or JPEG as a `data:` URL).
/// A DTD is refused outright (no entity expansion).
pub fn sanitize_svg(text: &str) -> Result<SanitizedSvg, String> {
    let doc = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            ..Default::default()
        },
    )
    .map_err(|e| format!("the SVG cannot be read ({e})"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" || root.tag_name().namespace() != Some(SVG_NS) {
        return Err("the file is not an SVG image (its root is not an <svg> element)".into());
    }
    let mut out = String::with_capacity(text.len());
    let mut removed = Vec::new();
    write_element(root, &mut out, &mut removed, true);
    Ok(SanitizedSvg { svg: out, removed })
}

fn write_element(
    node: roxmltree::Node,
    out: &mut String,
    removed: &mut Vec<String>,
    is_root: bool,
) {
    let name = node.tag_name().name();
    if node.tag_name().namespace() != Some(SVG_NS) || !ELEMENTS.contains(&name) {
        removed.push(format!("the <{name}> element"));
        return;
    }
    if name == "image" {
        // An image whose only picture is outside the file is nothing but a tracker.
        let link = node
            .attributes()
            .find(|a| a.name() == "href")
            .map(|a| a.value())
            .unwrap_or("");
        if !safe_link(name, link) {
            removed.push(format!("the <image> element linking to {}", short(link)));
            return;
        }
    }
    out.push('<');
    out.push_str(name);
    if is_root {
        out.push_str(&format!(" xmlns=\"{SVG_NS}\" xmlns:xlink=\"{XLINK_NS}\""));
    }
    for attr in node.attributes() {
        let (ns, local, value) = (attr.namespace(), attr.name(), attr.value());
        let qualified = match ns {
            None => local.to_string(),
            Some(XLINK_NS) if local == "href" => "xlink:href".into(),
            Some(XML_NS) if local == "space" || local == "lang" => format!("xml:{local}"),
            Some(_) => {
                removed.push(format!("the {local} attribute on <{name}>"));
                continue;
            }
        };
        let lower = local.to_ascii_lowercase();
        if lower.starts_with("on") {
            removed.push(format!("the {local} handler on <{name}>"));
            continue;
        }
        if lower == "href" && !safe_link(name, value) {
            removed.push(format!("the link {} on <{name}>", short(value)));
            continue;
        }
        if has_outside_url(value) {
            removed.push(format!("the reference {} on <{name}>", short(value)));
            continue;
        }
        out.push(' ');
        out.push_str(&qualified);
        out.push_str("=\"");
        crate::xml::escape_into(value, out, true);
        out.push('"');
    }
    out.push('>');
    for child in node.children() {
        if child.is_element() {
            write_element(child, out, removed, false);
        } else if child.is_text() {
            crate::xml::escape_into(child.text().unwrap_or(""), out, false);
        }
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// `#id` inside the file, or an embedded PNG/JPEG on `<image>`.
fn safe_link(element: &str, value: &str) -> bool {
    let v = value.trim();
    v.starts_with('#')
        || (element == "image"
            && (v.starts_with("data:image/png;base64,")
                || v.starts_with("data:image/jpeg;base64,")))
}

/// `url(...)` anywhere in a value that does not point at `#id` (fill, filter, style).
fn has_outside_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if lower.contains("@import") || lower.contains("expression(") {
        return true;
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        let inner = rest[at + 4..].trim_start().trim_start_matches(['"', '\'']);
        if !inner.starts_with('#') {
            return true;
        }
        rest = &rest[at + 4..];
    }
    false
}

fn short(value: &str) -> String {
    let v: String = value.chars().take(60).collect();
    if v.len() < value.len() {
        format!("{v:?}…")
    } else {
        format!("{v:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_naming_a_folder_or_a_bad_hash_is_refused() {
        let r = |name: &str, sha: &str| AttachmentRef {
            sha256: sha.into(),
            name: name.into(),
            media_type: "text/plain".into(),
            size: 1,
        };
        let sha = "a".repeat(64);
        assert_eq!(check_ref(&r("syllabus.pdf", &sha)), Ok(()));
        for name in [
            "../../x.txt",
            "/etc/passwd",
            "C:\\x.txt",
            "a/b.txt",
            "..",
            " x.txt",
            "x\n.txt",
        ] {
            assert!(check_ref(&r(name, &sha)).is_err(), "{name:?} accepted");
        }
        assert!(check_ref(&r("x.txt", "A".repeat(64).as_str())).is_err());
        assert!(check_ref(&r("x.txt", "../../etc")).is_err());
    }

    /// A PNG that declares `side` x `side` pixels and holds almost nothing.
    fn declared_png(side: u32) -> Vec<u8> {
        fn crc(bytes: &[u8]) -> u32 {
            let mut c = 0xffff_ffffu32;
            for b in bytes {
                c ^= u32::from(*b);
                for _ in 0..8 {
                    c = if c & 1 == 1 {
                        0xedb8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    };
                }
            }
            !c
        }
        let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
            out.extend((data.len() as u32).to_be_bytes());
            let body = [kind, data].concat();
            out.extend(&body);
            out.extend(crc(&body).to_be_bytes());
        };
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let ihdr = [
            side.to_be_bytes().as_slice(),
            &side.to_be_bytes(),
            &[8, 6, 0, 0, 0],
        ]
        .concat();
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(
            &mut out,
            b"IDAT",
            &[0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0, 1],
        );
        chunk(&mut out, b"IEND", &[]);
        out
    }

    #[test]
    fn a_png_badge_declaring_a_huge_image_is_refused_from_its_header() {
        let e = check_badge_image("bomb.png", &declared_png(60_000))
            .err()
            .unwrap_or_default();
        assert!(e.contains("60000x60000 pixels"), "{e}");
        assert!(e.starts_with("bomb.png: "), "{e}");
    }

    #[test]
    fn documents_are_told_by_their_content() {
        assert_eq!(
            classify("syllabus.pdf", b"%PDF-1.7\n..."),
            Ok("application/pdf")
        );
        assert_eq!(classify("notes.TXT", b"plain words"), Ok("text/plain"));
        assert!(classify("syllabus.pdf", b"<html>")
            .unwrap_err()
            .contains("not a .pdf"));
        assert!(classify("notes.txt", b"a\0b").is_err(), "binary named .txt");
        assert!(classify("run.exe", b"MZ\x90\x00")
            .unwrap_err()
            .contains("program"));
        assert!(
            classify("innocent.pdf", b"\x7fELF\x02")
                .unwrap_err()
                .contains("program"),
            "a program is refused whatever its name"
        );
        assert!(classify("install.sh", b"#!/bin/sh\nrm -rf /").is_err());
        assert!(classify("page.html", b"<html>")
            .unwrap_err()
            .contains("not accepted"));
        assert!(classify("empty.pdf", b"").unwrap_err().contains("empty"));
    }

    #[test]
    fn names_lose_their_directories() {
        assert_eq!(
            clean_name("C:\\Users\\me\\plan.pdf").as_deref(),
            Ok("plan.pdf")
        );
        assert_eq!(clean_name("../../etc/passwd").as_deref(), Ok("passwd"));
        assert!(clean_name("dir/").is_err());
        assert!(clean_name("a\nb.pdf").is_err());
    }

    #[test]
    fn the_sanitizer_keeps_the_drawing_and_drops_every_way_out() {
        let dirty = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
              xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 10 10" onload="alert(1)">
            <script>alert(2)</script>
            <style>@import url(https://evil.example/x.css);</style>
            <defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/></linearGradient></defs>
            <circle cx="5" cy="5" r="4" fill="url(#g)" inkscape:label="c"/>
            <rect width="1" height="1" fill="url(https://evil.example/p)" style="fill:red"/>
            <image href="https://evil.example/track.png" width="1" height="1"/>
            <image xlink:href="file:///etc/passwd" width="1" height="1"/>
            <use xlink:href="#g"/>
            <a href="javascript:alert(3)"><text>hi</text></a>
            <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
            <text x="1" y="9">A &amp; B</text>
        </svg>"##;
        let clean = sanitize_svg(dirty).unwrap();
        for gone in [
            "script",
            "alert",
            "evil",
            "style>",
            "foreignObject",
            "passwd",
            "javascript",
            "inkscape",
            "onload",
        ] {
            assert!(!clean.svg.contains(gone), "{gone} survived: {}", clean.svg);
        }
        for kept in [
            "<circle",
            "fill=\"url(#g)\"",
            "xlink:href=\"#g\"",
            "A &amp; B",
            "style=\"fill:red\"",
        ] {
            assert!(clean.svg.contains(kept), "{kept} was lost: {}", clean.svg);
        }
        assert!(clean.removed.iter().any(|r| r.contains("<script>")));
        assert!(clean.removed.iter().any(|r| r.contains("onload")));
        // The output parses again and sanitizes to itself.
        let again = sanitize_svg(&clean.svg).unwrap();
        assert_eq!(again.svg, clean.svg);
        assert!(again.removed.is_empty());
    }

    #[test]
    fn entity_bombs_and_non_svg_are_refused() {
        let bomb = r#"<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>
            <svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>"#;
        assert!(sanitize_svg(bomb).is_err());
        assert!(sanitize_svg("<html/>").unwrap_err().contains("not an SVG"));
        assert!(sanitize_svg("<svg>").is_err(), "unclosed");
    }

    #[test]
    fn badge_uploads_are_png_or_clean_svg_within_limits() {
        let mut png = Vec::new();
        image::RgbaImage::new(64, 64)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert_eq!(
            check_badge_image("b.png", &png).unwrap().media_type,
            "image/png"
        );
        assert!(check_badge_image("b.png", &png[..png.len() - 20]).is_err());
        let svg = check_badge_image(
            "b.svg",
            br#"<svg xmlns="http://www.w3.org/2000/svg"><script>x</script><rect width="2" height="2"/></svg>"#,
        )
        .unwrap();
        assert_eq!(svg.media_type, "image/svg+xml");
        assert_eq!(svg.removed, vec!["the <script> element".to_string()]);
        assert!(check_badge_image("b.gif", b"GIF89a").is_err());
        assert!(
            check_badge_image("big.svg", &vec![b' '; MAX_BADGE_BYTES + 1])
                .unwrap_err()
                .contains("at most 512 KB")
        );
    }
}
