//! `kagi mcp --http ADDR`: the same tools over MCP's Streamable HTTP
//! transport (rmcp's server), so one running kagi can serve several agents.
//!
//! Every request must carry `Authorization: Bearer <token>`: kagi generates a
//! random token at start and prints it with the URL on stderr, or takes it
//! from `KAGI_MCP_TOKEN` (then it is not printed). Anything else gets 401
//! before it reaches the MCP layer. The server binds to loopback unless
//! `--allow-remote` is given, because whoever reaches it with the token uses
//! the user's Kagi credentials.
//!
//! The HTTP stack is hyper's HTTP/1 server alone (already in the tree under
//! reqwest): one route and one check need no router framework.

use super::KagiTools;
use crate::error::{Error, Result};
use crate::log;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use rmcp::ServerHandler;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use sha2::{Digest, Sha256};
use std::convert::Infallible;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;

/// The variable that supplies the bearer token instead of a generated one.
pub const TOKEN_VAR: &str = "KAGI_MCP_TOKEN";
/// The one path the MCP endpoint answers on.
pub const PATH: &str = "/mcp";

/// `kagi mcp --http ADDR`: serves `server` on `addr` until the process is
/// stopped, after saying on stderr where and with which token.
pub fn run(
    runtime: &tokio::runtime::Runtime,
    server: KagiTools,
    addr: &str,
    allow_remote: bool,
) -> Result<()> {
    let addr = listen_addr(addr, allow_remote)?;
    let (token, from_env) = token()?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "kagi mcp: warning: listening on {addr}, which other machines can reach: anyone with the token can use your Kagi credentials, and plain HTTP shows the token to the network (put a TLS proxy in front)"
        );
    }
    if from_env {
        eprintln!("kagi mcp: using the bearer token in {TOKEN_VAR}");
    } else {
        eprintln!(
            "kagi mcp: bearer token: {token} (send `Authorization: Bearer <token>`; set {TOKEN_VAR} to choose it)"
        );
    }
    runtime.block_on(serve(
        move || server.clone(),
        addr,
        allow_remote,
        token,
        |bound| eprintln!("kagi mcp: listening on http://{bound}{PATH} (MCP Streamable HTTP)"),
    ))
}

/// Where to listen: `addr` resolved, refused when it is not loopback and
/// `allow_remote` is off.
pub fn listen_addr(addr: &str, allow_remote: bool) -> Result<SocketAddr> {
    let resolved: Vec<SocketAddr> = addr
        .to_socket_addrs()
        .map_err(|e| Error::Usage(format!("--http `{addr}` is not an address to listen on (HOST:PORT, e.g. 127.0.0.1:8765): {e}")))?
        .collect();
    let first = *resolved
        .first()
        .ok_or_else(|| Error::Usage(format!("--http `{addr}` resolves to no address")))?;
    if !allow_remote && !resolved.iter().all(|a| a.ip().is_loopback()) {
        return Err(Error::Usage(format!(
            "--http {addr} is not a loopback address: other machines could reach the server and use your Kagi credentials with the token; pass --allow-remote if that is what you want"
        )));
    }
    Ok(first)
}

/// The bearer token: `KAGI_MCP_TOKEN` when set (and whether it came from
/// there), else 32 random bytes in hex.
pub fn token() -> Result<(String, bool)> {
    if let Ok(value) = std::env::var(TOKEN_VAR)
        && !value.trim().is_empty()
    {
        return Ok((value.trim().to_string(), true));
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Config(format!("cannot generate the MCP bearer token: {e}")))?;
    Ok((hex::encode(bytes), false))
}

/// Whether `header` (the request's Authorization value) is `Bearer <token>`,
/// compared in constant time (over digests, so the length leaks nothing either).
fn authorized(header: Option<&[u8]>, token: &str) -> bool {
    // The scheme is case-insensitive (RFC 9110); the token is not.
    let Some(given) = header
        .filter(|h| h.len() > 7 && h[..7].eq_ignore_ascii_case(b"bearer "))
        .map(|h| &h[7..])
    else {
        return false;
    };
    let (a, b) = (Sha256::digest(given), Sha256::digest(token.as_bytes()));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

type Body = BoxBody<Bytes, Infallible>;

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())).boxed());
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        "text/plain; charset=utf-8".parse().expect("valid"),
    );
    response
}

/// Serves `new_handler()`'s tools at `http://<addr>/mcp` until the process is
/// stopped. `on_listening` is told the bound address (for the stderr lines).
pub async fn serve<S>(
    new_handler: impl Fn() -> S + Send + Sync + 'static,
    addr: SocketAddr,
    allow_remote: bool,
    token: String,
    on_listening: impl FnOnce(SocketAddr),
) -> Result<()>
where
    S: ServerHandler + Send + 'static,
{
    let mut config = StreamableHttpServerConfig::default();
    if allow_remote {
        // Clients name this machine however they reach it; the token guards it.
        config = config.disable_allowed_hosts();
    }
    let service: StreamableHttpService<S, LocalSessionManager> =
        StreamableHttpService::new(move || Ok(new_handler()), Default::default(), config);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Config(format!("cannot listen on {addr}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| Error::Config(format!("cannot listen on {addr}: {e}")))?;
    on_listening(bound);
    let token: Arc<str> = token.into();
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            continue;
        };
        let service = service.clone();
        let token = token.clone();
        tokio::spawn(async move {
            let handle = hyper::service::service_fn(move |request: Request<Incoming>| {
                let mut service = service.clone();
                let token = token.clone();
                async move {
                    let auth = request
                        .headers()
                        .get(hyper::header::AUTHORIZATION)
                        .map(|v| v.as_bytes());
                    if !authorized(auth, &token) {
                        log::debug(&format!(
                            "mcp: refused a request from {peer} without the right bearer token"
                        ));
                        let mut r =
                            plain(StatusCode::UNAUTHORIZED, "missing or wrong bearer token\n");
                        r.headers_mut().insert(
                            hyper::header::WWW_AUTHENTICATE,
                            "Bearer".parse().expect("valid"),
                        );
                        return Ok::<_, Infallible>(r);
                    }
                    if request.uri().path() != PATH {
                        return Ok(plain(StatusCode::NOT_FOUND, "the MCP endpoint is /mcp\n"));
                    }
                    tower_service::Service::call(&mut service, request).await
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), handle)
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_bearer_token_is_authorized() {
        let t = "0123456789abcdef";
        assert!(authorized(Some(b"Bearer 0123456789abcdef"), t));
        assert!(authorized(Some(b"bearer 0123456789abcdef"), t));
        for wrong in [
            &b"Bearer 0123456789abcdeF"[..],
            b"Bearer 0123456789abcde",
            b"0123456789abcdef",
            b"Bearer ",
            b"Basic 0123456789abcdef",
        ] {
            assert!(
                !authorized(Some(wrong), t),
                "{}",
                String::from_utf8_lossy(wrong)
            );
        }
        assert!(!authorized(None, t));
    }

    #[test]
    fn a_non_loopback_address_needs_allow_remote() {
        assert_eq!(listen_addr("127.0.0.1:0", false).unwrap().port(), 0);
        assert!(listen_addr("[::1]:0", false).is_ok());
        let e = listen_addr("0.0.0.0:8765", false).unwrap_err();
        assert!(e.to_string().contains("pass --allow-remote"), "{e}");
        assert!(listen_addr("0.0.0.0:8765", true).is_ok());
        assert!(matches!(
            listen_addr("nonsense", false),
            Err(Error::Usage(_))
        ));
    }
}
