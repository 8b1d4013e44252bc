//! `kagi summarize` against the mock: the paid Summarizer API (API token) and
//! the subscriber summarizer (session, `--subscriber`), every flag on the
//! wire, stdin, the local cache and each failure family.

use crate::support::session_env;
use crate::support::{Env, Run, on_a_terminal};
use kagi_mock::{API_TOKEN, Recorded, SESSION_TOKEN};
use serde_json::{Value, json};

const API: &str = "/api/v0/summarize";
const SUBSCRIBER: &str = "/mother/summary_labs";

fn api_env() -> Env {
    Env::new().var("KAGI_API_TOKEN", API_TOKEN)
}

fn both_env() -> Env {
    api_env().var("KAGI_SESSION_TOKEN", SESSION_TOKEN)
}

fn api_bodies(env: &Env) -> Vec<String> {
    env.requests_to(API)
        .iter()
        .map(|r| String::from_utf8(r.body.clone()).unwrap())
        .collect()
}

fn query_of(r: &Recorded) -> Vec<(&str, &str)> {
    r.query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[test]
fn the_api_summarizes_a_url_in_the_spec_shape() {
    let env = api_env();
    let run = env.run(&["summarize", "--url", "https://example.com/article"]);
    assert_eq!(
        run.json(),
        json!({
            "meta": {"id": "mock-summarize", "node": "us-east4", "ms": 1234},
            "data": {
                "output": "API summary (summary) of https://example.com/article: the text makes one point.",
                "tokens": 512,
            },
        })
    );
    assert!(
        run.stdout.starts_with("{\n  \"meta\": {\n    \"id\""),
        "{}",
        run.stdout
    );
    let sent = env.requests_to(API);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].header("content-type"), Some("application/json"));
    assert_eq!(sent[0].header("authorization"), Some("Bot test-api-token"));
    assert_eq!(
        api_bodies(&env),
        [r#"{"url":"https://example.com/article"}"#]
    );
}

#[test]
fn the_api_sends_each_option_only_when_given() {
    let env = api_env();
    env.run(&["summarize", "--text", "hello"]).json();
    env.run(&[
        "summarize",
        "--url",
        "https://example.com",
        "--engine",
        "agnes",
        "--summary-type",
        "takeaway",
        "--target-language",
        "EN",
        "--cache",
        "false",
    ])
    .json();
    assert_eq!(
        api_bodies(&env),
        [
            r#"{"text":"hello"}"#,
            r#"{"url":"https://example.com","engine":"agnes","summary_type":"takeaway","target_language":"EN","cache":false}"#,
        ]
    );
}

#[test]
fn stdin_is_the_text_when_neither_url_nor_text_is_given() {
    let env = api_env();
    let out = env
        .run_with_stdin(&["summarize"], "  a long text\nin two lines\n")
        .json();
    assert_eq!(
        out["data"]["output"],
        "API summary (summary) of a long text\nin two lines: the text makes one point."
    );
    assert_eq!(
        api_bodies(&env),
        [r#"{"text":"a long text\nin two lines"}"#]
    );
    // Subscriber mode reads it too, and sends it in the query string.
    let env = session_env();
    env.run_with_stdin(&["summarize", "--subscriber"], "piped words\n")
        .json();
    assert_eq!(
        env.requests_to(SUBSCRIBER)[0].query_value("text"),
        Some("piped words")
    );
}

#[test]
fn no_input_at_all_is_one_line_naming_the_options() {
    let env = api_env();
    env.run_with_stdin(&["summarize"], " \n").fails_with(
        1,
        "configuration error: summarize requires exactly one of --url or --text (or the text on stdin)",
    );
    env.run(&["summarize", "--text", "  "])
        .fails_with(1, "configuration error: summarize --text cannot be empty");
    assert_eq!(env.mock.requests(), []);
    // --url and --text together is a usage error.
    let run = env.run(&["summarize", "--url", "https://a.example/", "--text", "t"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn the_api_token_is_used_unless_subscriber_asks_for_the_session() {
    let env = both_env();
    env.run(&["summarize", "--text", "t"]).json();
    env.run(&["summarize", "--subscriber", "--text", "t"])
        .json();
    let api = env.requests_to(API);
    let sub = env.requests_to(SUBSCRIBER);
    assert_eq!((api.len(), sub.len()), (1, 1));
    assert_eq!(api[0].header("authorization"), Some("Bot test-api-token"));
    assert_eq!(api[0].header("cookie"), None);
    assert_eq!(
        sub[0].header("cookie"),
        Some("kagi_session=test-session-token")
    );
    assert_eq!(sub[0].header("authorization"), None);
}

#[test]
fn a_missing_credential_names_the_one_the_mode_needs_and_sends_nothing() {
    // The session does not stand in for the API token, nor the reverse.
    session_env().run(&["summarize", "--text", "t"]).fails_with(
        1,
        "configuration error: this command requires KAGI_API_TOKEN (env or .kagi.toml [auth] api_token); run `kagi auth` to set it up",
    );
    let env = api_env();
    env.run(&["summarize", "--subscriber", "--url", "https://a.example/"])
        .fails_with(
            1,
            "configuration error: this command requires KAGI_SESSION_TOKEN (env or .kagi.toml [auth] session_token); run `kagi auth` to set it up",
        );
    assert_eq!(env.mock.requests(), []);
}

#[test]
fn the_subscriber_query_carries_every_option_in_wire_order() {
    let env = session_env();
    env.run(&[
        "summarize",
        "--subscriber",
        "--url",
        "https://a.example/x?y=1",
    ])
    .json();
    env.run(&[
        "summarize",
        "--subscriber",
        "--text",
        "hello world",
        "--summary-type",
        "keypoints",
        "--length",
        "digest",
        "--target-language",
        "JA",
    ])
    .json();
    let sent = env.requests_to(SUBSCRIBER);
    assert_eq!(sent[0].method, "GET");
    assert_eq!(
        query_of(&sent[0]),
        [
            ("url", "https://a.example/x?y=1"),
            ("stream", "1"),
            ("target_language", ""),
            ("summary_type", "article"),
            ("summary_length", "medium"),
        ]
    );
    assert_eq!(
        query_of(&sent[1]),
        [
            ("text", "hello world"),
            ("stream", "1"),
            ("target_language", "JA"),
            ("summary_type", "keypoints"),
            ("summary_length", "digest"),
        ]
    );
    assert_eq!(
        sent[1].header("accept"),
        Some("application/vnd.kagi.stream")
    );
    assert_eq!(sent[1].header("cache-control"), Some("no-store"));
}

#[test]
fn piped_subscriber_output_is_the_final_message_in_the_spec_shape() {
    let out = session_env()
        .run(&["summarize", "--subscriber", "--url", "https://a.example/"])
        .json();
    let reply =
        "Summary (article) of https://a.example/: the page explains its topic in three parts.";
    assert_eq!(
        out,
        json!({
            "meta": {"version": "202604060700.stage.mock", "trace": "trace-summary"},
            "data": {
                "id": "msg-summary-1",
                "thread_id": "thread-summary-1",
                "created_at": "2026-04-06T07:00:00Z",
                "state": "done",
                "prompt": "https://a.example/",
                "output": reply,
                "markdown": reply,
                "metadata_html": "<li>mock summarizer</li>",
                "documents": [{"url": "https://a.example/"}],
            },
        })
    );
}

#[test]
fn on_a_terminal_the_subscriber_summary_is_printed_as_text() {
    let env = session_env();
    let run = on_a_terminal(
        &env,
        &["summarize", "--subscriber", "--text", "terminal words"],
        "",
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.replace("\r\n", "\n"),
        "Summary (article) of terminal words: the page explains its topic in three parts.\n"
    );
}

#[test]
fn each_flag_is_refused_outside_its_mode_before_anything_is_sent() {
    let env = both_env();
    let cases: [(&[&str], &str); 5] = [
        (
            &["--subscriber", "--engine", "agnes"],
            "--engine is only supported for the paid public summarizer API",
        ),
        (
            &["--subscriber", "--cache", "true"],
            "--cache is only supported for the paid public summarizer API",
        ),
        (&["--length", "long"], "--length requires --subscriber"),
        (
            &["--subscriber", "--length", "huge"],
            "subscriber summarize --length must be one of: headline, overview, digest, medium, long; got 'huge'",
        ),
        (
            &["--subscriber", "--summary-type", "takeaway"],
            "subscriber summarize --summary-type must be one of: summary, keypoints, eli5; got 'takeaway'",
        ),
    ];
    for (flags, message) in cases {
        let mut args = vec!["summarize", "--text", "t"];
        args.extend_from_slice(flags);
        env.run(&args)
            .fails_with(1, &format!("configuration error: {message}"));
    }
    assert_eq!(env.mock.requests(), []);
}

#[test]
fn the_local_cache_answers_again_per_mode_namespace() {
    let env = both_env();
    let first = env.run(&["summarize", "--text", "cached", "--local-cache"]);
    let second = env.run(&["summarize", "--text", "cached", "--local-cache"]);
    assert_eq!(first.stdout, second.stdout);
    first.json();
    assert_eq!(
        env.requests_to(API).len(),
        1,
        "the second run is a cache hit"
    );
    // The subscriber answer is cached apart from the API's.
    let sub: Vec<Value> = (0..2)
        .map(|_| {
            env.run(&[
                "summarize",
                "--subscriber",
                "--text",
                "cached",
                "--local-cache",
            ])
            .json()
        })
        .collect();
    assert_eq!(sub[0], sub[1]);
    assert_eq!(sub[0]["data"]["state"], "done");
    assert_eq!(env.requests_to(SUBSCRIBER).len(), 1);
    // Without the flag, or with a TTL of zero, it asks again.
    env.run(&["summarize", "--text", "cached"]).json();
    env.run(&[
        "summarize",
        "--text",
        "cached",
        "--local-cache",
        "--cache-ttl",
        "0",
    ])
    .json();
    assert_eq!(env.requests_to(API).len(), 3);
}

#[test]
fn api_errors_are_never_cached() {
    let env = api_env().with_fault("status=503");
    for _ in 0..2 {
        env.run(&["summarize", "--text", "t", "--local-cache"])
            .fails_starting(1, "network error: Kagi Summarizer server error: HTTP 503");
    }
    assert_eq!(env.requests_to(API).len(), 2);
}

/// Asserts a one-line network error for a body cut short mid-way.
fn cut_short(run: &Run, path: &str) {
    run.fails_starting(1, "network error: request to http://127.0.0.1:");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(path), "{}", run.stderr);
    assert!(
        run.stderr
            .trim_end()
            .ends_with("failed: end of file before message length reached"),
        "{}",
        run.stderr
    );
}

#[test]
fn each_api_failure_family_is_one_line_with_its_class() {
    let t = ["summarize", "--text", "t"];
    api_env().var("KAGI_API_TOKEN", "wrong").run(&t).fails_with(
        1,
        "authentication error: invalid Kagi API token or access is not enabled for Summarizer: HTTP 401 Unauthorized; check KAGI_API_TOKEN or run `kagi auth`; Invalid token",
    );
    api_env().with_fault("status=402").run(&t).fails_with(
        1,
        "authentication error: Kagi Summarizer request rejected: HTTP 402 Payment Required; Insufficient credit to perform this request. Add API credit at https://kagi.com/settings/billing_api, then try again",
    );
    api_env().with_fault("status=429").run(&t).fails_with(
        1,
        "network error: Kagi Summarizer request rejected: HTTP 429 Too Many Requests; Rate limited. Retry later. Kagi asks to wait 30 seconds before trying again",
    );
    api_env().with_fault("status=500").run(&t).fails_with(
        1,
        "network error: Kagi Summarizer server error: HTTP 500 Internal Server Error; Internal server error. Please try again later.",
    );
    api_env().with_fault("malformed").run(&t).fails_with(
        1,
        "parse error: failed to parse Summarizer response: at `data[0]`: invalid type: map, expected a string at line 1 column 51",
    );
    api_env().with_fault("logged-out").run(&t).fails_with(
        1,
        "parse error: failed to parse Summarizer response: Kagi answered with a web page instead of JSON; try again later",
    );
    cut_short(&api_env().with_fault("truncate").run(&t), API);
}

#[test]
fn each_subscriber_failure_family_is_one_line_with_its_class() {
    let t = ["summarize", "--subscriber", "--text", "t"];
    // The mock answers a wrong session with its signed-out page.
    session_env()
        .var("KAGI_SESSION_TOKEN", "wrong")
        .run(&t)
        .fails_with(
            1,
            "authentication error: invalid or expired Kagi session token: the subscriber summarizer answered with a web page; copy a fresh Session Link and run `kagi auth`",
        );
    session_env().with_fault("status=401").run(&t).fails_with(
        1,
        "authentication error: invalid or expired Kagi session token for subscriber summarizer: HTTP 401 Unauthorized; copy a fresh Session Link and run `kagi auth`; 401 Unauthorized Unauthorized Invalid token Back to Kagi",
    );
    session_env().with_fault("status=429").run(&t).fails_with(
        1,
        "network error: unexpected Kagi subscriber summarizer response status: HTTP 429 Too Many Requests; 429 Too Many Requests Too Many Requests Rate limited. Retry later. Back to Kagi",
    );
    session_env().with_fault("status=503").run(&t).fails_with(
        1,
        "network error: Kagi subscriber summarizer server error: HTTP 503 Service Unavailable; 503 Service Unavailable Service Unavailable Internal server error. Please try again later. Back to Kagi",
    );
    session_env().with_fault("malformed").run(&t).fails_with(
        1,
        "parse error: subscriber summarizer response did not include a new_message.json frame",
    );
    cut_short(&session_env().with_fault("truncate").run(&t), SUBSCRIBER);
    session_env()
        .run(&[
            "summarize",
            "--subscriber",
            "--url",
            "https://a.example/summary-error",
        ])
        .fails_with(
            1,
            "network error: Kagi subscriber summarizer failed: This page could not be summarized.",
        );
}

#[test]
fn filter_summarizes_each_stdin_line_in_order_with_sorted_keys() {
    let env = api_env();
    let run = env.run_with_stdin(
        &["summarize", "--filter"],
        "  https://a.example/one \n\n plain words\n   \nhttp://b.example/two\n",
    );
    run.json();
    let response = |input: &str| {
        json!({
            "data": {
                "output": format!("API summary (summary) of {input}: the text makes one point."),
                "tokens": 512,
            },
            "meta": {"id": "mock-summarize", "ms": 1234, "node": "us-east4"},
        })
    };
    let expected = json!({"results": [
        {"input": "https://a.example/one", "response": response("https://a.example/one")},
        {"input": "plain words", "response": response("plain words")},
        {"input": "http://b.example/two", "response": response("http://b.example/two")},
    ]});
    // Byte for byte: pretty JSON with keys sorted at every level.
    assert_eq!(
        run.stdout,
        format!("{}\n", serde_json::to_string_pretty(&expected).unwrap())
    );
    assert_eq!(
        api_bodies(&env),
        [
            r#"{"url":"https://a.example/one"}"#,
            r#"{"text":"plain words"}"#,
            r#"{"url":"http://b.example/two"}"#,
        ]
    );
}

#[test]
fn filter_with_subscriber_summarizes_each_line_and_ignores_api_only_flags() {
    let env = session_env();
    let args = [
        "summarize",
        "--filter",
        "--subscriber",
        "--engine",
        "agnes",
        "--cache",
        "false",
    ];
    let out = env
        .run_with_stdin(&args, "https://a.example/page\nsome text\n")
        .json();
    let results = out["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[1]["input"], "some text");
    assert_eq!(
        results[1]["response"]["data"]["output"],
        "Summary (article) of some text: the page explains its topic in three parts."
    );
    let sent = env.requests_to(SUBSCRIBER);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].query_value("url"), Some("https://a.example/page"));
    assert_eq!(sent[1].query_value("text"), Some("some text"));
}

#[test]
fn filter_refuses_url_text_and_an_empty_stdin_before_sending() {
    let env = api_env();
    let refused = "configuration error: summarize --filter reads from stdin; omit --url and --text";
    env.run(&["summarize", "--filter", "--url", "https://a.example/"])
        .fails_with(1, refused);
    env.run(&["summarize", "--filter", "--text", "t"])
        .fails_with(1, refused);
    env.run_with_stdin(&["summarize", "--filter"], " \n\n\t\n")
        .fails_with(
            1,
            "configuration error: summarize --filter requires at least one stdin line",
        );
    assert_eq!(env.mock.requests(), []);
}

#[test]
fn filter_stops_at_the_first_failing_line_and_prints_nothing() {
    let env = session_env();
    let lines = "https://a.example/one\nhttps://a.example/summary-error\nhttps://a.example/three\n";
    env.run_with_stdin(&["summarize", "--filter", "--subscriber"], lines)
        .fails_with(
            1,
            "network error: Kagi subscriber summarizer failed: This page could not be summarized.",
        );
    let sent: Vec<_> = env
        .requests_to(SUBSCRIBER)
        .iter()
        .map(|r| r.query_value("url").unwrap().to_string())
        .collect();
    assert_eq!(
        sent,
        ["https://a.example/one", "https://a.example/summary-error"]
    );
}

#[test]
fn filter_skips_the_mode_check_of_length_and_never_uses_the_local_cache() {
    let env = api_env();
    let args = ["summarize", "--filter", "--length", "long", "--local-cache"];
    for _ in 0..2 {
        env.run_with_stdin(&args, "cached?\n").json();
    }
    assert_eq!(api_bodies(&env), [r#"{"text":"cached?"}"#; 2]);
}
