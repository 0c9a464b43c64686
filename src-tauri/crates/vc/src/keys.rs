//! Ed25519 signing keys at rest: the private half encrypted under a passphrase with Argon2id
//! and XChaCha20-Poly1305. The public half stays readable, so verifying never needs the
//! passphrase.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::{did_key, VcError};

/// Argon2id cost. The defaults follow OWASP's advice for interactive logins (64 MiB, three
/// passes); tests use [`KdfParams::FAST`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl KdfParams {
    pub const DEFAULT: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        passes: 3,
        lanes: 1,
    };
    /// Cheap parameters for tests and benchmarks only.
    pub const FAST: KdfParams = KdfParams {
        memory_kib: 256,
        passes: 1,
        lanes: 1,
    };
}

/// A signing key as stored: never the private key in clear.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedKey {
    /// The public key, multibase (`z6Mk...`).
    pub public_key: String,
    pub kdf: KdfParams,
    pub salt: String,
    pub nonce: String,
    /// The encrypted 32-byte seed with its authentication tag, hex.
    pub ciphertext: String,
}

impl std::fmt::Debug for SealedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedKey")
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}

pub(crate) fn random<const N: usize>() -> Result<[u8; N], VcError> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| VcError::Key(format!("the system's random source failed: {e}")))?;
    Ok(bytes)
}

/// A new key from the operating system's random source.
pub fn generate() -> Result<SigningKey, VcError> {
    let seed = Zeroizing::new(random::<32>()?);
    Ok(SigningKey::from_bytes(&seed))
}

fn derive(passphrase: &str, salt: &[u8], kdf: KdfParams) -> Result<Zeroizing<[u8; 32]>, VcError> {
    let params = Params::new(kdf.memory_kib, kdf.passes, kdf.lanes, Some(32))
        .map_err(|e| VcError::Key(format!("unusable key-derivation parameters: {e}")))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|e| VcError::Key(format!("cannot derive the key: {e}")))?;
    Ok(out)
}

/// Encrypts `key` under `passphrase`. The public key is bound as associated data, so a
/// sealed key cannot be paired with another public key unnoticed.
pub fn seal(key: &SigningKey, passphrase: &str, kdf: KdfParams) -> Result<SealedKey, VcError> {
    if passphrase.chars().count() < 4 {
        return Err(VcError::Key(
            "the passphrase must be at least 4 characters".into(),
        ));
    }
    let salt = random::<16>()?;
    let nonce = random::<24>()?;
    let public_key = did_key::multibase(&key.verifying_key());
    let wrapping = derive(passphrase, &salt, kdf)?;
    let cipher = XChaCha20Poly1305::new(wrapping.as_ref().into());
    let seed = Zeroizing::new(key.to_bytes());
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: seed.as_ref(),
                aad: public_key.as_bytes(),
            },
        )
        .map_err(|_| VcError::Key("cannot encrypt the key".into()))?;
    Ok(SealedKey {
        public_key,
        kdf,
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
        ciphertext: hex::encode(ciphertext),
    })
}

/// Decrypts a sealed key. A wrong passphrase (or a changed record) is reported as such.
pub fn open(sealed: &SealedKey, passphrase: &str) -> Result<SigningKey, VcError> {
    let bad = |what: &str| VcError::Key(format!("the stored key is damaged ({what})"));
    let salt = hex::decode(&sealed.salt).map_err(|_| bad("salt"))?;
    let nonce = hex::decode(&sealed.nonce).map_err(|_| bad("nonce"))?;
    let ciphertext = hex::decode(&sealed.ciphertext).map_err(|_| bad("ciphertext"))?;
    if nonce.len() != 24 {
        return Err(bad("nonce"));
    }
    let wrapping = derive(passphrase, &salt, sealed.kdf)?;
    let cipher = XChaCha20Poly1305::new(wrapping.as_ref().into());
    let seed = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &ciphertext,
                    aad: sealed.public_key.as_bytes(),
                },
            )
            .map_err(|_| VcError::Key("wrong passphrase".into()))?,
    );
    let seed: [u8; 32] = seed.as_slice().try_into().map_err(|_| bad("length"))?;
    let key = SigningKey::from_bytes(&seed);
    if did_key::multibase(&key.verifying_key()) != sealed.public_key {
        return Err(bad("its private and public halves do not match"));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_only_with_its_passphrase() -> Result<(), VcError> {
        let key = generate()?;
        let sealed = seal(&key, "correct horse", KdfParams::FAST)?;
        assert_eq!(open(&sealed, "correct horse")?.to_bytes(), key.to_bytes());
        assert_eq!(
            open(&sealed, "wrong horse").err(),
            Some(VcError::Key("wrong passphrase".into()))
        );
        Ok(())
    }

    #[test]
    fn the_private_key_never_appears_in_the_record_or_its_debug_text() -> Result<(), VcError> {
        let key = generate()?;
        let sealed = seal(&key, "passphrase", KdfParams::FAST)?;
        let seed_hex = hex::encode(key.to_bytes());
        let json = serde_json::to_string(&sealed).unwrap_or_default();
        assert!(!json.contains(&seed_hex));
        assert!(!format!("{sealed:?}").contains(&seed_hex));
        assert!(!format!("{sealed:?}").contains(&sealed.ciphertext));
        Ok(())
    }

    #[test]
    fn swapping_the_public_key_is_detected() -> Result<(), VcError> {
        let sealed = seal(&generate()?, "passphrase", KdfParams::FAST)?;
        let other = seal(&generate()?, "passphrase", KdfParams::FAST)?;
        let forged = SealedKey {
            public_key: other.public_key,
            ..sealed
        };
        assert!(open(&forged, "passphrase").is_err());
        Ok(())
    }

    #[test]
    fn short_passphrases_are_refused() {
        let key = SigningKey::from_bytes(&[1; 32]);
        assert!(seal(&key, "abc", KdfParams::FAST).is_err());
    }
}
