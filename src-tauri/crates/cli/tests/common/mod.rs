//! What the CLI's process tests share: the `credence` binary acting in a demo workspace.

use std::path::Path;
use std::process::{Command, Stdio};

/// `credence --workspace WORKSPACE`, as the demo's coordinator with the demo's passphrases.
pub fn credence(workspace: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_credence"));
    cmd.arg("--workspace")
        .arg(workspace)
        .env("CREDENCE_PASSPHRASE", "northfield demo")
        .env("CREDENCE_ISSUER_PASSPHRASE", "demo")
        .env("CREDENCE_ACTOR", "dana.whitfield@northfield.edu")
        .stdin(Stdio::null());
    cmd
}
