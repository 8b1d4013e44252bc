//! Reading an answer of Kagi's paid API (wire protocol §4.3, API-JSON
//! family), with three refinements users need beyond [`check_status`]:
//! running out of credit says so and where to add credit, 429 is a network
//! error that passes on Kagi's Retry-After, and an HTML page where JSON
//! belongs is named as such rather than reported as a JSON syntax error.

use super::{Family, Response, check_status, decode_json, error_detail, status_line};
use crate::Error;
use kagi_protocol::{is_out_of_credit, looks_like_html};
use serde::de::DeserializeOwned;

/// The `meta` block every answer of Kagi's paid API carries.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ApiMeta {
    pub id: String,
    pub node: String,
    pub ms: u64,
}

/// Where an account that ran out of API credit adds more.
const BILLING_URL: &str = "https://kagi.com/settings/billing_api";

impl Response {
    /// Reads the body of a paid-API answer and decodes its JSON into `T`
    /// (see [`decode_api_json`]).
    pub fn api_json<T: DeserializeOwned>(mut self, surface: &str) -> Result<T, Error> {
        let retry_after = self.header("retry-after").map(str::to_string);
        let body = self.bytes()?;
        decode_api_json(surface, self.status, retry_after.as_deref(), &body)
    }
}

/// The checks of [`Response::api_json`] on an answer already read: `status`,
/// Kagi's `Retry-After` header and the body.
pub fn decode_api_json<T: DeserializeOwned>(
    surface: &str,
    status: u16,
    retry_after: Option<&str>,
    body: &[u8],
) -> Result<T, Error> {
    if let Some(error) = refusal(surface, status, retry_after, body) {
        return Err(error);
    }
    check_status(Family::ApiJson, surface, status, body)?;
    if looks_like_html(&String::from_utf8_lossy(body)) {
        return Err(Error::parse(format!(
            "failed to parse {surface} response: Kagi answered with a web page instead of JSON; try again later"
        )));
    }
    decode_json(body, surface)
}

/// The refusals the family alone words poorly: out of credit and rate limited.
fn refusal(surface: &str, status: u16, retry_after: Option<&str>, body: &[u8]) -> Option<Error> {
    if !(400..500).contains(&status) {
        return None;
    }
    let line = status_line(status);
    let detail = error_detail(body);
    let reported = if detail.is_empty() {
        format!("Kagi {surface} request rejected: HTTP {line}")
    } else {
        format!("Kagi {surface} request rejected: HTTP {line}; {detail}")
    };
    if is_out_of_credit(status, body) {
        let advice = format!("add API credit at {BILLING_URL}, then try again");
        return Some(Error::auth(continued(&reported, &advice)));
    }
    (status == 429).then(|| Error::network(continued(&reported, &when_to_retry(retry_after))))
}

/// `text` followed by `advice`: after `; ` when Kagi's message is a clause,
/// as a new sentence when Kagi already ended one.
fn continued(text: &str, advice: &str) -> String {
    if text.ends_with(['.', '!', '?']) {
        let mut chars = advice.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
        format!("{text} {}{}", first.unwrap_or_default(), chars.as_str())
    } else {
        format!("{text}; {advice}")
    }
}

/// Kagi's Retry-After (seconds or an HTTP date) as advice; anything else
/// (e.g. control characters) is not echoed.
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
    use crate::ErrorClass;

    const CREDIT: &[u8] = br#"{"meta":{"id":"abc","api_balance":0.0},"data":null,"error":[{"code":101,"msg":"Insufficient credit to perform this request.","ref":null}]}"#;

    fn error(status: u16, retry_after: Option<&str>, body: &[u8]) -> Error {
        decode_api_json::<serde_json::Value>("FastGPT", status, retry_after, body).unwrap_err()
    }

    #[test]
    fn running_out_of_credit_shows_kagis_message_and_where_to_add_credit() {
        let e = error(402, None, CREDIT);
        assert_eq!(e.class, ErrorClass::Auth);
        assert_eq!(
            e.message,
            "Kagi FastGPT request rejected: HTTP 402 Payment Required; Insufficient credit to perform this request. Add API credit at https://kagi.com/settings/billing_api, then try again"
        );
        // Code 101 means the same under another status.
        let e = error(400, None, CREDIT);
        assert!(e.message.contains("Add API credit at"), "{}", e.message);
        // Without Kagi's message the advice follows the status as a clause.
        assert_eq!(
            error(402, None, b"").message,
            "Kagi FastGPT request rejected: HTTP 402 Payment Required; add API credit at https://kagi.com/settings/billing_api, then try again"
        );
    }

    #[test]
    fn rate_limits_are_network_errors_that_pass_on_retry_after() {
        let e = error(
            429,
            Some("30"),
            br#"{"error":[{"code":429,"msg":"Rate limited"}]}"#,
        );
        assert_eq!(e.class, ErrorClass::Network);
        assert_eq!(
            e.message,
            "Kagi FastGPT request rejected: HTTP 429 Too Many Requests; Rate limited; Kagi asks to wait 30 seconds before trying again"
        );
        let e = error(429, Some("Wed, 21 Oct 2026 07:28:00 GMT"), b"");
        assert!(
            e.message.ends_with(
                "; Kagi asks to wait until Wed, 21 Oct 2026 07:28:00 GMT before trying again"
            ),
            "{}",
            e.message
        );
        let e = error(429, Some("a\u{1b}[31m"), b"");
        assert!(
            e.message.ends_with("; wait a minute, then try again"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_rejected_token_is_an_authentication_error() {
        let e = error(
            401,
            None,
            br#"{"error":[{"code":401,"msg":"Invalid token"}]}"#,
        );
        assert_eq!(e.class, ErrorClass::Auth);
        assert!(
            e.message.starts_with("invalid Kagi API token"),
            "{}",
            e.message
        );
    }

    #[test]
    fn an_html_page_is_not_reported_as_bad_json() {
        let e = error(
            200,
            None,
            b"<!DOCTYPE html><html><body>Sign in</body></html>",
        );
        assert_eq!(e.class, ErrorClass::Parse);
        assert_eq!(
            e.message,
            "failed to parse FastGPT response: Kagi answered with a web page instead of JSON; try again later"
        );
    }

    #[test]
    fn server_errors_are_network_errors() {
        assert_eq!(error(503, None, b"").class, ErrorClass::Network);
        assert_eq!(error(502, None, b"").class, ErrorClass::Network);
    }

    #[test]
    fn a_good_answer_is_decoded() {
        let v: serde_json::Value =
            decode_api_json("FastGPT", 200, None, br#"{"data":{"output":"x"}}"#).unwrap();
        assert_eq!(v["data"]["output"], "x");
    }
}
