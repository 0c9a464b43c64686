//! `credence serve --vc-api ADDR`: the W3C VC-API over HTTPS on a loopback address, for the
//! W3C interoperability suites. The requests are answered by `credence_app::issuing::vc_api`;
//! this file only carries them: the address check, a certificate made at start, the bearer
//! token, bounded bodies, routes.
//!
//! HTTPS because the suites' HTTPS client is the one that sends an endpoint's configured
//! headers (the token) and reads the VC-API's `{verifiableCredential}` reply; their plain-HTTP
//! path does neither. hyper serves HTTP/1.1 over rustls (ring); the certificate is self-signed
//! for `127.0.0.1`, `::1` and `localhost`, new at each start, and can be written out for
//! clients that check it.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use credence_app::domain::Id;
use credence_app::issuing::vc_api::{Reply, MAX_BODY};
use credence_app::{AppError, Workspace};
use http_body_util::{BodyExt as _, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};

use crate::review::issuer_passphrase;

const DESCRIPTION: &str = "Credence VC-API: POST /credentials/issue ({credential, options} -> {verifiableCredential}, eddsa-rdfc-2022, did:key), POST /credentials/verify ({verifiableCredential, options} -> {verified, checks, warnings, errors}), POST /presentations/verify ({verifiablePresentation, options} -> the same). Every request needs Authorization: Bearer <CREDENCE_VC_API_TOKEN>.";

/// How long a client may take to finish its TLS handshake or send a request's headers.
const PATIENCE: Duration = Duration::from_secs(10);

struct Served {
    ws: Workspace,
    by: Option<Id>,
    expected: String,
}

pub fn vc_api(
    ws: Workspace,
    by: Option<Id>,
    addr: SocketAddr,
    certificate_out: Option<&Path>,
) -> Result<(), AppError> {
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
    let did = ws.issuer_did_document()?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let tls = certificate()?;
    if let Some(path) = certificate_out {
        credence_app::kernel::exports::write_whole(path, tls.pem.as_bytes()).map_err(|e| {
            AppError::field(
                "tls-certificate",
                format!("cannot write {} ({e})", path.display()),
            )
        })?;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::field("vc-api", format!("cannot start the server ({e})")))?;
    let served = Arc::new(Served {
        ws,
        by,
        expected: format!("Bearer {}", token.trim()),
    });
    runtime.block_on(listen(served, addr, tls, &did))
}

struct Tls {
    config: rustls::ServerConfig,
    pem: String,
    fingerprint: String,
}

/// A self-signed certificate for the loopback names, and the TLS configuration serving it.
fn certificate() -> Result<Tls, AppError> {
    let failed = |e: String| AppError::field("vc-api", format!("cannot make a certificate ({e})"));
    let names = ["127.0.0.1", "::1", "localhost"].map(String::from).to_vec();
    let made = rcgen::generate_simple_self_signed(names).map_err(|e| failed(e.to_string()))?;
    let der = made.cert.der().clone();
    let fingerprint = {
        use sha2::{Digest as _, Sha256};
        Sha256::digest(&der)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(made.signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| failed(e.to_string()))?
    .with_no_client_auth()
    .with_single_cert(vec![der], key)
    .map_err(|e| failed(e.to_string()))?;
    Ok(Tls {
        config,
        pem: made.cert.pem(),
        fingerprint,
    })
}

async fn listen(
    served: Arc<Served>,
    addr: SocketAddr,
    tls: Tls,
    did: &str,
) -> Result<(), AppError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| AppError::field("vc-api", format!("cannot listen on {addr} ({e})")))?;
    let bound = listener.local_addr().unwrap_or(addr);
    say!(
        "Serving the VC-API at https://{bound}/ (certificate SHA-256 {}; Ctrl-C stops it)",
        tls.fingerprint
    );
    say!("Credentials are issued by {did}");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls.config));
    loop {
        // A connection that fails to arrive is the client's affair; the server goes on.
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let acceptor = acceptor.clone();
        let served = Arc::clone(&served);
        tokio::spawn(async move {
            let Ok(Ok(stream)) = tokio::time::timeout(PATIENCE, acceptor.accept(tcp)).await else {
                return;
            };
            let service = hyper::service::service_fn(move |request| {
                let served = Arc::clone(&served);
                async move { Ok::<_, Infallible>(answer(&served, request).await) }
            });
            // A client gone before its answer is its own affair too.
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(PATIENCE)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(served: &Served, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let authorized = request
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| same(v.trim(), &served.expected));
    if !authorized {
        return json(
            401,
            &serde_json::json!({ "message": "Authorization: Bearer <token> is required" }),
        );
    }
    let path = request.uri().path().to_string();
    let method = request.method().clone();
    match (method, path.as_str()) {
        (Method::GET, "/") => json(
            200,
            &serde_json::json!({ "name": "Credence", "description": DESCRIPTION }),
        ),
        (Method::POST, "/credentials/issue" | "/credentials/verify" | "/presentations/verify") => {
            let body = match Limited::new(request.into_body(), MAX_BODY + 1)
                .collect()
                .await
            {
                Ok(collected) => collected.to_bytes(),
                Err(e) if e.is::<LengthLimitError>() => {
                    return json(
                        413,
                        &serde_json::json!({ "message": "the request body is larger than 1 MB" }),
                    )
                }
                Err(e) => {
                    return json(
                        400,
                        &serde_json::json!({ "message": format!("the request body could not be read ({e})") }),
                    )
                }
            };
            let reply = match path.as_str() {
                "/credentials/issue" => served.ws.vc_api_issue(served.by, &body),
                "/credentials/verify" => served.ws.vc_api_verify(&body),
                _ => served.ws.vc_api_verify_presentation(&body),
            };
            to_response(reply)
        }
        (_, "/" | "/credentials/issue" | "/credentials/verify" | "/presentations/verify") => {
            json(405, &serde_json::json!({ "message": "method not allowed" }))
        }
        _ => json(404, &serde_json::json!({ "message": "not found" })),
    }
}

/// Compares a presented credential with the expected one in time independent of where they
/// differ.
fn same(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn to_response(reply: Reply) -> Response<Full<Bytes>> {
    json(reply.status, &reply.body)
}

fn json(status: u16, body: &serde_json::Value) -> Response<Full<Bytes>> {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}
