//! The audit log as people read it: the entries a viewer may see, and the verification of
//! the whole log (its hash chain, each entry's signature against the key its maker held,
//! every signed statement and the votes they record); signed receipts of its head.

pub mod receipts;

use credence_domain::audit::ChainReport;
use credence_domain::Id;
use credence_store::audit;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// Which audit entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditQuery {
    /// `institution`, `unit`, `person`; all kinds when absent.
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Entries older than this one (for paging); newest first.
    #[ts(type = "number | null")]
    pub before_seq: Option<i64>,
    pub limit: Option<u32>,
}

/// One audit entry as the audit screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    #[ts(type = "number | null")]
    pub actor_id: Option<Id>,
    pub actor_name: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub hash: String,
}

impl Workspace {
    /// Audit entries, newest first, as `viewer` may read them (internal committee
    /// deliberation withheld from everyone else).
    pub fn audit(&self, viewer: Option<Id>, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let limit = q.limit.unwrap_or(200).clamp(1, 1000);
        self.read(|c| {
            let rows = audit::list(
                c,
                q.entity.as_deref(),
                q.entity_id.as_deref(),
                limit,
                q.before_seq,
            )?;
            let mut entries: Vec<AuditEntry> = rows
                .into_iter()
                .map(|(r, hash)| AuditEntry {
                    seq: r.seq,
                    at: r.at,
                    actor_id: r.actor_id,
                    actor_name: r.actor_name,
                    entity: r.entity,
                    entity_id: r.entity_id,
                    action: r.action,
                    before: r.before.and_then(|s| serde_json::from_str(&s).ok()),
                    after: r.after.and_then(|s| serde_json::from_str(&s).ok()),
                    hash,
                })
                .collect();
            crate::review::deliberation::withhold_internal(c, viewer, &mut entries)?;
            Ok(entries)
        })
    }

    /// Checks the whole hash chain and names the first entry that does not hold, then every
    /// signed statement and the votes they record.
    pub fn verify_audit(&self) -> Result<ChainReport> {
        self.read(|c| {
            let mut report = audit::verify(c)?;
            let custody = crate::kernel::keys::Custody::read(c)?;
            let entries = crate::kernel::signin::check_entries(c, &custody)?;
            report.entries_signed = entries.signed;
            report.unsigned_history = entries.unsigned_history;
            if let Some(failure) = entries.first_failure {
                // The earliest entry that does not hold is the one to name.
                if report
                    .first_broken
                    .as_ref()
                    .is_none_or(|b| failure.seq < b.seq)
                {
                    report.first_broken = Some(failure);
                    report.head = None;
                }
            }
            report.key_resets = crate::kernel::keys::key_resets(c)?;
            let statements = crate::review::verify_statements(c)?;
            report.signatures = statements.checked;
            report.statement_problems = statements.problems;
            report
                .statement_problems
                .extend(crate::issuing::events::check_merged_logs(c)?);
            Ok(report)
        })
    }
}
