//! The window's allow-list: every command the shell registers is listed once in build.rs
//! (which makes its `allow-` permission) and granted in the main window's capability, and
//! nothing else is granted. A command missing from either list would be refused at run time;
//! an extra grant would be a permission nobody decided on.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::BTreeSet;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap()
}

/// The quoted or `commands::`-prefixed names between `start` and the next `end`.
fn names(text: &str, start: &str, end: &str, prefix: &str) -> BTreeSet<String> {
    let from = text.find(start).unwrap() + start.len();
    let block = &text[from..from + text[from..].find(end).unwrap()];
    block
        .split(',')
        .map(|n| {
            n.trim()
                .trim_matches('"')
                .trim_start_matches(prefix)
                .to_string()
        })
        .filter(|n| !n.is_empty())
        .collect()
}

#[test]
fn the_registered_commands_the_generated_permissions_and_the_grants_agree() {
    let handler = names(&read("src/lib.rs"), "generate_handler![", "]", "commands::");
    let listed = names(&read("build.rs"), "const COMMANDS: &[&str] = &[", "];", "");
    assert_eq!(handler, listed, "src/lib.rs registers, build.rs lists");

    let capability: serde_json::Value =
        serde_json::from_str(&read("capabilities/default.json")).unwrap();
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    let mut expected: BTreeSet<String> = listed
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    expected.insert("core:event:allow-listen".into());
    expected.insert("core:event:allow-unlisten".into());
    assert_eq!(granted, expected);
}
