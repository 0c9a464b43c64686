//! Text placed in the XML Credence writes (badge SVG, the sanitized copy of an uploaded SVG,
//! PDF metadata). XML 1.0 forbids most control characters and U+FFFE / U+FFFF even as
//! character references, so a name holding one would make the whole image unreadable: such
//! characters are left out, and markup characters are escaped.

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
pub fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` as XML character data; with `attribute`, also safe inside a double-quoted value.
pub fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out, attribute);
    out
}

/// `escape`, appending to `out`.
pub fn escape_into(text: &str, out: &mut String, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_characters_xml_forbids_are_left_out() {
        assert_eq!(
            escape("R&D <Robots> \"x\"\u{0}\u{1b}\u{FFFE}\u{FFFF}\tok", true),
            "R&amp;D &lt;Robots&gt; &quot;x&quot;\tok"
        );
        assert_eq!(escape("a\"b", false), "a\"b");
        assert_eq!(escape("王小明 محمد 😀", false), "王小明 محمد 😀");
    }
}
