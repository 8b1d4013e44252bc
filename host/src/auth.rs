//! Credentials: the session token and the API token, held only by the host.
//! `Secret` never prints its value, so a token cannot slip into a log line,
//! an error message or a panic.

use std::fmt;

/// A token. Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the one place that attaches it to a request.
    pub fn expose(&self) -> &str {
        &self.0
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
        match self {
            Kind::Session => "KAGI_SESSION_TOKEN",
            Kind::Api => "KAGI_API_TOKEN",
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

    /// From `KAGI_SESSION_TOKEN` and `KAGI_API_TOKEN` only.
    pub fn from_env() -> Self {
        let read = |kind: Kind| {
            std::env::var(kind.env_var())
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .map(Secret::new)
        };
        Credentials {
            session: read(Kind::Session),
            api: read(Kind::Api),
            preferred: Kind::Session,
        }
    }
}
