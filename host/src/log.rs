//! Diagnostics for people debugging kagi: `--verbose` or `KAGI_LOG=debug`
//! print what the host does (config file in use, plugin loading, requests
//! with the kind of credential attached) to stderr. Never a token: nothing
//! that holds a credential value is passed here.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

static VERBOSE: AtomicBool = AtomicBool::new(false);

/// Turns debug output on (the `--verbose` flag).
pub fn set_verbose() {
    VERBOSE.store(true, Ordering::Relaxed);
}

pub fn enabled() -> bool {
    static ENV: OnceLock<bool> = OnceLock::new();
    VERBOSE.load(Ordering::Relaxed)
        || *ENV.get_or_init(|| {
            std::env::var("KAGI_LOG").is_ok_and(|v| v.eq_ignore_ascii_case("debug"))
        })
}

pub fn debug(message: &str) {
    if enabled() {
        eprintln!("kagi[debug]: {message}");
    }
}
