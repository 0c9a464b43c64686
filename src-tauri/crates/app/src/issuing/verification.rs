//! Verifying credential files offline: a `.json` credential or a baked `.png` or `.svg`,
//! with revocation checked against status list credentials in a folder.

use std::path::Path;

use credence_vc::status_list::{self, PublishedList};
use credence_vc::verify;

pub use credence_vc::verify::Report;
use credence_vc::VcError;

pub use credence_vc::verify::{Check, Outcome};

/// Verifies the file at `path`. A credential's status list is looked for in `status_dir` under
/// the last segment of its URL (`.../status/1` -> `DIR/1` or `DIR/1.json`).
pub fn verify_file(path: &Path, status_dir: Option<&Path>) -> Report {
    let lookup = |url: &str| -> Option<Result<PublishedList, VcError>> {
        let dir = status_dir?;
        let name = url.trim_end_matches('/').rsplit('/').next()?;
        let file = [dir.join(name), dir.join(format!("{name}.json"))]
            .into_iter()
            .find(|f| f.is_file())?;
        Some(
            std::fs::read(&file)
                .map_err(|e| VcError::Malformed(format!("{}: {e}", file.display())))
                .and_then(|b| {
                    serde_json::from_slice(&b).map_err(|e| {
                        VcError::Malformed(format!("{}: not JSON ({e})", file.display()))
                    })
                })
                .and_then(|c| status_list::from_credential(&c)),
        )
    };
    match std::fs::read(path) {
        Ok(bytes) => verify::verify(&bytes, chrono::Utc::now(), &lookup),
        Err(e) => Report {
            credential_id: None,
            checks: vec![Check {
                name: "file",
                outcome: Outcome::Fail,
                message: format!("cannot read the file ({e})"),
            }],
            expired_on: None,
        },
    }
}

/// A verification report as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct VerificationView {
    /// The file's name, as given.
    pub file: String,
    pub credential_id: Option<String>,
    pub verified: bool,
    /// The day it expired, where expiry is all that fails (an authentic credential no
    /// longer valid, not a broken one).
    pub expired_on: Option<String>,
    pub checks: Vec<CheckView>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct CheckView {
    pub name: String,
    /// `pass`, `fail` or `unchecked`.
    pub outcome: String,
    pub message: String,
}

impl VerificationView {
    pub fn new(file: &str, report: &Report) -> Self {
        Self {
            file: file.to_string(),
            credential_id: report.credential_id.clone(),
            verified: report.verified(),
            expired_on: report.only_expired().map(str::to_string),
            checks: report
                .checks
                .iter()
                .map(|c| CheckView {
                    name: c.name.to_string(),
                    outcome: match c.outcome {
                        Outcome::Pass => "pass",
                        Outcome::Fail => "fail",
                        Outcome::Unchecked => "unchecked",
                    }
                    .to_string(),
                    message: c.message.clone(),
                })
                .collect(),
        }
    }
}

/// The largest file verification reads.
pub const MAX_FILE_BYTES: u64 = credence_vc::verify::MAX_INPUT_BYTES as u64;

/// The files to verify: each path as given, except that a folder stands for every `.json`,
/// `.png` and `.svg` file in it at any depth, in name order.
pub fn expand_paths(paths: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            let mut pending = vec![p.clone()];
            while let Some(dir) = pending.pop() {
                for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        pending.push(path);
                    } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                        matches!(
                            e.to_ascii_lowercase().as_str(),
                            "json" | "png" | "svg" | "pdf"
                        )
                    }) {
                        found.push(path);
                    }
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// The files a person dropped on the window, as the window system reported them. The
/// window's verify command reads a path only if it is here (each once), so a page cannot
/// make the app read any file it names.
#[derive(Debug, Default)]
pub struct DroppedFiles {
    paths: std::sync::Mutex<Vec<std::path::PathBuf>>,
    arrived: std::sync::Condvar,
}

/// The most drops remembered at once; older ones are forgotten first.
const MAX_DROPPED: usize = 256;

impl DroppedFiles {
    /// Called by the shell on the window system's drop event.
    pub fn remember(&self, dropped: &[std::path::PathBuf]) {
        let mut paths = self.paths.lock().unwrap_or_else(|p| p.into_inner());
        paths.extend(dropped.iter().cloned());
        let excess = paths.len().saturating_sub(MAX_DROPPED);
        paths.drain(..excess);
        self.arrived.notify_all();
    }

    /// Whether `path` was dropped (forgetting it). The page hears of a drop from the same
    /// event as the shell, so this waits up to `wait` for the shell's side to arrive.
    pub fn take(&self, path: &Path, wait: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + wait;
        let mut paths = self.paths.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(at) = paths.iter().position(|p| p == path) {
                paths.remove(at);
                return true;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return false;
            }
            paths = self
                .arrived
                .wait_timeout(paths, left)
                .map(|(g, _)| g)
                .unwrap_or_else(|p| p.into_inner().0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::time::Duration;

    #[test]
    fn only_a_dropped_path_is_handed_out_and_only_once() {
        let dropped = DroppedFiles::default();
        let badge = PathBuf::from("/home/dana/Downloads/badge.png");
        dropped.remember(std::slice::from_ref(&badge));
        assert!(!dropped.take(Path::new("/etc/shadow"), Duration::ZERO));
        assert!(dropped.take(&badge, Duration::ZERO));
        assert!(!dropped.take(&badge, Duration::ZERO), "handed out twice");
    }

    #[test]
    fn a_drop_reported_a_moment_later_is_waited_for() {
        let dropped = std::sync::Arc::new(DroppedFiles::default());
        let later = dropped.clone();
        let badge = PathBuf::from("/tmp/badge.svg");
        let path = badge.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            later.remember(&[path]);
        });
        assert!(dropped.take(&badge, Duration::from_secs(30)));
        t.join().unwrap_or(());
    }
}
