//! Credentials: the session token and the API token, held only by the host.
//! `Secret` never prints its value, so a token cannot slip into a log line,
//! an error message or a panic. Also here: reading a Session Link, masking a
//! token for display, and saying where a value came from.

use std::fmt;

/// A token. Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the places that attach it to a request or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A display form that identifies a token without revealing it:
    /// `abcd…wxyz` for long tokens, only the length for short ones.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() >= 16 {
            let head: String = chars[..4].iter().collect();
            let tail: String = chars[chars.len() - 4..].iter().collect();
            format!("{head}…{tail}")
        } else {
            format!("hidden, {} characters", chars.len())
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Session,
    Api,
}

impl Kind {
    pub fn env_var(self) -> &'static str {
        self.token().env_var()
    }

    /// The key in a `.kagi.toml` auth block.
    pub fn config_key(self) -> &'static str {
        self.token().config_key()
    }

    /// The same kind in the protocol crate, which holds the wording the
    /// host and plugins share.
    pub fn token(self) -> kagi_protocol::Token {
        match self {
            Kind::Session => kagi_protocol::Token::Session,
            Kind::Api => kagi_protocol::Token::Api,
        }
    }

    /// The key that records "this token is in the system keychain".
    pub fn keyring_key(self) -> &'static str {
        match self {
            Kind::Session => "session_token_in_keyring",
            Kind::Api => "api_token_in_keyring",
        }
    }

    /// `session-token` / `api-token`, as `auth status` and `auth check` print it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Session => "session-token",
            Kind::Api => "api-token",
        }
    }

    /// `session token` / `API token`, for sentences.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Session => "session token",
            Kind::Api => "API token",
        }
    }

    /// The value of `preferred_auth`.
    pub fn preference_name(self) -> &'static str {
        match self {
            Kind::Session => "session",
            Kind::Api => "api",
        }
    }

    pub fn other(self) -> Kind {
        match self {
            Kind::Session => Kind::Api,
            Kind::Api => Kind::Session,
        }
    }

    /// The `auth set` flag that stores this kind.
    pub fn set_flag(self) -> &'static str {
        match self {
            Kind::Session => "--session-token",
            Kind::Api => "--api-token",
        }
    }

    /// Where on kagi.com a user gets this credential.
    pub fn settings_url(self) -> &'static str {
        self.token().settings_url()
    }

    /// Reads what a user typed or pasted for this kind: a Session Link or
    /// bare session token, or an API token.
    pub fn parse_input(self, input: &str) -> Result<Secret, String> {
        match self {
            Kind::Session => parse_session_input(input),
            Kind::Api => parse_api_token(input),
        }
    }
}

/// Where a credential (or the preference) came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An environment variable.
    Env(&'static str),
    /// A config file block: `file` as displayed, `block` like `[auth]`,
    /// `profile` the profile whose block it is (`None` for `[auth]`).
    File {
        file: String,
        block: String,
        profile: Option<String>,
    },
    /// The system keychain, recorded in a config file block.
    Keyring {
        file: String,
        block: String,
        profile: Option<String>,
    },
    /// Nothing set it (the preference's default).
    Default,
}

impl Source {
    /// `env` or `config` (a keychain entry counts as config: a config block
    /// records it), as `auth status` and `auth check` print it for scripts.
    pub fn origin(&self) -> &'static str {
        match self {
            Source::Env(_) => "env",
            Source::File { .. } | Source::Keyring { .. } => "config",
            Source::Default => "default",
        }
    }

    /// The `auth set` command that replaces a value from this source, or for
    /// the environment what to change.
    pub fn fix(&self, kind: Kind) -> String {
        let placeholder = match kind {
            Kind::Session => "'<Session Link>'",
            Kind::Api => "<token>",
        };
        let profile_flag = |p: &Option<String>| match p {
            Some(p) => format!(" --profile {p}"),
            None => String::new(),
        };
        match self {
            Source::Env(var) => format!("put the new value in {var}"),
            Source::File { profile, .. } => format!(
                "run `kagi{} auth set {} {placeholder}`",
                profile_flag(profile),
                kind.set_flag()
            ),
            Source::Default => format!("run `kagi auth set {} {placeholder}`", kind.set_flag()),
            Source::Keyring { profile, .. } => format!(
                "run `kagi{} auth set --keyring {} {placeholder}`",
                profile_flag(profile),
                kind.set_flag()
            ),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Env(var) => write!(f, "env {var}"),
            Source::File { file, block, .. } => write!(f, "{file} {block}"),
            Source::Keyring { file, block, .. } => write!(f, "keychain, noted in {file} {block}"),
            Source::Default => f.write_str("default"),
        }
    }
}

/// The credentials in force for this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub session: Option<Secret>,
    pub api: Option<Secret>,
    pub preferred: Kind,
}

impl Credentials {
    pub fn get(&self, kind: Kind) -> Option<&Secret> {
        match kind {
            Kind::Session => self.session.as_ref(),
            Kind::Api => self.api.as_ref(),
        }
    }
}

/// Reads a Session Link (`https://kagi.com/search?token=…`, with or without
/// the scheme) or a bare session token. Error messages never repeat the input.
pub fn parse_session_input(input: &str) -> Result<Secret, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err("the session token is empty".into());
    }
    let lower = input.to_ascii_lowercase();
    let link = if lower.starts_with("http://") || lower.starts_with("https://") {
        Some(input.to_string())
    } else if input.contains("?token=") || input.contains("&token=") {
        // A link pasted without its scheme, like `kagi.com/search?token=…`.
        Some(format!("https://{input}"))
    } else {
        None
    };
    let token = match link {
        Some(link) => {
            let url = url::Url::parse(&link).map_err(|e| {
                format!(
                    "the Session Link is not a valid URL ({e}); copy the whole link from {}",
                    Kind::Session.settings_url()
                )
            })?;
            let token = url
                .query_pairs()
                .find(|(k, _)| k == "token")
                .map(|(_, v)| v.trim().to_string())
                .ok_or_else(|| {
                    format!(
                        "the Session Link has no token= parameter; copy the whole link from {}",
                        Kind::Session.settings_url()
                    )
                })?;
            if token.is_empty() {
                return Err(format!(
                    "the Session Link has an empty token= parameter; copy the whole link from {}",
                    Kind::Session.settings_url()
                ));
            }
            token
        }
        None => input.to_string(),
    };
    if let Some(bad) = token
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, ';' | ',' | '"' | '\\'))
    {
        let what = if bad.is_whitespace() {
            "a space".to_string()
        } else if bad.is_control() {
            "a control character".to_string()
        } else {
            format!("`{bad}`")
        };
        return Err(format!(
            "the session token contains {what}, which no Kagi session token has; paste the Session Link or the bare token"
        ));
    }
    Ok(Secret::new(token))
}

/// Reads an API token: trimmed, non-empty, sendable in a header.
pub fn parse_api_token(input: &str) -> Result<Secret, String> {
    let token = input.trim();
    if token.is_empty() {
        return Err("the API token is empty".into());
    }
    if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(
            "the API token contains spaces or control characters; paste only the token".into(),
        );
    }
    Ok(Secret::new(token))
}

/// Replaces every occurrence of a secret in `text` (for messages built from
/// server responses, which could echo what was sent).
pub fn redact(text: &str, secrets: &[&Secret]) -> String {
    let mut out = text.to_string();
    for secret in secrets {
        if secret.expose().len() >= 4 {
            out = out.replace(secret.expose(), "<redacted>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("very-secret-value-123");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        let c = Credentials {
            session: Some(s.clone()),
            api: None,
            preferred: Kind::Session,
        };
        assert!(!format!("{c:?}").contains("very-secret"));
    }

    #[test]
    fn masks_long_tokens_and_hides_short_ones() {
        assert_eq!(
            Secret::new("abcdEFGHijklMNOPqrstWXYZ").masked(),
            "abcd…WXYZ"
        );
        assert_eq!(Secret::new("short").masked(), "hidden, 5 characters");
    }

    #[test]
    fn session_links_and_bare_tokens() {
        let t = |s: &str| parse_session_input(s).map(|s| s.expose().to_string());
        assert_eq!(
            t("https://kagi.com/search?token=abc123.def456&foo=bar").unwrap(),
            "abc123.def456"
        );
        assert_eq!(t("  HTTPS://kagi.com/search?token=a%2Bb  ").unwrap(), "a+b");
        assert_eq!(t("kagi.com/search?token=xyz.789").unwrap(), "xyz.789");
        assert_eq!(t("  raw.token-42 ").unwrap(), "raw.token-42");
        assert!(t("").unwrap_err().contains("empty"));
        assert!(
            t("https://kagi.com/search?q=1")
                .unwrap_err()
                .contains("no token= parameter")
        );
        assert!(
            t("https://kagi.com/search?token=")
                .unwrap_err()
                .contains("empty token=")
        );
        assert!(t("http://[bad").unwrap_err().contains("not a valid URL"));
        let err = t("two words").unwrap_err();
        assert!(err.contains("a space"), "{err}");
        assert!(!err.contains("two words"));
        assert!(t("a;b").unwrap_err().contains("`;`"));
    }

    #[test]
    fn api_tokens_are_trimmed() {
        assert_eq!(parse_api_token("  tok \n").unwrap().expose(), "tok");
        assert!(parse_api_token("   ").is_err());
        assert!(parse_api_token("a b").is_err());
    }

    #[test]
    fn redacts_echoed_secrets() {
        let s = Secret::new("tok-1234567");
        assert_eq!(
            redact("bad token tok-1234567 here", &[&s]),
            "bad token <redacted> here"
        );
    }
}
