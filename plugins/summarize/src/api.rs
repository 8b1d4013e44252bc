//! The paid Summarizer API, `POST {main}/api/v0/summarize` (wire protocol
//! §6.6, API-JSON family); refusals are worded by the SDK's
//! [`Response::api_json`](kagi_plugin_sdk::http::Response::api_json).

use crate::args::ApiOptions;
use kagi_plugin_sdk::http::{Request, Service, TimeoutClass};
use kagi_plugin_sdk::{Credential, Error};
use serde::{Deserialize, Serialize};

pub const SURFACE: &str = "Summarizer";

/// `url` or `text`, then the options given; absent fields are omitted.
#[derive(Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    engine: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cache: Option<bool>,
}

/// `{"meta":{"id","node","ms"},"data":{"output","tokens"}}`.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    pub meta: Meta,
    pub data: Data,
}

pub use kagi_plugin_sdk::http::ApiMeta as Meta;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Data {
    pub output: String,
    pub tokens: u64,
}

/// The request for a URL (`url`) or a text (`text`).
pub fn request(
    url: Option<&str>,
    text: Option<&str>,
    options: &ApiOptions,
) -> Result<Request, Error> {
    Request::post(Service::Kagi, "/api/v0/summarize")
        .json(&Body {
            url,
            text,
            engine: options.engine.as_deref(),
            summary_type: options.summary_type.as_deref(),
            target_language: options.target_language.as_deref(),
            cache: options.cache,
        })
        .map(|r| {
            r.credential(Credential::Api)
                .timeout(TimeoutClass::Standard)
        })
}

pub fn fetch(request: &Request) -> Result<Summary, Error> {
    request.send()?.api_json(SURFACE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kagi_plugin_sdk::ErrorClass;

    fn decode(status: u16, retry_after: Option<&str>, body: &[u8]) -> Result<Summary, Error> {
        kagi_plugin_sdk::http::decode_api_json(SURFACE, status, retry_after, body)
    }

    fn body(r: &Request) -> serde_json::Value {
        serde_json::from_slice(r.body_bytes().unwrap()).unwrap()
    }

    #[test]
    fn only_the_input_and_the_options_given_are_sent() {
        let r = request(Some("https://example.com"), None, &ApiOptions::default()).unwrap();
        assert_eq!((r.method_name(), r.path()), ("POST", "/api/v0/summarize"));
        assert_eq!(r.credential_used(), Some(Credential::Api));
        assert_eq!(body(&r), serde_json::json!({"url": "https://example.com"}));
        let options = ApiOptions {
            engine: Some("agnes".into()),
            summary_type: Some("takeaway".into()),
            target_language: Some("EN".into()),
            cache: Some(false),
        };
        let r = request(None, Some("hello"), &options).unwrap();
        assert_eq!(
            String::from_utf8_lossy(r.body_bytes().unwrap()),
            r#"{"text":"hello","engine":"agnes","summary_type":"takeaway","target_language":"EN","cache":false}"#
        );
    }

    #[test]
    fn the_answer_needs_meta_and_data() {
        let ok =
            br#"{"meta":{"id":"r","node":"n","ms":10},"data":{"output":"A summary.","tokens":42}}"#;
        assert_eq!(decode(200, None, ok).unwrap().data.output, "A summary.");
        let e = decode(
            200,
            None,
            br#"{"meta":{"id":"r","node":"n","ms":1},"data":{"output":"x"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.class, ErrorClass::Parse);
        assert_eq!(
            e.message,
            "failed to parse Summarizer response: at `data`: missing field `tokens` at line 1 column 58"
        );
    }
}
