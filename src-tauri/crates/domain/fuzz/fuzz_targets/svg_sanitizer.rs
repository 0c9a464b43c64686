//! Any text as an uploaded SVG badge: what the sanitizer keeps is well-formed XML it would keep again unchanged; never a panic.
//! `cargo +nightly fuzz run svg_sanitizer -- -max_total_time=600` (from `src-tauri/crates/domain`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(clean) = credence_domain::attachment::sanitize_svg(text) {
        let again = credence_domain::attachment::sanitize_svg(&clean.svg);
        assert!(again.is_ok(), "the sanitized SVG does not read back: {again:?}");
    }
});
