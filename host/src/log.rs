//! Diagnostics for people debugging kagi: `KAGI_LOG=debug` prints what the
//! host does (plugin loading, compiling, requests) to stderr. Never a token:
//! nothing that holds a credential is passed here.

use std::sync::OnceLock;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("KAGI_LOG").is_ok_and(|v| v.eq_ignore_ascii_case("debug")))
}

pub fn debug(message: &str) {
    if enabled() {
        eprintln!("kagi[debug]: {message}");
    }
}
