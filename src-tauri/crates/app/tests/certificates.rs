//! Certificates against a real SQLite file (the demo workspace): issued to learners named
//! in several scripts, each PDF passing `qpdf --check`, carrying its credential (which
//! verifies), with the learner's name and the title extractable as text; templates chosen
//! by category and level, audited, refused field by field; bad images and unprintable
//! names refused by name. PDFs and their pdftoppm renderings go to
//! `tests/output/certificates/` (CI installs qpdf and poppler-utils; without them the
//! tool checks are skipped, never faked).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{audit_len, demo};
use credence_app::domain::award::LearnerInput;
use credence_app::domain::certificate::{Orientation, Paper, Signatory, TemplateInput};
use credence_app::domain::person::{PersonInput, Role};
use credence_app::ErrorKind;

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../tests/output/certificates");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

fn learner(name: &str, email: &str) -> LearnerInput {
    LearnerInput {
        name: name.into(),
        email: email.into(),
        completed_on: "2026-11-02".into(),
        ..Default::default()
    }
}

/// qpdf --check, pdftotext, pdftoppm on one certificate; returns its text.
fn inspect(label: &str, pdf: &[u8]) -> Option<String> {
    let path = out_dir().join(format!("{label}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    if tool("qpdf") {
        let check = Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{label}: qpdf --check failed: {}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
    if tool("pdftoppm") {
        let status = Command::new("pdftoppm")
            .args(["-png", "-r", "60", "-singlefile"])
            .arg(&path)
            .arg(out_dir().join(label))
            .status()
            .unwrap();
        assert!(status.success());
    }
    tool("pdftotext").then(|| {
        let out = Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    })
}

#[test]
fn certificates_for_learners_in_several_scripts_verify_and_pass_qpdf() {
    let d = demo();
    d.ws.unlock_issuer("demo").unwrap();
    let names = [
        ("latin", "Zoë Ångström-Núñez", "zoe@example.org"),
        ("greek", "Αλέξανδρος Παπαδόπουλος", "alex@example.org"),
        ("cyrillic", "Анастасия Кузнецова", "anastasia@example.org"),
        ("vietnamese", "Nguyễn Thị Phương Thảo", "thao@example.org"),
        ("yoruba", "Adébáyọ̀ Ọláòṣebìkan", "adebayo@example.org"),
        ("han-simplified", "王小明", "wang@example.org"),
        ("han-traditional", "陳大文", "chan@example.org"),
        ("japanese", "山田 花子", "hanako@example.org"),
        ("korean", "김민준", "minjun@example.org"),
        ("arabic", "محمد عبد الله", "mohammed@example.org"),
        ("hebrew", "דוד כהן", "david@example.org"),
        ("devanagari", "प्रिया शर्मा", "priya@example.org"),
        ("thai", "สมชาย ใจดี", "somchai@example.org"),
        (
            "long-name",
            &"Maximiliane Wolkenstein-Rodenegg ".repeat(6),
            "max@example.org",
        ),
    ];
    let learners: Vec<LearnerInput> = names.iter().map(|(_, n, e)| learner(n.trim(), e)).collect();
    let report = d.ws.issue(d.coordinator, &d.slug, &learners).unwrap();
    let ids: Vec<String> = report.rows.iter().map(|r| r.award.id.clone()).collect();
    let pdfs = d.ws.award_certificates(&ids).unwrap();
    let title = d.ws.microcredentials().unwrap()[0].title.clone();
    for ((label, name, _), (id, pdf)) in names.iter().zip(&pdfs) {
        assert!(pdf.len() < 100 * 1024, "{label}: {} bytes", pdf.len());
        // The credential inside verifies, through the same path as `credence verify`.
        let verdict = d.ws.verify_credential(pdf);
        assert!(verdict.verified(), "{label}: {verdict:?}");
        assert!(verdict
            .credential_id
            .as_deref()
            .unwrap()
            .ends_with(id.as_str()));
        if let Some(text) = inspect(&format!("issued-{label}"), pdf) {
            // pdftotext wraps right-to-left lines in bidi embedding marks: not text.
            let text: String = text
                .chars()
                .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
                .collect();
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if *label != "long-name" {
                assert!(flat.contains(name.trim()), "{label}: {flat}");
            }
            assert!(flat.contains(&title), "{label}: {flat}");
        }
    }
    // A certificate carrying a credential with one changed byte fails verification.
    let (sheet, json) = d.ws.certificate_sheet_for(&ids[0]).unwrap();
    let tampered = json.replacen("Zoë", "Zoe", 1);
    assert_ne!(tampered, json);
    let line = |credential| credence_app::certificates::Line {
        learner: "Zoë Ångström-Núñez",
        completed_on: "2026-11-02",
        credential: Some(credential),
        issued_at: 1_795_000_000,
    };
    let good = sheet.pdf(&line(&json), None).unwrap();
    assert!(d.ws.verify_credential(&good).verified());
    let bad = sheet.pdf(&line(&tampered), None).unwrap();
    let verdict = d.ws.verify_credential(&bad);
    assert!(!verdict.verified(), "{verdict:?}");
    inspect("tampered", &bad);
}

#[test]
fn a_revoked_award_has_no_certificate() {
    let d = demo();
    let revoked =
        d.ws.awards("", 100)
            .unwrap()
            .into_iter()
            .find(|a| a.revoked_at.is_some())
            .unwrap();
    let err = d.ws.award_certificate(&revoked.id).unwrap_err();
    assert!(err.message.contains("revoked"), "{err:?}");
}

#[test]
fn templates_are_chosen_by_category_and_level_stored_and_audited() {
    let d = demo();
    let awards = d.ws.awards("", 100).unwrap();
    let award = awards.iter().find(|a| a.revoked_at.is_none()).unwrap();
    let content = d.ws.proposal(award.proposal_id).unwrap().content;
    let before = audit_len(&d.ws, Some("certificate_template"));
    // A portrait Letter template for this microcredential's category and level.
    let specific =
        d.ws.save_certificate_template(
            d.coordinator,
            None,
            &TemplateInput {
                name: "Portrait for this category".into(),
                category: content.category.clone(),
                level: content.level.clone(),
                paper: Paper::Letter,
                orientation: Orientation::Portrait,
                heading: "Microcredential Certificate".into(),
                ..TemplateInput::default()
            },
        )
        .unwrap();
    let pdf = d.ws.award_certificate(&award.id).unwrap();
    if let Some(text) = inspect("template-portrait", &pdf) {
        assert!(text.contains("Microcredential Certificate"), "{text}");
    }
    if tool("pdfinfo") {
        let path = out_dir().join("template-portrait.pdf");
        let info = Command::new("pdfinfo").arg(&path).output().unwrap();
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains("612 x 792 pts (letter)"), "{info}");
        assert!(
            info.contains("Author:          Northfield University"),
            "{info}"
        );
        assert!(info.contains("Title:"), "{info}");
    }
    // The same category and level again is refused by field; so is a clashing name.
    let err =
        d.ws.save_certificate_template(
            d.coordinator,
            None,
            &TemplateInput {
                name: "Another".into(),
                category: content.category.clone(),
                level: content.level.clone(),
                ..TemplateInput::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.fields[0].field, "category", "{err:?}");
    let err =
        d.ws.save_certificate_template(
            d.coordinator,
            None,
            &TemplateInput {
                name: "Northfield standard".into(),
                category: Some("no-such-category".into()),
                ..TemplateInput::default()
            },
        )
        .unwrap_err();
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert!(
        fields.contains(&"category") && fields.contains(&"name"),
        "{err:?}"
    );
    // Deleting it brings the demo's standard template back.
    d.ws.delete_certificate_template(d.coordinator, specific.id.unwrap())
        .unwrap();
    let pdf = d.ws.award_certificate(&award.id).unwrap();
    if let Some(text) = inspect("template-standard", &pdf) {
        assert!(text.contains("Certificate of Achievement"), "{text}");
        assert!(text.contains("Dana Whitfield"), "{text}");
    }
    let after = audit_len(&d.ws, Some("certificate_template"));
    assert_eq!(after, before + 2, "create and delete are audited");
    let chain = d.ws.verify_audit().unwrap();
    assert!(chain.holds(), "{chain:?}");

    // Only the coordinator edits templates.
    let staff = common::add_person(
        &d.ws,
        d.coordinator,
        &PersonInput {
            name: "Issuing Clerk".into(),
            email: "clerk@northfield.edu".into(),
            unit_id: None,
            roles: vec![Role::Issuer],
        },
        "northfield demo",
    );
    let err =
        d.ws.save_certificate_template(Some(staff.id), None, &TemplateInput::default())
            .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Forbidden);
}

#[test]
fn previews_show_the_template_and_the_learner_before_anything_is_issued() {
    let d = demo();
    let awards_before = d.ws.awards("", 1000).unwrap().len();
    let preview =
        d.ws.preview_certificate(&d.slug, &learner("Ελένη Οικονόμου", "eleni@example.org"))
            .unwrap();
    assert!(preview.svg.starts_with("<svg"));
    assert!(preview.text.iter().any(|t| t.contains("Ελένη Οικονόμου")));
    assert!(preview
        .text
        .iter()
        .any(|t| t.contains("QR code added at issue")));
    assert_eq!(d.ws.awards("", 1000).unwrap().len(), awards_before);
    let live =
        d.ws.preview_certificate_template(&TemplateInput {
            heading: "Statement of Completion".into(),
            ..TemplateInput::default()
        })
        .unwrap();
    assert!(live.text.iter().any(|t| t == "Statement of Completion"));
    // A bad field in the template being edited is named, not drawn.
    let err =
        d.ws.preview_certificate_template(&TemplateInput {
            primary_colour: "blue".into(),
            ..TemplateInput::default()
        })
        .unwrap_err();
    assert_eq!(err.fields[0].field, "primary_colour");
    // So is a text the certificate fonts cannot print.
    let err =
        d.ws.preview_certificate_template(&TemplateInput {
            heading: "Certificate 🎓".into(),
            ..TemplateInput::default()
        })
        .unwrap_err();
    assert_eq!(err.fields[0].field, "heading", "{err:?}");
    assert!(err.fields[0].message.contains("U+1F393"), "{err:?}");
}

#[test]
fn bad_images_and_unprintable_names_are_refused_by_name() {
    let d = demo();
    // Corrupt, disguised and enormous signature images: refused, nothing stored.
    let n = audit_len(&d.ws, None);
    let err =
        d.ws.add_signature_image(
            d.coordinator,
            "signatories[0].signature",
            b"\x89PNG\r\n\x1a\nbroken",
        )
        .unwrap_err();
    assert_eq!(err.fields[0].field, "signatories[0].signature", "{err:?}");
    let err =
        d.ws.add_signature_image(
            d.coordinator,
            "signatories[1].signature",
            &[0u8; 3 * 1024 * 1024],
        )
        .unwrap_err();
    assert!(err.fields[0].message.contains("KB"), "{err:?}");
    let err =
        d.ws.add_signature_image(d.coordinator, "signatories[1].signature", b"GIF89a......")
            .unwrap_err();
    assert!(err.fields[0].message.contains("PNG or JPEG"), "{err:?}");
    assert_eq!(audit_len(&d.ws, None), n);
    // A template pointing at an image that is not stored.
    let err =
        d.ws.save_certificate_template(
            d.coordinator,
            None,
            &TemplateInput {
                name: "Signed".into(),
                level: Some("1".into()),
                signatories: vec![Signatory {
                    name: "Dr. A".into(),
                    title: String::new(),
                    signature: Some("ab".repeat(32)),
                }],
                ..TemplateInput::default()
            },
        )
        .unwrap_err();
    assert!(
        err.fields
            .iter()
            .any(|f| f.field == "signatories[0].signature"),
        "{err:?}"
    );
    // A name no bundled font covers: refused before issuing, the characters named.
    let rows = [
        learner("Ana Lima", "ana@example.org"),
        learner("王小明 🎓", "wang@example.org"),
    ];
    let err = credence_app::certificates::check_printable(&rows).unwrap_err();
    assert_eq!(err.fields[0].field, "row 3: name", "{err:?}");
    assert!(err.fields[0].message.contains("U+1F393"), "{err:?}");
    assert!(!err.fields[0].message.contains("U+738B"), "{err:?}");
    let err = d.ws.preview_certificate(&d.slug, &rows[1]).unwrap_err();
    assert_eq!(err.fields[0].field, "name", "{err:?}");
    assert!(err.fields[0].message.contains("U+1F393"), "{err:?}");
}
