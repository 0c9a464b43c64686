//! What the Verifiable Credentials Data Model 2.0 requires of a credential's and a
//! presentation's shape, checked before it is signed or believed (the VC-API endpoint's issuer
//! and verifiers): the contexts (and the terms an inline context defines), the types, the
//! subject, identifiers as URLs, date-time stamps, a `type` on every status, terms-of-use,
//! evidence, refresh-service and schema object (a schema's `id` too), and related resources
//! with their digests. A VC 1.1 credential is held to the VC 1.1 model's rules. Each problem
//! is one sentence naming the property.
use serde_json::Value;

use crate::contexts::{CREDENTIALS_V1, CREDENTIALS_V2};

/// `text` is a URL in the data model's sense: a scheme, a colon, and no whitespace.
fn is_url(text: &str) -> bool {
    match text.split_once(':') {
        Some((scheme, rest)) => {
            !rest.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// `text` is a JSON-LD term: a name without a colon or whitespace.
fn is_term(text: &str) -> bool {
    !text.is_empty() && !text.contains(':') && !text.chars().any(char::is_whitespace)
}

/// Objects a property holds: itself, or each item of an array.
fn objects(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

fn is_date_time_stamp(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

/// The rules a credential and a presentation share: `@context` an ordered set starting with
/// the VC 2.0 context, then URLs or context objects; `type` including `required`, each a term
/// or a URL; an `id`, where there is one, a URL.
fn contexts_types_and_id(
    map: &serde_json::Map<String, Value>,
    required: &str,
    out: &mut Vec<String>,
) {
    match map.get("@context").and_then(Value::as_array) {
        Some(contexts) if contexts.first().and_then(Value::as_str) == Some(CREDENTIALS_V2) => {
            for c in &contexts[1..] {
                match c {
                    Value::String(url) if is_url(url) => {}
                    Value::Object(definitions) => {
                        for (term, definition) in definitions {
                            let iri = definition
                                .as_str()
                                .or_else(|| definition.get("@id").and_then(Value::as_str));
                            if term.starts_with('@') {
                                continue;
                            }
                            if let Some(iri) = iri {
                                if !iri.starts_with('@') && !is_url(iri) && !is_term(iri) {
                                    out.push(format!(
                                        "@context: the term {term} maps to {iri:?}, which is not a URL"
                                    ));
                                }
                            }
                        }
                    }
                    _ => out.push(format!(
                        "@context: {c} is neither a URL nor a context object"
                    )),
                }
            }
        }
        _ => out.push(format!(
            "@context must be an ordered set whose first item is {CREDENTIALS_V2}"
        )),
    }
    let types: Vec<&Value> = map.get("type").map(objects).unwrap_or_default();
    if !types.iter().any(|t| t.as_str() == Some(required)) {
        out.push(format!("type must include {required}"));
    }
    for t in &types {
        match t.as_str() {
            Some(text) if is_term(text) || is_url(text) => {}
            _ => out.push(format!("type: {t} is neither a term nor a URL")),
        }
    }
    if let Some(id) = map.get("id") {
        if !id.as_str().is_some_and(is_url) {
            out.push(format!("id: {id} is not a URL"));
        }
    }
}

/// The problems with a presentation's shape; empty when it conforms. The credentials it
/// holds are checked as credentials too, each problem prefixed by its place
/// (`verifiableCredential[1]: ...`); an enveloped credential must be a `data:` URL typed
/// `EnvelopedVerifiableCredential`.
pub fn presentation_problems(presentation: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(map) = presentation.as_object() else {
        return vec!["a presentation is a JSON object".into()];
    };
    contexts_types_and_id(map, "VerifiablePresentation", &mut out);
    match map.get("holder") {
        None => {}
        Some(Value::String(s)) if is_url(s) => {}
        Some(Value::Object(o)) if o.get("id").and_then(Value::as_str).is_some_and(is_url) => {}
        Some(_) => out.push("holder must be a URL, or an object whose id is one".into()),
    }
    if let Some(held) = map.get("verifiableCredential") {
        for (i, credential) in objects(held).into_iter().enumerate() {
            let place = format!("verifiableCredential[{i}]");
            let Some(object) = credential.as_object() else {
                out.push(format!(
                    "{place}: {credential} is not a credential object (a string, number or URL is not one)"
                ));
                continue;
            };
            let enveloped = objects(object.get("type").unwrap_or(&Value::Null))
                .iter()
                .any(|t| t.as_str() == Some("EnvelopedVerifiableCredential"));
            if enveloped {
                let mut problems = Vec::new();
                contexts_types_and_id(object, "EnvelopedVerifiableCredential", &mut problems);
                if !object
                    .get("id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| id.starts_with("data:"))
                {
                    problems.push("id must be a data: URL".into());
                }
                out.extend(problems.into_iter().map(|p| format!("{place}: {p}")));
            } else {
                out.extend(
                    credential_problems(credential)
                        .into_iter()
                        .map(|p| format!("{place}: {p}")),
                );
            }
        }
    }
    out
}

/// Whether a credential's first context is VC 1.1's.
pub fn is_v1(credential: &Value) -> bool {
    credential["@context"]
        .as_array()
        .and_then(|c| c.first())
        .or(Some(&credential["@context"]))
        .and_then(Value::as_str)
        == Some(CREDENTIALS_V1)
}

/// The VC 1.1 data model's rules: its context first, the VerifiableCredential type, an issuer
/// URL, an `issuanceDate` (and an `expirationDate`, where there is one) that is a date-time,
/// and a subject.
fn v1_credential_problems(map: &serde_json::Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(contexts) = map.get("@context").and_then(Value::as_array) {
        for c in &contexts[1..] {
            if !(c.is_object() || c.as_str().is_some_and(is_url)) {
                out.push(format!(
                    "@context: {c} is neither a URL nor a context object"
                ));
            }
        }
    }
    let types: Vec<&Value> = map.get("type").map(objects).unwrap_or_default();
    if !types
        .iter()
        .any(|t| t.as_str() == Some("VerifiableCredential"))
    {
        out.push("type must include VerifiableCredential".into());
    }
    if let Some(id) = map.get("id") {
        if !id.as_str().is_some_and(is_url) {
            out.push(format!("id: {id} is not a URL"));
        }
    }
    match map.get("issuer") {
        Some(Value::String(s)) if is_url(s) => {}
        Some(Value::Object(o)) if o.get("id").and_then(Value::as_str).is_some_and(is_url) => {}
        _ => out.push("issuer must be a URL, or an object whose id is one".into()),
    }
    match map.get("issuanceDate") {
        Some(v) if v.as_str().is_some_and(is_date_time_stamp) => {}
        Some(v) => out.push(format!("issuanceDate: {v} is not a date-time")),
        None => out.push("issuanceDate is missing (a VC 1.1 credential needs one)".into()),
    }
    if let Some(v) = map.get("expirationDate") {
        if !v.as_str().is_some_and(is_date_time_stamp) {
            out.push(format!("expirationDate: {v} is not a date-time"));
        }
    }
    if !map
        .get("credentialSubject")
        .is_some_and(|s| objects(s).iter().all(|o| o.is_object()) && !objects(s).is_empty())
    {
        out.push("credentialSubject must hold one or more objects".into());
    }
    out
}

/// `relatedResource`: one or more objects, each with a URL `id` unique among them and a
/// `digestSRI` (`sha256-`, `sha384-` or `sha512-` and the digest in base64) or a
/// `digestMultibase` (a multibase digest of 32 to 64 bytes). Whether a digest is the resource's
/// is not known here: Credence does not fetch resources (a verifier reports them unchecked).
fn related_resource_problems(related: &Value, out: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    for resource in objects(related) {
        let Some(object) = resource.as_object() else {
            out.push(format!(
                "relatedResource: {resource} is not an object with an id and a digest"
            ));
            continue;
        };
        match object.get("id").and_then(Value::as_str) {
            Some(id) if is_url(id) => {
                if !seen.insert(id) {
                    out.push(format!("relatedResource: {id} is listed twice"));
                }
            }
            _ => out.push("relatedResource: every resource must have an id, its URL".into()),
        }
        let sri = object.get("digestSRI");
        let multibase = object.get("digestMultibase");
        if sri.is_none() && multibase.is_none() {
            out.push(
                "relatedResource: every resource must have a digestSRI or a digestMultibase".into(),
            );
        }
        if let Some(sri) = sri {
            if !sri.as_str().is_some_and(is_sri) {
                out.push(format!("relatedResource.digestSRI: {sri} is not sha256-, sha384- or sha512- and a base64 digest"));
            }
        }
        if let Some(multibase) = multibase {
            if !multibase.as_str().is_some_and(is_multibase_digest) {
                out.push(format!(
                    "relatedResource.digestMultibase: {multibase} is not a multibase digest"
                ));
            }
        }
    }
}

/// A Subresource Integrity expression of one SHA-2 digest (base64, or base64url as the VC
/// test suites write it).
fn is_sri(text: &str) -> bool {
    use base64::Engine as _;
    let Some((algorithm, digest)) = text.split_once('-') else {
        return false;
    };
    let length = match algorithm {
        "sha256" => 32,
        "sha384" => 48,
        "sha512" => 64,
        _ => return false,
    };
    let engines = [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::URL_SAFE,
    ];
    let unpadded = digest.trim_end_matches('=');
    engines.iter().any(|e| {
        e.decode(digest)
            .or_else(|_| {
                base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(unpadded)
                    .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(unpadded))
            })
            .is_ok_and(|bytes| bytes.len() == length)
    })
}

/// A multibase value (`u` base64url or `z` base58btc) of a digest: 32 to 64 bytes, or a
/// multihash of one.
fn is_multibase_digest(text: &str) -> bool {
    use base64::Engine as _;
    let bytes = match text.split_at_checked(1) {
        Some(("u", rest)) => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(rest.trim_end_matches('='))
            .ok(),
        Some(("z", rest)) => bs58::decode(rest).into_vec().ok(),
        _ => None,
    };
    bytes.is_some_and(|b| (32..=66).contains(&b.len()))
}

/// The problems with a credential's shape; empty when it conforms. A credential whose first
/// context is VC 1.1's is held to the VC 1.1 data model instead ([`v1_credential_problems`]).
pub fn credential_problems(credential: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(map) = credential.as_object() else {
        return vec!["a credential is a JSON object".into()];
    };
    if is_v1(credential) {
        return v1_credential_problems(map);
    }
    contexts_types_and_id(map, "VerifiableCredential", &mut out);
    match map.get("issuer") {
        Some(Value::String(s)) if is_url(s) => {}
        Some(Value::Object(o)) if o.get("id").and_then(Value::as_str).is_some_and(is_url) => {}
        _ => out.push("issuer must be a URL, or an object whose id is one".into()),
    }
    match map.get("credentialSubject") {
        None => out.push("credentialSubject is missing".into()),
        Some(subject) => {
            let subjects = objects(subject);
            if subjects.is_empty()
                || subjects
                    .iter()
                    .any(|s| s.as_object().is_none_or(serde_json::Map::is_empty))
            {
                out.push(
                    "credentialSubject must hold one or more objects, each with claims".into(),
                );
            }
            for s in subjects {
                if let Some(id) = s.get("id") {
                    if !id.as_str().is_some_and(is_url) {
                        out.push(format!("credentialSubject.id: {id} is not a URL"));
                    }
                }
            }
        }
    }
    for name in ["validFrom", "validUntil"] {
        if let Some(v) = map.get(name) {
            if !v.as_str().is_some_and(is_date_time_stamp) {
                out.push(format!(
                    "{name}: {v} is not a date-time stamp with its time zone"
                ));
            }
        }
    }
    if let (Some(from), Some(until)) = (
        map.get("validFrom").and_then(Value::as_str),
        map.get("validUntil").and_then(Value::as_str),
    ) {
        if let (Ok(f), Ok(u)) = (
            chrono::DateTime::parse_from_rfc3339(from),
            chrono::DateTime::parse_from_rfc3339(until),
        ) {
            if u < f {
                out.push("validUntil is before validFrom".into());
            }
        }
    }
    for name in [
        "credentialStatus",
        "termsOfUse",
        "evidence",
        "refreshService",
        "credentialSchema",
    ] {
        if let Some(value) = map.get(name) {
            for object in objects(value) {
                if object.get("type").is_none() {
                    out.push(format!("{name}: every object must have a type"));
                    break;
                }
                match object.get("id") {
                    Some(id) if !id.as_str().is_some_and(is_url) => {
                        out.push(format!("{name}.id: {id} is not a URL"));
                    }
                    None if name == "credentialSchema" => {
                        out.push("credentialSchema: every schema must have an id, its URL".into());
                    }
                    _ => {}
                }
            }
        }
    }
    if let Some(related) = map.get("relatedResource") {
        related_resource_problems(related, &mut out);
    }
    for name in ["name", "description"] {
        if let Some(value) = map.get(name) {
            let ok = objects(value)
                .iter()
                .all(|v| v.is_string() || v.get("@value").is_some_and(Value::is_string));
            if !ok {
                out.push(format!("{name} must be text, or language-tagged text"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Value {
        json!({
            "@context": [CREDENTIALS_V2, "https://www.w3.org/ns/credentials/examples/v2"],
            "id": "urn:uuid:1",
            "type": ["VerifiableCredential", "ExampleCredential"],
            "issuer": {"id": "did:key:z6Mk"},
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:1", "name": "Ana"},
            "credentialStatus": {"type": "BitstringStatusListEntry", "id": "https://x.example/1#3"}
        })
    }

    #[test]
    fn a_conforming_credential_has_no_problem_and_each_departure_is_named() {
        assert!(
            credential_problems(&good()).is_empty(),
            "{:?}",
            credential_problems(&good())
        );
        let cases: [(&str, Value, &str); 10] = [
            (
                "@context",
                json!(["https://example.org/contexts/v1"]),
                "@context",
            ),
            // VC 1.1's context holds the credential to VC 1.1's rules, which want a date.
            (
                "@context",
                json!(["https://www.w3.org/2018/credentials/v1"]),
                "issuanceDate is missing",
            ),
            ("type", json!(["ExampleCredential"]), "VerifiableCredential"),
            ("id", json!("not a url"), "id:"),
            ("issuer", json!("someone"), "issuer"),
            ("credentialSubject", json!({}), "credentialSubject"),
            ("validFrom", json!("2026-01-01"), "validFrom"),
            (
                "credentialStatus",
                json!({"id": "https://x.example/1#3"}),
                "credentialStatus",
            ),
            ("name", json!(5), "name"),
            ("type", json!(["VerifiableCredential", "urn bad"]), "type:"),
        ];
        for (field, value, expected) in cases {
            let mut c = good();
            c[field] = value;
            let problems = credential_problems(&c);
            assert!(
                problems.iter().any(|p| p.contains(expected)),
                "{field}: {problems:?}"
            );
        }
        let mut c = good();
        c.as_object_mut()
            .expect("object")
            .remove("credentialSubject");
        assert_eq!(credential_problems(&c), ["credentialSubject is missing"]);
        c = good();
        c["validUntil"] = json!("2025-01-01T00:00:00Z");
        assert_eq!(credential_problems(&c), ["validUntil is before validFrom"]);
    }

    /// The VC Data Model 2.0 suite's own related resource, digests, and departures from it.
    #[test]
    fn related_resources_need_a_unique_url_and_a_well_formed_digest() {
        let v2 = "https://www.w3.org/ns/credentials/v2";
        let sri = "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg";
        let multibase = "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k";
        let with = |related: Value| {
            let mut c = good();
            c["relatedResource"] = related;
            credential_problems(&c)
        };
        assert!(with(json!({"id": v2, "digestSRI": sri})).is_empty());
        assert!(with(
            json!([{"id": v2, "digestMultibase": multibase, "mediaType": "application/ld+json"}])
        )
        .is_empty());
        for (related, expected) in [
            (json!([v2]), "not an object"),
            (json!([{"digestMultibase": multibase}]), "must have an id"),
            (
                json!([{"id": v2, "digestSRI": sri}, {"id": v2, "digestMultibase": multibase}]),
                "listed twice",
            ),
            (json!([{"id": v2}]), "digestSRI or a digestMultibase"),
            (json!([{"id": v2, "digestSRI": "md5-abc"}]), "digestSRI"),
            (
                json!([{"id": v2, "digestMultibase": "xyz"}]),
                "digestMultibase",
            ),
        ] {
            let problems = with(related.clone());
            assert!(
                problems.iter().any(|p| p.contains(expected)),
                "{related}: {problems:?}"
            );
        }
    }

    #[test]
    fn status_and_schema_ids_are_urls_and_context_terms_map_to_urls() {
        let mut c = good();
        c["credentialStatus"]["id"] = json!("https ://not-a-url/statusList/4");
        assert_eq!(
            credential_problems(&c),
            ["credentialStatus.id: \"https ://not-a-url/statusList/4\" is not a URL"]
        );
        c = good();
        c["credentialSchema"] = json!({"type": "JsonSchema"});
        assert!(credential_problems(&c)[0].contains("every schema must have an id"));
        c = good();
        c["@context"] = json!([CREDENTIALS_V2, {"ExampleTestCredential": "https ://not-a-url#X"}]);
        assert!(credential_problems(&c)[0].contains("ExampleTestCredential"));
        c["@context"] = json!([CREDENTIALS_V2, {"Ex": {"@id": "https://example.org/#Ex"}, "@vocab": "https://example.org/#", "term": "Ex"}]);
        assert!(
            credential_problems(&c).is_empty(),
            "{:?}",
            credential_problems(&c)
        );
    }

    #[test]
    fn a_presentation_is_checked_with_the_credentials_it_holds() {
        let vp = json!({
            "@context": [CREDENTIALS_V2],
            "type": ["VerifiablePresentation"],
            "holder": {"id": "did:example:holder"},
            "verifiableCredential": [good()]
        });
        assert!(
            presentation_problems(&vp).is_empty(),
            "{:?}",
            presentation_problems(&vp)
        );
        let cases: [(&str, Value, &str); 5] = [
            (
                "@context",
                json!([
                    "https://www.w3.org/ns/credentials/examples/v2",
                    CREDENTIALS_V2
                ]),
                "@context",
            ),
            ("type", json!(["Presentation"]), "VerifiablePresentation"),
            ("holder", json!({"name": "no id"}), "holder"),
            (
                "verifiableCredential",
                json!(["https://example.org/credential/1"]),
                "verifiableCredential[0]",
            ),
            (
                "verifiableCredential",
                json!([{"@context": [CREDENTIALS_V2], "type": "EnvelopedVerifiableCredential", "id": "https://example.org/1"}]),
                "data: URL",
            ),
        ];
        for (field, value, expected) in cases {
            let mut p = vp.clone();
            p[field] = value;
            let problems = presentation_problems(&p);
            assert!(
                problems.iter().any(|x| x.contains(expected)),
                "{field}: {problems:?}"
            );
        }
        let mut p = vp.clone();
        p["verifiableCredential"][0]["issuer"] = json!("nobody");
        assert_eq!(
            presentation_problems(&p),
            ["verifiableCredential[0]: issuer must be a URL, or an object whose id is one"]
        );
    }
}
