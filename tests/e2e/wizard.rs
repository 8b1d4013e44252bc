//! The guided setup, driven through a pseudo-terminal like a person would.
//! (Its flow is also unit-tested with scripted answers in host/src/commands/auth/wizard/tests.rs.)

#![cfg(unix)]

use crate::support::{Env, expect_or_show, pty, pty_finish};
use expectrl::Expect;
use expectrl::session::OsSession;
use kagi_mock::SESSION_TOKEN;
use std::time::Duration;

/// Waits until a hidden-input prompt has turned the terminal's echo off. The
/// prompt switches modes with a flush, so keys typed before the switch are
/// discarded: typing only after it removes that race from the test.
fn wait_until_input_is_hidden(p: &OsSession) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while p.get_process().get_echo().unwrap_or(true) {
        assert!(
            std::time::Instant::now() < deadline,
            "the prompt never hid its input"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn the_wizard_saves_a_validated_session_link_with_hidden_input() {
    let env = Env::new();
    let mut p = pty(&env, &["auth"]);
    expect_or_show(&mut p, "What do you want to set up?");
    p.send("\r").unwrap();
    expect_or_show(&mut p, "https://kagi.com/settings/user_details");
    expect_or_show(&mut p, "Paste your Session Link");
    expect_or_show(&mut p, "input is hidden");
    wait_until_input_is_hidden(&p);
    // A link without a token is refused in place; then the real one, typed
    // once the prompt has hidden its input again.
    p.send("https://kagi.com/search?q=oops\r").unwrap();
    expect_or_show(&mut p, "no token= parameter");
    wait_until_input_is_hidden(&p);
    p.send(format!("https://kagi.com/search?token={SESSION_TOKEN}\r"))
        .unwrap();
    expect_or_show(&mut p, "Where should kagi keep the session token?");
    p.send("\r").unwrap();
    expect_or_show(&mut p, "Kagi accepted the session token.");
    expect_or_show(
        &mut p,
        "Saved the session token to ./.kagi.toml [auth] (mode 600).",
    );
    expect_or_show(&mut p, "Also set up the API token?");
    p.send("n").unwrap();
    expect_or_show(&mut p, "Done.");
    let (code, rest) = pty_finish(p);
    assert_eq!(code, 0, "{rest}");

    let path = env.work_dir().join(".kagi.toml");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("[auth]\nsession_token = \"{SESSION_TOKEN}\"\n")
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // It was validated with one search on the session path.
    let requests = env.mock.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/html/search");
}

#[test]
fn escape_cancels_without_changes() {
    let env = Env::new();
    let mut p = pty(&env, &["--profile", "work", "auth"]);
    expect_or_show(&mut p, "What do you want to set up?");
    p.send("\x1b").unwrap();
    expect_or_show(&mut p, "Canceled. Nothing more was changed.");
    let (code, rest) = pty_finish(p);
    assert_eq!(code, 0, "{rest}");
    assert!(!env.work_dir().join(".kagi.toml").exists());
}
