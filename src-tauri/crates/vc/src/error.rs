/// Why a credential could not be canonicalized, signed or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VcError {
    /// The document refers to a JSON-LD context that Credence does not bundle.
    #[error("the context {0} is not one Credence knows; it will not be fetched")]
    UnknownContext(String),
    /// The document is not valid JSON-LD.
    #[error("the document is not valid JSON-LD: {0}")]
    JsonLd(String),
    /// Part of the document would not be covered by a signature.
    #[error("{0}")]
    Uncovered(String),
    /// The document or its proof is not shaped as a credential must be.
    #[error("{0}")]
    Malformed(String),
    /// A key or identifier cannot be decoded.
    #[error("{0}")]
    Key(String),
    /// The signature does not match the document.
    #[error("the signature does not match the credential: it was changed after signing, or signed by another key")]
    BadSignature,
}
