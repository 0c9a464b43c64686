//! Awarding commands: active microcredentials, issuing from a roster, revocation, status
//! lists, and the issuer key. Scripts depend on these names and outputs; keep them stable.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use credence_app::certificates::award_files::{self, AwardFormat};
use credence_app::domain::award::AwardCorrection;
use credence_app::domain::Id;
use credence_app::{AppError, ErrorKind, Workspace};

use crate::review::issuer_passphrase;

#[derive(Subcommand)]
pub enum CredentialCommand {
    /// Active microcredentials: id, slug, title, version.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Issued awards, newest first.
    Awards {
        /// Only awards whose learner, email, microcredential or credential id contains this.
        #[arg(long, default_value = "")]
        search: String,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Write one award's files (credential.json, badge.png, badge.svg, certificate.pdf; with
    /// `--formats bundle` also the learner's index.html and bundle.zip) into DIR/<award id>/.
    Export {
        /// The award id or the credential id.
        id: String,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// json, png, svg, pdf, html, zip, or bundle for all of them.
        #[arg(long, default_value = "json,png,svg,pdf")]
        formats: String,
    },
    /// Write a microcredential's awards (not revoked or corrected), or one roster batch's, as
    /// another platform's bulk file, to publish there too: credly (bulk issue CSV), canvas
    /// (Canvas Credentials bulk award CSV) or accredible (spreadsheet CSV).
    PlatformExport {
        /// The microcredential's slug.
        #[arg(long, value_name = "SLUG")]
        credential: String,
        /// credly, canvas or accredible.
        #[arg(long)]
        platform: String,
        /// Only the awards of this roster batch.
        #[arg(long, value_name = "BATCH_ID")]
        batch: Option<String>,
        /// The platform's id of the badge (Credly's template id, Canvas Credentials' badge
        /// class id), written on every row.
        #[arg(long, value_name = "ID", default_value = "")]
        badge_id: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write one award's PDF certificate (the signed credential attached) to a file.
    Certificate {
        /// The award id or the credential id.
        id: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum StatusListCommand {
    /// Write every status list, signed, as DIR/<n>.json, to host at <base URL>/status/.
    Export {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    credence_app::kernel::exports::write_whole(path, bytes)
        .map_err(|e| AppError::field("out", format!("cannot write {} ({e})", path.display())))
}

/// A file's bytes, refused by name when it is larger than `limit` (read no further).
fn read_bounded(path: &Path, limit: usize) -> Result<Vec<u8>, AppError> {
    use std::io::Read as _;
    let cannot = |e: std::io::Error| {
        AppError::field("roster", format!("cannot read {} ({e})", path.display()))
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > limit {
        return Err(AppError::field(
            "roster",
            format!(
                "{} is larger than {} MB; a roster file is far smaller",
                path.display(),
                limit / (1024 * 1024)
            ),
        ));
    }
    Ok(bytes)
}

fn make_dir(dir: &Path) -> Result<(), AppError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| AppError::field("out", format!("cannot create {} ({e})", dir.display())))
}

pub fn credential(ws: &Workspace, command: &CredentialCommand) -> Result<(), AppError> {
    match command {
        CredentialCommand::List { json } => {
            let list = ws.microcredentials()?;
            if *json {
                crate::output::json(&list);
            } else if list.is_empty() {
                say!("No active microcredentials yet.");
            } else {
                for m in list {
                    say!(
                        "{:>4}  {:<40}  v{:<3} {}",
                        m.proposal_id,
                        m.slug,
                        m.version,
                        m.title
                    );
                }
            }
        }
        CredentialCommand::Awards {
            search,
            limit,
            json,
        } => {
            let awards = ws.awards(search, *limit)?;
            if *json {
                crate::output::json(&awards);
            } else {
                for a in awards {
                    let status = match &a.revoked_at {
                        Some(_) => format!(
                            "revoked: {}",
                            a.revoked_reason.as_deref().unwrap_or_default()
                        ),
                        None => match a.valid_until.as_deref() {
                            Some(t) if a.expired => format!("expired {}", date_of(Some(t))),
                            Some(t) => format!("valid until {}", date_of(Some(t))),
                            None => "valid".into(),
                        },
                    };
                    let status = match &a.renewed_by {
                        Some(by) => format!("{status}, renewed by {by}"),
                        None => status,
                    };
                    say!(
                        "{}  {}  {} <{}>  {} v{}  {}",
                        a.id,
                        &a.issued_at[..10.min(a.issued_at.len())],
                        a.learner_name,
                        a.learner_email,
                        a.microcredential,
                        a.version,
                        status
                    );
                }
            }
        }
        CredentialCommand::Export { id, out, formats } => {
            let formats = AwardFormat::parse_list(formats)?;
            let award = ws.award(id)?;
            let names = ws
                .award_writer(&formats)?
                .write_folders(std::slice::from_ref(&award), out)?
                .concat();
            say!(
                "Wrote {} to {}",
                names.join(", "),
                out.join(&award.id).display()
            );
        }
        CredentialCommand::PlatformExport {
            credential,
            platform,
            batch,
            badge_id,
            out,
        } => {
            let platform = credence_app::domain::formats::platforms::Platform::parse(platform)
                .ok_or_else(|| {
                    AppError::field(
                        "platform",
                        format!("\"{platform}\" is not credly, canvas or accredible"),
                    )
                })?;
            let file = ws.platform_csv(platform, credential, batch.as_deref(), badge_id)?;
            write(out, file.csv.as_bytes())?;
            say!(
                "Wrote {} award{} as a {} bulk file to {}",
                file.rows,
                if file.rows == 1 { "" } else { "s" },
                platform.label(),
                out.display()
            );
        }
        CredentialCommand::Certificate { id, out } => {
            let award = ws.award(id)?;
            write(out, &ws.award_certificate(&award.id)?)?;
            say!(
                "Wrote the certificate of {} ({}) to {}",
                award.learner_name,
                award.microcredential,
                out.display()
            );
        }
    }
    Ok(())
}

/// `credence issue`: validates the whole roster first (exit 1, nothing issued, each bad row
/// named), then issues it as a batch (`Workspace::run_batch`): a chunk of learners committed
/// at a time, each chunk's files written whole and synced before the next, a progress bar on
/// a terminal. Killed at any moment, the same command finishes it: the roster finds its
/// batch, files of committed rows not yet complete are written again, and `manifest.csv`
/// (every roster row, written last) matches the workspace.
pub fn issue(
    ws: &Workspace,
    by: Option<Id>,
    slug: &str,
    (roster, map): (&Path, &[String]),
    out: &Path,
    formats: &str,
) -> Result<(), AppError> {
    use credence_app::issuing::roster_file;
    let formats = AwardFormat::parse_list(formats)?;
    let mapping = roster_file::parse_mapping(map)?;
    let bytes = read_bounded(roster, roster_file::MAX_BYTES)?;
    let name = roster
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Every row is checked before a passphrase is asked for, each problem named by the
    // column the file calls it (and, for certificates, every name printable). Where both
    // passphrases are in the environment (nothing to ask), the keys open (two Argon2id
    // derivations) while the rows are checked; a bad roster is still the error reported.
    let given = std::env::var_os("CREDENCE_ISSUER_PASSPHRASE").is_some()
        && std::env::var_os("CREDENCE_PASSPHRASE").is_some();
    let checked = std::thread::scope(|scope| {
        let unlocking =
            given.then(|| scope.spawn(|| ws.unlock_issuer_as(by, &issuer_passphrase()?)));
        let learners = roster_file::learners_of(&bytes, &name, &mapping).and_then(|learners| {
            if formats.contains(&AwardFormat::Pdf) {
                credence_app::certificates::check_printable(learners.given())?;
            }
            Ok(learners)
        });
        let unlocked = unlocking.map(|u| {
            u.join()
                .unwrap_or_else(|_| Err(AppError::new(ErrorKind::Internal, "unlocking failed")))
        });
        (learners, unlocked)
    });
    let learners = match checked {
        (Err(e), _) => {
            ws.lock_issuer();
            return Err(e);
        }
        (Ok(learners), Some(unlocked)) => unlocked.map(|()| learners)?,
        (Ok(learners), None) => {
            ws.unlock_issuer_as(by, &issuer_passphrase()?)?;
            learners
        }
    };
    let issued = issue_batch(ws, by, slug, learners, out, &formats);
    ws.lock_issuer();
    let (batch, already_finished) = issued?;
    // A roster whose batch had finished before issues nothing new.
    let new = if already_finished { 0 } else { batch.issued };
    say!(
        "Issued {new} new credential{} ({} already issued) to {}",
        if new == 1 { "" } else { "s" },
        batch.total - new,
        out.display()
    );
    Ok(())
}

fn issue_batch(
    ws: &Workspace,
    by: Option<Id>,
    slug: &str,
    learners: credence_app::issuing::CheckedLearners,
    out: &Path,
    formats: &[AwardFormat],
) -> Result<(credence_app::issuing::batch::Batch, bool), AppError> {
    let (batch, found) = ws.start_batch(by, slug, learners)?;
    let already_finished = found && batch.done == batch.total;
    if found && batch.done < batch.total {
        eprintln!(
            "Resuming batch {}: {} of {} learners were issued before it stopped",
            batch.id, batch.done, batch.total
        );
    }
    make_dir(out)?;
    let mut writer = ws.award_writer(formats)?;
    // Rows committed by a run that stopped before their files were complete and synced.
    ws.write_batch_files(&batch.id, out, &mut writer)?;
    let bar = progress_bar(batch.total, batch.done);
    // A run from the first learner keeps each chunk's rows for the manifest (about half a
    // kilobyte a learner), which then need not be read back.
    let mut manifest_rows = Vec::new();
    let whole_run = batch.done == 0;
    let out_text = out.display().to_string();
    let format_names = writer.format_names();
    // Each chunk's files are rendered on a thread of their own (on every core), and their
    // folders made, while the next chunk is signed and committed, then written on another
    // while the next is rendered, then synced and recorded as complete on a fourth while
    // the next is written (the disk taking one chunk while the files of the next are
    // made); one chunk waits at each step at most, so memory stays flat. A failure to
    // write stops the batch after the chunk it is committing.
    let finished = std::thread::scope(|scope| {
        type Rows = Vec<credence_app::issuing::IssuedRow>;
        type Rendered = Vec<award_files::RenderedAward>;
        let (chunks, received) = std::sync::mpsc::sync_channel::<(u32, Rows)>(1);
        let (rendered, to_write) = std::sync::mpsc::sync_channel::<(u32, Rendered)>(1);
        let rendering = &mut writer;
        let files = scope.spawn(move || -> Result<(), AppError> {
            for (done, rows) in received {
                let files = rendering.render_rows(&rows)?;
                // The chunk's folders are made here while the writing thread fills the
                // chunk before's.
                award_files::make_folders(&files, out)?;
                if rendered.send((done, files)).is_err() {
                    // The writing thread stopped; its error is the one to report.
                    break;
                }
            }
            Ok(())
        });
        let (written, to_sync) = std::sync::mpsc::sync_channel::<(u32, Vec<PathBuf>)>(1);
        let writes = scope.spawn(move || -> Result<(), AppError> {
            for (done, files) in to_write {
                let paths = award_files::write_into_folders(&files, out)?.paths;
                drop(files);
                if written.send((done, paths)).is_err() {
                    // The syncing thread stopped; its error is the one to report.
                    break;
                }
            }
            Ok(())
        });
        // The syncing thread also copies the workspace's write-ahead log into its file after
        // each chunk, so the thread committing them seldom stops to.
        let checkpointer = ws.checkpointer()?;
        let (id, out_text, format_names) = (&batch.id, &out_text, &format_names);
        let mut record = ws.batch_files_record(id, out_text, format_names, batch.done);
        let syncs = scope.spawn(move || -> Result<(), AppError> {
            for (done, paths) in to_sync {
                award_files::sync_written(out, &paths)?;
                // Recorded when the workspace is free, at most a few chunks late.
                record.synced(done)?;
                if let Some(checkpointer) = &checkpointer {
                    checkpointer.run()?;
                }
            }
            record.finish()
        });
        let finished = ws.run_batch(by, &batch.id, &mut |b, rows| {
            if whole_run {
                manifest_rows.extend(rows.iter().map(|r| credence_app::issuing::IssuedRow {
                    award: r.award.clone(),
                    new: r.new,
                    credential_json: None,
                }));
            }
            if chunks.send((b.done, rows)).is_err() {
                // The files thread stopped; its error is the one to report.
                return Err(AppError::new(
                    ErrorKind::Internal,
                    "the batch's files stopped being written",
                ));
            }
            if let Some(bar) = &bar {
                bar.set_position(b.done.into());
            }
            Ok(())
        });
        drop(chunks);
        let failed = |_| AppError::new(ErrorKind::Internal, "the files thread failed");
        let rendered = files.join().map_err(failed)?;
        let written = writes.join().map_err(failed)?;
        syncs.join().map_err(failed)??;
        written?;
        rendered?;
        finished
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let batch = finished?;
    // A batch found finished, its files wanted in another folder or other formats.
    ws.write_batch_files(&batch.id, out, &mut writer)?;
    ws.write_batch_manifest_from(&batch.id, &manifest_rows, out, &writer)?;
    Ok((batch, already_finished))
}

/// A progress bar on standard error where it is a terminal (none for scripts and pipes).
fn progress_bar(total: u32, done: u32) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total.into());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} learners issued, {per_sec}, {eta} left",
    ) {
        bar.set_style(style);
    }
    bar.set_position(done.into());
    Some(bar)
}

pub fn revoke(
    ws: &Workspace,
    by: Option<Id>,
    ids: &[String],
    reason: &str,
    reinstate: bool,
) -> Result<(), AppError> {
    let changed = if reinstate {
        ws.reinstate(by, ids, reason)?
    } else {
        ws.revoke(by, ids, reason)?
    };
    said(&changed, reinstate);
    Ok(())
}

/// Corrects an award: a new credential for the corrected learner, the old one superseded.
pub fn correct(
    ws: &Workspace,
    by: Option<Id>,
    award: &str,
    change: &AwardCorrection,
    reason: &str,
) -> Result<(), AppError> {
    let old = ws.find_award(award)?;
    ws.unlock_issuer(&issuer_passphrase()?)?;
    let new = ws.correct_award(by, &old.id, change, reason);
    ws.lock_issuer();
    let new = new?;
    say!(
        "Corrected {} ({}): issued {} to {} ({}, completed {}); the old credential is revoked as superseded. Export the status lists to publish it",
        old.credential_id,
        old.learner_name,
        new.credential_id,
        new.learner_name,
        new.learner_email,
        new.completed_on
    );
    Ok(())
}

/// Renews an award that expires (see `Workspace::renew_award`).
pub fn renew(
    ws: &Workspace,
    by: Option<Id>,
    award: &str,
    completed_on: Option<&str>,
) -> Result<(), AppError> {
    let old = ws.find_award(award)?;
    if let Some(why) = old.renewal_refusal() {
        return Err(AppError::field("award", why));
    }
    ws.unlock_issuer(&issuer_passphrase()?)?;
    let new = ws.renew_award(by, &old.id, completed_on);
    ws.lock_issuer();
    let new = new?;
    say!(
        "Renewed {} ({}, {}): issued {} under version {} (completed {}), valid until {}; the earlier credential stays valid until {}. `credence credential export {} --out DIR` writes its files",
        old.credential_id,
        old.learner_name,
        old.microcredential,
        new.credential_id,
        new.version,
        new.completed_on,
        date_of(new.valid_until.as_deref()),
        date_of(old.valid_until.as_deref()),
        new.id
    );
    Ok(())
}

/// The day of an RFC 3339 time, or "no expiry".
fn date_of(time: Option<&str>) -> &str {
    time.map_or("no expiry", |t| t.get(..10).unwrap_or(t))
}

/// Revokes every award `file` lists (all or none).
pub fn revoke_listed(
    ws: &Workspace,
    by: Option<Id>,
    file: &std::path::Path,
    reason: &str,
) -> Result<(), AppError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| AppError::field("from", format!("cannot read {} ({e})", file.display())))?;
    said(&ws.revoke_listed(by, &text, reason)?, false);
    Ok(())
}

fn said(changed: &[credence_app::domain::award::Award], reinstate: bool) {
    for a in changed {
        say!(
            "{} {} ({}, {}); export the status lists to publish it",
            if reinstate { "Reinstated" } else { "Revoked" },
            a.credential_id,
            a.learner_name,
            a.microcredential
        );
    }
}

pub fn status_list(ws: &Workspace, command: &StatusListCommand) -> Result<(), AppError> {
    match command {
        StatusListCommand::Export { out } => {
            ws.unlock_issuer(&issuer_passphrase()?)?;
            let lists = ws.status_list_credentials();
            ws.lock_issuer();
            let lists = lists?;
            make_dir(out)?;
            for (name, credential) in &lists {
                let text = serde_json::to_string_pretty(credential)
                    .map_err(|e| AppError::field("out", e.to_string()))?;
                write(&out.join(name), text.as_bytes())?;
            }
            say!(
                "Wrote {} status list{} to {}",
                lists.len(),
                if lists.len() == 1 { "" } else { "s" },
                out.display()
            );
        }
    }
    Ok(())
}

/// `key rotate`: the current issuer passphrase from CREDENCE_ISSUER_PASSPHRASE (or asked);
/// a new one from CREDENCE_NEW_PASSPHRASE when set.
pub fn rotate(ws: &Workspace, by: Option<Id>) -> Result<(), AppError> {
    let current = issuer_passphrase()?;
    let new = std::env::var("CREDENCE_NEW_PASSPHRASE")
        .ok()
        .map(credence_app::kernel::secret::Passphrase::new);
    let key = ws.rotate_issuer_key(by, &current, new.as_deref())?;
    ws.lock_issuer();
    say!("The issuer now signs with {}", key.did);
    Ok(())
}

pub fn export_did(ws: &Workspace, out: Option<&Path>) -> Result<(), AppError> {
    let doc = ws.issuer_did_document()?;
    let text =
        serde_json::to_string_pretty(&doc).map_err(|e| AppError::field("out", e.to_string()))?;
    match out {
        Some(path) => {
            write(path, text.as_bytes())?;
            say!("Wrote the issuer's DID document to {}", path.display());
        }
        None => say!("{text}"),
    }
    Ok(())
}

/// Imports Open Badges 2.0 assertions from files and folders (see `Workspace::import_ob2`).
pub fn import_ob2(
    ws: &Workspace,
    by: Option<Id>,
    paths: &[std::path::PathBuf],
    learners: &std::path::Path,
    map: &[String],
    archive_unmatched: bool,
    json: bool,
) -> Result<(), AppError> {
    use credence_app::issuing::ob2_import::MAX_FILES;
    let learners_csv = std::fs::read_to_string(learners).map_err(|e| {
        AppError::field(
            "learners",
            format!("cannot read {} ({e})", learners.display()),
        )
    })?;
    let map = map
        .iter()
        .map(|m| {
            m.rsplit_once('=')
                .map(|(badge, slug)| (badge.trim().to_string(), slug.trim().to_string()))
                .ok_or_else(|| AppError::field("map", format!("\"{m}\" is not BADGE=SLUG")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The files named, and those in the folders named (any depth; links not followed).
    let mut found = Vec::new();
    let mut folders: Vec<std::path::PathBuf> = Vec::new();
    for p in paths {
        if p.is_dir() {
            folders.push(p.clone());
        } else {
            found.push(p.clone());
        }
    }
    while let Some(dir) = folders.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| {
            AppError::field("paths", format!("cannot read {} ({e})", dir.display()))
        })?;
        let mut here: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        here.sort();
        for p in here {
            let kind = std::fs::symlink_metadata(&p).map(|m| m.file_type());
            match kind {
                Ok(t) if t.is_dir() => folders.push(p),
                Ok(t) if t.is_file() => {
                    let ext = p
                        .extension()
                        .map(|e| e.to_string_lossy().to_lowercase())
                        .unwrap_or_default();
                    if ["json", "jws", "png", "svg"].contains(&ext.as_str()) {
                        found.push(p);
                    }
                }
                _ => {}
            }
        }
        if found.len() > MAX_FILES {
            break;
        }
    }
    if found.len() > MAX_FILES {
        return Err(AppError::field(
            "paths",
            format!("more than {MAX_FILES} files: import them a folder at a time"),
        ));
    }
    // A file too large to be an assertion is not read at all.
    let max = credence_app::issuing::ob2_import::MAX_FILE_BYTES as u64;
    let (large, found): (Vec<_>, Vec<_>) = found
        .into_iter()
        .partition(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) > max);
    let files = found
        .iter()
        .map(|p| {
            crate::incoming(p).map(|mut f| {
                f.name = p.display().to_string();
                f
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    ws.unlock_issuer(&issuer_passphrase()?)?;
    let report = ws.import_ob2(by, &files, &learners_csv, &map, archive_unmatched);
    ws.lock_issuer();
    let report = report?;
    if json {
        crate::output::json(&report);
        return Ok(());
    }
    for p in &large {
        say!(
            "{}: skipped: it is larger than {} MB",
            p.display(),
            max / (1024 * 1024)
        );
    }
    for r in &report.rows {
        match (&r.award_id, &r.skipped) {
            (Some(award), _) => say!(
                "{}: imported as award {award} ({}, {}); {}",
                r.file,
                r.learner.as_deref().unwrap_or_default(),
                r.microcredential.as_deref().unwrap_or_default(),
                r.checked
            ),
            (None, Some(why)) => say!("{}: skipped: {why}", r.file),
            (None, None) => say!("{}: skipped", r.file),
        }
    }
    for a in &report.archived {
        say!(
            "Archived microcredential made: {} ({}), retired, from the badge {}",
            a.title,
            a.slug,
            a.badge
        );
    }
    say!(
        "Imported {} assertion{}, skipped {} ({} issuer key{} and badge class{} read)",
        report.imported,
        if report.imported == 1 { "" } else { "s" },
        report.skipped as usize + large.len(),
        report.documents,
        if report.documents == 1 { "" } else { "s" },
        if report.documents == 1 { "" } else { "es" },
    );
    Ok(())
}
