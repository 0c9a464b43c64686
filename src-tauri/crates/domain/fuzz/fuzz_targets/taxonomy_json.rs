//! Any text read as a taxonomy file: terms that pass their checks, or problems; never a panic.
//! `cargo +nightly fuzz run taxonomy_json -- -max_total_time=600` (from `src-tauri/crates/domain`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(t) = credence_domain::formats::taxonomy::parse(text) {
        assert!(t
            .terms
            .iter()
            .all(|term| credence_domain::taxonomy::check_term(term).is_ok()));
    }
});
