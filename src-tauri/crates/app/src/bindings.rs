//! TypeScript declarations of every type that crosses the IPC boundary, generated with ts-rs
//! into `ui/src/bindings/` and committed. The test `bindings_are_fresh` fails when they are
//! stale; with `UPDATE_BINDINGS=1` it rewrites them instead, which is what `cargo xtask
//! bindings` runs (so the task runner itself needs none of the app's dependencies).

use std::path::{Path, PathBuf};

use ts_rs::TS;

/// Where the committed bindings live, relative to this crate.
pub fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/bindings")
}

/// Writes every binding (and the types they depend on) into `dir`.
pub fn export(dir: &Path) -> Result<(), ts_rs::ExportError> {
    use credence_domain::{audit, institution, person, unit};
    // Ids and counts stay far below 2^53, so they cross as plain numbers.
    let cfg = &ts_rs::Config::new()
        .with_out_dir(dir)
        .with_large_int("number");
    crate::AppError::export_all(cfg)?;
    crate::WorkspaceStatus::export_all(cfg)?;
    crate::SetupInput::export_all(cfg)?;
    crate::AuditQuery::export_all(cfg)?;
    crate::AuditEntry::export_all(cfg)?;
    crate::audit::receipts::AuditReceipt::export_all(cfg)?;
    crate::audit::receipts::ReceiptCheck::export_all(cfg)?;
    crate::SessionView::export_all(cfg)?;
    audit::ChainReport::export_all(cfg)?;
    institution::Institution::export_all(cfg)?;
    institution::InstitutionInput::export_all(cfg)?;
    institution::Country::export_all(cfg)?;
    credence_domain::language::Language::export_all(cfg)?;
    unit::Unit::export_all(cfg)?;
    unit::UnitInput::export_all(cfg)?;
    person::Person::export_all(cfg)?;
    person::PersonInput::export_all(cfg)?;
    crate::catalog::Taxonomy::export_all(cfg)?;
    crate::proposals::ProposalView::export_all(cfg)?;
    crate::proposals::ProposalPage::export_all(cfg)?;
    crate::proposals::ProposalQuery::export_all(cfg)?;
    crate::proposals::ProposalCheck::export_all(cfg)?;
    credence_domain::proposal::ProposalEvent::export_all(cfg)?;
    credence_domain::policy::PolicySet::export_all(cfg)?;
    credence_domain::taxonomy::Pathway::export_all(cfg)?;
    crate::catalog::badge_image::BadgePreview::export_all(cfg)?;
    crate::proposals::attachments::BadgeUploadView::export_all(cfg)?;
    crate::review::ReviewView::export_all(cfg)?;
    crate::review::MeetingView::export_all(cfg)?;
    crate::review::MemberView::export_all(cfg)?;
    crate::review::Inbox::export_all(cfg)?;
    crate::kernel::SigningKeys::export_all(cfg)?;
    crate::review::deliberation::Deliberation::export_all(cfg)?;
    crate::documents::DocumentKind::export_all(cfg)?;
    crate::review::ServiceClock::export_all(cfg)?;
    crate::review::QueuedProposal::export_all(cfg)?;
    credence_domain::review::VotingRules::export_all(cfg)?;
    credence_domain::review::Route::export_all(cfg)?;
    credence_domain::review::Decision::export_all(cfg)?;
    credence_domain::award::LearnerInput::export_all(cfg)?;
    credence_domain::award::Microcredential::export_all(cfg)?;
    credence_domain::award::Award::export_all(cfg)?;
    credence_domain::award::AwardCorrection::export_all(cfg)?;
    crate::issuing::IssuerState::export_all(cfg)?;
    crate::issuing::IssueReport::export_all(cfg)?;
    crate::issuing::batch::Batch::export_all(cfg)?;
    crate::issuing::events::EventView::export_all(cfg)?;
    crate::issuing::events::EventExported::export_all(cfg)?;
    crate::issuing::events::EventFinished::export_all(cfg)?;
    crate::issuing::events::MergeReport::export_all(cfg)?;
    crate::issuing::roster_file::RosterPreview::export_all(cfg)?;
    crate::issuing::prior_learning::PriorLearningState::export_all(cfg)?;
    crate::issuing::prior_learning::ClaimInput::export_all(cfg)?;
    crate::issuing::ob2_import::Ob2ImportReport::export_all(cfg)?;
    crate::issuing::verification::VerificationView::export_all(cfg)?;
    crate::certificates::CertificatePreview::export_all(cfg)?;
    crate::certificates::CertificateTemplates::export_all(cfg)?;
    crate::kernel::signin::SignInOption::export_all(cfg)?;
    crate::lifecycle::MicrocredentialSummary::export_all(cfg)?;
    crate::lifecycle::MicrocredentialView::export_all(cfg)?;
    crate::lifecycle::ReviewCycle::export_all(cfg)?;
    credence_domain::calendar::AcademicTerm::export_all(cfg)?;
    crate::proposals::VersionDiff::export_all(cfg)?;
    crate::kernel::signin::Enrolment::export_all(cfg)?;
    crate::kernel::signin::IdleLock::export_all(cfg)?;
    crate::kernel::signin::PersonAdded::export_all(cfg)?;
    crate::lifecycle::change::ChangeView::export_all(cfg)?;
    crate::lifecycle::termination::TerminationView::export_all(cfg)?;
    crate::lifecycle::termination::TerminationImpact::export_all(cfg)?;
    credence_domain::case::CaseKind::export_all(cfg)?;
    credence_domain::case::ChangeDetails::export_all(cfg)?;
    credence_domain::case::TerminationDetails::export_all(cfg)?;
    credence_domain::diff::ChangeLevel::export_all(cfg)?;
    credence_domain::lifecycle::ReviewOutcome::export_all(cfg)?;
    crate::lifecycle::ReviewRecorded::export_all(cfg)?;
    crate::documents::reports::Report::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Every `.ts` file below `dir`, by its path relative to `dir`.
    fn read_dir(dir: &Path) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(d) = pending.pop() {
            for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|x| x == "ts") {
                    let name = path
                        .strip_prefix(dir)
                        .unwrap_or(&path)
                        .display()
                        .to_string();
                    files.insert(name, std::fs::read_to_string(&path).unwrap_or_default());
                }
            }
        }
        files
    }

    #[test]
    fn bindings_are_fresh() {
        if std::env::var_os("UPDATE_BINDINGS").is_some_and(|v| v == "1") {
            let dir = committed_dir();
            if dir.exists() {
                std::fs::remove_dir_all(&dir).expect("remove the old bindings");
            }
            export(&dir).expect("write the bindings");
            println!("wrote {}", dir.display());
            return;
        }
        let fresh = tempfile::tempdir().expect("temp dir");
        export(fresh.path()).expect("export bindings");
        let generated = read_dir(fresh.path());
        let committed = read_dir(&committed_dir());
        assert!(!generated.is_empty());
        assert_eq!(
            committed.keys().collect::<Vec<_>>(),
            generated.keys().collect::<Vec<_>>(),
            "ui/src/bindings has other files than the Rust types generate: run `cargo xtask bindings`"
        );
        for (name, text) in &generated {
            assert_eq!(
                committed.get(name),
                Some(text),
                "ui/src/bindings/{name} is stale: run `cargo xtask bindings`"
            );
        }
    }
}
