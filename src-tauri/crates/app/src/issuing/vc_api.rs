//! The W3C VC-API's issue and verify endpoints, as the W3C Data Integrity EdDSA and VC Data
//! Model 2.0 interoperability suites call them, independent of HTTP: a request body in, a
//! status and a JSON body out (`credence serve --vc-api` carries them over loopback HTTPS).
//! Issuing signs any VC 2.0 credential (or VC 1.1, which the Data Integrity suite sends) whose
//! issuer is the institution with its current key (eddsa-rdfc-2022), each one audited;
//! verifying checks the shape, every proof (did:key; proof sets and chains) and the validity
//! dates; a presentation's `authentication` proof with its challenge and domain, and each
//! credential it holds.

use credence_domain::Id;
use credence_vc::proof::{self, Cryptosuite, ProofOptions};
use serde_json::{json, Value};

use crate::kernel::{record, Need};
use crate::{AppError, Workspace};

/// The largest request body read.
pub const MAX_BODY: usize = 1024 * 1024;

/// A reply: the HTTP status and its JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

fn bad(status: u16, message: impl Into<String>) -> Reply {
    Reply {
        status,
        body: json!({ "message": message.into() }),
    }
}

fn request(body: &[u8], field: &str) -> Result<(Value, Value), Reply> {
    if body.len() > MAX_BODY {
        return Err(bad(413, "the request body is larger than 1 MB"));
    }
    let mut value: Value = serde_json::from_slice(body)
        .map_err(|e| bad(400, format!("the request body is not JSON ({e})")))?;
    let document = value
        .get_mut(field)
        .map(Value::take)
        .filter(Value::is_object)
        .ok_or_else(|| bad(400, format!("the request has no \"{field}\" object")))?;
    let options = value.get("options").cloned().unwrap_or_else(|| json!({}));
    if !options.is_object() {
        return Err(bad(400, "\"options\" is not an object"));
    }
    Ok((document, options))
}

/// The credential's `@context` starts with the VC 2.0 context.
fn is_vc2(credential: &Value) -> bool {
    credential["@context"]
        .as_array()
        .and_then(|c| c.first())
        .and_then(Value::as_str)
        == Some(credence_vc::contexts::CREDENTIALS_V2)
}

fn issuer_id(credential: &Value) -> Option<&str> {
    credential["issuer"]
        .as_str()
        .or_else(|| credential["issuer"]["id"].as_str())
}

impl Workspace {
    /// `POST /credentials/issue`: `{credential, options}` → 201 `{verifiableCredential}`.
    /// The credential must be VC 2.0, without a proof, naming the institution's current
    /// issuer DID as its issuer. Coordinators, with the issuer keys unlocked.
    pub fn vc_api_issue(&self, by: Option<Id>, body: &[u8]) -> Reply {
        match self.vc_api_issue_checked(by, body) {
            Ok(reply) | Err(reply) => reply,
        }
    }

    fn vc_api_issue_checked(&self, by: Option<Id>, body: &[u8]) -> Result<Reply, Reply> {
        let (mut credential, _options) = request(body, "credential")?;
        let v1 = credence_vc::vc2::is_v1(&credential);
        if !is_vc2(&credential) && !v1 {
            return Err(bad(
                400,
                "the credential's first @context must be https://www.w3.org/ns/credentials/v2 (or VC 1.1's)",
            ));
        }
        if credential.get("proof").is_some() {
            return Err(bad(400, "the credential already has a proof"));
        }
        let problems = credence_vc::vc2::credential_problems(&credential);
        if !problems.is_empty() {
            return Err(bad(400, problems.join("; ")));
        }
        if v1 {
            // VC 1.1's context does not define a DataIntegrityProof; the Data Integrity
            // context does, added where the credential lacks it (as Digital Bazaar's issuer).
            let di = credence_vc::contexts::DATA_INTEGRITY_V2;
            if let Some(contexts) = credential["@context"].as_array_mut() {
                if !contexts.iter().any(|c| c == di) {
                    contexts.push(di.into());
                }
            } else {
                credential["@context"] = json!([credence_vc::contexts::CREDENTIALS_V1, di]);
            }
        }
        let failed = |e: AppError| {
            bad(
                if e.kind == crate::ErrorKind::Forbidden {
                    403
                } else {
                    400
                },
                e.message,
            )
        };
        let key_row = self
            .read(|c| Ok(credence_store::issuing::current_issuer_key(c)?))
            .map_err(failed)?
            .ok_or_else(|| bad(500, "the workspace has no issuer key"))?;
        if issuer_id(&credential) != Some(key_row.did.as_str()) {
            return Err(bad(
                400,
                format!(
                    "the credential's issuer must be this institution's DID, {}",
                    key_row.did
                ),
            ));
        }
        let signed = {
            let guard = self.unlocked();
            let keys = guard
                .as_ref()
                .ok_or_else(|| bad(503, "the issuer key is locked"))?;
            let key = keys
                .keys
                .get(&key_row.id)
                .ok_or_else(|| bad(503, "the issuer key changed; unlock it again"))?;
            let options = ProofOptions {
                cryptosuite: Cryptosuite::EddsaRdfc2022,
                created: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                verification_method: format!("{}#{}", key_row.did, key_row.public_key),
                proof_purpose: "assertionMethod".into(),
            };
            proof::sign(&credential, key, &options).map_err(|e| bad(400, e.to_string()))?
        };
        let text = serde_json::to_string(&signed).map_err(|e| bad(500, e.to_string()))?;
        let digest = {
            use sha2::{Digest, Sha256};
            hex::encode(Sha256::digest(text.as_bytes()))
        };
        self.write(by, Need::Coordinator, |tx, actor| {
            record(
                tx,
                actor,
                "vc_api",
                signed["id"].as_str().unwrap_or(&digest),
                "issue",
                None::<()>,
                Some(&json!({
                    "id": signed["id"],
                    "type": signed["type"],
                    "sha256": digest,
                })),
            )
        })
        .map_err(failed)?;
        Ok(Reply {
            status: 201,
            body: json!({ "verifiableCredential": signed }),
        })
    }

    /// `POST /credentials/verify`: `{verifiableCredential, options}` → 200 with `verified:
    /// true`, or 400 with `verified: false` and what failed.
    pub fn vc_api_verify(&self, body: &[u8]) -> Reply {
        let (credential, _options) = match request(body, "verifiableCredential") {
            Ok(r) => r,
            Err(reply) => return reply,
        };
        verdict(
            credential_errors(&credential),
            unchecked(&credential),
            &["proof"],
        )
    }

    /// `POST /presentations/verify`: `{verifiablePresentation, options}` → 200 with
    /// `verified: true`, or 400 with `verified: false` and what failed: the presentation's
    /// shape, its `authentication` proof (required when `options` names a challenge, whose
    /// `challenge` and `domain` must be the ones asked for), and each credential it holds as
    /// `/credentials/verify` checks one. Enveloped credentials (JOSE, COSE) are not verified
    /// here and say so.
    pub fn vc_api_verify_presentation(&self, body: &[u8]) -> Reply {
        let (presentation, options) = match request(body, "verifiablePresentation") {
            Ok(r) => r,
            Err(reply) => return reply,
        };
        let mut errors = credence_vc::vc2::presentation_problems(&presentation);
        let mut warnings = Vec::new();
        let asked = |name: &str| options.get(name).and_then(Value::as_str);
        match presentation.get("proof") {
            None if asked("challenge").is_some() => errors
                .push("the presentation has no proof, so it does not answer the challenge".into()),
            None => {}
            Some(proof) => {
                if let Err(e) = proof::verify_all(&presentation, "authentication") {
                    errors.push(format!("the presentation's proof: {e}"));
                }
                for name in ["challenge", "domain"] {
                    if let Some(expected) = asked(name) {
                        let carried = match proof {
                            Value::Array(set) => set.iter().any(|p| p[name] == expected),
                            one => one[name] == expected,
                        };
                        if !carried {
                            errors.push(format!(
                                "the presentation's proof does not carry the {name} asked for"
                            ));
                        }
                    }
                }
            }
        }
        if let Some(held) = presentation.get("verifiableCredential") {
            let held = match held {
                Value::Array(items) => items.iter().collect(),
                one => vec![one],
            };
            for (i, credential) in held.into_iter().enumerate() {
                let enveloped = credential["type"] == "EnvelopedVerifiableCredential"
                    || credential["type"]
                        .as_array()
                        .is_some_and(|t| t.iter().any(|t| t == "EnvelopedVerifiableCredential"));
                if enveloped {
                    errors.push(format!(
                        "verifiableCredential[{i}]: enveloped credentials are not verified by Credence"
                    ));
                } else if credential.is_object() {
                    // Its shape was checked with the presentation's.
                    errors.extend(
                        proof_and_dates(credential)
                            .into_iter()
                            .map(|e| format!("verifiableCredential[{i}]: {e}")),
                    );
                    warnings.extend(
                        unchecked(credential)
                            .into_iter()
                            .map(|w| format!("verifiableCredential[{i}]: {w}")),
                    );
                }
            }
        }
        verdict(errors, warnings, &["proof", "credentials"])
    }
}

/// What is wrong with a credential: its shape, its proof, its validity dates.
fn credential_errors(credential: &Value) -> Vec<String> {
    let mut errors = credence_vc::vc2::credential_problems(credential);
    errors.extend(proof_and_dates(credential));
    errors
}

/// A credential's proof (for `assertionMethod`) and whether today is within its validity.
fn proof_and_dates(credential: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    if let Err(e) = proof::verify_all(credential, "assertionMethod") {
        errors.push(e.to_string());
    } else if signed_over_rdf(credential) {
        // A JSON-LD processor drops what no context defines, so a term added after signing
        // leaves the signature valid: the Data Integrity specification wants it an error.
        let mut unsecured = credential.clone();
        if let Some(map) = unsecured.as_object_mut() {
            map.remove("proof");
        }
        if let Err(e) = credence_vc::canon::rdfc(&unsecured, credence_vc::canon::Coverage::Strict) {
            errors.push(format!("the proof does not cover all of it: {e}"));
        }
    }
    let now = chrono::Utc::now();
    let date = |name: &str| {
        credential[name]
            .as_str()
            .map(|t| chrono::DateTime::parse_from_rfc3339(t).map(|d| d.with_timezone(&chrono::Utc)))
    };
    match date("validFrom") {
        Some(Ok(from)) if from > now => errors.push(format!("it is not valid before {from}")),
        Some(Err(_)) => errors.push("validFrom is not a date-time".into()),
        _ => {}
    }
    match date("validUntil").or_else(|| date("expirationDate")) {
        Some(Ok(until)) if until < now => errors.push(format!("it expired at {until}")),
        Some(Err(_)) => errors.push("validUntil is not a date-time".into()),
        _ => {}
    }
    errors
}

/// Whether any proof of the credential was made over its RDF (eddsa-rdfc-2022).
fn signed_over_rdf(credential: &Value) -> bool {
    let proofs = match &credential["proof"] {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    proofs
        .iter()
        .any(|p| p["cryptosuite"] == proof::Cryptosuite::EddsaRdfc2022.name())
}

/// What was not checked: the digests of related resources, which Credence would have to
/// fetch (it works offline).
fn unchecked(credential: &Value) -> Vec<String> {
    let related = match &credential["relatedResource"] {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    };
    related
        .into_iter()
        .filter_map(|r| r["id"].as_str())
        .map(|id| {
            format!("relatedResource {id}: its digest was not checked (Credence does not fetch resources)")
        })
        .collect()
}

fn verdict(errors: Vec<String>, warnings: Vec<String>, checks: &[&str]) -> Reply {
    let verified = errors.is_empty();
    Reply {
        status: if verified { 200 } else { 400 },
        body: json!({
            "verified": verified,
            "checks": checks,
            "warnings": warnings,
            "errors": errors,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_read_or_refused_with_a_status() {
        assert_eq!(request(b"not json", "credential").unwrap_err().status, 400);
        assert_eq!(
            request(b"{\"credential\": 5}", "credential")
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(
            request(b"{\"credential\": {}, \"options\": []}", "credential")
                .unwrap_err()
                .status,
            400
        );
        let big = vec![b' '; MAX_BODY + 1];
        assert_eq!(request(&big, "credential").unwrap_err().status, 413);
        let (c, o) = request(b"{\"credential\": {\"a\": 1}}", "credential").expect("read");
        assert_eq!((c["a"].as_i64(), o.is_object()), (Some(1), true));
    }
}
