//! `credence serve --vc-api`: the requests the W3C VC Data Model 2.0 and Data Integrity EdDSA
//! suites send, over real HTTP on loopback, against the demo workspace.

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

const TOKEN: &str = "a-test-token-of-some-length";

fn credence(workspace: &Path) -> Command {
    let mut cmd = common::credence(workspace);
    cmd.env("CREDENCE_VC_API_TOKEN", TOKEN);
    cmd
}

/// One HTTP/1.1 request; the status and the JSON body of the answer.
fn call(port: u16, method: &str, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connected");
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
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answered");
    let status = answer[9..12].parse().expect("a status");
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
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

    let mut child = credence(&workspace)
        .args(["serve", "--vc-api", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("serving");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the address");
    let server = Server(child);
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));

    assert_eq!(call(port, "GET", "/", None, &Value::Null).0, 401);
    assert_eq!(
        call(
            port,
            "GET",
            "/",
            Some("wrong-token-of-some-length"),
            &Value::Null
        )
        .0,
        401
    );
    let (status, about) = call(port, "GET", "/", Some(TOKEN), &Value::Null);
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
    let (status, issued) = call(
        port,
        "POST",
        "/credentials/issue",
        Some(TOKEN),
        &json!({ "credential": credential, "options": {} }),
    );
    assert_eq!(status, 201, "{issued}");
    let vc = issued["verifiableCredential"].clone();
    assert_eq!(vc["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    assert!(vc["proof"]["verificationMethod"]
        .as_str()
        .unwrap_or("")
        .starts_with(&did));

    let (status, report) = call(
        port,
        "POST",
        "/credentials/verify",
        Some(TOKEN),
        &json!({ "verifiableCredential": vc, "options": { "checks": ["proof"] } }),
    );
    assert_eq!(
        (status, report["verified"].as_bool()),
        (200, Some(true)),
        "{report}"
    );
    let mut tampered = vc.clone();
    tampered["credentialSubject"]["alumniOf"] = json!("Another School");
    let (status, report) = call(
        port,
        "POST",
        "/credentials/verify",
        Some(TOKEN),
        &json!({ "verifiableCredential": tampered }),
    );
    assert_eq!(
        (status, report["verified"].as_bool()),
        (400, Some(false)),
        "{report}"
    );

    // Another issuer, a VC 1.1 context, a body that is not JSON: refused with 400.
    let mut foreign = credential.clone();
    foreign["issuer"] = json!("did:example:someone-else");
    let (status, _) = call(
        port,
        "POST",
        "/credentials/issue",
        Some(TOKEN),
        &json!({ "credential": foreign }),
    );
    assert_eq!(status, 400);
    let mut old = credential.clone();
    old["@context"] = json!(["https://www.w3.org/2018/credentials/v1"]);
    let (status, _) = call(
        port,
        "POST",
        "/credentials/issue",
        Some(TOKEN),
        &json!({ "credential": old }),
    );
    assert_eq!(status, 400);
    assert_eq!(
        call(port, "POST", "/credentials/issue", Some(TOKEN), &json!("x")).0,
        400
    );
    assert_eq!(
        call(port, "GET", "/credentials/issue", Some(TOKEN), &Value::Null).0,
        405
    );
    assert_eq!(
        call(port, "GET", "/nothing", Some(TOKEN), &Value::Null).0,
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
