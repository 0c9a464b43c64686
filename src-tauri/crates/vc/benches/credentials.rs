//! Signing and verifying one Credence credential (the demo's, with its badge image inside):
//! `cargo bench -p credence-vc`. The `credence bench credentials` command measures the same
//! over 100,000 credentials with memory.

use credence_vc::credential::Credential;
use credence_vc::proof::{self, Cryptosuite, ProofOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use ed25519_dalek::SigningKey;

fn options(key: &SigningKey, suite: Cryptosuite) -> ProofOptions {
    ProofOptions {
        cryptosuite: suite,
        created: "2026-11-23T10:00:00Z".into(),
        verification_method: credence_vc::did_key::verification_method(&key.verifying_key()),
        proof_purpose: "assertionMethod".into(),
    }
}

fn bench(c: &mut Criterion) {
    let value: serde_json::Value =
        serde_json::from_str(include_str!("credential.json")).unwrap_or_default();
    let Some(mut credential) = Credential::from_exact(&value) else {
        return eprintln!("benches/credential.json is not of Credence's shape");
    };
    let key = SigningKey::from_bytes(&[7; 32]);
    credential.issuer.id = credence_vc::did_key::did(&key.verifying_key());
    for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
        let opts = options(&key, suite);
        c.bench_function(&format!("sign {}", suite.name()), |b| {
            b.iter(|| proof::sign_credential(&credential, &key, &opts))
        });
        let Ok(signed) = proof::sign_credential(&credential, &key, &opts) else {
            return eprintln!("the benchmark credential does not sign");
        };
        let bytes = serde_json::to_vec(&signed).unwrap_or_default();
        let now = chrono::Utc::now();
        c.bench_function(&format!("verify {} (whole report)", suite.name()), |b| {
            b.iter(|| credence_vc::verify::verify(&bytes, now, &|_| None))
        });
    }
    // The general JSON-LD path, for comparison: what every credential cost before.
    let opts = options(&key, Cryptosuite::EddsaRdfc2022);
    let document = credential.to_value();
    c.bench_function("sign eddsa-rdfc-2022 through JSON-LD expansion", |b| {
        b.iter(|| proof::sign(&document, &key, &opts))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
