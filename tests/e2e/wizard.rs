//! The guided setup, driven through a pseudo-terminal like a person would.
//! (Its flow is also unit-tested with scripted answers in host/src/commands/auth/wizard/tests.rs.)

#![cfg(unix)]

use crate::support::{BIN, Env, expect_or_show, pty, pty_finish};
use expectrl::Expect;
use expectrl::session::OsSession;
use kagi_mock::SESSION_TOKEN;
use std::path::Path;
use std::time::Duration;

/// `kagi ARGS` on a pseudo-terminal whose echo is on, as a person's terminal
/// is. (expectrl starts its terminals with echo off, and then a prompt that
/// hides input could not be told apart from one that has not started yet.)
fn pty_with_echo(env: &Env, args: &[&str]) -> OsSession {
    let mut sh_args = vec!["-c", "stty echo && exec \"$0\" \"$@\"", BIN];
    sh_args.extend_from_slice(args);
    let mut cmd = env.command_inheriting_stdio(Path::new("/bin/sh"), &sh_args);
    cmd.env("TERM", "xterm").env("NO_COLOR", "1");
    let mut session = expectrl::Session::spawn(cmd).expect("spawn kagi on a pty");
    session.set_expect_timeout(Some(Duration::from_secs(60)));
    session
}

/// Waits until a hidden-input prompt has turned the terminal's echo off. The
/// prompt switches modes with a flush, so keys typed before the switch are
/// discarded: typing only after it removes that race from the test. (Only
/// meaningful on a terminal that echoes: see `pty_with_echo`.)
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
    let mut p = pty_with_echo(&env, &["auth"]);
    expect_or_show(&mut p, "What do you want to set up?");
    p.send("\r").unwrap();
    expect_or_show(&mut p, "https://kagi.com/settings/user_details");
    expect_or_show(&mut p, "Paste your Session Link");
    expect_or_show(&mut p, "input is hidden");
    wait_until_input_is_hidden(&p);
    // A link without a token is refused in place; then the real one, typed
    // once the prompt has hidden its input again.
    p.send("https://kagi.com/search?q=oops\r").unwrap();
    let shown = p
        .expect("no token= parameter")
        .expect("the link is refused");
    assert!(
        !String::from_utf8_lossy(shown.before()).contains("q=oops"),
        "the terminal echoed the hidden input"
    );
    wait_until_input_is_hidden(&p);
    p.send(format!("https://kagi.com/search?token={SESSION_TOKEN}\r"))
        .unwrap();
    let shown = p
        .expect("Where should kagi keep the session token?")
        .expect("the token is accepted");
    assert!(
        !String::from_utf8_lossy(shown.before()).contains(SESSION_TOKEN),
        "the terminal echoed the hidden token"
    );
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
