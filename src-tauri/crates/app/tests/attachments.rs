//! Attachments and custom badges against a real SQLite file: content addressing, versions
//! keeping their files, autosave not dropping them, and every refusal changing nothing.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use credence_app::domain::person::{PersonInput, Role};
use credence_app::domain::proposal::{ProposalContent, ProposalEvent};
use credence_app::domain::unit::{UnitInput, UnitKind};
use credence_app::proposals::attachments::IncomingFile;
use credence_app::{ErrorKind, Workspace};

fn file(name: &str, bytes: &[u8]) -> IncomingFile {
    IncomingFile {
        name: name.into(),
        bytes: bytes.to_vec(),
    }
}

struct World {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    ws: Workspace,
    coordinator: Option<i64>,
    proposer: Option<i64>,
    outsider: Option<i64>,
    draft: i64,
}

fn world() -> World {
    let (dir, path, ws, coordinator) = common::new_workspace();
    let coordinator = Some(coordinator);
    let unit = |code: &str| UnitInput {
        code: code.into(),
        name: format!("Department {code}"),
        kind: UnitKind::Department,
        parent_id: None,
    };
    let cs = ws.create_unit(coordinator, &unit("CS")).unwrap().id;
    let me = ws.create_unit(coordinator, &unit("ME")).unwrap().id;
    let person = |email: &str, unit_id| PersonInput {
        name: email.into(),
        email: email.into(),
        unit_id: Some(unit_id),
        roles: vec![Role::Proposer],
    };
    let proposer =
        Some(common::add_person(&ws, coordinator, &person("priya@x.edu", cs), common::PASS).id);
    let outsider =
        Some(common::add_person(&ws, coordinator, &person("tomas@x.edu", me), common::PASS).id);
    let draft = ws
        .create_proposal(proposer, &common::compliant("Applied Robotics", cs))
        .unwrap()
        .id;
    World {
        _dir: dir,
        path,
        ws,
        coordinator,
        proposer,
        outsider,
        draft,
    }
}

#[test]
fn files_are_kept_by_hash_and_versions_keep_theirs() {
    let w = world();
    let pdf = b"%PDF-1.7 syllabus".as_slice();
    let p =
        w.ws.attach_files(
            w.proposer,
            w.draft,
            &[file("syllabus.pdf", pdf), file("notes.md", b"# Notes")],
        )
        .unwrap();
    assert_eq!(p.content.attachments.len(), 2);
    let sha = p.content.attachments[0].sha256.clone();
    assert_eq!(sha, credence_app::domain::attachment::sha256_hex(pdf));
    assert_eq!(p.content.attachments[0].media_type, "application/pdf");

    // The form autosaves content it loaded before the attachment: the attachment stays.
    let stale = ProposalContent {
        description: "Robots, applied.".into(),
        ..w.ws.proposal(w.draft).unwrap().content
    };
    let mut stale = stale;
    stale.attachments.clear();
    let saved = w.ws.save_draft(w.proposer, w.draft, &stale).unwrap();
    assert_eq!(saved.content.attachments.len(), 2);
    assert_eq!(saved.content.description, "Robots, applied.");

    // Submitted, version 1 holds the file; returned and detached, the version still does.
    let submitted =
        w.ws.move_proposal(w.proposer, w.draft, &ProposalEvent::Submit)
            .unwrap();
    assert_eq!(submitted.version, 1);
    w.ws.move_proposal(
        w.coordinator,
        w.draft,
        &ProposalEvent::ReturnToDraft {
            comment: "Shorter syllabus, please.".into(),
        },
    )
    .unwrap();
    w.ws.detach_file(w.proposer, w.draft, &sha).unwrap();
    assert_eq!(w.ws.proposal(w.draft).unwrap().content.attachments.len(), 1);
    assert_eq!(
        w.ws.proposal_version(w.draft, 1).unwrap().attachments.len(),
        2
    );
    let (r, bytes) = w.ws.attachment(w.draft, &sha).unwrap();
    assert_eq!((r.name.as_str(), bytes.as_slice()), ("syllabus.pdf", pdf));
    // A hash no proposal refers to is not served.
    assert_eq!(
        w.ws.attachment(w.draft, &"0".repeat(64)).unwrap_err().kind,
        ErrorKind::NotFound
    );
}

#[test]
fn bad_files_are_refused_together_and_nothing_is_attached() {
    let w = world();
    let err =
        w.ws.attach_files(
            w.proposer,
            w.draft,
            &[
                file("ok.pdf", b"%PDF-1.4"),
                file("tool.exe", b"MZ\x90"),
                file("fake.pdf", b"not a pdf"),
            ],
        )
        .unwrap_err();
    assert_eq!(err.fields.len(), 2, "{err:?}");
    assert!(err.fields[0].message.contains("tool.exe"));
    assert!(err.fields[1].message.contains("fake.pdf"));
    assert!(w
        .ws
        .proposal(w.draft)
        .unwrap()
        .content
        .attachments
        .is_empty());

    // Over the limit.
    w.ws.set_attachment_limit(w.coordinator, 1024).unwrap();
    let err =
        w.ws.attach_files(w.proposer, w.draft, &[file("big.txt", &[b'a'; 2000])])
            .unwrap_err();
    assert!(
        err.fields[0].message.contains("the limit is 1 KB"),
        "{err:?}"
    );
    // Only coordinators set the limit.
    let err = w.ws.set_attachment_limit(w.proposer, 4096).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert_eq!(w.ws.attachment_limit().unwrap(), 1024);
}

#[test]
fn only_authors_attach_and_only_to_drafts() {
    let w = world();
    let err =
        w.ws.attach_files(w.outsider, w.draft, &[file("a.txt", b"hello")])
            .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Forbidden);
    let err =
        w.ws.set_custom_badge(
            w.outsider,
            w.draft,
            &file("b.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Forbidden);
    w.ws.move_proposal(w.proposer, w.draft, &ProposalEvent::Withdraw)
        .unwrap();
    let err =
        w.ws.attach_files(w.proposer, w.draft, &[file("a.txt", b"hello")])
            .unwrap_err();
    assert!(
        err.message.contains("read-only")
            || err.fields.iter().any(|f| f.message.contains("read-only")),
        "{err:?}"
    );
}

#[test]
fn a_custom_svg_badge_is_sanitized_and_replaces_the_drawn_one() {
    let w = world();
    let drawn =
        w.ws.badge_files(&w.ws.proposal(w.draft).unwrap().content, 64)
            .unwrap();
    let up = w
        .ws
        .set_custom_badge(
            w.proposer,
            w.draft,
            &file(
                "mine.svg",
                br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>x()</script><rect width="10" height="10" fill="#c00"/></svg>"##,
            ),
        )
        .unwrap();
    assert_eq!(up.removed, vec!["the <script> element".to_string()]);
    let content = up.proposal.content;
    let custom = w.ws.badge_files(&content, 64).unwrap();
    let svg = custom.svg.clone().unwrap();
    assert!(svg.contains("#c00") && !svg.contains("script"));
    assert_ne!(custom.png, drawn.png);
    let preview = w.ws.badge_preview(&content).unwrap();
    assert_eq!(preview.custom.unwrap().name, "mine.svg");

    // An SVG that does not draw is refused and the badge stays.
    let err =
        w.ws.set_custom_badge(
            w.proposer,
            w.draft,
            &file(
                "bad.svg",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"0\"/>",
            ),
        )
        .unwrap_err();
    assert_eq!(err.fields[0].field, "custom_badge", "{err:?}");
    assert_eq!(
        w.ws.proposal(w.draft)
            .unwrap()
            .content
            .custom_badge
            .unwrap()
            .name,
        "mine.svg"
    );

    let cleared = w.ws.clear_custom_badge(w.proposer, w.draft).unwrap();
    assert!(cleared.content.custom_badge.is_none());
}

#[test]
fn an_import_naming_files_this_workspace_lacks_is_refused() {
    let w = world();
    let mut c = w.ws.proposal(w.draft).unwrap().content;
    c.attachments
        .push(credence_app::domain::attachment::AttachmentRef {
            sha256: "ab".repeat(32),
            name: "elsewhere.pdf".into(),
            media_type: "application/pdf".into(),
            size: 10,
        });
    let err = w.ws.import_proposals(w.coordinator, &[c]).unwrap_err();
    assert_eq!(err.fields[0].field, "row 1: attachments[0]", "{err:?}");
}

#[test]
fn the_copy_for_the_viewer_is_read_only_and_not_executable() {
    let w = world();
    let p =
        w.ws.attach_files(w.proposer, w.draft, &[file("plan.pdf", b"%PDF-1.4 plan")])
            .unwrap();
    let sha = &p.content.attachments[0].sha256;
    let dir = tempfile::tempdir().unwrap();
    let path = w.ws.attachment_copy(w.draft, sha, dir.path()).unwrap();
    assert_eq!(path.file_name().unwrap(), "plan.pdf");
    assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.4 plan");
    let meta = std::fs::metadata(&path).unwrap();
    assert!(meta.permissions().readonly());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(meta.permissions().mode() & 0o777, 0o444);
    }
    // Asking again reuses the copy.
    assert_eq!(
        w.ws.attachment_copy(w.draft, sha, dir.path()).unwrap(),
        path
    );
}

#[test]
fn an_import_naming_a_file_outside_its_folder_is_refused_and_writes_nothing() {
    let w = world();
    let held =
        w.ws.attach_files(w.proposer, w.draft, &[file("plan.pdf", b"%PDF-1.4 plan")])
            .unwrap();
    let sha = held.content.attachments[0].sha256.clone();
    let outside = tempfile::tempdir().unwrap();
    let absolute = outside.path().join("x.txt");
    let before_audit = common::audit_len(&w.ws, None);
    let before_count = w.ws.export_proposals().unwrap().len();
    for name in ["../../x.txt".to_string(), absolute.display().to_string()] {
        let mut c = w.ws.proposal(w.draft).unwrap().content;
        c.attachments[0].name = name.clone();
        let err = w.ws.import_proposals(w.coordinator, &[c]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Invalid, "{name}: {err:?}");
        assert_eq!(
            err.fields[0].field, "row 1: attachments[0]",
            "{name}: {err:?}"
        );
        assert!(err.fields[0].message.contains("folder"), "{name}: {err:?}");
    }
    assert_eq!(w.ws.export_proposals().unwrap().len(), before_count);
    assert_eq!(common::audit_len(&w.ws, None), before_audit);
    assert!(!absolute.exists());

    // A workspace written before imports were checked may already hold such a name: the copy
    // for the viewer is refused, and nothing lands beside or above its folder.
    common::around_credence(&w.path, |db| {
        let content: String = db
            .map_one(
                "SELECT content_json FROM proposal WHERE id = ?1",
                credence_store::args![w.draft],
                |r| r.get(0),
            )
            .unwrap();
        let planted = content.replace("\"plan.pdf\"", "\"../../x.txt\"");
        assert_ne!(planted, content);
        db.execute(
            "UPDATE proposal SET content_json = ?1 WHERE id = ?2",
            credence_store::args![planted, w.draft],
        )
        .unwrap();
    });
    let cache = outside.path().join("cache").join("attachments");
    std::fs::create_dir_all(&cache).unwrap();
    let err = w.ws.attachment_copy(w.draft, &sha, &cache).unwrap_err();
    assert!(
        err.message.contains("folder") || err.fields.iter().any(|f| f.message.contains("folder")),
        "{err:?}"
    );
    let mut written = Vec::new();
    for entry in walk(outside.path()) {
        if entry.is_file() {
            written.push(entry);
        }
    }
    assert!(written.is_empty(), "written: {written:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}
