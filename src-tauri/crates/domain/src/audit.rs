//! The audit log's hash chain.
//!
//! Each entry's hash covers its own fields exactly as stored and the hash of the entry before
//! it, so changing, removing or reordering any stored entry breaks the chain from that entry on.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::Id;

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry with its fields exactly as stored (JSON as text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: i64,
    /// UTC, RFC 3339 with `Z`.
    pub at: String,
    pub actor_id: Option<Id>,
    pub actor_name: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
}

impl AuditRecord {
    /// SHA-256 over every field, each length-prefixed so no two records share an encoding.
    pub fn hash(&self) -> String {
        let mut h = Sha256::new();
        // Numbers written on the stack: a chunk of a batch hashes hundreds of entries.
        let mut number = itoa::Buffer::new();
        let mut field = |name: &str, value: Option<&str>| {
            let v = value.unwrap_or("");
            h.update(name.as_bytes());
            h.update(if value.is_some() { b":s" } else { b":n" });
            h.update(itoa::Buffer::new().format(v.len()).as_bytes());
            h.update(b":");
            h.update(v.as_bytes());
            h.update(b"\n");
        };
        field("seq", Some(number.format(self.seq)));
        field("at", Some(&self.at));
        let mut id = itoa::Buffer::new();
        field("actor_id", self.actor_id.map(|i| id.format(i)));
        field("actor_name", Some(&self.actor_name));
        field("entity", Some(&self.entity));
        field("entity_id", Some(&self.entity_id));
        field("action", Some(&self.action));
        field("before", self.before.as_deref());
        field("after", self.after.as_deref());
        field("prev_hash", Some(&self.prev_hash));
        hex::encode(h.finalize())
    }
}

/// The outcome of checking a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChainReport {
    /// Entries read.
    #[ts(type = "number")]
    pub checked: u64,
    /// The first entry that does not hold, if any; everything after it is suspect too.
    pub first_broken: Option<BrokenEntry>,
    /// Entries whose signature (by the person who made the entry) was checked.
    #[ts(type = "number")]
    #[serde(default)]
    pub entries_signed: u64,
    /// Entries written before entries were signed (by an earlier build, or before anyone
    /// held a signing key): history the signed entries after them vouch for.
    #[ts(type = "number")]
    #[serde(default)]
    pub unsigned_history: u64,
    /// Signed statements (votes, sign-offs, decisions) whose signatures were checked.
    #[ts(type = "number")]
    #[serde(default)]
    pub signatures: u64,
    /// Each signed statement, or stored record, that does not hold.
    #[serde(default)]
    pub statement_problems: Vec<String>,
    /// Every reset of a person's signing key by a coordinator (a forgotten passphrase): who,
    /// whose, when and why, so no report leaves out that someone's key changed hands.
    #[serde(default)]
    pub key_resets: Vec<String>,
    /// The newest entry, when the whole chain holds: what a receipt vouches for, so that
    /// deleting the newest entries (which the chain alone cannot show) is proved later.
    #[serde(default)]
    pub head: Option<Head>,
}

/// The newest entry of an audit log: its number and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Head {
    #[ts(type = "number")]
    pub seq: i64,
    pub hash: String,
}

impl ChainReport {
    pub fn holds(&self) -> bool {
        self.first_broken.is_none() && self.statement_problems.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BrokenEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub reason: String,
}

/// The chain check, fed one stored entry at a time in `seq` order (a store streams its log
/// into it). It stops looking at the first entry that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    checked: u64,
    expected_prev: String,
    head: Option<Head>,
    broken: Option<BrokenEntry>,
}

impl Default for ChainCheck {
    fn default() -> Self {
        ChainCheck {
            checked: 0,
            expected_prev: GENESIS_HASH.to_string(),
            head: None,
            broken: None,
        }
    }
}

impl ChainCheck {
    /// Takes the next entry with the hash stored beside it; false once an entry has not held
    /// (this one or an earlier one), after which entries are not looked at.
    pub fn push(&mut self, record: &AuditRecord, stored_hash: &str) -> bool {
        if self.broken.is_some() {
            return false;
        }
        self.checked += 1;
        let expected_seq = i64::try_from(self.checked).unwrap_or(i64::MAX);
        let reason = if record.seq != expected_seq {
            Some(format!(
                "entry {} follows entry {}: entries between them are missing",
                record.seq,
                expected_seq - 1
            ))
        } else if record.prev_hash != self.expected_prev {
            Some("its link to the previous entry does not match that entry's hash".into())
        } else {
            let actual = record.hash();
            if actual == stored_hash {
                self.head = Some(Head {
                    seq: record.seq,
                    hash: actual.clone(),
                });
                self.expected_prev = actual;
                None
            } else {
                Some(
                    "its content does not match its hash: the entry was changed after it was written"
                        .into(),
                )
            }
        };
        match reason {
            Some(reason) => {
                self.broken = Some(BrokenEntry {
                    seq: record.seq,
                    reason,
                });
                false
            }
            None => true,
        }
    }

    /// What the entries taken so far show.
    pub fn report(self) -> ChainReport {
        let holds = self.broken.is_none();
        ChainReport {
            checked: self.checked,
            head: if holds { self.head } else { None },
            first_broken: self.broken,
            entries_signed: 0,
            unsigned_history: 0,
            signatures: 0,
            statement_problems: Vec::new(),
            key_resets: Vec::new(),
        }
    }
}

/// Walks stored records in `seq` order, each with the hash stored beside it.
/// Stops at the first entry that does not hold.
pub fn verify_chain<I, E>(records: I) -> Result<ChainReport, E>
where
    I: IntoIterator<Item = Result<(AuditRecord, String), E>>,
{
    let mut check = ChainCheck::default();
    for item in records {
        let (record, stored_hash) = item?;
        if !check.push(&record, &stored_hash) {
            break;
        }
    }
    Ok(check.report())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<(AuditRecord, String)> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let r = AuditRecord {
                    seq,
                    at: "2026-11-23T10:00:00Z".into(),
                    actor_id: Some(1),
                    actor_name: "Ana Díaz".into(),
                    entity: "unit".into(),
                    entity_id: seq.to_string(),
                    action: "create".into(),
                    before: None,
                    after: Some(format!("{{\"code\":\"U{seq}\"}}")),
                    prev_hash: prev.clone(),
                };
                let h = r.hash();
                prev = h.clone();
                (r, h)
            })
            .collect()
    }

    fn verify(c: Vec<(AuditRecord, String)>) -> ChainReport {
        verify_chain(c.into_iter().map(Ok::<_, ()>)).unwrap()
    }

    #[test]
    fn an_untouched_chain_holds() {
        let report = verify(chain(5));
        assert!(report.holds());
        assert_eq!(report.checked, 5);
    }

    #[test]
    fn a_changed_field_names_its_entry() {
        let mut c = chain(5);
        c[2].0.after = Some("{\"code\":\"HACKED\"}".into());
        assert_eq!(verify(c).first_broken.unwrap().seq, 3);
    }

    #[test]
    fn a_rehashed_entry_breaks_the_next_link() {
        let mut c = chain(5);
        c[1].0.actor_name = "Mallory".into();
        c[1].1 = c[1].0.hash();
        let broken = verify(c).first_broken.unwrap();
        assert_eq!(broken.seq, 3);
        assert!(broken.reason.contains("previous entry"));
    }

    #[test]
    fn a_removed_entry_is_found() {
        let mut c = chain(5);
        c.remove(3);
        assert_eq!(verify(c).first_broken.unwrap().seq, 5);
    }

    #[test]
    fn an_entry_hashes_as_every_earlier_build_hashed_it() {
        // Each field length-prefixed, as since the first build: a workspace's chain verifies
        // in every build after the one that wrote it.
        let mut r = chain(1).remove(0).0;
        assert_eq!(
            r.hash(),
            "fb5b622f661b6e1d7b2ed66a2e7b9a479f6b8bc052f2ad364e23e3fa53814da3"
        );
        r.actor_id = None;
        assert_eq!(
            r.hash(),
            "5c44dc8bc3a6fb1fdba23aef6af1e774f85aeeccdb3d7685148c8d68b9b5ead4"
        );
    }

    #[test]
    fn absent_and_empty_values_hash_differently() {
        let mut c = chain(1);
        let before = c[0].0.hash();
        c[0].0.before = Some(String::new());
        assert_ne!(before, c[0].0.hash());
    }
}
