use credence_domain::{DomainError, FieldError};
use credence_store::StoreError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of failure, so a front end can decide how to show it (and the CLI its exit code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input is wrong; `fields` says where.
    Invalid,
    /// The record asked for does not exist.
    NotFound,
    /// The acting person may not do this.
    Forbidden,
    /// The workspace file cannot be used (missing, not Credence, newer, damaged).
    Workspace,
    /// Someone else changed the record after it was read (another seat of a shared
    /// workspace, another window): nothing was saved; the message names who and when.
    Conflict,
    /// A fault in Credence or the machine, not in the input.
    Internal,
}

/// The error every use case returns; it crosses the IPC boundary as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppError {
    pub kind: ErrorKind,
    /// One line, enough to act on.
    pub message: String,
    /// Per-field messages, shown next to the field they name.
    pub fields: Vec<FieldError>,
}

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        DomainError::Invalid(vec![FieldError::new(field, message)]).into()
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, what)
    }

    pub fn forbidden(why: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, why)
    }

    pub fn conflict(what: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, what)
    }

    /// The same error with each field's problem rewritten by `f` (renamed for the front end
    /// that shows it, or placed in a file), its one-line message rebuilt from them.
    pub fn map_fields(self, f: impl Fn(FieldError) -> FieldError) -> Self {
        if self.fields.is_empty() {
            return self;
        }
        let kind = self.kind;
        let mut e: AppError = DomainError::Invalid(self.fields.into_iter().map(f).collect()).into();
        e.kind = kind;
        e
    }

    /// Whether the person at the keyboard can fix this (CLI exit code 1) or not (2).
    pub fn is_user_error(&self) -> bool {
        self.kind != ErrorKind::Internal
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        let message = e.to_string();
        let DomainError::Invalid(fields) = e;
        Self {
            kind: ErrorKind::Invalid,
            message,
            fields,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        let kind = match e {
            StoreError::Missing { .. }
            | StoreError::NotCredence { .. }
            | StoreError::NewerSchema { .. }
            | StoreError::Corrupt { .. }
            | StoreError::Refused { .. }
            | StoreError::Unopenable { .. } => ErrorKind::Workspace,
            StoreError::Decode(_)
            | StoreError::Sqlite(_)
            | StoreError::Backend(_)
            | StoreError::RolledBack => ErrorKind::Internal,
        };
        if kind == ErrorKind::Internal {
            tracing::error!(error = %e, "store failure");
        }
        Self::new(kind, e.to_string())
    }
}

/// A refusal that names the field it is about.
pub(crate) fn refuse(field: &str, message: impl Into<String>) -> AppError {
    DomainError::Invalid(vec![FieldError::new(field, message)]).into()
}
