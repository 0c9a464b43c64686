//! Any text read as a proposals CSV import: rows and problems by row; never a panic.
//! `cargo +nightly fuzz run proposals_csv -- -max_total_time=600` (from `src-tauri/crates/domain`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rows) = credence_domain::formats::proposals::parse_csv(text) {
        assert!(!rows.rows.is_empty() || !rows.problems.is_empty());
        for (n, _, _) in &rows.rows {
            assert!(*n >= 2, "row 1 is the header");
        }
    }
});
