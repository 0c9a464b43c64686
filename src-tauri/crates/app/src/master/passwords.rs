//! A shared workspace's password, kept in the system's keyring (the Keychain on macOS, the
//! Credential Manager on Windows, the Secret Service on Linux: GNOME Keyring, KWallet), never
//! in a file in clear. An entry is named by the workspace's URL without its password (what
//! the window shows and remembers), so one computer can hold several servers' passwords.
//! Where no keyring answers (a desktop without one, a session without D-Bus) nothing is
//! kept and the caller says so; the password is asked again next time.

use crate::kernel::{named, server_url};
use crate::AppError;
use std::path::Path;

/// The keyring's service name for every entry Credence keeps.
const SERVICE: &str = "Credence shared workspace";

fn entry(workspace: &str) -> Result<keyring::Entry, String> {
    keyring::Entry::new(SERVICE, workspace).map_err(|e| e.to_string())
}

/// Keeps `password` for the workspace named `workspace` (a URL without its password);
/// `Err` says why the keyring would not.
pub fn remember(workspace: &str, password: &str) -> Result<(), String> {
    entry(workspace)?
        .set_password(password)
        .map_err(|e| e.to_string())
}

/// The password kept for `workspace`, if a keyring answers and holds one.
pub fn recall(workspace: &str) -> Option<String> {
    entry(workspace).ok()?.get_password().ok()
}

/// Removes any password kept for `workspace` (nothing to remove is not a failure).
pub fn forget(workspace: &str) -> Result<(), String> {
    match entry(workspace)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

/// `url` with `password` in it, to connect with (percent-encoded: a password may hold any
/// character). The URL is checked to be a `postgres://` URL of a database.
pub fn with_password(url: &str, password: &str) -> Result<String, AppError> {
    let refuse = |why: &str| crate::kernel::refuse("url", format!("{url} {why}"));
    if server_url(Path::new(url)).is_none() {
        return Err(refuse(
            "is not a server's address: write postgres://USER@HOST:PORT/DATABASE",
        ));
    }
    let mut parsed =
        url::Url::parse(url.trim()).map_err(|e| refuse(&format!("is not a URL ({e})")))?;
    if parsed.host_str().unwrap_or("").is_empty() {
        return Err(refuse("names no host"));
    }
    if parsed.username().is_empty() {
        return Err(refuse("names no user: write postgres://USER@HOST/DATABASE"));
    }
    if parsed.path().trim_matches('/').is_empty() {
        return Err(refuse(
            "names no database: write postgres://USER@HOST/DATABASE",
        ));
    }
    if !password.is_empty() {
        parsed
            .set_password(Some(password))
            .map_err(|()| refuse("cannot hold a password"))?;
    }
    Ok(parsed.to_string())
}

/// How a remembered workspace's URL is opened: with the password kept for it, if any (a URL
/// that carries one, or a file, is returned as it is).
pub fn completed(path: &Path) -> std::path::PathBuf {
    let Some(url) = server_url(path) else {
        return path.to_path_buf();
    };
    let shown = named(path);
    if shown != url {
        return path.to_path_buf(); // it carries its password
    }
    match recall(&shown).map(|p| with_password(url, &p)) {
        Some(Ok(full)) => full.into(),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_set_in_the_url_encoded_and_shown_nowhere() {
        let full = with_password(
            "postgres://committee@db.example.edu:5432/credence",
            "p@ss:w/rd",
        )
        .unwrap();
        assert_eq!(
            full,
            "postgres://committee:p%40ss%3Aw%2Frd@db.example.edu:5432/credence"
        );
        assert_eq!(
            named(Path::new(&full)),
            "postgres://committee@db.example.edu:5432/credence"
        );
        // The client reads it back as it was typed.
        let config: postgres::Config = full.parse().unwrap();
        assert_eq!(config.get_password(), Some(&b"p@ss:w/rd"[..]));
    }

    #[test]
    fn a_url_missing_what_it_needs_is_refused_naming_the_field() {
        for (url, why) in [
            ("/home/dana/w.credence", "is not a server's address"),
            ("postgres://db.example.edu/credence", "names no user"),
            ("postgres://dana@db.example.edu", "names no database"),
        ] {
            let err = with_password(url, "x").unwrap_err();
            assert_eq!(err.fields[0].field, "url", "{url}");
            assert!(err.message.contains(why), "{url}: {}", err.message);
        }
    }

    /// The system's keyring for real: `cargo xtask test` starts a session bus with GNOME
    /// Keyring's Secret Service on it (`CREDENCE_TEST_KEYRING`).
    #[test]
    fn a_password_kept_in_the_keyring_is_found_again_and_forgotten() {
        assert!(
            std::env::var_os("CREDENCE_TEST_KEYRING").is_some(),
            "no keyring to test against: run the tests with `cargo xtask test`, which starts one"
        );
        let workspace = format!(
            "postgres://committee@db.example.edu/credence_{}",
            std::process::id()
        );
        assert_eq!(recall(&workspace), None);
        remember(&workspace, "p@ss:w/rd").unwrap();
        assert_eq!(recall(&workspace).as_deref(), Some("p@ss:w/rd"));
        // Opening it again completes its URL with the password kept.
        let full = completed(Path::new(&workspace));
        let config: postgres::Config = full.display().to_string().parse().unwrap();
        assert_eq!(config.get_password(), Some(&b"p@ss:w/rd"[..]));
        forget(&workspace).unwrap();
        assert_eq!(recall(&workspace), None);
        forget(&workspace).unwrap();
        assert_eq!(completed(Path::new(&workspace)), Path::new(&workspace));
    }
}
