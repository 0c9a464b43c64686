//! The kernel: who acts and how a change is written. The open workspace and its
//! transactions (`Workspace::read`, `Workspace::write`: authorize, change, audit entry, sign,
//! all in one transaction), the signed-in person and their key, key custody, the clock, the
//! error type, and the small utilities every capability uses. It calls into no other folder.

pub(crate) mod clock;
pub mod copy;
mod error;
pub mod exports;
pub(crate) mod jobs;
pub(crate) mod keys;
pub(crate) mod parallel;
pub(crate) mod people;
pub mod secret;
pub mod signin;
mod workspace;

pub(crate) use error::refuse;
pub use error::{AppError, ErrorKind};
pub use keys::SigningKeys;
pub(crate) use workspace::{
    acting, internal, record, record_all, unchanged_since, Need, ACTING_PERSON,
};
pub use workspace::{named, server_url, Checkpointer, Workspace, WorkspaceStatus};
