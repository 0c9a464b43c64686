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
    check_blank_node_work(&dataset)?;
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

/// The most blank nodes a document may have, and the most that may share a first-degree
/// hash (RDFC-1.0 compares those by permutation, which grows factorially: a "poison graph"
/// of a few dozen alike blank nodes would take hours). A credential has a few dozen blank
/// nodes, nearly all told apart by their first-degree hash.
const MAX_BLANK_NODES: usize = 2_000;
const MAX_ALIKE_GROUP: usize = 6;
const MAX_ALIKE_TOTAL: usize = 24;

/// Refuses a dataset whose canonicalization could take unbounded work, before starting it.
/// Each blank node's first-degree hash (RDFC-1.0 §4.6) is approximated by the sorted
/// quads that mention it, with itself and every other blank node written alike: nodes the
/// real hash tells apart are told apart here too, so the groups counted are never smaller.
pub(crate) fn check_blank_node_work(dataset: &Dataset) -> Result<(), VcError> {
    use std::collections::HashMap;
    let mut mentions: HashMap<&str, Vec<String>> = HashMap::new();
    for quad in dataset.iter() {
        let subject = match quad.subject {
            NamedOrBlankNodeRef::BlankNode(b) => Some(b.as_str()),
            _ => None,
        };
        let object = match quad.object {
            TermRef::BlankNode(b) => Some(b.as_str()),
            _ => None,
        };
        let graph = match quad.graph_name {
            oxrdf::GraphNameRef::BlankNode(b) => Some(b.as_str()),
            _ => None,
        };
        let shape = |me: &str| {
            let term = |b: Option<&str>, plain: String| match b {
                Some(b) if b == me => "_:a".to_string(),
                Some(_) => "_:z".to_string(),
                None => plain,
            };
            format!(
                "{} {} {} {}",
                term(subject, quad.subject.to_string()),
                quad.predicate,
                term(object, quad.object.to_string()),
                term(graph, quad.graph_name.to_string()),
            )
        };
        for b in [subject, object, graph].into_iter().flatten() {
            let entry = mentions.entry(b).or_default();
            entry.push(shape(b));
        }
        if mentions.len() > MAX_BLANK_NODES {
            return Err(VcError::Malformed(format!(
                "the credential has more than {MAX_BLANK_NODES} blank nodes; refusing to canonicalize it"
            )));
        }
    }
    let mut groups: HashMap<Vec<String>, usize> = HashMap::new();
    for (_, mut quads) in mentions {
        quads.sort_unstable();
        *groups.entry(quads).or_default() += 1;
    }
    let alike: Vec<usize> = groups.into_values().filter(|n| *n > 1).collect();
    let largest = alike.iter().copied().max().unwrap_or(0);
    let total: usize = alike.iter().sum();
    if largest > MAX_ALIKE_GROUP || total > MAX_ALIKE_TOTAL {
        return Err(VcError::Malformed(format!(
            "the credential has {total} blank nodes that only their neighbours tell apart \
             ({largest} alike at most); canonicalizing it could take unbounded time, so it is refused"
        )));
    }
    Ok(())
}

/// JSON Canonicalization Scheme (RFC 8785).
pub fn jcs(document: &Value) -> Result<String, VcError> {
    serde_json_canonicalizer::to_string(document).map_err(|e| VcError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A "poison graph": blank nodes linked each to each, all alike to RDFC-1.0's first pass.
    fn clique(n: usize) -> Value {
        let nodes: Vec<Value> = (0..n)
            .map(|i| {
                let links: Vec<Value> = (0..n)
                    .filter(|j| *j != i)
                    .map(|j| serde_json::json!({"@id": format!("_:b{j}")}))
                    .collect();
                serde_json::json!({"@id": format!("_:b{i}"), "http://example.org/p": links})
            })
            .collect();
        serde_json::json!({"@graph": nodes})
    }

    #[test]
    fn a_graph_of_alike_blank_nodes_is_refused_before_canonicalizing() {
        let e = rdfc(&clique(40), Coverage::AsIs)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("could take unbounded time"), "{e}");
        // (Canonicalizing it would not finish: the refusal comes before the work.)
        // A few alike nodes are still canonicalized.
        assert!(rdfc(&clique(3), Coverage::AsIs).is_ok());
    }
}
