//! The layer in front of every route: records the request, counts concurrency, strips the
//! `/_fault/<spec>` prefix and applies the faults the spec asks for.

use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;

use crate::{AppState, Recorded, error_response, pages};

const PREFIX: &str = "/_fault/";

/// Faults requested for one request. Handlers read `empty` from the request extensions;
/// the rest is applied here.
#[derive(Debug, Clone, Default)]
pub(crate) struct Faults {
    status: Option<StatusCode>,
    delay: Option<Duration>,
    truncate: bool,
    malformed: bool,
    logged_out: bool,
    /// Answer 200 with a valid but empty result.
    pub(crate) empty: bool,
    /// The translate bootstrap answers 200 without its cookie.
    pub(crate) no_translate_cookie: bool,
    /// The translate bootstrap answers 503 this many times, then mints.
    pub(crate) bootstrap_fail: usize,
    /// The translate `/api/<route>` named here answers 503 (the others work).
    pub(crate) translate_fail: Option<String>,
}

impl Faults {
    /// Parses `status=503,delay=100,truncate`; the error names the offending item.
    pub(crate) fn parse(spec: &str) -> Result<Faults, String> {
        let mut f = Faults::default();
        for item in spec.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            match item.split_once('=') {
                Some(("status", v)) => {
                    let status = v
                        .parse::<u16>()
                        .ok()
                        .and_then(|n| StatusCode::from_u16(n).ok())
                        .ok_or_else(|| format!("bad status in fault spec item '{item}'"))?;
                    f.status = Some(status);
                }
                Some(("delay", v)) => {
                    let ms = v
                        .parse::<u64>()
                        .map_err(|_| format!("bad milliseconds in fault spec item '{item}'"))?;
                    f.delay = Some(Duration::from_millis(ms));
                }
                Some(("bootstrap-fail", v)) => {
                    f.bootstrap_fail = v
                        .parse::<usize>()
                        .map_err(|_| format!("bad count in fault spec item '{item}'"))?;
                }
                Some(("translate-fail", v)) => f.translate_fail = Some(v.to_string()),
                None if item == "no-translate-cookie" => f.no_translate_cookie = true,
                None if item == "truncate" => f.truncate = true,
                None if item == "malformed" => f.malformed = true,
                None if item == "logged-out" => f.logged_out = true,
                None if item == "empty" => f.empty = true,
                _ => {
                    return Err(format!(
                        "unknown fault spec item '{item}' (known: status=NNN, delay=MS, truncate, malformed, logged-out, empty, no-translate-cookie, bootstrap-fail=N, translate-fail=ROUTE[:STATUS|:html])"
                    ));
                }
            }
        }
        Ok(f)
    }
}

/// Splits `/_fault/<spec>/<rest>` into `(spec, /rest)`; other paths have no spec.
fn split_prefix(path: &str) -> (Option<&str>, String) {
    match path.strip_prefix(PREFIX) {
        Some(rest) => match rest.find('/') {
            Some(i) => (Some(&rest[..i]), rest[i..].to_string()),
            None => (Some(rest), "/".to_string()),
        },
        None => (None, path.to_string()),
    }
}

/// Middleware run for every request, before routing.
pub(crate) async fn front(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let _in_flight = state.enter();
    let (mut parts, body) = req.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let (spec, path) = split_prefix(parts.uri.path());
    let query = parts.uri.query().map(str::to_string);

    state.log.lock().unwrap().push(Recorded {
        method: parts.method.to_string(),
        path: path.clone(),
        query: Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map(|q| q.0)
            .unwrap_or_default(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
                (k.as_str().to_string(), v)
            })
            .collect(),
        body: body.to_vec(),
        arrived: state.started.elapsed(),
    });

    let faults = match Faults::parse(spec.unwrap_or("")) {
        Ok(f) => f,
        Err(msg) => return (StatusCode::BAD_REQUEST, msg).into_response(),
    };

    // Route on the real path, as if the client had used the plain base URL.
    let target = match &query {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    parts.uri = target
        .parse::<Uri>()
        .unwrap_or_else(|_| Uri::from_static("/"));
    parts.extensions.insert(faults.clone());

    if let Some(delay) = faults.delay {
        tokio::time::sleep(delay).await;
    }

    let mut resp = match faults.status {
        Some(status) if !status.is_success() => {
            error_response(&path, status, canned_message(status))
        }
        _ if faults.logged_out => pages::logged_out(),
        _ if faults.malformed => malformed(&path),
        status => {
            let mut resp = next.run(Request::from_parts(parts, Body::from(body))).await;
            // A 2xx status fault keeps the real body: "unexpected 2xx" handling can be tested.
            if let Some(status) = status {
                *resp.status_mut() = status;
            }
            resp
        }
    };
    if faults.truncate {
        resp = truncate(resp).await;
    }
    resp
}

/// What Kagi tends to say for a given status.
fn canned_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "Invalid token",
        402 => "Insufficient credit to perform this request.",
        403 => "Forbidden",
        404 => "Not found",
        429 => "Rate limited. Retry later.",
        500..=599 => "Internal server error. Please try again later.",
        _ => "Request failed",
    }
}

/// A 200 whose body cannot be parsed as what the route normally returns.
fn malformed(path: &str) -> Response {
    if path.starts_with("/api/v1/smallweb") {
        let xml = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>Broken";
        ([(header::CONTENT_TYPE, "application/atom+xml")], xml).into_response()
    } else if path.starts_with("/api/") {
        let json =
            r#"{"meta":{"id":"mock","node":"mock","ms":1},"data":[{"t":0,"url":"https://exa"#;
        ([(header::CONTENT_TYPE, "application/json")], json).into_response()
    } else {
        // Not HTML at all: binary junk that is also invalid UTF-8.
        let junk: &[u8] = b"\xff\xfe\x00garbage<<<\x80\x81>>>{{not html";
        (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            junk.to_vec(),
        )
            .into_response()
    }
}

/// Sends half of the body under a Content-Length for all of it, then drops the connection.
async fn truncate(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let full = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let sent = full.slice(..full.len() / 2);
    // An empty or one-byte body still has to be declared longer than what is sent.
    let declared = full.len().max(sent.len() + 64);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(declared));
    // Pause before failing the body so hyper flushes the first half, then the stream error
    // makes hyper abort the connection short of the declared length.
    let chunks = futures_util::stream::iter([Ok::<Bytes, std::io::Error>(sent)]).chain(
        futures_util::stream::once(async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            Err(std::io::Error::other("kagi-mock: truncated body"))
        }),
    );
    Response::from_parts(parts, Body::from_stream(chunks))
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn parses_specs() {
        let f = Faults::parse("status=503,delay=20,truncate,empty").unwrap();
        assert_eq!(f.status, Some(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(f.delay, Some(Duration::from_millis(20)));
        assert!(f.truncate && f.empty && !f.malformed && !f.logged_out);
        assert!(Faults::parse("bogus").unwrap_err().contains("'bogus'"));
        assert!(
            Faults::parse("status=abc")
                .unwrap_err()
                .contains("status=abc")
        );
    }

    #[test]
    fn parses_the_translate_bootstrap_faults() {
        let f = Faults::parse("bootstrap-fail=2,no-translate-cookie").unwrap();
        assert_eq!(f.bootstrap_fail, 2);
        assert!(f.no_translate_cookie);
        assert!(
            Faults::parse("bootstrap-fail=x")
                .unwrap_err()
                .contains("bootstrap-fail=x")
        );
    }

    #[test]
    fn splits_prefix() {
        assert_eq!(
            split_prefix("/_fault/status=503/api/v0/search"),
            (Some("status=503"), "/api/v0/search".to_string())
        );
        assert_eq!(split_prefix("/_fault/empty"), (Some("empty"), "/".into()));
        assert_eq!(split_prefix("/html/search"), (None, "/html/search".into()));
    }
}
