//! Any text read as a roster: learners, or problems each named by row; never a panic.
//! `cargo +nightly fuzz run roster_csv -- -max_total_time=600` (from `src-tauri/crates/domain`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match credence_domain::formats::roster::parse(text) {
        Ok(rows) => assert!(!rows.is_empty()),
        Err(credence_domain::DomainError::Invalid(problems)) => assert!(!problems.is_empty()),
    }
});
