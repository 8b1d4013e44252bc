//! The guided setup, driven through a pseudo-terminal like a person would.
//! (Its flow is also unit-tested with scripted answers in host/src/auth_cmd.rs.)

#![cfg(unix)]

use crate::support::{BIN, Env};
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{Expect, Session};
use kagi_mock::SESSION_TOKEN;
use std::path::Path;
use std::time::Duration;

fn spawn(env: &Env, args: &[&str]) -> OsSession {
    let mut cmd = env.command_inheriting_stdio(Path::new(BIN), args);
    cmd.env("TERM", "xterm").env("NO_COLOR", "1");
    let mut session = Session::spawn(cmd).expect("spawn kagi on a pty");
    session.set_expect_timeout(Some(Duration::from_secs(60)));
    session
}

fn exit_code(session: &OsSession) -> i32 {
    match session.get_process().wait().expect("wait for kagi") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("kagi did not exit normally: {other:?}"),
    }
}

#[test]
fn the_wizard_saves_a_validated_session_link_with_hidden_input() {
    let env = Env::new();
    let mut p = spawn(&env, &["auth"]);
    p.expect("What do you want to set up?").unwrap();
    p.send("\r").unwrap();
    p.expect("https://kagi.com/settings/user_details").unwrap();
    p.expect("Paste your Session Link").unwrap();
    // A link without a token is refused in place; then the real one.
    p.send("https://kagi.com/search?q=oops\r").unwrap();
    p.expect("no token= parameter").unwrap();
    p.send(format!("https://kagi.com/search?token={SESSION_TOKEN}\r"))
        .unwrap();
    p.expect("Where should kagi keep the session token?")
        .unwrap();
    p.send("\r").unwrap();
    p.expect("Kagi accepted the session token.").unwrap();
    p.expect("Saved the session token to ./.kagi.toml [auth] (mode 600).")
        .unwrap();
    p.expect("Also set up the API token?").unwrap();
    p.send("n").unwrap();
    p.expect("Done.").unwrap();
    let mut rest = Vec::new();
    let _ = std::io::Read::read_to_end(&mut p, &mut rest);
    assert_eq!(exit_code(&p), 0);

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
    let mut p = spawn(&env, &["--profile", "work", "auth"]);
    p.expect("What do you want to set up?").unwrap();
    p.send("\x1b").unwrap();
    p.expect("Canceled. Nothing more was changed.").unwrap();
    let mut rest = Vec::new();
    let _ = std::io::Read::read_to_end(&mut p, &mut rest);
    assert_eq!(exit_code(&p), 0);
    assert!(!env.work_dir().join(".kagi.toml").exists());
}
