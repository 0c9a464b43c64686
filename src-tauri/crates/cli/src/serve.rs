//! `credence serve --vc-api ADDR`: the W3C VC-API over HTTP on a loopback address, for the
//! W3C interoperability suites. The requests are answered by `credence_app::issuing::vc_api`;
//! this file only carries them: the address check, the bearer token, bounded bodies, routes.

use std::io::Read as _;
use std::net::SocketAddr;

use credence_app::domain::Id;
use credence_app::issuing::vc_api::{Reply, MAX_BODY};
use credence_app::{AppError, Workspace};

use crate::review::issuer_passphrase;

const DESCRIPTION: &str = "Credence VC-API: POST /credentials/issue ({credential, options} -> {verifiableCredential}, eddsa-rdfc-2022, did:key), POST /credentials/verify ({verifiableCredential, options} -> {verified, checks, warnings, errors}). Every request needs Authorization: Bearer <CREDENCE_VC_API_TOKEN>.";

pub fn vc_api(ws: &Workspace, by: Option<Id>, addr: SocketAddr) -> Result<(), AppError> {
    if !addr.ip().is_loopback() {
        return Err(AppError::field(
            "vc-api",
            format!(
                "{addr} is not a loopback address: the VC-API is served on 127.0.0.1 or ::1 only"
            ),
        ));
    }
    let token = std::env::var("CREDENCE_VC_API_TOKEN").unwrap_or_default();
    if token.trim().chars().count() < 16 {
        return Err(AppError::field(
            "vc-api",
            "set CREDENCE_VC_API_TOKEN to a secret of 16 characters or more; requests must bring it as Authorization: Bearer <token>",
        ));
    }
    ws.unlock_issuer(&issuer_passphrase()?)?;
    let server = tiny_http::Server::http(addr)
        .map_err(|e| AppError::field("vc-api", format!("cannot listen on {addr} ({e})")))?;
    let bound = server
        .server_addr()
        .to_ip()
        .map_or_else(|| addr.to_string(), |a| a.to_string());
    say!("Serving the VC-API at http://{bound}/ (Ctrl-C stops it)");
    let expected = format!("Bearer {}", token.trim());
    for mut request in server.incoming_requests() {
        let authorized = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Authorization"))
            .is_some_and(|h| same(h.value.as_str().trim(), &expected));
        let reply = if !authorized {
            json(
                401,
                serde_json::json!({ "message": "Authorization: Bearer <token> is required" }),
            )
        } else {
            let url = request.url().split('?').next().unwrap_or("").to_string();
            match (request.method(), url.as_str()) {
                (tiny_http::Method::Get, "/") => json(
                    200,
                    serde_json::json!({ "name": "Credence", "description": DESCRIPTION }),
                ),
                (tiny_http::Method::Post, "/credentials/issue" | "/credentials/verify") => {
                    let mut body = Vec::new();
                    let read = request
                        .as_reader()
                        .take(MAX_BODY as u64 + 1)
                        .read_to_end(&mut body);
                    match read {
                        Err(e) => json(
                            400,
                            serde_json::json!({ "message": format!("the request body could not be read ({e})") }),
                        ),
                        Ok(_) if url == "/credentials/issue" => {
                            to_response(ws.vc_api_issue(by, &body))
                        }
                        Ok(_) => to_response(ws.vc_api_verify(&body)),
                    }
                }
                (_, "/" | "/credentials/issue" | "/credentials/verify") => {
                    json(405, serde_json::json!({ "message": "method not allowed" }))
                }
                _ => json(404, serde_json::json!({ "message": "not found" })),
            }
        };
        // A client gone before its answer is its own affair; the server goes on.
        let _ = request.respond(reply);
    }
    ws.lock_issuer();
    Ok(())
}

/// Compares a presented credential with the expected one in time independent of where they
/// differ.
fn same(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn to_response(reply: Reply) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    json(reply.status, reply.body)
}

fn json(status: u16, body: serde_json::Value) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    let mut response = tiny_http::Response::from_data(bytes).with_status_code(status);
    if let Ok(header) = tiny_http::Header::from_bytes("Content-Type", "application/json") {
        response.add_header(header);
    }
    response
}
