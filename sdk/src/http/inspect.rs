//! What a [`Request`] would send, for a plugin's unit tests (and the cache
//! key): no Debug-string matching needed.
//!
//! ```ignore
//! let r = stories_request("b", "c", 5, "de");
//! assert_eq!(r.service(), Some(Service::News));
//! assert_eq!(r.path(), "/api/batches/b/categories/c/stories");
//! assert_eq!(r.query_value("limit"), Some("5"));
//! assert_eq!(r.credential_used(), None);
//! ```

use super::{Method, Request, Service, wit};
use crate::Credential;
use serde::ser::{Serialize, SerializeStruct, Serializer};

impl Request {
    pub fn method(&self) -> Method {
        self.inner.method
    }

    /// The method's name as sent, e.g. `GET`.
    pub fn method_name(&self) -> &'static str {
        match self.inner.method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }

    /// The service the request goes to; none for an absolute URL.
    pub fn service(&self) -> Option<Service> {
        self.service
    }

    /// The absolute URL, for [`Request::url`] requests.
    pub fn target_url(&self) -> Option<&str> {
        match &self.inner.target {
            wit::Target::Url(url) => Some(url),
            wit::Target::Service(_) => None,
        }
    }

    /// The path under the service's base URL.
    pub fn path(&self) -> &str {
        &self.inner.path
    }

    /// The query pairs, in order (not yet encoded).
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.inner.query
    }

    /// The first value of query parameter `name`.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.inner
            .query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The headers the plugin set, in order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.inner.headers
    }

    /// The first header called `name` (case-insensitive).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.inner
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body, when it is plain bytes (not multipart).
    pub fn body_bytes(&self) -> Option<&[u8]> {
        match &self.inner.body {
            Some(wit::Body::Bytes(bytes)) => Some(bytes),
            _ => None,
        }
    }

    /// Whether the body is a multipart form the host builds.
    pub fn is_multipart(&self) -> bool {
        matches!(self.inner.body, Some(wit::Body::Multipart(_)))
    }

    /// The credential the host will attach.
    pub fn credential_used(&self) -> Option<Credential> {
        self.inner.credential
    }

    pub fn follows_redirects(&self) -> bool {
        self.inner.follow_redirects
    }
}

fn credential_name(credential: Option<Credential>) -> Option<&'static str> {
    credential.map(|c| match c {
        Credential::Session => "session",
        Credential::Api => "api",
        Credential::Translate => "translate",
    })
}

/// What identifies the request: method, target, path, query, headers, body
/// (bytes, lossily as text) and credential; the cache keys on this.
impl Serialize for Request {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut r = s.serialize_struct("Request", 7)?;
        r.serialize_field("method", self.method_name())?;
        match &self.inner.target {
            wit::Target::Url(url) => r.serialize_field("target", url)?,
            wit::Target::Service(name) => r.serialize_field("target", name)?,
        }
        r.serialize_field("path", self.path())?;
        r.serialize_field("query", self.query_pairs())?;
        r.serialize_field("headers", self.headers())?;
        r.serialize_field(
            "body",
            &self.body_bytes().map(|b| String::from_utf8_lossy(b)),
        )?;
        r.serialize_field("credential", &credential_name(self.credential_used()))?;
        r.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_shows_what_it_would_send() {
        let r = Request::post(Service::News, "/api/x")
            .query("q", "a b")
            .header("X-One", "1")
            .credential(Credential::Session)
            .form([("k", "v")]);
        assert_eq!(r.method_name(), "POST");
        assert_eq!(r.service(), Some(Service::News));
        assert_eq!(r.target_url(), None);
        assert_eq!(r.path(), "/api/x");
        assert_eq!(r.query_value("q"), Some("a b"));
        assert_eq!(r.header_value("x-one"), Some("1"));
        assert_eq!(r.body_bytes(), Some(&b"k=v"[..]));
        assert_eq!(r.credential_used(), Some(Credential::Session));
        assert!(r.follows_redirects());
        let url = Request::url(Method::Get, "https://x.example/feed");
        assert_eq!(url.service(), None);
        assert_eq!(url.target_url(), Some("https://x.example/feed"));
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"method":"POST","target":"news","path":"/api/x","query":[["q","a b"]],"headers":[["X-One","1"],["content-type","application/x-www-form-urlencoded"]],"body":"k=v","credential":"session"}"#
        );
    }
}
