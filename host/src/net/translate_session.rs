//! The translate service's `translate_session`: a credential the host derives
//! from the session (wire protocol §6.12). It is minted once per run by the
//! bootstrap `GET {translate}/`, then sent as a cookie next to the session and
//! put into JSON bodies where the plugin wrote [`PLACEHOLDER`]. A plugin never
//! sees it.

use super::{Net, NetError, Service, TimeoutClass, build_headers, classify, timeout_error};
use crate::auth::{Kind, Secret};
use std::time::Duration;
use tokio::sync::OnceCell;

/// What a plugin writes in a JSON body where the value belongs: this JSON
/// string, quotes included, becomes the value as a JSON string.
pub const PLACEHOLDER: &str = "\"{{kagi:translate_session}}\"";
/// The cookie the bootstrap mints.
pub const COOKIE: &str = "translate_session";
/// Attempts at the bootstrap, and the pause before each retry (§3).
const ATTEMPTS: usize = 3;
const RETRY_DELAYS: [Duration; ATTEMPTS - 1] =
    [Duration::from_millis(250), Duration::from_millis(500)];

const NOT_MINTED: &str = "translate bootstrap did not mint a translate_session cookie";
const REJECTED: &str = "invalid or expired Kagi session token for Kagi Translate";

/// The value for one run, minted on first need. Concurrent requests share
/// one bootstrap, and its outcome (a failure too) stands for the whole run.
#[derive(Default)]
pub struct TranslateSession {
    minted: OnceCell<Result<Secret, NetError>>,
}

impl TranslateSession {
    /// The value, minting it with `session` if no request of this run has.
    pub async fn get_or_mint(&self, net: &Net, session: &Secret) -> Result<Secret, NetError> {
        self.minted
            .get_or_init(|| bootstrap(net, session))
            .await
            .clone()
    }

    /// The value, once minted (for the redaction of what a plugin receives).
    pub fn minted(&self) -> Option<&Secret> {
        self.minted.get().and_then(|r| r.as_ref().ok())
    }
}

/// What one bootstrap attempt came to.
#[derive(Debug, PartialEq, Eq)]
enum Attempt {
    Minted(Secret),
    /// Worth another try: no cookie on a 200, or an unexpected status.
    Retry(NetError),
    /// The session was refused: trying again would not help.
    Fail(NetError),
}

/// `GET {translate}/` with the session, up to three times.
async fn bootstrap(net: &Net, session: &Secret) -> Result<Secret, NetError> {
    let service = Service::named("translate").expect("the host knows the translate service");
    let url = net
        .bases
        .resolve(service, "/", &[])
        .map_err(NetError::Transport)?;
    let mut last = NetError::Auth(NOT_MINTED.into());
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            tokio::time::sleep(RETRY_DELAYS[attempt - 1]).await;
        }
        match attempt_once(net, &url, session).await? {
            Attempt::Minted(value) => {
                crate::log::debug(&format!(
                    "minted the translate session at {url} (attempt {})",
                    attempt + 1
                ));
                return Ok(value);
            }
            Attempt::Fail(e) => return Err(e),
            Attempt::Retry(e) => last = e,
        }
    }
    Err(last)
}

/// One bootstrap request. A transport failure is returned as is (not retried).
async fn attempt_once(net: &Net, url: &url::Url, session: &Secret) -> Result<Attempt, NetError> {
    let credential = (Kind::Session, session.clone());
    let headers = build_headers(&[], Some(&credential), None, None)
        .map_err(|e| NetError::Transport(format!("request to {url} has a bad header: {e}")))?;
    let total = TimeoutClass::Standard.total();
    let send = net.client.get(url.clone()).headers(headers).send();
    let response = match total {
        Some(t) => tokio::time::timeout(t, send)
            .await
            .map_err(|_| timeout_error(url, total))?,
        None => send.await,
    }
    .map_err(|e| classify(url, &e, total))?;
    let cookies = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect::<Vec<_>>();
    Ok(judge(response.status(), &cookies))
}

/// The Bootstrap family of §4.3: a 200 with the cookie, 401/403 refused
/// outright, anything else retried.
fn judge(status: reqwest::StatusCode, set_cookies: &[String]) -> Attempt {
    match status.as_u16() {
        200 => match minted_value(set_cookies) {
            Some(value) => Attempt::Minted(value),
            None => Attempt::Retry(NetError::Auth(NOT_MINTED.into())),
        },
        401 | 403 => Attempt::Fail(NetError::Auth(format!(
            "{REJECTED}: HTTP {status}; {}",
            kagi_protocol::Token::Session.renew()
        ))),
        _ => Attempt::Retry(NetError::Transport(format!(
            "unexpected Kagi Translate bootstrap response: HTTP {status}; try again later"
        ))),
    }
}

/// The value of the first `Set-Cookie: translate_session=<value>; ...`, if
/// it has one; other cookies are ignored.
fn minted_value(set_cookies: &[String]) -> Option<Secret> {
    set_cookies.iter().find_map(|c| {
        let value = c.trim().strip_prefix(COOKIE)?.strip_prefix('=')?;
        let value = value.split(';').next().unwrap_or("").trim();
        (!value.is_empty()).then(|| Secret::new(value))
    })
}

/// `body` with every [`PLACEHOLDER`] replaced by `value` as a JSON string.
pub fn substitute(body: &[u8], value: &Secret) -> Vec<u8> {
    let placeholder = PLACEHOLDER.as_bytes();
    let replacement = serde_json::to_string(value.expose()).expect("strings serialise");
    let mut out = Vec::with_capacity(body.len() + replacement.len());
    let mut rest = body;
    while let Some(at) = rest
        .windows(placeholder.len())
        .position(|w| w == placeholder)
    {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(replacement.as_bytes());
        rest = &rest[at + placeholder.len()..];
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    fn cookies(all: &[&str]) -> Vec<String> {
        all.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn the_minted_value_runs_up_to_the_first_semicolon() {
        let set = cookies(&[
            "translate_language=en; Path=/",
            "translate_session=abc.def.ghi; Path=/; HttpOnly; Secure; SameSite=Lax",
        ]);
        assert_eq!(
            judge(StatusCode::OK, &set),
            Attempt::Minted(Secret::new("abc.def.ghi"))
        );
    }

    #[test]
    fn a_200_without_a_usable_cookie_is_retried() {
        for set in [
            cookies(&[]),
            cookies(&["translate_language=en; Path=/"]),
            cookies(&["translate_session=; Path=/"]),
            cookies(&["translate_session_old=x; Path=/"]),
        ] {
            assert_eq!(
                judge(StatusCode::OK, &set),
                Attempt::Retry(NetError::Auth(NOT_MINTED.into())),
                "{set:?}"
            );
        }
    }

    #[test]
    fn the_bootstrap_family_retries_all_but_401_and_403() {
        let minted = cookies(&["translate_session=t; Path=/"]);
        for code in [401, 403] {
            let status = StatusCode::from_u16(code).unwrap();
            assert!(
                matches!(judge(status, &minted), Attempt::Fail(NetError::Auth(m)) if m.starts_with(REJECTED))
            );
        }
        for code in [201, 302, 404, 429, 500, 503] {
            let status = StatusCode::from_u16(code).unwrap();
            assert!(
                matches!(
                    judge(status, &minted),
                    Attempt::Retry(NetError::Transport(_))
                ),
                "{code}"
            );
        }
    }

    #[test]
    fn placeholders_become_the_value_as_a_json_string() {
        let value = Secret::new("a\"b\\c");
        let body = br#"{"session_token":"{{kagi:translate_session}}","x":["{{kagi:translate_session}}"],"y":"{{kagi:translate_session}} "}"#;
        assert_eq!(
            String::from_utf8(substitute(body, &value)).unwrap(),
            r#"{"session_token":"a\"b\\c","x":["a\"b\\c"],"y":"{{kagi:translate_session}} "}"#
        );
        assert_eq!(substitute(b"no placeholder", &value), b"no placeholder");
    }
}
