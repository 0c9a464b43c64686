//! Open Badges 2.0 assertions as another platform hands them over, read offline: a JSON
//! assertion, a signed one (a JWS in compact form), or either baked into a PNG (an `iTXt` or
//! `tEXt` chunk with the keyword `openbadges`) or an SVG (`<openbadges:assertion>`, its
//! `verify` attribute or its CDATA). A signed assertion's RS256 signature is checked with the
//! issuer's public key where the key is at hand; a hosted one can only be checked online.

use base64::Engine;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::VcError;

fn malformed(what: impl Into<String>) -> VcError {
    VcError::Malformed(what.into())
}

/// The largest assertion file read (a baked badge image included).
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// How an assertion says it is verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Checked by fetching it from its id (a network is needed).
    Hosted,
    /// Signed (a JWS); `creator` is the URL of the issuer's public key.
    Signed { creator: Option<String> },
}

/// Who an assertion was awarded to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// `email` (the only kind Credence can match to a learner), `url`, `telephone`...
    pub kind: String,
    pub hashed: bool,
    pub salt: Option<String>,
    /// The identity, or its hash (`sha256$<hex>`).
    pub identity: String,
}

impl Recipient {
    /// Whether this recipient is `email` (compared lower-cased, as Open Badges hashes it).
    pub fn is_email(&self, email: &str) -> bool {
        if self.kind != "email" {
            return false;
        }
        let email = email.trim().to_lowercase();
        if !self.hashed {
            return self.identity.trim().eq_ignore_ascii_case(&email);
        }
        let Some(hex) = self.identity.strip_prefix("sha256$") else {
            return false;
        };
        let digest = Sha256::digest(format!("{email}{}", self.salt.as_deref().unwrap_or("")));
        hex.eq_ignore_ascii_case(&hex::encode(digest))
    }
}

/// An assertion as read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Assertion {
    /// The assertion itself (the JWS payload where signed).
    pub json: Value,
    /// The compact JWS, where signed.
    pub jws: Option<String>,
    pub id: Option<String>,
    pub recipient: Recipient,
    /// The badge class's id (a URL), where given.
    pub badge_id: Option<String>,
    /// The badge class's name, where the assertion embeds it.
    pub badge_name: Option<String>,
    /// The badge class itself, where the assertion embeds it.
    pub badge: Option<BadgeClass>,
    pub issuer_name: Option<String>,
    pub issued_on: String,
    pub expires: Option<String>,
    pub verification: Verification,
    /// The assertion says it was revoked.
    pub revoked: bool,
}

/// What a badge class says of itself: enough to make an archived microcredential of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadgeClass {
    /// Its id (a URL), where given.
    pub id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    /// Its criteria's narrative, where given.
    pub criteria: Option<String>,
    pub issuer_name: Option<String>,
}

fn badge_class_of(json: &Value) -> Option<BadgeClass> {
    let text = |v: &Value| {
        text_of(v)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    Some(BadgeClass {
        id: text(&json["id"]),
        name: text(&json["name"])?,
        description: text(&json["description"]),
        criteria: text(&json["criteria"]["narrative"]),
        issuer_name: text(&json["issuer"]["name"]),
    })
}

/// What checking a signed assertion found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureCheck {
    /// RS256 over the JWS with the creator's key.
    Verified,
    /// The creator's key is not among those given (it would be fetched online).
    KeyMissing(String),
    /// It does not verify, and why.
    Failed(String),
}

/// Reads an assertion from a file's bytes: JSON, a JWS, or a baked PNG or SVG.
pub fn read(bytes: &[u8]) -> Result<Assertion, VcError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(malformed(format!(
            "it is larger than {} MB",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let text = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png_text(bytes)?
    } else {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| malformed("it is neither a PNG image nor UTF-8 text"))?;
        let body = text.trim_start_matches('\u{feff}').trim_start();
        if body.starts_with('<') {
            svg_text(body)?
        } else {
            body.to_string()
        }
    };
    from_text(text.trim())
}

/// An assertion from the text a file or a baked image holds.
fn from_text(text: &str) -> Result<Assertion, VcError> {
    if text.starts_with("http://") || text.starts_with("https://") {
        return Err(malformed(format!(
            "it holds only the address of a hosted assertion ({text}), which cannot be read offline"
        )));
    }
    if text.starts_with('{') {
        let json: Value =
            serde_json::from_str(text).map_err(|e| malformed(format!("it is not JSON ({e})")))?;
        return assertion(json, None);
    }
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() == 3 && parts.iter().all(|p| is_base64url(p)) {
        let payload = b64(parts[1]).ok_or_else(|| malformed("the JWS payload is not base64url"))?;
        let json: Value = serde_json::from_slice(&payload)
            .map_err(|e| malformed(format!("the JWS payload is not JSON ({e})")))?;
        return assertion(json, Some(text.to_string()));
    }
    Err(malformed(
        "it is not an Open Badges 2.0 assertion (JSON, a signed JWS, or a baked PNG or SVG)",
    ))
}

fn is_base64url(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
}

fn b64(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .ok()
}

fn text_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

fn assertion(json: Value, jws: Option<String>) -> Result<Assertion, VcError> {
    let kind = &json["type"];
    let is_assertion = kind == "Assertion"
        || kind
            .as_array()
            .is_some_and(|a| a.iter().any(|t| t == "Assertion"));
    if !is_assertion {
        return Err(malformed(
            "it is not an Open Badges 2.0 assertion (its type is not Assertion)",
        ));
    }
    let r = &json["recipient"];
    let recipient = Recipient {
        kind: text_of(&r["type"]).unwrap_or_default(),
        hashed: r["hashed"].as_bool().unwrap_or(false),
        salt: text_of(&r["salt"]),
        identity: text_of(&r["identity"])
            .ok_or_else(|| malformed("the assertion names no recipient identity"))?,
    };
    let badge = &json["badge"];
    let (badge_id, badge_name, issuer_name, embedded) = match badge {
        Value::String(id) => (Some(id.clone()), None, None, None),
        Value::Object(_) => {
            let issuer = &badge["issuer"];
            (
                text_of(&badge["id"]),
                text_of(&badge["name"]),
                text_of(&issuer["name"]),
                badge_class_of(badge),
            )
        }
        _ => return Err(malformed("the assertion names no badge")),
    };
    let issued_on =
        text_of(&json["issuedOn"]).ok_or_else(|| malformed("the assertion has no issuedOn"))?;
    let v = &json["verification"];
    let vkind = text_of(&v["type"]).unwrap_or_default().to_lowercase();
    let verification = match vkind.as_str() {
        "hosted" | "hostedbadge" => Verification::Hosted,
        "signed" | "signedbadge" => Verification::Signed {
            creator: text_of(&v["creator"]),
        },
        _ if jws.is_some() => Verification::Signed { creator: None },
        _ => Verification::Hosted,
    };
    if jws.is_none() && matches!(verification, Verification::Signed { .. }) {
        return Err(malformed(
            "the assertion says it is signed, but the file holds no signature (JWS)",
        ));
    }
    Ok(Assertion {
        id: text_of(&json["id"]),
        recipient,
        badge_id,
        badge_name,
        badge: embedded,
        issuer_name,
        issued_on,
        expires: text_of(&json["expires"]),
        verification,
        revoked: json["revoked"].as_bool().unwrap_or(false),
        jws,
        json,
    })
}

/// The text of a PNG's `openbadges` chunk (iTXt uncompressed, or tEXt).
fn png_text(png: &[u8]) -> Result<String, VcError> {
    let chunks = crate::bake::png_chunks(png)?;
    for (kind, data) in chunks {
        let Some(rest) = data
            .strip_prefix(b"openbadges".as_slice())
            .and_then(|r| r.strip_prefix(b"\0".as_slice()))
        else {
            continue;
        };
        let text = match &kind {
            b"tEXt" => rest.to_vec(),
            b"iTXt" => {
                let (&flag, rest) = rest
                    .split_first()
                    .ok_or_else(|| malformed("the openbadges chunk is truncated"))?;
                if flag != 0 {
                    return Err(malformed("the openbadges chunk is compressed"));
                }
                let rest = rest.get(1..).unwrap_or_default();
                let mut parts = rest.splitn(3, |b| *b == 0);
                let (_lang, _translated) = (parts.next(), parts.next());
                parts
                    .next()
                    .ok_or_else(|| malformed("the openbadges chunk is truncated"))?
                    .to_vec()
            }
            _ => continue,
        };
        return String::from_utf8(text)
            .map_err(|_| malformed("the baked assertion is not UTF-8 text"));
    }
    Err(malformed(
        "the PNG image carries no Open Badges 2.0 assertion",
    ))
}

/// The assertion an SVG carries: its `openbadges:assertion` element's CDATA (JSON) or, for a
/// signed one, its `verify` attribute (the JWS).
fn svg_text(svg: &str) -> Result<String, VcError> {
    let doc = roxmltree::Document::parse(svg)
        .map_err(|e| malformed(format!("the SVG image cannot be read ({e})")))?;
    let element = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "assertion")
        .ok_or_else(|| malformed("the SVG image carries no Open Badges 2.0 assertion"))?;
    let verify = element.attribute("verify").unwrap_or_default().trim();
    let body: String = element
        .children()
        .filter_map(|c| c.text())
        .collect::<String>()
        .trim()
        .to_string();
    if !verify.is_empty() && !verify.starts_with("http") {
        Ok(verify.to_string())
    } else if !body.is_empty() {
        Ok(body)
    } else {
        Ok(verify.to_string())
    }
}

/// Checks a signed assertion's JWS (RS256, as Open Badges 2.0 signs) with the public key among
/// `keys` (each an id and its PEM) that the assertion names as its creator.
pub fn check_signature(a: &Assertion, keys: &[(String, String)]) -> SignatureCheck {
    let Some(jws) = &a.jws else {
        return SignatureCheck::Failed("the assertion is not signed".into());
    };
    let creator = match &a.verification {
        Verification::Signed {
            creator: Some(creator),
        } => creator.clone(),
        _ => return SignatureCheck::Failed("the assertion names no signing key (creator)".into()),
    };
    let Some((_, pem)) = keys.iter().find(|(id, _)| *id == creator) else {
        return SignatureCheck::KeyMissing(creator);
    };
    let mut parts = jws.split('.');
    let (Some(header), Some(payload), Some(signature)) = (parts.next(), parts.next(), parts.next())
    else {
        return SignatureCheck::Failed("the JWS is not in compact form".into());
    };
    let alg = b64(header)
        .and_then(|h| serde_json::from_slice::<Value>(&h).ok())
        .and_then(|h| text_of(&h["alg"]));
    if alg.as_deref() != Some("RS256") {
        return SignatureCheck::Failed(format!(
            "the JWS is signed with {}, not RS256",
            alg.unwrap_or_else(|| "no algorithm".into())
        ));
    }
    let key = match rsa::RsaPublicKey::from_public_key_pem(pem.trim()) {
        Ok(k) => k,
        Err(e) => return SignatureCheck::Failed(format!("the key {creator} cannot be read ({e})")),
    };
    let Some(sig) = b64(signature).and_then(|s| Signature::try_from(s.as_slice()).ok()) else {
        return SignatureCheck::Failed("the JWS signature is not base64url".into());
    };
    match VerifyingKey::<Sha256>::new(key).verify(format!("{header}.{payload}").as_bytes(), &sig) {
        Ok(()) => SignatureCheck::Verified,
        Err(_) => SignatureCheck::Failed(
            "the signature does not match: the assertion was changed after signing, or signed by another key".into(),
        ),
    }
}

/// A public key document (`CryptographicKey` with `publicKeyPem`) as its id and PEM.
pub fn read_key(bytes: &[u8]) -> Option<(String, String)> {
    let json: Value = serde_json::from_slice(bytes).ok()?;
    let kind = &json["type"];
    let is_key = kind == "CryptographicKey"
        || kind
            .as_array()
            .is_some_and(|a| a.iter().any(|t| t == "CryptographicKey"));
    if !is_key {
        return None;
    }
    Some((text_of(&json["id"])?, text_of(&json["publicKeyPem"])?))
}

/// A badge class document (one with an id), where the file is one.
pub fn read_badge_class(bytes: &[u8]) -> Option<BadgeClass> {
    let json: Value = serde_json::from_slice(bytes).ok()?;
    if json["type"] != "BadgeClass" {
        return None;
    }
    badge_class_of(&json).filter(|b| b.id.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_email_matches_with_its_salt() {
        let digest = hex::encode(Sha256::digest("ana@example.org".to_string() + "deadsea"));
        let r = Recipient {
            kind: "email".into(),
            hashed: true,
            salt: Some("deadsea".into()),
            identity: format!("sha256${digest}"),
        };
        assert!(r.is_email("Ana@Example.org"));
        assert!(!r.is_email("bob@example.org"));
    }

    #[test]
    fn a_url_alone_or_another_document_is_refused_by_name() {
        let e = read(b"https://badges.example.org/a/1").unwrap_err();
        assert!(e.to_string().contains("cannot be read offline"));
        let e = read(br#"{"type":"BadgeClass"}"#).unwrap_err();
        assert!(e.to_string().contains("not Assertion"));
        let e = read(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap_err();
        assert!(e
            .to_string()
            .contains("carries no Open Badges 2.0 assertion"));
        let e = read(b"<!DOCTYPE svg [<!ENTITY a \"aaaa\">]><svg>&a;</svg>").unwrap_err();
        assert!(e.to_string().contains("cannot be read"), "{e}");
    }
}
