//! The one HTTP client. Base URLs are resolved here and credentials are
//! attached here and nowhere else; redirects are followed by hand so that every
//! hop is checked against the plugin's allowed hosts and a credential never
//! leaves its origin. Credential-bearing response headers are dropped before a
//! plugin sees the response.

use crate::auth::{Kind, Secret};
use crate::error::{Error, Result};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

mod resolver;
mod services;
pub mod translate_session;

use resolver::PublicOnly;
pub use services::{Bases, Service, append_query};

pub const USER_AGENT: &str = concat!("kagi/", env!("CARGO_PKG_VERSION"));
const MAX_REDIRECTS: usize = 10;
/// The largest response body a plugin may receive.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The timeout rules of the wire protocol, and explicit ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutClass {
    /// 20 s in total.
    Search,
    /// 30 s in total.
    Standard,
    /// 20 s to connect, then up to 120 s between reads, no total.
    Streaming,
    /// A total (none: no total) and, without a total, the longest wait
    /// between reads (none: 120 s).
    Explicit {
        total: Option<Duration>,
        idle: Option<Duration>,
    },
}

impl TimeoutClass {
    /// The rule called `name` (`search`, `standard`, `streaming`).
    pub fn named(name: &str) -> Option<TimeoutClass> {
        match name {
            "search" => Some(TimeoutClass::Search),
            "standard" => Some(TimeoutClass::Standard),
            "streaming" => Some(TimeoutClass::Streaming),
            _ => None,
        }
    }

    fn total(self) -> Option<Duration> {
        match self {
            TimeoutClass::Search => Some(Duration::from_secs(20)),
            TimeoutClass::Standard => Some(Duration::from_secs(30)),
            TimeoutClass::Streaming => None,
            TimeoutClass::Explicit { total, .. } => total,
        }
    }

    /// The longest wait between reads when there is no total.
    fn idle(self) -> Duration {
        match self {
            TimeoutClass::Explicit {
                idle: Some(idle), ..
            } => idle,
            _ => STREAM_READ_TIMEOUT,
        }
    }
}

const STREAM_READ_TIMEOUT: Duration = Duration::from_secs(120);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

/// Whether a redirect may be followed to a URL, given whether the credential
/// would still travel with it (decided by the capability checks).
pub type HopCheck = Arc<dyn Fn(&Url, bool) -> Result<(), NetError> + Send + Sync>;

/// A request ready to go.
pub struct Outgoing {
    pub method: reqwest::Method,
    pub url: Url,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    pub credential: Option<(Kind, Secret)>,
    /// The run's translate session, for a request with the `translate`
    /// credential (which also carries the session): minted on first need,
    /// then sent as a cookie and put into the body, on the origin only.
    pub translate: Option<Arc<translate_session::TranslateSession>>,
    pub timeout: TimeoutClass,
    pub follow_redirects: bool,
    pub hop_check: HopCheck,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetError {
    Timeout(String),
    Connect(String),
    Transport(String),
    TooLarge(String),
    /// A redirect led somewhere the plugin may not go with what it carries.
    Denied(String),
    /// The service refused the session while the host derived a credential
    /// from it, or did not hand that credential out (the translate bootstrap).
    Auth(String),
}

/// A response whose head has arrived.
pub struct Incoming {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub url: Url,
    pub body: BodyReader,
}

/// Pulls a response body, enforcing the read timeout, the total deadline and the size limit.
pub struct BodyReader {
    response: Option<reqwest::Response>,
    url: Url,
    deadline: Option<Instant>,
    total: Option<Duration>,
    /// The longest wait between reads when there is no total.
    idle: Duration,
    read: usize,
}

impl BodyReader {
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, NetError> {
        let Some(response) = self.response.as_mut() else {
            return Ok(None);
        };
        let timeout_at = self.deadline.unwrap_or_else(|| Instant::now() + self.idle);
        let chunk = match tokio::time::timeout_at(timeout_at, response.chunk()).await {
            Err(_) => return Err(timeout_error(&self.url, self.total)),
            Ok(Err(e)) => return Err(classify(&self.url, &e, self.total)),
            Ok(Ok(chunk)) => chunk,
        };
        match chunk {
            None => {
                self.response = None;
                Ok(None)
            }
            Some(bytes) => {
                self.read += bytes.len();
                if self.read > MAX_BODY_BYTES {
                    self.response = None;
                    return Err(NetError::TooLarge(format!(
                        "response from {} is larger than the {} MiB limit",
                        self.url,
                        MAX_BODY_BYTES / (1024 * 1024)
                    )));
                }
                Ok(Some(bytes.to_vec()))
            }
        }
    }

    pub async fn read_all(&mut self) -> Result<Vec<u8>, NetError> {
        let mut all = Vec::new();
        while let Some(chunk) = self.next_chunk().await? {
            all.extend_from_slice(&chunk);
        }
        Ok(all)
    }
}

pub struct Net {
    client: reqwest::Client,
    pub bases: Bases,
}

impl Net {
    pub fn new(bases: Bases) -> Result<Net> {
        let resolver = Arc::new(PublicOnly {
            services: bases
                .all()
                .filter_map(|u| u.host_str().map(str::to_ascii_lowercase))
                .collect(),
        });
        let client = reqwest::Client::builder()
            .dns_resolver(resolver)
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .http1_only()
            .build()
            .map_err(|e| Error::Network(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Net { client, bases })
    }

    /// Sends a request, following redirects within the allowed hosts.
    pub async fn send(&self, out: Outgoing) -> Result<Incoming, NetError> {
        let total = out.timeout.total();
        let idle = out.timeout.idle();
        let deadline = total.map(|t| Instant::now() + t);
        let origin = out.url.origin();
        let credentialed = out.credential.is_some();
        let mut translate = match (&out.translate, &out.credential) {
            (Some(cell), Some((Kind::Session, session))) => {
                Some(cell.get_or_mint(self, session).await?)
            }
            _ => None,
        };
        let mut credential = out.credential;
        let mut method = out.method;
        // Shared, not copied, on every hop: a body can be tens of MiB.
        let mut body = out.body.map(bytes::Bytes::from);
        let mut url = out.url;
        let mut referer: Option<Url> = None;
        for _hop in 0..=MAX_REDIRECTS {
            // A credential is only ever sent to the origin it was meant for.
            if url.origin() != origin {
                credential = None;
                translate = None;
            }
            let headers = build_headers(
                &out.headers,
                credential.as_ref(),
                translate.as_ref(),
                referer.as_ref(),
            )
            .map_err(|e| NetError::Transport(format!("request to {url} has a bad header: {e}")))?;
            let mut request = self
                .client
                .request(method.clone(), url.clone())
                .headers(headers);
            if let Some(bytes) = &body {
                // The placeholder becomes the value only where the cookie goes.
                request = request.body(match &translate {
                    Some(value) => translate_session::substitute(bytes, value).into(),
                    None => bytes.clone(),
                });
            }
            // An empty POST says so, as Kagi's web app does (Quick Answer,
            // wire protocol §6.5); hyper would leave the length unsaid.
            let sends_a_body = matches!(
                method,
                reqwest::Method::POST | reqwest::Method::PUT | reqwest::Method::PATCH
            );
            if sends_a_body && body.as_ref().is_none_or(|b| b.is_empty()) {
                request = request.header(reqwest::header::CONTENT_LENGTH, 0);
            }
            let send = request.send();
            let response = match deadline {
                Some(at) => tokio::time::timeout_at(at, send)
                    .await
                    .map_err(|_| timeout_error(&url, total))?,
                None => tokio::time::timeout(idle, send)
                    .await
                    .map_err(|_| timeout_error(&url, Some(idle)))?,
            }
            .map_err(|e| classify(&url, &e, total))?;
            let status = response.status();
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            if out.follow_redirects
                && status.is_redirection()
                && let Some(location) = location
            {
                let next = url.join(&location).map_err(|e| {
                    NetError::Transport(format!(
                        "{url} redirected to a bad location `{location}`: {e}"
                    ))
                })?;
                if is_downgrade(credentialed, &url, &next) {
                    return Err(NetError::Transport(format!(
                        "{url} redirected to plain http ({}); a request carrying your credentials is never downgraded from https",
                        next.origin().ascii_serialization()
                    )));
                }
                let keeps_credential = credential.is_some() && next.origin() == origin;
                (out.hop_check)(&next, keeps_credential).map_err(|e| match e {
                    NetError::Transport(m) => NetError::Transport(format!("{url} {m}")),
                    other => other,
                })?;
                // 303, and 301/302 after a POST, become a GET without a body.
                let code = status.as_u16();
                if code == 303 || ((code == 301 || code == 302) && method == reqwest::Method::POST)
                {
                    method = reqwest::Method::GET;
                    body = None;
                }
                // A Referer only within one origin: it would tell another
                // site where the plugin has been.
                referer = (next.origin() == url.origin()).then_some(url);
                url = next;
                continue;
            }
            let headers = visible_headers(response.headers());
            return Ok(Incoming {
                status: status.as_u16(),
                headers,
                url: url.clone(),
                body: BodyReader {
                    response: Some(response),
                    url,
                    deadline,
                    total,
                    idle,
                    read: 0,
                },
            });
        }
        Err(NetError::Transport(format!(
            "request to {url} was redirected more than {MAX_REDIRECTS} times"
        )))
    }
}

/// The plugin's headers minus anything credential-bearing, plus the
/// credential (and the translate session next to the session cookie).
fn build_headers(
    plugin_headers: &[(String, String)],
    credential: Option<&(Kind, Secret)>,
    translate: Option<&Secret>,
    referer: Option<&Url>,
) -> std::result::Result<HeaderMap, String> {
    let mut headers = HeaderMap::new();
    let mut cookies: Vec<String> = Vec::new();
    for (name, value) in plugin_headers {
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "authorization" | "proxy-authorization" | "host" | "content-length" | "user-agent" => {
                continue;
            }
            "cookie" => {
                // Plugins may send their own cookies, never one the host
                // owns (`kagi_session =x` is still kagi_session).
                cookies.extend(
                    value
                        .split(';')
                        .map(str::trim)
                        .filter(|c| {
                            let owned_by_host = is_host_cookie(c)
                                || (translate.is_some()
                                    && is_cookie_named(c, translate_session::COOKIE));
                            !c.is_empty() && !owned_by_host
                        })
                        .map(str::to_string),
                );
                continue;
            }
            _ => {}
        }
        let name = HeaderName::from_bytes(lower.as_bytes())
            .map_err(|_| format!("invalid header name `{name}`"))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| format!("invalid value for header `{name}`"))?;
        headers.append(name, value);
    }
    match credential {
        Some((Kind::Session, secret)) => {
            cookies.insert(0, format!("kagi_session={}", secret.expose()));
            if let Some(t) = translate {
                cookies.insert(1, format!("{}={}", translate_session::COOKIE, t.expose()));
            }
        }
        Some((Kind::Api, secret)) => {
            let mut value = HeaderValue::from_str(&format!("Bot {}", secret.expose()))
                .map_err(|_| "the API token contains characters that cannot be sent".to_string())?;
            value.set_sensitive(true);
            headers.insert(reqwest::header::AUTHORIZATION, value);
        }
        None => {}
    }
    if !cookies.is_empty() {
        let mut value = HeaderValue::from_str(&cookies.join("; "))
            .map_err(|_| "a cookie contains characters that cannot be sent".to_string())?;
        value.set_sensitive(true);
        headers.insert(reqwest::header::COOKIE, value);
    }
    if let Some(value) = referer.and_then(|r| HeaderValue::from_str(r.as_str()).ok()) {
        headers.insert(reqwest::header::REFERER, value);
    }
    Ok(headers)
}

/// A redirect from https to plain http, for a request that set out with a
/// credential: refused outright, even though the credential itself would stay
/// behind (the origin changes), because the rest of the request (a body, the
/// plugin's headers) was meant for an encrypted connection.
fn is_downgrade(credentialed: bool, from: &Url, to: &Url) -> bool {
    credentialed && from.scheme() == "https" && to.scheme() == "http"
}

/// Cookies only the host sets: the session, whatever spacing or case a
/// plugin tries.
fn is_host_cookie(cookie: &str) -> bool {
    is_cookie_named(cookie, "kagi_session")
}

/// Whether `cookie` (`name=value`) is called `name`, whatever its spacing or case.
fn is_cookie_named(cookie: &str, name: &str) -> bool {
    let own = cookie.split_once('=').map_or(cookie, |(own, _)| own);
    own.trim().eq_ignore_ascii_case(name)
}

/// Response headers a plugin may see.
fn visible_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| {
            !matches!(
                name.as_str(),
                "set-cookie" | "set-cookie2" | "authorization" | "proxy-authorization" | "cookie"
            )
        })
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

fn timeout_error(url: &Url, after: Option<Duration>) -> NetError {
    match after {
        Some(d) => NetError::Timeout(format!(
            "request to {url} timed out after {} s",
            d.as_secs()
        )),
        None => NetError::Timeout(format!("request to {url} timed out")),
    }
}

fn classify(url: &Url, e: &reqwest::Error, total: Option<Duration>) -> NetError {
    if e.is_timeout() {
        return timeout_error(url, total);
    }
    let cause = root_cause(e);
    if e.is_connect() {
        NetError::Connect(format!("failed to connect to {url}: {cause}"))
    } else {
        NetError::Transport(format!("request to {url} failed: {cause}"))
    }
}

/// The innermost error message, which says what actually happened.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut current = e;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_with_path_prefix() {
        let bases = Bases {
            urls: vec![
                (
                    Service::KAGI,
                    Url::parse("http://127.0.0.1:9/prefix").unwrap(),
                ),
                (
                    Service::named("news").unwrap(),
                    Url::parse("https://news.kagi.com").unwrap(),
                ),
            ],
        };
        let url = bases
            .resolve(
                Service::KAGI,
                "/api/v0/search",
                &[("q".into(), "@reddit rust lang".into())],
            )
            .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/prefix/api/v0/search?q=%40reddit+rust+lang"
        );
        assert!(
            bases
                .resolve(Service::named("news").unwrap(), "api", &[])
                .is_err()
        );
    }

    #[test]
    fn credentials_replace_plugin_supplied_ones() {
        let headers = build_headers(
            &[
                ("Authorization".into(), "Bot stolen".into()),
                (
                    "Cookie".into(),
                    "kagi_session=forged; translate_session=t".into(),
                ),
                ("Accept".into(), "application/json".into()),
            ],
            Some(&(Kind::Session, Secret::new("real"))),
            None,
            None,
        )
        .unwrap();
        assert!(headers.get("authorization").is_none());
        assert_eq!(
            headers.get("cookie").unwrap(),
            "kagi_session=real; translate_session=t"
        );
        assert_eq!(headers.get("accept").unwrap(), "application/json");
    }

    #[test]
    fn the_translate_session_follows_the_session_and_replaces_a_plugins_own() {
        let headers = build_headers(
            &[(
                "Cookie".into(),
                "Translate_Session =forged; theme=dark".into(),
            )],
            Some(&(Kind::Session, Secret::new("real"))),
            Some(&Secret::new("minted")),
            None,
        )
        .unwrap();
        assert_eq!(
            headers.get("cookie").unwrap(),
            "kagi_session=real; translate_session=minted; theme=dark"
        );
    }

    #[test]
    fn hides_credential_headers_from_plugins() {
        let mut map = HeaderMap::new();
        map.insert("set-cookie", HeaderValue::from_static("kagi_session=x"));
        map.insert("content-type", HeaderValue::from_static("text/html"));
        let visible = visible_headers(&map);
        assert_eq!(
            visible,
            vec![("content-type".to_string(), "text/html".to_string())]
        );
    }

    #[test]
    fn a_plugin_cookie_named_like_the_session_is_dropped_however_spelled() {
        for c in [
            "kagi_session=x",
            "kagi_session =x",
            "KAGI_SESSION=x",
            " kagi_session",
        ] {
            assert!(is_host_cookie(c.trim()), "{c}");
        }
        assert!(!is_host_cookie("kagi_session_extra=x"));
        assert!(!is_host_cookie("theme=kagi_session"));
    }

    #[test]
    fn a_credentialed_request_is_never_downgraded_to_http() {
        let https = Url::parse("https://kagi.com/a").unwrap();
        let http = Url::parse("http://kagi.com/b").unwrap();
        assert!(is_downgrade(true, &https, &http));
        assert!(!is_downgrade(false, &https, &http));
        assert!(!is_downgrade(true, &http, &http));
        assert!(!is_downgrade(true, &http, &https));
    }
}
