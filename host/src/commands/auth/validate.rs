//! Testing one credential against Kagi with one search, and saying why it
//! did not pass: which credential, from where, and how to fix it. Used by
//! `auth check` and by the setup before it saves a token.

use crate::auth::{Kind, Secret, Source};
use crate::error::Error;
use crate::io_runtime::IoRuntime;
use crate::log;
use crate::net::{self, Outgoing, Service, TimeoutClass};
use kagi_protocol::{
    api_error_message, collapse_whitespace, is_logged_out_page, is_out_of_credit, status_line,
    truncate_chars,
};
use std::sync::Arc;

/// The query `auth check` and the setup use to test a credential.
pub const CHECK_QUERY: &str = "rust lang";

/// Why a credential did not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The session page was Kagi's sign-in page.
    SignedOut,
    /// 401/403, or another 4xx from the Search API.
    Rejected {
        status: u16,
        detail: String,
    },
    /// The API account has no credit left.
    OutOfCredit {
        status: u16,
        detail: String,
    },
    /// Another unexpected answer.
    Unexpected {
        status: u16,
        detail: String,
    },
    Server {
        status: u16,
    },
    Network(String),
    Parse(String),
}

impl Failure {
    /// Whether "save it anyway?" should default to yes: the token itself
    /// may well be fine.
    pub fn token_may_be_fine(&self) -> bool {
        matches!(
            self,
            Failure::OutOfCredit { .. } | Failure::Server { .. } | Failure::Network(_)
        )
    }

    /// The error, naming the credential and its source and saying how to fix it.
    pub fn into_error(self, kind: Kind, source: &Source) -> Error {
        let who = format!("{} ({source})", kind.label());
        let with = |status: u16, detail: &str| {
            let line = status_line(status);
            if detail.is_empty() {
                format!("HTTP {line}")
            } else {
                format!("HTTP {line}; {detail}")
            }
        };
        match self {
            Failure::SignedOut => Error::Auth(format!(
                "your Kagi session has expired or was signed out: the auth check of {who} got Kagi's sign-in page; copy a fresh Session Link from {} and {}",
                Kind::Session.settings_url(),
                source.fix(Kind::Session)
            )),
            Failure::OutOfCredit { status, detail } => Error::Auth(format!(
                "auth check failed for {who}: the Kagi API account is out of credit ({}); add API credit at https://kagi.com/settings/billing_api, then run `kagi auth check` again",
                with(status, &detail)
            )),
            Failure::Rejected { status, detail } => {
                let (what, fix) = match kind {
                    Kind::Session => (
                        "Kagi rejected the session token",
                        format!(
                            "copy a fresh Session Link from {} and {}",
                            Kind::Session.settings_url(),
                            source.fix(kind)
                        ),
                    ),
                    Kind::Api if status == 429 => (
                        "Kagi is limiting requests from this API token",
                        "wait a minute, then run `kagi auth check` again".to_string(),
                    ),
                    Kind::Api if status == 403 => (
                        "Kagi refused the API token",
                        format!(
                            "check that the Search API is enabled for your account at {}",
                            Kind::Api.settings_url()
                        ),
                    ),
                    Kind::Api => (
                        "Kagi rejected the API token",
                        format!(
                            "create a new token at {} and {}",
                            Kind::Api.settings_url(),
                            source.fix(kind)
                        ),
                    ),
                };
                Error::Auth(format!(
                    "auth check failed for {who}: {what} ({}); {fix}",
                    with(status, &detail)
                ))
            }
            Failure::Unexpected { status, detail } => Error::Network(format!(
                "auth check of {who} got an unexpected answer from Kagi ({}); try again later",
                with(status, &detail)
            )),
            Failure::Server { status } => Error::Network(format!(
                "auth check of {who} could not finish: Kagi server error (HTTP {}); try again later",
                status_line(status)
            )),
            Failure::Network(m) => {
                Error::Network(format!("auth check of {who} could not reach Kagi: {m}"))
            }
            Failure::Parse(m) => Error::Parse(format!(
                "auth check of {who} got an answer it cannot read: {m}"
            )),
        }
    }
}

/// Kagi's `error[0].msg` from an API error body, briefly (nothing for any
/// other body: the auth check shows only what Kagi meant to say).
fn api_error_detail(body: &[u8]) -> String {
    let message = api_error_message(body).unwrap_or_default();
    truncate_chars(&collapse_whitespace(&message), 200)
}

/// Tests one credential with a search for `rust lang`. Only the host's
/// network layer attaches the token; the messages never contain it.
pub fn validate(io: &IoRuntime, kind: Kind, secret: &Secret) -> std::result::Result<(), Failure> {
    let net = io.net().map_err(|e| Failure::Network(e.to_string()))?;
    let path = match kind {
        Kind::Api => "/api/v0/search",
        Kind::Session => "/html/search",
    };
    let url = net
        .bases
        .resolve(
            Service::KAGI,
            path,
            &[("q".to_string(), CHECK_QUERY.to_string())],
        )
        .map_err(Failure::Network)?;
    let origin = url.origin();
    let headers = match kind {
        Kind::Api => vec![("accept".to_string(), "application/json".to_string())],
        Kind::Session => vec![("accept".to_string(), "text/html".to_string())],
    };
    log::debug(&format!(
        "auth check: GET {url} (with the {} attached)",
        kind.noun()
    ));
    let outgoing = Outgoing {
        method: reqwest::Method::GET,
        url,
        headers,
        body: None,
        credential: Some((kind, secret.clone())),
        translate: None,
        timeout: TimeoutClass::Search,
        follow_redirects: true,
        hop_check: Arc::new(move |u: &url::Url, _| {
            if u.origin() == origin {
                Ok(())
            } else {
                Err(net::NetError::Transport(format!(
                    "redirected to {}, which auth check does not follow",
                    u.origin().ascii_serialization()
                )))
            }
        }),
    };
    let (status, final_url, body) = io
        .block_on(async {
            let mut incoming = net.send(outgoing).await?;
            let body = incoming.body.read_all().await?;
            Ok::<_, net::NetError>((incoming.status, incoming.url, body))
        })
        .map_err(|e| {
            Failure::Network(match e {
                net::NetError::Timeout(m)
                | net::NetError::Connect(m)
                | net::NetError::Transport(m)
                | net::NetError::TooLarge(m)
                | net::NetError::Denied(m)
                | net::NetError::Auth(m) => m,
            })
        })?;
    log::debug(&format!("auth check: HTTP {status} from {final_url}"));
    let redact = |s: String| crate::auth::redact(&s, &[secret]);
    match kind {
        Kind::Api => match status {
            200 => serde_json::from_slice::<serde_json::Value>(&body)
                .map(|_| ())
                .map_err(|e| Failure::Parse(format!("the Search API answer is not JSON ({e})"))),
            400..=499 if is_out_of_credit(status, &body) => Err(Failure::OutOfCredit {
                status,
                detail: redact(api_error_detail(&body)),
            }),
            400..=499 => Err(Failure::Rejected {
                status,
                detail: redact(api_error_detail(&body)),
            }),
            500..=599 => Err(Failure::Server { status }),
            _ => Err(Failure::Unexpected {
                status,
                detail: String::new(),
            }),
        },
        Kind::Session => match status {
            200 if is_logged_out_page(&String::from_utf8_lossy(&body)) => Err(Failure::SignedOut),
            200 => Ok(()),
            401 | 403 => Err(Failure::Rejected {
                status,
                detail: String::new(),
            }),
            500..=599 => Err(Failure::Server { status }),
            _ => Err(Failure::Unexpected {
                status,
                detail: String::new(),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_name_the_credential_its_source_and_the_fix() {
        let env = Source::Env("KAGI_API_TOKEN");
        let e = Failure::Rejected {
            status: 401,
            detail: "Invalid token".into(),
        }
        .into_error(Kind::Api, &env);
        assert_eq!(
            e.to_string(),
            "authentication error: auth check failed for api-token (env KAGI_API_TOKEN): Kagi rejected the API token (HTTP 401 Unauthorized; Invalid token); create a new token at https://kagi.com/settings/api and put the new value in KAGI_API_TOKEN"
        );
        let file = Source::File {
            file: "./.kagi.toml".into(),
            block: "[profiles.w.auth]".into(),
            profile: Some("w".into()),
        };
        let e = Failure::SignedOut.into_error(Kind::Session, &file);
        assert_eq!(
            e.to_string(),
            "authentication error: your Kagi session has expired or was signed out: the auth check of session-token (./.kagi.toml [profiles.w.auth]) got Kagi's sign-in page; copy a fresh Session Link from https://kagi.com/settings/user_details and run `kagi --profile w auth set --session-token '<Session Link>'`"
        );
    }

    #[test]
    fn api_details_are_kagis_message_only() {
        assert_eq!(
            api_error_detail(br#"{"error":[{"code":401,"msg":"Invalid   token"}]}"#),
            "Invalid token"
        );
        assert_eq!(api_error_detail(b"<html>Unauthorized</html>"), "");
        assert_eq!(
            api_error_detail(
                format!(r#"{{"error":[{{"msg":"{}"}}]}}"#, "x".repeat(300)).as_bytes()
            ),
            format!("{}...", "x".repeat(200))
        );
    }

    #[test]
    fn status_lines_read_as_reqwest_would_print_them() {
        // The auth check printed reqwest's reason phrases before the line
        // moved to kagi-protocol; it still does, for every status.
        for status in 100..=599u16 {
            let reason = reqwest::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason());
            let want = match reason {
                Some(r) => format!("{status} {r}"),
                None => status.to_string(),
            };
            assert_eq!(status_line(status), want);
        }
    }
}
