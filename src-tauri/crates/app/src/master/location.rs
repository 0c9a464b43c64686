//! Where the workspace file is: an explicit path, `CREDENCE_WORKSPACE`, or the default in
//! the platform's application-data folder.

use std::path::{Path, PathBuf};

/// The environment variable that overrides the default workspace.
pub const WORKSPACE_ENV: &str = "CREDENCE_WORKSPACE";

/// The folder Credence keeps its own files in (`~/.local/share/credence` on Linux).
pub fn data_dir() -> PathBuf {
    directories::ProjectDirs::from("org", "Credence", "credence")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".credence"))
}

/// The workspace a person gets when they name none.
pub fn default_workspace() -> PathBuf {
    data_dir().join("workspace.credence")
}

/// The demo workspace that the window's first-launch screen offers.
pub fn demo_workspace(data_dir: &Path) -> PathBuf {
    data_dir.join("demo.credence")
}

/// Resolves the workspace: the explicit path wins, then the environment, then the workspace
/// the window opened last, then the default.
pub fn resolve(explicit: Option<&Path>) -> PathBuf {
    explicit
        .map(Path::to_path_buf)
        .or_else(|| {
            std::env::var_os(WORKSPACE_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .or_else(|| last_opened(&data_dir()))
        .unwrap_or_else(default_workspace)
}

/// The file that remembers the last workspace opened in the window.
fn last_opened_file(data_dir: &Path) -> PathBuf {
    data_dir.join("last-workspace")
}

/// The workspace opened last in the window, if it was remembered.
pub fn last_opened(data_dir: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(last_opened_file(data_dir)).ok()?;
    let path = PathBuf::from(text.trim());
    (!text.trim().is_empty()).then_some(path)
}

/// Remembers the workspace the window has open, so the next launch opens it again.
/// Failing to remember is not worth failing the open for; it is logged.
pub fn remember(data_dir: &Path, path: &Path) {
    let file = last_opened_file(data_dir);
    let written = file
        .parent()
        .map(std::fs::create_dir_all)
        .unwrap_or(Ok(()))
        .and_then(|()| {
            // A server's password is never written here: the URL is remembered without it.
            let named = crate::kernel::named(path);
            crate::kernel::exports::write_whole(&file, named.as_bytes())
        });
    if let Err(e) = written {
        tracing::warn!(file = %file.display(), error = %e, "cannot remember the workspace");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_workspace_is_remembered_without_its_password() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        remember(
            dir.path(),
            Path::new("postgres://dana:s3cret@db.northfield.edu:5432/credence?sslmode=require"),
        );
        let kept = last_opened(dir.path()).unwrap_or_default();
        assert_eq!(
            kept,
            PathBuf::from("postgres://dana@db.northfield.edu:5432/credence?sslmode=require")
        );
        remember(dir.path(), Path::new("/home/dana/northfield.credence"));
        assert_eq!(
            last_opened(dir.path()),
            Some(PathBuf::from("/home/dana/northfield.credence"))
        );
    }
}
