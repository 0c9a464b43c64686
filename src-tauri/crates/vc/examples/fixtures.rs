//! Regenerates tests/fixtures/credentials (a signed Open Badges credential, a tampered copy,
//! an expired one, baked PNG and SVG, and two status list credentials) with the fixed test
//! key [42; 32]:
//! `cargo run -p credence-vc --example fixtures` from the repository root.

use credence_vc::proof::{self, Cryptosuite, ProofOptions};
use credence_vc::status_list::StatusList;
use credence_vc::{bake, did_key};
use ed25519_dalek::SigningKey;
use serde_json::json;

fn main() {
    let out = std::path::Path::new("tests/fixtures/credentials");
    let key = SigningKey::from_bytes(&[42; 32]);
    let did = did_key::did(&key.verifying_key());
    let opts = ProofOptions {
        cryptosuite: Cryptosuite::EddsaRdfc2022,
        created: "2026-06-01T00:00:00Z".into(),
        verification_method: did_key::verification_method(&key.verifying_key()),
        proof_purpose: "assertionMethod".into(),
    };
    let ctx = json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
    ]);
    let c = json!({
        "@context": ctx,
        "id": "urn:uuid:7d8c3b7e-4f0e-4a53-9b6a-2f7f2a0c1e11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Northfield University"},
        "validFrom": "2026-06-01T00:00:00Z",
        "name": "Applied Robotics",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": "urn:uuid:0b7d0c60-9a3e-4d2b-8f7e-5a1c2d3e4f50", "type": ["Achievement"],
            "name": "Applied Robotics", "description": "Designs, builds and programs a mobile robot.",
            "criteria": {"narrative": "Pass the practical assessment."}}},
        "credentialStatus": {"id": "https://badges.northfield.edu/status/1#94567", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": "94567",
            "statusListCredential": "https://badges.northfield.edu/status/1"}
    });
    // As earlier builds issued it: `activityEndDate` a bare date where Open Badges wants
    // a DateTime. Its signature holds; the schema check names the field.
    let mut bare = c.clone();
    bare["credentialSubject"]["activityEndDate"] = json!("2026-05-15");
    let bare = proof::sign(&bare, &key, &opts).expect("fixture");
    std::fs::write(
        out.join("robotics-bare-date.json"),
        format!(
            "{}\n",
            serde_json::to_string_pretty(&bare).expect("fixture")
        ),
    )
    .expect("fixture");
    // Valid for three months, so expired now: authentic, no longer valid.
    let mut expiring = c.clone();
    expiring["validUntil"] = json!("2026-09-01T00:00:00Z");
    let expired = proof::sign(&expiring, &key, &opts).expect("fixture");
    std::fs::write(
        out.join("robotics-expired.json"),
        format!(
            "{}\n",
            serde_json::to_string_pretty(&expired).expect("fixture")
        ),
    )
    .expect("fixture");
    let signed = proof::sign(&c, &key, &opts).expect("fixture");
    let text = serde_json::to_string_pretty(&signed).expect("fixture");
    std::fs::write(out.join("robotics.json"), format!("{text}\n")).expect("fixture");
    std::fs::write(
        out.join("robotics-tampered.json"),
        format!("{}\n", text.replace("mobile robot", "mobile rocket")),
    )
    .expect("fixture");
    let png = bake::bake_png(
        &std::fs::read("icons/128x128.png").expect("fixture"),
        &signed.to_string(),
    )
    .expect("fixture");
    std::fs::write(out.join("robotics.png"), png).expect("fixture");
    let svg = bake::bake_svg(
        &std::fs::read_to_string("icons/source.svg").expect("fixture"),
        &signed.to_string(),
    )
    .expect("fixture");
    std::fs::write(out.join("robotics.svg"), svg).expect("fixture");
    for (dir, revoked) in [("status-clear", false), ("status-revoked", true)] {
        let mut list = StatusList::new(0);
        list.set(94567, revoked).expect("fixture");
        let lc = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "https://badges.northfield.edu/status/1",
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": did, "validFrom": "2026-06-01T00:00:00Z",
            "credentialSubject": {"id": "https://badges.northfield.edu/status/1#list", "type": "BitstringStatusList",
                "statusPurpose": "revocation", "encodedList": list.encode().expect("fixture")}
        });
        let s = proof::sign(&lc, &key, &opts).expect("fixture");
        std::fs::write(
            out.join(dir).join("1.json"),
            format!("{}\n", serde_json::to_string_pretty(&s).expect("fixture")),
        )
        .expect("fixture");
    }
}
