//! Data Integrity proofs (`DataIntegrityProof`) with the `eddsa-rdfc-2022` and
//! `eddsa-jcs-2022` cryptosuites.
//!
//! Sign: proofConfig = the proof options with the document's `@context`; hashData =
//! SHA-256(canonical proofConfig) || SHA-256(canonical document); proofValue =
//! "z" + base58btc(Ed25519(hashData)).

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::canon::{self, Coverage};
use crate::credential::Credential;
use crate::fast;
use crate::{did_key, VcError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cryptosuite {
    /// RDF Dataset Canonicalization of the JSON-LD (what Open Badges verifiers expect).
    EddsaRdfc2022,
    /// JSON Canonicalization Scheme: faster, but binds the JSON, not its meaning.
    EddsaJcs2022,
}

impl Cryptosuite {
    pub fn name(self) -> &'static str {
        match self {
            Cryptosuite::EddsaRdfc2022 => "eddsa-rdfc-2022",
            Cryptosuite::EddsaJcs2022 => "eddsa-jcs-2022",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// The options of a proof to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofOptions {
    pub cryptosuite: Cryptosuite,
    /// UTC, RFC 3339 with `Z`.
    pub created: String,
    pub verification_method: String,
    pub proof_purpose: String,
}

/// The proof configuration: the options, with the document's `@context`.
pub fn proof_config(document: &Value, options: &ProofOptions) -> Value {
    let mut config = Map::new();
    config.insert("type".into(), "DataIntegrityProof".into());
    config.insert("cryptosuite".into(), options.cryptosuite.name().into());
    config.insert("created".into(), options.created.clone().into());
    config.insert(
        "verificationMethod".into(),
        options.verification_method.clone().into(),
    );
    config.insert("proofPurpose".into(), options.proof_purpose.clone().into());
    if let Some(context) = document.get("@context") {
        config.insert("@context".into(), context.clone());
    }
    Value::Object(config)
}

/// The 64 bytes that are signed: the hash of the canonical proof configuration, then the
/// hash of the canonical document.
pub fn hash_data(
    document: &Value,
    config: &Value,
    suite: Cryptosuite,
    coverage: Coverage,
) -> Result<Vec<u8>, VcError> {
    if suite == Cryptosuite::EddsaRdfc2022 {
        if let Some(typed) = Credential::from_exact(document) {
            if let Some(data) = fast_hash_data(&typed, config) {
                return Ok(data);
            }
        }
    }
    general_hash_data(document, config, suite, coverage)
}

fn general_hash_data(
    document: &Value,
    config: &Value,
    suite: Cryptosuite,
    coverage: Coverage,
) -> Result<Vec<u8>, VcError> {
    let (config, document) = match suite {
        Cryptosuite::EddsaRdfc2022 => (
            canon::rdfc(config, coverage)?,
            canon::rdfc(document, coverage)?,
        ),
        Cryptosuite::EddsaJcs2022 => (canon::jcs(config)?, canon::jcs(document)?),
    };
    let mut data = Sha256::digest(config.as_bytes()).to_vec();
    data.extend_from_slice(&Sha256::digest(document.as_bytes()));
    Ok(data)
}

/// The hash data of a Credence credential written straight to RDF ([`crate::fast`]), when
/// the proof configuration is exactly the five members an `eddsa-rdfc-2022` proof has and the
/// credential is of Credence's shape. Every term of such a credential is written, so the
/// strict coverage check has nothing to find (the tests run it on every shape).
fn fast_hash_data(credential: &Credential, config: &Value) -> Option<Vec<u8>> {
    let config = config.as_object()?;
    let expected = [
        "@context",
        "type",
        "cryptosuite",
        "created",
        "verificationMethod",
        "proofPurpose",
    ];
    if config.len() != expected.len()
        || !expected.iter().all(|k| config.contains_key(*k))
        || config.get("type")? != "DataIntegrityProof"
        || config.get("cryptosuite")? != Cryptosuite::EddsaRdfc2022.name()
        || config.get("proofPurpose")? != "assertionMethod"
        || *config.get("@context")? != serde_json::to_value(&credential.context).ok()?
    {
        return None;
    }
    let proof = fast::proof_config_nquads(
        config.get("created")?.as_str()?,
        config.get("verificationMethod")?.as_str()?,
    )?;
    let document = fast::credential_nquads_digest(credential)?;
    let mut data = Sha256::digest(proof.as_bytes()).to_vec();
    data.extend_from_slice(&document);
    Some(data)
}

/// The proof of a Credence credential where the fast path applies (eddsa-rdfc-2022, the
/// credential of Credence's shape), signed with `key`.
fn fast_proof(credential: &Credential, key: &SigningKey, options: &ProofOptions) -> Option<Value> {
    if options.cryptosuite != Cryptosuite::EddsaRdfc2022 {
        return None;
    }
    let mut context = Map::new();
    context.insert(
        "@context".into(),
        serde_json::to_value(&credential.context).ok()?,
    );
    let config = proof_config(&Value::Object(context), options);
    let data = fast_hash_data(credential, &config)?;
    Some(proof_of_config(config, options, &key.sign(&data)))
}

/// Signs a Credence credential: the fast path where it applies, else [`sign`].
pub fn sign_credential(
    credential: &Credential,
    key: &SigningKey,
    options: &ProofOptions,
) -> Result<Value, VcError> {
    let document = credential.to_value();
    match fast_proof(credential, key, options) {
        Some(proof) => Ok(with_proof(document, proof)),
        None => sign(&document, key, options),
    }
}

/// Signs a Credence credential as [`sign_credential`] does and writes it as JSON. On the
/// fast path the credential is written straight from its struct, its proof last (no JSON
/// tree of the whole credential is made, copied and dropped: a tenth of signing), and a long
/// achievement image that JSON writes as it is (a `data:` IRI) is copied into the text
/// rather than passed through the writer, which examines each byte of a string for escaping
/// (another tenth). `credential` is mutable only for that: it is the same after.
pub fn sign_credential_json(
    credential: &mut Credential,
    key: &SigningKey,
    options: &ProofOptions,
) -> Result<String, VcError> {
    #[derive(serde::Serialize)]
    struct WithProof<'a> {
        #[serde(flatten)]
        credential: &'a Credential,
        proof: Value,
    }
    let failed = |e: serde_json::Error| VcError::Malformed(format!("cannot write it: {e}"));
    let Some(proof) = fast_proof(credential, key, options) else {
        return serde_json::to_string(&sign(&credential.to_value(), key, options)?).map_err(failed);
    };
    let image = credential
        .credential_subject
        .achievement
        .image
        .as_mut()
        .filter(|image| image.id.len() >= SPLICED_IMAGE_MIN && written_as_is(&image.id));
    let Some(image) = image else {
        return serde_json::to_string(&WithProof { credential, proof }).map_err(failed);
    };
    let id = std::mem::replace(&mut image.id, SPLICE_MARK.to_string());
    let written = serde_json::to_string(&WithProof {
        credential,
        proof: proof.clone(),
    });
    if let Some(image) = credential.credential_subject.achievement.image.as_mut() {
        image.id = id;
    }
    let text = written.map_err(failed)?;
    let Some(image) = credential.credential_subject.achievement.image.as_ref() else {
        return Err(VcError::Malformed(
            "the achievement image went missing".into(),
        ));
    };
    // The mark is where the image goes, unless the credential holds its text elsewhere.
    let mut found = text.match_indices(SPLICE_MARK_JSON).map(|(at, _)| at);
    match (found.next(), found.next()) {
        (Some(at), None) => Ok([
            &text[..at],
            image.id.as_str(),
            &text[at + SPLICE_MARK_JSON.len()..],
        ]
        .concat()),
        _ => serde_json::to_string(&WithProof { credential, proof }).map_err(failed),
    }
}

/// An achievement image this long is copied into a credential's text (shorter, the writer's
/// look at it costs less than finding where it goes).
const SPLICED_IMAGE_MIN: usize = 1024;

/// What stands for the image while the rest is written, and how JSON writes it (its control
/// characters escaped, so no text of a credential is written the same unless it holds them).
const SPLICE_MARK: &str = "\u{1}credence:achievement-image\u{1}";
const SPLICE_MARK_JSON: &str = "\\u0001credence:achievement-image\\u0001";

/// Whether JSON writes `text` as it is: no quote, backslash or control character. Every
/// byte looked at without stopping early, which the compiler turns into wide comparisons.
fn written_as_is(text: &str) -> bool {
    text.bytes()
        .fold(true, |ok, b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'))
}

/// The proof: its configuration (without the context an RDFC proof is read in) and value.
fn proof_of_config(config: Value, options: &ProofOptions, signature: &Signature) -> Value {
    let mut proof = config;
    if let Some(p) = proof.as_object_mut() {
        // The RDFC proof is read in the document's context; the JCS proof keeps its own.
        if options.cryptosuite == Cryptosuite::EddsaRdfc2022 {
            p.remove("@context");
        }
        p.insert("proofValue".into(), proof_value(signature).into());
    }
    proof
}

/// A signature as `proofValue` writes it: multibase base58-btc (`z`). Encoded by `five8`,
/// made for 64-byte values (bs58's general division was 1.5% of a batch's signing).
fn proof_value(signature: &Signature) -> String {
    let mut out = [0u8; 88];
    let len = usize::from(five8::encode_64(&signature.to_bytes(), &mut out));
    let mut text = String::with_capacity(len + 1);
    text.push('z');
    text.extend(out.iter().take(len).map(|&b| char::from(b)));
    text
}

fn attach(document: Value, config: Value, options: &ProofOptions, signature: &Signature) -> Value {
    with_proof(document, proof_of_config(config, options, signature))
}

/// `document` with `proof` as its last member.
fn with_proof(document: Value, proof: Value) -> Value {
    let mut signed = match document {
        Value::Object(members) => members,
        _ => serde_json::Map::new(),
    };
    signed.insert("proof".into(), proof);
    Value::Object(signed)
}

/// Signs `document` (a JSON object without a proof), returning it with the proof attached.
/// Refuses to sign undefined terms or relative IRIs, which no verifier could interpret.
pub fn sign(document: &Value, key: &SigningKey, options: &ProofOptions) -> Result<Value, VcError> {
    let object = document
        .as_object()
        .ok_or_else(|| VcError::Malformed("a credential is a JSON object".into()))?;
    if object.contains_key("proof") {
        return Err(VcError::Malformed(
            "the document already has a proof".into(),
        ));
    }
    let config = proof_config(document, options);
    let data = general_hash_data(document, &config, options.cryptosuite, Coverage::Strict)?;
    Ok(attach(document.clone(), config, options, &key.sign(&data)))
}

/// What a valid proof says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedProof {
    pub cryptosuite: Cryptosuite,
    pub verification_method: String,
    pub created: Option<String>,
}

/// Verifies the proof of a document whose verification method is a `did:key`, made for
/// `assertionMethod` (a credential's). [`verify_all`] takes proof sets and chains, and any
/// purpose.
pub fn verify(document: &Value) -> Result<VerifiedProof, VcError> {
    let method = proof_of(document)?
        .get("verificationMethod")
        .and_then(Value::as_str)
        .ok_or_else(|| VcError::Malformed("the proof has no verificationMethod".into()))?;
    verify_with_key(document, &did_key::resolve(method)?)
}

fn proof_of(document: &Value) -> Result<&Map<String, Value>, VcError> {
    let proof = document
        .get("proof")
        .ok_or_else(|| VcError::Malformed("the credential has no proof".into()))?;
    // A set of exactly one proof is the same proof (the 1EdTech schema writes it so).
    let proof = match proof.as_array().map(Vec::as_slice) {
        Some([only]) => only,
        _ => proof,
    };
    proof.as_object().ok_or_else(|| {
        VcError::Malformed("the credential's proof is not a single proof object".into())
    })
}

/// Verifies the proof of `document` against a known public key, made for `assertionMethod`.
pub fn verify_with_key(document: &Value, key: &VerifyingKey) -> Result<VerifiedProof, VcError> {
    let proof = proof_of(document)?;
    let mut unsecured = document.as_object().cloned().unwrap_or_default();
    unsecured.remove("proof");
    verify_proof_on(&Value::Object(unsecured), proof, key, "assertionMethod")
}

/// Verifies every proof of a document: one proof, a proof set (`proof` an array, each proof
/// made over the document alone) or a proof chain (a proof naming the ids of the proofs it
/// was made after in `previousProof`, which were then in the document it signed), as the
/// Data Integrity specification's "verify proof sets and chains" does. Every proof must be
/// made for `purpose` by a `did:key`; a `previousProof` naming no proof of the set is an error.
pub fn verify_all(document: &Value, purpose: &str) -> Result<Vec<VerifiedProof>, VcError> {
    let all: Vec<&Map<String, Value>> = match document.get("proof") {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|p| {
                p.as_object().ok_or_else(|| {
                    VcError::Malformed("every proof of a proof set is an object".into())
                })
            })
            .collect::<Result<_, _>>()?,
        Some(Value::Object(one)) => vec![one],
        Some(_) => {
            return Err(VcError::Malformed(
                "the proof is neither an object nor a set of them".into(),
            ))
        }
        None => return Err(VcError::Malformed("the credential has no proof".into())),
    };
    let mut unsecured = document.as_object().cloned().unwrap_or_default();
    unsecured.remove("proof");
    let mut verified = Vec::with_capacity(all.len());
    for proof in &all {
        let previous: Vec<&str> = match proof.get("previousProof") {
            None => Vec::new(),
            Some(Value::String(id)) => vec![id.as_str()],
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|id| {
                    id.as_str().ok_or_else(|| {
                        VcError::Malformed("previousProof holds something not an id".into())
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(VcError::Malformed(
                    "previousProof is neither an id nor a list of them".into(),
                ))
            }
        };
        let mut input = unsecured.clone();
        if !previous.is_empty() {
            let matching = previous
                .iter()
                .map(|id| {
                    all.iter()
                        .find(|p| p.get("id").and_then(Value::as_str) == Some(*id))
                        .map(|p| Value::Object((*p).clone()))
                        .ok_or_else(|| {
                            VcError::Malformed(format!(
                                "the previousProof {id} is not among the document's proofs"
                            ))
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            input.insert("proof".into(), Value::Array(matching));
        }
        let method = proof
            .get("verificationMethod")
            .and_then(Value::as_str)
            .ok_or_else(|| VcError::Malformed("the proof has no verificationMethod".into()))?;
        verified.push(verify_proof_on(
            &Value::Object(input),
            proof,
            &did_key::resolve(method)?,
            purpose,
        )?);
    }
    Ok(verified)
}

/// Verifies one `proof` made over `unsecured` (the document as it was signed).
fn verify_proof_on(
    unsecured: &Value,
    proof: &Map<String, Value>,
    key: &VerifyingKey,
    purpose: &str,
) -> Result<VerifiedProof, VcError> {
    let text = |name: &str| proof.get(name).and_then(Value::as_str);
    if text("type") != Some("DataIntegrityProof") {
        return Err(VcError::Malformed(
            "the proof is not a DataIntegrityProof".into(),
        ));
    }
    let suite_name = text("cryptosuite").unwrap_or_default();
    let suite = Cryptosuite::parse(suite_name).ok_or_else(|| {
        VcError::Malformed(format!("the cryptosuite \"{suite_name}\" is not supported"))
    })?;
    if text("proofPurpose") != Some(purpose) {
        return Err(VcError::Malformed(format!(
            "the proof's purpose is not {purpose}"
        )));
    }
    let value = text("proofValue")
        .ok_or_else(|| VcError::Malformed("the proof has no proofValue".into()))?;
    let bytes = value
        .strip_prefix('z')
        .and_then(|b| bs58::decode(b).into_vec().ok())
        .ok_or_else(|| VcError::Malformed("the proofValue is not base58btc multibase".into()))?;
    let signature = Signature::from_slice(&bytes)
        .map_err(|_| VcError::Malformed("the proofValue is not an Ed25519 signature".into()))?;

    let mut config = proof.clone();
    config.remove("proofValue");
    if suite == Cryptosuite::EddsaRdfc2022 {
        if let Some(context) = unsecured.get("@context") {
            config.insert("@context".into(), context.clone());
        }
    }
    let data = hash_data(unsecured, &Value::Object(config), suite, Coverage::AsIs)?;
    key.verify(&data, &signature)
        .map_err(|_| VcError::BadSignature)?;
    Ok(VerifiedProof {
        cryptosuite: suite,
        verification_method: text("verificationMethod").unwrap_or_default().to_string(),
        created: text("created").map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_values_are_base58_btc_as_bs58_writes_them() {
        // Leading zero bytes (written as '1's), none, and every byte value.
        let mut cases = vec![[0u8; 64], [255u8; 64]];
        let mut leading = [7u8; 64];
        leading[..3].fill(0);
        cases.push(leading);
        cases.push(std::array::from_fn(|i| (i * 37 % 256) as u8));
        for bytes in cases {
            let signature = Signature::from_bytes(&bytes);
            assert_eq!(
                proof_value(&signature),
                format!("z{}", bs58::encode(bytes).into_string())
            );
        }
    }
}
