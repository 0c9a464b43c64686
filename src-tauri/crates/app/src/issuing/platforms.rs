//! Awards as the bulk files of other badge platforms (Credly, Canvas Credentials,
//! Accredible), for institutions that publish there too: every live award of a
//! microcredential, or of one roster batch, every cell escaped against formula injection.

use credence_domain::formats::platforms::{ExportedAward, Platform};
use credence_store::issuing as store;

use crate::kernel::exports::csv_table;
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// A platform's bulk file: its name and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformFile {
    pub name: String,
    pub csv: String,
    pub rows: usize,
}

impl Workspace {
    /// A roster batch's awards as `platform`'s bulk file (see `platform_csv`).
    pub fn batch_platform_csv(
        &self,
        platform: Platform,
        batch: &str,
        badge_id: &str,
    ) -> Result<PlatformFile> {
        let slug = self.read(|c| {
            let row = credence_store::batches::get(c, batch)?
                .ok_or_else(|| AppError::not_found(format!("there is no batch {batch}")))?;
            Ok(store::slug_of(c, row.proposal_id)?.unwrap_or_default())
        })?;
        self.platform_csv(platform, &slug, Some(batch), badge_id)
    }

    /// The awards of `microcredential` (a slug) that are not revoked or superseded (of
    /// `batch` only, where given) as `platform`'s bulk file; `badge_id` is the platform's id
    /// of the badge (Credly's template id, Canvas Credentials' badge class id), left empty
    /// where not given.
    pub fn platform_csv(
        &self,
        platform: Platform,
        microcredential: &str,
        batch: Option<&str>,
        badge_id: &str,
    ) -> Result<PlatformFile> {
        let badge_id = badge_id.trim();
        if badge_id.chars().any(char::is_control) || badge_id.len() > 200 {
            return Err(AppError::field(
                "badge_id",
                "a badge id is one line of at most 200 characters",
            ));
        }
        let rows = self.read(|c| {
            let proposal = store::proposal_by_slug(c, microcredential)?.ok_or_else(|| {
                AppError::field(
                    "credential",
                    format!(
                        "there is no microcredential \"{microcredential}\" (see credential list)"
                    ),
                )
            })?;
            if let Some(id) = batch {
                let of = credence_store::batches::get(c, id)?.map(|b| b.proposal_id);
                if of != Some(proposal) {
                    return Err(AppError::field(
                        "batch",
                        format!("there is no batch {id} of {microcredential}"),
                    ));
                }
            }
            Ok(store::live_awards_for_export(c, proposal, batch)?)
        })?;
        let awards: Vec<ExportedAward> = rows
            .into_iter()
            .map(|(learner, credential_id, json)| {
                let expires_on = serde_json::from_str::<serde_json::Value>(&json)
                    .ok()
                    .and_then(|v| v["validUntil"].as_str().map(str::to_string));
                ExportedAward {
                    name: learner.name,
                    email: learner.email,
                    completed_on: learner.completed_on,
                    expires_on,
                    grade: learner.grade,
                    evidence_url: learner.evidence_url,
                    evidence_note: learner.evidence_note,
                    credential_id,
                }
            })
            .collect();
        if awards.is_empty() {
            return Err(AppError::field(
                "credential",
                "there is no award to export (revoked and corrected awards are left out)",
            ));
        }
        let csv = csv_table(
            platform.header(),
            awards.iter().map(|a| platform.row(a, badge_id)),
        )?;
        Ok(PlatformFile {
            name: format!("{}-{microcredential}.csv", platform.file_stem()),
            csv,
            rows: awards.len(),
        })
    }
}
