//! The error a command returns. The host prints `<class prefix>: <message>` and
//! exits 2 for usage errors, 1 for the others (or a class's own exit code).

use crate::bindings::exports::kagi::plugin::command::{Error as WitError, Failure};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Bad arguments: exit 2, like the host's own usage errors.
    Usage,
    /// `configuration error:` bad input, missing credentials, rejected requests.
    Config,
    /// `authentication error:` a rejected or expired credential.
    Auth,
    /// `network error:` transport failures and server errors.
    Network,
    /// `parse error:` a response the plugin could not understand.
    Parse,
    /// `batch error:` some items of a batch failed (exit 1).
    Batch,
    /// A bug in the plugin.
    Internal,
    /// The user pressed Ctrl-C: the host prints `interrupted` and exits 130.
    Interrupted,
    /// A class of the plugin's own: `<class> error:` and its exit code (1,
    /// or 5 to 63; the host refuses the codes it gives itself). `class` has
    /// only lowercase letters, digits, `-` and spaces.
    Other { class: &'static str, exit_code: u8 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub class: ErrorClass,
    pub message: String,
}

impl Error {
    pub fn new(class: ErrorClass, message: impl Into<String>) -> Self {
        Error {
            class,
            message: message.into(),
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorClass::Usage, message)
    }
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorClass::Config, message)
    }
    pub fn auth(message: impl Into<String>) -> Self {
        Self::new(ErrorClass::Auth, message)
    }
    pub fn network(message: impl Into<String>) -> Self {
        Self::new(ErrorClass::Network, message)
    }
    pub fn parse(message: impl Into<String>) -> Self {
        Self::new(ErrorClass::Parse, message)
    }
    pub fn batch(message: impl Into<String>) -> Self {
        Self::new(ErrorClass::Batch, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorClass::Internal, message)
    }
    /// The user pressed Ctrl-C (what an interrupted host call turns into).
    pub fn interrupted() -> Self {
        Self::new(ErrorClass::Interrupted, "interrupted")
    }
    /// Whether this error is an interrupt: a loop that cancels only the
    /// current step checks it (and calls [`crate::terminal::take_interrupt`]).
    pub fn is_interrupted(&self) -> bool {
        self.class == ErrorClass::Interrupted
    }

    pub(crate) fn into_wit(self) -> WitError {
        let m = self.message;
        let other = |class: &str, exit_code: u8, message: String| {
            WitError::Other(Failure {
                class: class.to_string(),
                message,
                exit_code,
            })
        };
        match self.class {
            ErrorClass::Usage => WitError::Usage(m),
            ErrorClass::Config => WitError::Config(m),
            ErrorClass::Auth => WitError::Auth(m),
            ErrorClass::Network => WitError::Network(m),
            ErrorClass::Parse => WitError::Parse(m),
            ErrorClass::Batch => other("batch", 1, m),
            ErrorClass::Internal => WitError::Internal(m),
            ErrorClass::Interrupted => WitError::Interrupted,
            ErrorClass::Other { class, exit_code } => other(class, exit_code, m),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class;
        let prefix = match self.class {
            ErrorClass::Usage => "error",
            ErrorClass::Config => "configuration error",
            ErrorClass::Auth => "authentication error",
            ErrorClass::Network => "network error",
            ErrorClass::Parse => "parse error",
            ErrorClass::Batch => "batch error",
            ErrorClass::Internal => "internal error",
            // Printed as it is, without a class prefix.
            ErrorClass::Interrupted => return f.write_str(&self.message),
            ErrorClass::Other { class: name, .. } => {
                class = format!("{name} error");
                &class
            }
        };
        write!(f, "{prefix}: {}", self.message)
    }
}

impl std::error::Error for Error {}

/// A status or page a Kagi status family refuses (see `http::check_status`).
impl From<kagi_protocol::StatusError> for Error {
    fn from(e: kagi_protocol::StatusError) -> Self {
        let class = match e.class {
            kagi_protocol::Class::Config => ErrorClass::Config,
            kagi_protocol::Class::Auth => ErrorClass::Auth,
            kagi_protocol::Class::Network => ErrorClass::Network,
        };
        Error::new(class, e.message)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::parse(format!("JSON serialization error: {e}"))
    }
}
