//! `kagi fastgpt QUERY` (cli-surface §1.11, wire protocol §6.8).

use crate::answer;
use kagi_plugin_sdk::cache::Cache;
use kagi_plugin_sdk::http::{Request, Service, TimeoutClass};
use kagi_plugin_sdk::{Credential, Error, FromInvocation, Invocation};
use serde::{Deserialize, Serialize};
use std::time::Duration;

pub const SURFACE: &str = "FastGPT";
/// The local cache's namespace (cli-surface §6.3).
const CACHE_NAMESPACE: &str = "fastgpt";

/// The arguments of `kagi fastgpt`.
#[derive(Debug)]
pub struct Args {
    query: String,
    cache: Option<bool>,
    web_search: Option<bool>,
    /// The local cache's time to live, when `--local-cache` is given.
    local_cache: Option<Duration>,
}

impl FromInvocation for Args {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let query: String = inv.get("query")?;
        let cache = inv.get_opt("cache")?;
        let web_search = inv.get_opt("web-search")?;
        let ttl: u64 = inv.get("cache-ttl")?;
        let local_cache = inv.get_flag("local-cache")?;
        if query.trim().is_empty() {
            return Err(Error::config("fastgpt needs a non-empty query"));
        }
        Ok(Args {
            query,
            cache,
            web_search,
            local_cache: local_cache.then(|| Duration::from_secs(ttl)),
        })
    }
}

/// The body: the bool fields only when given, so Kagi's defaults apply.
#[derive(Serialize)]
struct Body<'a> {
    query: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cache: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    web_search: Option<bool>,
}

/// `{"meta":{"id","node","ms"},"data":{"output","tokens","references"}}`.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Answer {
    pub meta: Meta,
    pub data: Data,
}

pub use kagi_plugin_sdk::http::ApiMeta as Meta;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Data {
    pub output: String,
    pub tokens: u64,
    #[serde(default)]
    pub references: Vec<Reference>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Reference {
    pub title: String,
    pub snippet: String,
    pub url: String,
}

pub fn request(args: &Args) -> Result<Request, Error> {
    Request::post(Service::Kagi, "/api/v0/fastgpt")
        .json(&Body {
            query: &args.query,
            cache: args.cache,
            web_search: args.web_search,
        })
        .map(|r| {
            r.credential(Credential::Api)
                .timeout(TimeoutClass::Standard)
        })
}

/// Asks FastGPT, through the local cache when `--local-cache` is given.
/// Errors are never cached.
pub fn run(args: &Args) -> Result<Answer, Error> {
    answer::require_api_token()?;
    let request = request(args)?;
    let cache = args.local_cache.map(|ttl| Cache::new(CACHE_NAMESPACE, ttl));
    if let Some(hit) = cache.as_ref().and_then(|c| c.get::<Answer, _>(&request)) {
        return Ok(hit);
    }
    let answer: Answer = answer::fetch(&request, SURFACE)?;
    if let Some(cache) = &cache {
        cache.put(&request, &answer);
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(args: &[(&str, &[&str])]) -> Request {
        let inv = crate::test_invocation(&["fastgpt"], args);
        request(&Args::from_invocation(&inv).unwrap()).unwrap()
    }

    fn body(r: &Request) -> serde_json::Value {
        serde_json::from_slice(r.body_bytes().unwrap()).unwrap()
    }

    #[test]
    fn the_bool_options_are_sent_only_when_given() {
        let r = built(&[("query", &["what is rust?"])]);
        assert_eq!(r.method_name(), "POST");
        assert_eq!(r.path(), "/api/v0/fastgpt");
        assert_eq!(r.credential_used(), Some(Credential::Api));
        assert_eq!(body(&r), serde_json::json!({"query": "what is rust?"}));
        let r = built(&[
            ("query", &["q"]),
            ("cache", &["false"]),
            ("web-search", &["true"]),
        ]);
        assert_eq!(
            body(&r),
            serde_json::json!({"query": "q", "cache": false, "web_search": true})
        );
    }

    #[test]
    fn the_local_cache_is_off_unless_asked_and_defaults_to_an_hour() {
        let inv = crate::test_invocation(&["fastgpt"], &[("query", &["q"])]);
        assert_eq!(Args::from_invocation(&inv).unwrap().local_cache, None);
        let inv = crate::test_invocation(
            &["fastgpt"],
            &[("query", &["q"]), ("local-cache", &["true"])],
        );
        assert_eq!(
            Args::from_invocation(&inv).unwrap().local_cache,
            Some(Duration::from_secs(3600))
        );
    }

    #[test]
    fn a_blank_query_is_refused() {
        let inv = crate::test_invocation(&["fastgpt"], &[("query", &["  "])]);
        let e = Args::from_invocation(&inv).unwrap_err();
        assert_eq!(e.message, "fastgpt needs a non-empty query");
    }

    #[test]
    fn references_default_to_empty_and_keep_their_order() {
        let body = br#"{"meta":{"id":"1","node":"us-east","ms":10},"data":{"output":"answer","tokens":12}}"#;
        let a: Answer = kagi_plugin_sdk::http::decode_api_json(SURFACE, 200, None, body).unwrap();
        assert!(a.data.references.is_empty());
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"meta":{"id":"1","node":"us-east","ms":10},"data":{"output":"answer","tokens":12,"references":[]}}"#
        );
    }
}
