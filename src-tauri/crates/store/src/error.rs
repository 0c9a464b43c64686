/// Why the store could not do what was asked. `at` names the workspace as a person would
/// write it: a file's path, or a server's URL without its password.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{at}: no workspace file here (create one with `credence init` or `credence demo`)")]
    Missing { at: String },
    #[error("{at}: not a Credence workspace ({why}); the file was not changed")]
    NotCredence { at: String, why: String },
    #[error(
        "{at}: this workspace was written by a newer Credence (schema {found}; this version \
         reads up to {supported}); update Credence to open it. The file was not changed"
    )]
    NewerSchema {
        at: String,
        found: i64,
        supported: i64,
    },
    #[error("{at}: the workspace file is damaged ({detail}); the file was not changed")]
    Corrupt { at: String, detail: String },
    /// A database on a server that is not a workspace this build may open (another
    /// program's, a newer schema's, not empty where one is to be made).
    #[error("{at}: {why}; nothing in the database was changed")]
    Refused { at: String, why: String },
    #[error("{at}: cannot open ({detail})")]
    Unopenable { at: String, detail: String },
    #[error("stored data is not what this version expects: {0}")]
    Decode(String),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// The work inside a transaction failed, so the transaction was rolled back (the work's
    /// own error is what its caller sees; this one only tells the engine).
    #[error("the transaction was rolled back")]
    RolledBack,
    /// A database engine other than SQLite refused a statement (PostgreSQL), in its words.
    #[error("{0}")]
    Backend(String),
}
