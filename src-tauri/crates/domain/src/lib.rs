//! The Credence domain: entities, the rules that make them valid, and the audit hash chain.
//!
//! Architecture invariant: this crate does no IO and knows nothing of SQLite, Tauri or the
//! CLI. Every rule a user can break lives here, so both front ends report it the same way.

pub mod attachment;
pub mod audit;
pub mod award;
pub mod badge;
pub mod calendar;
pub mod case;
pub mod certificate;
pub mod diff;
pub mod error;
pub mod formats;
pub mod institution;
pub mod language;
pub mod lifecycle;
pub mod meeting;
pub mod person;
pub mod policy;
pub mod prior_learning;
pub mod proposal;
pub mod review;
pub mod spreadsheet;
pub mod taxonomy;
pub mod unit;
mod validate;
pub mod xml;

pub use error::{DomainError, FieldError};

/// Identifier of a stored row. Carried as a plain number across the IPC boundary
/// (workspaces never approach 2^53 rows).
pub type Id = i64;
