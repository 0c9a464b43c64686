//! Any text read as a proposals JSON import: rows and problems; never a panic.
//! `cargo +nightly fuzz run proposals_json -- -max_total_time=600` (from `src-tauri/crates/domain`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rows) = credence_domain::formats::proposals::parse_json(text) {
        for (n, _, _) in &rows.rows {
            assert!(*n >= 1);
        }
    }
});
