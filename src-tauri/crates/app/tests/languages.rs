//! A microcredential's texts in more than one language: translations checked as the
//! proposer types and before submission; a certificate template in a language issues
//! credentials whose achievement is that language's edition (`inLanguage`, `related` to the
//! others), prints the certificate and draws the badge in it; the catalog publishes every
//! edition at the id the credentials name.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use common::{compliant, demo, pdf_text};
use credence_app::certificates::award_files::AwardFormat;
use credence_app::domain::award::LearnerInput;
use credence_app::domain::certificate::{TemplateInput, Wording};
use credence_app::domain::proposal::{ProposalEvent, Translation};

fn french(outcomes: usize) -> Translation {
    Translation {
        language: "fr_ca".into(),
        title: "Robotique appliquée".into(),
        short_title: None,
        description: "Concevoir, construire et programmer un robot mobile.".into(),
        outcomes: [
            "Construire un robot mobile.",
            "Programmer ses capteurs.",
            "Le tester sur le terrain.",
        ]
        .iter()
        .take(outcomes)
        .map(|o| o.to_string())
        .collect(),
    }
}

#[test]
fn translations_are_checked_as_typed_and_complete_before_submission() {
    let d = demo();
    let unit = d.ws.units().unwrap()[0].id;
    let mut content = compliant("Applied Robotics", unit);
    content.translations = vec![french(2)];
    let p = d.ws.create_proposal(d.coordinator, &content).unwrap();
    // Stored with its tag as Open Badges writes it.
    assert_eq!(p.content.translations[0].language, "fr-CA");

    // One outcome short: the live check names it, and submitting is refused by it.
    let check = d.ws.check_proposal(Some(p.id), &p.content).unwrap();
    let finding = check
        .findings
        .iter()
        .find(|f| f.field == "translations[0].outcomes")
        .expect("the missing outcome is found");
    assert_eq!(
        finding.message,
        "give each of the 3 learning outcomes in Français (CA), one per line (there are 2)"
    );
    let err =
        d.ws.move_proposal(d.coordinator, p.id, &ProposalEvent::Submit)
            .unwrap_err();
    assert!(
        err.fields
            .iter()
            .any(|f| f.field == "translations[0].outcomes"),
        "{err:?}"
    );

    // A tag that is not one is refused by field and nothing changes.
    let mut bad = p.content.clone();
    bad.translations[0].language = "French".into();
    bad.translations[0].outcomes = french(3).outcomes;
    let err = d.ws.save_draft(d.coordinator, p.id, &bad).unwrap_err();
    assert_eq!(err.fields[0].field, "translations[0].language", "{err:?}");
    assert!(err.fields[0]
        .message
        .contains("\"French\" is not a language tag"));
    assert_eq!(d.ws.proposal(p.id).unwrap().content, p.content);
    // The same language twice, or the main one again, is refused too.
    let mut twice = p.content.clone();
    twice.translations.push(french(3));
    let err = d.ws.save_draft(d.coordinator, p.id, &twice).unwrap_err();
    assert_eq!(
        err.fields[0].message,
        "the texts are already given in Français (CA)"
    );

    // Complete, it goes.
    let mut complete = p.content.clone();
    complete.translations = vec![french(3)];
    d.ws.save_draft(d.coordinator, p.id, &complete).unwrap();
    let check = d.ws.check_proposal(Some(p.id), &complete).unwrap();
    assert!(
        !check.findings.iter().any(|f| f.rule_id == "translations"),
        "{:?}",
        check.findings
    );
}

#[test]
fn a_template_in_a_language_issues_prints_and_publishes_in_it() {
    let d = demo();
    let slug = "spreadsheet-modelling-basics";
    let content =
        d.ws.proposal(d.ws.microcredential(None, slug).unwrap().proposal_id)
            .unwrap()
            .content;
    assert_eq!(content.languages(), ["en", "es"]);
    let template = d.ws.save_certificate_template(
        d.coordinator,
        None,
        &TemplateInput {
            name: "Certificado".into(),
            category: content.category.clone(),
            level: content.level.clone(),
            heading: "Certificado de logro".into(),
            completion_text: "ha completado con éxito la microcredencial".into(),
            language: Some("ES".into()),
            wording: Wording {
                certifies: "Se certifica que".into(),
                awarded: "Otorgado el {date}".into(),
                credits: "{n} créditos".into(),
                hours: "{n} horas".into(),
                outcomes: "Resultados de aprendizaje".into(),
                more_outcomes: "y {n} resultados más, en la credencial".into(),
                verification: "La credencial firmada va adjunta a este PDF (credential.json); cualquier verificador de Open Badges 3.0 la comprueba, o escanee el código.".into(),
                recognized: "obtuvo, por reconocimiento de aprendizajes previos, la microcredencial".into(),
            },
            ..TemplateInput::default()
        },
    )
    .unwrap();
    d.ws.unlock_issuer("demo").unwrap();
    let learner = |name: &str, email: &str| LearnerInput {
        name: name.into(),
        email: email.into(),
        completed_on: chrono::Local::now().date_naive().to_string(),
        ..Default::default()
    };
    let report =
        d.ws.issue(
            d.coordinator,
            slug,
            &[learner("Lucía Fernández", "lucia@example.org")],
        )
        .unwrap();
    let award = &report.rows[0].award;
    let (_, json) = d.ws.certificate_sheet_for(&award.id).unwrap();
    let credential: serde_json::Value = serde_json::from_str(&json).unwrap();
    let achievement = &credential["credentialSubject"]["achievement"];
    assert_eq!(
        achievement["name"],
        "Fundamentos de modelado con hojas de cálculo"
    );
    assert_eq!(achievement["inLanguage"], "es");
    let id = achievement["id"].as_str().unwrap();
    assert!(id.ends_with("-es"), "{id}");
    assert_eq!(achievement["related"][0]["inLanguage"], "en");
    assert_eq!(
        achievement["related"][0]["id"].as_str().unwrap(),
        id.trim_end_matches("-es")
    );
    assert_eq!(
        credential["name"], achievement["name"],
        "the credential is named as its achievement"
    );

    // The certificate is printed in Spanish and its credential verifies.
    let pdf = d.ws.award_certificate(&award.id).unwrap();
    assert!(d.ws.verify_credential(&pdf).verified());
    // Kept for looking at, beside the other certificates the tests make.
    let out =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/output/certificates");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("language-es.pdf"), &pdf).unwrap();
    let text = pdf_text(&pdf);
    let today = chrono::Local::now().date_naive().to_string();
    for words in [
        "Certificado de logro",
        "Se certifica que",
        "Lucía Fernández",
        "Fundamentos de modelado con hojas de cálculo",
        "20 horas",
        &format!("Otorgado el {today}"),
        "Resultados de aprendizaje",
        "Comprobar los supuestos",
        "La credencial firmada va adjunta",
    ] {
        assert!(text.contains(words), "{words} not in {text}");
    }
    for english in [
        "Spreadsheet Modelling Basics",
        "This certifies",
        "Awarded",
        "Learning outcomes",
        "hours",
    ] {
        assert!(!text.contains(english), "{english} in {text}");
    }

    // The award's badge file shows the Spanish short title, as the credential inside does.
    let mut writer = d.ws.award_writer(&[AwardFormat::Svg]).unwrap();
    let svg = String::from_utf8(writer.files(award).unwrap()[0].bytes.clone()).unwrap();
    assert!(svg.contains(">Modelado con<"), "{svg}");

    // The template later leaves Spanish: the award's certificate stays in the language its
    // credential was issued in (the template's words are its own).
    let mut english = template.input.clone();
    english.language = None;
    d.ws.save_certificate_template(d.coordinator, template.id, &english)
        .unwrap();
    let again = pdf_text(&d.ws.award_certificate(&award.id).unwrap());
    assert!(
        again.contains("Fundamentos de modelado con hojas de cálculo"),
        "{again}"
    );
    // A correction of it is issued in that language too.
    let corrected =
        d.ws.correct_award(
            d.coordinator,
            &award.id,
            &credence_app::domain::award::AwardCorrection {
                name: Some("Lucía Fernández Ruiz".into()),
                ..Default::default()
            },
            "Second surname missing",
        )
        .unwrap();
    let (_, json) = d.ws.certificate_sheet_for(&corrected.id).unwrap();
    let credential: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        credential["credentialSubject"]["achievement"]["inLanguage"],
        "es"
    );

    // The same template's other microcredential has no Spanish: its own texts, in English.
    let report =
        d.ws.issue(
            d.coordinator,
            &d.slug,
            &[learner("Lucía Fernández", "lucia@example.org")],
        )
        .unwrap();
    let (_, json) =
        d.ws.certificate_sheet_for(&report.rows[0].award.id)
            .unwrap();
    let other: serde_json::Value = serde_json::from_str(&json).unwrap();
    let other = &other["credentialSubject"]["achievement"];
    assert_eq!(other["inLanguage"], "en");
    assert!(other.get("related").is_none(), "{other}");

    // The catalog publishes the Spanish edition at the id the credential names, as carried.
    let base = d.ws.issuing_settings().unwrap().base_url.unwrap();
    let site = d.ws.catalog_site().unwrap();
    let file = |path: &str| {
        site.files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} is not published"))
            .bytes
            .clone()
    };
    let path = id.strip_prefix(&format!("{base}/")).unwrap();
    let mut published: serde_json::Value = serde_json::from_slice(&file(path)).unwrap();
    credence_vc::schema::check_achievement(&published).unwrap();
    published.as_object_mut().unwrap().remove("@context");
    assert_eq!(&published, achievement);
    // A page per language, each linking the other, the texts marked with their language.
    let page = String::from_utf8(file(&format!("credentials/{slug}.es.html"))).unwrap();
    assert!(page.contains(r#"<h1 lang="es">Fundamentos de modelado con hojas de cálculo</h1>"#));
    assert!(page.contains(&format!(r#"href="{slug}.html" hreflang="en""#)));
    let main = String::from_utf8(file(&format!("credentials/{slug}.html"))).unwrap();
    assert!(main.contains(&format!(r#"href="{slug}.es.html" hreflang="es""#)));
    // And the badge drawn with the Spanish short title differs from the English one.
    assert_ne!(
        file(&format!("badges/{slug}.es.png")),
        file(&format!("badges/{slug}.png"))
    );
}
