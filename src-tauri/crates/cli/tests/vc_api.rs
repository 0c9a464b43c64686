//! `credence serve --vc-api`: the requests the W3C VC Data Model 2.0 and Data Integrity EdDSA
//! suites send, over real HTTPS on loopback (the server's own certificate checked), against the
//! demo workspace.

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;

use serde_json::{json, Value};

const TOKEN: &str = "a-test-token-of-some-length";

fn credence(workspace: &Path) -> Command {
    let mut cmd = common::credence(workspace);
    cmd.env("CREDENCE_VC_API_TOKEN", TOKEN);
    cmd
}

/// A TLS client that trusts only the certificate the server wrote.
fn client(certificate: &Path) -> Arc<rustls::ClientConfig> {
    let pem = std::fs::read(certificate).expect("the certificate");
    let mut roots = rustls::RootCertStore::empty();
    for der in rustls::pki_types::pem::PemObject::pem_slice_iter(&pem) {
        roots.add(der.expect("a certificate")).expect("trusted");
    }
    Arc::new(
        rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth(),
    )
}

/// One HTTP/1.1 request over TLS; the status and the JSON body of the answer.
fn call(
    tls: &Arc<rustls::ClientConfig>,
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &Value,
) -> (u16, Value) {
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").expect("a name");
    let connection = rustls::ClientConnection::new(Arc::clone(tls), name).expect("a session");
    let tcp = TcpStream::connect(("127.0.0.1", port)).expect("connected");
    let mut stream = rustls::StreamOwned::new(connection, tcp);
    let text = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    )
    .expect("sent");
    let mut answer = Vec::new();
    // The server closes after its answer; a peer that skips TLS close_notify is not our test.
    match stream.read_to_end(&mut answer) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {}
        Err(e) => panic!("read: {e}"),
    }
    let answer = String::from_utf8_lossy(&answer);
    let status = answer[9..12].parse().expect("a status");
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// The server process and its standard output, held open while it serves: the CLI ends
/// quietly when its output is closed (as under `| head`), so dropping the pipe early would stop
/// the server between the line read and the next one written.
struct Server {
    child: Child,
    _output: BufReader<ChildStdout>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_vc_api_issues_and_verifies_what_the_w3c_suites_send() {
    let dir = tempfile::tempdir().expect("a folder");
    let workspace = dir.path().join("w.credence");
    assert!(credence(&workspace)
        .arg("demo")
        .status()
        .expect("demo")
        .success());
    let awards: Value = serde_json::from_slice(
        &credence(&workspace)
            .args(["credential", "awards", "--json"])
            .output()
            .expect("awards")
            .stdout,
    )
    .expect("json");
    let did = awards[0]["issuer_did"]
        .as_str()
        .expect("the issuer")
        .to_string();

    // Not on a loopback address, or without a token: refused before anything listens.
    let out = credence(&workspace)
        .args(["serve", "--vc-api", "0.0.0.0:0"])
        .output()
        .expect("ran");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a loopback address"));
    let out = credence(&workspace)
        .env("CREDENCE_VC_API_TOKEN", "short")
        .args(["serve", "--vc-api", "127.0.0.1:0"])
        .output()
        .expect("ran");
    assert_eq!(out.status.code(), Some(1));

    let certificate = dir.path().join("server.pem");
    let mut child = credence(&workspace)
        .args(["serve", "--vc-api", "127.0.0.1:0", "--tls-certificate"])
        .arg(&certificate)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("serving");
    let mut output = BufReader::new(child.stdout.take().expect("stdout"));
    let (mut line, mut issuer) = (String::new(), String::new());
    output.read_line(&mut line).expect("the address");
    output.read_line(&mut issuer).expect("the issuer");
    let server = Server {
        child,
        _output: output,
    };
    assert_eq!(issuer.trim(), format!("Credentials are issued by {did}"));
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    assert!(line.starts_with("Serving the VC-API at https://"), "{line}");
    let tls = client(&certificate);
    let post = |path: &str, body: &Value| call(&tls, port, "POST", path, Some(TOKEN), body);

    assert_eq!(call(&tls, port, "GET", "/", None, &Value::Null).0, 401);
    assert_eq!(
        call(
            &tls,
            port,
            "GET",
            "/",
            Some("wrong-token-of-some-length"),
            &Value::Null
        )
        .0,
        401
    );
    let (status, about) = call(&tls, port, "GET", "/", Some(TOKEN), &Value::Null);
    assert_eq!(status, 200);
    assert!(about["description"]
        .as_str()
        .unwrap_or("")
        .contains("/credentials/issue"));

    // The body the VC Data Model 2.0 suite issues with.
    let credential = json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2"
        ],
        "id": "urn:uuid:6b3a2d6e-1b7a-4c3e-9a58-2f6c1e0f4a11",
        "type": ["VerifiableCredential", "ExampleAlumniCredential"],
        "issuer": did,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "alumniOf": "The School of Examples"
        }
    });
    let (status, issued) = post(
        "/credentials/issue",
        &json!({ "credential": credential, "options": {} }),
    );
    assert_eq!(status, 201, "{issued}");
    let vc = issued["verifiableCredential"].clone();
    assert_eq!(vc["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    assert!(vc["proof"]["verificationMethod"]
        .as_str()
        .unwrap_or("")
        .starts_with(&did));

    let (status, report) = post(
        "/credentials/verify",
        &json!({ "verifiableCredential": vc, "options": { "checks": ["proof"] } }),
    );
    assert_eq!(
        (status, report["verified"].as_bool()),
        (200, Some(true)),
        "{report}"
    );
    let mut tampered = vc.clone();
    tampered["credentialSubject"]["alumniOf"] = json!("Another School");
    let (status, report) = post(
        "/credentials/verify",
        &json!({ "verifiableCredential": tampered }),
    );
    assert_eq!(
        (status, report["verified"].as_bool()),
        (400, Some(false)),
        "{report}"
    );

    // The Data Integrity suite's issuer body is a VC 1.1 credential: signed with the Data
    // Integrity context added, and verified; a term no context defines, added after signing,
    // is caught although the signature alone would still hold.
    let v1 = json!({
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "urn:uuid:1a43f3a4-6c14-4374-98c7-71481f4dca0d",
        "type": ["VerifiableCredential"],
        "issuer": did,
        "issuanceDate": "2020-03-16T22:37:26.544Z",
        "credentialSubject": {"id": "did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b"}
    });
    let (status, issued) = post(
        "/credentials/issue",
        &json!({ "credential": v1, "options": {} }),
    );
    assert_eq!(status, 201, "{issued}");
    let vc1 = issued["verifiableCredential"].clone();
    assert_eq!(
        vc1["@context"],
        json!([
            "https://www.w3.org/2018/credentials/v1",
            "https://w3id.org/security/data-integrity/v2"
        ])
    );
    let (status, report) = post(
        "/credentials/verify",
        &json!({ "verifiableCredential": vc1 }),
    );
    assert_eq!(status, 200, "{report}");
    let mut added = vc1.clone();
    added["credentialSubject"]["undefinedTerm"] = json!("added later");
    let (status, report) = post(
        "/credentials/verify",
        &json!({ "verifiableCredential": added }),
    );
    assert_eq!(status, 400, "{report}");
    assert!(report["errors"][0]
        .as_str()
        .unwrap_or("")
        .contains("undefinedTerm"));

    // A presentation as the VC Data Model 2.0 suite sends it: its proof for authentication
    // with the challenge and domain asked for, and the credential it holds.
    let request: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../tests/fixtures/vc-api/presentation-request.json"),
        )
        .expect("the fixture"),
    )
    .expect("json");
    let (status, report) = post("/presentations/verify", &request);
    assert_eq!((status, &report["errors"]), (200, &json!([])), "{report}");
    let mut other_challenge = request.clone();
    other_challenge["options"]["challenge"] = json!("another-challenge");
    let (status, report) = post("/presentations/verify", &other_challenge);
    assert_eq!(status, 400);
    assert!(
        report["errors"].to_string().contains("challenge"),
        "{report}"
    );
    let mut tampered_inside = request.clone();
    tampered_inside["verifiablePresentation"]["verifiableCredential"][0]["credentialSubject"]
        ["id"] = json!("did:example:someone-else");
    let (status, report) = post("/presentations/verify", &tampered_inside);
    assert_eq!(status, 400);
    // Changing what the presentation holds breaks both the presentation's proof and the
    // credential's, each named.
    let errors = report["errors"].to_string();
    assert!(errors.contains("presentation's proof"), "{report}");
    assert!(errors.contains("verifiableCredential[0]"), "{report}");

    // Another issuer, a VC 1.1 credential without its issuance date, a body that is not
    // JSON: refused with 400.
    let mut foreign = credential.clone();
    foreign["issuer"] = json!("did:example:someone-else");
    let (status, _) = post("/credentials/issue", &json!({ "credential": foreign }));
    assert_eq!(status, 400);
    let mut old = credential.clone();
    old["@context"] = json!(["https://www.w3.org/2018/credentials/v1"]); // validFrom, not issuanceDate
    let (status, _) = post("/credentials/issue", &json!({ "credential": old }));
    assert_eq!(status, 400);
    assert_eq!(post("/credentials/issue", &json!("x")).0, 400);
    assert_eq!(
        call(
            &tls,
            port,
            "GET",
            "/credentials/issue",
            Some(TOKEN),
            &Value::Null
        )
        .0,
        405
    );
    assert_eq!(
        call(&tls, port, "GET", "/nothing", Some(TOKEN), &Value::Null).0,
        404
    );
    drop(server);

    // Each credential the endpoint signed is in the audit log, which still holds.
    let out = credence(&workspace)
        .args(["audit", "verify"])
        .output()
        .expect("verified");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let log = credence(&workspace)
        .args(["audit", "list", "--entity", "vc_api"])
        .output()
        .expect("the log");
    let log = String::from_utf8_lossy(&log.stdout);
    assert!(
        log.contains("urn:uuid:6b3a2d6e-1b7a-4c3e-9a58-2f6c1e0f4a11"),
        "{log}"
    );
}
