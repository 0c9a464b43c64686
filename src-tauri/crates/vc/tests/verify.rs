//! Verification reports for credentials as people receive them, including hostile input.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{DateTime, Utc};
use credence_vc::proof::{self, Cryptosuite, ProofOptions};
use credence_vc::status_list::{PublishedList, StatusList};
use credence_vc::verify::{verify, Outcome, Report};
use credence_vc::{bake, did_key, VcError};
use ed25519_dalek::SigningKey;
use serde_json::{json, Value};

fn key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

fn now() -> DateTime<Utc> {
    "2026-11-23T12:00:00Z".parse().unwrap()
}

const LIST_URL: &str = "https://badges.northfield.edu/status/1";

/// An Open Badges credential issued by the test key's did:key.
fn credential(extra: Value) -> Value {
    let did = did_key::did(&key().verifying_key());
    let mut c = json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
        ],
        "id": "urn:uuid:7d8c3b7e-4f0e-4a53-9b6a-2f7f2a0c1e11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Northfield University"},
        "validFrom": "2026-06-01T00:00:00Z",
        "name": "Applied Robotics",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:0b7d0c60-9a3e-4d2b-8f7e-5a1c2d3e4f50",
                "type": ["Achievement"],
                "name": "Applied Robotics",
                "description": "Designs, builds and programs a mobile robot.",
                "criteria": {"narrative": "Pass the practical assessment."}
            }
        },
        "credentialStatus": {
            "id": format!("{LIST_URL}#94567"),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": LIST_URL
        }
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

fn sign(c: &Value) -> Value {
    let opts = ProofOptions {
        cryptosuite: Cryptosuite::EddsaRdfc2022,
        created: "2026-06-01T00:00:00Z".into(),
        verification_method: did_key::verification_method(&key().verifying_key()),
        proof_purpose: "assertionMethod".into(),
    };
    proof::sign(c, &key(), &opts).unwrap()
}

fn check(report: &Report, name: &str) -> (Outcome, String) {
    let c = report
        .checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no {name} check in {report:?}"));
    (c.outcome, c.message.clone())
}

fn no_lists(_: &str) -> Option<Result<PublishedList, VcError>> {
    None
}

#[test]
fn a_signed_credential_verifies_as_json_png_and_svg() {
    let signed = sign(&credential(json!({}))).to_string();
    let png = bake::bake_png(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../icons/32x32.png"
        ))
        .unwrap(),
        &signed,
    )
    .unwrap();
    let svg = bake::bake_svg(
        r#"<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>"#,
        &signed,
    )
    .unwrap();
    for bytes in [signed.as_bytes().to_vec(), png, svg.into_bytes()] {
        let report = verify(&bytes, now(), &no_lists);
        assert!(report.verified(), "{report:?}");
        assert_eq!(check(&report, "issuer").0, Outcome::Pass);
        assert_eq!(check(&report, "status").0, Outcome::Unchecked);
    }
}

#[test]
fn a_one_character_change_fails_the_signature_check() {
    let mut signed = sign(&credential(json!({})));
    signed["credentialSubject"]["achievement"]["name"] = "Applied Robotict".into();
    let report = verify(signed.to_string().as_bytes(), now(), &no_lists);
    assert!(!report.verified());
    assert!(check(&report, "signature")
        .1
        .contains("changed after signing"));
}

#[test]
fn a_key_other_than_the_issuers_is_named() {
    let mut c = credential(json!({}));
    c["issuer"]["id"] = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2".into();
    let report = verify(sign(&c).to_string().as_bytes(), now(), &no_lists);
    let (outcome, message) = check(&report, "issuer");
    assert_eq!(outcome, Outcome::Fail);
    assert!(message.contains("not to the issuer"), "{message}");
}

#[test]
fn expired_and_future_credentials_fail_validity() {
    let expired = sign(&credential(json!({"validUntil": "2026-10-01T00:00:00Z"})));
    let report = verify(expired.to_string().as_bytes(), now(), &no_lists);
    assert_eq!(
        check(&report, "validity").1,
        "it expired on 2026-10-01T00:00:00+00:00"
    );
    // Authentic but expired: told apart from a broken credential, with its date.
    assert!(!report.verified());
    assert_eq!(report.only_expired(), Some("2026-10-01"));
    let mut tampered = expired.clone();
    tampered["name"] = json!("Something else");
    let report = verify(tampered.to_string().as_bytes(), now(), &no_lists);
    assert_eq!(report.expired_on.as_deref(), Some("2026-10-01"));
    assert_eq!(report.only_expired(), None);
    let future = sign(&credential(json!({"validFrom": "2027-01-01T00:00:00Z"})));
    assert_eq!(
        check(
            &verify(future.to_string().as_bytes(), now(), &no_lists),
            "validity"
        )
        .0,
        Outcome::Fail
    );
}

/// The list as the issuer of `credential()` publishes it at `LIST_URL`.
fn published(list: &StatusList) -> PublishedList {
    PublishedList {
        id: LIST_URL.into(),
        issuer: did_key::did(&key().verifying_key()),
        list: list.clone(),
    }
}

#[test]
fn a_revoked_credential_verifies_as_revoked() {
    let signed = sign(&credential(json!({}))).to_string();
    let mut list = StatusList::new(0);
    let lookup = |url: &str| (url == LIST_URL).then(|| Ok(published(&list)));
    assert_eq!(
        check(&verify(signed.as_bytes(), now(), &lookup), "status").0,
        Outcome::Pass
    );
    list.set(94567, true).unwrap();
    let lookup = |url: &str| (url == LIST_URL).then(|| Ok(published(&list)));
    let report = verify(signed.as_bytes(), now(), &lookup);
    assert!(!report.verified());
    assert_eq!(
        check(&report, "status").1,
        "it has been revoked by its issuer"
    );
}

#[test]
fn a_status_list_from_another_issuer_or_url_says_nothing_about_the_credential() {
    let signed = sign(&credential(json!({}))).to_string();
    let mut revoked = StatusList::new(0);
    revoked.set(94567, true).unwrap();
    // Someone else's list, however it is signed, cannot clear a revoked credential...
    let clear = StatusList::new(0);
    let stranger = did_key::did(&SigningKey::from_bytes(&[7; 32]).verifying_key());
    let forged = |url: &str| {
        Some(Ok(PublishedList {
            issuer: stranger.clone(),
            ..published(&clear)
        }))
        .filter(|_| url == LIST_URL)
    };
    let report = verify(signed.as_bytes(), now(), &forged);
    assert!(!report.verified());
    let (outcome, message) = check(&report, "status");
    assert_eq!(outcome, Outcome::Fail);
    assert!(
        message.contains("not by the credential's issuer"),
        "{message}"
    );
    // ...nor does the issuer's list published at another URL.
    let elsewhere = |_: &str| {
        Some(Ok(PublishedList {
            id: "https://badges.northfield.edu/status/2".into(),
            ..published(&clear)
        }))
    };
    let (outcome, message) = check(&verify(signed.as_bytes(), now(), &elsewhere), "status");
    assert_eq!(outcome, Outcome::Fail);
    assert!(
        message.contains("not https://badges.northfield.edu/status/1"),
        "{message}"
    );
}

#[test]
fn hostile_input_gets_a_clear_error_and_never_a_panic() {
    let signed = sign(&credential(json!({}))).to_string();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"hello".to_vec(), "not valid JSON"),
        (
            signed.as_bytes()[..signed.len() / 2].to_vec(),
            "not valid JSON",
        ),
        (
            vec![b' '; 50 * 1024 * 1024],
            "a credential is at most 20 MB",
        ),
        (deep.into_bytes(), "not valid JSON"),
        (
            br#"{"@context": 5, "type": "x"}"#.to_vec(),
            "not the Verifiable Credentials 2.0 context",
        ),
        (vec![0xff, 0xfe, 0x00], "neither JSON, PNG, SVG nor PDF"),
        (b"\x89PNG\r\n\x1a\nrubbish".to_vec(), "truncated"),
        (b"<svg></svg>".to_vec(), "no Open Badges credential"),
    ];
    for (bytes, expected) in cases {
        let report = verify(&bytes, now(), &no_lists);
        assert!(!report.verified());
        let message = &report.checks[0].message;
        assert!(
            message.contains(expected),
            "expected {expected:?}, got {message:?}"
        );
    }
    let mut wrong = sign(&credential(json!({})));
    wrong["proof"]["proofValue"] = json!(12);
    assert!(check(
        &verify(wrong.to_string().as_bytes(), now(), &no_lists),
        "signature"
    )
    .1
    .contains("no proofValue"));
}
