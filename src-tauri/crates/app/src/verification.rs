//! Verifying credential files offline: a `.json` credential or a baked `.png` or `.svg`,
//! with revocation checked against status list credentials in a folder.

use std::path::Path;

use credence_vc::status_list::{self, StatusList};
use credence_vc::verify;

pub use credence_vc::verify::Report;
use credence_vc::VcError;

pub use credence_vc::verify::{Check, Outcome};

/// Verifies the file at `path`. A credential's status list is looked for in `status_dir` under
/// the last segment of its URL (`.../status/1` -> `DIR/1` or `DIR/1.json`).
pub fn verify_file(path: &Path, status_dir: Option<&Path>) -> Report {
    let lookup = |url: &str| -> Option<Result<StatusList, VcError>> {
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
        },
    }
}
