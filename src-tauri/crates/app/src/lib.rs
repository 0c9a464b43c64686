//! Credence's use cases: the one API that the desktop shell and the CLI both call.
//!
//! Architecture invariant: every use case validates (through `credence-domain`), authorizes,
//! and writes its change and its audit entry in one store transaction. Front ends do no more
//! than translate input and output.
//!
//! The crate is laid out by capability, and each folder calls only the folders above it in
//! this list (checked by `tests/layers.rs`):

pub mod audit;
pub mod catalog;
pub mod certificates;
pub mod documents;
pub mod issuing;
pub mod kernel;
pub mod lifecycle;
pub mod master;
pub mod proposals;
pub mod review;
// Built on everything above: the demo seed, the benchmarks, the window's session, the
// TypeScript bindings.
pub mod bench;
pub mod bindings;
mod demo;
pub mod session;

pub use audit::{AuditEntry, AuditQuery};
pub use kernel::{AppError, ErrorKind};
pub use kernel::{Workspace, WorkspaceStatus};
pub use master::SetupInput;
pub use session::{Session, SessionView};

pub use credence_domain as domain;
pub use credence_store::OpenMode;
