//! The terminal beyond output: interrupts (Ctrl-C) and reading a line the
//! user types at a prompt.
//!
//! While a plugin runs, the host catches Ctrl-C. The first one makes every
//! blocking call (HTTP, stdin, sleep, [`read_prompt`]) return at once with an
//! interrupt ([`Error::is_interrupted`]) until the plugin calls
//! [`take_interrupt`]; a second one ends the process with exit 130. A command
//! that just returns the error ends with `interrupted` and exit 130; a loop
//! that wants to cancel only its current step takes the interrupt and goes on:
//!
//! ```ignore
//! loop {
//!     match terminal::read_prompt("> ")? {
//!         Prompted::Line(line) => match answer(&line) {
//!             Err(e) if e.is_interrupted() => { terminal::take_interrupt(); }
//!             other => other?,
//!         },
//!         Prompted::Interrupted => continue,
//!         Prompted::Eof => return Ok(()),
//!     }
//! }
//! ```

use crate::Error;
use crate::bindings::kagi::plugin::terminal as wit;

/// What [`read_prompt`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompted {
    /// A line, without its line ending.
    Line(String),
    /// End of input: Ctrl-D on an empty line, or the end of stdin.
    Eof,
    /// Ctrl-C at the prompt (or an interrupt that was pending, now taken).
    Interrupted,
}

/// Takes the pending interrupt: whether the user pressed Ctrl-C since the
/// last call, and clears it so host calls block again.
pub fn take_interrupt() -> bool {
    wit::take_interrupt()
}

/// Reads a line the user types after `prompt` (needs `stdin = true` in the
/// manifest). On a terminal the host draws the prompt on stderr with line
/// editing and this run's history; otherwise it returns the next line of
/// stdin and draws nothing.
pub fn read_prompt(prompt: &str) -> Result<Prompted, Error> {
    match wit::read_prompt(prompt) {
        Ok(wit::Prompted::Line(line)) => Ok(Prompted::Line(line)),
        Ok(wit::Prompted::Eof) => Ok(Prompted::Eof),
        Ok(wit::Prompted::Interrupted) => Ok(Prompted::Interrupted),
        Err(e) => Err(crate::stdin::read_error(e)),
    }
}
