//! `kagi assistant [QUERY]` (prompt mode) and `kagi ask-page URL QUESTION`
//! against the mock: the request as Kagi receives it (JSON, or multipart
//! with attachments), every output format, `--stream` NDJSON, each stream
//! failure, and on a terminal the answer shown while it streams (pretty
//! unless `--format` names another format).

use crate::support::{Env, assert_contains, pty, pty_finish, session_env, text_then_json};
use kagi_mock::{Recorded, multipart_parts};
use serde_json::{Value, json};

const PROMPT: &str = "/assistant/prompt";
const BRANCH: &str = "00000000-0000-4000-0000-000000000000";

fn sent(env: &Env) -> Vec<Recorded> {
    env.requests_to(PROMPT)
}

fn json_body(r: &Recorded) -> Value {
    assert_eq!(r.header("content-type"), Some("application/json"));
    serde_json::from_slice(&r.body).unwrap()
}

/// The mock's answer to `prompt` in new thread `thread-N` (message `msg-N`).
fn expected_answer(n: u64, prompt: &str) -> Value {
    let escaped = prompt
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    json!({
        "meta": {"version": "202603160619.stage.mock", "trace": "trace-prompt"},
        "thread": {
            "id": format!("thread-{n}"),
            "title": prompt.chars().take(40).collect::<String>(),
            "ack": format!("2026-03-16T06:{n:02}:07Z"),
            "created_at": format!("2026-03-16T06:{n:02}:07Z"),
            "expires_at": "2026-04-16T06:19:07Z",
            "saved": false,
            "shared": false,
            "branch_id": BRANCH,
            "tag_ids": [],
        },
        "message": {
            "id": format!("msg-{n}"),
            "thread_id": format!("thread-{n}"),
            "created_at": format!("2026-03-16T06:{n:02}:07Z"),
            "branch_list": [BRANCH],
            "state": "done",
            "prompt": prompt,
            "reply_html": format!("<p>Hello from the <strong>mock</strong> assistant.</p><p>You asked: {escaped}</p>"),
            "markdown": format!("Hello from the **mock** assistant.\n\nYou asked: {prompt}"),
            "references_html": "<ol><li><a href=\"https://mock.example/source\">Mock source</a></li></ol>",
            "references_markdown": "1. [Mock source](https://mock.example/source)",
            "metadata_html": "<li>mock model</li>",
            "documents": [],
            "profile": {"model": "mock-model"},
            "trace_id": "trace-message-mock",
        },
    })
}

#[test]
fn a_prompt_sends_the_captured_json_body_and_prints_the_spec_shape_in_key_order() {
    let env = session_env();
    let run = env.run(&["assistant", "hello there"]);
    assert_eq!(run.json(), expected_answer(1, "hello there"));
    // Key order is the spec's: meta, thread, message, and within each.
    assert!(
        run.stdout.starts_with("{\n  \"meta\": {\n    \"version\""),
        "{}",
        run.stdout
    );
    let order: Vec<usize> = [
        "\"thread\"",
        "\"message\"",
        "\"branch_list\"",
        "\"state\"",
        "\"reply_html\"",
        "\"documents\"",
        "\"trace_id\"",
    ]
    .iter()
    .map(|k| run.stdout.find(k).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{}", run.stdout);
    let reqs = sent(&env);
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(
        reqs[0].header("accept"),
        Some("application/vnd.kagi.stream")
    );
    assert_eq!(
        reqs[0].header("cookie"),
        Some("kagi_session=test-session-token")
    );
    assert_eq!(
        String::from_utf8(reqs[0].body.clone()).unwrap(),
        r#"{"focus":{"branch_id":"00000000-0000-4000-0000-000000000000","message_id":null,"prompt":"hello there","thread_id":null},"profile":{}}"#
    );
}

#[test]
fn every_profile_flag_is_sent_and_thread_id_continues_the_thread() {
    let env = session_env();
    env.run(&["assistant", "first"]).json();
    let run = env.run(&[
        "assistant",
        "second",
        "--thread-id",
        "thread-1",
        "--assistant",
        "research",
        "--model",
        "gpt-5-mini",
        "--lens",
        "3",
        "--no-web-access",
        "--personalized",
        "--export",
        "unused.md",
    ]);
    let answer = run.json();
    assert_eq!(answer["thread"]["id"], "thread-1");
    assert_eq!(answer["message"]["id"], "msg-2");
    assert_eq!(
        json_body(&sent(&env)[1]),
        json!({
            "focus": {"branch_id": BRANCH, "message_id": null, "prompt": "second", "thread_id": "thread-1"},
            "profile": {"id": "research", "internet_access": false, "lens_id": 3, "model": "gpt-5-mini", "personalizations": true},
        })
    );
    // --export is accepted and unused in prompt mode.
    assert!(!env.work_dir().join("unused.md").exists());
    env.run(&["assistant", "third", "--web-access", "--no-personalized"])
        .json();
    assert_eq!(
        json_body(&sent(&env)[2])["profile"],
        json!({"internet_access": true, "personalizations": false})
    );
}

#[test]
fn contradicting_flags_and_a_prompt_with_a_subcommand_are_usage_errors() {
    let env = session_env();
    for args in [
        &["assistant", "q", "--web-access", "--no-web-access"][..],
        &["assistant", "q", "--personalized", "--no-personalized"],
        &["assistant", "q", "--lens", "three"],
        &["assistant"],
    ] {
        let run = env.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    }
    assert!(sent(&env).is_empty());
}

#[test]
fn a_missing_or_blank_query_or_thread_id_is_refused_before_sending() {
    let env = session_env();
    env.run(&["assistant", "--model", "m"]).fails_with(
        1,
        "configuration error: assistant prompt mode requires a QUERY unless a thread subcommand is used",
    );
    env.run(&["assistant", "  "])
        .fails_with(1, "configuration error: assistant query cannot be empty");
    env.run(&["assistant", "q", "--thread-id", " "]).fails_with(
        1,
        "configuration error: assistant thread id cannot be empty",
    );
    Env::new().run(&["assistant", "q"]).fails_with(
        1,
        "configuration error: this command requires KAGI_SESSION_TOKEN (env or .kagi.toml [auth] session_token); run `kagi auth` to set it up",
    );
    assert!(sent(&env).is_empty());
}

#[test]
fn attachments_go_as_a_state_part_and_one_file_part_each_with_guessed_types() {
    let env = session_env();
    let dir = env.work_dir();
    std::fs::write(dir.join("note.txt"), "attached-note").unwrap();
    std::fs::write(dir.join("chart.png"), b"\x89PNG-bytes").unwrap();
    std::fs::write(dir.join("blob.unknownext"), b"??").unwrap();
    let run = env.run(&[
        "assistant",
        "read these",
        "--attach",
        "note.txt",
        "--attach",
        "chart.png",
        "--attach",
        "blob.unknownext",
        "--model",
        "m",
    ]);
    let answer = run.json();
    assert_eq!(
        answer["message"]["markdown"],
        "Hello from the **mock** assistant.\n\nYou asked: read these\n\nAttachments: note.txt (text/plain, 13 bytes), chart.png (image/png, 10 bytes), blob.unknownext (application/octet-stream, 2 bytes)"
    );
    let r = &sent(&env)[0];
    let content_type = r.header("content-type").unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let parts = multipart_parts(content_type, &r.body);
    let shape: Vec<(&str, Option<&str>, Option<&str>)> = parts
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.filename.as_deref(),
                p.content_type.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("state", None, Some("application/json")),
            ("file", Some("note.txt"), Some("text/plain")),
            ("file", Some("chart.png"), Some("image/png")),
            (
                "file",
                Some("blob.unknownext"),
                Some("application/octet-stream")
            ),
        ]
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&parts[0].data).unwrap(),
        json!({
            "focus": {"branch_id": BRANCH, "message_id": null, "prompt": "read these", "thread_id": null},
            "profile": {"model": "m"},
        })
    );
    assert_eq!(parts[1].data, b"attached-note");
    assert_eq!(parts[2].data, b"\x89PNG-bytes");
}

#[test]
fn an_unreadable_or_oversized_attachment_is_refused_naming_the_file() {
    let env = session_env();
    let big = env.work_dir().join("huge.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(33 * 1024 * 1024)
        .unwrap();
    let run = env.run(&["assistant", "q", "--attach", "huge.bin"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "`huge.bin` given with --attach is 34603008 bytes, over the 32 MiB limit for one file",
    );
    let run = env.run(&["assistant", "q", "--attach", "missing.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_contains(&run.stderr, "missing.txt");
    assert!(sent(&env).is_empty());
}

#[test]
fn pretty_markdown_and_compact_print_the_spec_layouts_off_a_terminal() {
    let env = session_env();
    let pretty = env.run(&["assistant", "q", "--format", "pretty"]);
    assert_eq!(pretty.code, 0, "{}", pretty.stderr);
    assert_eq!(
        pretty.stdout,
        "Thread: thread-1\nMessage: msg-1\n\nHello from the **mock** assistant.\n\nYou asked: q\n\nReferences\n1. [Mock source](https://mock.example/source)\n"
    );
    let markdown = env.run(&["assistant", "q", "--format", "markdown"]);
    assert_eq!(
        markdown.stdout,
        "Hello from the **mock** assistant.\n\nYou asked: q\n\n1. [Mock source](https://mock.example/source)\n"
    );
    let compact = env.run(&["assistant", "q", "--format", "compact"]);
    assert_eq!(compact.stdout.lines().count(), 1);
    assert_eq!(compact.json(), expected_answer(3, "q"));
}

#[test]
fn stream_prints_a_delta_per_token_then_the_final_object() {
    let env = session_env();
    let run = env.run(&["assistant", "q", "--stream"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.ndjson();
    assert_eq!(
        lines[..3],
        [
            json!({"event": "delta", "text": "Hello from"}),
            json!({"event": "delta", "text": " the **mock** assistant."}),
            json!({"event": "delta", "text": "\n\nYou asked: q"}),
        ]
    );
    assert_eq!(lines[3], expected_answer(1, "q"));
    assert_eq!(lines.len(), 4);
    assert!(
        run.stdout
            .starts_with("{\"event\":\"delta\",\"text\":\"Hello from\"}\n")
    );
}

#[test]
fn ask_page_prompts_with_the_normalised_url_and_question_in_a_new_thread() {
    let env = session_env();
    let run = env.run(&["ask-page", "https://rust-lang.org", "What is this?"]);
    let answer = run.json();
    let prompt = "https://rust-lang.org/\nWhat is this?";
    let mut expected = expected_answer(1, prompt);
    let object = expected.as_object_mut().unwrap();
    let (thread, message) = (
        object.remove("thread").unwrap(),
        object.remove("message").unwrap(),
    );
    object.insert(
        "source".into(),
        json!({"url": "https://rust-lang.org/", "question": "What is this?"}),
    );
    object.insert("thread".into(), thread);
    object.insert("message".into(), message);
    assert_eq!(answer, expected);
    let keys: Vec<usize> = ["\"meta\"", "\"source\"", "\"thread\"", "\"message\""]
        .iter()
        .map(|k| run.stdout.find(k).unwrap())
        .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{}", run.stdout);
    assert_eq!(
        json_body(&sent(&env)[0]),
        json!({"focus": {"branch_id": BRANCH, "message_id": null, "prompt": prompt, "thread_id": null}, "profile": {}})
    );
}

#[test]
fn ask_page_refuses_bad_urls_and_an_empty_question_before_sending() {
    let env = session_env();
    env.run(&["ask-page", "not a url", "q"]).fails_with(
        1,
        "configuration error: invalid ask-page URL: relative URL without a base",
    );
    env.run(&["ask-page", "file:///etc/passwd", "q"])
        .fails_with(
            1,
            "configuration error: ask-page URL must use http or https, got `file`",
        );
    env.run(&["ask-page", "https://a.example", " "])
        .fails_with(1, "configuration error: ask-page question cannot be empty");
    assert!(sent(&env).is_empty());
}

#[test]
fn each_stream_failure_is_one_line_of_its_class() {
    let env = session_env();
    let renew = "copy a fresh Session Link and run `kagi auth`";
    let cases = [
        (
            "state-error",
            "network error: The assistant could not answer this prompt.",
        ),
        ("limit-notice", "configuration error: Daily limit reached"),
        (
            "unauthorized-frame",
            &format!(
                "authentication error: invalid or expired Kagi session token: the assistant prompt answered `unauthorized`; {renew}"
            ),
        ),
        (
            "cut-stream",
            "parse error: assistant prompt response did not include a new_message.json frame",
        ),
        (
            "no-thread-frame",
            "parse error: assistant prompt response did not include a thread.json frame",
        ),
        (
            "malformed-frame",
            "parse error: failed to parse assistant prompt new_message.json response: at `thread_id`: EOF while parsing a value at line 1 column 31",
        ),
        (
            "html-page",
            &format!(
                "authentication error: invalid or expired Kagi session token: the assistant prompt answered with a web page; {renew}"
            ),
        ),
        (
            "server-error",
            "network error: Kagi assistant prompt server error: HTTP 502 Bad Gateway; 502 Bad Gateway Bad Gateway The assistant is overloaded Back to Kagi",
        ),
    ];
    for (prompt, line) in cases {
        env.run(&["assistant", prompt]).fails_with(1, line);
    }
    // The same through --stream: the deltas already printed stay on stdout.
    let run = env.run(&["assistant", "cut-stream", "--stream"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.stdout);
    assert_eq!(
        run.stderr.trim_end(),
        "parse error: assistant prompt response did not include a new_message.json frame"
    );
}

#[test]
fn refused_statuses_follow_the_stream_family() {
    let renew = "copy a fresh Session Link and run `kagi auth`";
    let run = session_env()
        .with_fault("status=401")
        .run(&["assistant", "q"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("authentication error: "),
        "{}",
        run.stderr
    );
    assert_contains(&run.stderr, renew);
    let run = session_env()
        .with_fault("status=429")
        .run(&["assistant", "q"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("configuration error: Kagi assistant prompt request rejected: HTTP 429 Too Many Requests"),
        "{}",
        run.stderr
    );
    session_env()
        .var("KAGI_SESSION_TOKEN", "wrong-token")
        .run(&["assistant", "q"])
        .fails_with(1, &format!("authentication error: invalid or expired Kagi session token: the assistant prompt answered with a web page; {renew}"));
}

/// The proof of streaming, and of pretty being the default on a terminal:
/// the mock sends the first `tokens.json` frame and holds the rest back
/// until the test releases it, so its text on the terminal before then came
/// from that frame as it arrived.
#[cfg(unix)]
#[test]
fn on_a_terminal_without_a_format_the_first_token_appears_before_the_rest_is_sent() {
    use expectrl::Expect;
    let env = session_env();
    let prompt = "hold-after-first-token";
    let mut session = pty(&env, &["assistant", prompt]);
    session.set_expect_timeout(Some(std::time::Duration::from_secs(20)));
    session
        .expect("Thread: thread-1")
        .expect("the thread heads the answer");
    session
        .expect("Hello from")
        .expect("the first token is shown while the rest is held");
    let tags: Vec<String> = env
        .mock
        .assistant_frames()
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(tags, ["hi", "thread.json", "tokens.json"]);
    env.mock.release_assistant();
    let (code, rest) = pty_finish(session);
    assert_eq!(code, 0, "{rest}");
    assert_contains(
        &rest,
        &format!(
            " the mock assistant.\r\n\r\nYou asked: {prompt}\r\n\r\nReferences\r\n1. [Mock source](https://mock.example/source)\r\n\r\nMessage: msg-1\r\n"
        ),
    );
    // The answer is shown once.
    assert!(!rest.contains("Hello from"), "{rest}");
}

#[cfg(unix)]
#[test]
fn on_a_terminal_markdown_streams_and_json_waits_for_the_final_object() {
    let env = session_env();
    let (code, out) = pty_finish(pty(&env, &["assistant", "q", "--format", "markdown"]));
    assert_eq!(code, 0, "{out}");
    assert_contains(
        &out,
        "Hello from the **mock** assistant.\r\n\r\nYou asked: q\r\n\r\n1. [Mock source](https://mock.example/source)\r\n",
    );
    assert_eq!(out.matches("Hello from").count(), 1, "{out}");
    // Asked for by name, JSON is the final object alone, the text never
    // shown before it.
    let (code, out) = pty_finish(pty(&env, &["assistant", "q", "--format", "json"]));
    assert_eq!(code, 0, "{out}");
    let (before, answer) = text_then_json(&out);
    assert_eq!(answer, expected_answer(2, "q"));
    assert!(!before.contains("Hello from"), "{out}");
}

/// ask-page shows its answer by the same rule: pretty text on a terminal,
/// under the thread and above the references and the message id.
#[cfg(unix)]
#[test]
fn on_a_terminal_ask_page_streams_pretty_text_by_default() {
    let env = session_env();
    let (code, out) = pty_finish(pty(&env, &["ask-page", "https://rust-lang.org", "Why?"]));
    assert_eq!(code, 0, "{out}");
    assert_contains(
        &out,
        "Thread: thread-1\r\n\r\nHello from the mock assistant.\r\n\r\nYou asked: https://rust-lang.org/\r\nWhy?\r\n\r\nReferences\r\n1. [Mock source](https://mock.example/source)\r\n\r\nMessage: msg-1\r\n",
    );
    assert!(!out.contains('{'), "{out}");
}

/// An error after text was shown keeps that text, its line ended.
#[cfg(unix)]
#[test]
fn on_a_terminal_text_already_shown_stays_above_a_failure() {
    let env = session_env();
    let (code, out) = pty_finish(pty(
        &env,
        &["assistant", "cut-stream", "--format", "pretty"],
    ));
    assert_eq!(code, 1);
    assert_contains(
        &out,
        "You asked: cut-stream\r\nparse error: assistant prompt response did not include a new_message.json frame",
    );
    let (code, out) = pty_finish(pty(
        &env,
        &["assistant", "limit-notice", "--format", "pretty"],
    ));
    assert_eq!(code, 1);
    assert_contains(
        &out,
        "You asked: limit-notice\r\nconfiguration error: Daily limit reached",
    );
}
