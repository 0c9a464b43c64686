use std::path::PathBuf;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: no workspace file here (create one with `credence init` or `credence demo`)")]
    Missing { path: PathBuf },
    #[error("{path}: not a Credence workspace ({why}); the file was not changed")]
    NotCredence { path: PathBuf, why: String },
    #[error(
        "{path}: this workspace was written by a newer Credence (schema {found}; this version \
         reads up to {supported}); update Credence to open it. The file was not changed"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{path}: the workspace file is damaged ({detail}); the file was not changed")]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path}: cannot open ({detail})")]
    Unopenable { path: PathBuf, detail: String },
    #[error("stored data is not what this version expects: {0}")]
    Decode(String),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// A database engine other than SQLite refused a statement (PostgreSQL), in its words.
    #[error("{0}")]
    Backend(String),
}
