//! The host's error type and how each kind reaches the user: one line on
//! stderr with a class prefix, and an exit code from a small, documented set.

use crate::sanitize::escape_for_display;
use std::fmt;

/// Exit codes. 0, 1 and 2 keep the meaning users' scripts already rely on.
pub mod exit {
    pub const OK: i32 = 0;
    /// A runtime error: configuration, authentication, network, parse, batch.
    pub const ERROR: i32 = 1;
    /// A usage error (bad flags or arguments).
    pub const USAGE: i32 = 2;
    /// A plugin crashed or hit a limit (trap, panic, memory, CPU, time, output).
    pub const PLUGIN_FAILED: i32 = 3;
    /// A plugin was refused: bad manifest, forbidden import, incompatible API,
    /// or it tried something it was not granted.
    pub const PLUGIN_DENIED: i32 = 4;
    /// The user pressed Ctrl-C (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: i32 = 130;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    Usage(String),
    Config(String),
    Auth(String),
    Network(String),
    Parse(String),
    /// A plugin's failure of its own class (e.g. `batch`), printed as
    /// `<class> error: <message>` and exiting with `code`.
    Failure {
        class: String,
        message: String,
        code: i32,
    },
    /// Writing the output failed.
    Output(String),
    /// A plugin failed at run time; `stderr_tail` is the end of what it wrote to stderr.
    PluginFailed {
        plugin: String,
        reason: String,
        stderr_tail: String,
    },
    /// A plugin was refused at load or denied at run time.
    PluginDenied {
        plugin: String,
        reason: String,
    },
    /// The user pressed Ctrl-C while a plugin ran: `interrupted`, exit 130.
    Interrupted,
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => exit::USAGE,
            Error::Config(_)
            | Error::Auth(_)
            | Error::Network(_)
            | Error::Parse(_)
            | Error::Output(_) => exit::ERROR,
            Error::Failure { code, .. } => *code,
            Error::PluginFailed { .. } => exit::PLUGIN_FAILED,
            Error::PluginDenied { .. } => exit::PLUGIN_DENIED,
            Error::Interrupted => exit::INTERRUPTED,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => write!(f, "error: {m}"),
            Error::Config(m) => write!(f, "configuration error: {m}"),
            Error::Auth(m) => write!(f, "authentication error: {m}"),
            Error::Network(m) => write!(f, "network error: {m}"),
            Error::Parse(m) => write!(f, "parse error: {m}"),
            Error::Failure { class, message, .. } => write!(f, "{class} error: {message}"),
            Error::Output(m) => write!(f, "error: {m}"),
            Error::Interrupted => f.write_str("interrupted"),
            Error::PluginFailed {
                plugin,
                reason,
                stderr_tail,
            } => {
                write!(f, "plugin error: plugin `{plugin}` {reason}")?;
                let tail = stderr_tail.trim_end();
                if !tail.is_empty() {
                    write!(f, "\n  last lines of its stderr:")?;
                    // The plugin wrote these bytes: shown escaped, never obeyed.
                    for line in tail.lines() {
                        write!(f, "\n  | {}", escape_for_display(line))?;
                    }
                }
                Ok(())
            }
            Error::PluginDenied { plugin, reason } => {
                write!(f, "plugin denied: plugin `{plugin}` {reason}")
            }
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
