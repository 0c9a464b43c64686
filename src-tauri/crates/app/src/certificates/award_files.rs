//! The files of issued awards, for the formats asked: the credential JSON, the badge PNG and
//! SVG with the credential baked in, and the PDF certificate. What every award of one
//! microcredential version shares (its badge, drawn and compressed; its certificate sheet) is
//! prepared once per version and reused for every award, so a roster of thousands pays for
//! one badge drawing, not one per learner.

use std::collections::HashMap;

use credence_domain::award::Award;
use credence_domain::Id;
use credence_store::issuing as store;
use credence_vc::bake;

use crate::catalog::badge_image::BadgeFiles;
use crate::certificates::bundles::{index_html, Issuer, Shown};
use crate::certificates::{certificate_pdf, Sheet};
use crate::issuing::{internal, IssuedRow};
use crate::kernel::exports::zip_stored;
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// The badge PNG in an award's files, pixels a side (an uploaded PNG is kept as it is).
pub const AWARD_BADGE_PX: u32 = 512;

/// One kind of file an award can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AwardFormat {
    Json,
    Png,
    Svg,
    Pdf,
    /// The learner's page (`bundles::index_html`), linking the award's other files.
    Html,
    /// Every other file of the award in one ZIP.
    Zip,
}

impl AwardFormat {
    /// The award's own files.
    pub const ALL: [AwardFormat; 4] = [Self::Json, Self::Png, Self::Svg, Self::Pdf];
    /// What a learner receives: the award's files, its page and the ZIP of them.
    pub const BUNDLE: [AwardFormat; 6] = [
        Self::Json,
        Self::Png,
        Self::Svg,
        Self::Pdf,
        Self::Html,
        Self::Zip,
    ];

    /// The file's name inside the award's folder.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Json => "credential.json",
            Self::Png => "badge.png",
            Self::Svg => "badge.svg",
            Self::Pdf => "certificate.pdf",
            Self::Html => "index.html",
            Self::Zip => "bundle.zip",
        }
    }

    /// A comma-separated list such as `json,png` (`bundle` for all six): each named once, at
    /// least one; in the order they are made (the page and the ZIP after the files they
    /// hold).
    pub fn parse_list(text: &str) -> Result<Vec<Self>> {
        let mut out = Vec::new();
        for f in text.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            let formats: &[Self] = match f {
                "json" => &[Self::Json],
                "png" => &[Self::Png],
                "svg" => &[Self::Svg],
                "pdf" => &[Self::Pdf],
                "html" => &[Self::Html],
                "zip" => &[Self::Zip],
                "bundle" => &Self::BUNDLE,
                other => {
                    return Err(AppError::field(
                        "formats",
                        format!("\"{other}\" is not json, png, svg, pdf, html, zip or bundle"),
                    ))
                }
            };
            for format in formats {
                if !out.contains(format) {
                    out.push(*format);
                }
            }
        }
        if out.is_empty() {
            return Err(AppError::field(
                "formats",
                "name at least one of json, png, svg, pdf, html, zip, bundle",
            ));
        }
        out.sort_by_key(|f| Self::BUNDLE.iter().position(|b| b == f));
        Ok(out)
    }
}

/// One file of an award: its name in the award's folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardFile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// What the awards of one microcredential version share.
#[derive(Default)]
struct Prepared {
    badge: Option<BadgeFiles>,
    sheet: Option<Sheet>,
    shown: Option<Shown>,
}

/// Writes awards' files for a fixed list of formats, preparing each microcredential
/// version's shared parts the first time an award of it comes by.
pub struct AwardWriter<'w> {
    ws: &'w Workspace,
    formats: Vec<AwardFormat>,
    verify_url: Option<String>,
    /// For the learner's page.
    issuer: Issuer,
    /// By microcredential, version and the language awards were issued in.
    versions: HashMap<(Id, i64, Option<String>), Prepared>,
}

/// An award's files: the signed credential and the badge with the credential baked in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardFiles {
    pub json: String,
    pub png: Vec<u8>,
    /// Where the badge is vector (generated, or an uploaded SVG).
    pub svg: Option<String>,
}

impl Workspace {
    /// An award's files: the credential JSON as issued, the badge PNG with it baked in, and
    /// the SVG where the badge is vector.
    pub fn award_files(&self, award: &str) -> Result<AwardFiles> {
        let award = self.award(award)?;
        let files = self
            .award_writer(&[AwardFormat::Json, AwardFormat::Png, AwardFormat::Svg])?
            .files(&award)?;
        let take = |format: AwardFormat| {
            files
                .iter()
                .find(|f| f.name == format.file_name())
                .map(|f| f.bytes.clone())
        };
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).map_err(internal);
        Ok(AwardFiles {
            json: take(AwardFormat::Json)
                .map(text)
                .transpose()?
                .unwrap_or_default(),
            png: take(AwardFormat::Png).unwrap_or_default(),
            svg: take(AwardFormat::Svg).map(text).transpose()?,
        })
    }

    /// A writer of awards' files in `formats`.
    pub fn award_writer(&self, formats: &[AwardFormat]) -> Result<AwardWriter<'_>> {
        let settings = self.issuing_settings()?;
        let issuer = Issuer {
            name: self
                .status()?
                .institution
                .map(|i| i.name)
                .unwrap_or_default(),
            linkedin_organization_id: settings.linkedin_organization_id,
            verify_url: settings.verify_url.clone(),
        };
        let mut formats = formats.to_vec();
        formats.sort_by_key(|f| AwardFormat::BUNDLE.iter().position(|b| b == f));
        formats.dedup();
        Ok(AwardWriter {
            ws: self,
            formats,
            verify_url: settings.verify_url,
            issuer,
            versions: HashMap::new(),
        })
    }
}

/// A signed credential's expiry (`validUntil`), read alone: the rest (the badge image inside
/// is kilobytes) is skipped over, not built into a tree, for every learner's page.
fn valid_until(json: &str) -> Result<Option<String>> {
    #[derive(serde::Deserialize)]
    struct Signed {
        #[serde(rename = "validUntil")]
        valid_until: Option<serde_json::Value>,
    }
    let credential: Signed = serde_json::from_str(json).map_err(internal)?;
    // Anything but a date-time string is no expiry to show (as before).
    Ok(credential
        .valid_until
        .and_then(|v| v.as_str().map(str::to_string)))
}

impl AwardWriter<'_> {
    /// The formats this writer writes, as `credence issue --formats` names them.
    pub fn format_names(&self) -> String {
        self.formats
            .iter()
            .map(|f| f.file_name())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Whether this writer writes `format`.
    pub fn writes(&self, format: AwardFormat) -> bool {
        self.formats.contains(&format)
    }

    /// The web page the award's credential is verified at, where the institution has one.
    pub fn verification_url(&self, award: &Award) -> Option<String> {
        crate::certificates::bundles::verification_url(&self.issuer, &award.credential_id)
    }

    /// The names of the award's files that exist in `out/<award id>/`, in the writer's
    /// formats.
    pub fn written(&self, award: &Award, out: &std::path::Path) -> Vec<&'static str> {
        let folder = out.join(&award.id);
        self.formats
            .iter()
            .map(|f| f.file_name())
            .filter(|name| folder.join(name).is_file())
            .collect()
    }

    /// The award's files in the writer's formats, in that order. The SVG is left out where
    /// the badge is not vector (an uploaded PNG), and the certificate where the award was
    /// revoked: a revoked award has no certificate.
    pub fn files(&mut self, award: &Award) -> Result<Vec<AwardFile>> {
        let json = self.credential_json(award)?;
        let language = self.language_of(&json);
        self.prepare(award, language.as_deref())?;
        self.render(award, &json, language)
    }

    /// Writes each award's files into `out/<award id>/` (each file whole, rendered on every
    /// core), then makes them reach the disk; returns each award's file names. A temporary
    /// file a killed run left in an award's folder is removed.
    pub fn write_folders(
        &mut self,
        awards: &[Award],
        out: &std::path::Path,
    ) -> Result<Vec<Vec<&'static str>>> {
        let jsons = self.stored_credentials(awards.iter())?;
        let items: Vec<(&Award, &str)> = awards
            .iter()
            .zip(&jsons)
            .map(|(a, j)| (a, j.as_str()))
            .collect();
        self.write_items(&items, out)
    }

    /// `write_folders` of a batch's rows: the credentials a run has just signed are at hand,
    /// the others are read.
    pub fn write_rows(&mut self, rows: &[IssuedRow], out: &std::path::Path) -> Result<()> {
        let rendered = self.render_rows(rows)?;
        write_rendered(&rendered, out).map(drop)
    }

    /// The files of a batch's rows, rendered on every core but not written
    /// (`write_rendered` writes them: a batch renders the next chunk meanwhile).
    pub fn render_rows(&mut self, rows: &[IssuedRow]) -> Result<Vec<RenderedAward>> {
        let read = self.stored_credentials(
            rows.iter()
                .filter(|r| r.credential_json.is_none())
                .map(|r| &r.award),
        )?;
        let mut read = read.iter();
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let json = match &row.credential_json {
                Some(json) => json.as_str(),
                None => read
                    .next()
                    .ok_or_else(|| internal("a credential read went missing"))?
                    .as_str(),
            };
            items.push((&row.award, json));
        }
        self.render_items(&items)
    }

    /// The awards' signed credentials as the workspace holds them, read in one transaction.
    fn stored_credentials<'a>(
        &self,
        awards: impl Iterator<Item = &'a Award>,
    ) -> Result<Vec<String>> {
        let mut awards = awards.peekable();
        if awards.peek().is_none() {
            // A batch's new awards come with their credentials: the workspace is not waited
            // for (it may be committing the next chunk).
            return Ok(Vec::new());
        }
        self.ws.read(|c| {
            awards
                .map(|a| {
                    store::credential_json(c, &a.id)?
                        .ok_or_else(|| AppError::not_found("the award's credential is missing"))
                })
                .collect()
        })
    }

    fn write_items(
        &mut self,
        items: &[(&Award, &str)],
        out: &std::path::Path,
    ) -> Result<Vec<Vec<&'static str>>> {
        let rendered = self.render_items(items)?;
        write_rendered(&rendered, out)
    }

    /// Each award's files, its version prepared first, rendered on every core.
    fn render_items(&mut self, items: &[(&Award, &str)]) -> Result<Vec<RenderedAward>> {
        // Each credential read once for its language (on every core), where a file drawn in
        // it is wanted.
        let languages = if self.drawn_in_language() {
            crate::kernel::parallel::map(items, |&(_, json)| {
                Ok(crate::issuing::issued_language(json))
            })?
        } else {
            vec![None; items.len()]
        };
        for (&(award, _), language) in items.iter().zip(&languages) {
            self.prepare(award, language.as_deref())?;
        }
        let items: Vec<_> = items.iter().zip(languages).collect();
        let this = &*self;
        crate::kernel::parallel::map(&items, |(&(award, json), language)| {
            Ok(RenderedAward {
                award: award.id.clone(),
                files: this.render(award, json, language.clone())?,
            })
        })
    }

    /// Whether a file the writer makes is drawn in the credential's language (the badge,
    /// the certificate, the learner's page): the credential itself is as it was signed.
    fn drawn_in_language(&self) -> bool {
        self.formats.iter().any(|f| *f != AwardFormat::Json)
    }

    /// The language an issued credential is drawn in, where a file drawn in it is wanted.
    fn language_of(&self, json: &str) -> Option<String> {
        if self.drawn_in_language() {
            crate::issuing::issued_language(json)
        } else {
            None
        }
    }

    fn credential_json(&self, award: &Award) -> Result<String> {
        self.ws
            .read(|c| Ok(store::credential_json(c, &award.id)?))?
            .ok_or_else(|| AppError::not_found("the award's credential is missing"))
    }

    fn needs(&self, award: &Award) -> (bool, bool) {
        let wants = |f| self.formats.contains(&f);
        let needs_badge = wants(AwardFormat::Png) || wants(AwardFormat::Svg);
        let needs_sheet = wants(AwardFormat::Pdf) && award.revoked_at.is_none();
        (needs_badge, needs_sheet)
    }

    /// A revoked award has no page and no bundle, as it has no certificate: nothing to
    /// hand a learner.
    fn needs_page(&self, award: &Award) -> bool {
        self.formats.contains(&AwardFormat::Html) && award.revoked_at.is_none()
    }

    /// Draws the badge and lays out the certificate of the award's version and language,
    /// the first time an award of them comes by.
    fn prepare(&mut self, award: &Award, language: Option<&str>) -> Result<()> {
        let ws = self.ws;
        let (needs_badge, needs_sheet) = self.needs(award);
        // The badge and certificate in the language the credential was issued in.
        let prepared = self
            .versions
            .entry((
                award.proposal_id,
                award.version,
                language.map(str::to_owned),
            ))
            .or_default();
        let needs_page = self.formats.contains(&AwardFormat::Html);
        if (needs_badge && prepared.badge.is_none())
            || (needs_sheet && prepared.sheet.is_none())
            || (needs_page && prepared.shown.is_none())
        {
            let content = ws.award_content(award)?;
            if needs_page && prepared.shown.is_none() {
                prepared.shown = Some(Shown::of(&content, &content.language_for(language)));
            }
            if needs_badge && prepared.badge.is_none() {
                let shown = content.localized(&content.language_for(language));
                prepared.badge = Some(ws.badge_files(&shown, AWARD_BADGE_PX)?);
            }
            if needs_sheet && prepared.sheet.is_none() {
                prepared.sheet = Some(ws.sheet(&content, None, language)?);
            }
        }
        Ok(())
    }

    /// The learner's page of the award, linking `files`.
    fn page(&self, shown: &Shown, award: &Award, json: &str, files: &[&str]) -> Result<Vec<u8>> {
        let until = valid_until(json)?;
        let page = index_html(&self.issuer, shown, award, until.as_deref(), files);
        Ok(page.into_bytes())
    }

    /// The award's files, its version prepared.
    fn render(
        &self,
        award: &Award,
        json: &str,
        language: Option<String>,
    ) -> Result<Vec<AwardFile>> {
        let (_, needs_sheet) = self.needs(award);
        let prepared = self
            .versions
            .get(&(award.proposal_id, award.version, language))
            .ok_or_else(|| internal("the award's version was not prepared"))?;
        let mut out = Vec::with_capacity(self.formats.len());
        for &format in &self.formats {
            let bytes = match format {
                AwardFormat::Json => Some(json.as_bytes().to_vec()),
                AwardFormat::Png => match &prepared.badge {
                    Some(badge) => Some(bake::bake_png(&badge.png, json).map_err(internal)?),
                    None => None,
                },
                AwardFormat::Svg => match prepared.badge.as_ref().and_then(|b| b.svg.as_ref()) {
                    Some(svg) => Some(bake::bake_svg(svg, json).map_err(internal)?.into_bytes()),
                    None => None,
                },
                AwardFormat::Pdf => match prepared.sheet.as_ref().filter(|_| needs_sheet) {
                    Some(sheet) => Some(certificate_pdf(
                        sheet,
                        award,
                        json,
                        self.verify_url.as_deref(),
                    )?),
                    None => None,
                },
                AwardFormat::Html => match prepared.shown.as_ref() {
                    Some(shown) if self.needs_page(award) => {
                        let mut files: Vec<&str> = out.iter().map(|f: &AwardFile| f.name).collect();
                        if self.writes(AwardFormat::Zip) {
                            files.push(AwardFormat::Zip.file_name());
                        }
                        Some(self.page(shown, award, json, &files)?)
                    }
                    _ => None,
                },
                AwardFormat::Zip if award.revoked_at.is_some() => None,
                AwardFormat::Zip => {
                    // The page inside the ZIP links the files beside it, not the ZIP.
                    let inner = match prepared.shown.as_ref() {
                        Some(shown) if self.needs_page(award) => {
                            let files: Vec<&str> = out
                                .iter()
                                .map(|f: &AwardFile| f.name)
                                .filter(|n| *n != AwardFormat::Html.file_name())
                                .collect();
                            Some(self.page(shown, award, json, &files)?)
                        }
                        _ => None,
                    };
                    let mut files: Vec<(&str, &[u8])> = out
                        .iter()
                        .filter(|f| f.name != AwardFormat::Html.file_name())
                        .map(|f: &AwardFile| (f.name, f.bytes.as_slice()))
                        .collect();
                    if let Some(inner) = &inner {
                        files.push((AwardFormat::Html.file_name(), inner));
                    }
                    Some(zip_stored(&files)?)
                }
            };
            if let Some(bytes) = bytes {
                out.push(AwardFile {
                    name: format.file_name(),
                    bytes,
                });
            }
        }
        Ok(out)
    }
}

/// One award's files, rendered and not yet written.
pub struct RenderedAward {
    /// The award's id: its folder's name.
    award: String,
    files: Vec<AwardFile>,
}

/// Writes each award's files into `out/<award id>/` (each file whole: a temporary name,
/// then renamed), then makes them reach the disk; returns each award's file names. A
/// temporary file a killed run left in an award's folder is removed.
pub fn write_rendered(
    rendered: &[RenderedAward],
    out: &std::path::Path,
) -> Result<Vec<Vec<&'static str>>> {
    let written = write_unsynced(rendered, out)?;
    sync_written(out, &written.paths)?;
    Ok(written.names)
}

/// Files written by [`write_unsynced`], not yet known to have reached the disk.
pub struct Written {
    /// Each award's file names, in the order rendered.
    pub names: Vec<Vec<&'static str>>,
    /// Every file written.
    pub paths: Vec<std::path::PathBuf>,
}

/// [`write_rendered`] without its last step: the files are whole under their names, but
/// may not have reached the disk until [`sync_written`] (a batch writes the next chunk's
/// files while the disk takes this one's).
pub fn write_unsynced(rendered: &[RenderedAward], out: &std::path::Path) -> Result<Written> {
    make_folders(rendered, out)?;
    write_into_folders(rendered, out)
}

/// The first step of [`write_unsynced`]: each award's folder in `out`, where what a killed
/// write left in one made before is removed. A batch makes the next chunk's folders on one
/// thread while another writes this chunk's files ([`write_into_folders`]): a folder is
/// made under `out`'s lock, a file under its own folder's, so neither waits for the other
/// (folders and files made in one folder from two threads would wait on its lock).
pub fn make_folders(rendered: &[RenderedAward], out: &std::path::Path) -> Result<()> {
    std::fs::create_dir_all(out).map_err(|e| cannot_write(out, e))?;
    for r in rendered {
        let folder = out.join(&r.award);
        match std::fs::create_dir(&folder) {
            Ok(()) => {}
            // Written before (a run that stopped, or the files asked again): what a
            // killed write left beside them goes.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                crate::kernel::exports::remove_partial_files(&folder)
                    .map_err(|e| cannot_write(&folder, e))?;
            }
            Err(e) => return Err(cannot_write(&folder, e)),
        }
    }
    Ok(())
}

/// The second step of [`write_unsynced`]: each award's files, whole, into the folder
/// [`make_folders`] made for it.
pub fn write_into_folders(rendered: &[RenderedAward], out: &std::path::Path) -> Result<Written> {
    let mut names = Vec::with_capacity(rendered.len());
    let mut paths = Vec::with_capacity(rendered.len());
    for r in rendered {
        let folder = out.join(&r.award);
        let mut award_names = Vec::with_capacity(r.files.len());
        for file in &r.files {
            let path = folder.join(file.name);
            crate::kernel::exports::write_whole(&path, &file.bytes)
                .map_err(|e| cannot_write(&path, e))?;
            award_names.push(file.name);
            paths.push(path);
        }
        names.push(award_names);
    }
    Ok(Written { names, paths })
}

/// Makes files [`write_unsynced`] wrote into `out` reach the disk.
pub fn sync_written(out: &std::path::Path, paths: &[std::path::PathBuf]) -> Result<()> {
    crate::kernel::exports::sync_to_disk(out, paths).map_err(|e| cannot_write(out, e))
}

fn cannot_write(path: &std::path::Path, e: std::io::Error) -> AppError {
    AppError::field("out", format!("cannot write {} ({e})", path.display()))
}

#[cfg(test)]
mod tests {
    use super::valid_until;

    #[test]
    fn a_credentials_expiry_is_read_past_its_image() {
        let image = "A".repeat(20_000);
        let json = format!(
            r#"{{"id":"urn:uuid:1","image":{{"id":"data:image/png;base64,{image}"}},"validUntil":"2028-05-31T23:59:59Z","proof":{{"type":"DataIntegrityProof"}}}}"#
        );
        assert_eq!(
            valid_until(&json).unwrap().as_deref(),
            Some("2028-05-31T23:59:59Z")
        );
        assert_eq!(valid_until(r#"{"id":"urn:uuid:2"}"#).unwrap(), None);
        assert_eq!(valid_until(r#"{"validUntil":2028}"#).unwrap(), None);
        assert!(valid_until("not json").is_err());
    }
}
