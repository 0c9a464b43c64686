//! Attachments of proposals and custom badge images: kept inside the workspace file,
//! content-addressed by SHA-256, under a size limit the coordinator sets.

use credence_domain::attachment::{self, AttachmentRef, DEFAULT_MAX_ATTACHMENT_BYTES};
use credence_domain::proposal::{ProposalContent, ProposalStatus};
use credence_domain::{DomainError, FieldError, Id};
use credence_store::audit::Actor;
use credence_store::proposals as repo;
use credence_store::{blobs, settings, sql::Sql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kernel::{record, Need};
use crate::proposals::{load, may_author, view, ProposalView};
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

const LIMIT_KEY: &str = "attachment_max_bytes";
/// The range a coordinator may set the limit in: 1 KB to 500 MB.
const LIMIT_RANGE: std::ops::RangeInclusive<u64> = 1024..=500 * 1024 * 1024;

/// A file handed in by a front end: its name (directories are dropped) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The outcome of setting a custom badge: the proposal, and what the SVG sanitizer removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BadgeUploadView {
    pub proposal: ProposalView,
    pub removed: Vec<String>,
}

/// What is wrong with the files a proposal's content refers to when it arrives made (an
/// import, say): a name that is not a bare file name, a hash that is not one, or a file the
/// workspace does not hold. Each problem names its field.
pub(crate) fn file_problems(conn: &dyn Sql, c: &ProposalContent) -> Result<Vec<FieldError>> {
    let mut problems = Vec::new();
    let refs = c
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| (format!("attachments[{i}]"), a))
        .chain(
            c.custom_badge
                .iter()
                .map(|b| ("custom_badge".to_string(), b)),
        );
    for (field, a) in refs {
        if let Err(m) = attachment::check_ref(a) {
            problems.push(FieldError::new(field, m));
        } else if !blobs::exists(conn, &a.sha256)? {
            problems.push(FieldError::new(
                field,
                format!("{} ({}) is not in this workspace", a.name, a.sha256),
            ));
        }
    }
    Ok(problems)
}

pub(crate) fn limit(conn: &dyn Sql) -> Result<u64> {
    Ok(settings::get(conn, LIMIT_KEY)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_MAX_ATTACHMENT_BYTES))
}

/// Human size: "12.3 MB", "800 KB", "512 bytes".
pub fn human_size(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / MB)
    } else if bytes >= 1024 {
        format!("{} KB", (bytes as f64 / 1024.0).round())
    } else {
        format!("{bytes} bytes")
    }
}

/// Loads a draft the actor may edit.
fn editable_draft(tx: &dyn Sql, actor: &Actor, id: Id) -> Result<repo::StoredProposal> {
    let p = load(tx, id)?;
    may_author(tx, actor, &p)?;
    if p.status != ProposalStatus::Draft {
        return Err(AppError::field(
            "attachments",
            format!(
                "a {} proposal is read-only; files are added to drafts",
                p.status.label()
            ),
        ));
    }
    Ok(p)
}

/// Changes a draft's files: `change` edits a copy of its content and returns what the audit
/// entry records before and after, or `None` when there is nothing to change. The content
/// is saved and the entry written in the caller's transaction.
fn change_draft<B: Serialize, A: Serialize>(
    tx: &dyn Sql,
    actor: &Actor,
    id: Id,
    action: &str,
    change: impl FnOnce(&mut ProposalContent) -> Result<Option<(B, Option<A>)>>,
) -> Result<ProposalView> {
    let before = editable_draft(tx, actor, id)?;
    let mut content = before.content.clone();
    let Some((was, now)) = change(&mut content)? else {
        return Ok(view(before));
    };
    repo::update_content(tx, id, &content)?;
    record(
        tx,
        actor,
        "proposal",
        &id.to_string(),
        action,
        Some(&was),
        Some(&now),
    )?;
    Ok(view(load(tx, id)?))
}

/// Checks incoming files against the size limit `max`, the accepted document kinds and the
/// files already `held` (by content): each accepted with its reference, or every problem
/// under `field`, naming its file. Nothing is stored.
pub(crate) fn check_incoming<'a>(
    files: &'a [IncomingFile],
    max: u64,
    held: &[AttachmentRef],
    field: &str,
) -> Result<Vec<(AttachmentRef, &'a [u8])>> {
    let mut problems = Vec::new();
    let mut accepted: Vec<(AttachmentRef, &[u8])> = Vec::new();
    for f in files {
        let checked = attachment::clean_name(&f.name).and_then(|name| {
            if f.bytes.len() as u64 > max {
                return Err(format!(
                    "{name} is {}; the limit is {} (Settings > Policies)",
                    human_size(f.bytes.len() as u64),
                    human_size(max)
                ));
            }
            let media = attachment::classify(&name, &f.bytes)?;
            let sha = attachment::sha256_hex(&f.bytes);
            let same = held
                .iter()
                .chain(accepted.iter().map(|(r, _)| r))
                .find(|a: &&AttachmentRef| a.sha256 == sha);
            if let Some(same) = same {
                return Err(format!("{name} is already attached as {}", same.name));
            }
            Ok(AttachmentRef {
                sha256: sha,
                name,
                media_type: media.to_string(),
                size: f.bytes.len() as u64,
            })
        });
        match checked {
            Ok(r) => accepted.push((r, &f.bytes)),
            Err(message) => problems.push(FieldError::new(field, message)),
        }
    }
    if problems.is_empty() {
        Ok(accepted)
    } else {
        Err(DomainError::Invalid(problems).into())
    }
}

pub(crate) fn store_file(
    tx: &dyn Sql,
    name: &str,
    media: &str,
    bytes: &[u8],
) -> Result<AttachmentRef> {
    let sha = attachment::sha256_hex(bytes);
    blobs::put(tx, &sha, media, bytes, &chrono::Utc::now().to_rfc3339())?;
    Ok(AttachmentRef {
        sha256: sha,
        name: name.to_string(),
        media_type: media.to_string(),
        size: bytes.len() as u64,
    })
}

impl Workspace {
    /// The largest attachment accepted, in bytes.
    pub fn attachment_limit(&self) -> Result<u64> {
        self.read(limit)
    }

    /// Sets the attachment size limit (coordinators; audited). Files already attached stay.
    pub fn set_attachment_limit(&self, by: Option<Id>, max_bytes: u64) -> Result<u64> {
        if !LIMIT_RANGE.contains(&max_bytes) {
            return Err(AppError::field(
                "max_bytes",
                format!(
                    "must be between {} and {}",
                    human_size(*LIMIT_RANGE.start()),
                    human_size(*LIMIT_RANGE.end())
                ),
            ));
        }
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = limit(tx)?;
            settings::set(tx, LIMIT_KEY, &max_bytes.to_string())?;
            record(
                tx,
                actor,
                "setting",
                LIMIT_KEY,
                "update",
                Some(&before),
                Some(&max_bytes),
            )?;
            Ok(max_bytes)
        })
    }

    /// Attaches files to a draft: all of them or none, each problem naming its file.
    pub fn attach_files(
        &self,
        by: Option<Id>,
        id: Id,
        files: &[IncomingFile],
    ) -> Result<ProposalView> {
        if files.is_empty() {
            return Err(AppError::field("attachments", "choose at least one file"));
        }
        self.write(by, Need::Person, |tx, actor| {
            let before = editable_draft(tx, actor, id)?;
            let accepted = check_incoming(
                files,
                limit(tx)?,
                &before.content.attachments,
                "attachments",
            )?;
            let mut content = before.content.clone();
            for (r, bytes) in &accepted {
                store_file(tx, &r.name, &r.media_type, bytes)?;
                content.attachments.push(r.clone());
            }
            repo::update_content(tx, id, &content)?;
            record(
                tx,
                actor,
                "proposal",
                &id.to_string(),
                "attach",
                Some(&before.content.attachments),
                Some(&content.attachments),
            )?;
            Ok(view(load(tx, id)?))
        })
    }

    /// Removes an attachment from a draft. The bytes stay in the workspace: earlier versions
    /// may still refer to them.
    pub fn detach_file(&self, by: Option<Id>, id: Id, sha256: &str) -> Result<ProposalView> {
        self.write(by, Need::Person, |tx, actor| {
            change_draft(tx, actor, id, "detach", |content| {
                let was = content.attachments.clone();
                let Some(at) = content.attachments.iter().position(|a| a.sha256 == sha256) else {
                    return Err(AppError::not_found(format!(
                        "proposal {id} has no attachment {sha256}"
                    )));
                };
                content.attachments.remove(at);
                Ok(Some((was, Some(content.attachments.clone()))))
            })
        })
    }

    /// An attachment's bytes, if the proposal or one of its versions refers to it. The hash
    /// is checked again on the way out.
    pub fn attachment(&self, id: Id, sha256: &str) -> Result<(AttachmentRef, Vec<u8>)> {
        self.read(|c| {
            let p = load(c, id)?;
            let mut refs: Vec<AttachmentRef> = p.content.attachments.clone();
            refs.extend(p.content.custom_badge.clone());
            for v in 1..=p.version {
                if let Some((_, content)) = repo::version(c, id, v)? {
                    refs.extend(content.attachments);
                    refs.extend(content.custom_badge);
                }
            }
            let Some(r) = refs.into_iter().find(|a| a.sha256 == sha256) else {
                return Err(AppError::not_found(format!(
                    "proposal {id} has no attachment {sha256}"
                )));
            };
            let (_, bytes) = blobs::get(c, sha256)?.ok_or_else(|| {
                AppError::not_found(format!("the file {} is missing from the workspace", r.name))
            })?;
            if attachment::sha256_hex(&bytes) != r.sha256 {
                return Err(AppError::new(
                    crate::ErrorKind::Internal,
                    format!("the stored copy of {} does not match its hash", r.name),
                ));
            }
            Ok((r, bytes))
        })
    }

    /// Writes a read-only copy of an attachment under `dir` (for the system's viewer) and
    /// returns its path. The copy is never executable; only accepted document kinds exist.
    pub fn attachment_copy(
        &self,
        id: Id,
        sha256: &str,
        dir: &std::path::Path,
    ) -> Result<std::path::PathBuf> {
        let (r, bytes) = self.attachment(id, sha256)?;
        viewer_copy(&r, &bytes, dir)
    }
}

/// Writes a read-only copy of a stored file under `dir/<hash prefix>/` for the system's
/// viewer and returns its path; the copy never leaves that folder and is never executable.
pub(crate) fn viewer_copy(
    r: &AttachmentRef,
    bytes: &[u8],
    dir: &std::path::Path,
) -> Result<std::path::PathBuf> {
    // A workspace written by an earlier build may hold a name that imports now refuse:
    // it never leaves the copy's own folder.
    attachment::check_ref(r).map_err(|m| AppError::field("attachment", m))?;
    let folder = dir.join(&r.sha256[..16]);
    let failed = |e: std::io::Error| {
        AppError::new(
            crate::ErrorKind::Internal,
            format!(
                "cannot write a copy of {} to {}: {e}",
                r.name,
                folder.display()
            ),
        )
    };
    std::fs::create_dir_all(&folder).map_err(failed)?;
    let folder = folder.canonicalize().map_err(failed)?;
    let path = folder.join(&r.name);
    if path.parent() != Some(folder.as_path()) || path.is_symlink() {
        return Err(AppError::field(
            "attachment",
            format!("{:?} would be written outside its folder", r.name),
        ));
    }
    if std::fs::read(&path).is_ok_and(|held| held == bytes) {
        return Ok(path);
    }
    if path.exists() {
        // A stale read-only copy: make it writable to replace it.
        let mut perms = std::fs::metadata(&path).map_err(failed)?.permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&path, perms).map_err(failed)?;
    }
    crate::kernel::exports::write_whole(&path, bytes).map_err(failed)?;
    let mut perms = std::fs::metadata(&path).map_err(failed)?.permissions();
    perms.set_readonly(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        perms.set_mode(0o444);
    }
    std::fs::set_permissions(&path, perms).map_err(failed)?;
    Ok(path)
}

impl Workspace {
    /// Replaces the generated badge with the proposer's own PNG or SVG (SVG sanitized; the
    /// image must draw). Returns what the sanitizer removed.
    pub fn set_custom_badge(
        &self,
        by: Option<Id>,
        id: Id,
        file: &IncomingFile,
    ) -> Result<BadgeUploadView> {
        let name =
            attachment::clean_name(&file.name).map_err(|m| AppError::field("custom_badge", m))?;
        let upload = attachment::check_badge_image(&name, &file.bytes)
            .map_err(|m| AppError::field("custom_badge", m))?;
        if upload.media_type == "image/svg+xml" {
            let svg = String::from_utf8_lossy(&upload.bytes);
            crate::catalog::badge_image::render_png(&svg, 64).map_err(|e| {
                AppError::field(
                    "custom_badge",
                    format!("{name} does not draw: {}", e.message),
                )
            })?;
        }
        self.write(by, Need::Person, |tx, actor| {
            let proposal = change_draft(tx, actor, id, "set_custom_badge", |content| {
                let was = content.custom_badge.clone();
                content.custom_badge =
                    Some(store_file(tx, &name, upload.media_type, &upload.bytes)?);
                let now =
                    serde_json::json!({"badge": content.custom_badge, "removed": upload.removed});
                Ok(Some((was, Some(now))))
            })?;
            Ok(BadgeUploadView {
                proposal,
                removed: upload.removed.clone(),
            })
        })
    }

    /// Goes back to the badge generated from the taxonomy.
    pub fn clear_custom_badge(&self, by: Option<Id>, id: Id) -> Result<ProposalView> {
        self.write(by, Need::Person, |tx, actor| {
            change_draft(tx, actor, id, "clear_custom_badge", |content| {
                Ok(content
                    .custom_badge
                    .take()
                    .map(|was| (Some(was), None::<()>)))
            })
        })
    }
}
