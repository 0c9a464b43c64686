//! The W3C VC-API's issue and verify endpoints, as the W3C Data Integrity EdDSA and VC Data
//! Model 2.0 interoperability suites call them, independent of HTTP: a request body in, a
//! status and a JSON body out (`credence serve --vc-api` carries them over loopback HTTP).
//! Issuing signs any VC 2.0 credential whose issuer is the institution with its current key
//! (eddsa-rdfc-2022), each one audited; verifying checks the proof (did:key) and the validity
//! dates.

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
        let (credential, _options) = request(body, "credential")?;
        if !is_vc2(&credential) {
            return Err(bad(
                400,
                "the credential's first @context must be https://www.w3.org/ns/credentials/v2",
            ));
        }
        if credential.get("proof").is_some() {
            return Err(bad(400, "the credential already has a proof"));
        }
        let problems = credence_vc::vc2::credential_problems(&credential);
        if !problems.is_empty() {
            return Err(bad(400, problems.join("; ")));
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
        let mut errors = credence_vc::vc2::credential_problems(&credential);
        if let Err(e) = proof::verify(&credential) {
            errors.push(e.to_string());
        }
        let now = chrono::Utc::now();
        let date = |name: &str| {
            credential[name].as_str().map(|t| {
                chrono::DateTime::parse_from_rfc3339(t).map(|d| d.with_timezone(&chrono::Utc))
            })
        };
        match date("validFrom") {
            Some(Ok(from)) if from > now => errors.push(format!("it is not valid before {from}")),
            Some(Err(_)) => errors.push("validFrom is not a date-time".into()),
            _ => {}
        }
        match date("validUntil") {
            Some(Ok(until)) if until < now => errors.push(format!("it expired at {until}")),
            Some(Err(_)) => errors.push("validUntil is not a date-time".into()),
            _ => {}
        }
        let verified = errors.is_empty();
        Reply {
            status: if verified { 200 } else { 400 },
            body: json!({
                "verified": verified,
                "checks": ["proof"],
                "warnings": [],
                "errors": errors,
            }),
        }
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
