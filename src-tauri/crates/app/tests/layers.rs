//! The app crate's capability folders depend one way: each calls only the folders before it
//! in `LAYERS` (the order `lib.rs` declares them in and ARCHITECTURE.md states). Checked on
//! the source: a `crate::<folder>` path, and a call of a `Workspace` method that only a later
//! folder defines, are both dependencies. Test modules are left out (a test may seed with
//! anything).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lowest first. The last group is the top: built on everything, called by nothing below.
const LAYERS: &[&[&str]] = &[
    &["kernel"],
    &["catalog"],
    &["master"],
    &["proposals"],
    &["lifecycle"],
    &["review"],
    &["issuing"],
    &["certificates"],
    &["documents"],
    &["audit"],
    &["bench", "bindings", "demo", "session"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|group| group.contains(&module))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without its test module (which comes last in every file here).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The folder (or top-level file) a source belongs to.
fn module_of(src: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::name` a source mentions, grouped imports (`use crate::{a::b, c}`) included.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The first segment of each item of the group (its outermost level).
            let mut depth = 0;
            let mut item_start = true;
            let mut word = String::new();
            for ch in group.chars() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        if !word.is_empty() {
                            out.insert(std::mem::take(&mut word));
                        }
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if c.is_alphanumeric() || c == '_' => {
                        if item_start {
                            word.push(c);
                        }
                        continue;
                    }
                    _ => {}
                }
                if !word.is_empty() {
                    out.insert(std::mem::take(&mut word));
                    item_start = false;
                }
            }
        } else {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(word);
        }
    }
    out
}

/// The names of the methods defined in `impl Workspace` blocks of a source.
fn workspace_methods(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("impl Workspace {") {
            inside = true;
        } else if line == "}" {
            inside = false;
        } else if inside {
            let t = line.trim_start();
            let t = t
                .strip_prefix("pub(crate) ")
                .or_else(|| t.strip_prefix("pub "))
                .unwrap_or(t);
            if let Some(rest) = t.strip_prefix("fn ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name);
            }
        }
    }
    out
}

/// The names of the methods a source calls (`.name(`), each once.
fn method_calls(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let bytes: Vec<char> = text.chars().collect();
    for (i, c) in bytes.iter().enumerate() {
        if *c != '.' {
            continue;
        }
        let name: String = bytes[i + 1..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || **c == '_')
            .collect();
        let after = bytes.get(i + 1 + name.chars().count());
        if !name.is_empty() && (after == Some(&'(') || after == Some(&':')) {
            out.insert(name);
        }
    }
    out
}

#[test]
fn folders_call_only_the_folders_before_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut texts = Vec::new();
    let mut defined: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for path in &files {
        let module = module_of(&src, path);
        if module == "lib" {
            continue;
        }
        let layer = layer_of(&module).unwrap_or_else(|| {
            panic!("{module} is in no layer: add it to LAYERS, lib.rs and ARCHITECTURE.md")
        });
        let text = code(path);
        for name in workspace_methods(&text) {
            defined.entry(name).or_default().insert(layer);
        }
        texts.push((path, module, layer, text));
    }
    let name = |l: usize| LAYERS[l].join("/");
    let mut problems = Vec::new();
    for (path, module, layer, text) in &texts {
        let shown = path.strip_prefix(&src).unwrap().display();
        for used in crate_paths(text) {
            if let Some(l) = layer_of(&used) {
                if l > *layer {
                    problems.push(format!(
                        "{shown} ({module}) uses crate::{used}, a later folder ({})",
                        name(l)
                    ));
                }
            }
        }
        for called in method_calls(text) {
            let Some(layers) = defined.get(&called) else {
                continue;
            };
            if layers.iter().all(|l| l > layer) {
                problems.push(format!(
                    "{shown} ({module}) calls Workspace::{called}, defined only in a later folder ({})",
                    layers.iter().map(|l| name(*l)).collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "calls against the one-way order:\n{}",
        problems.join("\n")
    );
}

/// The check itself finds what it is meant to find.
#[test]
fn the_check_sees_paths_and_methods() {
    let text = "use crate::{kernel::{record, Need}, review::x, AppError};\nlet v = crate::issuing::now();\nws.issue(&roster);\nimpl Workspace {\n    pub fn settle(&self) {}\n}\n";
    let paths = crate_paths(text);
    assert!(paths.contains("kernel") && paths.contains("review") && paths.contains("issuing"));
    assert!(paths.contains("AppError") && !paths.contains("record"));
    assert!(method_calls(text).contains("issue"));
    assert_eq!(
        workspace_methods(text).into_iter().collect::<Vec<_>>(),
        ["settle"]
    );
}
