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
