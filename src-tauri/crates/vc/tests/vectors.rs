//! The published test vectors, reproduced byte for byte: the W3C Data Integrity EdDSA
//! vectors (both cryptosuites) and the Open Badges 3.0 specification's own example.
//! Sources and keys: tests/vectors/SOURCES.md.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use credence_vc::canon::{self, Coverage};
use credence_vc::proof::{self, Cryptosuite, ProofOptions};
use credence_vc::{did_key, VcError};
use ed25519_dalek::SigningKey;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn vector(path: &str) -> String {
    let full = format!("{}/tests/vectors/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn json(path: &str) -> Value {
    serde_json::from_str(&vector(path)).unwrap()
}

fn key(seed_hex: &str) -> SigningKey {
    SigningKey::from_bytes(&hex::decode(seed_hex).unwrap().try_into().unwrap())
}

fn w3c_key() -> SigningKey {
    key("c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6")
}

fn options(suite: Cryptosuite, created: &str, method: &str) -> ProofOptions {
    ProofOptions {
        cryptosuite: suite,
        created: created.into(),
        verification_method: method.into(),
        proof_purpose: "assertionMethod".into(),
    }
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The vector files end without a newline after the last N-Quad; canonical N-Quads end
/// every line with one.
fn nquads(file: &str) -> String {
    let text = vector(file);
    format!("{}\n", text.trim_end())
}

#[test]
fn w3c_eddsa_rdfc_2022_reproduces_every_intermediate_value() {
    let dir = "w3c/eddsa-rdfc-2022";
    let unsigned = json("w3c/unsigned.json");
    let config = json(&format!("{dir}/proofConfigDataInt.json"));

    let canon_doc = canon::rdfc(&unsigned, Coverage::AsIs).unwrap();
    assert_eq!(canon_doc, nquads(&format!("{dir}/canonDocDataInt.txt")));
    let canon_proof = canon::rdfc(&config, Coverage::AsIs).unwrap();
    assert_eq!(canon_proof, nquads(&format!("{dir}/proofCanonDataInt.txt")));
    assert_eq!(
        sha256_hex(&canon_doc),
        vector(&format!("{dir}/docHashDataInt.txt")).trim()
    );
    assert_eq!(
        sha256_hex(&canon_proof),
        vector(&format!("{dir}/proofHashDataInt.txt")).trim()
    );

    let key = w3c_key();
    let opts = options(
        Cryptosuite::EddsaRdfc2022,
        "2023-02-24T23:36:38Z",
        &did_key::verification_method(&key.verifying_key()),
    );
    let data = proof::hash_data(
        &unsigned,
        &proof::proof_config(&unsigned, &opts),
        opts.cryptosuite,
        Coverage::AsIs,
    )
    .unwrap();
    assert_eq!(
        hex::encode(&data),
        vector(&format!("{dir}/combinedHashDataInt.txt")).trim()
    );

    let signed = proof::sign(&unsigned, &key, &opts).unwrap();
    assert_eq!(signed, json(&format!("{dir}/signedDataInt.json")));
    let value = signed["proof"]["proofValue"].as_str().unwrap();
    assert_eq!(value, vector(&format!("{dir}/sigBTC58DataInt.txt")).trim());
    assert_eq!(
        hex::encode(bs58::decode(&value[1..]).into_vec().unwrap()),
        vector(&format!("{dir}/sigHexDataInt.txt")).trim()
    );
    proof::verify(&signed).unwrap();
}

#[test]
fn w3c_eddsa_jcs_2022_reproduces_every_intermediate_value() {
    let dir = "w3c/eddsa-jcs-2022";
    let unsigned = json("w3c/unsigned.json");
    let config = json(&format!("{dir}/proofConfigJCS.json"));
    let canon_doc = canon::jcs(&unsigned).unwrap();
    assert_eq!(
        canon_doc,
        vector(&format!("{dir}/canonDocJCS.txt")).trim_end()
    );
    let canon_proof = canon::jcs(&config).unwrap();
    assert_eq!(
        canon_proof,
        vector(&format!("{dir}/proofCanonJCS.txt")).trim_end()
    );
    assert_eq!(
        sha256_hex(&canon_doc),
        vector(&format!("{dir}/docHashJCS.txt")).trim()
    );

    let key = w3c_key();
    let opts = options(
        Cryptosuite::EddsaJcs2022,
        "2023-02-24T23:36:38Z",
        &did_key::verification_method(&key.verifying_key()),
    );
    let signed = proof::sign(&unsigned, &key, &opts).unwrap();
    assert_eq!(signed, json(&format!("{dir}/signedJCS.json")));
    assert_eq!(
        signed["proof"]["proofValue"].as_str().unwrap(),
        vector(&format!("{dir}/sigBTC58JCS.txt")).trim()
    );
    proof::verify(&signed).unwrap();
}

#[test]
fn open_badges_specification_example_reproduces_its_proof_value() {
    let signed = json("ob3-1edtech/ob3_1edtech_signed.json");
    let mut unsigned = signed.clone();
    unsigned.as_object_mut().unwrap().remove("proof");
    assert_eq!(
        canon::rdfc(&unsigned, Coverage::AsIs).unwrap(),
        nquads("ob3-1edtech/ob3_document_canon.txt")
    );
    let key = key("6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4");
    assert_eq!(
        did_key::multibase(&key.verifying_key()),
        "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    );
    let opts = options(
        Cryptosuite::EddsaRdfc2022,
        "2010-01-01T19:23:24Z",
        signed["proof"]["verificationMethod"].as_str().unwrap(),
    );
    // Credence's signer (strict coverage included) reproduces the published proofValue.
    let resigned = proof::sign(&unsigned, &key, &opts).unwrap();
    assert_eq!(
        resigned["proof"]["proofValue"],
        signed["proof"]["proofValue"]
    );
    proof::verify_with_key(&signed, &key.verifying_key()).unwrap();
}

#[test]
fn any_change_to_a_signed_field_fails_verification() {
    let key = w3c_key();
    let opts = options(
        Cryptosuite::EddsaRdfc2022,
        "2023-02-24T23:36:38Z",
        &did_key::verification_method(&key.verifying_key()),
    );
    let signed = proof::sign(&json("w3c/unsigned.json"), &key, &opts).unwrap();
    let mut changed = signed.clone();
    changed["credentialSubject"]["alumniOf"] = "The School of Exampler".into();
    assert_eq!(proof::verify(&changed), Err(VcError::BadSignature));
    let mut changed = signed.clone();
    changed["proof"]["created"] = "2023-02-24T23:36:39Z".into();
    assert_eq!(proof::verify(&changed), Err(VcError::BadSignature));
}

#[test]
fn signing_refuses_data_no_context_defines() {
    let key = w3c_key();
    let opts = options(
        Cryptosuite::EddsaRdfc2022,
        "2023-02-24T23:36:38Z",
        &did_key::verification_method(&key.verifying_key()),
    );
    let mut doc = json("w3c/unsigned.json");
    doc["@context"] = serde_json::json!(["https://www.w3.org/ns/credentials/v2"]);
    doc["type"] = serde_json::json!(["VerifiableCredential"]);
    doc["credentialSubject"] =
        serde_json::json!({"id": "did:example:abcdefgh", "favouriteColour": "blue"});
    let err = proof::sign(&doc, &key, &opts).unwrap_err();
    assert!(err.to_string().contains("favouriteColour"), "{err}");

    let mut doc = json("w3c/unsigned.json");
    doc["issuer"] = "issuers/5678".into();
    let err = proof::sign(&doc, &key, &opts).unwrap_err();
    assert!(err.to_string().contains("relative IRI"), "{err}");
}

#[test]
fn unbundled_contexts_are_refused_not_fetched() {
    let mut doc = json("w3c/unsigned.json");
    doc["@context"] = serde_json::json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://evil.example/ctx.json"
    ]);
    let err = canon::rdfc(&doc, Coverage::AsIs).unwrap_err();
    assert!(err.to_string().contains("evil.example"), "{err}");
}

/// A proof with an `id`, made over `document` as it stands (with whatever proofs it already
/// holds), as a Data Integrity implementation adds one to a set or a chain.
fn add_proof(document: &Value, key: &SigningKey, id: &str, previous: Option<&str>) -> Value {
    let opts = options(
        Cryptosuite::EddsaRdfc2022,
        "2026-12-03T08:00:00Z",
        &did_key::verification_method(&key.verifying_key()),
    );
    let mut config = proof::proof_config(document, &opts);
    config["id"] = id.into();
    if let Some(previous) = previous {
        config["previousProof"] = previous.into();
    }
    let data = proof::hash_data(document, &config, opts.cryptosuite, Coverage::AsIs).unwrap();
    let mut made = config;
    made.as_object_mut().unwrap().remove("@context");
    made["proofValue"] = format!(
        "z{}",
        bs58::encode(ed25519_dalek::Signer::sign(key, &data).to_bytes()).into_string()
    )
    .into();
    made
}

#[test]
fn proof_sets_and_chains_verify_and_a_broken_link_is_named() {
    let (a, b) = (w3c_key(), key(&"11".repeat(32)));
    let unsigned = json("w3c/unsigned.json");
    let first = add_proof(&unsigned, &a, "urn:uuid:first", None);

    // A set: two proofs, each over the document alone.
    let mut set = unsigned.clone();
    set["proof"] = serde_json::json!([first, add_proof(&unsigned, &b, "urn:uuid:second", None)]);
    assert_eq!(proof::verify_all(&set, "assertionMethod").unwrap().len(), 2);

    // A chain: the second proof made over the document holding the first.
    let mut holding = unsigned.clone();
    holding["proof"] = serde_json::json!([first.clone()]);
    let second = add_proof(&holding, &b, "urn:uuid:second", Some("urn:uuid:first"));
    let mut chain = unsigned.clone();
    chain["proof"] = serde_json::json!([first, second]);
    let verified = proof::verify_all(&chain, "assertionMethod").unwrap();
    assert_eq!(verified.len(), 2);
    // The link is under the signature: without it the second proof is not what was signed.
    let mut unlinked = chain.clone();
    unlinked["proof"][1]
        .as_object_mut()
        .unwrap()
        .remove("previousProof");
    assert_eq!(
        proof::verify_all(&unlinked, "assertionMethod"),
        Err(VcError::BadSignature)
    );
    let mut dangling = chain.clone();
    dangling["proof"][1]["previousProof"] = "urn:uuid:nowhere".into();
    let err = proof::verify_all(&dangling, "assertionMethod").unwrap_err();
    assert!(err.to_string().contains("urn:uuid:nowhere"), "{err}");
    // A presentation's proof is for authentication: one made for assertion is refused.
    assert!(proof::verify_all(&chain, "authentication").is_err());
}
