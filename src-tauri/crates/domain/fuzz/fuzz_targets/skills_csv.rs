//! Any text read as a skills list: skills, or problems by line; never a panic.
//! `cargo +nightly fuzz run skills_csv -- -max_total_time=600` (from `src-tauri/crates/domain`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(skills) = credence_domain::formats::skills::parse("ESCO", text) {
        assert!(skills.iter().all(|s| !s.code.is_empty() && !s.name.is_empty()));
    }
});
