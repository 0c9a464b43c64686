//! CLI scenarios: each file in `tests/cli/` at the repository root is a transcript of commands
//! and the output they must print. The format:
//!
//! ```text
//! # a comment (anywhere: a line beginning `# ` is never output)
//! $ credence --workspace $TMP/w.credence unit list     (a command; `$TMP` is a fresh folder,
//!                                                        `$ROOT` the repository)
//! ! 1                                                   (its exit code, when not 0)
//! CODE  NAME ...                                        (stdout, then stderr, line by line;
//!                                                        `[..]` matches any text in a line)
//! % sql $TMP/w.credence UPDATE ...                      (runs SQL on a file, as a tamperer would)
//! % write $TMP/notes.txt some text                      (writes a file)
//! % env CREDENCE_PASSPHRASE some words                  (sets a variable for later commands;
//!                                                        `% env NAME` alone unsets it)
//! % capture CODE Enrolment code for Priya Raman:         (the word after this text in the last
//!                                                        command's output, as `$CODE` from now)
//! % keep $TMP/awards cli/awards                         (copies a folder to tests/output/issued/,
//!                                                        for the independent verifier)
//! ```
//!
//! `UPDATE_SCENARIOS=1 cargo test -p credence-cli --test scenarios` rewrites the expectations
//! from what the commands print now (review the diff: it replaces `[..]` with literal text).
//!
//! With `CREDENCE_TEST_ENGINE=postgres` (`cargo xtask test` runs them so a second time) each
//! scenario's workspace `$TMP/w.credence` is instead a new database on the test server
//! (`CREDENCE_TEST_POSTGRES`): the same commands, the same expected output (the database's
//! URL is printed back as `$TMP/w.credence`), `% sql` run on the server. A scenario about
//! files as such says so in a line `# file only: WHY` and runs on the file alone.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The scenarios' own workspace, as they name it.
const WORKSPACE: &str = "$TMP/w.credence";

/// Whether this run puts each scenario's workspace on the test server.
fn on_postgres() -> bool {
    std::env::var("CREDENCE_TEST_ENGINE").is_ok_and(|e| e == "postgres")
}

enum Step {
    Run {
        args: Vec<String>,
        code: i32,
        expected: Vec<String>,
    },
    Env {
        name: String,
        value: String,
    },
    Sql {
        file: String,
        sql: String,
    },
    Write {
        file: String,
        text: String,
    },
    Keep {
        from: String,
        name: String,
    },
    Capture {
        name: String,
        prefix: String,
    },
    Comment(String),
}

/// Splits a command line into words, honouring double quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut any) = (false, false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            _ => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

fn parse(text: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for line in text.lines() {
        if let Some(cmd) = line.strip_prefix("$ ") {
            steps.push(Step::Run {
                args: words(cmd),
                code: 0,
                expected: Vec::new(),
            });
        } else if let Some(rest) = line.strip_prefix("% sql ") {
            let (file, sql) = rest.split_once(' ').expect("% sql FILE STATEMENTS");
            steps.push(Step::Sql {
                file: file.into(),
                sql: sql.into(),
            });
        } else if let Some(rest) = line.strip_prefix("% env ") {
            // `% env NAME` alone unsets it.
            let (name, value) = rest.split_once(' ').unwrap_or((rest, ""));
            steps.push(Step::Env {
                name: name.into(),
                value: value.into(),
            });
        } else if let Some(rest) = line.strip_prefix("% keep ") {
            let (from, name) = rest.split_once(' ').expect("% keep FOLDER NAME");
            steps.push(Step::Keep {
                from: from.into(),
                name: name.into(),
            });
        } else if let Some(rest) = line.strip_prefix("% capture ") {
            let (name, prefix) = rest.split_once(' ').expect("% capture NAME TEXT");
            steps.push(Step::Capture {
                name: name.into(),
                prefix: prefix.into(),
            });
        } else if let Some(rest) = line.strip_prefix("% write ") {
            let (file, text) = rest.split_once(' ').expect("% write FILE TEXT");
            steps.push(Step::Write {
                file: file.into(),
                text: text.into(),
            });
        } else if line.starts_with("# ") || line == "#" {
            steps.push(Step::Comment(line.to_string()));
        } else if let Some(Step::Run { code, expected, .. }) = steps.last_mut() {
            match line.strip_prefix("! ") {
                Some(n) if expected.is_empty() => *code = n.trim().parse().expect("! CODE"),
                _ => expected.push(line.to_string()),
            }
        } else {
            steps.push(Step::Comment(line.to_string()));
        }
    }
    steps
}

/// Whether `actual` matches `pattern`, where `[..]` stands for any text.
fn line_matches(pattern: &str, actual: &str) -> bool {
    let parts: Vec<&str> = pattern.split("[..]").collect();
    if parts.len() == 1 {
        return pattern == actual;
    }
    let Some(mut rest) = actual.strip_prefix(parts[0]) else {
        return false;
    };
    for (i, part) in parts.iter().enumerate().skip(1) {
        if i == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

fn run_scenario(file: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    // On the server, the scenario's workspace is a database of its own.
    let server = if on_postgres() {
        if text.lines().any(|l| l.starts_with("# file only:")) || !text.contains(WORKSPACE) {
            return Ok(());
        }
        let stem = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .replace('-', "_");
        Some(common::new_database(&format!("scenario_{stem}")))
    } else {
        None
    };
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let tmp_str = tmp.path().display().to_string();
    let root = std::fs::canonicalize(scenario_dir().join("../.."))
        .map_err(|e| e.to_string())?
        .display()
        .to_string();
    let mut captured: Vec<(String, String)> = Vec::new();
    let mut last_output: Vec<String> = Vec::new();
    let expand = |s: &str, captured: &[(String, String)]| {
        let mut s = match &server {
            Some(url) => s.replace(WORKSPACE, url),
            None => s.to_string(),
        };
        s = s.replace("$TMP", &tmp_str).replace("$ROOT", &root);
        for (name, value) in captured {
            s = s.replace(&format!("${name}"), value);
        }
        s
    };
    let mut steps = parse(&text);
    let mut failures = Vec::new();
    let mut env: Vec<(String, String)> = Vec::new();
    for step in &mut steps {
        let expand = |s: &str| expand(s, &captured);
        match step {
            Step::Comment(_) => {}
            Step::Env { name, value } => {
                env.retain(|(k, _)| k != name);
                if !value.is_empty() {
                    env.push((name.clone(), expand(value)));
                }
            }
            Step::Capture { name, prefix } => {
                let word = last_output
                    .iter()
                    .find_map(|l| l.strip_prefix(prefix.trim_end()))
                    .and_then(|rest| rest.split_whitespace().next())
                    // "meeting 3: ..." captures 3.
                    .map(|w| w.trim_end_matches([':', ',', '.', ';', ')']))
                    .ok_or_else(|| format!("% capture {name}: no line begins {prefix:?}"))?;
                captured.push((name.clone(), word.to_string()));
            }
            Step::Write { file, text } => {
                std::fs::write(expand(file), text.as_bytes()).map_err(|e| e.to_string())?
            }
            Step::Keep { from, name } => {
                let to = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../../tests/output/issued")
                    .join(name.as_str());
                let _ = std::fs::remove_dir_all(&to);
                copy_dir(Path::new(&expand(from)), &to)
                    .map_err(|e| format!("% keep {from}: {e}"))?
            }
            Step::Sql { file, sql } => match &server {
                Some(url) if file.as_str() == WORKSPACE => {
                    postgres::Client::connect(url, postgres::NoTls)
                        .and_then(|mut c| c.batch_execute(sql))
                        .map_err(|e| format!("% sql {sql}: {e}"))?
                }
                _ => rusqlite::Connection::open(expand(file))
                    .and_then(|c| c.execute_batch(sql))
                    .map_err(|e| format!("% sql {sql}: {e}"))?,
            },
            Step::Run {
                args,
                code,
                expected,
            } => {
                let (program, rest) = args.split_first().ok_or("empty command")?;
                assert_eq!(program, "credence", "scenarios run the credence command");
                let out = Command::new(env!("CARGO_BIN_EXE_credence"))
                    .args(rest.iter().map(|a| expand(a)))
                    .env_remove("CREDENCE_WORKSPACE")
                    .env_remove("CREDENCE_ACTOR")
                    .env_remove("CREDENCE_PASSPHRASE")
                    .env_remove("CREDENCE_ISSUER_PASSPHRASE")
                    .env_remove("CREDENCE_NEW_PASSPHRASE")
                    .envs(env.iter().map(|(k, v)| (k, v)))
                    // No terminal: a passphrase nobody set is refused, never prompted for.
                    .stdin(std::process::Stdio::null())
                    .env("XDG_DATA_HOME", tmp.path().join("data"))
                    .env("HOME", tmp.path())
                    .output()
                    .map_err(|e| e.to_string())?;
                let mut printed = format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                if let Some(url) = &server {
                    printed = printed.replace(url.as_str(), WORKSPACE);
                }
                let printed = printed.replace(&tmp_str, "$TMP").replace(&root, "$ROOT");
                let actual: Vec<String> = printed.lines().map(str::to_string).collect();
                last_output = actual.clone();
                let actual_code = out.status.code().unwrap_or(-1);
                let same = actual_code == *code
                    && actual.len() == expected.len()
                    && expected
                        .iter()
                        .zip(&actual)
                        .all(|(e, a)| line_matches(e, a));
                if !same {
                    failures.push(format!(
                        "$ {}\nexpected exit {code}:\n{}\ngot exit {actual_code}:\n{}",
                        args.join(" "),
                        expected.join("\n"),
                        actual.join("\n")
                    ));
                    *code = actual_code;
                    *expected = actual;
                }
            }
        }
    }
    if failures.is_empty() {
        return Ok(());
    }
    if std::env::var_os("UPDATE_SCENARIOS").is_some() {
        std::fs::write(file, render(&steps)).map_err(|e| e.to_string())?;
        return Ok(());
    }
    Err(failures.join("\n\n"))
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn quote(arg: &str) -> String {
    if arg.is_empty() || arg.contains(' ') {
        format!("\"{arg}\"")
    } else {
        arg.to_string()
    }
}

fn render(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Comment(c) => out.push_str(&format!("{c}\n")),
            Step::Sql { file, sql } => out.push_str(&format!("% sql {file} {sql}\n")),
            Step::Write { file, text } => out.push_str(&format!("% write {file} {text}\n")),
            Step::Env { name, value } if value.is_empty() => {
                out.push_str(&format!("% env {name}\n"))
            }
            Step::Env { name, value } => out.push_str(&format!("% env {name} {value}\n")),
            Step::Keep { from, name } => out.push_str(&format!("% keep {from} {name}\n")),
            Step::Capture { name, prefix } => out.push_str(&format!("% capture {name} {prefix}\n")),
            Step::Run {
                args,
                code,
                expected,
            } => {
                let line: Vec<String> = args.iter().map(|a| quote(a)).collect();
                out.push_str(&format!("$ {}\n", line.join(" ")));
                if *code != 0 {
                    out.push_str(&format!("! {code}\n"));
                }
                for e in expected {
                    out.push_str(&format!("{e}\n"));
                }
            }
        }
    }
    out
}

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/cli")
}

#[test]
fn cli_scenarios() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .expect("tests/cli exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "scenario"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scenarios found");
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| {
            run_scenario(f).err().map(|e| {
                format!(
                    "== {}\n{e}",
                    f.file_name().unwrap_or_default().to_string_lossy()
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn wildcards_match_any_text_within_a_line() {
    assert!(line_matches("a [..] c", "a b c"));
    assert!(line_matches("[..]end", "the end"));
    assert!(line_matches("start[..]", "start here"));
    assert!(!line_matches("a [..] c", "a b d"));
    assert!(!line_matches("exact", "exactly"));
}
