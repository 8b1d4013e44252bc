//! `kagi:plugin/terminal`: output, terminal facts, progress bars and sleep.

use super::super::bindings::kagi::plugin::terminal;
use super::super::{HostState, Stop, block_on_deadline};
use super::WResult;
use crate::output::Channel;
use wasmtime::component::Resource;

pub struct ProgressHandle {
    bar: indicatif::ProgressBar,
}

impl terminal::Host for HostState {
    fn info(&mut self) -> WResult<terminal::TerminalInfo> {
        let t = self.ctx.terminal;
        Ok(terminal::TerminalInfo {
            stdout_is_tty: t.stdout_tty,
            stderr_is_tty: t.stderr_tty,
            stdin_is_tty: t.stdin_tty,
            color: t.color,
            width: t.width,
        })
    }

    fn write(&mut self, to: terminal::Channel, bytes: Vec<u8>) -> WResult<()> {
        let channel = match to {
            terminal::Channel::Stdout => Channel::Stdout,
            terminal::Channel::Stderr => Channel::Stderr,
        };
        self.output.write(channel, &bytes).map_err(Stop::from)?;
        Ok(())
    }

    fn sleep_ms(&mut self, ms: u64) -> WResult<()> {
        let duration = std::time::Duration::from_millis(ms);
        // The timer must be created inside the runtime, hence the async block.
        block_on_deadline(&self.ctx, self.deadline, async move {
            tokio::time::sleep(duration).await
        })?;
        Ok(())
    }
}

/// Progress bars a plugin may hold at once: each one draws on the terminal.
pub const MAX_PROGRESS_BARS: usize = 8;
/// The longest progress message shown, in characters.
pub const MAX_PROGRESS_MESSAGE_CHARS: usize = 200;

/// A progress message as the host draws it: control characters escaped,
/// length capped.
fn progress_message(message: &str) -> String {
    crate::sanitize::escape_and_cap(message, MAX_PROGRESS_MESSAGE_CHARS)
}

impl terminal::HostProgress for HostState {
    fn new(&mut self, message: String, total: Option<u64>) -> WResult<Resource<ProgressHandle>> {
        if self.progress_bars >= MAX_PROGRESS_BARS {
            return Err(Stop::Host(crate::error::Error::PluginFailed {
                plugin: self.grants.plugin.clone(),
                reason: format!(
                    "opened more than {MAX_PROGRESS_BARS} progress bars at once (finish one before starting another)"
                ),
                stderr_tail: self.output.stderr_tail(),
            })
            .into());
        }
        let bar = if self.ctx.terminal.stderr_tty {
            let bar = match total {
                Some(n) => indicatif::ProgressBar::new(n),
                None => indicatif::ProgressBar::new_spinner(),
            };
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        bar.set_message(progress_message(&message));
        let handle = self.table().push(ProgressHandle { bar })?;
        self.progress_bars += 1;
        Ok(handle)
    }

    fn set_message(&mut self, r: Resource<ProgressHandle>, message: String) -> WResult<()> {
        self.table()
            .get(&r)?
            .bar
            .set_message(progress_message(&message));
        Ok(())
    }

    fn inc(&mut self, r: Resource<ProgressHandle>, delta: u64) -> WResult<()> {
        self.table().get(&r)?.bar.inc(delta);
        Ok(())
    }

    fn finish(&mut self, r: Resource<ProgressHandle>) -> WResult<()> {
        self.table().get(&r)?.bar.finish_and_clear();
        Ok(())
    }

    fn drop(&mut self, r: Resource<ProgressHandle>) -> WResult<()> {
        self.table().delete(r)?.bar.finish_and_clear();
        self.progress_bars = self.progress_bars.saturating_sub(1);
        Ok(())
    }
}
