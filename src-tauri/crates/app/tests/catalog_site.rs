//! The public catalog of the demo workspace: the active microcredentials and the one in
//! teach-out listed (marked), the suspended and retired ones not; a page each; every
//! version ever awarded keeps its Open Badges 3.0 achievement at the URL its credentials
//! name, the same achievement they carry, valid against the schema's definition; and the
//! site asks for nothing from elsewhere. Written to `tests/output/catalog/` for the window
//! test (axe in the real web view) and for looking at.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::demo;
use credence_app::domain::taxonomy::{Pathway, PathwayPart, StackRule};

#[test]
fn the_demo_catalog_lists_what_learners_can_take_and_keeps_every_achievement() {
    let d = demo();
    // A pathway of two listed microcredentials, drawn on the index.
    let ids: Vec<i64> = {
        let mut ids: Vec<i64> =
            d.ws.awards("", 500)
                .unwrap()
                .iter()
                .map(|a| a.proposal_id)
                .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let listed: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| {
            let page = d.ws.microcredential(None, &id.to_string()).unwrap();
            matches!(
                serde_json::to_value(page.status).unwrap().as_str(),
                Some("active")
            )
        })
        .collect();
    assert!(listed.len() >= 2, "{listed:?}");
    d.ws.put_pathway(
        d.coordinator,
        &Pathway {
            id: 0,
            name: "Data Skills Certificate".into(),
            rule: StackRule::All,
            parts: listed
                .iter()
                .take(2)
                .map(|id| PathwayPart::Credential(*id))
                .collect(),
        },
    )
    .unwrap();
    let site = d.ws.catalog_site().unwrap();
    assert_eq!((site.listed, site.teach_out), (3, 1));
    let files: BTreeMap<String, Vec<u8>> =
        site.files.into_iter().map(|f| (f.path, f.bytes)).collect();
    let text = |path: &str| String::from_utf8(files[path].clone()).unwrap();
    let index = text("index.html");
    assert!(index.contains("<h2>Pathways</h2>"));
    assert!(index.contains(r#"<svg class="graph""#));
    assert!(index.contains("Data Skills Certificate</strong>: complete all 2 of these"));

    // Listed: active and teach-out (marked); not suspended, not retired.
    let lives = d.ws.microcredential_list().unwrap();
    for m in &lives {
        let page = format!("credentials/{}.html", m.slug);
        let status = serde_json::to_value(m.status).unwrap();
        let listed = matches!(status.as_str(), Some("active" | "teach_out"));
        assert_eq!(files.contains_key(&page), listed, "{} ({status})", m.slug);
        assert_eq!(index.contains(&format!("\"{page}\"")), listed, "{}", m.slug);
        if status == "teach_out" {
            assert!(text(&page).contains("Teach-out: no new enrolments"));
        }
    }
    assert!(lives
        .iter()
        .any(|m| serde_json::to_value(m.status).unwrap() == "retired"));

    // Every award's credential names an achievement the site publishes at that URL, equal
    // to what the credential carries, and valid on its own.
    let base = d.ws.issuing_settings().unwrap().base_url.unwrap();
    let awards = d.ws.awards("", 500).unwrap();
    assert!(awards.len() > 5);
    let mut checked = std::collections::BTreeSet::new();
    for award in &awards {
        let (_, json) = d.ws.certificate_sheet_for(&award.id).unwrap();
        let credential: serde_json::Value = serde_json::from_str(&json).unwrap();
        let carried = &credential["credentialSubject"]["achievement"];
        let id = carried["id"].as_str().unwrap();
        let path = id.strip_prefix(&format!("{base}/")).unwrap().to_string();
        let published: serde_json::Value = serde_json::from_slice(&files[&path]).unwrap();
        assert_eq!(files[&path], files[&format!("{path}.json")]);
        let mut without_context = published.clone();
        without_context.as_object_mut().unwrap().remove("@context");
        assert_eq!(&without_context, carried, "{path}");
        assert_eq!(
            published["@context"], credential["@context"],
            "the terms are defined as the credential defines them"
        );
        credence_vc::schema::check_achievement(&published)
            .unwrap_or_else(|p| panic!("{path}: {p:?}"));
        checked.insert(path);
    }
    // Versions of retired microcredentials and earlier versions are kept.
    assert!(checked
        .iter()
        .any(|p| p.starts_with("achievements/legacy-systems-maintenance/")));
    assert!(checked.contains("achievements/spreadsheet-modelling-basics/v1"));
    assert!(files.contains_key("achievements/spreadsheet-modelling-basics/v2"));

    // Nothing is fetched from elsewhere: every reference is a file of the site.
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        for attr in ["src=\"", "href=\""] {
            for (i, _) in html.match_indices(attr) {
                let target: String = html[i + attr.len()..]
                    .chars()
                    .take_while(|c| *c != '"')
                    .collect();
                assert!(
                    !target.contains("//") && !target.starts_with("data:"),
                    "{path} refers to {target}"
                );
                let file = target.split('#').next().unwrap();
                if !file.is_empty() {
                    let dir = PathBuf::from(path).parent().unwrap().to_path_buf();
                    let resolved = normalize(&dir.join(file));
                    assert!(
                        files.contains_key(&resolved),
                        "{path}: {target} ({resolved}) is missing"
                    );
                }
            }
        }
    }

    // Written out for the window test and for people to look at.
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../tests/output/catalog");
    let _ = std::fs::remove_dir_all(&out);
    let report = d.ws.export_catalog(&out).unwrap();
    assert_eq!(report.files as usize, files.len());
    assert_eq!(report.teach_out, 1);
    assert!(out.join("index.html").exists());
}

/// `a/../b/c` as `b/c`.
fn normalize(p: &std::path::Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}
