//! `credence workspace copy` (issue 16): the demo file to a PostgreSQL database and back,
//! losslessly: the audit chain (its head, every signature), the proposals, the awards and
//! their credentials' verification are the same in all three; a target that is not new or
//! empty is refused without a change.

mod common;

use std::path::Path;

use common::credence;

/// The command's standard output, which must succeed.
fn run(workspace: &Path, args: &[&str]) -> String {
    let out = credence(workspace).args(args).output().expect("ran");
    assert!(
        out.status.success(),
        "{args:?} on {}: {}",
        workspace.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What must match between a workspace and its copies.
fn what_it_holds(workspace: &Path, out: &Path) -> Vec<String> {
    let awards = run(workspace, &["credential", "awards", "--json"]);
    let parsed: serde_json::Value = serde_json::from_str(&awards).expect("JSON");
    let first = parsed[0]["id"].as_str().expect("an award").to_string();
    // The award's credential, written from this workspace, verifies.
    let out_dir = out.to_str().expect("a path");
    run(
        workspace,
        &["credential", "export", &first, "--out", out_dir],
    );
    let verified = run(workspace, &["verify", out_dir]);
    assert!(verified.contains("verified"), "{verified}");
    vec![
        run(workspace, &["audit", "verify"]),
        run(workspace, &["proposal", "list", "--json"]),
        awards,
        run(workspace, &["person", "list", "--json"]),
        std::fs::read_to_string(out.join(&first).join("credential.json")).expect("written"),
    ]
}

#[test]
fn a_workspace_copied_to_postgresql_and_back_holds_the_same() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("demo.credence");
    run(&file, &["demo"]);
    let url = common::new_database("copy");
    let server = Path::new(&url);
    let back = dir.path().join("back.credence");

    let copied = run(
        &file,
        &["workspace", "copy", file.to_str().expect("a path"), &url],
    );
    assert!(copied.contains("audit log holds"), "{copied}");
    run(
        &file,
        &["workspace", "copy", &url, back.to_str().expect("a path")],
    );

    let original = what_it_holds(&file, &dir.path().join("out-file"));
    assert!(original[0].contains("audit log holds"), "{}", original[0]);
    assert_eq!(
        what_it_holds(server, &dir.path().join("out-server")),
        original
    );
    assert_eq!(what_it_holds(&back, &dir.path().join("out-back")), original);

    // Into a database that holds a workspace, or onto a file that exists: refused, unchanged.
    for target in [url.as_str(), back.to_str().expect("a path")] {
        let out = credence(&file)
            .args(["workspace", "copy", file.to_str().expect("a path"), target])
            .output()
            .expect("ran");
        assert_eq!(out.status.code(), Some(1), "{target}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("already holds") || said.contains("exists"),
            "{said}"
        );
    }
    assert_eq!(
        what_it_holds(server, &dir.path().join("out-again")),
        original
    );
}
