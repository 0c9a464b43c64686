//! What the Verifiable Credentials Data Model 2.0 requires of a credential's shape, checked
//! before it is signed or believed (the VC-API endpoint's issuer and verifier): the contexts,
//! the types, the subject, identifiers as URLs, date-time stamps, and a `type` on every
//! status, terms-of-use, evidence, refresh-service and schema object. Each problem is one
//! sentence naming the property.

use serde_json::Value;

use crate::contexts::CREDENTIALS_V2;

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

/// The problems with a credential's shape; empty when it conforms.
pub fn credential_problems(credential: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(map) = credential.as_object() else {
        return vec!["a credential is a JSON object".into()];
    };
    match map.get("@context").and_then(Value::as_array) {
        Some(contexts) if contexts.first().and_then(Value::as_str) == Some(CREDENTIALS_V2) => {
            for c in &contexts[1..] {
                let ok = c.is_object() || c.as_str().is_some_and(is_url);
                if !ok {
                    out.push(format!(
                        "@context: {c} is neither a URL nor a context object"
                    ));
                }
            }
        }
        _ => out.push(format!(
            "@context must be an ordered set whose first item is {CREDENTIALS_V2}"
        )),
    }
    let types: Vec<&Value> = map.get("type").map(objects).unwrap_or_default();
    if !types
        .iter()
        .any(|t| t.as_str() == Some("VerifiableCredential"))
    {
        out.push("type must include VerifiableCredential".into());
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
            }
        }
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
        let cases: [(&str, Value, &str); 9] = [
            (
                "@context",
                json!(["https://www.w3.org/2018/credentials/v1"]),
                "@context",
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
}
