//! `kagi quick` against the mock (cli-surface §1.8, wire protocol §6.5): the
//! request as Kagi receives it, every flag and format, the local cache, each
//! failure of the Quick family, and streaming on a terminal.

use crate::support::{
    Env, assert_contains, mock_post, pty, pty_finish, session_env, text_then_json,
};
use serde_json::{Value, json};

const CONTEXT: &str = "/mother/context";

/// The final object the mock's answer to `query` makes, without `lens`.
fn answer(query: &str) -> Value {
    json!({
        "meta": {"version": "202603171911.stage.mock", "trace": "trace-quick"},
        "query": query,
        "message": {
            "id": "msg-quick-1",
            "thread_id": "thread-quick-1",
            "created_at": "2026-03-19T00:00:00Z",
            "state": "done",
            "prompt": query,
            "html": "<p><b>Rust</b> is a systems programming language.</p>",
            "markdown": "**Rust** is a systems programming language [^1] focused on `safety` , speed and __concurrency__ [^2].\n\n\n\nIt has no garbage collector.",
        },
        "references": {
            "markdown": "[^1]: [The Rust Programming Language](https://www.rust-lang.org/learn) (26%)\n[^2]: [Rust (programming language) - Wikipedia](https://en.wikipedia.org/wiki/Rust_(programming_language)) (7%)\n[^3]: [No percentage](https://example.com/no-pct)",
            "items": [
                {"index": 1, "title": "The Rust Programming Language", "domain": "www.rust-lang.org", "url": "https://www.rust-lang.org/learn", "contribution_pct": 26},
                {"index": 2, "title": "Rust (programming language) - Wikipedia", "domain": "en.wikipedia.org", "url": "https://en.wikipedia.org/wiki/Rust_(programming_language)", "contribution_pct": 7},
                {"index": 3, "title": "No percentage", "domain": "example.com", "url": "https://example.com/no-pct"},
            ],
        },
        "followup_questions": ["Why is Rust memory-safe?", "Who maintains Rust?"],
    })
}

#[test]
fn the_answer_is_the_spec_object_with_parsed_references_and_followups() {
    let env = session_env();
    let run = env.run(&["quick", "  what is rust?  "]);
    assert_eq!(run.json(), answer("what is rust?"));
    assert!(
        run.stdout.starts_with("{\n  \"meta\": {\n    \"version\""),
        "{}",
        run.stdout
    );
}

#[test]
fn the_request_follows_kagi_base_url_with_the_trimmed_query_and_stream_headers() {
    let env = session_env();
    env.run(&["quick", "  what is rust?  "]).json();
    let sent = env.requests_to(CONTEXT);
    assert_eq!(sent.len(), 1);
    let r = &sent[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.query, [("q".to_string(), "what is rust?".to_string())]);
    assert_eq!(r.header("accept"), Some("application/vnd.kagi.stream"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(r.header("content-type"), None);
    // The empty body is said to be empty, as Kagi's web app sends it.
    assert_eq!(r.header("content-length"), Some("0"));
    assert_eq!(r.header("cookie"), Some("kagi_session=test-session-token"));
    assert!(r.body.is_empty());
}

#[test]
fn lens_is_sent_as_l_and_echoed_in_the_answer() {
    let env = session_env();
    let run = env.run(&["quick", "rust", "--lens", " 2 "]);
    assert_eq!(run.json()["lens"], "2");
    assert!(
        run.stdout
            .contains("  \"query\": \"rust\",\n  \"lens\": \"2\",\n  \"message\": {"),
        "{}",
        run.stdout
    );
    let sent = env.requests_to(CONTEXT);
    assert_eq!(
        sent[0].query,
        [
            ("q".to_string(), "rust".to_string()),
            ("l".to_string(), "2".to_string())
        ]
    );
}

#[test]
fn an_empty_query_or_a_bad_lens_is_refused_before_anything_is_sent() {
    let env = session_env();
    env.run(&["quick", "   "])
        .fails_with(1, "configuration error: quick query cannot be empty");
    env.run(&["quick", "rust", "--lens", " "])
        .fails_with(1, "configuration error: quick --lens cannot be empty");
    env.run(&["quick", "rust", "--lens", "programming"]).fails_with(
        1,
        "configuration error: lens 'programming' must be a numeric index (e.g., '0', '1', '2'); find a lens's index at https://kagi.com/settings/lenses",
    );
    assert!(env.requests_to(CONTEXT).is_empty());
}

#[test]
fn compact_is_the_same_object_on_one_line() {
    let env = session_env();
    let run = env.run(&["quick", "rust", "--format", "compact"]);
    assert_eq!(run.json(), answer("rust"));
    assert_eq!(run.stdout.lines().count(), 1);
}

#[test]
fn pretty_is_plain_text_under_headings_with_references_and_followups() {
    let env = session_env();
    let run = env.run(&["quick", "rust", "--format", "pretty", "--no-color"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Quick Answer\n\
         Rust is a systems programming language focused on safety, speed and concurrency.\n\
         \n\
         It has no garbage collector.\n\
         \n\
         References\n\
         1. The Rust Programming Language (26%)\n   https://www.rust-lang.org/learn\n\
         2. Rust (programming language) - Wikipedia (7%)\n   https://en.wikipedia.org/wiki/Rust_(programming_language)\n\
         3. No percentage\n   https://example.com/no-pct\n\
         \n\
         Follow-up Questions\n\
         - Why is Rust memory-safe?\n\
         - Who maintains Rust?\n"
    );
}

#[test]
fn pretty_falls_back_to_the_html_text_when_there_is_no_markdown() {
    let env = session_env();
    let run = env.run(&["quick", "quick-html-only", "--format", "pretty"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("Quick Answer\nRust is a systems programming language.\n\nReferences\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn markdown_is_kagis_answer_then_references_then_followups() {
    let env = session_env();
    let run = env.run(&["quick", "rust", "--format", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let a = answer("rust");
    assert_eq!(
        run.stdout,
        format!(
            "{}\n\n{}\n\n## Follow-up Questions\n- Why is Rust memory-safe?\n- Who maintains Rust?\n",
            a["message"]["markdown"].as_str().unwrap(),
            a["references"]["markdown"].as_str().unwrap()
        )
    );
}

#[test]
fn stream_prints_one_ndjson_delta_per_token_then_the_final_object() {
    let env = session_env();
    let run = env.run(&["quick", "rust", "--stream"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.ndjson();
    assert_eq!(
        lines[..3],
        [
            json!({"event": "delta", "text": "Rust is"}),
            json!({"event": "delta", "text": " a systems"}),
            json!({"event": "delta", "text": " programming language."}),
        ]
    );
    assert_eq!(lines[3], answer("rust"));
    assert_eq!(lines.len(), 4);
}

#[test]
fn local_cache_answers_a_repeat_without_asking_kagi_and_only_when_asked() {
    let env = session_env();
    let first = env.run(&["quick", "rust", "--local-cache"]).json();
    let second = env.run(&["quick", "rust", "--local-cache"]).json();
    assert_eq!(first, second);
    assert_eq!(env.requests_to(CONTEXT).len(), 1);
    // Another query, or the cache not asked for, or a TTL of 0: Kagi again.
    env.run(&["quick", "rust", "--local-cache", "--lens", "1"])
        .json();
    env.run(&["quick", "rust"]).json();
    env.run(&["quick", "rust", "--local-cache", "--cache-ttl", "0"])
        .json();
    assert_eq!(env.requests_to(CONTEXT).len(), 4);
}

#[test]
fn errors_are_never_cached() {
    let env = session_env();
    for _ in 0..2 {
        assert_eq!(env.run(&["quick", "quick-cut", "--local-cache"]).code, 1);
    }
    assert_eq!(env.requests_to(CONTEXT).len(), 2);
}

#[test]
fn a_limit_notice_is_a_configuration_error_with_its_text() {
    session_env().run(&["quick", "quick-limit"]).fails_with(
        1,
        "configuration error: Kagi Quick Answer is currently unavailable: You have used all of your Quick Answers for today.",
    );
}

#[test]
fn an_unauthorized_frame_is_an_authentication_error() {
    session_env()
        .run(&["quick", "quick-unauthorized"])
        .fails_starting(1, "authentication error: invalid or expired Kagi session token: the Quick Answer answered `unauthorized`");
}

#[test]
fn a_web_page_instead_of_frames_is_an_authentication_error() {
    // The mock answers its signed-out page to a wrong session cookie.
    Env::new()
        .var("KAGI_SESSION_TOKEN", "not-the-session-token")
        .run(&["quick", "rust"])
        .fails_starting(1, "authentication error: invalid or expired Kagi session token: the Quick Answer answered with a web page");
}

#[test]
fn a_stream_without_the_final_message_is_a_parse_error() {
    session_env().run(&["quick", "quick-cut"]).fails_with(
        1,
        "parse error: Quick Answer response did not include a new_message.json frame",
    );
}

#[test]
fn a_malformed_final_message_is_a_parse_error() {
    session_env()
        .run(&["quick", "quick-malformed"])
        .fails_starting(1, "parse error: failed to parse Quick Answer message: ");
}

#[test]
fn an_error_state_is_a_network_error_with_the_markdown_else_the_reply_text() {
    let env = session_env();
    env.run(&["quick", "quick-error"]).fails_with(
        1,
        "network error: Quick Answer could not answer this query.",
    );
    env.run(&["quick", "quick-reply-error"])
        .fails_with(1, "network error: Quick Answer failed for this query.");
}

#[test]
fn statuses_map_to_the_quick_family() {
    let run = |spec: &str| session_env().with_fault(spec).run(&["quick", "rust"]);
    run("status=500").fails_starting(
        1,
        "network error: Kagi Quick Answer server error: HTTP 500 Internal Server Error",
    );
    run("status=429").fails_starting(
        1,
        "configuration error: Kagi Quick Answer request rejected: HTTP 429 Too Many Requests",
    );
    run("status=403").fails_starting(
        1,
        "authentication error: invalid or expired Kagi session token for Quick Answer: HTTP 403 Forbidden",
    );
}

#[test]
fn without_a_session_token_nothing_is_sent() {
    let env = Env::new();
    let run = env.run(&["quick", "rust"]);
    run.fails_starting(1, "configuration error: ");
    assert_contains(&run.stderr, "KAGI_SESSION_TOKEN");
    assert!(env.requests_to(CONTEXT).is_empty());
}

/// The mock holds the final frame of a `quick-gated` answer until released:
/// the text seen before the release can only have come from `tokens.json`
/// frames, shown as they arrived.
#[cfg(unix)]
#[test]
fn on_a_terminal_the_answer_streams_before_the_last_frame() {
    let env = session_env();
    use expectrl::Expect;
    let mut session = pty(&env, &["quick", "quick-gated rust"]);
    session
        .expect("Quick Answer\r\nRust is")
        .expect("the first token is shown as it arrives, under the heading");
    session
        .expect("programming language.")
        .expect("each token is shown while the final frame is held back");
    assert_eq!(env.requests_to(CONTEXT).len(), 1);
    mock_post(&env, "/_mock/quick/release", "");
    let (code, rest) = pty_finish(session);
    assert_eq!(code, 0, "{rest}");
    assert_contains(&rest, "References");
    assert_contains(&rest, "1. The Rust Programming Language (26%)");
    assert_contains(&rest, "- Who maintains Rust?");
    // The answer is shown once, not again after the stream.
    assert!(
        !rest.contains("Rust is a systems programming language."),
        "{rest}"
    );
}

/// An error after text was shown keeps that text, on its own line.
#[cfg(unix)]
#[test]
fn on_a_terminal_text_already_shown_stays_above_a_failure() {
    let env = session_env();
    let session = pty(&env, &["quick", "quick-cut"]);
    let (code, rest) = pty_finish(session);
    assert_eq!(code, 1);
    assert_contains(
        &rest,
        "Rust is a systems programming language.\r\nparse error: Quick Answer response did not include a new_message.json frame",
    );
}

/// Asked for by name, JSON stays the final object on a terminal too.
#[cfg(unix)]
#[test]
fn on_a_terminal_an_explicit_json_format_prints_only_the_final_object() {
    let env = session_env();
    let (code, rest) = pty_finish(pty(&env, &["quick", "rust", "--format", "json"]));
    assert_eq!(code, 0, "{rest}");
    let (before, out) = text_then_json(&rest);
    assert_eq!(out, answer("rust"));
    assert!(!before.contains("Rust is"), "{rest}");
}
