//! Printed certificates: templates (stored, audited, chosen by category and level),
//! signature images, the live preview, and the certificate of each award (PDF with the
//! signed credential attached). Layout and fonts are `credence-pdf`'s.

pub mod award_files;
pub mod batch_files;
pub(crate) mod bundles;

use chrono::{DateTime, NaiveDate};
use credence_domain::award::{Award, LearnerInput};
use credence_domain::certificate::{
    self as rules, check_image, Template, TemplateInput, Wording, MAX_IMAGE_SIDE,
    MAX_SIGNATURE_BYTES,
};
use credence_domain::proposal::ProposalContent;
use credence_domain::taxonomy::Facet;
use credence_domain::{DomainError, FieldError, Id};
use credence_pdf::certificate::{self, Certificate, Picture, Signer, Verification};
use credence_pdf::{Attachment, Meta, PdfError};
use credence_store::certificates as store;
use credence_store::proposals as repo;
use credence_store::{institution, issuing, sql::Sql, taxonomy};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::kernel::{record, Need};
use crate::{AppError, ErrorKind, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// Signature images are kept at most this size, pixels (print resolution for their box).
const SIGNATURE_PX: (u32, u32) = (600, 200);
const LOGO_PX: (u32, u32) = (900, 240);
const BADGE_PX: u32 = 300;

/// The SVG preview of a certificate and the text on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CertificatePreview {
    pub svg: String,
    /// Every line of text on the certificate, top to bottom.
    pub text: Vec<String>,
}

/// The templates stored, and the standard template (what applies where none does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CertificateTemplates {
    pub templates: Vec<Template>,
    pub standard: TemplateInput,
}

/// A PDF problem as the user meets it: characters no font draws are reported against
/// `field`, an image against the image's own name.
pub(crate) fn pdf_error_in(field: &str, e: PdfError) -> AppError {
    match e {
        PdfError::MissingGlyphs(_) => AppError::field(field, e.to_string()),
        PdfError::Image { ref what, .. } => AppError::field(what, e.to_string()),
        PdfError::Font(_) | PdfError::Assemble(_) => {
            AppError::new(ErrorKind::Internal, e.to_string())
        }
    }
}

fn pdf_error(e: PdfError) -> AppError {
    pdf_error_in("certificate", e)
}

/// What one microcredential version's certificates share: the template, the institution,
/// the images and the microcredential's own text. Prepared once, rendered per learner.
pub struct Sheet {
    template: TemplateInput,
    institution: String,
    logo: Option<Picture>,
    badge: Option<Picture>,
    signers: Vec<(String, String, Option<Picture>)>,
    title: String,
    category_level: Option<String>,
    credits: Option<String>,
    outcomes: Vec<String>,
    /// What every learner's certificate shares, made the first time one is (`None` where
    /// it cannot be: each is then made the whole way).
    prepared: std::sync::OnceLock<Option<certificate::Template>>,
}

/// One learner's part of a certificate.
pub struct Line<'a> {
    pub learner: &'a str,
    pub completed_on: &'a str,
    /// The credential as issued (`None` for a preview before issuing).
    pub credential: Option<&'a str>,
    pub issued_at: i64,
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

fn credits_line(c: &ProposalContent, words: &Wording) -> Option<String> {
    let w = &c.workload;
    let mut parts = Vec::new();
    if let Some(v) = w.credits {
        parts.push(Wording::count(&words.credits, &number(v)));
    }
    if let Some(v) = w.ects {
        parts.push(format!("{} ECTS", number(v)));
    }
    if let Some(v) = w.hours {
        parts.push(Wording::count(&words.hours, &number(v)));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// "Awarded 2 December 2026" (English, or no language given), else the template's words
/// around the date as 2026-12-02 (month names are not known in every language).
fn awarded_on(date: &str, template: &TemplateInput) -> String {
    let english = template
        .language
        .as_deref()
        .is_none_or(|l| credence_domain::language::suits("en", l));
    let written = match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
        Ok(d) if english => d.format("%-d %B %Y").to_string(),
        _ => date.to_string(),
    };
    template.wording.awarded.replace("{date}", &written)
}

/// The QR code's content and the short text beside it.
fn verification(
    credential_json: &str,
    verify_url: Option<&str>,
    sentence: &str,
) -> Result<Verification> {
    // Only the two ids are read: the rest (the badge image is kilobytes) is skipped over,
    // not built into a tree, for every certificate.
    #[derive(serde::Deserialize)]
    struct Ids {
        #[serde(default)]
        id: Option<String>,
        #[serde(default)]
        issuer: Option<Issuer>,
    }
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Issuer {
        Id(String),
        Profile {
            #[serde(default)]
            id: Option<String>,
        },
        Other(serde::de::IgnoredAny),
    }
    let v: Ids = serde_json::from_str(credential_json)
        .map_err(|e| AppError::new(ErrorKind::Internal, format!("the stored credential: {e}")))?;
    let id = v.id.as_deref().unwrap_or_default();
    let issuer = match &v.issuer {
        Some(Issuer::Id(id)) | Some(Issuer::Profile { id: Some(id) }) => id.as_str(),
        _ => "",
    };
    let qr = match verify_url {
        Some(url) => format!("{url}?credential={}", url_encode(id)),
        None => format!("{id}\n{issuer}"),
    };
    Ok(Verification {
        qr,
        // The English labels only beside the English sentence; the ids speak for themselves.
        text: if sentence == Wording::default().verification {
            format!("{sentence} Credential {id} · Issuer {issuer}")
        } else {
            format!("{sentence} {id} · {issuer}")
        },
    })
}

pub(crate) fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Whether a credential says it was earned by recognition of prior learning. Only its
/// evidence is read: the rest (the badge image inside is kilobytes) is skipped over, not
/// built into a tree, for every certificate.
fn by_recognition(json: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Signed {
        evidence: Option<Vec<serde_json::Value>>,
    }
    serde_json::from_str::<Signed>(json)
        .ok()
        .and_then(|v| v.evidence)
        .is_some_and(|items| {
            items
                .iter()
                .any(|e| e["genre"] == credence_domain::prior_learning::RECOGNITION_GENRE)
        })
}

impl Sheet {
    /// Renders one certificate: PDF with the credential attached, or the SVG preview.
    fn certificate<'s>(&'s self, line: &Line<'_>, verify: Option<Verification>) -> Certificate<'s> {
        Certificate {
            template: &self.template,
            institution: self.institution.clone(),
            logo: self.logo.as_ref(),
            learner: line.learner.to_string(),
            title: self.title.clone(),
            category_level: self.category_level.clone(),
            credits: self.credits.clone(),
            date: awarded_on(line.completed_on, &self.template),
            outcomes: self.outcomes.clone(),
            signers: self
                .signers
                .iter()
                .map(|(name, title, sig)| Signer {
                    name: name.clone(),
                    title: title.clone(),
                    signature: sig.as_ref(),
                })
                .collect(),
            badge: self.badge.as_ref(),
            verification: verify,
            completion: line
                .credential
                .is_some_and(by_recognition)
                .then(|| self.template.wording.recognized.clone()),
            meta: Meta {
                title: format!("{}: certificate for {}", self.title, line.learner),
                author: self.institution.clone(),
                subject: format!("Microcredential certificate: {}", self.title),
                created: line.issued_at,
            },
        }
    }

    pub fn pdf(&self, line: &Line<'_>, verify_url: Option<&str>) -> Result<Vec<u8>> {
        let json = line.credential.unwrap_or_default();
        let verify = verification(json, verify_url, &self.template.wording.verification)?;
        let c = self.certificate(line, Some(verify));
        let attachments = [Attachment {
            name: "credential.json".into(),
            mime: "application/json".into(),
            description: "The signed Open Badges 3.0 credential this certificate shows".into(),
            bytes: json.as_bytes(),
        }];
        match self.prepared() {
            Some(template) => template.pdf(&c, &attachments),
            None => certificate::pdf(&c, &attachments),
        }
        .map_err(pdf_error)
    }

    /// The sheet's template, prepared from a certificate with no learner's parts in it.
    fn prepared(&self) -> Option<&certificate::Template> {
        self.prepared
            .get_or_init(|| {
                let blank = Line {
                    learner: "",
                    completed_on: "",
                    credential: None,
                    issued_at: 0,
                };
                let c = self.certificate(
                    &blank,
                    Some(Verification {
                        qr: "-".into(),
                        text: self.template.wording.verification.clone(),
                    }),
                );
                certificate::template(&c).ok()
            })
            .as_ref()
    }

    pub fn preview(&self, line: &Line<'_>) -> Result<CertificatePreview> {
        let c = self.certificate(line, None);
        let p = certificate::svg(&c).map_err(pdf_error)?;
        Ok(CertificatePreview {
            svg: p.svg,
            text: p.text,
        })
    }
}

fn label(conn: &dyn Sql, facet: Facet, code: &Option<String>) -> Result<Option<String>> {
    Ok(match code {
        Some(code) => taxonomy::term_by_code(conn, facet, code)?.map(|t| t.label),
        None => None,
    })
}

fn sample_content() -> ProposalContent {
    let mut c = ProposalContent {
        title: "Sample Microcredential".into(),
        outcomes: vec![
            "Explain the core ideas of the field to a colleague.".into(),
            "Apply them to a realistic problem and justify the choices made.".into(),
            "Evaluate the result against agreed criteria.".into(),
        ],
        ..ProposalContent::default()
    };
    c.workload.credits = Some(6.0);
    c.workload.hours = Some(150.0);
    c
}

/// Refuses learners whose names a certificate cannot print, each row and character named
/// (checked before anything is issued, when certificates are wanted).
pub fn check_printable(learners: &[LearnerInput]) -> Result<()> {
    let mut problems = Vec::new();
    for (i, row) in learners.iter().enumerate() {
        let missing = credence_pdf::shape::undrawable(row.name.trim()).map_err(pdf_error)?;
        if !missing.is_empty() {
            problems.push(FieldError::new(
                format!("{}name", crate::issuing::row_prefix(learners.len(), i)),
                format!(
                    "{}; issue this learner without a PDF certificate",
                    unprintable_message(&missing)
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(problems).into())
    }
}

fn unprintable_message(missing: &[char]) -> String {
    format!(
        "the certificate fonts cannot print {} (they cover every living script, not emoji or historic scripts)",
        credence_pdf::name_chars(missing)
    )
}

/// A template in normal form whose every text the certificate fonts can print, or each
/// problem named by field.
fn printable_template(input: &TemplateInput) -> Result<TemplateInput> {
    let valid = input.validate()?;
    let mut texts = vec![
        ("heading".to_string(), valid.heading.as_str()),
        (
            "completion_text".to_string(),
            valid.completion_text.as_str(),
        ),
    ];
    for (i, s) in valid.signatories.iter().enumerate() {
        texts.push((format!("signatories[{i}].name"), s.name.as_str()));
        texts.push((format!("signatories[{i}].title"), s.title.as_str()));
    }
    let mut problems = Vec::new();
    for (field, text) in texts {
        let missing = credence_pdf::shape::undrawable(text).map_err(pdf_error)?;
        if !missing.is_empty() {
            problems.push(FieldError::new(field, unprintable_message(&missing)));
        }
    }
    if problems.is_empty() {
        Ok(valid)
    } else {
        Err(DomainError::Invalid(problems).into())
    }
}

/// One award's certificate from its version's prepared sheet.
pub(crate) fn certificate_pdf(
    sheet: &Sheet,
    award: &Award,
    json: &str,
    verify_url: Option<&str>,
) -> Result<Vec<u8>> {
    let issued_at = DateTime::parse_from_rfc3339(&award.issued_at)
        .map(|d| d.timestamp())
        .unwrap_or_default();
    sheet.pdf(
        &Line {
            learner: &award.learner_name,
            completed_on: &award.completed_on,
            credential: Some(json),
            issued_at,
        },
        verify_url,
    )
}

impl Workspace {
    /// The stored templates and the standard one.
    pub fn certificate_templates(&self) -> Result<CertificateTemplates> {
        Ok(CertificateTemplates {
            templates: self.read(|c| Ok(store::templates(c)?))?,
            standard: TemplateInput::default(),
        })
    }

    /// Creates (`id` None) or changes a template (coordinators; audited). Every problem is
    /// named by field; a template applying to the same category and level as another is
    /// refused.
    pub fn save_certificate_template(
        &self,
        by: Option<Id>,
        id: Option<Id>,
        input: &TemplateInput,
    ) -> Result<Template> {
        let valid = printable_template(input)?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let mut problems = Vec::new();
            for (field, facet, code) in [
                ("category", Facet::Category, &valid.category),
                ("level", Facet::Level, &valid.level),
            ] {
                if let Some(code) = code {
                    if taxonomy::term_by_code(tx, facet, code)?.is_none() {
                        problems.push(FieldError::new(
                            field,
                            format!("there is no {field} \"{code}\""),
                        ));
                    }
                }
            }
            for (i, s) in valid.signatories.iter().enumerate() {
                if let Some(sha) = &s.signature {
                    if store::signature(tx, sha)?.is_none() {
                        problems.push(FieldError::new(
                            format!("signatories[{i}].signature"),
                            "the signature image is not stored; add it again",
                        ));
                    }
                }
            }
            if let Some((_, name)) = store::clash(tx, id, &valid)? {
                if name == valid.name {
                    problems.push(FieldError::new(
                        "name",
                        format!("there is already a template \"{name}\""),
                    ));
                } else {
                    problems.push(FieldError::new(
                        "category",
                        format!(
                            "the template \"{name}\" already applies to this category and level"
                        ),
                    ));
                }
            }
            if !problems.is_empty() {
                return Err(DomainError::Invalid(problems).into());
            }
            let before = match id {
                Some(id) => Some(store::template_by_id(tx, id)?.ok_or_else(|| {
                    AppError::not_found(format!("there is no certificate template {id}"))
                })?),
                None => None,
            };
            let at = crate::kernel::clock::now();
            let saved = store::save_template(tx, id, &valid, &at)?;
            record(
                tx,
                actor,
                "certificate_template",
                &saved.to_string(),
                if before.is_some() { "update" } else { "create" },
                before.as_ref().map(|t| &t.input),
                Some(&valid),
            )?;
            store::template_by_id(tx, saved)?
                .ok_or_else(|| AppError::new(ErrorKind::Internal, "the template vanished"))
        })
    }

    /// Deletes a template (coordinators; audited). Certificates of its microcredentials
    /// then use the next template that applies.
    pub fn delete_certificate_template(&self, by: Option<Id>, id: Id) -> Result<()> {
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = store::template_by_id(tx, id)?.ok_or_else(|| {
                AppError::not_found(format!("there is no certificate template {id}"))
            })?;
            store::delete_template(tx, id)?;
            record(
                tx,
                actor,
                "certificate_template",
                &id.to_string(),
                "delete",
                Some(&before.input),
                None::<()>,
            )?;
            Ok(())
        })
    }

    /// Stores a signature image (PNG or JPEG; scaled to print size) and returns the name a
    /// template's signatory refers to it by (coordinators; audited).
    pub fn add_signature_image(&self, by: Option<Id>, field: &str, bytes: &[u8]) -> Result<String> {
        check_image(bytes, field, MAX_SIGNATURE_BYTES, MAX_IMAGE_SIDE)?;
        let picture =
            Picture::decode(bytes, field, SIGNATURE_PX.0, SIGNATURE_PX.1).map_err(pdf_error)?;
        let sha = hex::encode(Sha256::digest(&picture.png));
        self.write(by, Need::Coordinator, |tx, actor| {
            if store::signature(tx, &sha)?.is_none() {
                store::put_signature(tx, &sha, &picture.png)?;
                record(
                    tx,
                    actor,
                    "signature_image",
                    &sha,
                    "add",
                    None::<()>,
                    Some(&serde_json::json!({ "width": picture.width, "height": picture.height })),
                )?;
            }
            Ok(sha.clone())
        })
    }

    /// A stored signature image as a `data:` URL, for the editor.
    pub fn signature_image(&self, sha: &str) -> Result<String> {
        use base64::Engine;
        let png = self
            .read(|c| Ok(store::signature(c, sha)?))?
            .ok_or_else(|| AppError::not_found("there is no such signature image"))?;
        Ok(format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        ))
    }

    /// Prepares what every certificate of `content` shares, under `template` (or the
    /// template that applies), in `language` (an issued award's: what its credential says)
    /// or else the template's.
    pub(crate) fn sheet(
        &self,
        content: &ProposalContent,
        template: Option<&TemplateInput>,
        language: Option<&str>,
    ) -> Result<Sheet> {
        let (template, institution, logo, signers, category, level) = self.read(|c| {
            let template = match template {
                Some(t) => t.clone(),
                None => {
                    let all = store::templates(c)?;
                    rules::choose(&all, content.category.as_deref(), content.level.as_deref())
                        .map(|t| t.input.clone())
                        .unwrap_or_default()
                }
            };
            let inst = institution::get(c)?.ok_or_else(|| {
                AppError::new(ErrorKind::Workspace, "the workspace has no institution")
            })?;
            let logo = institution::logo(c)?.map(|(_, bytes)| bytes);
            let mut signers = Vec::new();
            for s in &template.signatories {
                let png = match &s.signature {
                    Some(sha) => store::signature(c, sha)?,
                    None => None,
                };
                signers.push((s.name.clone(), s.title.clone(), png));
            }
            Ok((
                template,
                inst.name,
                logo,
                signers,
                label(c, Facet::Category, &content.category)?,
                label(c, Facet::Level, &content.level)?,
            ))
        })?;
        // The award's language, or the template's, where the texts are given in it.
        let wanted = language.or(template.language.as_deref());
        let content = &content.localized(&content.language_for(wanted));
        let badge_png = self.badge_files(content, BADGE_PX)?.png;
        let badge = Picture::decode(&badge_png, "the badge image", BADGE_PX, BADGE_PX)
            .map_err(pdf_error)?;
        let logo = match logo {
            Some(bytes) if template.blocks.logo => Some(
                Picture::decode(&bytes, "the institution logo", LOGO_PX.0, LOGO_PX.1)
                    .map_err(pdf_error)?,
            ),
            _ => None,
        };
        let signers = signers
            .into_iter()
            .enumerate()
            .map(|(i, (name, title, png))| {
                let sig = png
                    .map(|b| {
                        Picture::decode(
                            &b,
                            &format!("signatories[{i}].signature"),
                            SIGNATURE_PX.0,
                            SIGNATURE_PX.1,
                        )
                    })
                    .transpose()
                    .map_err(pdf_error)?;
                Ok((name, title, sig))
            })
            .collect::<Result<Vec<_>>>()?;
        let category_level = match (category, level) {
            (Some(c), Some(l)) => Some(format!("{c} · {l}")),
            (c, l) => c.or(l),
        };
        Ok(Sheet {
            credits: credits_line(content, &template.wording),
            template,
            institution,
            logo,
            badge: Some(badge),
            signers,
            title: content.title.clone(),
            category_level,
            outcomes: content.outcomes.clone(),
            prepared: std::sync::OnceLock::new(),
        })
    }

    /// The content of the first active microcredential, or a sample.
    fn preview_content(&self) -> Result<ProposalContent> {
        let first = self.microcredentials()?.into_iter().next();
        match first {
            Some(m) => self.read(|c| {
                Ok(repo::get(c, m.proposal_id)?
                    .map(|p| p.content)
                    .unwrap_or_else(sample_content))
            }),
            None => Ok(sample_content()),
        }
    }

    /// The live preview of a template being edited (not yet saved), on the first active
    /// microcredential (or a sample).
    pub fn preview_certificate_template(
        &self,
        input: &TemplateInput,
    ) -> Result<CertificatePreview> {
        let valid = printable_template(input)?;
        let content = self.preview_content()?;
        let sheet = self.sheet(&content, Some(&valid), None)?;
        sheet.preview(&Line {
            learner: "Zoë Ångström-Núñez",
            completed_on: &chrono::Local::now().date_naive().to_string(),
            credential: None,
            issued_at: chrono::Utc::now().timestamp(),
        })
    }

    /// The certificate a learner would get, before issuing (nothing is signed or stored).
    pub fn preview_certificate(
        &self,
        microcredential: &str,
        learner: &LearnerInput,
    ) -> Result<CertificatePreview> {
        let row = std::slice::from_ref(learner);
        let learner = crate::issuing::check_learners(row)?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::field("name", "no learner given"))?;
        check_printable(row)?;
        let content = self.awarded_content(microcredential)?;
        let sheet = self.sheet(&content, None, None)?;
        sheet.preview(&Line {
            learner: &learner.name,
            completed_on: &learner.completed_on.to_string(),
            credential: None,
            issued_at: chrono::Utc::now().timestamp(),
        })
    }

    /// Certificates of issued awards (PDF, the credential attached), in the order given.
    /// Awards of the same microcredential version share one prepared sheet.
    pub fn award_certificates(&self, awards: &[String]) -> Result<Vec<(String, Vec<u8>)>> {
        let verify_url = self.issuing_settings()?.verify_url;
        let mut sheets: std::collections::HashMap<(Id, i64, Option<String>), Sheet> =
            Default::default();
        let mut out = Vec::with_capacity(awards.len());
        for id in awards {
            let award = self.award(id)?;
            if let Some(when) = &award.revoked_at {
                return Err(AppError::field(
                    "award",
                    format!(
                        "the award to {} was revoked on {}; a revoked award has no certificate",
                        award.learner_name,
                        &when[..10.min(when.len())]
                    ),
                ));
            }
            let json = self
                .read(|c| Ok(issuing::credential_json(c, &award.id)?))?
                .ok_or_else(|| AppError::not_found("the award's credential is missing"))?;
            // In the language the credential was issued in.
            let language = crate::issuing::issued_language(&json);
            let key = (award.proposal_id, award.version, language.clone());
            let sheet = match sheets.entry(key) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(self.sheet(&self.award_content(&award)?, None, language.as_deref())?)
                }
            };
            let pdf = certificate_pdf(sheet, &award, &json, verify_url.as_deref())?;
            out.push((award.id.clone(), pdf));
        }
        Ok(out)
    }

    /// One award's certificate.
    pub fn award_certificate(&self, award: &str) -> Result<Vec<u8>> {
        self.award_certificates(&[award.to_string()])?
            .pop()
            .map(|(_, pdf)| pdf)
            .ok_or_else(|| AppError::not_found(format!("there is no award {award}")))
    }

    /// A prepared sheet and a sample credential line, for the benchmark.
    pub fn certificate_sheet_for(&self, award: &str) -> Result<(Sheet, String)> {
        let award = self.award(award)?;
        let json = self
            .read(|c| Ok(issuing::credential_json(c, &award.id)?))?
            .unwrap_or_default();
        let content = self.award_content(&award)?;
        let language = crate::issuing::issued_language(&json);
        Ok((self.sheet(&content, None, language.as_deref())?, json))
    }
}
