//! The JSON-LD contexts Credence bundles, and the document loader that serves only them.

use oxjsonld::{JsonLdLoadDocumentOptions, JsonLdRemoteDocument};

/// The W3C Verifiable Credentials 2.0 context.
pub const CREDENTIALS_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context, version 3.0.3.
pub const OB_V3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The 1EdTech extensions context (status list, schema validator, refresh types).
pub const OB_EXTENSIONS: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";
/// The W3C examples context; bundled only so the W3C test vectors verify.
pub const EXAMPLES_V2: &str = "https://www.w3.org/ns/credentials/examples/v2";
/// The W3C Verifiable Credentials 1.1 context; bundled for the VC-API endpoint, which signs
/// and verifies VC 1.1 credentials for the W3C suites (Credence issues VC 2.0 only). The W3C's
/// bytes as Digital Bazaar's `credentials-context` 3.2.0 package carries them.
pub const CREDENTIALS_V1: &str = "https://www.w3.org/2018/credentials/v1";
/// The Data Integrity v2 context, which a VC 1.1 credential needs for a `DataIntegrityProof`
/// (Digital Bazaar's `data-integrity-context` 2.0.1, BSD-3-Clause).
pub const DATA_INTEGRITY_V2: &str = "https://w3id.org/security/data-integrity/v2";

/// (URL, document) for every bundled context.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        CREDENTIALS_V2,
        include_str!("../contexts/credentials-v2.json"),
    ),
    (OB_V3, include_str!("../contexts/ob-context-3.0.3.json")),
    (
        OB_EXTENSIONS,
        include_str!("../contexts/ob-extensions.json"),
    ),
    (EXAMPLES_V2, include_str!("../contexts/examples-v2.json")),
    (
        CREDENTIALS_V1,
        include_str!("../contexts/credentials-v1.json"),
    ),
    (
        DATA_INTEGRITY_V2,
        include_str!("../contexts/data-integrity-v2.json"),
    ),
];

/// The bundled document for `url`, if any.
pub fn bundled(url: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(u, _)| *u == url).map(|(_, doc)| *doc)
}

/// The loader handed to the JSON-LD processor: bundled contexts only, never the network.
pub fn load(
    url: &str,
    _options: &JsonLdLoadDocumentOptions,
) -> Result<JsonLdRemoteDocument, Box<dyn std::error::Error + Send + Sync>> {
    match bundled(url) {
        Some(doc) => Ok(JsonLdRemoteDocument {
            document: doc.as_bytes().to_vec(),
            document_url: url.to_string(),
        }),
        None => Err(Box::new(crate::VcError::UnknownContext(url.to_string()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// The digests published with the standards data; a changed context changes every
    /// signature, so the bytes are pinned.
    #[test]
    fn bundled_contexts_are_the_published_bytes() {
        let pinned = [
            (
                CREDENTIALS_V2,
                "426fdacb13cd7a2fa9c8f2534252877c0fcb492a07b9070739eb53f7319e7f5c",
            ),
            (
                OB_V3,
                "88115d8e3c088bf2c83f68e6373027072ab9f3f83523a55b49d3605199d56413",
            ),
            (
                OB_EXTENSIONS,
                "1c4f705af92007783c589eb1f1b221ecc24ac588a83e0212faf1728c69b61487",
            ),
            (
                EXAMPLES_V2,
                "8a675bead391be98e6054c4e07c41f73337508d398e07047344c5d349aa2dc58",
            ),
            (
                CREDENTIALS_V1,
                "00d7dd6d3ad8b920e3e550dd3a3d9090bffcac84cdbf943da6924b3e0a5c8bb8",
            ),
            (
                DATA_INTEGRITY_V2,
                "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363",
            ),
        ];
        for (url, digest) in pinned {
            let doc = bundled(url).unwrap_or_default();
            assert_eq!(hex::encode(Sha256::digest(doc.as_bytes())), digest, "{url}");
        }
    }

    #[test]
    fn unknown_urls_are_refused() {
        assert!(bundled("https://evil.example/context.json").is_none());
    }
}
