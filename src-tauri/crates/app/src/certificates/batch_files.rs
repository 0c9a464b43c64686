//! A roster batch's files: each award's folder in the formats asked, written a chunk at a
//! time (memory flat however long the roster) and recorded as complete, so a run resumed
//! after a kill writes only what is missing; and the batch's `manifest.csv` and, for learner
//! bundles, `mail-merge.csv`.

use crate::certificates::award_files::{AwardFormat, AwardWriter};
use crate::issuing::batch::CHUNK;
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

impl Workspace {
    /// Writes the files of the batch's committed rows that are not yet complete in `out`
    /// (all of them where its files went elsewhere or in other formats), a chunk at a time,
    /// each chunk synced and recorded before the next: after a run that stopped between
    /// committing a chunk and writing its files, after each chunk of a run, or to save a
    /// finished batch's files anew.
    pub fn write_batch_files(
        &self,
        id: &str,
        out: &std::path::Path,
        writer: &mut AwardWriter<'_>,
    ) -> Result<()> {
        let out_text = out.display().to_string();
        let formats = writer.format_names();
        let batch = self.batch(id)?;
        let mut from = self.batch_files_done(id, &out_text, &formats)? as usize;
        let done = batch.done as usize;
        if from >= done {
            // Every committed row's files are complete there: the roster is not read.
            return Ok(());
        }
        let roster = self.batch_roster(id)?;
        while from < done {
            let to = (from + CHUNK).min(done);
            let rows = self.roster_rows(&roster, from, to)?;
            writer.write_rows(&rows, out)?;
            self.set_batch_files(
                id,
                &out_text,
                &formats,
                u32::try_from(to).unwrap_or(u32::MAX),
            )?;
            from = to;
        }
        Ok(())
    }

    /// Writes `out/manifest.csv` (whole): every row of the batch's roster with the award the
    /// learner holds, its files in `out`, and whether this batch issued it.
    pub fn write_batch_manifest(
        &self,
        id: &str,
        out: &std::path::Path,
        writer: &AwardWriter<'_>,
    ) -> Result<()> {
        let batch = self.batch(id)?;
        let rows = self.batch_rows(id, 0, batch.total as usize)?;
        write_manifest(&rows, out, writer)
    }

    /// As [`Workspace::write_batch_manifest`], from the rows a run was given chunk by chunk
    /// (`run_batch`'s progress) where they are the whole roster in order (a run from its
    /// first learner); otherwise read back. Reading 10,000 awards back was the run's last
    /// tenth of a second, on one core.
    pub fn write_batch_manifest_from(
        &self,
        id: &str,
        rows: &[crate::issuing::IssuedRow],
        out: &std::path::Path,
        writer: &AwardWriter<'_>,
    ) -> Result<()> {
        let batch = self.batch(id)?;
        if rows.len() == batch.total as usize {
            write_manifest(rows, out, writer)
        } else {
            self.write_batch_manifest(id, out, writer)
        }
    }
}

/// Writes `out/manifest.csv` of `rows` and, for learner bundles, `out/mail-merge.csv`.
fn write_manifest(
    rows: &[crate::issuing::IssuedRow],
    out: &std::path::Path,
    writer: &AwardWriter<'_>,
) -> Result<()> {
    // Each row's files as found in `out` (a look-up each, on every core).
    let files = crate::kernel::parallel::map(rows, |row| {
        Ok(writer
            .written(&row.award, out)
            .iter()
            .map(|name| format!("{}/{name}", row.award.id))
            .collect::<Vec<_>>()
            .join(";"))
    })?;
    let manifest = crate::kernel::exports::csv_table(
        &[
            "award_id",
            "learner",
            "email",
            "credential_id",
            "files",
            "new",
        ],
        rows.iter().zip(files).map(|(row, files)| {
            [
                row.award.id.clone(),
                row.award.learner_name.clone(),
                row.award.learner_email.clone(),
                row.award.credential_id.clone(),
                files,
                if row.new { "yes" } else { "no" }.to_string(),
            ]
        }),
    )?;
    let write = |name: &str, text: String| {
        let path = out.join(name);
        crate::kernel::exports::write_whole(&path, text.as_bytes())
            .map_err(|e| AppError::field("out", format!("cannot write {} ({e})", path.display())))
    };
    write("manifest.csv", manifest)?;
    if writer.writes(AwardFormat::Html) {
        // For the institution's mailer: each learner, their page and their ZIP (paths
        // from this folder, to host or attach), and where their credential is verified.
        let mail = crate::kernel::exports::csv_table(
            &["name", "email", "bundle", "zip", "verification_url"],
            rows.iter()
                .filter(|r| r.award.revoked_at.is_none())
                .map(|row| {
                    let id = &row.award.id;
                    let zip = if writer.writes(AwardFormat::Zip) {
                        format!("{id}/bundle.zip")
                    } else {
                        String::new()
                    };
                    [
                        row.award.learner_name.clone(),
                        row.award.learner_email.clone(),
                        format!("{id}/index.html"),
                        zip,
                        writer.verification_url(&row.award).unwrap_or_default(),
                    ]
                }),
        )?;
        write("mail-merge.csv", mail)?;
    }
    Ok(())
}

impl Workspace {
    /// Saves the files of every award the batch's roster holds into `out` (made if missing),
    /// with its manifest.
    pub fn save_batch_files(
        &self,
        id: &str,
        out: &std::path::Path,
        formats: &[AwardFormat],
    ) -> Result<()> {
        std::fs::create_dir_all(out).map_err(|e| {
            AppError::field("out", format!("cannot create {} ({e})", out.display()))
        })?;
        let mut writer = self.award_writer(formats)?;
        self.write_batch_files(id, out, &mut writer)?;
        self.write_batch_manifest(id, out, &writer)
    }
}
