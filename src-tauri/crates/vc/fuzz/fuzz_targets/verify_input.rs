//! Whatever bytes arrive as a credential file (JSON, PNG, SVG, anything), verification
//! answers with a report and never panics or hangs:
//! `cargo +nightly fuzz run verify_input -- -max_total_time=600`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    // A list that claims to be whatever the credential names, so the index is read too.
    let lookup = |url: &str| {
        let json: Option<serde_json::Value> = serde_json::from_slice(data).ok();
        let issuer = json
            .as_ref()
            .and_then(|c| credence_vc::status_list::issuer_id(c).map(str::to_string))
            .unwrap_or_default();
        Some(
            credence_vc::status_list::StatusList::decode(std::str::from_utf8(data).unwrap_or("u"))
                .map(|list| credence_vc::status_list::PublishedList {
                    id: url.to_string(),
                    issuer,
                    list,
                }),
        )
    };
    let report = credence_vc::verify::verify(data, now, &lookup);
    // Every report says something about the file.
    assert!(!report.checks.is_empty());
});
