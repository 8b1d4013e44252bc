//! `kagi:plugin/terminal`: output, terminal facts, progress bars and sleep.

use super::super::bindings::kagi::plugin::terminal;
use super::super::{HostState, Stop, ThreadClock, block_on_deadline, interrupt};
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
        if ms == 0 {
            // Not even a timer tick: a loop "resting" for no time is not resting.
            return Ok(());
        }
        let duration = std::time::Duration::from_millis(ms);
        let clock = ThreadClock::current();
        let (started, used_before) = (std::time::Instant::now(), clock.read());
        // The timer must be created inside the runtime, hence the async block;
        // Ctrl-C ends the sleep early.
        let slept = block_on_deadline(&self.ctx, self.deadline, async move {
            interrupt::or_interrupted(tokio::time::sleep(duration)).await
        });
        // The time the thread was actually off the CPU gives back budget (see
        // `cpu_budget`): a zero-length sleep's own bookkeeping gives nothing.
        if let (Some(before), Some(used)) = (used_before, clock.read()) {
            let off_cpu = started
                .elapsed()
                .saturating_sub(used.saturating_sub(before));
            self.cpu.rest(off_cpu, used);
        }
        let _ = slept?;
        Ok(())
    }

    fn take_interrupt(&mut self) -> WResult<bool> {
        Ok(interrupt::take())
    }

    fn read_prompt(&mut self, prompt: String) -> WResult<Result<terminal::Prompted, String>> {
        self.grants.check_stdin().map_err(Stop::Host)?;
        // An interrupt the plugin did not take is answered here, so a loop
        // that forgot to take it does not spin on it.
        if interrupt::take() {
            return Ok(Ok(terminal::Prompted::Interrupted));
        }
        let t = self.ctx.terminal;
        if t.stdin_tty && t.stderr_tty && !line_editor::unsupported_terminal() {
            return Ok(line_editor::read(&prompt));
        }
        Ok(Ok(match self.next_line()? {
            Ok(Ok(Some(line))) => terminal::Prompted::Line(line),
            Ok(Ok(None)) => terminal::Prompted::Eof,
            Ok(Err(e)) => return Ok(Err(e)),
            // Ctrl-C while reading a line: the prompt answers it, as the line
            // editor does, so the interrupt is taken.
            Err(interrupt::Interrupted) => {
                interrupt::take();
                terminal::Prompted::Interrupted
            }
        }))
    }
}

/// The line editor of `read-prompt` on a terminal: one per run, so the
/// history of the run's lines is kept between prompts (in memory only).
mod line_editor {
    use super::terminal::Prompted;
    use rustyline::error::ReadlineError;
    use rustyline::{Behavior, Config, DefaultEditor};
    use std::sync::Mutex;

    static EDITOR: Mutex<Option<DefaultEditor>> = Mutex::new(None);

    /// The longest prompt drawn, in characters.
    const MAX_PROMPT_CHARS: usize = 200;

    /// Terminals the editor cannot drive (it would draw on stdout); these get
    /// the plain line read instead.
    pub(super) fn unsupported_terminal() -> bool {
        std::env::var("TERM").is_ok_and(|t| ["dumb", "cons25", "emacs"].contains(&t.as_str()))
    }

    /// Reads a line at `prompt`, drawn on the terminal (not stdout, which
    /// may be piped), with the prompt's control characters escaped.
    pub(super) fn read(prompt: &str) -> Result<Prompted, String> {
        let mut editor = EDITOR.lock().unwrap_or_else(|e| e.into_inner());
        if editor.is_none() {
            let config = Config::builder()
                .behavior(Behavior::PreferTerm)
                .auto_add_history(false)
                .build();
            *editor = Some(
                DefaultEditor::with_config(config)
                    .map_err(|e| format!("cannot read from the terminal: {e}"))?,
            );
        }
        let editor = editor.as_mut().expect("created above");
        let prompt = crate::sanitize::escape_and_cap(prompt, MAX_PROMPT_CHARS);
        // Kept to put back should the process end while the editor reads.
        let _saved = super::interrupt::save_terminal();
        match editor.readline(&prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                Ok(Prompted::Line(line))
            }
            Err(ReadlineError::Eof) => Ok(Prompted::Eof),
            Err(ReadlineError::Interrupted) => Ok(Prompted::Interrupted),
            Err(e) => Err(format!("cannot read from the terminal: {e}")),
        }
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
        interrupt::track_progress(&bar);
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
