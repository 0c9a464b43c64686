//! Rough single-thread throughput of signing and verifying the Open Badges example:
//! `cargo run --release -p credence-vc --example throughput [N]`.

use std::time::Instant;

use credence_vc::proof::{self, Cryptosuite, ProofOptions};
use ed25519_dalek::SigningKey;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(500);
    let text = include_str!("../tests/vectors/ob3-1edtech/ob3_1edtech_signed.json");
    let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return eprintln!("the bundled example does not parse");
    };
    if let Some(o) = doc.as_object_mut() {
        o.remove("proof");
    }
    let key = SigningKey::from_bytes(&[7; 32]);
    for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
        let opts = ProofOptions {
            cryptosuite: suite,
            created: "2026-11-23T00:00:00Z".into(),
            verification_method: credence_vc::did_key::verification_method(&key.verifying_key()),
            proof_purpose: "assertionMethod".into(),
        };
        let start = Instant::now();
        let mut signed = Vec::with_capacity(n);
        for _ in 0..n {
            match proof::sign(&doc, &key, &opts) {
                Ok(s) => signed.push(s),
                Err(e) => return eprintln!("sign: {e}"),
            }
        }
        let sign_rate = n as f64 / start.elapsed().as_secs_f64();
        let start = Instant::now();
        for s in &signed {
            if let Err(e) = proof::verify(s) {
                return eprintln!("verify: {e}");
            }
        }
        let verify_rate = n as f64 / start.elapsed().as_secs_f64();
        println!(
            "{}: {sign_rate:.0} signs/s, {verify_rate:.0} verifies/s ({n} credentials, one thread)",
            suite.name()
        );
    }
}
