//! Canonical forms: RDFC-1.0 N-Quads of a JSON-LD document, and JCS (RFC 8785) JSON.

use oxjsonld::JsonLdParser;
use oxrdf::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use oxrdf::{Dataset, NamedOrBlankNodeRef, TermRef};
use serde_json::Value;

use crate::VcError;

/// Relative IRIs resolve against this base, so any that appear can be found and refused.
const RELATIVE_BASE: &str = "https://relative-iri.credence.invalid/";
/// Terms no context defines are mapped here during the coverage check.
const UNDEFINED_TERMS: &str = "https://undefined-term.credence.invalid/#";

/// How strictly to treat data a signature would not meaningfully cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Refuse undefined terms and relative IRIs (for signing what Credence issues).
    Strict,
    /// Canonicalize as any verifier would (for checking others' credentials).
    AsIs,
}

/// The document's RDF dataset in RDFC-1.0 canonical N-Quads: sorted lines, each ending in
/// "\n". With [`Coverage::Strict`] it first proves that every term and IRI of the document
/// reaches the dataset (JSON-LD processors silently drop what their contexts do not define).
pub fn rdfc(document: &Value, coverage: Coverage) -> Result<String, VcError> {
    if coverage == Coverage::Strict {
        check_coverage(&to_dataset(
            &with_sentinel_vocab(document),
            Some(RELATIVE_BASE),
        )?)?;
    }
    let mut dataset = to_dataset(document, None)?;
    dataset.canonicalize(CanonicalizationAlgorithm::Rdfc10 {
        hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
    });
    let mut lines: Vec<String> = dataset.iter().map(|q| format!("{q} .\n")).collect();
    lines.sort_unstable();
    Ok(lines.concat())
}

fn to_dataset(document: &Value, base: Option<&str>) -> Result<Dataset, VcError> {
    let bytes = serde_json::to_vec(document).map_err(|e| VcError::Malformed(e.to_string()))?;
    let mut parser = JsonLdParser::new();
    if let Some(base) = base {
        parser = parser
            .with_base_iri(base)
            .map_err(|e| VcError::JsonLd(e.to_string()))?;
    }
    let mut dataset = Dataset::new();
    for quad in parser
        .for_slice(&bytes)
        .with_load_document_callback(crate::contexts::load)
    {
        dataset.insert(&quad.map_err(|e| VcError::JsonLd(e.to_string()))?);
    }
    Ok(dataset)
}

/// The document with a first context that maps every term no later context defines (nor
/// maps with its own `@vocab`) to [`UNDEFINED_TERMS`], so that dropped terms become visible.
fn with_sentinel_vocab(document: &Value) -> Value {
    let mut doc = document.clone();
    if let Some(object) = doc.as_object_mut() {
        let sentinel = serde_json::json!({ "@vocab": UNDEFINED_TERMS });
        let contexts = match object.remove("@context") {
            Some(Value::Array(list)) => std::iter::once(sentinel).chain(list).collect(),
            Some(other) => vec![sentinel, other],
            None => vec![sentinel],
        };
        object.insert("@context".into(), Value::Array(contexts));
    }
    doc
}

fn check_coverage(dataset: &Dataset) -> Result<(), VcError> {
    for quad in dataset.iter() {
        let iris = [
            match quad.subject {
                NamedOrBlankNodeRef::NamedNode(n) => Some(n.as_str()),
                _ => None,
            },
            Some(quad.predicate.as_str()),
            match quad.object {
                TermRef::NamedNode(n) => Some(n.as_str()),
                _ => None,
            },
        ];
        for iri in iris.into_iter().flatten() {
            if let Some(term) = iri.strip_prefix(UNDEFINED_TERMS) {
                return Err(VcError::Uncovered(format!(
                    "the term \"{term}\" is not defined by any of the credential's contexts; \
                     refusing to sign data a verifier cannot interpret"
                )));
            }
            if let Some(rel) = iri.strip_prefix(RELATIVE_BASE) {
                return Err(VcError::Uncovered(format!(
                    "\"{rel}\" is a relative IRI; refusing to sign a value that has no fixed meaning"
                )));
            }
        }
    }
    Ok(())
}

/// JSON Canonicalization Scheme (RFC 8785).
pub fn jcs(document: &Value) -> Result<String, VcError> {
    serde_json_canonicalizer::to_string(document).map_err(|e| VcError::Malformed(e.to_string()))
}
