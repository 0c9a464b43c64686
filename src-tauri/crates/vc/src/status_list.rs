//! Bitstring status lists (W3C Bitstring Status List v1.0): one bit per issued credential,
//! set when it is revoked, published GZIP-compressed as multibase base64url.

use std::io::{Read, Write};

use base64::Engine;

use crate::VcError;

/// The smallest list the specification allows (16 KB), which also hides which credential
/// is which among many.
pub const MIN_ENTRIES: usize = 131_072;

/// Decoded lists larger than this are refused (a GZIP bomb would otherwise exhaust memory).
const MAX_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    bits: Vec<u8>,
}

impl StatusList {
    /// A list of at least [`MIN_ENTRIES`] entries, all clear.
    pub fn new(entries: usize) -> Self {
        Self {
            bits: vec![0; entries.max(MIN_ENTRIES).div_ceil(8)],
        }
    }

    pub fn len(&self) -> usize {
        self.bits.len() * 8
    }

    pub fn is_empty(&self) -> bool {
        self.bits.is_empty()
    }

    fn locate(&self, index: usize) -> Result<(usize, u8), VcError> {
        if index >= self.len() {
            return Err(VcError::Malformed(format!(
                "status index {index} is outside the list of {} entries",
                self.len()
            )));
        }
        // Index 0 is the most significant bit of the first byte.
        Ok((index / 8, 0x80 >> (index % 8)))
    }

    pub fn get(&self, index: usize) -> Result<bool, VcError> {
        let (byte, mask) = self.locate(index)?;
        Ok(self.bits[byte] & mask != 0)
    }

    pub fn set(&mut self, index: usize, value: bool) -> Result<(), VcError> {
        let (byte, mask) = self.locate(index)?;
        if value {
            self.bits[byte] |= mask;
        } else {
            self.bits[byte] &= !mask;
        }
        Ok(())
    }

    /// `encodedList`: "u" + base64url (no padding) of the GZIP-compressed bitstring.
    pub fn encode(&self) -> Result<String, VcError> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&self.bits)
            .and_then(|()| gz.finish())
            .map(|zipped| {
                format!(
                    "u{}",
                    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(zipped)
                )
            })
            .map_err(|e| VcError::Malformed(format!("cannot compress the status list: {e}")))
    }

    pub fn decode(encoded: &str) -> Result<Self, VcError> {
        let bad = |why: &str| VcError::Malformed(format!("the status list is unreadable: {why}"));
        let b64 = encoded
            .strip_prefix('u')
            .ok_or_else(|| bad("not multibase base64url"))?;
        let zipped = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(b64)
            .map_err(|_| bad("not base64url"))?;
        let mut bits = Vec::new();
        flate2::read::GzDecoder::new(zipped.as_slice())
            .take(MAX_BYTES as u64 + 1)
            .read_to_end(&mut bits)
            .map_err(|_| bad("not GZIP"))?;
        if bits.len() > MAX_BYTES {
            return Err(bad("larger than any list Credence accepts"));
        }
        if bits.len() * 8 < MIN_ENTRIES {
            return Err(bad(
                "shorter than the 131,072 entries the specification requires",
            ));
        }
        Ok(Self { bits })
    }
}

/// A status list as it was published: the URL it names itself by, who signed it, and its
/// bits. Verification accepts it for a credential only when both match what the credential
/// names (its `statusListCredential` URL and its issuer): a list signed by anyone else says
/// nothing about that credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedList {
    pub id: String,
    pub issuer: String,
    pub list: StatusList,
}

/// The issuer of a credential: `issuer` as a string, or the `id` of an issuer object.
pub fn issuer_id(credential: &serde_json::Value) -> Option<&str> {
    let issuer = credential.get("issuer")?;
    issuer
        .as_str()
        .or_else(|| issuer.get("id").and_then(|i| i.as_str()))
}

/// The list carried by a signed `BitstringStatusListCredential`, after verifying its proof
/// and that it is a revocation list.
pub fn from_credential(credential: &serde_json::Value) -> Result<PublishedList, VcError> {
    crate::proof::verify(credential)?;
    let id = credential
        .get("id")
        .and_then(|i| i.as_str())
        .ok_or_else(|| VcError::Malformed("the status list credential has no id".into()))?;
    let issuer = issuer_id(credential)
        .ok_or_else(|| VcError::Malformed("the status list credential has no issuer".into()))?;
    let subject = credential
        .get("credentialSubject")
        .ok_or_else(|| VcError::Malformed("the status list credential has no subject".into()))?;
    if subject.get("statusPurpose").and_then(|p| p.as_str()) != Some("revocation") {
        return Err(VcError::Malformed(
            "the status list is not a revocation list".into(),
        ));
    }
    let encoded = subject
        .get("encodedList")
        .and_then(|e| e.as_str())
        .ok_or_else(|| {
            VcError::Malformed("the status list credential has no encodedList".into())
        })?;
    Ok(PublishedList {
        id: id.to_string(),
        issuer: issuer.to_string(),
        list: StatusList::decode(encoded)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoked_entries_survive_encoding() {
        let mut list = StatusList::new(10);
        assert_eq!(list.len(), MIN_ENTRIES);
        for i in [0, 7, 8, 94_567, MIN_ENTRIES - 1] {
            list.set(i, true).unwrap_or(());
        }
        list.set(7, false).unwrap_or(());
        let encoded = list.encode().unwrap_or_default();
        assert!(
            encoded.starts_with('u') && encoded.len() < 200,
            "{}",
            encoded.len()
        );
        let back = StatusList::decode(&encoded).unwrap_or_else(|_| StatusList::new(0));
        let set: Vec<usize> = (0..back.len())
            .filter(|&i| back.get(i) == Ok(true))
            .collect();
        assert_eq!(set, [0, 8, 94_567, MIN_ENTRIES - 1]);
        assert!(back.get(MIN_ENTRIES).is_err());
    }

    #[test]
    fn the_first_entry_is_the_high_bit_of_the_first_byte() {
        let mut list = StatusList::new(0);
        list.set(0, true).unwrap_or(());
        assert_eq!(list.bits[0], 0x80);
    }

    #[test]
    fn garbage_and_short_lists_are_refused() {
        assert!(StatusList::decode("H4sI").is_err());
        assert!(StatusList::decode("u!!!").is_err());
        let short = StatusList { bits: vec![0; 16] }
            .encode()
            .unwrap_or_default();
        assert!(StatusList::decode(&short).is_err());
    }
}
