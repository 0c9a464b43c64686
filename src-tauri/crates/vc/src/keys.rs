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
/// passes); tests and the demo use [`KdfParams::MIN`], the lowest cost accepted. A stored key
/// whose parameters are below `MIN` (cheap to guess offline) or above [`KdfParams::MAX`] (a
/// record that would make opening it take gigabytes or minutes) is refused, sealed or opened.
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
    /// The floor: OWASP's lowest recommended Argon2id setting (19 MiB, two passes).
    pub const MIN: KdfParams = KdfParams {
        memory_kib: 19 * 1024,
        passes: 2,
        lanes: 1,
    };
    /// The ceiling: 1 GiB, ten passes, eight lanes.
    pub const MAX: KdfParams = KdfParams {
        memory_kib: 1024 * 1024,
        passes: 10,
        lanes: 8,
    };

    /// Refuses parameters outside [`KdfParams::MIN`]..=[`KdfParams::MAX`], naming them.
    pub fn check(self) -> Result<(), VcError> {
        let (min, max) = (Self::MIN, Self::MAX);
        let within = |v: u32, lo: u32, hi: u32| (lo..=hi).contains(&v);
        if within(self.memory_kib, min.memory_kib, max.memory_kib)
            && within(self.passes, min.passes, max.passes)
            && within(self.lanes, min.lanes, max.lanes)
        {
            return Ok(());
        }
        Err(VcError::Key(format!(
            "the key's protection ({} KiB, {} passes, {} lanes) is outside what Credence accepts \
             ({} to {} KiB, {} to {} passes, {} to {} lanes); create the key again",
            self.memory_kib,
            self.passes,
            self.lanes,
            min.memory_kib,
            max.memory_kib,
            min.passes,
            max.passes,
            min.lanes,
            max.lanes
        )))
    }
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

pub fn random<const N: usize>() -> Result<[u8; N], VcError> {
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
    kdf.check()?;
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
        let sealed = seal(&key, "correct horse", KdfParams::MIN)?;
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
        let sealed = seal(&key, "passphrase", KdfParams::MIN)?;
        let seed_hex = hex::encode(key.to_bytes());
        let json = serde_json::to_string(&sealed).unwrap_or_default();
        assert!(!json.contains(&seed_hex));
        assert!(!format!("{sealed:?}").contains(&seed_hex));
        assert!(!format!("{sealed:?}").contains(&sealed.ciphertext));
        Ok(())
    }

    #[test]
    fn swapping_the_public_key_is_detected() -> Result<(), VcError> {
        let sealed = seal(&generate()?, "passphrase", KdfParams::MIN)?;
        let other = seal(&generate()?, "passphrase", KdfParams::MIN)?;
        let forged = SealedKey {
            public_key: other.public_key,
            ..sealed
        };
        assert!(open(&forged, "passphrase").is_err());
        Ok(())
    }

    #[test]
    fn stored_parameters_below_the_floor_or_above_the_ceiling_are_refused() -> Result<(), VcError> {
        let key = generate()?;
        let weak = KdfParams {
            memory_kib: 256,
            passes: 1,
            lanes: 1,
        };
        assert!(seal(&key, "correct horse", weak).is_err());
        let sealed = seal(&key, "correct horse", KdfParams::MIN)?;
        for kdf in [
            weak,
            KdfParams {
                memory_kib: u32::MAX,
                ..KdfParams::MIN
            },
            KdfParams {
                passes: 1_000_000,
                ..KdfParams::MIN
            },
        ] {
            let changed = SealedKey {
                kdf,
                ..sealed.clone()
            };
            let e = open(&changed, "correct horse").err();
            assert!(
                matches!(&e, Some(VcError::Key(m)) if m.contains("outside what Credence accepts")),
                "{e:?}"
            );
        }
        Ok(())
    }

    #[test]
    fn short_passphrases_are_refused() {
        let key = SigningKey::from_bytes(&[1; 32]);
        assert!(seal(&key, "abc", KdfParams::MIN).is_err());
    }
}
