//! Terminal output through the host: written as the plugin goes, with the
//! terminal facts a renderer needs.

use crate::bindings::kagi::plugin::terminal as wit;
use std::sync::OnceLock;
use std::time::Duration;

pub use wit::TerminalInfo;

/// Writes to stdout.
pub fn print(text: &str) {
    wit::write(wit::Channel::Stdout, text.as_bytes());
}

/// Writes a line to stdout.
pub fn println(text: &str) {
    let mut line = String::with_capacity(text.len() + 1);
    line.push_str(text);
    line.push('\n');
    print(&line);
}

/// Writes to stderr.
pub fn eprint(text: &str) {
    wit::write(wit::Channel::Stderr, text.as_bytes());
}

/// Writes a line to stderr.
pub fn eprintln(text: &str) {
    eprint(&format!("{text}\n"));
}

thread_local! {
    static RESULT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Hands the host `value` as the command's structured result: the host prints
/// it as pretty JSON on stdout once the command returns successfully (after
/// anything the plugin printed itself). A later call replaces it.
pub fn result_json<T: serde::Serialize>(value: &T) -> Result<(), crate::Error> {
    let text = serde_json::to_string(value)?;
    RESULT.with(|r| *r.borrow_mut() = Some(text));
    Ok(())
}

/// The result set by [`result_json`], taken when the command returns.
pub(crate) fn take_result() -> Option<String> {
    RESULT.with(|r| r.borrow_mut().take())
}

/// Facts about the terminal, asked once.
pub fn info() -> &'static TerminalInfo {
    static INFO: OnceLock<TerminalInfo> = OnceLock::new();
    INFO.get_or_init(wit::info)
}

/// Sleeps; the time counts against the plugin's wall-clock limit.
pub fn sleep(duration: Duration) {
    wit::sleep_ms(duration.as_millis().min(u64::MAX as u128) as u64);
}

/// A spinner or bar on stderr, drawn by the host only on a terminal.
pub struct Progress {
    inner: wit::Progress,
}

impl Progress {
    pub fn spinner(message: &str) -> Self {
        Progress {
            inner: wit::Progress::new(message, None),
        }
    }

    pub fn bar(message: &str, total: u64) -> Self {
        Progress {
            inner: wit::Progress::new(message, Some(total)),
        }
    }

    pub fn set_message(&self, message: &str) {
        self.inner.set_message(message);
    }

    pub fn inc(&self, delta: u64) {
        self.inner.inc(delta);
    }

    pub fn finish(self) {
        self.inner.finish();
    }
}
