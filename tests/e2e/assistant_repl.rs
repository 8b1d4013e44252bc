//! `kagi assistant repl` against the mock: prompts read from piped stdin or
//! typed on a pseudo-terminal, the thread carried from answer to answer,
//! `/exit`, Ctrl-D and Ctrl-C, `--thread-id` and `--export`. On the terminal
//! every step waits for what the screen shows before typing the next key.

use crate::support::{Env, session_env};
use kagi_mock::Recorded;
use serde_json::{Value, json};

const PROMPT: &str = "/assistant/prompt";

/// The `focus.thread_id` of every prompt the mock received, in order.
fn threads_sent(env: &Env) -> Vec<Value> {
    env.requests_to(PROMPT)
        .iter()
        .map(|r: &Recorded| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            body["focus"]["thread_id"].clone()
        })
        .collect()
}

/// The mock's answer to `prompt` in the markdown format.
fn markdown_answer(prompt: &str) -> String {
    format!(
        "Hello from the **mock** assistant.\n\nYou asked: {prompt}\n\n1. [Mock source](https://mock.example/source)\n"
    )
}

#[test]
fn off_a_terminal_each_stdin_line_is_a_prompt_answered_in_order_in_one_thread() {
    let env = session_env();
    let run = env.run_with_stdin(
        &["assistant", "repl"],
        "/thread\nfirst question\n\n/thread\nsecond question\n",
    );
    assert_eq!(run.stderr, "", "no banner or prompt off a terminal");
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!(
            "<new>\n{}thread-1\n{}",
            markdown_answer("first question"),
            markdown_answer("second question")
        )
    );
    // The second prompt continues the thread the first answer made.
    assert_eq!(threads_sent(&env), [Value::Null, json!("thread-1")]);
}

#[test]
fn thread_id_starts_from_an_existing_thread_and_a_blank_one_is_refused() {
    let env = session_env();
    env.run(&["assistant", "seed"]).json();
    let run = env.run_with_stdin(
        &[
            "assistant",
            "repl",
            "--thread-id",
            "thread-1",
            "--format",
            "json",
        ],
        "/thread\nmore\n/exit\nnever sent\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (thread, answer) = run.stdout.split_once('\n').unwrap();
    assert_eq!(thread, "thread-1");
    let answer: Value = serde_json::from_str(answer).unwrap();
    assert_eq!(answer["thread"]["id"], "thread-1");
    assert_eq!(answer["message"]["prompt"], "more");
    // `/exit` left before the last line.
    assert_eq!(threads_sent(&env), [Value::Null, json!("thread-1")]);

    let run = env.run_with_stdin(&["assistant", "repl", "--thread-id", " "], "q\n");
    run.fails_with(
        1,
        "configuration error: assistant thread id cannot be empty",
    );
    assert_eq!(threads_sent(&env).len(), 2);
}

#[test]
fn export_is_rewritten_after_every_answer_so_a_later_failure_keeps_it() {
    let env = session_env();
    let run = env.run_with_stdin(
        &["assistant", "repl", "--export", "chat.json"],
        "one\ntwo\nserver-error\nnever sent\n",
    );
    // The third prompt fails and ends the REPL with its error...
    run.fails_starting(
        1,
        "network error: Kagi assistant prompt server error: HTTP 502 Bad Gateway",
    );
    assert_eq!(
        run.stdout,
        format!("{}{}", markdown_answer("one"), markdown_answer("two"))
    );
    assert_eq!(threads_sent(&env).len(), 3);
    // ...and the conversation until then is on disk.
    let response = |p: &str| markdown_answer(p).trim_end().to_string();
    let written = std::fs::read_to_string(env.work_dir().join("chat.json")).unwrap();
    assert_eq!(
        written,
        format!(
            "{}\n",
            serde_json::to_string_pretty(&json!([
                {"prompt": "one", "response": response("one")},
                {"prompt": "two", "response": response("two")},
            ]))
            .unwrap()
        )
    );
}

#[cfg(unix)]
#[test]
fn export_refuses_a_symbolic_link_before_any_prompt() {
    let env = session_env();
    let target = env.work_dir().join("precious.txt");
    std::fs::write(&target, "keep me").unwrap();
    std::os::unix::fs::symlink(&target, env.work_dir().join("chat.json")).unwrap();
    let run = env.run_with_stdin(&["assistant", "repl", "--export", "chat.json"], "one\n");
    run.fails_with(
        2,
        "error: cannot write `chat.json` given with --export: it is a symbolic link; name the file itself",
    );
    assert!(threads_sent(&env).is_empty());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
}

#[cfg(unix)]
mod on_a_terminal {
    use super::*;
    use crate::support::{expect_or_show, pty, pty_finish};
    use expectrl::Expect;
    use expectrl::session::OsSession;

    fn repl(env: &Env) -> OsSession {
        let mut p = pty(env, &["assistant", "repl"]);
        expect_or_show(
            &mut p,
            "kagi assistant repl. Type /exit to quit, /thread to print current thread.",
        );
        expect_or_show(&mut p, "kagi> ");
        p
    }

    #[test]
    fn two_prompts_share_a_thread_and_exit_leaves_with_0() {
        let env = session_env();
        let mut p = repl(&env);
        p.send("first\r").unwrap();
        expect_or_show(&mut p, "You asked: first");
        expect_or_show(&mut p, "kagi> ");
        p.send("second\r").unwrap();
        expect_or_show(&mut p, "You asked: second");
        expect_or_show(&mut p, "kagi> ");
        p.send("/exit\r").unwrap();
        let (code, rest) = pty_finish(p);
        assert_eq!(code, 0, "{rest}");
        assert_eq!(threads_sent(&env), [Value::Null, json!("thread-1")]);
    }

    #[test]
    fn ctrl_d_at_the_prompt_leaves_with_0() {
        let env = session_env();
        let mut p = repl(&env);
        p.send("\x04").unwrap();
        let (code, rest) = pty_finish(p);
        assert_eq!(code, 0, "{rest}");
        assert!(threads_sent(&env).is_empty());
    }

    #[test]
    fn ctrl_c_cancels_only_the_answer_being_written_and_the_next_prompt_works() {
        let env = session_env();
        let mut p = repl(&env);
        // The mock sends this answer's first words and holds the rest back
        // (until a release that never comes): the answer is being written.
        p.send("hold-after-first-token\r").unwrap();
        expect_or_show(&mut p, "Hello from");
        p.send("\x03").unwrap();
        expect_or_show(&mut p, "answer cancelled");
        expect_or_show(&mut p, "kagi> ");
        p.send("after\r").unwrap();
        expect_or_show(&mut p, "You asked: after");
        expect_or_show(&mut p, "kagi> ");
        p.send("/exit\r").unwrap();
        let (code, rest) = pty_finish(p);
        assert_eq!(code, 0, "{rest}");
        assert!(!rest.contains("interrupted"), "{rest}");
        // Only a complete answer moves the thread: the next prompt starts anew.
        assert_eq!(threads_sent(&env), [Value::Null, Value::Null]);
        // The held answer never finished; the one after it did.
        let finished = env.mock.assistant_frames();
        let finished = finished
            .iter()
            .filter(|(tag, _)| tag == "new_message.json")
            .count();
        assert_eq!(finished, 1);
    }
}
