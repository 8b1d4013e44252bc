//! How a plugin run ended, in the host's terms: its structured result
//! printed, its own error mapped to kagi's classes and exit codes, or the trap
//! that stopped it explained in one line.

use super::{Stop, command_api};
use crate::capabilities;
use crate::error::{Error, Result};
use crate::output::{Output, OutputError};
use wasmtime::Trap;

/// A command's structured result: JSON the host prints, pretty, on stdout.
///
/// The host renders the machine formats: `--format compact` gives one line,
/// anything else (`json`, no `--format`) two-space pretty JSON. Human formats
/// (pretty, markdown, csv, templates) are the plugin's to render, with the
/// SDK's output layer; a structured result under one is printed as JSON.
pub(super) fn print_result(
    plugin: &str,
    value: &str,
    format: Option<&str>,
    output: &Output,
) -> Result<()> {
    let parsed: serde_json::Value =
        serde_json::from_str(value).map_err(|e| Error::PluginFailed {
            plugin: plugin.to_string(),
            reason: format!("returned a result that is not JSON: {e}"),
            stderr_tail: output.stderr_tail(),
        })?;
    let mut text = match format {
        Some("compact") => serde_json::to_string(&parsed),
        _ => serde_json::to_string_pretty(&parsed),
    }
    .expect("a JSON value serializes");
    text.push('\n');
    match output.write(crate::output::Channel::Stdout, text.as_bytes()) {
        Ok(()) | Err(OutputError::Closed) => Ok(()),
        Err(OutputError::LimitExceeded(n)) => Err(Error::PluginFailed {
            plugin: plugin.to_string(),
            reason: format!("exceeded the output limit of {} MiB", n / (1024 * 1024)),
            stderr_tail: output.stderr_tail(),
        }),
        Err(OutputError::Failed(e)) => Err(Error::Output(format!("cannot write to stdout: {e}"))),
    }
}

/// Exit codes a plugin's own failure class may use: 2, 3 and 4 mean a usage
/// error, a failed plugin and a denial, and are the host's to give.
fn plugin_exit_code(code: u8) -> bool {
    code == 1 || (5..=63).contains(&code)
}

/// A failure class as the host prints it: lowercase letters, digits, `-`
/// and spaces, at most 32 characters.
fn plugin_failure_class(class: &str) -> bool {
    !class.is_empty()
        && class.len() <= 32
        && class
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == ' ')
}

pub(super) fn command_error(plugin: &str, e: command_api::Error, output: &Output) -> Error {
    use crate::sanitize::escape_for_display as shown;
    use command_api::Error as E;
    // The plugin wrote the message: its control characters are shown escaped.
    match e {
        E::Usage(m) => Error::Usage(shown(&m)),
        E::Config(m) => Error::Config(shown(&m)),
        E::Auth(m) => Error::Auth(shown(&m)),
        E::Network(m) => Error::Network(shown(&m)),
        E::Parse(m) => Error::Parse(shown(&m)),
        E::Other(f) if !plugin_failure_class(&f.class) => Error::PluginFailed {
            plugin: plugin.to_string(),
            reason: format!(
                "reported a failure of class `{}`; a class has only lowercase letters, digits, `-` and spaces (at most 32)",
                shown(&f.class)
            ),
            stderr_tail: output.stderr_tail(),
        },
        E::Other(f) if !plugin_exit_code(f.exit_code) => Error::PluginFailed {
            plugin: plugin.to_string(),
            reason: format!(
                "reported a failure with exit code {}, which only kagi may use (plugins use 1 or 5 to 63)",
                f.exit_code
            ),
            stderr_tail: output.stderr_tail(),
        },
        E::Other(f) => Error::Failure {
            class: f.class,
            message: shown(&f.message),
            code: i32::from(f.exit_code),
        },
        E::Interrupted => Error::Interrupted,
        E::Internal(m) => Error::PluginFailed {
            plugin: plugin.to_string(),
            reason: format!("reported an internal error: {}", shown(&m)),
            stderr_tail: output.stderr_tail(),
        },
    }
}

pub(super) fn trap_error(
    plugin: &str,
    e: wasmtime::Error,
    limits: &capabilities::Limits,
    memory_hit: bool,
    output: &Output,
) -> Result<()> {
    let failed = |reason: String| Error::PluginFailed {
        plugin: plugin.to_string(),
        reason,
        stderr_tail: output.stderr_tail(),
    };
    if let Some(stop) = e.downcast_ref::<Stop>() {
        return match stop {
            Stop::Host(error) => Err(error.clone()),
            Stop::OutputClosed => Ok(()),
            Stop::TimedOut => Err(failed(time_limit(limits))),
            Stop::OutputLimit(n) => Err(failed(format!(
                "exceeded the output limit of {} MiB",
                n / (1024 * 1024)
            ))),
        };
    }
    if let Some(exit) = e.downcast_ref::<wasmtime_wasi::I32Exit>() {
        // WASI 0.2 only carries success or failure, not the plugin's number.
        return if exit.0 == 0 {
            Ok(())
        } else {
            Err(failed("exited with a failure status".to_string()))
        };
    }
    if let Some(wasmtime::component::ResourceTableError::Full) = e.downcast_ref() {
        return Err(failed(format!(
            "held more than {} handles (responses, requests, locks) at once; it must drop the ones it is done with",
            capabilities::MAX_HANDLES
        )));
    }
    if memory_hit {
        return Err(failed(format!(
            "exceeded its memory limit of {} MiB",
            limits.memory_bytes / (1024 * 1024)
        )));
    }
    let reason = match e.downcast_ref::<Trap>() {
        Some(Trap::StackOverflow) => "overflowed its stack (runaway recursion)".to_string(),
        Some(Trap::UnreachableCodeReached) if output.stderr_tail().contains("panicked") => {
            "panicked".to_string()
        }
        Some(trap) => format!("crashed: {trap}"),
        None => format!("failed: {e}"),
    };
    Err(failed(reason))
}

pub(super) fn cpu_limit(limits: &capabilities::Limits) -> String {
    format!(
        "used up its CPU budget of {} s (each second it sleeps gives one back)",
        limits.cpu.as_secs()
    )
}

pub(super) fn time_limit(limits: &capabilities::Limits) -> String {
    match limits.timeout {
        Some(t) => format!("ran past its time limit of {} s", t.as_secs()),
        None => "ran past its time limit".to_string(),
    }
}
