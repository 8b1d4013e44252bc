//! Ctrl-C while a plugin runs, and `terminal.read-prompt`, driven through a
//! pseudo-terminal with the `interruptible` test plugin. Every step waits for
//! what the terminal shows before typing the next key.

#![cfg(unix)]

use crate::support::{Env, assert_contains, expect_or_show, plugin_test_args, pty, pty_finish};
use expectrl::Expect;
use expectrl::session::OsSession;

/// `kagi plugin test interruptible --grant-all -- interruptible ACTION` on a pty.
fn on_a_pty(env: &Env, action: &str) -> OsSession {
    let argv = plugin_test_args(
        "interruptible",
        &["--grant-all"],
        &["interruptible", action],
    );
    pty(env, &argv.iter().map(String::as_str).collect::<Vec<_>>())
}

/// The lines of `text` as the terminal shows them (without `\r`).
fn lines(text: &str) -> Vec<&str> {
    text.lines().map(|l| l.trim_end_matches('\r')).collect()
}

#[test]
fn ctrl_c_during_a_slow_stream_keeps_what_was_printed_and_exits_130() {
    let env = Env::new();
    let mut p = on_a_pty(&env, "stream");
    // The first chunk is out; the body then stalls for an hour.
    expect_or_show(&mut p, "first chunk");
    p.send("\x03").unwrap();
    let (code, rest) = pty_finish(p);
    assert_eq!(code, 130, "{rest}");
    assert!(
        lines(&rest).contains(&"interrupted"),
        "expected the line `interrupted` in:\n{rest}"
    );
    assert!(
        !rest.contains("error"),
        "no error class for Ctrl-C:\n{rest}"
    );
}

#[test]
fn a_second_ctrl_c_ends_a_plugin_that_ignores_the_first() {
    let env = Env::new();
    let mut p = on_a_pty(&env, "ignore");
    expect_or_show(&mut p, "sleeping");
    p.send("\x03").unwrap();
    // The first Ctrl-C cut the sleep short; the plugin goes on regardless.
    expect_or_show(&mut p, "ignoring the interrupt");
    p.send("\x03").unwrap();
    let (code, rest) = pty_finish(p);
    assert_eq!(code, 130, "{rest}");
    assert_contains(&rest, "interrupted");
}

#[test]
fn the_prompt_echoes_lines_cancels_on_ctrl_c_recalls_history_and_ends_on_ctrl_d() {
    let env = Env::new();
    let mut p = on_a_pty(&env, "echo");
    expect_or_show(&mut p, "say> ");
    p.send("hello\r").unwrap();
    expect_or_show(&mut p, "echo: hello");
    expect_or_show(&mut p, "say> ");
    // Ctrl-C with a half-typed line cancels only that line.
    p.send("half\x03").unwrap();
    expect_or_show(&mut p, "[cancelled]");
    expect_or_show(&mut p, "say> ");
    // Up recalls the run's history.
    p.send("\x1b[A\r").unwrap();
    expect_or_show(&mut p, "echo: hello");
    expect_or_show(&mut p, "say> ");
    p.send("\x04").unwrap();
    expect_or_show(&mut p, "bye");
    let (code, rest) = pty_finish(p);
    assert_eq!(code, 0, "{rest}");
    assert!(!rest.contains("echo: half"), "{rest}");
}

#[test]
fn off_a_terminal_the_prompt_reads_stdin_lines_in_order_until_its_end() {
    let env = Env::new();
    let argv = plugin_test_args(
        "interruptible",
        &["--grant-all"],
        &["interruptible", "echo"],
    );
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let run = env.run_with_stdin(&argv, "one\n\ntwo words\nlast without newline");
    assert_eq!(
        run.stdout,
        "echo: one\necho: \necho: two words\necho: last without newline\nbye\n"
    );
    // No prompt is drawn off a terminal.
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, 0);
}
