//! The fast RDF path must write exactly what the general JSON-LD processor writes, for every
//! optional part of a Credence credential, and sign to the same bytes.

use credence_vc::canon::{self, Coverage};
use credence_vc::credential::*;
use credence_vc::proof::{self, Cryptosuite, ProofOptions};
use credence_vc::{did_key, fast};
use ed25519_dalek::SigningKey;

/// A small deterministic generator, so a failure names a reproducible case.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn coin(&mut self) -> bool {
        self.next().is_multiple_of(2)
    }
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "Data Literacy",
            "Zoë Ångström",
            "Ελληνικά",
            "Кириллица",
            "Nguyễn Thị Minh Khai",
            "quote \" and backslash \\",
            "line\nbreak\ttab",
            "emoji 🎓",
            "",
            "  spaced  ",
            "<b>not html</b>",
            "日本語",
            "\u{7f}\u{1}control",
        ];
        PIECES[(self.next() % PIECES.len() as u64) as usize].to_string()
    }
    fn number(&mut self) -> f64 {
        const N: &[f64] = &[
            0.0, 1.0, 6.0, 6.5, 0.1, 12.25, 150.5, 0.001, 1234567.0, 99.99, 1e-7,
        ];
        N[(self.next() % N.len() as u64) as usize]
    }
    fn maybe<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.coin() {
            Some(f(self))
        } else {
            None
        }
    }
    fn some<T>(&mut self, f: impl Fn(&mut Self) -> T) -> Vec<T> {
        let n = self.next() % 3;
        (0..n).map(|_| f(self)).collect()
    }
}

fn image(rng: &mut Rng) -> Image {
    Image {
        id: match rng.next() % 4 {
            0 => "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==".into(),
            1 => "https://northfield.example/badges/data-literacy.png".into(),
            // Long enough for its line's hash state to be kept (`credential_nquads_digest`).
            n => long_image(n == 2),
        },
        kind: "Image".into(),
    }
}

/// A `data:` IRI of a few kilobytes, one of two.
fn long_image(first: bool) -> String {
    let body = if first { "iVBORw0K" } else { "R0lGODlh" };
    format!("data:image/png;base64,{}", body.repeat(600))
}

fn variant(rng: &mut Rng) -> Credential {
    let eu = rng.coin();
    let learner_did =
        rng.maybe(|_| "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2".to_string());
    Credential {
        context: contexts(eu),
        id: format!(
            "urn:uuid:6a3b2d2e-1111-4222-8333-{:012x}",
            rng.next() % 0xffff_ffff_ffff
        ),
        types: vec!["VerifiableCredential".into(), "OpenBadgeCredential".into()],
        issuer: Profile {
            id: "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi".into(),
            types: vec!["Profile".into()],
            name: rng.text(),
            url: rng.maybe(|_| "https://northfield.example".into()),
            email: rng.maybe(|r| r.text()),
            image: rng.maybe(image),
            address: rng.maybe(|r| Address {
                types: vec!["Address".into()],
                address_country: r.text(),
                address_country_code: "NZ".into(),
            }),
        },
        valid_from: "2026-11-23T10:00:00Z".into(),
        valid_until: rng.maybe(|_| "2029-11-23T10:00:00Z".into()),
        name: rng.text(),
        description: rng.maybe(|r| r.text()),
        credential_subject: Subject {
            id: learner_did,
            types: vec!["AchievementSubject".into()],
            identifier: rng.some(|r| {
                let hashed = r.coin();
                let salt = r.text();
                IdentityObject {
                    kind: "IdentityObject".into(),
                    hashed,
                    identity_hash: if hashed {
                        identity_hash("a@b.example", &salt)
                    } else {
                        r.text()
                    },
                    identity_type: if hashed {
                        "emailAddress".into()
                    } else {
                        "name".into()
                    },
                    salt: hashed.then_some(salt),
                }
            }),
            achievement: Achievement {
                id: format!(
                    "https://northfield.example/achievements/{}/v2",
                    rng.next() % 100
                ),
                types: vec!["Achievement".into()],
                achievement_type: "MicroCredential".into(),
                name: rng.text(),
                description: rng.text(),
                criteria: Criteria {
                    narrative: rng.text(),
                },
                image: rng.maybe(image),
                alignment: rng.some(|r| Alignment {
                    types: vec!["Alignment".into()],
                    target_name: r.text(),
                    target_url: format!("https://www.naceweb.org/competency/{}", r.next() % 9),
                    target_description: r.maybe(|r| r.text()),
                    target_framework: r.maybe(|r| r.text()),
                    target_code: r.maybe(|r| r.text()),
                }),
                credits_available: rng.maybe(|r| r.number()),
                field_of_study: rng.maybe(|r| r.text()),
                in_language: rng.maybe(|_| "en".into()),
                related: rng.some(|r| Related {
                    id: format!(
                        "https://northfield.example/achievements/{}/v2-fr",
                        r.next() % 100
                    ),
                    types: vec!["Related".into()],
                    in_language: r.maybe(|_| "fr-CA".into()),
                    version: r.maybe(|_| "v2".into()),
                }),
                version: rng.maybe(|_| "v2".into()),
                eu_learning_outcome: if eu { rng.some(|r| r.text()) } else { vec![] },
                eu_workload_hours: if eu { rng.maybe(|r| r.number()) } else { None },
                eu_ects_credits: if eu { rng.maybe(|r| r.number()) } else { None },
                eu_qualification_level: if eu { rng.maybe(|r| r.text()) } else { None },
                eu_assessment_type: if eu { rng.some(|r| r.text()) } else { vec![] },
                eu_participation_form: if eu { rng.maybe(|r| r.text()) } else { None },
                eu_quality_assurance: if eu { rng.maybe(|r| r.text()) } else { None },
            },
            result: rng.some(|r| AwardResult {
                types: vec!["Result".into()],
                value: r.text(),
            }),
            credits_earned: rng.maybe(|r| r.number()),
            // The DateTime Credence writes now, and the bare date of credentials issued before.
            activity_end_date: rng.maybe(|r| {
                if r.next() % 2 == 0 {
                    "2026-11-20T12:00:00Z".into()
                } else {
                    "2026-11-20".into()
                }
            }),
        },
        evidence: rng.some(|r| Evidence {
            id: r.maybe(|r| format!("https://evidence.example/{}", r.next() % 50)),
            types: vec!["Evidence".into()],
            name: r.maybe(|r| r.text()),
            genre: r.maybe(|_| "Recognition of prior learning".into()),
            narrative: r.maybe(|r| r.text()),
        }),
        credential_schema: vec![CredentialSchema {
            id: OB_SCHEMA.into(),
            kind: "1EdTechJsonSchemaValidator2019".into(),
        }],
        credential_status: rng.maybe(|r| {
            StatusEntry::revocation(
                "https://northfield.example/credentials/status/1",
                (r.next() % 131_072) as usize,
            )
        }),
    }
}

#[test]
fn the_fast_path_writes_what_json_ld_writes() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..300 {
        let c = variant(&mut rng);
        let value = c.to_value();
        let general = canon::rdfc(&value, Coverage::Strict).unwrap_or_else(|e| {
            panic!("case {case}: the strict general path refused: {e}\n{value:#}")
        });
        let fast = fast::credential_nquads(&c)
            .unwrap_or_else(|| panic!("case {case}: no fast path\n{value:#}"));
        assert_eq!(fast, general, "case {case}:\n{value:#}");
        assert_eq!(
            Credential::from_exact(&value).as_ref(),
            Some(&c),
            "case {case} reads back"
        );
    }
}

/// eddsa-rdfc-2022 proof options for `key`, at a fixed time.
fn eddsa_options(key: &SigningKey) -> ProofOptions {
    ProofOptions {
        cryptosuite: Cryptosuite::EddsaRdfc2022,
        created: "2026-11-23T10:00:00Z".into(),
        verification_method: did_key::verification_method(&key.verifying_key()),
        proof_purpose: "assertionMethod".into(),
    }
}

#[test]
fn fast_and_general_signatures_are_the_same_bytes() {
    let key = SigningKey::from_bytes(&[7; 32]);
    let options = eddsa_options(&key);
    let mut rng = Rng(42);
    for case in 0..50 {
        let c = variant(&mut rng);
        let fast = proof::sign_credential(&c, &key, &options).expect("fast sign");
        let general = proof::sign(&c.to_value(), &key, &options).expect("general sign");
        assert_eq!(fast, general, "case {case}");
        proof::verify(&fast).unwrap_or_else(|e| panic!("case {case} verifies: {e}"));
        // Written straight from the struct: the same credential and proof, in JSON.
        let json =
            proof::sign_credential_json(&mut c.clone(), &key, &options).expect("signed as JSON");
        let read: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(read, general, "case {case} as JSON");
    }
}

#[test]
fn a_credential_is_written_byte_for_byte_as_its_struct_and_proof_are() {
    let key = SigningKey::from_bytes(&[9; 32]);
    let options = eddsa_options(&key);
    let mut rng = Rng(11);
    let mark = "\u{1}credence:achievement-image\u{1}";
    for case in 0..60 {
        let mut c = variant(&mut rng);
        match case % 6 {
            // A long image copied into the text.
            0 | 1 => {
                c.credential_subject.achievement.image = Some(Image {
                    id: long_image(case % 2 == 0),
                    kind: "Image".into(),
                })
            }
            // A long image JSON must escape (no IRI: the general path), and the text standing
            // for the image in a name.
            2 => {
                c.credential_subject.achievement.image = Some(Image {
                    id: format!("{}\"\\\u{7}", long_image(true)),
                    kind: "Image".into(),
                })
            }
            3 => {
                c.name = format!("{} {mark}", c.name);
                c.credential_subject.achievement.image = Some(Image {
                    id: long_image(false),
                    kind: "Image".into(),
                })
            }
            _ => {}
        }
        let before = c.clone();
        let json = proof::sign_credential_json(&mut c, &key, &options).expect("signed as JSON");
        assert_eq!(c, before, "case {case}: the same credential after");
        let signed = proof::sign_credential(&c, &key, &options).expect("signed");
        let expected = if fast::credential_nquads(&c).is_some() {
            // Its fields in their order, then its proof.
            let alone = serde_json::to_string(&c).expect("written");
            let proof = serde_json::to_string(&signed["proof"]).expect("written");
            format!("{},\"proof\":{proof}}}", &alone[..alone.len() - 1])
        } else {
            assert_eq!(case % 6, 2, "case {case} takes the fast path");
            serde_json::to_string(&signed).expect("written")
        };
        assert_eq!(json, expected, "case {case}");
    }
}

#[test]
fn anything_outside_the_shape_takes_the_general_path() {
    let mut rng = Rng(7);
    let c = variant(&mut rng);
    let mut value = c.to_value();
    value["credentialSubject"]["extra"] = "x".into();
    assert!(
        Credential::from_exact(&value).is_none(),
        "an unknown member"
    );
    let mut other = c.clone();
    other.id = "relative/id".into();
    assert!(fast::credential_nquads(&other).is_none(), "a relative IRI");
    let mut other = c.clone();
    other.context.push(ContextEntry::Url(
        "https://www.w3.org/ns/credentials/examples/v2".into(),
    ));
    assert!(
        fast::credential_nquads(&other).is_none(),
        "another context list"
    );
    let mut other = c;
    other.credential_subject.credits_earned = Some(f64::NAN);
    assert!(
        fast::credential_nquads(&other).is_none(),
        "a number JSON cannot carry"
    );
}

#[test]
fn alike_parts_are_told_apart_as_json_ld_does() {
    // Two results and two alignments each the same as the other: their blank nodes hash
    // alike on RDFC-1.0's first pass, and only the whole algorithm names them.
    let mut rng = Rng(11);
    for case in 0..20 {
        let mut c = variant(&mut rng);
        let result = AwardResult {
            types: vec!["Result".into()],
            value: "A".into(),
        };
        c.credential_subject.result = vec![result.clone(), result];
        if let Some(first) = c.credential_subject.achievement.alignment.first().cloned() {
            c.credential_subject.achievement.alignment.push(first);
        }
        let value = c.to_value();
        let general = canon::rdfc(&value, Coverage::Strict).expect("the general path");
        let fast = fast::credential_nquads(&c).expect("the fast path");
        assert_eq!(fast, general, "case {case}:\n{value:#}");
    }
}

#[test]
fn the_digest_is_the_hash_of_the_canonical_text_whichever_image_came_before() {
    use sha2::{Digest, Sha256};
    let mut rng = Rng(99);
    // Credentials with one long image, then the other, then the first again, then none:
    // each digest is the plain hash of its text, whatever state the thread kept before.
    for (case, first) in [
        Some(true),
        Some(true),
        Some(false),
        Some(true),
        None,
        Some(false),
    ]
    .into_iter()
    .enumerate()
    {
        let mut c = variant(&mut rng);
        c.credential_subject.achievement.image = first.map(|f| Image {
            id: long_image(f),
            kind: "Image".into(),
        });
        let text = fast::credential_nquads(&c).expect("the fast path");
        if first.is_some() {
            assert!(
                text.starts_with("<data:"),
                "case {case}: the image sorts first"
            );
        }
        let digest: [u8; 32] = Sha256::digest(text.as_bytes()).into();
        assert_eq!(
            fast::credential_nquads_digest(&c),
            Some(digest),
            "case {case}"
        );
    }
}

#[test]
fn achievements_shared_or_not_are_named_as_json_ld_names_them() {
    // A batch's credentials share their achievement (the badge image inside: kilobytes),
    // whose blank node's hash a thread keeps; six achievements in turn, more than it keeps,
    // each credential also with its own learner, must canonicalize as the whole algorithm does.
    let mut rng = Rng(2026);
    for case in 0..18 {
        let mut c = variant(&mut rng);
        let which = case % 6;
        c.credential_subject.achievement.name = format!("Achievement {which}");
        c.credential_subject.achievement.image = Some(Image {
            id: format!("{}{which}", long_image(which % 2 == 0)),
            kind: "Image".into(),
        });
        let value = c.to_value();
        let general = canon::rdfc(&value, Coverage::Strict).expect("the general path");
        let fast = fast::credential_nquads(&c).expect("the fast path");
        assert_eq!(fast, general, "case {case}");
    }
}
