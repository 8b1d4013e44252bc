//! HTTP through the host: a request builder, responses, the status-to-error
//! rules Kagi's surfaces follow, and concurrent requests.
//!
//! The host resolves base URLs and attaches credentials; a plugin only says which
//! [`Service`], which path and which [`Credential`].

use crate::bindings::kagi::plugin::http as wit;
use crate::{Credential, Error};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Paid-API answers: credit, rate-limit and HTML-page refusals worded once.
mod api_json;
/// Request accessors for unit tests, and the cache key.
mod inspect;

pub use api_json::{ApiMeta, decode_api_json};

pub use wit::Method;

/// The value to put in a JSON body where the translate session belongs, in a
/// request with [`Credential::Translate`]: the host replaces this JSON string
/// with the session it minted (the plugin never sees the value), e.g.
/// `json!({"text": "Bonjour", "session_token": TRANSLATE_SESSION_PLACEHOLDER})`.
pub const TRANSLATE_SESSION_PLACEHOLDER: &str = "{{kagi:translate_session}}";

/// A Kagi service, named by the host's table of services; the host resolves
/// its base URL (e.g. KAGI_NEWS_BASE_URL or the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// kagi.com (KAGI_BASE_URL).
    Kagi,
    /// news.kagi.com (KAGI_NEWS_BASE_URL).
    News,
    /// translate.kagi.com (KAGI_TRANSLATE_BASE_URL).
    Translate,
    /// Another service by name, for services newer than this SDK; a host
    /// that does not know it denies the request.
    Named(&'static str),
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::Kagi => "kagi",
            Service::News => "news",
            Service::Translate => "translate",
            Service::Named(name) => name,
        }
    }
}

/// Which timeouts apply to a request (see the wire protocol).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeoutClass {
    /// 20 s in total: search pages and the Search API.
    Search,
    /// 30 s in total: everything else (the default).
    Standard,
    /// No total, 120 s between reads: streamed answers.
    Streaming,
    /// Explicit limits: a total (none: no total) and, without a total, the
    /// longest wait between reads (none: 120 s).
    Limits {
        total: Option<std::time::Duration>,
        idle: Option<std::time::Duration>,
    },
}

impl TimeoutClass {
    fn into_wit(self) -> wit::Timeout {
        let ms = |d: std::time::Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        let class = |name: &str| wit::Timeout::Class(name.to_string());
        match self {
            TimeoutClass::Search => class("search"),
            TimeoutClass::Standard => class("standard"),
            TimeoutClass::Streaming => class("streaming"),
            TimeoutClass::Limits { total, idle } => wit::Timeout::Limits(wit::TimeoutLimits {
                total_ms: total.map(ms),
                idle_ms: idle.map(ms),
            }),
        }
    }
}

/// A request to build and send.
#[derive(Debug, Clone)]
pub struct Request {
    /// The service as the plugin named it (none for an absolute URL); its
    /// Debug form is what plugins' unit tests look at.
    service: Option<Service>,
    inner: wit::Request,
}

impl Request {
    pub fn new(method: Method, service: Service, path: &str) -> Self {
        Request {
            service: Some(service),
            inner: wit::Request {
                method,
                target: wit::Target::Service(service.name().to_string()),
                path: path.to_string(),
                query: Vec::new(),
                headers: Vec::new(),
                body: None,
                credential: None,
                timeout: TimeoutClass::Standard.into_wit(),
                follow_redirects: true,
            },
        }
    }

    pub fn get(service: Service, path: &str) -> Self {
        Self::new(Method::Get, service, path)
    }

    pub fn post(service: Service, path: &str) -> Self {
        Self::new(Method::Post, service, path)
    }

    /// A request to an absolute URL on a host the plugin was granted. Never
    /// carries a credential.
    pub fn url(method: Method, url: &str) -> Self {
        let mut r = Self::new(method, Service::Kagi, "");
        r.inner.target = wit::Target::Url(url.to_string());
        r.service = None;
        r
    }

    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.inner.query.push((name.to_string(), value.into()));
        self
    }

    /// Adds the pair only when `value` is some.
    pub fn query_opt(self, name: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.inner
            .headers
            .push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, bytes: Vec<u8>) -> Self {
        self.inner.body = Some(wit::Body::Bytes(bytes));
        self
    }

    /// A multipart/form-data body; the host builds it and sets its
    /// Content-Type (with the boundary it picks).
    pub fn multipart(mut self, parts: Vec<crate::multipart::Part>) -> Self {
        let parts = parts.into_iter().map(|p| p.inner).collect();
        self.inner.body = Some(wit::Body::Multipart(parts));
        self
    }

    /// A JSON body with `content-type: application/json`.
    pub fn json<T: Serialize>(self, value: &T) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(value)?;
        Ok(self.header("content-type", "application/json").body(bytes))
    }

    /// A form body (`application/x-www-form-urlencoded`).
    pub fn form<'a>(self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.header("content-type", "application/x-www-form-urlencoded")
            .body(body.into_bytes())
    }

    pub fn credential(mut self, credential: Credential) -> Self {
        self.inner.credential = Some(credential);
        self
    }

    pub fn timeout(mut self, class: TimeoutClass) -> Self {
        self.inner.timeout = class.into_wit();
        self
    }

    pub fn no_redirects(mut self) -> Self {
        self.inner.follow_redirects = false;
        self
    }

    /// Sends and waits for the response head.
    pub fn send(&self) -> Result<Response, Error> {
        wit::send(&self.inner)
            .map(Response::new)
            .map_err(transport_error)
    }

    /// Starts the request in the host and returns at once.
    pub fn start(&self) -> Pending {
        Pending {
            inner: Some(wit::start(&self.inner)),
        }
    }
}

/// A request in flight.
pub struct Pending {
    inner: Option<wit::Pending>,
}

impl Pending {
    /// Whether [`wait`](Self::wait) would return without blocking.
    pub fn ready(&self) -> bool {
        self.inner.as_ref().is_none_or(|p| p.ready())
    }

    /// Waits for the response head.
    pub fn wait(mut self) -> Result<Response, Error> {
        let pending = self.inner.take().expect("pending request waited twice");
        pending.wait().map(Response::new).map_err(transport_error)
    }
}

/// Blocks until one of `pending` is ready and returns its index. For
/// schedulers that start requests themselves; [`send_all`] covers the
/// common case.
pub fn wait_any(pending: &[&Pending]) -> usize {
    wait_any_within(pending, None).expect("a wait without a time limit ends with a ready request")
}

/// Like [`wait_any`], but returns none once `within` passed with no request
/// ready (the host waits; no polling). `None` waits as long as the plugin's
/// time limit allows.
pub fn wait_any_within(pending: &[&Pending], within: Option<std::time::Duration>) -> Option<usize> {
    let handles: Vec<&wit::Pending> = pending
        .iter()
        .map(|p| {
            p.inner
                .as_ref()
                .expect("pending request already waited for")
        })
        .collect();
    let within_ms = within.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    wit::wait_any(&handles, within_ms).map(|i| i as usize)
}

/// A finished request: the response head and its whole body.
pub type Fetched = Result<(Response, Vec<u8>), Error>;

/// Runs `requests` with at most `concurrency` in flight; results come back in
/// input order, each with its body read.
pub fn send_all(requests: &[Request], concurrency: usize) -> Vec<Fetched> {
    let concurrency = concurrency.max(1);
    let mut results: Vec<Option<Fetched>> = (0..requests.len()).map(|_| None).collect();
    let mut in_flight: Vec<(usize, wit::Pending)> = Vec::new();
    let mut next = 0;
    while next < requests.len() || !in_flight.is_empty() {
        while next < requests.len() && in_flight.len() < concurrency {
            in_flight.push((next, wit::start(&requests[next].inner)));
            next += 1;
        }
        let ready = {
            let borrowed: Vec<&wit::Pending> = in_flight.iter().map(|(_, p)| p).collect();
            wit::wait_any(&borrowed, None)
                .expect("a wait without a time limit ends with a ready request")
                as usize
        };
        let (index, pending) = in_flight.swap_remove(ready);
        let result = pending
            .wait()
            .map(Response::new)
            .map_err(transport_error)
            .and_then(|mut response| {
                let body = response.bytes()?;
                Ok((response, body))
            });
        results[index] = Some(result);
    }
    results
        .into_iter()
        .map(|r| r.expect("every request finished"))
        .collect()
}

/// A response whose head has arrived.
pub struct Response {
    inner: wit::Response,
    status: u16,
    url: String,
    headers: Vec<(String, String)>,
}

impl Response {
    fn new(inner: wit::Response) -> Self {
        let status = inner.status();
        let url = inner.url();
        let headers = inner.headers();
        Response {
            inner,
            status,
            url,
            headers,
        }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    /// The final URL, after redirects.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The next piece of the body, or `None` at its end.
    pub fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, Error> {
        self.inner.next_chunk().map_err(transport_error)
    }

    /// The rest of the body.
    pub fn bytes(&mut self) -> Result<Vec<u8>, Error> {
        self.inner.read_all().map_err(transport_error)
    }

    /// The rest of the body as text (invalid UTF-8 replaced).
    pub fn text(&mut self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&self.bytes()?).into_owned())
    }

    /// Reads the body and applies `family`'s status rules (see [`Family`]):
    /// the body on success, the matching error otherwise.
    pub fn checked_body(mut self, family: Family, surface: &str) -> Result<Vec<u8>, Error> {
        let body = self.bytes()?;
        check_status(family, surface, self.status, &body)?;
        Ok(body)
    }

    /// [`checked_body`](Self::checked_body), then JSON into `T`.
    pub fn checked_json<T: DeserializeOwned>(
        self,
        family: Family,
        surface: &str,
    ) -> Result<T, Error> {
        let body = self.checked_body(family, surface)?;
        decode_json(&body, surface)
    }
}

fn transport_error(e: wit::Error) -> Error {
    match e {
        wit::Error::MissingCredential(c) => missing_credential(c),
        wit::Error::Timeout(m)
        | wit::Error::Connect(m)
        | wit::Error::Transport(m)
        | wit::Error::TooLarge(m) => Error::network(m),
        wit::Error::Auth(m) => Error::auth(m),
        wit::Error::Interrupted => Error::interrupted(),
    }
}

/// The standard message for a credential that is not configured (the
/// wording is [`kagi_protocol::Token::missing`]'s).
pub fn missing_credential(credential: Credential) -> Error {
    let token = match credential {
        Credential::Session | Credential::Translate => kagi_protocol::Token::Session,
        Credential::Api => kagi_protocol::Token::Api,
    };
    Error::config(token.missing())
}

/// Decodes JSON, naming the surface and the path of the first bad field.
pub fn decode_json<T: DeserializeOwned>(body: &[u8], surface: &str) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || path.is_empty() {
            Error::parse(format!("failed to parse {surface} response: {inner}"))
        } else {
            Error::parse(format!(
                "failed to parse {surface} response: at `{path}`: {inner}"
            ))
        }
    })
}

/// Kagi's status families, status lines, error details and page checks
/// live in `kagi-protocol`, shared with the host.
pub use kagi_protocol::{
    Family, collapse_whitespace, error_detail, html_text, is_html_answer, is_logged_out_page,
    status_line, truncate_chars,
};

/// Applies a family's rules to a status and body (see [`Family`]); for the
/// session families a 200 that is Kagi's signed-out page (or HTML where JSON
/// or frames belong) is an authentication error too.
pub fn check_status(family: Family, surface: &str, status: u16, body: &[u8]) -> Result<(), Error> {
    kagi_protocol::check_status(family, surface, status, body).map_err(Error::from)
}

/// Percent-encodes one path segment (an id from upstream) so it cannot
/// change the path it is put into.
pub fn path_segment(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_names_the_field() {
        #[derive(serde::Deserialize, Debug)]
        struct Outer {
            #[allow(dead_code)]
            inner: Vec<Inner>,
        }
        #[derive(serde::Deserialize, Debug)]
        struct Inner {
            #[allow(dead_code)]
            n: u32,
        }
        let e =
            decode_json::<Outer>(br#"{"inner":[{"n":1},{"n":"x"}]}"#, "news stories").unwrap_err();
        assert!(
            e.message
                .starts_with("failed to parse news stories response: at `inner[1].n`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(path_segment("batch-1"), "batch-1");
        assert_eq!(path_segment("0b6e_7.x~"), "0b6e_7.x~");
        assert_eq!(path_segment("a/b?c d"), "a%2Fb%3Fc%20d");
        assert_eq!(path_segment("é"), "%C3%A9");
    }
}
