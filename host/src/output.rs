//! Where plugin output goes: the real stdout and stderr, written as the plugin
//! goes, with a limit on the total and the tail of stderr kept for error reports.
//! A channel that is a terminal gets only text, newlines, tabs and colours
//! (see [`TerminalFilter`]); a piped channel gets the plugin's bytes exactly.

use crate::sanitize::TerminalFilter;
use std::collections::VecDeque;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};

const STDERR_TAIL_BYTES: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Stdout,
    Stderr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputError {
    /// The plugin wrote more than it may.
    LimitExceeded(u64),
    /// The reader went away (`kagi ... | head`).
    Closed,
    /// stdout could not be written (a full disk, say).
    Failed(String),
}

#[derive(Clone)]
pub struct Output {
    state: Arc<Mutex<State>>,
}

struct State {
    written: u64,
    limit: u64,
    stderr_tail: VecDeque<u8>,
    /// Set for a channel that is a terminal.
    stdout_filter: Option<TerminalFilter>,
    stderr_filter: Option<TerminalFilter>,
}

impl Output {
    /// Output limited to `limit` bytes, filtered on the channels that
    /// `terminal` says are terminals.
    pub fn new(limit: u64, terminal: &Terminal) -> Output {
        let filter = |tty: bool| tty.then(TerminalFilter::new);
        Output {
            state: Arc::new(Mutex::new(State {
                written: 0,
                limit,
                stderr_tail: VecDeque::new(),
                stdout_filter: filter(terminal.stdout_tty),
                stderr_filter: filter(terminal.stderr_tty),
            })),
        }
    }

    pub fn write(&self, channel: Channel, bytes: &[u8]) -> Result<(), OutputError> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.written += bytes.len() as u64;
        if state.written > state.limit {
            return Err(OutputError::LimitExceeded(state.limit));
        }
        if channel == Channel::Stderr {
            state.stderr_tail.extend(bytes);
            let excess = state.stderr_tail.len().saturating_sub(STDERR_TAIL_BYTES);
            state.stderr_tail.drain(..excess);
        }
        let filter = match channel {
            Channel::Stdout => state.stdout_filter.as_mut(),
            Channel::Stderr => state.stderr_filter.as_mut(),
        };
        let filtered;
        let bytes = match filter {
            Some(filter) => {
                let mut kept = Vec::with_capacity(bytes.len());
                filter.filter(bytes, &mut kept);
                filtered = kept;
                &filtered[..]
            }
            None => bytes,
        };
        let result = match channel {
            Channel::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(bytes).and_then(|_| out.flush())
            }
            Channel::Stderr => {
                let mut err = std::io::stderr().lock();
                err.write_all(bytes).and_then(|_| err.flush())
            }
        };
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(OutputError::Closed),
            Err(e) if channel == Channel::Stdout => Err(OutputError::Failed(e.to_string())),
            // Nothing sensible can be reported when stderr itself fails.
            Err(_) => Ok(()),
        }
    }

    /// The last lines the plugin wrote to stderr (at most 5).
    pub fn stderr_tail(&self) -> String {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let bytes: Vec<u8> = state.stderr_tail.iter().copied().collect();
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        lines[lines.len().saturating_sub(5)..].join("\n")
    }
}

/// Facts about the terminal, read once.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    pub stdin_tty: bool,
    pub color: bool,
    pub width: Option<u16>,
}

impl Terminal {
    pub fn detect() -> Terminal {
        let stdout_tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Terminal {
            stdout_tty,
            stderr_tty: std::io::stderr().is_terminal(),
            stdin_tty: std::io::stdin().is_terminal(),
            color: stdout_tty && !no_color,
            width: if stdout_tty {
                terminal_size::terminal_size().map(|(w, _)| w.0)
            } else {
                None
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piped() -> Terminal {
        Terminal {
            stdout_tty: false,
            stderr_tty: false,
            stdin_tty: false,
            color: false,
            width: None,
        }
    }

    #[test]
    fn enforces_the_limit_and_keeps_the_stderr_tail() {
        let out = Output::new(40, &piped());
        out.write(Channel::Stderr, b"one\ntwo\n").unwrap();
        out.write(Channel::Stderr, b"three\n").unwrap();
        assert_eq!(out.stderr_tail(), "one\ntwo\nthree");
        assert_eq!(
            out.write(Channel::Stderr, &[b'x'; 64]),
            Err(OutputError::LimitExceeded(40))
        );
    }
}
