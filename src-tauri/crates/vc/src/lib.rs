//! Verifiable credentials for Credence: the JSON-LD contexts it signs with (bundled, never
//! fetched), RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, Data Integrity
//! proofs with the `eddsa-rdfc-2022` and `eddsa-jcs-2022` cryptosuites, and `did:key`.
//!
//! Architecture invariant: this crate knows nothing of the store, the app or the UI; it works
//! on JSON values and keys. It does no network IO: the document loader refuses every URL it
//! does not bundle.

pub mod bake;
pub mod canon;
pub mod contexts;
pub mod credential;
pub mod did_key;
mod error;
pub mod fast;
pub mod keys;
pub mod ob2;
pub mod proof;
pub mod schema;
pub mod status_list;
pub mod vc2;
pub mod verify;

pub use error::VcError;
