//! Receipts of the audit log's head. The hash chain shows any entry changed or removed in
//! the middle, but not the newest entries deleted: the log simply ends earlier. A person
//! signs the head they saw (its number and hash) with their own key and keeps the receipt
//! outside the workspace; `audit verify --receipt` then proves the log still reaches that
//! entry, unchanged.

use credence_domain::audit::Head;
use credence_domain::review::Statement;
use credence_store::audit;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kernel::keys::{check_signature, sign, signing_key, Custody};
use crate::kernel::people::person;
use crate::{AppError, ErrorKind, Workspace};

type Result<T> = std::result::Result<T, AppError>;

/// A signed receipt, as saved to a file: the statement (act `audit_receipt`, content the
/// head), its signature and the signer's public key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditReceipt {
    pub statement: Statement,
    pub signature: String,
    pub public_key: String,
}

/// What checking a receipt against the workspace found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReceiptCheck {
    /// Who signed it and when, in words.
    pub signed_by: String,
    #[ts(type = "number")]
    pub seq: i64,
    /// Empty when the log still holds the entry the receipt saw.
    pub problems: Vec<String>,
}

impl Workspace {
    /// Signs the head of the audit log with the acting person's key. Refused while the
    /// chain is broken: a receipt would vouch for a log that does not hold.
    pub fn audit_receipt(
        &self,
        by: Option<credence_domain::Id>,
        passphrase: &str,
    ) -> Result<AuditReceipt> {
        let report = self.verify_audit()?;
        if let Some(b) = &report.first_broken {
            return Err(AppError::field(
                "audit",
                format!(
                    "the audit log is broken at entry {}; a receipt would vouch for it",
                    b.seq
                ),
            ));
        }
        let Some(head) = report.head else {
            return Err(AppError::field("audit", "the audit log is empty"));
        };
        let institution = self
            .status()?
            .institution
            .map(|i| i.name)
            .unwrap_or_default();
        let value = self.read(|c| {
            let Some(id) = by else {
                return Err(AppError::forbidden(
                    "choose who is acting before signing a receipt",
                ));
            };
            let me = person(c, id)?;
            let key = signing_key(c, &me, passphrase)?;
            sign(
                &key,
                &me,
                "audit_receipt",
                format!("audit:{}", head.seq),
                serde_json::json!({"workspace": institution, "seq": head.seq, "hash": head.hash}),
            )
        })?;
        serde_json::from_value(value).map_err(|e| AppError::new(ErrorKind::Internal, e.to_string()))
    }

    /// Checks a receipt (the JSON `audit_receipt` wrote) against this workspace: the
    /// signature, that the key was its signer's when the log stood at that entry, and that
    /// the log still holds that entry with that hash.
    pub fn check_receipt(&self, json: &str) -> Result<ReceiptCheck> {
        let receipt: AuditReceipt = serde_json::from_str(json)
            .map_err(|e| AppError::field("receipt", format!("not an audit receipt ({e})")))?;
        let s = &receipt.statement;
        let head: Head = serde_json::from_value(s.content.clone())
            .map_err(|e| AppError::field("receipt", format!("the receipt names no entry ({e})")))?;
        if s.act != "audit_receipt" {
            return Err(AppError::field(
                "receipt",
                format!("a signed {} is not an audit receipt", s.act),
            ));
        }
        let mut problems = Vec::new();
        if check_signature(s, &receipt.public_key, &receipt.signature).is_err() {
            problems.push("the receipt's signature does not match what it says".to_string());
        }
        self.read(|c| {
            match audit::hash_of(c, head.seq)? {
                None => {
                    let last = audit::last_seq(c)?;
                    problems.push(format!(
                        "the log ends at entry {last}, but {} signed a receipt for entry {} on {}: entries {} to {} were deleted",
                        s.signer_name,
                        head.seq,
                        s.at,
                        last + 1,
                        head.seq
                    ));
                }
                Some(hash) if hash != head.hash => problems.push(format!(
                    "entry {} is not the entry the receipt saw (its hash differs): the log was rewritten from there",
                    head.seq
                )),
                Some(_) => {}
            }
            if !Custody::read(c)?.held(s.signer_id, &receipt.public_key, head.seq + 1) {
                problems.push(format!(
                    "the receipt was signed with a key that was not {}'s when the log stood at entry {}",
                    s.signer_name, head.seq
                ));
            }
            Ok(())
        })?;
        Ok(ReceiptCheck {
            signed_by: format!("{} on {}", s.signer_name, s.at),
            seq: head.seq,
            problems,
        })
    }
}
