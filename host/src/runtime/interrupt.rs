//! Ctrl-C while a plugin runs.
//!
//! The host catches SIGINT once a plugin starts. The first Ctrl-C marks an
//! interrupt pending: every blocking host call in progress wakes up and
//! returns `interrupted` (they race their wait against [`or_interrupted`]),
//! and calls made while it is pending return it at once, until the plugin
//! takes it (`terminal.take-interrupt`). A second Ctrl-C while one is still
//! pending, or any Ctrl-C when no plugin runs, ends the process with exit
//! 130 after putting the terminal back and clearing progress bars.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once, OnceLock};
use tokio::sync::watch;

struct Interrupts {
    /// An interrupt the plugin has not taken yet.
    pending: watch::Sender<bool>,
    /// A plugin is running (otherwise Ctrl-C acts as it would by default).
    running: AtomicBool,
    /// The progress bars drawn for the plugin, cleared before a hard exit.
    progress: Mutex<Vec<indicatif::WeakProgressBar>>,
    /// The terminal's settings while the line editor has it in raw mode.
    #[cfg(unix)]
    saved_terminal: Mutex<Option<libc::termios>>,
}

fn state() -> &'static Interrupts {
    static STATE: OnceLock<Interrupts> = OnceLock::new();
    STATE.get_or_init(|| Interrupts {
        pending: watch::Sender::new(false),
        running: AtomicBool::new(false),
        progress: Mutex::new(Vec::new()),
        #[cfg(unix)]
        saved_terminal: Mutex::new(None),
    })
}

/// A host call gave up waiting because the user pressed Ctrl-C.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

/// While alive, Ctrl-C interrupts the plugin instead of ending the process.
pub struct Running(());

impl Drop for Running {
    fn drop(&mut self) {
        state().running.store(false, Ordering::SeqCst);
    }
}

/// Catches Ctrl-C from now on (the listener is registered before this
/// returns, so no Ctrl-C is missed) and marks a plugin as running.
pub fn catch_while_running(rt: &tokio::runtime::Runtime) -> Running {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _entered = rt.enter();
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            if let Ok(mut sigint) = signal(SignalKind::interrupt()) {
                rt.spawn(async move {
                    while sigint.recv().await.is_some() {
                        on_ctrl_c();
                    }
                });
            }
        }
        #[cfg(not(unix))]
        rt.spawn(async {
            while tokio::signal::ctrl_c().await.is_ok() {
                on_ctrl_c();
            }
        });
    });
    let state = state();
    state.pending.send_replace(false);
    state.running.store(true, Ordering::SeqCst);
    Running(())
}

fn on_ctrl_c() {
    let state = state();
    if !state.running.load(Ordering::SeqCst) || *state.pending.borrow() {
        end_process();
    }
    state.pending.send_replace(true);
}

/// Whether an interrupt is pending.
pub fn pending() -> bool {
    *state().pending.borrow()
}

/// Takes the pending interrupt: whether there was one; calls block again.
pub fn take() -> bool {
    state().pending.send_replace(false)
}

/// Marks an interrupt pending, as Ctrl-C does.
#[cfg(test)]
pub fn raise() {
    state().pending.send_replace(true);
}

/// `fut`, unless an interrupt is pending or arrives first.
pub async fn or_interrupted<F: std::future::Future>(fut: F) -> Result<F::Output, Interrupted> {
    let mut pending = state().pending.subscribe();
    tokio::select! {
        biased;
        _ = pending.wait_for(|p| *p) => Err(Interrupted),
        out = fut => Ok(out),
    }
}

/// Keeps `bar` to clear it if Ctrl-C ends the process.
pub fn track_progress(bar: &indicatif::ProgressBar) {
    let mut bars = state().progress.lock().unwrap_or_else(|e| e.into_inner());
    bars.retain(|b| b.upgrade().is_some());
    bars.push(bar.downgrade());
}

/// While alive, the terminal settings from before the line editor changed
/// them are kept to be put back if the process ends meanwhile.
pub struct TerminalSaved(());

impl Drop for TerminalSaved {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            *state()
                .saved_terminal
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = None;
        }
    }
}

/// Saves the settings of the terminal on stdin (see [`TerminalSaved`]).
pub fn save_terminal() -> TerminalSaved {
    #[cfg(unix)]
    {
        let mut settings = std::mem::MaybeUninit::<libc::termios>::uninit();
        // SAFETY: tcgetattr fills `settings` when it returns 0.
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, settings.as_mut_ptr()) } == 0 {
            // SAFETY: initialised by the successful call above.
            let settings = unsafe { settings.assume_init() };
            *state()
                .saved_terminal
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(settings);
        }
    }
    TerminalSaved(())
}

/// Puts back the terminal settings the line editor changed, if it is
/// reading now (the process is about to end under it).
pub fn restore_terminal() {
    #[cfg(unix)]
    {
        let saved = state()
            .saved_terminal
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(settings) = saved {
            // SAFETY: `settings` came from tcgetattr on the same descriptor.
            unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &settings) };
        }
    }
}

/// Ends the process as Ctrl-C does, leaving the terminal as it found it.
fn end_process() -> ! {
    restore_terminal();
    let bars = std::mem::take(&mut *state().progress.lock().unwrap_or_else(|e| e.into_inner()));
    for bar in bars.iter().filter_map(indicatif::WeakProgressBar::upgrade) {
        bar.finish_and_clear();
    }
    eprintln!("interrupted");
    std::process::exit(crate::error::exit::INTERRUPTED);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_interrupt_wakes_a_wait_and_stays_until_taken() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let forever = std::future::pending::<()>();
        rt.block_on(async {
            let waiting = tokio::spawn(or_interrupted(forever));
            tokio::task::yield_now().await;
            raise();
            assert_eq!(waiting.await.unwrap(), Err(Interrupted));
            assert_eq!(or_interrupted(async { 1 }).await, Err(Interrupted));
            assert!(take());
            assert!(!take());
            assert_eq!(or_interrupted(async { 1 }).await, Ok(1));
        });
    }
}
