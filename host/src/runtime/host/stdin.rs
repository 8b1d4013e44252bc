//! `kagi:plugin/stdin`: what the user pipes in, for plugins granted `stdin`,
//! bounded in size.

use super::super::bindings::kagi::plugin::stdin;
use super::super::interrupt::{self, Interrupted};
use super::super::{HostState, Stop, block_on_deadline};
use super::WResult;
use std::io::{BufRead, Read};
use std::sync::{Arc, Mutex};
use tokio::task::JoinHandle;

/// What a host call that reads stdin returns to the plugin.
type Reading<T> = Result<T, String>;

/// A read of stdin Ctrl-C stopped waiting for: the thread reading cannot be
/// stopped, so the next read picks up its result and no input is lost.
static LINE_IN_FLIGHT: Mutex<Option<JoinHandle<Reading<Option<String>>>>> = Mutex::new(None);

/// Interrupted reads say so in the message the SDK recognises.
const INTERRUPTED: &str = "interrupted";

impl stdin::Host for HostState {
    fn read_all(&mut self) -> WResult<Reading<Vec<u8>>> {
        self.grants.check_stdin().map_err(Stop::Host)?;
        let read = self.ctx.rt.spawn_blocking(|| {
            read_all_bounded(
                std::io::stdin().lock(),
                crate::capabilities::MAX_STDIN_BYTES,
            )
        });
        let ctx = Arc::clone(&self.ctx);
        Ok(
            match block_on_deadline(&ctx, self.deadline, interrupt::or_interrupted(read))? {
                Ok(read) => read.unwrap_or_else(|e| Err(e.to_string())),
                Err(Interrupted) => Err(INTERRUPTED.to_string()),
            },
        )
    }

    fn read_line(&mut self) -> WResult<Reading<Option<String>>> {
        Ok(self
            .next_line()?
            .unwrap_or_else(|Interrupted| Err(INTERRUPTED.to_string())))
    }
}

impl HostState {
    /// The next line of stdin, read through the buffer `read-line` and
    /// `terminal.read-prompt` share; `Err(Interrupted)` on Ctrl-C.
    pub(super) fn next_line(&mut self) -> WResult<Result<Reading<Option<String>>, Interrupted>> {
        self.grants.check_stdin().map_err(Stop::Host)?;
        let in_flight = LINE_IN_FLIGHT
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let mut read = in_flight.unwrap_or_else(|| {
            self.ctx.rt.spawn_blocking(|| {
                read_line_bounded(
                    std::io::stdin().lock(),
                    crate::capabilities::MAX_STDIN_LINE_BYTES,
                )
            })
        });
        let ctx = Arc::clone(&self.ctx);
        let waited = block_on_deadline(&ctx, self.deadline, async {
            let outcome = interrupt::or_interrupted(&mut read).await;
            (outcome, read)
        })?;
        Ok(match waited {
            (Ok(joined), _) => Ok(joined.unwrap_or_else(|e| Err(e.to_string()))),
            (Err(Interrupted), read) => {
                *LINE_IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner()) = Some(read);
                Err(Interrupted)
            }
        })
    }
}

const MIB: u64 = 1024 * 1024;

fn size_text(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// All of `input`, unless it is longer than `max` bytes.
fn read_all_bounded(input: impl Read, max: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    input
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "stdin is larger than the {} a plugin may read; pass a smaller input",
            size_text(max)
        ));
    }
    Ok(bytes)
}

/// The next line of `input` without its line ending (`None` at the end),
/// unless it is longer than `max` bytes.
fn read_line_bounded(input: impl BufRead, max: u64) -> Result<Option<String>, String> {
    let mut line = Vec::new();
    // Room for the longest allowed line and its `\r\n`.
    let read = input
        .take(max.saturating_add(2))
        .read_until(b'\n', &mut line)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    if read == 0 {
        return Ok(None);
    }
    for ending in [b'\n', b'\r'] {
        if line.last() == Some(&ending) {
            line.pop();
        }
    }
    if line.len() as u64 > max {
        return Err(format!(
            "a line of stdin is longer than the {} a plugin may read at once",
            size_text(max)
        ));
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| "a line of stdin is not valid UTF-8".to_string())
}

#[cfg(test)]
mod stdin_tests {
    use super::*;

    #[test]
    fn stdin_is_read_up_to_its_limit() {
        assert_eq!(read_all_bounded(&b"12345"[..], 5).unwrap(), b"12345");
        assert_eq!(
            read_all_bounded(&[0u8; 2 * MIB as usize + 1][..], 2 * MIB).unwrap_err(),
            "stdin is larger than the 2 MiB a plugin may read; pass a smaller input"
        );
    }

    #[test]
    fn a_line_of_stdin_is_read_up_to_its_limit() {
        let mut input = &b"12345\r\n1234\n123456\nlast"[..];
        assert_eq!(read_line_bounded(&mut input, 5).unwrap().unwrap(), "12345");
        assert_eq!(read_line_bounded(&mut input, 5).unwrap().unwrap(), "1234");
        assert_eq!(
            read_line_bounded(&mut input, 5).unwrap_err(),
            "a line of stdin is longer than the 5 bytes a plugin may read at once"
        );
        assert_eq!(read_line_bounded(&mut input, 5).unwrap().unwrap(), "last");
        assert_eq!(read_line_bounded(&mut input, 5).unwrap(), None);
    }
}
