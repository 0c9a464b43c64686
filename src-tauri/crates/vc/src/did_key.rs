//! `did:key` for Ed25519: "did:key:z" + base58btc(0xed 0x01 || public key).

use ed25519_dalek::VerifyingKey;

use crate::VcError;

const ED25519_PUB: [u8; 2] = [0xed, 0x01];

/// The multibase (base58btc, `z`) encoding of an Ed25519 public key with its multicodec.
pub fn multibase(key: &VerifyingKey) -> String {
    let mut bytes = ED25519_PUB.to_vec();
    bytes.extend_from_slice(key.as_bytes());
    format!("z{}", bs58::encode(bytes).into_string())
}

/// The `did:key` identifier of a public key.
pub fn did(key: &VerifyingKey) -> String {
    format!("did:key:{}", multibase(key))
}

/// The verification method id: the DID, `#`, and the same multibase string.
pub fn verification_method(key: &VerifyingKey) -> String {
    format!("{}#{}", did(key), multibase(key))
}

/// Decodes a multibase Ed25519 public key (`z6Mk...`).
pub fn decode_multibase(value: &str) -> Result<VerifyingKey, VcError> {
    let bad = |why: &str| VcError::Key(format!("\"{value}\" is not an Ed25519 public key: {why}"));
    let b58 = value
        .strip_prefix('z')
        .ok_or_else(|| bad("it does not start with z (base58btc)"))?;
    let bytes = bs58::decode(b58)
        .into_vec()
        .map_err(|_| bad("not base58"))?;
    let raw = bytes
        .strip_prefix(&ED25519_PUB)
        .ok_or_else(|| bad("not an Ed25519 multicodec"))?;
    let raw: [u8; 32] = raw.try_into().map_err(|_| bad("wrong length"))?;
    VerifyingKey::from_bytes(&raw).map_err(|_| bad("not a point on the curve"))
}

/// The public key a `did:key` verification method names, checking that its fragment, if
/// any, is the same key.
pub fn resolve(verification_method: &str) -> Result<VerifyingKey, VcError> {
    let (did, fragment) = match verification_method.split_once('#') {
        Some((d, f)) => (d, Some(f)),
        None => (verification_method, None),
    };
    let id = did.strip_prefix("did:key:").ok_or_else(|| {
        VcError::Key(format!(
            "the verification method {verification_method} is not a did:key; only did:key is resolved offline"
        ))
    })?;
    if fragment.is_some_and(|f| f != id) {
        return Err(VcError::Key(format!(
            "the verification method {verification_method} names a key other than its DID's"
        )));
    }
    decode_multibase(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_w3c_vector_key_encodes_as_published() {
        let seed: [u8; 32] =
            hex::decode("c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6")
                .unwrap_or_default()
                .try_into()
                .unwrap_or([0; 32]);
        let key = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
        assert_eq!(
            multibase(&key),
            "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        );
        assert_eq!(resolve(&verification_method(&key)), Ok(key));
    }

    #[test]
    fn other_methods_and_mismatched_fragments_are_refused() {
        assert!(resolve("https://example.edu/issuers/565049#key-1").is_err());
        assert!(
            resolve("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6Mkother").is_err()
        );
        assert!(decode_multibase("z111").is_err());
    }
}
