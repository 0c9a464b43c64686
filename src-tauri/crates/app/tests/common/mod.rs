//! What the use-case tests share: a new workspace in a temporary folder with Northfield
//! University and its first coordinator, and a proposal that meets every shipped policy.

#![allow(dead_code)] // each test binary uses its own part of this

use std::path::PathBuf;

use credence_app::domain::institution::InstitutionInput;
use credence_app::domain::proposal::{ProposalContent, Workload};
use credence_app::{OpenMode, SetupInput, Workspace};

/// The folder (kept alive by the caller), the workspace file, the workspace and the
/// coordinator's id.
pub fn new_workspace() -> (tempfile::TempDir, PathBuf, Workspace, i64) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("w.credence");
    let ws = Workspace::open(&path, OpenMode::CreateIfMissing).expect("a new workspace");
    let status = ws
        .setup(&SetupInput {
            institution: InstitutionInput {
                name: "Northfield University".into(),
                country: "US".into(),
                url: None,
                email: None,
            },
            coordinator_name: "Dana Whitfield".into(),
            coordinator_email: "dana@northfield.edu".into(),
        })
        .expect("the workspace is set up");
    let coordinator = status.acting.expect("the coordinator acts").id;
    (dir, path, ws, coordinator)
}

/// A credit-bearing proposal of `unit` that meets every shipped policy.
pub fn compliant(title: &str, unit: i64) -> ProposalContent {
    ProposalContent {
        title: title.into(),
        description: "Design, build and program a mobile robot.".into(),
        unit_id: Some(unit),
        credit_status: Some("credit".into()),
        category: Some("academic".into()),
        level: Some("intermediate".into()),
        outcomes: vec![
            "Build a mobile robot.".into(),
            "Program its sensors.".into(),
            "Test it in the field.".into(),
        ],
        workload: Workload {
            credits: Some(9.0),
            ..Default::default()
        },
        review_cycle_years: Some(2),
        assessment_types: vec!["project".into()],
        ..Default::default()
    }
}
