//! The paid Summarizer API, `POST {main}/api/v0/summarize` (wire protocol
//! §6.6, API-JSON family), with the refinements `kagi fastgpt` gives the same
//! family: running out of credit says where to add credit, 429 is a network
//! error passing on Kagi's Retry-After, and an HTML page where JSON belongs
//! is named as such.

use crate::args::ApiOptions;
use kagi_plugin_sdk::http::{
    Family, Request, Service, TimeoutClass, check_status, decode_json, error_detail, status_line,
};
use kagi_plugin_sdk::protocol::{is_out_of_credit, looks_like_html};
use kagi_plugin_sdk::{Credential, Error};
use serde::{Deserialize, Serialize};

pub const SURFACE: &str = "Summarizer";
/// Where an account that ran out of API credit adds more.
const BILLING_URL: &str = "https://kagi.com/settings/billing_api";

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

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    pub id: String,
    pub node: String,
    pub ms: u64,
}

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
    let mut response = request.send()?;
    let status = response.status();
    let retry_after = response.header("retry-after").map(str::to_string);
    let body = response.bytes()?;
    decode(status, retry_after.as_deref(), &body)
}

fn decode(status: u16, retry_after: Option<&str>, body: &[u8]) -> Result<Summary, Error> {
    if let Some(error) = refusal(status, retry_after, body) {
        return Err(error);
    }
    check_status(Family::ApiJson, SURFACE, status, body)?;
    if looks_like_html(&String::from_utf8_lossy(body)) {
        return Err(Error::parse(format!(
            "failed to parse {SURFACE} response: Kagi answered with a web page instead of JSON; try again later"
        )));
    }
    decode_json(body, SURFACE)
}

/// Out of credit and rate limits, which the family alone words poorly.
fn refusal(status: u16, retry_after: Option<&str>, body: &[u8]) -> Option<Error> {
    if !(400..500).contains(&status) {
        return None;
    }
    let detail = error_detail(body);
    let mut reported = format!(
        "Kagi {SURFACE} request rejected: HTTP {}",
        status_line(status)
    );
    if !detail.is_empty() {
        reported = format!("{reported}; {detail}");
    }
    if is_out_of_credit(status, body) {
        let advice = format!("add API credit at {BILLING_URL}, then try again");
        return Some(Error::auth(continued(&reported, &advice)));
    }
    (status == 429).then(|| Error::network(continued(&reported, &when_to_retry(retry_after))))
}

/// `text` and `advice`: after `; `, or as a new sentence when Kagi ended one.
fn continued(text: &str, advice: &str) -> String {
    if text.ends_with(['.', '!', '?']) {
        let mut chars = advice.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
        format!("{text} {}{}", first.unwrap_or_default(), chars.as_str())
    } else {
        format!("{text}; {advice}")
    }
}

/// Kagi's Retry-After (seconds or an HTTP date) as advice.
fn when_to_retry(retry_after: Option<&str>) -> String {
    match retry_after.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) if v.bytes().all(|b| b.is_ascii_digit()) => {
            format!("Kagi asks to wait {v} seconds before trying again")
        }
        Some(v) if v.len() <= 64 && v.chars().all(|c| c.is_ascii_graphic() || c == ' ') => {
            format!("Kagi asks to wait until {v} before trying again")
        }
        _ => "wait a minute, then try again".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kagi_plugin_sdk::ErrorClass;

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

    #[test]
    fn refusals_get_their_class_and_advice() {
        let e = decode(
            429,
            Some("30"),
            br#"{"error":[{"code":429,"msg":"Rate limited"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.class, ErrorClass::Network);
        assert!(
            e.message
                .ends_with("Rate limited; Kagi asks to wait 30 seconds before trying again"),
            "{}",
            e.message
        );
        assert_eq!(decode(402, None, b"").unwrap_err().class, ErrorClass::Auth);
        assert_eq!(decode(401, None, b"").unwrap_err().class, ErrorClass::Auth);
        assert_eq!(
            decode(502, None, b"").unwrap_err().class,
            ErrorClass::Network
        );
        let e = decode(200, None, b"<!DOCTYPE html><html></html>").unwrap_err();
        assert_eq!(e.class, ErrorClass::Parse);
    }
}
