//! The translate host's JSON calls (wire protocol §6.12): every one a POST
//! with the translate credential, its answer read by the Translate family
//! (a 200 web page is an authentication error) in the spec's wording where
//! it gives one.

use kagi_plugin_sdk::http::{
    Family, Request, Service, TimeoutClass, check_status, decode_json, is_html_answer, status_line,
};
use kagi_plugin_sdk::protocol::Token;
use kagi_plugin_sdk::{Credential, Error};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How errors name this service.
pub const SURFACE: &str = "Translate API";
/// The spec's line for a session Kagi Translate refused (§6.12, cli-surface
/// §8), worded as the host's bootstrap words it.
const REJECTED: &str = "invalid or expired Kagi session token for Kagi Translate";

/// `POST {translate}{path}` with `body`, the session and the translate session.
pub fn post<T: Serialize>(path: &str, body: &T) -> Result<Request, Error> {
    Request::post(Service::Translate, path).json(body).map(|r| {
        r.credential(Credential::Translate)
            .timeout(TimeoutClass::Standard)
    })
}

/// Sends `request` and decodes its answer.
pub fn fetch<T: DeserializeOwned>(request: &Request) -> Result<T, Error> {
    let mut response = request.send()?;
    let body = response.bytes()?;
    decode(response.status(), &body)
}

/// The Translate family's checks, then JSON into `T`.
pub fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    if let Some(error) = session_refused(status, body) {
        return Err(error);
    }
    check_status(Family::Session, SURFACE, status, body)?;
    decode_json(body, SURFACE)
}

/// A refused session (401/403, or a web page where JSON belongs) in the
/// spec's words rather than the family's generic ones.
fn session_refused(status: u16, body: &[u8]) -> Option<Error> {
    let renew = Token::Session.renew();
    match status {
        401 | 403 => Some(Error::auth(format!(
            "{REJECTED}: HTTP {}; {renew}",
            status_line(status)
        ))),
        200 if is_html_answer(&String::from_utf8_lossy(body)) => {
            Some(Error::auth(format!("{REJECTED}; {renew}")))
        }
        _ => None,
    }
}

/// A detected language; `/api/detect` answers one or a list of them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Language {
    pub iso: String,
    pub label: String,
    #[serde(rename = "isUncertain", default)]
    pub is_uncertain: bool,
    #[serde(rename = "isMixed", default)]
    pub is_mixed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternatives: Option<Vec<Alternative>>,
}

/// Another language the text might be in.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Alternative {
    pub iso: String,
    pub label: String,
    #[serde(
        rename = "isUncertain",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_uncertain: Option<bool>,
    #[serde(rename = "isMixed", default, skip_serializing_if = "Option::is_none")]
    pub is_mixed: Option<bool>,
}

/// The detect body: the only one without `session_token`.
#[derive(Serialize)]
pub struct DetectBody<'a> {
    pub include_alternatives: bool,
    pub text: &'a str,
}

/// The language of an answer of `/api/detect`: the object, or a list's first.
pub fn detected(answer: Value) -> Result<Language, Error> {
    let language = match answer {
        Value::Array(list) => list.into_iter().next().ok_or_else(|| {
            Error::parse(format!(
                "failed to parse {SURFACE} response: language detection found no language"
            ))
        })?,
        other => other,
    };
    serde_json::from_value(language)
        .map_err(|e| Error::parse(format!("failed to parse {SURFACE} response: {e}")))
}

/// What `/api/translate` answers.
#[derive(Debug, Deserialize)]
pub struct Translated {
    pub translation: String,
    pub source_language: Option<String>,
    pub target_language: Option<String>,
    pub detected_language: Option<Language>,
    pub definition: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use kagi_plugin_sdk::ErrorClass;

    #[test]
    fn detection_answers_an_object_or_a_list_whose_first_counts() {
        let list =
            serde_json::json!([{"iso":"fr","label":"French"},{"iso":"it","label":"Italian"}]);
        let fr = detected(list).unwrap();
        assert_eq!((fr.iso.as_str(), fr.is_uncertain), ("fr", false));
        let one =
            detected(serde_json::json!({"iso":"de","label":"German","isMixed":true})).unwrap();
        assert!(one.is_mixed);
    }

    #[test]
    fn an_empty_detection_or_one_without_iso_is_a_parse_error() {
        let e = detected(serde_json::json!([])).unwrap_err();
        assert_eq!(e.class, ErrorClass::Parse);
        let e = detected(serde_json::json!([{"label":"French"}])).unwrap_err();
        assert_eq!(
            e.message,
            "failed to parse Translate API response: missing field `iso`"
        );
    }

    #[test]
    fn a_web_page_where_json_belongs_is_the_specs_expired_session_line() {
        let e = decode::<Value>(200, b"<!DOCTYPE html><html>Sign in</html>").unwrap_err();
        assert_eq!(e.class, ErrorClass::Auth);
        assert_eq!(
            e.message,
            "invalid or expired Kagi session token for Kagi Translate; copy a fresh Session Link and run `kagi auth`"
        );
    }

    #[test]
    fn a_refused_session_reads_as_the_bootstrap_words_it() {
        for (status, line) in [(401, "401 Unauthorized"), (403, "403 Forbidden")] {
            let e = decode::<Value>(status, br#"{"error":"Invalid session"}"#).unwrap_err();
            assert_eq!(e.class, ErrorClass::Auth);
            assert_eq!(
                e.message,
                format!(
                    "invalid or expired Kagi session token for Kagi Translate: HTTP {line}; copy a fresh Session Link and run `kagi auth`"
                )
            );
        }
    }

    #[test]
    fn other_client_errors_are_configuration_errors_and_5xx_network_ones() {
        assert_eq!(
            decode::<Value>(429, b"").unwrap_err().class,
            ErrorClass::Config
        );
        assert_eq!(
            decode::<Value>(502, b"").unwrap_err().class,
            ErrorClass::Network
        );
        assert_eq!(
            decode::<Value>(403, b"").unwrap_err().class,
            ErrorClass::Auth
        );
    }
}
