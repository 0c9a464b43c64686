//! Certificates rendered for learners named in several scripts: checked with qpdf and
//! pdftotext where they are installed (CI installs both), rendered to PNG with pdftoppm
//! into `tests/output/certificates/` for looking at.

use std::path::PathBuf;
use std::process::Command;

use credence_domain::certificate::{Orientation, Paper, TemplateInput, Typeface};
use credence_pdf::certificate::{self, Certificate, Picture, Signer, Verification};
use credence_pdf::{Attachment, Meta};

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../tests/output/certificates");
    std::fs::create_dir_all(&dir).expect("output folder");
    dir
}

fn picture(w: u32, h: u32, rgb: [u8; 3]) -> Picture {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        let edge = x < 4 || y < 4 || x + 4 >= w || y + 4 >= h;
        if edge {
            image::Rgba([rgb[0], rgb[1], rgb[2], 255])
        } else if (x + y) % 23 < 3 {
            image::Rgba([rgb[0], rgb[1], rgb[2], 160])
        } else {
            image::Rgba([255, 255, 255, 0])
        }
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    Picture::decode(&png, "a test image", 600, 600).expect("decodes")
}

fn has(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

fn sample<'a>(
    template: &'a TemplateInput,
    learner: &str,
    logo: &'a Picture,
    badge: &'a Picture,
    sig: &'a Picture,
) -> Certificate<'a> {
    Certificate {
        template,
        institution: "Northfield University".into(),
        logo: Some(logo),
        learner: learner.into(),
        title: "Data Analytics for Public Health".into(),
        category_level: Some("Digital skills · Intermediate".into()),
        credits: Some("6 credits · 150 hours".into()),
        date: "Awarded 20 November 2026".into(),
        outcomes: vec![
            "Clean and combine public health datasets from several sources.".into(),
            "Choose and explain suitable statistical summaries for a population.".into(),
            "Build a reproducible analysis notebook another analyst can rerun.".into(),
            "Communicate findings to a non-specialist audience with clear charts.".into(),
            "Recognise the limits of observational data.".into(),
            "Apply data protection rules to health records.".into(),
        ],
        signers: vec![
            Signer {
                name: "Dr. Amara Okafor".into(),
                title: "Dean of Continuing Education".into(),
                signature: Some(sig),
            },
            Signer {
                name: "Prof. Lars Eriksson".into(),
                title: "Chair, Microcredentials Committee".into(),
                signature: Some(sig),
            },
        ],
        badge: Some(badge),
        verification: Some(Verification {
            qr: "urn:uuid:6f1c2a7e-9f1b-4c55-8a3e-0d2b1c9e7f10\ndid:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK".into(),
            text: "Verify: scan the code, or run credence verify on this PDF (the signed credential is inside). Credential urn:uuid:6f1c2a7e-9f1b-4c55-8a3e-0d2b1c9e7f10 · Issuer did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK".into(),
        }),
            completion: None,
        meta: Meta {
            title: format!("Certificate: {learner}, Data Analytics for Public Health"),
            author: "Northfield University".into(),
            subject: "Microcredential certificate".into(),
            created: 1_795_000_000,
        },
    }
}

#[test]
fn certificates_in_several_scripts_render_check_and_extract() {
    let logo = picture(480, 120, [31, 58, 95]);
    let badge = picture(300, 300, [138, 109, 29]);
    let sig = picture(300, 100, [20, 20, 60]);
    let json = br#"{"id":"urn:uuid:6f1c2a7e"}"#;
    let long = "Maximiliane Wolkenstein-Rodenegg ".repeat(6);
    let cases: Vec<(&str, &str, Paper, Orientation, Typeface, usize)> = vec![
        (
            "latin",
            "Zoë Ångström-Núñez",
            Paper::A4,
            Orientation::Landscape,
            Typeface::Serif,
            2,
        ),
        (
            "greek",
            "Αλέξανδρος Παπαδόπουλος",
            Paper::Letter,
            Orientation::Landscape,
            Typeface::Sans,
            1,
        ),
        (
            "cyrillic",
            "Анастасия Кузнецова",
            Paper::A4,
            Orientation::Portrait,
            Typeface::Serif,
            5,
        ),
        (
            "vietnamese",
            "Nguyễn Thị Phương Thảo",
            Paper::Letter,
            Orientation::Portrait,
            Typeface::Serif,
            3,
        ),
        (
            "arabic",
            "محمد عبد الله",
            Paper::A4,
            Orientation::Portrait,
            Typeface::Serif,
            2,
        ),
        (
            "devanagari",
            "प्रिया शर्मा",
            Paper::Letter,
            Orientation::Landscape,
            Typeface::Sans,
            2,
        ),
        (
            "japanese",
            "山田 花子",
            Paper::A4,
            Orientation::Landscape,
            Typeface::Serif,
            1,
        ),
        (
            "long",
            &long,
            Paper::A4,
            Orientation::Landscape,
            Typeface::Serif,
            5,
        ),
    ];
    for (label, learner, paper, orientation, typeface, signers) in cases {
        let template = TemplateInput {
            paper,
            orientation,
            typeface,
            ..TemplateInput::default()
        };
        let mut c = sample(&template, learner.trim(), &logo, &badge, &sig);
        c.signers = (0..signers).map(|i| c.signers[i % 2].clone()).collect();
        let pdf = certificate::pdf(
            &c,
            &[Attachment {
                name: "credential.json".into(),
                mime: "application/json".into(),
                description: "The signed credential".into(),
                bytes: json,
            }],
        )
        .expect("renders");
        assert!(pdf.len() < 100_000, "{label}: {} bytes", pdf.len());
        let path = out_dir().join(format!("{label}.pdf"));
        std::fs::write(&path, &pdf).expect("write");
        let preview = certificate::svg(&c).expect("preview");
        assert!(preview.svg.starts_with("<svg"));
        std::fs::write(out_dir().join(format!("{label}.svg")), &preview.svg).expect("write");
        if has("qpdf") {
            let check = Command::new("qpdf")
                .arg("--check")
                .arg(&path)
                .output()
                .expect("qpdf");
            assert!(
                check.status.success(),
                "{label}: {}",
                String::from_utf8_lossy(&check.stdout)
            );
        }
        if has("pdftotext") && label != "long" {
            let text = Command::new("pdftotext")
                .arg(&path)
                .arg("-")
                .output()
                .expect("pdftotext");
            // pdftotext wraps right-to-left lines in bidi embedding marks: not text.
            let text: String = String::from_utf8_lossy(&text.stdout)
                .chars()
                .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
                .collect();
            assert!(text.contains(learner.trim()), "{label}: {text}");
            assert!(
                text.contains("Data Analytics for Public Health"),
                "{label}: {text}"
            );
        }
        if has("pdftoppm") {
            let png = out_dir().join(label);
            Command::new("pdftoppm")
                .args(["-png", "-r", "60", "-singlefile"])
                .arg(&path)
                .arg(&png)
                .status()
                .expect("pdftoppm");
            let qr = c.verification.as_ref().map(|v| v.qr.as_str());
            assert_eq!(read_qr(&path).as_deref(), qr, "{label}: the QR code");
        }
    }
}

/// What the QR code on the PDF's page says, read from the page rendered at 150 dpi.
fn read_qr(pdf: &std::path::Path) -> Option<String> {
    let mut prepared = rqrr::PreparedImage::prepare(raster(pdf, 150));
    let grids = prepared.detect_grids();
    assert!(grids.len() <= 1, "{} QR codes found", grids.len());
    grids
        .first()
        .map(|g| g.decode().expect("the QR code decodes").1)
}

/// The page rendered in grey at `dpi`.
fn raster(pdf: &std::path::Path, dpi: u32) -> image::GrayImage {
    let png = pdf.with_extension("raster");
    let rendered = Command::new("pdftoppm")
        .args(["-png", "-gray", "-r", &dpi.to_string(), "-singlefile"])
        .arg(pdf)
        .arg(&png)
        .status()
        .expect("pdftoppm");
    assert!(rendered.success());
    let png = png.with_extension("raster.png");
    let page = image::open(&png).expect("rendered page").to_luma8();
    let _ = std::fs::remove_file(&png);
    page
}

/// A sheet's template (made once, with no learner) draws each learner's certificate as the
/// whole way does: the same page to the pixel's shade, the same text, the same QR code;
/// a name outside its fonts (or right to left) is made the whole way.
#[test]
fn a_template_draws_what_the_whole_way_draws() {
    let logo = picture(480, 120, [31, 58, 95]);
    let badge = picture(300, 300, [138, 109, 29]);
    let sig = picture(300, 100, [20, 20, 60]);
    let json = br#"{"id":"urn:uuid:6f1c2a7e"}"#;
    let attachments = [Attachment {
        name: "credential.json".into(),
        mime: "application/json".into(),
        description: "The signed credential".into(),
        bytes: json,
    }];
    for (typeface, orientation) in [
        (Typeface::Serif, Orientation::Landscape),
        (Typeface::Sans, Orientation::Portrait),
    ] {
        let template = TemplateInput {
            typeface,
            orientation,
            ..TemplateInput::default()
        };
        let mut neutral = sample(&template, "", &logo, &badge, &sig);
        neutral.date = String::new();
        let prepared = certificate::template(&neutral).expect("template");
        let learners = [
            ("Zoë Ångström-Núñez", true),
            ("Jürgen Quixote-Wyatt, Ph.D. (Zürich)", true),
            ("Łukasz Żółkiewski", true),
            (&*"Maximiliane Wolkenstein-Rodenegg ".repeat(4), true),
            ("Αλέξανδρος Παπαδόπουλος", false),
            ("محمد عبد الله", false),
        ];
        for (i, (learner, drawn)) in learners.into_iter().enumerate() {
            let mut c = sample(&template, learner.trim(), &logo, &badge, &sig);
            c.date = format!("Awarded {} March 2027", i + 1);
            if let Some(v) = c.verification.as_mut() {
                v.qr = format!("https://verify.example.edu/?credential=urn%3Auuid%3A{i}");
            }
            assert_eq!(prepared.draws(&c), Ok(drawn), "{learner}");
            let fast = prepared.pdf(&c, &attachments).expect("renders");
            let whole = certificate::pdf(&c, &attachments).expect("renders");
            assert!(fast.len() < 120_000, "{learner}: {} bytes", fast.len());
            let label = format!("template-{typeface:?}-{i}");
            let fast_path = out_dir().join(format!("{label}.pdf"));
            let whole_path = out_dir().join(format!("{label}-whole.pdf"));
            std::fs::write(&fast_path, &fast).expect("write");
            std::fs::write(&whole_path, &whole).expect("write");
            if has("qpdf") {
                let check = Command::new("qpdf")
                    .arg("--check")
                    .arg(&fast_path)
                    .output()
                    .expect("qpdf");
                assert!(check.status.success(), "{learner}: qpdf");
            }
            if has("pdftotext") {
                let text = |p: &std::path::Path| {
                    let out = Command::new("pdftotext")
                        .arg(p)
                        .arg("-")
                        .output()
                        .expect("pdftotext");
                    String::from_utf8_lossy(&out.stdout).into_owned()
                };
                let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
                let fast_text = words(&text(&fast_path));
                // The long name wraps onto three lines and ends with "…".
                let shown = if learner.len() > 60 {
                    &learner[..60]
                } else {
                    learner
                };
                // pdftotext gives right-to-left lines in their own order: not compared.
                if !learner.contains('م') {
                    assert!(fast_text.contains(&words(shown)), "{learner}: {fast_text}");
                }
                assert!(fast_text.contains("Data Analytics for Public Health"));
                assert_eq!(words(&fast_text), words(&text(&whole_path)), "{learner}");
            }
            if has("pdftoppm") {
                let (a, b) = (raster(&fast_path, 100), raster(&whole_path, 100));
                assert_eq!(a.dimensions(), b.dimensions());
                let differ = a
                    .pixels()
                    .zip(b.pixels())
                    .filter(|(p, q)| p.0[0].abs_diff(q.0[0]) > 48)
                    .count();
                assert!(
                    differ * 2000 < a.len(),
                    "{learner}: {differ} of {} pixels differ",
                    a.len()
                );
                let qr = c.verification.as_ref().map(|v| v.qr.as_str());
                assert_eq!(read_qr(&fast_path).as_deref(), qr, "{learner}: the QR code");
            }
        }
    }
}
