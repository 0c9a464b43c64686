//! Credence's use cases: the one API that the desktop shell and the CLI both call.
//!
//! Architecture invariant: every use case validates (through `credence-domain`), authorizes,
//! and writes its change and its audit entry in one store transaction. Front ends do no more
//! than translate input and output.

pub mod attachments;
pub mod award_files;
pub mod badge_image;
pub mod bench;
pub mod bindings;
pub mod calendar;
pub mod certificates;
pub mod deliberation;
mod demo;
pub mod documents;
mod error;
pub mod exports;
pub mod issuing;
pub mod lifecycle;
pub mod location;
mod parallel;
pub mod proposals;
pub mod proposals_csv;
pub mod receipts;
pub mod reports;
pub mod review;
pub mod secret;
pub mod session;
pub mod signin;
pub mod verification;
mod workspace;

pub use error::{AppError, ErrorKind};
pub use session::{Session, SessionView};
pub use workspace::{AuditEntry, AuditQuery, SetupInput, Workspace, WorkspaceStatus};

pub use credence_domain as domain;
pub use credence_store::OpenMode;
